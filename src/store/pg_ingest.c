/*
 * The ingest log, quarantine and feed status in the PostgreSQL case
 * store (tables of schema version 1, schema.c): the same statements as
 * sqlite.c's, in PostgreSQL's spelling. Quarantined rows, up to hundreds
 * of thousands a delivery, go through a COPY buffer (pg_int.h).
 */
#include "store/pg_int.h"

#include <stdio.h>
#include <string.h>

static const char sql_log_insert[] =
    "INSERT INTO ingest_log (delivery_id, department, path, as_of, mode, "
    "accepted, reject_reason, reject_detail, seq, loaded_at) "
    "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id";
static const char sql_feed_insert[] =
    "INSERT INTO ingest_feed_log (ingest_id, pos, feed, rows_in_file, "
    "rows_loaded, rows_quarantined, rows_live) "
    "VALUES ($1, $2, $3, $4, $5, $6, $7)";
static const char sql_reject_insert[] =
    "INSERT INTO ingest_feed_reject (ingest_id, feed, reason, rows) "
    "VALUES ($1, $2, $3, $4)";
static const char sql_accepted[] = "SELECT 1 FROM ingest_log WHERE "
                                   "delivery_id = $1 AND accepted = 1 LIMIT 1";
static const char copy_quarantine[] =
    "COPY quarantine (delivery_id, file, line, col, field, reason, detail, "
    "raw) FROM STDIN";
static const char sql_quarantine_all[] =
    "SELECT delivery_id, file, line, col, field, reason, detail, raw "
    "FROM quarantine ORDER BY delivery_id, file, line, col, id";
static const char sql_quarantine_one[] =
    "SELECT delivery_id, file, line, col, field, reason, detail, raw "
    "FROM quarantine WHERE delivery_id = $1 ORDER BY file, line, col, id";
static const char sql_status[] =
    "SELECT f.feed, l.delivery_id, l.as_of, f.rows_live "
    "FROM ingest_feed_log f JOIN ingest_log l ON l.id = f.ingest_id "
    "WHERE l.accepted = 1 ORDER BY f.feed, l.seq";
static const char sql_logs[] =
    "SELECT id, delivery_id, department, path, as_of, mode, accepted, "
    "reject_reason, reject_detail, seq, loaded_at FROM ingest_log "
    "ORDER BY id";
static const char sql_log_feeds[] =
    "SELECT feed, rows_in_file, rows_loaded, rows_quarantined, rows_live "
    "FROM ingest_feed_log WHERE ingest_id = $1 ORDER BY pos";
static const char sql_log_rejects[] =
    "SELECT feed, reason, rows FROM ingest_feed_reject WHERE ingest_id = $1";

/* A fixed-size char array as a parameter (it need not be terminated). */
static const char *chars(char *out, size_t out_len, const char *s, size_t max)
{
    size_t n = strnlen(s, max);
    if (n >= out_len)
        n = out_len - 1;
    memcpy(out, s, n);
    out[n] = '\0';
    return out;
}

/* ------------------------------------------------------------ ingest log */

static int insert_feed_log(hd_casestore *cs, const char *ingest_id, int pos,
                           const hd_ingest_feed_log *f, hd_error *err)
{
    char n[5][24];
    const char *v[7] = {ingest_id,
                        hd__pg_itoa(n[0], pos),
                        f->feed->name,
                        hd__pg_itoa(n[1], f->rows_in_file),
                        hd__pg_itoa(n[2], f->rows_loaded),
                        hd__pg_itoa(n[3], f->rows_quarantined),
                        hd__pg_itoa(n[4], f->rows_live)};
    int rc = hd__pg_query(cs, sql_feed_insert, 7, v, NULL, err);

    for (int r = 0; rc == 0 && r < HD_REJECT_COUNT_; r++) {
        const char *rv[4];
        if (f->quarantined_by_reason[r] <= 0)
            continue;
        rv[0] = ingest_id;
        rv[1] = f->feed->name;
        rv[2] = hd_reject_name((hd_reject)r);
        rv[3] = hd__pg_itoa(n[0], f->quarantined_by_reason[r]);
        rc = hd__pg_query(cs, sql_reject_insert, 4, rv, NULL, err);
    }
    return rc;
}

