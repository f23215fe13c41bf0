/*
 * Fuzz target for dates and periods: hd_date_parse and hd_period_parse
 * on arbitrary bytes. A parsed value formats back to exactly the input
 * (both forms are fixed-width), and parses again to the same value.
 */
#include <hedui/base.h>

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *s = (const char *)data;
    char text[HD_DATE_TEXT_MAX];
    int32_t value, again;
    hd_error err;

    hd_error_clear(&err);
    if (hd_date_parse(&value, s, size, &err) == 0) {
        hd_date_format(text, value);
        if (strlen(text) != size || memcmp(text, s, size) != 0 ||
            hd_date_parse(&again, text, size, NULL) != 0 || again != value)
            abort();
        /* The date lies in the month hd_period_of_date names. */
        char month[HD_PERIOD_TEXT_MAX];
        hd_period_format(month, hd_period_of_date(value));
        if (memcmp(month, s, 7) != 0)
            abort();
    } else if (err.code != HD_EDATA) {
        abort();
    }

    hd_error_clear(&err);
    if (hd_period_parse(&value, s, size, &err) == 0) {
        hd_period_format(text, value);
        if (strlen(text) != size || memcmp(text, s, size) != 0 ||
            hd_period_parse(&again, text, size, NULL) != 0 || again != value)
            abort();
    } else if (err.code != HD_EDATA) {
        abort();
    }
    return 0;
}
