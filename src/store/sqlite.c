/*
 * The SQLite backend of the case store: one file, WAL, synchronous=FULL,
 * foreign keys on, a busy timeout, the schema migrated in order at open.
 *
 * Statements are prepared once and kept (quarantine_add may run 400 000
 * times in one transaction); parameters are always bound. A statement
 * still running when it is wanted again (a callback reading the store)
 * is prepared afresh for that use.
 */
#include "store/store_int.h"

#include <sqlite3.h>
#include <stdio.h>
#include <string.h>

#define BUSY_TIMEOUT_MS 5000

enum stmt_id {
    ST_LOG_INSERT,
    ST_FEED_INSERT,
    ST_REJECT_INSERT,
    ST_ACCEPTED,
    ST_QUARANTINE_INSERT,
    ST_QUARANTINE_ALL,
    ST_QUARANTINE_ONE,
    ST_STATUS,
    ST_LOGS,
    ST_LOG_FEEDS,
    ST_LOG_REJECTS,
    ST_COUNT_
};

static const char *const stmt_sql[ST_COUNT_] = {
    [ST_LOG_INSERT] =
        "INSERT INTO ingest_log (delivery_id, department, path, as_of, mode, "
        "accepted, reject_reason, reject_detail, seq, loaded_at) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
    [ST_FEED_INSERT] =
        "INSERT INTO ingest_feed_log (ingest_id, pos, feed, rows_in_file, "
        "rows_loaded, rows_quarantined, rows_live) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    [ST_REJECT_INSERT] = "INSERT INTO ingest_feed_reject (ingest_id, feed, "
                         "reason, rows) VALUES (?1, ?2, ?3, ?4)",
    [ST_ACCEPTED] = "SELECT 1 FROM ingest_log WHERE delivery_id = ?1 AND "
                    "accepted = 1 LIMIT 1",
    [ST_QUARANTINE_INSERT] =
        "INSERT INTO quarantine (delivery_id, file, line, col, field, "
        "reason, detail, raw) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    [ST_QUARANTINE_ALL] =
        "SELECT delivery_id, file, line, col, field, reason, detail, raw "
        "FROM quarantine ORDER BY delivery_id, file, line, col, id",
    [ST_QUARANTINE_ONE] =
        "SELECT delivery_id, file, line, col, field, reason, detail, raw "
        "FROM quarantine WHERE delivery_id = ?1 ORDER BY file, line, col, id",
    [ST_STATUS] = "SELECT f.feed, l.delivery_id, l.as_of, f.rows_live "
                  "FROM ingest_feed_log f JOIN ingest_log l "
                  "ON l.id = f.ingest_id WHERE l.accepted = 1 "
                  "ORDER BY f.feed, l.seq",
    [ST_LOGS] = "SELECT id, delivery_id, department, path, as_of, mode, "
                "accepted, reject_reason, reject_detail, seq, loaded_at "
                "FROM ingest_log ORDER BY id",
    [ST_LOG_FEEDS] = "SELECT feed, rows_in_file, rows_loaded, "
                     "rows_quarantined, rows_live FROM ingest_feed_log "
                     "WHERE ingest_id = ?1 ORDER BY pos",
    [ST_LOG_REJECTS] = "SELECT feed, reason, rows FROM ingest_feed_reject "
                       "WHERE ingest_id = ?1",
};

static const struct hd__cs_ops sqlite_ops;

/* Statements of the other sqlite_<area>.c files (hd__sqlite_stmt). */
#define AREA_STMTS 256

typedef struct sqlite_store {
    hd_casestore base;
    sqlite3 *db;
    sqlite3_stmt *stmts[ST_COUNT_];
    int version;
    const char *area_sql[AREA_STMTS];
    sqlite3_stmt *area_stmts[AREA_STMTS];
    int area_count;
} sqlite_store;

static sqlite_store *backend(hd_casestore *cs)
{
    return (sqlite_store *)cs;
}

sqlite3 *hd__sqlite_db(hd_casestore *cs)
{
    return cs && cs->ops == &sqlite_ops ? backend(cs)->db : NULL;
}

int hd__sqlite_error(sqlite3 *db, hd_error *err, int rc, const char *what)
{
    int code = HD_ESTORE;

    switch (rc) {
    case SQLITE_CONSTRAINT_UNIQUE:
    case SQLITE_CONSTRAINT_PRIMARYKEY:
        code = HD_EEXISTS;
        break;
    case SQLITE_CONSTRAINT_CHECK:
    case SQLITE_CONSTRAINT_FOREIGNKEY:
    case SQLITE_CONSTRAINT_NOTNULL:
        code = HD_EINVAL;
        break;
    default:
        if ((rc & 0xff) == SQLITE_NOMEM)
            code = HD_ENOMEM;
        else if ((rc & 0xff) == SQLITE_IOERR || (rc & 0xff) == SQLITE_FULL ||
                 (rc & 0xff) == SQLITE_CANTOPEN ||
                 (rc & 0xff) == SQLITE_READONLY)
            code = HD_EIO;
    }
    return hd_error_set(err, code, "case store: %s: %s", what,
                        db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
}

static int db_error(sqlite_store *s, hd_error *err, int rc, const char *what)
{
    return hd__sqlite_error(s->db, err, rc, what);
}

static int exec(sqlite_store *s, const char *sql, hd_error *err)
{
    int rc = sqlite3_exec(s->db, sql, NULL, NULL, NULL);
    return rc == SQLITE_OK ? 0 : db_error(s, err, rc, sql);
}

/* A prepared statement for one use; stmt_done gives it back. */
static int stmt_get(sqlite_store *s, enum stmt_id id, sqlite3_stmt **out,
                    hd_error *err)
{
    sqlite3_stmt *st = s->stmts[id];
    int rc;

    if (st && !sqlite3_stmt_busy(st)) {
        *out = st;
        return 0;
    }
    rc = sqlite3_prepare_v3(s->db, stmt_sql[id], -1,
                            st ? 0 : SQLITE_PREPARE_PERSISTENT, out, NULL);
    if (rc != SQLITE_OK)
        return db_error(s, err, rc, "cannot prepare a statement");
    if (!st)
        s->stmts[id] = *out;
    return 0;
}

static void stmt_done(sqlite_store *s, enum stmt_id id, sqlite3_stmt *st)
{
    if (!st)
        return;
    if (st == s->stmts[id]) {
        sqlite3_reset(st);
        sqlite3_clear_bindings(st);
    } else {
        sqlite3_finalize(st);
    }
}

int hd__sqlite_stmt(hd_casestore *cs, const char *sql, sqlite3_stmt **out,
                    hd_error *err)
{
    sqlite_store *s = backend(cs);
    int i, rc;

    for (i = 0; i < s->area_count; i++)
        if (s->area_sql[i] == sql)
            break;
    for (int j = 0; i == s->area_count && j < s->area_count; j++)
        if (!strcmp(s->area_sql[j], sql))
            i = j;
    if (i < s->area_count && !sqlite3_stmt_busy(s->area_stmts[i])) {
        *out = s->area_stmts[i];
        return 0;
    }
    /* Kept only when new and there is room; otherwise for this use. */
    rc = sqlite3_prepare_v3(
        s->db, sql, -1,
        i == s->area_count && i < AREA_STMTS ? SQLITE_PREPARE_PERSISTENT : 0,
        out, NULL);
    if (rc != SQLITE_OK)
        return db_error(s, err, rc, "cannot prepare a statement");
    if (i == s->area_count && i < AREA_STMTS) {
        s->area_sql[i] = sql;
        s->area_stmts[i] = *out;
        s->area_count++;
    }
    return 0;
}

void hd__sqlite_stmt_done(hd_casestore *cs, sqlite3_stmt *st)
{
    sqlite_store *s = backend(cs);

    if (!st)
        return;
    for (int i = 0; i < s->area_count; i++) {
        if (s->area_stmts[i] == st) {
            sqlite3_reset(st);
            sqlite3_clear_bindings(st);
            return;
        }
    }
    sqlite3_finalize(st);
}

/* Text of a fixed-size char array, which need not be terminated. */
static int bind_chars(sqlite3_stmt *st, int i, const char *s, size_t max)
{
    return sqlite3_bind_text(st, i, s, (int)strnlen(s, max), SQLITE_STATIC);
}

static int bind_opt_text(sqlite3_stmt *st, int i, const char *s)
{
    return s ? sqlite3_bind_text(st, i, s, -1, SQLITE_STATIC)
             : sqlite3_bind_null(st, i);
}

static const char *column_text(sqlite3_stmt *st, int i)
{
    const unsigned char *t = sqlite3_column_text(st, i);
    return t ? (const char *)t : "";
}

static void copy_column(char *dst, size_t dst_len, sqlite3_stmt *st, int i)
{
    snprintf(dst, dst_len, "%s", column_text(st, i));
}

/* --------------------------------------------------------- open, close */

static int user_version(sqlite_store *s, int *out, hd_error *err)
{
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(s->db, "PRAGMA user_version", -1, &st, NULL);

    if (rc == SQLITE_OK)
        rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        *out = sqlite3_column_int(st, 0);
        rc = SQLITE_OK;
    }
    sqlite3_finalize(st);
    return rc == SQLITE_OK ? 0
                           : db_error(s, err, rc, "cannot read the version");
}

static int migrate(sqlite_store *s, hd_error *err)
{
    int version, rc;

    rc = user_version(s, &version, err);
    if (rc)
        return rc;
    if (version > hd__schema_version)
        return hd_error_set(err, HD_ESTORE,
                            "case store: schema version %d is newer than "
                            "this program's %d",
                            version, hd__schema_version);
    while (version < hd__schema_version) {
        char sql[64];

        rc = exec(s, "BEGIN IMMEDIATE", err);
        if (rc)
            return rc;
        /* Another process may have migrated while we waited. */
        rc = user_version(s, &version, err);
        if (rc == 0 && version < hd__schema_version) {
            char *migration = hd__schema_sql(HD__SQLITE, version);
            rc = migration ? exec(s, migration, err)
                           : hd_error_set(err, HD_ENOMEM, "out of memory");
            hd_free(migration);
            snprintf(sql, sizeof(sql), "PRAGMA user_version = %d", version + 1);
            if (rc == 0)
                rc = exec(s, sql, err);
        }
        if (rc == 0)
            rc = exec(s, "COMMIT", err);
        if (rc) {
            sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
            return rc;
        }
        rc = user_version(s, &version, err);
        if (rc)
            return rc;
        if (version > 0)
            hd_log(HD_LOG_INFO, "event=casestore_migrated version=%d", version);
    }
    s->version = version;
    return 0;
}

static int set_journal_wal(sqlite_store *s, hd_error *err)
{
    sqlite3_stmt *st = NULL;
    const char *mode;
    int rc =
        sqlite3_prepare_v2(s->db, "PRAGMA journal_mode = WAL", -1, &st, NULL);

    if (rc == SQLITE_OK)
        rc = sqlite3_step(st);
    if (rc != SQLITE_ROW) {
        sqlite3_finalize(st);
        return db_error(s, err, rc, "cannot set WAL mode");
    }
    /* An in-memory database (tests) has no WAL; anything else must. */
    mode = column_text(st, 0);
    rc = !strcmp(mode, "wal") || !strcmp(mode, "memory");
    sqlite3_finalize(st);
    return rc ? 0
              : hd_error_set(err, HD_ESTORE, "case store: WAL mode refused");
}

static void sqlite_close(hd_casestore *cs)
{
    sqlite_store *s = backend(cs);

    for (int i = 0; i < ST_COUNT_; i++)
        sqlite3_finalize(s->stmts[i]);
    for (int i = 0; i < s->area_count; i++)
        sqlite3_finalize(s->area_stmts[i]);
    sqlite3_close(s->db);
    hd_free(s);
}

static int sqlite_schema_version(hd_casestore *cs)
{
    return backend(cs)->version;
}

/* ---------------------------------------------------------- transactions */

static int sqlite_begin(hd_casestore *cs, hd_error *err)
{
    /* IMMEDIATE takes the write lock now, so that a writer never fails
     * halfway with a lock it cannot upgrade. */
    return exec(backend(cs), "BEGIN IMMEDIATE", err);
}

static int sqlite_commit(hd_casestore *cs, hd_error *err)
{
    return exec(backend(cs), "COMMIT", err);
}

static void sqlite_rollback(hd_casestore *cs)
{
    sqlite_store *s = backend(cs);
    if (!sqlite3_get_autocommit(s->db))
        sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
}

/* ------------------------------------------------------------ ingest log */

static int step_done(sqlite_store *s, sqlite3_stmt *st, int bind_rc,
                     const char *what, hd_error *err)
{
    int rc = bind_rc == SQLITE_OK ? sqlite3_step(st) : bind_rc;
    return rc == SQLITE_DONE ? 0 : db_error(s, err, rc, what);
}

static int insert_feed_log(sqlite_store *s, sqlite3_int64 ingest_id, int pos,
                           const hd_ingest_feed_log *f, hd_error *err)
{
    sqlite3_stmt *st = NULL;
    int rc = stmt_get(s, ST_FEED_INSERT, &st, err), brc = SQLITE_OK;

    if (rc)
        return rc;
    brc = brc ? brc : sqlite3_bind_int64(st, 1, ingest_id);
    brc = brc ? brc : sqlite3_bind_int(st, 2, pos);
    brc =
        brc ? brc : sqlite3_bind_text(st, 3, f->feed->name, -1, SQLITE_STATIC);
    brc = brc ? brc : sqlite3_bind_int64(st, 4, f->rows_in_file);
    brc = brc ? brc : sqlite3_bind_int64(st, 5, f->rows_loaded);
    brc = brc ? brc : sqlite3_bind_int64(st, 6, f->rows_quarantined);
    brc = brc ? brc : sqlite3_bind_int64(st, 7, f->rows_live);
    rc = step_done(s, st, brc, "cannot log a feed", err);
    stmt_done(s, ST_FEED_INSERT, st);
    for (int r = 0; rc == 0 && r < HD_REJECT_COUNT_; r++) {
        if (f->quarantined_by_reason[r] <= 0)
            continue;
        rc = stmt_get(s, ST_REJECT_INSERT, &st, err);
        if (rc)
            break;
        brc = sqlite3_bind_int64(st, 1, ingest_id);
        brc = brc ? brc
                  : sqlite3_bind_text(st, 2, f->feed->name, -1, SQLITE_STATIC);
        brc = brc ? brc
                  : sqlite3_bind_text(st, 3, hd_reject_name((hd_reject)r), -1,
                                      SQLITE_STATIC);
        brc =
            brc ? brc : sqlite3_bind_int64(st, 4, f->quarantined_by_reason[r]);
        rc = step_done(s, st, brc, "cannot log reject counts", err);
        stmt_done(s, ST_REJECT_INSERT, st);
    }
    return rc;
}

static int sqlite_log_ingest(hd_casestore *cs, const hd_ingest_log *log,
                             hd_error *err)
{
    sqlite_store *s = backend(cs);
    sqlite3_stmt *st = NULL;
    sqlite3_int64 id;
    char as_of[HD_DATE_TEXT_MAX];
    int rc, brc = SQLITE_OK;

    /* A savepoint makes the log whole inside or outside a transaction. */
    rc = exec(s, "SAVEPOINT hd_log_ingest", err);
    if (rc)
        return rc;
    rc = stmt_get(s, ST_LOG_INSERT, &st, err);
    if (rc)
        goto out;
    hd_date_format(as_of, log->as_of);
    brc = brc ? brc
              : bind_chars(st, 1, log->delivery_id, sizeof(log->delivery_id));
    brc =
        brc ? brc : bind_chars(st, 2, log->department, sizeof(log->department));
    brc = brc ? brc : bind_chars(st, 3, log->path, sizeof(log->path));
    brc = brc ? brc : sqlite3_bind_text(st, 4, as_of, -1, SQLITE_STATIC);
    brc = brc ? brc
              : sqlite3_bind_text(st, 5, log->snapshot ? "snapshot" : "delta",
                                  -1, SQLITE_STATIC);
    brc = brc ? brc : sqlite3_bind_int(st, 6, log->accepted ? 1 : 0);
    if (log->accepted) {
        brc = brc ? brc : sqlite3_bind_null(st, 7);
        brc = brc ? brc : sqlite3_bind_null(st, 8);
        brc = brc ? brc : sqlite3_bind_int64(st, 9, log->seq);
    } else {
        brc = brc ? brc
                  : sqlite3_bind_text(st, 7, hd_reject_name(log->reject_reason),
                                      -1, SQLITE_STATIC);
        brc = brc ? brc
                  : bind_chars(st, 8, log->reject_detail,
                               sizeof(log->reject_detail));
        brc = brc ? brc : sqlite3_bind_null(st, 9);
    }
    brc = brc ? brc : sqlite3_bind_int64(st, 10, log->loaded_at);
    rc = step_done(s, st, brc, "cannot log an ingest", err);
    stmt_done(s, ST_LOG_INSERT, st);
    if (rc)
        goto out;
    id = sqlite3_last_insert_rowid(s->db);
    for (int i = 0; rc == 0 && i < log->feed_count; i++)
        rc = insert_feed_log(s, id, i, &log->feeds[i], err);
out:
    if (rc)
        sqlite3_exec(s->db, "ROLLBACK TO hd_log_ingest", NULL, NULL, NULL);
    sqlite3_exec(s->db, "RELEASE hd_log_ingest", NULL, NULL, NULL);
    return rc;
}

static int sqlite_delivery_accepted(hd_casestore *cs, const char *delivery_id,
                                    hd_error *err)
{
    sqlite_store *s = backend(cs);
    sqlite3_stmt *st = NULL;
    int rc = stmt_get(s, ST_ACCEPTED, &st, err);

    if (rc)
        return rc;
    rc = sqlite3_bind_text(st, 1, delivery_id, -1, SQLITE_STATIC);
    if (rc == SQLITE_OK)
        rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        rc = 1;
    else if (rc == SQLITE_DONE)
        rc = 0;
    else
        rc = db_error(s, err, rc, "cannot look up a delivery");
    stmt_done(s, ST_ACCEPTED, st);
    return rc;
}

static int read_feed_logs(sqlite_store *s, sqlite3_int64 id, hd_ingest_log *log,
                          hd_error *err)
{
    sqlite3_stmt *st = NULL;
    int rc = stmt_get(s, ST_LOG_FEEDS, &st, err), max;

    if (rc)
        return rc;
    max = (int)(sizeof(log->feeds) / sizeof(log->feeds[0]));
    rc = sqlite3_bind_int64(st, 1, id);
    while (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        const hd_feed *feed = hd_feed_find(column_text(st, 0));
        hd_ingest_feed_log *f;
        rc = SQLITE_OK;
        /* A feed this program does not know is left out. */
        if (!feed || log->feed_count == max)
            continue;
        f = &log->feeds[log->feed_count++];
        f->feed = feed;
        f->rows_in_file = sqlite3_column_int64(st, 1);
        f->rows_loaded = sqlite3_column_int64(st, 2);
        f->rows_quarantined = sqlite3_column_int64(st, 3);
        f->rows_live = sqlite3_column_int64(st, 4);
    }
    stmt_done(s, ST_LOG_FEEDS, st);
    if (rc != SQLITE_DONE)
        return db_error(s, err, rc, "cannot read feed logs");

    rc = stmt_get(s, ST_LOG_REJECTS, &st, err);
    if (rc)
        return rc;
    rc = sqlite3_bind_int64(st, 1, id);
    while (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *feed = column_text(st, 0);
        hd_reject r = hd__reject_from_name(column_text(st, 1));
        rc = SQLITE_OK;
        if (r == HD_REJECT_COUNT_)
            continue;
        for (int i = 0; i < log->feed_count; i++)
            if (!strcmp(log->feeds[i].feed->name, feed))
                log->feeds[i].quarantined_by_reason[r] =
                    sqlite3_column_int64(st, 2);
    }
    stmt_done(s, ST_LOG_REJECTS, st);
    if (rc != SQLITE_DONE)
        return db_error(s, err, rc, "cannot read reject counts");
    return 0;
}

static int sqlite_ingest_logs(hd_casestore *cs,
                              int (*fn)(const hd_ingest_log *log,
                                        void *payload),
                              void *payload, hd_error *err)
{
    sqlite_store *s = backend(cs);
    sqlite3_stmt *st = NULL;
    hd_ingest_log *log = hd_malloc(sizeof(*log));
    int rc;

    if (!log)
        return hd_error_set(err, HD_ENOMEM, "out of memory");
    rc = stmt_get(s, ST_LOGS, &st, err);
    if (rc)
        goto out;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *reason = (const char *)sqlite3_column_text(st, 7);
        memset(log, 0, sizeof(*log));
        copy_column(log->delivery_id, sizeof(log->delivery_id), st, 1);
        copy_column(log->department, sizeof(log->department), st, 2);
        copy_column(log->path, sizeof(log->path), st, 3);
        hd_date_parse(&log->as_of, column_text(st, 4),
                      strlen(column_text(st, 4)), NULL);
        log->snapshot = !strcmp(column_text(st, 5), "snapshot");
        log->accepted = sqlite3_column_int(st, 6) != 0;
        log->reject_reason = HD_REJECT_NONE;
        if (reason && hd__reject_from_name(reason) != HD_REJECT_COUNT_)
            log->reject_reason = hd__reject_from_name(reason);
        copy_column(log->reject_detail, sizeof(log->reject_detail), st, 8);
        log->seq = (uint32_t)sqlite3_column_int64(st, 9);
        log->loaded_at = sqlite3_column_int64(st, 10);
        rc = read_feed_logs(s, sqlite3_column_int64(st, 0), log, err);
        if (rc)
            goto out;
        rc = fn(log, payload);
        if (rc)
            goto out;
    }
    rc = rc == SQLITE_DONE ? 0 : db_error(s, err, rc, "cannot read logs");
out:
    stmt_done(s, ST_LOGS, st);
    hd_free(log);
    return rc;
}

