/*
 * Administrative divisions: the shipped table of the National Bureau of
 * Statistics' 2023 division codes. Expected names and hierarchies are
 * public facts (Xihu district of Hangzhou, Zhejiang; Hangzhou's 13
 * county-level divisions since 2021; Zhejiang's 11 prefecture-level
 * cities; Xiantao, a county-level city under Hubei's provincial
 * administration); the counts are those of the published package.
 */
#include "testutil.h"

#include <hedui/std.h>

#include <string.h>

static const hd_region *find(const char *code)
{
    return hd_region_find(code, strlen(code));
}

static void find_by_code(void **state)
{
    (void)state;
    const hd_region *r = find("330106");
    assert_non_null(r);
    assert_string_equal(r->code, "330106");
    assert_string_equal(r->name, "西湖区");
    assert_string_equal(r->parent_code, "330100");
    assert_int_equal(r->level, HD_REGION_COUNTY);

    r = find("330000");
    assert_non_null(r);
    assert_string_equal(r->name, "浙江省");
    assert_null(r->parent_code);
    assert_int_equal(r->level, HD_REGION_PROVINCE);

    r = find("110000");
    assert_non_null(r);
    assert_string_equal(r->name, "北京市");
    r = find("650000");
    assert_non_null(r);
    assert_string_equal(r->name, "新疆维吾尔自治区");

    /* A township: 9 digits, under its county. */
    r = find("330106002");
    assert_non_null(r);
    assert_string_equal(r->name, "北山街道");
    assert_string_equal(r->parent_code, "330106");
    assert_int_equal(r->level, HD_REGION_TOWNSHIP);
}

static void find_rejects_unknown_and_malformed(void **state)
{
    (void)state;
    assert_null(find("330199"));
    assert_null(find("990000"));
    assert_null(find("000000"));
    assert_null(find("33010"));
    assert_null(find("3301060"));
    assert_null(find("33010600"));
    assert_null(find("3301060021"));
    assert_null(find(""));
    assert_null(hd_region_find(NULL, 6));
    /* Hong Kong, Macao and Taiwan are not in the statistical codes. */
    assert_null(find("810000"));
    assert_null(find("710000"));
    /* A view into a longer string: only `len` bytes count. */
    assert_non_null(hd_region_find("330106,杭州", 6));
    assert_non_null(hd_region_find("330106002xyz", 9));
    assert_string_equal(hd_region_find("33010600", 6)->code, "330106");
}

static void parent_chain(void **state)
{
    (void)state;
    const hd_region *county = find("330106");
    const hd_region *city = hd_region_parent(county);
    assert_non_null(city);
    assert_string_equal(city->code, "330100");
    assert_string_equal(city->name, "杭州市");
    assert_int_equal(city->level, HD_REGION_CITY);
    const hd_region *province = hd_region_parent(city);
    assert_non_null(province);
    assert_string_equal(province->code, "330000");
    assert_string_equal(province->name, "浙江省");
    assert_null(hd_region_parent(province));
    assert_null(hd_region_parent(NULL));
    assert_ptr_equal(hd_region_parent(find("330106002")), county);
}

static void published_placeholders_are_kept(void **state)
{
    (void)state;
    /* Municipalities group their districts under a "市辖区" city. */
    const hd_region *r = find("110100");
    assert_non_null(r);
    assert_string_equal(r->name, "市辖区");
    assert_string_equal(hd_region_parent(find("110101"))->name, "市辖区");
    assert_string_equal(find("110101")->name, "东城区");

    /* County-level cities administered by the province hang under a
     * "省直辖县级行政区划" city code, as published. */
    r = find("429004");
    assert_non_null(r);
    assert_string_equal(r->name, "仙桃市");
    assert_int_equal(r->level, HD_REGION_COUNTY);
    const hd_region *p = hd_region_parent(r);
    assert_string_equal(p->code, "429000");
    assert_string_equal(p->name, "省直辖县级行政区划");
    assert_string_equal(hd_region_parent(p)->name, "湖北省");

    /* Cities without districts (Dongguan, Zhongshan, Danzhou) have their
     * townships directly: one code, one region, at city level. */
    r = find("441900");
    assert_non_null(r);
    assert_string_equal(r->name, "东莞市");
    assert_int_equal(r->level, HD_REGION_CITY);
    assert_ptr_equal(hd_region_parent(find("441900003")), r);
    assert_string_equal(find("441900003")->name, "东城街道");
    assert_int_equal(find("442000")->level, HD_REGION_CITY);
    assert_int_equal(find("460400")->level, HD_REGION_CITY);
}

