/*
 * A whole roll in one pass over the feed store in person order
 * (design.md principle 8), never one query per person:
 *
 *  1. Read the roll (JSONL, memory-mapped): each line is parsed once to
 *     learn its members, program, date and whether it is refused; the
 *     application is recorded in the case store when it is new.
 *  2. The consent gate for everyone at once: the members sorted by pid
 *     are merged with every authorization on record (also in pid order).
 *     A family any of whose members lacks a valid authorization is
 *     concluded `unauthorized` without a single record read.
 *  3. One scan of the feed store in pid order. Each authorized member's
 *     records go to their family's dossier as the scan passes them; a
 *     family is complete once the scan has passed its highest member pid,
 *     and is then verified (its line parsed again: keeping a million
 *     parsed applications would cost gigabytes) and its dossier recycled.
 *     Memory holds the families whose members the scan is between, not
 *     the roll: members of a family share their county's pid prefix.
 *  4. Results are written in roll order; with env->record, every
 *     verification and one audit entry per case go to the case store in
 *     the same single transaction, so that a roll is recorded whole or
 *     not at all.
 *
 * With env->record the case-store writes (the applications of step 1, the
 * cases of step 3) are made by a writer thread (below): SQLite costs as
 * much as the rest of the roll, and runs beside it on the second core.
 */
/* qsort_r: sorting indices needs the roll they index. */
#define _GNU_SOURCE
#include "verify/dossier_int.h"

#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

enum { FAM_REFUSED = 1, FAM_UNAUTHORIZED = 2, FAM_DONE = 4 };
enum { ROLL_RELEASE_BYTES = 64 << 20 };

typedef struct roll_family {
    uint32_t line;
    uint32_t first_member; /* index into roll.members of member 0 */
    uint32_t max_member;   /* index into roll.members of the highest pid */
    uint8_t member_count;
    uint8_t flags;
    int8_t program;
    int32_t applied_on;
    const char *packed;  /* the parsed application, packed (roll.packs) */
    hd_dossier *dossier; /* while open */
    char *result;        /* the Result record line, once verified */
} roll_family;

/* One declared member of one family. */
typedef struct roll_member {
    char pid[18];
    uint8_t member; /* index in its application */
    uint8_t covered;
    uint32_t family;
    const char *relied_on; /* authorization id, in roll.ids */
} roll_member;

/*
 * With env->record, the case-store writes of step 3 (audit entry and
 * verification row of each case: a third of a recorded roll's time, in
 * SQLite) run on a writer thread while the scan goes on. The connection
 * is the writer's alone while it runs, but for the gate's read, made
 * while it waits with nothing queued. Work goes to it in chunks, each
 * item led by its length and kind: an application read from the roll
 * (step 1, recorded as it is parsed), or a case as NUL-terminated
 * strings: case number, persons, feeds, authorizations, conclusion,
 * record.
 */
/* Up to 64 MiB queued: the writer may lag the whole load step behind. */
enum { WRITER_CHUNKS = 256, WRITER_CHUNK_BYTES = 256 * 1024 };
enum { ITEM_CASE = 'C', ITEM_APP = 'A' };

/* An application item's fixed part; its texts follow. */
typedef struct app_item {
    const char *json; /* in the roll's map */
    size_t json_len;
    uint32_t line;
    int32_t applied_on;
    uint8_t refused;
    uint8_t member_count;
} app_item;

/* Applications stored together (one round trip on PostgreSQL): rows
 * pointing into the chunk being written, with their roll lines. */
typedef struct app_batch {
    hd_application_row rows[HD_CASESTORE_BATCH];
    const char *pids[HD_CASESTORE_BATCH][HD_MAX_MEMBERS];
    uint32_t lines[HD_CASESTORE_BATCH];
    int count;
} app_batch;

typedef struct writer {
    const hd_verify_env *env;
    const char *path; /* the roll, for errors */
    pthread_t thread;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    hd_buf chunks[WRITER_CHUNKS];
    size_t full[WRITER_CHUNKS]; /* ring of filled chunk indices */
    size_t full_head, full_count;
    size_t spare[WRITER_CHUNKS]; /* chunks free to fill */
    size_t spare_count;
    size_t filling; /* chunk the roll is filling */
    bool closing;
    bool started;
    int rc; /* first error; then chunks are dropped unread */
    hd_error err;
    app_batch *apps; /* applications of the chunk being written */
} writer;

