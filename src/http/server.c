/*
 * The server: libmicrohttpd with its own thread pool, each request
 * handled whole on the thread that read it (no suspension), so a handler
 * may block on its store.
 *
 * A request goes: headers read → the first call of `on_request` makes
 * its context and routes it (404, 405 and an announced body over the
 * limit are answered at once, without reading the body) → body chunks are
 * collected up to the limit → the last call authenticates, checks out a
 * case store connection, runs the handler and queues its reply →
 * `on_completed` writes the access log line and frees the context.
 */
#include "http/http_int.h"

#include <hedui/ingest.h>

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <microhttpd.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

struct hd_http_server {
    const hd_http_config *cfg;
    const hd_http_options *opt;
    hd_ingest *ing;
    hd_node_key key;
    hd__http_pool pool;
    int log_fd;
    struct MHD_Daemon *daemon;
    MHD_socket quiesced;
    unsigned port;
    const hd_http_route *routes;
    size_t route_count;
    atomic_long in_flight;
    atomic_bool stopping;
};

static const char csp_api[] = "default-src 'none'; frame-ancestors 'none'";
static const char csp_console[] =
    "default-src 'self'; img-src 'self' data:; object-src 'none'; "
    "base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/* ------------------------------------------------------------- opening */

int hd_http_server_open(hd_http_server **out, const hd_http_config *cfg,
                        const hd_http_options *opt, hd_error *err)
{
    hd_http_server *srv;
    bool created;
    int rc;

    *out = NULL;
    if (!opt->wall_us || !opt->mono_us)
        return hd_error_set(err, HD_EINVAL, "the server needs its clocks");
    if (sodium_init() < 0)
        return hd_error_set(err, HD_EINVAL, "libsodium cannot start");
    srv = hd_calloc(1, sizeof(*srv));
    if (!srv)
        return hd_error_set(err, HD_ENOMEM, "out of memory");
    srv->cfg = cfg;
    srv->opt = opt;
    srv->log_fd = -1;
    srv->quiesced = MHD_INVALID_SOCKET;
    srv->routes = opt->routes;
    srv->route_count = opt->route_count;
    if (!srv->routes)
        srv->routes = hd_http_routes(&srv->route_count);
    /* hd_ingest_open also finishes a delivery whose case store side a
     * crash cut short: the service starts on whole deliveries only. */
    rc = hd_ingest_open(&srv->ing, cfg->db, cfg->feeds, err);
    if (rc == 0)
        rc = hd_node_key_load(&srv->key, &created, cfg->key, err);
    if (rc == 0 && created)
        hd_log(HD_LOG_INFO, "event=node_key_created node_id=%s",
               srv->key.node_id);
    if (rc == 0) {
        /* Before the pool: each pooled connection copies the key. */
        uint8_t audit_key[32];
        hd_node_key_derive(audit_key, &srv->key, "hedui audit chain key");
        hd_casestore_set_audit_key(hd_ingest_casestore(srv->ing), audit_key);
        sodium_memzero(audit_key, sizeof(audit_key));
        rc = hd__http_pool_open(&srv->pool, hd_ingest_casestore(srv->ing),
                                (size_t)cfg->threads, err);
    }
    if (rc == 0)
        rc = hd__http_log_open(&srv->log_fd, cfg->access_log, err);
    if (rc) {
        hd_http_server_free(srv);
        return rc;
    }
    *out = srv;
    return 0;
}

const hd_node_key *hd_http_server_key(const hd_http_server *srv)
{
    return &srv->key;
}

hd_casestore *hd_http_server_casestore(hd_http_server *srv)
{
    return hd_ingest_casestore(srv->ing);
}

hd_feedstore *hd_http_server_feedstore(hd_http_server *srv)
{
    return hd_ingest_feedstore(srv->ing);
}

unsigned hd_http_server_port(const hd_http_server *srv)
{
    return srv->port;
}

/* ------------------------------------------------------------- replies */

