/*
 * The JSON report: rules.md's Result record members first, in its order,
 * then what the report adds (docs/reports.md). Written by hand into the
 * buffer rather than through jansson so that member order and number
 * forms are fixed by this file alone: the same inputs give the same bytes.
 */
#include "report_int.h"

#include <stdio.h>
#include <string.h>

static void put_str(hd_buf *b, const char *s)
{
    static const char hex[] = "0123456789abcdef";
    hd_buf_putc(b, '"');
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '"' || *p == '\\') {
            hd_buf_putc(b, '\\');
            hd_buf_putc(b, (char)*p);
        } else if (*p < 0x20) {
            char esc[7] = {'\\', 'u', '0', '0', hex[*p >> 4], hex[*p & 15], 0};
            hd_buf_puts(b, esc);
        } else {
            hd_buf_putc(b, (char)*p);
        }
    }
    hd_buf_putc(b, '"');
}

static void put_key(hd_buf *b, const char *key)
{
    put_str(b, key);
    hd_buf_putc(b, ':');
}

static void put_i64(hd_buf *b, int64_t v)
{
    hd_buf_printf(b, "%lld", (long long)v);
}

static void put_date(hd_buf *b, int32_t date)
{
    char t[HD_DATE_TEXT_MAX];
    put_str(b, hd_date_format(t, date));
}

static void put_period(hd_buf *b, int32_t period)
{
    char t[HD_PERIOD_TEXT_MAX];
    put_str(b, hd_period_format(t, period));
}

static void put_codes(hd_buf *b, uint64_t bits)
{
    bool first = true;
    hd_buf_putc(b, '[');
    for (int c = 0; c < HD_CODE_COUNT_; c++) {
        if (!(bits & ((uint64_t)1 << c)))
            continue;
        if (!first)
            hd_buf_putc(b, ',');
        first = false;
        put_str(b, hd_code_name((hd_code)c));
    }
    hd_buf_putc(b, ']');
}

static void put_figures(hd_buf *b, const hd_figures *f)
{
    hd_buf_printf(b,
                  "{\"members\":%d,\"income\":%lld,\"expenditure\":%lld,"
                  "\"pci\":%lld,\"pci_after\":%lld,"
                  "\"financial_assets\":%lld,\"pca\":%lld,\"homes\":%d,"
                  "\"area_pc\":%lld,\"vehicles\":%d}",
                  f->members, (long long)f->income_fen,
                  (long long)f->expenditure_fen, (long long)f->pci_fen,
                  (long long)f->pci_after_fen,
                  (long long)f->financial_assets_fen, (long long)f->pca_fen,
                  f->homes, (long long)f->area_pc_m2x100, f->vehicles);
}

static void put_pid(hd_buf *b, const char *pid, bool full)
{
    char t[HD_PID_LEN + 1];
    put_str(b, rp_pid(t, pid, full));
}

/* The pid a member is shown by: the normalised form, or as declared when
 * it failed GB 11643 (refusals). */
static const char *member_pid(const hd_member *m)
{
    return m->pid[0] ? m->pid : m->pid_raw;
}

