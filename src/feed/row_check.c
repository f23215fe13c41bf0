/*
 * The rules across columns of one row that feeds.md states and the column
 * types alone cannot: each names the column it blames (err->field) and
 * says the rule in words. They run on rows whose values already passed
 * their type checks, so a pid here is valid and normalised.
 */
#include "feed/feed_int.h"

#include <hedui/std.h>

static int broken(hd_error *err, const char *column, const char *msg)
{
    hd_error_set(err, HD_EDATA, "%s", msg);
    hd_error_at(err, NULL, 0, 0, column);
    return HD_EDATA;
}

int hd__check_hukou(const hd_feed *feed, const hd_row *row, hd_error *err)
{
    const hd_value *pid = &row->values[HD__HUKOU_PID];
    const hd_value *sex = &row->values[HD__HUKOU_SEX];
    const hd_value *birth = &row->values[HD__HUKOU_BIRTH];
    const hd_value *status = &row->values[HD__HUKOU_STATUS];
    const hd_value *status_date = &row->values[HD__HUKOU_STATUS_DATE];

    (void)feed;
    /* The code is "1" (male) or "2" (female), as hd_pid_sex answers. */
    if (sex->text[0] - '0' != hd_pid_sex(pid->text))
        return broken(err, "sex",
                      "sex does not agree with the citizen ID (odd sequence "
                      "number = male, even = female)");
    if (birth->num != hd_pid_birth(pid->text))
        return broken(err, "birth",
                      "birth does not agree with the birth date in the "
                      "citizen ID");
    if (status_date->is_null && status->num != HD__HUKOU_STATUS_NORMAL)
        return broken(err, "status_date",
                      "status_date is required unless status = 1");
    return 0;
}

int hd__check_social_insurance(const hd_feed *feed, const hd_row *row,
                               hd_error *err)
{
    const hd_value *kind = &row->values[HD__SI_KIND];
    const hd_value *base = &row->values[HD__SI_BASE];

    (void)feed;
    if (base->is_null && kind->num == HD__SI_KIND_CONTRIB)
        return broken(err, "base", "base is required when kind = contrib");
    return 0;
}

int hd__check_medical(const hd_feed *feed, const hd_row *row, hd_error *err)
{
    const hd_value *total = &row->values[HD__MEDICAL_TOTAL];
    const hd_value *fund = &row->values[HD__MEDICAL_FUND_PAID];
    const hd_value *self = &row->values[HD__MEDICAL_SELF_PAID];
    int64_t sum;

    (void)feed;
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