typedef struct roll {
    const hd_verify_env *env;
    const char *path;
    const char *map;
    size_t map_len;
    roll_family *fams;
    size_t fam_count;
    roll_member *members;
    size_t member_count;
    uint32_t *by_pid;     /* member indices in pid order */
    uint32_t *by_max_pid; /* family indices by their highest member pid */
    size_t next_member;   /* scan position in by_pid */
    size_t next_done;     /* completion position in by_max_pid */
    hd_arena ids;         /* authorization ids relied on */
    hd_arena packs;       /* the applications, packed */
    hd_dossier **pool;    /* recycled dossiers */
    size_t pool_count;
    size_t pool_cap;
    hd_application app;
    hd_result result;
    hd_dossier empty;
    hd_buf scratch;
    hd_buf line;
    writer *w;             /* NULL: writes made in place */
    hd_fs_reader *spouses; /* one read transaction for every spouse */
    hd_roll_stats *stats;
    hd_roll_progress_fn progress;
    int64_t progress_step; /* report every this many families */
    void *payload;
    int64_t done;
    hd_error *err;
} roll;

static int cmp_member_pid(const void *a, const void *b, void *payload)
{
    const roll *r = payload;
    const roll_member *x = &r->members[*(const uint32_t *)a];
    const roll_member *y = &r->members[*(const uint32_t *)b];
    int c = memcmp(x->pid, y->pid, 18);
    return c ? c : (x->family > y->family) - (x->family < y->family);
}

/* The family's highest member pid, found once when the roll is read:
 * the sort and every step of the scan ask for it. */
static const char *max_pid(const roll *r, const roll_family *f)
{
    return f->member_count ? r->members[f->max_member].pid : NULL;
}

static void note_max_pid(roll *r, roll_family *f)
{
    f->max_member = f->first_member;
    for (int m = 1; m < f->member_count; m++) {
        uint32_t i = f->first_member + (uint32_t)m;
        if (memcmp(r->members[i].pid, r->members[f->max_member].pid, 18) > 0)
            f->max_member = i;
    }
}

static int cmp_family_max(const void *a, const void *b, void *payload)
{
    const roll *r = payload;
    const roll_family *x = &r->fams[*(const uint32_t *)a];
    const roll_family *y = &r->fams[*(const uint32_t *)b];
    int c;
    if (!x->member_count || !y->member_count)
        return (int)(x->member_count != 0) - (int)(y->member_count != 0);
    c = memcmp(max_pid(r, x), max_pid(r, y), 18);
    return c ? c : (x > y) - (x < y);
}

static int grow(void **p, size_t *cap, size_t need, size_t size)
{
    size_t n = *cap ? *cap : 1024;
    void *q;
    if (need <= *cap)
        return 0;
    while (n < need)
        n *= 2;
    q = hd_realloc(*p, n * size);
    if (!q)
        return HD_ENOMEM;
    *p = q;
    *cap = n;
    return 0;
}

/* The family's application into r->app, as parsed when the roll was
 * read. */
static void unpack_family(roll *r, const roll_family *f)
{
    hd_application_release(&r->app);
    hd__app_unpack(&r->app, f->packed);
}

static int write_case(writer *w, const char *p, const char *end)
{
    const hd_verify_env *env = w->env;
    const char *s[6];

    for (int i = 0; i < 6; i++) {
        if (p >= end)
            return hd_error_set(&w->err, HD_EINVAL, "writer: short case");
        s[i] = p;
        p += strlen(p) + 1;
    }
    hd_audit_entry entry = {
        .at = env->now,
        .actor = env->actor ? env->actor : "unknown",
        .role = env->role,
        .region = env->region,
        .action = "verify-roll",
        .case_no = s[0],
        .persons = s[1],
        .feeds = s[2],
        .authorizations = s[3],
        .outcome = s[4],
    };
    hd_verification_row row = {
        .application_no = s[0],
        .verified_at = env->now,
        .view_seq = env->max_seq,
        .policy_version = hd_policy_version(env->policy),
        .conclusion = s[4],
        .record = s[5],
    };
    int rc = hd_casestore_audit_add(env->cs, &entry, &w->err);
    if (rc == 0)
        rc = hd_casestore_verification_add(env->cs, &row, &w->err);
    return rc;
}

/* The next NUL-terminated text of an item, or NULL past its end. */
static const char *item_text(const char **p, const char *end)
{
    const char *s = *p;
    const char *nul = s < end ? memchr(s, '\0', (size_t)(end - s)) : NULL;

    if (!nul)
        return NULL;
    *p = nul + 1;
    return s;
}

/* Store the batched applications. Another application under one of the
 * numbers would have this roll's result attached to the wrong case. */
