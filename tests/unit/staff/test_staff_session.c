/*
 * Logins and sessions: one message for an unknown user and a wrong
 * password, lock-out and its end (the clock is passed in), idle and
 * absolute expiry, logout, sessions voided by a change of role, password
 * or status, the second factor at login, the last use written at most
 * once a minute, and the audit entries of logins. The store comes from
 * tu_casestore_new (staff_fixture.c): this runs on SQLite and PostgreSQL.
 */
#include "staff_test.h"

#define PW "ok-password-1"
#define T0 1800000000 /* 2027-01-15T08:00:00Z */

static const hd_staff_settings settings = {600, 3600, 3, 10};

static int login(hd_staff_session *s, const char *user, const char *pw,
                 const char *totp, int64_t now, hd_error *err)
{
    hd_error_clear(err);
    return hd_staff_login(s, st_cs, user, pw, totp, now, &settings, err);
}

static int check(hd_staff_session *s, const char *token, int64_t now)
{
    hd_error err;
    hd_error_clear(&err);
    return hd_staff_session_check(s, st_cs, token, now, &settings, &err);
}

static void login_and_check(void **state)
{
    hd_staff_session s, c;
    hd_error err;
    char sql[200];
    (void)state;

    st_add("li.wei", HD_ROLE_VERIFIER, "330106", PW, NULL);
    assert_int_equal(login(&s, "li.wei", PW, NULL, T0, &err), 0);
    assert_int_equal(strlen(s.token), HD_STAFF_TOKEN_LEN);
    assert_int_equal(s.state, HD_STAFF_SESSION_OK);
    assert_string_equal(s.user.username, "li.wei");
    assert_int_equal(s.expires_at, T0 + 3600);
    assert_int_equal(check(&c, s.token, T0 + 1), 0);
    assert_int_equal(c.state, HD_STAFF_SESSION_OK);
    assert_string_equal(c.user.username, "li.wei");
    assert_int_equal(c.user.role, HD_ROLE_VERIFIER);
    assert_string_equal(c.user.region, "330106");
    assert_string_equal(c.token, ""); /* handed out once, at login */
    /* The store keeps the token's hash, never the token. */
    snprintf(sql, sizeof(sql),
             "SELECT count(*) FROM staff_session WHERE token_hash = '%s'",
             s.token);
    assert_int_equal(tu_casestore_int(st_db, sql), 0);
    assert_int_equal(
        tu_casestore_int(st_db, "SELECT count(*) FROM staff_session"), 1);
    assert_int_equal(st_audit_of("login").count, 1);
    assert_string_equal(st_audit_of("login").actor, "li.wei");
    assert_string_equal(st_audit_of("login").outcome, "ok");
    /* Two logins, two sessions, two tokens. */
    assert_int_equal(login(&c, "li.wei", PW, NULL, T0, &err), 0);
    assert_string_not_equal(c.token, s.token);
    /* Tokens that were never handed out. */
    assert_int_equal(check(&c, "short", T0), HD_EAUTH);
    assert_int_equal(c.state, HD_STAFF_SESSION_UNKNOWN);
    s.token[0] = s.token[0] == 'A' ? 'B' : 'A';
    assert_int_equal(check(&c, s.token, T0), HD_EAUTH);
    assert_int_equal(c.state, HD_STAFF_SESSION_UNKNOWN);
    assert_int_equal(check(&c, NULL, T0), HD_EAUTH);
}

