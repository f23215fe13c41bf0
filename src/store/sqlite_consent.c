/*
 * Applications and authorizations in the SQLite case store (tables of
 * schema version 2, schema_sqlite.c).
 *
 * Importers put a million records in one transaction, so statements are
 * kept per connection (hd__sqlite_stmt) and a put is one INSERT in the
 * common case: INSERT ... ON CONFLICT DO NOTHING, and only when nothing
 * was inserted a SELECT to tell "the same record again" from "another
 * record under the same id".
 */
#include "store/store_int.h"

#include <hedui/std.h>

#include <limits.h>
#include <sqlite3.h>
#include <string.h>

static const char sql_app_insert[] =
    "INSERT INTO application (application_no, program, region, applied_on, "
    "refused_field, refused_reason, json, recorded_at) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) "
    "ON CONFLICT (application_no) DO NOTHING";
static const char sql_app_json[] =
    "SELECT json FROM application WHERE application_no = ?1";
static const char sql_member_insert[] =
    "INSERT INTO application_member (application_no, pos, pid) "
    "VALUES (?1, ?2, ?3)";
static const char sql_app_get[] =
    "SELECT application_no, program, region, applied_on, refused_field, "
    "refused_reason, json, recorded_at FROM application "
    "WHERE application_no = ?1";
static const char sql_app_members[] =
    "SELECT pid FROM application_member WHERE application_no = ?1 "
    "ORDER BY pos";
static const char sql_consent_insert[] =
    "INSERT INTO consent (authorization_id, pid, signed_by, purposes, scope, "
    "valid_from, valid_until, issued_by, json, recorded_at, revoked_at, "
    "revoked_reason) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, "
    "?12) ON CONFLICT (authorization_id) DO NOTHING";
static const char sql_consent_json[] =
    "SELECT json FROM consent WHERE authorization_id = ?1";
static const char sql_consent_revoke[] =
    "UPDATE consent SET revoked_at = ?2, revoked_reason = ?3 "
    "WHERE authorization_id = ?1 AND revoked_at IS NULL";
#define CONSENT_COLUMNS                                                        \
    "SELECT authorization_id, pid, signed_by, purposes, scope, valid_from, "   \
    "valid_until, issued_by, json, recorded_at, revoked_at, revoked_reason "   \
    "FROM consent "
/* Everyone: from the covering pid index alone, so that a roll reads
 * people in the order of the feed store, nothing is sorted and no row of
 * the table is visited (the JSON is not read: rows come with json NULL). */
static const char sql_consents_all[] =
    "SELECT authorization_id, pid, signed_by, purposes, scope, valid_from, "
    "valid_until, issued_by, NULL, recorded_at, revoked_at, revoked_reason "
    "FROM consent INDEXED BY consent_pid ORDER BY pid";
static const char sql_consents_one[] =
    CONSENT_COLUMNS "WHERE pid = ?1 ORDER BY rowid";

static const char *column_text(sqlite3_stmt *st, int i)
{
    const unsigned char *t = sqlite3_column_text(st, i);
    return t ? (const char *)t : "";
}

static int32_t column_date(sqlite3_stmt *st, int i)
{
    int32_t d = INT32_MIN;
    const char *t = column_text(st, i);
    if (*t && hd_date_parse(&d, t, (size_t)sqlite3_column_bytes(st, i), NULL))
        d = INT32_MIN;
    return d;
}

static int bind_date(sqlite3_stmt *st, int i, int32_t date)
{
    char text[HD_DATE_TEXT_MAX];

    /* An application without a date (refused on its form) has "". */
    if (date == INT32_MIN)
        return sqlite3_bind_text(st, i, "", 0, SQLITE_STATIC);
    hd_date_format(text, date);
    return sqlite3_bind_text(st, i, text, -1, SQLITE_TRANSIENT);
}

static int bind_text(sqlite3_stmt *st, int i, const char *s)
{
    return s ? sqlite3_bind_text(st, i, s, -1, SQLITE_STATIC)
             : sqlite3_bind_null(st, i);
}

/* Run a statement that returns nothing. */
static int step_done(sqlite3 *db, sqlite3_stmt *st, int brc, const char *what,
                     hd_error *err)
{
    int rc = brc == SQLITE_OK ? sqlite3_step(st) : brc;
    return rc == SQLITE_DONE ? 0 : hd__sqlite_error(db, err, rc, what);
}

