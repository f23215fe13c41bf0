/*
 * Fuzz target for money and areas: hd_money_parse and hd_area_parse on
 * arbitrary bytes, and the round trip parse -> format -> parse, which
 * must give back the same value.
 */
#include <hedui/base.h>

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *s = (const char *)data;
    char text[HD_MONEY_TEXT_MAX];
    int64_t value, again;
    hd_error err;

    hd_error_clear(&err);
    if (hd_money_parse(&value, s, size, &err) == 0) {
        hd_money_format(text, value);
        if (hd_money_parse(&again, text, strlen(text), NULL) != 0 ||
            again != value)
            abort();
    } else if (err.code != HD_EDATA && err.code != HD_EOVERFLOW) {
        abort();
    }

    hd_error_clear(&err);
    if (hd_area_parse(&value, s, size, &err) == 0) {
        if (value < 0)
            abort();
        hd_decimal_format(text, value, 2);
        if (hd_area_parse(&again, text, strlen(text), NULL) != 0 ||
            again != value)
            abort();
    } else if (err.code != HD_EDATA && err.code != HD_EOVERFLOW) {
        abort();
    }
    return 0;
}
