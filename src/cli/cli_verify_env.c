/* What `hedui verify` and `hedui report` share: the stores, the policy in
 * force, the node key behind the audit log's person hashes. */
#include "cli/cli.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int hd_cli_verify_open(hd_cli_verify *v, const hd_cli_globals *globals,
                       int64_t policy_version, hd_error *err)
{
    char feeds_buf[4096], key_buf[4096];
    const char *key_path = hd_cli_key_path(globals, key_buf, sizeof(key_buf));
    hd_node_key key;
    uint8_t audit_key[32];
    bool created;
    int rc;

    memset(v, 0, sizeof(*v));
    rc = hd_ingest_open(&v->ing, globals->db_path,
                        hd_cli_feeds_dir(globals, feeds_buf, sizeof(feeds_buf)),
                        err);
    if (rc)
        return rc;
    rc = hd_policy_store_load(&v->policy, hd_ingest_casestore(v->ing),
                              policy_version, err);
    if (rc == HD_ENOTFOUND)
        hd_error_set(err, rc,
                     "no policy in the case store: run `hedui "
                     "policy import` first");
    if (rc == 0)
        rc = hd_node_key_load(&key, &created, key_path, err);
    if (rc) {
        hd_cli_verify_close(v);
        return rc;
    }
    /* The audit log names persons by a hash keyed with a key derived from
     * the node's secret: stable for this node, useless to anyone else. */
    hd_node_key_derive(v->env.person_key, &key, "hedui audit person key");
    /* Every entry a verification or a report writes is chained with a
     * key of its own, derived likewise. */
    hd_node_key_derive(audit_key, &key, "hedui audit chain key");
    hd_casestore_set_audit_key(hd_ingest_casestore(v->ing), audit_key);
    sodium_memzero(audit_key, sizeof(audit_key));
    hd_node_key_wipe(&key);
    v->env.fs = hd_ingest_feedstore(v->ing);
    v->env.cs = hd_ingest_casestore(v->ing);
    v->env.policy = v->policy;
    v->env.now = hd_cli_now();
    v->env.record = true;
    snprintf(v->actor, sizeof(v->actor), "cli:uid=%d", (int)getuid());
    v->env.actor = v->actor;
    return 0;
}

void hd_cli_verify_close(hd_cli_verify *v)
{
    hd_policy_free(v->policy);
    hd_ingest_free(v->ing);
    sodium_memzero(v->env.person_key, sizeof(v->env.person_key));
    memset(v, 0, sizeof(*v));
}

typedef struct app_ctx {
    hd_application *app;
    int rc;
    hd_error *err;
} app_ctx;

static int take_application(const hd_application_row *row, void *payload)
{
    app_ctx *ctx = payload;
    ctx->rc =
        hd_application_parse(ctx->app, row->json, row->json_len, ctx->err);
    return 0;
}

int hd_cli_load_application(hd_application *app, hd_cli_verify *v,
                            const char *application_no, hd_error *err)
{
    app_ctx ctx = {app, 0, err};
    int rc = hd_casestore_application_get(v->env.cs, application_no,
                                          take_application, &ctx, err);
    return rc ? rc : ctx.rc;
}
