/*
 * The case store of a test, on either backend (testutil.h). For
 * PostgreSQL each store is a schema of its own in the test database, so
 * that tests running at once, in one program or several, never see each
 * other's tables; the URL's options=-csearch_path puts the store's
 * unqualified table names there.
 */
#include "testutil.h"

#include <libpq-fe.h>
#include <sqlite3.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define SEARCH_PATH "options=-csearch_path%3D"

bool tu_backend_is_pg(void)
{
    const char *b = getenv("HEDUI_TEST_BACKEND");
    return b && !strcmp(b, "postgresql");
}

static bool is_url(const char *location)
{
    return !strncmp(location, "postgresql://", 13) ||
           !strncmp(location, "postgres://", 11);
}

/* The test database's URL, read once from $HEDUI_TEST_PG_URL_FILE. */
static const char *base_url(void)
{
    static char url[1024];
    const char *file = getenv("HEDUI_TEST_PG_URL_FILE");
    char *text;

    if (url[0])
        return url;
    if (!file || !*file)
        fail_msg("HEDUI_TEST_BACKEND=postgresql needs HEDUI_TEST_PG_URL_FILE "
                 "(run the test through ctest, whose fixture pg starts the "
                 "server)");
    text = tu_read_file(file, NULL);
    if (!text)
        fail_msg("cannot read %s: did the fixture pg/start fail?", file);
    text[strcspn(text, "\r\n")] = '\0';
    if (!is_url(text) || strlen(text) >= sizeof(url) - 64) {
        free(text);
        fail_msg("%s does not hold a postgresql:// URL", file);
    }
    snprintf(url, sizeof(url), "%s", text);
    free(text);
    return url;
}

static void quiet(void *arg, const char *message)
{
    (void)arg;
    (void)message; /* "schema does not exist, skipping" and the like */
}

static PGconn *pg_connect(const char *url)
{
    PGconn *conn = PQconnectdb(url);
    if (PQstatus(conn) != CONNECTION_OK) {
        char msg[512];
        snprintf(msg, sizeof(msg), "%s", PQerrorMessage(conn));
        PQfinish(conn);
        fail_msg("cannot connect to the test database %s: %s", url, msg);
    }
    PQsetNoticeProcessor(conn, quiet, NULL);
    return conn;
}

/* Run `sql` on `url`; the first column of the first row, or -1. */
static long long pg_run(const char *url, const char *sql)
{
    PGconn *conn = pg_connect(url);
    PGresult *res = PQexec(conn, sql);
    ExecStatusType st = PQresultStatus(res);
    long long v = -1;

    if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
        char msg[512];
        snprintf(msg, sizeof(msg), "%s", PQerrorMessage(conn));
        PQclear(res);
        PQfinish(conn);
        fail_msg("%s: %s", sql, msg);
    }
    if (st == PGRES_TUPLES_OK && PQntuples(res) > 0 && PQnfields(res) > 0 &&
        !PQgetisnull(res, 0, 0))
        v = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
    PQclear(res);
    PQfinish(conn);
    return v;
}

/* The schema a store's URL names (tu_casestore_new made it). */
static void schema_of(char out[64], const char *location)
{
    const char *p = strstr(location, SEARCH_PATH);
    size_t n;

    assert_non_null(p);
    p += strlen(SEARCH_PATH);
    n = strspn(p, "abcdefghijklmnopqrstuvwxyz0123456789_");
    assert_true(n > 0 && n < 64);
    memcpy(out, p, n);
    out[n] = '\0';
}

static void pg_schema_create(const char *schema)
{
    char sql[256];
    /* The name holds this process's id: one left by an earlier process
     * with the same id (a crashed test) is stale. */
    snprintf(sql, sizeof(sql),
             "DROP SCHEMA IF EXISTS %s CASCADE; CREATE SCHEMA %s", schema,
             schema);
    pg_run(base_url(), sql);
}

const char *tu_casestore_new(char *out, size_t out_len, const char *dir)
{
    static unsigned counter;
    const char *base;
    char schema[64];
    int n;

    if (!tu_backend_is_pg()) {
        n = snprintf(out, out_len, "%s/case.db", dir);
        assert_true(n > 0 && (size_t)n < out_len);
        return out;
    }
    base = base_url();
    snprintf(schema, sizeof(schema), "t_%ld_%u", (long)getpid(), ++counter);
    pg_schema_create(schema);
    n = snprintf(out, out_len, "%s%s%s%s", base, strchr(base, '?') ? "&" : "?",
                 SEARCH_PATH, schema);
    assert_true(n > 0 && (size_t)n < out_len);
    return out;
}

void tu_casestore_reset(const char *location)
{
    char schema[64], side[4200];

    if (!is_url(location)) {
        remove(location);
        snprintf(side, sizeof(side), "%s-wal", location);
        remove(side);
        snprintf(side, sizeof(side), "%s-shm", location);
        remove(side);
        return;
    }
    schema_of(schema, location);
    pg_schema_create(schema);
}

void tu_casestore_drop(const char *location)
{
    char schema[64], sql[128];

    if (!is_url(location))
        return;
    schema_of(schema, location);
    snprintf(sql, sizeof(sql), "DROP SCHEMA IF EXISTS %s CASCADE", schema);
    pg_run(base_url(), sql);
}

long long tu_casestore_int(const char *location, const char *sql)
{
    sqlite3 *db;
    sqlite3_stmt *st;
    long long v = -1;

    if (is_url(location))
        return pg_run(location, sql);
    assert_int_equal(sqlite3_open(location, &db), SQLITE_OK);
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
        fail_msg("%s: %s", sql, sqlite3_errmsg(db));
    if (sqlite3_step(st) == SQLITE_ROW)
        v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    sqlite3_close(db);
    return v;
}

void tu_casestore_exec(const char *location, const char *sql)
{
    sqlite3 *db;

    if (is_url(location)) {
        pg_run(location, sql);
        return;
    }
    assert_int_equal(sqlite3_open(location, &db), SQLITE_OK);
    if (sqlite3_exec(db, sql, NULL, NULL, NULL) != SQLITE_OK)
        fail_msg("%s: %s", sql, sqlite3_errmsg(db));
    sqlite3_close(db);
}
