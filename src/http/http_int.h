/* What the files of src/http share. */
#ifndef HEDUI_HTTP_INT_H
#define HEDUI_HTTP_INT_H

#include <hedui/http.h>

#include <pthread.h>
#include <stdatomic.h>
#include <sys/socket.h>

struct MHD_Connection;

/* ------------------------------------------------------------------- pool */

/* Case store connections, one checked out per request. */
typedef struct hd__http_pool {
    pthread_mutex_t lock;
    pthread_cond_t freed;
    hd_casestore **conns;
    bool *busy;
    size_t count;
} hd__http_pool;

/* `count` connections to the store `first` is open on (hd_casestore_open
 * _same); `first` itself stays the caller's. */
int hd__http_pool_open(hd__http_pool *pool, hd_casestore *first, size_t count,
                       hd_error *err);
void hd__http_pool_close(hd__http_pool *pool);
/* Waits while every connection is in use. */
hd_casestore *hd__http_pool_get(hd__http_pool *pool);
void hd__http_pool_put(hd__http_pool *pool, hd_casestore *cs);

/* ------------------------------------------------------------- access log */

typedef struct hd__http_log_entry {
    int64_t time_us;
    const char *request_id;
    const char *method;
    const char *path;
    unsigned status;
    uint64_t bytes;
    int64_t duration_us;
    const char *username; /* NULL or "" when none */
    const char *remote;   /* NULL or "" when unknown */
} hd__http_log_entry;

/* Open `path` ("-": stderr) for appending; *fd_out gets the descriptor. */
int hd__http_log_open(int *fd_out, const char *path, hd_error *err);
/* One JSON line, written with one write(2) so lines of concurrent
 * requests never mix. */
void hd__http_log_write(int fd, const hd__http_log_entry *entry);
/* "YYYY-MM-DDTHH:MM:SS.ffffffZ" of µs since 1970 into `out` (32 bytes). */
const char *hd__http_time_format(char *out, int64_t us);

/* ----------------------------------------------------------------- config */

/* Parse "host:port" or "[v6]:port" (host an IP address, port 0 to
 * 65535). HD_EDATA. */
int hd__http_listen_parse(struct sockaddr_storage *out, socklen_t *out_len,
                          const char *text, hd_error *err);

/* ---------------------------------------------------------------- request */

/*
 * One request as the server tracks it: the handler's hd_http_req first,
 * so that a request pointer is also the context's.
 */
typedef struct hd__http_ctx {
    hd_http_req req;
    struct hd_http_server *srv;
    struct MHD_Connection *conn;
    int64_t start_mono_us;
    bool started;
    bool body_too_large;
    bool query_overflow;
    hd_buf body;
    uint64_t discarded;

    /* The reply being made. */
    bool replied;
    unsigned status;
    const char *content_type;
    bool api;   /* Cache-Control: no-store, API CSP */
    hd_buf out; /* the body */
    int fd;     /* a static file's, or -1 */
    uint64_t bytes;
    const char *headers[8][2]; /* extra headers, strings in the arena */
    size_t header_count;
} hd__http_ctx;

static inline hd__http_ctx *hd__http_ctx_of(hd_http_req *req)
{
    return (hd__http_ctx *)req;
}

/* Initialise a context for a request of a server (or none: tests). */
void hd__http_ctx_init(hd__http_ctx *ctx, size_t max_body);
void hd__http_ctx_release(hd__http_ctx *ctx);

/* Make the error reply for a handler's negative code and req->err. */
void hd__http_reply_code(hd_http_req *req, int code);
/* Plain text reply, for what is not the API (static files' 404). */
int hd__http_reply_text(hd_http_req *req, unsigned status, const char *text);

/* ------------------------------------------------------------------ static */

/* Answer a GET or HEAD for `req->path` from `web_root`. */
void hd__http_static_serve(hd_http_req *req, const char *web_root);

/* ------------------------------------------------------------------- routes */

int hd__http_health(hd_http_req *req);

#endif
