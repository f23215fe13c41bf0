/*
 * The feed store on LMDB: the environment, the deliveries and their
 * cache, pending blobs and views. Loading is in feedstore_load.c, reading
 * records in feedstore_read.c.
 *
 * Named databases: "records.<feed id>" (one per feed of the table, so
 * that the first load of a feed, and any load whose keys all sort after
 * what is there, appends pages instead of splitting them), "deliveries"
 * (seq -> delivery record), "delivery_ids" (id -> seq), "pending" (id ->
 * blob) and "meta" (format version).
 */
#include "store/store_int.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#define FORMAT_VERSION 1
#define DELIVERY_RECORD_VERSION 1
/* Virtual address space only: the file grows as data is written. */
#define DEFAULT_MAPSIZE ((size_t)64 << 30)

static size_t initial_mapsize;

void hd__feedstore_set_initial_mapsize(size_t bytes)
{
    initial_mapsize = bytes;
}

int hd__fs_mdb_error(hd_error *err, int rc, const char *what)
{
    int code = HD_ESTORE;
    if (rc == ENOMEM)
        code = HD_ENOMEM;
    else if (rc == EIO || rc == ENOSPC || rc == EACCES || rc == EROFS)
        code = HD_EIO;
    return hd_error_set(err, code, "feed store: %s: %s", what,
                        mdb_strerror(rc));
}

/* Adopt a map another process grew. Called with the lock held; LMDB
 * allows it only with no transaction open in the process. */
static int adopt_map_size(hd_feedstore *fs)
{
    if (fs->reads_open)
        return MDB_MAP_RESIZED;
    while (fs->pool_count)
        mdb_txn_abort(fs->pool[--fs->pool_count]);
    return mdb_env_set_mapsize(fs->env, 0);
}

int hd__fs_txn_begin(hd_feedstore *fs, bool write, MDB_txn **out, hd_error *err)
{
    int rc = mdb_txn_begin(fs->env, NULL, write ? 0 : MDB_RDONLY, out);

    if (rc == MDB_MAP_RESIZED) {
        pthread_mutex_lock(&fs->lock);
        rc = adopt_map_size(fs);
        pthread_mutex_unlock(&fs->lock);
        if (rc == 0)
            rc = mdb_txn_begin(fs->env, NULL, write ? 0 : MDB_RDONLY, out);
    }
    if (rc)
        return hd__fs_mdb_error(err, rc, "cannot begin a transaction");
    return 0;
}

int hd__fs_read_begin(hd_feedstore *fs, MDB_txn **out, hd_error *err)
{
    MDB_txn *txn = NULL;
    int rc = MDB_NOTFOUND;

    /* Reset read transactions are renewed rather than begun, which saves
     * finding a reader slot on every read. All under the lock, so that
     * growing the map never meets a read being opened. */
    pthread_mutex_lock(&fs->lock);
    while (rc && fs->pool_count) {
        txn = fs->pool[--fs->pool_count];
        rc = mdb_txn_renew(txn);
        if (rc)
            mdb_txn_abort(txn);
    }
    if (rc) {
        rc = mdb_txn_begin(fs->env, NULL, MDB_RDONLY, &txn);
        if (rc == MDB_MAP_RESIZED) {
            rc = adopt_map_size(fs);
            if (rc == 0)
                rc = mdb_txn_begin(fs->env, NULL, MDB_RDONLY, &txn);
        }
    }
    if (rc == 0)
        fs->reads_open++;
    pthread_mutex_unlock(&fs->lock);
    if (rc)
        return hd__fs_mdb_error(err, rc, "cannot begin a read");
    *out = txn;
    return 0;
}

void hd__fs_read_end(hd_feedstore *fs, MDB_txn *txn)
{
    if (!txn)
        return;
    pthread_mutex_lock(&fs->lock);
    fs->reads_open--;
    if (fs->pool_count < HD__READ_POOL) {
        mdb_txn_reset(txn);
        fs->pool[fs->pool_count++] = txn;
    } else {
        mdb_txn_abort(txn);
    }
    pthread_mutex_unlock(&fs->lock);
}

