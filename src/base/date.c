/*
 * Calendar dates as days since 1970-01-01 and months as year * 12 +
 * (month - 1). The day-count conversions are Howard Hinnant's
 * days_from_civil / civil_from_days, which hold for the whole proleptic
 * Gregorian calendar.
 */
#include <hedui/base.h>

bool hd_is_leap_year(int year)
{
    return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

int hd_days_in_month(int year, int month)
{
    static const int days[12] = {31, 28, 31, 30, 31, 30,
                                 31, 31, 30, 31, 30, 31};
    if (month == 2 && hd_is_leap_year(year))
        return 29;
    return days[month - 1];
}

static int32_t days_from_civil(int y, int m, int d)
{
    y -= m <= 2;
    int era = (y >= 0 ? y : y - 399) / 400;
    int yoe = y - era * 400;
    int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return (int32_t)(era * 146097 + doe - 719468);
}

int hd_date_from_ymd(int32_t *out, int year, int month, int day)
{
    if (year < 1 || year > 9999 || month < 1 || month > 12 || day < 1 ||
        day > hd_days_in_month(year, month))
        return HD_EDATA;
    *out = days_from_civil(year, month, day);
    return 0;
}

void hd_date_to_ymd(int32_t date, int *year, int *month, int *day)
{
    /* In 64 bits: every int32_t date, even one far past year 9999 (a
     * count of working days run off the end), has a year that fits. */
    int64_t z = (int64_t)date + 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int doe = (int)(z - era * 146097);
    int yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int y = yoe + (int)era * 400;
    int doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int mp = (5 * doy + 2) / 153;
    int d = doy - (153 * mp + 2) / 5 + 1;
    int m = mp + (mp < 10 ? 3 : -9);
    *year = y + (m <= 2);
    *month = m;
    *day = d;
}

static bool digits_at(const char *s, size_t from, size_t count, int *out)
{
    int v = 0;
    for (size_t i = from; i < from + count; i++) {
        if (!hd_is_digit(s[i]))
            return false;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return true;
}

int hd_date_parse(int32_t *out, const char *s, size_t len, hd_error *err)
{
    int y, m, d;

    if (len != 10 || s[4] != '-' || s[7] != '-' || !digits_at(s, 0, 4, &y) ||
        !digits_at(s, 5, 2, &m) || !digits_at(s, 8, 2, &d))
        return hd_error_set(err, HD_EDATA, "not a date of the form YYYY-MM-DD");
    if (hd_date_from_ymd(out, y, m, d))
        return hd_error_set(err, HD_EDATA, "not a calendar date");
    return 0;
}

static void put_digits(char *out, int value, int count)
{
    for (int i = count - 1; i >= 0; i--) {
        out[i] = (char)('0' + value % 10);
        value /= 10;
    }
}

const char *hd_date_format(char *out, int32_t date)
{
    int y, m, d;
    hd_date_to_ymd(date, &y, &m, &d);
    put_digits(out, y, 4);
    out[4] = '-';
    put_digits(out + 5, m, 2);
    out[7] = '-';
    put_digits(out + 8, d, 2);
    out[10] = '\0';
    return out;
}

int hd_period_from_ym(int32_t *out, int year, int month)
{
    if (year < 1 || year > 9999 || month < 1 || month > 12)
        return HD_EDATA;
    *out = year * 12 + (month - 1);
    return 0;
}

int hd_period_parse(int32_t *out, const char *s, size_t len, hd_error *err)
{
    int y, m;

    if (len != 7 || s[4] != '-' || !digits_at(s, 0, 4, &y) ||
        !digits_at(s, 5, 2, &m))
        return hd_error_set(err, HD_EDATA, "not a month of the form YYYY-MM");
    if (hd_period_from_ym(out, y, m))
        return hd_error_set(err, HD_EDATA, "not a calendar month");
    return 0;
}

const char *hd_period_format(char *out, int32_t period)
{
    put_digits(out, period / 12, 4);
    out[4] = '-';
    put_digits(out + 5, period % 12 + 1, 2);
    out[7] = '\0';
    return out;
}

int32_t hd_period_of_date(int32_t date)
{
    int y, m, d;
    hd_date_to_ymd(date, &y, &m, &d);
    return y * 12 + (m - 1);
}

int hd_age_at(int32_t birth, int32_t at)
{
    int by, bm, bd, ay, am, ad, age;

    hd_date_to_ymd(birth, &by, &bm, &bd);
    hd_date_to_ymd(at, &ay, &am, &ad);
    age = ay - by;
    /* The birthday this year has not come yet. A 29 February birthday in
     * a common year falls on 1 March: (am, ad) = (2, 28) is still before
     * it, which the comparison below gives without a special case. */
    if (am < bm || (am == bm && ad < bd))
        age--;
    return age;
}
