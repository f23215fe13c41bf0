/*
 * hedui store: the two stores of design.md.
 *
 * The feed store (LMDB) holds department records, immutable once loaded,
 * keyed by person then feed key then delivery, so that earlier deliveries
 * stay readable and a past verification can be replayed. It is read two
 * ways: every record of one person, or everyone in person order.
 *
 * The case store holds what people do: the ingest log and quarantine now;
 * applications, authorizations, cases, policies and the audit chain later.
 * It is an interface (hd_casestore) with two backends, SQLite (a county's
 * one file) and PostgreSQL (a province or the national node, shared by
 * several processes). No SQL outside src/store.
 *
 * Threads: a feed store handle may be shared by threads, and must be,
 * since LMDB allows an environment open only once per process: reads,
 * loads and commits may run at once from different threads (commits are
 * serialized by LMDB). One load (hd_fs_load) belongs to one thread at a
 * time. A case store handle is for one thread: open one per thread.
 */
#ifndef HEDUI_STORE_H
#define HEDUI_STORE_H

#include <hedui/feed.h>

/* ============================================================ feed store */

typedef struct hd_feedstore hd_feedstore;

/* A delivery as the feed store records it. `seq` numbers accepted
 * deliveries 1, 2, ... in the order they were committed. */
typedef struct hd_fs_delivery {
    uint32_t seq;
    char delivery_id[128];
    char department[32];
    int32_t as_of;      /* days since 1970 */
    bool snapshot;      /* mode: snapshot (true) or delta */
    int64_t loaded_at;  /* seconds since 1970, passed in by the caller */
    uint32_t feed_mask; /* bit (1 << feed id) for each feed it holds */
} hd_fs_delivery;

/* Open (creating when missing, with its parents) the feed store in
 * directory `dir`. One handle per process and directory, shared by its
 * threads: LMDB does not allow the same environment open twice in one
 * process. */
int hd_feedstore_open(hd_feedstore **out, const char *dir, hd_error *err);
void hd_feedstore_free(hd_feedstore *fs);

/* Look up an accepted delivery by id: 0 and *out filled, or HD_ENOTFOUND
 * (err set). */
int hd_feedstore_delivery(hd_fs_delivery *out, hd_feedstore *fs,
                          const char *delivery_id, hd_error *err);
/* Every accepted delivery in seq order; fn returns non-zero to stop, and
 * that value is returned. */
int hd_feedstore_deliveries(hd_feedstore *fs,
                            int (*fn)(const hd_fs_delivery *d, void *payload),
                            void *payload, hd_error *err);

/* The highest seq of an accepted delivery, 0 when there is none. */
int hd_feedstore_latest(uint32_t *out, hd_feedstore *fs, hd_error *err);

/* ------------------------------------------------------------ bulk load */

/*
 * Loading one delivery: add every valid row in file order, then commit.
 * Rows are encoded and sorted in runs of at most `memory_budget` bytes,
 * spilled to temporary files in `tmpdir` when the budget is reached, and
 * merged in key order into LMDB inside one write transaction, which also
 * records the delivery and `pending` (an opaque blob the ingest layer uses
 * to finish its side in the case store; see hd_feedstore_pending). A crash
 * before the commit leaves the store as it was; after it, the delivery is
 * whole. Among rows of one delivery with the same key, the later one wins.
 *
 * The budget bounds the runs in memory (0: 256 MiB; two buffers of half
 * each, one sorted and spilled by a thread while rows go to the other);
 * the commit adds a read buffer of at most 1 MiB per spilled run. LMDB
 * itself keeps the pages a commit writes in memory until written, up to
 * its dirty-page limit of 512 MiB. `tmpdir` NULL or "" spills next to
 * the store (better than a tmpfs, which is memory). The spill file is
 * unlinked as soon as it is created.
 *
 * hd_fs_load_add touches only the load, not the store handle: a load may
 * be filled on one thread while another commits the previous delivery,
 * so that parsing and writing overlap.
 */
typedef struct hd_fs_load hd_fs_load;

/* Per-feed counts of a committed load. */
typedef struct hd_fs_load_stats {
    int64_t rows[32];     /* distinct keys written, by feed id */
    int64_t replaced[32]; /* of those, keys that replaced a visible row of
                             an earlier delivery (delta mode) */
    int64_t live[32];     /* rows of the feed visible after the load */
} hd_fs_load_stats;

/*
 * `meta` gives the delivery: id (non-empty), department, as_of, mode,
 * loaded_at and feed_mask; seq is ignored. The feeds a snapshot replaces
 * are those of feed_mask (so a feed listed with an empty file is emptied)
 * together with the feeds of the rows added. HD_EEXISTS when a delivery
 * with this id is already in the store (checked again at commit).
 */
int hd_fs_load_begin(hd_fs_load **out, hd_feedstore *fs,
                     const hd_fs_delivery *meta, size_t memory_budget,
                     const char *tmpdir, hd_error *err);
/* Add one row (copied; `row` may be reused at once). HD_EDATA when a
 * value cannot be stored (a pid not in its normalised form, a code index
 * out of the column's list, text over 800 bytes or, in a key, holding a
 * NUL); HD_ENOMEM, or HD_EIO when a run cannot be spilled. */
