/*
 * Internals shared by the files of src/store: the record encoding of the
 * feed store, the feed store handle, and the case store's backend table.
 */
#ifndef HEDUI_STORE_INT_H
#define HEDUI_STORE_INT_H

#include <hedui/store.h>

#include <lmdb.h>
#include <pthread.h>
#include <string.h>

/* ------------------------------------------------------ record encoding */

/*
 * A record's LMDB key is
 *
 *   pid (8 bytes: the 17 digits as an integer * 11 + check value, X = 10,
 *        big-endian, so byte order is pid order)
 *   feed id (1 byte)
 *   the feed's other key columns in table order, each order-preserving:
 *     text and uscc: the bytes, then a 0 (text never holds NUL)
 *     pid: 8 bytes as above; region: its 6 digits as a 4-byte integer
 *     date, period: 4 bytes, money, area: 8 bytes, big-endian with the
 *       sign bit flipped; code (index), pct: 1 byte
 *     a nullable column starts with a tag byte, 0 null (so null sorts
 *       first) or 1 present
 *   delivery seq (4 bytes, big-endian)
 *
 * The encoding of the feed key is prefix-free, so keys without the seq
 * sort the same way as keys with it, and all versions of one feed key are
 * adjacent, oldest first.
 *
 * LMDB keys are limited to 511 bytes. A feed key longer than
 * HD__KEY_PLAIN_MAX bytes (long bank or certificate numbers) is stored as
 * its first HD__KEY_HASHED_LEN - 16 bytes and 16 bytes of its SHA-256,
 * exactly HD__KEY_HASHED_LEN bytes, a length no plain key has; its full
 * encoding then opens the value. Order among such keys is by prefix then
 * hash, which only matters for the order records are listed in.
 *
 * The value holds the non-key columns: a bitmap of nulls over the
 * nullable non-key columns (none for feeds without any), then each
 * present value: numbers and code indexes as zigzag varints, region as a
 * varint, pid as 8 bytes, text and uscc as a varint length and the bytes.
 */
#define HD__KEY_PID_LEN 8
#define HD__KEY_PREFIX_LEN 9 /* pid and feed id */
#define HD__KEY_SEQ_LEN 4
#define HD__KEY_PLAIN_MAX 460
#define HD__KEY_HASHED_LEN 480
#define HD__KEY_MAX HD__KEY_HASHED_LEN /* without the seq */
#define HD__TEXT_MAX_BYTES (HD_TEXT_MAX_CHARS * 4)
#define HD__FULL_KEY_MAX                                                       \
    (HD__KEY_PREFIX_LEN + HD_FEED_MAX_COLUMNS * (HD__TEXT_MAX_BYTES + 2))
#define HD__VALUE_MAX                                                          \
    (4 + HD__FULL_KEY_MAX + HD_FEED_MAX_COLUMNS * (HD__TEXT_MAX_BYTES + 5))
/* Room hd__record_encode needs for one key and value. */
#define HD__RECORD_MAX (HD__KEY_MAX + HD__VALUE_MAX)

/*
 * Encode `row` into `out` (at least HD__RECORD_MAX bytes): the key
 * without its seq at out[0..*key_len), the value right after it,
 * *val_len bytes. Returns 0, or HD_EDATA (err says which column) when a
 * value cannot be stored: a pid that is not 17 digits and a check
 * character, text with a NUL or longer than 800 bytes, a number out of
 * its column's range, a null in a column that is not nullable.
 */
int hd__record_encode(uint8_t *out, size_t *key_len, size_t *val_len,
                      const hd_row *row, hd_error *err);

/*
 * Rebuild a row from a key (without its seq) and a value. Text values
 * point into `key` and `val` (borrowed: valid as long as they are),
 * codes at the table's strings, pids and regions into row->storage. Text
 * from the value is not NUL-terminated: use hd_value.len. `feed` may be
 * NULL (then the key says which); `pid` may be the 18 characters of the
 * key's pid, already unpacked (a scan does it once per person), or NULL.
 * Returns 0 or HD_EDATA for bytes that are not a record.
 */
int hd__record_decode(hd_row *row, const hd_feed *feed, const char *pid,
                      const uint8_t *key, size_t key_len, const uint8_t *val,
                      size_t val_len);

/* Pack a normalised 18-character pid; HD_EINVAL when it is not 17 digits
 * and a check character 0-9 or X. */
