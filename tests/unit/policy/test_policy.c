/*
 * The policy module: the own file format and its errors, the
 * hedui-policy/1 interchange and the store form, resolution as rules.md
 * section 1 states it, merging, the case store's versions, and agreement
 * with the generator's resolver on its own policy.
 */
#include "testutil.h"

#include "gen/gen.h"
#include "gen/gen_int.h"

#include <hedui/policy.h>
#include <hedui/std.h>
#include <hedui/store.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int32_t d(const char *iso)
{
    int32_t out = 0;
    if (hd_date_parse(&out, iso, strlen(iso), NULL))
        fail_msg("bad date %s", iso);
    return out;
}

static hd_policy *parse_ok(const char *text)
{
    hd_policy *p = NULL;
    hd_error err;
    hd_error_clear(&err);
    if (hd_policy_parse_mem(&p, "t.policy", text, strlen(text), &err) != 0)
        fail_msg("parse: %s:%lld: %s: %s", err.file, (long long)err.line,
                 err.field, err.msg);
    return p;
}

static hd_policy *json_ok(const char *text)
{
    hd_policy *p = NULL;
    hd_error err;
    hd_error_clear(&err);
    if (hd_policy_interchange_parse(&p, "t.json", text, strlen(text), &err))
        fail_msg("json: %s: %s", err.field, err.msg);
    return p;
}

static void resolve_ok(hd_params *out, const hd_policy *p, const char *region,
                       const char *on)
{
    hd_error err;
    hd_error_clear(&err);
    if (hd_policy_resolve(out, p, region, d(on), &err) != 0)
        fail_msg("resolve %s %s: %s", region, on, err.msg);
}

/* ------------------------------------------------------------ parsing */

static const char *const sample =
    "# Synthetic parameters for the tests.\n"
    "[national]\n"
    "source = 民发〔2012〕220号 test national source\n"
    "low_income_factor = 1.5   # the rules.md default, stated\n"
    "\n"
    "[330100 2025-07-01]\n"
    "source = 杭州市民政局 test document, 2025-06-20, "
    "https://example.org/a#frag\n"
    "dibao_standard = 1410.00\n"
    "max_area_per_capita = 40.5\n"
    "excluded_categories = incidental, transfer\n"
    "source = second document\n"
    "financial_limit_months_dibao = 18.25\n"
    "income_months = 6\n"
    "[330106 2025-01-01]\n"
    "source = county document\n"
    "max_area_per_capita = none\n"
    "old_age = 55\n"
    "max_homes = 0\n"
    "tekun_standard = 2000\n"
    "vehicle_exempt_value = 50000.5\n"
    "enterprise_capital_limit = 0\n"
    "earned_income_disregard = 300\n"
    "financial_limit_months_low_income = 36\n";

static void test_parse_own_format(void **state)
{
    (void)state;
    hd_policy *p = parse_ok(sample);
    hd_params ps;
    const hd_column *col = NULL;
    const hd_feed *feed = hd_feed_find("tax_income");
    int incidental, transfer;

    assert_non_null(feed);
    col = &feed->columns[hd_feed_column(feed, "category")];
    incidental = hd_column_code_index(col, "incidental", 10);
    transfer = hd_column_code_index(col, "transfer", 8);
    assert_true(hd_policy_has_national(p));

    resolve_ok(&ps, p, "330106", "2025-08-01");
    assert_int_equal(ps.v.dibao_standard_fen, 141000);
    assert_string_equal(ps.origin[HD_PARAM_DIBAO_STANDARD].region, "330100");
    assert_int_equal(ps.origin[HD_PARAM_DIBAO_STANDARD].effective_from,
                     d("2025-07-01"));
    assert_string_equal(ps.origin[HD_PARAM_DIBAO_STANDARD].source,
                        "杭州市民政局 test document, 2025-06-20, "
                        "https://example.org/a#frag");
    /* The county clears the city's area limit. */
    assert_false(ps.v.has_max_area_per_capita);
    assert_string_equal(ps.origin[HD_PARAM_MAX_AREA_PER_CAPITA].region,
                        "330106");
    assert_int_equal(ps.v.excluded_categories,
                     (1u << incidental) | (1u << transfer));
    assert_int_equal(ps.v.financial_limit_months_dibao_x10000, 182500);
    assert_string_equal(ps.origin[HD_PARAM_FINANCIAL_LIMIT_MONTHS_DIBAO].source,
                        "second document");
    assert_int_equal(ps.v.income_months, 6);
    assert_int_equal(ps.v.old_age, 55);
    assert_int_equal(ps.v.max_homes, 0);
    assert_int_equal(ps.v.tekun_standard_x10000, INT64_C(200000) * 10000);
    assert_int_equal(ps.v.vehicle_exempt_value_fen, 5000050);
    assert_int_equal(ps.v.earned_income_disregard_fen, 30000);
    assert_int_equal(ps.v.financial_limit_months_low_income_x10000, 360000);
    assert_int_equal(ps.v.low_income_factor_x10000, 15000);
    assert_true(ps.origin[HD_PARAM_LOW_INCOME_FACTOR].is_default);
    assert_string_equal(ps.origin[HD_PARAM_LOW_INCOME_FACTOR].source,
                        "民发〔2012〕220号 test national source");

    /* Another county of the city keeps the city's area limit. */
    resolve_ok(&ps, p, "330102", "2025-08-01");
    assert_true(ps.v.has_max_area_per_capita);
    assert_int_equal(ps.v.max_area_per_capita_m2x100, 4050);
    hd_policy_free(p);
}

