/*
 * Applications: what is read, each refusal of rules.md section 7 with its
 * step, field and reason, the order in which refusals are kept, and the
 * texts that are not applications at all.
 */
#include "testutil.h"

#include <hedui/verify.h>

#include <stdio.h>
#include <string.h>

static char pid_a[19], pid_b[19], pid_x[19], pid_old[19];
static char old15[16];

static const char *pid_of(char out[19], const char *first17)
{
    memcpy(out, first17, 17);
    out[17] = hd_pid_check_char(first17);
    out[18] = '\0';
    return out;
}

static int setup(void **state)
{
    (void)state;
    pid_of(pid_a, "33010619800101123");
    pid_of(pid_b, "33010620100707456");
    for (int seq = 100; seq < 999; seq++) {
        char first[18];
        snprintf(first, sizeof(first), "33010619850505%03d", seq);
        if (hd_pid_check_char(first) == 'X') {
            pid_of(pid_x, first);
            break;
        }
    }
    /* A first-generation number: 330106 550303 123 is 330106 19550303123
     * and its check character. */
    snprintf(old15, sizeof(old15), "330106550303123");
    pid_of(pid_old, "33010619550303123");
    return 0;
}

/* An application with the members given as JSON text. */
static const char *app_json(const char *program, const char *region,
                            const char *members)
{
    static char buf[4096];
    snprintf(buf, sizeof(buf),
             "{\"application_no\":\"330106-2026-000123\",\"program\":%s,"
             "\"region\":%s,\"applied_on\":\"2026-11-20\",\"members\":%s,"
             "\"declared\":{\"monthly_income\":\"1200.00\","
             "\"financial_assets\":\"5000.5\",\"vehicles\":0,\"homes\":1}}",
             program, region, members);
    return buf;
}

static const char *members2(const char *p0, const char *p1)
{
    static char buf[1024];
    snprintf(buf, sizeof(buf),
             "[{\"pid\":\"%s\",\"name\":\"张三\",\"relation\":\"02\"},"
             "{\"pid\":\"%s\",\"name\":\"张小\",\"relation\":\"20\"}]",
             p0, p1);
    return buf;
}

static int parse(hd_application *app, const char *text, hd_error *err)
{
    hd_error_clear(err);
    return hd_application_parse(app, text, strlen(text), err);
}

static void reads_every_member(void **state)
{
    hd_application app;
    hd_error err;
    int32_t d;

    (void)state;
    assert_int_equal(
        parse(&app, app_json("\"dibao\"", "\"330106\"", members2(pid_a, pid_b)),
              &err),
        0);
    assert_false(app.refused);
    assert_int_equal(app.refused_step, 0);
    assert_string_equal(app.application_no, "330106-2026-000123");
    assert_int_equal(app.program, HD_PROGRAM_DIBAO);
    assert_string_equal(app.program_name, "dibao");
    assert_string_equal(app.region, "330106");
    hd_date_from_ymd(&d, 2026, 11, 20);
    assert_int_equal(app.applied_on, d);
    assert_int_equal(app.member_count, 2);
    assert_string_equal(app.members[0].pid, pid_a);
    assert_string_equal(app.members[0].name, "张三");
    assert_string_equal(app.members[0].relation, "02");
    assert_string_equal(app.members[1].name, "张小");
    assert_string_equal(app.members[1].relation, "20");
    assert_true(app.declared.has_monthly_income);
    assert_int_equal(app.declared.monthly_income_fen, 120000);
    assert_int_equal(app.declared.financial_assets_fen, 500050);
    assert_true(app.declared.has_vehicles);
    assert_int_equal(app.declared.vehicles, 0);
    assert_int_equal(app.declared.homes, 1);
    hd_application_release(&app);
}

static void lowercase_x_and_15_digits_are_accepted(void **state)
{
    hd_application app;
    hd_error err;
    char lower[19];

    (void)state;
    memcpy(lower, pid_x, 19);
    lower[17] = 'x';
    assert_int_equal(
        parse(&app,
              app_json("\"low_income\"", "\"330106\"", members2(lower, old15)),
              &err),
        0);
    assert_false(app.refused);
    assert_string_equal(app.members[0].pid, pid_x);
    assert_string_equal(app.members[0].pid_raw, lower);
    assert_string_equal(app.members[1].pid, pid_old);
    assert_string_equal(app.members[1].pid_raw, old15);
    hd_application_release(&app);
}