static void add_header(struct MHD_Response *r, const char *name,
                       const char *value)
{
    /* MHD_add_response_header fails only without memory; the reply goes
     * without that header then, rather than not at all. */
    (void)MHD_add_response_header(r, name, value);
}

/* Queue the reply in ctx; returns what the access handler returns. */
static enum MHD_Result queue_reply(hd__http_ctx *ctx)
{
    hd_http_server *srv = ctx->srv;
    struct MHD_Response *r;
    enum MHD_Result ret;

    if (!ctx->replied || hd_buf_error(&ctx->out)) {
        hd_buf_reset(&ctx->out);
        ctx->replied = false;
        hd_http_reply_error(&ctx->req, 500, "internal_error", NULL,
                            "internal error (request %s)", ctx->req.request_id);
    }
    if (ctx->fd >= 0) {
        r = MHD_create_response_from_fd64(ctx->bytes, ctx->fd);
        if (r)
            ctx->fd = -1; /* MHD closes it */
    } else {
        size_t len = ctx->out.len;
        char *body = hd_buf_detach(&ctx->out, NULL);
        r = body ? MHD_create_response_from_buffer_with_free_callback(len, body,
                                                                      hd_free)
                 : NULL;
        if (!r)
            hd_free(body);
        ctx->bytes = len;
    }
    if (!r)
        return MHD_NO;
    add_header(r, "Content-Type", ctx->content_type);
    add_header(r, "X-Request-Id", ctx->req.request_id);
    add_header(r, "X-Content-Type-Options", "nosniff");
    add_header(r, "X-Frame-Options", "DENY");
    add_header(r, "Referrer-Policy", "no-referrer");
    if (ctx->api) {
        add_header(r, "Cache-Control", "no-store");
        add_header(r, "Content-Security-Policy", csp_api);
    } else {
        add_header(r, "Cache-Control", "no-cache");
        add_header(r, "Content-Security-Policy", csp_console);
    }
    for (size_t i = 0; i < ctx->header_count; i++)
        add_header(r, ctx->headers[i][0], ctx->headers[i][1]);
    /* Stopping: no request after this one on the connection. */
    if (atomic_load(&srv->stopping))
        add_header(r, "Connection", "close");
    ret = MHD_queue_response(ctx->conn, ctx->status, r);
    MHD_destroy_response(r);
    return ret;
}

/* --------------------------------------------------------- per request */

static enum MHD_Result collect_query(void *cls, enum MHD_ValueKind kind,
                                     const char *key, const char *value)
{
    hd__http_ctx *ctx = cls;
    hd_http_req *req = &ctx->req;

    (void)kind;
    if (req->query_count == HD_HTTP_QUERY_MAX) {
        ctx->query_overflow = true;
        return MHD_NO;
    }
    req->query[req->query_count].name = key;
    req->query[req->query_count].value = value ? value : "";
    req->query_count++;
    return MHD_YES;
}

static void request_id(char out[HD_HTTP_REQUEST_ID_LEN + 1])
{
    uint8_t bytes[HD_HTTP_REQUEST_ID_LEN / 2];

    randombytes_buf(bytes, sizeof(bytes));
    sodium_bin2hex(out, HD_HTTP_REQUEST_ID_LEN + 1, bytes, sizeof(bytes));
}

