/*
 * hedui base: errors, allocation, growable buffers, money, dates and
 * periods, logging.
 *
 * Everything here is pure and thread-safe unless said otherwise. Nothing
 * reads the clock: "now" is always passed in.
 */
#ifndef HEDUI_BASE_H
#define HEDUI_BASE_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* ---------------------------------------------------------------- errors */

/*
 * Result codes. Functions that can fail return 0 or one of these negative
 * codes, and fill the optional `hd_error *err` they take last.
 */
enum {
    HD_OK = 0,
    HD_ENOMEM = -1,     /* an allocation failed */
    HD_EINVAL = -2,     /* a caller passed something the API forbids */
    HD_EDATA = -3,      /* input data breaks a rule; err says where */
    HD_EOVERFLOW = -4,  /* a number does not fit */
    HD_EIO = -5,        /* the operating system refused a read or write */
    HD_ENOTFOUND = -6,  /* the thing asked for does not exist */
    HD_ESTORE = -7,     /* a database reported an error */
    HD_EEXISTS = -8,    /* the thing to create is already there */
    HD_ELIMIT = -9,     /* a configured size limit was reached */
    HD_EREJECTED = -10, /* a delivery was rejected whole */
    HD_ECONFLICT = -11, /* another writer changed the same thing at the same
                           time; nothing was written, the caller may retry */
    HD_EAUTH = -12,     /* not authenticated: bad credentials, no or an
                           expired session, a locked account */
    HD_EDENIED = -13,   /* authenticated, but the role or the region does
                           not allow it */
    HD_ESTATE = -14     /* the thing is not in a state that allows it (a
                           case already decided, a window closed) */
};

#define HD_ERROR_MSG_MAX 256
#define HD_ERROR_FILE_MAX 256
#define HD_ERROR_FIELD_MAX 64

/*
 * An error value. `msg` is one line, lower case, no full stop. For data
 * errors, `file`, `line` (1-based, 0 when unknown), `column` (1-based
 * field number, 0 when unknown) and `field` (column name) say where.
 * Setting an error never allocates.
 */
typedef struct hd_error {
    int code;
    int64_t line;
    int column;
    char msg[HD_ERROR_MSG_MAX];
    char file[HD_ERROR_FILE_MAX];
    char field[HD_ERROR_FIELD_MAX];
} hd_error;

/* Clear `err` (may be NULL). */
void hd_error_clear(hd_error *err);

/* Set code and message; returns `code` so callers can `return
 * hd_error_set(...)`. `err` may be NULL. Location fields are left as they
 * are. */
