/*
 * TOTP: the SHA-1 test vectors of RFC 6238 appendix B, the base32 of RFC
 * 4648 section 10, and the rules of accounts: 6 digits, the step of now
 * and one either side, and no step twice.
 */
#include "testutil.h"

#include <hedui/staff.h>

#include <stdio.h>
#include <string.h>

/* RFC 6238 appendix B: the SHA-1 seed is the ASCII "1234567890" twice. */
static const uint8_t seed[] = "12345678901234567890";

static void rfc6238_vectors(void **state)
{
    static const struct {
        int64_t t;
        uint32_t code;
    } vectors[] = {
        {59, 94287082},         {1111111109, 7081804},  {1111111111, 14050471},
        {1234567890, 89005924}, {2000000000, 69279037}, {20000000000, 65353130},
    };
    (void)state;
    for (size_t i = 0; i < sizeof(vectors) / sizeof(vectors[0]); i++)
        assert_int_equal(
            hd_staff_hotp(seed, 20, (uint64_t)(vectors[i].t / 30), 8),
            vectors[i].code);
    /* RFC 4226 appendix D, counter 0 and 9, 6 digits. */
    assert_int_equal(hd_staff_hotp(seed, 20, 0, 6), 755224);
    assert_int_equal(hd_staff_hotp(seed, 20, 9, 6), 520489);
}

static void base32(void **state)
{
    static const struct {
        const char *plain, *coded;
    } vectors[] = {
        {"", ""},
        {"f", "MY"},
        {"fo", "MZXQ"},
        {"foo", "MZXW6"},
        {"foob", "MZXW6YQ"},
        {"fooba", "MZXW6YTB"},
        {"foobar", "MZXW6YTBOI"},
    };
    char out[HD_TOTP_SECRET_B32_LEN + 1];
    uint8_t back[32];
    (void)state;

    for (size_t i = 0; i < sizeof(vectors) / sizeof(vectors[0]); i++) {
        size_t len = strlen(vectors[i].plain);
        hd_staff_base32_encode(out, (const uint8_t *)vectors[i].plain, len);
        assert_string_equal(out, vectors[i].coded);
        assert_int_equal(hd_staff_base32_decode(back, sizeof(back), out),
                         (long)len);
        assert_memory_equal(back, vectors[i].plain, len);
    }
    /* Padding, spaces and lower case are read; other characters not. */
    assert_int_equal(hd_staff_base32_decode(back, 32, "mzxw 6ytb oi======"), 6);
    assert_memory_equal(back, "foobar", 6);
    assert_int_equal(hd_staff_base32_decode(back, 32, "MZXW1"), -1);
    assert_int_equal(hd_staff_base32_decode(back, 3, "MZXW6YTBOI"), -1);
    hd_staff_base32_encode(out, seed, 20);
    assert_string_equal(out, "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
}

/* The 6-digit code of a step, as text. */
static const char *code_at(char out[8], int64_t step)
{
    snprintf(out, 8, "%06u",
             (unsigned)hd_staff_hotp(seed, 20, (uint64_t)step, 6));
    return out;
}

static void check_window_and_replay(void **state)
{
    const char *secret = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";
    const int64_t now = 1111111111, step = now / 30;
    char code[8];
    int64_t got;
    hd_error err;
    (void)state;

    /* RFC 6238: at 1111111111 the 6-digit code is the last 6 of
     * 14050471. */
    assert_string_equal(code_at(code, step), "050471");
    assert_int_equal(hd_staff_totp_check(&got, secret, "050471", now, 0, &err),
                     0);
    assert_int_equal(got, step);
    /* One step either side is accepted, and the step that matched is
     * the one returned. */
    assert_int_equal(hd_staff_totp_check(&got, secret, code_at(code, step - 1),
                                         now, 0, &err),
                     0);
    assert_int_equal(got, step - 1);
    assert_int_equal(hd_staff_totp_check(&got, secret, code_at(code, step + 1),
                                         now, 0, &err),
                     0);
    assert_int_equal(got, step + 1);
    /* Two steps away is not. */
    assert_int_equal(hd_staff_totp_check(&got, secret, code_at(code, step - 2),
                                         now, 0, &err),
                     HD_EAUTH);
    assert_int_equal(hd_staff_totp_check(&got, secret, code_at(code, step + 2),
                                         now, 0, &err),
                     HD_EAUTH);
    assert_string_equal(err.field, "totp");
    /* A step used already is refused, and said to be. */
    assert_int_equal(
        hd_staff_totp_check(&got, secret, "050471", now, step, &err), HD_EAUTH);
    assert_non_null(strstr(err.msg, "already used"));
    assert_int_equal(got, 0);
    /* After the previous step was used, this one still works. */
    assert_int_equal(
        hd_staff_totp_check(&got, secret, "050471", now, step - 1, &err), 0);
    /* Malformed codes and secrets. */
    assert_int_equal(hd_staff_totp_check(&got, secret, "50471", now, 0, &err),
                     HD_EAUTH);
    assert_int_equal(hd_staff_totp_check(&got, secret, "0504710", now, 0, &err),
                     HD_EAUTH);
    assert_int_equal(hd_staff_totp_check(&got, secret, "05047a", now, 0, &err),
                     HD_EAUTH);
    assert_int_equal(hd_staff_totp_check(&got, secret, NULL, now, 0, &err),
                     HD_EAUTH);
    assert_int_equal(hd_staff_totp_check(&got, NULL, "050471", now, 0, &err),
                     HD_EAUTH);
    assert_int_equal(hd_staff_totp_check(&got, "!!", "050471", now, 0, &err),
                     HD_EAUTH);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(rfc6238_vectors),
        cmocka_unit_test(base32),
        cmocka_unit_test(check_window_and_replay),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