typedef struct bad_case {
    const char *text;
    int64_t line;
    const char *field; /* "" for none */
    const char *rule;  /* a part of the message */
} bad_case;

static void test_own_format_errors(void **state)
{
    (void)state;
    static const bad_case cases[] = {
        {"[330100 2025-07-01]\nsource = s\nfoo = 1\n", 3, "foo",
         "unknown parameter"},
        {"[330100 2025-07-01]\nsource = s\ndibao_standard = 1.234\n", 3,
         "dibao_standard", "bad value"},
        {"[330100 2025-07-01]\nsource = s\ndibao_standard = -1\n", 3,
         "dibao_standard", "bad value"},
        {"[330100 2025-07-01]\nsource = s\nlow_income_factor = 1.23456\n", 3,
         "low_income_factor", "bad value"},
        {"[330100 2025-07-01]\nsource = s\nincome_months = 0\n", 3,
         "income_months", "from 1 to 60"},
        {"[330100 2025-07-01]\nsource = s\nmax_homes = 100\n", 3, "max_homes",
         "from 0 to 99"},
        {"[330100 2025-07-01]\nsource = s\nold_age = 151\n", 3, "old_age",
         "bad value"},
        {"[330100 2025-07-01]\nsource = s\nold_age = none\n", 3, "old_age",
         "bad value"},
        {"[330100 2025-07-01]\nsource = s\nexcluded_categories = wage, x\n", 3,
         "excluded_categories", "unknown tax_income category"},
        {"[330100 2025-07-01]\nsource = s\nmax_area_per_capita = 1.234\n", 3,
         "max_area_per_capita", "bad value"},
        {"\n[990100 2025-07-01]\n", 2, "region", "unknown region"},
        {"[330106002 2025-07-01]\n", 1, "region",
         "not a county, city or province code"},
        {"[33010 2025-07-01]\n", 1, "region",
         "not a county, city or province code"},
        {"[330100 2025-02-30]\n", 1, "effective_from", "bad date"},
        {"[330100 2025-7-1]\n", 1, "effective_from", "bad date"},
        {"[330100 2025-07-01]\nsource = s\nold_age = 50\nold_age = 51\n", 4,
         "old_age", "duplicate parameter"},
        {"[330100 2025-07-01]\nold_age = 50\n", 2, "old_age",
         "no source in effect"},
        {"[330100 2025-07-01]\nsource = s\n[330106 2025-07-01]\nold_age = "
         "50\n",
         4, "old_age", "no source in effect"},
        {"[national]\nsource = s\ndibao_standard = 1000\n", 3, "dibao_standard",
         "must be set per region"},
        {"old_age = 50\n", 1, "", "outside a section"},
        {"[330100 2025-07-01]\nsource = s\njust words\n", 3, "",
         "expected key = value"},
        {"[330100 2025-07-01]\nsource =   # nothing\n", 2, "source",
         "empty source"},
        {"[330100 2025-07-01\n", 1, "", "expected [REGION"},
        /* Two sections of one region and date setting one parameter. */
        {"[330100 2025-07-01]\nsource = s\nold_age = 50\n\n"
         "[330100 2025-07-01]\nsource = t\nold_age = 51\n",
         7, "old_age", "overlapping dates"},
    };

    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        hd_policy *p = (hd_policy *)1;
        hd_error err;
        hd_error_clear(&err);
        int rc = hd_policy_parse_mem(&p, "bad.policy", cases[i].text,
                                     strlen(cases[i].text), &err);
        if (rc != HD_EDATA)
            fail_msg("case %zu: rc %d (%s)", i, rc, err.msg);
        assert_null(p);
        assert_string_equal(err.file, "bad.policy");
        if (err.line != cases[i].line || strcmp(err.field, cases[i].field) ||
            !strstr(err.msg, cases[i].rule))
            fail_msg("case %zu: got %lld [%s] %s", i, (long long)err.line,
                     err.field, err.msg);
    }
}

