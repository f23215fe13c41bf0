/*
 * Bulk load of one delivery into the feed store.
 *
 * Rows are encoded as they come and appended to a run in memory: an arena
 * of records ([u16 key length][u16 value length][key][value], the key
 * without its seq) and an index of entries holding the first 16 key bytes
 * as two integers, so that most comparisons never touch the arena. When
 * the run would outgrow the memory budget it is sorted, cleared of keys
 * a later row of the same run replaces, and written to a temporary file
 * (one per load, unlinked at once, so a crash leaves nothing behind). A
 * run added in key order, as person-ordered files are, is not sorted at
 * all. There are two run buffers of half the budget each: while a thread
 * sorts and writes a full one, the caller fills the other, so that on two
 * cores sorting costs the parser nothing. The thread allocates nothing
 * (the allocation-failure hook is not thread-safe, and it need not be).
 *
 * The commit merges the spilled runs and the run in memory (a heap over
 * the runs; among equal keys the later run wins, as the later row of the
 * delivery must) and writes the records in key order in one LMDB write
 * transaction with the delivery record and the pending blob. Each feed
 * has its own database, whose cursor appends (MDB_APPEND: pages filled
 * whole, no search) from the first key that sorts after everything the
 * database held. The commit is LMDB's default, durable one: nothing
 * returns success before the data is on disk, and a crash at any instant
 * leaves the store as it was or with the delivery whole.
 */
#include "store/store_int.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define DEFAULT_BUDGET ((size_t)256 << 20)
#define ARENA_MIN ((size_t)64 << 10)
#define ENTS_MIN ((size_t)1024)
#define ARENA_MAX ((size_t)UINT32_MAX) /* offsets are 32-bit */
#define WRITE_BUF ((size_t)1 << 20)
#define READ_BUF_MIN ((size_t)64 << 10)
#define READ_BUF_MAX ((size_t)1 << 20)
#define REC_HEADER 4
#define PREFETCH 8 /* entries ahead */
#define PARALLEL_SORT_MIN ((size_t)1 << 16)

/* One record of the run in memory. k0 and k1 are the first 16 bytes of
 * the key, big-endian, zero-padded. */
typedef struct run_ent {
    uint64_t k0, k1;
    uint32_t off;
} run_ent;

typedef struct spill_run {
    uint64_t off, len;
} spill_run;

/* The first 16 bytes of a key (at least the 9 of pid and feed) as two
 * big-endian integers, zero-padded. */
static inline void key_prefix(const uint8_t *key, size_t klen, uint64_t *k0,
                              uint64_t *k1)
{
    *k0 = hd__load_be64(key);
    if (klen >= 16) {
        *k1 = hd__load_be64(key + 8);
    } else {
        uint8_t pad[8] = {0};
        memcpy(pad, key + 8, klen - 8);
        *k1 = hd__load_be64(pad);
    }
}

/* A run being built in memory. */
typedef struct run_buf {
    uint8_t *arena;
    size_t arena_len, arena_cap;
    run_ent *ents;
    size_t ent_count, ent_cap;
    bool sorted; /* added in key order (or sorted since) */
} run_buf;

struct hd_fs_load {
    hd_feedstore *fs;
    hd__fs_entry meta;
    size_t budget;     /* for both run buffers together */
    size_t buf_budget; /* for one */
    char *tmpdir;
    run_buf bufs[2];
    run_buf *cur; /* the one rows go to */
    int fd;       /* the temporary file, -1 until the first spill */
    uint64_t file_len;
    spill_run *runs;
    size_t run_count, run_cap;
    uint8_t *wbuf;
    uint32_t feeds_seen;
    /* the spill in the background, if any */
    pthread_t thread;
    bool thread_running;
    run_buf *spilling;
    int spill_rc;
    hd_error spill_err;
    uint8_t rec[HD__RECORD_MAX];
};

/* --------------------------------------------------------------- the run */

static inline const uint8_t *ent_key(const uint8_t *arena, const run_ent *e,
                                     size_t *len)
{
    const uint8_t *p = arena + e->off;
    *len = (size_t)p[0] << 8 | p[1];
    return p + REC_HEADER;
}

/* Key order, ignoring the offset. */
static inline int ent_key_cmp(const uint8_t *arena, const run_ent *a,
                              const run_ent *b)
{
    const uint8_t *ka, *kb;
    size_t la, lb;

    if (a->k0 != b->k0)
        return a->k0 < b->k0 ? -1 : 1;
    if (a->k1 != b->k1)
        return a->k1 < b->k1 ? -1 : 1;
    ka = ent_key(arena, a, &la);
    kb = ent_key(arena, b, &lb);
    return hd__key_cmp(ka, la, kb, lb);
}