int hd_fs_load_add(hd_fs_load *load, const hd_row *row, hd_error *err);
/* Merge and commit; `meta->seq` is assigned here and written back through
 * `seq_out` (may be NULL). `pending` NULL stores no blob. `stats` (may be
 * NULL) gets the counts, as hd_feedstore_delivery_stats would later.
 * Success means the delivery is on disk (LMDB's synchronous commit).
 * Frees `load` whatever the outcome. */
int hd_fs_load_commit(hd_fs_load *load, const void *pending, size_t pending_len,
                      uint32_t *seq_out, hd_fs_load_stats *stats,
                      hd_error *err);
/* The counts of an accepted delivery's load, kept with it: what the
 * ingest layer needs to rebuild its log when it replays a pending blob.
 * HD_ENOTFOUND when there is no such delivery. */
int hd_feedstore_delivery_stats(hd_fs_load_stats *out, hd_feedstore *fs,
                                const char *delivery_id, hd_error *err);
/* Drop a load that was not committed (frees it; accepts NULL). */
void hd_fs_load_abort(hd_fs_load *load);

/*
 * Pending blobs: committed with a delivery, removed once the case store
 * has the delivery's log. At start, the ingest layer replays what is
 * still pending (a crash between the two commits). fn gets blobs in
 * delivery id order, borrowed during the call, and returns non-zero to
 * stop (returned). Clearing an id that has no blob is not an error.
 */
int hd_feedstore_pending(hd_feedstore *fs,
                         int (*fn)(const char *delivery_id, const void *blob,
                                   size_t len, void *payload),
                         void *payload, hd_error *err);
int hd_feedstore_pending_clear(hd_feedstore *fs, const char *delivery_id,
                               hd_error *err);

/* ---------------------------------------------------------------- reads */

/*
 * A view: which deliveries count. `max_seq` 0 means every accepted
 * delivery (the latest state); otherwise only deliveries with seq <=
 * max_seq, as they stood then. For each feed only rows from its latest
 * snapshot delivery in view onwards count, and for each key the row of
 * the latest delivery in view.
 */
typedef struct hd_fs_view {
    uint32_t max_seq;
} hd_fs_view;

/* The view of the deliveries accepted at or before `at` (seconds since
 * 1970, compared with their loaded_at): for replaying a past verification.
 * It ends before the first delivery, in seq order, loaded after `at`.
 * HD_ENOTFOUND when none was loaded by then (max_seq 0 would mean all). */
int hd_feedstore_view_at(hd_fs_view *out, hd_feedstore *fs, int64_t at,
                         hd_error *err);

/* One record as read back, with its provenance. Borrowed: valid during
 * the callback only. Text values point into the store's map and are not
 * NUL-terminated (use len); pids and regions are in row.storage, codes
 * point at the table's strings (num is the index). Copying the struct
 * leaves its pid and region pointers on the original. */
typedef struct hd_record {
    hd_row row; /* row.feed says which feed */
    uint32_t delivery_seq;
    const char *delivery_id;
} hd_record;

typedef int (*hd_record_fn)(const hd_record *rec, void *payload);

/* Every visible record of one person (normalised 18-character pid),
 * in feed id then key order. fn returns non-zero to stop (returned). */
int hd_feedstore_person(hd_feedstore *fs, hd_fs_view view, const char *pid,
                        hd_record_fn fn, void *payload, hd_error *err);

/* One read transaction kept for many one-person reads (a roll's
 * spouses): the view is fixed when it is opened. A reader is used by one
 * thread at a time. */
typedef struct hd_fs_reader hd_fs_reader;
int hd_feedstore_reader_open(hd_fs_reader **out, hd_feedstore *fs,
                             hd_fs_view view, hd_error *err);
/* As hd_feedstore_person, only the feeds of `feed_mask` (bits of feed
 * ids): the others' databases are not even looked at. */
int hd_feedstore_reader_person(hd_fs_reader *rd, const char *pid,
                               uint32_t feed_mask, hd_record_fn fn,
                               void *payload, hd_error *err);
void hd_feedstore_reader_close(hd_fs_reader *rd);

/* Every person in pid order: fn gets the pid and all that person's
 * visible records at once (`count` of them, in feed id then key order).
 * Persons with no visible record are skipped. fn returns non-zero to stop
 * (returned). */
typedef int (*hd_person_fn)(const char *pid, const hd_record *records,
                            size_t count, void *payload);
int hd_feedstore_scan(hd_feedstore *fs, hd_fs_view view, hd_person_fn fn,
                      void *payload, hd_error *err);

/* ------------------------------------------------- copies for front-ends */

/*
 * The front-end servers of a node each read their own copy of the feed
 * store, refreshed after each delivery (docs/deploy.md). Records are only
 * ever added, under seqs the ingest host assigns, so a copy is the node's
 * store as it stood at one delivery: the ingest host writes a snapshot,
 * the operator ships it, each front-end installs it.
 */

typedef struct hd_fs_snapshot_info {
    uint32_t seq;            /* latest delivery in the copy */
    int64_t bytes;           /* size of the copy's data file */
    int64_t pending_omitted; /* pending blobs left out of the copy */
} hd_fs_snapshot_info;

