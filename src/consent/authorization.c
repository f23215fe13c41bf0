/*
 * Authorizations (spec feeds.md "Applications and authorizations"): the
 * record, its signature, and the consent gate's test.
 *
 * The signature covers the canonical JSON (RFC 8785) of every member but
 * `signature`, members hedui does not know included, and of the record as
 * written (a pid with a lowercase x is signed as written; the store's pid
 * column holds it normalised).
 */
#include "consent/consent_int.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

uint32_t hd_verify_feed_mask(void)
{
    uint32_t mask = 0;

    for (int i = 0; i < hd_feed_count; i++)
        if (strcmp(hd_feeds[i].name, "unemployment"))
            mask |= 1u << hd_feeds[i].id;
    return mask;
}

bool hd_authorization_covers(const hd_authorization *auth, const char *pid,
                             hd_program program, uint32_t feed_mask, int32_t on)
{
    if (auth->revoked || strcmp(auth->pid, pid))
        return false;
    if ((unsigned)program >= 32 || !(auth->purposes & (1u << program)))
        return false;
    if (!auth->scope_all && (auth->scope_feeds & feed_mask) != feed_mask)
        return false;
    return auth->valid_from <= on && on <= auth->valid_until;
}

/* ------------------------------------------------------------- parsing */

void hd_authorization_doc_init(hd_authorization_doc *doc)
{
    memset(doc, 0, sizeof(*doc));
    hd_buf_init(&doc->canonical, 1 << 20);
    hd_buf_init(&doc->purposes, 1 << 16);
    hd_buf_init(&doc->scope, 1 << 16);
}

void hd_authorization_doc_release(hd_authorization_doc *doc)
{
    json_decref(doc->json);
    doc->json = NULL;
    hd_buf_release(&doc->canonical);
    hd_buf_release(&doc->purposes);
    hd_buf_release(&doc->scope);
}

static int bad(hd_error *err, const char *field, const char *reason)
{
    hd_error_clear(err);
    hd_error_set(err, HD_EDATA, "%s", reason);
    hd_error_at(err, NULL, 0, 0, field);
    return HD_EDATA;
}

static int bad_at(hd_error *err, const char *field, size_t i,
                  const char *reason)
{
    char name[HD_ERROR_FIELD_MAX];

    snprintf(name, sizeof(name), "%s[%zu]", field, i);
    return bad(err, name, reason);
}

/* A string member; NULL (and the error set) when absent or another type. */
static const char *string_member(json_t *root, const char *key, size_t *len,
                                 hd_error *err)
{
    json_t *v = json_object_get(root, key);

    if (!json_is_string(v)) {
        bad(err, key, v ? "not a string" : "missing");
        return NULL;
    }
    *len = json_string_length(v);
    return json_string_value(v);
}

static int read_pid(char out[HD_PID_LEN + 1], json_t *root, const char *key,
                    hd_error *err)
{
    size_t len;
    const char *s = string_member(root, key, &len, err);
    hd_pid_rule rule;

    if (!s)
        return HD_EDATA;
    rule = hd_pid_normalize(out, s, len, NULL);
    return rule == HD_PID_OK ? 0 : bad(err, key, hd_pid_rule_name(rule));
}

static int read_date(int32_t *out, json_t *root, const char *key, hd_error *err)
{
    size_t len;
    const char *s = string_member(root, key, &len, err);

    if (!s)
        return HD_EDATA;
    if (hd_date_parse(out, s, len, NULL))
        return bad(err, key, "not a date (YYYY-MM-DD)");
    return 0;
}

static int read_purposes(hd_authorization_doc *doc, json_t *root, hd_error *err)
{
    json_t *arr = json_object_get(root, "purpose"), *v;
    size_t i;

    if (!json_is_array(arr))
        return bad(err, "purpose", arr ? "not an array" : "missing");
    if (json_array_size(arr) == 0)
        return bad(err, "purpose", "no purpose");
    json_array_foreach(arr, i, v)
    {
        const char *s = json_string_value(v);
        int program;
        if (!s)
            return bad_at(err, "purpose", i, "not a string");
        if (i)
            hd_buf_putc(&doc->purposes, ',');
        hd_buf_append(&doc->purposes, s, json_string_length(v));
        program = hd_program_find(s, json_string_length(v));
        if (program >= 0)
            doc->auth.purposes |= 1u << program;
    }
    return 0;
}