int hd__fs_grow_map(hd_feedstore *fs, hd_error *err)
{
    MDB_envinfo info;
    size_t size;
    int rc;

    pthread_mutex_lock(&fs->lock);
    if (fs->reads_open) {
        pthread_mutex_unlock(&fs->lock);
        return hd_error_set(err, HD_ESTORE,
                            "feed store: map full while a read is open");
    }
    mdb_env_info(fs->env, &info);
    if (__builtin_mul_overflow(info.me_mapsize, 2, &size)) {
        pthread_mutex_unlock(&fs->lock);
        return hd_error_set(err, HD_ESTORE, "feed store: map full");
    }
    /* Pooled read transactions must not outlive the old map. */
    while (fs->pool_count)
        mdb_txn_abort(fs->pool[--fs->pool_count]);
    rc = mdb_env_set_mapsize(fs->env, size);
    pthread_mutex_unlock(&fs->lock);
    if (rc)
        return hd__fs_mdb_error(err, rc, "cannot grow the map");
    hd_log(HD_LOG_INFO, "event=feedstore_map_grown bytes=%zu", size);
    return 0;
}

/* ------------------------------------------------------ delivery record */

static uint8_t *put64(uint8_t *p, int64_t v)
{
    hd__store_be64(p, (uint64_t)v);
    return p + 8;
}

size_t hd__fs_delivery_encode(uint8_t *out, const hd__fs_entry *e)
{
    const hd_fs_delivery *d = &e->d;
    size_t id_len = strnlen(d->delivery_id, sizeof(d->delivery_id) - 1);
    size_t dep_len = strnlen(d->department, sizeof(d->department) - 1);
    uint8_t *p = out;

    *p++ = DELIVERY_RECORD_VERSION;
    hd__store_be32(p, d->seq);
    hd__store_be32(p + 4, (uint32_t)d->as_of);
    p += 8;
    *p++ = d->snapshot ? 1 : 0;
    p = put64(p, d->loaded_at);
    hd__store_be32(p, d->feed_mask);
    p += 4;
    *p++ = (uint8_t)id_len;
    memcpy(p, d->delivery_id, id_len);
    p += id_len;
    *p++ = (uint8_t)dep_len;
    memcpy(p, d->department, dep_len);
    p += dep_len;
    for (int f = 0; f < HD__FEED_IDS; f++) {
        p = put64(p, e->stats.rows[f]);
        p = put64(p, e->stats.replaced[f]);
        p = put64(p, e->stats.live[f]);
    }
    return (size_t)(p - out);
}

static bool delivery_decode(hd__fs_entry *e, const uint8_t *p, size_t len)
{
    const uint8_t *end = p + len;
    size_t n;

    memset(e, 0, sizeof(*e));
    if (len < 23 || p[0] != DELIVERY_RECORD_VERSION)
        return false;
    e->d.seq = hd__load_be32(p + 1);
    e->d.as_of = (int32_t)hd__load_be32(p + 5);
    e->d.snapshot = p[9] != 0;
    e->d.loaded_at = (int64_t)hd__load_be64(p + 10);
    e->d.feed_mask = hd__load_be32(p + 18);
    p += 22;
    n = *p++;
    if (n >= sizeof(e->d.delivery_id) || (size_t)(end - p) < n + 1)
        return false;
    memcpy(e->d.delivery_id, p, n);
    p += n;
    n = *p++;
    if (n >= sizeof(e->d.department) || (size_t)(end - p) < n)
        return false;
    memcpy(e->d.department, p, n);
    p += n;
    if ((size_t)(end - p) != (size_t)HD__FEED_IDS * 24)
        return false;
    for (int f = 0; f < HD__FEED_IDS; f++, p += 24) {
        e->stats.rows[f] = (int64_t)hd__load_be64(p);
        e->stats.replaced[f] = (int64_t)hd__load_be64(p + 8);
        e->stats.live[f] = (int64_t)hd__load_be64(p + 16);
    }
    return true;
}

/* ---------------------------------------------------------------- cache */

/* Append an entry to the cache; called with the lock held. */
static int cache_push(hd_feedstore *fs, hd__fs_entry *e)
{
    uint32_t block = fs->cache_count / HD__CACHE_BLOCK;

    if (block >= HD__CACHE_BLOCKS)
        return HD_ELIMIT;
    if (!fs->cache[block]) {
        fs->cache[block] = hd_calloc(HD__CACHE_BLOCK, sizeof(hd__fs_entry *));
        if (!fs->cache[block])
            return HD_ENOMEM;
    }
    fs->cache[block][fs->cache_count % HD__CACHE_BLOCK] = e;
    fs->cache_count++;
    return 0;
}

