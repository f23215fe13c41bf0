/*
 * The PostgreSQL backend of the case store (libpq): one connection per
 * handle, the schema migrated at open under an advisory lock (several
 * processes may open the same database at once), statements prepared
 * once per connection with their parameters always bound, large reads
 * through cursors and bulk writes through COPY (pg_int.h).
 *
 * Transactions run at PostgreSQL's default READ COMMITTED: writers of
 * the same row wait for each other and the later one sees the earlier
 * one's row (an application put twice with other content is a clear
 * HD_EEXISTS, a second revocation keeps the first), so no update is
 * lost; a deadlock or serialization failure is HD_ECONFLICT.
 *
 * The areas' statements live in pg_<area>.c, as SQLite's do.
 */
#include "store/pg_int.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PREPARED_MAX 256
#define COPY_MAX 8
#define COPY_FLUSH_BYTES ((size_t)8 << 20)
#define CURSOR_BATCH 10000
/* pg_advisory_xact_lock key for schema migrations: "hedui" in ASCII. */
#define SCHEMA_LOCK_KEY "448378431849"

typedef struct copy_buf {
    const char *sql;
    hd_buf buf;
} copy_buf;

typedef struct pg_store {
    hd_casestore base;
    PGconn *conn;
    char *url;
    int version;
    bool in_txn;     /* hd_casestore_begin'd */
    bool atomic_own; /* in a transaction of hd__pg_atomic_begin's */
    bool each_own;   /* in a transaction of hd__pg_each's (its cursor's) */
    int cursor_seq;
    const char *prepared[PREPARED_MAX];
    int prepared_count;
    copy_buf copies[COPY_MAX];
    int copy_count;
    bool flushing;
} pg_store;

static const struct hd__cs_ops pg_ops;
static int commit(pg_store *s, hd_error *err);

static pg_store *backend(hd_casestore *cs)
{
    return (pg_store *)cs;
}

/* Inside a transaction: the caller's, or one of this file's own. */
static bool in_txn(hd_casestore *cs)
{
    pg_store *s = backend(cs);
    return s->in_txn || s->atomic_own || s->each_own;
}

/* ---------------------------------------------------------------- errors */

static int code_of(const char *sqlstate)
{
    if (!sqlstate)
        return HD_ESTORE;
    if (!strcmp(sqlstate, "23505"))
        return HD_EEXISTS;
    if (!strncmp(sqlstate, "23", 2))
        return HD_EINVAL;
    if (!strcmp(sqlstate, "40001") || !strcmp(sqlstate, "40P01"))
        return HD_ECONFLICT;
    if (!strncmp(sqlstate, "08", 2) || !strncmp(sqlstate, "57P", 3) ||
        !strncmp(sqlstate, "53", 2))
        return HD_EIO;
    return HD_ESTORE;
}

int hd__pg_error(hd_casestore *cs, const PGresult *res, hd_error *err,
                 const char *what)
{
    PGconn *conn = backend(cs)->conn;
    const char *msg =
        res ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) : NULL;
    int code =
        res ? code_of(PQresultErrorField(res, PG_DIAG_SQLSTATE)) : HD_ESTORE;
    char line[HD_ERROR_MSG_MAX];

    if (!msg) {
        /* libpq's own message ends in a newline; keep its first line. */
        snprintf(line, sizeof(line), "%s",
                 conn ? PQerrorMessage(conn) : "no connection");
        line[strcspn(line, "\n")] = '\0';
        msg = line;
    }
    if (conn && PQstatus(conn) == CONNECTION_BAD)
        code = HD_EIO;
    if (code == HD_ECONFLICT)
        return hd_error_set(err, code,
                            "case store: %s: another writer changed the "
                            "same record at the same time (%s); nothing "
                            "was written, try again",
                            what, msg);
    return hd_error_set(err, code, "case store: %s: %s", what, msg);
}

/* ------------------------------------------------------------ statements */

/* A simple statement (no parameters, may be several), after the COPY
 * buffers are sent. */
