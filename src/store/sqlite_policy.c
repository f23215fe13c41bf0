/*
 * Policy versions in the SQLite case store (table policy_version,
 * migration 2). Imports are rare, so statements are prepared per call.
 * The check against the latest version and the insert run under one
 * savepoint, so that two importers cannot both store the same content
 * or take the same number, whether or not the caller has a transaction
 * open.
 */
#include "store/store_int.h"

#include <sqlite3.h>
#include <string.h>

static int prepare(sqlite3 *db, sqlite3_stmt **st, const char *sql,
                   hd_error *err)
{
    int rc = sqlite3_prepare_v2(db, sql, -1, st, NULL);
    return rc == SQLITE_OK ? 0 : hd__sqlite_error(db, err, rc, "policy");
}

int hd__sqlite_policy_put(hd_casestore *cs, int64_t *version_out,
                          const char *source, const char *sha256,
                          const char *content, int64_t imported_at,
                          hd_error *err)
{
    sqlite3 *db = hd__sqlite_db(cs);
    sqlite3_stmt *st = NULL;
    bool in_savepoint = false;
    int64_t latest = 0;
    int rc, src;

    if ((src = sqlite3_exec(db, "SAVEPOINT policy_put", NULL, NULL, NULL)) !=
        SQLITE_OK)
        return hd__sqlite_error(db, err, src, "policy: savepoint");
    in_savepoint = true;
    if ((rc = prepare(db, &st,
                      "SELECT version, sha256 FROM policy_version "
                      "ORDER BY version DESC LIMIT 1",
                      err)) != 0)
        goto out;
    src = sqlite3_step(st);
    if (src == SQLITE_ROW) {
        const unsigned char *h = sqlite3_column_text(st, 1);
        latest = sqlite3_column_int64(st, 0);
        if (h && !strcmp((const char *)h, sha256))
            goto out; /* the same content: nothing to store */
    } else if (src != SQLITE_DONE) {
        rc = hd__sqlite_error(db, err, src, "policy: latest version");
        goto out;
    }
    sqlite3_finalize(st);
    st = NULL;
    if ((rc = prepare(db, &st,
                      "INSERT INTO policy_version "
                      "(version, imported_at, source, sha256, content) "
                      "VALUES (?1, ?2, ?3, ?4, ?5)",
                      err)) != 0)
        goto out;
    sqlite3_bind_int64(st, 1, latest + 1);
    sqlite3_bind_int64(st, 2, imported_at);
    sqlite3_bind_text(st, 3, source, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, sha256, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 5, content, -1, SQLITE_STATIC);
    if ((src = sqlite3_step(st)) != SQLITE_DONE) {
        rc = hd__sqlite_error(db, err, src, "policy: insert");
        goto out;
    }
    if (version_out)
        *version_out = latest + 1;
out:
    sqlite3_finalize(st);
    if (in_savepoint) {
        if (rc) {
            sqlite3_exec(db, "ROLLBACK TO policy_put", NULL, NULL, NULL);
            sqlite3_exec(db, "RELEASE policy_put", NULL, NULL, NULL);
        } else if ((src = sqlite3_exec(db, "RELEASE policy_put", NULL, NULL,
                                       NULL)) != SQLITE_OK) {
            rc = hd__sqlite_error(db, err, src, "policy: commit");
            if (version_out)
                *version_out = 0;
        }
    }
    return rc;
}

int hd__sqlite_policy_get(hd_casestore *cs, char **out, int64_t *version_out,
                          int64_t version, hd_error *err)
{
    sqlite3 *db = hd__sqlite_db(cs);
    sqlite3_stmt *st = NULL;
    int rc, src;

    if ((rc = prepare(db, &st,
                      version ? "SELECT version, content FROM policy_version "
                                "WHERE version = ?1"
                              : "SELECT version, content FROM policy_version "
                                "ORDER BY version DESC LIMIT 1",
                      err)) != 0)
        return rc;
    if (version)
        sqlite3_bind_int64(st, 1, version);
    src = sqlite3_step(st);
    if (src == SQLITE_ROW) {
        const char *text = (const char *)sqlite3_column_text(st, 1);
        size_t len = (size_t)sqlite3_column_bytes(st, 1);
        if (!(*out = hd_strndup(text ? text : "", len)))
            rc = hd_error_set(err, HD_ENOMEM, "out of memory");
        else if (version_out)
            *version_out = sqlite3_column_int64(st, 0);
    } else if (src == SQLITE_DONE) {
        rc = version ? hd_error_set(err, HD_ENOTFOUND,
                                    "case store: no policy version %lld",
                                    (long long)version)
                     : hd_error_set(err, HD_ENOTFOUND,
                                    "case store: no policy imported");
    } else {
        rc = hd__sqlite_error(db, err, src, "policy: read");
    }
    sqlite3_finalize(st);
    return rc;
}
