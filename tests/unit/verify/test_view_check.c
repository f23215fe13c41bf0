/*
 * The feed store must hold what a verification reads (docs/deploy.md):
 * hd_verify_env_prepare refuses a feed store that lacks a delivery the
 * case store has accepted (a front-end's copy not yet refreshed), and the
 * replay of a view beyond the deliveries it holds.
 */
#include "testutil.h"

#include <hedui/verify.h>

#include <stdio.h>
#include <string.h>

static char dir[4096];
static hd_feedstore *fs;
static hd_casestore *cs;
static const hd_feed *tax, *hukou;

static char location[4200];

/* A fresh feed store and case store (SQLite, or PostgreSQL when the test
 * runs as @postgresql) for each test. */
static int setup(void **state)
{
    char path[4200];
    hd_error err;
    (void)state;
    tax = hd_feed_find("tax_income");
    hukou = hd_feed_find("hukou");
    snprintf(dir, sizeof(dir), "%s", tu_tempdir());
    snprintf(path, sizeof(path), "%s/feeds", dir);
    assert_int_equal(hd_feedstore_open(&fs, path, NULL), 0);
    tu_casestore_new(location, sizeof(location), dir);
    hd_error_clear(&err);
    if (hd_casestore_open(&cs, location, &err))
        fail_msg("case store: %s", err.msg);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    hd_feedstore_free(fs);
    hd_casestore_free(cs);
    tu_casestore_drop(location);
    tu_rmtree(dir);
    return 0;
}

/* A delivery of one feed, no rows, in the feed store: returns its seq. */
static uint32_t load(const char *id, const hd_feed *feed)
{
    hd_fs_delivery d;
    hd_fs_load *ld = NULL;
    uint32_t seq = 0;

    memset(&d, 0, sizeof(d));
    snprintf(d.delivery_id, sizeof(d.delivery_id), "%s", id);
    snprintf(d.department, sizeof(d.department), "%s", feed->department);
    d.as_of = 20000;
    d.snapshot = true;
    d.loaded_at = 1790000000;
    d.feed_mask = UINT32_C(1) << feed->id;
    assert_int_equal(hd_fs_load_begin(&ld, fs, &d, 0, dir, NULL), 0);
    assert_int_equal(hd_fs_load_commit(ld, NULL, 0, &seq, NULL, NULL), 0);
    return seq;
}

/* The case store's record of an accepted delivery. */
static void log_accepted(const char *id, const hd_feed *feed, uint32_t seq)
{
    static hd_ingest_log log;

    memset(&log, 0, sizeof(log));
    snprintf(log.delivery_id, sizeof(log.delivery_id), "%s", id);
    snprintf(log.department, sizeof(log.department), "%s", feed->department);
    snprintf(log.path, sizeof(log.path), "deliveries/%s", id);
    log.as_of = 20000;
    log.snapshot = true;
    log.accepted = true;
    log.seq = seq;
    log.loaded_at = 1790000000;
    log.feed_count = 1;
    log.feeds[0].feed = feed;
    assert_int_equal(hd_casestore_begin(cs, NULL), 0);
    assert_int_equal(hd_casestore_log_ingest(cs, &log, NULL), 0);
    assert_int_equal(hd_casestore_commit(cs, NULL), 0);
}

static int prepare(hd_verify_env *env, uint32_t view_seq, hd_error *err)
{
    memset(env, 0, sizeof(*env));
    env->fs = fs;
    env->cs = cs;
    env->view_seq = view_seq;
    hd_error_clear(err);
    return hd_verify_env_prepare(env, err);
}

static void a_feed_store_as_far_as_the_case_store_is_used(void **state)
{
    hd_verify_env env;
    hd_error err;
    (void)state;

    assert_int_equal(prepare(&env, 0, &err), 0);
    assert_int_equal(env.max_seq, 0);
    log_accepted("tax-1", tax, load("tax-1", tax));
    log_accepted("hukou-1", hukou, load("hukou-1", hukou));
    assert_int_equal(prepare(&env, 0, &err), 0);
    assert_int_equal(env.max_seq, 2);
    assert_string_equal(env.feeds[tax->id].delivery_id, "tax-1");
}

/* The ingest host commits the feed store first: it may be ahead of the
 * case store for a moment, which is no reason to refuse. */
static void a_feed_store_ahead_is_used(void **state)
{
    hd_verify_env env;
    hd_error err;
    (void)state;

    log_accepted("tax-1", tax, load("tax-1", tax));
    load("hukou-1", hukou);
    assert_int_equal(prepare(&env, 0, &err), 0);
    assert_int_equal(env.max_seq, 2);
}

static void a_feed_store_behind_is_refused(void **state)
{
    hd_verify_env env;
    hd_error err;
    (void)state;

    log_accepted("tax-1", tax, load("tax-1", tax));
    log_accepted("hukou-1", hukou, load("hukou-1", hukou));
    /* Accepted on the ingest host, not yet installed here. */
    log_accepted("tax-2", tax, 3);
    log_accepted("hukou-2", hukou, 4);
    assert_int_equal(prepare(&env, 0, &err), HD_ENOTFOUND);
    assert_non_null(strstr(err.msg, "behind the case store"));
    assert_non_null(strstr(err.msg, "up to seq 2,"));
    assert_non_null(strstr(err.msg, "up to seq 4;"));
    assert_non_null(strstr(err.msg, "hedui feeds install"));
    /* Once installed, it is used. */
    load("tax-2", tax);
    load("hukou-2", hukou);
    assert_int_equal(prepare(&env, 0, &err), 0);
    assert_int_equal(env.max_seq, 4);
}

/* The same number of deliveries, not the same ones: another node's copy. */
static void a_feed_store_of_other_deliveries_is_refused(void **state)
{
    hd_verify_env env;
    hd_error err;
    (void)state;

    load("tax-1", tax);
    log_accepted("tax-9", tax, 1);
    assert_int_equal(prepare(&env, 0, &err), HD_ENOTFOUND);
    assert_non_null(strstr(err.msg, "does not match"));
    assert_non_null(strstr(err.msg, "tax-9 (seq 1)"));
}

static void a_replay_beyond_the_feed_store_is_refused(void **state)
{
    hd_verify_env env;
    hd_error err;
    (void)state;

    log_accepted("tax-1", tax, load("tax-1", tax));
    log_accepted("hukou-1", hukou, load("hukou-1", hukou));
    assert_int_equal(prepare(&env, 1, &err), 0);
    assert_int_equal(env.max_seq, 1);
    assert_int_equal(prepare(&env, 2, &err), 0);
    assert_int_equal(prepare(&env, 3, &err), HD_ENOTFOUND);
    assert_non_null(strstr(err.msg, "up to seq 2,"));
    assert_non_null(strstr(err.msg, "up to seq 3;"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(
            a_feed_store_as_far_as_the_case_store_is_used, setup, teardown),
        cmocka_unit_test_setup_teardown(a_feed_store_ahead_is_used, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(a_feed_store_behind_is_refused, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(
            a_feed_store_of_other_deliveries_is_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(
            a_replay_beyond_the_feed_store_is_refused, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
