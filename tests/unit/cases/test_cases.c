/*
 * The case workflow (docs/cases.md) on both case store backends: every
 * action allowed and refused (role, region, state, window), deadlines
 * over holidays and make-up Saturdays, a correction applied and shown in
 * the report, events and audit entries written with the transition (and
 * not on refusal), and two approvers deciding one case at once on two
 * connections.
 */
#include "testutil.h"

#include <hedui/cases.h>
#include <hedui/std.h>

#include <pthread.h>
#include <stdio.h>
#include <string.h>

static char dir[4096], db_path[4200];
static hd_casestore *cs;
static hd_feedstore *fs;
static hd_policy *policy;
static hd_calendar *cal;
static hd_verify_env venv;
static hd_cases_env env;
static char pid0[19], pid1[19];

static const hd_case_actor clerk = {"clerk1", "clerk", "330106"};
static const hd_case_actor verifier = {"ver1", "verifier", "330100"};
static const hd_case_actor approver = {"appr1", "approver", "330000"};
static const hd_case_actor approver2 = {"appr2", "approver", "330106"};
static const hd_case_actor admin = {"adm1", "admin", "330106"};
static const hd_case_actor other_clerk = {"clerk2", "clerk", "330102"};

#define CASE_NO "330106-2026-000001"

static int32_t date_of(const char *s)
{
    int32_t d = 0;
    assert_int_equal(hd_date_parse(&d, s, strlen(s), NULL), 0);
    return d;
}

/* Noon in China on a date, as seconds since 1970. */
static int64_t noon(const char *s)
{
    return (int64_t)date_of(s) * 86400 + 4 * 3600;
}

static void make_pid(char out[19], const char *birth, unsigned seq)
{
    snprintf(out, 19, "330106%.8s%03u", birth, seq % 1000);
    out[17] = hd_pid_check_char(out);
    out[18] = '\0';
}

static void load_rows(const char *id, const char *dept, const hd_feed *feed,
                      const char *const *lines, int n)
{
    hd_fs_delivery meta = {0};
    hd_fs_load *load = NULL;
    hd_error err;

    snprintf(meta.delivery_id, sizeof(meta.delivery_id), "%s", id);
    snprintf(meta.department, sizeof(meta.department), "%s", dept);
    meta.as_of = date_of("2026-11-01");
    meta.snapshot = true;
    meta.feed_mask = 1u << feed->id;
    if (hd_fs_load_begin(&load, fs, &meta, 0, NULL, &err))
        fail_msg("load: %s", err.msg);
    for (int i = 0; i < n; i++) {
        hd_str fields[HD_FEED_MAX_COLUMNS];
        char copy[512];
        hd_bad_row bad;
        hd_row row;
        char *p = copy;
        snprintf(copy, sizeof(copy), "%s", lines[i]);
        for (int c = 0; c < feed->column_count; c++) {
            char *comma = strchr(p, ',');
            if (comma)
                *comma = '\0';
            fields[c] = (hd_str){*p ? p : NULL, strlen(p)};
            p = comma ? comma + 1 : p + strlen(p);
        }
        if (hd_row_parse(&row, feed, fields, &bad))
            fail_msg("row %s: %s", lines[i], bad.detail);
        if (hd_fs_load_add(load, &row, &err))
            fail_msg("add: %s", err.msg);
    }
    if (hd_fs_load_commit(load, NULL, 0, NULL, NULL, &err))
        fail_msg("commit: %s", err.msg);
}

static void put_application(const char *no, const char *region)
{
    char json[1024];
    const char *pids[2] = {pid0, pid1};
    hd_application_row row = {0};
    bool stored;
    hd_error err;

    snprintf(json, sizeof(json),
             "{\"application_no\":\"%s\",\"program\":\"dibao\","
             "\"region\":\"%s\",\"applied_on\":\"2026-11-20\",\"members\":["
             "{\"pid\":\"%s\",\"name\":\"张三\",\"relation\":\"02\"},"
             "{\"pid\":\"%s\",\"name\":\"李四\",\"relation\":\"10\"}]}",
             no, region, pid0, pid1);
    row.application_no = no;
    row.program = "dibao";
    row.region = region;
    row.applied_on = date_of("2026-11-20");
    row.json = json;
    row.recorded_at = 1;
    row.member_count = 2;
    row.member_pids = pids;
    if (hd_casestore_application_put(cs, &row, &stored, &err))
        fail_msg("application: %s", err.msg);
}

