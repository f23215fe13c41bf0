/*
 * Cases: GET and POST /api/v1/cases, GET /api/v1/cases/{case_no}, POST
 * /api/v1/cases/{case_no}/authorizations and POST
 * /api/v1/authorizations/{authorization_id}/revoke. Registering records
 * the application, its members' authorizations (signed by this node when
 * unsigned) and the case in one transaction: all or nothing.
 */
#include "http/api_int.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#define AUTHS_MAX 64

/* ------------------------------------------------------------ helpers */

static int take_json(const hd_application_row *row, void *payload)
{
    char **out = payload;
    size_t len = row->json_len ? row->json_len : strlen(row->json);
    *out = hd_strndup(row->json, len);
    return *out ? 0 : HD_ENOMEM;
}

int hd__api_application_load(hd_application *app, hd_http_req *req,
                             const char *application_no)
{
    char *json = NULL;
    int rc = hd_casestore_application_get(req->cs, application_no, take_json,
                                          &json, &req->err);
    if (rc == HD_ENOMEM)
        return hd_error_set(&req->err, rc, "out of memory");
    if (rc == 0)
        rc = hd_application_parse(app, json, strlen(json), &req->err);
    hd_free(json);
    return rc;
}

int hd__api_audit_read(hd_http_req *req, const char *action,
                       const char *case_no, const hd_application *app,
                       const char *outcome)
{
    json_t *persons = json_array();
    char *persons_text = NULL;
    int rc;

    for (int i = 0; persons && app && i < app->member_count; i++) {
        char hash[33];
        if (!app->members[i].pid[0])
            continue;
        hd_audit_person_hash(hash, hd__api(req)->person_key,
                             app->members[i].pid);
        json_array_append_new(persons, json_string(hash));
    }
    persons_text = persons ? json_dumps(persons, JSON_COMPACT) : NULL;
    json_decref(persons);
    if (!persons_text)
        return hd_error_set(&req->err, HD_ENOMEM, "out of memory");
    rc = hd__api_audit(req, action, case_no, persons_text, NULL, outcome);
    free(persons_text);
    return rc;
}

/* The case in the path, when the user's region covers it. */
int hd__api_case_load(hd_case_row *out, hd_http_req *req)
{
    const char *no = hd_http_param_get(req, "case_no");
    int rc = hd_casestore_case_get(req->cs, out, no, &req->err);

    if (rc == HD_ENOTFOUND)
        return hd_error_set(&req->err, rc, "no case %s", no);
    if (rc)
        return rc;
    return hd__api_covers(req, out->region, "the case");
}

int hd__api_case_view(json_t **out, hd_http_req *req, const char *case_no)
{
    hd_application app;
    hd_case_row c;
    int rc;

    *out = NULL;
    memset(&app, 0, sizeof(app));
    if ((rc = hd_casestore_case_get(req->cs, &c, case_no, &req->err)) != 0)
        return rc;
    rc = hd__api_application_load(&app, req, case_no);
    if (rc == 0)
        rc = hd__api_audit_read(req, "case.view", case_no, &app, "shown");
    if (rc == 0)
        rc = hd__api_case_json(out, req, &c, &app);
    hd_application_release(&app);
    return rc;
}

/* ------------------------------------------------------- authorizations */

typedef struct auth_in {
    hd_authorization_doc doc;
    hd_buf signed_json;
    char dates[2][HD_DATE_TEXT_MAX];
    hd_consent_row row;
} auth_in;

static bool is_member(const hd_application *app, const char *pid)
{
    for (int i = 0; i < app->member_count; i++)
        if (!strcmp(app->members[i].pid, pid))
            return true;
    return false;
}

/* Parse, check and sign one authorization of `app`; `field` names it in
 * errors ("authorizations[2]"). */