static int write_apps(writer *w)
{
    app_batch *b = w->apps;
    int rcs[HD_CASESTORE_BATCH];
    bool stored[HD_CASESTORE_BATCH];
    int rc = b->count ? hd_casestore_application_put_many(
                            w->env->cs, b->rows, b->count, rcs, stored, &w->err)
                      : 0;

    for (int i = 0; rc == 0 && i < b->count; i++) {
        if (rcs[i] != HD_EEXISTS)
            continue;
        rc = hd_error_set(&w->err, HD_EEXISTS,
                          "application %s is already recorded with other "
                          "content",
                          b->rows[i].application_no);
        hd_error_at(&w->err, w->path, b->lines[i], 0, "application_no");
    }
    b->count = 0;
    return rc;
}

/* An application: app_item, then number, program, region, the refusal's
 * field and reason when refused, and the members' pids. Queued in the
 * batch, which is written when full and at the chunk's end. */
static int write_app(writer *w, const char *p, const char *end)
{
    app_batch *b = w->apps;
    const char **pids = b->pids[b->count];
    hd_application_row *row = &b->rows[b->count];
    app_item it;

    if ((size_t)(end - p) < sizeof(it))
        return hd_error_set(&w->err, HD_EINVAL, "writer: short item");
    memcpy(&it, p, sizeof(it));
    p += sizeof(it);
    *row = (hd_application_row){
        .application_no = item_text(&p, end),
        .program = item_text(&p, end),
        .region = item_text(&p, end),
        .applied_on = it.applied_on,
        .json = it.json,
        .json_len = it.json_len,
        .recorded_at = w->env->now,
        .member_count = it.member_count,
        .member_pids = pids,
    };
    if (it.refused) {
        row->refused_field = item_text(&p, end);
        row->refused_reason = item_text(&p, end);
    }
    for (int m = 0; m < it.member_count && m < HD_MAX_MEMBERS; m++)
        pids[m] = item_text(&p, end);
    if (!row->application_no || !row->program || !row->region ||
        (it.member_count && !pids[it.member_count - 1]) ||
        (it.refused && !row->refused_reason))
        return hd_error_set(&w->err, HD_EINVAL, "writer: short item");
    b->lines[b->count++] = it.line;
    return b->count == HD_CASESTORE_BATCH ? write_apps(w) : 0;
}

/* Each chunk: items back to back, each led by its length (uint32) and
 * kind (one byte). */
static void write_chunk(writer *w, const hd_buf *b)
{
    size_t at = 0;

    while (w->rc == 0 && at + 5 <= b->len) {
        uint32_t len;
        memcpy(&len, b->ptr + at, 4);
        const char *item = b->ptr + at + 5;
        w->rc = b->ptr[at + 4] == ITEM_APP ? write_app(w, item, item + len)
                                           : write_case(w, item, item + len);
        at += 5 + len;
    }
    /* The rows point into the chunk, which is reused after this. */
    if (w->rc == 0)
        w->rc = write_apps(w);
}

static void *writer_main(void *arg)
{
    writer *w = arg;

    pthread_mutex_lock(&w->mu);
    for (;;) {
        while (!w->full_count && !w->closing)
            pthread_cond_wait(&w->cv, &w->mu);
        if (!w->full_count)
            break;
        size_t c = w->full[w->full_head];
        w->full_head = (w->full_head + 1) % WRITER_CHUNKS;
        w->full_count--;
        int failed = w->rc;
        pthread_mutex_unlock(&w->mu);
        if (!failed)
            write_chunk(w, &w->chunks[c]);
        hd_buf_reset(&w->chunks[c]);
        pthread_mutex_lock(&w->mu);
        w->spare[w->spare_count++] = c;
        pthread_cond_broadcast(&w->cv);
    }
    pthread_mutex_unlock(&w->mu);
    return NULL;
}

static void writer_release(writer *w)
{
    for (size_t i = 0; i < WRITER_CHUNKS; i++)
        hd_buf_release(&w->chunks[i]);
    hd_free(w->apps);
    w->apps = NULL;
}

static int writer_start(writer *w, const hd_verify_env *env, const char *path,
                        hd_error *err)
{
    memset(w, 0, sizeof(*w));
    w->env = env;
    w->path = path;
    for (size_t i = 0; i < WRITER_CHUNKS; i++)
        hd_buf_init(&w->chunks[i], HD_BUF_DEFAULT_MAX);
    for (size_t i = 1; i < WRITER_CHUNKS; i++)
        w->spare[w->spare_count++] = i;
    w->filling = 0;
    w->apps = hd_calloc(1, sizeof(*w->apps));
    if (!w->apps || pthread_mutex_init(&w->mu, NULL))
        goto fail;
    if (pthread_cond_init(&w->cv, NULL)) {
        pthread_mutex_destroy(&w->mu);
        goto fail;
    }
    if (pthread_create(&w->thread, NULL, writer_main, w)) {
        pthread_cond_destroy(&w->cv);
        pthread_mutex_destroy(&w->mu);
        goto fail;
    }
    w->started = true;
    return 0;
fail:
    writer_release(w);
    return hd_error_set(err, HD_ENOMEM, "cannot start the writer");
}

