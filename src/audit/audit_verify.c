/*
 * Verifying the audit chain (audit.h; the classification is explained in
 * docs/audit.md).
 *
 * Whoever edits the log with SQL has no key, so cannot make a hash that
 * matches. An entry whose hash matches its content under some seq g is
 * therefore genuine, and g is where it was written: its "genuine seq".
 * The walk reads the entries in stored seq order with one entry of
 * lookahead and finds each one's genuine seq: the stored seq when the
 * hash matches there, else the seq its prev_hash implies (the entry
 * whose hash it names, plus one: found among the neighbours, a window of
 * recent entries, or, a limited number of times, by a lookup in the
 * store), else a few seqs around the stored one. Then:
 *   - a genuine entry at its genuine seq is in place;
 *   - a genuine entry elsewhere is reordered (a run of them moved by the
 *     same amount, a renumbering, is one problem);
 *   - a genuine seq seen twice is an inserted copy;
 *   - an entry genuine nowhere is altered when the chain still runs
 *     through its stored hash or prev_hash, and inserted when skipping
 *     it restores the chain;
 *   - a genuine seq never seen was removed (a bitmap of seqs seen, one
 *     bit per entry, is the only memory that grows with the log).
 */
#include <hedui/audit.h>

#include <stdio.h>
#include <string.h>

/* Recent entries whose hashes a prev_hash is looked up in. */
#define WINDOW 1024
/* Seqs tried either side of the stored one for an entry whose prev_hash
 * names no entry found (its predecessor removed, then renumbered): NEAR,
 * or WIDE for the first WIDE_SEARCHES such entries, so that a renumbering
 * after a large deletion is found once and its run followed from there
 * (each later entry links to the one before it). */
#define NEAR 256
#define WIDE ((int64_t)1 << 20)
#define WIDE_SEARCHES 4
/* Entries for which the costly searches (a lookup in the store, the
 * seqs around) are made; beyond, entries are classified by their links
 * alone, so that a log edited wholesale is still checked in bounded
 * time. */
#define SEARCHES_MAX 1024

static const char zero_hash[] =
    "0000000000000000000000000000000000000000000000000000000000000000";

/* An entry held by the walk: its texts copied into one allocation. */
typedef struct held {
    bool present;
    int64_t id, seq;
    const char *prev, *hash;
    hd_audit_entry e;
    char *text;
    size_t cap;
    int64_t g; /* genuine seq, or the slot an altered entry fills; 0 none */
} held;

typedef struct window_slot {
    char hash[HD_AUDIT_HASH_HEX];
    int64_t g;
} window_slot;

typedef struct walk {
    hd_casestore *cs;
    const uint8_t *key;
    hd_audit_report *out;
    void (*fn)(const hd_audit_problem *problem, void *payload);
    void *payload;
    hd_error *err;
    int rc; /* an error met inside the walk's callback */

    held rows[3]; /* the entry before, the one being judged, the next */
    held *prev, *cur, *next;

    uint8_t *seen; /* bit g: genuine seq g was found */
    size_t seen_len;
    int64_t max_g;
    window_slot window[WINDOW];
    int window_count, window_at;
    int searches, wide_searches;

    int64_t shift; /* stored seq - genuine seq of the last genuine entry */
    bool run_open; /* a reordered run being gathered */
    hd_audit_problem run;
    int64_t run_shift, run_last_g;

    int64_t expect_seq;
    const char *expect_hash;
    int expect_state; /* 0 not seen, 1 matched, 2 differs */
} walk;

const char *hd_audit_kind_name(hd_audit_kind kind)
{
    switch (kind) {
    case HD_AUDIT_ALTERED:
        return "altered";
    case HD_AUDIT_REMOVED:
        return "removed";
    case HD_AUDIT_INSERTED:
        return "inserted";
    case HD_AUDIT_REORDERED:
        return "reordered";
    }
    return "unknown";
}

/* ------------------------------------------------------------ problems */

