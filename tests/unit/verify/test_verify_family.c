/*
 * rules.md section 2 (the family and its findings) and section 7 (refusal,
 * authorization, precedence of conclusions, FEED_NOT_DELIVERED, a family
 * with no living member).
 */
#include "verify_test.h"

static void couple(vt *t, const char *program)
{
    vt_init(t, program, "2026-11-20");
    vt_member(t, "19800101", 11, "02");
    vt_member(t, "19820202", 22, "10");
}

static void test_clean_family_meets(void **state)
{
    vt t;
    (void)state;
    couple(&t, "dibao");
    vt_hukou_all(&t);
    vt_run(&t);
    assert_int_equal(t.r.conclusion, HD_CONCLUSION_MEETS);
    assert_int_equal(t.r.findings, 0);
    assert_int_equal(t.r.figures.members, 2);
    assert_true(t.r.members[1].in_hukou);
    assert_string_equal(t.r.members[1].hukou_relation, "10");
    vt_free(&t);
}

static void test_member_not_in_hukou(void **state)
{
    vt t;
    (void)state;
    couple(&t, "dibao");
    vt_hukou(&t, 0, "H0001", "1");
    vt_run(&t);
    assert_true(vt_has(&t, HD_FIND_MEMBER_NOT_IN_HUKOU));
    assert_int_equal(t.r.conclusion, HD_CONCLUSION_REVIEW);
    /* still in F: not deceased */
    assert_int_equal(t.r.figures.members, 2);
    vt_free(&t);
}

static void test_member_deceased(void **state)
{
    vt t;
    (void)state;
    /* by hukou status 2 */
    couple(&t, "dibao");
    vt_hukou(&t, 0, "H0001", "1");
    vt_hukou(&t, 1, "H0001", "2");
    vt_run(&t);
    assert_true(vt_has(&t, HD_FIND_MEMBER_DECEASED));
    assert_true(t.r.members[1].deceased);
    assert_int_equal(t.r.figures.members, 1);
    assert_int_equal(t.r.conclusion, HD_CONCLUSION_REVIEW);
    /* the level is stated for review cases too */
    assert_true(t.r.has_level);
    assert_int_equal(t.r.level, HD_LEVEL_DIBAO);
    vt_free(&t);

    /* by a death row, whatever its date, though hukou says normal */
    couple(&t, "dibao");
    vt_hukou_all(&t);
    vt_row(&t, 1, "death", "2030-01-01", NULL);
    vt_run(&t);
    assert_true(vt_has(&t, HD_FIND_MEMBER_DECEASED));
    assert_int_equal(t.r.figures.members, 1);
    vt_free(&t);
}

/* A couple whose applicant's latest marriage row names `spouse`. */
static void spouse_case(vt *t, const char *spouse)
{
    couple(t, "dibao");
    t->app.member_count = 1; /* the spouse is not declared */
    vt_hukou_all(t);
    vt_row(t, 0, "marriage", spouse, "1", "2010-05-01", NULL);
}

static void test_undeclared_spouse(void **state)
{
    vt t;
    char spouse[19];
    (void)state;
    vt_pid(spouse, "19820202", 22);

    /* no records of the spouse: alive */
    spouse_case(&t, spouse);
    vt_run(&t);
    assert_true(vt_has(&t, HD_FIND_UNDECLARED_SPOUSE));
    assert_int_equal(t.r.conclusion, HD_CONCLUSION_REVIEW);
    vt_free(&t);

    /* a hukou row of status 1: alive */
    spouse_case(&t, spouse);
    vt_hukou_pid(&t, -1, spouse, "H0002", "02", "1");
    vt_run(&t);
    assert_true(vt_has(&t, HD_FIND_UNDECLARED_SPOUSE));
    vt_free(&t);

    /* a spouse whose hukou says deceased */
    spouse_case(&t, spouse);
    vt_hukou_pid(&t, -1, spouse, "H0002", "02", "2");
    vt_run(&t);
    assert_false(vt_has(&t, HD_FIND_UNDECLARED_SPOUSE));
    assert_int_equal(t.r.conclusion, HD_CONCLUSION_MEETS);
    vt_free(&t);

    /* a spouse with a death row */
    spouse_case(&t, spouse);
    vt_row_pid(&t, -1, spouse, "death", "2020-01-01", NULL);
    vt_run(&t);
    assert_false(vt_has(&t, HD_FIND_UNDECLARED_SPOUSE));
    vt_free(&t);

    /* the latest row is a divorce */
    spouse_case(&t, spouse);
    vt_row(&t, 0, "marriage", spouse, "2", "2015-05-01", NULL);
    vt_run(&t);
    assert_false(vt_has(&t, HD_FIND_UNDECLARED_SPOUSE));
    vt_free(&t);

    /* a remarriage after the divorce: the latest row is a marriage */
    spouse_case(&t, spouse);
    vt_row(&t, 0, "marriage", spouse, "2", "2015-05-01", NULL);
    vt_row(&t, 0, "marriage", spouse, "1", "2018-05-01", NULL);
    vt_run(&t);
    assert_true(vt_has(&t, HD_FIND_UNDECLARED_SPOUSE));
    vt_free(&t);

    /* a declared spouse is no finding */
    couple(&t, "dibao");
    vt_hukou_all(&t);
    vt_row(&t, 0, "marriage", t.app.members[1].pid, "1", "2010-05-01", NULL);
    vt_run(&t);
    assert_false(vt_has(&t, HD_FIND_UNDECLARED_SPOUSE));
    vt_free(&t);
}