static void put_param_value(hd_buf *b, const hd_params *p, hd_param_id id)
{
    const hd_param_values *v = &p->v;
    char t[RP_NUM_MAX];
    switch (id) {
    case HD_PARAM_DIBAO_STANDARD:
        put_i64(b, v->dibao_standard_fen);
        break;
    case HD_PARAM_TEKUN_STANDARD:
        /* fen, exactly: the default 1.3 x dibao may not be whole fen */
        put_str(b, rp_rational(t, v->tekun_standard_x10000, HD_FACTOR_SCALE, 0,
                               false));
        break;
    case HD_PARAM_LOW_INCOME_FACTOR:
        put_str(b, rp_rational(t, v->low_income_factor_x10000, HD_FACTOR_SCALE,
                               0, false));
        break;
    case HD_PARAM_INCOME_MONTHS:
        put_i64(b, v->income_months);
        break;
    case HD_PARAM_FINANCIAL_LIMIT_MONTHS_DIBAO:
        put_str(b, rp_rational(t, v->financial_limit_months_dibao_x10000,
                               HD_FACTOR_SCALE, 0, false));
        break;
    case HD_PARAM_FINANCIAL_LIMIT_MONTHS_LOW_INCOME:
        put_str(b, rp_rational(t, v->financial_limit_months_low_income_x10000,
                               HD_FACTOR_SCALE, 0, false));
        break;
    case HD_PARAM_VEHICLE_EXEMPT_VALUE:
        put_i64(b, v->vehicle_exempt_value_fen);
        break;
    case HD_PARAM_MAX_HOMES:
        put_i64(b, v->max_homes);
        break;
    case HD_PARAM_MAX_AREA_PER_CAPITA:
        if (v->has_max_area_per_capita)
            put_i64(b, v->max_area_per_capita_m2x100);
        else
            hd_buf_puts(b, "null");
        break;
    case HD_PARAM_ENTERPRISE_CAPITAL_LIMIT:
        put_i64(b, v->enterprise_capital_limit_fen);
        break;
    case HD_PARAM_EARNED_INCOME_DISREGARD:
        put_i64(b, v->earned_income_disregard_fen);
        break;
    case HD_PARAM_EXCLUDED_CATEGORIES: {
        const hd_feed *tax = hd_feed_find("tax_income");
        int c = tax ? hd_feed_column(tax, "category") : -1;
        bool first = true;
        hd_buf_putc(b, '[');
        for (int i = 0; c >= 0 && tax->columns[c].codes[i].code; i++) {
            if (!(v->excluded_categories & (1u << i)))
                continue;
            if (!first)
                hd_buf_putc(b, ',');
            first = false;
            put_str(b, tax->columns[c].codes[i].code);
        }
        hd_buf_putc(b, ']');
        break;
    }
    case HD_PARAM_OLD_AGE:
        put_i64(b, v->old_age);
        break;
    default:
        hd_buf_puts(b, "null");
    }
}

static void put_policy(hd_buf *b, const hd_result *r)
{
    const hd_params *p = &r->params;
    if (!r->has_params) {
        hd_buf_puts(b, "null");
        return;
    }
    hd_buf_printf(
        b, "{\"version\":%lld,\"region\":", (long long)p->policy_version);
    put_str(b, p->region);
    hd_buf_puts(b, ",\"on\":");
    put_date(b, p->on);
    hd_buf_puts(b, ",\"params\":{");
    /* rules.md's parameters: the workflow's deadlines are not the
     * verification's. */
    for (int i = 0; i < HD_PARAM_RULES_COUNT_; i++) {
        const hd_param_origin *o = &p->origin[i];
        if (i)
            hd_buf_putc(b, ',');
        put_key(b, hd_param_name((hd_param_id)i));
        hd_buf_puts(b, "{\"value\":");
        put_param_value(b, p, (hd_param_id)i);
        hd_buf_puts(b, ",\"origin\":{\"region\":");
        if (o->region[0])
            put_str(b, o->region);
        else
            hd_buf_puts(b, "null");
        hd_buf_puts(b, ",\"effective_from\":");
        if (o->region[0])
            put_date(b, o->effective_from);
        else
            hd_buf_puts(b, "null");
        hd_buf_printf(
            b, ",\"default\":%s,\"source\":", o->is_default ? "true" : "false");
        if (o->source)
            put_str(b, o->source);
        else
            hd_buf_puts(b, "null");
        hd_buf_puts(b, "}}");
    }
    hd_buf_puts(b, "}}");
}

static void put_members(hd_buf *b, const hd_result *r,
                        const hd_application *app, bool full)
{
    hd_buf_putc(b, '[');
    for (int i = 0; i < app->member_count; i++) {
        const hd_member *m = &app->members[i];
        const hd_member_status *s = i < r->member_count ? &r->members[i] : NULL;
        if (i)
            hd_buf_putc(b, ',');
        hd_buf_puts(b, "{\"pid\":");
        put_pid(b, member_pid(m), full);
        hd_buf_puts(b, ",\"name\":");
        put_str(b, m->name ? m->name : "");
        hd_buf_puts(b, ",\"relation\":");
        put_str(b, m->relation);
        if (s) {
            hd_buf_puts(b, ",\"age\":");
            if (s->age >= 0)
                put_i64(b, s->age);
            else
                hd_buf_puts(b, "null");
            hd_buf_printf(b,
                          ",\"in_hukou\":%s,\"deceased\":%s,"
                          "\"no_work_capacity\":%s,\"authorized\":%s",
                          s->in_hukou ? "true" : "false",
                          s->deceased ? "true" : "false",
                          s->no_work_capacity ? "true" : "false",
                          s->authorized ? "true" : "false");
        }
        hd_buf_putc(b, '}');
    }
    hd_buf_putc(b, ']');
}