int hd__pid_pack(uint64_t *out, const char *pid, size_t len);
/* Write the 18 characters of a packed pid (no NUL). */
void hd__pid_unpack(char *out, uint64_t packed);

static inline uint64_t hd__load_be64(const uint8_t *p)
{
    return (uint64_t)p[0] << 56 | (uint64_t)p[1] << 48 | (uint64_t)p[2] << 40 |
           (uint64_t)p[3] << 32 | (uint64_t)p[4] << 24 | (uint64_t)p[5] << 16 |
           (uint64_t)p[6] << 8 | (uint64_t)p[7];
}

static inline uint32_t hd__load_be32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 |
           (uint32_t)p[3];
}

static inline void hd__store_be64(uint8_t *p, uint64_t v)
{
    for (int i = 7; i >= 0; i--, v >>= 8)
        p[i] = (uint8_t)v;
}

static inline void hd__store_be32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 24);
    p[1] = (uint8_t)(v >> 16);
    p[2] = (uint8_t)(v >> 8);
    p[3] = (uint8_t)v;
}

/* LMDB's default order: bytes, then the shorter first. */
static inline int hd__key_cmp(const uint8_t *a, size_t alen, const uint8_t *b,
                              size_t blen)
{
    int c = memcmp(a, b, alen < blen ? alen : blen);
    if (c)
        return c;
    return alen < blen ? -1 : alen > blen;
}

/* ---------------------------------------------------------- feed store */

#define HD__FEED_IDS 32 /* feed ids are bits of a 32-bit mask */
/* Named databases: one of records per feed id, and four more. */
#define HD__FS_MAX_DBS 64

/* A delivery as stored, with the counts of its load. */
typedef struct hd__fs_entry {
    hd_fs_delivery d;
    hd_fs_load_stats stats;
} hd__fs_entry;

#define HD__CACHE_BLOCK 256   /* deliveries per block of the cache */
#define HD__CACHE_BLOCKS 4096 /* blocks: room for 1 Mi deliveries */
#define HD__READ_POOL 8       /* reset read transactions kept */

/*
 * The handle may be shared by threads (LMDB allows one environment per
 * process, so a server has one handle for all its threads). `lock`
 * guards the delivery cache's growth, the pool of read transactions and
 * the count of open reads. Cache entries are allocated one by one in
 * blocks that never move, so an entry seen under the lock may be read
 * without it for the handle's life (delivery ids handed out in records
 * point into them).
 */
struct hd_feedstore {
    MDB_env *env;
    MDB_dbi records[HD__FEED_IDS]; /* one per feed id of the table */
    bool has_records[HD__FEED_IDS];
    MDB_dbi deliveries;   /* seq (4 bytes BE) -> delivery record */
    MDB_dbi delivery_ids; /* delivery id -> seq */
    MDB_dbi pending;      /* delivery id -> blob */
    MDB_dbi meta;         /* "format" -> version */
    char *dir;            /* where the environment lives */
    bool installed;       /* a front-end's copy (hd_feedstore_install) */
    pthread_mutex_t lock;
    bool lock_made;
    hd__fs_entry **cache[HD__CACHE_BLOCKS];
    uint32_t cache_count; /* deliveries 1..cache_count are cached */
    MDB_txn *pool[HD__READ_POOL];
    int pool_count;
    int reads_open; /* read transactions now open on this handle */
};

/* A cached delivery: seq between 1 and a count seen under the lock. */
static inline const hd__fs_entry *hd__fs_entry_at(const hd_feedstore *fs,
                                                  uint32_t seq)
{
    return fs->cache[(seq - 1) / HD__CACHE_BLOCK][(seq - 1) % HD__CACHE_BLOCK];
}

/* The key in "meta" that marks a front-end's installed copy: loads are
 * refused there, since the node's deliveries are loaded on its ingest
 * host only (its seqs are the node's seqs). */
#define HD__FS_INSTALLED_KEY "installed"
#define HD__FS_INSTALLED_KEY_LEN 9
/* mkdir -p, for a store's directory (mode 0700). */
int hd__fs_make_dirs(const char *dir, hd_error *err);
/* Begin a transaction, following a map grown by another process. */
int hd__fs_txn_begin(hd_feedstore *fs, bool write, MDB_txn **out,
                     hd_error *err);
