/*
 * The audit log's hash chain, for both backends: the canonical hash of
 * an entry, the head of the chain cached per transaction, and the reads
 * that src/audit verifies and searches with (docs/audit.md).
 *
 * The head is read once per transaction: a roll appends a million
 * entries and must not query once per entry. On PostgreSQL two
 * processes appending at once would both read the same head and fork
 * the chain (the unique index on seq would then fail the later one), so
 * the head is read under a transaction-scoped advisory lock that every
 * appender takes first, and at READ COMMITTED the read that follows the
 * lock sees what the previous holder committed. SQLite's BEGIN IMMEDIATE
 * already lets one writer in at a time.
 */
#include "store/store_int.h"

#include <assert.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

/* pg_advisory_xact_lock key of the audit chain: "audit" in ASCII. */
#define AUDIT_LOCK_KEY "418564074868"

/* Hashed first, so that no other use of the key hashes the same bytes. */
static const char domain[] = "hedui audit chain v1";
static const char zero_hash[] =
    "0000000000000000000000000000000000000000000000000000000000000000";

static const char sql_lock[] =
    "SELECT pg_advisory_xact_lock(" AUDIT_LOCK_KEY ")";
static const char sql_head[] =
    "SELECT seq, entry_hash FROM audit_log WHERE seq IS NOT NULL "
    "ORDER BY seq DESC LIMIT 1";

#define ROW_COLUMNS                                                            \
    "id, seq, prev_hash, entry_hash, at, actor, role, region, action, "        \
    "case_no, persons, feeds, authorizations, outcome"
static const char sql_chain[] = "SELECT " ROW_COLUMNS " FROM audit_log "
                                "WHERE seq IS NOT NULL ORDER BY seq, id";
static const char sql_by_hash[] =
    "SELECT " ROW_COLUMNS " FROM audit_log "
    "WHERE entry_hash = $1 AND seq IS NOT NULL ORDER BY seq, id";
static const char sql_unchained_count[] =
    "SELECT count(*) FROM audit_log WHERE seq IS NULL";
static const char sql_unchained_late[] =
    "SELECT " ROW_COLUMNS " FROM audit_log WHERE seq IS NULL AND id > "
    "(SELECT min(id) FROM audit_log WHERE seq IS NOT NULL) ORDER BY id";

/* The filters of a search: a field left NULL (or 0) matches anything.
 * The column comparison comes first, so that PostgreSQL infers each
 * parameter's type from its column. */
#define SEARCH_WHERE                                                           \
    " FROM audit_log WHERE (persons LIKE $1 OR $1 IS NULL) "                   \
    "AND (actor = $2 OR $2 IS NULL) AND (case_no = $3 OR $3 IS NULL) "         \
    "AND (action = $4 OR $4 IS NULL) AND (at >= $5 OR $5 = 0) "                \
    "AND (at <= $6 OR $6 = 0)"
static const char sql_search[] =
    "SELECT " ROW_COLUMNS SEARCH_WHERE " ORDER BY id DESC LIMIT $7 OFFSET $8";
static const char sql_search_count[] = "SELECT count(*)" SEARCH_WHERE;

/* ------------------------------------------------------------- the hash */

static void put_u64(crypto_generichash_state *st, uint64_t v)
{
    uint8_t b[8];

    hd__store_be64(b, v);
    crypto_generichash_update(st, b, sizeof(b));
}

/* A text as a tag (0 NULL, 1 present), then its length and bytes: no two
 * different lists of fields encode the same. */
static void put_text(crypto_generichash_state *st, const char *s)
{
    uint8_t tag = s ? 1 : 0;

    crypto_generichash_update(st, &tag, 1);
    if (s) {
        size_t len = strlen(s);
        put_u64(st, (uint64_t)len);
        crypto_generichash_update(st, (const unsigned char *)s, len);
    }
}

void hd_casestore_audit_hash(char out[HD_AUDIT_HASH_HEX], const uint8_t key[32],
                             int64_t seq, const char *prev_hash,
                             const hd_audit_entry *e)
{
    crypto_generichash_state st;
    uint8_t h[32];

    crypto_generichash_init(&st, key, 32, sizeof(h));
    crypto_generichash_update(&st, (const unsigned char *)domain,
                              sizeof(domain));
    put_u64(&st, (uint64_t)seq);
    put_text(&st, prev_hash);
    put_u64(&st, (uint64_t)e->at);
    put_text(&st, e->actor);
    put_text(&st, e->role);
    put_text(&st, e->region);
    put_text(&st, e->action);
    put_text(&st, e->case_no);
    put_text(&st, e->persons);
    put_text(&st, e->feeds);
    put_text(&st, e->authorizations);
    put_text(&st, e->outcome);
    crypto_generichash_final(&st, h, sizeof(h));
    sodium_bin2hex(out, HD_AUDIT_HASH_HEX, h, sizeof(h));
    sodium_memzero(&st, sizeof(st));
}

/* ------------------------------------------------------------- the head */

static int take_head(const char *const *cols, int ncols, void *payload)
{
    hd_casestore *cs = payload;

    if (ncols < 2)
        return 0;
    cs->audit_seq = hd__sql_int(cols[0]);
    /* A damaged head (edited by hand) is chained onto as it reads: the
     * verification names the damage, appending goes on. */
    snprintf(cs->audit_head, sizeof(cs->audit_head), "%s",
             cols[1] ? cols[1] : "");
    return 0;
}