/* ------------------------------------------------------------ quarantine */

static int sqlite_quarantine_add(hd_casestore *cs, const hd_quarantine_row *row,
                                 hd_error *err)
{
    sqlite_store *s = backend(cs);
    sqlite3_stmt *st = NULL;
    int rc = stmt_get(s, ST_QUARANTINE_INSERT, &st, err), brc = SQLITE_OK;

    if (rc)
        return rc;
    brc = brc ? brc
              : sqlite3_bind_text(st, 1, row->delivery_id, -1, SQLITE_STATIC);
    brc = brc ? brc : sqlite3_bind_text(st, 2, row->file, -1, SQLITE_STATIC);
    brc = brc ? brc : sqlite3_bind_int64(st, 3, row->line);
    brc = brc ? brc : sqlite3_bind_int(st, 4, row->column);
    brc = brc ? brc : bind_opt_text(st, 5, row->field);
    brc = brc ? brc
              : sqlite3_bind_text(st, 6, hd_reject_name(row->reason), -1,
                                  SQLITE_STATIC);
    brc = brc ? brc
              : sqlite3_bind_text(st, 7, row->detail ? row->detail : "", -1,
                                  SQLITE_STATIC);
    if (row->raw)
        brc = brc ? brc
                  : sqlite3_bind_blob(st, 8, row->raw, (int)strlen(row->raw),
                                      SQLITE_STATIC);
    else
        brc = brc ? brc : sqlite3_bind_zeroblob(st, 8, 0);
    rc = step_done(s, st, brc, "cannot quarantine a row", err);
    stmt_done(s, ST_QUARANTINE_INSERT, st);
    return rc;
}

