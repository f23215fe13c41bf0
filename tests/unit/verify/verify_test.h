/*
 * Helpers for the verify tests: an application, a dossier and parameters
 * built by hand, rows parsed from their feeds.md text with hd_row_parse.
 *
 * Defaults (each test changes what it needs): program as given, applied
 * on the given date, region 330106, every feed delivered, authorized,
 * dibao_standard 1000.00 yuan (100000 fen), tekun 1.3 x dibao, low income
 * factor 1.5, 12 months, financial limits 24 and 36 months, vehicle
 * exempt value 0, 1 home, no area limit, enterprise limit 0, no
 * disregard, no excluded category, old age 60.
 */
#ifndef HEDUI_VERIFY_TEST_H
#define HEDUI_VERIFY_TEST_H

#include "testutil.h"

#include <stdio.h>
#include <string.h>

#include <hedui/std.h>
#include <hedui/verify.h>

#define VT_MAX_FIELDS HD_FEED_MAX_COLUMNS

typedef struct vt {
    hd_application app;
    hd_dossier d;
    hd_params p;
    hd_result r;
    hd_error err;
} vt;

static inline int32_t vt_date(const char *s)
{
    int32_t d = 0;
    assert_int_equal(hd_date_parse(&d, s, strlen(s), NULL), 0);
    return d;
}

static inline int32_t vt_period(const char *s)
{
    int32_t p = 0;
    assert_int_equal(hd_period_parse(&p, s, strlen(s), NULL), 0);
    return p;
}

/* A valid citizen ID of county 330106 born on `birth` (YYYYMMDD). */
static inline void vt_pid(char out[19], const char *birth, unsigned seq)
{
    snprintf(out, 19, "330106%.8s%03u", birth, seq % 1000);
    out[17] = hd_pid_check_char(out);
    out[18] = '\0';
}

/* A valid unified social credit code, distinct per `seq`. */
static inline void vt_uscc(char out[19], unsigned seq)
{
    snprintf(out, 19, "91330106MA2%06u", seq % 1000000);
    out[17] = hd_uscc_check_char(out);
    out[18] = '\0';
}

static inline void vt_init(vt *t, const char *program, const char *applied_on)
{
    hd_param_values *v = &t->p.v;

    memset(t, 0, sizeof(*t));
    snprintf(t->app.application_no, sizeof(t->app.application_no),
             "330106-2026-000001");
    t->app.program = hd_program_find(program, strlen(program));
    snprintf(t->app.program_name, sizeof(t->app.program_name), "%s", program);
    snprintf(t->app.region, sizeof(t->app.region), "330106");
    t->app.applied_on = vt_date(applied_on);

    hd_dossier_init(&t->d, &t->app);
    t->d.authorized = true;
    for (int i = 0; i < hd_feed_count; i++) {
        hd_feed_source *s = &t->d.feeds[hd_feeds[i].id];
        s->delivered = true;
        s->seq = 1;
        snprintf(s->delivery_id, sizeof(s->delivery_id), "%s-1",
                 hd_feeds[i].name);
    }

    v->dibao_standard_fen = 100000;
    v->tekun_standard_x10000 = 13000 * v->dibao_standard_fen;
    v->low_income_factor_x10000 = 15000;
    v->income_months = 12;
    v->financial_limit_months_dibao_x10000 = 24 * 10000;
    v->financial_limit_months_low_income_x10000 = 36 * 10000;
    v->vehicle_exempt_value_fen = 0;
    v->max_homes = 1;
    v->has_max_area_per_capita = false;
    v->enterprise_capital_limit_fen = 0;
    v->earned_income_disregard_fen = 0;
    v->excluded_categories = 0;
    v->old_age = 60;
    snprintf(t->p.region, sizeof(t->p.region), "330106");
    t->p.on = t->app.applied_on;

    hd_result_init(&t->r);
}

static inline void vt_free(vt *t)
{
    hd_result_release(&t->r);
    hd_dossier_release(&t->d);
}

/* Declare a member born on `birth` (YYYYMMDD); returns its index. */
static inline int vt_member(vt *t, const char *birth, unsigned seq,
                            const char *relation)
{
    int i = t->app.member_count++;
    hd_member *m = &t->app.members[i];

    vt_pid(m->pid, birth, seq);
    memcpy(m->pid_raw, m->pid, sizeof(m->pid));
    m->name = "测试";
    memcpy(m->relation, relation, 2);
    m->relation[2] = '\0';
    return i;
}