static void put_consent(const char *id, const char *pid)
{
    hd_consent_row row = {0};
    bool stored;
    hd_error err;
    row.authorization_id = id;
    row.pid = pid;
    row.signed_by = pid;
    row.purposes = "dibao";
    row.scope = "*";
    row.valid_from = date_of("2026-01-01");
    row.valid_until = date_of("2027-12-31");
    row.issued_by = "330106";
    row.json = "{}";
    row.recorded_at = 1;
    if (hd_casestore_consent_put(cs, &row, &stored, &err))
        fail_msg("consent: %s", err.msg);
}

static const char policy_text[] = "[330100 2025-01-01]\n"
                                  "source = test\n"
                                  "dibao_standard = 1000.00\n"
                                  "[330106 2026-01-01]\n"
                                  "source = test county deadlines\n"
                                  "report_days = 10\n"
                                  "decision_days = 10\n"
                                  "objection_days = 5\n";

static int setup(void **state)
{
    static const uint8_t audit_key[32] = {7};
    char path[4300];
    hd_error err;
    (void)state;
    snprintf(dir, sizeof(dir), "%s", tu_tempdir());
    tu_casestore_new(db_path, sizeof(db_path), dir);
    if (hd_casestore_open(&cs, db_path, &err))
        fail_msg("open: %s", err.msg);
    hd_casestore_set_audit_key(cs, audit_key);
    snprintf(path, sizeof(path), "%s/feeds", dir);
    if (hd_feedstore_open(&fs, path, &err))
        fail_msg("feeds: %s", err.msg);
    {
        /* Stored, as the service has it: a replay loads its version. */
        hd_policy *parsed = NULL;
        int64_t version = 0;
        if (hd_policy_parse_mem(&parsed, "test", policy_text,
                                strlen(policy_text), &err) ||
            hd_policy_store_import(&version, cs, parsed, "test", 1, &err) ||
            hd_policy_store_load(&policy, cs, 0, &err))
            fail_msg("policy: %s", err.msg);
        hd_policy_free(parsed);
        assert_int_equal(hd_policy_version(policy), 1);
    }
    snprintf(path, sizeof(path), "%s/data/calendar", tu_source_dir());
    if (hd_calendar_load(&cal, path, &err))
        fail_msg("calendar: %s", err.msg);

    make_pid(pid0, "19800101", 11);
    make_pid(pid1, "19820202", 22);
    {
        char h0[256], h1[256], t0[256], t1[256];
        const char *hukou[2] = {h0, h1}, *tax[2] = {t0, t1};
        snprintf(h0, sizeof(h0), "%s,张三,1,1980-01-01,H1,02,330106,1,", pid0);
        snprintf(h1, sizeof(h1), "%s,李四,2,1982-02-02,H1,10,330106,1,", pid1);
        /* 3,000.00 a month in March and April 2026, tax 0: income in the
         * window 2025-11 .. 2026-10. */
        snprintf(t0, sizeof(t0), "%s,2026-03,wage,,3000.00,0.00", pid0);
        snprintf(t1, sizeof(t1), "%s,2026-04,wage,,3000.00,0.00", pid0);
        load_rows("ps-1", "public_security", hd_feed_find("hukou"), hukou, 2);
        load_rows("tax-1", "tax", hd_feed_find("tax_income"), tax, 2);
    }
    put_application(CASE_NO, "330106");
    put_consent("A-0", pid0);
    put_consent("A-1", pid1);

    memset(&venv, 0, sizeof(venv));
    venv.fs = fs;
    venv.cs = cs;
    venv.policy = policy;
    if (hd_verify_env_prepare(&venv, &err))
        fail_msg("prepare: %s", err.msg);
    memset(&env, 0, sizeof(env));
    env.cs = cs;
    env.policy = policy;
    env.calendar = cal;
    env.now = noon("2026-11-20");
    memset(env.person_key, 3, sizeof(env.person_key));
    env.verify = &venv;
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    hd_casestore_free(cs);
    hd_feedstore_free(fs);
    hd_policy_free(policy);
    hd_calendar_free(cal);
    tu_casestore_drop(db_path);
    tu_rmtree(dir);
    return 0;
}

static long long count(const char *sql)
{
    return tu_casestore_int(db_path, sql);
}

static long long events(void)
{
    return count("SELECT COUNT(*) FROM case_event");
}

static long long audits(void)
{
    return count("SELECT COUNT(*) FROM audit_log");
}