static void put_income(hd_buf *b, const hd_result *r, const hd_application *app,
                       bool full)
{
    hd_buf_putc(b, '[');
    for (size_t i = 0; i < r->month_count; i++) {
        const hd_month_income *m = &r->months[i];
        if (i)
            hd_buf_putc(b, ',');
        hd_buf_puts(b, "{\"pid\":");
        if (m->member >= 0 && m->member < app->member_count)
            put_pid(b, member_pid(&app->members[m->member]), full);
        else
            hd_buf_puts(b, "null");
        hd_buf_puts(b, ",\"period\":");
        put_period(b, m->period);
        hd_buf_printf(b,
                      ",\"wage\":%lld,\"wage_estimated\":%s,\"other\":%lld,"
                      "\"benefits\":%lld,\"deductions\":%lld,"
                      "\"disregard\":%lld,\"expenditure\":%lld}",
                      (long long)m->wage_fen,
                      m->wage_estimated ? "true" : "false",
                      (long long)m->other_fen, (long long)m->benefits_fen,
                      (long long)m->deductions_fen, (long long)m->disregard_fen,
                      (long long)m->expenditure_fen);
    }
    hd_buf_putc(b, ']');
}

static void put_tests(hd_buf *b, const hd_result *r)
{
    char t[RP_NUM_MAX];
    hd_buf_putc(b, '[');
    for (size_t i = 0; i < r->test_count; i++) {
        const hd_test *x = &r->tests[i];
        if (i)
            hd_buf_putc(b, ',');
        hd_buf_puts(b, "{\"code\":");
        put_str(b, hd_code_name(x->code));
        hd_buf_puts(b, ",\"program\":");
        put_str(b, hd_program_name(x->program));
        hd_buf_puts(b, ",\"unit\":");
        put_str(b, rp_test_unit(x->code));
        hd_buf_puts(b, ",\"figure\":");
        put_i64(b, x->figure);
        hd_buf_puts(b, ",\"limit\":");
        if (x->has_limit)
            put_str(b, rp_rational(t, x->limit_num, x->limit_den, 0, false));
        else
            hd_buf_puts(b, "null");
        hd_buf_printf(b, ",\"failed\":%s}", x->failed ? "true" : "false");
    }
    hd_buf_putc(b, ']');
}

static void put_sources(hd_buf *b, const hd_result *r, bool full)
{
    hd_buf_putc(b, '[');
    for (size_t i = 0; i < r->source_count; i++) {
        const hd_source_row *s = &r->sources[i];
        const hd_dossier_record *rec = s->record;
        if (i)
            hd_buf_putc(b, ',');
        hd_buf_puts(b, "{\"figure\":");
        put_str(b, hd_figure_name(s->figure));
        hd_buf_puts(b, ",\"feed\":");
        put_str(b, rec && rec->feed ? rec->feed->name : "");
        hd_buf_puts(b, ",\"delivery_id\":");
        put_str(b, rec && rec->delivery_id ? rec->delivery_id : "");
        hd_buf_puts(b, ",\"key\":");
        {
            hd_buf key;
            hd_buf_init(&key, 4096);
            rp_record_key(&key, rec, full);
            if (hd_buf_error(&key))
                b->err = b->err ? b->err : hd_buf_error(&key);
            put_str(b, key.ptr);
            hd_buf_release(&key);
        }
        hd_buf_puts(b, ",\"member\":");
        put_i64(b, rec ? rec->member : -1);
        hd_buf_puts(b, ",\"amount\":");
        put_i64(b, s->amount);
        hd_buf_puts(b, ",\"note\":");
        if (s->note)
            put_str(b, s->note);
        else
            hd_buf_puts(b, "null");
        /* Only a corrected record has it: reports without corrections
         * stay byte for byte as they were. */
        if (rec && rec->correction) {
            hd_buf_puts(b, ",\"corrected\":[");
            for (const hd_dossier_correction *c = rec->correction; c;
                 c = c->next) {
                if (c != rec->correction)
                    hd_buf_putc(b, ',');
                hd_buf_printf(b, "{\"id\":%lld,\"field\":", (long long)c->id);
                put_str(b, c->field);
                hd_buf_puts(b, ",\"value\":");
                put_str(b, c->value);
                hd_buf_puts(b, ",\"original\":");
                put_str(b, c->original ? c->original : "");
                hd_buf_puts(b, ",\"evidence\":");
                put_str(b, c->evidence);
                hd_buf_putc(b, '}');
            }
            hd_buf_putc(b, ']');
        }
        hd_buf_putc(b, '}');
    }
    hd_buf_putc(b, ']');
}

