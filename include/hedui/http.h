/*
 * hedui http: the verification service's HTTP server (libmicrohttpd).
 *
 * One configuration file (hd_http_config), one server (hd_http_server)
 * running a thread pool, one route table (hd_http_routes) of handlers.
 * A handler gets an hd_http_req holding the request (method, path,
 * path parameters, query, body), the stores it may use (a case store
 * connection checked out of a pool for this request alone, the shared
 * feed store, the node key), the user the authentication hook found, a
 * per-request arena, and an hd_error; it answers with one of the
 * hd_http_reply_* functions, or returns a negative HD_E* code with
 * req->err filled and the framework maps it to a status and the JSON
 * error {"error": {"code", "message", "field"}} (docs/api.md).
 *
 * Threads: a handler runs on one of the pool's threads; the request and
 * everything it holds belong to that thread until the handler returns.
 * Route tables are immutable. The library never reads the clock: the
 * program passes one in (hd_http_options).
 */
#ifndef HEDUI_HTTP_H
#define HEDUI_HTTP_H

#include <hedui/consent.h>
#include <hedui/store.h>

#include <jansson.h>

/* ---------------------------------------------------------- configuration */

/*
 * The service's configuration, parsed once from a JSON file and not
 * changed afterwards. Strings are owned (hd_http_config_release frees
 * them); NULL when a key without a default is absent. Relative paths are
 * taken from the directory of the configuration file. Keys, defaults and
 * ranges are in docs/deploy.md ("Running the service").
 */
typedef struct hd_http_config {
    char *path;         /* the configuration file itself */
    char *listen;       /* "host:port"; the host an IP address */
    char *port_file;    /* where the bound port is written, or NULL */
    char *db;           /* case store path or postgresql:// URL */
    char *feeds;        /* feed store directory */
    char *key;          /* node key file */
    char *web_root;     /* static files served under "/", or NULL */
    char *access_log;   /* a file, or "-" for stderr */
    char *region;       /* this node's 6-digit division code */
    char *calendar_dir; /* working-day calendar files; NULL: the shipped */
    char *batch_dir;    /* uploaded batches; NULL: db + ".batches" */
    int64_t threads;
    int64_t max_connections;
    int64_t max_body_bytes;
    int64_t max_upload_bytes; /* routes that take an upload */
    int64_t max_header_bytes;
    int64_t request_timeout_s;
    int64_t session_idle_minutes;
    int64_t session_absolute_hours;
    int64_t lockout_failures;
    int64_t lockout_minutes;
} hd_http_config;

/*
 * Parse the JSON text of a configuration file named `path` (for messages
 * and for relative paths). Strict: an unknown key, a value of the wrong
 * type or out of range, a missing required key, a duplicated key or
 * invalid JSON is HD_EDATA with err's file, line and field (the key)
 * set. *out is filled only on success; release it with
 * hd_http_config_release.
 */
int hd_http_config_parse(hd_http_config *out, const char *text, size_t len,
                         const char *path, hd_error *err);
/* Read and parse the file `path`: as above, and HD_EIO when it cannot be
 * read. */
int hd_http_config_load(hd_http_config *out, const char *path, hd_error *err);
void hd_http_config_release(hd_http_config *cfg);

/* --------------------------------------------------------------- requests */

#define HD_HTTP_PARAMS_MAX 8
#define HD_HTTP_QUERY_MAX 32
#define HD_HTTP_REQUEST_ID_LEN 16
#define HD_HTTP_USERNAME_MAX 64

/* A name and its value (a path parameter or a query parameter), both
 * NUL-terminated, valid for the request. */
typedef struct hd_http_param {
    const char *name;
    const char *value;
} hd_http_param;

typedef struct hd_http_route hd_http_route;

