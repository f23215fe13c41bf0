/*
 * The SQLite case store's audit log and verification records (tables of
 * schema version 2). A roll adds a million of each inside one
 * transaction, so both inserts use statements prepared once per
 * connection.
 */
#include "store/store_int.h"

#include <sqlite3.h>

static const char sql_audit_insert[] =
    "INSERT INTO audit_log (at, actor, action, case_no, persons, feeds, "
    "authorizations, outcome, role, region, seq, prev_hash, entry_hash) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)";
static const char sql_audit_all[] =
    "SELECT id, at, actor, action, case_no, persons, feeds, authorizations, "
    "outcome, role, region FROM audit_log ORDER BY id";
static const char sql_audit_case[] =
    "SELECT id, at, actor, action, case_no, persons, feeds, authorizations, "
    "outcome, role, region FROM audit_log WHERE case_no = ?1 ORDER BY id";
static const char sql_verification_insert[] =
    "INSERT INTO verification (application_no, verified_at, view_seq, "
    "policy_version, conclusion, record) VALUES (?1, ?2, ?3, ?4, ?5, ?6)";
static const char sql_verification_latest[] =
    "SELECT id, application_no, verified_at, view_seq, policy_version, "
    "conclusion, record FROM verification WHERE application_no = ?1 "
    "ORDER BY id DESC LIMIT 1";

static int bind_text(sqlite3_stmt *st, int i, const char *s)
{
    return s ? sqlite3_bind_text(st, i, s, -1, SQLITE_STATIC)
             : sqlite3_bind_null(st, i);
}

static const char *column_text(sqlite3_stmt *st, int i)
{
    const unsigned char *t = sqlite3_column_text(st, i);
    return t ? (const char *)t : NULL;
}

/* Step an insert to completion and give the statement back. */
static int insert_done(hd_casestore *cs, sqlite3_stmt *st, int bind_rc,
                       const char *what, hd_error *err)
{
    int rc = bind_rc == SQLITE_OK ? sqlite3_step(st) : bind_rc;
    int ret = rc == SQLITE_DONE
                  ? 0
                  : hd__sqlite_error(hd__sqlite_db(cs), err, rc, what);
    hd__sqlite_stmt_done(cs, st);
    return ret;
}

int hd__sqlite_audit_add(hd_casestore *cs, const hd_audit_entry *entry,
                         hd_error *err)
{
    char prev[HD_AUDIT_HASH_HEX], hash[HD_AUDIT_HASH_HEX];
    sqlite3_stmt *st;
    int64_t seq;
    int rc;

    rc = hd__audit_chain_next(cs, entry, &seq, prev, hash, err);
    if (rc)
        return rc;
    rc = hd__sqlite_stmt(cs, sql_audit_insert, &st, err);
    if (rc)
        return rc;
    rc = sqlite3_bind_int64(st, 1, entry->at);
    rc = rc ? rc : bind_text(st, 2, entry->actor);
    rc = rc ? rc : bind_text(st, 3, entry->action);
    rc = rc ? rc : bind_text(st, 4, entry->case_no);
    rc = rc ? rc : bind_text(st, 5, entry->persons);
    rc = rc ? rc : bind_text(st, 6, entry->feeds);
    rc = rc ? rc : bind_text(st, 7, entry->authorizations);
    rc = rc ? rc : bind_text(st, 8, entry->outcome);
    rc = rc ? rc : bind_text(st, 9, entry->role);
    rc = rc ? rc : bind_text(st, 10, entry->region);
    rc = rc ? rc : sqlite3_bind_int64(st, 11, seq);
    rc = rc ? rc : bind_text(st, 12, prev);
    rc = rc ? rc : bind_text(st, 13, hash);
    rc = insert_done(cs, st, rc, "cannot add an audit entry", err);
    if (rc == 0)
        hd__audit_chain_advance(cs, seq, hash);
    return rc;
}

int hd__sqlite_audit_list(hd_casestore *cs, const char *case_no,
                          int (*fn)(int64_t id, const hd_audit_entry *entry,
                                    void *payload),
                          void *payload, hd_error *err)
{
    sqlite3_stmt *st;
    int rc;

    rc =
        hd__sqlite_stmt(cs, case_no ? sql_audit_case : sql_audit_all, &st, err);
    if (rc)
        return rc;
    if (case_no)
        sqlite3_bind_text(st, 1, case_no, -1, SQLITE_STATIC);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        hd_audit_entry e = {
            .at = sqlite3_column_int64(st, 1),
            .actor = column_text(st, 2),
            .action = column_text(st, 3),
            .case_no = column_text(st, 4),
            .persons = column_text(st, 5),
            .feeds = column_text(st, 6),
            .authorizations = column_text(st, 7),
            .outcome = column_text(st, 8),
            .role = column_text(st, 9),
            .region = column_text(st, 10),
        };
        int stop = fn(sqlite3_column_int64(st, 0), &e, payload);
        if (stop) {
            hd__sqlite_stmt_done(cs, st);
            return stop;
        }
    }
    rc = rc == SQLITE_DONE ? 0
                           : hd__sqlite_error(hd__sqlite_db(cs), err, rc,
                                              "cannot read the audit log");
    hd__sqlite_stmt_done(cs, st);
    return rc;
}

int hd__sqlite_verification_add(hd_casestore *cs,
                                const hd_verification_row *row, hd_error *err)
{
    sqlite3_stmt *st;
    int rc;

    rc = hd__sqlite_stmt(cs, sql_verification_insert, &st, err);
    if (rc)
        return rc;
    rc = bind_text(st, 1, row->application_no);
    rc = rc ? rc : sqlite3_bind_int64(st, 2, row->verified_at);
    rc = rc ? rc : sqlite3_bind_int64(st, 3, row->view_seq);
    rc = rc ? rc : sqlite3_bind_int64(st, 4, row->policy_version);
    rc = rc ? rc : bind_text(st, 5, row->conclusion);
    rc = rc ? rc : bind_text(st, 6, row->record);
    return insert_done(cs, st, rc, "cannot add a verification", err);
}

int hd__sqlite_verification_latest(hd_casestore *cs, const char *application_no,
                                   int (*fn)(const hd_verification_row *row,
                                             void *payload),
                                   void *payload, hd_error *err)
{
    sqlite3_stmt *st;
    int rc;

    rc = hd__sqlite_stmt(cs, sql_verification_latest, &st, err);
    if (rc)
        return rc;
    sqlite3_bind_text(st, 1, application_no, -1, SQLITE_STATIC);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        hd_verification_row row = {
            .id = sqlite3_column_int64(st, 0),
            .application_no = column_text(st, 1),
            .verified_at = sqlite3_column_int64(st, 2),
            .view_seq = (uint32_t)sqlite3_column_int64(st, 3),
            .policy_version = sqlite3_column_int64(st, 4),
            .conclusion = column_text(st, 5),
            .record = column_text(st, 6),
        };
        rc = fn(&row, payload);
    } else if (rc == SQLITE_DONE) {
        rc = hd_error_set(err, HD_ENOTFOUND,
                          "no verification of application %s", application_no);
    } else {
        rc = hd__sqlite_error(hd__sqlite_db(cs), err, rc,
                              "cannot read verifications");
    }
    hd__sqlite_stmt_done(cs, st);
    return rc;
}
