/*
 * Usernames and passwords: the rules for new ones, and Argon2id
 * (libsodium's crypto_pwhash_str, interactive limits) for the hashes.
 * A password is never copied anywhere but into libsodium.
 */
#include "staff/staff_int.h"

#include <string.h>

/*
 * A hash of a password nobody knows, with today's parameters: a login for
 * an unknown account is checked against it, so that it costs as long as
 * one for a real account. (Made once with crypto_pwhash_str at
 * OPSLIMIT_INTERACTIVE and MEMLIMIT_INTERACTIVE from 32 random bytes,
 * then thrown away.)
 */
static const char dummy_hash[] =
    "$argon2id$v=19$m=65536,t=2,p=1$Gvu8HNBhlijy+z5Sbe3iIw$"
    "naOhXxi3L5xo8czy3JW76n5P4sAHQORKVujLLC/9sBQ";

int hd__staff_sodium(hd_error *err)
{
    if (sodium_init() < 0)
        return hd_error_set(err, HD_EINVAL, "libsodium cannot start");
    return 0;
}

int hd_staff_username_check(const char *username, hd_error *err)
{
    size_t len = username ? strlen(username) : 0;
    bool ok = len >= 3 && len <= HD_STAFF_USERNAME_MAX;

    for (size_t i = 0; ok && i < len; i++) {
        char c = username[i];
        ok = (c >= 'a' && c <= 'z') || hd_is_digit(c) || c == '_' || c == '.' ||
             c == '-';
    }
    if (ok)
        return 0;
    hd_error_set(err, HD_EINVAL,
                 "a username is 3 to %d characters of a-z, 0-9, '_', '.' "
                 "and '-'",
                 HD_STAFF_USERNAME_MAX);
    hd_error_at(err, NULL, 0, 0, "username");
    return HD_EINVAL;
}

static int password_error(hd_error *err, const char *msg)
{
    hd_error_set(err, HD_EINVAL, "%s", msg);
    hd_error_at(err, NULL, 0, 0, "password");
    return HD_EINVAL;
}

/* ASCII letters folded to lower case, byte by byte. */
static bool same_ignoring_case(const char *a, const char *b)
{
    for (; *a && *b; a++, b++) {
        char x = *a >= 'A' && *a <= 'Z' ? (char)(*a + 32) : *a;
        char y = *b >= 'A' && *b <= 'Z' ? (char)(*b + 32) : *b;
        if (x != y)
            return false;
    }
    return *a == *b;
}

int hd_staff_password_check(const char *username, const char *password,
                            hd_error *err)
{
    size_t len = password ? strlen(password) : 0;
    long chars;

    if (!password || len > HD_STAFF_PASSWORD_MAX)
        return password_error(err, "a password is at most 1024 bytes");
    chars = hd_utf8_count(password, len);
    if (chars < 0)
        return password_error(err, "a password must be UTF-8 text");
    for (size_t i = 0; i < len; i++)
        if ((unsigned char)password[i] < 0x20 || password[i] == 0x7f)
            return password_error(err,
                                  "a password holds no control characters");
    if (chars < HD_STAFF_PASSWORD_MIN)
        return password_error(err, "a password has at least 10 characters");
    if (username && same_ignoring_case(username, password))
        return password_error(err, "a password must not be the username");
    return 0;
}

int hd__staff_password_hash(char out[HD__PWHASH_MAX], const char *password,
                            hd_error *err)
{
    int rc = hd__staff_sodium(err);

    if (rc)
        return rc;
    if (crypto_pwhash_str(out, password, strlen(password),
                          crypto_pwhash_OPSLIMIT_INTERACTIVE,
                          crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
        return hd_error_set(err, HD_ENOMEM, "no memory for hashing a password");
    return 0;
}

bool hd__staff_password_verify(const char *hash, const char *password,
                               bool *rehash)
{
    const char *h = hash ? hash : dummy_hash;
    bool ok;

    if (rehash)
        *rehash = false;
    if (hd__staff_sodium(NULL) || !password)
        return false;
    ok = crypto_pwhash_str_verify(h, password, strlen(password)) == 0;
    if (ok && rehash)
        *rehash = crypto_pwhash_str_needs_rehash(
                      h, crypto_pwhash_OPSLIMIT_INTERACTIVE,
                      crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0;
    return ok && hash != NULL;
}