typedef struct hd_http_req {
    /* The request. `path` is percent-decoded and has no query string;
     * HEAD is routed as GET but keeps its method here. */
    const char *method;
    const char *path;
    const hd_http_route *route;
    hd_http_param params[HD_HTTP_PARAMS_MAX]; /* from the route pattern */
    size_t param_count;
    hd_http_param query[HD_HTTP_QUERY_MAX]; /* in request order */
    size_t query_count;
    const char *content_type;  /* NULL when absent */
    const char *authorization; /* the Authorization header, or NULL */
    const char *body;          /* NUL-terminated, body_len bytes */
    size_t body_len;
    char request_id[HD_HTTP_REQUEST_ID_LEN + 1];
    int64_t now_us; /* wall clock when the request began, µs since 1970 */

    /* What the handler may use. `cs` is this request's own connection;
     * `fs` and `key` are shared by every request (thread-safe reads). */
    hd_casestore *cs;
    hd_feedstore *fs;
    const hd_node_key *key;
    const hd_http_config *config;
    void *app; /* hd_http_options.app */

    /* Set by the authentication hook: who is asking. `roles` is matched
     * against the route's `auth` bits; `user` is the hook's own (a
     * session, say), valid for the request. */
    char username[HD_HTTP_USERNAME_MAX];
    uint32_t roles;
    void *user;

    hd_arena arena; /* per-request memory, freed whole after the reply */
    hd_error err;   /* filled by a handler returning a negative code */
} hd_http_req;

/* The value of path parameter `name` ("{case_no}" in the pattern is
 * "case_no"), or NULL. */
const char *hd_http_param_get(const hd_http_req *req, const char *name);
/* A request header, case-insensitive name, or NULL. Only for a request
 * the server is handling (not one built by hand). */
const char *hd_http_header(hd_http_req *req, const char *name);

/*
 * Query parameters. Each of these fails with HD_EDATA, req->err naming
 * the parameter in `field`, which a handler returns as it is (400).
 *
 * hd_http_query_only: every parameter of the request is one of `names`.
 * hd_http_query_text: *out is the value or NULL when absent; valid UTF-8
 * without control characters, at most `max_len` characters (0: no limit).
 * hd_http_query_int: a decimal integer in [min, max]; `def` when absent.
 * hd_http_query_page: "page" (from 1) and "page_size" (1 to
 * HD_HTTP_PAGE_SIZE_MAX, default HD_HTTP_PAGE_SIZE_DEFAULT), and the
 * offset of the page's first item.
 */
#define HD_HTTP_PAGE_SIZE_DEFAULT 20
#define HD_HTTP_PAGE_SIZE_MAX 200
#define HD_HTTP_PAGE_MAX 1000000

typedef struct hd_http_page {
    int64_t page;
    int64_t page_size;
    int64_t offset;
} hd_http_page;

int hd_http_query_only(hd_http_req *req, const char *const *names,
                       size_t count);
int hd_http_query_text(const char **out, hd_http_req *req, const char *name,
                       size_t max_len);
int hd_http_query_int(int64_t *out, hd_http_req *req, const char *name,
                      int64_t def, int64_t min, int64_t max);
int hd_http_query_page(hd_http_page *out, hd_http_req *req);

/* ------------------------------------------------------------- JSON input */

typedef enum hd_http_type {
    HD_HTTP_STRING,
    HD_HTTP_INT,
    HD_HTTP_BOOL,
    HD_HTTP_ARRAY,
    HD_HTTP_OBJECT
} hd_http_type;

enum {
    HD_HTTP_REQUIRED = 1,  /* the field must be present */
    HD_HTTP_NULLABLE = 2,  /* null is accepted (as if absent) */
    HD_HTTP_MULTILINE = 4, /* the string may hold \t, \n and \r */
};

/*
 * One field of a JSON object as a handler accepts it. `max_len` bounds a
 * string in characters (code points) or an array in elements; 0 is no
 * bound (the body limit still holds).
 */
typedef struct hd_http_field {
    const char *name;
    hd_http_type type;
    unsigned flags;
    size_t max_len;
} hd_http_field;

