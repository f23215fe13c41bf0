/*
 * Applications and authorizations in the case store: round trips, the
 * same record twice, another record under the same id, revocation, the
 * order of hd_casestore_consents, and a bulk load in one transaction; on
 * either backend (the test runs twice: testutil.h).
 */
#include "store_test.h"

#include <hedui/store.h>

#include <limits.h>

static char dir[4096], db_path[4200];

static int setup(void **state)
{
    (void)state;
    snprintf(dir, sizeof(dir), "%s", tu_tempdir());
    tu_casestore_new(db_path, sizeof(db_path), dir);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    tu_casestore_drop(db_path);
    tu_rmtree(dir);
    return 0;
}

static hd_casestore *open_cs(void)
{
    hd_casestore *cs = NULL;
    hd_error err;
    hd_error_clear(&err);
    if (hd_casestore_open(&cs, db_path, &err))
        fail_msg("open: %s", err.msg);
    return cs;
}

typedef struct got_app {
    int calls;
    char no[64], program[32], region[8], field[48], reason[64];
    bool refused;
    int32_t applied_on;
    char json[512];
    int64_t recorded_at;
    int members;
    char pids[4][19];
} got_app;

static int take_app(const hd_application_row *row, void *payload)
{
    got_app *g = payload;
    g->calls++;
    snprintf(g->no, sizeof(g->no), "%s", row->application_no);
    snprintf(g->program, sizeof(g->program), "%s", row->program);
    snprintf(g->region, sizeof(g->region), "%s", row->region);
    g->refused = row->refused_field != NULL;
    snprintf(g->field, sizeof(g->field), "%s",
             row->refused_field ? row->refused_field : "");
    snprintf(g->reason, sizeof(g->reason), "%s",
             row->refused_reason ? row->refused_reason : "");
    g->applied_on = row->applied_on;
    assert_int_equal(row->json_len, strlen(row->json));
    snprintf(g->json, sizeof(g->json), "%s", row->json);
    g->recorded_at = row->recorded_at;
    g->members = row->member_count;
    for (int i = 0; i < row->member_count && i < 4; i++)
        snprintf(g->pids[i], sizeof(g->pids[i]), "%s", row->member_pids[i]);
    return 0;
}

static void applications_round_trip(void **state)
{
    hd_casestore *cs = open_cs();
    const char *pids[] = {"330106198001011235", ""};
    hd_application_row row = {0};
    got_app g = {0};
    bool stored = false;
    hd_error err;

    (void)state;
    hd_error_clear(&err);
    row.application_no = "330106-2026-000001";
    row.program = "wubao";
    row.region = "330106";
    hd_date_from_ymd(&row.applied_on, 2026, 11, 20);
    row.refused_field = "program";
    row.refused_reason = "unknown program";
    row.json = "{\"application_no\":\"330106-2026-000001\"} trailing";
    row.json_len = strlen("{\"application_no\":\"330106-2026-000001\"}");
    row.recorded_at = 1795000000;
    row.member_count = 2;
    row.member_pids = pids;
    assert_int_equal(hd_casestore_application_put(cs, &row, &stored, &err), 0);
    assert_true(stored);
    /* The same again: nothing new. */
    assert_int_equal(hd_casestore_application_put(cs, &row, &stored, &err), 0);
    assert_false(stored);

    assert_int_equal(hd_casestore_application_get(cs, "330106-2026-000001",
                                                  take_app, &g, &err),
                     0);
    assert_int_equal(g.calls, 1);
    assert_string_equal(g.program, "wubao");
    assert_string_equal(g.region, "330106");
    assert_true(g.refused);
    assert_string_equal(g.field, "program");
    assert_string_equal(g.reason, "unknown program");
    assert_int_equal(g.applied_on, row.applied_on);
    /* Only json_len bytes are kept. */
    assert_string_equal(g.json, "{\"application_no\":\"330106-2026-000001\"}");
    assert_int_equal(g.recorded_at, 1795000000);
    assert_int_equal(g.members, 2);
    assert_string_equal(g.pids[0], "330106198001011235");
    assert_string_equal(g.pids[1], "");

    /* Other content under the same number. */
    row.json = "{\"application_no\":\"330106-2026-000001\",\"x\":1}";
    row.json_len = 0; /* NUL-terminated */
    assert_int_equal(hd_casestore_application_put(cs, &row, &stored, &err),
                     HD_EEXISTS);
    assert_false(stored);
    assert_int_equal(
        hd_casestore_application_get(cs, "nope", take_app, &g, &err),
        HD_ENOTFOUND);

    /* No date (refused on its form): kept as none. */
    row.application_no = "A-2";
    row.applied_on = INT32_MIN;
    row.member_count = 0;
    assert_int_equal(hd_casestore_application_put(cs, &row, &stored, &err), 0);
    assert_int_equal(
        hd_casestore_application_get(cs, "A-2", take_app, &g, &err), 0);
    assert_int_equal(g.applied_on, INT32_MIN);
    assert_int_equal(g.members, 0);
    hd_casestore_free(cs);
}