/*
 * Write a consistent, compacted copy of the store (LMDB's compacting copy,
 * one read transaction, so concurrent loads are either wholly in it or
 * not at all) to `out_dir`/data.mdb, creating `out_dir` when missing. The
 * copy is made beside `out_dir` under a temporary name and renamed over
 * the previous data.mdb once whole and on disk: a reader of `out_dir`
 * sees the previous snapshot or this one, never part of one.
 *
 * The copy carries no pending blobs. They are this host's case-store
 * writes still to finish (every open of this host's stores finishes
 * them); a front-end finding one in its copy would replay it into the
 * shared case store a second time. The delivery itself is in the copy:
 * its feed store commit was the point of no return. Nor does it carry
 * the mark of an installed copy (a snapshot of a front-end's store is
 * the node's store all the same).
 *
 * HD_EIO when the copy cannot be written, HD_EINVAL for an `out_dir`
 * that is the store's own directory.
 */
int hd_feedstore_snapshot(hd_fs_snapshot_info *out, hd_feedstore *fs,
                          const char *out_dir, hd_error *err);

typedef struct hd_fs_install_info {
    uint32_t seq;          /* latest delivery of the store now installed */
    uint32_t previous_seq; /* of the store it replaced, 0 when none */
    bool unchanged;      /* the snapshot holds exactly the installed deliveries:
                            nothing was done */
    char generation[32]; /* the generation directory now current */
} hd_fs_install_info;

/*
 * Install the snapshot in `snapshot_dir` (what hd_feedstore_snapshot
 * wrote, shipped by any means) as the feed store `dir` of a front-end.
 *
 * `dir` becomes a symbolic link to `dir`.gen/seq-N, a generation holding
 * a copy of the snapshot. The new generation is made whole first, then a
 * new link is renamed over `dir` (rename(2) is atomic): processes that
 * open the store afterwards read the new generation, processes that had
 * it open keep reading theirs until they end (their files stay open even
 * once unlinked). Generations other than the new one and the one it
 * replaced are removed. Installs into one `dir` are serialized by a lock
 * file in `dir`.gen. The installed copy refuses loads (hd_fs_load_begin:
 * HD_EINVAL): deliveries are loaded on the ingest host only.
 *
 * The snapshot must hold every delivery installed now, at the same seq:
 * HD_ECONFLICT otherwise (fewer deliveries, or another delivery at a
 * seq; err says which), and nothing changes. The same deliveries again
 * change nothing (out->unchanged). HD_EDATA when `snapshot_dir` holds no
 * snapshot (no feed store, or one with pending blobs); HD_EEXISTS when
 * `dir` is a directory holding deliveries (a store loaded in place, not
 * installed: move it away first). A directory with no deliveries (made
 * by a process that opened the store before the first install) is moved
 * into `dir`.gen and replaced.
 */
int hd_feedstore_install(hd_fs_install_info *out, const char *dir,
                         const char *snapshot_dir, hd_error *err);

/* ============================================================ case store */

typedef struct hd_casestore hd_casestore;

/* Open the case store at `path` (creating it and migrating its schema to
 * the current version). A postgresql:// (or postgres://) URL opens the
 * PostgreSQL backend (libpq; the tables are created in the database and
 * schema the URL names); anything else is a SQLite file (WAL,
 * synchronous=FULL). */
int hd_casestore_open(hd_casestore **out, const char *path, hd_error *err);
/* Does `path` name a PostgreSQL database rather than a file? */
bool hd_casestore_is_url(const char *path);
/* "sqlite" or "postgresql". */
const char *hd_casestore_backend(hd_casestore *cs);
void hd_casestore_free(hd_casestore *cs);
/* Another connection to the store `cs` is open on: for reads made on one
 * thread while another writes through `cs` (it reads what is committed).
 * HD_EINVAL when the store has no file to open again (SQLite in memory). */
int hd_casestore_open_same(hd_casestore **out, hd_casestore *cs, hd_error *err);
/* The schema version the store is at. */
int hd_casestore_schema_version(hd_casestore *cs);

int hd_casestore_begin(hd_casestore *cs, hd_error *err);
/* Is a transaction of hd_casestore_begin open on `cs`? A step that must
 * be atomic joins the caller's transaction, or makes its own. */
bool hd_casestore_in_transaction(hd_casestore *cs);
int hd_casestore_commit(hd_casestore *cs, hd_error *err);
void hd_casestore_rollback(hd_casestore *cs);

/* ---------------------------------------------------------- ingest log */

typedef struct hd_ingest_feed_log {
    const hd_feed *feed;
    int64_t rows_in_file; /* data rows of the file (manifest `rows`) */
    int64_t rows_loaded;  /* valid rows written */
    int64_t rows_quarantined;
    int64_t rows_live; /* rows of the feed visible after this delivery */
    int64_t quarantined_by_reason[HD_REJECT_COUNT_];
} hd_ingest_feed_log;