void hd__fs_cache_add(hd_feedstore *fs, const hd__fs_entry *e)
{
    hd__fs_entry *copy;

    pthread_mutex_lock(&fs->lock);
    if (fs->cache_count + 1 == e->d.seq) {
        copy = hd_malloc(sizeof(*copy));
        if (copy) {
            *copy = *e;
            if (cache_push(fs, copy))
                hd_free(copy);
        }
    }
    pthread_mutex_unlock(&fs->lock);
}

static int read_deliveries(hd_feedstore *fs, MDB_txn *txn, size_t entries)
{
    MDB_cursor *cur = NULL;
    MDB_val k, v;
    uint8_t kb[4];
    int rc = mdb_cursor_open(txn, fs->deliveries, &cur);

    if (rc)
        return rc;
    hd__store_be32(kb, fs->cache_count + 1);
    k.mv_data = kb;
    k.mv_size = 4;
    for (rc = mdb_cursor_get(cur, &k, &v, MDB_SET_RANGE);
         rc == 0 && fs->cache_count < entries;
         rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) {
        hd__fs_entry *e;
        if (k.mv_size != 4 || hd__load_be32(k.mv_data) != fs->cache_count + 1) {
            rc = HD_EDATA;
            break;
        }
        e = hd_malloc(sizeof(*e));
        if (!e) {
            rc = HD_ENOMEM;
            break;
        }
        if (!delivery_decode(e, v.mv_data, v.mv_size) ||
            e->d.seq != fs->cache_count + 1) {
            hd_free(e);
            rc = HD_EDATA;
            break;
        }
        rc = cache_push(fs, e);
        if (rc) {
            hd_free(e);
            break;
        }
    }
    mdb_cursor_close(cur);
    return rc == MDB_NOTFOUND ? 0 : rc;
}

int hd__fs_cache_refresh(hd_feedstore *fs, MDB_txn *txn, uint32_t *latest,
                         hd_error *err)
{
    MDB_stat st;
    int rc;

    rc = mdb_stat(txn, fs->deliveries, &st);
    if (rc)
        return hd__fs_mdb_error(err, rc, "cannot read the deliveries");
    /* Seqs are dense from 1 and deliveries are never removed. */
    if (st.ms_entries > UINT32_MAX)
        return hd_error_set(err, HD_ESTORE, "feed store: corrupt deliveries");
    pthread_mutex_lock(&fs->lock);
    rc = st.ms_entries > fs->cache_count
             ? read_deliveries(fs, txn, st.ms_entries)
             : 0;
    pthread_mutex_unlock(&fs->lock);
    if (rc == HD_ENOMEM)
        return hd_error_set(err, HD_ENOMEM, "out of memory");
    if (rc == HD_EDATA)
        return hd_error_set(err, HD_ESTORE, "feed store: corrupt delivery");
    if (rc == HD_ELIMIT)
        return hd_error_set(err, HD_ELIMIT, "feed store: too many deliveries");
    if (rc)
        return hd__fs_mdb_error(err, rc, "cannot read the deliveries");
    *latest = (uint32_t)st.ms_entries;
    return 0;
}

void hd__fs_view_bounds(hd_feedstore *fs, hd_fs_view view, uint32_t latest,
                        uint32_t lo[HD__FEED_IDS], uint32_t *hi)
{
    uint32_t top = latest;

    if (view.max_seq && view.max_seq < top)
        top = view.max_seq;
    for (int f = 0; f < HD__FEED_IDS; f++)
        lo[f] = 0;
    pthread_mutex_lock(&fs->lock);
    if (top > fs->cache_count)
        top = fs->cache_count;
    pthread_mutex_unlock(&fs->lock);
    for (uint32_t s = 1; s <= top; s++) {
        const hd_fs_delivery *d = &hd__fs_entry_at(fs, s)->d;
        if (!d->snapshot)
            continue;
        for (int f = 0; f < HD__FEED_IDS; f++)
            if (d->feed_mask & (UINT32_C(1) << f))
                lo[f] = s;
    }
    *hi = top;
}

/* ----------------------------------------------------------- open, free */

