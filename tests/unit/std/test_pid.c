/*
 * Citizen IDs, GB 11643-1999. The valid IDs are the two worked examples
 * printed in the standard itself (11010519491231002X, a woman born
 * 1949-12-31 in Chaoyang, Beijing; 440524188001010014, a man born
 * 1880-01-01 in Chaoyang county, Shantou) and synthetic numbers whose
 * check characters were worked out by hand from ISO 7064 MOD 11-2.
 */
#include "testutil.h"

#include <hedui/std.h>

#include <string.h>

/* Normalise `s`; on success return the 18-character form in a static
 * buffer, otherwise fail the test with the message. */
static const char *normalize_ok(const char *s)
{
    static char out[HD_PID_LEN + 1];
    hd_error err;
    hd_error_clear(&err);
    hd_pid_rule rule = hd_pid_normalize(out, s, strlen(s), &err);
    if (rule != HD_PID_OK)
        fail_msg("%s: %s", s, err.msg);
    assert_int_equal(err.code, 0);
    return out;
}

/* Normalise `s`, which must fail by `rule`, with an HD_EDATA error whose
 * message names the rule. */
static void normalize_fails(const char *s, size_t len, hd_pid_rule rule)
{
    char out[HD_PID_LEN + 1];
    hd_error err;
    hd_error_clear(&err);
    memset(out, 'z', sizeof(out));
    hd_pid_rule got = hd_pid_normalize(out, s, len, &err);
    if (got != rule)
        fail_msg("%.*s: expected rule %s, got %s (%s)", (int)len, s,
                 hd_pid_rule_name(rule), hd_pid_rule_name(got), err.msg);
    assert_int_equal(err.code, HD_EDATA);
    assert_non_null(strstr(err.msg, "citizen ID: "));
    assert_non_null(strstr(err.msg, hd_pid_rule_name(rule)));
    /* Nothing half-written is left behind. */
    assert_string_equal(out, "");
    /* The error is optional. */
    assert_int_equal(hd_pid_normalize(out, s, len, NULL), rule);
}

static void fails(const char *s, hd_pid_rule rule)
{
    normalize_fails(s, strlen(s), rule);
}

static void standard_examples_are_valid(void **state)
{
    (void)state;
    assert_string_equal(normalize_ok("11010519491231002X"),
                        "11010519491231002X");
    assert_string_equal(normalize_ok("440524188001010014"),
                        "440524188001010014");
}

static void check_character_is_mod_11_2(void **state)
{
    (void)state;
    /* The standard's examples: 10 is written X. */
    assert_int_equal(hd_pid_check_char("11010519491231002"), 'X');
    assert_int_equal(hd_pid_check_char("44052418800101001"), '4');
    /* 3*7 + 3*9 + 0*10 + 1*5 + 0*8 + 6*4 + 2*2 + 0*1 + 0*6 + 0*3 + 0*7
     * + 2*9 + 2*10 + 9*5 + 0*8 + 0*4 + 1*2 = 166; 166 mod 11 = 1, whose
     * check value is 0. */
    assert_int_equal(hd_pid_check_char("33010620000229001"), '0');
    /* 17 zeros: sum 0, check value (12 - 0) mod 11 = 1. */
    assert_int_equal(hd_pid_check_char("00000000000000000"), '1');
}

static void lowercase_x_becomes_upper(void **state)
{
    (void)state;
    assert_string_equal(normalize_ok("11010519491231002x"),
                        "11010519491231002X");
}

static void first_generation_ids_convert(void **state)
{
    (void)state;
    /* The 15-digit form of the standard's example: century 19 inserted,
     * check character computed. */
    assert_string_equal(normalize_ok("110105491231002"), "11010519491231002X");
    assert_string_equal(normalize_ok("440524800101001"), "440524198001010013");
    /* A 15-digit number never carries a check character. */
    fails("11010549123100X", HD_PID_RULE_CHARACTERS);
    /* 1949 was not a leap year. */
    fails("110105490229002", HD_PID_RULE_BIRTH);
}

