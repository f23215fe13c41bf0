/*
 * The dashboard's processing times and months (GET /api/v1/dashboard),
 * worked out from the days each case of the jurisdiction was opened,
 * first verified and decided (hd_casestore_case_days, China time):
 *
 *   processing  how many calendar days the first verification and the
 *               decision took after the opening: count, mean, median,
 *               90th percentile, and a histogram in fixed buckets;
 *   months      for the last 12 months (the current one last), how many
 *               cases were opened, first verified and decided in each.
 *
 * Days are calendar days, not working days: the deadlines (10 working
 * days for the report, 10 more for the decision, docs/policy.md) are
 * roughly two and four calendar weeks, a little more over a holiday, so
 * the buckets are cut at the weeks (docs/api.md, "Dashboard").
 */
#include "http/api_int.h"

#include <string.h>

#define MONTHS 12
#define DAYS_MAX 36600 /* longer durations count as this (100 years) */

/* The histogram's buckets, inclusive; the last has no upper end. */
static const struct {
    int32_t from, to;
} buckets[] = {{0, 1}, {2, 7}, {8, 14}, {15, 21}, {22, 28}, {29, 42}, {43, -1}};
#define BUCKETS ((int)(sizeof(buckets) / sizeof(buckets[0])))

/* How many cases took each number of days: by_day[d] of them took d. */
typedef struct durations {
    int64_t *by_day;
    int32_t len;
    int64_t count;
} durations;

typedef struct times_ctx {
    durations verified, decided;
    int32_t first_month;       /* year * 12 + month - 1 of the oldest month */
    int64_t months[MONTHS][3]; /* opened, verified, decided */
    bool nomem;                /* take_days stopped: out of memory */
} times_ctx;

static int durations_add(durations *d, int32_t days, int64_t n)
{
    /* An event dated before the opening (a clock set back) took no time;
     * a duration beyond any real case is kept at the cap. */
    if (days < 0)
        days = 0;
    if (days > DAYS_MAX)
        days = DAYS_MAX;
    if (days >= d->len) {
        int32_t len = d->len ? d->len : 64;
        int64_t *grown;
        while (len <= days)
            len *= 2;
        if (len > DAYS_MAX + 1)
            len = DAYS_MAX + 1;
        if (!(grown = hd_realloc(d->by_day, (size_t)len * sizeof(*grown))))
            return HD_ENOMEM;
        memset(grown + d->len, 0, (size_t)(len - d->len) * sizeof(*grown));
        d->by_day = grown;
        d->len = len;
    }
    d->by_day[days] += n;
    d->count += n;
    return 0;
}

static int32_t month_of(int32_t day)
{
    int y, m, dd;
    hd_date_to_ymd(day, &y, &m, &dd);
    return y * 12 + m - 1;
}

static void count_month(times_ctx *ctx, int which, int32_t day, int64_t n)
{
    int32_t i = month_of(day) - ctx->first_month;
    if (i >= 0 && i < MONTHS)
        ctx->months[i][which] += n;
}

static int take_days(const hd_case_days *d, void *payload)
{
    times_ctx *ctx = payload;
    int rc = 0;

    if (d->opened_day == HD_CASE_NO_DATE)
        return 0;
    count_month(ctx, 0, d->opened_day, d->count);
    if (d->verified_day != HD_CASE_NO_DATE) {
        count_month(ctx, 1, d->verified_day, d->count);
        rc = durations_add(&ctx->verified, d->verified_day - d->opened_day,
                           d->count);
    }
    if (rc == 0 && d->decided_day != HD_CASE_NO_DATE) {
        count_month(ctx, 2, d->decided_day, d->count);
        rc = durations_add(&ctx->decided, d->decided_day - d->opened_day,
                           d->count);
    }
    ctx->nomem = rc != 0;
    return rc;
}

/* The smallest duration that at least `rank` of the cases (counted from
 * the quickest, 1-based) did not exceed: the nearest-rank percentile. */
static int32_t at_rank(const durations *d, int64_t rank)
{
    int64_t seen = 0;
    for (int32_t i = 0; i < d->len; i++)
        if ((seen += d->by_day[i]) >= rank)
            return i;
    return d->len - 1;
}