static void test_directory_and_overlap_across_files(void **state)
{
    (void)state;
    const char *dir = tu_tempdir();
    char path[4096];
    hd_policy *p = NULL;
    hd_params ps;
    hd_error err;

    tu_write_file(dir, "a.policy",
                  "[330100 2025-07-01]\nsource = a\ndibao_standard = 1000\n");
    tu_write_file(dir, "b.policy",
                  "[330100 2025-07-01]\nsource = b\nold_age = 50\n");
    tu_write_file(dir, "ignored.txt", "not a policy\n");
    snprintf(path, sizeof(path), "%s", dir);
    hd_error_clear(&err);
    assert_int_equal(hd_policy_read_path(&p, path, &err), 0);
    resolve_ok(&ps, p, "330106", "2025-07-01");
    assert_int_equal(ps.v.dibao_standard_fen, 100000);
    assert_int_equal(ps.v.old_age, 50);
    assert_string_equal(ps.origin[HD_PARAM_OLD_AGE].source, "b");
    hd_policy_free(p);

    /* The same parameter for the same region and date in two files. */
    tu_write_file(dir, "c.policy",
                  "# c\n[330100 2025-07-01]\nsource = c\ndibao_standard = "
                  "1100\n");
    hd_error_clear(&err);
    assert_int_equal(hd_policy_read_path(&p, path, &err), HD_EDATA);
    assert_null(p);
    assert_non_null(strstr(err.file, "c.policy"));
    assert_int_equal(err.line, 4);
    assert_string_equal(err.field, "dibao_standard");
    assert_non_null(strstr(err.msg, "overlapping dates"));
    assert_non_null(strstr(err.msg, "a.policy:3"));
    tu_rmtree(dir);
}

/* ------------------------------------------------------------ JSON */

static void test_interchange_parse(void **state)
{
    (void)state;
    const char *text =
        "{\"standard\": \"hedui-policy/1\",\n"
        " \"national\": {\"low_income_factor\": \"1.5\", \"income_months\": "
        "12, \"financial_limit_months_dibao\": 24,"
        " \"financial_limit_months_low_income\": \"36.5\","
        " \"vehicle_exempt_value\": 0, \"max_homes\": 1,"
        " \"max_area_per_capita\": null, \"enterprise_capital_limit\": 0,"
        " \"earned_income_disregard\": 0, \"excluded_categories\": [],"
        " \"old_age\": 60},\n"
        " \"regions\": [\n"
        "  {\"region\": \"330100\", \"effective_from\": \"2025-07-01\","
        "   \"params\": {\"dibao_standard\": 141000}},\n"
        "  {\"region\": \"330106\", \"effective_from\": \"2025-01-01\","
        "   \"params\": {\"max_area_per_capita\": 4000,"
        " \"excluded_categories\": [\"interest\"]}}]}";
    hd_policy *p = json_ok(text);
    hd_params ps;

    resolve_ok(&ps, p, "330106", "2025-07-01");
    assert_int_equal(ps.v.dibao_standard_fen, 141000);
    assert_int_equal(ps.v.max_area_per_capita_m2x100, 4000);
    assert_int_equal(ps.v.financial_limit_months_dibao_x10000, 240000);
    assert_int_equal(ps.v.financial_limit_months_low_income_x10000, 365000);
    assert_null(ps.origin[HD_PARAM_DIBAO_STANDARD].source);
    assert_int_equal(ps.v.tekun_standard_x10000, INT64_C(13000) * 141000);
    assert_true(ps.origin[HD_PARAM_TEKUN_STANDARD].is_default);
    hd_policy_free(p);
}

typedef struct bad_json {
    const char *text;
    const char *field;
    const char *rule;
    int64_t line;
} bad_json;

#define HEAD "{\"standard\": \"hedui-policy/1\", "
#define REG(params)                                                            \
    HEAD "\"regions\": [{\"region\": \"330100\", \"effective_from\": "         \
         "\"2025-07-01\", \"params\": {\"dibao_standard\": 1}},"               \
         " {\"region\": \"330106\", \"effective_from\": \"2025-01-01\", "      \
         "\"params\": " params "}]}"

