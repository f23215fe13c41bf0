/*
 * rules.md section 6 (tests and programs) and the level of section 7:
 * one fen either side of every income limit, tekun's conditions,
 * expenditure_hardship and medical_aid. One member, applied on
 * 2026-11-20, 12 months: a wage of 12 x X in one month of W gives
 * pci = X.
 */
#include "verify_test.h"

static void single(vt *t, const char *program, const char *birth)
{
    vt_init(t, program, "2026-11-20");
    vt_member(t, birth, 11, "02");
    vt_hukou_all(t);
}

/* A family whose pci is `yuan` / 12 (the wage of one month of W). */
static void wage(vt *t, int member, const char *yuan)
{
    vt_row(t, member, "tax_income", "2026-05", "wage", "", yuan, "0.00", NULL);
}

static void test_dibao_standard_edges(void **state)
{
    vt t;
    (void)state;
    /* pci 99999 < 100000: meets */
    single(&t, "dibao", "19800101");
    wage(&t, 0, "11999.88");
    vt_run(&t);
    assert_int_equal(t.r.figures.pci_fen, 99999);
    assert_int_equal(t.r.conclusion, HD_CONCLUSION_MEETS);
    assert_int_equal(t.r.level, HD_LEVEL_DIBAO);
    vt_free(&t);

    /* pci 100000 = the standard: fails (pci < standard is required) */
    single(&t, "dibao", "19800101");
    wage(&t, 0, "12000.00");
    vt_run(&t);
    assert_int_equal(t.r.figures.pci_fen, 100000);
    assert_int_equal(t.r.conclusion, HD_CONCLUSION_FAILS);
    assert_true(vt_failed(&t, HD_FAIL_INCOME));
    assert_int_equal(t.r.failed, 1ull << HD_FAIL_INCOME);
    /* still within 1.5 x: the family's level is low_income */
    assert_int_equal(t.r.level, HD_LEVEL_LOW_INCOME);
    vt_free(&t);
}

static void test_low_income_factor_product(void **state)
{
    vt t;
    (void)state;
    /* 1.5 x 1000.01 = 1500.015 yuan = 150001.5 fen, never rounded:
     * pci 150001 meets, 150002 fails */
    single(&t, "low_income", "19800101");
    t.p.v.dibao_standard_fen = 100001;
    t.p.v.tekun_standard_x10000 = 13000 * 100001;
    wage(&t, 0, "18000.12"); /* 1800012 / 12 = 150001 */
    vt_run(&t);
    assert_int_equal(t.r.figures.pci_fen, 150001);
    assert_int_equal(t.r.conclusion, HD_CONCLUSION_MEETS);
    assert_int_equal(t.r.level, HD_LEVEL_LOW_INCOME);
    vt_free(&t);

    single(&t, "low_income", "19800101");
    t.p.v.dibao_standard_fen = 100001;
    t.p.v.tekun_standard_x10000 = 13000 * 100001;
    wage(&t, 0, "18000.24"); /* 150002 */
    vt_run(&t);
    assert_int_equal(t.r.figures.pci_fen, 150002);
    assert_int_equal(t.r.conclusion, HD_CONCLUSION_FAILS);
    assert_int_equal(t.r.level, HD_LEVEL_NONE);
    {
        const hd_test *it = vt_test(&t, HD_PROGRAM_LOW_INCOME, HD_FAIL_INCOME);
        assert_int_equal(it->limit_num, 15000LL * 100001);
        assert_int_equal(it->limit_den, 10000);
        assert_false(it->strict);
    }
    vt_free(&t);
}

