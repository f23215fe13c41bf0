/*
 * The rules across columns of one row that feeds.md states and the column
 * types alone cannot: each names the column it blames (err->field) and
 * says the rule in words. They run on rows whose values already passed
 * their type checks, so a pid here is valid and normalised.
 */
#include "feed/feed_int.h"

#include <hedui/std.h>

#include <assert.h>
#include <string.h>

static const hd_value *value_of(const hd_feed *feed, const hd_row *row,
                                const char *name)
{
    int i = hd_feed_column(feed, name);
    assert(i >= 0);
    return &row->values[i];
}

static int broken(hd_error *err, const char *column, const char *msg)
{
    hd_error_set(err, HD_EDATA, "%s", msg);
    hd_error_at(err, NULL, 0, 0, column);
    return HD_EDATA;
}

int hd__check_hukou(const hd_feed *feed, const hd_row *row, hd_error *err)
{
    const hd_value *pid = value_of(feed, row, "pid");
    const hd_value *sex = value_of(feed, row, "sex");
    const hd_value *birth = value_of(feed, row, "birth");
    const hd_value *status = value_of(feed, row, "status");
    const hd_value *status_date = value_of(feed, row, "status_date");

    /* The code is "1" (male) or "2" (female), as hd_pid_sex answers. */
    if (sex->text[0] - '0' != hd_pid_sex(pid->text))
        return broken(err, "sex",
                      "sex does not agree with the citizen ID (odd sequence "
                      "number = male, even = female)");
    if (birth->num != hd_pid_birth(pid->text))
        return broken(err, "birth",
                      "birth does not agree with the birth date in the "
                      "citizen ID");
    if (status_date->is_null && strcmp(status->text, "1") != 0)
        return broken(err, "status_date",
                      "status_date is required unless status = 1");
    return 0;
}

int hd__check_social_insurance(const hd_feed *feed, const hd_row *row,
                               hd_error *err)
{
    const hd_value *kind = value_of(feed, row, "kind");
    const hd_value *base = value_of(feed, row, "base");

    if (base->is_null && strcmp(kind->text, "contrib") == 0)
        return broken(err, "base", "base is required when kind = contrib");
    return 0;
}

int hd__check_medical(const hd_feed *feed, const hd_row *row, hd_error *err)
{
    const hd_value *total = value_of(feed, row, "total");
    const hd_value *fund = value_of(feed, row, "fund_paid");
    const hd_value *self = value_of(feed, row, "self_paid");
    int64_t sum;

    /* A sum that overflows cannot equal any total. */
    if (hd_add_i64(&sum, fund->num, self->num) || sum != total->num) {
        char t[HD_MONEY_TEXT_MAX], f[HD_MONEY_TEXT_MAX], s[HD_MONEY_TEXT_MAX];
        hd_error_set(err, HD_EDATA,
                     "total = fund_paid + self_paid does not hold "
                     "(%s != %s + %s)",
                     hd_money_format(t, total->num),
                     hd_money_format(f, fund->num),
                     hd_money_format(s, self->num));
        hd_error_at(err, NULL, 0, 0, "self_paid");
        return HD_EDATA;
    }
    return 0;
}