typedef struct hd_ingest_log {
    char delivery_id[128];
    char department[32];
    char path[1024]; /* where the delivery was read from */
    int32_t as_of;
    bool snapshot;
    bool accepted;           /* false: rejected whole */
    hd_reject reject_reason; /* when rejected */
    char reject_detail[512]; /* when rejected: file, field, rule */
    uint32_t seq;            /* feed store seq when accepted, else 0 */
    int64_t loaded_at;       /* seconds since 1970 */
    int feed_count;
    hd_ingest_feed_log feeds[32];
} hd_ingest_log;

/* Record one ingest attempt (inside the caller's transaction). */
int hd_casestore_log_ingest(hd_casestore *cs, const hd_ingest_log *log,
                            hd_error *err);
/* Has an accepted delivery with this id been logged? (1 yes, 0 no, <0
 * error.) */
int hd_casestore_delivery_accepted(hd_casestore *cs, const char *delivery_id,
                                   hd_error *err);

/* One quarantined row. */
typedef struct hd_quarantine_row {
    const char *delivery_id;
    const char *file;
    int64_t line;
    int column; /* 0 when the whole record is at fault */
    const char *field;
    hd_reject reason;
    const char *detail; /* the rule, in words */
    const char *raw;    /* the raw record as read, without line end */
} hd_quarantine_row;

int hd_casestore_quarantine_add(hd_casestore *cs, const hd_quarantine_row *row,
                                hd_error *err);
/* Quarantined rows, of one delivery or (NULL) all, in delivery then line
 * order. */
int hd_casestore_quarantine_list(hd_casestore *cs, const char *delivery_id,
                                 int (*fn)(const hd_quarantine_row *row,
                                           void *payload),
                                 void *payload, hd_error *err);

/* What is loaded, per feed: accepted deliveries, live rows, the latest
 * as_of. Feeds with nothing loaded are reported with zeros. One entry per
 * feed of the table, in table order: `out_count` must be at least
 * hd_feed_count (HD_EINVAL otherwise). rows, as_of and last_delivery_id
 * are those of the accepted delivery holding the feed that was loaded
 * last (highest seq). */
typedef struct hd_feed_status {
    const hd_feed *feed;
    int64_t deliveries;
    int64_t rows;
    int32_t as_of; /* 0 with no delivery */
    char last_delivery_id[128];
} hd_feed_status;

int hd_casestore_feed_status(hd_casestore *cs, hd_feed_status *out,
                             int out_count, hd_error *err);

/* Every ingest attempt in the order they were logged. */
int hd_casestore_ingest_logs(hd_casestore *cs,
                             int (*fn)(const hd_ingest_log *log, void *payload),
                             void *payload, hd_error *err);

/* ------------------------------------------------------------ policies */

/*
 * Policy versions (table policy_version). Each import stores the
 * whole policy then in force as a new version; `content` is the policy
 * module's own JSON form, `sha256` its hash (an import giving the same
 * content as the latest version stores nothing: *version_out is then
 * 0). Versions are numbered 1, 2, ... in the order stored.
 */
int hd_casestore_policy_put(hd_casestore *cs, int64_t *version_out,
                            const char *source, const char *sha256,
                            const char *content, int64_t imported_at,
                            hd_error *err);
/* The content of version `version` (0: the latest) in *out (caller frees
 * with hd_free) and its number in *version_out. HD_ENOTFOUND when there
 * is no such version (or none at all). */
int hd_casestore_policy_get(hd_casestore *cs, char **out, int64_t *version_out,
                            int64_t version, hd_error *err);

/* ------------------------------------------------ applications, consents */

/*
 * Applications and authorizations as recorded (tables application,
 * application_member and consent). The store keeps the JSON as recorded and the
 * few columns that lookups need; the consent and verify modules parse them.
 */
typedef struct hd_application_row {
    const char *application_no;
    const char *program;
    const char *region;
    int32_t applied_on;        /* INT32_MIN: none (stored as "") */
    const char *refused_field; /* NULL unless refused */
    const char *refused_reason;
    const char *json;
    size_t json_len; /* 0: json is NUL-terminated */
    int64_t recorded_at;
    int member_count;
    const char *const *member_pids; /* normalised; "" for an invalid one */
} hd_application_row;

/* Store an application: 0 and *stored true when new, 0 and *stored
 * false when the same number is there with the same JSON, HD_EEXISTS
 * when it is there with other content. */
int hd_casestore_application_put(hd_casestore *cs,
                                 const hd_application_row *row, bool *stored,
                                 hd_error *err);
/*
 * Many puts at once (an import, a roll), each as the single put: rcs[i]
 * is 0, or HD_EEXISTS when another record is there under that id (this
 * one is not stored); stored[i] says whether it was new. Any other error
 * fails the call, and the caller's transaction with it. At most
 * HD_CASESTORE_BATCH rows; on PostgreSQL one round trip instead of one
 * per row.
 */
#define HD_CASESTORE_BATCH 512
int hd_casestore_application_put_many(hd_casestore *cs,
                                      const hd_application_row *rows, int count,
                                      int *rcs, bool *stored, hd_error *err);
/* One application by number (borrowed during the call). HD_ENOTFOUND. */
int hd_casestore_application_get(hd_casestore *cs, const char *application_no,
                                 int (*fn)(const hd_application_row *row,
                                           void *payload),
                                 void *payload, hd_error *err);