static void unknown_user_and_wrong_password_look_alike(void **state)
{
    hd_staff_session s;
    hd_error e1, e2;
    st_audit a;
    (void)state;

    st_add("li.wei", HD_ROLE_CLERK, "330106", PW, NULL);
    assert_int_equal(login(&s, "li.wei", "wrong-password", NULL, T0, &e1),
                     HD_EAUTH);
    assert_int_equal(login(&s, "nobody", "wrong-password", NULL, T0, &e2),
                     HD_EAUTH);
    assert_string_equal(e1.msg, "wrong username or password");
    assert_string_equal(e2.msg, e1.msg);
    assert_string_equal(s.token, "");
    a = st_audit_of("login_failed");
    assert_int_equal(a.count, 2);
    assert_string_equal(a.actor, "(unknown user)");
    assert_string_equal(a.outcome, "unknown user");
    assert_int_equal(st_audit_of("login").count, 0);
    /* The password is in no entry. */
    assert_int_equal(tu_casestore_int(st_db, "SELECT count(*) FROM audit_log "
                                             "WHERE outcome LIKE '%wrong-pa%' "
                                             "OR actor LIKE '%wrong-pa%'"),
                     0);
}

static void lockout_and_its_end(void **state)
{
    hd_staff_session s;
    hd_staff_user u;
    hd_error err;
    (void)state;

    st_add("li.wei", HD_ROLE_CLERK, "330106", PW, NULL);
    /* Two failures, a success: the count starts again. */
    assert_int_equal(login(&s, "li.wei", "bad-password", NULL, T0, &err),
                     HD_EAUTH);
    assert_int_equal(login(&s, "li.wei", "bad-password", NULL, T0, &err),
                     HD_EAUTH);
    assert_int_equal(hd_staff_user_get(&u, st_cs, "li.wei", &err), 0);
    assert_int_equal(u.failed_logins, 2);
    assert_int_equal(login(&s, "li.wei", PW, NULL, T0, &err), 0);
    assert_int_equal(hd_staff_user_get(&u, st_cs, "li.wei", &err), 0);
    assert_int_equal(u.failed_logins, 0);
    /* Three in a row lock it for 10 minutes, and the third says so. */
    assert_int_equal(login(&s, "li.wei", "bad-password", NULL, T0, &err),
                     HD_EAUTH);
    assert_int_equal(login(&s, "li.wei", "bad-password", NULL, T0, &err),
                     HD_EAUTH);
    assert_string_equal(err.msg, "wrong username or password");
    assert_int_equal(login(&s, "li.wei", "bad-password", NULL, T0 + 5, &err),
                     HD_EAUTH);
    assert_string_equal(err.msg, "too many failed logins: account locked "
                                 "until 2027-01-15T08:10:05Z");
    assert_int_equal(hd_staff_user_get(&u, st_cs, "li.wei", &err), 0);
    assert_int_equal(u.locked_until, T0 + 605);
    /* The right password while locked is refused, saying until when. */
    assert_int_equal(login(&s, "li.wei", PW, NULL, T0 + 604, &err), HD_EAUTH);
    assert_string_equal(err.msg, "account locked until 2027-01-15T08:10:05Z");
    assert_string_equal(st_audit_of("login_failed").outcome, "locked");
    /* Once the lock ends, it works. */
    assert_int_equal(login(&s, "li.wei", PW, NULL, T0 + 605, &err), 0);
}

