/*
 * hedui consent: authorizations (spec feeds.md, "Applications and
 * authorizations") and their signatures.
 *
 * An authorization is one person's consent to have department data read
 * for some programs (purpose) and feeds (scope) over a validity period.
 * The node that records one signs it with its Ed25519 key over the
 * canonical JSON (RFC 8785) of its other fields; a record signed by
 * another node is accepted only when the signature verifies against the
 * trust list.
 */
#ifndef HEDUI_CONSENT_H
#define HEDUI_CONSENT_H

#include <hedui/feed.h>
#include <hedui/std.h>

/* ------------------------------------------------------- authorizations */

/*
 * One person's consent (feeds.md). purposes: bit (1 << hd_program) for
 * each known program named (unknown purposes are kept in the stored JSON
 * but grant nothing here). scope: every feed ("*"), or bit (1 << feed id)
 * per feed named.
 */
typedef struct hd_authorization {
    char authorization_id[64];
    char pid[19];
    char signed_by[19];
    uint32_t purposes;
    bool scope_all;
    uint32_t scope_feeds;
    int32_t valid_from;  /* days since 1970, inclusive */
    int32_t valid_until; /* inclusive */
    char issued_by[7];
    bool revoked; /* revoked before the read: grants nothing */
} hd_authorization;

/* The feeds a verification reads: every feed of feeds.md but
 * `unemployment` (rules.md section 7). Bit (1 << feed id). */
uint32_t hd_verify_feed_mask(void);

/*
 * The consent gate's test for one person: does `auth` cover `pid`, the
 * program, every feed of `feed_mask`, on `on` (both ends of the validity
 * inclusive), unrevoked?
 */
bool hd_authorization_covers(const hd_authorization *auth, const char *pid,
                             hd_program program, uint32_t feed_mask,
                             int32_t on);

#endif
