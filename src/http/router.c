/*
 * The router: a linear walk of the route table. The service has a few
 * dozen routes; comparing segments is cheaper than anything a trie would
 * save, and the table stays a plain array that a test can read.
 */
#include "http/http_int.h"

#include <string.h>

/* Does `pattern` match `path`? Parameters go to `params`. */
static bool pattern_match(const char *pattern, const char *path, hd_str *params,
                          size_t *param_count)
{
    size_t count = 0;

    for (;;) {
        if (*pattern != '/' || *path != '/')
            return false;
        pattern++;
        path++;
        size_t plen = strcspn(pattern, "/");
        size_t slen = strcspn(path, "/");
        if (plen >= 2 && pattern[0] == '{' && pattern[plen - 1] == '}') {
            if (slen == 0 || count == HD_HTTP_PARAMS_MAX)
                return false;
            params[count++] = (hd_str){path, slen};
        } else if (plen != slen || memcmp(pattern, path, plen)) {
            return false;
        }
        pattern += plen;
        path += slen;
        if (!*pattern && !*path) {
            *param_count = count;
            return true;
        }
    }
}

static void allow_add(char *allow, size_t allow_len, const char *method)
{
    size_t used = strlen(allow), mlen = strlen(method);
    const char *p = allow;

    /* Already listed? */
    while ((p = strstr(p, method)) != NULL) {
        if ((p == allow || p[-1] == ' ') && (p[mlen] == ',' || !p[mlen]))
            return;
        p += mlen;
    }
    if (used + mlen + 3 > allow_len)
        return;
    if (used) {
        memcpy(allow + used, ", ", 2);
        used += 2;
    }
    memcpy(allow + used, method, mlen + 1);
}

hd_http_match hd_http_router_match(const hd_http_route **out, hd_str *params,
                                   size_t *param_count,
                                   const hd_http_route *routes, size_t count,
                                   const char *method, const char *path,
                                   char *allow, size_t allow_len)
{
    const char *want = strcmp(method, "HEAD") ? method : "GET";
    hd_str scratch[HD_HTTP_PARAMS_MAX];
    size_t scratch_count;
    bool path_known = false;

    if (allow_len)
        allow[0] = '\0';
    *out = NULL;
    *param_count = 0;
    for (size_t i = 0; i < count; i++) {
        if (!pattern_match(routes[i].pattern, path, scratch, &scratch_count))
            continue;
        if (!strcmp(routes[i].method, want)) {
            *out = &routes[i];
            memcpy(params, scratch, scratch_count * sizeof(*params));
            *param_count = scratch_count;
            return HD_HTTP_MATCH_FOUND;
        }
        path_known = true;
        if (allow_len) {
            allow_add(allow, allow_len, routes[i].method);
            if (!strcmp(routes[i].method, "GET"))
                allow_add(allow, allow_len, "HEAD");
        }
    }
    return path_known ? HD_HTTP_MATCH_NO_METHOD : HD_HTTP_MATCH_NO_PATH;
}
