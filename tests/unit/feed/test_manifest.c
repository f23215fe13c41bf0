/* manifest.json: every member and every rule of spec feeds.md, Delivery. */
#include "testutil.h"

#include <hedui/feed.h>

#include <stdio.h>
#include <string.h>

#define SHA_A "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"
#define SHA_B "E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855"
#define FILE_TAX                                                               \
    "{\"feed\": \"tax_income\", \"file\": \"tax_income.csv\", \"rows\": 3, "   \
    "\"sha256\": \"" SHA_A "\"}"

static char json[16384];

/* A manifest from its members' JSON texts; NULL leaves a member out. */
static const char *manifest(const char *standard, const char *department,
                            const char *delivery_id, const char *as_of,
                            const char *mode, const char *files)
{
    size_t used = 0;
    bool first = true;
    const char *names[] = {"standard", "department", "delivery_id",
                           "as_of",    "mode",       "files"};
    const char *values[] = {standard, department, delivery_id,
                            as_of,    mode,       files};

    json[used++] = '{';
    for (int i = 0; i < 6; i++) {
        int n;
        if (!values[i])
            continue;
        n = snprintf(json + used, sizeof(json) - used, "%s\"%s\": %s",
                     first ? "" : ", ", names[i], values[i]);
        assert_true(n > 0 && (size_t)n < sizeof(json) - used);
        used += (size_t)n;
        first = false;
    }
    assert_true(used + 2 < sizeof(json));
    json[used++] = '}';
    json[used] = '\0';
    return json;
}

/* A valid tax manifest with `files` replaced. */
static const char *tax_with_files(const char *files)
{
    return manifest("\"hedui-feeds/1\"", "\"tax\"", "\"tax-2026-11-01-0001\"",
                    "\"2026-11-01\"", "\"snapshot\"", files);
}

static void expect_reject(const char *text, hd_reject reason, const char *msg)
{
    hd_manifest m;
    hd_reject why = HD_REJECT_NONE;
    hd_error err;

    hd_error_clear(&err);
    if (hd_manifest_parse(&m, text, strlen(text), &why, &err) != HD_EDATA)
        fail_msg("accepted: %s", text);
    if (why != reason || !strstr(err.msg, msg))
        fail_msg("%s\ngot %s \"%s\", expected %s \"%s\"", text,
                 hd_reject_name(why), err.msg, hd_reject_name(reason), msg);
    assert_int_equal(err.code, HD_EDATA);
    assert_int_equal(m.file_count, 0);
}

static void valid_manifest(void **state)
{
    const char *text = manifest(
        "\"hedui-feeds/1\"", "\"hrss\"", "\"hrss-2026-11-01-0001\"",
        "\"2026-11-01\"", "\"delta\"",
        "[{\"feed\": \"social_insurance\", \"file\": \"si.csv\", \"rows\": "
        "1234567, \"sha256\": \"" SHA_A "\"},"
        " {\"feed\": \"unemployment\", \"file\": \"unemployment.csv\", "
        "\"rows\": 0, \"sha256\": \"" SHA_B "\", \"note\": \"extra\"}]");
    hd_manifest m;
    hd_reject why;
    hd_error err;
    (void)state;

    assert_int_equal(hd_manifest_parse(&m, text, strlen(text), &why, &err), 0);
    assert_int_equal(why, HD_REJECT_NONE);
    assert_string_equal(m.department, "hrss");
    assert_string_equal(m.delivery_id, "hrss-2026-11-01-0001");
    /* 2026-11-01: 20758 days after 1970-01-01. */
    assert_int_equal(m.as_of, 20758);
    assert_false(m.snapshot);
    assert_int_equal(m.file_count, 2);
    assert_ptr_equal(m.files[0].feed, hd_feed_find("social_insurance"));
    assert_string_equal(m.files[0].file, "si.csv");
    assert_int_equal(m.files[0].rows, 1234567);
    assert_string_equal(m.files[0].sha256, SHA_A);
    assert_ptr_equal(m.files[1].feed, hd_feed_find("unemployment"));
    assert_int_equal(m.files[1].rows, 0);
    /* Uppercase hex is accepted and kept lowercase. */
    assert_string_equal(m.files[1].sha256, "e3b0c44298fc1c149afbf4c8996fb924"
                                           "27ae41e4649b934ca495991b7852b855");

    text = tax_with_files("[" FILE_TAX "]");
    assert_int_equal(hd_manifest_parse(&m, text, strlen(text), NULL, NULL), 0);
    assert_true(m.snapshot);
    assert_string_equal(m.department, "tax");
}

