/*
 * The server in-process, with a route table of the test's own and plain
 * sockets for a client: authentication (no hook, a failing hook, a role
 * that does not fit), path parameters reaching the handler, handlers'
 * error codes turned into statuses and JSON errors (an internal error
 * without its detail), JSON bodies checked by their field list, and the
 * case store connection a handler gets. Runs on both backends.
 */
#include "testutil.h"

#include <hedui/http.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

enum { ROLE_CLERK = 1, ROLE_AUDITOR = 16 };

static int64_t wall_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static int64_t mono_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/* Echo who asked and the path parameter, and the store's backend. */
static int h_case(hd_http_req *req)
{
    json_t *o = json_pack(
        "{s:s, s:s, s:s}", "case_no", hd_http_param_get(req, "case_no"), "user",
        req->username, "backend", hd_casestore_backend(req->cs));
    return hd_http_reply_json(req, 200, o);
}

static int h_missing(hd_http_req *req)
{
    return hd_error_set(&req->err, HD_ENOTFOUND, "no case %s",
                        hd_http_param_get(req, "case_no"));
}

static int h_broken(hd_http_req *req)
{
    return hd_error_set(&req->err, HD_ESTORE,
                        "relation secret_table does not exist");
}

static const hd_http_field note_fields[] = {
    {"text", HD_HTTP_STRING, HD_HTTP_REQUIRED | HD_HTTP_MULTILINE, 10},
    {"urgent", HD_HTTP_BOOL, 0, 0},
};

static int h_note(hd_http_req *req)
{
    json_t *body;
    int64_t page;
    int rc = hd_http_query_int(&page, req, "page", 1, 1, 5);

    if (rc == 0)
        rc = hd_http_body_json(&body, req, note_fields, 2);
    if (rc)
        return rc;
    json_object_set_new(body, "page", json_integer(page));
    hd_http_reply_header(req, "Location", "/api/v1/notes/1");
    return hd_http_reply_json(req, 201, body);
}

static const hd_http_route routes[] = {
    {"GET", "/api/v1/cases/{case_no}", h_case, ROLE_CLERK | ROLE_AUDITOR,
     false},
    {"GET", "/api/v1/open/{case_no}", h_missing, HD_HTTP_AUTH_NONE, false},
    {"GET", "/api/v1/broken", h_broken, HD_HTTP_AUTH_NONE, false},
    {"POST", "/api/v1/notes", h_note, HD_HTTP_AUTH_NONE, false},
    {"DELETE", "/api/v1/audit", h_case, ROLE_AUDITOR, false},
};

/* "Bearer clerk-token" is the clerk Wang; anything else is refused. */
static int authenticate(hd_http_req *req)
{
    if (!req->authorization || strcmp(req->authorization, "Bearer clerk-token"))
        return HD_ENOTFOUND;
    snprintf(req->username, sizeof(req->username), "wang");
    req->roles = ROLE_CLERK;
    return 0;
}

typedef struct fixture {
    char dir[1024];
    char location[2048];
    hd_http_config cfg;
    hd_http_options opt;
    hd_http_server *srv;
    unsigned port;
} fixture;

static fixture fx;

/* Send `request` whole, read the reply to the end; the status. */
static int http(const char *request, char *reply, size_t reply_len)
{
    struct sockaddr_in a = {.sin_family = AF_INET,
                            .sin_port = htons((uint16_t)fx.port)};
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    size_t used = 0;
    ssize_t n;
    int status = 0;

    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    assert_true(fd >= 0);
    assert_int_equal(connect(fd, (struct sockaddr *)&a, sizeof(a)), 0);
    assert_int_equal(write(fd, request, strlen(request)),
                     (ssize_t)strlen(request));
    while (used + 1 < reply_len &&
           (n = read(fd, reply + used, reply_len - 1 - used)) > 0)
        used += (size_t)n;
    reply[used] = '\0';
    close(fd);
    sscanf(reply, "HTTP/1.1 %d", &status);
    return status;
}

static const char *body_of(const char *reply)
{
    const char *p = strstr(reply, "\r\n\r\n");
    return p ? p + 4 : "";
}

