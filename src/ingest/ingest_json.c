/*
 * The ingest log as JSON: the report of `hedui ingest --json`, and the
 * pending blob that carries the case store's part of a delivery inside the
 * feed store's commit.
 */
#include "ingest/ingest_int.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static json_t *reasons_to_json(const int64_t *counts)
{
    json_t *obj = json_object();
    for (int r = 1; obj && r < HD_REJECT_COUNT_; r++)
        if (counts[r])
            json_object_set_new(obj, hd_reject_name((hd_reject)r),
                                json_integer(counts[r]));
    return obj;
}

json_t *hd__ingest_log_to_json(const hd_ingest_log *log)
{
    char as_of[HD_DATE_TEXT_MAX];
    json_t *obj = json_object(), *feeds = json_array();

    if (!obj || !feeds) {
        json_decref(obj);
        json_decref(feeds);
        return NULL;
    }
    json_object_set_new(obj, "delivery", json_string(log->delivery_id));
    json_object_set_new(obj, "department", json_string(log->department));
    json_object_set_new(obj, "path", json_string(log->path));
    json_object_set_new(obj, "as_of",
                        log->as_of
                            ? json_string(hd_date_format(as_of, log->as_of))
                            : json_null());
    json_object_set_new(obj, "mode",
                        json_string(log->snapshot ? "snapshot" : "delta"));
    json_object_set_new(obj, "accepted", json_boolean(log->accepted));
    if (!log->accepted) {
        json_object_set_new(obj, "reason",
                            json_string(hd_reject_name(log->reject_reason)));
        json_object_set_new(obj, "detail", json_string(log->reject_detail));
    }
    json_object_set_new(obj, "seq", json_integer(log->seq));
    json_object_set_new(obj, "loaded_at", json_integer(log->loaded_at));
    for (int i = 0; i < log->feed_count; i++) {
        const hd_ingest_feed_log *f = &log->feeds[i];
        json_t *fo = json_object();
        json_object_set_new(fo, "feed", json_string(f->feed->name));
        json_object_set_new(fo, "rows", json_integer(f->rows_in_file));
        json_object_set_new(fo, "loaded", json_integer(f->rows_loaded));
        json_object_set_new(fo, "quarantined",
                            json_integer(f->rows_quarantined));
        json_object_set_new(fo, "live", json_integer(f->rows_live));
        json_object_set_new(fo, "quarantined_by_reason",
                            reasons_to_json(f->quarantined_by_reason));
        json_array_append_new(feeds, fo);
    }
    json_object_set_new(obj, "feeds", feeds);
    return obj;
}

static const char *text_or_empty(json_t *obj, const char *key)
{
    const char *s = json_string_value(json_object_get(obj, key));
    return s ? s : "";
}

static void get_text(char *dst, size_t dst_len, json_t *obj, const char *key)
{
    const char *s = json_string_value(json_object_get(obj, key));
    snprintf(dst, dst_len, "%s", s ? s : "");
}

static hd_reject reject_by_name(const char *name)
{
    for (int r = 1; name && r < HD_REJECT_COUNT_; r++)
        if (!strcmp(hd_reject_name((hd_reject)r), name))
            return (hd_reject)r;
    return HD_REJECT_NONE;
}

int hd__ingest_log_from_json(hd_ingest_log *out, json_t *obj)
{
    json_t *feeds = json_object_get(obj, "feeds"), *fo;
    const char *as_of = json_string_value(json_object_get(obj, "as_of"));
    size_t i;

    memset(out, 0, sizeof(*out));
    if (!json_is_object(obj) || !json_is_array(feeds) ||
        json_array_size(feeds) > 32)
        return HD_EDATA;
    get_text(out->delivery_id, sizeof(out->delivery_id), obj, "delivery");
    get_text(out->department, sizeof(out->department), obj, "department");
    get_text(out->path, sizeof(out->path), obj, "path");
    if (as_of && hd_date_parse(&out->as_of, as_of, strlen(as_of), NULL))
        return HD_EDATA;
    out->snapshot = !strcmp(text_or_empty(obj, "mode"), "snapshot");
    out->accepted = json_is_true(json_object_get(obj, "accepted"));
    out->reject_reason =
        reject_by_name(json_string_value(json_object_get(obj, "reason")));
    get_text(out->reject_detail, sizeof(out->reject_detail), obj, "detail");
    out->seq = (uint32_t)json_integer_value(json_object_get(obj, "seq"));
    out->loaded_at = json_integer_value(json_object_get(obj, "loaded_at"));
    json_array_foreach(feeds, i, fo)
    {
        hd_ingest_feed_log *f = &out->feeds[i];
        json_t *reasons = json_object_get(fo, "quarantined_by_reason"), *n;
        const char *key;
        f->feed = hd_feed_find(text_or_empty(fo, "feed"));
        if (!f->feed)
            return HD_EDATA;
        f->rows_in_file = json_integer_value(json_object_get(fo, "rows"));
        f->rows_loaded = json_integer_value(json_object_get(fo, "loaded"));
        f->rows_quarantined =
            json_integer_value(json_object_get(fo, "quarantined"));
        f->rows_live = json_integer_value(json_object_get(fo, "live"));
        json_object_foreach(reasons, key, n)
        {
            hd_reject r = reject_by_name(key);
            if (r)
                f->quarantined_by_reason[r] = json_integer_value(n);
        }
        out->feed_count++;
    }
    return 0;
}