static void not_a_manifest(void **state)
{
    (void)state;
    expect_reject("", HD_REJECT_MANIFEST, "not JSON");
    expect_reject("{\"standard\": ", HD_REJECT_MANIFEST, "not JSON");
    expect_reject("[1, 2]", HD_REJECT_MANIFEST, "not a JSON object");
    expect_reject("\"hedui-feeds/1\"", HD_REJECT_MANIFEST, "not JSON");
    /* A member given twice would mean two things. */
    expect_reject("{\"standard\": \"hedui-feeds/1\", \"standard\": "
                  "\"hedui-feeds/1\"}",
                  HD_REJECT_MANIFEST, "not JSON");
}

static void standard(void **state)
{
    (void)state;
    expect_reject(manifest(NULL, "\"tax\"", "\"d1\"", "\"2026-11-01\"",
                           "\"snapshot\"", "[" FILE_TAX "]"),
                  HD_REJECT_MANIFEST, "standard: missing or not a string");
    expect_reject(manifest("1", "\"tax\"", "\"d1\"", "\"2026-11-01\"",
                           "\"snapshot\"", "[" FILE_TAX "]"),
                  HD_REJECT_MANIFEST, "standard: missing or not a string");
    expect_reject(manifest("\"hedui-feeds/2\"", "\"tax\"", "\"d1\"",
                           "\"2026-11-01\"", "\"snapshot\"", "[" FILE_TAX "]"),
                  HD_REJECT_STANDARD,
                  "standard: \"hedui-feeds/2\" is not "
                  "hedui-feeds/1");
    /* The standard is judged first: a later version may differ in all. */
    expect_reject("{\"standard\": \"hedui-feeds/2\"}", HD_REJECT_STANDARD,
                  "standard:");
}

static void department(void **state)
{
    (void)state;
    expect_reject(manifest("\"hedui-feeds/1\"", NULL, "\"d1\"",
                           "\"2026-11-01\"", "\"snapshot\"", "[" FILE_TAX "]"),
                  HD_REJECT_MANIFEST, "department: missing or not a string");
    expect_reject(manifest("\"hedui-feeds/1\"", "\"police\"", "\"d1\"",
                           "\"2026-11-01\"", "\"snapshot\"", "[" FILE_TAX "]"),
                  HD_REJECT_DEPARTMENT,
                  "department: unknown department \"police\"");
    expect_reject(manifest("\"hedui-feeds/1\"", "\"Tax\"", "\"d1\"",
                           "\"2026-11-01\"", "\"snapshot\"", "[" FILE_TAX "]"),
                  HD_REJECT_DEPARTMENT, "department: unknown department");
    /* A feed another department delivers. */
    expect_reject(manifest("\"hedui-feeds/1\"", "\"hrss\"", "\"d1\"",
                           "\"2026-11-01\"", "\"snapshot\"", "[" FILE_TAX "]"),
                  HD_REJECT_DEPARTMENT,
                  "files[0].feed: tax_income is delivered by tax, not hrss");
}

