/* Hand-built results for the report tests (see report_fixture.h). */
#include "report_fixture.h"

#include <hedui/std.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"

/* 2026-11-27T08:00:00Z = 16:00 in Beijing. */
#define RF_ISSUED_AT INT64_C(1795766400)

hd_report_options rf_options(bool full_pids)
{
    hd_report_options o = {full_pids, RF_ISSUED_AT,
                           "杭州市西湖区居民家庭经济状况核对中心", 5};
    return o;
}

static void make_pid(char out[HD_PID_LEN + 1], const char *first17)
{
    memcpy(out, first17, 17);
    out[17] = hd_pid_check_char(first17);
    out[18] = '\0';
}

static int32_t date(const char *s)
{
    int32_t d = 0;
    assert_int_equal(hd_date_parse(&d, s, strlen(s), NULL), 0);
    return d;
}

static int32_t period(const char *s)
{
    int32_t p = 0;
    assert_int_equal(hd_period_parse(&p, s, strlen(s), NULL), 0);
    return p;
}

/*
 * Add one record of `feed` for `member`: `fields` is the row in the
 * feed's column order, separated by '|' ("" for a null), with "@0".."@3"
 * standing for the case's pids. Returns the record.
 */
static const hd_dossier_record *rec(rf_case *c, int member,
                                    const char *feed_name, const char *delivery,
                                    const char *fields)
{
    const hd_feed *feed = hd_feed_find(feed_name);
    hd_dossier_record *r = &c->records[c->record_count++];
    hd_str f[HD_FEED_MAX_COLUMNS];
    hd_bad_row bad;
    const char *p = fields;
    int n = 0;

    assert_non_null(feed);
    assert_true(c->record_count <= RF_MAX_RECORDS);
    while (n < feed->column_count) {
        const char *end = strchr(p, '|');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        char *dst = c->text + c->text_len;
        if (len == 2 && p[0] == '@') {
            memcpy(dst, c->pids[p[1] - '0'], HD_PID_LEN);
            len = HD_PID_LEN;
        } else {
            memcpy(dst, p, len);
        }
        c->text_len += len + 1;
        assert_true(c->text_len < sizeof(c->text));
        dst[len] = '\0';
        f[n].ptr = len ? dst : NULL;
        f[n].len = len;
        n++;
        if (!end)
            break;
        p = end + 1;
    }
    assert_int_equal(n, feed->column_count);
    memset(r, 0, sizeof(*r));
    if (hd_row_parse(&r->row, feed, f, &bad) != 0)
        fail_msg("fixture row of %s: %s", feed_name, bad.detail);
    r->feed = feed;
    r->member = member;
    r->delivery_seq = (uint32_t)c->record_count;
    r->delivery_id = delivery;
    return r;
}

static void source(rf_case *c, hd_figure_id fig, const hd_dossier_record *r,
                   int64_t amount, const char *note)
{
    hd_source_row *s = &c->sources[c->r.source_count++];
    s->figure = fig;
    s->record = r;
    s->amount = amount;
    s->note = note;
}

static void test(rf_case *c, hd_code code, hd_program program, int64_t figure,
                 int64_t num, int64_t den, bool has_limit, bool failed)
{
    hd_test *t = &c->tests[c->r.test_count++];
    t->code = code;
    t->program = program;
    t->figure = figure;
    t->limit_num = num;
    t->limit_den = den;
    t->has_limit = has_limit;
    t->failed = failed;
}

static void month(rf_case *c, int member, const char *p, int64_t wage,
                  bool estimated, int64_t deductions)
{
    hd_month_income *m = &c->months[c->r.month_count++];
    memset(m, 0, sizeof(*m));
    m->member = member;
    m->period = period(p);
    m->wage_fen = wage;
    m->wage_estimated = estimated;
    m->deductions_fen = deductions;
}

