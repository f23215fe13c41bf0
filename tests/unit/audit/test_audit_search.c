/*
 * Searching the audit trail on both backends: each filter alone and
 * together, newest first, offset and limit, the total, and filters
 * refused (a citizen ID where a person hash belongs, a bad limit).
 */
#include "testutil.h"

#include <hedui/audit.h>
#include <hedui/store.h>

#include <stdio.h>
#include <string.h>

static char dir[4096], db_path[4200];
static hd_casestore *cs;
static const uint8_t key[32] = {5};

#define P1 "11111111111111111111111111111111"
#define P2 "22222222222222222222222222222222"

static void add(int64_t at, const char *actor, const char *action,
                const char *case_no, const char *persons)
{
    hd_audit_entry e = {.at = at,
                        .actor = actor,
                        .action = action,
                        .case_no = case_no,
                        .persons = persons,
                        .feeds = "[]",
                        .authorizations = "[]",
                        .outcome = "ok"};
    assert_int_equal(hd_casestore_audit_add(cs, &e, NULL), 0);
}

static int setup(void **state)
{
    hd_error err;
    (void)state;

    snprintf(dir, sizeof(dir), "%s", tu_tempdir());
    tu_casestore_new(db_path, sizeof(db_path), dir);
    hd_error_clear(&err);
    if (hd_casestore_open(&cs, db_path, &err))
        fail_msg("open: %s", err.msg);
    hd_casestore_set_audit_key(cs, key);
    /* 2024-01-01 is day 19723: 1704067200 */
    add(1704067200, "wang", "verify", "C-1", "[\"" P1 "\",\"" P2 "\"]");
    add(1704067200 + 86400, "li", "report", "C-1", "[\"" P1 "\"]");
    add(1704067200 + 2 * 86400, "wang", "verify", "C-2", "[\"" P2 "\"]");
    add(1704067200 + 3 * 86400, "wang", "login", NULL, "[]");
    add(1704067200 + 4 * 86400, "li", "verify", "C-3", "[\"" P1 "\"]");
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    hd_casestore_free(cs);
    tu_casestore_drop(db_path);
    tu_rmtree(dir);
    return 0;
}

typedef struct seen {
    char text[256];
} seen;

/* The seqs found, in order, as "5,2,1". */
static int take(const hd_audit_row *row, void *payload)
{
    seen *s = payload;
    size_t n = strlen(s->text);
    snprintf(s->text + n, sizeof(s->text) - n, "%s%lld", n ? "," : "",
             (long long)row->seq);
    return 0;
}

static const char *search(const hd_audit_filter *f, int64_t offset,
                          int64_t limit, int64_t *total)
{
    static seen s;
    hd_error err;

    memset(&s, 0, sizeof(s));
    hd_error_clear(&err);
    if (hd_audit_search(cs, f, offset, limit, total, take, &s, &err))
        fail_msg("search: %s", err.msg);
    return s.text;
}

static void filters(void **state)
{
    int64_t total = -1;
    (void)state;

    assert_string_equal(search(NULL, 0, 10, &total), "5,4,3,2,1");
    assert_int_equal(total, 5);
    assert_string_equal(
        search(&(hd_audit_filter){.person_hash = P1}, 0, 10, &total), "5,2,1");
    assert_int_equal(total, 3);
    assert_string_equal(
        search(&(hd_audit_filter){.person_hash = P2}, 0, 10, &total), "3,1");
    assert_string_equal(
        search(&(hd_audit_filter){.actor = "wang"}, 0, 10, &total), "4,3,1");
    assert_string_equal(
        search(&(hd_audit_filter){.case_no = "C-1"}, 0, 10, &total), "2,1");
    assert_string_equal(
        search(&(hd_audit_filter){.action = "verify"}, 0, 10, &total), "5,3,1");
    /* 2024-01-02 to 2024-01-03, whole days */
    assert_string_equal(
        search(&(hd_audit_filter){.from = 1704153600, .to = 1704326399}, 0, 10,
               &total),
        "3,2");
    assert_string_equal(search(&(hd_audit_filter){.person_hash = P1,
                                                  .actor = "li",
                                                  .action = "verify"},
                               0, 10, &total),
                        "5");
    assert_int_equal(total, 1);
    assert_string_equal(
        search(&(hd_audit_filter){.actor = "nobody"}, 0, 10, &total), "");
    assert_int_equal(total, 0);
}

static void pages(void **state)
{
    int64_t total = -1;
    (void)state;

    assert_string_equal(search(NULL, 0, 2, &total), "5,4");
    assert_int_equal(total, 5);
    assert_string_equal(search(NULL, 2, 2, &total), "3,2");
    assert_string_equal(search(NULL, 4, 2, &total), "1");
    assert_string_equal(search(NULL, 9, 2, &total), "");
    assert_int_equal(total, 5);
}

static void refused(void **state)
{
    seen s = {{0}};
    hd_error err;
    (void)state;

    hd_error_clear(&err);
    /* a citizen ID is not a person hash: refused, not searched */
    assert_int_equal(
        hd_audit_search(cs,
                        &(hd_audit_filter){.person_hash = "11010519491231002X"},
                        0, 10, NULL, take, &s, &err),
        HD_EINVAL);
    assert_non_null(strstr(err.msg, "keyed hash"));
    assert_int_equal(
        hd_audit_search(cs, &(hd_audit_filter){.person_hash = "%" P1 "%"}, 0,
                        10, NULL, take, &s, NULL),
        HD_EINVAL);
    assert_int_equal(hd_audit_search(cs, NULL, 0, 0, NULL, take, &s, NULL),
                     HD_EINVAL);
    assert_int_equal(hd_audit_search(cs, NULL, 0, HD_AUDIT_SEARCH_MAX + 1, NULL,
                                     take, &s, NULL),
                     HD_EINVAL);
    assert_int_equal(hd_audit_search(cs, NULL, -1, 10, NULL, take, &s, NULL),
                     HD_EINVAL);
    assert_int_equal(hd_audit_search(cs, &(hd_audit_filter){.from = 5, .to = 4},
                                     0, 10, NULL, take, &s, NULL),
                     HD_EINVAL);
    assert_string_equal(s.text, "");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(filters, setup, teardown),
        cmocka_unit_test_setup_teardown(pages, setup, teardown),
        cmocka_unit_test_setup_teardown(refused, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