static hd__http_ctx *ctx_new(hd_http_server *srv, struct MHD_Connection *conn,
                             const char *url, const char *method)
{
    hd__http_ctx *ctx = hd_malloc(sizeof(*ctx));

    if (!ctx)
        return NULL;
    hd__http_ctx_init(ctx, (size_t)srv->cfg->max_body_bytes);
    ctx->srv = srv;
    ctx->conn = conn;
    ctx->start_mono_us = srv->opt->mono_us();
    hd_http_req *req = &ctx->req;
    req->now_us = srv->opt->wall_us();
    request_id(req->request_id);
    req->method = hd_arena_strndup(&req->arena, method, strlen(method));
    req->path = hd_arena_strndup(&req->arena, url, strlen(url));
    req->fs = hd_ingest_feedstore(srv->ing);
    req->key = &srv->key;
    req->config = srv->cfg;
    req->app = srv->opt->app;
    req->content_type =
        MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Content-Type");
    req->authorization =
        MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Authorization");
    if (!req->method || !req->path) {
        hd__http_ctx_release(ctx);
        hd_free(ctx);
        return NULL;
    }
    atomic_fetch_add(&srv->in_flight, 1);
    return ctx;
}

static bool has_body(struct MHD_Connection *conn)
{
    const char *len =
        MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Content-Length");
    return (len && strcmp(len, "0")) ||
           MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
                                       "Transfer-Encoding");
}

static enum MHD_Result add_header_size(void *cls, enum MHD_ValueKind kind,
                                       const char *key, const char *value)
{
    size_t *total = cls;

    (void)kind;
    *total += strlen(key) + (value ? strlen(value) : 0) + 4;
    return MHD_YES;
}

/* Request line and headers over max_header_bytes? libmicrohttpd answers
 * 431 itself only when they overflow its memory pool, which is larger
 * (see hd_http_server_start): this is the limit as configured. */
static bool headers_too_large(hd__http_ctx *ctx, const char *url)
{
    size_t total = strlen(url) + strlen(ctx->req.method) + 12;

    MHD_get_connection_values(ctx->conn, MHD_HEADER_KIND, add_header_size,
                              &total);
    return total > (size_t)ctx->srv->cfg->max_header_bytes;
}

/* A path parameter: UTF-8 without control characters. */
static bool param_ok(const char *s)
{
    if (hd_utf8_count(s, strlen(s)) < 0)
        return false;
    for (; *s; s++)
        if ((unsigned char)*s < 0x20 || *s == 0x7f)
            return false;
    return true;
}

/* Route the request; false when it has been answered already. */
/* The largest body the request's route takes. */
static int64_t body_limit(const hd__http_ctx *ctx)
{
    const hd_http_route *rt = ctx->req.route;
    return rt && rt->upload ? ctx->srv->cfg->max_upload_bytes
                            : ctx->srv->cfg->max_body_bytes;
}