static int sqlite_quarantine_list(hd_casestore *cs, const char *delivery_id,
                                  int (*fn)(const hd_quarantine_row *row,
                                            void *payload),
                                  void *payload, hd_error *err)
{
    sqlite_store *s = backend(cs);
    enum stmt_id id = delivery_id ? ST_QUARANTINE_ONE : ST_QUARANTINE_ALL;
    sqlite3_stmt *st = NULL;
    int rc = stmt_get(s, id, &st, err);

    if (rc)
        return rc;
    rc = delivery_id ? sqlite3_bind_text(st, 1, delivery_id, -1, SQLITE_STATIC)
                     : SQLITE_OK;
    while (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        hd_quarantine_row row;
        hd_reject reason = hd__reject_from_name(column_text(st, 5));

        row.delivery_id = column_text(st, 0);
        row.file = column_text(st, 1);
        row.line = sqlite3_column_int64(st, 2);
        row.column = sqlite3_column_int(st, 3);
        row.field = (const char *)sqlite3_column_text(st, 4);
        row.reason = reason == HD_REJECT_COUNT_ ? HD_REJECT_NONE : reason;
        row.detail = column_text(st, 6);
        /* A blob read as text comes NUL-terminated. */
        row.raw = column_text(st, 7);
        rc = fn(&row, payload);
        if (rc)
            goto out;
    }
    rc = rc == SQLITE_DONE ? 0 : db_error(s, err, rc, "cannot read quarantine");
out:
    stmt_done(s, id, st);
    return rc;
}

