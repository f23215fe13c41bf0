/*
 * The portable SQL of the store's later areas (store_int.h, hd__sql):
 * the arguments are gathered here and the backend runs the statement.
 */
#include "store/store_int.h"

#include <stdarg.h>
#include <stdlib.h>

#define SQL_ARGS_MAX 32

static int gather(hd__sql_arg *args, int *n, const char *types, va_list ap,
                  hd_error *err)
{
    int i = 0;

    for (const char *t = types ? types : ""; *t; t++, i++) {
        if (i == SQL_ARGS_MAX)
            return hd_error_set(err, HD_EINVAL,
                                "case store: more than %d parameters",
                                SQL_ARGS_MAX);
        args[i].type = *t;
        args[i].text = NULL;
        args[i].num = 0;
        if (*t == 's')
            args[i].text = va_arg(ap, const char *);
        else if (*t == 'i')
            args[i].num = va_arg(ap, int64_t);
        else
            return hd_error_set(err, HD_EINVAL,
                                "case store: unknown parameter type '%c'", *t);
    }
    *n = i;
    return 0;
}

static int run(hd_casestore *cs, bool many, hd__sql_row_fn fn, void *payload,
               int64_t *changes, hd_error *err, const char *sql,
               const char *types, va_list ap)
{
    hd__sql_arg args[SQL_ARGS_MAX];
    int n = 0, rc;

    if (changes)
        *changes = 0;
    if (!cs || !sql)
        return hd_error_set(err, HD_EINVAL, "case store: no statement");
    if ((rc = gather(args, &n, types, ap, err)) != 0)
        return rc;
    return cs->ops->sql(cs, sql, n, args, many, fn, payload, changes, err);
}

int hd__sql(hd_casestore *cs, hd__sql_row_fn fn, void *payload,
            int64_t *changes, hd_error *err, const char *sql, const char *types,
            ...)
{
    va_list ap;
    int rc;

    va_start(ap, types);
    rc = run(cs, false, fn, payload, changes, err, sql, types, ap);
    va_end(ap);
    return rc;
}

int hd__sql_each(hd_casestore *cs, hd__sql_row_fn fn, void *payload,
                 hd_error *err, const char *sql, const char *types, ...)
{
    va_list ap;
    int rc;

    va_start(ap, types);
    rc = run(cs, true, fn, payload, NULL, err, sql, types, ap);
    va_end(ap);
    return rc;
}

bool hd__sql_is_pg(hd_casestore *cs)
{
    return cs && !strcmp(cs->ops->name, "postgresql");
}

int64_t hd__sql_int(const char *col)
{
    return col ? strtoll(col, NULL, 10) : 0;
}
