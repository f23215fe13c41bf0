/*
 * GET /api/v1/cases/export?format=csv|xlsx: the case list as a file,
 * with the list's filters and its jurisdiction, every matching case in
 * one read (no paging). Rows hold no personal data, but an export is a
 * bulk copy out of the system, so each is audited ("case.export") with
 * its filters and row count before any byte leaves.
 */
#include "http/api_int.h"

#include <string.h>

/* A province's whole list fits; past this, narrow the filters. */
#define EXPORT_MAX_ROWS 200000

static const char *const export_params[] = {"format", "state",   "program",
                                            "region", "overdue", "q"};

typedef struct export_ctx {
    hd_case_list_export *x;
    int32_t today;
    hd_error *err;
} export_ctx;

static int add_row(const hd_case_row *row, void *payload)
{
    export_ctx *ctx = payload;
    return hd_case_list_export_add(ctx->x, row,
                                   hd_case_overdue(row, ctx->today), ctx->err);
}

typedef struct xlsx_job {
    hd_http_req *req;
    const hd_case_filter *f;
} xlsx_job;

static int write_all(hd_http_req *req, const hd_case_filter *f,
                     hd_case_list_format format, hd_buf *csv,
                     const char *xlsx_path)
{
    export_ctx ctx = {NULL, hd_cases_today(hd__api_now(req)), &req->err};
    int rc = hd_case_list_export_open(&ctx.x, format, csv, xlsx_path,
                                      hd__api_now(req), &req->err);
    if (rc == 0)
        rc = hd_casestore_case_list(req->cs, f, add_row, &ctx, NULL, &req->err);
    if (rc == 0)
        return hd_case_list_export_close(ctx.x, &req->err);
    hd_case_list_export_close(ctx.x, NULL);
    return rc;
}

static int write_xlsx(const char *path, void *payload, hd_error *err)
{
    xlsx_job *j = payload;
    (void)err; /* write_all reports into the request's error */
    return write_all(j->req, j->f, HD_CASE_LIST_XLSX, NULL, path);
}

/* What the audit entry says was exported. */
static void outcome_text(char *out, size_t len, const hd_case_filter *f,
                         const char *format, int64_t rows)
{
    snprintf(out, len,
             "%s, %lld rows; region %s, state %s, program %s, overdue %s, "
             "q %s",
             format, (long long)rows, f->region, f->state ? f->state : "*",
             f->program ? f->program : "*",
             f->overdue_on != HD_CASE_NO_DATE ? "yes" : "*",
             f->case_no_part ? f->case_no_part : "*");
}

int hd__api_cases_export(hd_http_req *req)
{
    const char *format = NULL;
    hd_case_filter f;
    int64_t total = 0;
    char outcome[256], disposition[96];
    hd_buf out;
    bool xlsx;
    int rc;

    rc = hd_http_query_only(req, export_params,
                            sizeof(export_params) / sizeof(export_params[0]));
    if (rc == 0)
        rc = hd_http_query_text(&format, req, "format", 8);
    if (rc == 0 &&
        (!format || (strcmp(format, "csv") && strcmp(format, "xlsx")))) {
        rc = hd_error_set(&req->err, HD_EDATA, "an export is csv or xlsx");
        hd_error_at(&req->err, NULL, 0, 0, "format");
    }
    if (rc == 0)
        rc = hd__api_case_filter(&f, req);
    if (rc == 0)
        rc = hd_casestore_case_list(req->cs, &f, NULL, NULL, &total, &req->err);
    if (rc)
        return rc;
    if (total > EXPORT_MAX_ROWS) {
        return hd_http_reply_error(req, 400, "bad_request", NULL,
                                   "%lld cases match; an export holds at "
                                   "most %d: narrow the filters",
                                   (long long)total, EXPORT_MAX_ROWS);
    }
    xlsx = !strcmp(format, "xlsx");
    f.all = true;
    hd_buf_init(&out, HD_BUF_DEFAULT_MAX);
    rc = xlsx ? hd__api_file_bytes(&out, write_xlsx, &(xlsx_job){req, &f},
                                   &req->err)
              : write_all(req, &f, HD_CASE_LIST_CSV, &out, NULL);
    if (rc == 0) {
        outcome_text(outcome, sizeof(outcome), &f, format, total);
        rc = hd__api_audit(req, "case.export", NULL, NULL, NULL, outcome);
    }
    if (rc == 0) {
        snprintf(disposition, sizeof(disposition),
                 "attachment; filename=\"cases-%s.%s\"", f.region, format);
        rc = hd_http_reply_header(req, "Content-Disposition", disposition);
    }
    if (rc == 0)
        rc = hd_http_reply_bytes(
            req, 200,
            xlsx ? "application/"
                   "vnd.openxmlformats-officedocument.spreadsheetml.sheet"
                 : "text/csv; charset=utf-8",
            out.ptr, out.len);
    hd_buf_release(&out);
    return rc;
}
