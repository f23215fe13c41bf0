/*
 * Accounts: adding, reading, listing by region, disabling, passwords,
 * role and region changes with their second factor, who may do what, and
 * the audit entry each change writes with it (and not when it fails).
 * The store comes from tu_casestore_new (staff_fixture.c): this runs on
 * SQLite and on PostgreSQL.
 */
#include "staff_test.h"

#define PW "ok-password-1"

static void add_and_get(void **state)
{
    char uri[HD_STAFF_TOTP_URI_MAX];
    hd_staff_new u = {"li.wei", "李伟", HD_ROLE_VERIFIER, "330106", PW};
    hd_staff_user got;
    hd_error err;
    st_audit a;
    (void)state;

    hd_error_clear(&err);
    assert_int_equal(
        hd_staff_user_add(uri, st_cs, &st_operator, &u, 1700, &err), 0);
    assert_string_equal(uri, ""); /* a verifier has no second factor */
    assert_int_equal(hd_staff_user_get(&got, st_cs, "li.wei", &err), 0);
    assert_string_equal(got.username, "li.wei");
    assert_string_equal(got.display_name, "李伟");
    assert_int_equal(got.role, HD_ROLE_VERIFIER);
    assert_string_equal(got.region, "330106");
    assert_int_equal(got.generation, 1);
    assert_false(got.has_totp);
    assert_false(got.disabled);
    assert_int_equal(got.created_at, 1700);
    /* The password is stored as Argon2id, never as itself. */
    assert_int_equal(tu_casestore_int(st_db, "SELECT count(*) FROM staff_user "
                                             "WHERE password LIKE "
                                             "'$argon2id$%'"),
                     1);
    assert_int_equal(tu_casestore_int(st_db, "SELECT count(*) FROM staff_user "
                                             "WHERE password LIKE "
                                             "'%ok-password%'"),
                     0);
    a = st_audit_of("user_add");
    assert_int_equal(a.count, 1);
    assert_string_equal(a.actor, "cli:uid=1000");
    assert_string_equal(a.persons, "[]");
    assert_string_equal(a.outcome, "ok user=li.wei role=verifier "
                                   "region=330106");
    /* Without a display name, the username stands for it. */
    st_add("wang.fang", HD_ROLE_CLERK, "330106", PW, NULL);
    assert_int_equal(hd_staff_user_get(&got, st_cs, "wang.fang", &err), 0);
    assert_string_equal(got.display_name, "wang.fang");
    assert_int_equal(hd_staff_user_get(&got, st_cs, "nobody", &err),
                     HD_ENOTFOUND);
}

static void add_refused_writes_nothing(void **state)
{
    char uri[HD_STAFF_TOTP_URI_MAX];
    hd_staff_new u = {"li.wei", NULL, HD_ROLE_CLERK, "330106", PW};
    hd_error err;
    (void)state;

    st_add("li.wei", HD_ROLE_CLERK, "330106", PW, NULL);
    assert_int_equal(st_audit_of("user_add").count, 1);
    /* Taken, bad name, bad region, weak password, password = name. */
    assert_int_equal(hd_staff_user_add(uri, st_cs, &st_operator, &u, 1, &err),
                     HD_EEXISTS);
    assert_string_equal(err.field, "username");
    u.username = "LiWei";
    assert_int_equal(hd_staff_user_add(uri, st_cs, &st_operator, &u, 1, &err),
                     HD_EINVAL);
    u.username = "li.wei2";
    u.region = "330106001";
    assert_int_equal(hd_staff_user_add(uri, st_cs, &st_operator, &u, 1, &err),
                     HD_EINVAL);
    assert_string_equal(err.field, "region");
    u.region = "330106";
    u.password = "short";
    assert_int_equal(hd_staff_user_add(uri, st_cs, &st_operator, &u, 1, &err),
                     HD_EINVAL);
    u.password = "li.wei2";
    assert_int_equal(hd_staff_user_add(uri, st_cs, &st_operator, &u, 1, &err),
                     HD_EINVAL);
    u.password = PW;
    u.role = HD_ROLE_COUNT_;
    assert_int_equal(hd_staff_user_add(uri, st_cs, &st_operator, &u, 1, &err),
                     HD_EINVAL);
    u.role = HD_ROLE_CLERK;
    u.display_name = "bad\nname";
    assert_int_equal(hd_staff_user_add(uri, st_cs, &st_operator, &u, 1, &err),
                     HD_EINVAL);
    assert_string_equal(err.field, "name");
    assert_int_equal(tu_casestore_int(st_db, "SELECT count(*) FROM "
                                             "staff_user"),
                     1);
    assert_int_equal(st_audit_of("user_add").count, 1);
}

