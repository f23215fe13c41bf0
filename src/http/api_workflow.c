/*
 * The workflow's actions on one case: POST /api/v1/cases/{case_no}/
 * verify, objection, corrections, dismissal, decision, archive. Each
 * checks the region here (a 403 before anything is read) and leaves the
 * role, state and window to src/cases, which writes the case, its event
 * and its audit entry in one transaction; each answers with the case.
 */
#include "http/api_int.h"

#include <string.h>

typedef int (*action_fn)(hd_case_row *out, const hd_cases_env *env,
                         const hd_case_actor *who, const char *case_no,
                         json_t *body, hd_http_req *req);

static const hd_http_field reason_only[] = {
    {"reason", HD_HTTP_STRING, HD_HTTP_REQUIRED, 500},
};

/* Load the case, read the body, run `fn` with the latest policy, and
 * reply with the case: the action, its audit entries and the reply's read
 * in one transaction (one commit, and nothing recorded of a reply that
 * could not be made). */
static int act(hd_http_req *req, const hd_http_field *spec, size_t count,
               action_fn fn)
{
    hd_case_actor who = hd__api_actor(req);
    hd__api_policy *policy;
    hd_cases_env env;
    hd_case_row c;
    json_t *body = NULL, *out = NULL;
    int rc;

    if ((rc = hd__api_case_load(&c, req)) != 0 ||
        (rc = hd_http_body_json(&body, req, spec, count)) != 0)
        return rc;
    if (!(policy = hd__api_policy_get(req))) {
        json_decref(body);
        return req->err.code;
    }
    hd__api_cases_env(&env, req, policy->policy);
    rc = hd_casestore_begin(req->cs, &req->err);
    if (rc == 0)
        rc = fn(NULL, &env, &who, c.case_no, body, req);
    if (rc == 0)
        rc = hd__api_case_view(&out, req, c.case_no);
    if (rc == 0)
        rc = hd_casestore_commit(req->cs, &req->err);
    if (rc && hd_casestore_in_transaction(req->cs))
        hd_casestore_rollback(req->cs);
    hd__api_policy_put(req, policy);
    json_decref(body);
    if (rc) {
        json_decref(out);
        return rc;
    }
    return hd_http_reply_json(req, 200, out);
}

static const char *text(json_t *body, const char *name)
{
    return json_string_value(json_object_get(body, name));
}

/* ---------------------------------------------------------------- verify */

static int do_verify(hd_case_row *out, const hd_cases_env *env,
                     const hd_case_actor *who, const char *case_no,
                     json_t *body, hd_http_req *req)
{
    hd_verify_env venv;
    hd_cases_env e = *env;
    hd_case_work work;
    int rc;

    memset(&venv, 0, sizeof(venv));
    venv.fs = req->fs;
    venv.cs = req->cs;
    venv.policy = env->policy;
    venv.now = env->now;
    if ((rc = hd_verify_env_prepare(&venv, &req->err)) != 0)
        return rc;
    e.verify = &venv;
    hd_case_work_init(&work);
    rc = hd_case_verify(out, &work, &e, who, case_no, text(body, "reason"),
                        &req->err);
    hd_case_work_release(&work);
    return rc;
}

int hd__api_case_verify(hd_http_req *req)
{
    return act(req, reason_only, 1, do_verify);
}

/* ------------------------------------------------------------- objection */

static const hd_http_field object_fields[] = {
    {"item", HD_HTTP_STRING, HD_HTTP_REQUIRED, 500},
    {"reason", HD_HTTP_STRING, HD_HTTP_REQUIRED, 500},
};

static int do_object(hd_case_row *out, const hd_cases_env *env,
                     const hd_case_actor *who, const char *case_no,
                     json_t *body, hd_http_req *req)
{
    return hd_case_object(out, env, who, case_no, text(body, "item"),
                          text(body, "reason"), &req->err);
}

int hd__api_case_object(hd_http_req *req)
{
    return act(req, object_fields, 2, do_object);
}

/* ----------------------------------------------------------- corrections */

#define CORRECTIONS_MAX 32

