/*
 * The streaming RFC 4180 reader of spec feeds.md.
 *
 * Bytes are read in large chunks into one buffer; a record is parsed where
 * it lies and its fields are views into that buffer. One scan finds the
 * structural bytes (comma, line end, quote), 16 at a time with SSE2. A line
 * without a quote (almost all of them) is split at its commas by the
 * tightest loop; a line with one runs the RFC 4180 rules on the structural
 * bytes alone, so a quoted field costs little more than a plain one. Only a
 * field holding a "" escape is copied (into `scratch`): the buffer itself is
 * never written, so `raw` is always the bytes as read.
 *
 * A record that does not fit in the buffer makes it grow (doubling) up to
 * HD_CSV_MAX_RECORD plus a line end; memory is bounded by the longest
 * record, never by the file. When a record needs bytes past the end of the
 * buffer, the buffer is refilled and the record parsed again from its
 * start: with doubling this is amortised, and it keeps the parser free of
 * saved state.
 */
#include "feed/feed_int.h"

#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#ifdef __SSE2__
#include <emmintrin.h>
#endif

#define CSV_DEFAULT_CHUNK ((size_t)1 << 20)
/* A record of HD_CSV_MAX_RECORD bytes and its CRLF must fit. */
#define CSV_BUFFER_LIMIT ((size_t)HD_CSV_MAX_RECORD + 2)

/* Internal results of the parse steps, besides 0/1 and HD_E* codes. */
enum { NEED_MORE = 100, TOO_LONG = 101, HAS_QUOTE = 102 };

struct hd_csv {
    int fd;          /* -1 when reading from memory */
    const char *mem; /* the memory source, borrowed */
    size_t mem_len;
    size_t mem_pos;
    char *buf; /* bytes read and not yet consumed: [start, end) */
    size_t cap;
    size_t chunk; /* first buffer size */
    size_t start;
    size_t end;
    bool eof;  /* the source has no bytes beyond `end` */
    bool done; /* hd_csv_next returns 0 from now on */
    bool bom_checked;
    bool skip_line; /* resume at the next line end (after a record
                       too long to buffer) */
    int64_t line;   /* line number of buf[start] */
    char *scratch;  /* unescaped copies of fields holding "" */
    size_t scratch_cap;
    hd_sha256 sha;
    char name[HD_ERROR_FILE_MAX];
};

static void set_name(hd_csv *csv, const char *name)
{
    size_t n = strlen(name);
    if (n >= sizeof(csv->name))
        n = sizeof(csv->name) - 1;
    memcpy(csv->name, name, n);
    csv->name[n] = '\0';
}

static int csv_new(hd_csv **out, const char *name, hd_error *err)
{
    hd_csv *csv = hd_calloc(1, sizeof(*csv));

    *out = NULL;
    if (!csv)
        return hd_error_set(err, HD_ENOMEM, "out of memory");
    csv->fd = -1;
    csv->chunk = CSV_DEFAULT_CHUNK;
    csv->line = 1;
    hd_sha256_init(&csv->sha);
    set_name(csv, name);
    *out = csv;
    return 0;
}

int hd_csv_open(hd_csv **out, const char *path, hd_error *err)
{
    hd_csv *csv;
    int rc = csv_new(&csv, path, err);

    *out = NULL;
    if (rc)
        return rc;
    csv->fd = open(path, O_RDONLY | O_CLOEXEC);
    if (csv->fd < 0) {
        rc = hd_error_set(err, HD_EIO, "cannot open %s: %s", path,
                          strerror(errno));
        hd_error_at(err, path, 0, 0, NULL);
        hd_csv_free(csv);
        return rc;
    }
#ifdef POSIX_FADV_SEQUENTIAL
    (void)posix_fadvise(csv->fd, 0, 0, POSIX_FADV_SEQUENTIAL);
#endif
    *out = csv;
    return 0;
}

int hd_csv_open_mem(hd_csv **out, const char *name, const void *data,
                    size_t len, hd_error *err)
{
    hd_csv *csv;
    int rc = csv_new(&csv, name, err);

    *out = NULL;
    if (rc)
        return rc;
    csv->mem = data;
    csv->mem_len = len;
    *out = csv;
    return 0;
}