/* Does `a` stand before `b` in the log? At one place a removal comes
 * first: a renumbering that hides it comes after. */
static bool stands_before(const hd_audit_problem *a, const hd_audit_problem *b)
{
    int64_t pa = a->seq > 0 ? a->seq : INT64_MAX;
    int64_t pb = b->seq > 0 ? b->seq : INT64_MAX;

    if (pa != pb)
        return pa < pb;
    return a->kind == HD_AUDIT_REMOVED && b->kind != HD_AUDIT_REMOVED;
}

static void report(walk *w, const hd_audit_problem *p)
{
    w->out->problems++;
    if (!w->out->has_first || stands_before(p, &w->out->first)) {
        w->out->first = *p;
        w->out->has_first = true;
    }
    if (w->fn)
        w->fn(p, w->payload);
}

static void problem_at(walk *w, hd_audit_kind kind, const held *r,
                       int64_t seq_end, const char *detail)
{
    hd_audit_problem p = {.kind = kind,
                          .seq = r->seq,
                          .id = r->id,
                          .seq_end = seq_end,
                          .count = 1};

    snprintf(p.detail, sizeof(p.detail), "%s", detail);
    report(w, &p);
}

static void run_flush(walk *w)
{
    if (!w->run_open)
        return;
    w->run_open = false;
    if (w->run.count > 1)
        snprintf(w->run.detail, sizeof(w->run.detail),
                 "its hash is valid at seq %lld, not at its own; the %lld "
                 "entries from it on are renumbered by %+lld",
                 (long long)w->run.seq_end, (long long)w->run.count,
                 (long long)w->run_shift);
    else
        snprintf(w->run.detail, sizeof(w->run.detail),
                 "its hash is valid at seq %lld, not at its own",
                 (long long)w->run.seq_end);
    report(w, &w->run);
}

/* ------------------------------------------------------------- helpers */

static bool same(const char *a, const char *b)
{
    return a && b && !strcmp(a, b);
}

static bool valid_at(walk *w, const held *r, int64_t seq)
{
    char h[HD_AUDIT_HASH_HEX];

    if (seq <= 0 || !r->hash)
        return false;
    hd_casestore_audit_hash(h, w->key, seq, r->prev, &r->e);
    return !strcmp(h, r->hash);
}

static int hold(held *h, const hd_audit_row *row)
{
    const char *src[12] = {row->prev_hash,     row->entry_hash,
                           row->entry.actor,   row->entry.role,
                           row->entry.region,  row->entry.action,
                           row->entry.case_no, row->entry.persons,
                           row->entry.feeds,   row->entry.authorizations,
                           row->entry.outcome, NULL};
    const char *dst[12] = {0};
    size_t need = 0, at = 0;

    for (int i = 0; i < 11; i++)
        if (src[i] && __builtin_add_overflow(need, strlen(src[i]) + 1, &need))
            return HD_ENOMEM;
    if (need > h->cap) {
        char *t = hd_realloc(h->text, need);
        if (!t)
            return HD_ENOMEM;
        h->text = t;
        h->cap = need;
    }
    for (int i = 0; i < 11; i++) {
        if (!src[i])
            continue;
        size_t len = strlen(src[i]) + 1;
        memcpy(h->text + at, src[i], len);
        dst[i] = h->text + at;
        at += len;
    }
    h->present = true;
    h->id = row->id;
    h->seq = row->seq;
    h->prev = dst[0];
    h->hash = dst[1];
    h->e = row->entry;
    h->e.actor = dst[2];
    h->e.role = dst[3];
    h->e.region = dst[4];
    h->e.action = dst[5];
    h->e.case_no = dst[6];
    h->e.persons = dst[7];
    h->e.feeds = dst[8];
    h->e.authorizations = dst[9];
    h->e.outcome = dst[10];
    h->g = 0;
    return 0;
}

