/*
 * The case store's schema, one description for both backends: a list of
 * migrations, migrations[i] taking the schema from version i to i + 1.
 * Published migrations never change; a new version is a new entry at the
 * end. The program applies them in order at open, each in a transaction
 * of its own that also records the version reached (SQLite: PRAGMA
 * user_version; PostgreSQL: the table schema_version).
 *
 * The text is SQL both engines read, with a few words in braces that
 * each dialect spells its own way (hd__schema_sql):
 *
 *   {ID}    a generated key: SQLite's INTEGER PRIMARY KEY (the rowid),
 *           PostgreSQL's BIGINT identity;
 *   {INT}   an integer: SQLite's INTEGER is 64-bit, PostgreSQL's BIGINT;
 *   {TEXT}  text that sorts byte by byte: SQLite's TEXT, PostgreSQL's
 *           TEXT COLLATE "C" (so that lists come in the same order from
 *           both, whatever locale the database was created with);
 *   {BLOB}  bytes: BLOB, BYTEA;
 *   {ROWID} the insertion order SQLite keeps in every table's rowid, as a
 *           column of PostgreSQL's (nothing on SQLite).
 *
 * Dates are ISO 8601 text, times are seconds since 1970, reasons are
 * hd_reject_name() names.
 */
#include "store/store_int.h"

#include <string.h>

