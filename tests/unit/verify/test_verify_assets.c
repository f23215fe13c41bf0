/*
 * rules.md section 4 (assets) and the asset tests of section 6. Expected
 * figures are worked out by hand in the comments.
 */
#include "verify_test.h"

static void two_members(vt *t, const char *program)
{
    vt_init(t, program, "2026-11-20");
    vt_member(t, "19800101", 11, "02");
    vt_member(t, "19820202", 22, "10");
    vt_hukou_all(t);
}

static void test_financial_assets(void **state)
{
    vt t;
    (void)state;
    two_members(&t, "dibao");
    vt_row(&t, 0, "deposit", "B001", "6222****0001", "demand", "1000.00", NULL);
    vt_row(&t, 1, "deposit", "B002", "6222****0002", "time", "0.01", NULL);
    vt_row(&t, 0, "securities", "S001", "2000.50", NULL);
    vt_row(&t, 1, "insurance", "P001", "life", "300.00", "1200.00", NULL);
    vt_run(&t);
    /* A = 100000 + 1 + 200050 + 30000 = 330051; pca = 330051 / 2 =
     * 165025 (truncated); annual premiums are not assets */
    assert_int_equal(t.r.figures.financial_assets_fen, 330051);
    assert_int_equal(t.r.figures.pca_fen, 165025);
    vt_free(&t);
}

static void test_homes_and_area(void **state)
{
    vt t;
    (void)state;
    two_members(&t, "dibao");
    /* one home co-owned half and half: counted once, area summed whole */
    vt_row(&t, 0, "real_estate", "C1", "330106", "residential", "90.00", "50",
           "2010-01-01", "1", NULL);
    vt_row(&t, 1, "real_estate", "C1", "330106", "residential", "90.00", "50",
           "2010-01-01", "1", NULL);
    /* cancelled and other-use properties are never counted */
    vt_row(&t, 0, "real_estate", "C2", "330106", "residential", "120.00", "100",
           "2005-01-01", "2", NULL);
    vt_row(&t, 0, "real_estate", "C4", "330106", "other", "20.00", "100",
           "2005-01-01", "1", NULL);
    vt_run(&t);
    /* area = (9000 x 50 + 9000 x 50) / 100 = 9000; area_pc = 9000 / 2 */
    assert_int_equal(t.r.figures.homes, 1);
    assert_int_equal(t.r.figures.owned_area_m2x100, 9000);
    assert_int_equal(t.r.figures.area_pc_m2x100, 4500);
    assert_false(vt_failed(&t, HD_FAIL_HOMES));
    assert_false(vt_failed(&t, HD_FAIL_NONRESIDENTIAL));
    /* no max_area_per_capita: no HOME_AREA test at all */
    assert_null(vt_test(&t, HD_PROGRAM_DIBAO, HD_FAIL_HOME_AREA));
    vt_free(&t);
}

static void test_second_home_fails(void **state)
{
    vt t;
    (void)state;
    two_members(&t, "dibao");
    vt_row(&t, 0, "real_estate", "C1", "330106", "residential", "90.00", "50",
           "2010-01-01", "1", NULL);
    vt_row(&t, 1, "real_estate", "C1", "330106", "residential", "90.00", "50",
           "2010-01-01", "1", NULL);
    vt_row(&t, 0, "real_estate", "C3", "330106", "residential", "33.33", "100",
           "2012-01-01", "1", NULL);
    vt_run(&t);
    /* homes 2 > max_homes 1; area = 900000 + 333300 = 1233300 (area x
     * share); area_pc = 1233300 / 200 = 6166 (6166.5 truncated once) */
    assert_int_equal(t.r.figures.homes, 2);
    assert_int_equal(t.r.figures.area_pc_m2x100, 6166);
    assert_true(vt_failed(&t, HD_FAIL_HOMES));
    assert_int_equal(t.r.conclusion, HD_CONCLUSION_FAILS);
    vt_free(&t);
}

static void test_home_area_limit(void **state)
{
    vt t;
    (void)state;
    /* 30.00 m² per capita allowed: exactly 30.00 passes ... */
    vt_init(&t, "dibao", "2026-11-20");
    vt_member(&t, "19800101", 11, "02");
    vt_hukou_all(&t);
    t.p.v.has_max_area_per_capita = true;
    t.p.v.max_area_per_capita_m2x100 = 3000;
    vt_row(&t, 0, "real_estate", "C1", "330106", "residential", "30.00", "100",
           "2010-01-01", "1", NULL);
    vt_run(&t);
    assert_int_equal(t.r.figures.area_pc_m2x100, 3000);
    assert_false(vt_failed(&t, HD_FAIL_HOME_AREA));
    assert_non_null(vt_test(&t, HD_PROGRAM_DIBAO, HD_FAIL_HOME_AREA));
    vt_free(&t);

    /* ... and 30.01 fails */
    vt_init(&t, "dibao", "2026-11-20");
    vt_member(&t, "19800101", 11, "02");
    vt_hukou_all(&t);
    t.p.v.has_max_area_per_capita = true;
    t.p.v.max_area_per_capita_m2x100 = 3000;
    vt_row(&t, 0, "real_estate", "C1", "330106", "residential", "30.01", "100",
           "2010-01-01", "1", NULL);
    vt_run(&t);
    assert_int_equal(t.r.figures.area_pc_m2x100, 3001);
    assert_true(vt_failed(&t, HD_FAIL_HOME_AREA));
    assert_int_equal(t.r.level, HD_LEVEL_NONE);
    vt_free(&t);
}