/* A refusal: the code, a word of the message, and nothing written. */
static void refused(int rc, const hd_error *err, int code, const char *word,
                    long long ev, long long au)
{
    assert_int_equal(rc, code);
    if (!strstr(err->msg, word))
        fail_msg("message '%s' lacks '%s'", err->msg, word);
    assert_int_equal(events(), ev);
    assert_int_equal(audits(), au);
}

/* ------------------------------------------------------------ calendar */

static void deadlines_over_holidays(void **state)
{
    int32_t due;
    bool provisional = true;
    char d[HD_DATE_TEXT_MAX];
    hd_error err;
    (void)state;

    /* Friday 2026-02-13: Saturday 2-14 is a make-up working day (1),
     * 2-15..2-23 the Spring Festival, then 2-24 (2), 2-25 (3), 2-26 (4),
     * 2-27 (5). */
    assert_int_equal(hd_calendar_add_working_days(&due, &provisional, cal,
                                                  date_of("2026-02-13"), 5,
                                                  &err),
                     0);
    assert_string_equal(hd_date_format(d, due), "2026-02-27");
    assert_false(provisional);
    /* The Saturday after, 2-28, is worked too: the 6th day. */
    assert_int_equal(hd_calendar_add_working_days(
                         &due, NULL, cal, date_of("2026-02-13"), 6, &err),
                     0);
    assert_string_equal(hd_date_format(d, due), "2026-02-28");
    /* 2025: 10-01..10-08 off, Saturday 10-11 worked. From Tuesday 09-30:
     * 10-09 (1), 10-10 (2), 10-11 (3), 10-13 (4). */
    assert_int_equal(hd_calendar_add_working_days(
                         &due, NULL, cal, date_of("2025-09-30"), 4, &err),
                     0);
    assert_string_equal(hd_date_format(d, due), "2025-10-13");
    /* 2024: Sunday 02-04 worked, 02-10..02-17 off, Sunday 02-18 worked.
     * From Friday 02-02: 02-04 (1), 02-05..02-09 (2..6), 02-18 (7). */
    assert_int_equal(hd_calendar_add_working_days(
                         &due, NULL, cal, date_of("2024-02-02"), 7, &err),
                     0);
    assert_string_equal(hd_date_format(d, due), "2024-02-18");
    /* Beyond 2026: Monday to Friday, provisional. Wednesday 2026-12-30:
     * 12-31 (1), 2027-01-01 Friday (2, no notice for 2027 shipped). */
    assert_int_equal(hd_calendar_add_working_days(&due, &provisional, cal,
                                                  date_of("2026-12-30"), 2,
                                                  &err),
                     0);
    assert_string_equal(hd_date_format(d, due), "2027-01-01");
    assert_true(provisional);
    assert_int_equal(hd_calendar_add_working_days(&due, &provisional, cal,
                                                  date_of("2026-12-28"), 1,
                                                  &err),
                     0);
    assert_false(provisional);
}

static void calendar_file_errors(void **state)
{
    static const struct {
        const char *text;
        int line;
        const char *word;
    } cases[] = {
        {"holiday 2026-01-01\n", 1, "no 'year YYYY' line first"},
        {"year 2026\nholiday 2025-12-31\n", 2, "outside the file's year"},
        {"year 2026\nworkday 2026-01-05\n", 2, "weekend day"},
        {"year 2026\nholiday 2026-01-05 2026-01-01\n", 2, "FROM <= TO"},
        {"year 2026\nvacation 2026-01-05\n", 2, "expected 'holiday"},
        {"year 2026\nholiday 2026-13-01\n", 2, "expected a date"},
    };
    (void)state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        hd_calendar *c = NULL;
        hd_error err;
        hd_error_clear(&err);
        assert_int_equal(hd_calendar_add_year(&c, "t.txt", cases[i].text,
                                              strlen(cases[i].text), &err),
                         HD_EDATA);
        assert_int_equal(err.line, cases[i].line);
        if (!strstr(err.msg, cases[i].word))
            fail_msg("case %zu: %s", i, err.msg);
        assert_null(c);
    }
}

/* ------------------------------------------------------------ workflow */