/* Hand the chunk being filled to the writer and take a spare one.
 * Returns the writer's error, if it has one. */
static int writer_push(writer *w)
{
    int rc;

    pthread_mutex_lock(&w->mu);
    w->full[(w->full_head + w->full_count) % WRITER_CHUNKS] = w->filling;
    w->full_count++;
    pthread_cond_broadcast(&w->cv);
    while (!w->spare_count)
        pthread_cond_wait(&w->cv, &w->mu);
    w->filling = w->spare[--w->spare_count];
    rc = w->rc;
    pthread_mutex_unlock(&w->mu);
    return rc;
}

/* Finish the writes and join; the writer's error goes to err. */
static int writer_stop(writer *w, bool flush, hd_error *err)
{
    int rc;

    if (!w->started)
        return 0;
    pthread_mutex_lock(&w->mu);
    if (flush && w->chunks[w->filling].len) {
        w->full[(w->full_head + w->full_count) % WRITER_CHUNKS] = w->filling;
        w->full_count++;
    }
    w->closing = true;
    pthread_cond_broadcast(&w->cv);
    pthread_mutex_unlock(&w->mu);
    pthread_join(w->thread, NULL);
    pthread_cond_destroy(&w->cv);
    pthread_mutex_destroy(&w->mu);
    w->started = false;
    rc = w->rc;
    if (rc && err)
        *err = w->err;
    return rc;
}

/* Open an item in the chunk being filled; returns where its length
 * goes. */
static size_t item_begin(writer *w, char kind)
{
    hd_buf *b = &w->chunks[w->filling];
    size_t at = b->len;
    char head[5] = {0, 0, 0, 0, kind};

    hd_buf_append(b, head, sizeof(head));
    return at;
}

/* Close the item opened at `at`; hands the chunk over once full. */
static int item_end(roll *r, size_t at)
{
    writer *w = r->w;
    hd_buf *b = &w->chunks[w->filling];
    uint32_t len;

    if (b->err)
        return hd_error_set(r->err, b->err, "cannot queue a write");
    len = (uint32_t)(b->len - at - 5);
    memcpy(b->ptr + at, &len, 4);
    if (b->len >= WRITER_CHUNK_BYTES) {
        int rc = writer_push(w);
        if (rc)
            return writer_stop(w, false, r->err);
    }
    return 0;
}

static void item_text_add(hd_buf *b, const char *s)
{
    hd_buf_append(b, s, strlen(s) + 1);
}

/* One case for the writer: the audit entry's parts and the Result line
 * already made for the results file (the verification's record is that
 * same line). */
static int writer_case(roll *r, const hd_dossier *d, const char *relied[],
                       const char *result_line)
{
    hd_buf *b = &r->w->chunks[r->w->filling];
    size_t at = item_begin(r->w, ITEM_CASE);

    item_text_add(b, r->app.application_no);
    hd__verify_audit_format(r->env, d, relied, b);
    item_text_add(b, hd_conclusion_name(r->result.conclusion));
    item_text_add(b, result_line);
    return item_end(r, at);
}

/* One application for the writer to record (step 1). */
static int writer_app(roll *r, const hd_application *app, const char *json,
                      size_t len, uint32_t line)
{
    hd_buf *b = &r->w->chunks[r->w->filling];
    size_t at = item_begin(r->w, ITEM_APP);
    app_item it = {
        .json = json,
        .json_len = len,
        .line = line,
        .applied_on = app->applied_on,
        .refused = app->refused,
        .member_count = (uint8_t)app->member_count,
    };

    hd_buf_append(b, &it, sizeof(it));
    item_text_add(b, app->application_no);
    item_text_add(b, app->program_name);
    item_text_add(b, app->region);
    if (app->refused) {
        item_text_add(b, app->error_field);
        item_text_add(b, app->error_reason);
    }
    for (int m = 0; m < app->member_count; m++)
        item_text_add(b, app->members[m].pid);
    return item_end(r, at);
}

/* Wait until the writer has made every write queued; returns its
 * error, if any (in r->err). */
