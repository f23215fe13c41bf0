/*
 * The case list export: CSV (BOM, headings, Chinese names, RFC 4180
 * quoting, empty cells for what a case does not have yet) and XLSX (a
 * workbook whose shared strings hold the same cells), written into the
 * test's working directory and read back with `unzip -p`.
 */
#include "testutil.h"

#include <hedui/report.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static hd_case_row verified_case(void)
{
    hd_case_row c;
    memset(&c, 0, sizeof(c));
    snprintf(c.case_no, sizeof(c.case_no), "230103-2026-000012");
    snprintf(c.region, sizeof(c.region), "230103");
    snprintf(c.program, sizeof(c.program), "dibao");
    snprintf(c.state, sizeof(c.state), "verified");
    snprintf(c.opened_by, sizeof(c.opened_by), "clerk1");
    snprintf(c.conclusion, sizeof(c.conclusion), "fails");
    c.version = 3;
    c.opened_at = 1795766400; /* 2026-11-27 16:00 China time */
    c.updated_at = 1795770000;
    assert_int_equal(hd_date_parse(&c.report_due, "2026-12-11", 10, NULL), 0);
    assert_int_equal(hd_date_parse(&c.decision_due, "2026-12-14", 10, NULL), 0);
    assert_int_equal(hd_date_parse(&c.objection_until, "2026-12-04", 10, NULL),
                     0);
    return c;
}

static void test_csv(void **state)
{
    hd_case_row c = verified_case(), r = verified_case();
    hd_case_list_export *x;
    hd_error err = {0};
    hd_buf out;
    const char *want =
        "\xEF\xBB\xBF"
        "案件编号,行政区划,救助类别,状态,核对结论,审核结果,受理人,受理时间,"
        "最后更新,报告期限,确认期限,异议期至,是否超期\r\n"
        "230103-2026-000012,230103,低保,已核对,不符合条件,,clerk1,"
        "2026-11-27 16:00,2026-11-27 17:00,2026-12-11,2026-12-14,2026-12-04,"
        "\r\n"
        "230103-2026-000013,230103,低保,已受理,,,\"a,\"\"b\"\"\","
        "2026-11-27 16:00,2026-11-27 17:00,2026-12-11,,,超期\r\n";
    (void)state;

    snprintf(r.case_no, sizeof(r.case_no), "230103-2026-000013");
    snprintf(r.state, sizeof(r.state), "registered");
    snprintf(r.opened_by, sizeof(r.opened_by), "a,\"b\"");
    r.conclusion[0] = '\0';
    r.decision_due = r.objection_until = HD_CASE_NO_DATE;
    hd_buf_init(&out, HD_BUF_DEFAULT_MAX);
    assert_int_equal(
        hd_case_list_export_open(&x, HD_CASE_LIST_CSV, &out, NULL, 0, &err), 0);
    assert_int_equal(hd_case_list_export_add(x, &c, false, &err), 0);
    assert_int_equal(hd_case_list_export_add(x, &r, true, &err), 0);
    assert_int_equal(hd_case_list_export_close(x, &err), 0);
    hd_buf_putc(&out, '\0');
    assert_string_equal(out.ptr, want);
    hd_buf_release(&out);
}

static void test_xlsx(void **state)
{
    hd_case_row c = verified_case();
    hd_case_list_export *x;
    hd_error err = {0};
    char line[4096] = "";
    FILE *p;
    (void)state;

    snprintf(c.state, sizeof(c.state), "decided");
    snprintf(c.decision, sizeof(c.decision), "rejected");
    assert_int_equal(hd_case_list_export_open(&x, HD_CASE_LIST_XLSX, NULL,
                                              "case_list.xlsx", 1795780800,
                                              &err),
                     0);
    assert_int_equal(hd_case_list_export_add(x, &c, false, &err), 0);
    assert_int_equal(hd_case_list_export_close(x, &err), 0);
    p = popen("unzip -p case_list.xlsx xl/worksheets/sheet1.xml", "r");
    assert_non_null(p);
    assert_true(fread(line, 1, sizeof(line) - 1, p) > 0);
    assert_int_equal(pclose(p), 0);
    for (size_t i = 0; i < 5; i++) {
        static const char *const want[] = {"案件编号", "230103-2026-000012",
                                           "已审核确认", "不予批准",
                                           "2026-11-27 16:00"};
        if (!strstr(line, want[i]))
            fail_msg("missing in the workbook: %s", want[i]);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_csv),
        cmocka_unit_test(test_xlsx),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