/* A read transaction from the handle's pool, and its return. */
int hd__fs_read_begin(hd_feedstore *fs, MDB_txn **out, hd_error *err);
void hd__fs_read_end(hd_feedstore *fs, MDB_txn *txn);
/* Bring the delivery cache up to what `txn` sees; *latest is the highest
 * seq `txn` sees (cached once this returns 0). */
int hd__fs_cache_refresh(hd_feedstore *fs, MDB_txn *txn, uint32_t *latest,
                         hd_error *err);
/* The visible range of each feed in a view: rows of feed f count when
 * lo[f] <= seq <= *hi. Call after hd__fs_cache_refresh. */
void hd__fs_view_bounds(hd_feedstore *fs, hd_fs_view view, uint32_t latest,
                        uint32_t lo[HD__FEED_IDS], uint32_t *hi);
/* Map an LMDB return code to a hedui one, with a message. */
int hd__fs_mdb_error(hd_error *err, int rc, const char *what);
/* Encode a delivery record (returns its length; `out` holds
 * HD__DELIVERY_MAX bytes). */
#define HD__DELIVERY_MAX 1024
size_t hd__fs_delivery_encode(uint8_t *out, const hd__fs_entry *e);
/* Grow the map (doubling) after MDB_MAP_FULL; refused while a read is
 * open on the handle. */
int hd__fs_grow_map(hd_feedstore *fs, hd_error *err);
/* Add the entry of a delivery just committed, when it is the next seq
 * (copied; an allocation failure only leaves it to the next refresh). */
void hd__fs_cache_add(hd_feedstore *fs, const hd__fs_entry *e);
/* Test hook: the map size of the next stores opened (0: the default). */
void hd__feedstore_set_initial_mapsize(size_t bytes);

/* ---------------------------------------------------------- case store */

/* A parameter of hd__sql: text (NULL is SQL NULL) or a 64-bit integer. */
typedef struct hd__sql_arg {
    char type; /* 's' or 'i' */
    const char *text;
    int64_t num;
} hd__sql_arg;

/* The operations a case store backend provides; hd_casestore_* check
 * arguments and dispatch here. */
typedef struct hd__cs_ops {
    const char *name;
    void (*close)(hd_casestore *cs);
    int (*schema_version)(hd_casestore *cs);
    int (*begin)(hd_casestore *cs, hd_error *err);
    bool (*in_transaction)(hd_casestore *cs);
    int (*commit)(hd_casestore *cs, hd_error *err);
    void (*rollback)(hd_casestore *cs);
    int (*log_ingest)(hd_casestore *cs, const hd_ingest_log *log,
                      hd_error *err);
    int (*delivery_accepted)(hd_casestore *cs, const char *delivery_id,
                             hd_error *err);
    int (*quarantine_add)(hd_casestore *cs, const hd_quarantine_row *row,
                          hd_error *err);
    int (*quarantine_list)(hd_casestore *cs, const char *delivery_id,
                           int (*fn)(const hd_quarantine_row *row,
                                     void *payload),
                           void *payload, hd_error *err);
    int (*feed_status)(hd_casestore *cs, hd_feed_status *out, int out_count,
                       hd_error *err);
    int (*ingest_logs)(hd_casestore *cs,
                       int (*fn)(const hd_ingest_log *log, void *payload),
                       void *payload, hd_error *err);
    int (*open_same)(hd_casestore **out, hd_casestore *cs, hd_error *err);
    int (*policy_put)(hd_casestore *cs, int64_t *version_out,
                      const char *source, const char *sha256,
                      const char *content, int64_t imported_at, hd_error *err);
    int (*policy_get)(hd_casestore *cs, char **out, int64_t *version_out,
                      int64_t version, hd_error *err);
    int (*application_put)(hd_casestore *cs, const hd_application_row *row,
                           bool *stored, hd_error *err);
    int (*application_get)(hd_casestore *cs, const char *application_no,
                           int (*fn)(const hd_application_row *row,
                                     void *payload),
                           void *payload, hd_error *err);
    int (*consent_put)(hd_casestore *cs, const hd_consent_row *row,
                       bool *stored, hd_error *err);
    /* May be NULL: then one put after another. */
    int (*application_put_many)(hd_casestore *cs,
                                const hd_application_row *rows, int count,
                                int *rcs, bool *stored, hd_error *err);
    int (*consent_put_many)(hd_casestore *cs, const hd_consent_row *rows,
                            int count, int *rcs, bool *stored, hd_error *err);
    int (*consent_revoke)(hd_casestore *cs, const char *authorization_id,
                          int64_t at, const char *reason, hd_error *err);
    int (*consents)(hd_casestore *cs, const char *pid,
                    int (*fn)(const hd_consent_row *row, void *payload),
                    void *payload, hd_error *err);
    int (*audit_add)(hd_casestore *cs, const hd_audit_entry *entry,
                     hd_error *err);
    int (*audit_list)(hd_casestore *cs, const char *case_no,
                      int (*fn)(int64_t id, const hd_audit_entry *entry,
                                void *payload),
                      void *payload, hd_error *err);
    int (*verification_add)(hd_casestore *cs, const hd_verification_row *row,
                            hd_error *err);
    int (*verification_latest)(hd_casestore *cs, const char *application_no,
                               int (*fn)(const hd_verification_row *row,
                                         void *payload),
                               void *payload, hd_error *err);
    /* One statement of the portable SQL below (hd__sql). */
    int (*sql)(hd_casestore *cs, const char *sql, int n,
               const struct hd__sql_arg *args, bool many,
               int (*fn)(const char *const *cols, int ncols, void *payload),
               void *payload, int64_t *changes, hd_error *err);
} hd__cs_ops;

