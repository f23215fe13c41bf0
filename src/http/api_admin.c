/*
 * Administration: GET /api/v1/deliveries (every ingest attempt and its
 * outcome), GET /api/v1/deliveries/{delivery_id}/quarantine (the rows a
 * delivery's department must fix), GET and POST /api/v1/policy. A policy
 * is the node's own: only an admin whose region covers the node's
 * region imports one, and the import and its audit entry are one
 * transaction.
 */
#include "http/api_int.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

/* ---------------------------------------------------------- deliveries */

static int add_log(const hd_ingest_log *log, void *payload)
{
    char as_of[HD_DATE_TEXT_MAX];
    json_t *feeds = json_array();
    json_t *o;

    hd_date_format(as_of, log->as_of);
    for (int i = 0; feeds && i < log->feed_count; i++) {
        const hd_ingest_feed_log *f = &log->feeds[i];
        json_array_append_new(
            feeds,
            json_pack("{s:s, s:I, s:I, s:I, s:I}", "feed", f->feed->name,
                      "rows_in_file", (json_int_t)f->rows_in_file,
                      "rows_loaded", (json_int_t)f->rows_loaded,
                      "rows_quarantined", (json_int_t)f->rows_quarantined,
                      "rows_live", (json_int_t)f->rows_live));
    }
    o = json_pack("{s:s, s:s, s:s, s:s, s:b, s:I, s:I, s:o}", "delivery_id",
                  log->delivery_id, "department", log->department, "as_of",
                  as_of, "mode", log->snapshot ? "snapshot" : "delta",
                  "accepted", log->accepted, "seq", (json_int_t)log->seq,
                  "loaded_at", (json_int_t)log->loaded_at, "feeds", feeds);
    if (o && !log->accepted) {
        json_object_set_new(o, "reject_reason",
                            json_string(hd_reject_name(log->reject_reason)));
        json_object_set_new(o, "reject_detail",
                            json_string(log->reject_detail));
    }
    return !o || json_array_append_new(payload, o) ? HD_ENOMEM : 0;
}

int hd__api_deliveries(hd_http_req *req)
{
    json_t *list = json_array();
    int rc = list ? hd_http_query_only(req, NULL, 0) : HD_ENOMEM;

    if (rc == 0)
        rc = hd_casestore_ingest_logs(req->cs, add_log, list, &req->err);
    if (rc) {
        json_decref(list);
        return rc == HD_ENOMEM ? hd_error_set(&req->err, rc, "out of memory")
                               : rc;
    }
    return hd_http_reply_json(req, 200, json_pack("{s:o}", "deliveries", list));
}

/* ---------------------------------------------------------- quarantine */

/* The length of the UTF-8 sequence a lead byte starts (1 for a byte that
 * starts none: it is then judged alone, and found invalid). */
static size_t utf8_seq_len(unsigned char c)
{
    return c < 0xc0 ? 1 : c < 0xe0 ? 2 : c < 0xf0 ? 3 : c < 0xf8 ? 4 : 1;
}

/* Replace, in place, every byte not part of a valid UTF-8 sequence with
 * '?'. A row quarantined as "not valid UTF-8" still has to be shown, and
 * JSON cannot carry its raw bytes. */
static void utf8_scrub(char *s, size_t n)
{
    for (size_t i = 0; i < n;) {
        size_t k = utf8_seq_len((unsigned char)s[i]);
        if (k <= n - i && hd_utf8_count(s + i, k) == 1) {
            i += k;
        } else {
            s[i++] = '?';
        }
    }
}

static bool is_ascii_alnum(char c)
{
    return hd_is_digit(c) || hd_is_upper(c) || (c >= 'a' && c <= 'z');
}

/* A run of 15 to 18 letters and digits, at least 13 of them digits, is
 * taken for a citizen ID, well formed or not: a row quarantined for its
 * ID holds one a digit short or with a letter in it, and a 15-digit ID
 * of the old kind is an ID too. From the birth date on, all but the last
 * four characters (three when shorter than 18) are masked. A masked run
 * holds '*', so it is not a run again. */
static void mask_id_like(char *s, size_t n)
{
    size_t i = 0;

    while (i < n) {
        size_t j = i, digits = 0;
        while (j < n && is_ascii_alnum(s[j]))
            digits += hd_is_digit(s[j++]);
        size_t len = j - i;
        if (len >= 15 && len <= 18 && digits >= 13)
            memset(s + i + 6, '*', len - 6 - (len == 18 ? 4 : 3));
        i = j > i ? j : i + 1;
    }
}

/* A raw record with every run that looks like a citizen ID masked and any
 * bytes that are not UTF-8 replaced: the admin needs the record's shape to
 * tell the department what to fix, not the person. */
static char *mask_ids(hd_arena *arena, const char *raw)
{
    size_t n = strlen(raw);
    char *out = hd_arena_strndup(arena, raw, n);

    if (out)
        utf8_scrub(out, n);

    for (size_t i = 0; out && i + 18 <= n; i++) {
        size_t k = 0;
        if (i > 0 && isdigit((unsigned char)raw[i - 1]))
            continue;
        while (k < 17 && isdigit((unsigned char)raw[i + k]))
            k++;
        if (k == 17 && (isdigit((unsigned char)raw[i + 17]) ||
                        raw[i + 17] == 'X' || raw[i + 17] == 'x')) {
            memset(out + i + 6, '*', 8);
            i += 17;
        }
    }
    if (out)
        mask_id_like(out, n);
    return out;
}

