/*
 * Fuzz target for citizen IDs: hd_pid_normalize on arbitrary bytes. A
 * valid ID must come back as 18 characters that validate again to
 * themselves, with a sex and a birth date that make sense.
 */
#include <hedui/std.h>

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char out[HD_PID_LEN + 1], again[HD_PID_LEN + 1];
    hd_error err;
    hd_pid_rule rule;

    hd_error_clear(&err);
    rule = hd_pid_normalize(out, (const char *)data, size, &err);
    if (rule != HD_PID_OK) {
        if (err.code != HD_EDATA || out[0] != '\0' ||
            strstr(err.msg, hd_pid_rule_name(rule)) == NULL)
            abort();
        return 0;
    }
    if (strlen(out) != HD_PID_LEN ||
        hd_pid_normalize(again, out, HD_PID_LEN, NULL) != HD_PID_OK ||
        memcmp(again, out, sizeof(out)) != 0 ||
        hd_pid_check_char(out) != out[17])
        abort();
    int sex = hd_pid_sex(out);
    if (sex != 1 && sex != 2)
        abort();
    char date[HD_DATE_TEXT_MAX];
    hd_date_format(date, hd_pid_birth(out));
    /* YYYY-MM-DD against the YYYYMMDD inside the ID. */
    if (memcmp(date, out + 6, 4) != 0 || memcmp(date + 5, out + 10, 2) != 0 ||
        memcmp(date + 8, out + 12, 2) != 0)
        abort();
    return 0;
}
