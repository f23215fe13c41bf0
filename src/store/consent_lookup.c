/*
 * One authorization by its id, for revoking it through the service (the
 * backends' own reads go by person).
 */
#include "store/store_int.h"

static const char get_sql[] =
    "SELECT authorization_id, pid, signed_by, purposes, scope, valid_from, "
    "valid_until, issued_by, json, recorded_at, revoked_at, revoked_reason "
    "FROM consent WHERE authorization_id = $1";

typedef struct get_ctx {
    int (*fn)(const hd_consent_row *row, void *payload);
    void *payload;
    int rows;
} get_ctx;

static int32_t date_of(const char *text)
{
    int32_t d = 0;
    return text && hd_date_parse(&d, text, strlen(text), NULL) == 0 ? d : 0;
}

static int take(const char *const *c, int ncols, void *payload)
{
    get_ctx *ctx = payload;
    hd_consent_row row = {
        .authorization_id = c[0],
        .pid = c[1],
        .signed_by = c[2],
        .purposes = c[3],
        .scope = c[4],
        .valid_from = date_of(c[5]),
        .valid_until = date_of(c[6]),
        .issued_by = c[7],
        .json = c[8],
        .recorded_at = hd__sql_int(c[9]),
        .revoked_at = hd__sql_int(c[10]),
        .revoked_reason = c[11],
    };
    (void)ncols;
    ctx->rows++;
    return ctx->fn(&row, ctx->payload);
}

int hd_casestore_consent_get(hd_casestore *cs, const char *authorization_id,
                             int (*fn)(const hd_consent_row *row,
                                       void *payload),
                             void *payload, hd_error *err)
{
    get_ctx ctx = {fn, payload, 0};
    int rc = hd__sql(cs, take, &ctx, NULL, err, get_sql, "s", authorization_id);

    if (rc == 0 && ctx.rows == 0)
        return hd_error_set(err, HD_ENOTFOUND, "no authorization %s",
                            authorization_id);
    return rc;
}
