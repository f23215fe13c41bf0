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
#include <hedui/store.h>

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

/* ------------------------------------------------------- node key, trust */

#define HD_NODE_ID_MAX 32
#define HD_ED25519_PUBLIC_LEN 32
#define HD_ED25519_SECRET_LEN 64
#define HD_ED25519_SEED_LEN 32

/*
 * The node's Ed25519 key. The node id is "node-" and the first 16 hex
 * digits of the public key: short, stable, and derived from the key, so
 * that two nodes cannot claim one id with different keys by accident.
 */
typedef struct hd_node_key {
    char node_id[HD_NODE_ID_MAX];
    uint8_t public_key[HD_ED25519_PUBLIC_LEN];
    uint8_t secret_key[HD_ED25519_SECRET_LEN]; /* libsodium's: seed, public */
} hd_node_key;

/* The key of a 32-byte seed (tests, and the key file). HD_EINVAL when
 * libsodium cannot start. */
int hd_node_key_from_seed(hd_node_key *out,
                          const uint8_t seed[HD_ED25519_SEED_LEN],
                          hd_error *err);

/*
 * Load the node key from `path`, or create it there when the file does
 * not exist (*created true; a fresh random seed, the file made with
 * O_CREAT | O_EXCL and mode 0600). The file is the line
 * "hedui-node-key-1" and the seed as 64 hex digits on the next line.
 * Refused (HD_EINVAL) when the file is readable or writable by group or
 * others, HD_EDATA when it is not a key file, HD_EIO.
 */
int hd_node_key_load(hd_node_key *out, bool *created, const char *path,
                     hd_error *err);
/* Overwrite the secret with zeros. */
void hd_node_key_wipe(hd_node_key *key);

/* A 32-byte key for one purpose, derived from the node's secret (BLAKE2b
 * keyed with the seed, over `purpose`): stable for this node, useless to
 * anyone else, and one leaked key reveals neither the others nor the
 * signing key. The audit log's person hashes use "hedui audit person
 * key", its chain "hedui audit chain key". */
void hd_node_key_derive(uint8_t out[32], const hd_node_key *key,
                        const char *purpose);

/* The "<node id> <public key, base64>" line of this node, for other
 * nodes' trust lists (no line end). */
int hd_node_key_trust_line(hd_buf *out, const hd_node_key *key);

/* The keys of other nodes whose signatures are accepted. */
typedef struct hd_trusted_key {
    char node_id[HD_NODE_ID_MAX];
    uint8_t public_key[HD_ED25519_PUBLIC_LEN];
} hd_trusted_key;

typedef struct hd_trust_list {
    hd_trusted_key *keys;
    size_t count;
    size_t cap;
} hd_trust_list;

void hd_trust_list_init(hd_trust_list *tl);
void hd_trust_list_release(hd_trust_list *tl);
/*
 * Read a trust list file: one key a line, "<node id> <public key in
 * base64> <comment...>"; blank lines and lines starting with '#' are
 * skipped. HD_EDATA with err's file and line at a bad line, HD_EIO.
 */
int hd_trust_list_load(hd_trust_list *tl, const char *path, hd_error *err);
int hd_trust_list_add(hd_trust_list *tl, const char *node_id,
                      const uint8_t public_key[HD_ED25519_PUBLIC_LEN],
                      hd_error *err);

/* ------------------------------------------------- authorization records */

#define HD_SIGNATURE_B64_MAX 128 /* 88 characters for 64 bytes */

/*
 * One authorization record as read (feeds.md JSON) with what recording
 * it needs. Members other than those of feeds.md are kept: they are part
 * of what is signed and stored.
 */
typedef struct hd_authorization_doc {
    hd_authorization auth;
    void *json; /* the parsed object (jansson json_t), owned */
    char signature[HD_SIGNATURE_B64_MAX]; /* as given or made; "" none */
    hd_buf canonical; /* canonical JSON of every member but signature */
    hd_buf purposes;  /* the purpose names joined by ',', as given */
    hd_buf scope;     /* "*" or the feed names joined by ',' */
    /* The key that verified the last record parsed into this doc (0 the
     * node's own, i + 1 trust key i), tried first: records of one file
     * mostly come from one node, and each failed try costs a whole
     * verification. A parse keeps it. */
    size_t key_hint;
} hd_authorization_doc;

void hd_authorization_doc_init(hd_authorization_doc *doc);
void hd_authorization_doc_release(hd_authorization_doc *doc);

/*
 * Parse one record (the doc must have been initialised; it may be reused:
 * a parse replaces what it held). HD_EDATA with err's field naming the
 * member ("pid", "purpose[2]", "scope[0]", "valid_until", ...) and the
 * rule. Rules: authorization_id a non-empty string under 64 bytes;
 * pid and signed_by valid citizen IDs (normalised; the pid's GB 11643
 * rule is the reason); purpose a non-empty array of strings (names that
 * are not programs grant nothing); scope a non-empty array of "*" or
 * feed names (an unknown feed is an error); valid_from <= valid_until,
 * dates; issued_by a 6-digit division code; signature a string when
 * present; no number with a fraction anywhere. HD_ENOMEM.
 */
int hd_authorization_parse(hd_authorization_doc *doc, const char *json,
                           size_t len, hd_error *err);

/* Sign the canonical bytes with `key`, replacing any signature. */
int hd_authorization_sign(hd_authorization_doc *doc, const hd_node_key *key,
                          hd_error *err);

/*
 * Does the signature verify against `own` or a key of `trust` (may be
 * NULL)? 0, or HD_EDATA with field "signature". *signer (may be NULL)
 * gets the node id of the key that verified.
 */
int hd_authorization_verify(hd_authorization_doc *doc, const hd_node_key *own,
                            const hd_trust_list *trust, const char **signer,
                            hd_error *err);

/*
 * What a node does with a record it is to record (feeds.md): no
 * signature, sign it with `own` (the caller is a user allowed to record
 * authorizations); a signature, verify it (as hd_authorization_verify).
 */
int hd_authorization_accept(hd_authorization_doc *doc, const hd_node_key *own,
                            const hd_trust_list *trust, hd_error *err);

/*
 * Who may sign, checked when a user of the service records a record:
 * the signer is 18 or over on valid_from; a person signs for themself, a
 * guardian for a minor, or for an adult only with the member
 * "guardian_basis": "no_capacity" (the clerk's attestation, signed with
 * the record). HD_EDATA with field "signed_by". Imports from other nodes
 * are not held to it: their node checked its own users.
 */
int hd_authorization_check_signer(const hd_authorization_doc *doc,
                                  hd_error *err);

/* The canonical JSON with the signature: what the case store keeps. */
int hd_authorization_signed_json(hd_buf *out, const hd_authorization_doc *doc,
                                 hd_error *err);

/*
 * Fill a case store row from a parsed doc: texts borrowed from `doc` and
 * `dates` (which must outlive the row), json from `signed_json`.
 */
void hd_authorization_row(hd_consent_row *row, const hd_authorization_doc *doc,
                          char dates[2][HD_DATE_TEXT_MAX],
                          const char *signed_json, int64_t recorded_at);

/*
 * The authorization of a stored row (purposes and scope from their
 * columns; revoked when revoked_at is set). HD_EDATA when a column does
 * not hold what the store writes. Fast: a roll turns millions of rows
 * into authorizations with it.
 */
int hd_authorization_from_row(hd_authorization *out, const hd_consent_row *row,
                              hd_error *err);

#endif