/* Key order, then input order: a strict total order. */
static inline bool ent_less(const uint8_t *arena, const run_ent *a,
                            const run_ent *b)
{
    int c = ent_key_cmp(arena, a, b);
    return c < 0 || (c == 0 && a->off < b->off);
}

static void ent_swap(run_ent *a, run_ent *b)
{
    run_ent t = *a;
    *a = *b;
    *b = t;
}

static void sift_down(run_ent *a, size_t n, size_t i, const uint8_t *arena)
{
    for (;;) {
        size_t c = 2 * i + 1;
        if (c >= n)
            return;
        if (c + 1 < n && ent_less(arena, &a[c], &a[c + 1]))
            c++;
        if (!ent_less(arena, &a[i], &a[c]))
            return;
        ent_swap(&a[i], &a[c]);
        i = c;
    }
}

static void heap_sort(run_ent *a, size_t n, const uint8_t *arena)
{
    for (size_t i = n / 2; i-- > 0;)
        sift_down(a, n, i, arena);
    for (size_t end = n; end-- > 1;) {
        ent_swap(&a[0], &a[end]);
        sift_down(a, end, 0, arena);
    }
}

static void insertion_sort(run_ent *a, size_t n, const uint8_t *arena)
{
    for (size_t i = 1; i < n; i++) {
        run_ent t = a[i];
        size_t j = i;
        while (j > 0 && ent_less(arena, &t, &a[j - 1])) {
            a[j] = a[j - 1];
            j--;
        }
        a[j] = t;
    }
}

/* Introsort: quicksort with a median of three, heap sort past a depth
 * limit, insertion sort for short ranges. */
static void sort_ents(run_ent *a, size_t n, const uint8_t *arena, int depth)
{
    while (n > 16) {
        size_t mid = n / 2, i, j;
        run_ent pivot;

        if (depth-- == 0) {
            heap_sort(a, n, arena);
            return;
        }
        if (ent_less(arena, &a[mid], &a[0]))
            ent_swap(&a[mid], &a[0]);
        if (ent_less(arena, &a[n - 1], &a[mid])) {
            ent_swap(&a[n - 1], &a[mid]);
            if (ent_less(arena, &a[mid], &a[0]))
                ent_swap(&a[mid], &a[0]);
        }
        /* a[0] < pivot < a[n - 1]: both scans stop inside the range. */
        pivot = a[mid];
        i = 0;
        j = n - 1;
        for (;;) {
            do
                i++;
            while (ent_less(arena, &a[i], &pivot));
            do
                j--;
            while (ent_less(arena, &pivot, &a[j]));
            if (i >= j)
                break;
            ent_swap(&a[i], &a[j]);
        }
        /* [0, i) <= pivot <= [i, n) */
        if (i < n - i) {
            sort_ents(a, i, arena, depth);
            a += i;
            n -= i;
        } else {
            sort_ents(a + i, n - i, arena, depth);
            n = i;
        }
    }
    insertion_sort(a, n, arena);
}

static inline unsigned ent_byte(const run_ent *e, int d)
{
    return d < 8 ? (unsigned)(e->k0 >> (56 - 8 * d)) & 0xff
                 : (unsigned)(e->k1 >> (56 - 8 * (d - 8))) & 0xff;
}

/*
 * In-place MSD radix sort (American flag sort) on the 16 prefix bytes,
 * which sort as the keys do. Buckets of a few entries, and entries whose
 * 16 bytes are all equal, are finished by comparison, which also puts
 * equal keys in input order. No memory beyond the stack: the index stays
 * within the budget.
 */
static void radix_sort(run_ent *a, size_t n, int d, const uint8_t *arena)
{
    size_t count[256], next[256], end[256], pos;

    for (;;) {
        if (n <= 32) {
            insertion_sort(a, n, arena);
            return;
        }
        if (d == 16) {
            sort_ents(a, n, arena, 64);
            return;
        }
        memset(count, 0, sizeof(count));
        for (size_t i = 0; i < n; i++)
            count[ent_byte(&a[i], d)]++;
        /* One bucket holds all: nothing to move at this byte. */
        if (count[ent_byte(&a[0], d)] == n) {
            d++;
            continue;
        }
        break;
    }
    pos = 0;
    for (int b = 0; b < 256; b++) {
        next[b] = pos;
        pos += count[b];
        end[b] = pos;
    }
    for (int b = 0; b < 256; b++) {
        while (next[b] < end[b]) {
            run_ent v = a[next[b]];
            unsigned vb = ent_byte(&v, d);
            while (vb != (unsigned)b) {
                run_ent t = a[next[vb]];
                a[next[vb]++] = v;
                v = t;
                vb = ent_byte(&v, d);
            }
            a[next[b]++] = v;
        }
    }
    pos = 0;
    for (int b = 0; b < 256; b++) {
        if (count[b] > 1)
            radix_sort(a + pos, count[b], d + 1, arena);
        pos += count[b];
    }
}