static void test_interchange_errors(void **state)
{
    (void)state;
    static const bad_json cases[] = {
        {"{\"standard\": \"hedui-policy/2\"}", "standard", "must be", 0},
        {HEAD "\"extra\": 1}", "extra", "unknown member", 0},
        {REG("{\"foo\": 1}"), "regions[1].params.foo", "unknown parameter", 0},
        {REG("{\"dibao_standard\": \"1410.00\"}"),
         "regions[1].params.dibao_standard", "expected an integer", 0},
        {REG("{\"dibao_standard\": 1.5}"), "regions[1].params.dibao_standard",
         "expected an integer", 0},
        {REG("{\"dibao_standard\": null}"), "regions[1].params.dibao_standard",
         "null", 0},
        {REG("{\"low_income_factor\": 2}"),
         "regions[1].params.low_income_factor", "decimal string", 0},
        {REG("{\"low_income_factor\": \"1.23456\"}"),
         "regions[1].params.low_income_factor", "", 0},
        {REG("{\"income_months\": 61}"), "regions[1].params.income_months",
         "from 1 to 60", 0},
        {REG("{\"excluded_categories\": [\"nope\"]}"),
         "regions[1].params.excluded_categories", "unknown tax_income", 0},
        {REG("{\"max_area_per_capita\": -5}"),
         "regions[1].params.max_area_per_capita", "negative", 0},
        {HEAD "\"regions\": [{\"region\": \"990100\", \"effective_from\": "
              "\"2025-07-01\", \"params\": {}}]}",
         "regions[0].region", "unknown region", 0},
        {HEAD "\"regions\": [{\"region\": \"330100\", \"effective_from\": "
              "\"2025-13-01\", \"params\": {}}]}",
         "regions[0].effective_from", "bad date", 0},
        {HEAD "\"regions\": [{\"region\": \"330100\", \"effective_from\": "
              "\"2025-01-01\", \"params\": {}, \"sources\": {}}]}",
         "regions[0].sources", "unknown member", 0},
        {HEAD "\"national\": {\"dibao_standard\": 1}}",
         "national.dibao_standard", "must be set per region", 0},
        {"{\"standard\": \"hedui-policy/1\",\n\"regions\": [\n,]}", "",
         "invalid JSON", 3},
    };

    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        hd_policy *p = NULL;
        hd_error err;
        int rc;
        hd_error_clear(&err);
        rc = hd_policy_interchange_parse(&p, "x.json", cases[i].text,
                                         strlen(cases[i].text), &err);
        if (rc != HD_EDATA)
            fail_msg("case %zu: rc %d", i, rc);
        assert_null(p);
        if (strcmp(err.field, cases[i].field) ||
            !strstr(err.msg, cases[i].rule) || err.line != cases[i].line)
            fail_msg("case %zu: got %lld [%s] %s", i, (long long)err.line,
                     err.field, err.msg);
    }

    /* Two entries of one region and date setting the same parameter. */
    {
        const char *text =
            HEAD "\"regions\": [{\"region\": \"330100\", \"effective_from\": "
                 "\"2025-07-01\", \"params\": {\"old_age\": 50}}, "
                 "{\"region\": \"330100\", \"effective_from\": "
                 "\"2025-07-01\", \"params\": {\"old_age\": 51}}]}";
        hd_policy *p = NULL;
        hd_error err;
        hd_error_clear(&err);
        assert_int_equal(
            hd_policy_interchange_parse(&p, "x.json", text, strlen(text), &err),
            HD_EDATA);
        assert_string_equal(err.field, "regions[1].params.old_age");
        assert_non_null(strstr(err.msg, "overlapping dates"));
    }
}

static void test_round_trip(void **state)
{
    (void)state;
    hd_policy *own = parse_ok(sample), *stored = NULL, *inter = NULL;
    hd_buf a, b, c;
    hd_error err;

    hd_buf_init(&a, HD_BUF_DEFAULT_MAX);
    hd_buf_init(&b, HD_BUF_DEFAULT_MAX);
    hd_buf_init(&c, HD_BUF_DEFAULT_MAX);
    hd_error_clear(&err);
    assert_int_equal(hd_policy_store_write(&a, own, &err), 0);
    assert_non_null(strstr(a.ptr, "\"sources\""));
    assert_non_null(strstr(a.ptr, "county document"));
    assert_int_equal(hd_policy_store_parse(&stored, "s", a.ptr, a.len, &err),
                     0);
    assert_int_equal(hd_policy_store_write(&b, stored, &err), 0);
    assert_string_equal(a.ptr, b.ptr);

    assert_int_equal(hd_policy_interchange_write(&c, stored, &err), 0);
    assert_null(strstr(c.ptr, "sources"));
    /* The interchange form of rules.md: factors as strings, months of
     * the standard as numbers when whole, null for no limit. */
    assert_non_null(strstr(c.ptr, "\"low_income_factor\": \"1.5\""));
    assert_non_null(strstr(c.ptr, "\"financial_limit_months_dibao\": "
                                  "\"18.25\""));
    assert_non_null(strstr(c.ptr, "\"financial_limit_months_low_income\": "
                                  "36"));
    assert_non_null(strstr(c.ptr, "\"max_area_per_capita\": null"));
    assert_non_null(strstr(c.ptr, "\"max_area_per_capita\": 4050"));
    assert_non_null(strstr(c.ptr, "\"dibao_standard\": 141000"));
    assert_non_null(strstr(c.ptr, "\"tekun_standard\": 200000"));
    /* Regions in code order: the city before the county. */
    assert_true(strstr(c.ptr, "330100") < strstr(c.ptr, "330106"));
    assert_int_equal(
        hd_policy_interchange_parse(&inter, "i", c.ptr, c.len, &err), 0);
    for (int k = 0; k < 4; k++) {
        static const char *const regions[] = {"330106", "330102", "330100",
                                              "330000"};
        static const char *const dates[] = {"2025-01-01", "2025-07-01",
                                            "2026-01-01", "2024-12-31"};
        hd_params x, y;
        int rx = hd_policy_resolve(&x, own, regions[k], d(dates[k]), NULL);
        int ry = hd_policy_resolve(&y, inter, regions[k], d(dates[k]), NULL);
        assert_int_equal(rx, ry);
        assert_memory_equal(&x.v, &y.v, sizeof(x.v));
    }
    hd_buf_release(&a);
    hd_buf_release(&b);
    hd_buf_release(&c);
    hd_policy_free(own);
    hd_policy_free(stored);
    hd_policy_free(inter);
}

/* ---------------------------------------------------------- resolution */

/* Each parameter's value at each level, so that a test can tell which
 * level it came from. */