static int auth_read(auth_in *a, hd_http_req *req, const hd_application *app,
                     json_t *value, const char *field)
{
    char *text = json_dumps(value, JSON_COMPACT);
    char name[160];
    int rc;

    if (!text)
        return hd_error_set(&req->err, HD_ENOMEM, "out of memory");
    rc = hd_authorization_parse(&a->doc, text, strlen(text), &req->err);
    free(text);
    if (rc == 0 && !is_member(app, a->doc.auth.pid))
        rc = hd_error_set(&req->err, HD_EDATA,
                          "the person is not a member of application %s",
                          app->application_no);
    if (rc == 0)
        rc = hd_authorization_check_signer(&a->doc, &req->err);
    /* An unsigned record is this office's: it is issued where the clerk
     * works (a signed one was issued by its node). */
    if (rc == 0 && !a->doc.signature[0] &&
        !hd_staff_region_covers(hd__api_user(req)->region,
                                a->doc.auth.issued_by)) {
        rc = hd_error_set(&req->err, HD_EDATA,
                          "issued_by %s is outside your region %s",
                          a->doc.auth.issued_by, hd__api_user(req)->region);
        hd_error_at(&req->err, NULL, 0, 0, "issued_by");
    }
    if (rc == 0)
        rc = hd_authorization_accept(&a->doc, req->key, NULL, &req->err);
    if (rc == 0)
        rc = hd_authorization_signed_json(&a->signed_json, &a->doc, &req->err);
    if (rc == HD_EDATA) {
        snprintf(name, sizeof(name), "%s%s%s", field,
                 req->err.field[0] ? "." : "", req->err.field);
        hd_error_at(&req->err, NULL, 0, 0, name);
    }
    if (rc == 0)
        hd_authorization_row(&a->row, &a->doc, a->dates, a->signed_json.ptr,
                             hd__api_now(req));
    return rc;
}

static int auth_put(auth_in *a, hd_http_req *req, const char *field)
{
    bool stored;
    int rc = hd_casestore_consent_put(req->cs, &a->row, &stored, &req->err);
    if (rc == HD_EEXISTS) {
        hd_error_set(&req->err, rc,
                     "authorization %s is already recorded with other content",
                     a->row.authorization_id);
        hd_error_at(&req->err, NULL, 0, 0, field);
    }
    return rc;
}

/* registered -> authorized when the gate lets every member through; a
 * case still missing an authorization stays registered. */
static int try_authorize(hd_http_req *req, const hd_cases_env *env,
                         const char *case_no)
{
    hd_case_actor who = hd__api_actor(req);
    hd_error quiet;
    int rc = hd_case_authorize(NULL, env, &who, case_no,
                               "每名成员的授权均已登记", &quiet);
    if (rc == HD_ESTATE)
        return 0;
    if (rc)
        req->err = quiet;
    return rc;
}

/* -------------------------------------------------------------- routes */

/* A case number also names the case in URLs and file names: letters,
 * digits, '-' and '_' only ("330106-2026-000123"). */
static bool case_no_ok(const char *no)
{
    size_t n = strlen(no);

    if (n == 0 || n > 63)
        return false;
    for (size_t i = 0; i < n; i++)
        if (!isalnum((unsigned char)no[i]) && no[i] != '-' && no[i] != '_')
            return false;
    return true;
}

static const hd_http_field register_fields[] = {
    {"application", HD_HTTP_OBJECT, HD_HTTP_REQUIRED, 0},
    {"authorizations", HD_HTTP_ARRAY, HD_HTTP_REQUIRED, AUTHS_MAX},
    {"reason", HD_HTTP_STRING, HD_HTTP_NULLABLE, 500},
};