static void declared_figures_may_be_absent(void **state)
{
    hd_application app;
    hd_error err;
    char text[1024];

    (void)state;
    snprintf(text, sizeof(text),
             "{\"application_no\":\"A-1\",\"program\":\"tekun\",\"region\":"
             "\"110101\",\"applied_on\":\"2026-01-31\",\"members\":[{\"pid\":"
             "\"%s\",\"relation\":\"02\"}]}",
             pid_a);
    assert_int_equal(parse(&app, text, &err), 0);
    assert_false(app.refused);
    assert_false(app.declared.has_monthly_income);
    assert_false(app.declared.has_homes);
    assert_string_equal(app.members[0].name, "");
    hd_application_release(&app);
}

static void expect_refused(const char *text, int step, const char *field,
                           const char *reason)
{
    hd_application app;
    hd_error err;

    assert_int_equal(parse(&app, text, &err), 0);
    assert_true(app.refused);
    assert_int_equal(app.refused_step, step);
    assert_string_equal(app.error_field, field);
    assert_string_equal(app.error_reason, reason);
    hd_application_release(&app);
}

static void each_refusal_names_its_field(void **state)
{
    const char *ok = members2(pid_a, pid_b);
    char bad[19], text[2048];

    (void)state;
    expect_refused(app_json("\"wubao\"", "\"330106\"", ok),
                   HD_REFUSED_STEP_PROGRAM, "program", "unknown program");
    expect_refused(app_json("7", "\"330106\"", ok), HD_REFUSED_STEP_PROGRAM,
                   "program", "unknown program");
    expect_refused(app_json("\"dibao\"", "\"33010\"", ok),
                   HD_REFUSED_STEP_REGION, "region",
                   "not a 6-digit division code");
    expect_refused(app_json("\"dibao\"", "\"001234\"", ok),
                   HD_REFUSED_STEP_REGION, "region",
                   "not a 6-digit division code");
    expect_refused(app_json("\"dibao\"", "330106", ok), HD_REFUSED_STEP_REGION,
                   "region", "not a 6-digit division code");
    expect_refused(app_json("\"dibao\"", "\"330106\"", "[]"),
                   HD_REFUSED_STEP_MEMBERS, "members", "no members");
    expect_refused(app_json("\"dibao\"", "\"330106\"", "{}"),
                   HD_REFUSED_STEP_FORM, "members", "not an array");
    expect_refused(app_json("\"dibao\"", "\"330106\"", "[1]"),
                   HD_REFUSED_STEP_FORM, "members[0]", "not an object");
    snprintf(text, sizeof(text),
             "[{\"pid\":\"%s\",\"relation\":\"02\"},{\"pid\":3,"
             "\"relation\":\"20\"}]",
             pid_a);
    expect_refused(app_json("\"dibao\"", "\"330106\"", text),
                   HD_REFUSED_STEP_FORM, "members[1].pid", "not a string");
    snprintf(text, sizeof(text), "[{\"pid\":\"%s\",\"relation\":\"2\"}]",
             pid_a);
    expect_refused(app_json("\"dibao\"", "\"330106\"", text),
                   HD_REFUSED_STEP_FORM, "members[0].relation",
                   "not a 2-digit code");
    snprintf(text, sizeof(text), "[{\"pid\":\"%s\",\"relation\":2}]", pid_a);
    expect_refused(app_json("\"dibao\"", "\"330106\"", text),
                   HD_REFUSED_STEP_FORM, "members[0].relation",
                   "not a 2-digit code");

    /* The GB 11643 rules, each named. */
    memcpy(bad, pid_b, 19);
    bad[17] = bad[17] == '0' ? '1' : '0';
    expect_refused(app_json("\"dibao\"", "\"330106\"", members2(pid_a, bad)),
                   HD_REFUSED_STEP_PID, "members[1].pid", "check character");
    expect_refused(app_json("\"dibao\"", "\"330106\"",
                            members2(pid_a, "3301061980010112")),
                   HD_REFUSED_STEP_PID, "members[1].pid", "length");
    expect_refused(app_json("\"dibao\"", "\"330106\"",
                            members2("330106198001A11234", pid_b)),
                   HD_REFUSED_STEP_PID, "members[0].pid", "characters");
    expect_refused(app_json("\"dibao\"", "\"330106\"",
                            members2("33A106198001011234", pid_b)),
                   HD_REFUSED_STEP_PID, "members[0].pid", "address code");
    expect_refused(app_json("\"dibao\"", "\"330106\"",
                            members2("330106198002301234", pid_b)),
                   HD_REFUSED_STEP_PID, "members[0].pid", "birth date");
    expect_refused(app_json("\"dibao\"", "\"330106\"", members2(pid_a, "")),
                   HD_REFUSED_STEP_PID, "members[1].pid", "length");
}