static void idle_absolute_and_logout(void **state)
{
    hd_staff_session s, c;
    hd_error err;
    int64_t t, n = 0;
    (void)state;

    st_add("li.wei", HD_ROLE_CLERK, "330106", PW, NULL);
    assert_int_equal(login(&s, "li.wei", PW, NULL, T0, &err), 0);
    /* Used within 10 minutes each time, it lasts. */
    assert_int_equal(check(&c, s.token, T0 + 599), 0);
    assert_int_equal(check(&c, s.token, T0 + 1198), 0);
    assert_int_equal(c.idle_expires_at, T0 + 1798);
    /* Unused 10 minutes, it ends. */
    assert_int_equal(check(&c, s.token, T0 + 1798), HD_EAUTH);
    assert_int_equal(c.state, HD_STAFF_SESSION_IDLE);
    /* Used all the time, it ends an hour after the login. */
    assert_int_equal(login(&s, "li.wei", PW, NULL, T0, &err), 0);
    for (t = T0 + 500; t < T0 + 3600; t += 500)
        assert_int_equal(check(&c, s.token, t), 0);
    assert_int_equal(check(&c, s.token, T0 + 3600), HD_EAUTH);
    assert_int_equal(c.state, HD_STAFF_SESSION_EXPIRED);
    assert_int_equal(
        hd_staff_session_check(&c, st_cs, s.token, T0 + 3600, &settings, &err),
        HD_EAUTH);
    assert_non_null(strstr(err.msg, "expired"));
    /* Logout ends it, once; the entry names the user. */
    assert_int_equal(login(&s, "li.wei", PW, NULL, T0, &err), 0);
    assert_int_equal(hd_staff_logout(st_cs, s.token, T0 + 10, &err), 0);
    assert_int_equal(check(&c, s.token, T0 + 11), HD_EAUTH);
    assert_int_equal(c.state, HD_STAFF_SESSION_ENDED);
    assert_int_equal(hd_staff_logout(st_cs, s.token, T0 + 12, &err), 0);
    assert_int_equal(st_audit_of("logout").count, 1);
    assert_string_equal(st_audit_of("logout").actor, "li.wei");
    s.token[0] = s.token[0] == 'A' ? 'B' : 'A';
    assert_int_equal(hd_staff_logout(st_cs, s.token, T0 + 12, &err),
                     HD_ENOTFOUND);
    /* Ended and expired sessions go when pruned; the live one stays. */
    assert_int_equal(login(&s, "li.wei", PW, NULL, T0 + 3000, &err), 0);
    assert_int_equal(
        hd_staff_sessions_prune(&n, st_cs, T0 + 3700, &settings, &err), 0);
    assert_int_equal(n, 3);
    assert_int_equal(check(&c, s.token, T0 + 3100), 0);
}

static void last_use_written_once_a_minute(void **state)
{
    hd_staff_session s, c;
    hd_error err;
    (void)state;

    st_add("li.wei", HD_ROLE_CLERK, "330106", PW, NULL);
    assert_int_equal(login(&s, "li.wei", PW, NULL, T0, &err), 0);
    assert_int_equal(check(&c, s.token, T0 + 59), 0);
    assert_int_equal(
        tu_casestore_int(st_db, "SELECT last_seen FROM staff_session"), T0);
    assert_int_equal(check(&c, s.token, T0 + 60), 0);
    assert_int_equal(
        tu_casestore_int(st_db, "SELECT last_seen FROM staff_session"),
        T0 + 60);
    assert_int_equal(check(&c, s.token, T0 + 100), 0);
    assert_int_equal(
        tu_casestore_int(st_db, "SELECT last_seen FROM staff_session"),
        T0 + 60);
}

static void changes_void_sessions(void **state)
{
    char uri[HD_STAFF_TOTP_URI_MAX];
    hd_staff_session s, c;
    hd_error err;
    (void)state;

    st_add("li.wei", HD_ROLE_CLERK, "330106", PW, NULL);
    assert_int_equal(login(&s, "li.wei", PW, NULL, T0, &err), 0);
    assert_int_equal(hd_staff_user_role(uri, st_cs, &st_operator, "li.wei",
                                        HD_ROLE_VERIFIER, "330106", T0 + 1,
                                        &err),
                     0);
    assert_int_equal(check(&c, s.token, T0 + 2), HD_EAUTH);
    assert_int_equal(c.state, HD_STAFF_SESSION_CHANGED);
    assert_int_equal(login(&s, "li.wei", PW, NULL, T0 + 3, &err), 0);
    assert_int_equal(s.user.role, HD_ROLE_VERIFIER);
    assert_int_equal(hd_staff_user_passwd(st_cs, &st_operator, "li.wei", NULL,
                                          "new-password-2", T0 + 4, &err),
                     0);
    assert_int_equal(check(&c, s.token, T0 + 5), HD_EAUTH);
    assert_int_equal(c.state, HD_STAFF_SESSION_CHANGED);
    assert_int_equal(login(&s, "li.wei", PW, NULL, T0 + 6, &err), HD_EAUTH);
    assert_int_equal(login(&s, "li.wei", "new-password-2", NULL, T0 + 6, &err),
                     0);
    assert_int_equal(
        hd_staff_user_disable(st_cs, &st_operator, "li.wei", T0 + 7, &err), 0);
    assert_int_equal(check(&c, s.token, T0 + 8), HD_EAUTH);
    assert_int_equal(c.state, HD_STAFF_SESSION_DISABLED);
    /* A disabled account cannot log in; only the right password learns
     * why. */
    assert_int_equal(login(&s, "li.wei", "new-password-2", NULL, T0 + 9, &err),
                     HD_EAUTH);
    assert_string_equal(err.msg, "account disabled");
    assert_int_equal(login(&s, "li.wei", "wrong-password", NULL, T0 + 9, &err),
                     HD_EAUTH);
    assert_string_equal(err.msg, "wrong username or password");
}