static void sort_run(run_buf *run)
{
    if (run->sorted)
        return;
    radix_sort(run->ents, run->ent_count, 0, run->arena);
    run->sorted = true;
}

/* Is entry i of the sorted run replaced by the next one (same key)? */
static bool ent_replaced(const run_buf *run, size_t i)
{
    return i + 1 < run->ent_count &&
           ent_key_cmp(run->arena, &run->ents[i], &run->ents[i + 1]) == 0;
}

static size_t ent_record_len(const uint8_t *arena, const run_ent *e)
{
    const uint8_t *p = arena + e->off;
    return REC_HEADER + ((size_t)p[0] << 8 | p[1]) + ((size_t)p[2] << 8 | p[3]);
}

/* ------------------------------------------------------------ spilling */

static int write_all(int fd, const uint8_t *p, size_t len, hd_error *err)
{
    while (len) {
        ssize_t n = write(fd, p, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return hd_error_set(err, HD_EIO,
                                "feed store: cannot write a sorted run: %s",
                                n < 0 ? strerror(errno) : "short write");
        p += n;
        len -= (size_t)n;
    }
    return 0;
}

static int open_temp(hd_fs_load *load, hd_error *err)
{
    char path[4096];
    int n = snprintf(path, sizeof(path), "%s/hedui-load-XXXXXX", load->tmpdir);

    if (n < 0 || (size_t)n >= sizeof(path))
        return hd_error_set(err, HD_EINVAL, "feed store: tmpdir too long");
    load->fd = mkstemp(path);
    if (load->fd < 0)
        return hd_error_set(err, HD_EIO,
                            "feed store: cannot create a file in %s: %s",
                            load->tmpdir, strerror(errno));
    /* Unlinked at once: the file lives as long as the descriptor. */
    unlink(path);
    return 0;
}

/* Sort a full run and write it to the temporary file as the next run.
 * Runs on the spill thread: touches only `run`, the file and the run
 * list, which the caller leaves alone until it joins. */
static int write_run(hd_fs_load *load, run_buf *run, hd_error *err)
{
    spill_run out;
    size_t wlen = 0;
    int rc;

    sort_run(run);
    out.off = load->file_len;
    for (size_t i = 0; i < run->ent_count; i++) {
        size_t len;
        /* Sorted entries point all over the arena: fetch ahead. */
        if (i + PREFETCH < run->ent_count)
            __builtin_prefetch(run->arena + run->ents[i + PREFETCH].off);
        if (ent_replaced(run, i))
            continue;
        len = ent_record_len(run->arena, &run->ents[i]);
        if (wlen + len > WRITE_BUF) {
            rc = write_all(load->fd, load->wbuf, wlen, err);
            if (rc)
                return rc;
            load->file_len += wlen;
            wlen = 0;
        }
        memcpy(load->wbuf + wlen, run->arena + run->ents[i].off, len);
        wlen += len;
    }
    rc = write_all(load->fd, load->wbuf, wlen, err);
    if (rc)
        return rc;
    load->file_len += wlen;
    out.len = load->file_len - out.off;
    load->runs[load->run_count++] = out;
    run->arena_len = 0;
    run->ent_count = 0;
    run->sorted = true;
    return 0;
}

static void *spill_thread(void *arg)
{
    hd_fs_load *load = arg;
    load->spill_rc = write_run(load, load->spilling, &load->spill_err);
    return NULL;
}

/* Wait for the spill in the background, and take its outcome. */
static int join_spill(hd_fs_load *load, hd_error *err)
{
    if (!load->thread_running)
        return 0;
    pthread_join(load->thread, NULL);
    load->thread_running = false;
    load->spilling = NULL;
    if (load->spill_rc) {
        if (err)
            *err = load->spill_err;
        return load->spill_rc;
    }
    return 0;
}

/* Hand the current run to the spill thread and go on with the other
 * buffer (after the previous spill, if any, is done with it). */
static int spill(hd_fs_load *load, hd_error *err)
{
    run_buf *full = load->cur;
    int rc = join_spill(load, err);

    if (rc)
        return rc;
    /* Everything the thread needs is allocated here. */
    if (load->run_count == load->run_cap) {
        size_t cap = load->run_cap ? load->run_cap * 2 : 8;
        spill_run *p = hd_realloc(load->runs, cap * sizeof(*p));
        if (!p)
            return hd_error_set(err, HD_ENOMEM, "out of memory");
        load->runs = p;
        load->run_cap = cap;
    }
    if (!load->wbuf) {
        load->wbuf = hd_malloc(WRITE_BUF);
        if (!load->wbuf)
            return hd_error_set(err, HD_ENOMEM, "out of memory");
    }
    if (load->fd < 0) {
        rc = open_temp(load, err);
        if (rc)
            return rc;
    }
    load->cur = full == &load->bufs[0] ? &load->bufs[1] : &load->bufs[0];
    load->spilling = full;
    load->spill_rc = 0;
    hd_error_clear(&load->spill_err);
    if (pthread_create(&load->thread, NULL, spill_thread, load) == 0) {
        load->thread_running = true;
        return 0;
    }
    /* No thread: spill here. */
    load->spilling = NULL;
    return write_run(load, full, err);
}

static size_t grow_to(size_t cap, size_t need, size_t min)
{
    size_t want = cap > SIZE_MAX / 2 ? SIZE_MAX : cap * 2;
    if (want < min)
        want = min;
    return want < need ? need : want;
}

/*
 * Make room for one record of `need` bytes. Capacities grow by doubling
 * while arena and index together stay within the budget; when they
 * cannot, the run is spilled and its memory reused. Only a single record
 * larger than the whole budget takes more.
 */
static int reserve(hd_fs_load *load, size_t need, hd_error *err)
{
    for (;;) {
        run_buf *run = load->cur;
        size_t budget = load->buf_budget;
        size_t ent_bytes = run->ent_cap * sizeof(run_ent);
        size_t room, want;
        bool arena_ok = run->arena_len + need <= run->arena_cap;
        bool ents_ok = run->ent_count < run->ent_cap;
        bool empty = run->ent_count == 0;

        if (arena_ok && ents_ok)
            return 0;
        if (!arena_ok) {
            room = budget > ent_bytes ? budget - ent_bytes : 0;
            if (room > ARENA_MAX)
                room = ARENA_MAX;
            want = grow_to(run->arena_cap, run->arena_len + need, ARENA_MIN);
            if (want > room)
                want = room;
            if (want < run->arena_len + need) {
                if (!empty) {
                    int rc = spill(load, err);
                    if (rc)
                        return rc;
                    continue;
                }
                want = need;
            }
            if (want > run->arena_cap) {
                uint8_t *p = hd_realloc(run->arena, want);
                if (!p)
                    return hd_error_set(err, HD_ENOMEM, "out of memory");
                run->arena = p;
                run->arena_cap = want;
            }
        }
        if (!ents_ok) {
            room = budget > run->arena_cap
                       ? (budget - run->arena_cap) / sizeof(run_ent)
                       : 0;
            want = grow_to(run->ent_cap, run->ent_count + 1, ENTS_MIN);
            if (want > room)
                want = room;
            if (want < run->ent_count + 1) {
                if (!empty) {
                    int rc = spill(load, err);
                    if (rc)
                        return rc;
                    continue;
                }
                want = 1;
            }
            if (want > run->ent_cap) {
                run_ent *p = hd_realloc(run->ents, want * sizeof(run_ent));
                if (!p)
                    return hd_error_set(err, HD_ENOMEM, "out of memory");
                run->ents = p;
                run->ent_cap = want;
            }
        }
    }
}

/* ---------------------------------------------------------- begin, add */

int hd_fs_load_begin(hd_fs_load **out, hd_feedstore *fs,
                     const hd_fs_delivery *meta, size_t memory_budget,
                     const char *tmpdir, hd_error *err)
{
    hd_fs_load *load;
    hd_fs_delivery known;
    size_t id_len;
    int rc;

    *out = NULL;
    if (!fs || !meta)
        return hd_error_set(err, HD_EINVAL, "feed store: no delivery");
    id_len = strnlen(meta->delivery_id, sizeof(meta->delivery_id));
    if (id_len == 0 || id_len >= sizeof(meta->delivery_id) ||
        strnlen(meta->department, sizeof(meta->department)) >=
            sizeof(meta->department))
        return hd_error_set(err, HD_EINVAL,
                            "feed store: bad delivery id or department");
    if (fs->installed)
        return hd_error_set(err, HD_EINVAL,
                            "feed store %s is an installed copy: load "
                            "deliveries on the ingest host, then install "
                            "a snapshot here",
                            fs->dir);
    rc = hd_feedstore_delivery(&known, fs, meta->delivery_id, err);
    if (rc == 0)
        return hd_error_set(err, HD_EEXISTS, "delivery %s is already loaded",
                            meta->delivery_id);
    if (rc != HD_ENOTFOUND)
        return rc;
    hd_error_clear(err);

    load = hd_malloc(sizeof(*load));
    if (!load)
        return hd_error_set(err, HD_ENOMEM, "out of memory");
    memset(load, 0, offsetof(hd_fs_load, rec));
    load->fs = fs;
    load->fd = -1;
    load->bufs[0].sorted = load->bufs[1].sorted = true;
    load->cur = &load->bufs[0];
    load->meta.d = *meta;
    load->meta.d.seq = 0;
    load->budget = memory_budget ? memory_budget : DEFAULT_BUDGET;
    load->buf_budget = load->budget / 2;
    load->tmpdir = hd_strdup(tmpdir && *tmpdir ? tmpdir : fs->dir);
    if (!load->tmpdir) {
        hd_free(load);
        return hd_error_set(err, HD_ENOMEM, "out of memory");
    }
    *out = load;
    return 0;
}

int hd_fs_load_add(hd_fs_load *load, const hd_row *row, hd_error *err)
{
    size_t klen, vlen, need;
    run_buf *run;
    uint8_t *p;
    run_ent e;
    int rc;

    if (!load || !row)
        return hd_error_set(err, HD_EINVAL, "feed store: no row");
    rc = hd__record_encode(load->rec, &klen, &vlen, row, err);
    if (rc)
        return rc;
    if (!load->fs->has_records[row->feed->id])
        return hd_error_set(err, HD_EINVAL,
                            "feed store: feed %s has no "
                            "database",
                            row->feed->name);
    need = REC_HEADER + klen + vlen;
    rc = reserve(load, need, err);
    if (rc)
        return rc;
    run = load->cur;
    p = run->arena + run->arena_len;
    p[0] = (uint8_t)(klen >> 8);
    p[1] = (uint8_t)klen;
    p[2] = (uint8_t)(vlen >> 8);
    p[3] = (uint8_t)vlen;
    memcpy(p + REC_HEADER, load->rec, klen + vlen);
    key_prefix(load->rec, klen, &e.k0, &e.k1);
    e.off = (uint32_t)run->arena_len;
    if (run->sorted && run->ent_count &&
        ent_key_cmp(run->arena, &run->ents[run->ent_count - 1], &e) > 0)
        run->sorted = false;
    run->ents[run->ent_count++] = e;
    run->arena_len += need;
    load->feeds_seen |= UINT32_C(1) << row->feed->id;
    return 0;
}

static void release_buf(run_buf *run)
{
    hd_free(run->arena);
    hd_free(run->ents);
    memset(run, 0, sizeof(*run));
    run->sorted = true;
}

void hd_fs_load_abort(hd_fs_load *load)
{
    if (!load)
        return;
    join_spill(load, NULL);
    if (load->fd >= 0)
        close(load->fd);
    release_buf(&load->bufs[0]);
    release_buf(&load->bufs[1]);
    hd_free(load->runs);
    hd_free(load->wbuf);
    hd_free(load->tmpdir);
    hd_free(load);
}

/* ------------------------------------------------------------- merging */

/* A cursor over one sorted run, spilled or in memory. */
typedef struct run_reader {
    int index; /* run order: a later run wins among equal keys */
    /* spilled */
    int fd;
    uint64_t pos, end;
    uint8_t *buf;
    size_t buf_cap, buf_len, buf_pos;
    /* in memory */
    const run_buf *run;
    size_t next;
    /* the current record, and its first 16 key bytes as in run_ent */
    const uint8_t *key, *val;
    size_t klen, vlen;
    uint64_t k0, k1;
    bool done;
} run_reader;

static int reader_fill(run_reader *r, size_t need, hd_error *err)
{
    size_t have = r->buf_len - r->buf_pos;

    if (have >= need)
        return 0;
    memmove(r->buf, r->buf + r->buf_pos, have);
    r->buf_len = have;
    r->buf_pos = 0;
    while (r->buf_len < need) {
        size_t want = r->buf_cap - r->buf_len;
        ssize_t n;
        if (want > r->end - r->pos)
            want = (size_t)(r->end - r->pos);
        if (want == 0)
            break;
        n = pread(r->fd, r->buf + r->buf_len, want, (off_t)r->pos);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return hd_error_set(err, HD_EIO,
                                "feed store: cannot read a sorted run: %s",
                                n < 0 ? strerror(errno) : "short read");
        r->buf_len += (size_t)n;
        r->pos += (uint64_t)n;
    }
    if (r->buf_len < need)
        return hd_error_set(err, HD_EIO, "feed store: truncated sorted run");
    return 0;
}

/* Move to the next record; r->done at the end. */
static int reader_next(run_reader *r, hd_error *err)
{
    const uint8_t *p;
    int rc;

    if (r->run) {
        const run_buf *run = r->run;
        /* Skip keys a later row of the same run replaces. */
        while (r->next < run->ent_count && ent_replaced(run, r->next))
            r->next++;
        if (r->next == run->ent_count) {
            r->done = true;
            return 0;
        }
        if (r->next + PREFETCH < run->ent_count)
            __builtin_prefetch(run->arena + run->ents[r->next + PREFETCH].off);
        r->k0 = run->ents[r->next].k0;
        r->k1 = run->ents[r->next].k1;
        p = run->arena + run->ents[r->next++].off;
    } else {
        if (r->buf_pos == r->buf_len && r->pos == r->end) {
            r->done = true;
            return 0;
        }
        rc = reader_fill(r, REC_HEADER, err);
        if (rc)
            return rc;
        p = r->buf + r->buf_pos;
        rc = reader_fill(r,
                         REC_HEADER + ((size_t)p[0] << 8 | p[1]) +
                             ((size_t)p[2] << 8 | p[3]),
                         err);
        if (rc)
            return rc;
        p = r->buf + r->buf_pos;
    }
    r->klen = (size_t)p[0] << 8 | p[1];
    r->vlen = (size_t)p[2] << 8 | p[3];
    r->key = p + REC_HEADER;
    r->val = r->key + r->klen;
    if (!r->run) {
        r->buf_pos += REC_HEADER + r->klen + r->vlen;
        key_prefix(r->key, r->klen, &r->k0, &r->k1);
    }
    return 0;
}

static inline int reader_key_cmp(const run_reader *a, const run_reader *b)
{
    if (a->k0 != b->k0)
        return a->k0 < b->k0 ? -1 : 1;
    if (a->k1 != b->k1)
        return a->k1 < b->k1 ? -1 : 1;
    return hd__key_cmp(a->key, a->klen, b->key, b->klen);
}

static bool reader_less(const run_reader *a, const run_reader *b)
{
    int c = reader_key_cmp(a, b);
    return c < 0 || (c == 0 && a->index < b->index);
}

static void heap_down(run_reader **h, size_t n, size_t i)
{
    for (;;) {
        size_t c = 2 * i + 1;
        run_reader *t;
        if (c >= n)
            return;
        if (c + 1 < n && reader_less(h[c + 1], h[c]))
            c++;
        if (!reader_less(h[c], h[i]))
            return;
        t = h[i];
        h[i] = h[c];
        h[c] = t;
        i = c;
    }
}

/* ------------------------------------------------------------- writing */

/* The state of one attempt at the write transaction. */
typedef struct writer {
    hd_fs_load *load;
    MDB_txn *txn;
    uint32_t seq;
    uint32_t lo[HD__FEED_IDS]; /* visible seqs of each feed: lo..seq-1 */
    MDB_cursor *cur[HD__FEED_IDS];
    bool append[HD__FEED_IDS];
    /* the last key each feed's database held before this load */
    uint8_t last[HD__FEED_IDS][HD__KEY_MAX + HD__KEY_SEQ_LEN];
    size_t last_len[HD__FEED_IDS];
    uint8_t kbuf[HD__KEY_MAX + HD__KEY_SEQ_LEN];
    hd_fs_load_stats stats;
} writer;

/* Is `prev` (with seq) an older, visible version of `key` (without)? */
static bool replaces(const writer *w, int feed, const uint8_t *key, size_t klen,
                     const uint8_t *prev, size_t prev_len)
{
    return prev_len == klen + HD__KEY_SEQ_LEN && memcmp(prev, key, klen) == 0 &&
           hd__load_be32(prev + klen) >= w->lo[feed];
}

static int open_feed(writer *w, int feed)
{
    hd_feedstore *fs = w->load->fs;
    MDB_val k, v;
    int rc = mdb_cursor_open(w->txn, fs->records[feed], &w->cur[feed]);

    if (rc)
        return rc;
    rc = mdb_cursor_get(w->cur[feed], &k, &v, MDB_LAST);
    if (rc == MDB_NOTFOUND) {
        w->last_len[feed] = 0;
        w->append[feed] = true;
        return 0;
    }
    if (rc)
        return rc;
    if (k.mv_size > sizeof(w->last[feed]))
        return MDB_CORRUPTED;
    memcpy(w->last[feed], k.mv_data, k.mv_size);
    w->last_len[feed] = k.mv_size;
    w->append[feed] = false;
    return 0;
}

/* Write one merged record. Returns an LMDB code. */
static int put_record(writer *w, const uint8_t *key, size_t klen,
                      const uint8_t *val, size_t vlen)
{
    int feed = key[HD__KEY_PID_LEN];
    bool delta = !w->load->meta.d.snapshot;
    MDB_val k = {klen + HD__KEY_SEQ_LEN, w->kbuf}, v = {vlen, (void *)val};
    int rc;

    if (!w->cur[feed]) {
        rc = open_feed(w, feed);
        if (rc)
            return rc;
    }
    memcpy(w->kbuf, key, klen);
    hd__store_be32(w->kbuf + klen, w->seq);
    if (!w->append[feed] &&
        hd__key_cmp(w->kbuf, k.mv_size, w->last[feed], w->last_len[feed]) > 0)
        w->append[feed] = true;
    w->stats.rows[feed]++;
    if (w->append[feed]) {
        /* Only the database's old last key can be an older version of
         * a key that sorts after it. */
        if (delta &&
            replaces(w, feed, key, klen, w->last[feed], w->last_len[feed]))
            w->stats.replaced[feed]++;
        return mdb_cursor_put(w->cur[feed], &k, &v, MDB_APPEND);
    }
    rc = mdb_cursor_put(w->cur[feed], &k, &v, 0);
    if (rc || !delta)
        return rc;
    /* The cursor is on the new record; older versions of its key are
     * right before it, the latest last. */
    rc = mdb_cursor_get(w->cur[feed], &k, &v, MDB_PREV);
    if (rc == MDB_NOTFOUND)
        return 0;
    if (rc == 0 && replaces(w, feed, key, klen, k.mv_data, k.mv_size))
        w->stats.replaced[feed]++;
    return rc;
}

/* Merge the runs into the transaction. Returns 0, an LMDB code (> 0) or
 * a hedui code (< 0, err set). */
static int merge_into(writer *w, const run_buf *mem, size_t nmem, hd_error *err)
{
    hd_fs_load *load = w->load;
    size_t nruns = load->run_count + nmem, n = 0, buf_cap;
    run_reader *readers = NULL, **heap = NULL;
    uint8_t *bufs = NULL;
    int rc = 0;

    readers = hd_calloc(nruns, sizeof(*readers));
    heap = hd_calloc(nruns, sizeof(*heap));
    buf_cap = load->budget / 8 / nruns;
    if (buf_cap < READ_BUF_MIN)
        buf_cap = READ_BUF_MIN;
    if (buf_cap > READ_BUF_MAX)
        buf_cap = READ_BUF_MAX;
    if (load->run_count)
        bufs = hd_malloc(load->run_count * buf_cap);
    if (!readers || !heap || (load->run_count && !bufs)) {
        rc = hd_error_set(err, HD_ENOMEM, "out of memory");
        goto out;
    }
    for (size_t i = 0; i < nruns; i++) {
        run_reader *r = &readers[i];
        r->index = (int)i;
        if (i < load->run_count) {
            r->fd = load->fd;
            r->pos = load->runs[i].off;
            r->end = load->runs[i].off + load->runs[i].len;
            r->buf = bufs + i * buf_cap;
            r->buf_cap = buf_cap;
        } else {
            r->run = &mem[i - load->run_count];
        }
        rc = reader_next(r, err);
        if (rc)
            goto out;
        if (!r->done)
            heap[n++] = r;
    }
    for (size_t i = n / 2; i-- > 0;)
        heap_down(heap, n, i);

    while (n) {
        run_reader *r = heap[0];
        /* The next smallest is a child of the root. When it has r's key it
         * comes from a later run and wins, and r is dropped. */
        bool dropped = (n > 1 && reader_key_cmp(heap[1], r) == 0) ||
                       (n > 2 && reader_key_cmp(heap[2], r) == 0);
        if (!dropped) {
            rc = put_record(w, r->key, r->klen, r->val, r->vlen);
            if (rc)
                goto out;
        }
        /* r's next record replaces it at the top. */
        rc = reader_next(r, err);
        if (rc)
            goto out;
        if (r->done)
            heap[0] = heap[--n];
        heap_down(heap, n, 0);
    }
out:
    hd_free(bufs);
    hd_free(heap);
    hd_free(readers);
    return rc;
}

/* One attempt at the whole write transaction. Returns 0, an LMDB code
 * (> 0; the transaction is aborted) or a hedui code (< 0). */
static int write_txn(hd_fs_load *load, const run_buf *mem, size_t nmem,
                     const void *pending, size_t pending_len, hd_error *err)
{
    hd_feedstore *fs = load->fs;
    writer *w = hd_calloc(1, sizeof(*w));
    const hd__fs_entry *prev = NULL;
    uint8_t rec[HD__DELIVERY_MAX], seqb[4];
    MDB_val k, v;
    uint32_t latest = 0, hi;
    int rc;

    if (!w)
        return hd_error_set(err, HD_ENOMEM, "out of memory");
    w->load = load;
    rc = hd__fs_txn_begin(fs, true, &w->txn, err);
    if (rc)
        goto out;
    rc = hd__fs_cache_refresh(fs, w->txn, &latest, err);
    if (rc)
        goto out;
    k.mv_size = strlen(load->meta.d.delivery_id);
    k.mv_data = load->meta.d.delivery_id;
    rc = mdb_get(w->txn, fs->delivery_ids, &k, &v);
    if (rc == 0) {
        rc = hd_error_set(err, HD_EEXISTS, "delivery %s is already loaded",
                          load->meta.d.delivery_id);
        goto out;
    }
    if (rc != MDB_NOTFOUND)
        goto out;
    if (latest == UINT32_MAX) {
        rc = hd_error_set(err, HD_ELIMIT, "feed store: no seq left");
        goto out;
    }
    w->seq = latest + 1;
    hd__fs_view_bounds(fs, (hd_fs_view){latest}, latest, w->lo, &hi);
    if (latest)
        prev = hd__fs_entry_at(fs, latest);

    rc = merge_into(w, mem, nmem, err);
    if (rc)
        goto out;

    /* Live rows: a snapshot's feeds hold what it wrote; a delta adds its
     * new keys; other feeds keep what they had. */
    load->meta.d.seq = w->seq;
    load->meta.d.feed_mask |= load->feeds_seen;
    for (int f = 0; f < HD__FEED_IDS; f++) {
        int64_t before = prev ? prev->stats.live[f] : 0;
        if (!(load->meta.d.feed_mask & (UINT32_C(1) << f)))
            w->stats.live[f] = before;
        else if (load->meta.d.snapshot)
            w->stats.live[f] = w->stats.rows[f];
        else
            w->stats.live[f] = before + w->stats.rows[f] - w->stats.replaced[f];
    }
    load->meta.stats = w->stats;

    hd__store_be32(seqb, w->seq);
    k.mv_size = 4;
    k.mv_data = seqb;
    v.mv_size = hd__fs_delivery_encode(rec, &load->meta);
    v.mv_data = rec;
    rc = mdb_put(w->txn, fs->deliveries, &k, &v, MDB_APPEND);
    if (rc)
        goto out;
    k.mv_size = strlen(load->meta.d.delivery_id);
    k.mv_data = load->meta.d.delivery_id;
    v.mv_size = 4;
    v.mv_data = seqb;
    rc = mdb_put(w->txn, fs->delivery_ids, &k, &v, MDB_NOOVERWRITE);
    if (rc)
        goto out;
    if (pending) {
        v.mv_size = pending_len;
        v.mv_data = (void *)pending;
        rc = mdb_put(w->txn, fs->pending, &k, &v, 0);
        if (rc)
            goto out;
    }
    rc = mdb_txn_commit(w->txn);
    w->txn = NULL;
out:
    if (w->txn)
        mdb_txn_abort(w->txn);
    hd_free(w);
    return rc;
}

static void *sort_thread(void *arg)
{
    sort_run(arg);
    return NULL;
}

/*
 * Sort the run in memory for the merge. The commit waits for this sort,
 * so a large run is cut in two halves sorted at once on two threads; the
 * merge takes them as two runs, the first half older. Returns how many
 * runs `mem` holds (views of the buffer, owning nothing).
 */
static size_t sort_last_run(hd_fs_load *load, run_buf mem[2])
{
    run_buf *run = load->cur;
    pthread_t thread;
    size_t half;

    mem[0] = *run;
    if (run->sorted || run->ent_count < PARALLEL_SORT_MIN) {
        sort_run(&mem[0]);
        return 1;
    }
    half = run->ent_count / 2;
    mem[1] = mem[0];
    mem[0].ent_count = half;
    mem[1].ents += half;
    mem[1].ent_count -= half;
    if (pthread_create(&thread, NULL, sort_thread, &mem[0]) == 0) {
        sort_run(&mem[1]);
        pthread_join(thread, NULL);
    } else {
        sort_run(&mem[0]);
        sort_run(&mem[1]);
    }
    return 2;
}

int hd_fs_load_commit(hd_fs_load *load, const void *pending, size_t pending_len,
                      uint32_t *seq_out, hd_fs_load_stats *stats, hd_error *err)
{
    hd_feedstore *fs;
    run_buf mem[2];
    size_t nmem;
    int rc;

    if (!load)
        return hd_error_set(err, HD_EINVAL, "feed store: no load");
    fs = load->fs;
    /* The last run is merged straight from memory: it is only sorted,
     * while the last spill finishes. The other buffer is not needed any
     * more: its memory goes to the merge. */
    nmem = sort_last_run(load, mem);
    rc = join_spill(load, err);
    if (rc)
        goto out;
    release_buf(load->cur == &load->bufs[0] ? &load->bufs[1] : &load->bufs[0]);
    for (;;) {
        rc = write_txn(load, mem, nmem, pending, pending_len, err);
        if (rc != MDB_MAP_FULL)
            break;
        rc = hd__fs_grow_map(fs, err);
        if (rc)
            goto out;
    }
    if (rc > 0) {
        rc = hd__fs_mdb_error(err, rc, "cannot write the delivery");
        goto out;
    }
    if (rc)
        goto out;
    hd__fs_cache_add(fs, &load->meta);
    if (seq_out)
        *seq_out = load->meta.d.seq;
    if (stats)
        *stats = load->meta.stats;
    hd_log(HD_LOG_INFO, "event=feedstore_load seq=%u runs=%zu",
           (unsigned)load->meta.d.seq, load->run_count + nmem);
out:
    hd_fs_load_abort(load);
    return rc;
}