static void check_role_region_state(void **state)
{
    hd_error err;
    (void)state;
    assert_int_equal(
        hd_case_check(&clerk, HD_CASE_DECIDE, "330106", HD_CASE_VERIFIED, &err),
        HD_EDENIED);
    assert_string_equal(err.msg,
                        "only an approver may decide a case, not a clerk");
    assert_int_equal(hd_case_check(&other_clerk, HD_CASE_AUTHORIZE, "330106",
                                   HD_CASE_REGISTERED, &err),
                     HD_EDENIED);
    assert_non_null(strstr(err.msg, "outside the region 330102"));
    /* A city covers its counties, a province its cities'. */
    assert_int_equal(hd_case_check(&verifier, HD_CASE_VERIFY, "330106",
                                   HD_CASE_AUTHORIZED, &err),
                     0);
    assert_int_equal(hd_case_check(&verifier, HD_CASE_VERIFY, "330206",
                                   HD_CASE_AUTHORIZED, &err),
                     HD_EDENIED);
    assert_int_equal(hd_case_check(&approver, HD_CASE_DECIDE, "330206",
                                   HD_CASE_VERIFIED, &err),
                     0);
    assert_int_equal(hd_case_check(&approver, HD_CASE_DECIDE, "340206",
                                   HD_CASE_VERIFIED, &err),
                     HD_EDENIED);
    assert_int_equal(hd_case_check(&verifier, HD_CASE_VERIFY, "330106",
                                   HD_CASE_REGISTERED, &err),
                     HD_ESTATE);
    assert_string_equal(err.msg, "cannot verify a case that is registered: "
                                 "only one that is authorized or corrected");
    assert_true(hd_region_covers("330000", "330106"));
    assert_true(hd_region_covers("330100", "330106"));
    assert_true(hd_region_covers("330106", "330106"));
    assert_false(hd_region_covers("330100", "330206"));
    assert_false(hd_region_covers("330106", "330100"));
    assert_false(hd_region_covers("33", "330106"));
    assert_false(hd_region_covers("330000", NULL));
    assert_int_equal(
        hd_case_check(&admin, HD_CASE_ARCHIVE, "330106", HD_CASE_DECIDED, &err),
        0);
    assert_int_equal(
        hd_case_check(&admin, HD_CASE_DECIDE, "330106", HD_CASE_VERIFIED, &err),
        HD_EDENIED);
}

static int take_source_income(const hd_result *r, const char *period)
{
    for (size_t i = 0; i < r->source_count; i++) {
        const hd_dossier_record *rec = r->sources[i].record;
        char p[HD_PERIOD_TEXT_MAX];
        if (r->sources[i].figure != HD_FIGURE_INCOME || !rec ||
            strcmp(rec->feed->name, "tax_income"))
            continue;
        hd_period_format(p, (int32_t)rec->row.values[1].num);
        if (!strcmp(p, period))
            return (int)i;
    }
    return -1;
}

