/*
 * Does the feed store hold what the verification is to read? A node's
 * front-end servers each read their own copy of the feed store, installed
 * after each delivery (docs/deploy.md), and share one case store. A copy
 * not yet refreshed would verify on old records without anyone noticing:
 * it is refused here, as is the replay of a verification that read
 * deliveries this copy does not have.
 */
#include "verify/dossier_int.h"

#include <string.h>

typedef struct accepted_seq {
    const char *missing; /* delivery id to find */
    uint32_t max_seq;    /* highest seq accepted */
    uint32_t missing_seq;
} accepted_seq;

static int note_log(const hd_ingest_log *log, void *payload)
{
    accepted_seq *a = payload;

    if (!log->accepted)
        return 0;
    if (log->seq > a->max_seq)
        a->max_seq = log->seq;
    if (!strcmp(log->delivery_id, a->missing))
        a->missing_seq = log->seq;
    return 0;
}

/* The case store knows a delivery the feed store lacks: say how far
 * behind the feed store is. */
static int refuse(const hd_verify_env *env, const char *missing, hd_error *err)
{
    accepted_seq a = {missing, 0, 0};
    uint32_t latest = 0;
    int rc;

    rc = hd_casestore_ingest_logs(env->cs, note_log, &a, err);
    if (rc == 0)
        rc = hd_feedstore_latest(&latest, env->fs, err);
    if (rc)
        return rc;
    if (a.max_seq > latest)
        return hd_error_set(err, HD_ENOTFOUND,
                            "the feed store is behind the case store: it "
                            "holds deliveries up to seq %u, the case store "
                            "has accepted deliveries up to seq %u; install a "
                            "newer snapshot (hedui feeds install)",
                            latest, a.max_seq);
    return hd_error_set(err, HD_ENOTFOUND,
                        "the feed store does not match the case store: it "
                        "lacks delivery %s (seq %u); install a snapshot of "
                        "this node's feed store (hedui feeds install)",
                        missing, a.missing_seq);
}

int hd__verify_feeds_current(const hd_verify_env *env, hd_error *err)
{
    hd_feed_status st[32];
    hd_error lookup;
    int rc;

    if (hd_feed_count > 32)
        return hd_error_set(err, HD_EINVAL, "too many feeds");
    rc = hd_casestore_feed_status(env->cs, st, hd_feed_count, err);
    if (rc)
        return rc;
    /* The latest delivery the case store has accepted is the last
     * delivery of each feed it holds, so it is among these; a delivery
     * with no feed changes no record. One lookup per feed, however many
     * deliveries there are. */
    for (int i = 0; i < hd_feed_count; i++) {
        hd_fs_delivery d;
        if (!st[i].deliveries)
            continue;
        hd_error_clear(&lookup);
        rc =
            hd_feedstore_delivery(&d, env->fs, st[i].last_delivery_id, &lookup);
        if (rc == HD_ENOTFOUND)
            return refuse(env, st[i].last_delivery_id, err);
        if (rc) {
            if (err)
                *err = lookup;
            return rc;
        }
    }
    return 0;
}

int hd__verify_view_present(const hd_verify_env *env, hd_error *err)
{
    if (env->view_seq && env->max_seq < env->view_seq)
        return hd_error_set(err, HD_ENOTFOUND,
                            "the feed store holds deliveries up to seq %u, "
                            "the verification read deliveries up to seq %u; "
                            "install a newer snapshot (hedui feeds install)",
                            env->max_seq, env->view_seq);
    return 0;
}
