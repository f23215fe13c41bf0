/*
 * The portable SQL of hd__sql on SQLite: `$1`..`$n` are named parameters
 * to SQLite, bound by name, so that a statement may use them in any
 * order and more than once.
 */
#include "store/store_int.h"

#include <sqlite3.h>
#include <stdio.h>

#define SQL_COLS_MAX 64

static int bind(sqlite3 *db, sqlite3_stmt *st, int n, const hd__sql_arg *args,
                hd_error *err)
{
    for (int i = 0; i < n; i++) {
        char name[16];
        int idx, rc;

        snprintf(name, sizeof(name), "$%d", i + 1);
        if ((idx = sqlite3_bind_parameter_index(st, name)) == 0)
            continue; /* a parameter the statement does not use */
        if (args[i].type == 'i')
            rc = sqlite3_bind_int64(st, idx, args[i].num);
        else if (args[i].text)
            rc = sqlite3_bind_text(st, idx, args[i].text, -1, SQLITE_STATIC);
        else
            rc = sqlite3_bind_null(st, idx);
        if (rc != SQLITE_OK)
            return hd__sqlite_error(db, err, rc, "bind");
    }
    return 0;
}

int hd__sqlite_sql(hd_casestore *cs, const char *sql, int n,
                   const hd__sql_arg *args, bool many,
                   int (*fn)(const char *const *cols, int ncols, void *payload),
                   void *payload, int64_t *changes, hd_error *err)
{
    sqlite3 *db = hd__sqlite_db(cs);
    sqlite3_stmt *st = NULL;
    const char *cols[SQL_COLS_MAX];
    int rc, src;

    (void)many; /* SQLite steps through rows as it goes */
    if ((rc = hd__sqlite_stmt(cs, sql, &st, err)) != 0)
        return rc;
    if ((rc = bind(db, st, n, args, err)) != 0)
        goto out;
    while ((src = sqlite3_step(st)) == SQLITE_ROW) {
        int ncols = sqlite3_column_count(st);

        if (!fn)
            continue;
        if (ncols > SQL_COLS_MAX) {
            rc = hd_error_set(err, HD_EINVAL,
                              "case store: more than %d columns", SQL_COLS_MAX);
            goto out;
        }
        for (int i = 0; i < ncols; i++)
            cols[i] = (const char *)sqlite3_column_text(st, i);
        if ((rc = fn(cols, ncols, payload)) != 0)
            goto out;
    }
    if (src != SQLITE_DONE) {
        rc = hd__sqlite_error(db, err, src, "statement");
        goto out;
    }
    if (changes)
        *changes = sqlite3_changes64(db);
out:
    hd__sqlite_stmt_done(cs, st);
    return rc;
}