int hd__fs_make_dirs(const char *dir, hd_error *err)
{
    char path[4096];
    size_t len = strlen(dir);

    if (len == 0 || len >= sizeof(path))
        return hd_error_set(err, HD_EINVAL, "feed store: bad directory");
    memcpy(path, dir, len + 1);
    for (size_t i = 1; i <= len; i++) {
        if (path[i] != '/' && path[i] != '\0')
            continue;
        path[i] = '\0';
        if (mkdir(path, 0700) != 0 && errno != EEXIST)
            return hd_error_set(err, HD_EIO, "feed store: cannot create %s: %s",
                                path, strerror(errno));
        path[i] = i < len ? '/' : '\0';
    }
    return 0;
}

static int open_dbs(hd_feedstore *fs, hd_error *err)
{
    MDB_txn *txn = NULL;
    MDB_val k = {6, (void *)"format"}, v;
    MDB_val installed = {HD__FS_INSTALLED_KEY_LEN,
                         (void *)HD__FS_INSTALLED_KEY};
    uint8_t ver[4];
    char name[32];
    int rc;

    rc = hd__fs_txn_begin(fs, true, &txn, err);
    if (rc)
        return rc;
    rc = mdb_dbi_open(txn, "meta", MDB_CREATE, &fs->meta);
    if (rc == 0)
        rc = mdb_dbi_open(txn, "deliveries", MDB_CREATE, &fs->deliveries);
    if (rc == 0)
        rc = mdb_dbi_open(txn, "delivery_ids", MDB_CREATE, &fs->delivery_ids);
    if (rc == 0)
        rc = mdb_dbi_open(txn, "pending", MDB_CREATE, &fs->pending);
    for (int i = 0; rc == 0 && i < hd_feed_count; i++) {
        uint8_t id = hd_feeds[i].id;
        if (id >= HD__FEED_IDS)
            continue;
        snprintf(name, sizeof(name), "records.%u", (unsigned)id);
        rc = mdb_dbi_open(txn, name, MDB_CREATE, &fs->records[id]);
        fs->has_records[id] = rc == 0;
    }
    if (rc) {
        mdb_txn_abort(txn);
        return hd__fs_mdb_error(err, rc, "cannot open the databases");
    }
    rc = mdb_get(txn, fs->meta, &installed, &v);
    fs->installed = rc == 0;
    rc = mdb_get(txn, fs->meta, &k, &v);
    if (rc == MDB_NOTFOUND) {
        hd__store_be32(ver, FORMAT_VERSION);
        v.mv_data = ver;
        v.mv_size = 4;
        rc = mdb_put(txn, fs->meta, &k, &v, 0);
    } else if (rc == 0 &&
               (v.mv_size != 4 || hd__load_be32(v.mv_data) > FORMAT_VERSION)) {
        mdb_txn_abort(txn);
        return hd_error_set(err, HD_ESTORE,
                            "feed store: format is newer than this program");
    }
    if (rc == 0)
        rc = mdb_txn_commit(txn);
    else
        mdb_txn_abort(txn);
    if (rc)
        return hd__fs_mdb_error(err, rc, "cannot open the databases");
    return 0;
}

int hd_feedstore_open(hd_feedstore **out, const char *dir, hd_error *err)
{
    hd_feedstore *fs = NULL;
    MDB_txn *txn = NULL;
    uint32_t latest;
    int rc, dead = 0;

    *out = NULL;
    if (!dir)
        return hd_error_set(err, HD_EINVAL, "feed store: no directory");
    rc = hd__fs_make_dirs(dir, err);
    if (rc)
        return rc;
    fs = hd_calloc(1, sizeof(*fs));
    if (!fs)
        return hd_error_set(err, HD_ENOMEM, "out of memory");
    fs->dir = hd_strdup(dir);
    if (!fs->dir) {
        rc = hd_error_set(err, HD_ENOMEM, "out of memory");
        goto out;
    }
    if (pthread_mutex_init(&fs->lock, NULL)) {
        rc = hd_error_set(err, HD_ENOMEM, "feed store: cannot make a lock");
        goto out;
    }
    fs->lock_made = true;
    rc = mdb_env_create(&fs->env);
    if (rc == 0)
        rc = mdb_env_set_maxdbs(fs->env, HD__FS_MAX_DBS);
    if (rc == 0)
        rc = mdb_env_set_mapsize(fs->env, initial_mapsize ? initial_mapsize
                                                          : DEFAULT_MAPSIZE);
    /* MDB_NOTLS: read transactions belong to the handle, not the thread,
     * so a callback may read again or commit a load while a read is
     * open. Commits use LMDB's default durable sync. */
    if (rc == 0)
        rc = mdb_env_open(fs->env, dir, MDB_NOTLS, 0600);
    if (rc) {
        rc = hd__fs_mdb_error(err, rc, "cannot open the environment");
        goto out;
    }
    /* Reader slots of processes that died would keep old pages from
     * being reused: clear them. */
    if (mdb_reader_check(fs->env, &dead) == 0 && dead > 0)
        hd_log(HD_LOG_WARN, "event=feedstore_stale_readers count=%d", dead);
    rc = open_dbs(fs, err);
    if (rc)
        goto out;
    rc = hd__fs_read_begin(fs, &txn, err);
    if (rc == 0)
        rc = hd__fs_cache_refresh(fs, txn, &latest, err);
    hd__fs_read_end(fs, txn);
out:
    if (rc) {
        hd_feedstore_free(fs);
        return rc;
    }
    *out = fs;
    return 0;
}

