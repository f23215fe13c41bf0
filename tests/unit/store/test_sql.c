/*
 * The portable SQL of the store's later areas (hd__sql): parameters by
 * number in any order, NULLs both ways, rows changed, stopping early,
 * long reads, and the errors; on either backend (testutil.h).
 */
#include "store_test.h"

#include "store/store_int.h"

static char dir[4096], db_path[4200];
static hd_casestore *cs;

static int setup(void **state)
{
    (void)state;
    cs = st_casestore_fresh(dir, sizeof(dir), db_path, sizeof(db_path));
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    st_casestore_gone(cs, dir, db_path);
    return 0;
}

typedef struct rows {
    int count, stop_at;
    char text[8][64];
} rows;

static int take(const char *const *cols, int ncols, void *payload)
{
    rows *r = payload;
    if (r->count < 8)
        snprintf(r->text[r->count], sizeof(r->text[0]), "%s|%s|%d",
                 cols[0] ? cols[0] : "(null)",
                 ncols > 1 && cols[1] ? cols[1] : "(null)", ncols);
    r->count++;
    return r->stop_at && r->count == r->stop_at ? 7 : 0;
}

static const char insert_sql[] =
    "INSERT INTO batch_job (username, region, state, created_at, total, "
    "done, message, dir) VALUES ($2, $1, 'queued', $3, $3, 0, $4, 'd')";
static const char list_sql[] =
    "SELECT username, message FROM batch_job WHERE region = $1 "
    "ORDER BY id";
static const char update_sql[] =
    "UPDATE batch_job SET done = done + $1 WHERE region = $2";

static void insert(const char *region, const char *user, int64_t n,
                   const char *message)
{
    hd_error err;
    int64_t changes = -1;
    hd_error_clear(&err);
    if (hd__sql(cs, NULL, NULL, &changes, &err, insert_sql, "ssis", region,
                user, n, message))
        fail_msg("insert: %s", err.msg);
    assert_int_equal(changes, 1);
}

static void params_in_any_order_and_nulls(void **state)
{
    rows r = {0};
    hd_error err;
    (void)state;
    hd_error_clear(&err);
    insert("330106", "alice", 5, "first");
    insert("330106", "bob", 7, NULL);
    insert("330102", "carol", 1, "other");
    assert_int_equal(hd__sql(cs, take, &r, NULL, &err, list_sql, "s", "330106"),
                     0);
    assert_int_equal(r.count, 2);
    assert_string_equal(r.text[0], "alice|first|2");
    assert_string_equal(r.text[1], "bob|(null)|2");
    assert_int_equal(tu_casestore_int(db_path, "SELECT total FROM batch_job "
                                               "WHERE username = 'bob'"),
                     7);
}

static void changes_and_stop(void **state)
{
    rows r = {.stop_at = 2};
    int64_t changes = 0;
    hd_error err;
    (void)state;
    hd_error_clear(&err);
    for (int i = 0; i < 5; i++)
        insert("330106", "u", i, "m");
    assert_int_equal(hd__sql(cs, NULL, NULL, &changes, &err, update_sql, "is",
                             (int64_t)2, "330106"),
                     0);
    assert_int_equal(changes, 5);
    assert_int_equal(hd__sql(cs, take, &r, NULL, &err, list_sql, "s", "330106"),
                     7);
    assert_int_equal(r.count, 2);
}

static void long_reads_inside_a_transaction(void **state)
{
    rows r = {0};
    hd_error err;
    (void)state;
    hd_error_clear(&err);
    assert_int_equal(hd_casestore_begin(cs, &err), 0);
    for (int i = 0; i < 25; i++)
        insert("330106", "u", i, "m");
    assert_int_equal(hd__sql_each(cs, take, &r, &err, list_sql, "s", "330106"),
                     0);
    assert_int_equal(r.count, 25);
    hd_casestore_rollback(cs);
    r.count = 0;
    assert_int_equal(hd__sql_each(cs, take, &r, &err, list_sql, "s", "330106"),
                     0);
    assert_int_equal(r.count, 0);
}

static void errors(void **state)
{
    static const char bad_sql[] = "SELECT something FROM no_such_table";
    static const char dup_sql[] =
        "INSERT INTO staff_user (username, display_name, role, region, "
        "password, generation, failed_logins, locked_until, created_at, "
        "updated_at) VALUES ($1, 'x', 'clerk', '330106', 'p', 1, 0, 0, 0, 0)";
    hd_error err;
    (void)state;
    hd_error_clear(&err);
    assert_int_equal(hd__sql(cs, NULL, NULL, NULL, &err, bad_sql, ""),
                     HD_ESTORE);
    if (!strstr(err.msg, "no_such_table"))
        fail_msg("message: %s", err.msg);
    assert_int_equal(hd__sql(cs, NULL, NULL, NULL, &err, dup_sql, "s", "a"), 0);
    assert_int_equal(hd__sql(cs, NULL, NULL, NULL, &err, dup_sql, "s", "a"),
                     HD_EEXISTS);
    assert_int_equal(hd__sql(cs, NULL, NULL, NULL, &err, dup_sql, "x", "a"),
                     HD_EINVAL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(params_in_any_order_and_nulls, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(changes_and_stop, setup, teardown),
        cmocka_unit_test_setup_teardown(long_reads_inside_a_transaction, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(errors, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
