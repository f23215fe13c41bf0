/*
 * Unified social credit codes, GB 32100-2015: 18 characters over a
 * 31-character alphabet (the digits and the capital letters without I, O,
 * Z, S and V, which are easy to confuse with 1, 0, 2, 5 and U). The 18th
 * character is a MOD 31 check over the first 17, drawn from the same
 * alphabet.
 */
#include <hedui/std.h>

#include <string.h>

static const char alphabet[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";

/* The value of a character (its index in the alphabet), or -1. Lowercase
 * is not part of the standard's alphabet and is rejected. A table, since
 * every employer code of every delivered row comes through here; it holds
 * index + 1 so that the characters left out are 0. */
static int char_value(char c)
{
    static const unsigned char values[256] = {
        ['0'] = 1,  ['1'] = 2,  ['2'] = 3,  ['3'] = 4,  ['4'] = 5,  ['5'] = 6,
        ['6'] = 7,  ['7'] = 8,  ['8'] = 9,  ['9'] = 10, ['A'] = 11, ['B'] = 12,
        ['C'] = 13, ['D'] = 14, ['E'] = 15, ['F'] = 16, ['G'] = 17, ['H'] = 18,
        ['J'] = 19, ['K'] = 20, ['L'] = 21, ['M'] = 22, ['N'] = 23, ['P'] = 24,
        ['Q'] = 25, ['R'] = 26, ['T'] = 27, ['U'] = 28, ['W'] = 29, ['X'] = 30,
        ['Y'] = 31};
    return values[(unsigned char)c] - 1;
}

const char *hd_uscc_rule_name(hd_uscc_rule rule)
{
    switch (rule) {
    case HD_USCC_OK:
        return "ok";
    case HD_USCC_RULE_LENGTH:
        return "length";
    case HD_USCC_RULE_CHARACTERS:
        return "characters";
    case HD_USCC_RULE_CHECK:
        return "check character";
    }
    return "unknown";
}

char hd_uscc_check_char(const char *first17)
{
    /* Weight of position i is 3^(i-1) mod 31. */
    static const int weights[17] = {1,  3,  9,  27, 19, 26, 16, 17, 20,
                                    29, 25, 13, 8,  24, 10, 30, 28};
    int sum = 0;

    for (int i = 0; i < 17; i++) {
        int v = char_value(first17[i]);
        if (v < 0)
            return 0;
        sum += v * weights[i];
    }
    /* 31 - (sum mod 31), where 31 is written as 0. */
    return alphabet[(31 - sum % 31) % 31];
}

hd_uscc_rule hd_uscc_check(const char *s, size_t len, hd_error *err)
{
    char expected;

    if (len != HD_USCC_LEN) {
        hd_error_set(err, HD_EDATA,
                     "unified social credit code: length must be 18 "
                     "characters, not %zu",
                     len);
        return HD_USCC_RULE_LENGTH;
    }
    for (size_t i = 0; i < len; i++) {
        if (char_value(s[i]) < 0) {
            hd_error_set(err, HD_EDATA,
                         "unified social credit code: characters wrong at "
                         "position %zu: must be 0-9 or A-Z without I O Z S V",
                         i + 1);
            return HD_USCC_RULE_CHARACTERS;
        }
    }
    expected = hd_uscc_check_char(s);
    if (s[17] != expected) {
        hd_error_set(err, HD_EDATA,
                     "unified social credit code: check character does not "
                     "match (expected %c)",
                     expected);
        return HD_USCC_RULE_CHECK;
    }
    return HD_USCC_OK;
}
