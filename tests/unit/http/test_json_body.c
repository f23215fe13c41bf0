/* JSON input and query parameters: what a handler accepts and what it
 * refuses, with the field named. */
#include "testutil.h"

#include <hedui/http.h>

#include <string.h>

static const hd_http_field spec[] = {
    {"case_no", HD_HTTP_STRING, HD_HTTP_REQUIRED, 32},
    {"name", HD_HTTP_STRING, 0, 4},
    {"reason", HD_HTTP_STRING, HD_HTTP_MULTILINE | HD_HTTP_NULLABLE, 0},
    {"members", HD_HTTP_INT, 0, 0},
    {"urgent", HD_HTTP_BOOL, 0, 0},
    {"persons", HD_HTTP_ARRAY, 0, 2},
    {"extra", HD_HTTP_OBJECT, 0, 0},
};
#define SPEC_COUNT (sizeof(spec) / sizeof(spec[0]))

/* Parse `text`: the code, and err's field and message. */
static int parse(const char *text, hd_error *err)
{
    json_t *obj = NULL;
    int rc =
        hd_http_json_parse(&obj, text, strlen(text), spec, SPEC_COUNT, err);
    if (rc == 0)
        assert_non_null(obj);
    else
        assert_null(obj);
    json_decref(obj);
    return rc;
}

static void expect_refused(const char *text, const char *field,
                           const char *words)
{
    hd_error err;
    int rc = parse(text, &err);
    if (rc != HD_EDATA)
        fail_msg("%s: accepted (rc %d)", text, rc);
    if (strcmp(err.field, field))
        fail_msg("%s: field '%s', expected '%s'", text, err.field, field);
    if (!strstr(err.msg, words))
        fail_msg("%s: message '%s' lacks '%s'", text, err.msg, words);
}

static void good_bodies_are_accepted(void **state)
{
    hd_error err;
    (void)state;
    assert_int_equal(parse("{\"case_no\":\"C1\"}", &err), 0);
    assert_int_equal(
        parse("{\"case_no\":\"C1\",\"name\":\"张三丰\",\"reason\":\"第一行\\n"
              "第二行\\t完\",\"members\":3,\"urgent\":false,\"persons\":"
              "[\"a\",\"b\"],\"extra\":{\"k\":[1,2]}}",
              &err),
        0);
    /* Null for a NULLABLE field counts as absent. */
    assert_int_equal(parse("{\"case_no\":\"C1\",\"reason\":null}", &err), 0);
    /* Exactly at the limit, counted in characters, not bytes. */
    assert_int_equal(parse("{\"case_no\":\"C1\",\"name\":\"四个汉字\"}", &err),
                     0);
}

static void bad_json_is_refused(void **state)
{
    (void)state;
    expect_refused("{\"case_no\":\"C1\"", "", "malformed JSON");
    expect_refused("", "", "malformed JSON");
    expect_refused("{\"case_no\":\"C1\",\"case_no\":\"C2\"}", "", "duplicate");
    expect_refused("[\"case_no\"]", "", "must be a JSON object");
    expect_refused("\"C1\"", "", "malformed JSON");
    /* Invalid UTF-8, a lone surrogate, NUL: refused by the parser. */
    expect_refused("{\"case_no\":\"\xff\"}", "", "malformed JSON");
    expect_refused("{\"case_no\":\"\\ud800\"}", "", "malformed JSON");
    expect_refused("{\"case_no\":\"a\\u0000b\"}", "", "malformed JSON");
    /* Integers past 64 bits. */
    expect_refused("{\"case_no\":\"C1\",\"members\":99999999999999999999}", "",
                   "malformed JSON");
}

static void fields_are_checked(void **state)
{
    (void)state;
    expect_refused("{\"case_no\":\"C1\",\"nmae\":\"x\"}", "nmae",
                   "unknown field");
    expect_refused("{}", "case_no", "required");
    expect_refused("{\"case_no\":null}", "case_no", "required");
    expect_refused("{\"case_no\":7}", "case_no", "must be a string");
    expect_refused("{\"case_no\":\"C1\",\"members\":\"3\"}", "members",
                   "must be an integer");
    expect_refused("{\"case_no\":\"C1\",\"members\":3.0}", "members",
                   "must be an integer");
    expect_refused("{\"case_no\":\"C1\",\"urgent\":1}", "urgent",
                   "true or false");
    expect_refused("{\"case_no\":\"C1\",\"persons\":{}}", "persons",
                   "must be an array");
    expect_refused("{\"case_no\":\"C1\",\"extra\":[]}", "extra",
                   "must be an object");
    expect_refused("{\"case_no\":\"C1\",\"name\":null}", "name",
                   "must be a string");
    expect_refused("{\"case_no\":\"C1\",\"name\":\"五个汉字啊\"}", "name",
                   "at most 4 characters");
    expect_refused("{\"case_no\":\"C1\",\"persons\":[1,2,3]}", "persons",
                   "at most 2 items");
}