/* Register to archive, with an objection, a correction, a re-verify. */
static void whole_path(void **state)
{
    hd_case_row c;
    hd_case_work w;
    hd_error err;
    char key0[64], key1[64], d[HD_DATE_TEXT_MAX];
    int rc;
    (void)state;

    hd_case_work_init(&w);
    /* A clerk of another county may not register it. */
    rc = hd_case_register(&c, &env, &other_clerk, CASE_NO, "申请受理", &err);
    refused(rc, &err, HD_EDENIED, "outside the region", 0, 0);
    assert_int_equal(
        hd_case_register(&c, &env, &clerk, CASE_NO, "申请受理", &err), 0);
    assert_string_equal(c.state, "registered");
    assert_int_equal(c.version, 1);
    /* Friday 2026-11-20 + 10 working days: 11-23..11-27 and 11-30..12-04. */
    assert_string_equal(hd_date_format(d, c.report_due), "2026-12-04");
    assert_int_equal(events(), 1);
    assert_int_equal(audits(), 1);
    rc = hd_case_register(&c, &env, &clerk, CASE_NO, "again", &err);
    refused(rc, &err, HD_EEXISTS, "already registered", 1, 1);

    /* Verify before authorize: the state says no. */
    rc = hd_case_verify(&c, &w, &env, &verifier, CASE_NO, "核对", &err);
    refused(rc, &err, HD_ESTATE, "only one that is authorized or corrected", 1,
            1);
    rc = hd_case_authorize(&c, &env, &verifier, CASE_NO, "授权齐全", &err);
    refused(rc, &err, HD_EDENIED, "only a clerk may authorize", 1, 1);
    rc = hd_case_authorize(&c, &env, &clerk, CASE_NO, "", &err);
    refused(rc, &err, HD_EINVAL, "a reason is required", 1, 1);
    assert_int_equal(
        hd_case_authorize(&c, &env, &clerk, CASE_NO, "授权齐全", &err), 0);
    assert_string_equal(c.state, "authorized");
    assert_int_equal(count("SELECT COUNT(*) FROM audit_log WHERE "
                           "authorizations LIKE '%A-0%' AND "
                           "authorizations LIKE '%A-1%'"),
                     1);

    /* Verify: income is 6000.00 over 12 months for 2: pci 250.00. */
    env.now = noon("2026-11-23");
    assert_int_equal(
        hd_case_verify(&c, &w, &env, &verifier, CASE_NO, "核对", &err), 0);
    assert_string_equal(c.state, "verified");
    assert_true(c.verification_id > 0);
    /* The case keeps when it was first verified (the dashboard's times). */
    assert_int_equal(c.verified_first_at, noon("2026-11-23"));
    assert_int_equal(c.decided_at, 0);
    assert_int_equal(w.result.figures.income_fen, 600000);
    assert_int_equal(w.result.figures.pci_fen, 25000);
    /* Monday 11-23 + 5: 11-30; + 10: 12-07. */
    assert_string_equal(hd_date_format(d, c.objection_until), "2026-11-30");
    assert_string_equal(hd_date_format(d, c.decision_due), "2026-12-07");
    /* The transition's own entry and the verification's read entry. */
    assert_int_equal(events(), 3);
    assert_int_equal(audits(), 4);
    assert_int_equal(count("SELECT COUNT(*) FROM verification"), 1);

    /* The approver may not decide while the family may still object. */
    rc = hd_case_decide(&c, &env, &approver, CASE_NO, true, "符合", &err);
    refused(rc, &err, HD_ESTATE, "may object until 2026-11-30", 3, 4);

    /* The family objects: the April wage was not earned (left the job). */
    env.now = noon("2026-11-30");
    rc = hd_case_object(&c, &env, &clerk, CASE_NO, "", "家庭提出异议", &err);
    refused(rc, &err, HD_EINVAL, "disputed data item", 3, 4);
    assert_int_equal(hd_case_object(&c, &env, &clerk, CASE_NO,
                                    "tax_income 2026-04 工资", "家庭提出异议",
                                    &err),
                     0);
    assert_string_equal(c.state, "objected");

    /* Corrections: March's wage was 1,000.00, April's does not count. */
    snprintf(key0, sizeof(key0), "%s|2026-03|wage|", pid0);
    snprintf(key1, sizeof(key1), "%s|2026-04|wage|", pid0);
    hd_case_correction k[2] = {
        {.pid = pid0,
         .feed = "tax_income",
         .record_key = key0,
         .field = "income",
         .value = "1000.00",
         .evidence = "单位出具的工资证明 2026-11-30"},
        {.pid = pid0,
         .feed = "tax_income",
         .record_key = key1,
         .evidence = "单位出具的离职证明 2026-11-02"},
    };
    hd_case_correction bad = k[0];
    bad.value = "1000.001";
    rc = hd_case_correct(&c, &env, &verifier, CASE_NO, &bad, 1, "更正", &err);
    refused(rc, &err, HD_EDATA, "income: '1000.001' is not a money", 4, 5);
    bad = k[0];
    bad.field = "period";
    rc = hd_case_correct(&c, &env, &verifier, CASE_NO, &bad, 1, "更正", &err);
    refused(rc, &err, HD_EDATA, "key columns name the record", 4, 5);
    bad = k[0];
    bad.pid = "110101199001011237";
    rc = hd_case_correct(&c, &env, &verifier, CASE_NO, &bad, 1, "更正", &err);
    refused(rc, &err, HD_EDATA, "not a declared member", 4, 5);
    rc = hd_case_correct(&c, &env, &clerk, CASE_NO, k, 2, "更正", &err);
    refused(rc, &err, HD_EDENIED, "only a verifier may correct", 4, 5);
    assert_int_equal(hd_case_correct(&c, &env, &verifier, CASE_NO, k, 2,
                                     "根据证明材料更正", &err),
                     0);
    assert_string_equal(c.state, "corrected");
    assert_int_equal(count("SELECT COUNT(*) FROM case_correction"), 2);
    /* The department's records are untouched: the store still has them. */

    /* Re-verify with the corrections: income 1000.00, pci 41.66. */
    assert_int_equal(hd_case_verify(&c, &w, &env, &verifier, CASE_NO,
                                    "更正后重新核对", &err),
                     0);
    assert_string_equal(c.state, "verified");
    assert_int_equal(c.verified_first_at, noon("2026-11-23")); /* the first */
    assert_int_equal(w.result.figures.income_fen, 100000);
    assert_int_equal(w.result.figures.pci_fen, 4166);
    assert_int_equal(w.result.correction_count, 2);
    assert_true(w.result.corrections[0].applied);
    assert_true(w.result.corrections[1].applied);
    assert_string_equal(w.result.corrections[0].original, "3000.00");
    assert_int_equal(take_source_income(&w.result, "2026-04"), -1);
    {
        int i = take_source_income(&w.result, "2026-03");
        assert_true(i >= 0);
        assert_non_null(w.result.sources[i].record->correction);
    }
    /* The report marks the corrected figure with its evidence. */
    {
        hd_buf b;
        hd_report_options opt = {.issued_at = env.now};
        hd_buf_init(&b, HD_BUF_DEFAULT_MAX);
        assert_int_equal(hd_report_json(&b, &w.result, &w.app, &opt, &err), 0);
        assert_non_null(strstr(b.ptr, "\"corrected\":[{\"id\":1,\"field\":"
                                      "\"income\",\"value\":\"1000.00\","
                                      "\"original\":\"3000.00\",\"evidence\":"
                                      "\"单位出具的工资证明 2026-11-30\"}]"));
        assert_non_null(strstr(b.ptr, "\"field\":null,\"value\":null,"
                                      "\"original\":null,\"evidence\":"
                                      "\"单位出具的离职证明 2026-11-02\","
                                      "\"applied\":true"));
        /* The key of a correction is masked like a source's. */
        assert_null(strstr(b.ptr, pid0));
        hd_buf_reset(&b);
        assert_int_equal(hd_report_html(&b, &w.result, &w.app, &opt, &err), 0);
        assert_non_null(strstr(b.ptr, "更正：income 由 3000.00 改为 1000.00"
                                      "（依据：单位出具的工资证明 "
                                      "2026-11-30）"));
        assert_non_null(strstr(b.ptr, "该记录不计入"));
        hd_buf_release(&b);
    }
    /* Monday 11-30 + 5 working days: the window opens again to 12-07. */
    assert_string_equal(hd_date_format(d, c.objection_until), "2026-12-07");

    /* A replay for a report applies the same corrections, audited. */
    {
        hd_case_work r;
        long long before = audits();
        hd_case_work_init(&r);
        assert_int_equal(hd_case_replay(&r, &env, &clerk, CASE_NO, &err), 0);
        assert_int_equal(r.result.figures.income_fen, 100000);
        assert_int_equal(audits(), before + 1);
        assert_int_equal(hd_case_replay(&r, &env, &other_clerk, CASE_NO, &err),
                         HD_EDENIED);
        hd_case_work_release(&r);
    }

    /* After the window: the objection is too late, the decision is due. */
    env.now = noon("2026-12-08");
    long long ev = events(), au = audits();
    rc = hd_case_object(&c, &env, &clerk, CASE_NO, "x", "late", &err);
    refused(rc, &err, HD_ESTATE, "closed on 2026-12-07", ev, au);
    /* Re-verified on Monday 11-30: the decision is due 10 working days
     * later, 12-14; overdue from 12-15. */
    assert_string_equal(hd_date_format(d, c.decision_due), "2026-12-14");
    assert_false(hd_case_overdue(&c, hd_cases_today(env.now)));
    assert_true(hd_case_overdue(&c, date_of("2026-12-15")));
    rc = hd_case_archive(&c, &env, &approver, CASE_NO, "归档", &err);
    refused(rc, &err, HD_ESTATE, "only one that is decided", ev, au);
    assert_int_equal(hd_case_decide(&c, &env, &approver, CASE_NO, false,
                                    "人均收入低于标准但……", &err),
                     0);
    assert_string_equal(c.state, "decided");
    assert_string_equal(c.decision, "rejected");
    assert_int_equal(c.decided_at, env.now);
    assert_false(hd_case_overdue(&c, hd_cases_today(env.now)));
    assert_int_equal(
        hd_case_archive(&c, &env, &admin, CASE_NO, "办结归档", &err), 0);
    assert_string_equal(c.state, "archived");
    rc = hd_case_archive(&c, &env, &admin, CASE_NO, "again", &err);
    refused(rc, &err, HD_ESTATE, "made archived by adm1", ev + 2, au + 2);

    /* Every transition (register, authorize, verify, object, correct,
     * verify, decide, archive): one event and one audit entry naming it. */
    assert_int_equal(count("SELECT COUNT(*) FROM case_event"), 8);
    assert_int_equal(count("SELECT COUNT(*) FROM audit_log WHERE action "
                           "LIKE 'case.%'"),
                     8);
    assert_int_equal(count("SELECT COUNT(*) FROM audit_log WHERE action = "
                           "'case.decide' AND outcome = 'rejected' AND "
                           "actor = 'appr1'"),
                     1);
    /* Persons are keyed hashes, never the IDs. */
    {
        char q[256];
        snprintf(q, sizeof(q),
                 "SELECT COUNT(*) FROM audit_log WHERE persons LIKE '%%%s%%'",
                 pid0);
        assert_int_equal(count(q), 0);
    }
    hd_case_work_release(&w);
}

