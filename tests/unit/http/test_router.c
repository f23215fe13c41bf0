/* The router: path parameters, 404 and 405 with the Allow header. */
#include "testutil.h"

#include <hedui/http.h>

#include <string.h>

/* Handlers are never called here: only their identity matters. */
static int h_list(hd_http_req *req)
{
    (void)req;
    return 0;
}
static int h_create(hd_http_req *req)
{
    (void)req;
    return 0;
}
static int h_get(hd_http_req *req)
{
    (void)req;
    return 0;
}
static int h_events(hd_http_req *req)
{
    (void)req;
    return 0;
}
static int h_delete_event(hd_http_req *req)
{
    (void)req;
    return 0;
}

static const hd_http_route table[] = {
    {"GET", "/api/v1/cases", h_list, HD_HTTP_AUTH_ANY, false},
    {"POST", "/api/v1/cases", h_create, 1, false},
    {"GET", "/api/v1/cases/{case_no}", h_get, HD_HTTP_AUTH_ANY, false},
    {"GET", "/api/v1/cases/{case_no}/events", h_events, HD_HTTP_AUTH_ANY,
     false},
    {"DELETE", "/api/v1/cases/{case_no}/events/{seq}", h_delete_event, 2,
     false},
};
#define COUNT (sizeof(table) / sizeof(table[0]))

typedef struct match {
    hd_http_match how;
    const hd_http_route *route;
    hd_str params[HD_HTTP_PARAMS_MAX];
    size_t count;
    char allow[64];
} match;

static match run(const char *method, const char *path)
{
    match m;
    memset(&m, 0, sizeof(m));
    m.how = hd_http_router_match(&m.route, m.params, &m.count, table, COUNT,
                                 method, path, m.allow, sizeof(m.allow));
    return m;
}

static void literal_paths_match_their_method(void **state)
{
    (void)state;
    match m = run("GET", "/api/v1/cases");
    assert_int_equal(m.how, HD_HTTP_MATCH_FOUND);
    assert_ptr_equal(m.route->handler, h_list);
    assert_int_equal(m.count, 0);
    m = run("POST", "/api/v1/cases");
    assert_int_equal(m.how, HD_HTTP_MATCH_FOUND);
    assert_ptr_equal(m.route->handler, h_create);
}

static void parameters_take_one_segment(void **state)
{
    (void)state;
    match m = run("GET", "/api/v1/cases/330106-2026-000001/events");
    assert_int_equal(m.how, HD_HTTP_MATCH_FOUND);
    assert_ptr_equal(m.route->handler, h_events);
    assert_int_equal(m.count, 1);
    assert_true(hd_str_eq_cstr(m.params[0], "330106-2026-000001"));

    m = run("DELETE", "/api/v1/cases/C1/events/7");
    assert_int_equal(m.how, HD_HTTP_MATCH_FOUND);
    assert_int_equal(m.count, 2);
    assert_true(hd_str_eq_cstr(m.params[0], "C1"));
    assert_true(hd_str_eq_cstr(m.params[1], "7"));

    m = run("GET", "/api/v1/cases/C1");
    assert_ptr_equal(m.route->handler, h_get);
    assert_true(hd_str_eq_cstr(m.params[0], "C1"));
}

static void unknown_paths_are_not_found(void **state)
{
    (void)state;
    static const char *const paths[] = {
        "/api/v1/case",
        "/api/v1/cases/",
        "/api/v1/cases//events",
        "/api/v1/cases/C1/events/",
        "/api/v1/cases/C1/other",
        "/api/v1",
        "/api/v1/cases/C1/events/7/x",
        "",
        "/API/v1/cases",
    };
    for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
        match m = run("GET", paths[i]);
        if (m.how != HD_HTTP_MATCH_NO_PATH)
            fail_msg("%s: matched", paths[i]);
        assert_null(m.route);
        assert_int_equal(m.count, 0);
    }
}

static void wrong_method_lists_the_allowed(void **state)
{
    (void)state;
    match m = run("DELETE", "/api/v1/cases");
    assert_int_equal(m.how, HD_HTTP_MATCH_NO_METHOD);
    assert_null(m.route);
    assert_string_equal(m.allow, "GET, HEAD, POST");

    m = run("POST", "/api/v1/cases/C1/events/7");
    assert_int_equal(m.how, HD_HTTP_MATCH_NO_METHOD);
    assert_string_equal(m.allow, "DELETE");

    m = run("PUT", "/api/v1/cases/C1");
    assert_string_equal(m.allow, "GET, HEAD");
}

static void head_is_routed_as_get(void **state)
{
    (void)state;
    match m = run("HEAD", "/api/v1/cases/C9");
    assert_int_equal(m.how, HD_HTTP_MATCH_FOUND);
    assert_ptr_equal(m.route->handler, h_get);
    m = run("HEAD", "/api/v1/cases/C9/events/1");
    assert_int_equal(m.how, HD_HTTP_MATCH_NO_METHOD);
}

static void service_routes_are_well_formed(void **state)
{
    size_t count;
    const hd_http_route *routes = hd_http_routes(&count);
    (void)state;

    assert_true(count >= 1);
    for (size_t i = 0; i < count; i++) {
        assert_non_null(routes[i].handler);
        assert_true(!strncmp(routes[i].pattern, "/api/v1/", 8));
        /* No two entries for one method and pattern: the second could
         * never be reached. */
        for (size_t j = 0; j < i; j++)
            assert_false(!strcmp(routes[i].method, routes[j].method) &&
                         !strcmp(routes[i].pattern, routes[j].pattern));
    }
    hd_http_route const *found;
    hd_str params[HD_HTTP_PARAMS_MAX];
    size_t n;
    assert_int_equal(hd_http_router_match(&found, params, &n, routes, count,
                                          "GET", "/api/v1/health", NULL, 0),
                     HD_HTTP_MATCH_FOUND);
    assert_int_equal(found->auth, HD_HTTP_AUTH_NONE);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(literal_paths_match_their_method),
        cmocka_unit_test(parameters_take_one_segment),
        cmocka_unit_test(unknown_paths_are_not_found),
        cmocka_unit_test(wrong_method_lists_the_allowed),
        cmocka_unit_test(head_is_routed_as_get),
        cmocka_unit_test(service_routes_are_well_formed),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