int hd__pg_log_ingest(hd_casestore *cs, const hd_ingest_log *log, hd_error *err)
{
    char id[sizeof(log->delivery_id)], dept[sizeof(log->department)];
    char path[sizeof(log->path)], detail[sizeof(log->reject_detail)];
    char as_of[HD_DATE_TEXT_MAX], seq[24], at[24];
    const char *v[10];
    PGresult *res = NULL;
    int rc;

    hd_date_format(as_of, log->as_of);
    v[0] = chars(id, sizeof(id), log->delivery_id, sizeof(log->delivery_id));
    v[1] = chars(dept, sizeof(dept), log->department, sizeof(log->department));
    v[2] = chars(path, sizeof(path), log->path, sizeof(log->path));
    v[3] = as_of;
    v[4] = log->snapshot ? "snapshot" : "delta";
    v[5] = log->accepted ? "1" : "0";
    v[6] = log->accepted ? NULL : hd_reject_name(log->reject_reason);
    v[7] = log->accepted ? NULL
                         : chars(detail, sizeof(detail), log->reject_detail,
                                 sizeof(log->reject_detail));
    v[8] = log->accepted ? hd__pg_itoa(seq, log->seq) : NULL;
    v[9] = hd__pg_itoa(at, log->loaded_at);

    rc = hd__pg_atomic_begin(cs, err);
    if (rc)
        return rc;
    rc = hd__pg_query(cs, sql_log_insert, 10, v, &res, err);
    for (int i = 0; rc == 0 && i < log->feed_count; i++)
        rc = insert_feed_log(cs, PQgetvalue(res, 0, 0), i, &log->feeds[i], err);
    PQclear(res);
    return hd__pg_atomic_end(cs, rc, err);
}

int hd__pg_delivery_accepted(hd_casestore *cs, const char *delivery_id,
                             hd_error *err)
{
    PGresult *res;
    int rc = hd__pg_query(cs, sql_accepted, 1, &delivery_id, &res, err);

    if (rc)
        return rc;
    rc = PQntuples(res) > 0;
    PQclear(res);
    return rc;
}

static int read_feed_logs(hd_casestore *cs, const char *id, hd_ingest_log *log,
                          hd_error *err)
{
    int max = (int)(sizeof(log->feeds) / sizeof(log->feeds[0]));
    PGresult *res;
    int rc = hd__pg_query(cs, sql_log_feeds, 1, &id, &res, err);

    if (rc)
        return rc;
    for (int r = 0; r < PQntuples(res); r++) {
        const hd_feed *feed = hd_feed_find(hd__pg_text(res, r, 0));
        hd_ingest_feed_log *f;
        /* A feed this program does not know is left out. */
        if (!feed || log->feed_count == max)
            continue;
        f = &log->feeds[log->feed_count++];
        f->feed = feed;
        f->rows_in_file = hd__pg_int(res, r, 1);
        f->rows_loaded = hd__pg_int(res, r, 2);
        f->rows_quarantined = hd__pg_int(res, r, 3);
        f->rows_live = hd__pg_int(res, r, 4);
    }
    PQclear(res);

    rc = hd__pg_query(cs, sql_log_rejects, 1, &id, &res, err);
    if (rc)
        return rc;
    for (int r = 0; r < PQntuples(res); r++) {
        const char *feed = hd__pg_text(res, r, 0);
        hd_reject reason = hd__reject_from_name(hd__pg_text(res, r, 1));
        if (reason == HD_REJECT_COUNT_)
            continue;
        for (int i = 0; i < log->feed_count; i++)
            if (!strcmp(log->feeds[i].feed->name, feed))
                log->feeds[i].quarantined_by_reason[reason] =
                    hd__pg_int(res, r, 2);
    }
    PQclear(res);
    return 0;
}

typedef struct logs_walk {
    hd_casestore *cs;
    int (*fn)(const hd_ingest_log *log, void *payload);
    void *payload;
    hd_ingest_log *log;
    hd_error *err;
} logs_walk;

static int each_log(const PGresult *res, int r, void *payload)
{
    logs_walk *w = payload;
    hd_ingest_log *log = w->log;
    const char *as_of = hd__pg_text(res, r, 4);
    const char *reason = hd__pg_opt_text(res, r, 7);

    memset(log, 0, sizeof(*log));
    snprintf(log->delivery_id, sizeof(log->delivery_id), "%s",
             hd__pg_text(res, r, 1));
    snprintf(log->department, sizeof(log->department), "%s",
             hd__pg_text(res, r, 2));
    snprintf(log->path, sizeof(log->path), "%s", hd__pg_text(res, r, 3));
    hd_date_parse(&log->as_of, as_of, strlen(as_of), NULL);
    log->snapshot = !strcmp(hd__pg_text(res, r, 5), "snapshot");
    log->accepted = hd__pg_int(res, r, 6) != 0;
    log->reject_reason = HD_REJECT_NONE;
    if (reason && hd__reject_from_name(reason) != HD_REJECT_COUNT_)
        log->reject_reason = hd__reject_from_name(reason);
    snprintf(log->reject_detail, sizeof(log->reject_detail), "%s",
             hd__pg_text(res, r, 8));
    log->seq = (uint32_t)hd__pg_int(res, r, 9);
    log->loaded_at = hd__pg_int(res, r, 10);
    int rc = read_feed_logs(w->cs, hd__pg_text(res, r, 0), log, w->err);
    return rc ? rc : w->fn(log, w->payload);
}