/*
 * After an INSERT that inserted nothing: the json already stored under
 * `id` is `json`? (1 the same, 0 other content, <0 error.)
 */
static int same_json(hd_casestore *cs, const char *sql, const char *id,
                     const char *json, size_t json_len, hd_error *err)
{
    sqlite3 *db = hd__sqlite_db(cs);
    sqlite3_stmt *st = NULL;
    int rc = hd__sqlite_stmt(cs, sql, &st, err);

    if (rc)
        return rc;
    rc = sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
    if (rc == SQLITE_OK)
        rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        size_t len = (size_t)sqlite3_column_bytes(st, 0);
        const void *stored = sqlite3_column_blob(st, 0);
        rc = len == json_len && (len == 0 || !memcmp(stored, json, len));
    } else {
        rc = hd__sqlite_error(db, err, rc == SQLITE_DONE ? SQLITE_ERROR : rc,
                              "cannot read a stored record");
    }
    hd__sqlite_stmt_done(cs, st);
    return rc;
}

/* --------------------------------------------------------- applications */

static int insert_members(hd_casestore *cs, const hd_application_row *row,
                          hd_error *err)
{
    sqlite3 *db = hd__sqlite_db(cs);
    int rc = 0;

    for (int i = 0; rc == 0 && i < row->member_count; i++) {
        sqlite3_stmt *st = NULL;
        int brc;
        const char *pid = row->member_pids[i] ? row->member_pids[i] : "";

        rc = hd__sqlite_stmt(cs, sql_member_insert, &st, err);
        if (rc)
            break;
        brc = sqlite3_bind_text(st, 1, row->application_no, -1, SQLITE_STATIC);
        brc = brc ? brc : sqlite3_bind_int(st, 2, i);
        brc = brc ? brc : sqlite3_bind_text(st, 3, pid, -1, SQLITE_STATIC);
        rc = step_done(db, st, brc, "cannot store a member", err);
        hd__sqlite_stmt_done(cs, st);
    }
    return rc;
}

static int app_put(hd_casestore *cs, const hd_application_row *row,
                   bool *stored, hd_error *err)
{
    sqlite3 *db = hd__sqlite_db(cs);
    sqlite3_stmt *st = NULL;
    size_t json_len = row->json_len ? row->json_len : strlen(row->json);
    int rc, brc;

    rc = hd__sqlite_stmt(cs, sql_app_insert, &st, err);
    if (rc)
        return rc;
    brc = sqlite3_bind_text(st, 1, row->application_no, -1, SQLITE_STATIC);
    brc = brc ? brc : bind_text(st, 2, row->program ? row->program : "");
    brc = brc ? brc : bind_text(st, 3, row->region ? row->region : "");
    brc = brc ? brc : bind_date(st, 4, row->applied_on);
    brc = brc ? brc : bind_text(st, 5, row->refused_field);
    brc = brc ? brc : bind_text(st, 6, row->refused_reason);
    brc =
        brc ? brc
            : sqlite3_bind_text(st, 7, row->json, (int)json_len, SQLITE_STATIC);
    brc = brc ? brc : sqlite3_bind_int64(st, 8, row->recorded_at);
    rc = step_done(db, st, brc, "cannot store an application", err);
    hd__sqlite_stmt_done(cs, st);
    if (rc)
        return rc;
    if (sqlite3_changes(db) == 1) {
        *stored = true;
        return insert_members(cs, row, err);
    }
    rc = same_json(cs, sql_app_json, row->application_no, row->json, json_len,
                   err);
    if (rc < 0)
        return rc;
    if (rc == 0)
        return hd_error_set(err, HD_EEXISTS,
                            "application %s is already recorded with other "
                            "content",
                            row->application_no);
    return 0;
}

int hd__sqlite_application_put(hd_casestore *cs, const hd_application_row *row,
                               bool *stored, hd_error *err)
{
    sqlite3 *db = hd__sqlite_db(cs);
    bool own_txn;
    int rc;

    /* The application and its members go in together: inside the
     * caller's transaction, or in one of their own. */
    own_txn = sqlite3_get_autocommit(db) != 0;
    if (own_txn && (rc = sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL,
                                      NULL)) != SQLITE_OK)
        return hd__sqlite_error(db, err, rc, "cannot begin");
    rc = app_put(cs, row, stored, err);
    if (own_txn) {
        if (rc == 0 &&
            (rc = sqlite3_exec(db, "COMMIT", NULL, NULL, NULL)) != SQLITE_OK)
            rc = hd__sqlite_error(db, err, rc, "cannot commit");
        if (rc) {
            sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
            *stored = false;
        }
    }
    return rc;
}