static void test_tekun_default_standard(void **state)
{
    vt t;
    (void)state;
    /* default tekun 1.3 x 1000.01 = 130001.3 fen: 130001 meets,
     * 130002 fails; 70 years old, single */
    single(&t, "tekun", "19560101");
    t.p.v.dibao_standard_fen = 100001;
    t.p.v.tekun_standard_x10000 = 13000 * 100001;
    wage(&t, 0, "15600.12"); /* 1560012 / 12 = 130001 */
    vt_run(&t);
    assert_int_equal(t.r.figures.pci_fen, 130001);
    assert_int_equal(t.r.conclusion, HD_CONCLUSION_MEETS);
    assert_true(vt_has(&t, HD_FIND_SUPPORTER_CHECK));
    vt_free(&t);

    single(&t, "tekun", "19560101");
    t.p.v.dibao_standard_fen = 100001;
    t.p.v.tekun_standard_x10000 = 13000 * 100001;
    wage(&t, 0, "15600.24"); /* 130002 */
    vt_run(&t);
    assert_int_equal(t.r.conclusion, HD_CONCLUSION_FAILS);
    assert_int_equal(t.r.failed, 1ull << HD_FAIL_INCOME);
    vt_free(&t);
}

static void test_tekun_set_standard(void **state)
{
    vt t;
    (void)state;
    /* tekun set to 1400.00: 139999 meets, 140000 fails */
    single(&t, "tekun", "19560101");
    t.p.v.tekun_standard_x10000 = 140000LL * 10000;
    wage(&t, 0, "16799.88");
    vt_run(&t);
    assert_int_equal(t.r.figures.pci_fen, 139999);
    assert_int_equal(t.r.conclusion, HD_CONCLUSION_MEETS);
    vt_free(&t);

    single(&t, "tekun", "19560101");
    t.p.v.tekun_standard_x10000 = 140000LL * 10000;
    wage(&t, 0, "16800.00");
    vt_run(&t);
    assert_int_equal(t.r.conclusion, HD_CONCLUSION_FAILS);
    vt_free(&t);
}

/* Tekun on `applied_on` for one person born on `birth`: failed bits. */
static uint64_t tekun_failed(const char *birth, const char *applied_on,
                             int old_age, int *age)
{
    vt t;
    uint64_t failed;

    vt_init(&t, "tekun", applied_on);
    vt_member(&t, birth, 11, "02");
    vt_hukou_all(&t);
    t.p.v.old_age = old_age;
    vt_run(&t);
    failed = t.r.failed;
    *age = t.r.members[0].age;
    assert_non_null(vt_test(&t, HD_PROGRAM_TEKUN, HD_FAIL_WORK_CAPACITY));
    vt_free(&t);
    return failed;
}

static void test_tekun_ages(void **state)
{
    int age;
    (void)state;
    /* exactly old_age (60 on 2026-11-20): no work capacity */
    assert_int_equal(tekun_failed("19661120", "2026-11-20", 60, &age), 0);
    assert_int_equal(age, 60);
    /* one day short of 60 */
    assert_int_equal(tekun_failed("19661121", "2026-11-20", 60, &age),
                     1ull << HD_FAIL_WORK_CAPACITY);
    assert_int_equal(age, 59);
    /* 15 years 364 days: under 16, no work capacity */
    assert_int_equal(tekun_failed("20101121", "2026-11-20", 60, &age), 0);
    assert_int_equal(age, 15);
    /* exactly 16: work capacity */
    assert_int_equal(tekun_failed("20101120", "2026-11-20", 60, &age),
                     1ull << HD_FAIL_WORK_CAPACITY);
    assert_int_equal(age, 16);
    /* born 29 February 1964, old age 61: the 61st birthday in the common
     * year 2025 is reached on 1 March, not 28 February */
    assert_int_equal(tekun_failed("19640229", "2025-02-28", 61, &age),
                     1ull << HD_FAIL_WORK_CAPACITY);
    assert_int_equal(age, 60);
    assert_int_equal(tekun_failed("19640229", "2025-03-01", 61, &age), 0);
    assert_int_equal(age, 61);
}

