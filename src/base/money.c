/* Exact decimal money and areas: integers scaled by 10^scale, never float. */
#include <hedui/base.h>

#include <string.h>

int hd_add_i64(int64_t *out, int64_t a, int64_t b)
{
    return __builtin_add_overflow(a, b, out) ? HD_EOVERFLOW : 0;
}

int hd_mul_i64(int64_t *out, int64_t a, int64_t b)
{
    return __builtin_mul_overflow(a, b, out) ? HD_EOVERFLOW : 0;
}

int hd_decimal_parse(int64_t *out, const char *s, size_t len, int scale,
                     bool allow_negative, hd_error *err)
{
    size_t i = 0;
    bool negative = false;
    int64_t value = 0;
    int frac_digits = 0;

    if (len == 0)
        return hd_error_set(err, HD_EDATA, "empty number");
    if (s[0] == '-') {
        if (!allow_negative)
            return hd_error_set(err, HD_EDATA, "negative value not allowed");
        negative = true;
        i = 1;
    }
    if (i == len || !hd_is_digit(s[i]))
        return hd_error_set(err, HD_EDATA,
                            "not a decimal number: must start with a digit");
    /* Accumulate as a negative number so that INT64_MIN parses too. */
    for (; i < len && hd_is_digit(s[i]); i++) {
        if (__builtin_mul_overflow(value, 10, &value) ||
            __builtin_sub_overflow(value, s[i] - '0', &value))
            return hd_error_set(err, HD_EOVERFLOW, "number too large");
    }
    if (i < len && s[i] == '.') {
        i++;
        if (i == len)
            return hd_error_set(err, HD_EDATA,
                                "not a decimal number: no digit after '.'");
        for (; i < len && hd_is_digit(s[i]); i++) {
            if (++frac_digits > scale)
                return hd_error_set(err, HD_EDATA,
                                    "more than %d decimal places", scale);
            if (__builtin_mul_overflow(value, 10, &value) ||
                __builtin_sub_overflow(value, s[i] - '0', &value))
                return hd_error_set(err, HD_EOVERFLOW, "number too large");
        }
    }
    if (i != len)
        return hd_error_set(err, HD_EDATA,
                            "not a decimal number: unexpected character");
    for (; frac_digits < scale; frac_digits++)
        if (__builtin_mul_overflow(value, 10, &value))
            return hd_error_set(err, HD_EOVERFLOW, "number too large");
    if (!negative) {
        if (value == INT64_MIN)
            return hd_error_set(err, HD_EOVERFLOW, "number too large");
        value = -value;
    }
    *out = value;
    return 0;
}

int hd_money_parse(int64_t *out, const char *s, size_t len, hd_error *err)
{
    return hd_decimal_parse(out, s, len, 2, true, err);
}

int hd_area_parse(int64_t *out, const char *s, size_t len, hd_error *err)
{
    return hd_decimal_parse(out, s, len, 2, false, err);
}

const char *hd_decimal_format(char *out, int64_t value, int scale)
{
    char digits[24];
    int n = 0, pos = 0;
    /* Work with the magnitude as unsigned so INT64_MIN formats too. */
    uint64_t mag = value < 0 ? (uint64_t)0 - (uint64_t)value : (uint64_t)value;

    do {
        digits[n++] = (char)('0' + mag % 10);
        mag /= 10;
    } while (mag);
    while (n <= scale)
        digits[n++] = '0';
    if (value < 0)
        out[pos++] = '-';
    while (n > 0) {
        if (n == scale)
            out[pos++] = '.';
        out[pos++] = digits[--n];
    }
    out[pos] = '\0';
    return out;
}

const char *hd_money_format(char *out, int64_t fen)
{
    return hd_decimal_format(out, fen, 2);
}
