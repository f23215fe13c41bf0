/*
 * Policy versions in the case store: each import stores the whole policy
 * then in force, in the store's JSON form, so that a result can name the
 * one version it was computed with and be replayed against it.
 */
#include "policy/policy_int.h"

#include <hedui/store.h>

#include <stdio.h>
#include <string.h>

int hd_policy_store_load(hd_policy **out, hd_casestore *cs, int64_t version,
                         hd_error *err)
{
    char *content = NULL;
    char name[64];
    int64_t got = 0;
    int rc;

    *out = NULL;
    rc = hd_casestore_policy_get(cs, &content, &got, version, err);
    if (rc)
        return rc;
    snprintf(name, sizeof(name), "policy version %lld", (long long)got);
    rc = hd_policy_store_parse(out, name, content, strlen(content), err);
    if (rc == 0)
        (*out)->version = got;
    hd_free(content);
    return rc;
}

int hd_policy_store_import(int64_t *version_out, hd_casestore *cs,
                           const hd_policy *imported, const char *source,
                           int64_t now, hd_error *err)
{
    hd_policy *current = NULL, *merged = NULL;
    char hex[HD_SHA256_HEX_LEN + 1];
    hd_sha256 sha;
    hd_buf buf;
    int rc;

    *version_out = 0;
    hd_buf_init(&buf, HD_BUF_DEFAULT_MAX);
    rc = hd_policy_store_load(&current, cs, 0, err);
    if (rc == HD_ENOTFOUND) {
        hd_error_clear(err);
        rc = 0;
    }
    if (rc)
        goto out;
    if ((rc = hd_policy_merge(&merged, current, imported, err)) != 0)
        goto out;
    if ((rc = hd_policy_store_write(&buf, merged, err)) != 0)
        goto out;
    hd_sha256_init(&sha);
    hd_sha256_update(&sha, buf.ptr, buf.len);
    hd_sha256_final_hex(&sha, hex);
    rc = hd_casestore_policy_put(cs, version_out, source ? source : "", hex,
                                 buf.ptr, now, err);
out:
    hd_policy_free(current);
    hd_policy_free(merged);
    hd_buf_release(&buf);
    return rc;
}
