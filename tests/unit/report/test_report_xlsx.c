/*
 * XLSX: the one-case workbook and the roll summary, written into the
 * test's working directory (report_fails.xlsx, report_roll.xlsx) and
 * read back with `unzip -p`.
 */
#include "report_fixture.h"
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static rf_case the_case;

/* The bytes of one member of a zip file, via unzip -p. */
static char *unzip(const char *file, const char *member)
{
    char cmd[512];
    FILE *p;
    hd_buf b;
    char chunk[4096];
    size_t n;
    char *out;
    snprintf(cmd, sizeof(cmd), "unzip -p %s %s", file, member);
    p = popen(cmd, "r");
    assert_non_null(p);
    hd_buf_init(&b, HD_BUF_DEFAULT_MAX);
    while ((n = fread(chunk, 1, sizeof(chunk), p)) > 0)
        hd_buf_append(&b, chunk, n);
    assert_int_equal(pclose(p), 0);
    out = hd_buf_detach(&b, NULL);
    assert_non_null(out);
    return out;
}

static void has(const char *text, const char *needle)
{
    if (!strstr(text, needle))
        fail_msg("missing in xlsx: %s", needle);
}

static char *file_bytes(const char *path, size_t *len)
{
    char *b = tu_read_file(path, len);
    assert_non_null(b);
    return b;
}

static void write_case(const char *path)
{
    hd_report_options opt = rf_options(false);
    hd_error err;
    rf_build(&the_case, RF_FAILS);
    if (hd_report_xlsx(path, &the_case.r, &the_case.app, &opt, &err) != 0)
        fail_msg("xlsx: %s", err.msg);
}

static void one_case_workbook(void **state)
{
    char *xml;
    (void)state;
    write_case("report_fails.xlsx");
    xml = unzip("report_fails.xlsx", "xl/workbook.xml");
    has(xml, "name=\"概要\"");
    has(xml, "name=\"收入\"");
    has(xml, "name=\"资产\"");
    has(xml, "name=\"支出\"");
    has(xml, "name=\"检验\"");
    hd_free(xml);
    xml = unzip("report_fails.xlsx", "xl/worksheets/sheet1.xml");
    has(xml, "330106-2026-000101");
    has(xml, "330106********0013");
    has(xml, "不符合条件");
    if (strstr(xml, the_case.pids[0]))
        fail_msg("a full citizen ID in the workbook");
    hd_free(xml);
    xml = unzip("report_fails.xlsx", "xl/worksheets/sheet5.xml");
    has(xml, "330106-2026-000101");
    has(xml, "未通过");
    hd_free(xml);
    xml = unzip("report_fails.xlsx", "docProps/core.xml");
    has(xml, "2026-11-27T08:00:00Z");
    hd_free(xml);
}

static void one_case_workbook_is_reproducible(void **state)
{
    size_t alen, blen;
    char *a, *b;
    (void)state;
    write_case("report_fails_a.xlsx");
    sleep(2); /* zip times have a 2-second resolution */
    write_case("report_fails_b.xlsx");
    a = file_bytes("report_fails_a.xlsx", &alen);
    b = file_bytes("report_fails_b.xlsx", &blen);
    assert_int_equal(alen, blen);
    assert_memory_equal(a, b, alen);
    free(a);
    free(b);
}

static void roll_summary(void **state)
{
    static const rf_kind kinds[] = {RF_MEETS, RF_FAILS, RF_REVIEW, RF_REFUSED,
                                    RF_UNAUTHORIZED};
    hd_xlsx_roll *x;
    hd_error err;
    char *xml;
    (void)state;
    assert_int_equal(
        hd_xlsx_roll_open(&x, "report_roll.xlsx", INT64_C(1795766400), &err),
        0);
    for (int rep = 0; rep < 400; rep++)
        for (size_t k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++) {
            rf_build(&the_case, kinds[k]);
            assert_int_equal(
                hd_xlsx_roll_add(x, &the_case.r, &the_case.app, &err), 0);
        }
    assert_int_equal(hd_xlsx_roll_close(x, &err), 0);
    xml = unzip("report_roll.xlsx", "xl/workbook.xml");
    has(xml, "name=\"汇总\"");
    has(xml, "name=\"统计\"");
    hd_free(xml);
    xml = unzip("report_roll.xlsx", "xl/worksheets/sheet1.xml");
    has(xml, "330106-2026-000100");
    has(xml, "330106-2026-000104");
    has(xml, "VEHICLE");
    /* 2000 results and the header */
    has(xml, "<row r=\"2001\"");
    if (strstr(xml, "<row r=\"2002\""))
        fail_msg("more rows than results");
    hd_free(xml);
    /* counts: dibao has 400 of each of meets, review, refused and
     * unauthorized; low_income 400 fails; totals 1600 and 400 */
    xml = unzip("report_roll.xlsx", "xl/worksheets/sheet2.xml");
    has(xml, "符合条件");
    has(xml, "<v>1600</v>");
    has(xml, "<v>400</v>");
    hd_free(xml);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(one_case_workbook),
        cmocka_unit_test(one_case_workbook_is_reproducible),
        cmocka_unit_test(roll_summary),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