/* ----------------------------------------------------------- feed status */

static int sqlite_feed_status(hd_casestore *cs, hd_feed_status *out,
                              int out_count, hd_error *err)
{
    sqlite_store *s = backend(cs);
    sqlite3_stmt *st = NULL;
    int rc;

    (void)out_count;
    for (int i = 0; i < hd_feed_count; i++) {
        memset(&out[i], 0, sizeof(out[i]));
        out[i].feed = &hd_feeds[i];
    }
    rc = stmt_get(s, ST_STATUS, &st, err);
    if (rc)
        return rc;
    /* Rows come by feed, then seq: the last one of a feed is its latest
     * delivery. */
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const hd_feed *feed = hd_feed_find(column_text(st, 0));
        hd_feed_status *f;
        if (!feed)
            continue;
        f = &out[feed - hd_feeds];
        f->deliveries++;
        copy_column(f->last_delivery_id, sizeof(f->last_delivery_id), st, 1);
        hd_date_parse(&f->as_of, column_text(st, 2), strlen(column_text(st, 2)),
                      NULL);
        f->rows = sqlite3_column_int64(st, 3);
    }
    rc = rc == SQLITE_DONE ? 0 : db_error(s, err, rc, "cannot read status");
    stmt_done(s, ST_STATUS, st);
    return rc;
}

