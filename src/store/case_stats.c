/*
 * Counts of cases for the dashboard: how many of each state, program,
 * region and conclusion within a jurisdiction, in one grouped read.
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