int hd__api_cases_register(hd_http_req *req)
{
    hd_case_actor who = hd__api_actor(req);
    hd__api_policy *policy = NULL;
    hd_application app;
    hd_application_row row;
    auth_in *auths = NULL;
    json_t *body, *list, *reply = NULL;
    char *app_text = NULL;
    const char *reason;
    const char *pids[HD_MAX_MEMBERS];
    size_t n = 0;
    bool stored, in_txn = false;
    int rc;

    memset(&app, 0, sizeof(app));
    if ((rc = hd_http_body_json(&body, req, register_fields, 3)) != 0)
        return rc;
    reason = json_string_value(json_object_get(body, "reason"));
    list = json_object_get(body, "authorizations");
    n = json_array_size(list);
    app_text = json_dumps(json_object_get(body, "application"), JSON_COMPACT);
    auths = hd_calloc(n ? n : 1, sizeof(*auths));
    if (!app_text || !auths) {
        rc = hd_error_set(&req->err, HD_ENOMEM, "out of memory");
        goto out;
    }
    for (size_t i = 0; i < n; i++) {
        hd_authorization_doc_init(&auths[i].doc);
        hd_buf_init(&auths[i].signed_json, HD_BUF_DEFAULT_MAX);
    }
    rc = hd_application_parse(&app, app_text, strlen(app_text), &req->err);
    if (rc == 0 && app.refused)
        rc = hd_error_set(&req->err, HD_EDATA,
                          "the application cannot be registered: %s",
                          app.error_reason);
    if (rc == HD_EDATA || app.refused) {
        char name[160];
        snprintf(name, sizeof(name), "application.%s",
                 app.refused ? app.error_field : req->err.field);
        hd_error_at(&req->err, NULL, 0, 0, name);
        goto out;
    }
    if (rc == 0 && !case_no_ok(app.application_no)) {
        rc = hd_error_set(&req->err, HD_EDATA,
                          "a case number is 1 to 63 letters, digits, '-' "
                          "and '_'");
        hd_error_at(&req->err, NULL, 0, 0, "application.application_no");
    }
    if (rc || (rc = hd__api_covers(req, app.region, "the application")))
        goto out;
    for (size_t i = 0; i < n && rc == 0; i++) {
        char field[48];
        snprintf(field, sizeof(field), "authorizations[%zu]", i);
        rc = auth_read(&auths[i], req, &app, json_array_get(list, i), field);
    }
    if (rc || !(policy = hd__api_policy_get(req))) {
        rc = rc ? rc : req->err.code;
        goto out;
    }

    for (int i = 0; i < app.member_count; i++)
        pids[i] = app.members[i].pid;
    row = (hd_application_row){
        .application_no = app.application_no,
        .program = app.program_name,
        .region = app.region,
        .applied_on = app.applied_on,
        .json = app_text,
        .recorded_at = hd__api_now(req),
        .member_count = app.member_count,
        .member_pids = pids,
    };
    hd_cases_env env;
    hd__api_cases_env(&env, req, policy->policy);
    if ((rc = hd_casestore_begin(req->cs, &req->err)) != 0)
        goto out;
    in_txn = true;
    rc = hd_casestore_application_put(req->cs, &row, &stored, &req->err);
    if (rc == HD_EEXISTS)
        hd_error_set(&req->err, rc,
                     "application %s is already recorded with other content",
                     app.application_no);
    for (size_t i = 0; rc == 0 && i < n; i++) {
        char field[48];
        snprintf(field, sizeof(field), "authorizations[%zu]", i);
        rc = auth_put(&auths[i], req, field);
    }
    if (rc == 0) {
        rc = hd_case_register(NULL, &env, &who, app.application_no,
                              reason && *reason ? reason : "受理申请",
                              &req->err);
        if (rc == HD_EEXISTS)
            hd_error_set(&req->err, rc, "application %s is already a case",
                         app.application_no);
    }
    if (rc == 0)
        rc = try_authorize(req, &env, app.application_no);
    if (rc == 0)
        rc = hd__api_case_view(&reply, req, app.application_no);
    if (rc == 0)
        rc = hd_casestore_commit(req->cs, &req->err);
    if (rc)
        goto out;
    in_txn = false;
    rc = hd_http_reply_json(req, 201, reply);
    reply = NULL;
out:
    json_decref(reply);
    if (in_txn)
        hd_casestore_rollback(req->cs);
    if (policy)
        hd__api_policy_put(req, policy);
    for (size_t i = 0; auths && i < n; i++) {
        hd_authorization_doc_release(&auths[i].doc);
        hd_buf_release(&auths[i].signed_json);
    }
    hd_free(auths);
    free(app_text);
    hd_application_release(&app);
    json_decref(body);
    return rc;
}

