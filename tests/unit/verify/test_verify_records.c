/*
 * The plumbing of verify: the column and code positions verify_int.h
 * fixes, the names of codes, the dossier's copies of rows, a result
 * reused without allocating, and the speed of one verification.
 */
#include "verify_test.h"

#include <time.h>

#include "verify/verify_int.h"

static void check_column(const char *feed_name, const char *column, int index)
{
    const hd_feed *feed = hd_feed_find(feed_name);
    assert_non_null(feed);
    if (hd_feed_column(feed, column) != index)
        fail_msg("%s.%s is column %d, verify_int.h says %d", feed_name, column,
                 hd_feed_column(feed, column), index);
}

static void check_code(const char *feed_name, const char *column,
                       const char *code, int index)
{
    const hd_feed *feed = hd_feed_find(feed_name);
    const hd_column *col = &feed->columns[hd_feed_column(feed, column)];
    assert_int_equal(hd_column_code_index(col, code, strlen(code)), index);
}

static void test_columns_match_the_feed_table(void **state)
{
    static const struct {
        const char *name;
        int id;
    } feeds[] = {{"hukou", VF_FEED_HUKOU},
                 {"marriage", VF_FEED_MARRIAGE},
                 {"death", VF_FEED_DEATH},
                 {"tax_income", VF_FEED_TAX_INCOME},
                 {"social_insurance", VF_FEED_SOCIAL_INSURANCE},
                 {"unemployment", VF_FEED_UNEMPLOYMENT},
                 {"medical", VF_FEED_MEDICAL},
                 {"provident_fund", VF_FEED_PROVIDENT_FUND},
                 {"real_estate", VF_FEED_REAL_ESTATE},
                 {"vehicle", VF_FEED_VEHICLE},
                 {"enterprise", VF_FEED_ENTERPRISE},
                 {"deposit", VF_FEED_DEPOSIT},
                 {"securities", VF_FEED_SECURITIES},
                 {"insurance", VF_FEED_INSURANCE},
                 {"disability", VF_FEED_DISABILITY}};
    uint32_t all = 0;
    (void)state;

    for (size_t i = 0; i < sizeof(feeds) / sizeof(feeds[0]); i++) {
        assert_int_equal(hd_feed_find(feeds[i].name)->id, feeds[i].id);
        check_column(feeds[i].name, "pid", VF_PID);
    }
    /* every feed but unemployment is read */
    for (int i = 0; i < hd_feed_count; i++)
        if (strcmp(hd_feeds[i].name, "unemployment"))
            all |= 1u << hd_feeds[i].id;
    assert_int_equal(VF_READ_FEED_MASK, all);

    check_column("hukou", "hukou_no", VF_HUKOU_HUKOU_NO);
    check_column("hukou", "relation", VF_HUKOU_RELATION);
    check_column("hukou", "status", VF_HUKOU_STATUS);
    check_column("marriage", "spouse_pid", VF_MARRIAGE_SPOUSE_PID);
    check_column("marriage", "event", VF_MARRIAGE_EVENT);
    check_column("marriage", "date", VF_MARRIAGE_DATE);
    check_column("tax_income", "period", VF_TAX_PERIOD);
    check_column("tax_income", "category", VF_TAX_CATEGORY);
    check_column("tax_income", "income", VF_TAX_INCOME);
    check_column("tax_income", "tax", VF_TAX_TAX);
    check_column("social_insurance", "period", VF_SI_PERIOD);
    check_column("social_insurance", "kind", VF_SI_KIND);
    check_column("social_insurance", "base", VF_SI_BASE);
    check_column("social_insurance", "amount", VF_SI_AMOUNT);
    check_column("medical", "period", VF_MEDICAL_PERIOD);
    check_column("medical", "self_paid", VF_MEDICAL_SELF_PAID);
    check_column("provident_fund", "period", VF_PF_PERIOD);
    check_column("provident_fund", "base", VF_PF_BASE);
    check_column("real_estate", "cert_no", VF_RE_CERT_NO);
    check_column("real_estate", "use", VF_RE_USE);
    check_column("real_estate", "area", VF_RE_AREA);
    check_column("real_estate", "share", VF_RE_SHARE);
    check_column("real_estate", "status", VF_RE_STATUS);
    check_column("vehicle", "type", VF_VEHICLE_TYPE);
    check_column("vehicle", "value", VF_VEHICLE_VALUE);
    check_column("vehicle", "status", VF_VEHICLE_STATUS);
    check_column("enterprise", "role", VF_ENT_ROLE);
    check_column("enterprise", "capital", VF_ENT_CAPITAL);
    check_column("enterprise", "status", VF_ENT_STATUS);
    check_column("deposit", "balance", VF_DEPOSIT_BALANCE);
    check_column("securities", "market_value", VF_SECURITIES_MARKET_VALUE);
    check_column("insurance", "cash_value", VF_INSURANCE_CASH_VALUE);
    check_column("disability", "level", VF_DISABILITY_LEVEL);
    check_column("disability", "valid_until", VF_DISABILITY_VALID_UNTIL);

    check_code("hukou", "status", "2", VF_HUKOU_STATUS_DECEASED);
    check_code("marriage", "event", "1", VF_MARRIAGE_EVENT_MARRIAGE);
    check_code("tax_income", "category", "wage", VF_TAX_CATEGORY_WAGE);
    check_code("social_insurance", "kind", "contrib", VF_SI_KIND_CONTRIB);
    check_code("social_insurance", "kind", "pension", VF_SI_KIND_PENSION);
    check_code("social_insurance", "kind", "unemployment",
               VF_SI_KIND_UNEMPLOYMENT);
    check_code("social_insurance", "kind", "injury", VF_SI_KIND_INJURY);
    check_code("real_estate", "use", "residential", VF_RE_USE_RESIDENTIAL);
    check_code("real_estate", "use", "commercial", VF_RE_USE_COMMERCIAL);
    check_code("real_estate", "use", "office", VF_RE_USE_OFFICE);
    check_code("real_estate", "use", "industrial", VF_RE_USE_INDUSTRIAL);
    check_code("real_estate", "status", "1", VF_RE_STATUS_VALID);
    check_code("vehicle", "type", "car", VF_VEHICLE_TYPE_CAR);
    check_code("vehicle", "type", "truck", VF_VEHICLE_TYPE_TRUCK);
    check_code("vehicle", "status", "1", VF_VEHICLE_STATUS_VALID);
    check_code("enterprise", "role", "legal_rep", VF_ENT_ROLE_LEGAL_REP);
    check_code("enterprise", "role", "shareholder", VF_ENT_ROLE_SHAREHOLDER);
    check_code("enterprise", "status", "1", VF_ENT_STATUS_ACTIVE);
    check_code("disability", "level", "1", VF_DISABILITY_LEVEL_1);
    check_code("disability", "level", "2", VF_DISABILITY_LEVEL_2);
}

