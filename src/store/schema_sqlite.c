/*
 * The SQLite case store's schema as a list of migrations. The program
 * applies them in order, each in its own transaction that also sets
 * PRAGMA user_version to the version reached. Published migrations never
 * change: a new version is a new entry at the end.
 *
 * Dates are ISO 8601 text (readable by anyone with the sqlite3 shell),
 * times are seconds since 1970, reasons are hd_reject_name() names.
 */
#include "store/store_int.h"

static const char migration_1[] =
    /* One row per ingest attempt, accepted or rejected. */
    "CREATE TABLE ingest_log (\n"
    "    id INTEGER PRIMARY KEY,\n"
    "    delivery_id TEXT NOT NULL,\n"
    "    department TEXT NOT NULL,\n"
    "    path TEXT NOT NULL,\n"
    "    as_of TEXT NOT NULL,\n"
    "    mode TEXT NOT NULL CHECK (mode IN ('snapshot', 'delta')),\n"
    "    accepted INTEGER NOT NULL CHECK (accepted IN (0, 1)),\n"
    "    reject_reason TEXT,\n"
    "    reject_detail TEXT,\n"
    "    seq INTEGER,\n"
    "    loaded_at INTEGER NOT NULL,\n"
    "    CHECK (accepted = 0 OR (reject_reason IS NULL AND seq IS NOT NULL)),\n"
    "    CHECK (accepted = 1 OR reject_reason IS NOT NULL)\n"
    ");\n"
    /* A delivery is accepted once (idempotent loads). */
    "CREATE UNIQUE INDEX ingest_log_accepted ON ingest_log (delivery_id)\n"
    "    WHERE accepted = 1;\n"
    "CREATE INDEX ingest_log_delivery ON ingest_log (delivery_id);\n"
    /* The counts of each feed of an attempt, in manifest order (pos). */
    "CREATE TABLE ingest_feed_log (\n"
    "    ingest_id INTEGER NOT NULL REFERENCES ingest_log (id)\n"
    "        ON DELETE CASCADE,\n"
    "    pos INTEGER NOT NULL,\n"
    "    feed TEXT NOT NULL,\n"
    "    rows_in_file INTEGER NOT NULL,\n"
    "    rows_loaded INTEGER NOT NULL,\n"
    "    rows_quarantined INTEGER NOT NULL,\n"
    "    rows_live INTEGER NOT NULL,\n"
    "    PRIMARY KEY (ingest_id, feed)\n"
    ");\n"
    "CREATE INDEX ingest_feed_log_feed ON ingest_feed_log (feed);\n"
    /* Quarantined rows of a feed by reason (reasons with none are not
     * stored). */
    "CREATE TABLE ingest_feed_reject (\n"
    "    ingest_id INTEGER NOT NULL,\n"
    "    feed TEXT NOT NULL,\n"
    "    reason TEXT NOT NULL,\n"
    "    rows INTEGER NOT NULL CHECK (rows > 0),\n"
    "    PRIMARY KEY (ingest_id, feed, reason),\n"
    "    FOREIGN KEY (ingest_id, feed) REFERENCES ingest_feed_log\n"
    "        (ingest_id, feed) ON DELETE CASCADE\n"
    ");\n"
    /* Bad rows, as read. `raw` is a blob: the bytes may not be UTF-8,
     * which may be why the row is here. */
    "CREATE TABLE quarantine (\n"
    "    id INTEGER PRIMARY KEY,\n"
    "    delivery_id TEXT NOT NULL,\n"
    "    file TEXT NOT NULL,\n"
    "    line INTEGER NOT NULL,\n"
    "    col INTEGER NOT NULL,\n"
    "    field TEXT,\n"
    "    reason TEXT NOT NULL,\n"
    "    detail TEXT NOT NULL,\n"
    "    raw BLOB NOT NULL\n"
    ");\n"
    "CREATE INDEX quarantine_delivery ON quarantine (delivery_id, file, "
    "line);\n";

/* Version 2: policies, applications, consents, the audit log and the
 * verifications made (issue: verification). */