static int run(pg_store *s, const char *sql, hd_error *err)
{
    PGresult *res;
    int rc = 0;

    if (!s->flushing && (rc = hd__pg_copy_flush(&s->base, err)) != 0)
        return rc;
    res = PQexec(s->conn, sql);
    if (PQresultStatus(res) != PGRES_COMMAND_OK &&
        PQresultStatus(res) != PGRES_TUPLES_OK)
        rc = hd__pg_error(&s->base, res, err, sql);
    PQclear(res);
    return rc;
}

/* Roll back, dropping the rows still waiting in COPY buffers. */
static void pg_rollback_quietly(pg_store *s)
{
    for (int i = 0; i < s->copy_count; i++)
        hd_buf_reset(&s->copies[i].buf);
    if (PQtransactionStatus(s->conn) != PQTRANS_IDLE)
        run(s, "ROLLBACK", NULL);
}

static int ok_status(const PGresult *res)
{
    ExecStatusType st = PQresultStatus(res);
    return st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK;
}

/* The name of `sql`'s prepared statement on this connection, preparing
 * it the first time (statements are found by address). HD_ELIMIT when
 * there is no room to keep another. */
static int prepare(pg_store *s, const char *sql, int n, char name[16],
                   hd_error *err)
{
    PGresult *res;
    int i, rc = 0;

    for (i = 0; i < s->prepared_count; i++)
        if (s->prepared[i] == sql)
            break;
    snprintf(name, 16, "hd%d", i);
    if (i < s->prepared_count)
        return 0;
    if (i == PREPARED_MAX)
        return HD_ELIMIT;
    res = PQprepare(s->conn, name, sql, n, NULL);
    if (PQresultStatus(res) != PGRES_COMMAND_OK)
        rc = hd__pg_error(&s->base, res, err, "cannot prepare a statement");
    else
        s->prepared[s->prepared_count++] = sql;
    PQclear(res);
    return rc;
}

static int execute(hd_casestore *cs, const char *sql, int n,
                   const char *const *values, PGresult **out, hd_error *err)
{
    pg_store *s = backend(cs);
    PGresult *res;
    char name[16];
    int rc = prepare(s, sql, n, name, err);

    if (out)
        *out = NULL;
    if (rc == HD_ELIMIT) /* no room to keep it: run it once, unprepared */
        res = PQexecParams(s->conn, sql, n, NULL, values, NULL, NULL, 0);
    else if (rc)
        return rc;
    else
        res = PQexecPrepared(s->conn, name, n, values, NULL, NULL, 0);
    if (!ok_status(res)) {
        rc = hd__pg_error(cs, res, err, "statement failed");
        PQclear(res);
        return rc;
    }
    if (out)
        *out = res;
    else
        PQclear(res);
    return 0;
}

int hd__pg_query(hd_casestore *cs, const char *sql, int n,
                 const char *const *values, PGresult **out, hd_error *err)
{
    int rc = hd__pg_copy_flush(cs, err);
    return rc ? rc : execute(cs, sql, n, values, out, err);
}

int hd__pg_exec(hd_casestore *cs, const char *sql, hd_error *err)
{
    return run(backend(cs), sql, err);
}

