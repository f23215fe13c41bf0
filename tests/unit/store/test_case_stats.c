/*
 * The dashboard's reads of the case store (src/store/case_stats.c), on
 * either backend (testutil.h): the counts of a jurisdiction, and the days
 * its cases were opened, first verified and decided, in China time
 * (UTC+8), grouped.
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

static int32_t date_of(const char *s)
{
    int32_t d = 0;
    assert_int_equal(hd_date_parse(&d, s, strlen(s), NULL), 0);
    return d;
}

/* A time in China (UTC+8) as seconds since 1970: "2026-11-02", 9, 30. */
static int64_t cn(const char *date, int hour, int minute)
{
    return (int64_t)date_of(date) * 86400 + (hour - 8) * 3600 + minute * 60;
}

/* A case (and the application it needs) opened at `opened_at`, first
 * verified at `verified_at` and decided at `decided_at` (0: not yet). */
static void put_case(const char *no, const char *region, const char *state,
                     const char *conclusion, int64_t opened_at,
                     int64_t verified_at, int64_t decided_at)
{
    char json[256];
    const char *pids[1] = {""};
    hd_application_row app = {0};
    hd_case_row c;
    bool stored;
    hd_error err;

    snprintf(json, sizeof(json),
             "{\"application_no\":\"%s\",\"program\":\"dibao\","
             "\"region\":\"%s\"}",
             no, region);
    app.application_no = no;
    app.program = "dibao";
    app.region = region;
    app.applied_on = date_of("2026-10-01");
    app.json = json;
    app.recorded_at = opened_at;
    app.member_count = 1;
    app.member_pids = pids;
    if (hd_casestore_application_put(cs, &app, &stored, &err))
        fail_msg("application %s: %s", no, err.msg);

    memset(&c, 0, sizeof(c));
    snprintf(c.case_no, sizeof(c.case_no), "%s", no);
    snprintf(c.region, sizeof(c.region), "%s", region);
    snprintf(c.program, sizeof(c.program), "dibao");
    snprintf(c.state, sizeof(c.state), "%s", state);
    snprintf(c.opened_by, sizeof(c.opened_by), "clerk1");
    snprintf(c.conclusion, sizeof(c.conclusion), "%s", conclusion);
    c.opened_at = c.updated_at = opened_at;
    c.verified_first_at = verified_at;
    c.decided_at = decided_at;
    c.report_due = c.decision_due = c.objection_until = HD_CASE_NO_DATE;
    if (hd_casestore_case_create(cs, &c, &err))
        fail_msg("case %s: %s", no, err.msg);
}

/*
 * The cases of every test, with the days they should be counted on:
 *
 *   A 230103  opened 11-02 23:30, first verified 11-03 00:10 (40
 *             minutes, but the next day in China, the same day in UTC),
 *             decided 11-16 10:00
 *   B 230103  opened 10-31 12:00, verified 11-03 09:00: not decided
 *   E 230102  opened 10-31 08:00, verified 11-03 18:00: B's days
 *   C 230102  opened 11-05 07:59 (11-04 23:59 in UTC): registered only
 *   D 330106  opened and verified 11-02: outside Heilongjiang
 */
static void put_cases(void)
{
    put_case("A", "230103", "decided", "meets", cn("2026-11-02", 23, 30),
             cn("2026-11-03", 0, 10), cn("2026-11-16", 10, 0));
    put_case("B", "230103", "verified", "fails", cn("2026-10-31", 12, 0),
             cn("2026-11-03", 9, 0), 0);
    put_case("E", "230102", "verified", "meets", cn("2026-10-31", 8, 0),
             cn("2026-11-03", 18, 0), 0);
    put_case("C", "230102", "registered", "", cn("2026-11-05", 7, 59), 0, 0);
    put_case("D", "330106", "verified", "meets", cn("2026-11-02", 9, 0),
             cn("2026-11-02", 15, 0), 0);
}

typedef struct days_seen {
    int count;
    hd_case_days rows[8];
} days_seen;

static int take_days(const hd_case_days *d, void *payload)
{
    days_seen *s = payload;
    if (s->count < 8)
        s->rows[s->count] = *d;
    s->count++;
    return 0;
}

/* How many cases the rows give for these days (-1: no such row). */
static int64_t cases_on(const days_seen *s, int32_t opened, int32_t verified,
                        int32_t decided)
{
    for (int i = 0; i < s->count && i < 8; i++)
        if (s->rows[i].opened_day == opened &&
            s->rows[i].verified_day == verified &&
            s->rows[i].decided_day == decided)
            return s->rows[i].count;
    return -1;
}