static void test_relation_mismatch(void **state)
{
    vt t;
    (void)state;
    /* declared spouse "10", registered as "30": informational only */
    couple(&t, "dibao");
    vt_hukou(&t, 0, "H0001", "1");
    vt_hukou_pid(&t, 1, t.app.members[1].pid, "H0001", "30", "1");
    vt_run(&t);
    assert_true(vt_has(&t, HD_FIND_RELATION_MISMATCH));
    assert_int_equal(t.r.conclusion, HD_CONCLUSION_MEETS);
    assert_non_null(strstr(
        vt_json(&t), "\"failed\":[],\"findings\":[\"RELATION_MISMATCH\"]}"));
    vt_free(&t);

    /* in another hukou: not compared */
    couple(&t, "dibao");
    vt_hukou(&t, 0, "H0001", "1");
    vt_hukou_pid(&t, 1, t.app.members[1].pid, "H0002", "30", "1");
    vt_run(&t);
    assert_false(vt_has(&t, HD_FIND_RELATION_MISMATCH));
    vt_free(&t);

    /* an applicant who is not the head mismatches "02" */
    couple(&t, "dibao");
    vt_hukou_pid(&t, 0, t.app.members[0].pid, "H0001", "20", "1");
    vt_hukou(&t, 1, "H0001", "1");
    vt_run(&t);
    assert_true(vt_has(&t, HD_FIND_RELATION_MISMATCH));
    vt_free(&t);

    /* no hukou row for the applicant: nothing to compare with */
    couple(&t, "dibao");
    vt_hukou_pid(&t, 1, t.app.members[1].pid, "H0001", "30", "1");
    vt_run(&t);
    assert_false(vt_has(&t, HD_FIND_RELATION_MISMATCH));
    vt_free(&t);
}

static void test_no_living_member(void **state)
{
    vt t;
    (void)state;
    /* one deceased by hukou, the other by a death row */
    couple(&t, "tekun");
    vt_hukou(&t, 0, "H0001", "2");
    vt_hukou(&t, 1, "H0001", "1");
    vt_row(&t, 1, "death", "2026-01-01", NULL);
    vt_run(&t);
    assert_int_equal(t.r.conclusion, HD_CONCLUSION_REVIEW);
    assert_false(t.r.has_figures);
    assert_false(t.r.has_level);
    assert_int_equal(t.r.failed, 0);
    /* no figures: no SUPPORTER_CHECK either */
    assert_string_equal(vt_json(&t),
                        "{\"application_no\":\"330106-2026-000001\","
                        "\"program\":\"tekun\",\"conclusion\":\"review\","
                        "\"failed\":[],\"findings\":[\"MEMBER_DECEASED\"]}");
    vt_free(&t);
}

static void test_feed_not_delivered(void **state)
{
    vt t;
    (void)state;
    couple(&t, "dibao");
    vt_hukou_all(&t);
    /* unemployment is not read: no finding */
    t.d.feeds[6].delivered = false;
    vt_run(&t);
    assert_int_equal(t.r.conclusion, HD_CONCLUSION_MEETS);
    /* deposit is */
    t.d.feeds[hd_feed_find("deposit")->id].delivered = false;
    vt_run(&t);
    assert_true(vt_has(&t, HD_FIND_FEED_NOT_DELIVERED));
    assert_int_equal(t.r.conclusion, HD_CONCLUSION_REVIEW);
    assert_true(t.r.has_figures);
    vt_free(&t);
}

static void test_review_before_fails(void **state)
{
    vt t;
    (void)state;
    /* a failing test and a finding forcing review: review, with the
     * failing test listed and the level stated */
    couple(&t, "dibao");
    vt_hukou(&t, 0, "H0001", "1");
    vt_row(&t, 1, "vehicle", "浙A00006", "car", "2015-01-01", "1.00", "1",
           NULL);
    vt_run(&t);
    assert_int_equal(t.r.conclusion, HD_CONCLUSION_REVIEW);
    assert_int_equal(t.r.failed, 1ull << HD_FAIL_VEHICLE);
    assert_int_equal(t.r.level, HD_LEVEL_NONE);
    assert_string_equal(
        vt_json(&t),
        "{\"application_no\":\"330106-2026-000001\",\"program\":\"dibao\","
        "\"conclusion\":\"review\",\"level\":\"none\",\"figures\":{"
        "\"members\":2,\"income\":0,\"expenditure\":0,\"pci\":0,"
        "\"pci_after\":0,\"financial_assets\":0,\"pca\":0,\"homes\":0,"
        "\"area_pc\":0,\"vehicles\":1},\"failed\":[\"VEHICLE\"],"
        "\"findings\":[\"MEMBER_NOT_IN_HUKOU\"]}");
    vt_free(&t);
}

