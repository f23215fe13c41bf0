/*
 * Roles and jurisdictions: names and titles, the role masks of routes,
 * which regions an account covers (issue 5: a county sees its county, a
 * city its counties, a province its cities; municipalities alike), and
 * which regions an account may be bound to.
 */
#include "testutil.h"

#include <hedui/staff.h>

#include <string.h>

static void names_titles_and_parse(void **state)
{
    static const char *const names[] = {"clerk", "verifier", "approver",
                                        "auditor", "admin"};
    static const char *const titles[] = {"受理员", "核对员", "审核确认",
                                         "审计员", "管理员"};
    hd_error err;
    hd_role r;
    (void)state;

    for (int i = 0; i < HD_ROLE_COUNT_; i++) {
        assert_string_equal(hd_role_name((hd_role)i), names[i]);
        assert_string_equal(hd_role_title((hd_role)i), titles[i]);
        assert_int_equal(hd_role_parse(&r, names[i], &err), 0);
        assert_int_equal(r, i);
    }
    assert_null(hd_role_name(HD_ROLE_COUNT_));
    assert_null(hd_role_name((hd_role)-1));
    assert_int_equal(hd_role_parse(&r, "Admin", &err), HD_EINVAL);
    assert_string_equal(err.field, "role");
    assert_int_equal(hd_role_parse(&r, "", &err), HD_EINVAL);
    assert_int_equal(hd_role_parse(&r, NULL, &err), HD_EINVAL);
}

static void masks_and_totp(void **state)
{
    hd_role_mask m = HD_ROLE_BIT(HD_ROLE_CLERK) | HD_ROLE_BIT(HD_ROLE_ADMIN);
    (void)state;

    assert_true(hd_role_in(HD_ROLE_CLERK, m));
    assert_true(hd_role_in(HD_ROLE_ADMIN, m));
    assert_false(hd_role_in(HD_ROLE_VERIFIER, m));
    assert_false(hd_role_in(HD_ROLE_AUDITOR, m));
    assert_false(hd_role_in(HD_ROLE_COUNT_, HD_ROLES_ALL));
    for (int i = 0; i < HD_ROLE_COUNT_; i++)
        assert_true(hd_role_in((hd_role)i, HD_ROLES_ALL));
    assert_true(hd_role_needs_totp(HD_ROLE_ADMIN));
    assert_true(hd_role_needs_totp(HD_ROLE_AUDITOR));
    assert_false(hd_role_needs_totp(HD_ROLE_CLERK));
    assert_false(hd_role_needs_totp(HD_ROLE_VERIFIER));
    assert_false(hd_role_needs_totp(HD_ROLE_APPROVER));
}

static void region_covers(void **state)
{
    (void)state;
    /* A province: every code of its own, none of another. */
    assert_true(hd_staff_region_covers("330000", "330000"));
    assert_true(hd_staff_region_covers("330000", "330100"));
    assert_true(hd_staff_region_covers("330000", "330106"));
    assert_true(hd_staff_region_covers("330000", "330106001"));
    assert_false(hd_staff_region_covers("330000", "340106"));
    assert_false(hd_staff_region_covers("330000", "310000"));
    /* A city: its counties, not its neighbours nor its province. */
    assert_true(hd_staff_region_covers("330100", "330100"));
    assert_true(hd_staff_region_covers("330100", "330106"));
    assert_true(hd_staff_region_covers("330100", "330106002"));
    assert_false(hd_staff_region_covers("330100", "330206"));
    assert_false(hd_staff_region_covers("330100", "330000"));
    /* A county: itself and its townships only. */
    assert_true(hd_staff_region_covers("330106", "330106"));
    assert_true(hd_staff_region_covers("330106", "330106001"));
    assert_false(hd_staff_region_covers("330106", "330105"));
    assert_false(hd_staff_region_covers("330106", "330100"));
    assert_false(hd_staff_region_covers("330106", "330000"));
    /* Municipalities by the same rule: Beijing covers its districts. */
    assert_true(hd_staff_region_covers("110000", "110101"));
    assert_true(hd_staff_region_covers("110000", "110100"));
    assert_true(hd_staff_region_covers("110100", "110105"));
    assert_false(hd_staff_region_covers("110101", "110105"));
    assert_false(hd_staff_region_covers("110000", "120101"));
    /* Malformed codes cover nothing and are covered by nothing. */
    assert_false(hd_staff_region_covers("33", "330106"));
    assert_false(hd_staff_region_covers("000000", "000001"));
    assert_false(hd_staff_region_covers("3300000", "330106"));
    assert_false(hd_staff_region_covers("330106001", "330106001"));
    assert_false(hd_staff_region_covers("330000", "33010"));
    assert_false(hd_staff_region_covers("330000", "3301061"));
    assert_false(hd_staff_region_covers("330000", "33010600a"));
    assert_false(hd_staff_region_covers("330000", "3301x6"));
    assert_false(hd_staff_region_covers("330000", ""));
    assert_false(hd_staff_region_covers(NULL, "330106"));
    assert_false(hd_staff_region_covers("330000", NULL));
}

static void region_check(void **state)
{
    hd_error err;
    (void)state;
    assert_int_equal(hd_staff_region_check("330000", &err), 0);
    assert_int_equal(hd_staff_region_check("330100", &err), 0);
    assert_int_equal(hd_staff_region_check("330106", &err), 0);
    assert_int_equal(hd_staff_region_check("110000", &err), 0);
    /* A township is below the counties accounts are bound to. */
    assert_int_equal(hd_staff_region_check("330106001", &err), HD_EINVAL);
    assert_string_equal(err.field, "region");
    /* Well formed, but not in the division table. */
    assert_int_equal(hd_staff_region_check("339999", &err), HD_EINVAL);
    assert_int_equal(hd_staff_region_check("abcdef", &err), HD_EINVAL);
    assert_int_equal(hd_staff_region_check(NULL, &err), HD_EINVAL);
}

static void allow(void **state)
{
    hd_staff_user u;
    hd_error err;
    (void)state;

    memset(&u, 0, sizeof(u));
    u.role = HD_ROLE_VERIFIER;
    memcpy(u.region, "330100", 7);
    assert_int_equal(
        hd_staff_allow(&u, HD_ROLE_BIT(HD_ROLE_VERIFIER), "330106", &err), 0);
    assert_int_equal(
        hd_staff_allow(&u, HD_ROLE_BIT(HD_ROLE_VERIFIER), NULL, &err), 0);
    assert_int_equal(
        hd_staff_allow(&u, HD_ROLE_BIT(HD_ROLE_VERIFIER), "330206", &err),
        HD_EDENIED);
    assert_non_null(strstr(err.msg, "330206"));
    assert_int_equal(hd_staff_allow(&u,
                                    HD_ROLE_BIT(HD_ROLE_APPROVER) |
                                        HD_ROLE_BIT(HD_ROLE_CLERK),
                                    "330106", &err),
                     HD_EDENIED);
    assert_non_null(strstr(err.msg, "verifier"));
    assert_int_equal(hd_staff_allow(NULL, HD_ROLES_ALL, NULL, &err),
                     HD_EDENIED);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(names_titles_and_parse),
        cmocka_unit_test(masks_and_totp),
        cmocka_unit_test(region_covers),
        cmocka_unit_test(region_check),
        cmocka_unit_test(allow),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