typedef struct hd_consent_row {
    const char *authorization_id;
    const char *pid;
    const char *signed_by;
    const char *purposes; /* comma-separated, as given */
    const char *scope;    /* comma-separated feeds, or "*" */
    int32_t valid_from;
    int32_t valid_until;
    const char *issued_by;
    const char *json; /* canonical JSON with the signature (NULL when
                         listing everyone: hd_casestore_consents) */
    int64_t recorded_at;
    int64_t revoked_at; /* 0 when not revoked */
    const char *revoked_reason;
} hd_consent_row;

/* Store an authorization: as hd_casestore_application_put. */
int hd_casestore_consent_put(hd_casestore *cs, const hd_consent_row *row,
                             bool *stored, hd_error *err);
/* Many authorizations: as hd_casestore_application_put_many. */
int hd_casestore_consent_put_many(hd_casestore *cs, const hd_consent_row *rows,
                                  int count, int *rcs, bool *stored,
                                  hd_error *err);
/* One authorization by id (borrowed during the call). HD_ENOTFOUND. */
int hd_casestore_consent_get(hd_casestore *cs, const char *authorization_id,
                             int (*fn)(const hd_consent_row *row,
                                       void *payload),
                             void *payload, hd_error *err);
/* Revoke: HD_ENOTFOUND when unknown; revoking twice keeps the first. */
int hd_casestore_consent_revoke(hd_casestore *cs, const char *authorization_id,
                                int64_t at, const char *reason, hd_error *err);
/* The authorizations of one person, or (pid NULL) of everyone in pid
 * order; rows borrowed during the call, fn returns non-zero to stop. */
int hd_casestore_consents(hd_casestore *cs, const char *pid,
                          int (*fn)(const hd_consent_row *row, void *payload),
                          void *payload, hd_error *err);

/* ---------------------------------------------- audit log, verifications */

/*
 * Every read of a person's records (table audit_log). Persons
 * are keyed hashes, never citizen IDs. Added inside the caller's
 * transaction, so that a roll writes its entries in bulk.
 */
typedef struct hd_audit_entry {
    int64_t at; /* seconds since 1970 */
    const char *actor;
    const char *role;           /* the actor's role ("clerk", ...), NULL for a
                                   command run on the server itself */
    const char *region;         /* the actor's region, NULL as role */
    const char *action;         /* "verify", "report", ... */
    const char *case_no;        /* may be NULL */
    const char *persons;        /* JSON array of keyed hashes */
    const char *feeds;          /* JSON array of feed names */
    const char *authorizations; /* JSON array of authorization ids */
    const char *outcome;
} hd_audit_entry;

int hd_casestore_audit_add(hd_casestore *cs, const hd_audit_entry *entry,
                           hd_error *err);
/* The key of the audit chain's hashes (hd_node_key_derive, "hedui audit
 * chain key"), set once after opening: entries cannot be added without
 * it. Connections made with hd_casestore_open_same share it. */
void hd_casestore_set_audit_key(hd_casestore *cs, const uint8_t key[32]);
/* Entries of one case, or (NULL) all, in the order written. */
int hd_casestore_audit_list(hd_casestore *cs, const char *case_no,
                            int (*fn)(int64_t id, const hd_audit_entry *entry,
                                      void *payload),
                            void *payload, hd_error *err);

/* A verification made: its Result record, and the feed store view and
 * policy version it read, to replay it for a report. */
typedef struct hd_verification_row {
    int64_t id;
    const char *application_no;
    int64_t verified_at;
    uint32_t view_seq;
    int64_t policy_version;
    const char *conclusion;
    const char *record;
} hd_verification_row;

int hd_casestore_verification_add(hd_casestore *cs,
                                  const hd_verification_row *row,
                                  hd_error *err);
/* The latest verification of an application. HD_ENOTFOUND. */
int hd_casestore_verification_latest(hd_casestore *cs,
                                     const char *application_no,
                                     int (*fn)(const hd_verification_row *row,
                                               void *payload),
                                     void *payload, hd_error *err);

/* ------------------------------------------------------------- batches */

/*
 * Rolls uploaded to the service and verified in the background
 * (src/store/batch_store.c, table batch_job). `dir` holds the uploaded
 * files and the results. States: "queued", "running", "done", "failed".
 */
typedef struct hd_batch_row {
    int64_t id;
    const char *username;
    const char *region; /* the uploader's region */
    const char *state;
    int64_t created_at, started_at, finished_at; /* 0: not yet */
    int64_t total, done;                         /* applications */
    const char *message;                         /* NULL or a summary */
    const char *dir;
} hd_batch_row;

int hd_casestore_batch_add(hd_casestore *cs, int64_t *id_out,
                           const char *username, const char *region,
                           const char *dir, int64_t now, hd_error *err);
/* One batch (borrowed during the call). HD_ENOTFOUND. */
int hd_casestore_batch_get(hd_casestore *cs, int64_t id,
                           int (*fn)(const hd_batch_row *row, void *payload),
                           void *payload, hd_error *err);