static void test_nonresidential(void **state)
{
    static const char *const uses[] = {"commercial", "office", "industrial"};
    (void)state;
    for (int i = 0; i < 3; i++) {
        vt t;
        two_members(&t, "dibao");
        /* a cancelled one is not counted */
        vt_row(&t, 0, "real_estate", "N0", "330106", uses[i], "50.00", "100",
               "2010-01-01", "2", NULL);
        vt_run(&t);
        assert_false(vt_failed(&t, HD_FAIL_NONRESIDENTIAL));
        vt_row(&t, 1, "real_estate", "N1", "330106", uses[i], "50.00", "100",
               "2010-01-01", "1", NULL);
        vt_run(&t);
        assert_true(vt_failed(&t, HD_FAIL_NONRESIDENTIAL));
        /* not a home */
        assert_int_equal(t.r.figures.homes, 0);
        vt_free(&t);
    }
}

static void test_vehicles(void **state)
{
    vt t;
    (void)state;
    two_members(&t, "dibao");
    t.p.v.vehicle_exempt_value_fen = 5000000; /* 50000.00 */
    vt_row(&t, 0, "vehicle", "浙A00001", "car", "2015-01-01", "50000.00", "1",
           NULL);
    vt_run(&t);
    /* worth exactly the exempt value: not counted */
    assert_int_equal(t.r.figures.vehicles, 0);
    assert_false(vt_failed(&t, HD_FAIL_VEHICLE));

    /* never counted: scrapped, motorcycle, invalid carriage, farm */
    vt_row(&t, 0, "vehicle", "浙A00002", "truck", "2015-01-01", "90000.00", "2",
           NULL);
    vt_row(&t, 0, "vehicle", "浙A00003", "motorcycle", "2015-01-01", "90000.00",
           "1", NULL);
    vt_row(&t, 1, "vehicle", "浙A00004", "disability", "2015-01-01", "90000.00",
           "1", NULL);
    vt_row(&t, 1, "vehicle", "浙A00005", "farm", "2015-01-01", "90000.00", "1",
           NULL);
    vt_run(&t);
    assert_int_equal(t.r.figures.vehicles, 0);

    /* one fen above, and a truck: two counted */
    vt_row(&t, 1, "vehicle", "浙A00006", "car", "2015-01-01", "50000.01", "1",
           NULL);
    vt_row(&t, 1, "vehicle", "浙A00007", "truck", "2015-01-01", "60000.00", "1",
           NULL);
    vt_run(&t);
    assert_int_equal(t.r.figures.vehicles, 2);
    assert_true(vt_failed(&t, HD_FAIL_VEHICLE));
    assert_int_equal(t.r.conclusion, HD_CONCLUSION_FAILS);
    vt_free(&t);
}

static void test_enterprise(void **state)
{
    vt t;
    char u1[19], u2[19], u3[19], u4[19];
    (void)state;
    vt_uscc(u1, 1);
    vt_uscc(u2, 2);
    vt_uscc(u3, 3);
    vt_uscc(u4, 4);
    two_members(&t, "dibao");
    t.p.v.enterprise_capital_limit_fen = 10000000; /* 100000.00 */
    /* at the limit, an individual business, a revoked and a cancelled
     * enterprise: none counted */
    vt_row(&t, 0, "enterprise", u1, "甲公司", "legal_rep", "100000.00", "1",
           "2015-01-01", NULL);
    vt_row(&t, 0, "enterprise", u2, "乙商店", "individual", "900000.00", "1",
           "2015-01-01", NULL);
    vt_row(&t, 1, "enterprise", u3, "丙公司", "legal_rep", "900000.00", "2",
           "2015-01-01", NULL);
    vt_row(&t, 1, "enterprise", u4, "丁公司", "shareholder", "900000.00", "3",
           "2015-01-01", NULL);
    vt_run(&t);
    assert_false(vt_failed(&t, HD_FAIL_ENTERPRISE));
    assert_int_equal(t.r.conclusion, HD_CONCLUSION_MEETS);

    /* a shareholder one fen above the limit is counted */
    vt_row(&t, 1, "enterprise", u1, "甲公司", "shareholder", "100000.01", "1",
           "2015-01-01", NULL);
    vt_run(&t);
    assert_true(vt_failed(&t, HD_FAIL_ENTERPRISE));
    assert_int_equal(t.r.conclusion, HD_CONCLUSION_FAILS);
    vt_free(&t);
}

