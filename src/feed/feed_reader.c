/*
 * One feed's CSV file: the header maps file fields to the feed's columns,
 * then every record becomes either a validated row or a bad row that says
 * where and why. Only a broken header rejects the file; everything after
 * it is judged row by row (spec feeds.md, Files).
 */
#include "feed/feed_int.h"

#include <stdio.h>
#include <string.h>

struct hd_feed_reader {
    const hd_feed *feed;
    hd_csv *csv;
    int header_count;
    /* The file field of each feed column, or -1 when the file lacks it
     * (only a nullable column may be missing: it reads as null). */
    int pos[HD_FEED_MAX_COLUMNS];
    /* The feed column of each file field, or -1 for an unknown one. */
    int column_of[HD_CSV_MAX_FIELDS];
    int64_t rows;
    hd__row_memo memo;
    hd_csv_record rec;
    char name[HD_ERROR_FILE_MAX];
};

static int header_error(hd_feed_reader *r, hd_reject *reason, hd_error *err,
                        int column, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));

static int header_error(hd_feed_reader *r, hd_reject *reason, hd_error *err,
                        int column, const char *field, const char *fmt, ...)
{
    va_list ap;

    hd_error_clear(err);
    va_start(ap, fmt);
    hd_error_setv(err, HD_EDATA, fmt, ap);
    va_end(ap);
    hd_error_at(err, r->name, 1, column, field);
    if (reason)
        *reason = HD_REJECT_HEADER;
    return HD_EDATA;
}

/* Read the header and map its fields to the feed's columns. */
static int read_header(hd_feed_reader *r, hd_reject *reason, hd_error *err)
{
    const hd_feed *feed = r->feed;
    hd_error e;
    int rc;

    hd_error_clear(&e);
    rc = hd_csv_next(r->csv, &r->rec, &e);
    if (rc == 0)
        return header_error(r, reason, err, 0, NULL,
                            "no header line: the file is empty");
    if (rc == HD_EDATA)
        return header_error(r, reason, err, e.column, NULL, "header: %s",
                            e.msg);
    if (rc < 0) {
        if (err)
            *err = e;
        return rc;
    }
    for (int c = 0; c < feed->column_count; c++)
        r->pos[c] = -1;
    r->header_count = r->rec.count;
    for (int i = 0; i < r->rec.count; i++) {
        hd_str h = r->rec.fields[i];
        int c;
        for (c = 0; c < feed->column_count; c++)
            if (hd_str_eq_cstr(h, feed->columns[c].name))
                break;
        if (c == feed->column_count) {
            r->column_of[i] = -1; /* unknown: ignored */
            continue;
        }
        if (r->pos[c] >= 0)
            return header_error(r, reason, err, i + 1, feed->columns[c].name,
                                "column %s repeated (fields %d and %d)",
                                feed->columns[c].name, r->pos[c] + 1, i + 1);
        r->pos[c] = i;
        r->column_of[i] = c;
    }
    for (int c = 0; c < feed->column_count; c++)
        if (r->pos[c] < 0 && !feed->columns[c].nullable)
            return header_error(r, reason, err, 0, feed->columns[c].name,
                                "required column %s missing from the header "
                                "of feed %s",
                                feed->columns[c].name, feed->name);
    return 0;
}

static int reader_open(hd_feed_reader **out, const hd_feed *feed,
                       const char *name, hd_csv *csv, hd_reject *reason,
                       hd_error *err)
{
    hd_feed_reader *r = hd_calloc(1, sizeof(*r));
    size_t n = strlen(name);
    int rc;

    if (!r) {
        hd_csv_free(csv);
        return hd_error_set(err, HD_ENOMEM, "out of memory");
    }
    r->feed = feed;
    r->csv = csv;
    if (n >= sizeof(r->name))
        n = sizeof(r->name) - 1;
    memcpy(r->name, name, n);
    r->name[n] = '\0';
    rc = read_header(r, reason, err);
    if (rc) {
        hd_feed_reader_free(r);
        return rc;
    }
    *out = r;
    return 0;
}