int hd__pg_each(hd_casestore *cs, const char *sql, int n,
                const char *const *values, int batch,
                int (*fn)(const PGresult *res, int row, void *payload),
                void *payload, hd_error *err)
{
    pg_store *s = backend(cs);
    bool own = !in_txn(cs);
    char cursor[32], fetch[64], close_sql[48];
    hd_buf decl;
    PGresult *res = NULL;
    int rc = 0, stop = 0;

    if (batch <= 0)
        batch = CURSOR_BATCH;
    snprintf(cursor, sizeof(cursor), "hd_cursor_%d", ++s->cursor_seq);
    snprintf(fetch, sizeof(fetch), "FETCH %d FROM %s", batch, cursor);
    snprintf(close_sql, sizeof(close_sql), "CLOSE %s", cursor);
    hd_buf_init(&decl, HD_BUF_DEFAULT_MAX);
    hd_buf_printf(&decl, "DECLARE %s NO SCROLL CURSOR FOR %s", cursor, sql);
    if (hd_buf_error(&decl)) {
        hd_buf_release(&decl);
        return hd_error_set(err, HD_ENOMEM, "out of memory");
    }
    /* A read made from a callback of this one runs in this transaction:
     * committing its own would close this cursor. */
    if (own) {
        if ((rc = run(s, "BEGIN", err)) != 0)
            goto out;
        s->each_own = true;
    }
    if ((rc = hd__pg_copy_flush(cs, err)) != 0)
        goto out;
    res = PQexecParams(s->conn, decl.ptr, n, NULL, values, NULL, NULL, 0);
    if (!ok_status(res)) {
        rc = hd__pg_error(cs, res, err, "cannot open a cursor");
        goto out;
    }
    for (;;) {
        int rows;

        PQclear(res);
        res = PQexec(s->conn, fetch);
        if (!ok_status(res)) {
            rc = hd__pg_error(cs, res, err, "cannot fetch rows");
            goto out;
        }
        rows = PQntuples(res);
        for (int r = 0; r < rows && !stop; r++)
            stop = fn(res, r, payload);
        if (stop || rows < batch)
            break;
    }
    PQclear(res);
    res = NULL;
    rc = run(s, close_sql, err);
out:
    PQclear(res);
    hd_buf_release(&decl);
    if (own && s->each_own) {
        s->each_own = false;
        if (rc == 0)
            rc = commit(s, err);
        else
            pg_rollback_quietly(s);
    }
    return rc ? rc : stop;
}

/* ---------------------------------------------------------- atomic steps */

int hd__pg_atomic_begin(hd_casestore *cs, hd_error *err)
{
    pg_store *s = backend(cs);
    int rc = 0;

    if (!in_txn(cs)) {
        rc = run(s, "BEGIN", err);
        s->atomic_own = rc == 0;
    }
    return rc;
}

int hd__pg_atomic_end(hd_casestore *cs, int rc, hd_error *err)
{
    pg_store *s = backend(cs);

    if (!s->atomic_own)
        return rc;
    s->atomic_own = false;
    if (rc == 0)
        return commit(s, err);
    pg_rollback_quietly(s);
    return rc;
}

/* ------------------------------------------------------------------ COPY */

hd_buf *hd__pg_copy_buffer(hd_casestore *cs, const char *copy_sql,
                           hd_error *err)
{
    pg_store *s = backend(cs);

    for (int i = 0; i < s->copy_count; i++)
        if (s->copies[i].sql == copy_sql)
            return &s->copies[i].buf;
    if (s->copy_count == COPY_MAX) {
        hd_error_set(err, HD_EINVAL, "case store: too many COPY buffers");
        return NULL;
    }
    s->copies[s->copy_count].sql = copy_sql;
    hd_buf_init(&s->copies[s->copy_count].buf, HD_BUF_DEFAULT_MAX);
    return &s->copies[s->copy_count++].buf;
}

/* COPY's text format: fields end in a tab, the row's last one in a
 * newline (hd__pg_copy_row_end turns the tab into it); backslash escapes
 * the characters the format uses. */
void hd__pg_copy_text(hd_buf *b, const char *str, size_t len)
{
    size_t from = 0;

    for (size_t i = 0; i < len; i++) {
        const char *esc = NULL;
        switch (str[i]) {
        case '\\':
            esc = "\\\\";
            break;
        case '\n':
            esc = "\\n";
            break;
        case '\r':
            esc = "\\r";
            break;
        case '\t':
            esc = "\\t";
            break;
        default:
            continue;
        }
        hd_buf_append(b, str + from, i - from);
        hd_buf_puts(b, esc);
        from = i + 1;
    }
    hd_buf_append(b, str + from, len - from);
    hd_buf_putc(b, '\t');
}

void hd__pg_copy_int(hd_buf *b, int64_t v)
{
    hd_buf_printf(b, "%" PRId64 "\t", v);
}

void hd__pg_copy_null(hd_buf *b)
{
    hd_buf_puts(b, "\\N\t");
}

