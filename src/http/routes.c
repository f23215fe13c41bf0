/*
 * The service's routes. Adding a route is one line here and its handler
 * in a file of its own; docs/api.md and docs/openapi.yaml describe every
 * route of this table, and a test holds them to it.
 */
#include "http/http_int.h"

static const hd_http_route routes[] = {
    {"GET", "/api/v1/health", hd__http_health, HD_HTTP_AUTH_NONE},
};

const hd_http_route *hd_http_routes(size_t *count)
{
    *count = sizeof(routes) / sizeof(routes[0]);
    return routes;
}
