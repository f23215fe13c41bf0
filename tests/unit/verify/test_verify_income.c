/*
 * rules.md section 3 (income over the window) and section 5 (rigid
 * expenditure). Applied on 2026-11-20 with 12 months: W = 2025-11 ...
 * 2026-10. Expected figures are worked out by hand in the comments.
 */
#include "verify_test.h"

static void one_member(vt *t)
{
    vt_init(t, "dibao", "2026-11-20");
    vt_member(t, "19800101", 11, "02");
    vt_hukou_all(t);
}

static void test_components(void **state)
{
    vt t;
    (void)state;
    one_member(&t);
    /* wage 3000.00 - tax 100.00 in 2026-10 (its contribution is still
     * deducted, and no estimation: a wage row exists) */
    vt_row(&t, 0, "tax_income", "2026-10", "wage", "", "3000.00", "100.00",
           NULL);
    vt_row(&t, 0, "social_insurance", "2026-10", "contrib", "4000.00", "320.00",
           "", NULL);
    /* other: labour 500.00 - tax 20.00 */
    vt_row(&t, 0, "tax_income", "2026-09", "labor", "", "500.00", "20.00",
           NULL);
    /* benefits: pension 800.00, unemployment 100.00, injury 50.00 */
    vt_row(&t, 0, "social_insurance", "2026-08", "pension", "", "800.00", "",
           NULL);
    vt_row(&t, 0, "social_insurance", "2026-08", "unemployment", "", "100.00",
           "", NULL);
    vt_row(&t, 0, "social_insurance", "2026-08", "injury", "", "50.00", "",
           NULL);
    /* wage months have no estimate; 2026-08 has none either (no base) */
    vt_run(&t);
    /* I = 300000 - 10000 - 32000 + 50000 - 2000 + 80000 + 10000 + 5000
     *   = 401000; pci = 401000 / 12 = 33416 (12 x 33416 = 400992) */
    assert_true(t.r.has_figures);
    assert_int_equal(t.r.figures.income_fen, 401000);
    assert_int_equal(t.r.figures.pci_fen, 33416);
    assert_int_equal(t.r.month_count, 12);
    /* the month lines: 2026-10 is the last of W */
    assert_int_equal(t.r.months[11].period, vt_period("2026-10"));
    assert_int_equal(t.r.months[11].wage_fen, 300000);
    assert_false(t.r.months[11].wage_estimated);
    assert_int_equal(t.r.months[11].deductions_fen, 42000);
    assert_int_equal(t.r.months[10].other_fen, 50000);
    assert_int_equal(t.r.months[9].benefits_fen, 95000);
    assert_int_equal(t.r.window_first, vt_period("2025-11"));
    assert_int_equal(t.r.conclusion, HD_CONCLUSION_MEETS);
    vt_free(&t);
}

static void test_estimated_from_contrib_base(void **state)
{
    vt t;
    (void)state;
    one_member(&t);
    vt_row(&t, 0, "social_insurance", "2026-05", "contrib", "3500.00", "280.00",
           "", NULL);
    vt_run(&t);
    /* no wage row in 2026-05: wage = base 3500.00; I = 350000 - 28000 */
    assert_int_equal(t.r.figures.income_fen, 322000);
    assert_true(t.r.months[6].wage_estimated);
    assert_int_equal(t.r.months[6].wage_fen, 350000);
    /* the base behind the estimate is a source row of the income */
    {
        bool found = false;
        for (size_t i = 0; i < t.r.source_count; i++)
            if (t.r.sources[i].figure == HD_FIGURE_INCOME &&
                t.r.sources[i].amount == 350000 &&
                t.r.sources[i].record->feed == hd_feed_find("social_insurance"))
                found = true;
        assert_true(found);
    }
    vt_free(&t);
}

static void test_estimated_from_provident_fund(void **state)
{
    vt t;
    (void)state;
    one_member(&t);
    vt_row(&t, 0, "provident_fund", "2026-05", "2800.00", "560.00", "10000.00",
           NULL);
    vt_run(&t);
    /* wage = provident fund base 2800.00; nothing deducted */
    assert_int_equal(t.r.figures.income_fen, 280000);
    assert_true(t.r.months[6].wage_estimated);
    vt_free(&t);
}

static void test_estimated_from_larger_base(void **state)
{
    vt t;
    (void)state;
    one_member(&t);
    /* 2026-03: provident fund larger: 3200.00 - contribution 240.00 */
    vt_row(&t, 0, "social_insurance", "2026-03", "contrib", "3000.00", "240.00",
           "", NULL);
    vt_row(&t, 0, "provident_fund", "2026-03", "3200.00", "640.00", "0.00",
           NULL);
    /* 2026-04: contribution base larger: 3300.00 - 264.00 */
    vt_row(&t, 0, "social_insurance", "2026-04", "contrib", "3300.00", "264.00",
           "", NULL);
    vt_row(&t, 0, "provident_fund", "2026-04", "3200.00", "640.00", "0.00",
           NULL);
    vt_run(&t);
    /* I = (320000 - 24000) + (330000 - 26400) = 296000 + 303600 */
    assert_int_equal(t.r.figures.income_fen, 599600);
    assert_int_equal(t.r.months[4].wage_fen, 320000);
    assert_int_equal(t.r.months[5].wage_fen, 330000);
    vt_free(&t);
}

