/*
 * The audit chain (src/audit): checking that the audit log is the one
 * that was written, and searching it.
 *
 * Every entry of the audit log is chained when written (store.h, "the
 * audit chain"): its seq, the hash of the entry before it and its own
 * hash, keyed with the node's audit key. hd_audit_verify walks the whole
 * chain in seq order, in bounded memory, and names each problem: an
 * entry altered, removed, inserted or reordered (docs/audit.md says how
 * each is told from the others, and where the classification cannot
 * tell). Entries written before the chain existed (schema 2) are counted,
 * not checked.
 *
 * Threads: as the case store handle (one thread).
 */
#ifndef HEDUI_AUDIT_H
#define HEDUI_AUDIT_H

#include <hedui/store.h>

typedef enum hd_audit_kind {
    HD_AUDIT_ALTERED,   /* an entry's content or hash was changed */
    HD_AUDIT_REMOVED,   /* entries are missing (or the chain was cut) */
    HD_AUDIT_INSERTED,  /* an entry that was never chained, or a copy */
    HD_AUDIT_REORDERED, /* a genuine entry stands at another seq */
} hd_audit_kind;

/* "altered", "removed", "inserted", "reordered". */
const char *hd_audit_kind_name(hd_audit_kind kind);

/*
 * One problem found. `seq` is where it stands in the log as stored: the
 * entry's seq column (0 for an entry without one), or the first seq
 * missing. `id` is the entry's row id (0 for a removal).
 *   removed:   seq..seq_end are missing; before/after name the seqs of
 *              the entries around the gap (0: none).
 *   reordered: the entry at `seq` belongs at `seq_end`; `count` entries
 *              in a row are moved by the same amount (a renumbering),
 *              the first of them named.
 *   inserted:  `seq_end` is the seq of the entry it copies, or 0.
 * `detail` says why, in words.
 */
typedef struct hd_audit_problem {
    hd_audit_kind kind;
    int64_t seq;
    int64_t id;
    int64_t seq_end;
    int64_t count;
    int64_t before, after;
    char detail[192];
} hd_audit_problem;

/* What a verification saw. */
typedef struct hd_audit_report {
    int64_t entries;   /* chained entries read */
    int64_t unchained; /* entries without chain columns (schema 2) */
    int64_t head_seq;  /* the last entry as stored (0: none) */
    char head_hash[HD_AUDIT_HASH_HEX];
    int64_t problems;
    bool has_first;
    hd_audit_problem first; /* the problem that stands first in the log */
} hd_audit_report;

/*
 * Verify the audit chain of `cs` with the audit key `key` (the key the
 * entries were written with: hd_node_key_derive(.., "hedui audit chain
 * key")). `expect_seq` and `expect_hash` (0 and NULL: none) are a head
 * seen earlier and kept elsewhere: the chain must still hold that entry,
 * which shows entries cut off its end. Each problem goes to fn (may be
 * NULL) as it is found (removals last); *out gets the counts, the head
 * and the problem standing first. Returns 0 when the walk completed,
 * whatever it found (out->problems says), or an error of the store.
 */
int hd_audit_verify(hd_audit_report *out, hd_casestore *cs,
                    const uint8_t key[32], int64_t expect_seq,
                    const char *expect_hash,
                    void (*fn)(const hd_audit_problem *problem, void *payload),
                    void *payload, hd_error *err);

/* The most entries one search gives. */
#define HD_AUDIT_SEARCH_MAX 1000

/*
 * Search the trail for the auditors: entries matching every field set
 * in `filter`, newest first, `offset` skipped, at most `limit` (1 to
 * HD_AUDIT_SEARCH_MAX) to fn; *total_out (may be NULL) gets how many
 * match. The person is a keyed hash as the entries hold it (32 hex
 * digits: hd_audit_person_hash, which callers apply to the citizen ID,
 * since this module sits below verify). HD_EINVAL for a bad filter.
 */
int hd_audit_search(hd_casestore *cs, const hd_audit_filter *filter,
                    int64_t offset, int64_t limit, int64_t *total_out,
                    hd_audit_row_fn fn, void *payload, hd_error *err);

#endif