static int mark_seen(walk *w, int64_t g)
{
    size_t byte = (size_t)(g >> 3);

    if (byte >= w->seen_len) {
        size_t len = w->seen_len ? w->seen_len : 4096;
        while (len <= byte)
            if (__builtin_mul_overflow(len, 2, &len))
                return HD_ENOMEM;
        uint8_t *s = hd_realloc(w->seen, len);
        if (!s)
            return HD_ENOMEM;
        memset(s + w->seen_len, 0, len - w->seen_len);
        w->seen = s;
        w->seen_len = len;
    }
    w->seen[byte] |= (uint8_t)(1u << (g & 7));
    if (g > w->max_g)
        w->max_g = g;
    return 0;
}

static bool was_seen(const walk *w, int64_t g)
{
    size_t byte = (size_t)(g >> 3);
    return byte < w->seen_len && (w->seen[byte] & (1u << (g & 7)));
}

static void window_add(walk *w, const char *hash, int64_t g)
{
    if (!hash || strlen(hash) != HD_AUDIT_HASH_HEX - 1)
        return;
    memcpy(w->window[w->window_at].hash, hash, HD_AUDIT_HASH_HEX);
    w->window[w->window_at].g = g;
    w->window_at = (w->window_at + 1) % WINDOW;
    if (w->window_count < WINDOW)
        w->window_count++;
}

static int64_t window_find(const walk *w, const char *hash)
{
    for (int i = 0; i < w->window_count; i++)
        if (!strcmp(w->window[i].hash, hash))
            return w->window[i].g;
    return 0;
}

/* The genuine seq of the stored entry whose hash a prev_hash names (a
 * lookup in the store). */
typedef struct lookup {
    walk *w;
    held row;
    int64_t g;
} lookup;

static int take_named(const hd_audit_row *row, void *payload)
{
    lookup *l = payload;

    if (hold(&l->row, row))
        return HD_ENOMEM;
    if (valid_at(l->w, &l->row, row->seq)) {
        l->g = row->seq;
        return 1;
    }
    return 0;
}

static int64_t named_by_store(walk *w, const char *hash)
{
    lookup l = {w, {0}, 0};
    hd_error err;
    int rc = hd_casestore_audit_by_hash(w->cs, hash, take_named, &l, &err);

    hd_free(l.row.text);
    if (rc < 0 && !w->rc) {
        w->rc = rc;
        if (w->err)
            *w->err = err;
    }
    return rc < 0 ? 0 : l.g;
}

/* ------------------------------------------------------------- judging */

/* The genuine seq of r (0: none found). */
static int64_t genuine_seq(walk *w, const held *r)
{
    const held *p = w->prev, *n = w->next;
    int64_t implied = 0;

    if (valid_at(w, r, r->seq))
        return r->seq;
    if (!r->prev)
        return 0;
    if (!strcmp(r->prev, zero_hash))
        implied = 1;
    else if (p->present && p->g > 0 && same(r->prev, p->hash))
        implied = p->g + 1;
    else if (n->present && same(r->prev, n->hash)) {
        /* Two neighbours swapped: the next entry is the one before. */
        int64_t gn = valid_at(w, n, n->seq) ? n->seq : 0;
        if (!gn && p->present && p->g > 0 && same(n->prev, p->hash) &&
            valid_at(w, n, p->g + 1))
            gn = p->g + 1;
        implied = gn ? gn + 1 : 0;
    }
    if (!implied) {
        int64_t g = window_find(w, r->prev);
        implied = g ? g + 1 : 0;
    }
    if (!implied && w->searches < SEARCHES_MAX) {
        int64_t g;
        w->searches++;
        g = named_by_store(w, r->prev);
        implied = g ? g + 1 : 0;
        if (!implied) { /* the entry it names is gone: look around */
            int64_t reach = NEAR;
            if (w->wide_searches < WIDE_SEARCHES) {
                w->wide_searches++;
                reach = WIDE;
            }
            for (int64_t d = 1; d <= reach; d++) {
                if (valid_at(w, r, r->seq + d))
                    return r->seq + d;
                if (valid_at(w, r, r->seq - d))
                    return r->seq - d;
            }
        }
    }
    return implied && valid_at(w, r, implied) ? implied : 0;
}

