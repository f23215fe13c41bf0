/*
 * docs/openapi.json against the server's route table: the same routes
 * (method and path), and for each the same roles (x-hedui-roles: none for
 * a public route, all five for a route any signed-in user may call).
 */
#include "testutil.h"

#include <hedui/http.h>
#include <hedui/staff.h>

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static json_t *load_doc(void)
{
    const char *src = getenv("HEDUI_SOURCE_DIR");
    char path[4096];
    json_error_t e;
    json_t *doc;

    assert_non_null(src);
    snprintf(path, sizeof(path), "%s/docs/openapi.json", src);
    doc = json_load_file(path, JSON_REJECT_DUPLICATES, &e);
    if (!doc)
        fail_msg("%s:%d: %s", path, e.line, e.text);
    return doc;
}

/* The role bits an operation's x-hedui-roles names. */
static uint32_t roles_of(const json_t *op, const char *what)
{
    const json_t *roles = json_object_get(op, "x-hedui-roles");
    uint32_t mask = 0;
    size_t i;
    json_t *r;

    if (!json_is_array(roles))
        fail_msg("%s: no x-hedui-roles", what);
    json_array_foreach(roles, i, r)
    {
        hd_role role;
        if (hd_role_parse(&role, json_string_value(r), NULL))
            fail_msg("%s: unknown role %s", what, json_string_value(r));
        mask |= HD_ROLE_BIT(role);
    }
    return mask;
}

static uint32_t route_roles(const hd_http_route *rt)
{
    return rt->auth == HD_HTTP_AUTH_ANY ? HD_ROLES_ALL : rt->auth;
}

static void every_route_is_described_with_its_roles(void **state)
{
    size_t count, matched = 0;
    const hd_http_route *routes = hd_http_routes(&count);
    json_t *doc = load_doc(), *paths = json_object_get(doc, "paths"), *ops;
    const char *path;

    (void)state;
    assert_true(json_is_object(paths));
    json_object_foreach(paths, path, ops)
    {
        const char *method;
        json_t *op;
        json_object_foreach(ops, method, op)
        {
            char what[300];
            size_t i;
            snprintf(what, sizeof(what), "%s %s", method, path);
            for (i = 0; i < count; i++)
                if (!strcasecmp(routes[i].method, method) &&
                    !strcmp(routes[i].pattern, path))
                    break;
            if (i == count)
                fail_msg("%s is described but the server has no such route",
                         what);
            if (roles_of(op, what) != route_roles(&routes[i]))
                fail_msg("%s: roles %#x described, %#x served", what,
                         roles_of(op, what), route_roles(&routes[i]));
            /* A public route says so: security is [] */
            if (routes[i].auth == HD_HTTP_AUTH_NONE)
                assert_true(json_is_array(json_object_get(op, "security")));
            matched++;
        }
    }
    if (matched != count) {
        for (size_t i = 0; i < count; i++) {
            char lower[8];
            size_t k;
            for (k = 0; routes[i].method[k] && k < sizeof(lower) - 1; k++)
                lower[k] = (char)(routes[i].method[k] | 0x20);
            lower[k] = '\0';
            if (!json_object_get(json_object_get(paths, routes[i].pattern),
                                 lower))
                fail_msg("%s %s is served but not described", routes[i].method,
                         routes[i].pattern);
        }
    }
    assert_int_equal(matched, count);
    json_decref(doc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_route_is_described_with_its_roles),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