static int writer_drain(roll *r)
{
    writer *w = r->w;
    int rc;

    if (w->chunks[w->filling].len) {
        rc = writer_push(w);
        if (rc)
            return writer_stop(w, false, r->err);
    }
    pthread_mutex_lock(&w->mu);
    while (w->full_count || w->spare_count < WRITER_CHUNKS - 1)
        pthread_cond_wait(&w->cv, &w->mu);
    rc = w->rc;
    pthread_mutex_unlock(&w->mu);
    return rc ? writer_stop(w, false, r->err) : 0;
}

/* Step 1: every line. */
static int load_roll(roll *r)
{
    size_t pos = 0, fam_cap = 0, mem_cap = 0;
    uint32_t line = 0;
    hd_error perr;

    size_t released = 0;
    size_t page = (size_t)sysconf(_SC_PAGESIZE);

    while (pos < r->map_len) {
        const char *start = r->map + pos;

        /* The lines read are let go of every 64 MiB, so that a large
         * roll is not all counted in memory: the map is private and
         * never written, so a page read again (the writer recording an
         * application) comes back from the file. */
        if (pos - released >= ROLL_RELEASE_BYTES) {
            size_t upto = pos / page * page;
            madvise((void *)(r->map + released), upto - released,
                    MADV_DONTNEED);
            released = upto;
        }
        const char *nl = memchr(start, '\n', r->map_len - pos);
        size_t len = nl ? (size_t)(nl - start) : r->map_len - pos;
        roll_family *f;
        int rc;

        pos += len + (nl ? 1 : 0);
        line++;
        if (len == 0 || (len == 1 && start[0] == '\r'))
            continue;
        r->stats->lines++;
        hd_application_release(&r->app);
        rc = hd_application_parse(&r->app, start, len, &perr);
        if (rc == HD_ENOMEM)
            return hd_error_set(r->err, rc, "out of memory");
        if (rc) {
            char msg[512];
            hd_error_at(&perr, r->path, line, 0, NULL);
            hd_log(HD_LOG_WARN, "%s", hd_error_format(&perr, msg, sizeof(msg)));
            r->stats->bad_lines++;
            continue;
        }
        if (r->w) {
            rc = writer_app(r, &r->app, start, len, line);
            if (rc)
                return rc;
        }
        if (grow((void **)&r->fams, &fam_cap, r->fam_count + 1,
                 sizeof(*r->fams)) ||
            grow((void **)&r->members, &mem_cap,
                 r->member_count + (size_t)r->app.member_count,
                 sizeof(*r->members)))
            return hd_error_set(r->err, HD_ENOMEM, "out of memory");
        f = &r->fams[r->fam_count++];
        memset(f, 0, sizeof(*f));
        f->line = line;
        f->program = (int8_t)r->app.program;
        f->applied_on = r->app.applied_on;
        f->first_member = (uint32_t)r->member_count;
        char *packed = hd_arena_alloc(&r->packs, hd__app_packed_size(&r->app));
        if (!packed)
            return hd_error_set(r->err, HD_ENOMEM, "out of memory");
        f->packed = packed;
        hd__app_pack(packed, &r->app);
        if (r->app.refused) {
            /* Nothing is read for it: no members in the scan. */
            f->flags |= FAM_REFUSED;
            continue;
        }
        f->member_count = (uint8_t)r->app.member_count;
        for (int m = 0; m < r->app.member_count; m++) {
            roll_member *rm = &r->members[r->member_count++];
            memcpy(rm->pid, r->app.members[m].pid, 18);
            rm->member = (uint8_t)m;
            rm->covered = 0;
            rm->family = (uint32_t)(r->fam_count - 1);
            rm->relied_on = NULL;
        }
        note_max_pid(r, f);
    }
    return 0;
}

/* Step 2: the gate, for everyone at once. */
typedef struct gate_ctx {
    roll *r;
    size_t at; /* position in by_pid */
    uint32_t mask;
} gate_ctx;

static int gate_row(const hd_consent_row *row, void *payload)
{
    gate_ctx *g = payload;
    roll *r = g->r;
    hd_authorization auth;

    while (g->at < r->member_count &&
           memcmp(r->members[r->by_pid[g->at]].pid, row->pid, 18) < 0)
        g->at++;
    if (hd_authorization_from_row(&auth, row, NULL))
        return 0;
    for (size_t i = g->at; i < r->member_count; i++) {
        roll_member *rm = &r->members[r->by_pid[i]];
        const roll_family *f = &r->fams[rm->family];
        char pid[19];
        if (memcmp(rm->pid, row->pid, 18))
            break;
        if (rm->covered)
            continue;
        memcpy(pid, rm->pid, 18);
        pid[18] = '\0';
        if (!hd_authorization_covers(&auth, pid, (hd_program)f->program,
                                     g->mask, f->applied_on))
            continue;
        rm->covered = 1;
        rm->relied_on = hd_arena_strndup(&r->ids, auth.authorization_id,
                                         strlen(auth.authorization_id));
        if (!rm->relied_on)
            return hd_error_set(r->err, HD_ENOMEM, "out of memory");
    }
    return 0;
}