/* Add a row of `feed` for `pid`: the other columns follow in the feed's
 * order, "" for null, ended by NULL. `member` is the declared member it
 * is about, or -1. */
static inline void vt_row_pidv(vt *t, int member, const char *pid,
                               const char *feed_name, va_list ap)
{
    const hd_feed *feed = hd_feed_find(feed_name);
    hd_str fields[VT_MAX_FIELDS];
    hd_row row;
    hd_bad_row bad;
    int n = 1;
    const char *s;

    assert_non_null(feed);
    memset(fields, 0, sizeof(fields));
    fields[0] = hd_str_of(pid);
    while ((s = va_arg(ap, const char *)) != NULL) {
        assert_true(n < feed->column_count);
        if (*s)
            fields[n] = hd_str_of(s);
        n++;
    }
    assert_int_equal(n, feed->column_count);
    if (hd_row_parse(&row, feed, fields, &bad) != 0)
        fail_msg("bad %s row: %s %s", feed_name, bad.field ? bad.field : "",
                 bad.detail);
    assert_int_equal(hd_dossier_add(&t->d, member, &row,
                                    t->d.feeds[feed->id].seq,
                                    t->d.feeds[feed->id].delivery_id, &t->err),
                     0);
}

static inline void vt_row_pid(vt *t, int member, const char *pid,
                              const char *feed_name, ...)
{
    va_list ap;
    va_start(ap, feed_name);
    vt_row_pidv(t, member, pid, feed_name, ap);
    va_end(ap);
}

static inline void vt_row(vt *t, int member, const char *feed_name, ...)
{
    va_list ap;
    va_start(ap, feed_name);
    vt_row_pidv(t, member, t->app.members[member].pid, feed_name, ap);
    va_end(ap);
}

/* A hukou row for `pid` (sex and birth taken from the pid). */
static inline void vt_hukou_pid(vt *t, int member, const char *pid,
                                const char *hukou_no, const char *relation,
                                const char *status)
{
    char birth[HD_DATE_TEXT_MAX];
    const char *sex = hd_pid_sex(pid) == 1 ? "1" : "2";

    hd_date_format(birth, hd_pid_birth(pid));
    vt_row_pid(t, member, pid, "hukou", "测试", sex, birth, hukou_no, relation,
               "330106", status, strcmp(status, "1") ? "2026-01-01" : "", NULL);
}

static inline void vt_hukou(vt *t, int member, const char *hukou_no,
                            const char *status)
{
    vt_hukou_pid(t, member, t->app.members[member].pid, hukou_no,
                 t->app.members[member].relation, status);
}

/* Every declared member in one hukou with its declared relation. */
static inline void vt_hukou_all(vt *t)
{
    for (int i = 0; i < t->app.member_count; i++)
        vt_hukou(t, i, "H0001", "1");
}

static inline void vt_run(vt *t)
{
    assert_int_equal(hd_verify(&t->r, &t->d, &t->p, &t->err), 0);
}

static inline bool vt_has(const vt *t, hd_code code)
{
    return (t->r.findings >> code) & 1u;
}

static inline bool vt_failed(const vt *t, hd_code code)
{
    return (t->r.failed >> code) & 1u;
}

/* The one test of `program` with `code`, or NULL. */
static inline const hd_test *vt_test(const vt *t, hd_program program,
                                     hd_code code)
{
    for (size_t i = 0; i < t->r.test_count; i++)
        if (t->r.tests[i].program == program && t->r.tests[i].code == code)
            return &t->r.tests[i];
    return NULL;
}

/* The Result record as JSON, in static storage. */
static inline const char *vt_json(const vt *t)
{
    static char text[4096];
    hd_buf buf;

    hd_buf_init(&buf, HD_BUF_DEFAULT_MAX);
    assert_int_equal(hd_result_record_json(&buf, &t->r, &t->app), 0);
    assert_true(buf.len < sizeof(text));
    memcpy(text, buf.ptr, buf.len);
    text[buf.len] = '\0';
    hd_buf_release(&buf);
    return text;
}

#endif