static bool route(hd__http_ctx *ctx)
{
    hd_http_server *srv = ctx->srv;
    hd_http_req *req = &ctx->req;
    hd_str params[HD_HTTP_PARAMS_MAX];
    size_t count = 0;
    char allow[64];
    const char *len_text;

    if (headers_too_large(ctx, req->path)) {
        hd_http_reply_error(req, 431, "headers_too_large", NULL,
                            "the request's headers are over the limit of "
                            "%lld bytes",
                            (long long)srv->cfg->max_header_bytes);
        return false;
    }
    if (strncmp(req->path, "/api/", 5)) {
        if (strcmp(req->method, "GET") && strcmp(req->method, "HEAD")) {
            hd__http_reply_text(req, 405, "method not allowed\n");
            hd_http_reply_header(req, "Allow", "GET, HEAD");
        } else {
            hd__http_static_serve(req, srv->cfg->web_root);
        }
        return false;
    }
    switch (hd_http_router_match(&req->route, params, &count, srv->routes,
                                 srv->route_count, req->method, req->path,
                                 allow, sizeof(allow))) {
    case HD_HTTP_MATCH_NO_PATH:
        hd_http_reply_error(req, 404, "not_found", NULL, "no such resource");
        return false;
    case HD_HTTP_MATCH_NO_METHOD:
        hd_http_reply_error(req, 405, "method_not_allowed", NULL,
                            "%s is not allowed here", req->method);
        hd_http_reply_header(req, "Allow", allow);
        return false;
    case HD_HTTP_MATCH_FOUND:
        break;
    }
    /* Names point into the route table, values into the arena. */
    const char *pattern = req->route->pattern;
    for (size_t i = 0; i < count; i++) {
        const char *open = strchr(pattern, '{');
        const char *close = strchr(open, '}');
        req->params[i].name =
            hd_arena_strndup(&req->arena, open + 1, (size_t)(close - open - 1));
        req->params[i].value =
            hd_arena_strndup(&req->arena, params[i].ptr, params[i].len);
        if (!req->params[i].name || !req->params[i].value) {
            hd__http_reply_code(req, HD_ENOMEM);
            return false;
        }
        pattern = close + 1;
        /* Decoded from %XX: anything may come out of it. */
        if (!param_ok(req->params[i].value)) {
            hd_http_reply_error(req, 400, "bad_request", req->params[i].name,
                                "must be text without control characters");
            return false;
        }
    }
    req->param_count = count;
    MHD_get_connection_values(ctx->conn, MHD_GET_ARGUMENT_KIND, collect_query,
                              ctx);
    if (ctx->query_overflow) {
        hd_http_reply_error(req, 400, "bad_request", NULL,
                            "more than %d query parameters", HD_HTTP_QUERY_MAX);
        return false;
    }
    len_text = MHD_lookup_connection_value(ctx->conn, MHD_HEADER_KIND,
                                           "Content-Length");
    if (len_text) {
        char *end;
        errno = 0;
        unsigned long long n = strtoull(len_text, &end, 10);
        if (errno || *end || n > (unsigned long long)body_limit(ctx)) {
            hd_http_reply_error(req, 413, "payload_too_large", NULL,
                                "the body is over the limit of %lld bytes",
                                (long long)body_limit(ctx));
            return false;
        }
    }
    ctx->body.max = (size_t)body_limit(ctx);
    return true;
}