static int apply_gate(roll *r, hd_casestore *cs)
{
    gate_ctx g = {r, 0, hd_verify_feed_mask()};
    int rc = hd_casestore_consents(cs, NULL, gate_row, &g, r->err);

    if (rc)
        return rc < 0 ? rc : HD_ENOMEM;
    for (size_t i = 0; i < r->member_count; i++)
        if (!r->members[i].covered)
            r->fams[r->members[i].family].flags |= FAM_UNAUTHORIZED;
    return 0;
}

static hd_dossier *take_dossier(roll *r)
{
    hd_dossier *d;

    if (r->pool_count)
        return r->pool[--r->pool_count];
    d = hd_malloc(sizeof(*d));
    if (d)
        hd_dossier_init(d, NULL);
    return d;
}

static void give_dossier(roll *r, hd_dossier *d)
{
    if (r->pool_count < r->pool_cap ||
        grow((void **)&r->pool, &r->pool_cap, r->pool_count + 1,
             sizeof(*r->pool)) == 0) {
        r->pool[r->pool_count++] = d;
        return;
    }
    hd_dossier_release(d);
    hd_free(d);
}

/* Verify a family whose records are all in (or that reads nothing). */
static int complete(roll *r, uint32_t fi)
{
    roll_family *f = &r->fams[fi];
    hd_dossier *d = f->dossier ? f->dossier : &r->empty;
    const char *relied[HD_MAX_MEMBERS] = {0};
    hd_params params;
    bool has_params = false;
    int rc;

    if (f->flags & FAM_DONE)
        return 0;
    f->flags |= FAM_DONE;
    unpack_family(r, f);
    d->app = &r->app;
    memcpy(d->feeds, r->env->feeds, sizeof(d->feeds));
    d->authorized = !(f->flags & FAM_UNAUTHORIZED);
    d->missing_count = 0;
    for (int m = 0; m < f->member_count; m++) {
        const roll_member *rm = &r->members[f->first_member + m];
        relied[m] = rm->relied_on ? rm->relied_on : "";
        if (!rm->covered)
            d->missing[d->missing_count++] = m;
    }
    if (!r->app.refused || r->app.refused_step > HD_REFUSED_STEP_POLICY) {
        hd_error perr;
        has_params = hd_policy_resolve(&params, r->env->policy, r->app.region,
                                       r->app.applied_on, &perr) == 0;
        params.policy_version = hd_policy_version(r->env->policy);
    }
    if (d->authorized && !r->app.refused && has_params) {
        rc = hd__dossier_add_spouses(d, r->env, r->spouses,
                                     &r->stats->records_read, r->err);
        if (rc)
            return rc;
    }
    rc = hd_verify(&r->result, d, has_params ? &params : NULL, r->err);
    if (rc)
        return rc;
    hd_buf_reset(&r->line);
    hd_result_record_json(&r->line, &r->result, &r->app);
    if (r->line.err)
        return hd_error_set(r->err, r->line.err, "cannot write a result");
    f->result = hd_strndup(r->line.ptr, r->line.len);
    if (!f->result)
        return hd_error_set(r->err, HD_ENOMEM, "out of memory");
    if (r->w) {
        rc = writer_case(r, d, relied, f->result);
        if (rc)
            return rc;
    } else if (r->env->record) {
        rc = hd__verify_record(r->env, d, &r->result, relied, "verify-roll",
                               &r->scratch, r->err);
        if (rc)
            return rc;
    }
    r->stats->families++;
    r->stats
        ->by_program[r->app.program >= 0 ? r->app.program : HD_PROGRAM_COUNT_]
                    [r->result.conclusion]++;
    if (f->dossier) {
        hd_dossier_reset(f->dossier, NULL);
        give_dossier(r, f->dossier);
        f->dossier = NULL;
    } else {
        hd_dossier_reset(&r->empty, NULL);
    }
    r->done++;
    if (r->progress &&
        (r->done % r->progress_step == 0 || r->done == (int64_t)r->fam_count))
        r->progress(r->done, (int64_t)r->fam_count, r->payload);
    return 0;
}