static int read_scope(hd_authorization_doc *doc, json_t *root, hd_error *err)
{
    json_t *arr = json_object_get(root, "scope"), *v;
    size_t i;

    if (!json_is_array(arr))
        return bad(err, "scope", arr ? "not an array" : "missing");
    if (json_array_size(arr) == 0)
        return bad(err, "scope", "no scope");
    json_array_foreach(arr, i, v)
    {
        const char *s = json_string_value(v);
        const hd_feed *feed;
        if (!s)
            return bad_at(err, "scope", i, "not a string");
        if (!strcmp(s, "*")) {
            doc->auth.scope_all = true;
        } else {
            feed = hd_feed_find_n(s, json_string_length(v));
            if (!feed)
                return bad_at(err, "scope", i, "unknown feed");
            doc->auth.scope_feeds |= 1u << feed->id;
        }
        if (i)
            hd_buf_putc(&doc->scope, ',');
        hd_buf_append(&doc->scope, s, json_string_length(v));
    }
    if (doc->auth.scope_all) {
        hd_buf_reset(&doc->scope);
        hd_buf_putc(&doc->scope, '*');
    }
    return 0;
}

static int read_fields(hd_authorization_doc *doc, json_t *root, hd_error *err)
{
    hd_authorization *a = &doc->auth;
    const char *s;
    json_t *sig;
    size_t len;
    int rc;

    s = string_member(root, "authorization_id", &len, err);
    if (!s)
        return HD_EDATA;
    if (len == 0 || len >= sizeof(a->authorization_id) || strlen(s) != len)
        return bad(err, "authorization_id", "empty or longer than 63 bytes");
    for (size_t i = 0; i < len; i++)
        if ((unsigned char)s[i] < 0x20 || s[i] == ',')
            return bad(err, "authorization_id",
                       "holds a control character or a comma");
    memcpy(a->authorization_id, s, len + 1);
    if ((rc = read_pid(a->pid, root, "pid", err)) != 0 ||
        (rc = read_pid(a->signed_by, root, "signed_by", err)) != 0 ||
        (rc = read_purposes(doc, root, err)) != 0 ||
        (rc = read_scope(doc, root, err)) != 0 ||
        (rc = read_date(&a->valid_from, root, "valid_from", err)) != 0 ||
        (rc = read_date(&a->valid_until, root, "valid_until", err)) != 0)
        return rc;
    if (a->valid_until < a->valid_from)
        return bad(err, "valid_until", "before valid_from");
    s = string_member(root, "issued_by", &len, err);
    if (!s)
        return HD_EDATA;
    if (!hd_region_code_valid(s, len))
        return bad(err, "issued_by", "not a 6-digit division code");
    memcpy(a->issued_by, s, 6);
    a->issued_by[6] = '\0';

    sig = json_object_get(root, "signature");
    if (sig && !json_is_null(sig)) {
        if (!json_is_string(sig))
            return bad(err, "signature", "not a string");
        if (json_string_length(sig) >= sizeof(doc->signature))
            return bad(err, "signature", "not an Ed25519 signature");
        memcpy(doc->signature, json_string_value(sig),
               json_string_length(sig) + 1);
    }
    return 0;
}

int hd_authorization_parse(hd_authorization_doc *doc, const char *json,
                           size_t len, hd_error *err)
{
    json_error_t jerr;
    json_t *root;
    int rc;

    json_decref(doc->json);
    doc->json = NULL;
    memset(&doc->auth, 0, sizeof(doc->auth));
    doc->signature[0] = '\0';
    hd_buf_reset(&doc->canonical);
    hd_buf_reset(&doc->purposes);
    hd_buf_reset(&doc->scope);

    root = json_loadb(json, len, JSON_REJECT_DUPLICATES, &jerr);
    if (!root)
        return hd_error_set(err, HD_EDATA, "not JSON: %s (column %d)",
                            jerr.text, jerr.column);
    doc->json = root;
    if (!json_is_object(root))
        return bad(err, NULL, "not a JSON object");
    rc = read_fields(doc, root, err);
    if (rc)
        return rc;
    if (hd_buf_error(&doc->purposes) || hd_buf_error(&doc->scope))
        return hd_error_set(err,
                            hd_buf_error(&doc->purposes)
                                ? hd_buf_error(&doc->purposes)
                                : hd_buf_error(&doc->scope),
                            "purpose or scope too long");
    return hd__json_canonical(&doc->canonical, root, "signature", err);
}

/* ----------------------------------------------------------- signatures */

int hd_authorization_sign(hd_authorization_doc *doc, const hd_node_key *key,
                          hd_error *err)
{
    unsigned char sig[crypto_sign_BYTES];
    json_t *s;

    if (!doc->json || doc->canonical.len == 0)
        return hd_error_set(err, HD_EINVAL, "no record to sign");
    crypto_sign_detached(sig, NULL, (const unsigned char *)doc->canonical.ptr,
                         doc->canonical.len, key->secret_key);
    sodium_bin2base64(doc->signature, sizeof(doc->signature), sig, sizeof(sig),
                      sodium_base64_VARIANT_ORIGINAL);
    s = json_string(doc->signature);
    if (!s || json_object_set_new(doc->json, "signature", s))
        return hd_error_set(err, HD_ENOMEM, "out of memory");
    return 0;
}

static bool verifies(const unsigned char sig[crypto_sign_BYTES],
                     const hd_authorization_doc *doc, const uint8_t *pk)
{
    return crypto_sign_verify_detached(
               sig, (const unsigned char *)doc->canonical.ptr,
               doc->canonical.len, pk) == 0;
}