static void test_code_names_sorted(void **state)
{
    (void)state;
    /* the enum is in name order, so bit order gives sorted lists */
    for (int c = 1; c < HD_FAIL_COUNT_; c++)
        assert_true(strcmp(hd_code_name((hd_code)(c - 1)),
                           hd_code_name((hd_code)c)) < 0);
    for (int c = HD_FAIL_COUNT_ + 1; c < HD_CODE_COUNT_; c++)
        assert_true(strcmp(hd_code_name((hd_code)(c - 1)),
                           hd_code_name((hd_code)c)) < 0);
    for (int c = 0; c < HD_CODE_COUNT_; c++) {
        assert_string_not_equal(hd_code_name((hd_code)c), "?");
        assert_non_null(hd_code_title_zh((hd_code)c));
    }
    assert_string_equal(hd_code_name(HD_FIND_UNDECLARED_SPOUSE),
                        "UNDECLARED_SPOUSE");
    assert_string_equal(hd_conclusion_name(HD_CONCLUSION_UNAUTHORIZED),
                        "unauthorized");
    assert_string_equal(hd_level_name(HD_LEVEL_EXPENDITURE_HARDSHIP),
                        "expenditure_hardship");
    assert_string_equal(hd_figure_name(HD_FIGURE_FINANCIAL_ASSETS),
                        "financial_assets");
}

static void test_dossier_copies_texts(void **state)
{
    vt t;
    char plate[32];
    (void)state;
    vt_init(&t, "dibao", "2026-11-20");
    vt_member(&t, "19800101", 11, "02");
    /* texts outlive the fields they were parsed from, and a 15-digit pid
     * (normalised into the row's own storage) outlives the row */
    snprintf(plate, sizeof(plate), "浙A12345");
    vt_row_pid(&t, 0, "330106800101011", "vehicle", plate, "car", "2015-01-01",
               "1.00", "1", NULL);
    memset(plate, 'x', sizeof(plate) - 1);
    assert_int_equal(t.d.record_count, 1);
    assert_int_equal(t.d.records[0].row.values[1].len, strlen("浙A12345"));
    assert_memory_equal(t.d.records[0].row.values[1].text, "浙A12345",
                        strlen("浙A12345"));
    assert_string_equal(t.d.records[0].row.values[0].text,
                        t.app.members[0].pid);
    assert_string_equal(t.d.records[0].delivery_id, "vehicle-1");
    /* reset forgets the records and the gate's outcome */
    hd_dossier_reset(&t.d, &t.app);
    assert_int_equal(t.d.record_count, 0);
    assert_false(t.d.authorized);
    vt_free(&t);
}