static void level_entry(char *buf, size_t cap, const char *header, int level)
{
    /* level 1 county, 2 city, 3 province */
    snprintf(buf, cap,
             "%s\nsource = level %d\n"
             "dibao_standard = %d\n"
             "tekun_standard = %d\n"
             "low_income_factor = 1.%d\n"
             "income_months = %d\n"
             "financial_limit_months_dibao = %d\n"
             "financial_limit_months_low_income = %d\n"
             "vehicle_exempt_value = %d\n"
             "max_homes = %d\n"
             "max_area_per_capita = %d\n"
             "enterprise_capital_limit = %d\n"
             "earned_income_disregard = %d\n"
             "excluded_categories = %s\n"
             "old_age = %d\n"
             "report_days = %d\n"
             "decision_days = %d\n"
             "objection_days = %d\n",
             header, level, 1000 + level, 2000 + level, level, level,
             10 + level, 20 + level, 30 + level, level, 40 + level, 50 + level,
             60 + level,
             level == 1   ? "wage"
             : level == 2 ? "labor"
                          : "royalty",
             50 + level, 10 + level, 20 + level, level);
}

static void check_level(const hd_params *ps, int id, int level)
{
    const char *want_region = level == 1   ? "330106"
                              : level == 2 ? "330100"
                              : level == 3 ? "330000"
                                           : "";
    if (strcmp(ps->origin[id].region, want_region) ||
        ps->origin[id].is_default != (level == 0))
        fail_msg("%s: from [%s], want level %d", hd_param_name(id),
                 ps->origin[id].region, level);
}

static void test_inheritance_every_parameter(void **state)
{
    (void)state;
    char county[2048], city[2048], prov[2048], text[8192];

    level_entry(county, sizeof(county), "[330106 2025-01-01]", 1);
    level_entry(city, sizeof(city), "[330100 2025-01-01]", 2);
    level_entry(prov, sizeof(prov), "[330000 2025-01-01]", 3);

    /* All three levels: the county's every value. */
    snprintf(text, sizeof(text), "%s%s%s", county, city, prov);
    {
        hd_policy *p = parse_ok(text);
        hd_params ps;
        resolve_ok(&ps, p, "330106", "2025-01-01");
        for (int id = 0; id < HD_PARAM_COUNT_; id++)
            check_level(&ps, id, 1);
        assert_int_equal(ps.v.dibao_standard_fen, 100100);
        assert_int_equal(ps.v.old_age, 51);
        assert_int_equal(ps.v.report_days, 11);
        assert_int_equal(ps.v.objection_days, 1);
        /* A sibling county inherits everything from the city. */
        resolve_ok(&ps, p, "330102", "2025-01-01");
        for (int id = 0; id < HD_PARAM_COUNT_; id++)
            check_level(&ps, id, 2);
        assert_int_equal(ps.v.income_months, 2);
        assert_int_equal(ps.v.max_area_per_capita_m2x100, 4200);
        /* A county of another city of the province: the province's. */
        resolve_ok(&ps, p, "330205", "2025-01-01");
        for (int id = 0; id < HD_PARAM_COUNT_; id++)
            check_level(&ps, id, 3);
        assert_int_equal(ps.v.tekun_standard_x10000, INT64_C(200300) * 10000);
        assert_int_equal(ps.v.low_income_factor_x10000, 13000);
        hd_policy_free(p);
    }
    /* Only the dibao standard anywhere: everything else national. */
    {
        hd_policy *p = parse_ok("[330000 2025-01-01]\nsource = s\n"
                                "dibao_standard = 800\n");
        hd_params ps;
        resolve_ok(&ps, p, "330106", "2025-06-01");
        for (int id = 0; id < HD_PARAM_COUNT_; id++)
            check_level(&ps, id, id == HD_PARAM_DIBAO_STANDARD ? 3 : 0);
        /* rules.md's defaults. */
        assert_int_equal(ps.v.low_income_factor_x10000, 15000);
        assert_int_equal(ps.v.income_months, 12);
        assert_int_equal(ps.v.financial_limit_months_dibao_x10000, 240000);
        assert_int_equal(ps.v.financial_limit_months_low_income_x10000, 360000);
        assert_int_equal(ps.v.vehicle_exempt_value_fen, 0);
        assert_int_equal(ps.v.max_homes, 1);
        assert_false(ps.v.has_max_area_per_capita);
        assert_int_equal(ps.v.enterprise_capital_limit_fen, 0);
        assert_int_equal(ps.v.earned_income_disregard_fen, 0);
        assert_int_equal(ps.v.excluded_categories, 0);
        assert_int_equal(ps.v.old_age, 60);
        assert_int_equal(ps.v.tekun_standard_x10000, INT64_C(13000) * 80000);
        hd_policy_free(p);
    }
}

