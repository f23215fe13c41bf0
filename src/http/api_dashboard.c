/*
 * GET /api/v1/dashboard: the cases of the user's region counted by
 * state, program, region, conclusion and decision, and the overdue ones
 * per region (a report or a decision past its due date); the processing
 * times and the months (api_dashboard_times.c); and the names of the
 * regions named, so that the charts need no other request.
 */
#include "http/api_int.h"

#include <hedui/std.h>

#include <string.h>

typedef struct dash_ctx {
    json_t *by[5]; /* state, program, region, conclusion, decision */
    int64_t total;
} dash_ctx;

static void bump(json_t *obj, const char *key, int64_t n)
{
    json_t *v = json_object_get(obj, key);
    json_object_set_new(obj, key,
                        json_integer((v ? json_integer_value(v) : 0) + n));
}

static int add_count(const hd_case_count *c, void *payload)
{
    dash_ctx *ctx = payload;
    const char *keys[5] = {c->state, c->program, c->region, c->conclusion,
                           c->decision};

    for (int i = 0; i < 5; i++)
        if (keys[i][0])
            bump(ctx->by[i], keys[i], c->count);
    ctx->total += c->count;
    return 0;
}

static int add_overdue(const char *region, int64_t reports, int64_t decisions,
                       void *payload)
{
    json_t *o =
        json_pack("{s:s, s:I, s:I}", "region", region, "reports",
                  (json_int_t)reports, "decisions", (json_int_t)decisions);
    return !o || json_array_append_new(payload, o) ? HD_ENOMEM : 0;
}

/* The name of the user's region and of each region counted, from the
 * shipped division table (a code it does not know is left out). */
static json_t *region_names(const char *user_region, json_t *by_region)
{
    json_t *out = json_object();
    const char *code;
    json_t *v;
    const hd_region *r = hd_region_find(user_region, strlen(user_region));

    if (out && r && json_object_set_new(out, r->code, json_string(r->name)))
        goto fail;
    json_object_foreach(by_region, code, v)
    {
        if (!out)
            break;
        r = hd_region_find(code, strlen(code));
        if (r && json_object_set_new(out, r->code, json_string(r->name)))
            goto fail;
    }
    return out;
fail:
    json_decref(out);
    return NULL;
}

/* The region codes a jurisdiction covers begin with this. */
static size_t prefix_len(const char *region)
{
    if (!strcmp(region + 2, "0000"))
        return 2;
    if (!strcmp(region + 4, "00"))
        return 4;
    return 6;
}

int hd__api_dashboard(hd_http_req *req)
{
    const hd_staff_user *u = hd__api_user(req);
    static const char *const names[5] = {"by_state", "by_program", "by_region",
                                         "by_conclusion", "by_decision"};
    dash_ctx ctx = {{NULL}, 0};
    char prefix[7];
    int32_t today = hd_cases_today(hd__api_now(req));
    json_t *overdue = json_array(), *out = json_object();
    int rc = overdue && out ? 0 : HD_ENOMEM;

    for (int i = 0; i < 5; i++)
        if (!(ctx.by[i] = json_object()))
            rc = HD_ENOMEM;
    snprintf(prefix, sizeof(prefix), "%.*s", (int)prefix_len(u->region),
             u->region);
    if (rc == 0 && (rc = hd_http_query_only(req, NULL, 0)) == 0)
        rc = hd_casestore_case_counts(req->cs, prefix, add_count, &ctx,
                                      &req->err);
    if (rc == 0)
        rc = hd_casestore_case_overdue_counts(req->cs, u->region, today,
                                              add_overdue, overdue, &req->err);
    if (rc == 0) {
        json_object_set_new(out, "region", json_string(u->region));
        json_object_set_new(out, "region_names",
                            region_names(u->region, ctx.by[2]));
        json_object_set_new(out, "total", json_integer(ctx.total));
        for (int i = 0; i < 5; i++) {
            json_object_set_new(out, names[i], ctx.by[i]);
            ctx.by[i] = NULL;
        }
        json_object_set_new(out, "overdue", overdue);
        overdue = NULL;
        rc = hd__api_dashboard_times(out, req->cs, prefix, today, &req->err);
    }
    for (int i = 0; i < 5; i++)
        json_decref(ctx.by[i]);
    json_decref(overdue);
    if (rc) {
        json_decref(out);
        return rc == HD_ENOMEM ? hd_error_set(&req->err, rc, "out of memory")
                               : rc;
    }
    return hd_http_reply_json(req, 200, out);
}
