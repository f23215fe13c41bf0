/*
 * Batches: rolls uploaded to the service, verified in the background
 * (table batch_job, schema 3), through the portable SQL of hd__sql.
 */
#include "store/store_int.h"

static const char add_sql[] =
    "INSERT INTO batch_job (username, region, state, created_at, total, "
    "done, dir) VALUES ($1, $2, 'queued', $3, 0, 0, $4) RETURNING id";
static const char get_sql[] =
    "SELECT id, username, region, state, created_at, started_at, "
    "finished_at, total, done, message, dir FROM batch_job WHERE id = $1";
static const char list_sql[] =
    "SELECT id, username, region, state, created_at, started_at, "
    "finished_at, total, done, message, dir FROM batch_job "
    "ORDER BY id DESC LIMIT $2 OFFSET $1";
/* The subquery picks the oldest waiting batch; the outer condition on
 * state makes the update a no-op for the second of two servers that
 * picked the same one (on PostgreSQL it re-reads the row after the
 * first's commit). */
static const char claim_sql[] =
    "UPDATE batch_job SET state = 'running', started_at = $1 "
    "WHERE id = (SELECT min(id) FROM batch_job WHERE state = 'queued' "
    "AND substr(dir, 1, length($2)) = $2) "
    "AND state = 'queued' RETURNING id";
static const char progress_sql[] =
    "UPDATE batch_job SET state = $2, total = $3, done = $4, message = $5, "
    "finished_at = CASE WHEN $2 IN ('done', 'failed') THEN $6 "
    "ELSE finished_at END WHERE id = $1";

static int take_id(const char *const *cols, int ncols, void *payload)
{
    (void)ncols;
    *(int64_t *)payload = hd__sql_int(cols[0]);
    return 0;
}

int hd_casestore_batch_add(hd_casestore *cs, int64_t *id_out,
                           const char *username, const char *region,
                           const char *dir, int64_t now, hd_error *err)
{
    *id_out = 0;
    return hd__sql(cs, take_id, id_out, NULL, err, add_sql, "ssis", username,
                   region, now, dir);
}

typedef struct row_ctx {
    int (*fn)(const hd_batch_row *row, void *payload);
    void *payload;
    int rows;
} row_ctx;

static int take_row(const char *const *c, int ncols, void *payload)
{
    row_ctx *ctx = payload;
    hd_batch_row row = {
        .id = hd__sql_int(c[0]),
        .username = c[1],
        .region = c[2],
        .state = c[3],
        .created_at = hd__sql_int(c[4]),
        .started_at = hd__sql_int(c[5]),
        .finished_at = hd__sql_int(c[6]),
        .total = hd__sql_int(c[7]),
        .done = hd__sql_int(c[8]),
        .message = c[9],
        .dir = c[10],
    };
    (void)ncols;
    ctx->rows++;
    return ctx->fn(&row, ctx->payload);
}

int hd_casestore_batch_get(hd_casestore *cs, int64_t id,
                           int (*fn)(const hd_batch_row *row, void *payload),
                           void *payload, hd_error *err)
{
    row_ctx ctx = {fn, payload, 0};
    int rc = hd__sql(cs, take_row, &ctx, NULL, err, get_sql, "i", id);

    if (rc == 0 && ctx.rows == 0)
        return hd_error_set(err, HD_ENOTFOUND, "no batch %lld", (long long)id);
    return rc;
}

int hd_casestore_batch_list(hd_casestore *cs, int64_t offset, int64_t limit,
                            int (*fn)(const hd_batch_row *row, void *payload),
                            void *payload, hd_error *err)
{
    row_ctx ctx = {fn, payload, 0};
    return hd__sql(cs, take_row, &ctx, NULL, err, list_sql, "ii", offset,
                   limit);
}

int hd_casestore_batch_claim(hd_casestore *cs, int64_t *id_out,
                             const char *dir_prefix, int64_t now, hd_error *err)
{
    int rc;

    *id_out = 0;
    rc = hd__sql(cs, take_id, id_out, NULL, err, claim_sql, "is", now,
                 dir_prefix);
    if (rc == 0 && *id_out == 0)
        return hd_error_set(err, HD_ENOTFOUND, "no batch waits");
    return rc;
}

int hd_casestore_batch_progress(hd_casestore *cs, int64_t id, const char *state,
                                int64_t total, int64_t done,
                                const char *message, int64_t now, hd_error *err)
{
    int64_t changes = 0;
    int rc = hd__sql(cs, NULL, NULL, &changes, err, progress_sql, "isiisi", id,
                     state, total, done, message, now);

    if (rc == 0 && changes == 0)
        return hd_error_set(err, HD_ENOTFOUND, "no batch %lld", (long long)id);
    return rc;
}
