/*
 * Counts of cases for the dashboard: how many of each state, program,
 * region and conclusion within a jurisdiction, in one grouped read; and
 * the days each case was opened, first verified and decided, grouped,
 * from which the service works out processing times and months.
 */
#include "store/store_int.h"

#include <stdio.h>
#include <string.h>

/* The jurisdiction is a prefix of the region code (2 digits for a
 * province, 4 for a city, 6 for a county), asked as the range of codes
 * that begin with it: an index on region serves a range, not substr(). */
static int prefix_range(char lo[8], char hi[8], const char *prefix,
                        hd_error *err)
{
    size_t n = prefix ? strlen(prefix) : 0;

    if (!prefix || n > 6)
        return hd_error_set(err, HD_EINVAL, "case store: no jurisdiction");
    memcpy(lo, prefix, n + 1);
    memcpy(hi, prefix, n + 1);
    if (n == 0)
        snprintf(hi, 8, "%s", "a"); /* above every digit */
    else
        hi[n - 1]++; /* '9' + 1 is ':', still above every digit */
    return 0;
}

static const char counts_sql[] =
    "SELECT region, program, state, coalesce(conclusion, ''), "
    "coalesce(decision, ''), count(*) FROM case_file "
    "WHERE region >= $1 AND region < $2 "
    "GROUP BY region, program, state, conclusion, decision "
    "ORDER BY region, program, state, conclusion, decision";

typedef struct counts_ctx {
    int (*fn)(const hd_case_count *c, void *payload);
    void *payload;
} counts_ctx;

static int take(const char *const *c, int ncols, void *payload)
{
    counts_ctx *ctx = payload;
    hd_case_count row = {c[0], c[1], c[2], c[3], c[4], hd__sql_int(c[5])};
    (void)ncols;
    return ctx->fn(&row, ctx->payload);
}

int hd_casestore_case_counts(hd_casestore *cs, const char *region_prefix,
                             int (*fn)(const hd_case_count *c, void *payload),
                             void *payload, hd_error *err)
{
    counts_ctx ctx = {fn, payload};
    char lo[8], hi[8];
    int rc = prefix_range(lo, hi, region_prefix, err);
    return rc ? rc
              : hd__sql_each(cs, take, &ctx, err, counts_sql, "ss", lo, hi);
}

/*
 * A day number in China time is (seconds + 8 h) / 1 day: integer
 * division of integers, which both engines do alike (and truncate alike;
 * times before 1970 do not occur). A case keeps when it was first
 * verified (a re-verification after an objection is not the first) and
 * when it was decided, 0 for not yet, which is NULL here. The covering
 * index case_file_days serves the whole read; grouping by the three days
 * keeps the rows few (days of a year, times the spread of the
 * durations), however many the cases.
 */
static const char days_sql[] =
    "SELECT (opened_at + 28800) / 86400 AS o, "
    "CASE WHEN verified_first_at > 0 THEN (verified_first_at + 28800) / 86400 "
    "END AS v, "
    "CASE WHEN decided_at > 0 THEN (decided_at + 28800) / 86400 END AS d, "
    "count(*) FROM case_file WHERE region >= $1 AND region < $2 "
    "GROUP BY o, v, d";

typedef struct days_ctx {
    int (*fn)(const hd_case_days *d, void *payload);
    void *payload;
} days_ctx;

static int32_t day_or_none(const char *col)
{
    return col ? (int32_t)hd__sql_int(col) : HD_CASE_NO_DATE;
}

static int take_days(const char *const *c, int ncols, void *payload)
{
    days_ctx *ctx = payload;
    hd_case_days row = {day_or_none(c[0]), day_or_none(c[1]), day_or_none(c[2]),
                        hd__sql_int(c[3])};
    (void)ncols;
    return ctx->fn(&row, ctx->payload);
}

int hd_casestore_case_days(hd_casestore *cs, const char *region_prefix,
                           int (*fn)(const hd_case_days *d, void *payload),
                           void *payload, hd_error *err)
{
    days_ctx ctx = {fn, payload};
    char lo[8], hi[8];
    int rc;

    if (!cs || !fn)
        return hd_error_set(err, HD_EINVAL, "case store: no jurisdiction");
    if ((rc = prefix_range(lo, hi, region_prefix, err)) != 0)
        return rc;
    return hd__sql_each(cs, take_days, &ctx, err, days_sql, "ss", lo, hi);
}