static void second_factor_for_admin_and_auditor(void **state)
{
    char uri[HD_STAFF_TOTP_URI_MAX], secret[HD_TOTP_SECRET_B32_LEN + 1];
    hd_staff_new u = {"audit.1", NULL, HD_ROLE_AUDITOR, "330000", PW};
    hd_staff_user got;
    hd_error err;
    uint8_t raw[32];
    (void)state;

    assert_int_equal(hd_staff_user_add(uri, st_cs, &st_operator, &u, 5, &err),
                     0);
    assert_int_equal(strncmp(uri, "otpauth://totp/hedui:audit.1?secret=", 36),
                     0);
    assert_non_null(strstr(uri, "&digits=6&period=30"));
    snprintf(secret, sizeof(secret), "%.32s", uri + 36);
    /* 20 random bytes. */
    assert_int_equal(hd_staff_base32_decode(raw, sizeof(raw), secret), 20);
    assert_int_equal(hd_staff_user_get(&got, st_cs, "audit.1", &err), 0);
    assert_true(got.has_totp);
    /* Two accounts get two secrets. */
    st_add("admin.1", HD_ROLE_ADMIN, "330000", PW, secret);
    assert_null(strstr(uri, secret));
}

typedef struct names {
    int count;
    char list[128];
} names;

static int take_name(const hd_staff_user *u, void *payload)
{
    names *n = payload;
    size_t used = strlen(n->list);
    n->count++;
    snprintf(n->list + used, sizeof(n->list) - used, "%s ", u->username);
    return 0;
}

static void list_by_region(void **state)
{
    names all = {0}, city = {0}, county = {0}, other = {0};
    hd_error err;
    (void)state;

    st_add("c.county", HD_ROLE_CLERK, "330106", PW, NULL);
    st_add("b.city", HD_ROLE_VERIFIER, "330100", PW, NULL);
    st_add("a.province", HD_ROLE_APPROVER, "330000", PW, NULL);
    st_add("d.elsewhere", HD_ROLE_CLERK, "110101", PW, NULL);
    assert_int_equal(hd_staff_user_list(st_cs, NULL, take_name, &all, &err), 0);
    assert_string_equal(all.list, "a.province b.city c.county d.elsewhere ");
    assert_int_equal(
        hd_staff_user_list(st_cs, "330100", take_name, &city, &err), 0);
    assert_string_equal(city.list, "b.city c.county ");
    assert_int_equal(
        hd_staff_user_list(st_cs, "330106", take_name, &county, &err), 0);
    assert_string_equal(county.list, "c.county ");
    assert_int_equal(
        hd_staff_user_list(st_cs, "110000", take_name, &other, &err), 0);
    assert_string_equal(other.list, "d.elsewhere ");
}