static void children_in_code_order(void **state)
{
    const hd_region *out[64];
    (void)state;

    /* Hangzhou: 10 districts, 2 counties and 1 county-level city. */
    const hd_region *hangzhou = find("330100");
    size_t n = hd_region_children(out, 64, hangzhou);
    assert_int_equal(n, 13);
    assert_string_equal(out[0]->code, "330102");
    assert_string_equal(out[0]->name, "上城区");
    assert_string_equal(out[12]->code, "330182");
    assert_string_equal(out[12]->name, "建德市");
    bool seen_xihu = false;
    for (size_t i = 0; i < n; i++) {
        assert_string_equal(out[i]->parent_code, "330100");
        assert_int_equal(out[i]->level, HD_REGION_COUNTY);
        if (i > 0)
            assert_true(strcmp(out[i - 1]->code, out[i]->code) < 0);
        if (strcmp(out[i]->code, "330106") == 0)
            seen_xihu = true;
    }
    assert_true(seen_xihu);

    /* Zhejiang: 11 prefecture-level cities, Hangzhou first, Lishui last. */
    n = hd_region_children(out, 64, find("330000"));
    assert_int_equal(n, 11);
    assert_string_equal(out[0]->name, "杭州市");
    assert_string_equal(out[10]->name, "丽水市");
    for (size_t i = 0; i < n; i++)
        assert_int_equal(out[i]->level, HD_REGION_CITY);

    /* Xihu: townships only, never the county's own neighbours. */
    n = hd_region_children(out, 64, find("330106"));
    assert_true(n >= 10);
    assert_string_equal(out[0]->code, "330106002");
    for (size_t i = 0; i < n; i++)
        assert_int_equal(out[i]->level, HD_REGION_TOWNSHIP);

    /* Dongguan's children are townships. */
    n = hd_region_children(out, 64, find("441900"));
    assert_true(n > 0);
    assert_int_equal(out[0]->level, HD_REGION_TOWNSHIP);

    /* Townships have none. */
    assert_int_equal(hd_region_children(out, 64, find("330106002")), 0);

    /* The children of the country are the 31 provinces of the mainland,
     * Beijing first, Xinjiang last. */
    n = hd_region_children(out, 64, NULL);
    assert_int_equal(n, 31);
    assert_string_equal(out[0]->code, "110000");
    assert_string_equal(out[30]->code, "650000");
    for (size_t i = 0; i < n; i++)
        assert_int_equal(out[i]->level, HD_REGION_PROVINCE);
}

static const hd_region *find_name(const hd_region *parent, const char *name)
{
    return hd_region_find_name(parent, name, strlen(name));
}

static void find_by_name_one_level_at_a_time(void **state)
{
    (void)state;
    const hd_region *zhejiang = find_name(NULL, "浙江省");
    assert_non_null(zhejiang);
    assert_string_equal(zhejiang->code, "330000");
    const hd_region *hangzhou = find_name(zhejiang, "杭州市");
    assert_non_null(hangzhou);
    assert_string_equal(hangzhou->code, "330100");
    const hd_region *xihu = find_name(hangzhou, "西湖区");
    assert_non_null(xihu);
    assert_string_equal(xihu->code, "330106");
    const hd_region *beishan = find_name(xihu, "北山街道");
    assert_non_null(beishan);
    assert_string_equal(beishan->code, "330106002");

    /* The same name under other parents is another region: 朝阳区 of
     * Beijing (110105) and of Changchun (220104). */
    assert_string_equal(find_name(find("110100"), "朝阳区")->code, "110105");
    assert_string_equal(find_name(find("220100"), "朝阳区")->code, "220104");
    /* Only direct children: Xihu is not a child of Zhejiang. */
    assert_null(find_name(zhejiang, "西湖区"));
    assert_null(find_name(NULL, "杭州市"));
    /* Exact bytes: no prefix, no suffix, no short form. */
    assert_null(find_name(NULL, "浙江"));
    assert_null(find_name(hangzhou, "西湖区 "));
    assert_non_null(hd_region_find_name(hangzhou, "西湖区,", strlen("西湖区")));
    assert_null(find_name(beishan, "北山街道"));
    assert_null(hd_region_find_name(NULL, NULL, 0));
    assert_null(find_name(NULL, ""));
}