static void dismiss_objection(void **state)
{
    hd_case_row c;
    hd_case_work w;
    hd_error err;
    (void)state;
    hd_case_work_init(&w);
    assert_int_equal(hd_case_register(&c, &env, &clerk, CASE_NO, "r", &err), 0);
    assert_int_equal(hd_case_authorize(&c, &env, &clerk, CASE_NO, "a", &err),
                     0);
    assert_int_equal(
        hd_case_verify(&c, &w, &env, &verifier, CASE_NO, "v", &err), 0);
    assert_int_equal(
        hd_case_object(&c, &env, &clerk, CASE_NO, "存款", "异议", &err), 0);
    assert_int_equal(hd_case_dismiss(&c, &env, &clerk, CASE_NO, "x", &err),
                     HD_EDENIED);
    assert_int_equal(hd_case_dismiss(&c, &env, &verifier, CASE_NO,
                                     "经核实银行回单，数据无误", &err),
                     0);
    assert_string_equal(c.state, "verified");
    assert_int_equal(hd_case_dismiss(&c, &env, &verifier, CASE_NO, "x", &err),
                     HD_ESTATE);
    hd_case_work_release(&w);
}

static void authorize_needs_every_member(void **state)
{
    hd_case_row c;
    hd_error err;
    char masked[HD_PID_LEN + 1];
    int rc;
    (void)state;
    assert_int_equal(hd_case_register(&c, &env, &clerk, CASE_NO, "r", &err), 0);
    assert_int_equal(hd_casestore_consent_revoke(cs, "A-1", 5, "撤回", &err),
                     0);
    rc = hd_case_authorize(&c, &env, &clerk, CASE_NO, "授权", &err);
    refused(rc, &err, HD_ESTATE, hd_mask_pid(masked, pid1, 18), 1, 1);
    assert_null(strstr(err.msg, pid1));
    assert_null(strstr(err.msg, pid0));
    put_consent("A-2", pid1);
    assert_int_equal(
        hd_case_authorize(&c, &env, &clerk, CASE_NO, "补齐授权", &err), 0);
    assert_string_equal(c.state, "authorized");
}