static void changes_bump_generation_and_audit(void **state)
{
    char uri[HD_STAFF_TOTP_URI_MAX];
    hd_staff_user got;
    hd_error err;
    (void)state;

    st_add("li.wei", HD_ROLE_CLERK, "330106", PW, NULL);
    assert_int_equal(hd_staff_user_passwd(st_cs, &st_operator, "li.wei", NULL,
                                          "new-password-2", 2000, &err),
                     0);
    assert_int_equal(hd_staff_user_get(&got, st_cs, "li.wei", &err), 0);
    assert_int_equal(got.generation, 2);
    assert_int_equal(got.updated_at, 2000);
    assert_int_equal(st_audit_of("user_passwd").count, 1);
    /* A clerk made an auditor gets a second factor; made a verifier
     * again, loses it. */
    assert_int_equal(hd_staff_user_role(uri, st_cs, &st_operator, "li.wei",
                                        HD_ROLE_AUDITOR, "330100", 2001, &err),
                     0);
    assert_int_equal(strncmp(uri, "otpauth://", 10), 0);
    assert_int_equal(hd_staff_user_get(&got, st_cs, "li.wei", &err), 0);
    assert_int_equal(got.generation, 3);
    assert_int_equal(got.role, HD_ROLE_AUDITOR);
    assert_string_equal(got.region, "330100");
    assert_true(got.has_totp);
    assert_string_equal(st_audit_of("user_role").outcome,
                        "ok user=li.wei role=auditor region=330100");
    assert_int_equal(hd_staff_user_role(uri, st_cs, &st_operator, "li.wei",
                                        HD_ROLE_VERIFIER, "330100", 2002, &err),
                     0);
    assert_string_equal(uri, "");
    assert_int_equal(hd_staff_user_get(&got, st_cs, "li.wei", &err), 0);
    assert_false(got.has_totp);
    assert_int_equal(got.generation, 4);
    /* Disabling: once; a second time changes nothing. */
    assert_int_equal(
        hd_staff_user_disable(st_cs, &st_operator, "li.wei", 2003, &err), 0);
    assert_int_equal(hd_staff_user_get(&got, st_cs, "li.wei", &err), 0);
    assert_true(got.disabled);
    assert_int_equal(got.disabled_at, 2003);
    assert_int_equal(got.generation, 5);
    assert_int_equal(
        hd_staff_user_disable(st_cs, &st_operator, "li.wei", 2004, &err), 0);
    assert_int_equal(hd_staff_user_get(&got, st_cs, "li.wei", &err), 0);
    assert_int_equal(got.generation, 5);
    assert_int_equal(st_audit_of("user_disable").count, 1);
    /* Unknown accounts; bad new values change nothing. */
    assert_int_equal(
        hd_staff_user_disable(st_cs, &st_operator, "nobody", 1, &err),
        HD_ENOTFOUND);
    assert_int_equal(hd_staff_user_passwd(st_cs, &st_operator, "li.wei", NULL,
                                          "short", 2005, &err),
                     HD_EINVAL);
    assert_int_equal(hd_staff_user_role(uri, st_cs, &st_operator, "li.wei",
                                        HD_ROLE_CLERK, "999999", 2005, &err),
                     HD_EINVAL);
    assert_int_equal(hd_staff_user_get(&got, st_cs, "li.wei", &err), 0);
    assert_int_equal(got.generation, 5);
    assert_int_equal(st_audit_of("user_passwd").count, 1);
    assert_int_equal(st_audit_of("user_role").count, 2);
}