/*
 * Check that `obj` is an object holding only fields of `spec`, each of
 * its type, every required one present, strings valid UTF-8 within their
 * length and without control characters (C0, DEL and C1; tab and line
 * ends only in MULTILINE fields). Strings nested in arrays and objects
 * are checked for control characters too; null for a required field is
 * "required". HD_EDATA with err's field the
 * offending field's name (empty for the object itself).
 */
int hd_http_fields_check(const json_t *obj, const hd_http_field *spec,
                         size_t count, hd_error *err);
/* Parse `text` as JSON (duplicate keys rejected) and check it as above:
 * *out is the object (caller decrefs). HD_EDATA. */
int hd_http_json_parse(json_t **out, const char *text, size_t len,
                       const hd_http_field *spec, size_t count, hd_error *err);
/* The request's body as a checked JSON object: as hd_http_json_parse,
 * after checking the Content-Type is application/json (else a 415 reply
 * is made and HD_EDATA returned). Errors go to req->err. */
int hd_http_body_json(json_t **out, hd_http_req *req, const hd_http_field *spec,
                      size_t count);

/* -------------------------------------------------------------- responses */

/*
 * A handler makes exactly one reply. Each of these returns 0, or
 * HD_ENOMEM (then the framework answers 500). Every reply carries
 * X-Request-Id and the security headers; API replies carry
 * Cache-Control: no-store.
 */
/* JSON `body` (the reference is stolen), dumped compact in UTF-8. */
int hd_http_reply_json(hd_http_req *req, unsigned status, json_t *body);
/* {"error": {"code": code, "message": ..., "field": field}}; `field`
 * NULL or "" leaves "field" out. `code` is a snake_case word
 * ("bad_request", "forbidden", ...). */