static hd_consent_row consent(const char *id, const char *pid, const char *json)
{
    hd_consent_row row = {0};
    row.authorization_id = id;
    row.pid = pid;
    row.signed_by = pid;
    row.purposes = "dibao,wubao";
    row.scope = "*";
    hd_date_from_ymd(&row.valid_from, 2026, 11, 20);
    hd_date_from_ymd(&row.valid_until, 2027, 11, 19);
    row.issued_by = "330106";
    row.json = json;
    row.recorded_at = 100;
    return row;
}

typedef struct seen {
    int count;
    char ids[16][32];
    char pids[16][19];
    int64_t revoked_at[16];
    char reason[16][32];
    int32_t from[16];
    char purposes[64], scope[64], json[64];
} seen;

static int take_consent(const hd_consent_row *row, void *payload)
{
    seen *s = payload;
    int i = s->count++;
    assert_true(i < 16);
    snprintf(s->ids[i], sizeof(s->ids[i]), "%s", row->authorization_id);
    snprintf(s->pids[i], sizeof(s->pids[i]), "%s", row->pid);
    s->revoked_at[i] = row->revoked_at;
    snprintf(s->reason[i], sizeof(s->reason[i]), "%s",
             row->revoked_reason ? row->revoked_reason : "(null)");
    s->from[i] = row->valid_from;
    snprintf(s->purposes, sizeof(s->purposes), "%s", row->purposes);
    snprintf(s->scope, sizeof(s->scope), "%s", row->scope);
    snprintf(s->json, sizeof(s->json), "%s", row->json);
    return 0;
}

static void consents_round_trip_and_revoke(void **state)
{
    hd_casestore *cs = open_cs();
    hd_consent_row a = consent("A-1", "330106198001011235", "{\"a\":1}");
    hd_consent_row b = consent("A-2", "110101199001011234", "{\"b\":1}");
    hd_consent_row c = consent("A-3", "330106198001011235", "{\"c\":1}");
    seen s = {0};
    bool stored;
    hd_error err;

    (void)state;
    hd_error_clear(&err);
    assert_int_equal(hd_casestore_consent_put(cs, &a, &stored, &err), 0);
    assert_true(stored);
    assert_int_equal(hd_casestore_consent_put(cs, &b, &stored, &err), 0);
    assert_int_equal(hd_casestore_consent_put(cs, &c, &stored, &err), 0);
    assert_int_equal(hd_casestore_consent_put(cs, &a, &stored, &err), 0);
    assert_false(stored);
    a.json = "{\"a\":2}";
    assert_int_equal(hd_casestore_consent_put(cs, &a, &stored, &err),
                     HD_EEXISTS);

    assert_int_equal(
        hd_casestore_consents(cs, "330106198001011235", take_consent, &s, &err),
        0);
    assert_int_equal(s.count, 2);
    assert_string_equal(s.ids[0], "A-1");
    assert_string_equal(s.ids[1], "A-3");
    assert_int_equal(s.revoked_at[0], 0);
    assert_string_equal(s.reason[0], "(null)");
    assert_int_equal(s.from[0], a.valid_from);
    assert_string_equal(s.purposes, "dibao,wubao");
    assert_string_equal(s.scope, "*");

    /* Revoke: the first revocation stands. */
    assert_int_equal(
        hd_casestore_consent_revoke(cs, "A-1", 500, "withdrawn", &err), 0);
    assert_int_equal(hd_casestore_consent_revoke(cs, "A-1", 900, "again", &err),
                     0);
    assert_int_equal(hd_casestore_consent_revoke(cs, "A-9", 900, NULL, &err),
                     HD_ENOTFOUND);

    /* Everyone, in pid order. */
    memset(&s, 0, sizeof(s));
    assert_int_equal(hd_casestore_consents(cs, NULL, take_consent, &s, &err),
                     0);
    assert_int_equal(s.count, 3);
    assert_string_equal(s.pids[0], "110101199001011234");
    assert_string_equal(s.ids[1], "A-1");
    assert_int_equal(s.revoked_at[1], 500);
    assert_string_equal(s.reason[1], "withdrawn");
    assert_string_equal(s.ids[2], "A-3");

    /* Nobody. */
    memset(&s, 0, sizeof(s));
    assert_int_equal(
        hd_casestore_consents(cs, "440101199001011234", take_consent, &s, &err),
        0);
    assert_int_equal(s.count, 0);
    hd_casestore_free(cs);

    /* It is all on disk. */
    cs = open_cs();
    memset(&s, 0, sizeof(s));
    assert_int_equal(hd_casestore_consents(cs, NULL, take_consent, &s, &err),
                     0);
    assert_int_equal(s.count, 3);
    hd_casestore_free(cs);
}