/* The body is read: authenticate, run the handler. */
static void dispatch(hd__http_ctx *ctx)
{
    hd_http_server *srv = ctx->srv;
    hd_http_req *req = &ctx->req;
    const hd_http_route *rt = req->route;
    int rc;

    if (ctx->body_too_large) {
        hd_http_reply_error(req, 413, "payload_too_large", NULL,
                            "the body is over the limit of %lld bytes",
                            (long long)body_limit(ctx));
        return;
    }
    if (hd_buf_error(&ctx->body)) {
        hd__http_reply_code(req, hd_buf_error(&ctx->body));
        return;
    }
    req->body = ctx->body.ptr;
    req->body_len = ctx->body.len;
    req->cs = hd__http_pool_get(&srv->pool);
    if (rt->auth != HD_HTTP_AUTH_NONE) {
        rc = srv->opt->authenticate ? srv->opt->authenticate(req) : HD_EINVAL;
        if (rc && !ctx->replied)
            hd_http_reply_error(req, 401, "unauthorized", NULL,
                                "sign in first");
        if (rc || ctx->replied)
            goto out;
        if (!(req->roles & rt->auth)) {
            hd_http_reply_error(req, 403, "forbidden", NULL,
                                "your role may not do this");
            goto out;
        }
    }
    hd_error_clear(&req->err);
    rc = rt->handler(req);
    /* A handler that replied and then failed has said what it meant. */
    if (rc && !ctx->replied)
        hd__http_reply_code(req, rc);
out:
    hd__http_pool_put(&srv->pool, req->cs);
    req->cs = NULL;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn,
                                  const char *url, const char *method,
                                  const char *version, const char *upload_data,
                                  size_t *upload_data_size, void **con_cls)
{
    hd_http_server *srv = cls;
    hd__http_ctx *ctx = *con_cls;

    (void)version;
    if (!ctx) {
        ctx = ctx_new(srv, conn, url, method);
        if (!ctx)
            return MHD_NO;
        *con_cls = ctx;
        /* Answered before the body is read: at once when a body is on
         * its way (libmicrohttpd then closes the connection rather than
         * read it), at the last call otherwise, keeping the connection. */
        if (!route(ctx) && has_body(conn))
            return queue_reply(ctx);
        return MHD_YES;
    }
    if (ctx->replied && !*upload_data_size)
        return queue_reply(ctx);
    if (*upload_data_size) {
        /* Past the limit the rest is read and dropped, so that the client
         * gets its 413 rather than a reset; but a client that keeps
         * sending as much again is cut off. */
        if (!ctx->body_too_large &&
            hd_buf_append(&ctx->body, upload_data, *upload_data_size) ==
                HD_ELIMIT)
            ctx->body_too_large = true;
        if (ctx->body_too_large) {
            ctx->discarded += *upload_data_size;
            if (ctx->discarded > (uint64_t)body_limit(ctx))
                return MHD_NO;
        }
        *upload_data_size = 0;
        return MHD_YES;
    }
    dispatch(ctx);
    return queue_reply(ctx);
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
    hd_http_server *srv = cls;
    hd__http_ctx *ctx = *con_cls;
    const union MHD_ConnectionInfo *info;
    char remote[INET6_ADDRSTRLEN] = "";

    if (!ctx)
        return;
    *con_cls = NULL;
    info = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    if (info && info->client_addr) {
        const struct sockaddr *sa = info->client_addr;
        if (sa->sa_family == AF_INET)
            inet_ntop(AF_INET, &((const struct sockaddr_in *)sa)->sin_addr,
                      remote, sizeof(remote));
        else if (sa->sa_family == AF_INET6)
            inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)sa)->sin6_addr,
                      remote, sizeof(remote));
    }
    hd__http_log_entry e = {
        .time_us = ctx->req.now_us,
        .request_id = ctx->req.request_id,
        .method = ctx->req.method,
        .path = ctx->req.path,
        /* A reply cut short is logged with the status it had, and 0
         * when none was made (the client went away). */
        .status = ctx->replied ? ctx->status : 0,
        .bytes = toe == MHD_REQUEST_TERMINATED_COMPLETED_OK ? ctx->bytes : 0,
        .duration_us = srv->opt->mono_us() - ctx->start_mono_us,
        .username = ctx->req.username,
        .remote = remote,
    };
    hd__http_log_write(srv->log_fd, &e);
    if (ctx->fd >= 0)
        close(ctx->fd);
    hd__http_ctx_release(ctx);
    hd_free(ctx);
    atomic_fetch_sub(&srv->in_flight, 1);
}

/* libmicrohttpd's messages: its own printf formats. */
static void on_mhd_log(void *cls, const char *fmt, va_list ap)
    __attribute__((format(printf, 2, 0)));

static void on_mhd_log(void *cls, const char *fmt, va_list ap)
{
    char line[512];
    size_t len;

    (void)cls;
    vsnprintf(line, sizeof(line), fmt, ap);
    len = strlen(line);
    while (len && (line[len - 1] == '\n' || line[len - 1] == ' '))
        line[--len] = '\0';
    hd_log(HD_LOG_WARN, "event=mhd message=\"%s\"", line);
}

/* ----------------------------------------------------- start and stop */

static int write_port_file(const char *path, unsigned port, hd_error *err)
{
    hd_buf tmp;
    char text[16];
    int fd, n, rc = 0;

    hd_buf_init(&tmp, 0);
    hd_buf_printf(&tmp, "%s.tmp", path);
    if (hd_buf_error(&tmp))
        return hd_error_set(err, HD_ENOMEM, "out of memory");
    n = snprintf(text, sizeof(text), "%u\n", port);
    /* Written aside and renamed: a reader sees no file or a whole one. */
    fd = open(tmp.ptr, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0 || write(fd, text, (size_t)n) != n || close(fd) ||
        rename(tmp.ptr, path))
        rc = hd_error_set(err, HD_EIO, "cannot write port file %s: %s", path,
                          strerror(errno));
    hd_buf_release(&tmp);
    return rc;
}

