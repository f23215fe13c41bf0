/*
 * Batches in the case store: add, claim in order (one claimer per batch,
 * also across two connections), progress, the end of a batch, listing;
 * on either backend (testutil.h).
 */
#include "store_test.h"

#include <hedui/store.h>

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

typedef struct seen {
    int count;
    int64_t ids[8];
    char state[16], message[64], user[16];
    int64_t total, done, started, finished;
} seen;

static int take(const hd_batch_row *row, void *payload)
{
    seen *s = payload;
    if (s->count < 8)
        s->ids[s->count] = row->id;
    s->count++;
    snprintf(s->state, sizeof(s->state), "%s", row->state);
    snprintf(s->message, sizeof(s->message), "%s",
             row->message ? row->message : "(null)");
    snprintf(s->user, sizeof(s->user), "%s", row->username);
    s->total = row->total;
    s->done = row->done;
    s->started = row->started_at;
    s->finished = row->finished_at;
    return 0;
}

static void a_batch_from_queue_to_done(void **state)
{
    int64_t a = 0, b = 0, got = 0;
    seen s = {0};
    hd_error err;
    (void)state;
    hd_error_clear(&err);

    assert_int_equal(
        hd_casestore_batch_add(cs, &a, "wang", "330106", "/b/1", 100, &err), 0);
    assert_int_equal(
        hd_casestore_batch_add(cs, &b, "li", "330102", "/b/2", 101, &err), 0);
    assert_true(b > a);
    assert_int_equal(hd_casestore_batch_get(cs, a, take, &s, &err), 0);
    assert_string_equal(s.state, "queued");
    assert_string_equal(s.message, "(null)");
    assert_int_equal(s.started, 0);

    assert_int_equal(hd_casestore_batch_claim(cs, &got, "/b/", 110, &err), 0);
    assert_int_equal(got, a); /* the oldest first */
    assert_int_equal(
        hd_casestore_batch_progress(cs, a, "running", 50, 20, NULL, 111, &err),
        0);
    memset(&s, 0, sizeof(s));
    assert_int_equal(hd_casestore_batch_get(cs, a, take, &s, &err), 0);
    assert_string_equal(s.state, "running");
    assert_int_equal(s.total, 50);
    assert_int_equal(s.done, 20);
    assert_int_equal(s.started, 110);
    assert_int_equal(s.finished, 0);
    assert_int_equal(hd_casestore_batch_progress(cs, a, "done", 50, 50,
                                                 "50 verified", 120, &err),
                     0);
    memset(&s, 0, sizeof(s));
    assert_int_equal(hd_casestore_batch_get(cs, a, take, &s, &err), 0);
    assert_string_equal(s.state, "done");
    assert_string_equal(s.message, "50 verified");
    assert_int_equal(s.finished, 120);

    memset(&s, 0, sizeof(s));
    assert_int_equal(hd_casestore_batch_list(cs, 0, 10, take, &s, &err), 0);
    assert_int_equal(s.count, 2);
    assert_int_equal(s.ids[0], b); /* newest first */
    memset(&s, 0, sizeof(s));
    assert_int_equal(hd_casestore_batch_list(cs, 1, 10, take, &s, &err), 0);
    assert_int_equal(s.count, 1);
    assert_int_equal(s.ids[0], a);

    assert_int_equal(hd_casestore_batch_get(cs, 999, take, &s, &err),
                     HD_ENOTFOUND);
    assert_int_equal(
        hd_casestore_batch_progress(cs, 999, "done", 0, 0, NULL, 1, &err),
        HD_ENOTFOUND);
}

static void each_batch_is_claimed_once(void **state)
{
    hd_casestore *other = NULL;
    int64_t ids[3], got[4] = {0};
    hd_error err;
    (void)state;
    hd_error_clear(&err);

    assert_int_equal(hd_casestore_open_same(&other, cs, &err), 0);
    for (int i = 0; i < 3; i++)
        assert_int_equal(
            hd_casestore_batch_add(cs, &ids[i], "u", "330106", "/d", 5, &err),
            0);
    assert_int_equal(hd_casestore_batch_claim(cs, &got[0], "/d", 6, &err), 0);
    assert_int_equal(hd_casestore_batch_claim(other, &got[1], "/d", 6, &err),
                     0);
    assert_int_equal(hd_casestore_batch_claim(cs, &got[2], "/d", 6, &err), 0);
    assert_int_equal(hd_casestore_batch_claim(other, &got[3], "/d", 6, &err),
                     HD_ENOTFOUND);
    for (int i = 0; i < 3; i++)
        assert_int_equal(got[i], ids[i]);
    /* another server's folder is not taken */
    assert_int_equal(hd_casestore_batch_add(cs, &ids[0], "u", "330106",
                                            "/elsewhere/1", 7, &err),
                     0);
    assert_int_equal(hd_casestore_batch_claim(cs, &got[0], "/d", 8, &err),
                     HD_ENOTFOUND);
    hd_casestore_free(other);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(a_batch_from_queue_to_done, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(each_batch_is_claimed_once, setup,
                                        teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