static int stop_after_one(const hd_consent_row *row, void *payload)
{
    (void)row;
    (*(int *)payload)++;
    return 42;
}

static int count_rows(const hd_consent_row *row, void *payload)
{
    (void)row;
    (*(long *)payload)++;
    return 0;
}

static void a_bulk_load_in_one_transaction(void **state)
{
    hd_casestore *cs = open_cs();
    char id[32], pid[19], json[64];
    long count = 0;
    int calls = 0;
    hd_error err;
    bool stored;

    (void)state;
    hd_error_clear(&err);
    assert_int_equal(hd_casestore_begin(cs, &err), 0);
    for (int i = 0; i < 20000; i++) {
        hd_consent_row r;
        snprintf(id, sizeof(id), "B-%d", i);
        snprintf(pid, sizeof(pid), "3301061980%08d", (i * 7919) % 20000);
        snprintf(json, sizeof(json), "{\"i\":%d}", i);
        r = consent(id, pid, json);
        assert_int_equal(hd_casestore_consent_put(cs, &r, &stored, &err), 0);
        assert_true(stored);
    }
    assert_int_equal(hd_casestore_commit(cs, &err), 0);
    assert_int_equal(hd_casestore_consents(cs, NULL, count_rows, &count, &err),
                     0);
    assert_int_equal(count, 20000);
    /* A non-zero return stops the iteration and is returned. */
    assert_int_equal(
        hd_casestore_consents(cs, NULL, stop_after_one, &calls, &err), 42);
    assert_int_equal(calls, 1);
    hd_casestore_free(cs);
}

/* Batches: each row's outcome as the single put would give it, in
 * order, duplicates within the batch included; a failure of the batch
 * leaves nothing of it. */