int hd_http_server_start(hd_http_server *srv, hd_error *err)
{
    const hd_http_config *cfg = srv->cfg;
    struct sockaddr_storage addr;
    socklen_t addr_len;
    const union MHD_DaemonInfo *info;
    unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL |
                     MHD_USE_ITC | MHD_USE_ERROR_LOG;
    int rc;

    rc = hd__http_listen_parse(&addr, &addr_len, cfg->listen, err);
    if (rc)
        return rc;
    if (addr.ss_family == AF_INET6)
        flags |= MHD_USE_IPv6;
    /*
     * The memory pool of a connection holds the request line and headers
     * and the read and write buffers: a request whose headers do not fit
     * in it is answered 431 by libmicrohttpd itself. With headers just
     * under the pool's size, though, it has no room left to write the
     * reply's headers and drops the connection without a word. So the
     * pool is twice the limit and more, and on_request enforces the
     * limit itself (431 with the JSON error), leaving room for a reply
     * (tests/integration/test_serve.sh sends both sizes).
     */
    size_t pool_bytes = (size_t)cfg->max_header_bytes * 2 + 16384;
    srv->daemon = MHD_start_daemon(
        flags, 0, NULL, NULL, on_request, srv, MHD_OPTION_EXTERNAL_LOGGER,
        on_mhd_log, NULL, MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&addr,
        MHD_OPTION_THREAD_POOL_SIZE, (unsigned)cfg->threads,
        MHD_OPTION_CONNECTION_LIMIT, (unsigned)cfg->max_connections,
        MHD_OPTION_CONNECTION_MEMORY_LIMIT, pool_bytes,
        MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)cfg->request_timeout_s,
        MHD_OPTION_NOTIFY_COMPLETED, on_completed, srv, MHD_OPTION_END);
    if (!srv->daemon)
        return hd_error_set(err, HD_EIO, "cannot listen on %s", cfg->listen);
    info = MHD_get_daemon_info(srv->daemon, MHD_DAEMON_INFO_BIND_PORT);
    srv->port = info ? info->port : 0;
    if (cfg->port_file)
        return write_port_file(cfg->port_file, srv->port, err);
    return 0;
}

int hd_http_server_stop(hd_http_server *srv, hd_error *err)
{
    long waited_ms = 0, limit_ms;
    int rc = 0;

    if (!srv->daemon)
        return 0;
    atomic_store(&srv->stopping, true);
    srv->quiesced = MHD_quiesce_daemon(srv->daemon);
    /* Polled rather than signalled: the wait is short and rare, and a
     * condition variable would have to be touched by every request. */
    limit_ms = (long)srv->cfg->request_timeout_s * 1000 + 1000;
    while (atomic_load(&srv->in_flight) > 0 && waited_ms < limit_ms) {
        struct timespec ts = {0, 10 * 1000 * 1000};
        nanosleep(&ts, NULL);
        waited_ms += 10;
    }
    if (atomic_load(&srv->in_flight) > 0)
        rc = hd_error_set(err, HD_ELIMIT,
                          "%ld requests still running were cut off",
                          (long)atomic_load(&srv->in_flight));
    MHD_stop_daemon(srv->daemon);
    srv->daemon = NULL;
    if (srv->quiesced != MHD_INVALID_SOCKET)
        close(srv->quiesced);
    srv->quiesced = MHD_INVALID_SOCKET;
    return rc;
}

void hd_http_server_free(hd_http_server *srv)
{
    if (!srv)
        return;
    if (srv->daemon)
        MHD_stop_daemon(srv->daemon);
    if (srv->quiesced != MHD_INVALID_SOCKET)
        close(srv->quiesced);
    hd__http_pool_close(&srv->pool);
    hd_ingest_free(srv->ing);
    hd_node_key_wipe(&srv->key);
    if (srv->log_fd > STDERR_FILENO)
        close(srv->log_fd);
    hd_free(srv);
}
