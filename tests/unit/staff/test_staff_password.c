/*
 * Usernames and the password policy, and Argon2id: a hash verifies its
 * password and nothing else, and is libsodium's Argon2id string with the
 * interactive limits.
 */
#include "testutil.h"

#include "staff/staff_int.h"

#include <string.h>

static void usernames(void **state)
{
    hd_error err;
    (void)state;
    assert_int_equal(hd_staff_username_check("abc", &err), 0);
    assert_int_equal(hd_staff_username_check("li.wei_2-a", &err), 0);
    assert_int_equal(
        hd_staff_username_check("abcdefghijklmnopqrstuvwxyz012345", &err), 0);
    assert_int_equal(
        hd_staff_username_check("abcdefghijklmnopqrstuvwxyz0123456", &err),
        HD_EINVAL);
    assert_string_equal(err.field, "username");
    assert_int_equal(hd_staff_username_check("ab", &err), HD_EINVAL);
    assert_int_equal(hd_staff_username_check("Admin", &err), HD_EINVAL);
    assert_int_equal(hd_staff_username_check("a b c", &err), HD_EINVAL);
    assert_int_equal(hd_staff_username_check("abc@x", &err), HD_EINVAL);
    assert_int_equal(hd_staff_username_check("李伟伟", &err), HD_EINVAL);
    assert_int_equal(hd_staff_username_check("", &err), HD_EINVAL);
    assert_int_equal(hd_staff_username_check(NULL, &err), HD_EINVAL);
}

static void policy(void **state)
{
    char long_pw[1100];
    hd_error err;
    (void)state;

    assert_int_equal(hd_staff_password_check("li.wei", "0123456789", &err), 0);
    assert_int_equal(hd_staff_password_check("li.wei", "012345678", &err),
                     HD_EINVAL);
    assert_string_equal(err.field, "password");
    assert_null(strstr(err.msg, "012345678"));
    /* Characters, not bytes: ten Chinese characters pass, nine do not. */
    assert_int_equal(
        hd_staff_password_check("li.wei", "核对员核对员核对员核", &err), 0);
    assert_int_equal(
        hd_staff_password_check("li.wei", "核对员核对员核对员", &err),
        HD_EINVAL);
    /* Not the username, in any case. */
    assert_int_equal(
        hd_staff_password_check("zhang.san.1", "zhang.san.1", &err), HD_EINVAL);
    assert_int_equal(
        hd_staff_password_check("zhang.san.1", "ZHANG.SAN.1", &err), HD_EINVAL);
    assert_int_equal(
        hd_staff_password_check("zhang.san.1", "zhang.san.12", &err), 0);
    assert_int_equal(hd_staff_password_check("li.wei", "0123\t56789", &err),
                     HD_EINVAL);
    assert_int_equal(
        hd_staff_password_check("li.wei", "01234567\xff\xfe", &err), HD_EINVAL);
    memset(long_pw, 'x', 1024);
    long_pw[1024] = '\0';
    assert_int_equal(hd_staff_password_check("li.wei", long_pw, &err), 0);
    long_pw[1024] = 'x';
    long_pw[1025] = '\0';
    assert_int_equal(hd_staff_password_check("li.wei", long_pw, &err),
                     HD_EINVAL);
    assert_int_equal(hd_staff_password_check("li.wei", NULL, &err), HD_EINVAL);
}

static void argon2id(void **state)
{
    char hash[HD__PWHASH_MAX], again[HD__PWHASH_MAX];
    bool rehash = true;
    hd_error err;
    (void)state;

    assert_int_equal(hd__staff_password_hash(hash, "correct horse 9", &err), 0);
    assert_int_equal(strncmp(hash, "$argon2id$v=19$m=65536,t=2,p=1$", 31), 0);
    assert_true(hd__staff_password_verify(hash, "correct horse 9", &rehash));
    assert_false(rehash);
    assert_false(hd__staff_password_verify(hash, "correct horse 8", NULL));
    assert_false(hd__staff_password_verify(hash, "", NULL));
    assert_false(hd__staff_password_verify(hash, NULL, NULL));
    /* Salted: the same password hashes differently each time. */
    assert_int_equal(hd__staff_password_hash(again, "correct horse 9", &err),
                     0);
    assert_string_not_equal(hash, again);
    /* No hash (an unknown account): false, whatever the password. */
    assert_false(hd__staff_password_verify(NULL, "correct horse 9", NULL));
    /* A hash made with weaker limits verifies, and asks to be rehashed. */
    assert_int_equal(crypto_pwhash_str(again, "correct horse 9", 15,
                                       crypto_pwhash_OPSLIMIT_MIN,
                                       crypto_pwhash_MEMLIMIT_MIN),
                     0);
    assert_true(hd__staff_password_verify(again, "correct horse 9", &rehash));
    assert_true(rehash);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(usernames),
        cmocka_unit_test(policy),
        cmocka_unit_test(argon2id),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