int hd_feed_reader_open(hd_feed_reader **out, const hd_feed *feed,
                        const char *path, hd_reject *reason, hd_error *err)
{
    hd_csv *csv;
    int rc;

    *out = NULL;
    if (reason)
        *reason = HD_REJECT_NONE;
    rc = hd_csv_open(&csv, path, err);
    if (rc)
        return rc;
    return reader_open(out, feed, path, csv, reason, err);
}

int hd__feed_reader_open_mem_chunk(hd_feed_reader **out, const hd_feed *feed,
                                   const char *name, const void *data,
                                   size_t len, size_t chunk, hd_reject *reason,
                                   hd_error *err)
{
    hd_csv *csv;
    int rc;

    *out = NULL;
    if (reason)
        *reason = HD_REJECT_NONE;
    rc = hd_csv_open_mem(&csv, name, data, len, err);
    if (rc)
        return rc;
    if (chunk)
        hd__csv_set_chunk(csv, chunk);
    return reader_open(out, feed, name, csv, reason, err);
}

int hd_feed_reader_open_mem(hd_feed_reader **out, const hd_feed *feed,
                            const char *name, const void *data, size_t len,
                            hd_reject *reason, hd_error *err)
{
    return hd__feed_reader_open_mem_chunk(out, feed, name, data, len, 0, reason,
                                          err);
}

void hd_feed_reader_free(hd_feed_reader *r)
{
    if (!r)
        return;
    hd_csv_free(r->csv);
    hd_free(r);
}

static void set_bad(hd_bad_row *bad, hd_reject reason, const hd_csv_record *rec,
                    int column, const char *field, const char *detail)
{
    size_t n = strlen(detail);

    bad->reason = reason;
    bad->line = rec->line;
    bad->column = column;
    bad->field = field;
    if (n >= sizeof(bad->detail))
        n = sizeof(bad->detail) - 1;
    memcpy(bad->detail, detail, n);
    bad->detail[n] = '\0';
    bad->raw = rec->raw;
}

int hd_feed_reader_next(hd_feed_reader *r, hd_row *row, hd_bad_row *bad,
                        hd_error *err)
{
    const hd_feed *feed = r->feed;
    hd_csv_record *rec = &r->rec;
    hd_str fields[HD_FEED_MAX_COLUMNS];
    hd_error e;
    int rc;

    hd_error_clear(&e);
    rc = hd_csv_next(r->csv, rec, &e);
    if (rc == 0)
        return 0;
    if (rc < 0 && rc != HD_EDATA) {
        if (err)
            *err = e;
        return rc;
    }
    r->rows++;
    if (rc == HD_EDATA && rec->count <= HD_CSV_MAX_FIELDS) {
        int c = e.column >= 1 && e.column <= r->header_count
                    ? r->column_of[e.column - 1]
                    : -1;
        set_bad(bad, HD_REJECT_CSV_SYNTAX, rec, e.column,
                c >= 0 ? feed->columns[c].name : NULL, e.msg);
        return 2;
    }
    if (rec->count != r->header_count) {
        char detail[80];
        snprintf(detail, sizeof(detail), "%d fields, the header has %d",
                 rec->count, r->header_count);
        set_bad(bad, HD_REJECT_FIELD_COUNT, rec, 0, NULL, detail);
        return 2;
    }
    for (int c = 0; c < feed->column_count; c++)
        fields[c] = r->pos[c] >= 0 ? rec->fields[r->pos[c]] : (hd_str){NULL, 0};
    if (hd__row_parse_memo(row, feed, fields, bad, &r->memo)) {
        int c = bad->column;
        /* From the feed's column order to the file's field number. */
        bad->column = c >= 0 && r->pos[c] >= 0 ? r->pos[c] + 1 : 0;
        bad->line = rec->line;
        bad->raw = rec->raw;
        return 2;
    }
    return 1;
}

int64_t hd_feed_reader_rows(const hd_feed_reader *r)
{
    return r->rows;
}

void hd_feed_reader_sha256(hd_feed_reader *r, char hex[HD_SHA256_HEX_LEN + 1])
{
    hd_csv_sha256(r->csv, hex);
}