void hd_csv_free(hd_csv *csv)
{
    if (!csv)
        return;
    if (csv->fd >= 0)
        close(csv->fd);
    hd_free(csv->buf);
    hd_free(csv->scratch);
    hd_free(csv);
}

void hd__csv_set_chunk(hd_csv *csv, size_t chunk)
{
    assert(csv->cap == 0); /* before the first read */
    csv->chunk = chunk ? chunk : 1;
}

void hd_csv_sha256(hd_csv *csv, char hex[HD_SHA256_HEX_LEN + 1])
{
    /* Finish a copy, so that reading can go on. */
    hd_sha256 copy = csv->sha;
    hd_sha256_final_hex(&copy, hex);
}

/*
 * Make more bytes available after `end`, moving the unconsumed bytes to
 * the front and growing the buffer when one record fills it. Returns 0
 * (bytes added, or `eof` set), TOO_LONG when the unconsumed bytes already
 * reach the limit, HD_ENOMEM or HD_EIO.
 */
static int refill(hd_csv *csv, hd_error *err)
{
    size_t keep = csv->end - csv->start;
    size_t room;

    if (csv->eof)
        return 0;
    if (keep >= CSV_BUFFER_LIMIT)
        return TOO_LONG;
    if (csv->start > 0) {
        memmove(csv->buf, csv->buf + csv->start, keep);
        csv->start = 0;
        csv->end = keep;
    }
    if (csv->end == csv->cap) {
        size_t ncap = csv->cap ? csv->cap * 2 : csv->chunk;
        char *nbuf;
        if (ncap > CSV_BUFFER_LIMIT && csv->cap > 0)
            ncap = CSV_BUFFER_LIMIT;
        /* Small data in memory needs no 1 MiB buffer. */
        if (csv->cap == 0 && csv->fd < 0 && csv->mem_len < ncap)
            ncap = csv->mem_len ? csv->mem_len : 1;
        nbuf = hd_realloc(csv->buf, ncap);
        if (!nbuf) {
            csv->done = true;
            return hd_error_set(err, HD_ENOMEM, "out of memory");
        }
        csv->buf = nbuf;
        csv->cap = ncap;
    }
    room = csv->cap - csv->end;
    if (csv->fd < 0) {
        size_t n = csv->mem_len - csv->mem_pos;
        if (n > room)
            n = room;
        if (n)
            memcpy(csv->buf + csv->end, csv->mem + csv->mem_pos, n);
        csv->mem_pos += n;
        hd_sha256_update(&csv->sha, csv->buf + csv->end, n);
        csv->end += n;
        if (csv->mem_pos == csv->mem_len)
            csv->eof = true;
        return 0;
    }
    for (;;) {
        ssize_t n = read(csv->fd, csv->buf + csv->end, room);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            int rc = hd_error_set(err, HD_EIO, "cannot read %s: %s", csv->name,
                                  strerror(errno));
            hd_error_at(err, csv->name, 0, 0, NULL);
            csv->done = true;
            return rc;
        }
        if (n == 0)
            csv->eof = true;
        hd_sha256_update(&csv->sha, csv->buf + csv->end, (size_t)n);
        csv->end += (size_t)n;
        return 0;
    }
}

static int64_t count_char(const char *p, const char *e, char c)
{
    int64_t n = 0;
    while (p < e && (p = memchr(p, c, (size_t)(e - p))) != NULL) {
        n++;
        p++;
    }
    return n;
}

static int64_t count_newlines(const char *p, const char *e)
{
    return count_char(p, e, '\n');
}