int hd_error_set(hd_error *err, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
int hd_error_setv(hd_error *err, int code, const char *fmt, va_list ap)
    __attribute__((format(printf, 3, 0)));

/* Set the location of a data error; any argument may be NULL/0 to leave
 * that part as it is. */
void hd_error_at(hd_error *err, const char *file, int64_t line, int column,
                 const char *field);

/* Format as "file:line:column: field: message" (parts that are unknown are
 * left out) into `out` of `out_len` bytes, always NUL-terminated. Returns
 * `out`. */
const char *hd_error_format(const hd_error *err, char *out, size_t out_len);

/* Short English name of a code ("out of memory", "invalid data", ...). */
const char *hd_strerror(int code);

/* ------------------------------------------------------------ allocation */

/*
 * All allocation goes through these so that tests can make the Nth one
 * fail. hd_free accepts NULL.
 */
void *hd_malloc(size_t size);
void *hd_calloc(size_t count, size_t size);
void *hd_realloc(void *ptr, size_t size);
void hd_free(void *ptr);
char *hd_strdup(const char *s);
char *hd_strndup(const char *s, size_t len);

/* Test hook: the `n`th allocation from now fails (1 = the next one), and
 * every one after it too when `sticky`. 0 turns failures off. Not
 * thread-safe; for tests only. */
void hd_alloc_fail_after(long n, bool sticky);
/* Allocations made since the last hd_alloc_fail_after call. */
long hd_alloc_count(void);

/* -------------------------------------------------------- string views */

/* A borrowed view of bytes, not NUL-terminated. */
typedef struct hd_str {
    const char *ptr;
    size_t len;
} hd_str;

#define HD_STR(lit) ((hd_str){(lit), sizeof(lit) - 1})

hd_str hd_str_of(const char *cstr);
bool hd_str_eq(hd_str a, hd_str b);
bool hd_str_eq_cstr(hd_str a, const char *cstr);

/* ASCII-only character classes: never the locale's ctype. */
static inline bool hd_is_digit(int c)
{
    return c >= '0' && c <= '9';
}
static inline bool hd_is_upper(int c)
{
    return c >= 'A' && c <= 'Z';
}

/* Validate UTF-8 (no overlongs, no surrogates). Returns the number of code
 * points, or -1 when `s` is not valid UTF-8. */
long hd_utf8_count(const char *s, size_t len);

/* -------------------------------------------------------- growable buf */

/*
 * A growable byte buffer with a hard maximum and a sticky error: append
 * freely, check `hd_buf_error` once. `ptr` is always NUL-terminated
 * (it points at a static empty string until the first append).
 */
typedef struct hd_buf {
    char *ptr;
    size_t len;
    size_t cap;
    size_t max; /* the largest `len` allowed */
    int err;    /* 0, HD_ENOMEM or HD_ELIMIT; once set, appends do nothing */
} hd_buf;

#define HD_BUF_DEFAULT_MAX ((size_t)1 << 30)

void hd_buf_init(hd_buf *buf, size_t max);
void hd_buf_release(hd_buf *buf);
/* Set length to 0, keeping memory and clearing the error. */
void hd_buf_reset(hd_buf *buf);
int hd_buf_append(hd_buf *buf, const void *data, size_t len);
int hd_buf_puts(hd_buf *buf, const char *s);
int hd_buf_putc(hd_buf *buf, char c);
int hd_buf_printf(hd_buf *buf, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Make room for `extra` more bytes; returns 0 or the sticky error. */
int hd_buf_grow(hd_buf *buf, size_t extra);
static inline int hd_buf_error(const hd_buf *buf)
{
    return buf->err;
}
/* Hand the bytes to the caller (free with hd_free); the buffer is left
 * empty. Returns NULL when the buffer is in error. */
char *hd_buf_detach(hd_buf *buf, size_t *len_out);

/* ---------------------------------------------------------------- arena */

/* A bump allocator for per-case and per-batch work, freed whole. */
typedef struct hd_arena_block hd_arena_block;
typedef struct hd_arena {
    hd_arena_block *head;
    size_t block_size;
} hd_arena;

void hd_arena_init(hd_arena *arena, size_t block_size);
/* Returns NULL when out of memory. Memory is 16-byte aligned. */
void *hd_arena_alloc(hd_arena *arena, size_t size);
char *hd_arena_strndup(hd_arena *arena, const char *s, size_t len);
/* Free everything but keep the first block for reuse. */
void hd_arena_reset(hd_arena *arena);
void hd_arena_release(hd_arena *arena);

/* ---------------------------------------------------------------- money */

/*
 * Money is int64_t fen (1 yuan = 100 fen); areas are int64_t hundredths of
 * a square metre. Neither ever touches floating point.
 */
#define HD_MONEY_TEXT_MAX 32

/*
 * Parse a decimal with at most `scale` fraction digits into an integer
 * scaled by 10^scale: "12.3" with scale 2 is 1230. The form is
 * `-?[0-9]+(\.[0-9]{1,scale})?` (the sign only when `allow_negative`).
 * Errors: HD_EDATA (bad form, message names the rule), HD_EOVERFLOW.
 */
int hd_decimal_parse(int64_t *out, const char *s, size_t len, int scale,
                     bool allow_negative, hd_error *err);

/* Money: decimal yuan, at most 2 decimals, optional leading '-'. */
int hd_money_parse(int64_t *out, const char *s, size_t len, hd_error *err);
/* Area: decimal m², at most 2 decimals, not negative. */
int hd_area_parse(int64_t *out, const char *s, size_t len, hd_error *err);

/* Format an integer scaled by 10^scale with exactly `scale` decimals
 * ("-12.30"). `out` must hold HD_MONEY_TEXT_MAX bytes. Returns `out`. */
const char *hd_decimal_format(char *out, int64_t value, int scale);
const char *hd_money_format(char *out, int64_t fen);

/* Checked arithmetic: return HD_EOVERFLOW instead of wrapping. */
int hd_add_i64(int64_t *out, int64_t a, int64_t b);
int hd_mul_i64(int64_t *out, int64_t a, int64_t b);
/* The one division of the project: rounds toward zero (C's `/`). `b` must
 * not be 0. */
static inline int64_t hd_div_trunc(int64_t a, int64_t b)
{
    return a / b;
}

/* ---------------------------------------------------------------- dates */

/* A date is days since 1970-01-01 (int32_t). A period (calendar month) is
 * months since 0000-01: year * 12 + (month - 1). */
#define HD_DATE_TEXT_MAX 11  /* "YYYY-MM-DD" + NUL */
#define HD_PERIOD_TEXT_MAX 8 /* "YYYY-MM" + NUL */

bool hd_is_leap_year(int year);
int hd_days_in_month(int year, int month);
/* Build a date from its parts; HD_EDATA when it is not a calendar date
 * (years 1 to 9999). */
int hd_date_from_ymd(int32_t *out, int year, int month, int day);
void hd_date_to_ymd(int32_t date, int *year, int *month, int *day);
/* Parse exactly "YYYY-MM-DD". */
int hd_date_parse(int32_t *out, const char *s, size_t len, hd_error *err);
const char *hd_date_format(char *out, int32_t date);

int hd_period_from_ym(int32_t *out, int year, int month);
/* Parse exactly "YYYY-MM". */
int hd_period_parse(int32_t *out, const char *s, size_t len, hd_error *err);
const char *hd_period_format(char *out, int32_t period);
int32_t hd_period_of_date(int32_t date);
static inline int32_t hd_period_add(int32_t period, int32_t months)
{
    return period + months;
}
/* Completed years at `at` of someone born on `birth`. A 29 February
 * birthday is reached on 1 March in a common year. */
int hd_age_at(int32_t birth, int32_t at);

/* -------------------------------------------------------------- logging */

/*
 * The library never prints. Programs install a sink; events are one
 * `key=value` line each. Never log names or full citizen IDs.
 */
typedef enum {
    HD_LOG_DEBUG,
    HD_LOG_INFO,
    HD_LOG_WARN,
    HD_LOG_ERROR
} hd_log_level;
typedef void (*hd_log_fn)(hd_log_level level, const char *line, void *payload);

void hd_log_set_sink(hd_log_fn fn, void *payload);
void hd_log(hd_log_level level, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Mask a citizen ID for logs and roles that do not need it: keep the first
 * 6 and the last 4 characters ("330106********123X"). `out` must hold
 * len + 1 bytes. */
const char *hd_mask_pid(char *out, const char *pid, size_t len);

/* --------------------------------------------------------------- sha256 */

#define HD_SHA256_HEX_LEN 64
typedef struct hd_sha256 {
    uint8_t state[128] __attribute__((aligned(16))); /* opaque */
} hd_sha256;

void hd_sha256_init(hd_sha256 *ctx);
void hd_sha256_update(hd_sha256 *ctx, const void *data, size_t len);
/* Writes 64 lowercase hex digits and a NUL into `hex`. */
void hd_sha256_final_hex(hd_sha256 *ctx, char hex[HD_SHA256_HEX_LEN + 1]);
/* Hash a whole file; HD_EIO when it cannot be read. */
int hd_sha256_file(char hex[HD_SHA256_HEX_LEN + 1], const char *path,
                   hd_error *err);

#endif