static void length_rule(void **state)
{
    (void)state;
    normalize_fails("", 0, HD_PID_RULE_LENGTH);
    fails("11010519491231002", HD_PID_RULE_LENGTH);
    fails("11010519491231002X0", HD_PID_RULE_LENGTH);
    fails("1101054912310", HD_PID_RULE_LENGTH);
    fails("1101054912310021", HD_PID_RULE_LENGTH);
    /* Length is checked first: junk of another length is a length error. */
    fails("abc", HD_PID_RULE_LENGTH);

    hd_error err;
    char out[HD_PID_LEN + 1];
    hd_error_clear(&err);
    hd_pid_normalize(out, "11010519491231002", 17, &err);
    assert_string_equal(err.msg,
                        "citizen ID: length must be 18 or 15 characters, "
                        "not 17");
}

static void characters_rule(void **state)
{
    (void)state;
    fails("110105A9491231002X", HD_PID_RULE_CHARACTERS);
    fails("1101051949123100X2", HD_PID_RULE_CHARACTERS);
    fails("11010519491231002Y", HD_PID_RULE_CHARACTERS);
    fails("11010519491231002 ", HD_PID_RULE_CHARACTERS);
    fails("110105-9491231002X", HD_PID_RULE_CHARACTERS);
    /* UTF-8 bytes are not digits: a full-width digit is 3 bytes, so
     * "１" in place of "1" makes 20 bytes (length) ... */
    fails("11010519491231002\xef\xbc\x91", HD_PID_RULE_LENGTH);
    /* ... and a high byte of the right length is a character error. */
    fails("11010519491231\xb2\x30\x32X", HD_PID_RULE_CHARACTERS);
    /* Characters come before the address code: both are wrong here. */
    fails("A1010519491231002Y", HD_PID_RULE_CHARACTERS);

    hd_error err;
    char out[HD_PID_LEN + 1];
    hd_error_clear(&err);
    hd_pid_normalize(out, "11010519491231002Y", 18, &err);
    assert_string_equal(err.msg, "citizen ID: characters wrong at position "
                                 "18: must be a digit or X");
}

static void address_code_rule(void **state)
{
    (void)state;
    fails("A1010519491231002X", HD_PID_RULE_ADDRESS);
    fails("11010x19491231002X", HD_PID_RULE_ADDRESS);
    fails("11 10519491231002X", HD_PID_RULE_ADDRESS);
    fails("11010A491231002", HD_PID_RULE_ADDRESS);
    /* Any six digits will do, even a code that no longer exists or never
     * did: IDs keep the codes of their day. 000000 with the check
     * character worked out: 1*2+9*1+4*6+9*3+1*7+2*9+3*10+1*5+0*8+0*4+2*2
     * = 126, 126 mod 11 = 5, check value 7. */
    assert_string_equal(normalize_ok("000000194912310027"),
                        "000000194912310027");
    /* Address comes before the birth date: both are wrong here. */
    fails("11010A19491331002X", HD_PID_RULE_ADDRESS);
}

static void birth_date_rule(void **state)
{
    (void)state;
    fails("110105194913310020", HD_PID_RULE_BIRTH); /* month 13 */
    fails("110105194900310020", HD_PID_RULE_BIRTH); /* month 0 */
    fails("110105194912000020", HD_PID_RULE_BIRTH); /* day 0 */
    fails("110105194904310020", HD_PID_RULE_BIRTH); /* 31 April */
    fails("110105190002290020", HD_PID_RULE_BIRTH); /* 1900 not leap */
    fails("110105000001010020", HD_PID_RULE_BIRTH); /* year 0 */
    /* 29 February 2000 exists (2000 is a leap year). */
    assert_string_equal(normalize_ok("330106200002290010"),
                        "330106200002290010");
    /* feeds.md asks for a valid calendar date, nothing more: an old one
     * is accepted (check character worked out by MOD 11-2 by hand). */
    assert_string_equal(normalize_ok("110105179912310024"),
                        "110105179912310024");
    /* The birth date comes before the check character: both are wrong
     * here (the check character of this number would be 9). */
    fails("110105194902290023", HD_PID_RULE_BIRTH);

    hd_error err;
    char out[HD_PID_LEN + 1];
    hd_error_clear(&err);
    hd_pid_normalize(out, "110105000001010020", 18, &err);
    assert_string_equal(err.msg,
                        "citizen ID: birth date is not a calendar date");
}

