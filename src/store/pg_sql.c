/*
 * The portable SQL of hd__sql on PostgreSQL: parameters go as text and
 * the server infers their types from where they stand.
 */
#include "store/pg_int.h"

#include <stdlib.h>

#define SQL_COLS_MAX 64

typedef struct rows_ctx {
    int (*fn)(const char *const *cols, int ncols, void *payload);
    void *payload;
} rows_ctx;

static int one_row(const PGresult *res, int row, void *payload)
{
    rows_ctx *ctx = payload;
    const char *cols[SQL_COLS_MAX];
    int ncols = PQnfields(res);

    if (ncols > SQL_COLS_MAX)
        ncols = SQL_COLS_MAX;
    for (int i = 0; i < ncols; i++)
        cols[i] = hd__pg_opt_text(res, row, i);
    return ctx->fn(cols, ncols, ctx->payload);
}

int hd__pg_sql(hd_casestore *cs, const char *sql, int n,
               const hd__sql_arg *args, bool many,
               int (*fn)(const char *const *cols, int ncols, void *payload),
               void *payload, int64_t *changes, hd_error *err)
{
    const char *values[32];
    char nums[32][24];
    rows_ctx ctx = {fn, payload};
    PGresult *res = NULL;
    int rc;

    if (n > 32)
        return hd_error_set(err, HD_EINVAL, "case store: too many parameters");
    for (int i = 0; i < n; i++)
        values[i] = args[i].type == 'i' ? hd__pg_itoa(nums[i], args[i].num)
                                        : args[i].text;
    if (many && fn)
        return hd__pg_each(cs, sql, n, values, 0, one_row, &ctx, err);
    if ((rc = hd__pg_query(cs, sql, n, values, &res, err)) != 0)
        return rc;
    if (changes) {
        const char *tuples = PQcmdTuples(res);
        *changes = tuples && *tuples ? strtoll(tuples, NULL, 10) : 0;
    }
    for (int row = 0; fn && rc == 0 && row < PQntuples(res); row++)
        rc = one_row(res, row, &ctx);
    PQclear(res);
    return rc;
}
