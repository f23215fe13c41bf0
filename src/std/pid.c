/*
 * Citizen identity numbers, GB 11643-1999. An ID is an address code (6
 * digits), a birth date (YYYYMMDD), a sequence number (3 digits, odd for
 * men) and an ISO 7064 MOD 11-2 check character. The first-generation
 * 15-digit numbers (YYMMDD birth date, no check character) are converted
 * as the ministry converted them when 18-digit numbers were introduced:
 * the century is taken to be 19 (feeds.md) and the check character is
 * computed.
 */
#include <hedui/std.h>

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

const char *hd_pid_rule_name(hd_pid_rule rule)
{
    switch (rule) {
    case HD_PID_OK:
        return "ok";
    case HD_PID_RULE_LENGTH:
        return "length";
    case HD_PID_RULE_CHARACTERS:
        return "characters";
    case HD_PID_RULE_ADDRESS:
        return "address code";
    case HD_PID_RULE_BIRTH:
        return "birth date";
    case HD_PID_RULE_CHECK:
        return "check character";
    }
    return "unknown";
}

char hd_pid_check_char(const char *first17)
{
    /* ISO 7064 MOD 11-2: weight of position i (1-based from the left) is
     * 2^(18 - i) mod 11; the check value is (12 - sum mod 11) mod 11, with
     * 10 written as X. */
    static const int weights[17] = {7, 9, 10, 5,  8, 4, 2, 1, 6,
                                    3, 7, 9,  10, 5, 8, 4, 2};
    static const char check[11] = {'1', '0', 'X', '9', '8', '7',
                                   '6', '5', '4', '3', '2'};
    int sum = 0;

    for (int i = 0; i < 17; i++)
        sum += (first17[i] - '0') * weights[i];
    return check[sum % 11];
}

static int digits_value(const char *s, size_t count)
{
    int v = 0;
    for (size_t i = 0; i < count; i++)
        v = v * 10 + (s[i] - '0');
    return v;
}

/* Every message starts with "citizen ID: " and the rule's name, and never
 * quotes the ID itself: messages end up in logs. */
static hd_pid_rule fail(hd_error *err, hd_pid_rule rule, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static hd_pid_rule fail(hd_error *err, hd_pid_rule rule, const char *fmt, ...)
{
    char detail[128];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(detail, sizeof(detail), fmt, ap);
    va_end(ap);
    hd_error_set(err, HD_EDATA, "citizen ID: %s %s", hd_pid_rule_name(rule),
                 detail);
    return rule;
}

/* Check `s` and build its 18-character form in `id`. */
static hd_pid_rule normalize(char id[HD_PID_LEN + 1], const char *s, size_t len,
                             hd_error *err)
{
    int32_t birth;
    char expected;

    if (len != 18 && len != 15)
        return fail(err, HD_PID_RULE_LENGTH,
                    "must be 18 or 15 characters, not %zu", len);
    /* Positions 7 onward: digits, and an 18-character ID may end in X. */
    for (size_t i = 6; i < len; i++) {
        bool last18 = len == 18 && i == 17;
        if (hd_is_digit(s[i]) || (last18 && (s[i] == 'X' || s[i] == 'x')))
            continue;
        return fail(err, HD_PID_RULE_CHARACTERS,
                    last18 ? "wrong at position %zu: must be a digit or X"
                           : "wrong at position %zu: must be a digit",
                    i + 1);
    }
    for (size_t i = 0; i < 6; i++)
        if (!hd_is_digit(s[i]))
            return fail(err, HD_PID_RULE_ADDRESS,
                        "wrong at position %zu: must be 6 digits", i + 1);

    if (len == 15) {
        memcpy(id, s, 6);
        id[6] = '1';
        id[7] = '9';
        memcpy(id + 8, s + 6, 9);
        id[17] = hd_pid_check_char(id);
    } else {
        memcpy(id, s, 18);
        if (id[17] == 'x')
            id[17] = 'X';
    }
    id[18] = '\0';

    if (hd_date_from_ymd(&birth, digits_value(id + 6, 4),
                         digits_value(id + 10, 2), digits_value(id + 12, 2)))
        /* feeds.md asks only for a valid calendar date (years 0001 to
         * 9999): no floor, no ceiling, so as not to refuse what another
         * implementation of the standard accepts. */
        return fail(err, HD_PID_RULE_BIRTH, "is not a calendar date");

    expected = hd_pid_check_char(id);
    if (id[17] != expected) {
        hd_error_set(err, HD_EDATA,
                     "citizen ID: check character does not match "
                     "(expected %c)",
                     expected);
        return HD_PID_RULE_CHECK;
    }
    return HD_PID_OK;
}

hd_pid_rule hd_pid_normalize(char out[HD_PID_LEN + 1], const char *s,
                             size_t len, hd_error *err)
{
    char id[HD_PID_LEN + 1];
    /* Built aside and copied last, so that `out` may be the input itself
     * (normalising a buffer in place). */
    hd_pid_rule rule = normalize(id, s, len, err);

    if (rule == HD_PID_OK)
        memcpy(out, id, sizeof(id));
    else
        out[0] = '\0';
    return rule;
}

int hd_pid_sex(const char *pid)
{
    return (pid[16] - '0') % 2 == 1 ? 1 : 2;
}

int32_t hd_pid_birth(const char *pid)
{
    int32_t birth = 0;
    /* The ID was validated, so the date is a calendar date. */
    hd_date_from_ymd(&birth, digits_value(pid + 6, 4),
                     digits_value(pid + 10, 2), digits_value(pid + 12, 2));
    return birth;
}