static void control_characters_are_refused(void **state)
{
    (void)state;
    expect_refused("{\"case_no\":\"C\\n1\"}", "case_no", "control");
    expect_refused("{\"case_no\":\"C\\t1\"}", "case_no", "control");
    expect_refused("{\"case_no\":\"C\\u001b[31m\"}", "case_no", "control");
    expect_refused("{\"case_no\":\"C\\u007f\"}", "case_no", "control");
    expect_refused("{\"case_no\":\"C\\u0085\"}", "case_no", "control");
    /* Multiline text takes line ends and tabs, not other controls. */
    expect_refused("{\"case_no\":\"C1\",\"reason\":\"a\\u0007\"}", "reason",
                   "control");
    /* Nested strings are checked too, keys included. */
    expect_refused("{\"case_no\":\"C1\",\"persons\":[\"a\\u0000\"]}", "",
                   "malformed JSON");
    expect_refused("{\"case_no\":\"C1\",\"persons\":[\"a\\r\"]}", "persons",
                   "control");
    expect_refused("{\"case_no\":\"C1\",\"extra\":{\"k\\n\":1}}", "extra",
                   "control");
}

static void query_integers_are_range_checked(void **state)
{
    hd_http_req req;
    hd_http_page page;
    int64_t v;
    (void)state;

    memset(&req, 0, sizeof(req));
    req.query[0] = (hd_http_param){"page", "3"};
    req.query[1] = (hd_http_param){"page_size", "50"};
    req.query_count = 2;
    assert_int_equal(hd_http_query_page(&page, &req), 0);
    assert_int_equal(page.page, 3);
    assert_int_equal(page.page_size, 50);
    assert_int_equal(page.offset, 100);

    req.query_count = 0;
    assert_int_equal(hd_http_query_page(&page, &req), 0);
    assert_int_equal(page.page, 1);
    assert_int_equal(page.page_size, HD_HTTP_PAGE_SIZE_DEFAULT);
    assert_int_equal(page.offset, 0);

    static const char *const bad[] = {
        "0",  "-1", "abc", "1.5", " 2",
        "+2", "02", "",    "1e3", "99999999999999999999"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        req.query[0] = (hd_http_param){"page", bad[i]};
        req.query_count = 1;
        if (hd_http_query_page(&page, &req) != HD_EDATA)
            fail_msg("page=%s accepted", bad[i]);
        assert_string_equal(req.err.field, "page");
    }
    req.query[0] = (hd_http_param){"page_size", "201"};
    assert_int_equal(hd_http_query_page(&page, &req), HD_EDATA);
    assert_string_equal(req.err.field, "page_size");

    req.query[0] = (hd_http_param){"year", "-5"};
    assert_int_equal(hd_http_query_int(&v, &req, "year", 0, -10, 10), 0);
    assert_int_equal(v, -5);
    assert_int_equal(hd_http_query_int(&v, &req, "month", 7, 1, 12), 0);
    assert_int_equal(v, 7);
}

static void query_text_and_unknown_parameters(void **state)
{
    static const char *const known[] = {"page", "status"};
    hd_http_req req;
    const char *s;
    (void)state;

    memset(&req, 0, sizeof(req));
    req.query[0] = (hd_http_param){"status", "已登记"};
    req.query_count = 1;
    assert_int_equal(hd_http_query_only(&req, known, 2), 0);
    assert_int_equal(hd_http_query_text(&s, &req, "status", 3), 0);
    assert_string_equal(s, "已登记");
    assert_int_equal(hd_http_query_text(&s, &req, "status", 2), HD_EDATA);
    assert_int_equal(hd_http_query_text(&s, &req, "other", 2), 0);
    assert_null(s);

    req.query[0] = (hd_http_param){"status", "a\x01"};
    assert_int_equal(hd_http_query_text(&s, &req, "status", 0), HD_EDATA);
    req.query[0] = (hd_http_param){"status", "\xc3"};
    assert_int_equal(hd_http_query_text(&s, &req, "status", 0), HD_EDATA);

    req.query[1] = (hd_http_param){"pid", "330106199001011234"};
    req.query_count = 2;
    assert_int_equal(hd_http_query_only(&req, known, 2), HD_EDATA);
    assert_string_equal(req.err.field, "pid");
}

static void codes_map_to_statuses(void **state)
{
    const char *code;
    (void)state;
    assert_int_equal(hd_http_status_of(HD_EDATA, &code), 400);
    assert_string_equal(code, "bad_request");
    assert_int_equal(hd_http_status_of(HD_ENOTFOUND, &code), 404);
    assert_int_equal(hd_http_status_of(HD_ECONFLICT, &code), 409);
    assert_string_equal(code, "conflict");
    assert_int_equal(hd_http_status_of(HD_ELIMIT, &code), 413);
    assert_int_equal(hd_http_status_of(HD_ESTORE, &code), 500);
    assert_string_equal(code, "internal_error");
    assert_int_equal(hd_http_status_of(HD_ENOMEM, NULL), 500);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(good_bodies_are_accepted),
        cmocka_unit_test(bad_json_is_refused),
        cmocka_unit_test(fields_are_checked),
        cmocka_unit_test(control_characters_are_refused),
        cmocka_unit_test(query_integers_are_range_checked),
        cmocka_unit_test(query_text_and_unknown_parameters),
        cmocka_unit_test(codes_map_to_statuses),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