static const char migration_1[] =
    /* One row per ingest attempt, accepted or rejected. */
    "CREATE TABLE ingest_log (\n"
    "    id {ID},\n"
    "    delivery_id {TEXT} NOT NULL,\n"
    "    department {TEXT} NOT NULL,\n"
    "    path {TEXT} NOT NULL,\n"
    "    as_of {TEXT} NOT NULL,\n"
    "    mode {TEXT} NOT NULL CHECK (mode IN ('snapshot', 'delta')),\n"
    "    accepted {INT} NOT NULL CHECK (accepted IN (0, 1)),\n"
    "    reject_reason {TEXT},\n"
    "    reject_detail {TEXT},\n"
    "    seq {INT},\n"
    "    loaded_at {INT} NOT NULL,\n"
    "    CHECK (accepted = 0 OR (reject_reason IS NULL AND seq IS NOT NULL)),\n"
    "    CHECK (accepted = 1 OR reject_reason IS NOT NULL)\n"
    ");\n"
    /* A delivery is accepted once (idempotent loads). */
    "CREATE UNIQUE INDEX ingest_log_accepted ON ingest_log (delivery_id)\n"
    "    WHERE accepted = 1;\n"
    "CREATE INDEX ingest_log_delivery ON ingest_log (delivery_id);\n"
    /* The counts of each feed of an attempt, in manifest order (pos). */
    "CREATE TABLE ingest_feed_log (\n"
    "    ingest_id {INT} NOT NULL REFERENCES ingest_log (id)\n"
    "        ON DELETE CASCADE,\n"
    "    pos {INT} NOT NULL,\n"
    "    feed {TEXT} NOT NULL,\n"
    "    rows_in_file {INT} NOT NULL,\n"
    "    rows_loaded {INT} NOT NULL,\n"
    "    rows_quarantined {INT} NOT NULL,\n"
    "    rows_live {INT} NOT NULL,\n"
    "    PRIMARY KEY (ingest_id, feed)\n"
    ");\n"
    "CREATE INDEX ingest_feed_log_feed ON ingest_feed_log (feed);\n"
    /* Quarantined rows of a feed by reason (reasons with none are not
     * stored). */
    "CREATE TABLE ingest_feed_reject (\n"
    "    ingest_id {INT} NOT NULL,\n"
    "    feed {TEXT} NOT NULL,\n"
    "    reason {TEXT} NOT NULL,\n"
    "    rows {INT} NOT NULL CHECK (rows > 0),\n"
    "    PRIMARY KEY (ingest_id, feed, reason),\n"
    "    FOREIGN KEY (ingest_id, feed) REFERENCES ingest_feed_log\n"
    "        (ingest_id, feed) ON DELETE CASCADE\n"
    ");\n"
    /* Bad rows, as read. `raw` is a blob: the bytes may not be UTF-8,
     * which may be why the row is here. */
    "CREATE TABLE quarantine (\n"
    "    id {ID},\n"
    "    delivery_id {TEXT} NOT NULL,\n"
    "    file {TEXT} NOT NULL,\n"
    "    line {INT} NOT NULL,\n"
    "    col {INT} NOT NULL,\n"
    "    field {TEXT},\n"
    "    reason {TEXT} NOT NULL,\n"
    "    detail {TEXT} NOT NULL,\n"
    "    raw {BLOB} NOT NULL\n"
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
    "    version {INT} PRIMARY KEY,\n"
    "    imported_at {INT} NOT NULL,\n"
    "    source {TEXT} NOT NULL,\n"
    "    sha256 {TEXT} NOT NULL,\n"
    "    content {TEXT} NOT NULL\n"
    ");\n"
    /* Applications as received; `json` is the record as imported. A
     * refused application is kept too, with the reason. */
    "CREATE TABLE application (\n"
    "    application_no {TEXT} PRIMARY KEY,\n"
    "    program {TEXT} NOT NULL,\n"
    "    region {TEXT} NOT NULL,\n"
    "    applied_on {TEXT} NOT NULL,\n"
    "    refused_field {TEXT},\n"
    "    refused_reason {TEXT},\n"
    "    json {TEXT} NOT NULL,\n"
    "    recorded_at {INT} NOT NULL\n"
    ");\n"
    "CREATE TABLE application_member (\n"
    "    application_no {TEXT} NOT NULL REFERENCES application\n"
    "        (application_no) ON DELETE CASCADE,\n"
    "    pos {INT} NOT NULL,\n"
    "    pid {TEXT} NOT NULL,\n"
    "    PRIMARY KEY (application_no, pos)\n"
    ");\n"
    "CREATE INDEX application_member_pid ON application_member (pid);\n"
    /* Authorizations (feeds.md), signed: `json` is the canonical form
     * with the signature. Revocation is a date, never a deletion. */
    "CREATE TABLE consent (\n"
    "{ROWID}"
    "    authorization_id {TEXT} PRIMARY KEY,\n"
    "    pid {TEXT} NOT NULL,\n"
    "    signed_by {TEXT} NOT NULL,\n"
    "    purposes {TEXT} NOT NULL,\n"
    "    scope {TEXT} NOT NULL,\n"
    "    valid_from {TEXT} NOT NULL,\n"
    "    valid_until {TEXT} NOT NULL,\n"
    "    issued_by {TEXT} NOT NULL,\n"
    "    json {TEXT} NOT NULL,\n"
    "    recorded_at {INT} NOT NULL,\n"
    "    revoked_at {INT},\n"
    "    revoked_reason {TEXT}\n"
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
    "    id {ID},\n"
    "    at {INT} NOT NULL,\n"
    "    actor {TEXT} NOT NULL,\n"
    "    action {TEXT} NOT NULL,\n"
    "    case_no {TEXT},\n"
    "    persons {TEXT} NOT NULL,\n"
    "    feeds {TEXT} NOT NULL,\n"
    "    authorizations {TEXT} NOT NULL,\n"
    "    outcome {TEXT} NOT NULL\n"
    ");\n"
    "CREATE INDEX audit_log_case ON audit_log (case_no);\n"
    /* Each verification made: its Result record and what it read (the
     * feed store view and the policy version), so that it can be
     * replayed byte for byte for a report. */
    "CREATE TABLE verification (\n"
    "    id {ID},\n"
    "    application_no {TEXT} NOT NULL,\n"
    "    verified_at {INT} NOT NULL,\n"
    "    view_seq {INT} NOT NULL,\n"
    "    policy_version {INT} NOT NULL,\n"
    "    conclusion {TEXT} NOT NULL,\n"
    "    record {TEXT} NOT NULL\n"
    ");\n"
    "CREATE INDEX verification_application ON verification\n"
    "    (application_no, id);\n";

/* Version 3: the service (issue: the verification service): staff and
 * their sessions, cases and their workflow, corrections, background
 * batches, and the audit log's hash chain. */