static uint64_t tekun_disability(const char *level, const char *valid_until)
{
    vt t;
    uint64_t failed;

    /* 40 years old: work capacity unless the certificate says not */
    vt_init(&t, "tekun", "2026-11-20");
    vt_member(&t, "19860101", 11, "02");
    vt_hukou_all(&t);
    vt_row(&t, 0, "disability", "4", level, valid_until, NULL);
    vt_run(&t);
    failed = t.r.failed;
    vt_free(&t);
    return failed;
}

static void test_tekun_disability(void **state)
{
    (void)state;
    /* level 2 valid until applied_on: no work capacity */
    assert_int_equal(tekun_disability("2", "2026-11-20"), 0);
    assert_int_equal(tekun_disability("1", "2030-01-01"), 0);
    /* expired the day before */
    assert_int_equal(tekun_disability("2", "2026-11-19"),
                     1ull << HD_FAIL_WORK_CAPACITY);
    /* level 3 does not count */
    assert_int_equal(tekun_disability("3", "2030-01-01"),
                     1ull << HD_FAIL_WORK_CAPACITY);
}

static void test_tekun_not_single(void **state)
{
    vt t;
    (void)state;
    vt_init(&t, "tekun", "2026-11-20");
    vt_member(&t, "19400101", 11, "02");
    vt_member(&t, "19420101", 22, "10");
    vt_hukou_all(&t);
    wage(&t, 0, "36000.00"); /* pci = 3600000 / 24 = 150000 */
    vt_run(&t);
    /* NOT_SINGLE, and INCOME tested whatever n; no WORK_CAPACITY test */
    assert_int_equal(t.r.failed,
                     (1ull << HD_FAIL_NOT_SINGLE) | (1ull << HD_FAIL_INCOME));
    assert_null(vt_test(&t, HD_PROGRAM_TEKUN, HD_FAIL_WORK_CAPACITY));
    assert_true(vt_has(&t, HD_FIND_SUPPORTER_CHECK));
    assert_int_equal(t.r.conclusion, HD_CONCLUSION_FAILS);
    vt_free(&t);
}

static void test_expenditure_hardship(void **state)
{
    vt t;
    (void)state;
    /* pci 200000 above 1.5 x 1000.00, E = 1200.00: pci_after =
     * (2400000 - 120000) / 12 = 190000: still above */
    single(&t, "expenditure_hardship", "19800101");
    wage(&t, 0, "24000.00");
    vt_row(&t, 0, "medical", "2026-06", "3000.00", "1800.00", "1200.00", "1",
           NULL);
    vt_run(&t);
    assert_int_equal(t.r.figures.pci_after_fen, 190000);
    assert_int_equal(t.r.failed, 1ull << HD_FAIL_INCOME_AFTER_EXPENDITURE);
    vt_free(&t);

    /* E = 6000.01: pci_after = (2400000 - 600001) / 12 = 149999: meets
     * though pci fails low_income; the level is expenditure_hardship */
    single(&t, "expenditure_hardship", "19800101");
    wage(&t, 0, "24000.00");
    vt_row(&t, 0, "medical", "2026-06", "6000.01", "0.00", "6000.01", "1",
           NULL);
    vt_run(&t);
    assert_int_equal(t.r.figures.pci_after_fen, 149999);
    assert_int_equal(t.r.conclusion, HD_CONCLUSION_MEETS);
    assert_int_equal(t.r.level, HD_LEVEL_EXPENDITURE_HARDSHIP);
    vt_free(&t);

    /* E = 0: NO_RIGID_EXPENDITURE, though pci_after is low */
    single(&t, "expenditure_hardship", "19800101");
    wage(&t, 0, "1200.00");
    vt_run(&t);
    assert_int_equal(t.r.failed, 1ull << HD_FAIL_NO_RIGID_EXPENDITURE);
    assert_int_equal(t.r.level, HD_LEVEL_DIBAO);
    vt_free(&t);
}

