/*
 * The PDF report: rendered to files in the test's working directory (the
 * build tree's tests/ folder under CTest), read back with pdftotext, and
 * the first page kept as a PNG (pdftoppm) for a person to look at:
 *   report_fails.pdf, report_fails.txt, report_fails_page-1.png
 * The same inputs must give the same bytes.
 */
#include "report_fixture.h"
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

static rf_case the_case;

static void render(hd_buf *out, rf_kind kind, bool full)
{
    hd_report_options opt = rf_options(full);
    hd_error err;
    rf_build(&the_case, kind);
    hd_buf_init(out, HD_BUF_DEFAULT_MAX);
    if (hd_report_pdf(out, &the_case.r, &the_case.app, &opt, &err) != 0)
        fail_msg("pdf: %s", err.msg);
}

static void write_file(const char *path, const hd_buf *b)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(b->ptr, 1, b->len, f), b->len);
    assert_int_equal(fclose(f), 0);
}

/* Run a fixed command line of poppler-utils; its status must be 0. */
static void run(const char *cmd)
{
    FILE *p = popen(cmd, "r");
    int st;
    char sink[256];
    assert_non_null(p);
    while (fread(sink, 1, sizeof(sink), p) > 0)
        ;
    st = pclose(p);
    if (st != 0)
        fail_msg("%s: status %d", cmd, st);
}

/* pdftotext may drop or add spaces between CJK glyphs: compare with
 * the ASCII spaces taken out of both sides. */
static void squeeze(char *out, size_t cap, const char *in)
{
    size_t o = 0;
    for (; *in && o + 1 < cap; in++)
        if (*in != ' ')
            out[o++] = *in;
    out[o] = '\0';
}

static void has(const char *text, const char *needle)
{
    static char flat[1 << 20];
    char want[256];
    squeeze(flat, sizeof(flat), text);
    squeeze(want, sizeof(want), needle);
    if (!strstr(flat, want))
        fail_msg("missing in pdf text: %s", needle);
}

static char *pdf_text(const char *name, rf_kind kind, bool full)
{
    char cmd[512], pdf[128], txt[128];
    hd_buf b;
    char *text;
    render(&b, kind, full);
    assert_true(b.len > 1000);
    assert_memory_equal(b.ptr, "%PDF-", 5);
    snprintf(pdf, sizeof(pdf), "%s.pdf", name);
    snprintf(txt, sizeof(txt), "%s.txt", name);
    write_file(pdf, &b);
    hd_buf_release(&b);
    snprintf(cmd, sizeof(cmd), "pdftotext -layout %s %s", pdf, txt);
    run(cmd);
    text = tu_read_file(txt, NULL);
    assert_non_null(text);
    return text;
}

static void fails_report_reads_back(void **state)
{
    char *text = pdf_text("report_fails", RF_FAILS, false);
    (void)state;
    has(text, "家庭经济状况核对报告");
    has(text, "330106-2026-000101");
    has(text, "低保边缘");
    has(text, "家庭成员");
    has(text, "检验结果");
    has(text, "建议结论");
    has(text, "330106********0013");
    has(text, "2,300.00元");
    has(text, "2,265.00元");
    has(text, "未通过");
    has(text, "第 1 页 / 共");
    has(text, "5个工作日内");
    if (strstr(text, the_case.pids[0]))
        fail_msg("a full citizen ID in a masked report");
    free(text);
    run("pdftoppm -png -r 60 -f 1 -l 1 report_fails.pdf report_fails_page");
}

static void every_page_has_the_header_and_its_number(void **state)
{
    char *text = pdf_text("report_review", RF_REVIEW, false);
    char needle[64];
    int pages = 0;
    (void)state;
    for (const char *p = text; (p = strstr(p, "核对编号 330106-2026-000102"));
         p++)
        pages++;
    /* the running header on every page, plus the title block */
    assert_true(pages >= 3);
    snprintf(needle, sizeof(needle), "第 %d 页 / 共 %d 页", pages - 1,
             pages - 1);
    has(text, needle);
    free(text);
}

static void full_ids_when_asked(void **state)
{
    char *text = pdf_text("report_meets_full", RF_MEETS, true);
    (void)state;
    has(text, the_case.pids[0]);
    free(text);
}

static bool contains(const hd_buf *b, const char *needle)
{
    size_t n = strlen(needle);
    for (size_t i = 0; i + n <= b->len; i++)
        if (memcmp(b->ptr + i, needle, n) == 0)
            return true;
    return false;
}

static void same_inputs_same_bytes(void **state)
{
    hd_buf a, b;
    (void)state;
    render(&a, RF_FAILS, false);
    render(&b, RF_FAILS, false);
    assert_int_equal(a.len, b.len);
    assert_memory_equal(a.ptr, b.ptr, a.len);
    /* the clock never enters: the dates are issued_at's */
    assert_true(contains(&a, "/CreationDate (20261127160000"));
    hd_buf_release(&a);
    hd_buf_release(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(fails_report_reads_back),
        cmocka_unit_test(every_page_has_the_header_and_its_number),
        cmocka_unit_test(full_ids_when_asked),
        cmocka_unit_test(same_inputs_same_bytes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