/* Batches newest first, at most `limit`, after skipping `offset`. */
int hd_casestore_batch_list(hd_casestore *cs, int64_t offset, int64_t limit,
                            int (*fn)(const hd_batch_row *row, void *payload),
                            void *payload, hd_error *err);
/* Take the oldest queued batch whose dir begins with `dir_prefix` (the
 * batches this server can read): 0 and *id_out, or HD_ENOTFOUND when
 * none waits. Of several servers on one database, one takes each batch. */
int hd_casestore_batch_claim(hd_casestore *cs, int64_t *id_out,
                             const char *dir_prefix, int64_t now,
                             hd_error *err);
/* Progress of a running batch; a state of "done" or "failed" ends it. */
int hd_casestore_batch_progress(hd_casestore *cs, int64_t id, const char *state,
                                int64_t total, int64_t done,
                                const char *message, int64_t now,
                                hd_error *err);

/* How many cases share a region, program, state, conclusion and decision
 * ("" when none yet), for the dashboard (src/store/case_stats.c). */
typedef struct hd_case_count {
    const char *region;
    const char *program;
    const char *state;
    const char *conclusion;
    const char *decision;
    int64_t count;
} hd_case_count;

/* Every combination among the cases whose region begins with
 * `region_prefix` ("" for all), in order. */
int hd_casestore_case_counts(hd_casestore *cs, const char *region_prefix,
                             int (*fn)(const hd_case_count *c, void *payload),
                             void *payload, hd_error *err);

/*
 * When the cases were opened, first verified and decided, as day numbers
 * in China time (days since 1970-01-01, UTC+8; HD_CASE_NO_DATE when not
 * yet), for the dashboard's processing times and months: how many cases
 * share each combination, among those whose region begins with
 * `region_prefix` ("" for all), in no particular order, from the cases'
 * `verified_first_at` and `decided_at`.
 */
typedef struct hd_case_days {
    int32_t opened_day;
    int32_t verified_day;
    int32_t decided_day;
    int64_t count;
} hd_case_days;

int hd_casestore_case_days(hd_casestore *cs, const char *region_prefix,
                           int (*fn)(const hd_case_days *d, void *payload),
                           void *payload, hd_error *err);

/* ------------------------------------------------ staff and sessions */

/* (src/store/staff_store.c) Rows of staff_user and staff_session; the
 * rules (src/staff, staff.h) live above. Strings are borrowed during a
 * callback. Each call runs in the caller's transaction, or alone. */

typedef struct hd_staff_row {
    const char *username;
    const char *display_name;
    const char *role; /* hd_role_name */
    const char *region;
    const char *password;    /* an Argon2id string of libsodium's */
    const char *totp_secret; /* base32, NULL when none */
    int64_t totp_last_step;  /* the last TOTP step accepted, 0 none */
    int64_t generation;
    int64_t failed_logins;
    int64_t locked_until;
    int64_t disabled_at; /* 0 when not disabled */
    int64_t created_at;
    int64_t updated_at;
} hd_staff_row;

/* Insert an account: HD_EEXISTS when the username is taken. */
int hd_casestore_user_add(hd_casestore *cs, const hd_staff_row *row,
                          hd_error *err);
/* One account: fn gets it (HD_ENOTFOUND when there is none). */
int hd_casestore_user_get(hd_casestore *cs, const char *username,
                          int (*fn)(const hd_staff_row *row, void *payload),
                          void *payload, hd_error *err);
/* Every account in username order; fn returns non-zero to stop. */
int hd_casestore_user_list(hd_casestore *cs,
                           int (*fn)(const hd_staff_row *row, void *payload),
                           void *payload, hd_error *err);
/*
 * Write an account's display name, role, region, password, TOTP secret
 * and last step, disabled_at and updated_at from `row`, with generation
 * set to row->generation, but only when the stored generation is still
 * `expect_generation`: HD_ECONFLICT when another change came between
 * (nothing written), HD_ENOTFOUND when there is no such account.
 */
int hd_casestore_user_update(hd_casestore *cs, const hd_staff_row *row,
                             int64_t expect_generation, hd_error *err);
/*
 * Count a failed login, in one statement so that concurrent failures all
 * count: failed_logins grows by one, and when it reaches `lock_after`
 * the account is locked until `lock_until` and the count starts again.
 * *locked_until_out gets the account's locked_until afterwards.
 * HD_ENOTFOUND.
 */
int hd_casestore_user_login_failed(hd_casestore *cs, const char *username,
                                   int64_t lock_after, int64_t lock_until,
                                   int64_t *locked_until_out, hd_error *err);
/*
 * A successful login: clear the failure count and lock; when
 * `totp_step` > 0 take it as the last TOTP step, but only when it is
 * after the stored one (HD_ECONFLICT otherwise: a code used twice, by
 * two logins at once); when `password` is not NULL store it (a rehash,
 * which leaves the generation alone).
 */
int hd_casestore_user_login_ok(hd_casestore *cs, const char *username,
                               int64_t totp_step, const char *password,
                               hd_error *err);

typedef struct hd_session_row {
    const char *token_hash; /* SHA-256 of the token, hex */
    const char *username;
    int64_t generation; /* the account's when it was made */
    int64_t created_at;
    int64_t last_seen;
    int64_t ended_at; /* 0 while it lasts */
} hd_session_row;

