/*
 * The HTML report: golden files for each kind of conclusion, escaping,
 * masking, and what a printed page must say (worked out from the brief
 * and rules.md, not from the output).
 */
#include "report_fixture.h"
#include "testutil.h"

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
        hd_report_html(out, &the_case.r, &the_case.app, &opt, &err), 0);
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
    render(&again, kind, full);
    assert_int_equal(again.len, b.len);
    assert_memory_equal(again.ptr, b.ptr, b.len);
    hd_buf_release(&again);
    hd_buf_release(&b);
}

static void goldens(void **state)
{
    (void)state;
    golden("meets.html", RF_MEETS, false);
    golden("meets_full.html", RF_MEETS, true);
    golden("fails.html", RF_FAILS, false);
    golden("review.html", RF_REVIEW, false);
    golden("refused.html", RF_REFUSED, false);
    golden("unauthorized.html", RF_UNAUTHORIZED, false);
    golden("escaping.html", RF_ESCAPING, false);
}

static void page_is_self_contained(void **state)
{
    hd_buf b;
    (void)state;
    render(&b, RF_FAILS, false);
    has(&b, "<html lang=\"zh-CN\">");
    has(&b, "@page{size:A4");
    lacks(&b, "<script");
    lacks(&b, "http://");
    lacks(&b, "https://");
    lacks(&b, "<link");
    lacks(&b, "src=");
    hd_buf_release(&b);
}

static void fails_page_shows_the_tables(void **state)
{
    hd_buf b;
    (void)state;
    render(&b, RF_FAILS, false);
    has(&b, "核对编号 330106-2026-000101 · 低保边缘 · 出具日期 2026-11-27");
    has(&b, "杭州市西湖区居民家庭经济状况核对中心");
    has(&b, "<td>政策版本</td><td>第 3 版");
    /* family: masked ids, relation classes in Chinese, age */
    has(&b, "<td>330106********0013</td><td>张三</td><td>申请人</td>"
            "<td class=\"r\">46</td>");
    has(&b, "<td>李四</td><td>配偶</td>");
    has(&b, "<td>张小明</td><td>子</td>");
    has(&b, "无劳动能力");
    lacks(&b, the_case.pids[0]);
    /* income: the spouse's wage is estimated */
    has(&b, "1,500.00（估算）");
    /* family total 3 x (6000 - 480 + 1500 - 120) yuan */
    has(&b, "<td>家庭合计</td>");
    has(&b, "20,700.00");
    /* assets: the home with area and share, its source */
    has(&b, "面积 89.50 m²，份额 100%");
    has(&b, "real_estate（不动产登记） · NR-330100-2026-10-31 · "
            "330106********0021|浙(2019)杭州市不动产权第0012345号");
    has(&b, "类型 小型汽车，价值 85000.00元");
    /* tests: 1.5 x 1510.00 yuan = 2265.00 yuan, failed */
    has(&b, "<td>低保边缘</td><td>家庭人均月收入</td><td "
            "class=\"r\">2,300.00元</td><td class=\"r\">2,265.00元</td>"
            "<td>未通过</td>");
    has(&b, "<td>人均金融资产</td>");
    has(&b, "<td>通过</td>");
    /* declared vs found */
    has(&b, "<td>机动车（辆）</td><td class=\"r\">0</td><td "
            "class=\"r\">1</td>");
    /* the conclusion is a suggestion; the objection notice */
    has(&b, "建议结论：不符合条件");
    has(&b, "民政部门");
    has(&b, "自收到报告之日起5个工作日内");
    hd_buf_release(&b);
}

static void review_page_lists_findings(void **state)
{
    hd_buf b;
    (void)state;
    render(&b, RF_REVIEW, false);
    has(&b, "<h2>核对发现</h2>");
    has(&b, "<td>UNDECLARED_SPOUSE</td><td>有未申报的在世配偶</td>");
    has(&b, "<td>商业保险（insurance）</td><td>未报送</td>");
    has(&b, "需人工复核");
    hd_buf_release(&b);
}

static void refused_and_unauthorized_pages(void **state)
{
    hd_buf b;
    (void)state;
    render(&b, RF_REFUSED, false);
    has(&b, "members[1].pid");
    has(&b, "330106********0029");
    lacks(&b, "<h2>检验结果</h2>");
    hd_buf_release(&b);
    render(&b, RF_UNAUTHORIZED, false);
    has(&b, "未有效授权");
    lacks(&b, "<h2>收入（按月）</h2>");
    lacks(&b, the_case.pids[2]);
    hd_buf_release(&b);
}

static void full_pids(void **state)
{
    hd_buf b;
    (void)state;
    render(&b, RF_MEETS, true);
    has(&b, the_case.pids[0]);
    lacks(&b, "330106********");
    hd_buf_release(&b);
}

static void every_text_is_escaped(void **state)
{
    hd_buf b;
    (void)state;
    render(&b, RF_ESCAPING, false);
    has(&b, "&lt;b&gt;O&#39;Brien &amp; &quot;Co&quot;&lt;/b&gt;");
    lacks(&b, "<b>O");
    lacks(&b, "O'Brien");
    hd_buf_release(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(goldens),
        cmocka_unit_test(page_is_self_contained),
        cmocka_unit_test(fails_page_shows_the_tables),
        cmocka_unit_test(review_page_lists_findings),
        cmocka_unit_test(refused_and_unauthorized_pages),
        cmocka_unit_test(full_pids),
        cmocka_unit_test(every_text_is_escaped),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
