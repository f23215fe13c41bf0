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

const char *const hd__sqlite_migrations[] = {migration_1};
const int hd__sqlite_migration_count =
    (int)(sizeof(hd__sqlite_migrations) / sizeof(hd__sqlite_migrations[0]));