static void test_zero_wage_row_is_a_wage_row(void **state)
{
    vt t;
    (void)state;
    one_member(&t);
    vt_row(&t, 0, "tax_income", "2026-05", "wage", "", "0.00", "0.00", NULL);
    vt_row(&t, 0, "social_insurance", "2026-05", "contrib", "3000.00", "240.00",
           "", NULL);
    vt_row(&t, 0, "social_insurance", "2026-05", "pension", "", "1000.00", "",
           NULL);
    vt_run(&t);
    /* no estimate: I = 0 + 100000 - 24000 (an estimate would give
     * 376000) */
    assert_int_equal(t.r.figures.income_fen, 76000);
    assert_false(t.r.months[6].wage_estimated);
    vt_free(&t);
}

static void test_excluded_category_tax_deducted(void **state)
{
    vt t;
    (void)state;
    one_member(&t);
    t.p.v.excluded_categories = 1u << 5; /* interest */
    vt_row(&t, 0, "tax_income", "2026-05", "wage", "", "2000.00", "0.00", NULL);
    vt_row(&t, 0, "tax_income", "2026-05", "interest", "", "1000.00", "200.00",
           NULL);
    vt_run(&t);
    /* interest not counted, its tax deducted: 200000 - 20000 */
    assert_int_equal(t.r.figures.income_fen, 180000);
    assert_int_equal(t.r.months[6].other_fen, 0);
    vt_free(&t);
}

static void test_disregard_capped_by_wage(void **state)
{
    vt t;
    (void)state;
    one_member(&t);
    t.p.v.earned_income_disregard_fen = 50000; /* 500.00 a month */
    /* 2026-01: wage 300.00 < 500.00: disregard 300.00, adds 0 */
    vt_row(&t, 0, "tax_income", "2026-01", "wage", "", "300.00", "0.00", NULL);
    /* 2026-02: wage 2000.00: disregard 500.00, adds 150000 */
    vt_row(&t, 0, "tax_income", "2026-02", "wage", "", "2000.00", "0.00", NULL);
    /* 2026-03: estimated 1000.00 from the base, minus 80.00 and the
     * disregard 500.00: adds 42000 */
    vt_row(&t, 0, "social_insurance", "2026-03", "contrib", "1000.00", "80.00",
           "", NULL);
    /* 2026-04: no wage, no base: disregard 0; pension 200.00 */
    vt_row(&t, 0, "social_insurance", "2026-04", "pension", "", "200.00", "",
           NULL);
    vt_run(&t);
    assert_int_equal(t.r.figures.income_fen, 0 + 150000 + 42000 + 20000);
    assert_int_equal(t.r.months[2].disregard_fen, 30000);
    assert_int_equal(t.r.months[3].disregard_fen, 50000);
    assert_int_equal(t.r.months[5].disregard_fen, 0);
    vt_free(&t);
}

static void test_income_floored_at_zero(void **state)
{
    vt t;
    (void)state;
    one_member(&t);
    vt_row(&t, 0, "tax_income", "2026-05", "labor", "", "0.00", "50.00", NULL);
    vt_run(&t);
    /* -5000 floored at 0 */
    assert_int_equal(t.r.figures.income_fen, 0);
    assert_int_equal(t.r.figures.pci_fen, 0);
    vt_free(&t);
}

static void test_window_edges(void **state)
{
    vt t;
    (void)state;
    one_member(&t);
    /* the month before W and the application month do not count */
    vt_row(&t, 0, "tax_income", "2025-10", "wage", "", "1000.00", "0.00", NULL);
    vt_row(&t, 0, "tax_income", "2026-11", "wage", "", "1000.00", "0.00", NULL);
    vt_row(&t, 0, "medical", "2025-10", "100.00", "50.00", "50.00", "0", NULL);
    vt_row(&t, 0, "medical", "2026-11", "100.00", "50.00", "50.00", "0", NULL);
    /* the first and the last month of W do */
    vt_row(&t, 0, "tax_income", "2025-11", "wage", "", "100.00", "0.00", NULL);
    vt_row(&t, 0, "tax_income", "2026-10", "wage", "", "100.00", "0.00", NULL);
    vt_row(&t, 0, "medical", "2025-11", "30.00", "10.00", "20.00", "0", NULL);
    vt_row(&t, 0, "medical", "2026-10", "30.00", "20.00", "10.00", "1", NULL);
    vt_run(&t);
    assert_int_equal(t.r.figures.income_fen, 20000);
    /* E = 20.00 + 10.00 */
    assert_int_equal(t.r.figures.expenditure_fen, 3000);
    vt_free(&t);
}