static int read_head(hd_casestore *cs, hd_error *err)
{
    int rc;

    cs->audit_seq = 0;
    memcpy(cs->audit_head, zero_hash, sizeof(zero_hash));
    if (hd__sql_is_pg(cs) &&
        (rc = hd__sql(cs, NULL, NULL, NULL, err, sql_lock, "")) != 0)
        return rc;
    if ((rc = hd__sql(cs, take_head, cs, NULL, err, sql_head, "")) != 0)
        return rc;
    cs->audit_head_known = true;
    return 0;
}

int hd__audit_chain_next(hd_casestore *cs, const hd_audit_entry *entry,
                         int64_t *seq_out, char prev[HD_AUDIT_HASH_HEX],
                         char hash[HD_AUDIT_HASH_HEX], hd_error *err)
{
    int rc;

    if (!cs->has_audit_key)
        return hd_error_set(err, HD_EINVAL,
                            "case store: no audit chain key set: audit "
                            "entries cannot be added");
    assert(cs->in_txn);
    if (!cs->audit_head_known && (rc = read_head(cs, err)) != 0)
        return rc;
    *seq_out = cs->audit_seq + 1;
    memcpy(prev, cs->audit_head, HD_AUDIT_HASH_HEX);
    hd_casestore_audit_hash(hash, cs->audit_key, *seq_out, prev, entry);
    return 0;
}

void hd__audit_chain_advance(hd_casestore *cs, int64_t seq,
                             const char hash[HD_AUDIT_HASH_HEX])
{
    cs->audit_seq = seq;
    memcpy(cs->audit_head, hash, HD_AUDIT_HASH_HEX);
}

void hd__audit_chain_forget(hd_casestore *cs)
{
    cs->audit_head_known = false;
    cs->audit_seq = 0;
}

/* ------------------------------------------------------------ the reads */

typedef struct row_ctx {
    hd_audit_row_fn fn;
    void *payload;
} row_ctx;

static int take_row(const char *const *cols, int ncols, void *payload)
{
    row_ctx *ctx = payload;

    if (ncols < 14)
        return 0;
    hd_audit_row row = {
        .id = hd__sql_int(cols[0]),
        .seq = hd__sql_int(cols[1]),
        .prev_hash = cols[2],
        .entry_hash = cols[3],
        .entry =
            {
                .at = hd__sql_int(cols[4]),
                .actor = cols[5],
                .role = cols[6],
                .region = cols[7],
                .action = cols[8],
                .case_no = cols[9],
                .persons = cols[10],
                .feeds = cols[11],
                .authorizations = cols[12],
                .outcome = cols[13],
            },
    };
    return ctx->fn(&row, ctx->payload);
}

int hd_casestore_audit_chain(hd_casestore *cs, hd_audit_row_fn fn,
                             void *payload, hd_error *err)
{
    row_ctx ctx = {fn, payload};

    if (!fn)
        return hd_error_set(err, HD_EINVAL, "case store: no callback");
    return hd__sql_each(cs, take_row, &ctx, err, sql_chain, "");
}

int hd_casestore_audit_by_hash(hd_casestore *cs, const char *entry_hash,
                               hd_audit_row_fn fn, void *payload, hd_error *err)
{
    row_ctx ctx = {fn, payload};

    if (!fn || !entry_hash)
        return hd_error_set(err, HD_EINVAL, "case store: no hash to find");
    return hd__sql(cs, take_row, &ctx, NULL, err, sql_by_hash, "s", entry_hash);
}

static int take_count(const char *const *cols, int ncols, void *payload)
{
    *(int64_t *)payload = ncols > 0 ? hd__sql_int(cols[0]) : 0;
    return 0;
}

int hd_casestore_audit_unchained(hd_casestore *cs, int64_t *count_out,
                                 hd_audit_row_fn fn, void *payload,
                                 hd_error *err)
{
    row_ctx ctx = {fn, payload};
    int rc;

    *count_out = 0;
    rc = hd__sql(cs, take_count, count_out, NULL, err, sql_unchained_count, "");
    if (rc == 0 && fn && *count_out > 0)
        rc = hd__sql_each(cs, take_row, &ctx, err, sql_unchained_late, "");
    return rc;
}

int hd_casestore_audit_search(hd_casestore *cs, const hd_audit_filter *filter,
                              int64_t offset, int64_t limit, int64_t *total_out,
                              hd_audit_row_fn fn, void *payload, hd_error *err)
{
    static const hd_audit_filter none = {0};
    const hd_audit_filter *f = filter ? filter : &none;
    row_ctx ctx = {fn, payload};
    char like[HD_AUDIT_HASH_HEX + 8];
    const char *person = NULL;
    int rc = 0;

    if (offset < 0 || limit < 0)
        return hd_error_set(err, HD_EINVAL,
                            "case store: negative offset or limit");
    if (f->person_hash) {
        /* Persons are a JSON array of hashes: the hash in quotes is one
         * whole element. Hashes are hex: nothing in them is a wildcard. */
        if (strlen(f->person_hash) > HD_AUDIT_HASH_HEX - 1 ||
            strpbrk(f->person_hash, "%_\\\""))
            return hd_error_set(err, HD_EINVAL, "case store: bad person hash");
        snprintf(like, sizeof(like), "%%\"%s\"%%", f->person_hash);
        person = like;
    }
    if (total_out) {
        *total_out = 0;
        rc = hd__sql(cs, take_count, total_out, NULL, err, sql_search_count,
                     "ssssii", person, f->actor, f->case_no, f->action, f->from,
                     f->to);
    }
    if (rc == 0 && fn && limit > 0)
        rc = hd__sql_each(cs, take_row, &ctx, err, sql_search, "ssssiiii",
                          person, f->actor, f->case_no, f->action, f->from,
                          f->to, limit, offset);
    return rc;
}
