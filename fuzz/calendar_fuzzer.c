/*
 * Fuzz target for the working-day calendar files: hd_calendar_add_year on
 * arbitrary text. A year it takes cannot be added twice, and counting
 * working days from dates in and around it must agree with
 * hd_calendar_is_working_day: the n-th working day after a date is a
 * working day with exactly n - 1 working days between, provisional
 * exactly when a day counted lies outside the year; counting at the
 * ends of the date range is refused, not overflowed. What it refuses is
 * HD_EDATA naming the file and a line.
 */
#include <hedui/cases.h>

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char name[] = "fuzz.txt";

/* Count `days` working days after `from` by hand and compare. */
static void check_count(const hd_calendar *cal, int32_t from, int days)
{
    int32_t got, d = from;
    bool provisional, guessed = false, known;
    int seen = 0;
    hd_error err;

    if (hd_calendar_add_working_days(&got, &provisional, cal, from, days, &err))
        abort();
    if (got < from || (days == 0 && got != from) ||
        (days > 0 && !hd_calendar_is_working_day(cal, got, NULL)))
        abort();
    while (d < got) {
        d++;
        if (hd_calendar_is_working_day(cal, d, &known))
            seen++;
        if (!known)
            guessed = true;
    }
    if (seen != days || guessed != provisional)
        abort();
}

/* The year of `text` that `cal` knows, or 0. */
static int loaded_year(const hd_calendar *cal, const char *text, size_t len)
{
    for (size_t i = 0; i + 9 <= len; i++) {
        int y = 0;
        int32_t jan1;
        bool known = false;
        if (memcmp(text + i, "year ", 5))
            continue;
        for (size_t k = 5; k < 9 && y >= 0; k++)
            y = hd_is_digit((unsigned char)text[i + k])
                    ? y * 10 + (text[i + k] - '0')
                    : -1;
        if (y > 0 && hd_date_from_ymd(&jan1, y, 1, 1) == 0)
            hd_calendar_is_working_day(cal, jan1, &known);
        if (known)
            return y;
    }
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const int counts[] = {0, 1, 2, 5, 10, 15, 30, 60};
    hd_calendar *cal = NULL;
    hd_error err;
    int rc, year;

    hd_error_clear(&err);
    rc = hd_calendar_add_year(&cal, name, (const char *)data, size, &err);
    if (rc) {
        /* Only a text without lines has no line to name. */
        if (rc != HD_EDATA || cal || (err.line <= 0 && size > 0) ||
            strcmp(err.file, name))
            abort();
        return 0;
    }
    if (!cal)
        abort();
    /* The one year loaded: one of the "year YYYY" in the text. */
    year = loaded_year(cal, (const char *)data, size);
    if (!year)
        abort();
    hd_error_clear(&err);
    if (hd_calendar_add_year(&cal, name, (const char *)data, size, &err) !=
        HD_EDATA)
        abort();

    int32_t starts[6];
    hd_date_from_ymd(&starts[0], year, 1, 1);
    hd_date_from_ymd(&starts[1], year, 2, 14);
    hd_date_from_ymd(&starts[2], year, 6, 30);
    hd_date_from_ymd(&starts[3], year, 9, 30);
    hd_date_from_ymd(&starts[4], year, 12, 20);
    starts[5] = starts[0] - 3; /* late December of the year before */
    for (size_t i = 0; i < sizeof(starts) / sizeof(starts[0]); i++) {
        for (size_t k = 0; k < sizeof(counts) / sizeof(counts[0]); k++)
            check_count(cal, starts[i], counts[k]);
    }
    /* Dates no calendar ships, at the ends of the range: counted or
     * refused as out of range, never past it. */
    for (int k = 0; k < 2; k++) {
        int32_t from = k ? INT32_MAX - 40 : INT32_MIN, got = 0;
        hd_error_clear(&err);
        rc = hd_calendar_add_working_days(&got, NULL, cal, from, 60, &err);
        if (rc ? rc != HD_EOVERFLOW : got <= from)
            abort();
    }
    hd_calendar_free(cal);
    return 0;
}