int hd__api_cases_get(hd_http_req *req)
{
    hd_case_row c;
    json_t *out = NULL;
    int rc = hd__api_case_load(&c, req);

    if (rc == 0)
        rc = hd__api_case_view(&out, req, c.case_no);
    return rc ? rc : hd_http_reply_json(req, 200, out);
}

static const hd_http_field authorization_fields[] = {
    {"authorization", HD_HTTP_OBJECT, HD_HTTP_REQUIRED, 0},
    {"reason", HD_HTTP_STRING, HD_HTTP_NULLABLE, 500},
};

int hd__api_cases_authorization(hd_http_req *req)
{
    hd__api_policy *policy = NULL;
    hd_application app;
    hd_case_row c;
    auth_in a;
    json_t *body = NULL, *reply = NULL;
    bool in_txn = false;
    int rc;

    memset(&app, 0, sizeof(app));
    memset(&a, 0, sizeof(a));
    hd_authorization_doc_init(&a.doc);
    hd_buf_init(&a.signed_json, HD_BUF_DEFAULT_MAX);
    if ((rc = hd__api_case_load(&c, req)) != 0 ||
        (rc = hd_http_body_json(&body, req, authorization_fields, 2)) != 0 ||
        (rc = hd__api_application_load(&app, req, c.case_no)) != 0 ||
        (rc = auth_read(&a, req, &app, json_object_get(body, "authorization"),
                        "authorization")) != 0)
        goto out;
    if (!(policy = hd__api_policy_get(req))) {
        rc = req->err.code;
        goto out;
    }
    hd_cases_env env;
    hd__api_cases_env(&env, req, policy->policy);
    if ((rc = hd_casestore_begin(req->cs, &req->err)) != 0)
        goto out;
    in_txn = true;
    rc = auth_put(&a, req, "authorization");
    if (rc == 0 && !strcmp(c.state, "registered"))
        rc = try_authorize(req, &env, c.case_no);
    if (rc == 0)
        rc = hd__api_case_view(&reply, req, c.case_no);
    if (rc == 0)
        rc = hd_casestore_commit(req->cs, &req->err);
    if (rc == 0) {
        in_txn = false;
        rc = hd_http_reply_json(req, 201, reply);
        reply = NULL;
    }
out:
    json_decref(reply);
    if (in_txn)
        hd_casestore_rollback(req->cs);
    if (policy)
        hd__api_policy_put(req, policy);
    hd_authorization_doc_release(&a.doc);
    hd_buf_release(&a.signed_json);
    hd_application_release(&app);
    json_decref(body);
    return rc;
}

/* ----------------------------------------------------------- case list */

static const char *const list_params[] = {
    "page", "page_size", "state", "program", "region", "overdue", "q"};

typedef struct list_ctx {
    json_t *cases;
    int32_t today;
} list_ctx;

static int add_row(const hd_case_row *row, void *payload)
{
    list_ctx *ctx = payload;
    json_t *o = hd__api_case_row_json(row, ctx->today);
    return !o || json_array_append_new(ctx->cases, o) ? HD_ENOMEM : 0;
}

int hd__api_case_filter(hd_case_filter *f, hd_http_req *req)
{
    const hd_staff_user *u = hd__api_user(req);
    const char *region = NULL;
    int64_t overdue = 0;
    int rc;

    memset(f, 0, sizeof(*f));
    f->overdue_on = HD_CASE_NO_DATE;
    rc = hd_http_query_text(&f->state, req, "state", 16);
    if (rc == 0 && f->state && hd_case_state_find(f->state) < 0) {
        rc = hd_error_set(&req->err, HD_EDATA, "no such state: %s", f->state);
        hd_error_at(&req->err, NULL, 0, 0, "state");
    }
    if (rc == 0)
        rc = hd_http_query_text(&f->program, req, "program", 32);
    if (rc == 0)
        rc = hd_http_query_text(&region, req, "region", 6);
    if (rc == 0)
        rc = hd_http_query_text(&f->case_no_part, req, "q", 63);
    if (rc == 0)
        rc = hd_http_query_int(&overdue, req, "overdue", 0, 0, 1);
    if (rc == 0 && region) {
        rc = hd__api_covers(req, region, "the region asked for");
        if (rc == 0 && !hd_region_code_valid(region, strlen(region))) {
            rc = hd_error_set(&req->err, HD_EDATA,
                              "not a 6-digit division code");
            hd_error_at(&req->err, NULL, 0, 0, "region");
        }
    }
    f->region = region ? region : u->region;
    if (overdue)
        f->overdue_on = hd_cases_today(hd__api_now(req));
    return rc;
}