static const char migration_3[] =
    /* Staff accounts (src/staff). `password` is an Argon2id string of
     * libsodium's; `generation` grows on every change of role, region,
     * password or status, and a session made under an older generation
     * is void, which is how a role change ends a user's sessions on
     * every front-end at once. */
    "CREATE TABLE staff_user (\n"
    "    username {TEXT} PRIMARY KEY,\n"
    "    display_name {TEXT} NOT NULL,\n"
    "    role {TEXT} NOT NULL,\n"
    "    region {TEXT} NOT NULL,\n"
    "    password {TEXT} NOT NULL,\n"
    "    totp_secret {TEXT},\n"
    "    totp_last_step {INT} NOT NULL DEFAULT 0,\n"
    "    generation {INT} NOT NULL,\n"
    "    failed_logins {INT} NOT NULL,\n"
    "    locked_until {INT} NOT NULL,\n"
    "    disabled_at {INT},\n"
    "    created_at {INT} NOT NULL,\n"
    "    updated_at {INT} NOT NULL\n"
    ");\n"
    /* Sessions, shared by every front-end of the store. Only a hash of
     * the token is kept: a copy of the table opens no session. */
    "CREATE TABLE staff_session (\n"
    "    token_hash {TEXT} PRIMARY KEY,\n"
    "    username {TEXT} NOT NULL REFERENCES staff_user (username),\n"
    "    generation {INT} NOT NULL,\n"
    "    created_at {INT} NOT NULL,\n"
    "    last_seen {INT} NOT NULL,\n"
    "    ended_at {INT}\n"
    ");\n"
    "CREATE INDEX staff_session_user ON staff_session (username);\n"
    /* A case: one application as it moves through the workflow
     * (src/cases). `version` grows with each transition, so that of two
     * users moving one case at once the second finds it moved. Dates
     * are YYYY-MM-DD. */
    "CREATE TABLE case_file (\n"
    "    case_no {TEXT} PRIMARY KEY REFERENCES application (application_no),\n"
    "    region {TEXT} NOT NULL,\n"
    "    program {TEXT} NOT NULL,\n"
    "    state {TEXT} NOT NULL,\n"
    "    version {INT} NOT NULL,\n"
    "    opened_by {TEXT} NOT NULL,\n"
    "    opened_at {INT} NOT NULL,\n"
    "    updated_at {INT} NOT NULL,\n"
    "    report_due {TEXT},\n"
    "    decision_due {TEXT},\n"
    "    objection_until {TEXT},\n"
    "    conclusion {TEXT},\n"
    "    decision {TEXT},\n"
    "    verification_id {INT},\n"
    "    corrections_upto {INT}\n"
    ");\n"
    /* Covering for the lists: a jurisdiction is a range of regions, and
     * the filters and their count read the index alone (100,000 cases:
     * a county's page in about 3 ms, a province's in about 30). */
    "CREATE INDEX case_file_region ON case_file (region, state, program,\n"
    "    report_due, decision_due, case_no);\n"
    /* Every transition of a case: who, in which role, why. */
    "CREATE TABLE case_event (\n"
    "    id {ID},\n"
    "    case_no {TEXT} NOT NULL REFERENCES case_file (case_no),\n"
    "    at {INT} NOT NULL,\n"
    "    username {TEXT} NOT NULL,\n"
    "    role {TEXT} NOT NULL,\n"
    "    action {TEXT} NOT NULL,\n"
    "    from_state {TEXT} NOT NULL,\n"
    "    to_state {TEXT} NOT NULL,\n"
    "    reason {TEXT} NOT NULL,\n"
    "    detail {TEXT}\n"
    ");\n"
    "CREATE INDEX case_event_case ON case_event (case_no, id);\n"
    /* Corrections after an objection: overlays on a case's dossier, never
     * edits of department data. `field` NULL means the record does not
     * count for this case; else `value` is the field's corrected value. */
    "CREATE TABLE case_correction (\n"
    "    id {ID},\n"
    "    case_no {TEXT} NOT NULL REFERENCES case_file (case_no),\n"
    "    pid {TEXT} NOT NULL,\n"
    "    feed {TEXT} NOT NULL,\n"
    "    record_key {TEXT} NOT NULL,\n"
    "    field {TEXT},\n"
    "    value {TEXT},\n"
    "    evidence {TEXT} NOT NULL,\n"
    "    made_by {TEXT} NOT NULL,\n"
    "    made_at {INT} NOT NULL,\n"
    "    CHECK ((field IS NULL) = (value IS NULL))\n"
    ");\n"
    "CREATE INDEX case_correction_case ON case_correction (case_no, id);\n"
    /* Rolls uploaded to the service and verified in the background. */
    "CREATE TABLE batch_job (\n"
    "    id {ID},\n"
    "    username {TEXT} NOT NULL,\n"
    "    region {TEXT} NOT NULL,\n"
    "    state {TEXT} NOT NULL,\n"
    "    created_at {INT} NOT NULL,\n"
    "    started_at {INT},\n"
    "    finished_at {INT},\n"
    "    total {INT} NOT NULL,\n"
    "    done {INT} NOT NULL,\n"
    "    message {TEXT},\n"
    "    dir {TEXT} NOT NULL\n"
    ");\n"
    /* The audit log's chain (src/audit): each entry's position, the hash
     * of the entry before it and its own keyed hash, and who acted in
     * which role and region. Entries of schema 2 keep NULLs here. */
    "ALTER TABLE audit_log ADD COLUMN seq {INT};\n"
    "ALTER TABLE audit_log ADD COLUMN prev_hash {TEXT};\n"
    "ALTER TABLE audit_log ADD COLUMN entry_hash {TEXT};\n"
    "ALTER TABLE audit_log ADD COLUMN role {TEXT};\n"
    "ALTER TABLE audit_log ADD COLUMN region {TEXT};\n"
    "CREATE UNIQUE INDEX audit_log_seq ON audit_log (seq);\n"
    "CREATE INDEX audit_log_actor ON audit_log (actor, at);\n"
    "CREATE INDEX audit_log_at ON audit_log (at);\n";