/* Report a bad record: clears err, then sets the message and where. */
static int record_error(hd_csv *csv, hd_error *err, int64_t line, int column,
                        const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

static int record_error(hd_csv *csv, hd_error *err, int64_t line, int column,
                        const char *fmt, ...)
{
    va_list ap;
    hd_error_clear(err);
    va_start(ap, fmt);
    hd_error_setv(err, HD_EDATA, fmt, ap);
    va_end(ap);
    hd_error_at(err, csv->name, line, column, NULL);
    return HD_EDATA;
}

/*
 * A record longer than the buffer may grow: report it, drop what is
 * buffered (it stays readable as `raw` until the next call) and resume
 * after the next line end.
 */
static int too_long(hd_csv *csv, hd_csv_record *rec, hd_error *err)
{
    const char *p = csv->buf + csv->start;
    const char *e = csv->buf + csv->end;

    rec->line = csv->line;
    rec->count = 0;
    rec->raw = (hd_str){p, (size_t)(e - p)};
    csv->line += count_newlines(p, e);
    csv->start = csv->end;
    csv->skip_line = true;
    return record_error(csv, err, rec->line, 0, "record longer than %d bytes",
                        HD_CSV_MAX_RECORD);
}

/* Skip to just after the next line end; 0, or an error from refill. */
static int skip_line(hd_csv *csv, hd_error *err)
{
    for (;;) {
        const char *p = csv->buf + csv->start;
        size_t avail = csv->end - csv->start;
        const char *nl = avail ? memchr(p, '\n', avail) : NULL;
        int rc;

        if (nl) {
            csv->start = (size_t)(nl + 1 - csv->buf);
            csv->line++;
            csv->skip_line = false;
            return 0;
        }
        csv->start = csv->end;
        if (csv->eof) {
            csv->skip_line = false;
            csv->done = true;
            return 0;
        }
        rc = refill(csv, err);
        if (rc < 0)
            return rc;
    }
}

/* The state of the scan of one record. */
struct scan {
    const char *e;      /* end of the bytes buffered */
    const char *f;      /* start of the current field */
    const char *qclose; /* closing quote of the current field, or NULL */
    const char *skip;   /* structural bytes before this are handled */
    const char *bad_at; /* where the quoting broke */
    const char *problem;
    bool eof;
    bool in_quotes;
    bool esc;       /* the current field holds "" escapes */
    bool any_quote; /* the record holds a quoted field */
    int n;          /* fields so far, counting those past the limit */
    hd_str *fields; /* rec->fields */
    bool escaped[HD_CSV_MAX_FIELDS];
};

/* What one structural byte (',', '\n' or '"') does to the scan. */
enum { GO_ON, AT_END, BROKEN, MORE };

/* End the current field just before `end` (an unquoted field's bytes) or
 * at its closing quote. */
static inline void end_field(struct scan *st, const char *end)
{
    if (st->n < HD_CSV_MAX_FIELDS) {
        const char *fs = st->qclose ? st->f + 1 : st->f;
        const char *fe = st->qclose ? st->qclose : end;
        st->fields[st->n] = (hd_str){fs, (size_t)(fe - fs)};
        st->escaped[st->n] = st->esc;
    }
    st->n++;
}

static inline int on_byte(struct scan *st, const char *s)
{
    if (s < st->skip)
        return GO_ON; /* the second quote of a "" escape */
    if (st->in_quotes) {
        /* Inside quotes only a quote matters: a "" escape or the end. */
        if (*s != '"')
            return GO_ON;
        if (s + 1 == st->e) {
            if (!st->eof)
                return MORE; /* "" or not: the next byte decides */
        } else if (s[1] == '"') {
            st->esc = true;
            st->skip = s + 2;
            return GO_ON;
        }
        st->in_quotes = false;
        st->qclose = s;
        /* After the closing quote: a comma, a line end, or the end. */
        if (s + 1 == st->e || s[1] == ',' || s[1] == '\n')
            return GO_ON;
        if (s[1] == '\r') {
            if (s + 2 == st->e)
                return st->eof ? GO_ON : MORE;
            if (s[2] == '\n')
                return GO_ON;
        }
        st->bad_at = s + 1;
        st->problem = "text after a closing '\"'";
        return BROKEN;
    }
    if (*s == '"') {
        if (s == st->f && !st->qclose) {
            st->in_quotes = true;
            st->any_quote = true;
            return GO_ON;
        }
        st->bad_at = s;
        st->problem = "'\"' inside an unquoted field";
        return BROKEN;
    }
    if (*s == ',') {
        end_field(st, s);
        st->f = s + 1;
        st->qclose = NULL;
        st->esc = false;
        return GO_ON;
    }
    /* '\n': a CR before it belongs to the line end. */
    end_field(st, s > st->f && s[-1] == '\r' ? s - 1 : s);
    return AT_END;
}

/* End the record: `raw` from the record start to `line_end`, consume up to
 * `next`, and count the lines it spans. */
static void finish(hd_csv *csv, hd_csv_record *rec, const char *p,
                   const char *line_end, const char *next, bool multi_line)
{
    rec->line = csv->line;
    rec->raw = (hd_str){p, (size_t)(line_end - p)};
    if (multi_line)
        csv->line += count_newlines(p, next);
    else
        csv->line += 1;
    csv->start = (size_t)(next - csv->buf);
}

/* Copy the fields that hold "" escapes into `scratch`, unescaped. */
static int unescape(hd_csv *csv, hd_csv_record *rec, const bool *escaped,
                    hd_error *err)
{
    size_t need = 0, used = 0;

    for (int i = 0; i < rec->count; i++)
        if (escaped[i])
            need += rec->fields[i].len;
    if (need == 0)
        return 0;
    if (need > csv->scratch_cap) {
        char *s = hd_realloc(csv->scratch, need);
        if (!s) {
            csv->done = true;
            return hd_error_set(err, HD_ENOMEM, "out of memory");
        }
        csv->scratch = s;
        csv->scratch_cap = need;
    }
    for (int i = 0; i < rec->count; i++) {
        const char *s, *e;
        char *d;
        if (!escaped[i])
            continue;
        s = rec->fields[i].ptr;
        e = s + rec->fields[i].len;
        d = csv->scratch + used;
        while (s < e) {
            const char *q = memchr(s, '"', (size_t)(e - s));
            size_t n = q ? (size_t)(q + 1 - s) : (size_t)(e - s);
            memcpy(d, s, n);
            d += n;
            /* Inside a well-formed quoted field a quote is always the
             * first of a pair: keep it, skip its twin. */
            s += q ? n + 1 : n;
        }
        rec->fields[i] =
            (hd_str){csv->scratch + used, (size_t)(d - (csv->scratch + used))};
        used += rec->fields[i].len;
    }
    return 0;
}

/*
 * Parse the record at the start of the buffer, one whose line holds a
 * quote. Like the fast path, one scan finds the structural bytes (comma,
 * line end, quote), 16 bytes at a time where SSE2 is there, and the RFC
 * 4180 rules run on those alone: the bytes between them are never looked
 * at one by one. Returns 1 with a record, 0 at the
 * end, HD_EDATA for a bad record (broken quoting resumes after the next
 * line end; an end of file inside quotes ends the reading), NEED_MORE
 * when the record runs past the bytes buffered, HD_ENOMEM.
 */
static int parse_record(hd_csv *csv, hd_csv_record *rec, hd_error *err)
{
    const char *p = csv->buf + csv->start;
    const char *q = p, *s = NULL, *line_end, *next;
    struct scan st;
    int r = GO_ON;

    st.e = csv->buf + csv->end;
    st.f = p;
    st.qclose = NULL;
    st.skip = p;
    st.eof = csv->eof;
    st.in_quotes = false;
    st.esc = false;
    st.any_quote = false;
    st.n = 0;
    st.fields = rec->fields;
    if (p == st.e) {
        if (!csv->eof)
            return NEED_MORE;
        csv->done = true;
        return 0;
    }
#ifdef __SSE2__
    {
        const __m128i comma = _mm_set1_epi8(',');
        const __m128i newline = _mm_set1_epi8('\n');
        const __m128i quote = _mm_set1_epi8('"');
        for (; st.e - q >= 16; q += 16) {
            __m128i v = _mm_loadu_si128((const __m128i *)(const void *)q);
            unsigned mask = (unsigned)_mm_movemask_epi8(
                _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, comma),
                                          _mm_cmpeq_epi8(v, newline)),
                             _mm_cmpeq_epi8(v, quote)));
            while (mask) {
                s = q + __builtin_ctz(mask);
                mask &= mask - 1;
                r = on_byte(&st, s);
                if (r != GO_ON)
                    goto scanned;
            }
        }
    }