static void puts_in_batches(void **state)
{
    hd_casestore *cs = open_cs();
    const char *pids[] = {"330106198001011235"};
    hd_application_row apps[4] = {0};
    hd_consent_row cons[3];
    int rcs[4];
    bool stored[4];
    got_app g = {0};
    bool one;
    hd_error err;

    (void)state;
    hd_error_clear(&err);
    for (int i = 0; i < 4; i++) {
        apps[i].program = "dibao";
        apps[i].region = "330106";
        apps[i].applied_on = INT32_MIN;
        apps[i].recorded_at = 7;
        apps[i].member_count = 1;
        apps[i].member_pids = pids;
    }
    apps[0].application_no = "N-1";
    apps[0].json = "{\"n\":1}";
    apps[1].application_no = "N-2";
    apps[1].json = "{\"n\":2}";
    /* The same number again in the batch: the same record, then another. */
    apps[2].application_no = "N-1";
    apps[2].json = "{\"n\":1}";
    apps[3].application_no = "N-1";
    apps[3].json = "{\"n\":\"other\"}";
    assert_int_equal(
        hd_casestore_application_put_many(cs, apps, 4, rcs, stored, &err), 0);
    assert_int_equal(rcs[0], 0);
    assert_true(stored[0]);
    assert_int_equal(rcs[1], 0);
    assert_true(stored[1]);
    assert_int_equal(rcs[2], 0);
    assert_false(stored[2]);
    assert_int_equal(rcs[3], HD_EEXISTS);
    assert_false(stored[3]);
    assert_int_equal(
        hd_casestore_application_get(cs, "N-1", take_app, &g, &err), 0);
    assert_string_equal(g.json, "{\"n\":1}");
    assert_int_equal(g.members, 1);
    /* A single put sees the batch's rows. */
    assert_int_equal(hd_casestore_application_put(cs, &apps[3], &one, &err),
                     HD_EEXISTS);
    assert_int_equal(hd_casestore_application_put_many(
                         cs, apps, HD_CASESTORE_BATCH + 1, rcs, stored, &err),
                     HD_EINVAL);

    /* A full batch: new ones, one already there, one other under a known
     * number, and numbers given twice. */
    {
        static hd_application_row big[HD_CASESTORE_BATCH];
        static char nos[HD_CASESTORE_BATCH][16], jsons[HD_CASESTORE_BATCH][32];
        static int brcs[HD_CASESTORE_BATCH];
        static bool bstored[HD_CASESTORE_BATCH];
        int n = HD_CASESTORE_BATCH, news = 0;

        for (int i = 0; i < n; i++) {
            big[i] = apps[0];
            /* i and i + 100 share a number (and content) below 100 */
            snprintf(nos[i], sizeof(nos[i]), "M-%d", i % 400);
            snprintf(jsons[i], sizeof(jsons[i]), "{\"m\":%d}", i % 400);
            big[i].application_no = nos[i];
            big[i].json = jsons[i];
        }
        big[7].application_no = "N-1"; /* the same as stored */
        big[7].json = "{\"n\":1}";
        big[9].application_no = "N-2"; /* another */
        big[9].json = "{\"n\":9}";
        big[450].json = "{\"m\":\"other\"}"; /* 450 shares 50's number */
        assert_int_equal(
            hd_casestore_application_put_many(cs, big, n, brcs, bstored, &err),
            0);
        for (int i = 0; i < n; i++)
            news += bstored[i];
        /* M-0 .. M-399 each once (M-7 and M-9 by rows 407 and 409) */
        assert_int_equal(news, 400);
        assert_true(bstored[407] && bstored[409]);
        assert_true(bstored[0] && !bstored[400] && brcs[400] == 0);
        assert_true(!bstored[7] && brcs[7] == 0);
        assert_true(!bstored[9] && brcs[9] == HD_EEXISTS);
        assert_true(bstored[50] && !bstored[450] && brcs[450] == HD_EEXISTS);
    }

    cons[0] = consent("C-1", "330106198001011235", "{\"c\":1}");
    cons[1] = consent("C-1", "330106198001011235", "{\"c\":2}");
    cons[2] = consent("C-2", "110101199001011234", "{\"c\":3}");
    assert_int_equal(hd_casestore_begin(cs, &err), 0);
    assert_int_equal(
        hd_casestore_consent_put_many(cs, cons, 3, rcs, stored, &err), 0);
    assert_int_equal(hd_casestore_commit(cs, &err), 0);
    assert_true(stored[0]);
    assert_int_equal(rcs[1], HD_EEXISTS);
    assert_false(stored[1]);
    assert_true(stored[2]);
    hd_casestore_free(cs);
}

/* Text the SQL layers must carry untouched: tabs, line ends, backslashes,
 * a literal \N, quotes and CJK, in every column that takes text. */
static void any_text_round_trips(void **state)
{
    /* 15 bytes: short enough for every column, a pid's too. */
    static const char odd[] = "a\tb\nc\\d\\N'\"核|";
    hd_casestore *cs = open_cs();
    const char *pids[] = {odd};
    hd_application_row app = {0};
    hd_consent_row con = consent(odd, "330106198001011235", odd);
    got_app g = {0};
    seen s = {0};
    bool stored;
    hd_error err;

    (void)state;
    hd_error_clear(&err);
    app.application_no = odd;
    app.program = odd;
    app.region = "330106";
    app.applied_on = INT32_MIN;
    app.refused_field = odd;
    app.refused_reason = odd;
    app.json = odd;
    app.member_count = 1;
    app.member_pids = pids;
    assert_int_equal(hd_casestore_begin(cs, &err), 0);
    assert_int_equal(hd_casestore_application_put(cs, &app, &stored, &err), 0);
    assert_int_equal(hd_casestore_consent_put(cs, &con, &stored, &err), 0);
    assert_int_equal(hd_casestore_commit(cs, &err), 0);
    assert_int_equal(hd_casestore_application_get(cs, odd, take_app, &g, &err),
                     0);
    assert_string_equal(g.no, odd);
    assert_string_equal(g.program, odd);
    assert_string_equal(g.field, odd);
    assert_string_equal(g.json, odd);
    assert_string_equal(g.pids[0], odd);
    assert_int_equal(
        hd_casestore_consents(cs, "330106198001011235", take_consent, &s, &err),
        0);
    assert_int_equal(s.count, 1);
    assert_string_equal(s.ids[0], odd);
    hd_casestore_free(cs);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(applications_round_trip, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(consents_round_trip_and_revoke, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(puts_in_batches, setup, teardown),
        cmocka_unit_test_setup_teardown(any_text_round_trips, setup, teardown),
        cmocka_unit_test_setup_teardown(a_bulk_load_in_one_transaction, setup,
                                        teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