/* A family of about 40 records. */
static void busy_family(vt *t)
{
    static const char *const months[] = {
        "2025-11", "2025-12", "2026-01", "2026-02", "2026-03", "2026-04",
        "2026-05", "2026-06", "2026-07", "2026-08", "2026-09", "2026-10"};
    vt_init(t, "dibao", "2026-11-20");
    vt_member(t, "19800101", 11, "02");
    vt_member(t, "19820202", 22, "10");
    vt_member(t, "20100303", 33, "20");
    vt_hukou_all(t);
    vt_row(t, 0, "marriage", t->app.members[1].pid, "1", "2005-05-01", NULL);
    for (int k = 0; k < 12; k++) {
        vt_row(t, 0, "tax_income", months[k], "wage", "", "3000.00", "10.00",
               NULL);
        vt_row(t, 0, "social_insurance", months[k], "contrib", "3000.00",
               "240.00", "", NULL);
    }
    for (int k = 0; k < 6; k++)
        vt_row(t, 1, "medical", months[k], "100.00", "60.00", "40.00", "0",
               NULL);
    vt_row(t, 0, "real_estate", "C1", "330106", "residential", "90.00", "50",
           "2010-01-01", "1", NULL);
    vt_row(t, 1, "real_estate", "C1", "330106", "residential", "90.00", "50",
           "2010-01-01", "1", NULL);
    vt_row(t, 0, "deposit", "B001", "6222****0001", "demand", "1000.00", NULL);
    vt_row(t, 1, "deposit", "B001", "6222****0002", "time", "5000.00", NULL);
}

static void test_result_reused_without_allocating(void **state)
{
    vt t;
    long before;
    (void)state;
    busy_family(&t);
    vt_run(&t);
    /* I = 12 x (300000 - 1000 - 24000) = 3300000; pci = 3300000 / 36 =
     * 91666; E = 6 x 4000 = 24000 */
    assert_int_equal(t.r.figures.income_fen, 3300000);
    assert_int_equal(t.r.figures.pci_fen, 91666);
    assert_int_equal(t.r.figures.expenditure_fen, 24000);
    assert_int_equal(t.r.conclusion, HD_CONCLUSION_MEETS);
    before = hd_alloc_count();
    for (int i = 0; i < 100; i++)
        vt_run(&t);
    assert_int_equal(hd_alloc_count(), before);
    assert_int_equal(t.r.figures.income_fen, 3300000);
    vt_free(&t);
}

static void test_speed(void **state)
{
    vt t;
    struct timespec a, b;
    const int rounds = 200000;
    double us;
    (void)state;
    busy_family(&t);
    clock_gettime(CLOCK_MONOTONIC, &a);
    for (int i = 0; i < rounds; i++)
        hd_verify(&t.r, &t.d, &t.p, NULL);
    clock_gettime(CLOCK_MONOTONIC, &b);
    us = ((double)(b.tv_sec - a.tv_sec) * 1e6 +
          (double)(b.tv_nsec - a.tv_nsec) / 1e3) /
         rounds;
    print_message("hd_verify: %.2f us per family of %zu records\n", us,
                  t.d.record_count);
    /* generous, for slow shared machines and sanitizers */
    assert_true(us < 100.0);
    vt_free(&t);
}

static void test_out_of_memory(void **state)
{
    vt t;
    hd_result fresh;
    (void)state;
    busy_family(&t);
    /* a fresh result has no arena block yet: its first allocation fails */
    hd_result_init(&fresh);
    hd_alloc_fail_after(1, true);
    assert_int_equal(hd_verify(&fresh, &t.d, &t.p, &t.err), HD_ENOMEM);
    hd_alloc_fail_after(0, false);
    assert_int_equal(hd_verify(&fresh, &t.d, &t.p, &t.err), 0);
    assert_int_equal(fresh.figures.income_fen, 3300000);
    hd_result_release(&fresh);
    vt_free(&t);
}

static void test_json_escapes(void **state)
{
    vt t;
    (void)state;
    vt_init(&t, "dibao", "2026-11-20");
    vt_member(&t, "19800101", 11, "02");
    vt_hukou_all(&t);
    snprintf(t.app.application_no, sizeof(t.app.application_no), "a\"b\\c\n");
    vt_run(&t);
    assert_non_null(
        strstr(vt_json(&t), "{\"application_no\":\"a\\\"b\\\\c\\u000a\","));
    vt_free(&t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_columns_match_the_feed_table),
        cmocka_unit_test(test_code_names_sorted),
        cmocka_unit_test(test_dossier_copies_texts),
        cmocka_unit_test(test_result_reused_without_allocating),
        cmocka_unit_test(test_speed),
        cmocka_unit_test(test_out_of_memory),
        cmocka_unit_test(test_json_escapes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
