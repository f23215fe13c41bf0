#include "testutil.h"

#include <hedui/base.h>

#include <string.h>

static int32_t date(const char *s)
{
    int32_t d = 0;
    if (hd_date_parse(&d, s, strlen(s), NULL))
        fail_msg("bad date %s", s);
    return d;
}

static void dates_count_days_from_1970(void **state)
{
    (void)state;
    assert_int_equal(date("1970-01-01"), 0);
    assert_int_equal(date("1970-01-02"), 1);
    assert_int_equal(date("1969-12-31"), -1);
    assert_int_equal(date("2000-03-01") - date("2000-02-28"), 2);
    assert_int_equal(date("1900-03-01") - date("1900-02-28"), 1);
    /* 2026-11-20 is 20,777 days after the epoch (Python: (date(2026, 11,
     * 20) - date(1970, 1, 1)).days). */
    assert_int_equal(date("2026-11-20"), 20777);
}

static void dates_round_trip(void **state)
{
    char out[HD_DATE_TEXT_MAX];
    (void)state;
    for (int32_t d = date("1899-01-01"); d < date("2101-01-01"); d += 7) {
        int32_t back;
        hd_date_format(out, d);
        assert_int_equal(hd_date_parse(&back, out, strlen(out), NULL), 0);
        assert_int_equal(back, d);
    }
    assert_string_equal(hd_date_format(out, date("2024-02-29")), "2024-02-29");
}

static void bad_dates_are_rejected(void **state)
{
    int32_t d;
    const char *bad[] = {
        "2023-02-29", "2026-13-01",  "2026-00-10", "2026-04-31", "2026-1-01",
        "20261101",   "2026-11-01x", "0000-01-01", "2026/11/01", ""};
    (void)state;
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        assert_int_equal(hd_date_parse(&d, bad[i], strlen(bad[i]), NULL),
                         HD_EDATA);
    assert_int_equal(hd_date_parse(&d, "2024-02-29", 10, NULL), 0);
}

static void periods_do_month_arithmetic(void **state)
{
    int32_t p, q;
    char out[HD_PERIOD_TEXT_MAX];
    (void)state;
    assert_int_equal(hd_period_parse(&p, "2026-11", 7, NULL), 0);
    /* The 12-month window before 2026-11 starts at 2025-11. */
    assert_string_equal(hd_period_format(out, hd_period_add(p, -12)),
                        "2025-11");
    assert_string_equal(hd_period_format(out, hd_period_add(p, 2)), "2027-01");
    assert_int_equal(hd_period_of_date(date("2026-11-20")), p);
    assert_int_equal(hd_period_parse(&q, "2026-13", 7, NULL), HD_EDATA);
    assert_int_equal(hd_period_parse(&q, "2026-1", 6, NULL), HD_EDATA);
}

static void age_counts_completed_years(void **state)
{
    (void)state;
    assert_int_equal(hd_age_at(date("1966-11-20"), date("2026-11-20")), 60);
    assert_int_equal(hd_age_at(date("1966-11-21"), date("2026-11-20")), 59);
    /* A 29 February birthday is reached on 1 March in a common year. */
    assert_int_equal(hd_age_at(date("2008-02-29"), date("2026-02-28")), 17);
    assert_int_equal(hd_age_at(date("2008-02-29"), date("2026-03-01")), 18);
    assert_int_equal(hd_age_at(date("2008-02-29"), date("2028-02-29")), 20);
    assert_int_equal(hd_age_at(date("2010-05-01"), date("2010-05-01")), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(dates_count_days_from_1970),
        cmocka_unit_test(dates_round_trip),
        cmocka_unit_test(bad_dates_are_rejected),
        cmocka_unit_test(periods_do_month_arithmetic),
        cmocka_unit_test(age_counts_completed_years),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