void hd__pg_copy_bytea(hd_buf *b, const void *data, size_t len)
{
    static const char hex[] = "0123456789abcdef";
    const unsigned char *p = data;

    /* bytea's hex form, its backslash escaped for COPY. */
    hd_buf_puts(b, "\\\\x");
    hd_buf_grow(b, len * 2);
    for (size_t i = 0; i < len && !hd_buf_error(b); i++) {
        b->ptr[b->len++] = hex[p[i] >> 4];
        b->ptr[b->len++] = hex[p[i] & 15];
    }
    if (!hd_buf_error(b))
        b->ptr[b->len] = '\0';
    hd_buf_putc(b, '\t');
}

static int copy_send(pg_store *s, copy_buf *c, hd_error *err)
{
    PGresult *res;
    int rc = 0;

    if (hd_buf_error(&c->buf)) {
        rc = hd_error_set(err, hd_buf_error(&c->buf), "case store: COPY: %s",
                          hd_strerror(hd_buf_error(&c->buf)));
        hd_buf_reset(&c->buf);
        return rc;
    }
    if (!c->buf.len)
        return 0;
    res = PQexec(s->conn, c->sql);
    if (PQresultStatus(res) != PGRES_COPY_IN) {
        rc = hd__pg_error(&s->base, res, err, "cannot start a COPY");
        PQclear(res);
        hd_buf_reset(&c->buf);
        return rc;
    }
    PQclear(res);
    if (PQputCopyData(s->conn, c->buf.ptr, (int)c->buf.len) != 1 ||
        PQputCopyEnd(s->conn, NULL) != 1)
        rc = hd__pg_error(&s->base, NULL, err, "cannot send a COPY");
    while ((res = PQgetResult(s->conn)) != NULL) {
        if (rc == 0 && PQresultStatus(res) != PGRES_COMMAND_OK)
            rc = hd__pg_error(&s->base, res, err, "COPY failed");
        PQclear(res);
    }
    hd_buf_reset(&c->buf);
    return rc;
}

int hd__pg_copy_flush(hd_casestore *cs, hd_error *err)
{
    pg_store *s = backend(cs);
    int rc = 0;

    if (s->flushing)
        return 0;
    s->flushing = true;
    for (int i = 0; i < s->copy_count; i++) {
        int r = copy_send(s, &s->copies[i], rc ? NULL : err);
        rc = rc ? rc : r;
    }
    s->flushing = false;
    return rc;
}

int hd__pg_copy_row_end(hd_casestore *cs, hd_buf *b, hd_error *err)
{
    pg_store *s = backend(cs);

    if (b->len && b->ptr[b->len - 1] == '\t')
        b->ptr[b->len - 1] = '\n';
    if (hd_buf_error(b))
        return hd_error_set(err, hd_buf_error(b), "case store: COPY: %s",
                            hd_strerror(hd_buf_error(b)));
    if (s->flushing)
        return 0;
    /* Outside a transaction a row is written at once (a COPY is a
     * statement, whole or not at all), as an INSERT would be. */
    if (!in_txn(cs))
        return hd__pg_copy_flush(cs, err);
    /* Every buffer, earlier ones first: a later table may refer to their
     * rows. */
    return b->len < COPY_FLUSH_BYTES ? 0 : hd__pg_copy_flush(cs, err);
}

/* ---------------------------------------------------------------- values */

const char *hd__pg_text(const PGresult *res, int row, int col)
{
    return PQgetisnull(res, row, col) ? "" : PQgetvalue(res, row, col);
}

const char *hd__pg_opt_text(const PGresult *res, int row, int col)
{
    return PQgetisnull(res, row, col) ? NULL : PQgetvalue(res, row, col);
}

int64_t hd__pg_int(const PGresult *res, int row, int col)
{
    return PQgetisnull(res, row, col)
               ? 0
               : strtoll(PQgetvalue(res, row, col), NULL, 10);
}

const char *hd__pg_itoa(char buf[24], int64_t v)
{
    snprintf(buf, 24, "%" PRId64, v);
    return buf;
}

/* ---------------------------------------------------------- transactions */