int hd_http_reply_error(hd_http_req *req, unsigned status, const char *code,
                        const char *field, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
/* Bytes of any type (a PDF report, say); copied. */
int hd_http_reply_bytes(hd_http_req *req, unsigned status,
                        const char *content_type, const void *data, size_t len);
/* One more header of the reply (Content-Disposition, Location, ...). At
 * most 8. */
int hd_http_reply_header(hd_http_req *req, const char *name, const char *value);

/* The status and error code a result code answers with: HD_EDATA,
 * HD_EINVAL, HD_EOVERFLOW 400 bad_request; HD_EAUTH 401 unauthorized;
 * HD_EDENIED 403 forbidden; HD_ENOTFOUND 404 not_found; HD_EEXISTS,
 * HD_ECONFLICT 409 conflict; HD_ESTATE 409 wrong_state; HD_ELIMIT 413
 * payload_too_large; HD_EREJECTED 422 rejected; anything else 500
 * internal_error (whose message is not shown to the client). */
unsigned hd_http_status_of(int code, const char **error_code);

/* ------------------------------------------------------------------ routes */

/*
 * A handler answers one request: 0 after an hd_http_reply_*, or a
 * negative HD_E* code with req->err filled (see hd_http_status_of).
 */
typedef int (*hd_http_handler)(hd_http_req *req);

/* `auth`: 0 for a route anyone may call; otherwise the route needs an
 * authenticated user (401 without one) holding one of these role bits
 * (403 otherwise). Role bits are the staff module's; HD_HTTP_AUTH_ANY
 * admits any authenticated user. */
#define HD_HTTP_AUTH_NONE 0u
#define HD_HTTP_AUTH_ANY UINT32_MAX

struct hd_http_route {
    const char *method;  /* "GET", "POST", "PUT", "DELETE", "PATCH" */
    const char *pattern; /* "/api/v1/cases/{case_no}/events" */
    hd_http_handler handler;
    uint32_t auth;
    /* The body may be as large as max_upload_bytes rather than
     * max_body_bytes (an uploaded roll). */
    bool upload;
};

/* The service's routes (src/http/routes.c), for the server and for the
 * test that holds them against docs/openapi.json. */
const hd_http_route *hd_http_routes(size_t *count);

typedef enum hd_http_match {
    HD_HTTP_MATCH_FOUND,     /* *out is the route, params filled */
    HD_HTTP_MATCH_NO_PATH,   /* no pattern matches the path: 404 */
    HD_HTTP_MATCH_NO_METHOD, /* a pattern matches, not the method: 405 */
} hd_http_match;

/*
 * Find the route for `method` and `path` in `routes`: the first entry
 * whose method and pattern match. A pattern is literal segments and
 * "{name}" segments, each matching one non-empty segment, whose value is
 * written to `params` (views into `path`, not NUL-terminated; at most
 * HD_HTTP_PARAMS_MAX). HEAD matches GET routes. With NO_METHOD, `allow`
 * (of `allow_len` bytes) gets the methods the path has, as an Allow
 * header lists them ("GET, HEAD, POST").
 */
hd_http_match hd_http_router_match(const hd_http_route **out, hd_str *params,
                                   size_t *param_count,
                                   const hd_http_route *routes, size_t count,
                                   const char *method, const char *path,
                                   char *allow, size_t allow_len);

/* ------------------------------------------------------------------ server */

typedef struct hd_http_options {
    /* Find who is asking (from req->authorization, say): 0 with
     * req->username, req->roles (and req->user) set, or a negative code
     * for 401. NULL: routes that need a user answer 401. It may make its
     * own reply (then the handler is not called): a 401 with a reason. */
    int (*authenticate)(hd_http_req *req);
    void *app; /* given to handlers as req->app */
    /* The clocks: wall time in µs since 1970 (logs, req->now_us) and a
     * monotonic one in µs (durations). Both required. */
    int64_t (*wall_us)(void);
    int64_t (*mono_us)(void);
    /* The route table; NULL for the service's own (hd_http_routes). */
    const hd_http_route *routes;
    size_t route_count;
} hd_http_options;

typedef struct hd_http_server hd_http_server;

/*
 * Open what the server serves from: the case store (its schema migrated,
 * any delivery half-recorded finished, then `threads` connections in the
 * pool), the feed store, the node key (created when missing), the
 * access log. No socket yet: `hedui serve --check` opens and frees.
 * `cfg` and `opt` must outlive the server.
 */
int hd_http_server_open(hd_http_server **out, const hd_http_config *cfg,
                        const hd_http_options *opt, hd_error *err);
/* Listen and serve on the pool's threads; then write the port to
 * cfg->port_file when set. HD_EIO when the address cannot be bound. */
int hd_http_server_start(hd_http_server *srv, hd_error *err);
/* The port listened on (the chosen one for port 0). */
unsigned hd_http_server_port(const hd_http_server *srv);
/* Who the server is: the case store backend, its schema version. */
hd_casestore *hd_http_server_casestore(hd_http_server *srv);
hd_feedstore *hd_http_server_feedstore(hd_http_server *srv);
/*
 * Stop gracefully: accept no more connections, let the requests in
 * flight finish (their replies say Connection: close), then stop. A
 * request still running after request_timeout_s is cut: HD_ELIMIT then,
 * the server stopped all the same.
 */
int hd_http_server_stop(hd_http_server *srv, hd_error *err);
/* Stop (hard, when still running) and close everything; accepts NULL. */
void hd_http_server_free(hd_http_server *srv);
/* The node's key (signs authorizations; the audit keys derive from it). */
const hd_node_key *hd_http_server_key(const hd_http_server *srv);

/* ------------------------------------------------------------- the API */

/*
 * The service's API behind the routes of hd_http_routes: staff sessions,
 * the case workflow, reports, batches, administration and the audit
 * trail (docs/api.md). Open it after the server (it reads the node key
 * and the working-day calendar, and starts the background batch worker
 * on a case store connection of its own), give it to the server as
 * hd_http_options.app with hd_http_api_authenticate as the hook, and
 * free it after the server has stopped.
 */
typedef struct hd_http_api hd_http_api;

int hd_http_api_open(hd_http_api **out, hd_http_server *srv,
                     const hd_http_config *cfg, hd_error *err);
void hd_http_api_free(hd_http_api *api);
/* The authentication hook: a session token in "Authorization: Bearer". */
int hd_http_api_authenticate(hd_http_req *req);

#endif
