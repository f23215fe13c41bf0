/*
 * The canonical JSON of RFC 8785: the examples of the RFC that hold no
 * floating point numbers, and what hedui refuses.
 */
#include "testutil.h"

#include "consent/consent_int.h"

#include <string.h>

/* Canonicalise `text` into a static buffer; fails the test on error. */
static const char *canon(const char *text, const char *skip)
{
    static char out[4096];
    json_error_t jerr;
    json_t *v = json_loads(text, JSON_REJECT_DUPLICATES, &jerr);
    hd_buf buf;
    hd_error err;
    int rc;

    if (!v)
        fail_msg("not JSON: %s", jerr.text);
    hd_buf_init(&buf, 0);
    hd_error_clear(&err);
    rc = hd__json_canonical(&buf, v, skip, &err);
    if (rc)
        fail_msg("canonical: %s", err.msg);
    assert_true(buf.len < sizeof(out));
    memcpy(out, buf.ptr, buf.len + 1);
    hd_buf_release(&buf);
    json_decref(v);
    return out;
}

static int canon_error(const char *text, hd_error *err)
{
    json_t *v = json_loads(text, 0, NULL);
    hd_buf buf;
    int rc;

    assert_non_null(v);
    hd_buf_init(&buf, 0);
    hd_error_clear(err);
    rc = hd__json_canonical(&buf, v, NULL, err);
    hd_buf_release(&buf);
    json_decref(v);
    return rc;
}

/* RFC 8785 section 3.2.3: members sorted by UTF-16 code units, where
 * U+1F600 (surrogates D83D DE00) sorts before U+FB33. */
static void rfc_sorting_example(void **state)
{
    (void)state;
    assert_string_equal(
        canon("{\"\\u20ac\": \"Euro Sign\", \"\\r\": \"Carriage Return\", "
              "\"\\ufb33\": \"Hebrew Letter Dalet With Dagesh\", "
              "\"1\": \"One\", \"\\ud83d\\ude00\": \"Emoji: Grinning Face\", "
              "\"\\u0080\": \"Control\", "
              "\"\\u00f6\": \"Latin Small Letter O With Diaeresis\"}",
              NULL),
        "{\"\\r\":\"Carriage Return\",\"1\":\"One\","
        "\"\xc2\x80\":\"Control\","
        "\"\xc3\xb6\":\"Latin Small Letter O With Diaeresis\","
        "\"\xe2\x82\xac\":\"Euro Sign\","
        "\"\xf0\x9f\x98\x80\":\"Emoji: Grinning Face\","
        "\"\xef\xac\xb3\":\"Hebrew Letter Dalet With Dagesh\"}");
}

/* RFC 8785 section 3.2.2, without its "numbers" member: string escapes
 * and literals. */
static void rfc_string_and_literals_example(void **state)
{
    (void)state;
    assert_string_equal(
        canon("{\n  \"string\": \"\\u20ac$\\u000F\\u000aA'\\u0042\\u0022"
              "\\u005c\\\\\\\"\\/\",\n  \"literals\": [null, true, false]\n}",
              NULL),
        "{\"literals\":[null,true,false],"
        "\"string\":\"\xe2\x82\xac$\\u000f\\nA'B\\\"\\\\\\\\\\\"/\"}");
}

static void control_characters_escape_as_jcs_says(void **state)
{
    (void)state;
    assert_string_equal(
        canon("[\"\\b\\f\\n\\r\\t\\u0001\\u001f\\u007f\"]", NULL),
        "[\"\\b\\f\\n\\r\\t\\u0001\\u001f\x7f\"]");
}

static void nested_objects_sort_and_whitespace_goes(void **state)
{
    (void)state;
    assert_string_equal(canon("{ \"b\" : [ 1 , { \"z\":0, \"a\" : -7 } ] ,"
                              " \"a\" : {} , \"aa\": [] }",
                              NULL),
                        "{\"a\":{},\"aa\":[],\"b\":[1,{\"a\":-7,\"z\":0}]}");
}

static void skip_leaves_out_a_top_level_member_only(void **state)
{
    (void)state;
    assert_string_equal(
        canon("{\"signature\":\"x\",\"a\":{\"signature\":1},\"b\":2}",
              "signature"),
        "{\"a\":{\"signature\":1},\"b\":2}");
}

static void many_members_sort_too(void **state)
{
    char text[2048], want[2048];
    size_t t = 0, w = 0;

    (void)state;
    /* More members than the stack array: keys k99 .. k00 in reverse. */
    t += (size_t)snprintf(text + t, sizeof(text) - t, "{");
    for (int i = 99; i >= 0; i -= 3)
        t += (size_t)snprintf(text + t, sizeof(text) - t, "%s\"k%02d\":%d",
                              i == 99 ? "" : ",", i, i);
    snprintf(text + t, sizeof(text) - t, "}");
    w += (size_t)snprintf(want + w, sizeof(want) - w, "{");
    for (int i = 0; i <= 99; i += 3)
        w += (size_t)snprintf(want + w, sizeof(want) - w, "%s\"k%02d\":%d",
                              i == 0 ? "" : ",", i, i);
    snprintf(want + w, sizeof(want) - w, "}");
    assert_string_equal(canon(text, NULL), want);
}

static void integers_are_plain_up_to_2_pow_53(void **state)
{
    hd_error err;

    (void)state;
    assert_string_equal(
        canon("[0,-0,9007199254740991,-9007199254740991]", NULL),
        "[0,0,9007199254740991,-9007199254740991]");
    assert_int_equal(canon_error("[9007199254740992]", &err), HD_EDATA);
    assert_int_equal(canon_error("{\"n\":1.5}", &err), HD_EDATA);
    assert_string_equal(err.field, "n");
    assert_int_equal(canon_error("[1e3]", &err), HD_EDATA);
}

static void utf16_order_differs_from_byte_order(void **state)
{
    (void)state;
    /* U+FB33 (EF AC B3) is after U+1F600 (F0 9F 98 80) in bytes, before
     * it in UTF-16 (FB33 < D83D is false: D83D < FB33). */
    assert_true(hd__utf16_cmp("\xef\xac\xb3", 3, "\xf0\x9f\x98\x80", 4) > 0);
    assert_true(hd__utf16_cmp("a", 1, "ab", 2) < 0);
    assert_int_equal(hd__utf16_cmp("ab", 2, "ab", 2), 0);
    assert_true(hd__utf16_cmp("\xc3\xb6", 2, "z", 1) > 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(rfc_sorting_example),
        cmocka_unit_test(rfc_string_and_literals_example),
        cmocka_unit_test(control_characters_escape_as_jcs_says),
        cmocka_unit_test(nested_objects_sort_and_whitespace_goes),
        cmocka_unit_test(skip_leaves_out_a_top_level_member_only),
        cmocka_unit_test(many_members_sort_too),
        cmocka_unit_test(integers_are_plain_up_to_2_pow_53),
        cmocka_unit_test(utf16_order_differs_from_byte_order),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
