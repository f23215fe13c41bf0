/*
 * Reading the feed store: one person's records, or everyone in person
 * order. Both walk the versions of each feed key (adjacent, oldest
 * first, since the seq ends the key) and keep the latest one the view
 * lets through: seq between the feed's latest snapshot in view and the
 * view's last delivery.
 */
#include "store/store_int.h"

#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

/* A cursor over one feed's database. */
typedef struct feed_cursor {
    MDB_cursor *cur;
    MDB_val k, v;
    int rc; /* of the last move: 0 positioned, MDB_NOTFOUND at the end */
    uint8_t feed;
} feed_cursor;

/* A visible record found, not decoded yet; pointers into the map. */
typedef struct pick {
    MDB_val k, v;
    uint32_t seq;
    uint8_t feed;
} pick;

typedef struct picks {
    pick *p;
    size_t count, cap;
} picks;

typedef struct read_ctx {
    hd_feedstore *fs;
    MDB_txn *txn;
    uint32_t lo[HD__FEED_IDS], hi;
    const hd_feed *feeds[HD__FEED_IDS];
    feed_cursor cursors[HD__FEED_IDS];
    int cursor_count;
    picks picks;
    hd_record *recs;
    size_t rec_cap;
    const uint8_t *seen_lo, *seen_hi; /* span of the map read (scan) */
} read_ctx;

static int push_pick(picks *ps, const MDB_val *k, const MDB_val *v,
                     uint32_t seq, uint8_t feed)
{
    if (ps->count == ps->cap) {
        size_t cap = ps->cap ? ps->cap * 2 : 64;
        pick *p = hd_realloc(ps->p, cap * sizeof(*p));
        if (!p)
            return HD_ENOMEM;
        ps->p = p;
        ps->cap = cap;
    }
    ps->p[ps->count++] = (pick){*k, *v, seq, feed};
    return 0;
}

/*
 * Walk the cursor while keys start with the 8-byte pid `pid`, adding the
 * latest visible version of each feed key to ctx->picks. Leaves the
 * cursor on the first key past the person. Returns 0, HD_ENOMEM, or an
 * LMDB code.
 */
static int collect(read_ctx *ctx, feed_cursor *fc, const uint8_t *pid)
{
    uint32_t lo = ctx->lo[fc->feed], hi = ctx->hi;
    MDB_val cand_k = {0, NULL}, cand_v = {0, NULL}, prev = {0, NULL};
    uint32_t cand_seq = 0;
    bool have = false;
    int rc;

    while (fc->rc == 0) {
        const uint8_t *kd = fc->k.mv_data;
        size_t ks = fc->k.mv_size;
        uint32_t seq;

        if (ks < HD__KEY_PREFIX_LEN + HD__KEY_SEQ_LEN)
            return MDB_CORRUPTED;
        if (memcmp(kd, pid, HD__KEY_PID_LEN) != 0)
            break;
        /* A new feed key: the previous one's pick is final. */
        if (prev.mv_data && (prev.mv_size != ks ||
                             memcmp(prev.mv_data, kd, ks - HD__KEY_SEQ_LEN))) {
            if (have) {
                rc = push_pick(&ctx->picks, &cand_k, &cand_v, cand_seq,
                               fc->feed);
                if (rc)
                    return rc;
            }
            have = false;
        }
        seq = hd__load_be32(kd + ks - HD__KEY_SEQ_LEN);
        if (seq >= lo && seq <= hi) {
            cand_k = fc->k;
            cand_v = fc->v;
            cand_seq = seq;
            have = true;
        }
        prev = fc->k;
        fc->rc = mdb_cursor_get(fc->cur, &fc->k, &fc->v, MDB_NEXT);
    }
    if (have) {
        rc = push_pick(&ctx->picks, &cand_k, &cand_v, cand_seq, fc->feed);
        if (rc)
            return rc;
    }
    return fc->rc == MDB_NOTFOUND ? 0 : fc->rc;
}

static int decode_pick(read_ctx *ctx, hd_record *rec, const pick *p,
                       const char *pid)
{
    const uint8_t *v = p->v.mv_data;

    if (!ctx->seen_lo || v < ctx->seen_lo)
        ctx->seen_lo = v;
    if (v + p->v.mv_size > ctx->seen_hi)
        ctx->seen_hi = v + p->v.mv_size;
    if (hd__record_decode(&rec->row, ctx->feeds[p->feed], pid, p->k.mv_data,
                          p->k.mv_size - HD__KEY_SEQ_LEN, p->v.mv_data,
                          p->v.mv_size))
        return HD_EDATA;
    rec->delivery_seq = p->seq;
    /* seq <= ctx->hi, which the cache held when the read began */
    rec->delivery_id = hd__fs_entry_at(ctx->fs, p->seq)->d.delivery_id;
    return 0;
}

