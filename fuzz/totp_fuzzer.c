/*
 * Fuzz target for the second factor: the input is a base32 secret, a
 * newline, and a one-time code. hd_staff_base32_decode must stay within
 * its bound and agree with itself under a looser one, and what it
 * decodes must come back from hd_staff_base32_encode; hd_staff_totp_check
 * must answer 0 or HD_EAUTH, 0 only for a step it names that matches,
 * must take the code the secret gives now and refuse it once used.
 */
#include <hedui/staff.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define NOW 1767225600 /* 2026-01-01T00:00:00Z */
#define SECRET_MAX 64  /* what hd_staff_totp_check decodes into */

/* `text` decoded with room for `max` bytes, encoded again, decoded again:
 * the same bytes. The byte count, or -1. */
static long round_trip(uint8_t *out, size_t max, const char *text)
{
    long n = hd_staff_base32_decode(out, max, text);
    uint8_t again[SECRET_MAX * 4];
    char *b32;

    if (n < -1 || n > (long)max)
        abort();
    if (n < 0)
        return n;
    b32 = malloc(((size_t)n * 8 + 4) / 5 + 1);
    if (!b32)
        abort();
    hd_staff_base32_encode(b32, out, (size_t)n);
    if (strlen(b32) != ((size_t)n * 8 + 4) / 5 ||
        hd_staff_base32_decode(again, sizeof(again), b32) != n ||
        memcmp(again, out, (size_t)n))
        abort();
    free(b32);
    return n;
}

/* The step hd_staff_totp_check should name: the first of now's and one
 * either side that is after `last_step` and gives `code`; -1 for none. */
static int64_t expected_step(const uint8_t *secret, long n, const char *code,
                             int64_t last_step)
{
    int64_t step = NOW / HD_TOTP_STEP_S;
    uint32_t want = 0;

    if (n <= 0 || strlen(code) != HD_TOTP_DIGITS)
        return -1;
    for (int i = 0; i < HD_TOTP_DIGITS; i++) {
        if (code[i] < '0' || code[i] > '9')
            return -1;
        want = want * 10 + (uint32_t)(code[i] - '0');
    }
    for (int64_t s = step - 1; s <= step + 1; s++)
        if (s > last_step && hd_staff_hotp(secret, (size_t)n, (uint64_t)s,
                                           HD_TOTP_DIGITS) == want)
            return s;
    return -1;
}

/* hd_staff_totp_check as expected_step says. */
static void check(const char *text, const uint8_t *secret, long n,
                  const char *code, int64_t last_step)
{
    int64_t want = expected_step(secret, n, code, last_step), got = -1;
    hd_error err;
    int rc;

    hd_error_clear(&err);
    rc = hd_staff_totp_check(&got, text, code, NOW, last_step, &err);
    if (want < 0 ? rc != HD_EAUTH || got != 0 || err.msg[0] == '\0'
                 : rc != 0 || got != want)
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    uint8_t secret[SECRET_MAX], wide[SECRET_MAX * 4];
    const uint8_t *nl = memchr(data, '\n', size);
    size_t secret_len = nl ? (size_t)(nl - data) : size;
    char *text, *code, mine[HD_TOTP_DIGITS + 1];
    int64_t step = NOW / HD_TOTP_STEP_S;
    long n, n_wide;

    text = malloc(size + 2);
    if (!text)
        abort();
    memcpy(text, data, size);
    text[secret_len] = '\0';
    text[size + 1] = '\0';
    code = nl ? text + secret_len + 1 : text + size + 1;
    if (nl)
        text[size] = '\0';

    n = round_trip(secret, sizeof(secret), text);
    n_wide = round_trip(wide, sizeof(wide), text);
    if (n >= 0 && (n_wide != n || memcmp(secret, wide, (size_t)n)))
        abort();
    if (n < 0 && n_wide >= 0 && n_wide <= SECRET_MAX)
        abort();

    /* The code as given, then the one the secret gives now: taken, and
     * refused once its step is used. */
    check(text, secret, n, code, 0);
    snprintf(mine, sizeof(mine), "%06u",
             n > 0 ? (unsigned)hd_staff_hotp(secret, (size_t)n, (uint64_t)step,
                                             HD_TOTP_DIGITS)
                   : 0u);
    check(text, secret, n, mine, 0);
    check(text, secret, n, mine, step);
    if (n > 0 && expected_step(secret, n, mine, 0) < 0)
        abort();
    free(text);
    return 0;
}