/* The case's corrections (docs/reports.md): present only when there are. */
static void put_corrections(hd_buf *b, const hd_result *r,
                            const hd_application *app, bool full)
{
    hd_buf_puts(b, ",\"corrections\":[");
    for (size_t i = 0; i < r->correction_count; i++) {
        const hd_dossier_correction *c = &r->corrections[i];
        hd_buf key;
        if (i)
            hd_buf_putc(b, ',');
        hd_buf_printf(b, "{\"id\":%lld,\"feed\":", (long long)c->id);
        put_str(b, c->feed);
        hd_buf_puts(b, ",\"key\":");
        hd_buf_init(&key, 4096);
        rp_correction_key(&key, c, full);
        if (hd_buf_error(&key))
            b->err = b->err ? b->err : hd_buf_error(&key);
        put_str(b, key.ptr);
        hd_buf_release(&key);
        hd_buf_puts(b, ",\"member\":");
        put_i64(b, rp_correction_member(app, c));
        hd_buf_puts(b, ",\"field\":");
        if (c->field)
            put_str(b, c->field);
        else
            hd_buf_puts(b, "null");
        hd_buf_puts(b, ",\"value\":");
        if (c->value)
            put_str(b, c->value);
        else
            hd_buf_puts(b, "null");
        hd_buf_puts(b, ",\"original\":");
        if (c->original)
            put_str(b, c->original);
        else
            hd_buf_puts(b, "null");
        hd_buf_puts(b, ",\"evidence\":");
        put_str(b, c->evidence);
        hd_buf_printf(b, ",\"applied\":%s}", c->applied ? "true" : "false");
    }
    hd_buf_putc(b, ']');
}

static void put_feeds(hd_buf *b, const hd_result *r)
{
    bool first = true;
    hd_buf_putc(b, '[');
    for (int i = 0; i < hd_feed_count; i++) {
        const hd_feed *f = &hd_feeds[i];
        const hd_feed_source *s = &r->feeds[f->id];
        /* rules.md section 7: every feed but unemployment is read */
        if (!strcmp(f->name, "unemployment") && !s->delivered)
            continue;
        if (!first)
            hd_buf_putc(b, ',');
        first = false;
        hd_buf_puts(b, "{\"feed\":");
        put_str(b, f->name);
        hd_buf_printf(b, ",\"delivered\":%s", s->delivered ? "true" : "false");
        if (s->delivered) {
            hd_buf_puts(b, ",\"delivery_id\":");
            put_str(b, s->delivery_id);
            hd_buf_puts(b, ",\"as_of\":");
            put_date(b, s->as_of);
        }
        hd_buf_putc(b, '}');
    }
    hd_buf_putc(b, ']');
}

