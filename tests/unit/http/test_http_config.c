/* The service's configuration file: defaults, paths, and errors that
 * name the file, the line and the key. */
#include "testutil.h"

#include <hedui/http.h>

#include <string.h>

static int parse(hd_http_config *cfg, const char *text, hd_error *err)
{
    return hd_http_config_parse(cfg, text, strlen(text),
                                "/etc/hedui/serve.json", err);
}

static void defaults_and_relative_paths(void **state)
{
    hd_http_config cfg;
    hd_error err;
    (void)state;

    assert_int_equal(parse(&cfg,
                           "{\"db\": \"data/case.db\",\n"
                           " \"region\": \"330106\"}",
                           &err),
                     0);
    assert_string_equal(cfg.listen, "127.0.0.1:8080");
    assert_string_equal(cfg.db, "/etc/hedui/data/case.db");
    assert_string_equal(cfg.feeds, "/etc/hedui/data/case.db.feeds");
    assert_string_equal(cfg.key, "/etc/hedui/data/case.db.key");
    assert_string_equal(cfg.access_log, "-");
    assert_null(cfg.web_root);
    assert_null(cfg.port_file);
    assert_int_equal(cfg.threads, 4);
    assert_int_equal(cfg.max_connections, 256);
    assert_int_equal(cfg.max_body_bytes, 1048576);
    assert_int_equal(cfg.max_header_bytes, 16384);
    assert_int_equal(cfg.request_timeout_s, 30);
    assert_int_equal(cfg.session_idle_minutes, 30);
    assert_int_equal(cfg.session_absolute_hours, 12);
    assert_int_equal(cfg.lockout_failures, 5);
    assert_int_equal(cfg.lockout_minutes, 15);
    hd_http_config_release(&cfg);
}

static void every_key_is_read(void **state)
{
    hd_http_config cfg;
    hd_error err;
    (void)state;

    assert_int_equal(
        parse(&cfg,
              "{\"listen\": \"[::1]:0\", \"port_file\": \"/run/p\",\n"
              " \"db\": \"postgresql://h/db?sslmode=require\",\n"
              " \"feeds\": \"/srv/feeds\", \"key\": \"node.key\",\n"
              " \"web_root\": \"/srv/web\", \"access_log\": \"/var/log/a\",\n"
              " \"threads\": 8, \"max_connections\": 100,\n"
              " \"max_body_bytes\": 2048, \"max_header_bytes\": 8192,\n"
              " \"request_timeout_s\": 5, \"session_idle_minutes\": 10,\n"
              " \"session_absolute_hours\": 8, \"lockout_failures\": 3,\n"
              " \"lockout_minutes\": 60, \"region\": \"330100\"}",
              &err),
        0);
    assert_string_equal(cfg.listen, "[::1]:0");
    assert_string_equal(cfg.db, "postgresql://h/db?sslmode=require");
    assert_string_equal(cfg.key, "/etc/hedui/node.key");
    assert_string_equal(cfg.region, "330100");
    assert_int_equal(cfg.threads, 8);
    assert_int_equal(cfg.max_body_bytes, 2048);
    assert_int_equal(cfg.lockout_minutes, 60);
    hd_http_config_release(&cfg);
}

static void expect_error(const char *text, int64_t line, const char *field,
                         const char *words)
{
    hd_http_config cfg;
    hd_error err;
    char msg[1024];
    int rc = parse(&cfg, text, &err);

    hd_error_format(&err, msg, sizeof(msg));
    if (rc != HD_EDATA)
        fail_msg("accepted: %s", text);
    assert_string_equal(err.file, "/etc/hedui/serve.json");
    if (err.line != line || strcmp(err.field, field) || !strstr(msg, words))
        fail_msg("got '%s', expected line %lld, field %s, '%s'", msg,
                 (long long)line, field, words);
}

static void errors_name_file_line_and_key(void **state)
{
    (void)state;
    expect_error("{\"db\": \"x.db\",\n \"region\": \"330106\",\n"
                 " \"thraeds\": 4}",
                 3, "thraeds", "unknown key");
    expect_error("{\"db\": \"x.db\", \"region\": \"330106\",\n\n"
                 " \"threads\": \"4\"}",
                 3, "threads", "must be an integer");
    expect_error("{\"db\": \"x.db\",\n \"region\": 330106}", 2, "region",
                 "must be a string");
    expect_error("{\"db\": \"x.db\", \"region\": \"330106\",\n"
                 " \"threads\": 0}",
                 2, "threads", "from 1 to 256");
    expect_error("{\"db\": \"x.db\", \"region\": \"330106\",\n"
                 " \"max_body_bytes\": 10}",
                 2, "max_body_bytes", "from 1024");
    expect_error("{\"region\": \"330106\"}", 0, "db", "required");
    expect_error("{\"db\": \"x.db\"}", 0, "region", "required");
    expect_error("{\"db\": \"x.db\",\n \"region\": \"999999\"}", 2, "region",
                 "division code");
    expect_error("{\"db\": \"x.db\", \"region\": \"330106\",\n"
                 " \"listen\": \"localhost:80\"}",
                 2, "listen", "IP address");
    expect_error("{\"db\": \"x.db\", \"region\": \"330106\",\n"
                 " \"listen\": \"127.0.0.1:70000\"}",
                 2, "listen", "port");
    expect_error("{\"db\": \"postgresql://h/db\",\n \"region\": \"330106\"}", 0,
                 "feeds", "PostgreSQL");
    /* Nested values do not hide keys, and a string value that looks like
     * a key is not one. */
    expect_error("{\"db\": \"thraeds\", \"region\": \"330106\",\n"
                 " \"web_root\": {\"thraeds\": 1},\n \"thraeds\": 2}",
                 2, "web_root", "must be a string");
}

static void malformed_json_is_located(void **state)
{
    hd_http_config cfg;
    hd_error err;
    (void)state;

    assert_int_equal(parse(&cfg, "{\"db\": \"x.db\",\n \"region\": }", &err),
                     HD_EDATA);
    assert_int_equal(err.line, 2);
    assert_true(err.column > 0);
    assert_non_null(strstr(err.msg, "invalid JSON"));
    assert_int_equal(parse(&cfg,
                           "{\"db\": \"x.db\", \"region\": \"330106\",\n"
                           " \"db\": \"y.db\"}",
                           &err),
                     HD_EDATA);
    assert_non_null(strstr(err.msg, "duplicate"));
    assert_int_equal(parse(&cfg, "[]", &err), HD_EDATA);
}

static void load_reads_a_file(void **state)
{
    const char *dir = tu_tempdir();
    const char *path = tu_write_file(dir, "serve.json",
                                     "{\"db\": \"case.db\", \"region\": "
                                     "\"330106\", \"web_root\": \"web\"}\n");
    hd_http_config cfg;
    hd_error err;
    char want[4096];
    (void)state;

    assert_int_equal(hd_http_config_load(&cfg, path, &err), 0);
    snprintf(want, sizeof(want), "%s/web", dir);
    assert_string_equal(cfg.web_root, want);
    hd_http_config_release(&cfg);
    assert_int_equal(hd_http_config_load(&cfg, "/nonexistent/x.json", &err),
                     HD_EIO);
    tu_rmtree(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(defaults_and_relative_paths),
        cmocka_unit_test(every_key_is_read),
        cmocka_unit_test(errors_name_file_line_and_key),
        cmocka_unit_test(malformed_json_is_located),
        cmocka_unit_test(load_reads_a_file),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
