/*
 * hedui feed: the data standard of spec feeds.md as one table, and what it
 * drives: the CSV reader, row validation and delivery manifests.
 *
 * The table (hd_feeds) is the single description of every feed: columns,
 * types, nullability, keys and code lists. The CSV validation, the store's
 * record encoding, the generator and docs/data-standard.md all read it.
 * Adding a feed or a column is one edit in src/feed/feed_table.c.
 *
 * The table is immutable and every function here is reentrant; a CSV
 * reader or a feed reader belongs to one thread at a time.
 */
#ifndef HEDUI_FEED_H
#define HEDUI_FEED_H

#include <hedui/base.h>

/* ------------------------------------------------------------ the table */

typedef enum hd_type {
    HD_TYPE_PID,    /* citizen ID, stored as its 18-character form */
    HD_TYPE_USCC,   /* unified social credit code */
    HD_TYPE_REGION, /* 6-digit division code */
    HD_TYPE_DATE,   /* YYYY-MM-DD, kept as days since 1970-01-01 */
    HD_TYPE_PERIOD, /* YYYY-MM, kept as year * 12 + month - 1 */
    HD_TYPE_MONEY,  /* decimal yuan, kept as fen */
    HD_TYPE_AREA,   /* decimal m², kept as hundredths of m² */
    HD_TYPE_PCT,    /* integer 0-100 */
    HD_TYPE_CODE,   /* one of the column's codes, kept as its index */
    HD_TYPE_TEXT    /* UTF-8, at most HD_TEXT_MAX_CHARS code points */
} hd_type;

#define HD_TEXT_MAX_CHARS 200
#define HD_FEED_MAX_COLUMNS 12

/* One code of a code list: its value and what it means. */
typedef struct hd_code_def {
    const char *code;
    const char *meaning;
} hd_code_def;

typedef struct hd_column {
    const char *name;
    hd_type type;
    bool nullable; /* an empty field is allowed (null) */
    bool key;      /* part of the feed key (pid is always first) */
    const hd_code_def
        *codes;      /* HD_TYPE_CODE: the list, ended by {NULL, NULL} */
    const char *doc; /* the meaning, as feeds.md gives it */
} hd_column;

typedef struct hd_row hd_row;
typedef struct hd_feed hd_feed;

/*
 * A rule across columns of one row that the column types alone cannot say
 * (sex agrees with the pid, total = fund_paid + self_paid, ...). Returns 0
 * or HD_EDATA with err naming the column and the rule.
 */
typedef int (*hd_row_check_fn)(const hd_feed *feed, const hd_row *row,
                               hd_error *err);

struct hd_feed {
    const char *name;       /* "tax_income" */
    const char *department; /* the manifest's department: "tax" */
    const char *title;      /* what the feed holds, in English */
    uint8_t id;             /* stable number used in store keys; never
                               reuse or renumber */
    const hd_column *columns;
    int column_count;
    hd_row_check_fn check; /* may be NULL */
    const char *check_doc; /* the cross-column rules in words, or NULL */
};

extern const hd_feed hd_feeds[];
extern const int hd_feed_count;

/* Find a feed by name; NULL when there is none. */
const hd_feed *hd_feed_find(const char *name);
const hd_feed *hd_feed_find_n(const char *name, size_t len);
/* Find a feed by its store id; NULL when there is none. */
const hd_feed *hd_feed_by_id(uint8_t id);
/* Index of a column by name, or -1. */
int hd_feed_column(const hd_feed *feed, const char *name);
/* Index of a code in a code column's list, or -1. */
int hd_column_code_index(const hd_column *column, const char *s, size_t len);
/* Name of a type as feeds.md writes it ("pid", "money", ...). */
const char *hd_type_name(hd_type type);

/* ------------------------------------------------------------ row values */

/*
 * A value of one column of one parsed row. Numbers (money, area, pct,
 * date, period, code index) are in `num`; text-like values (pid, uscc,
 * region, text, and the code itself) are in `text`/`len`, borrowed from
 * the row's storage. A pid's text is always its normalised 18-character
 * form.
 */
typedef struct hd_value {
    bool is_null;
    int64_t num;
    const char *text;
    uint32_t len;
} hd_value;

/*
 * A parsed, validated row: values in the feed's column order. Text values
 * borrow either the fields the row was parsed from (for a feed reader's
 * row: valid until its next call) or the row's own storage (a pid whose
 * normalised form differs from its input), or the feed table (codes). So
 * a row must not be copied by value and used after the copy's source is
 * gone: copy the texts out instead.
 */
struct hd_row {
    const hd_feed *feed;
    hd_value values[HD_FEED_MAX_COLUMNS];
    char storage[64]; /* room for 3 normalised pids (15 -> 18 characters,
                         x -> X) of 19 bytes each */
};

/* ------------------------------------------------------- reject reasons */

/*
 * Why a row is quarantined or a delivery rejected. The names (hd_reject_
 * name) are stable: they appear in reports, JSON and the quarantine.
 */
