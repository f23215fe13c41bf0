/*
 * One case from the stores: gate, dossier, parameters, verification,
 * and (with env->record) the verification and its audit entry written
 * together in one case-store transaction.
 */
#include "verify/dossier_int.h"

#include <stdio.h>
#include <string.h>

typedef struct consent_ctx {
    hd_authorization *auths;
    size_t count;
    size_t cap;
    hd_error *err;
} consent_ctx;

static int take_consent(const hd_consent_row *row, void *payload)
{
    consent_ctx *ctx = payload;

    if (ctx->count == ctx->cap) {
        size_t cap = ctx->cap ? ctx->cap * 2 : 16;
        hd_authorization *p = hd_realloc(ctx->auths, cap * sizeof(*p));
        if (!p)
            return hd_error_set(ctx->err, HD_ENOMEM, "out of memory");
        ctx->auths = p;
        ctx->cap = cap;
    }
    /* A row the gate cannot read grants nothing. */
    if (hd_authorization_from_row(&ctx->auths[ctx->count], row, NULL) == 0)
        ctx->count++;
    return 0;
}

static void json_string_array_add(hd_buf *b, bool *first, const char *s)
{
    hd_buf_puts(b, *first ? "\"" : ",\"");
    hd_buf_puts(b, s); /* hashes, feed names, ids: no quotes inside */
    hd_buf_putc(b, '"');
    *first = false;
}

int hd__verify_audit_format(const hd_verify_env *env, const hd_dossier *d,
                            const char *const *relied_on, hd_buf *out)
{
    const hd_application *app = d->app;
    uint32_t feeds_read = 0;
    bool first = true;

    /* Persons read: the members when the gate let the reads through, and
     * any spouse whose liveness records were read. */
    hd_buf_putc(out, '[');
    for (size_t i = 0; d->authorized && !app->refused && i < d->record_count;
         i++) {
        const hd_dossier_record *rec = &d->records[i];
        feeds_read |= 1u << rec->feed->id;
    }
    if (d->authorized && !app->refused) {
        char hash[33];
        for (int m = 0; m < app->member_count; m++) {
            hd_audit_person_hash(hash, env->person_key, app->members[m].pid);
            json_string_array_add(out, &first, hash);
        }
        for (size_t i = 0; i < d->record_count; i++) {
            const hd_dossier_record *rec = &d->records[i];
            char pid[19];
            if (rec->member >= 0 || rec->row.values[0].len != 18)
                continue;
            memcpy(pid, rec->row.values[0].text, 18);
            pid[18] = '\0';
            hd_audit_person_hash(hash, env->person_key, pid);
            json_string_array_add(out, &first, hash);
        }
    }
    hd_buf_putc(out, ']');
    hd_buf_putc(out, '\0');
    hd_buf_putc(out, '[');
    first = true;
    for (int i = 0; i < hd_feed_count; i++)
        if (feeds_read & (1u << hd_feeds[i].id))
            json_string_array_add(out, &first, hd_feeds[i].name);
    hd_buf_putc(out, ']');
    hd_buf_putc(out, '\0');
    hd_buf_putc(out, '[');
    first = true;
    for (int m = 0; relied_on && m < app->member_count; m++)
        if (relied_on[m] && relied_on[m][0])
            json_string_array_add(out, &first, relied_on[m]);
    hd_buf_putc(out, ']');
    hd_buf_putc(out, '\0');
    return hd_buf_error(out);
}

int hd__verify_record(const hd_verify_env *env, const hd_dossier *d,
                      const hd_result *r, const char *const *relied_on,
                      const char *action, hd_buf *scratch, hd_error *err)
{
    const hd_application *app = d->app;
    const char *persons, *feeds, *auths;
    size_t record_at;
    int rc;

    hd_buf_reset(scratch);
    hd__verify_audit_format(env, d, relied_on, scratch);
    record_at = scratch->len;
    hd_result_record_json(scratch, r, app);
    hd_buf_putc(scratch, '\0');
    if (scratch->err)
        return hd_error_set(err, scratch->err, "cannot build the audit entry");
    persons = scratch->ptr;
    feeds = persons + strlen(persons) + 1;
    auths = feeds + strlen(feeds) + 1;

    hd_audit_entry entry = {
        .at = env->now,
        .actor = env->actor ? env->actor : "unknown",
        .role = env->role,
        .region = env->region,
        .action = action,
        .case_no = app->application_no,
        .persons = persons,
        .feeds = feeds,
        .authorizations = auths,
        .outcome = hd_conclusion_name(r->conclusion),
    };
    hd_verification_row row = {
        .application_no = app->application_no,
        .verified_at = env->now,
        .view_seq = env->max_seq,
        .policy_version = hd_policy_version(env->policy),
        .conclusion = hd_conclusion_name(r->conclusion),
        .record = scratch->ptr + record_at,
    };
    rc = hd_casestore_audit_add(env->cs, &entry, err);
    /* A report replays a verification already recorded. */
    if (rc == 0 && strcmp(action, "report"))
        rc = hd_casestore_verification_add(env->cs, &row, err);
    return rc;
}