static void form_of_applied_on_and_declared(void **state)
{
    char text[2048];

    (void)state;
    snprintf(text, sizeof(text),
             "{\"application_no\":\"A\",\"program\":\"dibao\",\"region\":"
             "\"330106\",\"members\":%s}",
             members2(pid_a, pid_b));
    expect_refused(text, HD_REFUSED_STEP_FORM, "applied_on", "missing");
    snprintf(text, sizeof(text),
             "{\"application_no\":\"A\",\"program\":\"dibao\",\"region\":"
             "\"330106\",\"applied_on\":\"2026-02-29\",\"members\":%s}",
             members2(pid_a, pid_b));
    expect_refused(text, HD_REFUSED_STEP_FORM, "applied_on",
                   "not a date (YYYY-MM-DD)");
    snprintf(text, sizeof(text),
             "{\"application_no\":\"A\",\"program\":\"dibao\",\"region\":"
             "\"330106\",\"applied_on\":\"2026-02-28\",\"members\":%s,"
             "\"declared\":{\"monthly_income\":1200}}",
             members2(pid_a, pid_b));
    expect_refused(text, HD_REFUSED_STEP_FORM, "declared.monthly_income",
                   "not an amount in yuan (\"1200.00\")");
    snprintf(text, sizeof(text),
             "{\"application_no\":\"A\",\"program\":\"dibao\",\"region\":"
             "\"330106\",\"applied_on\":\"2026-02-28\",\"members\":%s,"
             "\"declared\":{\"financial_assets\":\"1.005\"}}",
             members2(pid_a, pid_b));
    expect_refused(text, HD_REFUSED_STEP_FORM, "declared.financial_assets",
                   "not an amount in yuan (\"1200.00\")");
    snprintf(text, sizeof(text),
             "{\"application_no\":\"A\",\"program\":\"dibao\",\"region\":"
             "\"330106\",\"applied_on\":\"2026-02-28\",\"members\":%s,"
             "\"declared\":{\"vehicles\":\"1\"}}",
             members2(pid_a, pid_b));
    expect_refused(text, HD_REFUSED_STEP_FORM, "declared.vehicles",
                   "not a whole number");
    snprintf(text, sizeof(text),
             "{\"application_no\":\"A\",\"program\":\"dibao\",\"region\":"
             "\"330106\",\"applied_on\":\"2026-02-28\",\"members\":%s,"
             "\"declared\":{\"homes\":-1}}",
             members2(pid_a, pid_b));
    expect_refused(text, HD_REFUSED_STEP_FORM, "declared.homes",
                   "not a whole number");
    snprintf(text, sizeof(text),
             "{\"application_no\":\"A\",\"program\":\"dibao\",\"region\":"
             "\"330106\",\"applied_on\":\"2026-02-28\",\"members\":%s,"
             "\"declared\":[]}",
             members2(pid_a, pid_b));
    expect_refused(text, HD_REFUSED_STEP_FORM, "declared", "not an object");
}

