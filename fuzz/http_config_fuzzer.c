/*
 * Fuzz target for the service's configuration file: hd_http_config_parse
 * on arbitrary bytes, once as an absolute file name and once as a bare
 * one. Both must agree. A configuration it takes has the required keys,
 * a known region, every defaulted path filled in and every number in its
 * range (docs/deploy.md); with the absolute name every file name is
 * absolute. What it refuses is HD_EDATA (or HD_ENOMEM) naming the file
 * and the key or the line, and leaves the output untouched.
 */
#include <hedui/http.h>
#include <hedui/std.h>

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char abs_path[] = "/etc/hedui/serve.json";
static const char bare_path[] = "serve.json";

static bool in(int64_t v, int64_t min, int64_t max)
{
    return v >= min && v <= max;
}

/* A file name as the configuration named `path` gives it. */
static bool path_ok(const char *value, const char *path)
{
    if (!value || !value[0])
        return false;
    return path[0] != '/' || value[0] == '/';
}

static void check_config(const hd_http_config *c, const char *path)
{
    bool url = hd_casestore_is_url(c->db);

    if (!c->path || strcmp(c->path, path) || !c->db || !c->region ||
        !c->listen || !c->access_log || !c->feeds || !c->key || !c->batch_dir)
        abort();
    if (strlen(c->region) != 6 || !hd_region_code_valid(c->region, 6) ||
        !hd_region_find(c->region, 6))
        abort();
    if ((!url && !path_ok(c->db, path)) || !path_ok(c->feeds, path) ||
        !path_ok(c->key, path) || !path_ok(c->batch_dir, path) ||
        (strcmp(c->access_log, "-") && !path_ok(c->access_log, path)) ||
        (c->port_file && !path_ok(c->port_file, path)) ||
        (c->web_root && !path_ok(c->web_root, path)) ||
        (c->calendar_dir && !path_ok(c->calendar_dir, path)))
        abort();
    if (!in(c->threads, 1, 256) || !in(c->max_connections, 1, 65536) ||
        !in(c->max_body_bytes, 1024, 1024 * 1024 * 1024) ||
        !in(c->max_upload_bytes, 1024, (int64_t)4096 * 1024 * 1024) ||
        !in(c->max_header_bytes, 4096, 1024 * 1024) ||
        !in(c->request_timeout_s, 1, 3600) ||
        !in(c->session_idle_minutes, 1, 24 * 60) ||
        !in(c->session_absolute_hours, 1, 24 * 7) ||
        !in(c->lockout_failures, 1, 100) || !in(c->lockout_minutes, 1, 24 * 60))
        abort();
}

static bool all_zero(const hd_http_config *c)
{
    static const hd_http_config zero;
    return memcmp(c, &zero, sizeof(zero)) == 0;
}

static int parse(hd_http_config *cfg, const uint8_t *data, size_t size,
                 const char *path)
{
    hd_error err;
    int rc;

    memset(cfg, 0, sizeof(*cfg));
    hd_error_clear(&err);
    rc = hd_http_config_parse(cfg, (const char *)data, size, path, &err);
    if (rc == 0) {
        check_config(cfg, path);
        return 0;
    }
    if (!all_zero(cfg) || err.msg[0] == '\0')
        abort();
    if (rc == HD_ENOMEM)
        return rc;
    if (rc != HD_EDATA || strcmp(err.file, path) ||
        (err.field[0] == '\0' && err.line <= 0))
        abort();
    return rc;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    hd_http_config a, b;
    int ra, rb;

    ra = parse(&a, data, size, abs_path);
    rb = parse(&b, data, size, bare_path);
    if (ra != rb)
        abort();
    if (ra == 0) {
        /* The bare name leaves values as written: the same text the
         * absolute name prefixes with its folder, or keeps. */
        if (strcmp(a.region, b.region) || strcmp(a.listen, b.listen) ||
            a.threads != b.threads || a.max_body_bytes != b.max_body_bytes ||
            a.lockout_minutes != b.lockout_minutes)
            abort();
        if (b.db[0] != '/' && !hd_casestore_is_url(b.db) &&
            (strncmp(a.db, "/etc/hedui/", 11) || strcmp(a.db + 11, b.db)))
            abort();
        hd_http_config_release(&a);
        hd_http_config_release(&b);
        if (!all_zero(&a) || !all_zero(&b))
            abort();
    }
    return 0;
}
