/*
 * Unified social credit codes, GB 32100-2015. The valid codes are
 * published ones:
 * - 91350100M000100Y43, the example of GB 32100-2015 (listed as the
 *   official example by github.com/bluesky335/IDCheck, main.go);
 * - 91310110666007217T and 91310115591693856A, from the tests of Hutool
 *   (github.com/dromara/hutool, CreditCodeUtilTest.java);
 * - the registrations of Huawei Technologies Co., Ltd. (914403001922038216),
 *   Google Information Technology (China) Co., Ltd. (91110108795101314G)
 *   and Xiamen Zhongjun Group Co., Ltd. (913502006120495420), public
 *   business-licence data, as collected in bluesky335/IDCheck main.go.
 */
#include "testutil.h"

#include <hedui/std.h>

#include <string.h>

static const char *const published[] = {
    "91350100M000100Y43", "91310110666007217T", "91310115591693856A",
    "914403001922038216", "91110108795101314G", "913502006120495420",
};

static void check_fails(const char *s, hd_uscc_rule rule)
{
    hd_error err;
    hd_error_clear(&err);
    hd_uscc_rule got = hd_uscc_check(s, strlen(s), &err);
    if (got != rule)
        fail_msg("%s: expected rule %s, got %s (%s)", s,
                 hd_uscc_rule_name(rule), hd_uscc_rule_name(got), err.msg);
    assert_int_equal(err.code, HD_EDATA);
    assert_non_null(strstr(err.msg, hd_uscc_rule_name(rule)));
    assert_int_equal(hd_uscc_check(s, strlen(s), NULL), rule);
}

static void published_codes_are_valid(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof(published) / sizeof(published[0]); i++) {
        hd_error err;
        hd_error_clear(&err);
        if (hd_uscc_check(published[i], 18, &err) != HD_USCC_OK)
            fail_msg("%s: %s", published[i], err.msg);
        assert_int_equal(hd_uscc_check_char(published[i]), published[i][17]);
    }
}

static void check_character_is_mod_31(void **state)
{
    (void)state;
    /* The standard's example by hand, with letter values A=10 ... (no I,
     * O): M = 21, Y = 30. Weighted sum 9*1 + 1*3 + 3*9 + 5*27 + 1*26
     * + 21*20 + 1*8 + 30*30 + 4*28 = 1640; 1640 mod 31 = 28; 31 - 28 = 3. */
    assert_int_equal(hd_uscc_check_char("91350100M000100Y4"), '3');
    /* A sum divisible by 31 gives 31, written 0 (Xiamen Zhongjun). */
    assert_int_equal(hd_uscc_check_char("91350200612049542"), '0');
    /* 17 zeros: sum 0, also 31, written 0. */
    assert_int_equal(hd_uscc_check_char("00000000000000000"), '0');
    /* A letter check character: 31 - 15 = 16, G (Google China). */
    assert_int_equal(hd_uscc_check_char("91110108795101314"), 'G');
    /* Outside the alphabet: no check character. */
    assert_int_equal(hd_uscc_check_char("91350100I000100Y4"), 0);
    assert_int_equal(hd_uscc_check_char("91350100m000100Y4"), 0);
}

static void length_rule(void **state)
{
    (void)state;
    check_fails("", HD_USCC_RULE_LENGTH);
    check_fails("91350100M000100Y4", HD_USCC_RULE_LENGTH);
    check_fails("91350100M000100Y433", HD_USCC_RULE_LENGTH);
    /* The 15-digit business registration numbers it replaced are not
     * USCCs. */
    check_fails("110108007654321", HD_USCC_RULE_LENGTH);
    hd_error err;
    hd_error_clear(&err);
    hd_uscc_check("9135", 4, &err);
    assert_string_equal(err.msg, "unified social credit code: length must "
                                 "be 18 characters, not 4");
}

static void characters_rule(void **state)
{
    (void)state;
    /* The five letters the standard leaves out, anywhere, including the
     * check position. */
    check_fails("91350100I000100Y43", HD_USCC_RULE_CHARACTERS);
    check_fails("91350100O000100Y43", HD_USCC_RULE_CHARACTERS);
    check_fails("91350100M000100Z43", HD_USCC_RULE_CHARACTERS);
    check_fails("91350100M000100S43", HD_USCC_RULE_CHARACTERS);
    check_fails("91350100M000100Y4V", HD_USCC_RULE_CHARACTERS);
    /* Lowercase is not part of the alphabet. */
    check_fails("91350100m000100y43", HD_USCC_RULE_CHARACTERS);
    check_fails("91110108795101314g", HD_USCC_RULE_CHARACTERS);
    check_fails("91350100M000100Y4 ", HD_USCC_RULE_CHARACTERS);
    check_fails("91350100M000100Y4-", HD_USCC_RULE_CHARACTERS);
    /* A NUL inside the 18 bytes is a character like any other. */
    hd_error err;
    hd_error_clear(&err);
    assert_int_equal(hd_uscc_check("91350100M000\0"
                                   "00Y43",
                                   18, &err),
                     HD_USCC_RULE_CHARACTERS);
    assert_string_equal(err.msg,
                        "unified social credit code: characters wrong at "
                        "position 13: must be 0-9 or A-Z without I O Z S V");
}

static void check_character_rule(void **state)
{
    (void)state;
    check_fails("91350100M000100Y44", HD_USCC_RULE_CHECK);
    check_fails("91350100M000100Y4Y", HD_USCC_RULE_CHECK);
    check_fails("914403001922038217", HD_USCC_RULE_CHECK);
    /* Two neighbours swapped. */
    check_fails("91350100M000010Y43", HD_USCC_RULE_CHECK);
    /* Codes issued in early pilot areas before the standard fixed the
     * check do not pass it (bluesky335/IDCheck; Hutool's tests expect
     * 91350211M00013FA1N to fail too). feeds.md requires the check, so
     * they are rejected. */
    check_fails("91350211M00013FA1N", HD_USCC_RULE_CHECK);
    check_fails("91350211M0000XUF46", HD_USCC_RULE_CHECK);

    hd_error err;
    hd_error_clear(&err);
    hd_uscc_check("91350100M000100Y44", 18, &err);
    assert_string_equal(err.msg, "unified social credit code: check "
                                 "character does not match (expected 3)");
}

static void input_need_not_be_terminated(void **state)
{
    (void)state;
    const char *line = "91350100M000100Y43,2024-01";
    assert_int_equal(hd_uscc_check(line, 18, NULL), HD_USCC_OK);
}

static void rule_names_are_stable(void **state)
{
    (void)state;
    assert_string_equal(hd_uscc_rule_name(HD_USCC_RULE_LENGTH), "length");
    assert_string_equal(hd_uscc_rule_name(HD_USCC_RULE_CHARACTERS),
                        "characters");
    assert_string_equal(hd_uscc_rule_name(HD_USCC_RULE_CHECK),
                        "check character");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(published_codes_are_valid),
        cmocka_unit_test(check_character_is_mod_31),
        cmocka_unit_test(length_rule),
        cmocka_unit_test(characters_rule),
        cmocka_unit_test(check_character_rule),
        cmocka_unit_test(input_need_not_be_terminated),
        cmocka_unit_test(rule_names_are_stable),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