/* Every backend's handle starts with this. */
struct hd_casestore {
    const hd__cs_ops *ops;
    uint8_t audit_key[32]; /* hd_casestore_set_audit_key */
    bool has_audit_key;
    bool in_txn; /* between hd_casestore_begin and its commit or rollback */
    /* The audit chain's head as this transaction sees it (audit_chain.c):
     * read at the transaction's first entry, forgotten when it ends. */
    bool audit_head_known;
    int64_t audit_seq;
    char audit_head[HD_AUDIT_HASH_HEX];
};

/*
 * The chain columns of the next audit entry (audit_chain.c), for a
 * backend's audit_add inside a transaction: *seq_out and prev (the head
 * as cached, read first if it is not), and hash, the entry's own. Once
 * the row is written the backend calls hd__audit_chain_advance, which
 * makes it the head. HD_EINVAL without an audit key.
 */
int hd__audit_chain_next(hd_casestore *cs, const hd_audit_entry *entry,
                         int64_t *seq_out, char prev[HD_AUDIT_HASH_HEX],
                         char hash[HD_AUDIT_HASH_HEX], hd_error *err);
void hd__audit_chain_advance(hd_casestore *cs, int64_t seq,
                             const char hash[HD_AUDIT_HASH_HEX]);
/* Forget the cached head (the transaction ended). */
void hd__audit_chain_forget(hd_casestore *cs);

/*
 * The store's later areas (staff, cases, batches, the audit chain) are
 * written once for both backends, in SQL both engines read the same way:
 * parameters `$1`..`$n`, no casts with `::`, no `FOR UPDATE` (where a
 * statement differs, the file holds one per backend and asks
 * hd__sql_is_pg). `types` has one letter per parameter, taken from the
 * variable arguments: 's' a `const char *` (NULL is SQL NULL), 'i' an
 * `int64_t`. Each result row goes to fn (may be NULL) as texts, NULL for
 * SQL NULL, borrowed during the call; fn returns non-zero to stop, and
 * that is returned. *changes (may be NULL) gets the rows a write changed.
 * `sql` must live as long as the program: statements are prepared once
 * per connection and found again by its address. Runs in the caller's
 * transaction, or alone.
 */
typedef int (*hd__sql_row_fn)(const char *const *cols, int ncols,
                              void *payload);
int hd__sql(hd_casestore *cs, hd__sql_row_fn fn, void *payload,
            int64_t *changes, hd_error *err, const char *sql, const char *types,
            ...);
/* As hd__sql for a query whose rows may be many (a whole audit chain): on
 * PostgreSQL read through a cursor, so that memory stays small; fn may use
 * the store. */
int hd__sql_each(hd_casestore *cs, hd__sql_row_fn fn, void *payload,
                 hd_error *err, const char *sql, const char *types, ...);
bool hd__sql_is_pg(hd_casestore *cs);
/* A column as an integer (0 for NULL or not a number). */
int64_t hd__sql_int(const char *col);

