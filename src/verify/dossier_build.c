/*
 * Building one family's dossier from the feed store, and the parts of it
 * that the roll shares: which delivery each feed is read from, and the
 * liveness records of spouses that members' marriage rows name.
 *
 * Only feeds a verification reads are taken (every feed but
 * `unemployment`): an authorization need not cover the others, so they
 * are never read.
 */
#include "verify/dossier_int.h"

#include <stdio.h>
#include <string.h>

static int note_delivery(const hd_fs_delivery *del, void *payload)
{
    hd_verify_env *env = payload;

    if (env->view_seq && del->seq > env->view_seq)
        return 1;
    for (int id = 0; id < 32; id++) {
        hd_feed_source *src = &env->feeds[id];
        if (!(del->feed_mask & (1u << id)))
            continue;
        src->delivered = true;
        src->seq = del->seq;
        src->as_of = del->as_of;
        snprintf(src->delivery_id, sizeof(src->delivery_id), "%s",
                 del->delivery_id);
    }
    env->max_seq = del->seq;
    return 0;
}

int hd_verify_env_prepare(hd_verify_env *env, hd_error *err)
{
    int rc;

    memset(env->feeds, 0, sizeof(env->feeds));
    env->max_seq = 0;
    if (!env->view_seq && env->cs) {
        rc = hd__verify_feeds_current(env, err);
        if (rc)
            return rc;
    }
    rc = hd_feedstore_deliveries(env->fs, note_delivery, env, err);
    if (rc < 0)
        return rc;
    return hd__verify_view_present(env, err);
}

typedef struct add_ctx {
    hd_dossier *d;
    int member;
    uint32_t only_mask; /* feeds to take */
    int64_t *records_read;
    hd_error *err;
} add_ctx;

static int add_record(const hd_record *rec, void *payload)
{
    add_ctx *ctx = payload;

    if (!(ctx->only_mask & (1u << rec->row.feed->id)))
        return 0;
    if (ctx->records_read)
        (*ctx->records_read)++;
    return hd_dossier_add(ctx->d, ctx->member, &rec->row, rec->delivery_seq,
                          rec->delivery_id, ctx->err);
}

int hd__dossier_add_person(hd_dossier *d, const hd_verify_env *env, int member,
                           const char *pid, uint32_t only_mask,
                           int64_t *records_read, hd_error *err)
{
    hd_fs_view view = {env->max_seq};
    add_ctx ctx = {d, member, only_mask, records_read, err};
    int rc = hd_feedstore_person(env->fs, view, pid, add_record, &ctx, err);
    return rc < 0 ? rc : 0;
}

static bool is_member(const hd_application *app, const char *pid)
{
    for (int m = 0; m < app->member_count; m++)
        if (!strcmp(app->members[m].pid, pid))
            return true;
    return false;
}

int hd__dossier_add_spouses(hd_dossier *d, const hd_verify_env *env,
                            hd_fs_reader *rd, int64_t *records_read,
                            hd_error *err)
{
    const hd_feed *marriage = hd_feed_find("marriage");
    const hd_feed *hukou = hd_feed_find("hukou");
    const hd_feed *death = hd_feed_find("death");
    int spouse_col = hd_feed_column(marriage, "spouse_pid");
    size_t member_records = d->record_count;
    uint32_t mask = (1u << hukou->id) | (1u << death->id);

    for (size_t i = 0; i < member_records; i++) {
        const hd_dossier_record *rec = &d->records[i];
        const hd_value *v;
        char pid[19];
        bool seen = false;

        if (rec->feed != marriage || rec->member < 0)
            continue;
        v = &rec->row.values[spouse_col];
        if (v->is_null || v->len != 18)
            continue;
        memcpy(pid, v->text, 18);
        pid[18] = '\0';
        if (is_member(d->app, pid))
            continue;
        /* Each spouse once, however many rows name them. */
        for (size_t j = 0; j < i && !seen; j++) {
            const hd_dossier_record *o = &d->records[j];
            seen = o->feed == marriage && o->member >= 0 &&
                   !o->row.values[spouse_col].is_null &&
                   o->row.values[spouse_col].len == 18 &&
                   !memcmp(o->row.values[spouse_col].text, pid, 18);
        }
        if (seen)
            continue;
        int rc;
        if (rd) {
            add_ctx ctx = {d, -1, mask, records_read, err};
            rc = hd_feedstore_reader_person(rd, pid, mask, add_record, &ctx,
                                            err);
            rc = rc < 0 ? rc : 0;
        } else {
            rc = hd__dossier_add_person(d, env, -1, pid, mask, records_read,
                                        err);
        }
        if (rc)
            return rc;
    }
    return 0;
}