static void test_dates(void **state)
{
    (void)state;
    hd_policy *p = parse_ok("[330100 2024-01-01]\nsource = a\n"
                            "dibao_standard = 1000\nold_age = 58\n"
                            "[330100 2025-07-01]\nsource = b\n"
                            "dibao_standard = 1100\n"
                            "[330100 2030-01-01]\nsource = future\n"
                            "dibao_standard = 9999\n"
                            "[330106 2026-01-01]\nsource = c\n"
                            "dibao_standard = 1200\n");
    hd_params ps;
    hd_error err;

    /* Before any entry: nothing resolves. */
    hd_error_clear(&err);
    assert_int_equal(hd_policy_resolve(&ps, p, "330106", d("2023-12-31"), &err),
                     HD_ENOTFOUND);
    assert_int_equal(ps.v.old_age, 60);

    resolve_ok(&ps, p, "330106", "2024-01-01");
    assert_int_equal(ps.v.dibao_standard_fen, 100000);
    resolve_ok(&ps, p, "330106", "2025-06-30");
    assert_int_equal(ps.v.dibao_standard_fen, 100000);
    /* The latest entry wins, and an older one still gives what the newer
     * does not set. */
    resolve_ok(&ps, p, "330106", "2025-07-01");
    assert_int_equal(ps.v.dibao_standard_fen, 110000);
    assert_int_equal(ps.origin[HD_PARAM_DIBAO_STANDARD].effective_from,
                     d("2025-07-01"));
    assert_int_equal(ps.v.old_age, 58);
    assert_int_equal(ps.origin[HD_PARAM_OLD_AGE].effective_from,
                     d("2024-01-01"));
    /* The county's own standard from its date. */
    resolve_ok(&ps, p, "330106", "2026-01-01");
    assert_int_equal(ps.v.dibao_standard_fen, 120000);
    /* Future entries are ignored until their date. */
    resolve_ok(&ps, p, "330102", "2029-12-31");
    assert_int_equal(ps.v.dibao_standard_fen, 110000);
    resolve_ok(&ps, p, "330102", "2030-01-01");
    assert_int_equal(ps.v.dibao_standard_fen, 999900);
    /* A county setting its own standard is not overridden by a newer city
     * one. */
    resolve_ok(&ps, p, "330106", "2030-01-01");
    assert_int_equal(ps.v.dibao_standard_fen, 120000);

    /* Other provinces, and malformed codes. */
    assert_int_equal(hd_policy_resolve(&ps, p, "310101", d("2026-01-01"), NULL),
                     HD_ENOTFOUND);
    assert_int_equal(hd_policy_resolve(&ps, p, "33010", d("2026-01-01"), NULL),
                     HD_EINVAL);
    assert_int_equal(hd_policy_resolve(&ps, p, "33010x", d("2026-01-01"), NULL),
                     HD_EINVAL);
    hd_policy_free(p);
}

static void test_area_null_and_tekun(void **state)
{
    (void)state;
    hd_policy *p = parse_ok("[330000 2024-01-01]\nsource = p\n"
                            "dibao_standard = 1000\n"
                            "tekun_standard = 1500\n"
                            "[330100 2024-01-01]\nsource = a\n"
                            "max_area_per_capita = 35\n"
                            "[330106 2025-01-01]\nsource = b\n"
                            "max_area_per_capita = none\n"
                            "[310000 2024-01-01]\nsource = sh\n"
                            "dibao_standard = 1510.01\n");
    hd_params ps;

    resolve_ok(&ps, p, "330106", "2024-06-01");
    assert_true(ps.v.has_max_area_per_capita);
    assert_int_equal(ps.v.max_area_per_capita_m2x100, 3500);
    resolve_ok(&ps, p, "330106", "2025-01-01");
    assert_false(ps.v.has_max_area_per_capita);
    assert_string_equal(ps.origin[HD_PARAM_MAX_AREA_PER_CAPITA].region,
                        "330106");
    assert_false(ps.origin[HD_PARAM_MAX_AREA_PER_CAPITA].is_default);
    /* Tekun set at province level applies, not 1.3 x dibao. */
    assert_int_equal(ps.v.tekun_standard_x10000, INT64_C(150000) * 10000);
    assert_false(ps.origin[HD_PARAM_TEKUN_STANDARD].is_default);
    assert_string_equal(ps.origin[HD_PARAM_TEKUN_STANDARD].region, "330000");
    /* Nowhere set: 1.3 x 151001 fen, exactly (196301.3 fen). */
    resolve_ok(&ps, p, "310101", "2025-01-01");
    assert_int_equal(ps.v.tekun_standard_x10000, INT64_C(1963013000));
    assert_true(ps.origin[HD_PARAM_TEKUN_STANDARD].is_default);
    hd_policy_free(p);
}

/* --------------------------------------------------------------- merge */