typedef enum hd_reject {
    HD_REJECT_NONE = 0,
    /* row level: the row goes to quarantine */
    HD_REJECT_FIELD_COUNT, /* more or fewer fields than the header */
    HD_REJECT_NULL,        /* empty field in a required column */
    HD_REJECT_PID,         /* not a valid citizen ID */
    HD_REJECT_USCC,        /* not a valid unified social credit code */
    HD_REJECT_REGION,      /* not a 6-digit division code */
    HD_REJECT_DATE,        /* not a calendar date YYYY-MM-DD */
    HD_REJECT_PERIOD,      /* not a calendar month YYYY-MM */
    HD_REJECT_MONEY,       /* not decimal yuan with at most 2 places */
    HD_REJECT_AREA,        /* not decimal m² with at most 2 places */
    HD_REJECT_PCT,         /* not an integer 0-100 */
    HD_REJECT_CODE,        /* not one of the column's codes */
    HD_REJECT_TEXT,        /* not UTF-8, or longer than 200 characters */
    HD_REJECT_CROSS_FIELD, /* breaks a rule across columns of the row */
    HD_REJECT_CSV_SYNTAX,  /* broken quoting */
    /* delivery level: the whole delivery is rejected */
    HD_REJECT_MANIFEST,      /* manifest missing, not JSON, wrong fields */
    HD_REJECT_STANDARD,      /* standard is not hedui-feeds/1 */
    HD_REJECT_UNKNOWN_FEED,  /* a feed feeds.md does not define */
    HD_REJECT_DEPARTMENT,    /* a feed the department does not deliver */
    HD_REJECT_MISSING_FILE,  /* a listed file is not there */
    HD_REJECT_ROW_COUNT,     /* the file's rows differ from the manifest */
    HD_REJECT_CHECKSUM,      /* the file's sha256 differs from the manifest */
    HD_REJECT_HEADER,        /* a required column missing, or repeated */
    HD_REJECT_BAD_ROW_SHARE, /* bad rows above the configured share */
    HD_REJECT_COUNT_
} hd_reject;

const char *hd_reject_name(hd_reject reason);
/* true for reasons that reject a whole delivery */
bool hd_reject_is_delivery(hd_reject reason);

/* -------------------------------------------------------------- manifest */

#define HD_MANIFEST_MAX_FILES 16
#define HD_DELIVERY_ID_MAX 128

typedef struct hd_manifest_file {
    const hd_feed *feed;
    char file[256]; /* a plain file name inside the delivery folder */
    int64_t rows;   /* data rows, header excluded */
    char sha256[HD_SHA256_HEX_LEN + 1];
} hd_manifest_file;

typedef struct hd_manifest {
    char department[32];
    char delivery_id[HD_DELIVERY_ID_MAX];
    int32_t as_of;
    bool snapshot; /* mode "snapshot"; false for "delta" */
    int file_count;
    hd_manifest_file files[HD_MANIFEST_MAX_FILES];
} hd_manifest;

/*
 * Parse and check a manifest.json (spec feeds.md, Delivery): the standard
 * is hedui-feeds/1, every member present and well-typed, every feed known
 * and delivered by the department, file names plain and distinct. On
 * failure returns HD_EDATA, sets *reason (HD_REJECT_MANIFEST, _STANDARD,
 * _UNKNOWN_FEED or _DEPARTMENT) and err names the member and the rule.
 */
int hd_manifest_parse(hd_manifest *out, const char *json, size_t len,
                      hd_reject *reason, hd_error *err);
/* Read DIR/manifest.json and parse it as above (a missing or unreadable
 * file is HD_REJECT_MANIFEST). */
int hd_manifest_read(hd_manifest *out, const char *dir, hd_reject *reason,
                     hd_error *err);

/* ------------------------------------------------------------ CSV reader */

/*
 * The RFC 4180 reader of spec feeds.md: comma, '"' quoting with '""',
 * quoted fields holding commas and line breaks, LF or CRLF, a leading BOM
 * skipped. Streaming: memory is bounded by the longest record, never the
 * file. It also hashes every byte it reads (SHA-256), so that one pass
 * both parses a file and checks it against its manifest.
 */
typedef struct hd_csv hd_csv;

#define HD_CSV_MAX_FIELDS 64
#define HD_CSV_MAX_RECORD (1 << 20) /* a longer record is a syntax error */

typedef struct hd_csv_record {
    int64_t line; /* line on which the record starts (header is line 1) */
    int count;    /* fields in the record; after HD_EDATA, 0 for broken
                     quoting, or the number of fields (more than
                     HD_CSV_MAX_FIELDS, only the first of which are in
                     `fields`) */
    hd_str fields[HD_CSV_MAX_FIELDS]; /* unquoted values, borrowed until
                                         the next call */
    hd_str raw; /* the record's bytes as read, without the line end */
} hd_csv_record;

