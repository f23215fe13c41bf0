#include "testutil.h"

#include <hedui/base.h>

#include <string.h>

static int64_t parse_ok(const char *s)
{
    int64_t v = 0;
    hd_error err;
    hd_error_clear(&err);
    int rc = hd_money_parse(&v, s, strlen(s), &err);
    if (rc)
        fail_msg("%s: %s", s, err.msg);
    return v;
}

static int parse_code(const char *s)
{
    int64_t v;
    return hd_money_parse(&v, s, strlen(s), NULL);
}

static void money_parses_exactly(void **state)
{
    (void)state;
    assert_int_equal(parse_ok("0"), 0);
    assert_int_equal(parse_ok("12"), 1200);
    assert_int_equal(parse_ok("12.3"), 1230);
    assert_int_equal(parse_ok("12.34"), 1234);
    assert_int_equal(parse_ok("-0.01"), -1);
    assert_int_equal(parse_ok("1510.00"), 151000);
    /* 0.1 + 0.2 is exactly 0.3 in fen: no floating point anywhere. */
    assert_int_equal(parse_ok("0.1") + parse_ok("0.2"), parse_ok("0.3"));
    assert_int_equal(parse_ok("92233720368547758.07"), INT64_MAX);
    assert_int_equal(parse_ok("-92233720368547758.08"), INT64_MIN);
}

static void money_rejects_bad_forms(void **state)
{
    (void)state;
    assert_int_equal(parse_code(""), HD_EDATA);
    assert_int_equal(parse_code("-"), HD_EDATA);
    assert_int_equal(parse_code("1.234"), HD_EDATA);
    assert_int_equal(parse_code("1."), HD_EDATA);
    assert_int_equal(parse_code(".5"), HD_EDATA);
    assert_int_equal(parse_code("+1"), HD_EDATA);
    assert_int_equal(parse_code("1,000"), HD_EDATA);
    assert_int_equal(parse_code(" 1"), HD_EDATA);
    assert_int_equal(parse_code("1e3"), HD_EDATA);
    assert_int_equal(parse_code("92233720368547758.08"), HD_EOVERFLOW);
    assert_int_equal(parse_code("99999999999999999999"), HD_EOVERFLOW);
}

static void area_is_never_negative(void **state)
{
    int64_t v;
    (void)state;
    assert_int_equal(hd_area_parse(&v, "85.5", 4, NULL), 0);
    assert_int_equal(v, 8550);
    assert_int_equal(hd_area_parse(&v, "-1", 2, NULL), HD_EDATA);
}

static void factors_take_four_places(void **state)
{
    int64_t v;
    (void)state;
    assert_int_equal(hd_decimal_parse(&v, "1.5", 3, 4, false, NULL), 0);
    assert_int_equal(v, 15000);
    assert_int_equal(hd_decimal_parse(&v, "1.23456", 7, 4, false, NULL),
                     HD_EDATA);
}

static void money_formats_exactly(void **state)
{
    char out[HD_MONEY_TEXT_MAX];
    (void)state;
    assert_string_equal(hd_money_format(out, 0), "0.00");
    assert_string_equal(hd_money_format(out, 5), "0.05");
    assert_string_equal(hd_money_format(out, -5), "-0.05");
    assert_string_equal(hd_money_format(out, 151000), "1510.00");
    assert_string_equal(hd_money_format(out, INT64_MIN),
                        "-92233720368547758.08");
    assert_string_equal(hd_money_format(out, INT64_MAX),
                        "92233720368547758.07");
}

static void overflow_is_detected(void **state)
{
    int64_t v;
    (void)state;
    assert_int_equal(hd_add_i64(&v, INT64_MAX, 1), HD_EOVERFLOW);
    assert_int_equal(hd_mul_i64(&v, INT64_MAX / 2, 3), HD_EOVERFLOW);
    assert_int_equal(hd_add_i64(&v, 1, 2), 0);
    assert_int_equal(v, 3);
    /* Division rounds toward zero, for negatives too. */
    assert_int_equal(hd_div_trunc(-7, 2), -3);
    assert_int_equal(hd_div_trunc(7, 2), 3);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(money_parses_exactly),
        cmocka_unit_test(money_rejects_bad_forms),
        cmocka_unit_test(area_is_never_negative),
        cmocka_unit_test(factors_take_four_places),
        cmocka_unit_test(money_formats_exactly),
        cmocka_unit_test(overflow_is_detected),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