/* ------------------------------------------------------------------ open */

static int sqlite_open_same(hd_casestore **out, hd_casestore *cs,
                            hd_error *err);

static bool sqlite_in_transaction(hd_casestore *cs)
{
    return !sqlite3_get_autocommit(backend(cs)->db);
}

static const hd__cs_ops sqlite_ops = {
    .name = "sqlite",
    .close = sqlite_close,
    .schema_version = sqlite_schema_version,
    .begin = sqlite_begin,
    .in_transaction = sqlite_in_transaction,
    .commit = sqlite_commit,
    .rollback = sqlite_rollback,
    .log_ingest = sqlite_log_ingest,
    .delivery_accepted = sqlite_delivery_accepted,
    .quarantine_add = sqlite_quarantine_add,
    .quarantine_list = sqlite_quarantine_list,
    .feed_status = sqlite_feed_status,
    .ingest_logs = sqlite_ingest_logs,
    .open_same = sqlite_open_same,
    .policy_put = hd__sqlite_policy_put,
    .policy_get = hd__sqlite_policy_get,
    .application_put = hd__sqlite_application_put,
    .application_get = hd__sqlite_application_get,
    .consent_put = hd__sqlite_consent_put,
    .consent_revoke = hd__sqlite_consent_revoke,
    .consents = hd__sqlite_consents,
    .audit_add = hd__sqlite_audit_add,
    .audit_list = hd__sqlite_audit_list,
    .verification_add = hd__sqlite_verification_add,
    .verification_latest = hd__sqlite_verification_latest,
    .sql = hd__sqlite_sql,
};