static const hd_http_field correct_fields[] = {
    {"corrections", HD_HTTP_ARRAY, HD_HTTP_REQUIRED, CORRECTIONS_MAX},
    {"reason", HD_HTTP_STRING, HD_HTTP_REQUIRED, 500},
};

static const hd_http_field correction_fields[] = {
    {"pid", HD_HTTP_STRING, HD_HTTP_REQUIRED, 18},
    {"feed", HD_HTTP_STRING, HD_HTTP_REQUIRED, 32},
    {"record_key", HD_HTTP_STRING, HD_HTTP_REQUIRED, 2000},
    {"field", HD_HTTP_STRING, HD_HTTP_NULLABLE, 64},
    {"value", HD_HTTP_STRING, HD_HTTP_NULLABLE, 800},
    {"evidence", HD_HTTP_STRING, HD_HTTP_REQUIRED, 500},
};

static int do_correct(hd_case_row *out, const hd_cases_env *env,
                      const hd_case_actor *who, const char *case_no,
                      json_t *body, hd_http_req *req)
{
    json_t *list = json_object_get(body, "corrections");
    hd_case_correction items[CORRECTIONS_MAX];
    size_t n = json_array_size(list);
    int rc;

    if (n == 0) {
        hd_error_set(&req->err, HD_EDATA, "at least one correction");
        hd_error_at(&req->err, NULL, 0, 0, "corrections");
        return HD_EDATA;
    }
    for (size_t i = 0; i < n; i++) {
        json_t *c = json_array_get(list, i);
        if ((rc = hd_http_fields_check(c, correction_fields, 6, &req->err)) !=
            0) {
            char name[160];
            snprintf(name, sizeof(name), "corrections[%zu]%s%s", i,
                     req->err.field[0] ? "." : "", req->err.field);
            hd_error_at(&req->err, NULL, 0, 0, name);
            return rc;
        }
        items[i] = (hd_case_correction){
            .pid = text(c, "pid"),
            .feed = text(c, "feed"),
            .record_key = text(c, "record_key"),
            .field = text(c, "field"),
            .value = text(c, "value"),
            .evidence = text(c, "evidence"),
        };
    }
    return hd_case_correct(out, env, who, case_no, items, n,
                           text(body, "reason"), &req->err);
}

int hd__api_case_correct(hd_http_req *req)
{
    return act(req, correct_fields, 2, do_correct);
}

/* --------------------------------------------- dismissal, decision, archive */

static int do_dismiss(hd_case_row *out, const hd_cases_env *env,
                      const hd_case_actor *who, const char *case_no,
                      json_t *body, hd_http_req *req)
{
    return hd_case_dismiss(out, env, who, case_no, text(body, "reason"),
                           &req->err);
}

int hd__api_case_dismiss(hd_http_req *req)
{
    return act(req, reason_only, 1, do_dismiss);
}

static const hd_http_field decide_fields[] = {
    {"decision", HD_HTTP_STRING, HD_HTTP_REQUIRED, 16},
    {"reason", HD_HTTP_STRING, HD_HTTP_REQUIRED, 500},
};

static int do_decide(hd_case_row *out, const hd_cases_env *env,
                     const hd_case_actor *who, const char *case_no,
                     json_t *body, hd_http_req *req)
{
    const char *decision = text(body, "decision");
    bool approved = !strcmp(decision, "approved");

    if (!approved && strcmp(decision, "rejected")) {
        hd_error_set(&req->err, HD_EDATA,
                     "a decision is \"approved\" or \"rejected\"");
        hd_error_at(&req->err, NULL, 0, 0, "decision");
        return HD_EDATA;
    }
    return hd_case_decide(out, env, who, case_no, approved,
                          text(body, "reason"), &req->err);
}

int hd__api_case_decide(hd_http_req *req)
{
    return act(req, decide_fields, 2, do_decide);
}

static int do_archive(hd_case_row *out, const hd_cases_env *env,
                      const hd_case_actor *who, const char *case_no,
                      json_t *body, hd_http_req *req)
{
    return hd_case_archive(out, env, who, case_no, text(body, "reason"),
                           &req->err);
}

int hd__api_case_archive(hd_http_req *req)
{
    return act(req, reason_only, 1, do_archive);
}