void hd_feedstore_free(hd_feedstore *fs)
{
    if (!fs)
        return;
    while (fs->pool_count)
        mdb_txn_abort(fs->pool[--fs->pool_count]);
    if (fs->env)
        mdb_env_close(fs->env);
    for (uint32_t s = 1; s <= fs->cache_count; s++)
        hd_free((void *)hd__fs_entry_at(fs, s));
    for (int b = 0; b < HD__CACHE_BLOCKS && fs->cache[b]; b++)
        hd_free(fs->cache[b]);
    if (fs->lock_made)
        pthread_mutex_destroy(&fs->lock);
    hd_free(fs->dir);
    hd_free(fs);
}

/* ------------------------------------------------------------ deliveries */

static int lookup_seq(hd_feedstore *fs, MDB_txn *txn, const char *delivery_id,
                      uint32_t *seq, hd_error *err)
{
    MDB_val k = {strlen(delivery_id), (void *)delivery_id}, v;
    int rc = mdb_get(txn, fs->delivery_ids, &k, &v);

    if (rc == MDB_NOTFOUND)
        return hd_error_set(err, HD_ENOTFOUND, "no delivery %s in the store",
                            delivery_id);
    if (rc)
        return hd__fs_mdb_error(err, rc, "cannot look up a delivery");
    if (v.mv_size != 4)
        return hd_error_set(err, HD_ESTORE, "feed store: corrupt delivery id");
    *seq = hd__load_be32(v.mv_data);
    return 0;
}

static int find_entry(const hd__fs_entry **out, hd_feedstore *fs,
                      const char *delivery_id, hd_error *err)
{
    MDB_txn *txn = NULL;
    uint32_t seq = 0, latest = 0;
    int rc;

    if (!delivery_id || !*delivery_id)
        return hd_error_set(err, HD_EINVAL, "feed store: no delivery id");
    rc = hd__fs_read_begin(fs, &txn, err);
    if (rc == 0)
        rc = lookup_seq(fs, txn, delivery_id, &seq, err);
    if (rc == 0)
        rc = hd__fs_cache_refresh(fs, txn, &latest, err);
    hd__fs_read_end(fs, txn);
    if (rc)
        return rc;
    if (seq == 0 || seq > latest)
        return hd_error_set(err, HD_ESTORE, "feed store: corrupt delivery id");
    *out = hd__fs_entry_at(fs, seq);
    return 0;
}

int hd_feedstore_delivery(hd_fs_delivery *out, hd_feedstore *fs,
                          const char *delivery_id, hd_error *err)
{
    const hd__fs_entry *e;
    int rc = find_entry(&e, fs, delivery_id, err);
    if (rc == 0)
        *out = e->d;
    return rc;
}

int hd_feedstore_delivery_stats(hd_fs_load_stats *out, hd_feedstore *fs,
                                const char *delivery_id, hd_error *err)
{
    const hd__fs_entry *e;
    int rc = find_entry(&e, fs, delivery_id, err);
    if (rc == 0)
        *out = e->stats;
    return rc;
}