/* The SQLite backend (sqlite.c, and sqlite_<area>.c for the tables of
 * schema version 2). */
int hd__sqlite_open(hd_casestore **out, const char *path, hd_error *err);
int hd__sqlite_sql(hd_casestore *cs, const char *sql, int n,
                   const hd__sql_arg *args, bool many,
                   int (*fn)(const char *const *cols, int ncols, void *payload),
                   void *payload, int64_t *changes, hd_error *err);
int hd__sqlite_policy_put(hd_casestore *cs, int64_t *version_out,
                          const char *source, const char *sha256,
                          const char *content, int64_t imported_at,
                          hd_error *err);
int hd__sqlite_policy_get(hd_casestore *cs, char **out, int64_t *version_out,
                          int64_t version, hd_error *err);
int hd__sqlite_application_put(hd_casestore *cs, const hd_application_row *row,
                               bool *stored, hd_error *err);
int hd__sqlite_application_get(hd_casestore *cs, const char *application_no,
                               int (*fn)(const hd_application_row *row,
                                         void *payload),
                               void *payload, hd_error *err);
int hd__sqlite_consent_put(hd_casestore *cs, const hd_consent_row *row,
                           bool *stored, hd_error *err);
int hd__sqlite_consent_revoke(hd_casestore *cs, const char *authorization_id,
                              int64_t at, const char *reason, hd_error *err);
int hd__sqlite_consents(hd_casestore *cs, const char *pid,
                        int (*fn)(const hd_consent_row *row, void *payload),
                        void *payload, hd_error *err);
int hd__sqlite_audit_add(hd_casestore *cs, const hd_audit_entry *entry,
                         hd_error *err);
int hd__sqlite_audit_list(hd_casestore *cs, const char *case_no,
                          int (*fn)(int64_t id, const hd_audit_entry *entry,
                                    void *payload),
                          void *payload, hd_error *err);
int hd__sqlite_verification_add(hd_casestore *cs,
                                const hd_verification_row *row, hd_error *err);
int hd__sqlite_verification_latest(hd_casestore *cs, const char *application_no,
                                   int (*fn)(const hd_verification_row *row,
                                             void *payload),
                                   void *payload, hd_error *err);

/* The PostgreSQL backend (pg.c): `url` is a postgresql:// URL. */
int hd__pg_open(hd_casestore **out, const char *url, hd_error *err);

/*
 * The SQLite connection of a case store, NULL when `cs` is another
 * backend. The case store's later tables (policies, applications,
 * consents, audit, verifications) are served by one file each
 * (sqlite_<area>.c) that prepares its statements on this handle.
 */
typedef struct sqlite3 sqlite3;
sqlite3 *hd__sqlite_db(hd_casestore *cs);
/*
 * A statement of a sqlite_<area>.c file, prepared once per connection and
 * kept until the store closes (a bulk import runs one a million times):
 * `sql` must be a string that lives as long as the program (the cache
 * looks it up by address first). When the kept one is running (a
 * callback reading the store), a fresh one is prepared for this use.
 * Give it back with hd__sqlite_stmt_done, which resets it (or finalizes
 * a fresh one).
 */
typedef struct sqlite3_stmt sqlite3_stmt;
int hd__sqlite_stmt(hd_casestore *cs, const char *sql, sqlite3_stmt **out,
                    hd_error *err);
void hd__sqlite_stmt_done(hd_casestore *cs, sqlite3_stmt *st);

/* Map a SQLite result code to an hd error: constraint violations of a
 * key to HD_EEXISTS, other constraints to HD_EINVAL, I/O to HD_EIO. */
int hd__sqlite_error(sqlite3 *db, hd_error *err, int rc, const char *what);

/* The case store's schema (schema.c): hd__schema_version migrations, the
 * one taking version `step` to `step` + 1 spelled in a dialect's SQL
 * (caller frees with hd_free; NULL when out of memory). */
typedef enum hd__dialect { HD__SQLITE, HD__POSTGRESQL } hd__dialect;
extern const int hd__schema_version;
char *hd__schema_sql(hd__dialect dialect, int step);

/* A reject reason from its stable name; HD_REJECT_COUNT_ when unknown. */
hd_reject hd__reject_from_name(const char *name);

#endif