int hd__sqlite_open(hd_casestore **out, const char *path, hd_error *err)
{
    sqlite_store *s = hd_calloc(1, sizeof(*s));
    int rc;

    if (!s)
        return hd_error_set(err, HD_ENOMEM, "out of memory");
    s->base.ops = &sqlite_ops;
    rc = sqlite3_open_v2(
        path, &s->db,
        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
    if (rc != SQLITE_OK) {
        rc = db_error(s, err, rc, "cannot open the database");
        goto out;
    }
    sqlite3_extended_result_codes(s->db, 1);
    sqlite3_busy_timeout(s->db, BUSY_TIMEOUT_MS);
    rc = exec(s, "PRAGMA foreign_keys = ON", err);
    if (rc == 0)
        rc = set_journal_wal(s, err);
    if (rc == 0)
        rc = exec(s, "PRAGMA synchronous = FULL", err);
    /* Importers write a million rows in one transaction; with SQLite's
     * 2 MiB default the page cache spills into the WAL and reads the
     * pages back, which made such an import ten times slower. Pages are
     * allocated only as they are used. */
    if (rc == 0)
        rc = exec(s, "PRAGMA cache_size = -262144", err);
    if (rc == 0)
        rc = migrate(s, err);
out:
    if (rc) {
        sqlite_close(&s->base);
        return rc;
    }
    *out = &s->base;
    return 0;
}

static int sqlite_open_same(hd_casestore **out, hd_casestore *cs, hd_error *err)
{
    const char *path = sqlite3_db_filename(backend(cs)->db, "main");
    int rc;

    if (!path || !*path)
        return hd_error_set(err, HD_EINVAL,
                            "case store: no file to open again");
    rc = hd__sqlite_open(out, path, err);
    /* Its reads are sequential: the large cache importers need would only
     * add to the writer's. */
    if (rc == 0 &&
        (rc = exec(backend(*out), "PRAGMA cache_size = -8192", err)) != 0) {
        hd_casestore_free(*out);
        *out = NULL;
    }
    return rc;
}