static void days_of_a_jurisdiction_in_china_time(void **state)
{
    days_seen s = {0};
    hd_error err;
    (void)state;
    hd_error_clear(&err);
    put_cases();

    /* The city of Harbin (2301): A, B, C and E, B and E on one row. */
    assert_int_equal(hd_casestore_case_days(cs, "2301", take_days, &s, &err),
                     0);
    assert_int_equal(s.count, 3);
    assert_int_equal(cases_on(&s, date_of("2026-11-02"), date_of("2026-11-03"),
                              date_of("2026-11-16")),
                     1);
    assert_int_equal(cases_on(&s, date_of("2026-10-31"), date_of("2026-11-03"),
                              HD_CASE_NO_DATE),
                     2);
    assert_int_equal(
        cases_on(&s, date_of("2026-11-05"), HD_CASE_NO_DATE, HD_CASE_NO_DATE),
        1);

    /* A county: its own two. */
    memset(&s, 0, sizeof(s));
    assert_int_equal(hd_casestore_case_days(cs, "230103", take_days, &s, &err),
                     0);
    assert_int_equal(s.count, 2);
    assert_int_equal(cases_on(&s, date_of("2026-10-31"), date_of("2026-11-03"),
                              HD_CASE_NO_DATE),
                     1);

    /* Another province, and everything. */
    memset(&s, 0, sizeof(s));
    assert_int_equal(hd_casestore_case_days(cs, "33", take_days, &s, &err), 0);
    assert_int_equal(s.count, 1);
    assert_int_equal(cases_on(&s, date_of("2026-11-02"), date_of("2026-11-02"),
                              HD_CASE_NO_DATE),
                     1);
    memset(&s, 0, sizeof(s));
    assert_int_equal(hd_casestore_case_days(cs, "", take_days, &s, &err), 0);
    assert_int_equal(s.count, 4);

    /* A prefix no case has. */
    memset(&s, 0, sizeof(s));
    assert_int_equal(hd_casestore_case_days(cs, "2302", take_days, &s, &err),
                     0);
    assert_int_equal(s.count, 0);
}

static int stop_at_first(const hd_case_days *d, void *payload)
{
    (void)d;
    (*(int *)payload)++;
    return 7;
}

static void a_callback_stops_the_read(void **state)
{
    int calls = 0;
    hd_error err;
    (void)state;
    hd_error_clear(&err);
    put_cases();
    assert_int_equal(
        hd_casestore_case_days(cs, "", stop_at_first, &calls, &err), 7);
    assert_int_equal(calls, 1);
    assert_int_equal(hd_casestore_case_days(cs, NULL, take_days, NULL, &err),
                     HD_EINVAL);
}

typedef struct counts_seen {
    int64_t total, decided, h0102;
} counts_seen;

static int take_count(const hd_case_count *c, void *payload)
{
    counts_seen *s = payload;
    s->total += c->count;
    if (!strcmp(c->state, "decided"))
        s->decided += c->count;
    if (!strcmp(c->region, "230102"))
        s->h0102 += c->count;
    return 0;
}

static void counts_cover_the_same_cases(void **state)
{
    counts_seen s = {0};
    hd_error err;
    (void)state;
    hd_error_clear(&err);
    put_cases();
    assert_int_equal(hd_casestore_case_counts(cs, "2301", take_count, &s, &err),
                     0);
    assert_int_equal(s.total, 4);
    assert_int_equal(s.decided, 1);
    assert_int_equal(s.h0102, 2);
}

static void event(const char *no, const char *action, int64_t at)
{
    hd_case_event ev = {0};
    hd_error err;
    ev.case_no = no;
    ev.at = at;
    ev.username = "someone";
    ev.role = "verifier";
    ev.action = action;
    ev.from_state = "";
    ev.to_state = "";
    ev.reason = "test";
    if (hd_casestore_case_event_add(cs, &ev, &err))
        fail_msg("event %s %s: %s", no, action, err.msg);
}

/* A store of schema 3 had no times on its cases: migration 4 takes them
 * from the events, the earliest verification and decision. */
static void migration_4_takes_the_times_from_the_events(void **state)
{
    hd_case_row c;
    hd_error err;
    (void)state;
    hd_error_clear(&err);

    put_case("A", "230103", "decided", "meets", 1000, 0, 0);
    event("A", "verify", 5000);
    event("A", "object", 6000);
    event("A", "verify", 7000);
    event("A", "decide", 9000);
    put_case("B", "230103", "registered", "", 2000, 0, 0);
    /* Back to schema 3, behind the store's back. */
    hd_casestore_free(cs);
    cs = NULL;
    tu_casestore_exec(db_path, "DROP INDEX case_file_days");
    tu_casestore_exec(db_path, "DROP INDEX case_file_counts");
    tu_casestore_exec(db_path,
                      "ALTER TABLE case_file DROP COLUMN verified_first_at");
    tu_casestore_exec(db_path, "ALTER TABLE case_file DROP COLUMN decided_at");
    tu_casestore_exec(db_path, tu_backend_is_pg()
                                   ? "UPDATE schema_version SET version = 3"
                                   : "PRAGMA user_version = 3");
    if (hd_casestore_open(&cs, db_path, &err))
        fail_msg("reopen: %s", err.msg);
    assert_int_equal(hd_casestore_schema_version(cs), 4);
    assert_int_equal(hd_casestore_case_get(cs, &c, "A", &err), 0);
    assert_int_equal(c.verified_first_at, 5000);
    assert_int_equal(c.decided_at, 9000);
    assert_int_equal(hd_casestore_case_get(cs, &c, "B", &err), 0);
    assert_int_equal(c.verified_first_at, 0);
    assert_int_equal(c.decided_at, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(days_of_a_jurisdiction_in_china_time,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(a_callback_stops_the_read, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(counts_cover_the_same_cases, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(
            migration_4_takes_the_times_from_the_events, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