#endif
    for (; q < st.e; q++) {
        if (*q != ',' && *q != '\n' && *q != '"')
            continue;
        s = q;
        r = on_byte(&st, s);
        if (r != GO_ON)
            goto scanned;
    }

scanned:
    switch (r) {
    case MORE:
        return NEED_MORE;
    case AT_END:
        line_end = s > p && s[-1] == '\r' ? s - 1 : s;
        next = s + 1;
        break;
    case BROKEN: {
        /* The record ends at the next line end. */
        const char *nl = memchr(st.bad_at, '\n', (size_t)(st.e - st.bad_at));
        int column = st.n + 1;
        if (!nl && !csv->eof)
            return NEED_MORE;
        next = nl ? nl + 1 : st.e;
        line_end = nl ? nl : st.e;
        if (line_end > p && line_end[-1] == '\r')
            line_end--;
        finish(csv, rec, p, line_end, next, st.any_quote);
        rec->count = 0;
        return record_error(csv, err, rec->line, column, "broken quoting: %s",
                            st.problem);
    }
    default: /* out of bytes in the middle of the record */
        if (!csv->eof)
            return NEED_MORE;
        if (st.in_quotes) {
            finish(csv, rec, p, st.e, st.e, true);
            rec->count = 0;
            csv->done = true;
            return record_error(csv, err, rec->line, st.n + 1,
                                "end of file inside a quoted field");
        }
        line_end = st.e > p && st.e[-1] == '\r' ? st.e - 1 : st.e;
        end_field(&st, st.e > st.f && st.e[-1] == '\r' ? st.e - 1 : st.e);
        next = st.e;
        break;
    }
    if (line_end == p && next == st.e) {
        /* A blank line: when it is the last one, it is not a record;
         * whether it is needs the next bytes. */
        if (!csv->eof)
            return NEED_MORE;
        csv->start = csv->end;
        csv->done = true;
        return 0;
    }
    finish(csv, rec, p, line_end, next, st.any_quote);
    rec->count = st.n;
    if (st.n > HD_CSV_MAX_FIELDS)
        /* count says how many there are, so that the caller can tell a
         * field count from a syntax error. */
        return record_error(csv, err, rec->line, HD_CSV_MAX_FIELDS + 1,
                            "more than %d fields", HD_CSV_MAX_FIELDS);
    if (rec->raw.len > HD_CSV_MAX_RECORD) {
        rec->count = 0;
        return record_error(csv, err, rec->line, 0,
                            "record longer than %d bytes", HD_CSV_MAX_RECORD);
    }
    if (st.any_quote && unescape(csv, rec, st.escaped, err))
        return HD_ENOMEM;
    return 1;
}