static void delivery_id(void **state)
{
    char id[200];
    hd_manifest m;
    const char *text;
    (void)state;

    expect_reject(manifest("\"hedui-feeds/1\"", "\"tax\"", NULL,
                           "\"2026-11-01\"", "\"snapshot\"", "[" FILE_TAX "]"),
                  HD_REJECT_MANIFEST, "delivery_id: missing or not a string");
    static const char *const bad[] = {"\"\"",  "\"a/b\"",       "\"..\"",
                                      "\".\"", "\"a\\u0001b\"", "\"\\u4e2d\"",
                                      "7"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        expect_reject(manifest("\"hedui-feeds/1\"", "\"tax\"", bad[i],
                               "\"2026-11-01\"", "\"snapshot\"",
                               "[" FILE_TAX "]"),
                      HD_REJECT_MANIFEST, "delivery_id:");
    /* 127 characters fit, 128 do not. */
    id[0] = '"';
    memset(id + 1, 'd', 127);
    memcpy(id + 128, "\"", 2);
    text = manifest("\"hedui-feeds/1\"", "\"tax\"", id, "\"2026-11-01\"",
                    "\"snapshot\"", "[" FILE_TAX "]");
    assert_int_equal(hd_manifest_parse(&m, text, strlen(text), NULL, NULL), 0);
    assert_int_equal(strlen(m.delivery_id), 127);
    memset(id + 1, 'd', 128);
    memcpy(id + 129, "\"", 2);
    expect_reject(manifest("\"hedui-feeds/1\"", "\"tax\"", id, "\"2026-11-01\"",
                           "\"snapshot\"", "[" FILE_TAX "]"),
                  HD_REJECT_MANIFEST, "delivery_id: not 1 to 127 printable");
}

static void as_of_and_mode(void **state)
{
    (void)state;
    expect_reject(manifest("\"hedui-feeds/1\"", "\"tax\"", "\"d1\"", NULL,
                           "\"snapshot\"", "[" FILE_TAX "]"),
                  HD_REJECT_MANIFEST, "as_of: missing or not a string");
    expect_reject(manifest("\"hedui-feeds/1\"", "\"tax\"", "\"d1\"",
                           "\"2026-02-29\"", "\"snapshot\"", "[" FILE_TAX "]"),
                  HD_REJECT_MANIFEST, "as_of: not a calendar date");
    expect_reject(manifest("\"hedui-feeds/1\"", "\"tax\"", "\"d1\"",
                           "\"2026-11\"", "\"snapshot\"", "[" FILE_TAX "]"),
                  HD_REJECT_MANIFEST, "as_of:");
    expect_reject(manifest("\"hedui-feeds/1\"", "\"tax\"", "\"d1\"",
                           "\"2026-11-01\"", NULL, "[" FILE_TAX "]"),
                  HD_REJECT_MANIFEST, "mode: missing or not a string");
    expect_reject(manifest("\"hedui-feeds/1\"", "\"tax\"", "\"d1\"",
                           "\"2026-11-01\"", "\"full\"", "[" FILE_TAX "]"),
                  HD_REJECT_MANIFEST, "mode: not snapshot or delta");
    expect_reject(manifest("\"hedui-feeds/1\"", "\"tax\"", "\"d1\"",
                           "\"2026-11-01\"", "\"Snapshot\"", "[" FILE_TAX "]"),
                  HD_REJECT_MANIFEST, "mode:");
}

static void files_list(void **state)
{
    char many[4096] = "[";
    (void)state;

    expect_reject(tax_with_files(NULL), HD_REJECT_MANIFEST,
                  "files: missing or not an array");
    expect_reject(tax_with_files("{}"), HD_REJECT_MANIFEST,
                  "files: missing or not an array");
    expect_reject(tax_with_files("[]"), HD_REJECT_MANIFEST, "files: empty");
    for (int i = 0; i < HD_MANIFEST_MAX_FILES + 1; i++) {
        size_t used = strlen(many);
        snprintf(many + used, sizeof(many) - used, "%s" FILE_TAX, i ? "," : "");
    }
    snprintf(many + strlen(many), sizeof(many) - strlen(many), "]");
    expect_reject(tax_with_files(many), HD_REJECT_MANIFEST,
                  "files: more than 16 files");
    expect_reject(tax_with_files("[" FILE_TAX ", 3]"), HD_REJECT_MANIFEST,
                  "files[1]: not an object");
}

static void file_entries(void **state)
{
    (void)state;
    expect_reject(tax_with_files("[{\"file\": \"t.csv\", \"rows\": 1, "
                                 "\"sha256\": \"" SHA_A "\"}]"),
                  HD_REJECT_MANIFEST, "files[0].feed: missing or not a string");
    expect_reject(tax_with_files("[{\"feed\": \"salary\", \"file\": \"t.csv\", "
                                 "\"rows\": 1, \"sha256\": \"" SHA_A "\"}]"),
                  HD_REJECT_UNKNOWN_FEED,
                  "files[0].feed: unknown feed \"salary\"");
    expect_reject(tax_with_files("[" FILE_TAX ", " FILE_TAX "]"),
                  HD_REJECT_MANIFEST, "files[1].feed: tax_income listed twice");

    static const char *const bad_names[] = {"\"\"",           "\".\"",
                                            "\"..\"",         "\"../tax.csv\"",
                                            "\"a/b.csv\"",    "\"/etc/passwd\"",
                                            "\"a\\\\b.csv\"", "\"a\\nb.csv\"",
                                            "\"a\\u007fb\"",  "null"};
    for (size_t i = 0; i < sizeof(bad_names) / sizeof(bad_names[0]); i++) {
        char files[512];
        snprintf(files, sizeof(files),
                 "[{\"feed\": \"tax_income\", \"file\": %s, \"rows\": 1, "
                 "\"sha256\": \"" SHA_A "\"}]",
                 bad_names[i]);
        expect_reject(tax_with_files(files), HD_REJECT_MANIFEST,
                      "files[0].file:");
    }

    static const char *const bad_rows[] = {"-1", "1.5", "\"3\"", "null",
                                           "true"};
    for (size_t i = 0; i < sizeof(bad_rows) / sizeof(bad_rows[0]); i++) {
        char files[512];
        snprintf(files, sizeof(files),
                 "[{\"feed\": \"tax_income\", \"file\": \"t.csv\", \"rows\": "
                 "%s, \"sha256\": \"" SHA_A "\"}]",
                 bad_rows[i]);
        expect_reject(tax_with_files(files), HD_REJECT_MANIFEST,
                      "files[0].rows: not an integer of 0 or more");
    }

    static const char *const bad_sha[] = {
        /* 63 digits, 65 digits, a 'g', a space */
        "\"9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a0\"",
        "\"9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a080\"",
        "\"9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a0g\"",
        "\"9f86d081884c7d659a2feaa0c55ad015 3bf4f1b2b0b822cd15d6c15b0f00a08\""};
    for (size_t i = 0; i < sizeof(bad_sha) / sizeof(bad_sha[0]); i++) {
        char files[512];
        snprintf(files, sizeof(files),
                 "[{\"feed\": \"tax_income\", \"file\": \"t.csv\", \"rows\": "
                 "1, \"sha256\": %s}]",
                 bad_sha[i]);
        expect_reject(tax_with_files(files), HD_REJECT_MANIFEST,
                      "files[0].sha256: not 64 hex digits");
    }
    expect_reject(tax_with_files("[{\"feed\": \"tax_income\", \"file\": "
                                 "\"t.csv\", \"rows\": 1}]"),
                  HD_REJECT_MANIFEST,
                  "files[0].sha256: missing or not a string");
}

/* Files must be distinct too; the hrss department delivers two feeds. */
static void file_names_are_distinct(void **state)
{
    (void)state;
    expect_reject(
        manifest("\"hedui-feeds/1\"", "\"hrss\"", "\"d1\"", "\"2026-11-01\"",
                 "\"delta\"",
                 "[{\"feed\": \"social_insurance\", \"file\": \"x.csv\", "
                 "\"rows\": 1, \"sha256\": \"" SHA_A "\"},"
                 " {\"feed\": \"unemployment\", \"file\": \"x.csv\", "
                 "\"rows\": 1, \"sha256\": \"" SHA_A "\"}]"),
        HD_REJECT_MANIFEST, "files[1].file: x.csv listed twice");
    expect_reject(
        manifest("\"hedui-feeds/1\"", "\"hrss\"", "\"d1\"", "\"2026-11-01\"",
                 "\"delta\"",
                 "[{\"feed\": \"social_insurance\", \"file\": \"x.csv\", "
                 "\"rows\": 1, \"sha256\": \"" SHA_A "\"},"
                 " {\"feed\": \"unemployment\", \"file\": \"y.csv\", "
                 "\"rows\": 1, \"sha256\": \"abc\"}]"),
        HD_REJECT_MANIFEST, "files[1].sha256: not 64 hex digits");
}

static void read_from_a_delivery_folder(void **state)
{
    const char *dir = tu_tempdir();
    hd_manifest m;
    hd_reject why;
    hd_error err;
    (void)state;

    hd_error_clear(&err);
    assert_int_equal(hd_manifest_read(&m, dir, &why, &err), HD_EDATA);
    assert_int_equal(why, HD_REJECT_MANIFEST);
    assert_non_null(strstr(err.msg, "cannot open manifest.json"));
    assert_non_null(strstr(err.file, "manifest.json"));

    tu_write_file(dir, "manifest.json", tax_with_files("[" FILE_TAX "]"));
    assert_int_equal(hd_manifest_read(&m, dir, &why, &err), 0);
    assert_int_equal(why, HD_REJECT_NONE);
    assert_string_equal(m.files[0].file, "tax_income.csv");

    tu_write_file(dir, "manifest.json", "{");
    assert_int_equal(hd_manifest_read(&m, dir, &why, &err), HD_EDATA);
    assert_int_equal(why, HD_REJECT_MANIFEST);
    tu_rmtree(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(valid_manifest),
        cmocka_unit_test(not_a_manifest),
        cmocka_unit_test(standard),
        cmocka_unit_test(department),
        cmocka_unit_test(delivery_id),
        cmocka_unit_test(as_of_and_mode),
        cmocka_unit_test(files_list),
        cmocka_unit_test(file_entries),
        cmocka_unit_test(file_names_are_distinct),
        cmocka_unit_test(read_from_a_delivery_folder),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