#define DEL_HUKOU "PS-330100-2026-10-31"
#define DEL_TAX "TAX-330000-2026-10"
#define DEL_SI "HRSS-330100-2026-10"
#define DEL_BANK "BANKS-2026-10-31"
#define DEL_RE "NR-330100-2026-10-31"
#define DEL_MED "MI-330100-2026-10"
#define DEL_VEH "TP-330000-2026-10-31"
#define DEL_ENT "MR-330000-2026-10-31"
#define DEL_CIV "CA-330100-2026-10-31"

static const char *delivery_of(const hd_feed *f)
{
    switch (f->id) {
    case 1:
        return DEL_HUKOU;
    case 2:
    case 3:
        return DEL_CIV;
    case 4:
        return DEL_TAX;
    case 5:
        return DEL_SI;
    case 7:
        return DEL_MED;
    case 9:
        return DEL_RE;
    case 10:
        return DEL_VEH;
    case 11:
        return DEL_ENT;
    case 12:
        return DEL_BANK;
    default:
        return NULL;
    }
}

static void params(rf_case *c)
{
    hd_params *p = &c->r.params;
    c->r.has_params = true;
    p->v.dibao_standard_fen = 151000;
    p->v.tekun_standard_x10000 = INT64_C(13000) * 151000;
    p->v.low_income_factor_x10000 = 15000;
    p->v.income_months = 3;
    p->v.financial_limit_months_dibao_x10000 = 240000;
    p->v.financial_limit_months_low_income_x10000 = 360000;
    p->v.max_homes = 1;
    p->v.has_max_area_per_capita = true;
    p->v.max_area_per_capita_m2x100 = 4000;
    p->v.excluded_categories = 1u << 8; /* incidental */
    p->v.old_age = 60;
    for (int i = 0; i < HD_PARAM_COUNT_; i++)
        p->origin[i].is_default = true;
    memcpy(p->origin[HD_PARAM_DIBAO_STANDARD].region, "330100", 7);
    p->origin[HD_PARAM_DIBAO_STANDARD].effective_from = date("2025-07-01");
    p->origin[HD_PARAM_DIBAO_STANDARD].is_default = false;
    p->origin[HD_PARAM_DIBAO_STANDARD].source =
        "示例：杭州市 2025 年最低生活保障标准调整通知";
    memcpy(p->origin[HD_PARAM_INCOME_MONTHS].region, "330106", 7);
    p->origin[HD_PARAM_INCOME_MONTHS].effective_from = date("2025-01-01");
    p->origin[HD_PARAM_INCOME_MONTHS].is_default = false;
    memcpy(p->origin[HD_PARAM_MAX_AREA_PER_CAPITA].region, "330106", 7);
    p->origin[HD_PARAM_MAX_AREA_PER_CAPITA].effective_from = date("2025-01-01");
    p->origin[HD_PARAM_MAX_AREA_PER_CAPITA].is_default = false;
    p->policy_version = 3;
    memcpy(p->region, "330106", 7);
    p->on = c->app.applied_on;
    c->r.window_first = period("2026-08");
}

static void member(rf_case *c, int i, const char *name, const char *rel)
{
    hd_member *m = &c->app.members[i];
    memcpy(m->pid, c->pids[i], sizeof(m->pid));
    memcpy(m->pid_raw, c->pids[i], HD_PID_LEN + 1);
    m->name = name;
    memcpy(m->relation, rel, 3);
    c->app.member_count = i + 1;
}

static void feeds(rf_case *c, const char *missing)
{
    for (int i = 0; i < hd_feed_count; i++) {
        const hd_feed *f = &hd_feeds[i];
        hd_feed_source *s = &c->r.feeds[f->id];
        const char *id = delivery_of(f);
        if (!strcmp(f->name, "unemployment") ||
            (missing && !strcmp(f->name, missing)))
            continue;
        s->delivered = true;
        s->seq = f->id;
        snprintf(s->delivery_id, sizeof(s->delivery_id), "%s",
                 id ? id : f->department);
        s->as_of = date("2026-10-31");
    }
}