static void check_character_rule(void **state)
{
    hd_error err;
    char out[HD_PID_LEN + 1];
    (void)state;

    fails("110105194912310021", HD_PID_RULE_CHECK);
    fails("440524188001010015", HD_PID_RULE_CHECK);
    /* One digit changed in the body. */
    fails("11010519491231003X", HD_PID_RULE_CHECK);
    /* Two neighbours swapped: MOD 11-2 catches transpositions. */
    fails("11010591491231002X", HD_PID_RULE_CHECK);

    hd_error_clear(&err);
    hd_pid_normalize(out, "110105194912310021", 18, &err);
    assert_string_equal(err.msg, "citizen ID: check character does not match "
                                 "(expected X)");
    hd_error_clear(&err);
    hd_pid_normalize(out, "44052418800101001X", 18, &err);
    assert_string_equal(err.msg, "citizen ID: check character does not match "
                                 "(expected 4)");
}

static void input_need_not_be_terminated(void **state)
{
    char out[HD_PID_LEN + 1];
    (void)state;
    /* A view into a longer line. */
    const char *line = "11010519491231002X,name";
    assert_int_equal(hd_pid_normalize(out, line, 18, NULL), HD_PID_OK);
    assert_string_equal(out, "11010519491231002X");
}

static void normalises_in_place(void **state)
{
    char buf[HD_PID_LEN + 1] = "110105491231002";
    (void)state;
    assert_int_equal(hd_pid_normalize(buf, buf, 15, NULL), HD_PID_OK);
    assert_string_equal(buf, "11010519491231002X");
    memcpy(buf, "11010519491231002x", 19);
    assert_int_equal(hd_pid_normalize(buf, buf, 18, NULL), HD_PID_OK);
    assert_string_equal(buf, "11010519491231002X");
    memcpy(buf, "110105194912310021", 19);
    assert_int_equal(hd_pid_normalize(buf, buf, 18, NULL), HD_PID_RULE_CHECK);
    assert_string_equal(buf, "");
}

static void sex_from_sequence_parity(void **state)
{
    (void)state;
    /* Sequence 002: even, a woman; 001: odd, a man. */
    assert_int_equal(hd_pid_sex("11010519491231002X"), 2);
    assert_int_equal(hd_pid_sex("440524188001010014"), 1);
    assert_int_equal(hd_pid_sex("330106197001010035"), 1);
    assert_int_equal(hd_pid_sex("33010619991231002X"), 2);
}

static void birth_from_digits_7_to_14(void **state)
{
    int y, m, d;
    (void)state;
    /* 1950-01-01 to 1970-01-01 is 20 years with 5 leap days (1952 ...
     * 1968): 7305 days; 1949-12-31 is one more day before. */
    assert_int_equal(hd_pid_birth("11010519491231002X"), -7306);
    assert_int_equal(hd_pid_birth("330106197001010035"), 0);
    hd_date_to_ymd(hd_pid_birth("440524188001010014"), &y, &m, &d);
    assert_int_equal(y, 1880);
    assert_int_equal(m, 1);
    assert_int_equal(d, 1);
    hd_date_to_ymd(hd_pid_birth(normalize_ok("440524800101001")), &y, &m, &d);
    assert_int_equal(y, 1980);
}

static void rule_names_are_stable(void **state)
{
    (void)state;
    assert_string_equal(hd_pid_rule_name(HD_PID_RULE_LENGTH), "length");
    assert_string_equal(hd_pid_rule_name(HD_PID_RULE_CHARACTERS), "characters");
    assert_string_equal(hd_pid_rule_name(HD_PID_RULE_ADDRESS), "address code");
    assert_string_equal(hd_pid_rule_name(HD_PID_RULE_BIRTH), "birth date");
    assert_string_equal(hd_pid_rule_name(HD_PID_RULE_CHECK), "check character");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(standard_examples_are_valid),
        cmocka_unit_test(check_character_is_mod_11_2),
        cmocka_unit_test(lowercase_x_becomes_upper),
        cmocka_unit_test(first_generation_ids_convert),
        cmocka_unit_test(length_rule),
        cmocka_unit_test(characters_rule),
        cmocka_unit_test(address_code_rule),
        cmocka_unit_test(birth_date_rule),
        cmocka_unit_test(check_character_rule),
        cmocka_unit_test(input_need_not_be_terminated),
        cmocka_unit_test(normalises_in_place),
        cmocka_unit_test(sex_from_sequence_parity),
        cmocka_unit_test(birth_from_digits_7_to_14),
        cmocka_unit_test(rule_names_are_stable),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