/* Read from a file, or from memory (`data` borrowed for the reader's
 * life). `name` is used in error messages. */
int hd_csv_open(hd_csv **out, const char *path, hd_error *err);
int hd_csv_open_mem(hd_csv **out, const char *name, const void *data,
                    size_t len, hd_error *err);
void hd_csv_free(hd_csv *csv);

/*
 * Read the next record into *rec. Returns 1 with a record, 0 at the end,
 * HD_EDATA for a record with broken quoting, more than
 * HD_CSV_MAX_FIELDS fields or more than HD_CSV_MAX_RECORD bytes (err has
 * the line, the 1-based field number where known, and the rule; rec->line
 * and rec->raw say which record; the reader resumes at the next line end,
 * or ends after an end of file inside quotes, so the caller can quarantine
 * it and go on), HD_EIO when the file cannot be read, HD_ENOMEM. A blank
 * last line is not a record; a blank line before others is a record of one
 * empty field.
 */
int hd_csv_next(hd_csv *csv, hd_csv_record *rec, hd_error *err);
/* The SHA-256 of every byte read so far (all of them at the end). */
void hd_csv_sha256(hd_csv *csv, char hex[HD_SHA256_HEX_LEN + 1]);

/* Append one field in CSV form: as it is, or quoted (with "" for each
 * quote) when it holds a comma, a quote or a line break. Returns the
 * buffer's sticky error. */
int hd_csv_append_field(hd_buf *buf, const char *s, size_t len);

/* ------------------------------------------------------- feed file reader */

/* Why one row was not loaded. */
typedef struct hd_bad_row {
    hd_reject reason;
    int64_t line;
    int column;        /* 1-based field number in the file; 0 for the row */
    const char *field; /* column name, or NULL */
    char detail[256];  /* the rule, in words */
    hd_str raw;        /* the record's bytes, borrowed until the next call */
} hd_bad_row;

/*
 * Reads one feed's CSV file: maps the header to the feed's columns (any
 * order, unknown columns ignored, a missing nullable column read as null
 * in every row), then parses and validates each record into a row.
 * Opening fails with HD_EDATA and HD_REJECT_HEADER in *reason (may be
 * NULL) when the file is empty or its header has broken quoting, when a
 * required column is missing or a column is repeated; err names the file
 * and the column. Other failures (HD_EIO, HD_ENOMEM) leave *reason
 * HD_REJECT_NONE.
 */
typedef struct hd_feed_reader hd_feed_reader;

int hd_feed_reader_open(hd_feed_reader **out, const hd_feed *feed,
                        const char *path, hd_reject *reason, hd_error *err);
int hd_feed_reader_open_mem(hd_feed_reader **out, const hd_feed *feed,
                            const char *name, const void *data, size_t len,
                            hd_reject *reason, hd_error *err);
void hd_feed_reader_free(hd_feed_reader *r);
/*
 * Next row: 1 with a valid row in *row, 2 with a bad row described in
 * *bad, 0 at the end, HD_EIO on a read error (HD_ENOMEM when out of
 * memory). The row's texts and bad->raw are borrowed until the next call.
 * bad->column is the 1-based field number in the file (0 for the whole row
 * or a column the file lacks); bad->field is the column's name (static).
 * Reasons: field_count, csv_syntax, or those of hd_row_parse.
 */
int hd_feed_reader_next(hd_feed_reader *r, hd_row *row, hd_bad_row *bad,
                        hd_error *err);
/* Data records read so far (good and bad). */
int64_t hd_feed_reader_rows(const hd_feed_reader *r);
void hd_feed_reader_sha256(hd_feed_reader *r, char hex[HD_SHA256_HEX_LEN + 1]);

/*
 * Validate one record's fields, already mapped to the feed's column order
 * (`fields[i]` is column i; a NULL ptr with len 0 is an empty field), into
 * `row`. Returns 0, or HD_EDATA with *bad's reason, column index (0-based
 * feed column, in bad->column; -1 when a rule names no column), field and
 * detail filled (bad->line is 0 and bad->raw empty: the caller knows
 * them). Used by the reader and by anything else that builds rows (tests,
 * the generator's checks).
 */
int hd_row_parse(hd_row *row, const hd_feed *feed, const hd_str *fields,
                 hd_bad_row *bad);

/* Write a value in its text form (the inverse of parsing; nothing for a
 * null) to `buf`, unquoted: see hd_csv_append_field. Returns the buffer's
 * sticky error. */
int hd_value_format(hd_buf *buf, const hd_column *column,
                    const hd_value *value);

/* ------------------------------------------------------- the standard doc */

/*
 * Render the whole data standard from the table as Markdown (departments,
 * feeds, columns with type, nullability, key and code lists, rules across
 * columns, value types, reject reasons): docs/data-standard.md. Returns
 * the buffer's sticky error. Deterministic: the same table gives the same
 * bytes.
 */
int hd_feed_doc_markdown(hd_buf *out);

#endif