int hd__sqlite_application_get(hd_casestore *cs, const char *application_no,
                               int (*fn)(const hd_application_row *row,
                                         void *payload),
                               void *payload, hd_error *err)
{
    sqlite3 *db = hd__sqlite_db(cs);
    sqlite3_stmt *st = NULL, *ms = NULL;
    hd_application_row row;
    char(*pids)[HD_PID_LEN + 1] = NULL;
    const char **pid_ptrs = NULL;
    int rc, count = 0, cap = 0;

    rc = hd__sqlite_stmt(cs, sql_app_get, &st, err);
    if (rc)
        return rc;
    rc = hd__sqlite_stmt(cs, sql_app_members, &ms, err);
    if (rc)
        goto out;
    rc = sqlite3_bind_text(ms, 1, application_no, -1, SQLITE_STATIC);
    while (rc == SQLITE_OK && (rc = sqlite3_step(ms)) == SQLITE_ROW) {
        if (count == cap) {
            int ncap = cap ? cap * 2 : 8;
            void *np = hd_realloc(pids, (size_t)ncap * sizeof(*pids));
            if (!np) {
                rc = hd_error_set(err, HD_ENOMEM, "out of memory");
                goto out;
            }
            pids = np;
            cap = ncap;
        }
        memset(pids[count], 0, sizeof(pids[count]));
        memcpy(pids[count], column_text(ms, 0),
               strnlen(column_text(ms, 0), HD_PID_LEN));
        count++;
        rc = SQLITE_OK;
    }
    if (rc != SQLITE_DONE) {
        rc = hd__sqlite_error(db, err, rc, "cannot read members");
        goto out;
    }
    pid_ptrs = hd_calloc((size_t)count + 1, sizeof(*pid_ptrs));
    if (!pid_ptrs) {
        rc = hd_error_set(err, HD_ENOMEM, "out of memory");
        goto out;
    }
    for (int i = 0; i < count; i++)
        pid_ptrs[i] = pids[i];

    rc = sqlite3_bind_text(st, 1, application_no, -1, SQLITE_STATIC);
    if (rc == SQLITE_OK)
        rc = sqlite3_step(st);
    if (rc == SQLITE_DONE) {
        rc = hd_error_set(err, HD_ENOTFOUND, "no application %s",
                          application_no);
        goto out;
    }
    if (rc != SQLITE_ROW) {
        rc = hd__sqlite_error(db, err, rc, "cannot read an application");
        goto out;
    }
    memset(&row, 0, sizeof(row));
    row.application_no = column_text(st, 0);
    row.program = column_text(st, 1);
    row.region = column_text(st, 2);
    row.applied_on = column_date(st, 3);
    row.refused_field = (const char *)sqlite3_column_text(st, 4);
    row.refused_reason = (const char *)sqlite3_column_text(st, 5);
    row.json = column_text(st, 6);
    row.json_len = (size_t)sqlite3_column_bytes(st, 6);
    row.recorded_at = sqlite3_column_int64(st, 7);
    row.member_count = count;
    row.member_pids = pid_ptrs;
    rc = fn(&row, payload);
out:
    hd__sqlite_stmt_done(cs, ms);
    hd__sqlite_stmt_done(cs, st);
    hd_free(pids);
    hd_free(pid_ptrs);
    return rc;
}

/* ------------------------------------------------------------- consents */

