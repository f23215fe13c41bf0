/*
 * Fuzz target for unified social credit codes: hd_uscc_check on
 * arbitrary bytes, and agreement between the checker and
 * hd_uscc_check_char.
 */
#include <hedui/std.h>

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *s = (const char *)data;
    hd_error err;
    hd_uscc_rule rule;

    hd_error_clear(&err);
    rule = hd_uscc_check(s, size, &err);
    if (rule != HD_USCC_OK) {
        if (err.code != HD_EDATA ||
            strstr(err.msg, hd_uscc_rule_name(rule)) == NULL)
            abort();
    }
    if (size != HD_USCC_LEN)
        return 0;
    /* hd_uscc_check_char reads a NUL-terminated string. */
    char code[HD_USCC_LEN + 1];
    memcpy(code, s, HD_USCC_LEN);
    code[HD_USCC_LEN] = '\0';
    char check = hd_uscc_check_char(code);
    if (rule == HD_USCC_OK && check != code[17])
        abort();
    if (rule == HD_USCC_RULE_CHECK) {
        /* The body is in the alphabet: putting the computed check
         * character in place makes a valid code. */
        if (check == 0)
            abort();
        code[17] = check;
        if (hd_uscc_check(code, HD_USCC_LEN, NULL) != HD_USCC_OK)
            abort();
    }
    return 0;
}