int hd_casestore_session_add(hd_casestore *cs, const hd_session_row *row,
                             hd_error *err);
/* A session and its account, in one read: HD_ENOTFOUND. */
int hd_casestore_session_get(hd_casestore *cs, const char *token_hash,
                             int (*fn)(const hd_session_row *session,
                                       const hd_staff_row *user, void *payload),
                             void *payload, hd_error *err);
/* Set last_seen to `now` when it is earlier than `before` (so that of
 * many requests in one minute one writes). */
int hd_casestore_session_touch(hd_casestore *cs, const char *token_hash,
                               int64_t now, int64_t before, hd_error *err);
/* End a session: *ended (may be NULL) says whether it was still open. */
int hd_casestore_session_end(hd_casestore *cs, const char *token_hash,
                             int64_t now, bool *ended, hd_error *err);
/* Delete sessions ended or created before `created_before`. */
int hd_casestore_session_prune(hd_casestore *cs, int64_t created_before,
                               int64_t *count_out, hd_error *err);

/* ---------------------------------------------------------- the audit chain */

/*
 * (src/store/audit_chain.c) Every entry added is chained: seq numbers
 * entries 1, 2, ... without gaps, prev_hash is the entry_hash of the
 * entry before it (64 zeros for seq 1), and entry_hash is a keyed
 * BLAKE2b-256 (the audit key) over the canonical encoding of seq,
 * prev_hash and the entry's fields (docs/audit.md), as 64 lower-case hex
 * digits. The chain's head is read once per transaction (on PostgreSQL
 * under an advisory lock that serialises appenders) and kept on the
 * handle until the transaction ends; an entry added outside a
 * transaction is written in one of its own. Adding without a key set is
 * HD_EINVAL.
 */
#define HD_AUDIT_HASH_HEX 65 /* 64 hex digits and a NUL */

/* The hash an entry at `seq` after `prev_hash` must carry. prev_hash is
 * hashed as the text it is (NULL distinct from ""), so that a stored
 * entry can be checked whatever was written into it. */
void hd_casestore_audit_hash(char out[HD_AUDIT_HASH_HEX], const uint8_t key[32],
                             int64_t seq, const char *prev_hash,
                             const hd_audit_entry *entry);

/* An entry as stored, with its chain columns (NULL in entries written
 * before the chain, schema 2: then seq is 0). Borrowed during the call. */
typedef struct hd_audit_row {
    int64_t id;
    int64_t seq;
    const char *prev_hash;
    const char *entry_hash;
    hd_audit_entry entry;
} hd_audit_row;

typedef int (*hd_audit_row_fn)(const hd_audit_row *row, void *payload);

/* The chained entries in seq order (then id), read in bounded memory
 * (a cursor on PostgreSQL); fn returns non-zero to stop. */
int hd_casestore_audit_chain(hd_casestore *cs, hd_audit_row_fn fn,
                             void *payload, hd_error *err);
/* The chained entries whose entry_hash is `entry_hash` (a scan: for the
 * few lookups a verification makes when entries are out of place). */
int hd_casestore_audit_by_hash(hd_casestore *cs, const char *entry_hash,
                               hd_audit_row_fn fn, void *payload,
                               hd_error *err);
/* Entries without a seq: *count_out gets how many there are, and fn
 * (may be NULL) is called for those written after the first chained
 * entry (a higher id), which no writer of this version makes. */
int hd_casestore_audit_unchained(hd_casestore *cs, int64_t *count_out,
                                 hd_audit_row_fn fn, void *payload,
                                 hd_error *err);

/*
 * Search (the auditors' trail): entries matching every field set in
 * `filter` (NULL or 0: any), newest first (seq descending, then id),
 * skipping `offset` and giving at most `limit`. *total_out (may be NULL)
 * gets how many match in all. `person_hash` is a keyed hash as the
 * entries hold it (hd_audit_person_hash), never a citizen ID; from/to
 * are seconds since 1970, inclusive.
 */
typedef struct hd_audit_filter {
    const char *person_hash;
    const char *actor;
    const char *case_no;
    const char *action;
    int64_t from; /* 0: no lower bound */
    int64_t to;   /* 0: no upper bound */
} hd_audit_filter;

int hd_casestore_audit_search(hd_casestore *cs, const hd_audit_filter *filter,
                              int64_t offset, int64_t limit, int64_t *total_out,
                              hd_audit_row_fn fn, void *payload, hd_error *err);

/* -------------------------------------- cases, corrections, batches */

/* (src/store/case_store.c) */

/*
 * Cases (table case_file): one application as it moves through the
 * workflow of src/cases, which owns the rules; the store only keeps the
 * rows. Dates are days since 1970, HD_CASE_NO_DATE when not set. Texts
 * are copied into the row's own arrays.
 */
#define HD_CASE_NO_DATE INT32_MIN
#define HD_CASE_TEXT_MAX 64