static void the_first_failure_in_order_is_kept(void **state)
{
    char bad[19], text[2048];

    (void)state;
    memcpy(bad, pid_a, 19);
    bad[17] = bad[17] == '0' ? '1' : '0';
    /* program before region before members. */
    expect_refused(app_json("\"wubao\"", "\"3301\"", "[]"),
                   HD_REFUSED_STEP_PROGRAM, "program", "unknown program");
    expect_refused(app_json("\"dibao\"", "\"3301\"", "[]"),
                   HD_REFUSED_STEP_REGION, "region",
                   "not a 6-digit division code");
    /* region before a bad pid */
    expect_refused(app_json("\"dibao\"", "\"3301\"", members2(bad, pid_b)),
                   HD_REFUSED_STEP_REGION, "region",
                   "not a 6-digit division code");
    /* a form failure (a later member's relation) before an earlier
     * member's bad pid */
    snprintf(text, sizeof(text),
             "[{\"pid\":\"%s\",\"relation\":\"02\"},{\"pid\":\"%s\","
             "\"relation\":\"x\"}]",
             bad, pid_b);
    expect_refused(app_json("\"dibao\"", "\"330106\"", text),
                   HD_REFUSED_STEP_FORM, "members[1].relation",
                   "not a 2-digit code");
    /* the first bad pid of several */
    expect_refused(app_json("\"dibao\"", "\"330106\"", members2(bad, "1")),
                   HD_REFUSED_STEP_PID, "members[0].pid", "check character");
    /* applied_on (form) before no members */
    expect_refused("{\"application_no\":\"A\",\"program\":\"dibao\","
                   "\"region\":\"330106\",\"applied_on\":\"x\","
                   "\"members\":[]}",
                   HD_REFUSED_STEP_FORM, "applied_on",
                   "not a date (YYYY-MM-DD)");
}

static void refused_applications_keep_their_members(void **state)
{
    hd_application app;
    hd_error err;

    (void)state;
    assert_int_equal(
        parse(&app, app_json("\"wubao\"", "\"330106\"", members2(pid_a, pid_b)),
              &err),
        0);
    assert_true(app.refused);
    assert_int_equal(app.program, -1);
    assert_string_equal(app.program_name, "wubao");
    assert_int_equal(app.member_count, 2);
    assert_string_equal(app.members[1].pid, pid_b);
    hd_application_release(&app);
}

static void not_an_application_at_all(void **state)
{
    hd_application app;
    hd_error err;
    char text[256];

    (void)state;
    assert_int_equal(parse(&app, "{\"application_no\":", &err), HD_EDATA);
    assert_int_equal(parse(&app, "[]", &err), HD_EDATA);
    assert_int_equal(parse(&app, "{\"program\":\"dibao\"}", &err), HD_EDATA);
    assert_string_equal(err.field, "application_no");
    assert_int_equal(parse(&app, "{\"application_no\":12}", &err), HD_EDATA);
    assert_string_equal(err.field, "application_no");
    assert_int_equal(parse(&app, "{\"application_no\":\"\"}", &err), HD_EDATA);
    snprintf(text, sizeof(text), "{\"application_no\":\"%064d\"}", 0);
    assert_int_equal(parse(&app, text, &err), HD_EDATA);
    snprintf(text, sizeof(text), "{\"application_no\":\"%063d\"}", 0);
    assert_int_equal(parse(&app, text, &err), 0);
    assert_true(app.refused);
    assert_int_equal(strlen(app.application_no), 63);
    hd_application_release(&app);
}

static void allocation_failure_is_clean(void **state)
{
    hd_application app;
    hd_error err;
    const char *text =
        app_json("\"dibao\"", "\"330106\"", members2(pid_a, pid_b));

    (void)state;
    /* The names block is the only allocation of hedui's own. */
    hd_alloc_fail_after(1, true);
    assert_int_equal(parse(&app, text, &err), HD_ENOMEM);
    hd_alloc_fail_after(0, false);
    assert_null(app.names);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(reads_every_member),
        cmocka_unit_test(lowercase_x_and_15_digits_are_accepted),
        cmocka_unit_test(declared_figures_may_be_absent),
        cmocka_unit_test(each_refusal_names_its_field),
        cmocka_unit_test(form_of_applied_on_and_declared),
        cmocka_unit_test(the_first_failure_in_order_is_kept),
        cmocka_unit_test(refused_applications_keep_their_members),
        cmocka_unit_test(not_an_application_at_all),
        cmocka_unit_test(allocation_failure_is_clean),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