static void children_counts_beyond_max(void **state)
{
    const hd_region *out[3] = {NULL, NULL, NULL};
    (void)state;
    const hd_region *hangzhou = find("330100");
    /* The full count comes back; only `max` are written. */
    assert_int_equal(hd_region_children(NULL, 0, hangzhou), 13);
    assert_int_equal(hd_region_children(out, 2, hangzhou), 13);
    assert_string_equal(out[1]->code, "330105");
    assert_null(out[2]);
}

static void table_is_sorted_and_consistent(void **state)
{
    size_t levels[5] = {0};
    (void)state;

    size_t count = hd_region_count();
    /* The package: 31 provinces, 342 cities, 2978 counties of which 3
     * repeat a city's code, 41352 townships. */
    assert_int_equal(count, 31 + 342 + 2975 + 41352);
    assert_null(hd_region_at(count));
    for (size_t i = 0; i < count; i++) {
        const hd_region *r = hd_region_at(i);
        size_t len = strlen(r->code);
        assert_true(r->level >= HD_REGION_PROVINCE &&
                    r->level <= HD_REGION_TOWNSHIP);
        levels[r->level]++;
        assert_int_equal(len, r->level == HD_REGION_TOWNSHIP ? 9 : 6);
        if (len == 6)
            assert_true(hd_region_code_valid(r->code, 6));
        assert_true(hd_utf8_count(r->name, strlen(r->name)) > 0);
        if (i > 0)
            assert_true(strcmp(hd_region_at(i - 1)->code, r->code) < 0);
        /* Every region is found by its own code. */
        assert_ptr_equal(hd_region_find(r->code, len), r);
        const hd_region *parent = hd_region_parent(r);
        if (r->level == HD_REGION_PROVINCE) {
            assert_null(parent);
            continue;
        }
        assert_non_null(parent);
        assert_true(parent->level < r->level);
        /* A child's code extends its parent's significant digits. */
        size_t prefix = parent->level == HD_REGION_PROVINCE ? 2
                        : parent->level == HD_REGION_CITY   ? 4
                                                            : 6;
        assert_memory_equal(r->code, parent->code, prefix);
    }
    assert_int_equal(levels[HD_REGION_PROVINCE], 31);
    assert_int_equal(levels[HD_REGION_CITY], 342);
    assert_int_equal(levels[HD_REGION_COUNTY], 2975);
    assert_int_equal(levels[HD_REGION_TOWNSHIP], 41352);
}

static void code_syntax(void **state)
{
    (void)state;
    assert_true(hd_region_code_valid("330000", 6));
    assert_true(hd_region_code_valid("330100", 6));
    assert_true(hd_region_code_valid("330106", 6));
    /* Syntax only: a code that does not exist may be well-formed. */
    assert_true(hd_region_code_valid("999999", 6));
    assert_false(hd_region_code_valid("000000", 6));
    assert_false(hd_region_code_valid("001234", 6));
    assert_false(hd_region_code_valid("330006", 6)); /* county, no city */
    assert_false(hd_region_code_valid("33010", 5));
    assert_false(hd_region_code_valid("3301061", 7));
    assert_false(hd_region_code_valid("330106002", 9));
    assert_false(hd_region_code_valid("33010a", 6));
    assert_false(hd_region_code_valid(" 30106", 6));
    assert_false(hd_region_code_valid(NULL, 6));
    assert_true(hd_region_code_valid("330106,", 6));
}

static void provenance_names_source_and_version(void **state)
{
    (void)state;
    const char *p = hd_region_provenance();
    assert_non_null(strstr(p, "National Bureau of Statistics"));
    assert_non_null(strstr(p, "2023"));
    assert_non_null(strstr(p, "china-division 2.7.0"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(find_by_code),
        cmocka_unit_test(find_rejects_unknown_and_malformed),
        cmocka_unit_test(parent_chain),
        cmocka_unit_test(published_placeholders_are_kept),
        cmocka_unit_test(children_in_code_order),
        cmocka_unit_test(children_counts_beyond_max),
        cmocka_unit_test(find_by_name_one_level_at_a_time),
        cmocka_unit_test(table_is_sorted_and_consistent),
        cmocka_unit_test(code_syntax),
        cmocka_unit_test(provenance_names_source_and_version),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