static const char migration_4[] =
    /* When a case was first verified and decided (0: not yet), kept on
     * the case by the workflow, so that the dashboard's processing times
     * read the cases alone instead of joining every case to its events;
     * cases of schema 3 get them from their events. With the two
     * covering indexes, a province's dashboard reads no table row (a
     * province of 100,000 cases: the days 1 s -> about 0.1 s, the
     * counts 0.35 s -> 0.06 s, docs/benchmarks.md). */
    "ALTER TABLE case_file ADD COLUMN verified_first_at {INT} NOT NULL "
    "DEFAULT 0;\n"
    "ALTER TABLE case_file ADD COLUMN decided_at {INT} NOT NULL DEFAULT 0;\n"
    "UPDATE case_file SET\n"
    "    verified_first_at = coalesce((SELECT min(e.at) FROM case_event e\n"
    "        WHERE e.case_no = case_file.case_no AND e.action = 'verify'), "
    "0),\n"
    "    decided_at = coalesce((SELECT min(e.at) FROM case_event e\n"
    "        WHERE e.case_no = case_file.case_no AND e.action = 'decide'), "
    "0);\n"
    "CREATE INDEX case_file_counts ON case_file (region, program, state,\n"
    "    conclusion, decision);\n"
    "CREATE INDEX case_file_days ON case_file (region, opened_at,\n"
    "    verified_first_at, decided_at);\n";

static const char *const migrations[] = {migration_1, migration_2, migration_3,
                                         migration_4};
const int hd__schema_version =
    (int)(sizeof(migrations) / sizeof(migrations[0]));

static const struct {
    const char *word;
    const char *spelling[2]; /* by hd__dialect */
} words[] = {
    {"{ID}",
     {"INTEGER PRIMARY KEY",
      "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY"}},
    {"{INT}", {"INTEGER", "BIGINT"}},
    {"{TEXT}", {"TEXT", "TEXT COLLATE \"C\""}},
    {"{BLOB}", {"BLOB", "BYTEA"}},
    {"{ROWID}", {"", "    rowid BIGINT GENERATED ALWAYS AS IDENTITY,\n"}},
};

char *hd__schema_sql(hd__dialect dialect, int step)
{
    const char *in = migrations[step];
    hd_buf out;

    hd_buf_init(&out, HD_BUF_DEFAULT_MAX);
    while (*in) {
        const char *brace = strchr(in, '{');
        size_t i, n = sizeof(words) / sizeof(words[0]);

        if (!brace) {
            hd_buf_puts(&out, in);
            break;
        }
        hd_buf_append(&out, in, (size_t)(brace - in));
        for (i = 0; i < n; i++)
            if (!strncmp(brace, words[i].word, strlen(words[i].word)))
                break;
        if (i == n) { /* not a word of ours: copy the brace */
            hd_buf_putc(&out, '{');
            in = brace + 1;
            continue;
        }
        hd_buf_puts(&out, words[i].spelling[dialect]);
        in = brace + strlen(words[i].word);
    }
    char *sql = hd_buf_detach(&out, NULL);
    if (!sql) /* out of memory: the buffer keeps what it had */
        hd_buf_release(&out);
    return sql;
}
