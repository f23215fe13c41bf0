#include "testutil.h"

#include <hedui/base.h>

#include <string.h>

static void buf_appends_and_stays_terminated(void **state)
{
    hd_buf b;
    (void)state;
    hd_buf_init(&b, 0);
    assert_string_equal(b.ptr, "");
    hd_buf_puts(&b, "hello");
    hd_buf_putc(&b, ' ');
    hd_buf_printf(&b, "%d fen", 42);
    assert_int_equal(hd_buf_error(&b), 0);
    assert_string_equal(b.ptr, "hello 42 fen");
    assert_int_equal(b.len, 12);
    hd_buf_release(&b);
}

static void buf_error_is_sticky_at_limit(void **state)
{
    hd_buf b;
    (void)state;
    hd_buf_init(&b, 8);
    hd_buf_puts(&b, "12345678");
    assert_int_equal(hd_buf_error(&b), 0);
    assert_int_equal(hd_buf_puts(&b, "9"), HD_ELIMIT);
    assert_int_equal(hd_buf_puts(&b, ""), HD_ELIMIT);
    assert_string_equal(b.ptr, "12345678");
    assert_null(hd_buf_detach(&b, NULL));
    hd_buf_release(&b);
}

static void buf_reports_failed_allocation(void **state)
{
    hd_buf b;
    (void)state;
    hd_buf_init(&b, 0);
    hd_alloc_fail_after(1, true);
    assert_int_equal(hd_buf_puts(&b, "x"), HD_ENOMEM);
    hd_alloc_fail_after(0, false);
    assert_int_equal(hd_buf_puts(&b, "x"), HD_ENOMEM); /* sticky */
    hd_buf_reset(&b);
    assert_int_equal(hd_buf_puts(&b, "x"), 0);
    hd_buf_release(&b);
}

static void arena_allocates_aligned(void **state)
{
    hd_arena a;
    (void)state;
    hd_arena_init(&a, 64);
    for (int i = 0; i < 100; i++) {
        char *p = hd_arena_alloc(&a, (size_t)i + 1);
        assert_non_null(p);
        assert_int_equal((uintptr_t)p % 16, 0);
        memset(p, 'x', (size_t)i + 1);
    }
    assert_string_equal(hd_arena_strndup(&a, "abcdef", 3), "abc");
    hd_arena_reset(&a);
    assert_non_null(hd_arena_alloc(&a, 10));
    hd_arena_release(&a);
}

static void errors_format_with_location(void **state)
{
    hd_error err;
    char out[512];
    (void)state;
    hd_error_clear(&err);
    hd_error_set(&err, HD_EDATA, "more than %d decimal places", 2);
    hd_error_at(&err, "tax/tax_income.csv", 17, 5, "income");
    assert_string_equal(hd_error_format(&err, out, sizeof(out)),
                        "tax/tax_income.csv:17:5: income: more than 2 "
                        "decimal places");
    hd_error_clear(&err);
    assert_int_equal(hd_error_set(&err, HD_EIO, "cannot open x"), HD_EIO);
    assert_string_equal(hd_error_format(&err, out, sizeof(out)),
                        "cannot open x");
}

static void utf8_is_validated(void **state)
{
    (void)state;
    assert_int_equal(hd_utf8_count("abc", 3), 3);
    assert_int_equal(hd_utf8_count("核对", strlen("核对")), 2);
    assert_int_equal(hd_utf8_count("\xC0\x80", 2), -1);     /* overlong */
    assert_int_equal(hd_utf8_count("\xED\xA0\x80", 3), -1); /* surrogate */
    assert_int_equal(hd_utf8_count("\xE6\xA0", 2), -1);     /* truncated */
}

static void pids_are_masked(void **state)
{
    char out[19];
    (void)state;
    assert_string_equal(hd_mask_pid(out, "11010519491231002X", 18),
                        "110105********002X");
}

static void sha256_matches_known_vector(void **state)
{
    hd_sha256 ctx;
    char hex[HD_SHA256_HEX_LEN + 1];
    (void)state;
    hd_sha256_init(&ctx);
    hd_sha256_update(&ctx, "abc", 3);
    hd_sha256_final_hex(&ctx, hex);
    /* FIPS 180-2, appendix B.1. */
    assert_string_equal(hex, "ba7816bf8f01cfea414140de5dae2223"
                             "b00361a396177a9cb410ff61f20015ad");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(buf_appends_and_stays_terminated),
        cmocka_unit_test(buf_error_is_sticky_at_limit),
        cmocka_unit_test(buf_reports_failed_allocation),
        cmocka_unit_test(arena_allocates_aligned),
        cmocka_unit_test(errors_format_with_location),
        cmocka_unit_test(utf8_is_validated),
        cmocka_unit_test(pids_are_masked),
        cmocka_unit_test(sha256_matches_known_vector),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