static void second_factor_at_login(void **state)
{
    char secret[HD_TOTP_SECRET_B32_LEN + 1], code[8], bad[8];
    hd_staff_session s;
    hd_staff_user u;
    hd_error err;
    (void)state;

    st_add("admin.1", HD_ROLE_ADMIN, "330000", PW, secret);
    /* The password alone is not enough; not counted as a failure. */
    assert_int_equal(login(&s, "admin.1", PW, NULL, T0, &err), HD_EAUTH);
    assert_string_equal(err.msg, "one-time code required");
    assert_string_equal(err.field, "totp");
    assert_int_equal(login(&s, "admin.1", PW, "", T0, &err), HD_EAUTH);
    assert_int_equal(hd_staff_user_get(&u, st_cs, "admin.1", &err), 0);
    assert_int_equal(u.failed_logins, 0);
    /* A wrong code is counted. */
    st_code(code, secret, T0);
    memcpy(bad, code, sizeof(bad));
    bad[0] = code[0] == '9' ? '0' : (char)(code[0] + 1);
    assert_int_equal(login(&s, "admin.1", PW, bad, T0, &err), HD_EAUTH);
    assert_string_equal(err.msg, "wrong one-time code");
    assert_int_equal(hd_staff_user_get(&u, st_cs, "admin.1", &err), 0);
    assert_int_equal(u.failed_logins, 1);
    /* The right one works, once. */
    assert_int_equal(login(&s, "admin.1", PW, code, T0, &err), 0);
    assert_int_equal(s.user.role, HD_ROLE_ADMIN);
    assert_int_equal(login(&s, "admin.1", PW, code, T0 + 1, &err), HD_EAUTH);
    assert_string_equal(err.msg, "wrong one-time code: already used");
    assert_string_equal(st_audit_of("login_failed").outcome,
                        "one-time code reused");
    /* The next step's code works in the next step. */
    assert_int_equal(login(&s, "admin.1", PW,
                           st_code(code, secret, T0 + HD_TOTP_STEP_S),
                           T0 + HD_TOTP_STEP_S, &err),
                     0);
    assert_int_equal(st_audit_of("login").count, 2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(login_and_check, st_setup, st_teardown),
        cmocka_unit_test_setup_teardown(
            unknown_user_and_wrong_password_look_alike, st_setup, st_teardown),
        cmocka_unit_test_setup_teardown(lockout_and_its_end, st_setup,
                                        st_teardown),
        cmocka_unit_test_setup_teardown(idle_absolute_and_logout, st_setup,
                                        st_teardown),
        cmocka_unit_test_setup_teardown(last_use_written_once_a_minute,
                                        st_setup, st_teardown),
        cmocka_unit_test_setup_teardown(changes_void_sessions, st_setup,
                                        st_teardown),
        cmocka_unit_test_setup_teardown(second_factor_at_login, st_setup,
                                        st_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
