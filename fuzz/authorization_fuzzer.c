/*
 * Fuzz target for authorizations: hd_authorization_parse on arbitrary
 * bytes. A record it takes must sign and verify, its stored (canonical,
 * signed) form must parse to the same authorization, and canonicalising
 * that form again must give the same bytes (RFC 8785 is idempotent).
 */
#include <hedui/consent.h>

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static hd_node_key key;
    static bool have_key;
    hd_authorization_doc doc, again;
    hd_buf stored, restored;
    hd_error err;
    int rc;

    if (!have_key) {
        uint8_t seed[HD_ED25519_SEED_LEN];
        memset(seed, 7, sizeof(seed));
        if (hd_node_key_from_seed(&key, seed, NULL))
            abort();
        have_key = true;
    }
    hd_authorization_doc_init(&doc);
    hd_authorization_doc_init(&again);
    hd_buf_init(&stored, 0);
    hd_buf_init(&restored, 0);
    hd_error_clear(&err);
    rc = hd_authorization_parse(&doc, (const char *)data, size, &err);
    if (rc) {
        if ((rc != HD_EDATA && rc != HD_ENOMEM) || err.msg[0] == '\0')
            abort();
        goto out;
    }
    if (doc.auth.valid_from > doc.auth.valid_until ||
        strlen(doc.auth.pid) != HD_PID_LEN || doc.canonical.len == 0 ||
        (!doc.auth.scope_all && doc.auth.scope_feeds == 0))
        abort();
    if (hd_authorization_sign(&doc, &key, &err) ||
        hd_authorization_verify(&doc, &key, NULL, NULL, &err) ||
        hd_authorization_signed_json(&stored, &doc, &err))
        abort();
    if (hd_authorization_parse(&again, stored.ptr, stored.len, &err) ||
        memcmp(&again.auth, &doc.auth, sizeof(doc.auth)) ||
        strcmp(again.signature, doc.signature) ||
        hd_authorization_verify(&again, &key, NULL, NULL, &err) ||
        hd_authorization_signed_json(&restored, &again, &err) ||
        restored.len != stored.len ||
        memcmp(restored.ptr, stored.ptr, stored.len))
        abort();
out:
    hd_buf_release(&stored);
    hd_buf_release(&restored);
    hd_authorization_doc_release(&doc);
    hd_authorization_doc_release(&again);
    return 0;
}