static void test_per_capita_truncation(void **state)
{
    vt t;
    (void)state;
    vt_init(&t, "dibao", "2026-11-20");
    vt_member(&t, "19800101", 11, "02");
    vt_member(&t, "19820202", 22, "10");
    vt_hukou_all(&t);
    vt_row(&t, 0, "tax_income", "2026-05", "wage", "", "1000.00", "0.00", NULL);
    vt_row(&t, 1, "medical", "2026-06", "100.00", "50.00", "50.00", "0", NULL);
    vt_run(&t);
    /* pci = 100000 / (12 x 2) = 4166 (24 x 4166 = 99984);
     * pci_after = (100000 - 5000) / 24 = 3958 (24 x 3958 = 94992) */
    assert_int_equal(t.r.figures.members, 2);
    assert_int_equal(t.r.figures.pci_fen, 4166);
    assert_int_equal(t.r.figures.expenditure_fen, 5000);
    assert_int_equal(t.r.figures.pci_after_fen, 3958);
    assert_int_equal(t.r.month_count, 24);
    vt_free(&t);
}

static void test_pci_after_floored(void **state)
{
    vt t;
    (void)state;
    one_member(&t);
    vt_row(&t, 0, "tax_income", "2026-05", "wage", "", "100.00", "0.00", NULL);
    vt_row(&t, 0, "medical", "2026-06", "500.00", "300.00", "200.00", "0",
           NULL);
    vt_run(&t);
    /* I - E = 10000 - 20000 < 0: pci_after 0; pci = 10000 / 12 = 833 */
    assert_int_equal(t.r.figures.pci_fen, 833);
    assert_int_equal(t.r.figures.pci_after_fen, 0);
    vt_free(&t);
}

static void test_deceased_member_leaves_f(void **state)
{
    vt t;
    (void)state;
    vt_init(&t, "dibao", "2026-11-20");
    vt_member(&t, "19800101", 11, "02");
    vt_member(&t, "19500303", 33, "50");
    vt_hukou_all(&t);
    vt_row(&t, 1, "death", "2026-02-01", NULL);
    vt_row(&t, 0, "tax_income", "2026-05", "wage", "", "1200.00", "0.00", NULL);
    /* the deceased's pension, medical and deposit are not counted */
    vt_row(&t, 1, "social_insurance", "2026-01", "pension", "", "3000.00", "",
           NULL);
    vt_row(&t, 1, "medical", "2026-01", "100.00", "0.00", "100.00", "0", NULL);
    vt_row(&t, 1, "deposit", "B001", "6222****0001", "demand", "50000.00",
           NULL);
    vt_run(&t);
    /* n = 1; I = 120000; pci = 10000 */
    assert_int_equal(t.r.figures.members, 1);
    assert_int_equal(t.r.figures.income_fen, 120000);
    assert_int_equal(t.r.figures.pci_fen, 10000);
    assert_int_equal(t.r.figures.expenditure_fen, 0);
    assert_int_equal(t.r.figures.financial_assets_fen, 0);
    assert_int_equal(t.r.month_count, 12);
    assert_int_equal(t.r.conclusion, HD_CONCLUSION_REVIEW);
    vt_free(&t);
}

static void test_other_months_setting(void **state)
{
    vt t;
    (void)state;
    one_member(&t);
    t.p.v.income_months = 6; /* W = 2026-05 ... 2026-10 */
    vt_row(&t, 0, "tax_income", "2026-04", "wage", "", "1000.00", "0.00", NULL);
    vt_row(&t, 0, "tax_income", "2026-05", "wage", "", "700.00", "0.00", NULL);
    vt_run(&t);
    /* I = 70000; pci = 70000 / 6 = 11666 */
    assert_int_equal(t.r.window_first, vt_period("2026-05"));
    assert_int_equal(t.r.figures.income_fen, 70000);
    assert_int_equal(t.r.figures.pci_fen, 11666);
    vt_free(&t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_components),
        cmocka_unit_test(test_estimated_from_contrib_base),
        cmocka_unit_test(test_estimated_from_provident_fund),
        cmocka_unit_test(test_estimated_from_larger_base),
        cmocka_unit_test(test_zero_wage_row_is_a_wage_row),
        cmocka_unit_test(test_excluded_category_tax_deducted),
        cmocka_unit_test(test_disregard_capped_by_wage),
        cmocka_unit_test(test_income_floored_at_zero),
        cmocka_unit_test(test_window_edges),
        cmocka_unit_test(test_per_capita_truncation),
        cmocka_unit_test(test_pci_after_floored),
        cmocka_unit_test(test_deceased_member_leaves_f),
        cmocka_unit_test(test_other_months_setting),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
