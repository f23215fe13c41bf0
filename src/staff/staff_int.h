/* Internals shared by the files of src/staff. */
#ifndef HEDUI_STAFF_INT_H
#define HEDUI_STAFF_INT_H

#include <hedui/staff.h>

#include <sodium.h>

#define HD__PWHASH_MAX crypto_pwhash_STRBYTES

/* Start libsodium (idempotent): 0 or HD_EINVAL. */
int hd__staff_sodium(hd_error *err);
/* Argon2id of `password` with today's parameters into `out`: 0 or
 * HD_ENOMEM (Argon2 could not have its memory). */
int hd__staff_password_hash(char out[HD__PWHASH_MAX], const char *password,
                            hd_error *err);
/* Does `password` match `hash`? With hash NULL, the same work is done
 * against a fixed hash and the answer is false: the time of a login does
 * not tell whether the account exists. *rehash (may be NULL) says the
 * hash is weaker than today's parameters. */
bool hd__staff_password_verify(const char *hash, const char *password,
                               bool *rehash);

/* An account row copied out of the store's callback, to change and
 * write back. */
typedef struct hd__staff_held {
    hd_staff_row row;
    char username[HD_STAFF_USERNAME_MAX + 1];
    char display_name[HD_STAFF_NAME_MAX];
    char role[16];
    char region[16];
    char password[HD__PWHASH_MAX];
    char totp_secret[HD_TOTP_SECRET_B32_LEN + 1];
} hd__staff_held;

/* Read an account into `h`: HD_ENOTFOUND; HD_ESTORE for a stored value
 * too long for it. Wipe `h` with sodium_memzero after use (it holds the
 * password hash and the TOTP secret). */
int hd__staff_hold(hd__staff_held *h, hd_casestore *cs, const char *username,
                   hd_error *err);

/* A user from its stored row: HD_ESTORE for a row with an unknown role. */
int hd__staff_user_from_row(hd_staff_user *out, const hd_staff_row *row,
                            hd_error *err);

/* An audit entry about accounts or logins, persons "[]": `who` acts with
 * `role` (NULL for the command line) in `region`. */
int hd__staff_audit(hd_casestore *cs, int64_t now, const char *who,
                    const char *role, const char *region, const char *action,
                    const char *outcome, hd_error *err);

/* "YYYY-MM-DDTHH:MM:SSZ" of `t` (seconds since 1970) into `out`. */
#define HD__TIME_TEXT_MAX 24
const char *hd__staff_time_text(char out[HD__TIME_TEXT_MAX], int64_t t);

/* A new TOTP secret (20 random bytes, base32) and its otpauth:// URI. */
void hd__staff_totp_new(char secret_b32[HD_TOTP_SECRET_B32_LEN + 1],
                        char uri[HD_STAFF_TOTP_URI_MAX], const char *username);

#endif