/* Open the read transaction, the view, and a cursor per feed. */
static int ctx_open(read_ctx *ctx, hd_feedstore *fs, hd_fs_view view,
                    hd_error *err)
{
    uint32_t latest = 0;
    int rc;

    memset(ctx, 0, sizeof(*ctx));
    ctx->fs = fs;
    rc = hd__fs_read_begin(fs, &ctx->txn, err);
    if (rc)
        return rc;
    rc = hd__fs_cache_refresh(fs, ctx->txn, &latest, err);
    if (rc)
        return rc;
    hd__fs_view_bounds(fs, view, latest, ctx->lo, &ctx->hi);
    for (int id = 0; id < HD__FEED_IDS; id++) {
        feed_cursor *fc;
        if (!fs->has_records[id])
            continue;
        ctx->feeds[id] = hd_feed_by_id((uint8_t)id);
        fc = &ctx->cursors[ctx->cursor_count];
        fc->feed = (uint8_t)id;
        fc->rc = MDB_NOTFOUND;
        rc = mdb_cursor_open(ctx->txn, fs->records[id], &fc->cur);
        if (rc)
            return hd__fs_mdb_error(err, rc, "cannot open a cursor");
        ctx->cursor_count++;
    }
    return 0;
}

static void ctx_close(read_ctx *ctx)
{
    for (int i = 0; i < ctx->cursor_count; i++)
        mdb_cursor_close(ctx->cursors[i].cur);
    if (ctx->txn)
        hd__fs_read_end(ctx->fs, ctx->txn);
    hd_free(ctx->picks.p);
    hd_free(ctx->recs);
}

static int walk_error(hd_error *err, int rc)
{
    if (rc == HD_ENOMEM)
        return hd_error_set(err, HD_ENOMEM, "out of memory");
    if (rc == HD_EDATA)
        return hd_error_set(err, HD_ESTORE, "feed store: corrupt record");
    return hd__fs_mdb_error(err, rc, "cannot read records");
}

/* The records of one person in an open context, feeds of `mask`. */
static int person_in(read_ctx *ctx, const char *pid, uint32_t mask,
                     hd_record_fn fn, void *payload, hd_error *err)
{
    hd_record rec;
    uint8_t key[HD__KEY_PID_LEN];
    uint64_t packed;
    int rc = 0;

    if (hd__pid_pack(&packed, pid, strlen(pid)))
        return hd_error_set(err, HD_EINVAL, "not a normalised citizen id");
    hd__store_be64(key, packed);
    for (int i = 0; rc == 0 && i < ctx->cursor_count; i++) {
        feed_cursor *fc = &ctx->cursors[i];
        if (!(mask & (1u << fc->feed)))
            continue;
        fc->k.mv_data = key;
        fc->k.mv_size = sizeof(key);
        fc->rc = mdb_cursor_get(fc->cur, &fc->k, &fc->v, MDB_SET_RANGE);
        ctx->picks.count = 0;
        rc = collect(ctx, fc, key);
        for (size_t j = 0; rc == 0 && j < ctx->picks.count; j++) {
            rc = decode_pick(ctx, &rec, &ctx->picks.p[j], pid);
            if (rc == 0) {
                rc = fn(&rec, payload);
                if (rc)
                    return rc;
            }
        }
        if (rc)
            rc = walk_error(err, rc);
    }
    return rc;
}

int hd_feedstore_person(hd_feedstore *fs, hd_fs_view view, const char *pid,
                        hd_record_fn fn, void *payload, hd_error *err)
{
    read_ctx ctx;
    uint64_t packed;
    int rc;

    if (!fs || !pid || !fn)
        return hd_error_set(err, HD_EINVAL, "feed store: bad arguments");
    if (hd__pid_pack(&packed, pid, strlen(pid)))
        return hd_error_set(err, HD_EINVAL, "not a normalised citizen id");
    rc = ctx_open(&ctx, fs, view, err);
    if (rc == 0)
        rc = person_in(&ctx, pid, UINT32_MAX, fn, payload, err);
    ctx_close(&ctx);
    return rc;
}

struct hd_fs_reader {
    read_ctx ctx;
};

int hd_feedstore_reader_open(hd_fs_reader **out, hd_feedstore *fs,
                             hd_fs_view view, hd_error *err)
{
    hd_fs_reader *rd;
    int rc;

    *out = NULL;
    if (!fs)
        return hd_error_set(err, HD_EINVAL, "feed store: bad arguments");
    rd = hd_malloc(sizeof(*rd));
    if (!rd)
        return hd_error_set(err, HD_ENOMEM, "out of memory");
    rc = ctx_open(&rd->ctx, fs, view, err);
    if (rc) {
        ctx_close(&rd->ctx);
        hd_free(rd);
        return rc;
    }
    *out = rd;
    return 0;
}