/* ------------------------------------------------------------ lists */

static int count_rows(const hd_case_row *row, void *payload)
{
    (void)row;
    (*(int *)payload)++;
    return 0;
}

static void list_and_overdue(void **state)
{
    hd_case_filter f = {.overdue_on = HD_CASE_NO_DATE};
    hd_case_row c;
    hd_error err;
    int64_t total = 0;
    int n = 0;
    (void)state;

    for (int i = 0; i < 12; i++) {
        char no[32];
        const char *region = i % 3 == 0 ? "330102" : "330106";
        snprintf(no, sizeof(no), "%s-2026-%06d", region, i);
        put_application(no, region);
        const hd_case_actor *who = i % 3 == 0 ? &other_clerk : &clerk;
        assert_int_equal(hd_case_register(&c, &env, who, no, "r", &err), 0);
    }
    assert_int_equal(
        hd_casestore_case_list(cs, &f, count_rows, &n, &total, &err), 0);
    assert_int_equal(total, 12);
    f.region = "330106";
    f.limit = 3;
    f.offset = 6;
    n = 0;
    assert_int_equal(
        hd_casestore_case_list(cs, &f, count_rows, &n, &total, &err), 0);
    assert_int_equal(total, 8);
    assert_int_equal(n, 2);
    f = (hd_case_filter){.region = "330100",
                         .case_no_part = "-00001",
                         .overdue_on = HD_CASE_NO_DATE};
    assert_int_equal(hd_casestore_case_list(cs, &f, NULL, NULL, &total, &err),
                     0);
    assert_int_equal(total, 2); /* 000010, 000011 */
    f = (hd_case_filter){.case_no_part = "%", .overdue_on = HD_CASE_NO_DATE};
    assert_int_equal(hd_casestore_case_list(cs, &f, NULL, NULL, &total, &err),
                     0);
    assert_int_equal(total, 0);
    /* Registered 2026-11-20, report due 12-04: overdue from 12-05. */
    f = (hd_case_filter){.overdue_on = date_of("2026-12-04")};
    assert_int_equal(hd_casestore_case_list(cs, &f, NULL, NULL, &total, &err),
                     0);
    assert_int_equal(total, 0);
    f.overdue_on = date_of("2026-12-05");
    f.state = "registered";
    assert_int_equal(hd_casestore_case_list(cs, &f, NULL, NULL, &total, &err),
                     0);
    assert_int_equal(total, 12);
}

