/* The request as a handler sees it: parameters, headers, the query. */
#include "http/http_int.h"

#include <errno.h>
#include <microhttpd.h>
#include <stdlib.h>
#include <string.h>

void hd__http_ctx_init(hd__http_ctx *ctx, size_t max_body)
{
    memset(ctx, 0, sizeof(*ctx));
    hd_arena_init(&ctx->req.arena, 16 * 1024);
    hd_buf_init(&ctx->body, max_body);
    /* The reply's own limit is the library's: a report may be large. */
    hd_buf_init(&ctx->out, 0);
    ctx->fd = -1;
    ctx->req.body = "";
}

void hd__http_ctx_release(hd__http_ctx *ctx)
{
    hd_arena_release(&ctx->req.arena);
    hd_buf_release(&ctx->body);
    hd_buf_release(&ctx->out);
}

const char *hd_http_param_get(const hd_http_req *req, const char *name)
{
    for (size_t i = 0; i < req->param_count; i++)
        if (!strcmp(req->params[i].name, name))
            return req->params[i].value;
    return NULL;
}

const char *hd_http_header(hd_http_req *req, const char *name)
{
    hd__http_ctx *ctx = hd__http_ctx_of(req);

    if (!ctx->conn)
        return NULL;
    return MHD_lookup_connection_value(ctx->conn, MHD_HEADER_KIND, name);
}

static int query_error(hd_http_req *req, const char *name, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int query_error(hd_http_req *req, const char *name, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    hd_error_setv(&req->err, HD_EDATA, fmt, ap);
    va_end(ap);
    hd_error_at(&req->err, NULL, 0, 0, name);
    return HD_EDATA;
}

static const char *query_get(const hd_http_req *req, const char *name)
{
    for (size_t i = 0; i < req->query_count; i++)
        if (!strcmp(req->query[i].name, name))
            return req->query[i].value;
    return NULL;
}

int hd_http_query_only(hd_http_req *req, const char *const *names, size_t count)
{
    for (size_t i = 0; i < req->query_count; i++) {
        size_t j = 0;
        while (j < count && strcmp(names[j], req->query[i].name))
            j++;
        if (j == count) {
            const char *name = req->query[i].name;
            bool plain = hd_utf8_count(name, strlen(name)) >= 0 &&
                         strlen(name) < HD_ERROR_FIELD_MAX;
            return query_error(req, plain ? name : "",
                               "unknown query parameter");
        }
    }
    return 0;
}

int hd_http_query_text(const char **out, hd_http_req *req, const char *name,
                       size_t max_len)
{
    const char *v = query_get(req, name);
    long chars;

    *out = NULL;
    if (!v)
        return 0;
    chars = hd_utf8_count(v, strlen(v));
    if (chars < 0)
        return query_error(req, name, "must be UTF-8 text");
    for (const char *p = v; *p; p++) {
        unsigned char c = (unsigned char)*p;
        if (c < 0x20 || c == 0x7f)
            return query_error(req, name,
                               "must be text without control characters");
    }
    if (max_len && (size_t)chars > max_len)
        return query_error(req, name, "must be at most %zu characters",
                           max_len);
    *out = v;
    return 0;
}

int hd_http_query_int(int64_t *out, hd_http_req *req, const char *name,
                      int64_t def, int64_t min, int64_t max)
{
    const char *v = query_get(req, name);
    const char *digits;
    char *end;
    long long n;

    *out = def;
    if (!v)
        return 0;
    digits = v[0] == '-' ? v + 1 : v;
    errno = 0;
    n = strtoll(v, &end, 10);
    /* strtoll takes spaces and '+'; a query parameter is digits only. */
    if (!hd_is_digit(digits[0]) || *end || errno ||
        (digits[0] == '0' && digits[1]))
        return query_error(req, name, "must be an integer from %lld to %lld",
                           (long long)min, (long long)max);
    if (n < min || n > max)
        return query_error(req, name, "must be from %lld to %lld",
                           (long long)min, (long long)max);
    *out = (int64_t)n;
    return 0;
}

int hd_http_query_page(hd_http_page *out, hd_http_req *req)
{
    int rc;

    memset(out, 0, sizeof(*out));
    rc = hd_http_query_int(&out->page, req, "page", 1, 1, HD_HTTP_PAGE_MAX);
    if (rc == 0)
        rc = hd_http_query_int(&out->page_size, req, "page_size",
                               HD_HTTP_PAGE_SIZE_DEFAULT, 1,
                               HD_HTTP_PAGE_SIZE_MAX);
    if (rc)
        return rc;
    /* Both bounded above: (10^6 - 1) * 200 fits with room to spare. */
    out->offset = (out->page - 1) * out->page_size;
    return 0;
}