static const char migration_2[] =
    /* Each import makes a new version: the whole policy in force after it,
     * in the store's own JSON form (docs/policy.md), so that a result can
     * name the version it used and be replayed with it. */
    "CREATE TABLE policy_version (\n"
    "    version INTEGER PRIMARY KEY,\n"
    "    imported_at INTEGER NOT NULL,\n"
    "    source TEXT NOT NULL,\n"
    "    sha256 TEXT NOT NULL,\n"
    "    content TEXT NOT NULL\n"
    ");\n"
    /* Applications as received; `json` is the record as imported. A
     * refused application is kept too, with the reason. */
    "CREATE TABLE application (\n"
    "    application_no TEXT PRIMARY KEY,\n"
    "    program TEXT NOT NULL,\n"
    "    region TEXT NOT NULL,\n"
    "    applied_on TEXT NOT NULL,\n"
    "    refused_field TEXT,\n"
    "    refused_reason TEXT,\n"
    "    json TEXT NOT NULL,\n"
    "    recorded_at INTEGER NOT NULL\n"
    ");\n"
    "CREATE TABLE application_member (\n"
    "    application_no TEXT NOT NULL REFERENCES application\n"
    "        (application_no) ON DELETE CASCADE,\n"
    "    pos INTEGER NOT NULL,\n"
    "    pid TEXT NOT NULL,\n"
    "    PRIMARY KEY (application_no, pos)\n"
    ");\n"
    "CREATE INDEX application_member_pid ON application_member (pid);\n"
    /* Authorizations (feeds.md), signed: `json` is the canonical form
     * with the signature. Revocation is a date, never a deletion. */
    "CREATE TABLE consent (\n"
    "    authorization_id TEXT PRIMARY KEY,\n"
    "    pid TEXT NOT NULL,\n"
    "    signed_by TEXT NOT NULL,\n"
    "    purposes TEXT NOT NULL,\n"
    "    scope TEXT NOT NULL,\n"
    "    valid_from TEXT NOT NULL,\n"
    "    valid_until TEXT NOT NULL,\n"
    "    issued_by TEXT NOT NULL,\n"
    "    json TEXT NOT NULL,\n"
    "    recorded_at INTEGER NOT NULL,\n"
    "    revoked_at INTEGER,\n"
    "    revoked_reason TEXT\n"
    ");\n"
    /* Covering: a roll's gate reads every authorization in pid order
     * from the index alone, without a table lookup per row. */
    "CREATE INDEX consent_pid ON consent (pid, authorization_id, signed_by,\n"
    "    purposes, scope, valid_from, valid_until, issued_by, recorded_at,\n"
    "    revoked_at, revoked_reason);\n"
    /* Every read of personal data: who, when, which case, which persons
     * (keyed hashes, never IDs), which feeds, under which
     * authorizations. Append only. */
    "CREATE TABLE audit_log (\n"
    "    id INTEGER PRIMARY KEY,\n"
    "    at INTEGER NOT NULL,\n"
    "    actor TEXT NOT NULL,\n"
    "    action TEXT NOT NULL,\n"
    "    case_no TEXT,\n"
    "    persons TEXT NOT NULL,\n"
    "    feeds TEXT NOT NULL,\n"
    "    authorizations TEXT NOT NULL,\n"
    "    outcome TEXT NOT NULL\n"
    ");\n"
    "CREATE INDEX audit_log_case ON audit_log (case_no);\n"
    /* Each verification made: its Result record and what it read (the
     * feed store view and the policy version), so that it can be
     * replayed byte for byte for a report. */
    "CREATE TABLE verification (\n"
    "    id INTEGER PRIMARY KEY,\n"
    "    application_no TEXT NOT NULL,\n"
    "    verified_at INTEGER NOT NULL,\n"
    "    view_seq INTEGER NOT NULL,\n"
    "    policy_version INTEGER NOT NULL,\n"
    "    conclusion TEXT NOT NULL,\n"
    "    record TEXT NOT NULL\n"
    ");\n"
    "CREATE INDEX verification_application ON verification\n"
    "    (application_no, id);\n";

const char *const hd__sqlite_migrations[] = {migration_1, migration_2};
const int hd__sqlite_migration_count =
    (int)(sizeof(hd__sqlite_migrations) / sizeof(hd__sqlite_migrations[0]));