static int setup(void **state, bool with_hook)
{
    const char *dir = tu_tempdir();
    char text[8192];
    hd_error err;
    (void)state;

    memset(&fx, 0, sizeof(fx));
    snprintf(fx.dir, sizeof(fx.dir), "%s", dir);
    tu_casestore_new(fx.location, sizeof(fx.location), fx.dir);
    snprintf(text, sizeof(text),
             "{\"listen\": \"127.0.0.1:0\", \"db\": \"%s\", \"feeds\": "
             "\"%s/feeds\", \"key\": \"%s/node.key\", \"region\": "
             "\"330106\", \"access_log\": \"%s/access.log\", \"threads\": 2}",
             fx.location, fx.dir, fx.dir, fx.dir);
    if (hd_http_config_parse(&fx.cfg, text, strlen(text), "test.json", &err))
        fail_msg("config: %s", err.msg);
    fx.opt.authenticate = with_hook ? authenticate : NULL;
    fx.opt.wall_us = wall_us;
    fx.opt.mono_us = mono_us;
    fx.opt.routes = routes;
    fx.opt.route_count = sizeof(routes) / sizeof(routes[0]);
    if (hd_http_server_open(&fx.srv, &fx.cfg, &fx.opt, &err) ||
        hd_http_server_start(fx.srv, &err))
        fail_msg("server: %s", err.msg);
    fx.port = hd_http_server_port(fx.srv);
    assert_true(fx.port > 0);
    return 0;
}

static int setup_hook(void **state)
{
    return setup(state, true);
}

static int setup_no_hook(void **state)
{
    return setup(state, false);
}

static int teardown(void **state)
{
    hd_error err;
    (void)state;
    assert_int_equal(hd_http_server_stop(fx.srv, &err), 0);
    hd_http_server_free(fx.srv);
    hd_http_config_release(&fx.cfg);
    tu_casestore_drop(fx.location);
    tu_rmtree(fx.dir);
    return 0;
}

#define GET(path, extra)                                                       \
    "GET " path " HTTP/1.1\r\nHost: t\r\nConnection: close\r\n" extra "\r\n"

static void without_a_hook_signed_in_routes_answer_401(void **state)
{
    char reply[8192];
    (void)state;
    assert_int_equal(
        http(GET("/api/v1/cases/C1", "Authorization: Bearer clerk-token\r\n"),
             reply, sizeof(reply)),
        401);
    assert_non_null(strstr(body_of(reply), "\"code\":\"unauthorized\""));
    /* Open routes still work. */
    assert_int_equal(http(GET("/api/v1/open/C1", ""), reply, sizeof(reply)),
                     404);
}

static void the_hook_decides_who_and_roles_what(void **state)
{
    char reply[8192];
    (void)state;

    assert_int_equal(http(GET("/api/v1/cases/C1", ""), reply, sizeof(reply)),
                     401);
    assert_int_equal(
        http(GET("/api/v1/cases/C1", "Authorization: Bearer wrong\r\n"), reply,
             sizeof(reply)),
        401);
    assert_int_equal(http(GET("/api/v1/cases/330106-2026-000001",
                              "Authorization: Bearer clerk-token\r\n"),
                          reply, sizeof(reply)),
                     200);
    json_t *o = json_loads(body_of(reply), 0, NULL);
    assert_non_null(o);
    assert_string_equal(json_string_value(json_object_get(o, "case_no")),
                        "330106-2026-000001");
    assert_string_equal(json_string_value(json_object_get(o, "user")), "wang");
    assert_string_equal(json_string_value(json_object_get(o, "backend")),
                        tu_backend_is_pg() ? "postgresql" : "sqlite");
    json_decref(o);

    /* A clerk is not an auditor. */
    assert_int_equal(http("DELETE /api/v1/audit HTTP/1.1\r\nHost: t\r\n"
                          "Connection: close\r\nAuthorization: Bearer "
                          "clerk-token\r\n\r\n",
                          reply, sizeof(reply)),
                     403);
    assert_non_null(strstr(body_of(reply), "\"code\":\"forbidden\""));

    /* The user is in the access log, the token never. */
    char path[2048];
    snprintf(path, sizeof(path), "%s/access.log", fx.dir);
    char *log = tu_read_file(path, NULL);
    assert_non_null(log);
    assert_non_null(strstr(log, "\"user\":\"wang\""));
    assert_null(strstr(log, "clerk-token"));
    free(log);
}

