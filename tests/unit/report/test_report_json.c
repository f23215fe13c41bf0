/*
 * The JSON report: golden files for each kind of conclusion, and the
 * members a reader relies on, worked out from rules.md and the fixture.
 */
#include "report_fixture.h"
#include "testutil.h"

#include "report/report_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static rf_case the_case;

static void render(hd_buf *out, rf_kind kind, bool full)
{
    hd_report_options opt = rf_options(full);
    hd_error err;
    rf_build(&the_case, kind);
    hd_buf_init(out, HD_BUF_DEFAULT_MAX);
    assert_int_equal(
        hd_report_json(out, &the_case.r, &the_case.app, &opt, &err), 0);
}

static void has(const hd_buf *b, const char *needle)
{
    if (!strstr(b->ptr, needle))
        fail_msg("missing: %s", needle);
}

static void lacks(const hd_buf *b, const char *needle)
{
    if (strstr(b->ptr, needle))
        fail_msg("unexpected: %s", needle);
}

static void golden(const char *name, rf_kind kind, bool full)
{
    hd_buf b, again;
    render(&b, kind, full);
    rf_golden(name, b.ptr, b.len);
    /* deterministic: the same inputs give the same bytes */
    render(&again, kind, full);
    assert_int_equal(again.len, b.len);
    assert_memory_equal(again.ptr, b.ptr, b.len);
    hd_buf_release(&again);
    hd_buf_release(&b);
}

static void goldens(void **state)
{
    (void)state;
    golden("meets.json", RF_MEETS, false);
    golden("meets_full.json", RF_MEETS, true);
    golden("fails.json", RF_FAILS, false);
    golden("review.json", RF_REVIEW, false);
    golden("refused.json", RF_REFUSED, false);
    golden("unauthorized.json", RF_UNAUTHORIZED, false);
    golden("escaping.json", RF_ESCAPING, false);
}

static void meets_starts_with_the_result_record(void **state)
{
    hd_buf b;
    (void)state;
    render(&b, RF_MEETS, false);
    /* rules.md's members first, in its order; 3 x 414000 / 3 / 3 */
    has(&b, "{\"application_no\":\"330106-2026-000100\",\"program\":"
            "\"dibao\",\"conclusion\":\"meets\",\"level\":\"dibao\","
            "\"figures\":{\"members\":3,\"income\":1242000,"
            "\"expenditure\":120000,\"pci\":138000,\"pci_after\":124666,"
            "\"financial_assets\":1200000,\"pca\":400000,\"homes\":1,"
            "\"area_pc\":2983,\"vehicles\":0},\"failed\":[],"
            "\"findings\":[],");
    has(&b, "\"issued_at\":\"2026-11-27T16:00:00+08:00\"");
    has(&b, "\"issuer\":\"杭州市西湖区居民家庭经济状况核对中心\"");
    has(&b, "\"window\":{\"first\":\"2026-08\",\"last\":\"2026-10\"}");
    /* 24 x 151000 fen, exactly */
    has(&b, "{\"code\":\"FINANCIAL_ASSETS\",\"program\":\"dibao\","
            "\"unit\":\"fen\",\"figure\":400000,\"limit\":\"3624000\","
            "\"failed\":false}");
    has(&b, "\"dibao_standard\":{\"value\":151000,\"origin\":{\"region\":"
            "\"330100\",\"effective_from\":\"2025-07-01\",\"default\":false");
    has(&b, "\"low_income_factor\":{\"value\":\"1.5\"");
    has(&b, "\"tekun_standard\":{\"value\":\"196300\"");
    has(&b, "\"excluded_categories\":{\"value\":[\"incidental\"]");
    has(&b, "{\"feed\":\"deposit\",\"delivered\":true,\"delivery_id\":"
            "\"BANKS-2026-10-31\",\"as_of\":\"2026-10-31\"}");
    /* masked everywhere, source keys included */
    has(&b, "\"pid\":\"330106********001");
    has(&b, "\"key\":\"330106********");
    lacks(&b, the_case.pids[0]);
    lacks(&b, the_case.pids[1]);
    has(&b, "\"wage_estimated\":true");
    has(&b, "民政部门");
    has(&b, "5个工作日");
    assert_int_equal(b.ptr[b.len - 1], '\n');
    hd_buf_release(&b);
}

static void full_pids_show_the_whole_id(void **state)
{
    hd_buf b;
    char needle[64];
    (void)state;
    render(&b, RF_MEETS, true);
    snprintf(needle, sizeof(needle), "\"key\":\"%s|ICBC|", the_case.pids[0]);
    has(&b, needle);
    has(&b, the_case.pids[1]);
    has(&b, "\"pid_form\":\"full\"");
    hd_buf_release(&b);
}