static void test_expenditure_hardship_assets_at_low_income(void **state)
{
    vt t;
    (void)state;
    /* pca 3000000: above the dibao limit (2400000), within low income's
     * (3600000): expenditure_hardship passes its asset tests */
    single(&t, "expenditure_hardship", "19800101");
    vt_row(&t, 0, "deposit", "B001", "6222****0001", "demand", "30000.00",
           NULL);
    vt_row(&t, 0, "medical", "2026-06", "10.00", "0.00", "10.00", "0", NULL);
    vt_run(&t);
    assert_int_equal(t.r.conclusion, HD_CONCLUSION_MEETS);
    assert_int_equal(t.r.level, HD_LEVEL_LOW_INCOME);
    vt_free(&t);
}

static void test_medical_aid(void **state)
{
    vt t;
    (void)state;
    /* fails dibao, meets low_income: medical_aid meets */
    single(&t, "medical_aid", "19800101");
    wage(&t, 0, "14400.00"); /* pci 120000 */
    vt_run(&t);
    assert_int_equal(t.r.conclusion, HD_CONCLUSION_MEETS);
    assert_int_equal(t.r.failed, 0);
    assert_false(vt_has(&t, HD_FIND_SUPPORTER_CHECK));
    vt_free(&t);

    /* two members, pci 200000, E = 0, a car: every program fails; failed
     * is the union: INCOME (dibao, low_income, tekun),
     * INCOME_AFTER_EXPENDITURE, NO_RIGID_EXPENDITURE, NOT_SINGLE,
     * VEHICLE; sorted by name in the record */
    vt_init(&t, "medical_aid", "2026-11-20");
    vt_member(&t, "19800101", 11, "02");
    vt_member(&t, "19820202", 22, "10");
    vt_hukou_all(&t);
    wage(&t, 0, "48000.00");
    vt_row(&t, 1, "vehicle", "浙A00006", "car", "2015-01-01", "1.00", "1",
           NULL);
    vt_run(&t);
    assert_int_equal(t.r.conclusion, HD_CONCLUSION_FAILS);
    assert_int_equal(
        t.r.failed,
        (1ull << HD_FAIL_INCOME) | (1ull << HD_FAIL_INCOME_AFTER_EXPENDITURE) |
            (1ull << HD_FAIL_NOT_SINGLE) |
            (1ull << HD_FAIL_NO_RIGID_EXPENDITURE) | (1ull << HD_FAIL_VEHICLE));
    assert_non_null(strstr(
        vt_json(&t), "\"failed\":[\"INCOME\",\"INCOME_AFTER_EXPENDITURE\","
                     "\"NOT_SINGLE\",\"NO_RIGID_EXPENDITURE\","
                     "\"VEHICLE\"]"));
    vt_free(&t);
}

static void test_every_test_evaluated(void **state)
{
    vt t;
    (void)state;
    single(&t, "dibao", "19800101");
    vt_run(&t);
    /* dibao, low_income: INCOME + 5 asset tests (no area limit);
     * expenditure_hardship: 2 + 5; tekun: NOT_SINGLE, WORK_CAPACITY,
     * INCOME + 5 */
    assert_int_equal(t.r.test_count, 6 + 6 + 7 + 8);
    assert_int_equal(vt_test(&t, HD_PROGRAM_DIBAO, HD_FAIL_INCOME)->limit_num,
                     100000);
    vt_free(&t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_dibao_standard_edges),
        cmocka_unit_test(test_low_income_factor_product),
        cmocka_unit_test(test_tekun_default_standard),
        cmocka_unit_test(test_tekun_set_standard),
        cmocka_unit_test(test_tekun_ages),
        cmocka_unit_test(test_tekun_disability),
        cmocka_unit_test(test_tekun_not_single),
        cmocka_unit_test(test_expenditure_hardship),
        cmocka_unit_test(test_expenditure_hardship_assets_at_low_income),
        cmocka_unit_test(test_medical_aid),
        cmocka_unit_test(test_every_test_evaluated),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
