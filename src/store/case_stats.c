/*
 * Counts of cases for the dashboard: how many of each state, program,
 * region and conclusion within a jurisdiction, in one grouped read; and
 * the days each case was opened, first verified and decided, grouped,
 * from which the service works out processing times and months.
 */
#include "store/store_int.h"

/* The jurisdiction is a prefix of the region code: 2 digits for a
 * province, 4 for a city, 6 for a county. */
static const char counts_sql[] =
    "SELECT region, program, state, coalesce(conclusion, ''), "
    "coalesce(decision, ''), count(*) FROM case_file "
    "WHERE substr(region, 1, length($1)) = $1 "
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
    return hd__sql_each(cs, take, &ctx, err, counts_sql, "s", region_prefix);
}

/*
 * A day number in China time is (seconds + 8 h) / 1 day: integer
 * division of integers, which both engines do alike (and truncate alike;
 * times before 1970 do not occur). A case's first verification and its
 * decision are the earliest events of those actions (a re-verification
 * after an objection is not the first; a case is decided once). The
 * join reads only the two actions' events of each case, through the
 * events' (case_no, id) index; grouping by the three days keeps the rows
 * few (days of a year, times the spread of the durations), however many
 * the cases.
 */
static const char days_sql[] =
    "SELECT o, v, d, count(*) FROM ("
    "SELECT (c.opened_at + 28800) / 86400 AS o, "
    "(min(CASE WHEN e.action = 'verify' THEN e.at END) + 28800) / 86400 "
    "AS v, "
    "(min(CASE WHEN e.action = 'decide' THEN e.at END) + 28800) / 86400 "
    "AS d "
    "FROM case_file c LEFT JOIN case_event e ON e.case_no = c.case_no "
    "AND e.action IN ('verify', 'decide') "
    "WHERE substr(c.region, 1, length($1)) = $1 "
    "GROUP BY c.case_no, c.opened_at) t "
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
    if (!cs || !region_prefix || !fn)
        return hd_error_set(err, HD_EINVAL, "case store: no jurisdiction");
    return hd__sql_each(cs, take_days, &ctx, err, days_sql, "s", region_prefix);
}