int hd_feedstore_reader_person(hd_fs_reader *rd, const char *pid,
                               uint32_t feed_mask, hd_record_fn fn,
                               void *payload, hd_error *err)
{
    if (!rd || !pid || !fn)
        return hd_error_set(err, HD_EINVAL, "feed store: bad arguments");
    return person_in(&rd->ctx, pid, feed_mask, fn, payload, err);
}

void hd_feedstore_reader_close(hd_fs_reader *rd)
{
    if (!rd)
        return;
    ctx_close(&rd->ctx);
    hd_free(rd);
}

/*
 * A scan touches every page of the store once: left alone, its whole map
 * would end up counted in the process's memory (gigabytes for a million
 * families). Every so many persons the map's pages are let go; they stay
 * in the page cache (the map is shared and only read here), and any page
 * still needed is mapped again on its next read.
 */
enum { SCAN_RELEASE_PERSONS = 1 << 16 };

/* Let go of the map's pages between the lowest and highest record read
 * since the last time (LMDB does not tell where its map starts; any
 * page within that span is in the map). */
static void release_map(read_ctx *ctx)
{
    uintptr_t page = (uintptr_t)sysconf(_SC_PAGESIZE);
    uintptr_t lo = (uintptr_t)ctx->seen_lo / page * page;
    uintptr_t hi = (uintptr_t)ctx->seen_hi;

    if (ctx->seen_lo && hi > lo)
        madvise((void *)lo, hi - lo, MADV_DONTNEED);
    ctx->seen_lo = ctx->seen_hi = NULL;
}

int hd_feedstore_scan(hd_feedstore *fs, hd_fs_view view, hd_person_fn fn,
                      void *payload, hd_error *err)
{
    read_ctx ctx;
    char pid[19];
    size_t persons = 0;
    int rc;

    if (!fs || !fn)
        return hd_error_set(err, HD_EINVAL, "feed store: bad arguments");
    rc = ctx_open(&ctx, fs, view, err);
    for (int i = 0; rc == 0 && i < ctx.cursor_count; i++) {
        feed_cursor *fc = &ctx.cursors[i];
        fc->rc = mdb_cursor_get(fc->cur, &fc->k, &fc->v, MDB_FIRST);
        if (fc->rc && fc->rc != MDB_NOTFOUND)
            rc = hd__fs_mdb_error(err, fc->rc, "cannot read records");
    }
    while (rc == 0) {
        uint8_t min[HD__KEY_PID_LEN];
        bool any = false;

        /* The next person is the smallest pid any feed is at. */
        for (int i = 0; i < ctx.cursor_count; i++) {
            const feed_cursor *fc = &ctx.cursors[i];
            if (fc->rc != 0)
                continue;
            if (fc->k.mv_size < HD__KEY_PID_LEN) {
                rc = walk_error(err, MDB_CORRUPTED);
                goto out;
            }
            if (!any || memcmp(fc->k.mv_data, min, HD__KEY_PID_LEN) < 0)
                memcpy(min, fc->k.mv_data, HD__KEY_PID_LEN);
            any = true;
        }
        if (!any)
            break;
        ctx.picks.count = 0;
        for (int i = 0; rc == 0 && i < ctx.cursor_count; i++)
            if (ctx.cursors[i].rc == 0)
                rc = collect(&ctx, &ctx.cursors[i], min);
        if (rc == 0 && ctx.picks.count > ctx.rec_cap) {
            size_t cap = ctx.rec_cap ? ctx.rec_cap : 64;
            hd_record *p;
            while (cap < ctx.picks.count)
                cap *= 2;
            p = hd_realloc(ctx.recs, cap * sizeof(*p));
            if (!p)
                rc = HD_ENOMEM;
            else {
                ctx.recs = p;
                ctx.rec_cap = cap;
            }
        }
        hd__pid_unpack(pid, hd__load_be64(min));
        pid[18] = '\0';
        for (size_t j = 0; rc == 0 && j < ctx.picks.count; j++)
            rc = decode_pick(&ctx, &ctx.recs[j], &ctx.picks.p[j], pid);
        if (rc) {
            rc = walk_error(err, rc);
            break;
        }
        if (ctx.picks.count == 0)
            continue;
        if (++persons % SCAN_RELEASE_PERSONS == 0)
            release_map(&ctx);
        rc = fn(pid, ctx.recs, ctx.picks.count, payload);
    }
out:
    ctx_close(&ctx);
    return rc;
}