static void test_merge(void **state)
{
    (void)state;
    hd_policy *cur = parse_ok("[national]\nsource = n\nold_age = 65\n"
                              "[330100 2024-01-01]\nsource = a\n"
                              "dibao_standard = 1000\n"
                              "[330100 2025-01-01]\nsource = a\n"
                              "max_homes = 3\n"
                              "[310000 2024-01-01]\nsource = b\n"
                              "dibao_standard = 1300\n");
    hd_policy *imp = parse_ok("[330100 2025-07-01]\nsource = c\n"
                              "dibao_standard = 1100\n");
    hd_policy *imp2 =
        parse_ok("[national]\nsource = n2\nlow_income_factor = 2\n");
    hd_policy *m = NULL, *m2 = NULL, *m3 = NULL;
    hd_params ps;
    hd_error err;

    hd_error_clear(&err);
    assert_int_equal(hd_policy_merge(&m, cur, imp, &err), 0);
    /* 330100's entries are the import's only: the 2024 one is gone. */
    assert_int_equal(hd_policy_resolve(&ps, m, "330106", d("2025-01-01"), NULL),
                     HD_ENOTFOUND);
    resolve_ok(&ps, m, "330106", "2025-07-01");
    assert_int_equal(ps.v.dibao_standard_fen, 110000);
    assert_int_equal(ps.v.max_homes, 1);
    /* The import has no national block: the current one stays. */
    assert_int_equal(ps.v.old_age, 65);
    assert_string_equal(ps.origin[HD_PARAM_OLD_AGE].source, "n");
    /* Other regions are kept. */
    resolve_ok(&ps, m, "310101", "2025-07-01");
    assert_int_equal(ps.v.dibao_standard_fen, 130000);

    /* A national block replaces the defaults as a whole. */
    assert_int_equal(hd_policy_merge(&m2, m, imp2, &err), 0);
    resolve_ok(&ps, m2, "310101", "2025-07-01");
    assert_int_equal(ps.v.low_income_factor_x10000, 20000);
    assert_int_equal(ps.v.old_age, 60);
    assert_int_equal(ps.v.dibao_standard_fen, 130000);

    /* No current policy: the national defaults are rules.md's. */
    assert_int_equal(hd_policy_merge(&m3, NULL, imp, &err), 0);
    resolve_ok(&ps, m3, "330106", "2025-07-01");
    assert_int_equal(ps.v.old_age, 60);
    assert_null(ps.origin[HD_PARAM_OLD_AGE].source);
    assert_int_equal(hd_policy_version(m3), 0);

    hd_policy_free(cur);
    hd_policy_free(imp);
    hd_policy_free(imp2);
    hd_policy_free(m);
    hd_policy_free(m2);
    hd_policy_free(m3);
}

/* ---------------------------------------------------------- case store */

static void test_store_versions(void **state)
{
    (void)state;
    const char *dir = tu_tempdir();
    char path[4096];
    hd_casestore *cs = NULL;
    hd_policy *a = parse_ok("[330100 2024-01-01]\nsource = a\n"
                            "dibao_standard = 1000\n");
    hd_policy *b = parse_ok("[310000 2024-01-01]\nsource = b\n"
                            "dibao_standard = 1300\n");
    hd_policy *loaded = NULL;
    int64_t v = -1;
    hd_params ps;
    hd_error err;

    tu_casestore_new(path, sizeof(path), dir);
    hd_error_clear(&err);
    assert_int_equal(hd_casestore_open(&cs, path, &err), 0);
    assert_int_equal(hd_policy_store_load(&loaded, cs, 0, &err), HD_ENOTFOUND);

    assert_int_equal(hd_policy_store_import(&v, cs, a, "a.policy", 100, &err),
                     0);
    assert_int_equal(v, 1);
    /* The same again stores nothing. */
    assert_int_equal(hd_policy_store_import(&v, cs, a, "a.policy", 200, &err),
                     0);
    assert_int_equal(v, 0);
    assert_int_equal(hd_policy_store_import(&v, cs, b, "b.policy", 300, &err),
                     0);
    assert_int_equal(v, 2);

    assert_int_equal(hd_policy_store_load(&loaded, cs, 0, &err), 0);
    assert_int_equal(hd_policy_version(loaded), 2);
    resolve_ok(&ps, loaded, "330106", "2025-01-01");
    assert_int_equal(ps.v.dibao_standard_fen, 100000);
    assert_int_equal(ps.policy_version, 2);
    assert_string_equal(ps.origin[HD_PARAM_DIBAO_STANDARD].source, "a");
    resolve_ok(&ps, loaded, "310101", "2025-01-01");
    hd_policy_free(loaded);

    assert_int_equal(hd_policy_store_load(&loaded, cs, 1, &err), 0);
    assert_int_equal(
        hd_policy_resolve(&ps, loaded, "310101", d("2025-01-01"), NULL),
        HD_ENOTFOUND);
    hd_policy_free(loaded);
    assert_int_equal(hd_policy_store_load(&loaded, cs, 3, &err), HD_ENOTFOUND);

    hd_casestore_free(cs);
    hd_policy_free(a);
    hd_policy_free(b);
    tu_casestore_drop(path);
    tu_rmtree(dir);
}

/* ------------------------------------------------------ the generator */