/* Complete every family whose highest member pid is before `pid` (all
 * remaining ones when pid is NULL). */
static int complete_before(roll *r, const char *pid)
{
    while (r->next_done < r->fam_count) {
        uint32_t fi = r->by_max_pid[r->next_done];
        const roll_family *f = &r->fams[fi];
        if (pid && f->member_count && memcmp(max_pid(r, f), pid, 18) >= 0)
            break;
        int rc = complete(r, fi);
        if (rc)
            return rc;
        r->next_done++;
    }
    return 0;
}

/* Step 3: the scan's callback, one person at a time in pid order. */
static int scan_person(const char *pid, const hd_record *records, size_t count,
                       void *payload)
{
    roll *r = payload;
    uint32_t mask = hd_verify_feed_mask();
    int rc = complete_before(r, pid);

    while (rc == 0 && r->next_member < r->member_count) {
        roll_member *rm = &r->members[r->by_pid[r->next_member]];
        roll_family *f = &r->fams[rm->family];
        int c = memcmp(rm->pid, pid, 18);
        if (c > 0)
            break;
        r->next_member++;
        if (c < 0 || (f->flags & (FAM_UNAUTHORIZED | FAM_REFUSED)))
            continue;
        if (!f->dossier && !(f->dossier = take_dossier(r)))
            return hd_error_set(r->err, HD_ENOMEM, "out of memory");
        for (size_t i = 0; rc == 0 && i < count; i++) {
            const hd_record *rec = &records[i];
            if (!(mask & (1u << rec->row.feed->id)))
                continue;
            r->stats->records_read++;
            rc = hd_dossier_add(f->dossier, rm->member, &rec->row,
                                rec->delivery_seq, rec->delivery_id, r->err);
        }
    }
    return rc;
}

static int write_results(roll *r, const char *out_path)
{
    char tmp[4096];
    FILE *out;
    int rc = 0;

    if ((size_t)snprintf(tmp, sizeof(tmp), "%s.tmp", out_path) >= sizeof(tmp))
        return hd_error_set(r->err, HD_EINVAL, "output path too long");
    out = fopen(tmp, "w");
    if (!out)
        return hd_error_set(r->err, HD_EIO, "cannot write %s", tmp);
    for (size_t i = 0; i < r->fam_count; i++) {
        if (!r->fams[i].result)
            continue;
        fputs(r->fams[i].result, out);
        fputc('\n', out);
    }
    if (fflush(out) || fsync(fileno(out)))
        rc = hd_error_set(r->err, HD_EIO, "cannot write %s", tmp);
    if (fclose(out) && rc == 0)
        rc = hd_error_set(r->err, HD_EIO, "cannot write %s", tmp);
    /* The results appear whole or not at all. */
    if (rc == 0 && rename(tmp, out_path))
        rc = hd_error_set(r->err, HD_EIO, "cannot rename %s", tmp);
    if (rc)
        unlink(tmp);
    return rc;
}

static void roll_release(roll *r)
{
    for (size_t i = 0; i < r->fam_count; i++) {
        if (r->fams[i].dossier) {
            hd_dossier_release(r->fams[i].dossier);
            hd_free(r->fams[i].dossier);
        }
        hd_free(r->fams[i].result);
    }
    for (size_t i = 0; i < r->pool_count; i++) {
        hd_dossier_release(r->pool[i]);
        hd_free(r->pool[i]);
    }
    hd_free(r->pool);
    hd_free(r->fams);
    hd_free(r->members);
    hd_free(r->by_pid);
    hd_free(r->by_max_pid);
    hd_arena_release(&r->ids);
    hd_arena_release(&r->packs);
    hd_application_release(&r->app);
    hd_result_release(&r->result);
    hd_dossier_release(&r->empty);
    hd_buf_release(&r->scratch);
    hd_buf_release(&r->line);
    hd_feedstore_reader_close(r->spouses);
    if (r->map && r->map != MAP_FAILED && r->map_len)
        munmap((void *)r->map, r->map_len);
}

