/*
 * Replies: a handler fills the reply in its request context; the server
 * turns it into a libmicrohttpd response once the handler returns
 * (server.c), so handlers never see libmicrohttpd.
 */
#include "http/http_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

unsigned hd_http_status_of(int code, const char **error_code)
{
    const char *name;
    unsigned status;

    switch (code) {
    case HD_EDATA:
    case HD_EINVAL:
    case HD_EOVERFLOW:
        status = 400, name = "bad_request";
        break;
    case HD_ENOTFOUND:
        status = 404, name = "not_found";
        break;
    case HD_EEXISTS:
    case HD_ECONFLICT:
        status = 409, name = "conflict";
        break;
    case HD_ELIMIT:
        status = 413, name = "payload_too_large";
        break;
    case HD_EREJECTED:
        status = 422, name = "rejected";
        break;
    default:
        status = 500, name = "internal_error";
        break;
    }
    if (error_code)
        *error_code = name;
    return status;
}

static int begin_reply(hd__http_ctx *ctx, unsigned status,
                       const char *content_type, bool api)
{
    /* A handler that replies twice has a bug; the first reply stands. */
    if (ctx->replied)
        return HD_EINVAL;
    ctx->replied = true;
    ctx->status = status;
    ctx->content_type = content_type;
    ctx->api = api;
    hd_buf_reset(&ctx->out);
    return 0;
}

int hd_http_reply_json(hd_http_req *req, unsigned status, json_t *body)
{
    hd__http_ctx *ctx = hd__http_ctx_of(req);
    char *text;
    int rc;

    rc = begin_reply(ctx, status, "application/json; charset=utf-8", true);
    if (rc) {
        json_decref(body);
        return rc;
    }
    text = body ? json_dumps(body, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
    json_decref(body);
    if (!text) {
        /* No memory for the dump: say so without allocating more. */
        ctx->status = 500;
        hd_buf_puts(&ctx->out, "{\"error\":{\"code\":\"internal_error\","
                               "\"message\":\"out of memory\"}}");
        return HD_ENOMEM;
    }
    hd_buf_puts(&ctx->out, text);
    free(text);
    return hd_buf_error(&ctx->out);
}

int hd_http_reply_error(hd_http_req *req, unsigned status, const char *code,
                        const char *field, const char *fmt, ...)
{
    char msg[HD_ERROR_MSG_MAX];
    json_t *error, *body;
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    error = json_object();
    body = json_object();
    if (!error || !body) {
        json_decref(error);
        json_decref(body);
        return hd_http_reply_json(req, 500, NULL);
    }
    json_object_set_new(error, "code", json_string(code));
    /* json_string refuses text that is not UTF-8 (a message quoting a
     * client's bytes, cut by vsnprintf): then the code says enough. */
    json_t *m = json_string(msg);
    json_object_set_new(error, "message", m ? m : json_string(""));
    if (field && field[0]) {
        json_t *f = json_string(field);
        if (f)
            json_object_set_new(error, "field", f);
    }
    json_object_set_new(body, "error", error);
    return hd_http_reply_json(req, status, body);
}

int hd__http_reply_text(hd_http_req *req, unsigned status, const char *text)
{
    hd__http_ctx *ctx = hd__http_ctx_of(req);
    int rc = begin_reply(ctx, status, "text/plain; charset=utf-8", false);

    if (rc)
        return rc;
    hd_buf_puts(&ctx->out, text);
    return hd_buf_error(&ctx->out);
}

int hd_http_reply_bytes(hd_http_req *req, unsigned status,
                        const char *content_type, const void *data, size_t len)
{
    hd__http_ctx *ctx = hd__http_ctx_of(req);
    char *type =
        hd_arena_strndup(&req->arena, content_type, strlen(content_type));
    int rc;

    if (!type)
        return HD_ENOMEM;
    rc = begin_reply(ctx, status, type, true);
    if (rc)
        return rc;
    hd_buf_append(&ctx->out, data, len);
    return hd_buf_error(&ctx->out);
}

int hd_http_reply_header(hd_http_req *req, const char *name, const char *value)
{
    hd__http_ctx *ctx = hd__http_ctx_of(req);
    char *n, *v;

    if (ctx->header_count == sizeof(ctx->headers) / sizeof(ctx->headers[0]))
        return HD_ELIMIT;
    /* A line end in a header would start another header. */
    if (strpbrk(name, "\r\n:") || strpbrk(value, "\r\n"))
        return HD_EINVAL;
    n = hd_arena_strndup(&req->arena, name, strlen(name));
    v = hd_arena_strndup(&req->arena, value, strlen(value));
    if (!n || !v)
        return HD_ENOMEM;
    ctx->headers[ctx->header_count][0] = n;
    ctx->headers[ctx->header_count][1] = v;
    ctx->header_count++;
    return 0;
}

void hd__http_reply_code(hd_http_req *req, int code)
{
    const char *name;
    unsigned status = hd_http_status_of(code, &name);

    if (status >= 500) {
        char line[HD_ERROR_MSG_MAX + HD_ERROR_FILE_MAX + 128];
        /* The detail is for the operator, not the client: it may name
         * tables, files or hosts. */
        hd_log(HD_LOG_ERROR, "event=handler_failed request_id=%s code=%d %s",
               req->request_id, code,
               hd_error_format(&req->err, line, sizeof(line)));
        hd_http_reply_error(req, status, name, NULL,
                            "internal error (request %s)", req->request_id);
        return;
    }
    hd_http_reply_error(req, status, name, req->err.field, "%s",
                        req->err.msg[0] ? req->err.msg : hd_strerror(code));
}