int hd__pg_ingest_logs(hd_casestore *cs,
                       int (*fn)(const hd_ingest_log *log, void *payload),
                       void *payload, hd_error *err)
{
    logs_walk w = {cs, fn, payload, hd_malloc(sizeof(hd_ingest_log)), err};
    int rc;

    if (!w.log)
        return hd_error_set(err, HD_ENOMEM, "out of memory");
    /* Small batches: each log reads its feeds between fetches. */
    rc = hd__pg_each(cs, sql_logs, 0, NULL, 256, each_log, &w, err);
    hd_free(w.log);
    return rc;
}

/* ------------------------------------------------------------ quarantine */

int hd__pg_quarantine_add(hd_casestore *cs, const hd_quarantine_row *row,
                          hd_error *err)
{
    hd_buf *b = hd__pg_copy_buffer(cs, copy_quarantine, err);
    const char *detail = row->detail ? row->detail : "";
    const char *raw = row->raw ? row->raw : "";

    if (!b)
        return HD_EINVAL;
    hd__pg_copy_text(b, row->delivery_id, strlen(row->delivery_id));
    hd__pg_copy_text(b, row->file, strlen(row->file));
    hd__pg_copy_int(b, row->line);
    hd__pg_copy_int(b, row->column);
    if (row->field)
        hd__pg_copy_text(b, row->field, strlen(row->field));
    else
        hd__pg_copy_null(b);
    hd__pg_copy_text(b, hd_reject_name(row->reason),
                     strlen(hd_reject_name(row->reason)));
    hd__pg_copy_text(b, detail, strlen(detail));
    /* Bytes: the row may not be UTF-8, which may be why it is here. */
    hd__pg_copy_bytea(b, raw, strlen(raw));
    return hd__pg_copy_row_end(cs, b, err);
}

typedef struct quarantine_walk {
    int (*fn)(const hd_quarantine_row *row, void *payload);
    void *payload;
    hd_error *err;
} quarantine_walk;

static int each_quarantined(const PGresult *res, int r, void *payload)
{
    quarantine_walk *w = payload;
    hd_reject reason = hd__reject_from_name(hd__pg_text(res, r, 5));
    size_t raw_len = 0;
    unsigned char *raw = PQunescapeBytea(
        (const unsigned char *)hd__pg_text(res, r, 7), &raw_len);
    char *text;
    hd_quarantine_row row;
    int stop;

    if (!raw)
        return hd_error_set(w->err, HD_ENOMEM, "out of memory");
    /* NUL-terminated, as SQLite hands out a blob read as text. */
    text = hd_strndup((const char *)raw, raw_len);
    PQfreemem(raw);
    if (!text)
        return hd_error_set(w->err, HD_ENOMEM, "out of memory");
    row.delivery_id = hd__pg_text(res, r, 0);
    row.file = hd__pg_text(res, r, 1);
    row.line = hd__pg_int(res, r, 2);
    row.column = (int)hd__pg_int(res, r, 3);
    row.field = hd__pg_opt_text(res, r, 4);
    row.reason = reason == HD_REJECT_COUNT_ ? HD_REJECT_NONE : reason;
    row.detail = hd__pg_text(res, r, 6);
    row.raw = text;
    stop = w->fn(&row, w->payload);
    hd_free(text);
    return stop;
}

int hd__pg_quarantine_list(hd_casestore *cs, const char *delivery_id,
                           int (*fn)(const hd_quarantine_row *row,
                                     void *payload),
                           void *payload, hd_error *err)
{
    quarantine_walk w = {fn, payload, err};

    return delivery_id ? hd__pg_each(cs, sql_quarantine_one, 1, &delivery_id, 0,
                                     each_quarantined, &w, err)
                       : hd__pg_each(cs, sql_quarantine_all, 0, NULL, 0,
                                     each_quarantined, &w, err);
}

/* ----------------------------------------------------------- feed status */

int hd__pg_feed_status(hd_casestore *cs, hd_feed_status *out, int out_count,
                       hd_error *err)
{
    PGresult *res;
    int rc;

    (void)out_count;
    for (int i = 0; i < hd_feed_count; i++) {
        memset(&out[i], 0, sizeof(out[i]));
        out[i].feed = &hd_feeds[i];
    }
    rc = hd__pg_query(cs, sql_status, 0, NULL, &res, err);
    if (rc)
        return rc;
    /* Rows come by feed, then seq: the last one of a feed is its latest
     * delivery. */
    for (int r = 0; r < PQntuples(res); r++) {
        const hd_feed *feed = hd_feed_find(hd__pg_text(res, r, 0));
        const char *as_of = hd__pg_text(res, r, 2);
        hd_feed_status *f;
        if (!feed)
            continue;
        f = &out[feed - hd_feeds];
        f->deliveries++;
        snprintf(f->last_delivery_id, sizeof(f->last_delivery_id), "%s",
                 hd__pg_text(res, r, 1));
        hd_date_parse(&f->as_of, as_of, strlen(as_of), NULL);
        f->rows = hd__pg_int(res, r, 3);
    }
    PQclear(res);
    return 0;
}