typedef struct quarantine_ctx {
    hd_http_req *req;
    json_t *rows;
    int64_t skip, take, total;
} quarantine_ctx;

static int add_row(const hd_quarantine_row *row, void *payload)
{
    quarantine_ctx *ctx = payload;
    json_t *o;

    if (ctx->total++ < ctx->skip || ctx->take <= 0)
        return 0;
    ctx->take--;
    o = json_pack("{s:s, s:I, s:i, s:s?, s:s, s:s, s:s?}", "file", row->file,
                  "line", (json_int_t)row->line, "column", row->column, "field",
                  row->field, "reason", hd_reject_name(row->reason), "detail",
                  row->detail, "raw",
                  row->raw ? mask_ids(&ctx->req->arena, row->raw) : NULL);
    return !o || json_array_append_new(ctx->rows, o) ? HD_ENOMEM : 0;
}

static const char *const page_params[] = {"page", "page_size"};

int hd__api_quarantine(hd_http_req *req)
{
    const char *id = hd_http_param_get(req, "delivery_id");
    quarantine_ctx ctx = {req, json_array(), 0, 0, 0};
    hd_http_page page;
    int rc = ctx.rows ? 0 : HD_ENOMEM;

    if (rc == 0 && (rc = hd_http_query_only(req, page_params, 2)) == 0)
        rc = hd_http_query_page(&page, req);
    if (rc == 0) {
        ctx.skip = page.offset;
        ctx.take = page.page_size;
        rc =
            hd_casestore_quarantine_list(req->cs, id, add_row, &ctx, &req->err);
    }
    /* No rows: an accepted delivery without bad rows, or none at all. */
    if (rc == 0 && ctx.total == 0) {
        rc = hd_casestore_delivery_accepted(req->cs, id, &req->err);
        rc = rc == 1   ? 0
             : rc == 0 ? hd_error_set(&req->err, HD_ENOTFOUND,
                                      "no delivery %s with rows to show", id)
                       : rc;
    }
    /* Quarantined rows are department records, names and all: showing
     * them is a read of personal data, masked IDs or not. */
    if (rc == 0) {
        char outcome[200];
        snprintf(outcome, sizeof(outcome), "delivery %s: %lld rows shown", id,
                 (long long)json_array_size(ctx.rows));
        rc = hd__api_audit(req, "quarantine.view", NULL, NULL, NULL, outcome);
    }
    if (rc) {
        json_decref(ctx.rows);
        return rc == HD_ENOMEM ? hd_error_set(&req->err, rc, "out of memory")
                               : rc;
    }
    return hd_http_reply_json(req, 200,
                              json_pack("{s:s, s:o, s:I, s:I, s:I}",
                                        "delivery_id", id, "rows", ctx.rows,
                                        "total", (json_int_t)ctx.total, "page",
                                        (json_int_t)page.page, "page_size",
                                        (json_int_t)page.page_size));
}

/* -------------------------------------------------------------- policy */

int hd__api_policy_show(hd_http_req *req)
{
    hd__api_policy *p;
    json_t *out;
    hd_buf b;
    int rc;

    if ((rc = hd_http_query_only(req, NULL, 0)) != 0)
        return rc;
    if (!(p = hd__api_policy_get(req)))
        return req->err.code;
    hd_buf_init(&b, HD_BUF_DEFAULT_MAX);
    rc = hd_policy_interchange_write(&b, p->policy, &req->err);
    out = rc == 0 ? json_loadb(b.ptr, b.len, 0, NULL) : NULL;
    if (out)
        json_object_set_new(out, "version", json_integer(p->version));
    hd_buf_release(&b);
    hd__api_policy_put(req, p);
    if (rc)
        return rc;
    if (!out)
        return hd_error_set(&req->err, HD_ENOMEM, "out of memory");
    return hd_http_reply_json(req, 200, out);
}

int hd__api_policy_import(hd_http_req *req)
{
    const hd_staff_user *u = hd__api_user(req);
    hd_policy *imported = NULL;
    int64_t version = 0;
    char outcome[48], source[96];
    int rc;

    if ((rc = hd__api_covers(req, req->config->region, "this node")) != 0)
        return rc;
    if (!req->content_type ||
        strncmp(req->content_type, "application/json", 16) != 0)
        return hd_http_reply_error(req, 415, "unsupported_media_type", NULL,
                                   "send the policy as application/json "
                                   "(hedui-policy/1)");
    snprintf(source, sizeof(source), "api:%s", u->username);
    rc = hd_policy_interchange_parse(&imported, "body", req->body,
                                     req->body_len, &req->err);
    if (rc == 0)
        rc = hd_casestore_begin(req->cs, &req->err);
    if (rc) {
        hd_policy_free(imported);
        return rc;
    }
    rc = hd_policy_store_import(&version, req->cs, imported, source,
                                hd__api_now(req), &req->err);
    snprintf(outcome, sizeof(outcome), "version %lld", (long long)version);
    if (rc == 0)
        rc = hd__api_audit(req, "policy.import", NULL, NULL, NULL,
                           version ? outcome : "unchanged");
    if (rc == 0)
        rc = hd_casestore_commit(req->cs, &req->err);
    if (rc)
        hd_casestore_rollback(req->cs);
    hd_policy_free(imported);
    if (rc)
        return rc;
    hd__api_policy_reload(hd__api(req));
    return hd_http_reply_json(req, version ? 201 : 200,
                              json_pack("{s:I, s:b}", "version",
                                        (json_int_t)version, "changed",
                                        version != 0));
}