/*
 * The fast path, for a record whose line holds no quote: one scan finds
 * the commas and the line end, 16 bytes at a time where SSE2 is there.
 * Returns 1 with a record, HD_EDATA (too many fields, too long), 0 at the
 * end, HAS_QUOTE when the line holds a quote (the caller then runs the state
 * machine from the record start), NEED_MORE when the line end is not yet
 * in the buffer.
 */
static int parse_plain(hd_csv *csv, hd_csv_record *rec, hd_error *err)
{
    const char *p = csv->buf + csv->start;
    const char *e = csv->buf + csv->end;
    const char *f = p, *q = p, *nl, *line_end, *next;
    int n = 0;

    if (p == e) {
        if (!csv->eof)
            return NEED_MORE;
        csv->done = true;
        return 0;
    }

/* A comma at `s` ends a field; past the limit, fields are only counted. */
#define COMMA(s)                                                               \
    do {                                                                       \
        if (n < HD_CSV_MAX_FIELDS)                                             \
            rec->fields[n] = (hd_str){f, (size_t)((s)-f)};                     \
        n++;                                                                   \
        f = (s) + 1;                                                           \
    } while (0)

#ifdef __SSE2__
    {
        const __m128i comma = _mm_set1_epi8(',');
        const __m128i newline = _mm_set1_epi8('\n');
        const __m128i quote = _mm_set1_epi8('"');
        for (; e - q >= 16; q += 16) {
            __m128i v = _mm_loadu_si128((const __m128i *)(const void *)q);
            unsigned mask = (unsigned)_mm_movemask_epi8(
                _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, comma),
                                          _mm_cmpeq_epi8(v, newline)),
                             _mm_cmpeq_epi8(v, quote)));
            while (mask) {
                const char *s = q + __builtin_ctz(mask);
                mask &= mask - 1;
                if (*s == ',') {
                    COMMA(s);
                    continue;
                }
                if (*s == '"')
                    return HAS_QUOTE;
                nl = s;
                goto line_found;
            }
        }
    }