static int commit(pg_store *s, hd_error *err)
{
    PGresult *res;
    int rc = hd__pg_copy_flush(&s->base, err);

    if (rc) {
        pg_rollback_quietly(s);
        return rc;
    }
    res = PQexec(s->conn, "COMMIT");
    if (!ok_status(res))
        rc = hd__pg_error(&s->base, res, err, "cannot commit");
    /* COMMIT of a transaction that had failed rolls back and says so. */
    else if (strcmp(PQcmdStatus(res), "COMMIT") != 0)
        rc = hd_error_set(err, HD_ESTORE,
                          "case store: the transaction failed earlier and "
                          "was rolled back");
    PQclear(res);
    return rc;
}

static int pg_begin(hd_casestore *cs, hd_error *err)
{
    pg_store *s = backend(cs);
    int rc;

    if (s->in_txn)
        return hd_error_set(err, HD_EINVAL,
                            "case store: already in a "
                            "transaction");
    rc = run(s, "BEGIN", err);
    if (rc == 0)
        s->in_txn = true;
    return rc;
}

static int pg_commit(hd_casestore *cs, hd_error *err)
{
    pg_store *s = backend(cs);

    if (!s->in_txn)
        return hd_error_set(err, HD_EINVAL, "case store: no transaction");
    s->in_txn = false;
    return commit(s, err);
}

static void pg_rollback(hd_casestore *cs)
{
    pg_store *s = backend(cs);

    pg_rollback_quietly(s);
    s->in_txn = false;
}

/* ------------------------------------------------------ open and migrate */

static int schema_version(pg_store *s, int *out, hd_error *err)
{
    PGresult *res = PQexec(s->conn, "SELECT version FROM schema_version");
    int rc = 0;

    if (PQresultStatus(res) != PGRES_TUPLES_OK)
        rc = hd__pg_error(&s->base, res, err, "cannot read the version");
    else if (PQntuples(res) != 1)
        rc = hd_error_set(err, HD_ESTORE,
                          "case store: schema_version holds %d rows",
                          PQntuples(res));
    else
        *out = (int)hd__pg_int(res, 0, 0);
    PQclear(res);
    return rc;
}

/* Every migration not yet applied, in one transaction that holds the
 * schema lock: a second process opening the database meanwhile waits,
 * then finds the schema current. */
static int migrate(pg_store *s, hd_error *err)
{
    int version = 0, rc;

    rc = run(s, "BEGIN", err);
    if (rc)
        return rc;
    rc = run(s,
             "SELECT pg_advisory_xact_lock(" SCHEMA_LOCK_KEY ");"
             "CREATE TABLE IF NOT EXISTS schema_version (version BIGINT "
             "NOT NULL);"
             "INSERT INTO schema_version SELECT 0 WHERE NOT EXISTS "
             "(SELECT 1 FROM schema_version)",
             err);
    if (rc == 0)
        rc = schema_version(s, &version, err);
    if (rc == 0 && version > hd__schema_version)
        rc = hd_error_set(err, HD_ESTORE,
                          "case store: schema version %d is newer than this "
                          "program's %d",
                          version, hd__schema_version);
    while (rc == 0 && version < hd__schema_version) {
        char *sql = hd__schema_sql(HD__POSTGRESQL, version);
        char set[64];

        rc = sql ? run(s, sql, err)
                 : hd_error_set(err, HD_ENOMEM, "out of memory");
        hd_free(sql);
        snprintf(set, sizeof(set), "UPDATE schema_version SET version = %d",
                 version + 1);
        if (rc == 0)
            rc = run(s, set, err);
        if (rc == 0)
            hd_log(HD_LOG_INFO, "event=casestore_migrated version=%d",
                   ++version);
    }
    if (rc == 0)
        rc = commit(s, err);
    else
        run(s, "ROLLBACK", NULL);
    if (rc == 0)
        s->version = version;
    return rc;
}

/* Server notices (a table that already exists, ...) are not for the
 * user's terminal. */