int hd__api_cases_list(hd_http_req *req)
{
    list_ctx ctx = {json_array(), hd_cases_today(hd__api_now(req))};
    hd_case_filter f;
    hd_http_page page;
    int64_t total = 0;
    int rc;

    if (!ctx.cases)
        return hd_error_set(&req->err, HD_ENOMEM, "out of memory");
    rc = hd_http_query_only(req, list_params,
                            sizeof(list_params) / sizeof(list_params[0]));
    if (rc == 0)
        rc = hd_http_query_page(&page, req);
    if (rc == 0)
        rc = hd__api_case_filter(&f, req);
    if (rc) {
        json_decref(ctx.cases);
        return rc;
    }
    f.offset = page.offset;
    f.limit = page.page_size;
    rc = hd_casestore_case_list(req->cs, &f, add_row, &ctx, &total, &req->err);
    if (rc) {
        json_decref(ctx.cases);
        return rc == HD_ENOMEM ? hd_error_set(&req->err, rc, "out of memory")
                               : rc;
    }
    return hd_http_reply_json(
        req, 200,
        json_pack("{s:o, s:I, s:I, s:I}", "cases", ctx.cases, "total",
                  (json_int_t)total, "page", (json_int_t)page.page, "page_size",
                  (json_int_t)page.page_size));
}

/* --------------------------------------------------------- revocation */

typedef struct revoke_ctx {
    char issued_by[7];
    char pid[19];
} revoke_ctx;

static int take_consent(const hd_consent_row *row, void *payload)
{
    revoke_ctx *ctx = payload;
    snprintf(ctx->issued_by, sizeof(ctx->issued_by), "%s", row->issued_by);
    snprintf(ctx->pid, sizeof(ctx->pid), "%s", row->pid);
    return 0;
}

static const hd_http_field revoke_fields[] = {
    {"reason", HD_HTTP_STRING, HD_HTTP_REQUIRED, 500},
};

int hd__api_authorization_revoke(hd_http_req *req)
{
    const char *id = hd_http_param_get(req, "authorization_id");
    revoke_ctx ctx;
    json_t *body = NULL;
    char hash[33], persons[40];
    int rc;

    if ((rc = hd_http_body_json(&body, req, revoke_fields, 1)) != 0)
        return rc;
    rc = hd_casestore_consent_get(req->cs, id, take_consent, &ctx, &req->err);
    if (rc == 0)
        rc = hd__api_covers(req, ctx.issued_by, "the authorization");
    if (rc == 0)
        rc = hd_casestore_begin(req->cs, &req->err);
    if (rc) {
        json_decref(body);
        return rc;
    }
    hd_audit_person_hash(hash, hd__api(req)->person_key, ctx.pid);
    snprintf(persons, sizeof(persons), "[\"%s\"]", hash);
    char auths[160];
    snprintf(auths, sizeof(auths), "[\"%s\"]", id);
    rc = hd_casestore_consent_revoke(
        req->cs, id, hd__api_now(req),
        json_string_value(json_object_get(body, "reason")), &req->err);
    if (rc == 0)
        rc = hd__api_audit(req, "authorization.revoke", NULL, persons, auths,
                           "revoked");
    if (rc == 0)
        rc = hd_casestore_commit(req->cs, &req->err);
    if (rc)
        hd_casestore_rollback(req->cs);
    json_decref(body);
    return rc ? rc : hd_http_reply_bytes(req, 204, "application/json", "", 0);
}