/* Key k of the keys tried: 0 the node's own, i + 1 trust key i. */
static const uint8_t *key_at(const hd_node_key *own, const hd_trust_list *trust,
                             size_t k, const char **id)
{
    if (k == 0) {
        *id = own ? own->node_id : NULL;
        return own ? own->public_key : NULL;
    }
    if (!trust || k - 1 >= trust->count)
        return NULL;
    *id = trust->keys[k - 1].node_id;
    return trust->keys[k - 1].public_key;
}

int hd_authorization_verify(hd_authorization_doc *doc, const hd_node_key *own,
                            const hd_trust_list *trust, const char **signer,
                            hd_error *err)
{
    unsigned char sig[crypto_sign_BYTES];
    size_t sig_len = 0, keys = 1 + (trust ? trust->count : 0);
    const char *end = NULL;

    if (sodium_base642bin(sig, sizeof(sig), doc->signature,
                          strlen(doc->signature), NULL, &sig_len, &end,
                          sodium_base64_VARIANT_ORIGINAL) != 0 ||
        sig_len != sizeof(sig) || *end != '\0')
        return bad(err, "signature", "not an Ed25519 signature in base64");
    if (doc->canonical.len == 0)
        return hd_error_set(err, HD_EINVAL, "no record to verify");
    if (doc->key_hint >= keys)
        doc->key_hint = 0;
    for (size_t n = 0; n < keys; n++) {
        size_t k = (doc->key_hint + n) % keys;
        const char *id = NULL;
        const uint8_t *pk = key_at(own, trust, k, &id);
        if (pk && verifies(sig, doc, pk)) {
            doc->key_hint = k;
            if (signer)
                *signer = id;
            return 0;
        }
    }
    return bad(err, "signature", "does not verify against a trusted key");
}

int hd_authorization_accept(hd_authorization_doc *doc, const hd_node_key *own,
                            const hd_trust_list *trust, hd_error *err)
{
    if (doc->signature[0] == '\0')
        return hd_authorization_sign(doc, own, err);
    return hd_authorization_verify(doc, own, trust, NULL, err);
}

int hd_authorization_signed_json(hd_buf *out, const hd_authorization_doc *doc,
                                 hd_error *err)
{
    if (!doc->json)
        return hd_error_set(err, HD_EINVAL, "no record");
    return hd__json_canonical(out, doc->json, NULL, err);
}

/* ------------------------------------------------------------ store rows */

void hd_authorization_row(hd_consent_row *row, const hd_authorization_doc *doc,
                          char dates[2][HD_DATE_TEXT_MAX],
                          const char *signed_json, int64_t recorded_at)
{
    memset(row, 0, sizeof(*row));
    row->authorization_id = doc->auth.authorization_id;
    row->pid = doc->auth.pid;
    row->signed_by = doc->auth.signed_by;
    row->purposes = doc->purposes.ptr;
    row->scope = doc->scope.ptr;
    row->valid_from = doc->auth.valid_from;
    row->valid_until = doc->auth.valid_until;
    row->issued_by = doc->auth.issued_by;
    row->json = signed_json;
    row->recorded_at = recorded_at;
    hd_date_format(dates[0], doc->auth.valid_from);
    hd_date_format(dates[1], doc->auth.valid_until);
}

static void copy_text(char *dst, size_t dst_len, const char *s)
{
    size_t len = s ? strnlen(s, dst_len - 1) : 0;
    memcpy(dst, s ? s : "", len);
    dst[len] = '\0';
}

int hd_authorization_from_row(hd_authorization *out, const hd_consent_row *row,
                              hd_error *err)
{
    const char *p;

    memset(out, 0, sizeof(*out));
    copy_text(out->authorization_id, sizeof(out->authorization_id),
              row->authorization_id);
    copy_text(out->pid, sizeof(out->pid), row->pid);
    copy_text(out->signed_by, sizeof(out->signed_by), row->signed_by);
    copy_text(out->issued_by, sizeof(out->issued_by), row->issued_by);
    out->valid_from = row->valid_from;
    out->valid_until = row->valid_until;
    out->revoked = row->revoked_at != 0;
    for (p = row->purposes ? row->purposes : ""; *p;) {
        const char *end = strchr(p, ',');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        int program = hd_program_find(p, len);
        if (program >= 0)
            out->purposes |= 1u << program;
        p += len + (end != NULL);
    }
    for (p = row->scope ? row->scope : ""; *p;) {
        const char *end = strchr(p, ',');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        const hd_feed *feed;
        if (len == 1 && *p == '*') {
            out->scope_all = true;
        } else {
            feed = hd_feed_find_n(p, len);
            if (!feed)
                return bad(err, "scope", "unknown feed in a stored scope");
            out->scope_feeds |= 1u << feed->id;
        }
        p += len + (end != NULL);
    }
    return 0;
}