int hd_verify_roll(hd_roll_stats *stats, const hd_verify_env *env,
                   const char *roll_path, const char *out_path,
                   hd_roll_progress_fn progress, void *payload, hd_error *err)
{
    roll r = {0};
    writer w;
    hd_casestore *gate_cs = NULL;
    struct stat st;
    bool in_txn = false;
    int fd, rc = 0;

    memset(stats, 0, sizeof(*stats));
    r.env = env;
    r.path = roll_path;
    r.stats = stats;
    r.progress = progress;
    r.payload = payload;
    r.err = err;
    hd_arena_init(&r.ids, 1 << 20);
    hd_arena_init(&r.packs, 1 << 20);
    memset(&r.app, 0, sizeof(r.app));
    hd_result_init(&r.result);
    hd_dossier_init(&r.empty, NULL);
    hd_buf_init(&r.scratch, HD_BUF_DEFAULT_MAX);
    hd_buf_init(&r.line, HD_BUF_DEFAULT_MAX);

    fd = open(roll_path, O_RDONLY | O_CLOEXEC);
    if (fd < 0 || fstat(fd, &st)) {
        rc = hd_error_set(err, HD_EIO, "cannot read %s", roll_path);
        if (fd >= 0)
            close(fd);
        goto out;
    }
    r.map_len = (size_t)st.st_size;
    if (r.map_len) {
        r.map = mmap(NULL, r.map_len, PROT_READ, MAP_PRIVATE, fd, 0);
        if (r.map == MAP_FAILED) {
            close(fd);
            r.map_len = 0;
            rc = hd_error_set(err, HD_EIO, "cannot map %s", roll_path);
            goto out;
        }
        madvise((void *)r.map, r.map_len, MADV_SEQUENTIAL);
    }
    close(fd);

    if (env->record) {
        rc = hd_casestore_begin(env->cs, err);
        if (rc)
            goto out;
        in_txn = true;
    }
    memset(&w, 0, sizeof(w));
    if (env->record) {
        rc = writer_start(&w, env, roll_path, err);
        if (rc)
            goto out;
        r.w = &w;
    }
    rc = load_roll(&r);
    if (rc)
        goto out;
    /* The gate reads the authorizations, which the roll does not write,
     * through a connection of its own (with a small cache: a million
     * families' authorizations would otherwise stay cached for the rest
     * of the roll) while the writer goes on recording the applications;
     * without one (a store in memory), once the writer is idle. */
    if (hd_casestore_open_same(&gate_cs, env->cs, NULL)) {
        gate_cs = NULL;
        rc = r.w ? writer_drain(&r) : 0;
        if (rc)
            goto out;
    }
    r.by_pid = hd_malloc((r.member_count + 1) * sizeof(*r.by_pid));
    r.by_max_pid = hd_malloc((r.fam_count + 1) * sizeof(*r.by_max_pid));
    if (!r.by_pid || !r.by_max_pid) {
        rc = hd_error_set(err, HD_ENOMEM, "out of memory");
        goto out;
    }
    for (size_t i = 0; i < r.member_count; i++)
        r.by_pid[i] = (uint32_t)i;
    for (size_t i = 0; i < r.fam_count; i++)
        r.by_max_pid[i] = (uint32_t)i;
    qsort_r(r.by_pid, r.member_count, sizeof(*r.by_pid), cmp_member_pid, &r);
    rc = apply_gate(&r, gate_cs ? gate_cs : env->cs);
    hd_casestore_free(gate_cs);
    gate_cs = NULL;
    if (rc)
        goto out;
    /* Refused families (no members in the scan) sort first. */
    qsort_r(r.by_max_pid, r.fam_count, sizeof(*r.by_max_pid), cmp_family_max,
            &r);

    /* Progress: the total once known, then every 1 % (at most every
     * 4096 families), so that a small batch's bar moves too. */
    r.progress_step = (int64_t)r.fam_count / 100;
    r.progress_step = r.progress_step < 1      ? 1
                      : r.progress_step > 4096 ? 4096
                                               : r.progress_step;
    if (r.progress)
        r.progress(0, (int64_t)r.fam_count, r.payload);

    hd_fs_view view = {env->max_seq};
    rc = hd_feedstore_reader_open(&r.spouses, env->fs, view, err);
    if (rc)
        goto out;
    rc = hd_feedstore_scan(env->fs, view, scan_person, &r, err);
    if (rc == 0)
        rc = complete_before(&r, NULL);
    /* The connection is the roll's again once the writer is joined. */
    if (r.w) {
        int wrc = writer_stop(&w, rc == 0, rc ? NULL : err);
        rc = rc ? rc : wrc;
    }
    if (rc)
        goto out;
    rc = write_results(&r, out_path);
    if (rc == 0 && in_txn) {
        rc = hd_casestore_commit(env->cs, err);
        in_txn = rc != 0;
    }
out:
    hd_casestore_free(gate_cs);
    if (r.w) {
        writer_stop(&w, false, NULL);
        writer_release(&w);
    }
    if (in_txn)
        hd_casestore_rollback(env->cs);
    roll_release(&r);
    return rc;
}