static void gen_to_values(hd_param_values *out, const hd_gen_params *g)
{
    memset(out, 0, sizeof(*out));
    out->dibao_standard_fen = g->dibao_standard_fen;
    out->tekun_standard_x10000 = g->has_tekun_standard
                                     ? g->tekun_standard_fen * 10000
                                     : 13000 * g->dibao_standard_fen;
    out->low_income_factor_x10000 = g->low_income_factor_x10000;
    out->income_months = g->income_months;
    out->financial_limit_months_dibao_x10000 =
        (int64_t)g->financial_limit_months_dibao * 10000;
    out->financial_limit_months_low_income_x10000 =
        (int64_t)g->financial_limit_months_low_income * 10000;
    out->vehicle_exempt_value_fen = g->vehicle_exempt_value_fen;
    out->max_homes = g->max_homes;
    out->has_max_area_per_capita = g->has_max_area_per_capita;
    out->max_area_per_capita_m2x100 =
        g->has_max_area_per_capita ? g->max_area_per_capita_m2x100 : 0;
    out->enterprise_capital_limit_fen = g->enterprise_capital_limit_fen;
    out->earned_income_disregard_fen = g->earned_income_disregard_fen;
    out->excluded_categories = g->excluded_categories;
    out->old_age = g->old_age;
    /* The generator sets no workflow deadlines: the national defaults
     * of docs/policy.md. */
    out->report_days = 10;
    out->decision_days = 10;
    out->objection_days = 5;
}

static gen_world world;

static void test_generator_policy(void **state)
{
    (void)state;
    hd_policy *p = NULL;
    hd_error err;
    hd_buf json;
    int32_t applied_on = d("2026-11-20");
    int compared = 0, refused = 0;

    hd_error_clear(&err);
    assert_int_equal(
        hd__gen_world_build(&world, d("2026-11-01"), applied_on, &err), 0);
    hd_buf_init(&json, HD_BUF_DEFAULT_MAX);
    assert_int_equal(hd_gen_policy_json(&json, &world.policy), 0);
    assert_int_equal(hd_policy_interchange_parse(&p, "policy.json", json.ptr,
                                                 json.len, &err),
                     0);
    for (int c = 0; c < world.county_count; c++) {
        const gen_county *g = &world.counties[c];
        /* Every date on which some entry starts, the day before it, and a
         * few more: every change of the resolved values is crossed. */
        for (size_t e = 0; e <= world.policy.entry_count; e++) {
            int32_t base = e < world.policy.entry_count
                               ? world.policy.entries[e].effective_from
                               : applied_on;
            for (int delta = -1; delta <= 1; delta++) {
                hd_gen_params gp;
                hd_param_values want;
                hd_params got;
                int32_t on = base + delta;
                int rg = hd_gen_policy_resolve(&gp, &world.policy, g->code, on);
                int rp = hd_policy_resolve(&got, p, g->code, on, NULL);
                if (rg != rp)
                    fail_msg("%s on %d: gen %d, policy %d", g->code, on, rg,
                             rp);
                if (rg != 0) {
                    refused++;
                    continue;
                }
                gen_to_values(&want, &gp);
                if (!got.v.has_max_area_per_capita)
                    got.v.max_area_per_capita_m2x100 = 0;
                if (memcmp(&want, &got.v, sizeof(want)))
                    fail_msg("%s on %d: values differ (dibao %lld vs %lld)",
                             g->code, on, (long long)want.dibao_standard_fen,
                             (long long)got.v.dibao_standard_fen);
                compared++;
            }
        }
    }
    assert_true(compared > 100);
    assert_true(refused > 0);
    hd_buf_release(&json);
    hd_policy_free(p);
}

static void test_param_names(void **state)
{
    (void)state;
    assert_string_equal(hd_param_name(HD_PARAM_DIBAO_STANDARD),
                        "dibao_standard");
    assert_string_equal(hd_param_name(HD_PARAM_OLD_AGE), "old_age");
    assert_int_equal(hd_param_find("max_homes", 9), HD_PARAM_MAX_HOMES);
    assert_int_equal(hd_param_find("max_home", 8), -1);
    assert_null(hd_param_name(HD_PARAM_COUNT_));
}

/* Every allocation failing in turn: an error, never a crash or a leak. */
static void test_allocation_failures(void **state)
{
    (void)state;
    for (long n = 1; n < 200; n++) {
        hd_policy *p = NULL;
        hd_error err;
        int rc;
        hd_alloc_fail_after(n, false);
        rc = hd_policy_parse_mem(&p, "t.policy", sample, strlen(sample), &err);
        hd_alloc_fail_after(0, false);
        if (rc == 0) {
            hd_policy_free(p);
            break;
        }
        assert_int_equal(rc, HD_ENOMEM);
        assert_null(p);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_param_names),
        cmocka_unit_test(test_parse_own_format),
        cmocka_unit_test(test_own_format_errors),
        cmocka_unit_test(test_directory_and_overlap_across_files),
        cmocka_unit_test(test_interchange_parse),
        cmocka_unit_test(test_interchange_errors),
        cmocka_unit_test(test_round_trip),
        cmocka_unit_test(test_inheritance_every_parameter),
        cmocka_unit_test(test_dates),
        cmocka_unit_test(test_area_null_and_tekun),
        cmocka_unit_test(test_merge),
        cmocka_unit_test(test_store_versions),
        cmocka_unit_test(test_generator_policy),
        cmocka_unit_test(test_allocation_failures),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