void rf_build(rf_case *c, rf_kind kind)
{
    const char *prog = kind == RF_FAILS ? "low_income" : "dibao";
    hd_program p = kind == RF_FAILS ? HD_PROGRAM_LOW_INCOME : HD_PROGRAM_DIBAO;
    const hd_dossier_record *r;

    memset(c, 0, sizeof(*c));
    c->r.tests = c->tests;
    c->r.months = c->months;
    c->r.sources = c->sources;
    make_pid(c->pids[0], "33010619800101001");
    make_pid(c->pids[1], "33010619820305002");
    make_pid(c->pids[2], "33010620160610003");
    make_pid(c->pids[3], "33010219790909004"); /* not declared */

    snprintf(c->app.application_no, sizeof(c->app.application_no),
             "330106-2026-%06d", 100 + (int)kind);
    c->app.program = (int)p;
    snprintf(c->app.program_name, sizeof(c->app.program_name), "%s", prog);
    memcpy(c->app.region, "330106", 7);
    c->app.applied_on = date("2026-11-20");
    member(c, 0, kind == RF_ESCAPING ? "<b>O'Brien & \"Co\"</b>" : "张三",
           "02");
    member(c, 1, "李四", "10");
    member(c, 2, "张小明", "20");

    memcpy(c->r.application_no, c->app.application_no, HD_APP_NO_MAX);
    memcpy(c->r.program, prog, strlen(prog) + 1);
    c->r.member_count = 3;
    for (int i = 0; i < 3; i++) {
        c->r.members[i].pid_valid = true;
        c->r.members[i].in_hukou = true;
        c->r.members[i].authorized = true;
        c->r.members[i].age = i == 0 ? 46 : i == 1 ? 44 : 10;
        c->r.members[i].no_work_capacity = i == 2;
        memcpy(c->r.members[i].hukou_relation, c->app.members[i].relation, 3);
    }

    if (kind == RF_REFUSED) {
        c->r.conclusion = HD_CONCLUSION_REFUSED;
        c->r.findings = (uint64_t)1 << HD_FIND_APPLICATION_INVALID;
        c->app.members[1].pid[0] = '\0';
        memcpy(c->app.members[1].pid_raw, "330106198203050029", 19);
        c->app.refused = true;
        c->app.refused_step = HD_REFUSED_STEP_PID;
        snprintf(c->r.error_field, sizeof(c->r.error_field), "members[1].pid");
        snprintf(c->r.error_reason, sizeof(c->r.error_reason),
                 "check character");
        c->r.member_count = 0;
        return;
    }
    if (kind == RF_UNAUTHORIZED) {
        c->r.conclusion = HD_CONCLUSION_UNAUTHORIZED;
        c->r.findings = (uint64_t)1 << HD_FIND_NO_AUTHORIZATION;
        c->r.missing_count = 2;
        c->r.missing[0] = 1;
        c->r.missing[1] = 2;
        c->r.members[1].authorized = false;
        c->r.members[2].authorized = false;
        params(c);
        return;
    }

    params(c);
    feeds(c, kind == RF_REVIEW ? "insurance" : NULL);

    /* The family: hukou rows of the three members. */
    r = rec(c, 0, "hukou", DEL_HUKOU,
            "@0|张三|1|1980-01-01|H3301060001|02|330106|1|");
    source(c, HD_FIGURE_FAMILY, r, 1, NULL);
    r = rec(c, 1, "hukou", DEL_HUKOU,
            "@1|李四|2|1982-03-05|H3301060001|10|330106|1|");
    source(c, HD_FIGURE_FAMILY, r, 1, NULL);
    if (kind != RF_REVIEW) {
        r = rec(c, 2, "hukou", DEL_HUKOU,
                "@2|张小明|1|2016-06-10|H3301060001|20|330106|1|");
        source(c, HD_FIGURE_FAMILY, r, 1, NULL);
    }

    /* Income: the applicant's wage, the spouse's estimated from the
     * social insurance base (3 months, W = 2026-08 .. 2026-10). */
    {
        static const char *const months[] = {"2026-08", "2026-09", "2026-10"};
        int64_t wage0 = kind == RF_FAILS ? 600000 : 300000;
        int64_t wage1 = 150000;
        for (int m = 0; m < 3; m++) {
            char f[256];
            snprintf(f, sizeof(f), "@0|%s|wage||%s|0.00", months[m],
                     kind == RF_FAILS ? "6000.00" : "3000.00");
            r = rec(c, 0, "tax_income", DEL_TAX, f);
            source(c, HD_FIGURE_INCOME, r, wage0, NULL);
            snprintf(f, sizeof(f), "@0|%s|contrib|%s|%s|", months[m],
                     kind == RF_FAILS ? "6000.00" : "3000.00",
                     kind == RF_FAILS ? "480.00" : "240.00");
            r = rec(c, 0, "social_insurance", DEL_SI, f);
            source(c, HD_FIGURE_INCOME, r, kind == RF_FAILS ? -48000 : -24000,
                   "contribution deducted");
            snprintf(f, sizeof(f), "@1|%s|contrib|1500.00|120.00|", months[m]);
            r = rec(c, 1, "social_insurance", DEL_SI, f);
            source(c, HD_FIGURE_INCOME, r, wage1, "estimated wage");
            source(c, HD_FIGURE_INCOME, r, -12000, "contribution deducted");
        }
        for (int mb = 0; mb < 3; mb++)
            for (int m = 0; m < 3; m++)
                month(c, mb, months[m],
                      mb == 0   ? wage0
                      : mb == 1 ? wage1
                                : 0,
                      mb == 1,
                      mb == 0   ? (kind == RF_FAILS ? 48000 : 24000)
                      : mb == 1 ? 12000
                                : 0);
    }

    /* Assets: a deposit, a home; the failing family also has a car and
     * a company. */
    r = rec(c, 0, "deposit", DEL_BANK,
            "@0|ICBC|6222********1234|demand|12000.00");
    source(c, HD_FIGURE_FINANCIAL_ASSETS, r, 1200000, NULL);
    r = rec(c, 1, "real_estate", DEL_RE,
            "@1|浙(2019)杭州市不动产权第0012345号|330106|residential|89.50|"
            "100|2019-05-20|1");
    source(c, HD_FIGURE_HOMES, r, 8950, NULL);
    r = rec(c, 0, "medical", DEL_MED, "@0|2026-09|5000.00|3800.00|1200.00|0");
    source(c, HD_FIGURE_EXPENDITURE, r, 120000, NULL);
    c->months[1].expenditure_fen = 120000;

    c->r.has_figures = true;
    c->r.has_level = true;
    c->r.figures.members = 3;
    c->r.figures.expenditure_fen = 120000;
    c->r.figures.financial_assets_fen = 1200000;
    c->r.figures.pca_fen = 400000;
    c->r.figures.homes = 1;
    c->r.figures.owned_area_m2x100 = 8950;
    c->r.figures.area_pc_m2x100 = 2983;
    if (kind == RF_FAILS) {
        /* 3 x (600000 - 48000 + 150000 - 12000) = 2070000; pci 230000 */
        c->r.figures.income_fen = 2070000;
        c->r.figures.pci_fen = 230000;
        c->r.figures.pci_after_fen = 216666;
        c->r.figures.vehicles = 1;
        r = rec(c, 0, "vehicle", DEL_VEH,
                "@0|浙A·12345|car|2021-03-01|"
                "85000.00|1");
        source(c, HD_FIGURE_VEHICLES, r, 1, NULL);
        r = rec(c, 0, "enterprise", DEL_ENT,
                "@0|91330106MA2CXXXX16|杭州示例贸易有限公司|shareholder|"
                "50000.00|1|2018-04-02");
        source(c, HD_FIGURE_ENTERPRISE, r, 1, NULL);
    } else {
        /* 3 x (300000 - 24000 + 150000 - 12000) = 1242000; pci 138000 */
        c->r.figures.income_fen = 1242000;
        c->r.figures.pci_fen = 138000;
        c->r.figures.pci_after_fen = 124666;
    }

    if (kind == RF_FAILS) {
        int64_t lim = INT64_C(15000) * 151000;
        test(c, HD_FAIL_INCOME, p, 230000, lim, 10000, true, true);
        test(c, HD_FAIL_FINANCIAL_ASSETS, p, 400000, INT64_C(360000) * 151000,
             10000, true, false);
        test(c, HD_FAIL_VEHICLE, p, 1, 0, 1, false, true);
        test(c, HD_FAIL_HOMES, p, 1, 1, 1, true, false);
        test(c, HD_FAIL_HOME_AREA, p, 2983, 4000, 1, true, false);
        test(c, HD_FAIL_NONRESIDENTIAL, p, 0, 0, 1, false, false);
        test(c, HD_FAIL_ENTERPRISE, p, 1, 0, 1, false, true);
        c->r.conclusion = HD_CONCLUSION_FAILS;
        c->r.level = HD_LEVEL_NONE;
        c->r.failed = ((uint64_t)1 << HD_FAIL_ENTERPRISE) |
                      ((uint64_t)1 << HD_FAIL_INCOME) |
                      ((uint64_t)1 << HD_FAIL_VEHICLE);
        c->r.diffs[0] = (hd_declared_diff){"vehicles", 0, 1};
        c->r.diffs[1] = (hd_declared_diff){"monthly_income", 500000, 690000};
        c->r.diff_count = 2;
        return;
    }
    test(c, HD_FAIL_INCOME, p, 138000, 151000, 1, true, false);
    test(c, HD_FAIL_FINANCIAL_ASSETS, p, 400000, INT64_C(240000) * 151000,
         10000, true, false);
    test(c, HD_FAIL_VEHICLE, p, 0, 0, 1, false, false);
    test(c, HD_FAIL_HOMES, p, 1, 1, 1, true, false);
    test(c, HD_FAIL_HOME_AREA, p, 2983, 4000, 1, true, false);
    test(c, HD_FAIL_NONRESIDENTIAL, p, 0, 0, 1, false, false);
    test(c, HD_FAIL_ENTERPRISE, p, 0, 0, 1, false, false);
    c->r.level = HD_LEVEL_DIBAO;
    c->r.conclusion = HD_CONCLUSION_MEETS;
    if (kind == RF_REVIEW) {
        /* The child has no hukou row; the applicant's latest marriage is
         * to someone not declared; the insurers have not delivered. */
        c->r.members[2].in_hukou = false;
        c->r.members[2].hukou_relation[0] = '\0';
        r = rec(c, 0, "marriage", DEL_CIV, "@0|@3|1|2015-02-14");
        source(c, HD_FIGURE_FAMILY, r, 1, "undeclared spouse");
        c->r.conclusion = HD_CONCLUSION_REVIEW;
        c->r.findings = ((uint64_t)1 << HD_FIND_FEED_NOT_DELIVERED) |
                        ((uint64_t)1 << HD_FIND_MEMBER_NOT_IN_HUKOU) |
                        ((uint64_t)1 << HD_FIND_UNDECLARED_SPOUSE);
        c->r.diffs[0] = (hd_declared_diff){"monthly_income", 350000, 414000};
        c->r.diffs[1] = (hd_declared_diff){"homes", 1, 1};
        c->r.diff_count = 2;
    }
}

void rf_golden(const char *name, const char *data, size_t len)
{
    char path[4096];
    const char *regen = getenv("HEDUI_REGENERATE");
    size_t glen = 0;
    char *golden;

    snprintf(path, sizeof(path), "%s/tests/golden/report/%s", tu_source_dir(),
             name);
    if (regen && strcmp(regen, "1") == 0) {
        FILE *f = fopen(path, "wb");
        assert_non_null(f);
        assert_int_equal(fwrite(data, 1, len, f), len);
        assert_int_equal(fclose(f), 0);
    }
    golden = tu_read_file(path, &glen);
    if (!golden)
        fail_msg("%s missing: run with HEDUI_REGENERATE=1", path);
    if (glen != len || memcmp(golden, data, len) != 0)
        fail_msg("%s differs: regenerate with HEDUI_REGENERATE=1 ctest -R "
                 "unit/test_report and review the diff",
                 path);
    free(golden);
}