static void test_refused_order(void **state)
{
    vt t;
    (void)state;
    /* a refusal found before the policy step wins over no
     * dibao_standard */
    couple(&t, "wubao");
    t.app.refused = true;
    t.app.refused_step = HD_REFUSED_STEP_PROGRAM;
    snprintf(t.app.error_field, sizeof(t.app.error_field), "program");
    snprintf(t.app.error_reason, sizeof(t.app.error_reason), "unknown program");
    t.d.authorized = false; /* refused comes before unauthorized */
    assert_int_equal(hd_verify(&t.r, &t.d, NULL, &t.err), 0);
    assert_int_equal(t.r.conclusion, HD_CONCLUSION_REFUSED);
    assert_string_equal(t.r.error_field, "program");
    assert_string_equal(
        vt_json(&t),
        "{\"application_no\":\"330106-2026-000001\",\"program\":\"wubao\","
        "\"conclusion\":\"refused\",\"findings\":[\"APPLICATION_INVALID\"],"
        "\"error\":{\"field\":\"program\",\"reason\":\"unknown program\"}}");

    /* a pid failure comes after it */
    t.app.refused_step = HD_REFUSED_STEP_PID;
    snprintf(t.app.error_field, sizeof(t.app.error_field), "members[1].pid");
    snprintf(t.app.error_reason, sizeof(t.app.error_reason), "check character");
    assert_int_equal(hd_verify(&t.r, &t.d, NULL, &t.err), 0);
    assert_string_equal(t.r.error_field, "region");
    assert_string_equal(t.r.error_reason, "no dibao_standard resolves");
    /* with a dibao_standard, the pid failure is reported */
    vt_run(&t);
    assert_int_equal(t.r.conclusion, HD_CONCLUSION_REFUSED);
    assert_string_equal(t.r.error_field, "members[1].pid");
    assert_int_equal(t.r.findings, 1ull << HD_FIND_APPLICATION_INVALID);
    assert_false(t.r.has_figures);
    assert_false(t.r.has_level);
    vt_free(&t);

    /* a well-formed application with no dibao_standard */
    couple(&t, "dibao");
    vt_hukou_all(&t);
    assert_int_equal(hd_verify(&t.r, &t.d, NULL, &t.err), 0);
    assert_int_equal(t.r.conclusion, HD_CONCLUSION_REFUSED);
    assert_string_equal(t.r.error_field, "region");
    vt_free(&t);
}

static void test_unauthorized(void **state)
{
    vt t;
    (void)state;
    vt_init(&t, "dibao", "2026-11-20");
    vt_member(&t, "19800101", 11, "02");
    vt_member(&t, "19820202", 22, "10");
    vt_member(&t, "20100303", 33, "20");
    t.d.authorized = false;
    t.d.missing_count = 2;
    t.d.missing[0] = 0;
    t.d.missing[1] = 2;
    vt_run(&t);
    assert_int_equal(t.r.conclusion, HD_CONCLUSION_UNAUTHORIZED);
    assert_int_equal(t.r.findings, 1ull << HD_FIND_NO_AUTHORIZATION);
    assert_false(t.r.members[0].authorized);
    assert_true(t.r.members[1].authorized);
    {
        char expect[512];
        snprintf(expect, sizeof(expect),
                 "{\"application_no\":\"330106-2026-000001\","
                 "\"program\":\"dibao\",\"conclusion\":\"unauthorized\","
                 "\"findings\":[\"NO_AUTHORIZATION\"],"
                 "\"pids\":[\"%s\",\"%s\"]}",
                 t.app.members[0].pid, t.app.members[2].pid);
        assert_string_equal(vt_json(&t), expect);
    }
    vt_free(&t);
}

static void test_family_sources(void **state)
{
    vt t;
    int family = 0;
    (void)state;
    couple(&t, "dibao");
    vt_hukou(&t, 0, "H0001", "1");
    vt_hukou(&t, 1, "H0001", "2");
    vt_row(&t, 1, "death", "2026-01-01", NULL);
    vt_run(&t);
    /* the deceased's hukou row and death row */
    for (size_t i = 0; i < t.r.source_count; i++)
        if (t.r.sources[i].figure == HD_FIGURE_FAMILY) {
            assert_int_equal(t.r.sources[i].record->member, 1);
            family++;
        }
    assert_int_equal(family, 2);
    vt_free(&t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_clean_family_meets),
        cmocka_unit_test(test_member_not_in_hukou),
        cmocka_unit_test(test_member_deceased),
        cmocka_unit_test(test_undeclared_spouse),
        cmocka_unit_test(test_relation_mismatch),
        cmocka_unit_test(test_no_living_member),
        cmocka_unit_test(test_feed_not_delivered),
        cmocka_unit_test(test_review_before_fails),
        cmocka_unit_test(test_refused_order),
        cmocka_unit_test(test_unauthorized),
        cmocka_unit_test(test_family_sources),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