static void who_may_manage(void **state)
{
    char uri[HD_STAFF_TOTP_URI_MAX];
    hd_staff_user city_admin, clerk;
    hd_staff_actor a, c;
    hd_staff_new u = {"new.one", NULL, HD_ROLE_CLERK, "330106", PW};
    hd_error err;
    int entries;
    (void)state;

    st_add("admin.city", HD_ROLE_ADMIN, "330100", PW, NULL);
    st_add("clerk.1", HD_ROLE_CLERK, "330106", PW, NULL);
    st_add("clerk.far", HD_ROLE_CLERK, "330206", PW, NULL);
    assert_int_equal(hd_staff_user_get(&city_admin, st_cs, "admin.city", &err),
                     0);
    assert_int_equal(hd_staff_user_get(&clerk, st_cs, "clerk.1", &err), 0);
    a = hd_staff_actor_of(&city_admin);
    c = hd_staff_actor_of(&clerk);
    entries = st_audit_of(NULL).count;

    /* A city admin adds in its counties, not elsewhere, nor above. */
    assert_int_equal(hd_staff_user_add(uri, st_cs, &a, &u, 3000, &err), 0);
    assert_string_equal(st_audit_of("user_add").actor, "admin.city");
    entries++;
    u.username = "new.two";
    u.region = "330206";
    assert_int_equal(hd_staff_user_add(uri, st_cs, &a, &u, 3000, &err),
                     HD_EDENIED);
    u.region = "330000";
    assert_int_equal(hd_staff_user_add(uri, st_cs, &a, &u, 3000, &err),
                     HD_EDENIED);
    /* Nor changes accounts outside, nor moves one outside. */
    assert_int_equal(hd_staff_user_disable(st_cs, &a, "clerk.far", 3001, &err),
                     HD_EDENIED);
    assert_int_equal(hd_staff_user_role(uri, st_cs, &a, "clerk.1",
                                        HD_ROLE_VERIFIER, "330206", 3001, &err),
                     HD_EDENIED);
    /* Nor its own role, nor disables itself. */
    assert_int_equal(hd_staff_user_role(uri, st_cs, &a, "admin.city",
                                        HD_ROLE_ADMIN, "330000", 3001, &err),
                     HD_EDENIED);
    assert_int_equal(hd_staff_user_disable(st_cs, &a, "admin.city", 3001, &err),
                     HD_EDENIED);
    /* A clerk manages nobody ... */
    u.username = "new.three";
    u.region = "330106";
    assert_int_equal(hd_staff_user_add(uri, st_cs, &c, &u, 3002, &err),
                     HD_EDENIED);
    assert_int_equal(hd_staff_user_passwd(st_cs, &c, "clerk.far", NULL,
                                          "another-pass-3", 3002, &err),
                     HD_EDENIED);
    assert_int_equal(st_audit_of(NULL).count, entries);
    /* ... but changes their own password, knowing the current one. */
    assert_int_equal(hd_staff_user_passwd(st_cs, &c, "clerk.1", "wrong-old-1",
                                          "another-pass-3", 3003, &err),
                     HD_EAUTH);
    assert_string_equal(err.field, "old_password");
    assert_int_equal(hd_staff_user_passwd(st_cs, &c, "clerk.1", NULL,
                                          "another-pass-3", 3003, &err),
                     HD_EAUTH);
    assert_int_equal(st_audit_of(NULL).count, entries);
    assert_int_equal(hd_staff_user_passwd(st_cs, &c, "clerk.1", PW,
                                          "another-pass-3", 3003, &err),
                     0);
    assert_string_equal(st_audit_of("user_passwd").actor, "clerk.1");
    assert_int_equal(st_audit_of(NULL).count, entries + 1);
}

static void a_change_after_another_conflicts(void **state)
{
    hd_staff_row row = {"li.wei", "x", "clerk", "330106", "p", NULL, 0,
                        9,        0,   0,       0,        0,   0};
    hd_error err;
    (void)state;

    st_add("li.wei", HD_ROLE_CLERK, "330106", PW, NULL);
    /* Written as if read at generation 7: someone else came between. */
    assert_int_equal(hd_casestore_user_update(st_cs, &row, 7, &err),
                     HD_ECONFLICT);
    row.username = "nobody";
    assert_int_equal(hd_casestore_user_update(st_cs, &row, 1, &err),
                     HD_ENOTFOUND);
    row.username = "li.wei";
    assert_int_equal(hd_casestore_user_update(st_cs, &row, 1, &err), 0);
    assert_int_equal(tu_casestore_int(st_db, "SELECT generation FROM "
                                             "staff_user"),
                     9);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(add_and_get, st_setup, st_teardown),
        cmocka_unit_test_setup_teardown(add_refused_writes_nothing, st_setup,
                                        st_teardown),
        cmocka_unit_test_setup_teardown(second_factor_for_admin_and_auditor,
                                        st_setup, st_teardown),
        cmocka_unit_test_setup_teardown(list_by_region, st_setup, st_teardown),
        cmocka_unit_test_setup_teardown(changes_bump_generation_and_audit,
                                        st_setup, st_teardown),
        cmocka_unit_test_setup_teardown(who_may_manage, st_setup, st_teardown),
        cmocka_unit_test_setup_teardown(a_change_after_another_conflicts,
                                        st_setup, st_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