static void on_notice(void *arg, const char *message)
{
    (void)arg;
    hd_log(HD_LOG_DEBUG, "event=postgresql_notice message=\"%.*s\"",
           (int)strcspn(message, "\n"), message);
}

/* Records and JSON over 2 kB are compressed when stored. PostgreSQL's
 * default, pglz, took a fifth of a roll's time on the server; lz4 (from
 * PostgreSQL 14, when built with it, as Debian's is) compresses as well
 * for this text at a fraction of the cost. A server without it keeps its
 * default: this is a speed setting, not a format. */
static void prefer_lz4(pg_store *s)
{
    PGresult *res = PQexec(s->conn, "SET default_toast_compression = lz4");
    if (PQresultStatus(res) != PGRES_COMMAND_OK)
        hd_log(HD_LOG_DEBUG, "event=postgresql_no_lz4");
    PQclear(res);
}

static void pg_close(hd_casestore *cs)
{
    pg_store *s = backend(cs);

    for (int i = 0; i < s->copy_count; i++)
        hd_buf_release(&s->copies[i].buf);
    PQfinish(s->conn);
    hd_free(s->url);
    hd_free(s);
}

static int pg_schema_version(hd_casestore *cs)
{
    return backend(cs)->version;
}

static int pg_open_same(hd_casestore **out, hd_casestore *cs, hd_error *err)
{
    return hd__pg_open(out, backend(cs)->url, err);
}

static bool pg_in_transaction(hd_casestore *cs)
{
    return backend(cs)->in_txn;
}

static const hd__cs_ops pg_ops = {
    .name = "postgresql",
    .close = pg_close,
    .schema_version = pg_schema_version,
    .begin = pg_begin,
    .in_transaction = pg_in_transaction,
    .commit = pg_commit,
    .rollback = pg_rollback,
    .log_ingest = hd__pg_log_ingest,
    .delivery_accepted = hd__pg_delivery_accepted,
    .quarantine_add = hd__pg_quarantine_add,
    .quarantine_list = hd__pg_quarantine_list,
    .feed_status = hd__pg_feed_status,
    .ingest_logs = hd__pg_ingest_logs,
    .open_same = pg_open_same,
    .policy_put = hd__pg_policy_put,
    .policy_get = hd__pg_policy_get,
    .application_put = hd__pg_application_put,
    .application_get = hd__pg_application_get,
    .consent_put = hd__pg_consent_put,
    .application_put_many = hd__pg_application_put_many,
    .consent_put_many = hd__pg_consent_put_many,
    .consent_revoke = hd__pg_consent_revoke,
    .consents = hd__pg_consents,
    .audit_add = hd__pg_audit_add,
    .audit_list = hd__pg_audit_list,
    .verification_add = hd__pg_verification_add,
    .verification_latest = hd__pg_verification_latest,
    .sql = hd__pg_sql,
};

int hd__pg_open(hd_casestore **out, const char *url, hd_error *err)
{
    /* The URL is expanded as dbname; the other keywords are defaults it
     * may override. */
    const char *const keys[] = {"dbname", "fallback_application_name",
                                "client_encoding", "connect_timeout", NULL};
    const char *const vals[] = {url, "hedui", "UTF8", "10", NULL};
    pg_store *s = hd_calloc(1, sizeof(*s));
    int rc = 0;

    if (!s)
        return hd_error_set(err, HD_ENOMEM, "out of memory");
    s->base.ops = &pg_ops;
    if (!(s->url = hd_strdup(url))) {
        hd_free(s);
        return hd_error_set(err, HD_ENOMEM, "out of memory");
    }
    s->conn = PQconnectdbParams(keys, vals, 1);
    if (!s->conn || PQstatus(s->conn) != CONNECTION_OK) {
        /* The message is libpq's, which never repeats the password. */
        rc = hd__pg_error(&s->base, NULL, err, "cannot connect");
        goto out;
    }
    PQsetNoticeProcessor(s->conn, on_notice, NULL);
    prefer_lz4(s);
    rc = migrate(s, err);
out:
    if (rc) {
        pg_close(&s->base);
        return rc;
    }
    *out = &s->base;
    return 0;
}