typedef struct hd_case_row {
    char case_no[HD_CASE_TEXT_MAX];
    char region[7];
    char program[32];
    char state[16];  /* hd_case_state_name() of src/cases */
    int64_t version; /* 1 when created, + 1 on every transition */
    char opened_by[HD_CASE_TEXT_MAX];
    int64_t opened_at; /* seconds since 1970 */
    int64_t updated_at;
    int32_t report_due;
    int32_t decision_due;
    int32_t objection_until;
    char conclusion[16];     /* of the latest verification, "" none */
    char decision[16];       /* "approved", "rejected", "" none */
    int64_t verification_id; /* 0 none */
    /* The highest correction id the verification applied (0 none): a
     * replay for a report applies those, not ones made since. */
    int64_t corrections_upto;
    int64_t verified_first_at; /* the first verification's time, 0 none */
    int64_t decided_at;        /* the decision's time, 0 none */
} hd_case_row;

/* Create a case (version 1). HD_EEXISTS when the number is taken. */
int hd_casestore_case_create(hd_casestore *cs, const hd_case_row *row,
                             hd_error *err);
/* One case. HD_ENOTFOUND when there is none. */
int hd_casestore_case_get(hd_casestore *cs, hd_case_row *out,
                          const char *case_no, hd_error *err);

/*
 * Move a case: write every column of `row` but case_no, opened_*, and
 * version, which becomes `expected_version` + 1, provided the stored
 * version is still `expected_version` (compare and set). When it is not
 * (another user moved the case in between), nothing is written and
 * HD_ECONFLICT is returned with a message naming who moved it, with
 * which action, into which state (from the case's latest event).
 * HD_ENOTFOUND when there is no such case.
 */
int hd_casestore_case_update(hd_casestore *cs, const hd_case_row *row,
                             int64_t expected_version, hd_error *err);

/*
 * A list of cases, ordered by case_no. Every filter member is optional
 * (NULL or 0: no filter). `region` is a jurisdiction: a province
 * (PP0000) covers its cases, a city (PPCC00) its counties', a county
 * its own. `overdue_on` (a date; HD_CASE_NO_DATE: no filter) keeps the
 * cases whose report is due before it and not issued (states registered
 * and authorized), or whose decision is due before it and not made
 * (verified, objected, corrected). `case_no_part` matches any part of
 * the number. `limit` 0 means 100; at most 1000, unless `all` is set:
 * then every match, in one read (an export), and offset and limit are
 * ignored.
 */
typedef struct hd_case_filter {
    const char *region;
    const char *state;
    const char *program;
    int32_t overdue_on;
    const char *case_no_part;
    int64_t offset;
    int64_t limit;
    bool all;
} hd_case_filter;

#define HD_CASE_LIST_MAX 1000

/* Rows to fn (borrowed during the call; non-zero stops), and the count
 * of all the filter matches, paging aside, in *total (may be NULL). */
int hd_casestore_case_list(hd_casestore *cs, const hd_case_filter *filter,
                           int (*fn)(const hd_case_row *row, void *payload),
                           void *payload, int64_t *total, hd_error *err);

/* Overdue cases by region (for the dashboard), regions in order, within
 * the jurisdiction `region` (NULL: all): fn gets the region, the cases
 * whose report is overdue and those whose decision is overdue on `on`. */
int hd_casestore_case_overdue_counts(
    hd_casestore *cs, const char *region, int32_t on,
    int (*fn)(const char *region, int64_t reports, int64_t decisions,
              void *payload),
    void *payload, hd_error *err);

/* One transition of a case (table case_event). */
typedef struct hd_case_event {
    int64_t id; /* set by the store */
    const char *case_no;
    int64_t at;
    const char *username;
    const char *role;
    const char *action;
    const char *from_state;
    const char *to_state;
    const char *reason;
    const char *detail; /* may be NULL: JSON with what the action named */
} hd_case_event;

int hd_casestore_case_event_add(hd_casestore *cs, const hd_case_event *ev,
                                hd_error *err);
/* A case's events in the order written (borrowed during the call). */
int hd_casestore_case_events(hd_casestore *cs, const char *case_no,
                             int (*fn)(const hd_case_event *ev, void *payload),
                             void *payload, hd_error *err);

/*
 * A correction of a case (table case_correction): an overlay on one
 * record of its dossier, never an edit of department data. The record is
 * named by the member's pid, the feed and its key as reports write it
 * (the feed's key columns joined by '|', pids in full). `field` NULL
 * means the record does not count for this case; else `value` is the
 * field's corrected value in its feeds.md text form.
 */
typedef struct hd_case_correction {
    int64_t id; /* set by the store */
    const char *case_no;
    const char *pid;
    const char *feed;
    const char *record_key;
    const char *field;
    const char *value;
    const char *evidence;
    const char *made_by;
    int64_t made_at;
} hd_case_correction;

/* Add one; *id_out (may be NULL) gets its id. */
int hd_casestore_correction_add(hd_casestore *cs, const hd_case_correction *c,
                                int64_t *id_out, hd_error *err);
/* A case's corrections in the order made (borrowed during the call). */
int hd_casestore_corrections(hd_casestore *cs, const char *case_no,
                             int (*fn)(const hd_case_correction *c,
                                       void *payload),
                             void *payload, hd_error *err);

#endif