int hd_gate_check_stored(hd_dossier *d, hd_casestore *cs,
                         const hd_application *app, char relied_ids[][64],
                         hd_error *err)
{
    consent_ctx consents = {NULL, 0, 0, err};
    int relied[HD_MAX_MEMBERS];
    int rc = 0;

    hd_dossier_reset(d, app);
    for (int m = 0; rc == 0 && m < app->member_count; m++)
        rc = hd_casestore_consents(cs, app->members[m].pid, take_consent,
                                   &consents, err);
    if (rc >= 0) {
        rc = 0;
        hd_gate_check(d, consents.auths, consents.count, relied);
        for (int m = 0; m < app->member_count; m++)
            snprintf(relied_ids[m], 64, "%s",
                     relied[m] >= 0 ? consents.auths[relied[m]].authorization_id
                                    : "");
    }
    hd_free(consents.auths);
    return rc;
}

int hd_verify_case(hd_result *out, hd_dossier *d, const hd_verify_env *env,
                   const hd_application *app, hd_error *err)
{
    consent_ctx consents = {NULL, 0, 0, err};
    int relied[HD_MAX_MEMBERS];
    const char *relied_ids[HD_MAX_MEMBERS] = {0};
    hd_params params;
    bool has_params = false;
    hd_buf scratch;
    int rc = 0;

    hd_buf_init(&scratch, HD_BUF_DEFAULT_MAX);
    hd_dossier_reset(d, app);
    memcpy(d->feeds, env->feeds, sizeof(d->feeds));
    if (!app->refused || app->refused_step > HD_REFUSED_STEP_POLICY) {
        hd_error perr;
        has_params = hd_policy_resolve(&params, env->policy, app->region,
                                       app->applied_on, &perr) == 0;
        params.policy_version = hd_policy_version(env->policy);
    }
    /* Nothing is queried for a refused application (rules.md 7). */
    if (!app->refused && has_params) {
        for (int m = 0; rc == 0 && m < app->member_count; m++)
            rc = hd_casestore_consents(env->cs, app->members[m].pid,
                                       take_consent, &consents, err);
        if (rc < 0)
            goto out;
        rc = 0;
        hd_gate_check(d, consents.auths, consents.count, relied);
        for (int m = 0; m < app->member_count; m++)
            relied_ids[m] = relied[m] >= 0
                                ? consents.auths[relied[m]].authorization_id
                                : "";
        for (int m = 0; d->authorized && rc == 0 && m < app->member_count; m++)
            rc = hd__dossier_add_person(d, env, m, app->members[m].pid,
                                        hd_verify_feed_mask(), NULL, err);
        if (rc == 0 && d->authorized)
            rc = hd__dossier_add_spouses(d, env, NULL, NULL, err);
        /* A case's corrections overlay what was read (docs/cases.md). */
        if (rc == 0 && d->authorized)
            rc = hd_dossier_apply_corrections(d, env->corrections,
                                              env->correction_count, err);
        if (rc)
            goto out;
    }
    rc = hd_verify(out, d, has_params ? &params : NULL, err);
    if (rc || !env->record)
        goto out;
    if (env->in_caller_txn) {
        rc = hd__verify_record(env, d, out, relied_ids,
                               env->action ? env->action : "verify", &scratch,
                               err);
        goto out;
    }
    rc = hd_casestore_begin(env->cs, err);
    if (rc == 0)
        rc = hd__verify_record(env, d, out, relied_ids,
                               env->action ? env->action : "verify", &scratch,
                               err);
    if (rc == 0)
        rc = hd_casestore_commit(env->cs, err);
    if (rc)
        hd_casestore_rollback(env->cs);
out:
    hd_free(consents.auths);
    hd_buf_release(&scratch);
    return rc;
}