static void handler_codes_become_statuses(void **state)
{
    char reply[8192];
    (void)state;

    assert_int_equal(http(GET("/api/v1/open/C7", ""), reply, sizeof(reply)),
                     404);
    assert_string_equal(body_of(reply), "{\"error\":{\"code\":\"not_found\","
                                        "\"message\":\"no case C7\"}}");
    /* Path parameters are decoded, then checked. */
    assert_int_equal(http(GET("/api/v1/open/C%0a7", ""), reply, sizeof(reply)),
                     400);
    assert_non_null(strstr(body_of(reply), "\"field\":\"case_no\""));
    assert_int_equal(
        http(GET("/api/v1/open/%E5%BC%A0", ""), reply, sizeof(reply)), 404);
    assert_non_null(strstr(body_of(reply), "no case 张"));
    /* More query parameters than a request may have. */
    char request[2048] = "GET /api/v1/open/C1?";
    for (int i = 0; i <= HD_HTTP_QUERY_MAX; i++)
        snprintf(request + strlen(request), sizeof(request) - strlen(request),
                 "p%d=1&", i);
    snprintf(request + strlen(request), sizeof(request) - strlen(request),
             " HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n");
    assert_int_equal(http(request, reply, sizeof(reply)), 400);
    assert_non_null(strstr(body_of(reply), "query parameters"));

    /* The detail of an internal error is logged, not shown. */
    assert_int_equal(http(GET("/api/v1/broken", ""), reply, sizeof(reply)),
                     500);
    assert_non_null(strstr(body_of(reply), "\"code\":\"internal_error\""));
    assert_null(strstr(reply, "secret_table"));
}

static void json_bodies_are_checked(void **state)
{
    char reply[8192], request[1024];
    (void)state;

#define POST(ctype, body)                                                      \
    (snprintf(request, sizeof(request),                                        \
              "POST /api/v1/notes?page=2 HTTP/1.1\r\nHost: t\r\n"              \
              "Connection: close\r\nContent-Type: %s\r\n"                      \
              "Content-Length: %zu\r\n\r\n%s",                                 \
              ctype, strlen(body), body),                                      \
     http(request, reply, sizeof(reply)))

    assert_int_equal(POST("application/json", "{\"text\":\"多行\\n备注\"}"),
                     201);
    assert_non_null(strstr(reply, "\r\nLocation: /api/v1/notes/1\r\n"));
    assert_string_equal(body_of(reply),
                        "{\"text\":\"多行\\n备注\",\"page\":2}");

    assert_int_equal(POST("text/plain", "{\"text\":\"x\"}"), 415);
    assert_int_equal(POST("application/json", "{\"text\":"), 400);
    assert_non_null(strstr(body_of(reply), "malformed JSON"));
    assert_int_equal(POST("application/json", "{\"text\":\"x\",\"id\":1}"),
                     400);
    assert_non_null(strstr(body_of(reply), "\"field\":\"id\""));
    assert_int_equal(POST("application/json", "{\"urgent\":true}"), 400);
    assert_non_null(strstr(body_of(reply), "\"field\":\"text\""));
    assert_int_equal(
        POST("application/json; charset=utf-8", "{\"text\":\"x\\u0000\"}"),
        400);

    snprintf(request, sizeof(request),
             "POST /api/v1/notes?page=9 HTTP/1.1\r\nHost: t\r\n"
             "Connection: close\r\nContent-Type: application/json\r\n"
             "Content-Length: 12\r\n\r\n{\"text\":\"x\"}");
    assert_int_equal(http(request, reply, sizeof(reply)), 400);
    assert_non_null(strstr(body_of(reply), "\"field\":\"page\""));
#undef POST
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(
            without_a_hook_signed_in_routes_answer_401, setup_no_hook,
            teardown),
        cmocka_unit_test_setup_teardown(the_hook_decides_who_and_roles_what,
                                        setup_hook, teardown),
        cmocka_unit_test_setup_teardown(handler_codes_become_statuses,
                                        setup_hook, teardown),
        cmocka_unit_test_setup_teardown(json_bodies_are_checked, setup_hook,
                                        teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