static int judge_genuine(walk *w, held *r, int64_t g)
{
    int64_t shift = r->seq - g;
    int rc;

    if (was_seen(w, g)) {
        char d[96];
        run_flush(w);
        snprintf(d, sizeof(d),
                 "a copy of the entry at seq %lld, which is already there",
                 (long long)g);
        problem_at(w, HD_AUDIT_INSERTED, r, g, d);
        return 0;
    }
    if ((rc = mark_seen(w, g)) != 0)
        return rc;
    r->g = g;
    window_add(w, r->hash, g);
    w->shift = shift;
    if (g == w->expect_seq)
        w->expect_state = same(r->hash, w->expect_hash) ? 1 : 2;
    if (shift == 0) {
        run_flush(w);
        return 0;
    }
    if (w->run_open && shift == w->run_shift && g == w->run_last_g + 1) {
        w->run.count++;
        w->run_last_g = g;
        return 0;
    }
    run_flush(w);
    w->run_open = true;
    w->run_shift = shift;
    w->run_last_g = g;
    w->run = (hd_audit_problem){.kind = HD_AUDIT_REORDERED,
                                .seq = r->seq,
                                .id = r->id,
                                .seq_end = g,
                                .count = 1};
    return 0;
}

static int judge_forged(walk *w, held *r)
{
    const held *p = w->prev, *n = w->next;
    bool altered;
    const char *why;
    int64_t slot;

    run_flush(w);
    if (n->present && same(n->prev, r->hash)) {
        altered = true;
        why = "its hash does not match its content; the next entry still "
              "links to its stored hash";
    } else if (n->present && p->present && same(n->prev, p->hash)) {
        altered = false;
        why = "its hash matches nothing and the chain runs on without it";
    } else if (p->present && same(r->prev, p->hash)) {
        altered = true;
        why = "it links to the entry before it, but its hash does not "
              "match its content";
    } else if (!n->present) {
        altered = false;
        why = "at the end, its hash matches nothing and it links to no "
              "entry before it";
    } else if (p->present && p->id < r->id && r->id < n->id) {
        altered = true;
        why = "its hash matches nothing and neither link holds; its row "
              "stands where it was written";
    } else {
        altered = false;
        why = "its hash matches nothing, neither link holds and its row "
              "was written out of turn";
    }
    problem_at(w, altered ? HD_AUDIT_ALTERED : HD_AUDIT_INSERTED, r, 0, why);
    if (!altered)
        return 0;
    /* An altered entry holds its place in the chain: the seq it stands
     * at, as moved by the renumbering around it if any. */
    slot = r->seq - w->shift;
    if (slot <= 0 || slot > w->max_g + 1 || was_seen(w, slot))
        return 0;
    r->g = slot;
    window_add(w, r->hash, slot);
    if (slot == w->expect_seq)
        w->expect_state = same(r->hash, w->expect_hash) ? 1 : 2;
    return mark_seen(w, slot);
}

/* Judge the current entry, then move the three along. */
static int step(walk *w)
{
    held *r = w->cur;
    int rc = 0;

    if (r->present) {
        int64_t g = genuine_seq(w, r);
        if (w->rc)
            return w->rc;
        rc = g ? judge_genuine(w, r, g) : judge_forged(w, r);
        w->out->entries++;
        w->out->head_seq = r->seq;
        snprintf(w->out->head_hash, sizeof(w->out->head_hash), "%s",
                 r->hash ? r->hash : "");
    }
    held *old = w->prev;
    w->prev = w->cur;
    w->cur = w->next;
    w->next = old;
    w->next->present = false;
    return rc;
}

static int take_entry(const hd_audit_row *row, void *payload)
{
    walk *w = payload;
    int rc;

    if ((rc = hold(w->next, row)) != 0)
        return rc;
    return step(w);
}

