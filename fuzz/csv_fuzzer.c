/*
 * Fuzz target for the CSV reader and the feed reader on arbitrary bytes.
 *
 * The input is read twice, with the default 1 MiB buffer and with a tiny
 * one, and both readings must give the same records, lines and errors: a
 * record that crosses a buffer end must not change. Then it is read as a
 * tax_income and as a hukou file; every valid row must format back into
 * text that parses again to the same values.
 */
#include <hedui/feed.h>

/* The reader's test hook for its buffer size: a fuzz target of the
 * module's own parser may use the module's internals. */
#include "../src/feed/feed_int.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Hash of everything one reading returns. */
static void read_csv(const uint8_t *data, size_t size, size_t chunk,
                     char hex[HD_SHA256_HEX_LEN + 1])
{
    hd_sha256 sha;
    hd_csv *csv;
    hd_csv_record rec;
    hd_error err;
    int64_t last_line = 0;
    int rc;

    hd_sha256_init(&sha);
    if (hd_csv_open_mem(&csv, "fuzz.csv", data, size, NULL) != 0)
        abort();
    if (chunk)
        hd__csv_set_chunk(csv, chunk);
    while ((rc = hd_csv_next(csv, &rec, &err)) != 0) {
        if (rc != 1 && rc != HD_EDATA)
            abort();
        /* Records start on later and later lines. */
        if (rec.line <= last_line)
            abort();
        last_line = rec.line;
        if (rec.raw.len > size)
            abort();
        hd_sha256_update(&sha, &rc, sizeof(rc));
        hd_sha256_update(&sha, &rec.line, sizeof(rec.line));
        hd_sha256_update(&sha, &rec.count, sizeof(rec.count));
        hd_sha256_update(&sha, rec.raw.ptr, rec.raw.len);
        if (rc == HD_EDATA) {
            if (err.line != rec.line)
                abort();
            hd_sha256_update(&sha, err.msg, strlen(err.msg));
            continue;
        }
        if (rec.count < 1 || rec.count > HD_CSV_MAX_FIELDS)
            abort();
        for (int i = 0; i < rec.count; i++) {
            hd_sha256_update(&sha, &rec.fields[i].len,
                             sizeof(rec.fields[i].len));
            hd_sha256_update(&sha, rec.fields[i].ptr, rec.fields[i].len);
        }
    }
    hd_sha256_final_hex(&sha, hex);
    /* The file's hash covers every byte, however it was buffered. */
    {
        char file_hex[HD_SHA256_HEX_LEN + 1], want[HD_SHA256_HEX_LEN + 1];
        hd_sha256 whole;
        hd_csv_sha256(csv, file_hex);
        hd_sha256_init(&whole);
        hd_sha256_update(&whole, data, size);
        hd_sha256_final_hex(&whole, want);
        if (strcmp(file_hex, want) != 0)
            abort();
    }
    hd_csv_free(csv);
}

/* A valid row formats back into fields that parse to the same values. */
static void check_round_trip(const hd_feed *feed, const hd_row *row)
{
    hd_buf text[HD_FEED_MAX_COLUMNS];
    hd_str fields[HD_FEED_MAX_COLUMNS];
    hd_row again;
    hd_bad_row bad;

    for (int c = 0; c < feed->column_count; c++) {
        hd_buf_init(&text[c], 4096);
        if (hd_value_format(&text[c], &feed->columns[c], &row->values[c]))
            abort();
        fields[c] = (hd_str){text[c].ptr, text[c].len};
    }
    if (hd_row_parse(&again, feed, fields, &bad) != 0)
        abort();
    for (int c = 0; c < feed->column_count; c++) {
        const hd_value *a = &row->values[c], *b = &again.values[c];
        if (a->is_null != b->is_null || a->num != b->num || a->len != b->len ||
            (a->len && memcmp(a->text, b->text, a->len) != 0))
            abort();
        hd_buf_release(&text[c]);
    }
}

static void read_feed(const char *name, const uint8_t *data, size_t size,
                      size_t chunk)
{
    const hd_feed *feed = hd_feed_find(name);
    hd_feed_reader *r;
    hd_reject why;
    hd_error err;
    hd_row row;
    hd_bad_row bad;
    int64_t rows = 0;
    int rc;

    rc = hd__feed_reader_open_mem_chunk(&r, feed, "fuzz.csv", data, size, chunk,
                                        &why, &err);
    if (rc) {
        if (rc != HD_EDATA || why != HD_REJECT_HEADER)
            abort();
        return;
    }
    while ((rc = hd_feed_reader_next(r, &row, &bad, &err)) > 0) {
        rows++;
        if (rc == 1) {
            check_round_trip(feed, &row);
            continue;
        }
        if (rc != 2 || bad.reason == HD_REJECT_NONE ||
            hd_reject_is_delivery(bad.reason) || bad.line < 2 ||
            bad.column < 0 || bad.detail[0] == '\0')
            abort();
    }
    if (rc != 0 || rows != hd_feed_reader_rows(r))
        abort();
    hd_feed_reader_free(r);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char a[HD_SHA256_HEX_LEN + 1], b[HD_SHA256_HEX_LEN + 1];
    size_t chunk = 1 + size % 13;

    read_csv(data, size, 0, a);
    read_csv(data, size, chunk, b);
    if (strcmp(a, b) != 0)
        abort();
    read_feed("tax_income", data, size, 0);
    read_feed("hukou", data, size, chunk);
    return 0;
}