static json_t *stats_json(const durations *d)
{
    json_t *hist = json_array(), *out;
    int64_t sum = 0, n = d->count;

    for (int b = 0; hist && b < BUCKETS; b++) {
        int64_t in = 0;
        for (int32_t i = buckets[b].from;
             i < d->len && (buckets[b].to < 0 || i <= buckets[b].to); i++)
            in += d->by_day[i];
        if (json_array_append_new(hist, json_integer(in))) {
            json_decref(hist);
            hist = NULL;
        }
    }
    for (int32_t i = 0; i < d->len; i++)
        sum += (int64_t)i * d->by_day[i];
    if (!hist)
        return NULL;
    if (n == 0)
        return json_pack("{s:I, s:n, s:n, s:n, s:o}", "count", (json_int_t)0,
                         "mean_days_x10", "median_days", "p90_days",
                         "histogram", hist);
    /* Tenths of a day, rounded half up (every term is non-negative). */
    out = json_pack("{s:I, s:I, s:i, s:i, s:o}", "count", (json_int_t)n,
                    "mean_days_x10", (json_int_t)((sum * 10 + n / 2) / n),
                    "median_days", (int)at_rank(d, (n + 1) / 2), "p90_days",
                    (int)at_rank(d, (9 * n + 9) / 10), "histogram", hist);
    return out;
}

static json_t *buckets_json(void)
{
    json_t *out = json_array();
    for (int b = 0; out && b < BUCKETS; b++) {
        json_t *o =
            buckets[b].to < 0
                ? json_pack("{s:i, s:n}", "from_days", (int)buckets[b].from,
                            "to_days")
                : json_pack("{s:i, s:i}", "from_days", (int)buckets[b].from,
                            "to_days", (int)buckets[b].to);
        if (json_array_append_new(out, o)) {
            json_decref(out);
            out = NULL;
        }
    }
    return out;
}

static json_t *months_json(const times_ctx *ctx)
{
    json_t *out = json_array();
    for (int i = 0; out && i < MONTHS; i++) {
        int32_t m = ctx->first_month + i;
        char name[16];
        json_t *o;
        snprintf(name, sizeof(name), "%04d-%02d", (int)(m / 12),
                 (int)(m % 12 + 1));
        o = json_pack("{s:s, s:I, s:I, s:I}", "month", name, "opened",
                      (json_int_t)ctx->months[i][0], "verified",
                      (json_int_t)ctx->months[i][1], "decided",
                      (json_int_t)ctx->months[i][2]);
        if (json_array_append_new(out, o)) {
            json_decref(out);
            out = NULL;
        }
    }
    return out;
}

int hd__api_dashboard_times(json_t *out, hd_casestore *cs,
                            const char *region_prefix, int32_t today,
                            hd_error *err)
{
    times_ctx ctx;
    json_t *processing = NULL, *months = NULL;
    int rc, bad;

    memset(&ctx, 0, sizeof(ctx));
    ctx.first_month = month_of(today) - (MONTHS - 1);
    rc = hd_casestore_case_days(cs, region_prefix, take_days, &ctx, err);
    if (ctx.nomem)
        rc = hd_error_set(err, rc, "out of memory");
    if (rc)
        goto out;
    /* json_pack and json_object_set_new take the references given them,
     * also when they fail. */
    processing = json_pack("{s:o, s:o, s:o}", "buckets", buckets_json(),
                           "verification", stats_json(&ctx.verified),
                           "decision", stats_json(&ctx.decided));
    months = months_json(&ctx);
    if (!processing || !months) {
        rc = hd_error_set(err, HD_ENOMEM, "out of memory");
        goto out;
    }
    bad = json_object_set_new(out, "processing", processing);
    bad |= json_object_set_new(out, "months", months);
    processing = months = NULL;
    if (bad)
        rc = hd_error_set(err, HD_ENOMEM, "out of memory");
out:
    json_decref(processing);
    json_decref(months);
    hd_free(ctx.verified.by_day);
    hd_free(ctx.decided.by_day);
    return rc;
}