int hd__sqlite_consent_put(hd_casestore *cs, const hd_consent_row *row,
                           bool *stored, hd_error *err)
{
    sqlite3 *db = hd__sqlite_db(cs);
    sqlite3_stmt *st = NULL;
    size_t json_len;
    int rc, brc;

    json_len = strlen(row->json);
    rc = hd__sqlite_stmt(cs, sql_consent_insert, &st, err);
    if (rc)
        return rc;
    brc = sqlite3_bind_text(st, 1, row->authorization_id, -1, SQLITE_STATIC);
    brc = brc ? brc : sqlite3_bind_text(st, 2, row->pid, -1, SQLITE_STATIC);
    brc = brc ? brc : bind_text(st, 3, row->signed_by ? row->signed_by : "");
    brc = brc ? brc : bind_text(st, 4, row->purposes ? row->purposes : "");
    brc = brc ? brc : bind_text(st, 5, row->scope ? row->scope : "");
    brc = brc ? brc : bind_date(st, 6, row->valid_from);
    brc = brc ? brc : bind_date(st, 7, row->valid_until);
    brc = brc ? brc : bind_text(st, 8, row->issued_by ? row->issued_by : "");
    brc =
        brc ? brc
            : sqlite3_bind_text(st, 9, row->json, (int)json_len, SQLITE_STATIC);
    brc = brc ? brc : sqlite3_bind_int64(st, 10, row->recorded_at);
    if (row->revoked_at)
        brc = brc ? brc : sqlite3_bind_int64(st, 11, row->revoked_at);
    else
        brc = brc ? brc : sqlite3_bind_null(st, 11);
    brc = brc ? brc : bind_text(st, 12, row->revoked_reason);
    rc = step_done(db, st, brc, "cannot store an authorization", err);
    hd__sqlite_stmt_done(cs, st);
    if (rc)
        return rc;
    if (sqlite3_changes(db) == 1) {
        *stored = true;
        return 0;
    }
    rc = same_json(cs, sql_consent_json, row->authorization_id, row->json,
                   json_len, err);
    if (rc < 0)
        return rc;
    if (rc == 0)
        return hd_error_set(err, HD_EEXISTS,
                            "authorization %s is already recorded with other "
                            "content",
                            row->authorization_id);
    return 0;
}

int hd__sqlite_consent_revoke(hd_casestore *cs, const char *authorization_id,
                              int64_t at, const char *reason, hd_error *err)
{
    sqlite3 *db = hd__sqlite_db(cs);
    sqlite3_stmt *st = NULL;
    int rc, brc;

    rc = hd__sqlite_stmt(cs, sql_consent_revoke, &st, err);
    if (rc)
        return rc;
    brc = sqlite3_bind_text(st, 1, authorization_id, -1, SQLITE_STATIC);
    brc = brc ? brc : sqlite3_bind_int64(st, 2, at);
    brc = brc ? brc : bind_text(st, 3, reason);
    rc = step_done(db, st, brc, "cannot revoke", err);
    hd__sqlite_stmt_done(cs, st);
    if (rc || sqlite3_changes(db) == 1)
        return rc;
    /* Nothing changed: revoked already (the first revocation stands), or
     * unknown. */
    rc = hd__sqlite_stmt(cs, sql_consent_json, &st, err);
    if (rc)
        return rc;
    rc = sqlite3_bind_text(st, 1, authorization_id, -1, SQLITE_STATIC);
    if (rc == SQLITE_OK)
        rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        rc = 0;
    else if (rc == SQLITE_DONE)
        rc = hd_error_set(err, HD_ENOTFOUND, "no authorization %s",
                          authorization_id);
    else
        rc = hd__sqlite_error(db, err, rc, "cannot read an authorization");
    hd__sqlite_stmt_done(cs, st);
    return rc;
}

int hd__sqlite_consents(hd_casestore *cs, const char *pid,
                        int (*fn)(const hd_consent_row *row, void *payload),
                        void *payload, hd_error *err)
{
    sqlite3 *db = hd__sqlite_db(cs);
    const char *sql = pid ? sql_consents_one : sql_consents_all;
    sqlite3_stmt *st = NULL;
    int rc;

    rc = hd__sqlite_stmt(cs, sql, &st, err);
    if (rc)
        return rc;
    rc = pid ? sqlite3_bind_text(st, 1, pid, -1, SQLITE_STATIC) : SQLITE_OK;
    while (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        hd_consent_row row;

        row.authorization_id = column_text(st, 0);
        row.pid = column_text(st, 1);
        row.signed_by = column_text(st, 2);
        row.purposes = column_text(st, 3);
        row.scope = column_text(st, 4);
        row.valid_from = column_date(st, 5);
        row.valid_until = column_date(st, 6);
        row.issued_by = column_text(st, 7);
        row.json = column_text(st, 8);
        row.recorded_at = sqlite3_column_int64(st, 9);
        row.revoked_at = sqlite3_column_int64(st, 10);
        row.revoked_reason = (const char *)sqlite3_column_text(st, 11);
        rc = fn(&row, payload);
        if (rc)
            goto out;
    }
    rc = rc == SQLITE_DONE
             ? 0
             : hd__sqlite_error(db, err, rc, "cannot read authorizations");
out:
    hd__sqlite_stmt_done(cs, st);
    return rc;
}
