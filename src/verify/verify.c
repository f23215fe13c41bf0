/*
 * hd_verify: the order of rules.md section 7 (refused, unauthorized, then
 * the family, its figures, tests and conclusion). Pure: it reads only the
 * dossier and the parameters, and allocates only in the result's arena.
 */
#include "verify_int.h"

#include <assert.h>
#include <string.h>

#include <hedui/std.h>

static void copy_text(char *out, size_t size, const char *s)
{
    size_t len = s ? strlen(s) : 0;

    if (len >= size)
        len = size - 1;
    if (len)
        memcpy(out, s, len);
    out[len] = '\0';
}

void hd__verify_source(vf_state *st, hd_figure_id figure,
                       const hd_dossier_record *rec, int64_t amount,
                       const char *note)
{
    hd_result *r = st->r;
    hd_source_row *s;

    /* verify.c reserves room for every row a dossier can give. */
    assert(r->source_count < st->source_cap);
    if (r->source_count >= st->source_cap)
        return;
    s = &r->sources[r->source_count++];
    s->figure = figure;
    s->record = rec;
    s->amount = amount;
    s->note = note;
}

static void refuse(hd_result *r, const char *field, const char *reason)
{
    r->conclusion = HD_CONCLUSION_REFUSED;
    r->findings = 1ull << HD_FIND_APPLICATION_INVALID;
    copy_text(r->error_field, sizeof(r->error_field), field);
    copy_text(r->error_reason, sizeof(r->error_reason), reason);
}

/* Refusals in the order the application's own checks and the policy's
 * come in (verify.h HD_REFUSED_STEP_*): a failure found before the policy
 * step is reported before a missing dibao_standard, one found after it is
 * not. Returns true when refused. */
static bool check_refused(hd_result *r, const hd_application *app,
                          const hd_params *params)
{
    if (app->refused && app->refused_step < HD_REFUSED_STEP_POLICY)
        refuse(r, app->error_field, app->error_reason);
    else if (!params)
        refuse(r, "region", "no dibao_standard resolves");
    else if (app->refused)
        refuse(r, app->error_field, app->error_reason);
    else
        return false;
    return true;
}

static void fill_members(hd_result *r, const hd_dossier *d)
{
    const hd_application *app = d->app;

    r->member_count = app->member_count;
    for (int i = 0; i < app->member_count; i++) {
        hd_member_status *ms = &r->members[i];
        memset(ms, 0, sizeof(*ms));
        ms->pid_valid = app->members[i].pid[0] != '\0';
        ms->authorized = true;
        ms->age = -1;
    }
    if (!d->authorized)
        for (int k = 0; k < d->missing_count; k++)
            if (d->missing[k] >= 0 && d->missing[k] < app->member_count)
                r->members[d->missing[k]].authorized = false;
}

static void add_diff(hd_result *r, const char *item, int64_t declared,
                     int64_t found)
{
    hd_declared_diff *diff = &r->diffs[r->diff_count++];

    diff->item = item;
    diff->declared = declared;
    diff->found = found;
}

/* Declared versus found, for what the application declared: the monthly
 * income is the family's per month (I / income_months, truncated). */
static void fill_diffs(hd_result *r, const hd_declared *dec, int months)
{
    const hd_figures *fig = &r->figures;

    if (dec->has_monthly_income)
        add_diff(r, "monthly_income", dec->monthly_income_fen,
                 hd_div_trunc(fig->income_fen, months));
    if (dec->has_financial_assets)
        add_diff(r, "financial_assets", dec->financial_assets_fen,
                 fig->financial_assets_fen);
    if (dec->has_vehicles)
        add_diff(r, "vehicles", dec->vehicles, fig->vehicles);
    if (dec->has_homes)
        add_diff(r, "homes", dec->homes, fig->homes);
}

int hd_verify(hd_result *out, const hd_dossier *dossier,
              const hd_params *params, hd_error *err)
{
    const hd_application *app = dossier->app;
    vf_state st;
    size_t cap;
    int rc;

    hd_result_reset(out);
    copy_text(out->application_no, sizeof(out->application_no),
              app->application_no);
    /* The program as applied for, even when unknown ("wubao"). */
    copy_text(out->program, sizeof(out->program),
              app->program_name[0] || app->program < 0
                  ? app->program_name
                  : hd_program_name((hd_program)app->program));
    fill_members(out, dossier);
    /* The deliveries read, for the report's as_of dates. */
    memcpy(out->feeds, dossier->feeds, sizeof(out->feeds));
    out->corrections = dossier->corrections;
    out->correction_count = dossier->correction_count;
    if (params) {
        out->params = *params;
        out->has_params = true;
    }
    if (check_refused(out, app, params))
        return 0;

    if (!dossier->authorized) {
        out->conclusion = HD_CONCLUSION_UNAUTHORIZED;
        out->findings = 1ull << HD_FIND_NO_AUTHORIZATION;
        out->missing_count = dossier->missing_count;
        memcpy(out->missing, dossier->missing,
               sizeof(int) * (size_t)dossier->missing_count);
        return 0;
    }

    memset(&st, 0, sizeof(st));
    st.d = dossier;
    st.app = app;
    st.p = &params->v;
    st.r = out;
    /* A window of no month would divide by zero; the policy never
     * resolves one, but a hand-made hd_params might. */
    st.months = params->v.income_months > 0 ? params->v.income_months : 1;
    st.window_first = hd_period_of_date(app->applied_on) - st.months;
    out->window_first = st.window_first;

    /* Each record gives at most two source rows (a contribution is both
     * deducted and a wage base; a hukou row is behind two findings), and
     * each member-month at most one more (the base of an estimate). */
    cap = 2 * dossier->record_count +
          (size_t)app->member_count * (size_t)st.months + 8;
    out->sources = hd_arena_alloc(&out->arena, cap * sizeof(*out->sources));
    if (!out->sources)
        return hd_error_set(err, HD_ENOMEM, "out of memory");
    st.source_cap = cap;

    hd__verify_family(&st);
    for (int id = 1; id < VF_FEED_ID_LIMIT; id++)
        if ((VF_READ_FEED_MASK & (1u << id)) && !dossier->feeds[id].delivered)
            out->findings |= 1ull << HD_FIND_FEED_NOT_DELIVERED;

    if (st.n == 0) {
        /* "A family with no living member is review with figures and
         * level absent and failed empty." */
        out->conclusion = HD_CONCLUSION_REVIEW;
        return 0;
    }

    rc = hd__verify_income(&st, err);
    if (!rc)
        rc = hd__verify_assets(&st, err);
    if (!rc)
        rc = hd__verify_programs(&st, err);
    if (rc)
        return rc;
    out->has_figures = true;
    fill_diffs(out, &app->declared, st.months);
    return 0;
}