int hd_feedstore_latest(uint32_t *out, hd_feedstore *fs, hd_error *err)
{
    MDB_txn *txn = NULL;
    uint32_t latest = 0;
    int rc = hd__fs_read_begin(fs, &txn, err);

    if (rc == 0)
        rc = hd__fs_cache_refresh(fs, txn, &latest, err);
    hd__fs_read_end(fs, txn);
    if (rc == 0)
        *out = latest;
    return rc;
}

int hd_feedstore_deliveries(hd_feedstore *fs,
                            int (*fn)(const hd_fs_delivery *d, void *payload),
                            void *payload, hd_error *err)
{
    uint32_t latest = 0;
    int rc = hd_feedstore_latest(&latest, fs, err);

    if (rc)
        return rc;
    /* Entries never move, so fn may call back into the store. */
    for (uint32_t s = 1; s <= latest; s++) {
        rc = fn(&hd__fs_entry_at(fs, s)->d, payload);
        if (rc)
            return rc;
    }
    return 0;
}

int hd_feedstore_view_at(hd_fs_view *out, hd_feedstore *fs, int64_t at,
                         hd_error *err)
{
    MDB_txn *txn = NULL;
    uint32_t latest = 0, max = 0;
    int rc = hd__fs_read_begin(fs, &txn, err);

    if (rc == 0)
        rc = hd__fs_cache_refresh(fs, txn, &latest, err);
    hd__fs_read_end(fs, txn);
    if (rc)
        return rc;
    /* Deliveries in seq order up to the first loaded after `at`. */
    for (uint32_t s = 1; s <= latest; s++) {
        if (hd__fs_entry_at(fs, s)->d.loaded_at > at)
            break;
        max = s;
    }
    if (max == 0)
        return hd_error_set(err, HD_ENOTFOUND,
                            "no delivery was loaded by then");
    out->max_seq = max;
    return 0;
}

/* --------------------------------------------------------------- pending */

int hd_feedstore_pending(hd_feedstore *fs,
                         int (*fn)(const char *delivery_id, const void *blob,
                                   size_t len, void *payload),
                         void *payload, hd_error *err)
{
    MDB_txn *txn = NULL;
    MDB_cursor *cur = NULL;
    MDB_val k, v;
    char id[HD_DELIVERY_ID_MAX];
    int rc = hd__fs_read_begin(fs, &txn, err);

    if (rc)
        return rc;
    rc = mdb_cursor_open(txn, fs->pending, &cur);
    if (rc) {
        rc = hd__fs_mdb_error(err, rc, "cannot read pending blobs");
        goto out;
    }
    while ((rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) == 0) {
        if (k.mv_size >= sizeof(id)) {
            rc = hd_error_set(err, HD_ESTORE, "feed store: corrupt pending");
            goto out;
        }
        memcpy(id, k.mv_data, k.mv_size);
        id[k.mv_size] = '\0';
        rc = fn(id, v.mv_data, v.mv_size, payload);
        if (rc)
            goto out;
    }
    rc = rc == MDB_NOTFOUND
             ? 0
             : hd__fs_mdb_error(err, rc, "cannot read pending blobs");
out:
    if (cur)
        mdb_cursor_close(cur);
    hd__fs_read_end(fs, txn);
    return rc;
}

int hd_feedstore_pending_clear(hd_feedstore *fs, const char *delivery_id,
                               hd_error *err)
{
    MDB_txn *txn = NULL;
    MDB_val k;
    int rc;

    if (!delivery_id || !*delivery_id)
        return hd_error_set(err, HD_EINVAL, "feed store: no delivery id");
    k.mv_size = strlen(delivery_id);
    k.mv_data = (void *)delivery_id;
    for (;;) {
        rc = hd__fs_txn_begin(fs, true, &txn, err);
        if (rc)
            return rc;
        rc = mdb_del(txn, fs->pending, &k, NULL);
        if (rc == MDB_NOTFOUND) {
            mdb_txn_abort(txn);
            return 0;
        }
        if (rc == 0)
            rc = mdb_txn_commit(txn);
        else
            mdb_txn_abort(txn);
        if (rc != MDB_MAP_FULL)
            break;
        rc = hd__fs_grow_map(fs, err);
        if (rc)
            return rc;
    }
    if (rc)
        return hd__fs_mdb_error(err, rc, "cannot clear a pending blob");
    return 0;
}