int hd_ingest_log_json(hd_buf *out, const hd_ingest_log *log,
                       hd_ingest_outcome outcome)
{
    json_t *obj = hd__ingest_log_to_json(log);
    char *text;
    int rc;

    if (!obj)
        return HD_ENOMEM;
    json_object_set_new(obj, "outcome",
                        json_string(hd_ingest_outcome_name(outcome)));
    text = json_dumps(obj, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    json_decref(obj);
    if (!text)
        return HD_ENOMEM;
    rc = hd_buf_puts(out, text);
    free(text);
    return rc;
}

/* ------------------------------------------------------------ raw rows */

/*
 * A quarantined row is kept byte for byte, and a bad row may well not be
 * UTF-8, which a JSON string cannot hold. Such a row is carried as
 * "raw_hex" (exact) beside a "raw" in which each invalid byte is U+FFFD
 * (readable).
 */
void hd__json_set_raw(json_t *obj, const char *raw, size_t len)
{
    static const char xdigits[] = "0123456789abcdef";
    hd_buf text, hex;

    if (hd_utf8_count(raw, len) >= 0) {
        json_object_set_new(obj, "raw", json_stringn(raw, len));
        return;
    }
    hd_buf_init(&text, 0);
    hd_buf_init(&hex, 0);
    for (size_t i = 0; i < len;) {
        size_t n = 1;
        /* Take the longest valid sequence of up to 4 bytes. */
        for (size_t k = 4; k > 1; k--)
            if (i + k <= len && hd_utf8_count(raw + i, k) == 1) {
                n = k;
                break;
            }
        if (n == 1 && (unsigned char)raw[i] >= 0x80)
            hd_buf_puts(&text, "\xEF\xBF\xBD");
        else
            hd_buf_append(&text, raw + i, n);
        i += n;
    }
    for (size_t i = 0; i < len; i++) {
        hd_buf_putc(&hex, xdigits[(unsigned char)raw[i] >> 4]);
        hd_buf_putc(&hex, xdigits[(unsigned char)raw[i] & 15]);
    }
    json_object_set_new(obj, "raw", json_stringn(text.ptr, text.len));
    json_object_set_new(obj, "raw_hex", json_stringn(hex.ptr, hex.len));
    hd_buf_release(&text);
    hd_buf_release(&hex);
}

static int hex_value(int c)
{
    if (hd_is_digit(c))
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    return -1;
}

const char *hd__json_get_raw(json_t *obj, hd_buf *scratch)
{
    const char *hex = json_string_value(json_object_get(obj, "raw_hex"));
    size_t len;

    if (!hex)
        return text_or_empty(obj, "raw");
    hd_buf_reset(scratch);
    len = strlen(hex);
    for (size_t i = 0; i + 1 < len; i += 2) {
        int hi = hex_value(hex[i]), lo = hex_value(hex[i + 1]);
        if (hi < 0 || lo < 0)
            break;
        hd_buf_putc(scratch, (char)(hi << 4 | lo));
    }
    return hd_buf_error(scratch) ? NULL : scratch->ptr;
}

/* ------------------------------------------------------------ pending */

int hd__pending_encode(hd_buf *out, const hd_ingest_log *log,
                       const hd_quarantine *q)
{
    json_t *obj = json_object(), *rows = json_array();
    json_t *log_obj = hd__ingest_log_to_json(log);
    int rc = 0;

    if (!obj || !rows || !log_obj) {
        json_decref(obj);
        json_decref(rows);
        json_decref(log_obj);
        return HD_ENOMEM;
    }
    json_object_set_new(obj, "log", log_obj);
    for (size_t i = 0; i < q->count; i++) {
        const hd_quarantine_row *r = &q->rows[i];
        json_t *ro = json_pack("{s:s,s:I,s:i,s:s?,s:s,s:s}", "file", r->file,
                               "line", (json_int_t)r->line, "column", r->column,
                               "field", r->field, "reason",
                               hd_reject_name(r->reason), "detail", r->detail);
        if (ro)
            hd__json_set_raw(ro, r->raw, strlen(r->raw));
        if (!ro || json_array_append_new(rows, ro)) {
            rc = HD_ENOMEM;
            break;
        }
    }
    json_object_set_new(obj, "quarantine", rows);
    if (rc == 0) {
        char *text = json_dumps(obj, JSON_COMPACT);
        rc = text ? hd_buf_puts(out, text) : HD_ENOMEM;
        free(text);
    }
    json_decref(obj);
    return rc;
}

/* The sequence number and live row counts are only known once the feed
 * store commits, after the blob was written: take them from the feed
 * store's record of the delivery. */
static int complete_from_feedstore(hd_ingest_log *log, hd_feedstore *fs,
                                   hd_error *err)
{
    hd_fs_delivery d;
    hd_fs_load_stats stats;
    int rc = hd_feedstore_delivery(&d, fs, log->delivery_id, err);
    if (rc == 0)
        rc = hd_feedstore_delivery_stats(&stats, fs, log->delivery_id, err);
    if (rc)
        return rc;
    log->seq = d.seq;
    for (int i = 0; i < log->feed_count; i++)
        log->feeds[i].rows_live = stats.live[log->feeds[i].feed->id];
    return 0;
}

int hd__pending_replay(hd_casestore *cs, hd_feedstore *fs, const void *blob,
                       size_t len, hd_error *err)
{
    json_error_t jerr;
    json_t *obj = json_loadb(blob, len, 0, &jerr), *rows, *ro;
    hd_ingest_log log;
    hd_buf raw;
    size_t i;
    int rc;

    hd_buf_init(&raw, 0);
    if (!obj)
        return hd_error_set(err, HD_EDATA, "pending ingest log unreadable: %s",
                            jerr.text);
    rc = hd__ingest_log_from_json(&log, json_object_get(obj, "log"));
    if (rc) {
        json_decref(obj);
        return hd_error_set(err, rc, "pending ingest log malformed");
    }
    rc = complete_from_feedstore(&log, fs, err);
    if (rc == 0)
        rc = hd_casestore_log_ingest(cs, &log, err);
    rows = json_object_get(obj, "quarantine");
    json_array_foreach(rows, i, ro)
    {
        hd_quarantine_row row;
        if (rc)
            break;
        row.delivery_id = log.delivery_id;
        row.file = json_string_value(json_object_get(ro, "file"));
        row.line = json_integer_value(json_object_get(ro, "line"));
        row.column = (int)json_integer_value(json_object_get(ro, "column"));
        row.field = json_string_value(json_object_get(ro, "field"));
        row.reason =
            reject_by_name(json_string_value(json_object_get(ro, "reason")));
        row.detail = json_string_value(json_object_get(ro, "detail"));
        row.raw = hd__json_get_raw(ro, &raw);
        rc = row.raw ? hd_casestore_quarantine_add(cs, &row, err)
                     : hd_error_set(err, HD_ENOMEM, "out of memory");
    }
    json_decref(obj);
    hd_buf_release(&raw);
    return rc;
}

int hd_quarantine_row_json(hd_buf *out, const hd_quarantine_row *row)
{
    json_t *o = json_pack("{s:s,s:s,s:I,s:i,s:s?,s:s,s:s}", "delivery",
                          row->delivery_id, "file", row->file, "line",
                          (json_int_t)row->line, "column", row->column, "field",
                          row->field, "reason", hd_reject_name(row->reason),
                          "detail", row->detail);
    char *text;
    int rc;

    if (!o)
        return HD_ENOMEM;
    hd__json_set_raw(o, row->raw, strlen(row->raw));
    text = json_dumps(o, JSON_PRESERVE_ORDER | JSON_COMPACT);
    json_decref(o);
    if (!text)
        return HD_ENOMEM;
    rc = hd_buf_puts(out, text);
    free(text);
    return rc;
}