#endif
    for (; q < e; q++) {
        if (*q == ',') {
            COMMA(q);
            continue;
        }
        if (*q == '"')
            return HAS_QUOTE;
        if (*q == '\n') {
            nl = q;
            goto line_found;
        }
    }
    /* No line end in the buffer: the last line, or more bytes to come. */
    if (!csv->eof)
        return NEED_MORE;
    line_end = e;
    next = e;
    goto record;

line_found:
    line_end = nl;
    next = nl + 1;

record:
#undef COMMA
    if (line_end > f && line_end[-1] == '\r')
        line_end--;
    if (line_end == p && next == e) {
        /* A blank line: when it is the last one, it is not a record;
         * whether it is needs the next bytes. */
        if (!csv->eof)
            return NEED_MORE;
        csv->start = csv->end;
        csv->done = true;
        return 0;
    }
    finish(csv, rec, p, line_end, next, false);
    if (n < HD_CSV_MAX_FIELDS)
        rec->fields[n] = (hd_str){f, (size_t)(line_end - f)};
    rec->count = ++n;
    if (n > HD_CSV_MAX_FIELDS)
        /* count says how many there are, so that the caller can tell a
         * field count from a syntax error. */
        return record_error(csv, err, rec->line, HD_CSV_MAX_FIELDS + 1,
                            "more than %d fields", HD_CSV_MAX_FIELDS);
    if (rec->raw.len > HD_CSV_MAX_RECORD) {
        rec->count = 0;
        return record_error(csv, err, rec->line, 0,
                            "record longer than %d bytes", HD_CSV_MAX_RECORD);
    }
    return 1;
}

int hd_csv_next(hd_csv *csv, hd_csv_record *rec, hd_error *err)
{
    int rc;

    if (csv->done)
        return 0;
    if (csv->skip_line) {
        rc = skip_line(csv, err);
        if (rc < 0)
            return rc;
        if (csv->done)
            return 0;
    }
    if (!csv->bom_checked) {
        while (csv->end - csv->start < 3 && !csv->eof) {
            rc = refill(csv, err);
            if (rc < 0)
                return rc;
        }
        if (csv->end - csv->start >= 3 &&
            memcmp(csv->buf + csv->start, "\xEF\xBB\xBF", 3) == 0)
            csv->start += 3;
        csv->bom_checked = true;
    }
    for (;;) {
        rc = parse_plain(csv, rec, err);
        if (rc == HAS_QUOTE)
            rc = parse_record(csv, rec, err);
        if (rc != NEED_MORE)
            return rc;
        rc = refill(csv, err);
        if (rc == TOO_LONG)
            return too_long(csv, rec, err);
        if (rc < 0)
            return rc;
    }
}

/* Quote only when the value needs it, so that plain values stay plain. */
int hd_csv_append_field(hd_buf *buf, const char *s, size_t len)
{
    const char *q;

    if (len == 0)
        return hd_buf_error(buf);
    if (!memchr(s, ',', len) && !memchr(s, '"', len) && !memchr(s, '\n', len) &&
        !memchr(s, '\r', len))
        return hd_buf_append(buf, s, len);
    hd_buf_putc(buf, '"');
    while ((q = memchr(s, '"', len)) != NULL) {
        size_t n = (size_t)(q + 1 - s);
        hd_buf_append(buf, s, n); /* up to and with the quote */
        hd_buf_putc(buf, '"');    /* its twin */
        s += n;
        len -= n;
    }
    hd_buf_append(buf, s, len);
    return hd_buf_putc(buf, '"');
}
