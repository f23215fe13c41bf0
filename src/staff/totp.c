/*
 * The second factor: TOTP (RFC 6238) over HOTP (RFC 4226) with
 * HMAC-SHA1, as phone authenticator apps compute it, and the base32 of
 * their secrets (RFC 4648). HMAC is OpenSSL's (libcrypto is linked for
 * the store already); libsodium has no SHA-1, on purpose.
 */
#include <hedui/staff.h>

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <sodium.h>
#include <string.h>

static const char b32[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

void hd_staff_base32_encode(char *out, const uint8_t *data, size_t len)
{
    uint32_t acc = 0;
    int bits = 0;
    size_t o = 0;

    for (size_t i = 0; i < len; i++) {
        acc = (acc << 8) | data[i];
        bits += 8;
        while (bits >= 5) {
            out[o++] = b32[(acc >> (bits - 5)) & 31];
            bits -= 5;
        }
    }
    if (bits > 0)
        out[o++] = b32[(acc << (5 - bits)) & 31];
    out[o] = '\0';
}

long hd_staff_base32_decode(uint8_t *out, size_t max, const char *text)
{
    uint32_t acc = 0;
    int bits = 0;
    size_t o = 0;

    for (const char *p = text; *p; p++) {
        int c = *p, v;

        if (c == '=' || c == ' ')
            continue;
        if (c >= 'a' && c <= 'z')
            c -= 'a' - 'A';
        if (c >= 'A' && c <= 'Z')
            v = c - 'A';
        else if (c >= '2' && c <= '7')
            v = c - '2' + 26;
        else
            return -1;
        acc = (acc << 5) | (uint32_t)v;
        bits += 5;
        if (bits >= 8) {
            if (o == max)
                return -1;
            out[o++] = (uint8_t)(acc >> (bits - 8));
            bits -= 8;
        }
    }
    return (long)o;
}

uint32_t hd_staff_hotp(const uint8_t *secret, size_t secret_len,
                       uint64_t counter, int digits)
{
    static const uint32_t pow10[] = {1,      10,      100,      1000,     10000,
                                     100000, 1000000, 10000000, 100000000};
    uint8_t msg[8], mac[EVP_MAX_MD_SIZE];
    unsigned int mac_len = 0;
    uint32_t bin;
    int off;

    if (digits < 1 || digits > 8)
        digits = HD_TOTP_DIGITS;
    for (int i = 7; i >= 0; i--, counter >>= 8)
        msg[i] = (uint8_t)counter;
    if (!HMAC(EVP_sha1(), secret, (int)secret_len, msg, sizeof(msg), mac,
              &mac_len) ||
        mac_len < 20)
        return UINT32_MAX; /* never a code: it has more than 8 digits */
    /* RFC 4226 5.3, dynamic truncation. */
    off = mac[mac_len - 1] & 0x0f;
    bin = (uint32_t)(mac[off] & 0x7f) << 24 | (uint32_t)mac[off + 1] << 16 |
          (uint32_t)mac[off + 2] << 8 | (uint32_t)mac[off + 3];
    sodium_memzero(mac, sizeof(mac));
    return bin % pow10[digits];
}

/* The 6 digits of `code` as a number, or -1. */
static long code_value(const char *code)
{
    long v = 0;

    if (!code || strlen(code) != HD_TOTP_DIGITS)
        return -1;
    for (int i = 0; i < HD_TOTP_DIGITS; i++) {
        if (!hd_is_digit(code[i]))
            return -1;
        v = v * 10 + (code[i] - '0');
    }
    return v;
}

int hd_staff_totp_check(int64_t *step_out, const char *secret_b32,
                        const char *code, int64_t now, int64_t last_step,
                        hd_error *err)
{
    uint8_t secret[64];
    long want = code_value(code), len;
    int64_t step = now / HD_TOTP_STEP_S;
    bool replay = false;
    int rc = HD_EAUTH;

    *step_out = 0;
    len = secret_b32
              ? hd_staff_base32_decode(secret, sizeof(secret), secret_b32)
              : -1;
    if (len <= 0)
        return hd_error_set(err, HD_EAUTH, "no second factor set up");
    /* Each of the three steps is computed, so that the time taken says
     * nothing about which matched. */
    for (int64_t s = step - 1; s <= step + 1; s++) {
        uint32_t got =
            hd_staff_hotp(secret, (size_t)len, (uint64_t)s, HD_TOTP_DIGITS);
        if (s < 0 || want < 0 || got != (uint32_t)want)
            continue;
        if (s <= last_step) {
            replay = true;
        } else if (rc) {
            *step_out = s;
            rc = 0;
        }
    }
    sodium_memzero(secret, sizeof(secret));
    if (rc == 0)
        return 0;
    hd_error_set(err, HD_EAUTH,
                 replay ? "wrong one-time code: already used"
                        : "wrong one-time code");
    hd_error_at(err, NULL, 0, 0, "totp");
    return HD_EAUTH;
}
