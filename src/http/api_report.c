/*
 * GET /api/v1/cases/{case_no}/report?format=json|html|pdf|xlsx: the
 * report of the case's latest verification, replayed from the stores
 * (the same bytes each time) with the corrections it applied. Every view
 * or download is audited by the workflow's replay.
 */
#include "http/api_int.h"

#include <stdio.h>
#include <string.h>

static const char *const report_params[] = {"format"};

static const struct {
    const char *name;
    const char *content_type;
} formats[] = {
    {"json", "application/json"},
    {"html", "text/html; charset=utf-8"},
    {"pdf", "application/pdf"},
    {"xlsx",
     "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"},
};

typedef struct xlsx_job {
    const hd_case_work *work;
    const hd_report_options *opt;
} xlsx_job;

static int write_xlsx(const char *path, void *payload, hd_error *err)
{
    const xlsx_job *j = payload;
    return hd_report_xlsx(path, &j->work->result, &j->work->app, j->opt, err);
}

/* The region's objection window, which the report tells the family. */
static int objection_days(const hd_policy *policy, const char *region,
                          int64_t now)
{
    hd_params ps;
    int rc = hd_policy_resolve(&ps, policy, region, hd_cases_today(now), NULL);
    return rc == 0 || rc == HD_ENOTFOUND ? ps.v.objection_days : 0;
}

int hd__api_case_report(hd_http_req *req)
{
    hd_case_actor who = hd__api_actor(req);
    const char *format = NULL;
    hd__api_policy *policy = NULL;
    hd_report_options opt;
    hd_verify_env venv;
    hd_cases_env env;
    hd_case_work work;
    hd_case_row c;
    hd_buf out;
    size_t f = 0;
    int rc;

    if ((rc = hd__api_case_load(&c, req)) != 0 ||
        (rc = hd_http_query_only(req, report_params, 1)) != 0 ||
        (rc = hd_http_query_text(&format, req, "format", 8)) != 0)
        return rc;
    for (f = 0; format && f < sizeof(formats) / sizeof(formats[0]); f++)
        if (!strcmp(format, formats[f].name))
            break;
    if (!format)
        f = 0;
    else if (f == sizeof(formats) / sizeof(formats[0])) {
        hd_error_set(&req->err, HD_EDATA,
                     "a report is json, html, pdf or xlsx");
        hd_error_at(&req->err, NULL, 0, 0, "format");
        return HD_EDATA;
    }
    if (!(policy = hd__api_policy_get(req)))
        return req->err.code;
    hd__api_cases_env(&env, req, policy->policy);
    memset(&venv, 0, sizeof(venv));
    venv.fs = req->fs;
    venv.cs = req->cs;
    venv.now = env.now;
    env.verify = &venv;
    hd_case_work_init(&work);
    hd_buf_init(&out, HD_BUF_DEFAULT_MAX);
    rc = hd_case_replay(&work, &env, &who, c.case_no, &req->err);
    if (rc == 0) {
        memset(&opt, 0, sizeof(opt));
        opt.issued_at = work.verified_at;
        opt.objection_days = objection_days(policy->policy, c.region, env.now);
        if (f == 0)
            rc = hd_report_json(&out, &work.result, &work.app, &opt, &req->err);
        else if (f == 1)
            rc = hd_report_html(&out, &work.result, &work.app, &opt, &req->err);
        else if (f == 2)
            rc = hd_report_pdf(&out, &work.result, &work.app, &opt, &req->err);
        else
            rc = hd__api_file_bytes(&out, write_xlsx, &(xlsx_job){&work, &opt},
                                    &req->err);
    }
    if (rc == 0 && f > 0) {
        char disposition[160];
        snprintf(disposition, sizeof(disposition), "%s; filename=\"%s.%s\"",
                 f == 1 ? "inline" : "attachment", c.case_no, formats[f].name);
        rc = hd_http_reply_header(req, "Content-Disposition", disposition);
    }
    if (rc == 0)
        rc = hd_http_reply_bytes(req, 200, formats[f].content_type, out.ptr,
                                 out.len);
    hd_buf_release(&out);
    hd_case_work_release(&work);
    hd__api_policy_put(req, policy);
    return rc;
}