/* ------------------------------------------------------- concurrency */

typedef struct racer {
    hd_casestore *cs;
    const hd_case_actor *who;
    int rc;
    hd_error err;
    pthread_barrier_t *start;
} racer;

static void *race(void *arg)
{
    racer *r = arg;
    hd_cases_env e = env;
    hd_case_row c;
    e.cs = r->cs;
    pthread_barrier_wait(r->start);
    r->rc = hd_case_decide(&c, &e, r->who, CASE_NO, true, "同意", &r->err);
    return NULL;
}

static void two_approvers_decide_at_once(void **state)
{
    hd_case_row c;
    hd_case_work w;
    hd_error err;
    hd_casestore *cs2 = NULL;
    pthread_barrier_t start;
    pthread_t t1, t2;
    (void)state;

    hd_case_work_init(&w);
    assert_int_equal(hd_case_register(&c, &env, &clerk, CASE_NO, "r", &err), 0);
    assert_int_equal(hd_case_authorize(&c, &env, &clerk, CASE_NO, "a", &err),
                     0);
    assert_int_equal(
        hd_case_verify(&c, &w, &env, &verifier, CASE_NO, "v", &err), 0);
    hd_case_work_release(&w);
    env.now = noon("2026-12-08");

    /* The stale writer, deterministically: a compare and set on an old
     * version is refused with who moved the case. */
    {
        hd_case_row stale = c;
        assert_int_equal(
            hd_case_dismiss(&c, &env, &verifier, CASE_NO, "x", &err),
            HD_ESTATE);
        snprintf(stale.state, sizeof(stale.state), "decided");
        assert_int_equal(
            hd_casestore_case_update(cs, &stale, c.version - 1, &err),
            HD_ECONFLICT);
        assert_non_null(strstr(err.msg, "ver1 (verifier) made it verified"));
    }

    assert_int_equal(hd_casestore_open_same(&cs2, cs, &err), 0);
    pthread_barrier_init(&start, NULL, 2);
    racer a = {cs, &approver, -1, {0}, &start};
    racer b = {cs2, &approver2, -1, {0}, &start};
    pthread_create(&t1, NULL, race, &a);
    pthread_create(&t2, NULL, race, &b);
    pthread_join(t1, NULL);
    pthread_join(t2, NULL);
    pthread_barrier_destroy(&start);
    hd_casestore_free(cs2);

    /* One wins; the other is told the case was decided, and by whom. */
    assert_true((a.rc == 0) != (b.rc == 0));
    racer *lost = a.rc ? &a : &b;
    racer *won = a.rc ? &b : &a;
    if (lost->rc != HD_ECONFLICT && lost->rc != HD_ESTATE)
        fail_msg("loser: %d %s", lost->rc, lost->err.msg);
    if (!strstr(lost->err.msg, won->who->username))
        fail_msg("loser not told who decided: %s", lost->err.msg);
    assert_int_equal(count("SELECT COUNT(*) FROM case_event WHERE action = "
                           "'decide'"),
                     1);
    assert_int_equal(count("SELECT COUNT(*) FROM audit_log WHERE action = "
                           "'case.decide'"),
                     1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(deadlines_over_holidays, setup,
                                        teardown),
        cmocka_unit_test(calendar_file_errors),
        cmocka_unit_test(check_role_region_state),
        cmocka_unit_test_setup_teardown(whole_path, setup, teardown),
        cmocka_unit_test_setup_teardown(dismiss_objection, setup, teardown),
        cmocka_unit_test_setup_teardown(authorize_needs_every_member, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(list_and_overdue, setup, teardown),
        cmocka_unit_test_setup_teardown(two_approvers_decide_at_once, setup,
                                        teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