static void test_financial_limits(void **state)
{
    vt t;
    (void)state;
    /* dibao 1000.01 (100001 fen): dibao limit 24 x 100001 = 2400024,
     * low income 36 x 100001 = 3600036; strict */
    vt_init(&t, "low_income", "2026-11-20");
    vt_member(&t, "19800101", 11, "02");
    vt_hukou_all(&t);
    t.p.v.dibao_standard_fen = 100001;
    t.p.v.tekun_standard_x10000 = 13000 * 100001;
    vt_row(&t, 0, "deposit", "B001", "6222****0001", "demand", "24000.24",
           NULL);
    vt_run(&t);
    assert_false(vt_failed(&t, HD_FAIL_FINANCIAL_ASSETS));
    assert_int_equal(t.r.level, HD_LEVEL_DIBAO);
    vt_row(&t, 0, "deposit", "B002", "6222****0002", "demand", "0.01", NULL);
    vt_run(&t);
    /* 2400025: above the dibao limit, within the low income one */
    assert_true(
        vt_test(&t, HD_PROGRAM_DIBAO, HD_FAIL_FINANCIAL_ASSETS)->failed);
    assert_false(vt_failed(&t, HD_FAIL_FINANCIAL_ASSETS));
    assert_int_equal(t.r.level, HD_LEVEL_LOW_INCOME);
    assert_int_equal(t.r.conclusion, HD_CONCLUSION_MEETS);
    vt_row(&t, 0, "deposit", "B003", "6222****0003", "demand", "12000.11",
           NULL);
    vt_run(&t);
    /* 2400025 + 1200011 = 3600036: at the low income limit, passes */
    assert_int_equal(t.r.figures.pca_fen, 3600036);
    assert_false(vt_failed(&t, HD_FAIL_FINANCIAL_ASSETS));
    vt_row(&t, 0, "deposit", "B004", "6222****0004", "demand", "0.01", NULL);
    vt_run(&t);
    assert_true(vt_failed(&t, HD_FAIL_FINANCIAL_ASSETS));
    assert_int_equal(t.r.conclusion, HD_CONCLUSION_FAILS);
    /* the limit as an exact rational: 360000 x 100001 / 10000 */
    {
        const hd_test *ft =
            vt_test(&t, HD_PROGRAM_LOW_INCOME, HD_FAIL_FINANCIAL_ASSETS);
        assert_int_equal(ft->limit_num, 360000LL * 100001);
        assert_int_equal(ft->limit_den, 10000);
        assert_true(ft->strict);
    }
    vt_free(&t);
}

static void test_fractional_months_limit(void **state)
{
    vt t;
    (void)state;
    /* 24.5 months of 1000.00: 2450000 exactly */
    vt_init(&t, "dibao", "2026-11-20");
    vt_member(&t, "19800101", 11, "02");
    vt_hukou_all(&t);
    t.p.v.financial_limit_months_dibao_x10000 = 245000;
    vt_row(&t, 0, "deposit", "B001", "6222****0001", "demand", "24500.00",
           NULL);
    vt_run(&t);
    assert_false(vt_failed(&t, HD_FAIL_FINANCIAL_ASSETS));
    vt_row(&t, 0, "deposit", "B002", "6222****0002", "demand", "0.01", NULL);
    vt_run(&t);
    assert_true(vt_failed(&t, HD_FAIL_FINANCIAL_ASSETS));
    vt_free(&t);
}

static void test_asset_sources(void **state)
{
    vt t;
    int homes = 0, vehicles = 0, financial = 0;
    (void)state;
    two_members(&t, "dibao");
    vt_row(&t, 0, "deposit", "B001", "6222****0001", "demand", "10.00", NULL);
    vt_row(&t, 0, "real_estate", "C1", "330106", "residential", "90.00", "50",
           "2010-01-01", "1", NULL);
    vt_row(&t, 1, "real_estate", "C1", "330106", "residential", "90.00", "50",
           "2010-01-01", "1", NULL);
    vt_row(&t, 1, "vehicle", "浙A00006", "car", "2015-01-01", "1.00", "1",
           NULL);
    vt_run(&t);
    for (size_t i = 0; i < t.r.source_count; i++) {
        const hd_source_row *s = &t.r.sources[i];
        if (s->figure == HD_FIGURE_HOMES) {
            homes++;
            /* 90.00 m² x 50% */
            assert_int_equal(s->amount, 4500);
        } else if (s->figure == HD_FIGURE_VEHICLES) {
            vehicles++;
        } else if (s->figure == HD_FIGURE_FINANCIAL_ASSETS) {
            financial++;
            assert_int_equal(s->amount, 1000);
            assert_string_equal(s->record->delivery_id, "deposit-1");
        }
    }
    assert_int_equal(homes, 2);
    assert_int_equal(vehicles, 1);
    assert_int_equal(financial, 1);
    vt_free(&t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_financial_assets),
        cmocka_unit_test(test_homes_and_area),
        cmocka_unit_test(test_second_home_fails),
        cmocka_unit_test(test_home_area_limit),
        cmocka_unit_test(test_nonresidential),
        cmocka_unit_test(test_vehicles),
        cmocka_unit_test(test_enterprise),
        cmocka_unit_test(test_financial_limits),
        cmocka_unit_test(test_fractional_months_limit),
        cmocka_unit_test(test_asset_sources),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