static void report_removed(walk *w)
{
    int64_t g = 1;

    while (g <= w->max_g) {
        if (was_seen(w, g)) {
            g++;
            continue;
        }
        int64_t end = g;
        while (end < w->max_g && !was_seen(w, end + 1))
            end++;
        hd_audit_problem p = {.kind = HD_AUDIT_REMOVED,
                              .seq = g,
                              .seq_end = end,
                              .count = end - g + 1,
                              .before = g - 1,
                              .after = end + 1};
        snprintf(p.detail, sizeof(p.detail),
                 "no entry holds seq %lld..%lld: the entry at seq %lld "
                 "was chained after entries now missing",
                 (long long)g, (long long)end, (long long)(end + 1));
        report(w, &p);
        g = end + 1;
    }
}

static void report_expected(walk *w)
{
    hd_audit_problem p = {.seq = w->expect_seq, .count = 1};

    if (w->expect_seq <= 0 || w->expect_state == 1)
        return;
    if (w->expect_state == 2) {
        p.kind = HD_AUDIT_ALTERED;
        snprintf(p.detail, sizeof(p.detail),
                 "the entry at seq %lld is not the head anchored there "
                 "(its hash differs)",
                 (long long)w->expect_seq);
    } else if (w->expect_seq > w->max_g) {
        p.kind = HD_AUDIT_REMOVED;
        p.seq = w->max_g + 1;
        p.seq_end = w->expect_seq;
        p.count = w->expect_seq - w->max_g;
        p.before = w->max_g;
        snprintf(p.detail, sizeof(p.detail),
                 "the chain ends at seq %lld: the head anchored at seq %lld "
                 "was cut off",
                 (long long)w->max_g, (long long)w->expect_seq);
    } else {
        return; /* a gap there, reported as removed already */
    }
    report(w, &p);
}

static int take_unchained(const hd_audit_row *row, void *payload)
{
    walk *w = payload;
    hd_audit_problem p = {.kind = HD_AUDIT_INSERTED, .id = row->id, .count = 1};

    snprintf(p.detail, sizeof(p.detail),
             "an entry without a seq written after the chain began "
             "(id %lld): never chained",
             (long long)row->id);
    report(w, &p);
    return 0;
}

int hd_audit_verify(hd_audit_report *out, hd_casestore *cs,
                    const uint8_t key[32], int64_t expect_seq,
                    const char *expect_hash,
                    void (*fn)(const hd_audit_problem *problem, void *payload),
                    void *payload, hd_error *err)
{
    walk *w = NULL;
    int rc;

    memset(out, 0, sizeof(*out));
    if (!cs || !key)
        return hd_error_set(err, HD_EINVAL, "audit: no store or key");
    if (expect_seq < 0 || (expect_seq > 0 && !expect_hash))
        return hd_error_set(err, HD_EINVAL, "audit: bad expected head");
    if (!(w = hd_calloc(1, sizeof(*w))))
        return hd_error_set(err, HD_ENOMEM, "out of memory");
    w->cs = cs;
    w->key = key;
    w->out = out;
    w->fn = fn;
    w->payload = payload;
    w->err = err;
    w->prev = &w->rows[0];
    w->cur = &w->rows[1];
    w->next = &w->rows[2];
    w->expect_seq = expect_seq;
    w->expect_hash = expect_hash;

    rc = hd_casestore_audit_chain(cs, take_entry, w, err);
    if (rc == HD_ENOMEM)
        rc = hd_error_set(err, rc, "out of memory");
    if (rc == 0)
        rc = w->rc;
    if (rc == 0) /* the last entry has no next */
        rc = step(w);
    if (rc == 0) {
        run_flush(w);
        report_removed(w);
        report_expected(w);
        rc = hd_casestore_audit_unchained(cs, &out->unchained, take_unchained,
                                          w, err);
    }
    for (int i = 0; i < 3; i++)
        hd_free(w->rows[i].text);
    hd_free(w->seen);
    hd_free(w);
    return rc;
}