int hd_report_json(hd_buf *out, const hd_result *r, const hd_application *app,
                   const hd_report_options *opt, hd_error *err)
{
    bool full, gated;
    char t[RP_NUM_MAX];
    char objection[512];

    if (!out || !r || !app || !opt)
        return hd_error_set(err, HD_EINVAL, "report: missing argument");
    full = opt->full_pids;
    gated = r->conclusion == HD_CONCLUSION_REFUSED ||
            r->conclusion == HD_CONCLUSION_UNAUTHORIZED;

    hd_buf_puts(out, "{\"application_no\":");
    put_str(out, r->application_no);
    hd_buf_puts(out, ",\"program\":");
    put_str(out, r->program);
    hd_buf_puts(out, ",\"conclusion\":");
    put_str(out, hd_conclusion_name(r->conclusion));
    if (!gated && r->has_level) {
        hd_buf_puts(out, ",\"level\":");
        put_str(out, hd_level_name(r->level));
    }
    if (!gated && r->has_figures) {
        hd_buf_puts(out, ",\"figures\":");
        put_figures(out, &r->figures);
    }
    if (!gated) {
        hd_buf_puts(out, ",\"failed\":");
        put_codes(out, r->failed);
    }
    hd_buf_puts(out, ",\"findings\":");
    put_codes(out, r->findings);
    if (r->conclusion == HD_CONCLUSION_REFUSED) {
        hd_buf_puts(out, ",\"error\":{\"field\":");
        put_str(out, r->error_field);
        hd_buf_puts(out, ",\"reason\":");
        put_str(out, r->error_reason);
        hd_buf_putc(out, '}');
    }
    if (r->conclusion == HD_CONCLUSION_UNAUTHORIZED) {
        hd_buf_puts(out, ",\"pids\":[");
        for (int i = 0; i < r->missing_count; i++) {
            int m = r->missing[i];
            if (i)
                hd_buf_putc(out, ',');
            if (m >= 0 && m < app->member_count)
                put_pid(out, member_pid(&app->members[m]), full);
            else
                hd_buf_puts(out, "null");
        }
        hd_buf_putc(out, ']');
    }

    hd_buf_puts(out, ",\"format\":\"hedui-report/1\",\"issued_at\":");
    put_str(out, rp_datetime(t, opt->issued_at));
    hd_buf_puts(out, ",\"issuer\":");
    if (opt->issuer)
        put_str(out, opt->issuer);
    else
        hd_buf_puts(out, "null");
    hd_buf_puts(out, ",\"pid_form\":");
    put_str(out, full ? "full" : "masked");
    hd_buf_puts(out, ",\"policy\":");
    put_policy(out, r);
    hd_buf_puts(out, ",\"members\":");
    put_members(out, r, app, full);
    hd_buf_puts(out, ",\"window\":");
    if (!gated && r->has_params) {
        hd_buf_puts(out, "{\"first\":");
        put_period(out, r->window_first);
        hd_buf_puts(out, ",\"last\":");
        put_period(out, rp_window_last(r));
        hd_buf_putc(out, '}');
    } else {
        hd_buf_puts(out, "null");
    }
    hd_buf_puts(out, ",\"income\":");
    put_income(out, r, app, full);
    hd_buf_puts(out, ",\"tests\":");
    put_tests(out, r);
    hd_buf_puts(out, ",\"sources\":");
    put_sources(out, r, full);
    if (r->correction_count)
        put_corrections(out, r, app, full);
    hd_buf_puts(out, ",\"declared_vs_found\":[");
    for (int i = 0; i < r->diff_count; i++) {
        if (i)
            hd_buf_putc(out, ',');
        hd_buf_puts(out, "{\"item\":");
        put_str(out, r->diffs[i].item);
        hd_buf_printf(out, ",\"declared\":%lld,\"found\":%lld}",
                      (long long)r->diffs[i].declared,
                      (long long)r->diffs[i].found);
    }
    hd_buf_puts(out, "],\"feeds\":");
    if (gated)
        hd_buf_puts(out, "[]");
    else
        put_feeds(out, r);
    hd_buf_puts(out, ",\"notice\":{\"statement\":");
    put_str(out, rp_statement_zh());
    hd_buf_puts(out, ",\"objection_days\":");
    put_i64(out, opt->objection_days > 0 ? opt->objection_days : 5);
    hd_buf_puts(out, ",\"objection\":");
    put_str(out,
            rp_objection_zh(objection, sizeof(objection), opt->objection_days));
    hd_buf_puts(out, "}}\n");
    if (hd_buf_error(out))
        return hd_error_set(err, hd_buf_error(out),
                            "report: the json does not fit the buffer");
    return 0;
}