static void fails_lists_every_failing_test(void **state)
{
    hd_buf b;
    (void)state;
    render(&b, RF_FAILS, false);
    has(&b, "\"conclusion\":\"fails\",\"level\":\"none\"");
    has(&b, "\"failed\":[\"ENTERPRISE\",\"INCOME\",\"VEHICLE\"]");
    /* 1.5 x 151000 = 226500 fen */
    has(&b, "{\"code\":\"INCOME\",\"program\":\"low_income\",\"unit\":"
            "\"fen\",\"figure\":230000,\"limit\":\"226500\",\"failed\":true}");
    has(&b, "{\"code\":\"VEHICLE\",\"program\":\"low_income\",\"unit\":"
            "\"count\",\"figure\":1,\"limit\":null,\"failed\":true}");
    has(&b, "\"figure\":\"vehicles\",\"feed\":\"vehicle\"");
    has(&b, "{\"item\":\"vehicles\",\"declared\":0,\"found\":1}");
    hd_buf_release(&b);
}

static void review_keeps_figures_and_findings(void **state)
{
    hd_buf b;
    (void)state;
    render(&b, RF_REVIEW, false);
    has(&b, "\"conclusion\":\"review\",\"level\":\"dibao\",\"figures\":{");
    has(&b, "\"findings\":[\"FEED_NOT_DELIVERED\",\"MEMBER_NOT_IN_HUKOU\","
            "\"UNDECLARED_SPOUSE\"]");
    has(&b, "{\"feed\":\"insurance\",\"delivered\":false}");
    has(&b, "\"note\":\"undeclared spouse\"");
    hd_buf_release(&b);
}

static void refused_and_unauthorized_carry_no_figures(void **state)
{
    hd_buf b;
    (void)state;
    render(&b, RF_REFUSED, false);
    has(&b, "\"conclusion\":\"refused\",\"findings\":"
            "[\"APPLICATION_INVALID\"],\"error\":{\"field\":"
            "\"members[1].pid\",\"reason\":\"check character\"}");
    lacks(&b, "\"figures\"");
    lacks(&b, "\"failed\"");
    lacks(&b, "\"level\"");
    /* the declared (invalid) pid is masked too */
    has(&b, "\"pid\":\"330106********0029\"");
    hd_buf_release(&b);

    render(&b, RF_UNAUTHORIZED, false);
    has(&b, "\"conclusion\":\"unauthorized\",\"findings\":"
            "[\"NO_AUTHORIZATION\"],\"pids\":[\"330106********");
    lacks(&b, "\"figures\"");
    lacks(&b, "\"failed\"");
    lacks(&b, the_case.pids[1]);
    hd_buf_release(&b);
}

static void text_is_escaped(void **state)
{
    hd_buf b;
    (void)state;
    render(&b, RF_ESCAPING, false);
    has(&b, "\"name\":\"<b>O'Brien & \\\"Co\\\"</b>\"");
    hd_buf_release(&b);
}

static void rationals_are_exact(void **state)
{
    char t[RP_NUM_MAX];
    (void)state;
    assert_string_equal(rp_rational(t, 15000 * 151000LL, 10000, 0, false),
                        "226500");
    /* 1.3 x 151001 fen is not whole fen: shown exactly */
    assert_string_equal(rp_rational(t, 13000 * 151001LL, 10000, 0, false),
                        "196301.3");
    assert_string_equal(rp_rational(t, 13000 * 151001LL, 10000, 2, true),
                        "1,963.013");
    assert_string_equal(rp_rational(t, 151000, 1, 2, true), "1,510.00");
    assert_string_equal(rp_rational(t, 1, 3, 0, false), "1/3");
    assert_string_equal(rp_money(t, -123456789), "-1,234,567.89");
    assert_string_equal(rp_money(t, 5), "0.05");
    assert_string_equal(rp_area(t, 8950), "89.50");
}

static void allocation_failures_are_reported(void **state)
{
    (void)state;
    rf_build(&the_case, RF_FAILS);
    for (long n = 1; n < 200; n++) {
        hd_report_options opt = rf_options(false);
        hd_buf b;
        int rc;
        hd_buf_init(&b, HD_BUF_DEFAULT_MAX);
        hd_alloc_fail_after(n, true);
        rc = hd_report_json(&b, &the_case.r, &the_case.app, &opt, NULL);
        hd_alloc_fail_after(0, false);
        hd_buf_release(&b);
        if (rc == 0)
            return;
        assert_int_equal(rc, HD_ENOMEM);
    }
    fail_msg("the report never succeeded");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(goldens),
        cmocka_unit_test(meets_starts_with_the_result_record),
        cmocka_unit_test(full_pids_show_the_whole_id),
        cmocka_unit_test(fails_lists_every_failing_test),
        cmocka_unit_test(review_keeps_figures_and_findings),
        cmocka_unit_test(refused_and_unauthorized_carry_no_figures),
        cmocka_unit_test(text_is_escaped),
        cmocka_unit_test(rationals_are_exact),
        cmocka_unit_test(allocation_failures_are_reported),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
