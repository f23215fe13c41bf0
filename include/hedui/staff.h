/*
 * hedui staff: the accounts of a verification centre's staff, their roles
 * and jurisdictions, passwords, the second factor, and sessions
 * (docs/security.md).
 *
 * Accounts and sessions live in the case store (store.h, "staff and
 * sessions"), so every front-end sharing one store shares them: a session
 * made on one `hedui serve` works on the others, and a role change or a
 * disabling takes effect on all at once.
 *
 * Every change of an account and every login (success and failure) writes
 * an audit entry (hd_casestore_audit_add) in the same transaction as the
 * change; a change that fails writes none. The case store must therefore
 * have its audit key (hd_casestore_set_audit_key). Persons: none ("[]").
 *
 * Passwords are never stored, logged or put into an error message; only
 * libsodium's Argon2id strings are kept. Session tokens are returned once,
 * by hd_staff_login; the store keeps only their SHA-256.
 *
 * Nothing here reads the clock: `now` is seconds since 1970 (UTC). The
 * functions taking a case store use it from the calling thread only, as
 * the store requires; the others are pure and thread-safe.
 */
#ifndef HEDUI_STAFF_H
#define HEDUI_STAFF_H

#include <hedui/store.h>

/* ----------------------------------------------------------------- roles */

/* The roles of issue 5. Values are stable (they index hd_role_mask). */
typedef enum hd_role {
    HD_ROLE_CLERK = 0, /* 受理员: registers applications, authorizations */
    HD_ROLE_VERIFIER = 1, /* 核对员: runs verifications, issues reports */
    HD_ROLE_APPROVER = 2, /* 审核确认: records the decision */
    HD_ROLE_AUDITOR = 3,  /* 审计员: reads the audit trail, nothing else */
    HD_ROLE_ADMIN = 4,    /* accounts, policies, deliveries */
    HD_ROLE_COUNT_
} hd_role;

/* A set of roles, for what a route allows: HD_ROLE_BIT(HD_ROLE_CLERK) |
 * HD_ROLE_BIT(HD_ROLE_VERIFIER). */
typedef unsigned hd_role_mask;
#define HD_ROLE_BIT(role) ((hd_role_mask)1u << (unsigned)(role))
#define HD_ROLES_ALL ((hd_role_mask)((1u << HD_ROLE_COUNT_) - 1u))

/* "clerk", "verifier", "approver", "auditor", "admin"; NULL when out of
 * range. */
const char *hd_role_name(hd_role role);
/* The Chinese title: "受理员", "核对员", "审核确认", "审计员", "管理员". */
const char *hd_role_title(hd_role role);
/* A role from its name (exactly as hd_role_name spells it): 0, or
 * HD_EINVAL naming the roles there are. */
int hd_role_parse(hd_role *out, const char *name, hd_error *err);
/* Admin and auditor accounts must have a second factor (TOTP). */
bool hd_role_needs_totp(hd_role role);
/* Is `role` one of `mask`? */
bool hd_role_in(hd_role role, hd_role_mask mask);

/* ---------------------------------------------------------- jurisdiction */

/*
 * Does an account bound to `user_region` see a case of `case_region`?
 * A province account (PP0000) covers every code beginning PP, a city
 * account (PPCC00) every code beginning PPCC, a county account (PPCCXX)
 * only itself and its townships (9-digit codes PPCCXXTTT).
 * Municipalities follow the same rule: 110000 covers 110101. Codes are
 * checked for form only (hd_region_code_valid); a malformed code on
 * either side covers nothing and is covered by nothing.
 */
bool hd_staff_region_covers(const char *user_region, const char *case_region);
/* Can an account be bound to `code`: a province, city or county of the
 * shipped division table? 0 or HD_EINVAL (field "region"). */
int hd_staff_region_check(const char *code, hd_error *err);

/* ------------------------------------------------------------- accounts */

#define HD_STAFF_USERNAME_MAX 32
#define HD_STAFF_NAME_MAX_CHARS 64 /* display name, in code points */
#define HD_STAFF_NAME_MAX (HD_STAFF_NAME_MAX_CHARS * 4 + 1)
#define HD_STAFF_PASSWORD_MIN 10   /* characters (code points) */
#define HD_STAFF_PASSWORD_MAX 1024 /* bytes */

/* An account as read from the store (no password, no secret). */
typedef struct hd_staff_user {
    char username[HD_STAFF_USERNAME_MAX + 1];
    char display_name[HD_STAFF_NAME_MAX];
    hd_role role;
    char region[7];
    int64_t generation; /* grows with every role, region, password or
                           status change; older sessions are void */
    bool has_totp;
    bool disabled;
    int64_t disabled_at;  /* 0 when not disabled */
    int failed_logins;    /* failures in a row since the last success */
    int64_t locked_until; /* login refused before this time; 0 none */
    int64_t created_at, updated_at;
} hd_staff_user;

/*
 * Who makes a change to accounts, as the audit log names them. The
 * server's own command line (`hedui user`, `operator` true) may do
 * anything; a user may change only their own password, and an admin may
 * manage accounts whose region theirs covers and give only such regions.
 * Nobody may disable their own account or change their own role.
 */
typedef struct hd_staff_actor {
    const char *name;   /* a username, or "cli:uid=N" */
    bool operator;      /* the command line on the server itself */
    hd_role role;       /* unless operator */
    const char *region; /* unless operator */
    const char *reason; /* why, for the audit entry of a change; NULL none */
} hd_staff_actor;

/* The actor for a logged-in user (borrows `user`'s strings). */
hd_staff_actor hd_staff_actor_of(const hd_staff_user *user);

/*
 * Check a username: 3 to 32 of [a-z0-9_.-]. 0 or HD_EINVAL (field
 * "username").
 */
int hd_staff_username_check(const char *username, hd_error *err);
/*
 * Check a new password against the policy: valid UTF-8, at least
 * HD_STAFF_PASSWORD_MIN characters, at most HD_STAFF_PASSWORD_MAX bytes,
 * no control characters, and not the username (in any letter case).
 * 0 or HD_EINVAL (field "password"); the message never holds the password.
 */
int hd_staff_password_check(const char *username, const char *password,
                            hd_error *err);

#define HD_STAFF_TOTP_URI_MAX 256

/* A new account. */
typedef struct hd_staff_new {
    const char *username;
    const char *display_name; /* NULL or "": the username */
    hd_role role;
    const char *region; /* hd_staff_region_check */
    const char *password;
} hd_staff_new;

/*
 * Create an account (audit action "user_add"). For a role that needs a
 * second factor, a TOTP secret is made and its otpauth:// URI written to
 * `totp_uri` — the only time it is shown; otherwise totp_uri is "".
 * Errors: HD_EINVAL for a bad username, display name, region or password
 * (err->field says which), HD_EEXISTS when the username is taken,
 * HD_EDENIED when the actor may not, HD_ESTORE.
 */
int hd_staff_user_add(char totp_uri[HD_STAFF_TOTP_URI_MAX], hd_casestore *cs,
                      const hd_staff_actor *actor, const hd_staff_new *user,
                      int64_t now, hd_error *err);
/* One account: 0, or HD_ENOTFOUND. */
int hd_staff_user_get(hd_staff_user *out, hd_casestore *cs,
                      const char *username, hd_error *err);
/* The accounts whose region `region` covers (NULL: all), in username
 * order; fn returns non-zero to stop, and that is returned. `user` is
 * borrowed during the call. */
int hd_staff_user_list(hd_casestore *cs, const char *region,
                       int (*fn)(const hd_staff_user *user, void *payload),
                       void *payload, hd_error *err);
/* Disable an account for good ("user_disable"): its sessions end, it
 * cannot log in. Disabling a disabled account changes nothing and
 * returns 0 without an audit entry. HD_ENOTFOUND, HD_EDENIED. */
int hd_staff_user_disable(hd_casestore *cs, const hd_staff_actor *actor,
                          const char *username, int64_t now, hd_error *err);
/*
 * Set a new password ("user_passwd"); this ends the account's sessions
 * and clears a lock-out. `old_password` is required (and checked, the
 * answer being HD_EAUTH when wrong) when the actor changes their own
 * password; it is ignored otherwise. HD_EINVAL (policy), HD_ENOTFOUND,
 * HD_EDENIED.
 */
int hd_staff_user_passwd(hd_casestore *cs, const hd_staff_actor *actor,
                         const char *username, const char *old_password,
                         const char *new_password, int64_t now, hd_error *err);
/*
 * Change an account's role and region ("user_role"), ending its
 * sessions. When the new role needs a second factor and the account has
 * none, a secret is made and its URI written to `totp_uri` (else "");
 * a role that needs none drops the secret. HD_EINVAL, HD_ENOTFOUND,
 * HD_EDENIED.
 */
int hd_staff_user_role(char totp_uri[HD_STAFF_TOTP_URI_MAX], hd_casestore *cs,
                       const hd_staff_actor *actor, const char *username,
                       hd_role role, const char *region, int64_t now,
                       hd_error *err);

/* ------------------------------------------------------------------ TOTP */

/*
 * RFC 6238 with HMAC-SHA1 over RFC 4226's HOTP. Accounts use 30-second
 * steps and 6 digits, and accept the step of `now` and one either side;
 * a step once used is refused after (the store keeps the last one).
 */
#define HD_TOTP_STEP_S 30
#define HD_TOTP_DIGITS 6
#define HD_TOTP_SECRET_LEN 20     /* bytes */
#define HD_TOTP_SECRET_B32_LEN 32 /* its base32, without padding */

/* The HOTP value of `counter` with `digits` (6 to 8) digits. */
uint32_t hd_staff_hotp(const uint8_t *secret, size_t secret_len,
                       uint64_t counter, int digits);
/* Base32 (RFC 4648, upper case, no padding) of `len` bytes into `out`,
 * which must hold (len * 8 + 4) / 5 + 1 bytes. */
void hd_staff_base32_encode(char *out, const uint8_t *data, size_t len);
/* Decode base32 (either case, padding and spaces ignored): the byte
 * count, or -1 for a bad character or more than `max` bytes. */
long hd_staff_base32_decode(uint8_t *out, size_t max, const char *text);
/*
 * Check a code of `secret_b32` at `now`: 0 and *step_out the step it
 * matched, when it is HD_TOTP_DIGITS digits matching the step of now or
 * one either side, and that step is after `last_step`; HD_EAUTH
 * otherwise (a replay says so).
 */
int hd_staff_totp_check(int64_t *step_out, const char *secret_b32,
                        const char *code, int64_t now, int64_t last_step,
                        hd_error *err);

/* -------------------------------------------------------------- sessions */

/* The settings of logins and sessions ([staff] in the server's config). */
typedef struct hd_staff_settings {
    int64_t idle_s;       /* a session unused this long ends */
    int64_t absolute_s;   /* a session this old ends, used or not */
    int lockout_failures; /* failed logins in a row that lock an account */
    int64_t lockout_minutes;
} hd_staff_settings;

/* 30 minutes idle, 12 hours absolute, 5 failures lock for 15 minutes. */
#define HD_STAFF_SETTINGS_DEFAULT ((hd_staff_settings){1800, 43200, 5, 15})

/* Why a session is refused (or HD_STAFF_SESSION_OK). */
typedef enum hd_staff_session_state {
    HD_STAFF_SESSION_OK = 0,
    HD_STAFF_SESSION_UNKNOWN, /* no such token */
    HD_STAFF_SESSION_ENDED,   /* logged out */
    HD_STAFF_SESSION_IDLE,    /* unused longer than idle_s */
    HD_STAFF_SESSION_EXPIRED, /* older than absolute_s */
    HD_STAFF_SESSION_CHANGED, /* role, region or password changed since */
    HD_STAFF_SESSION_DISABLED /* the account was disabled */
} hd_staff_session_state;

/* "ok", "unknown", "ended", "idle", "expired", "changed", "disabled". */
const char *hd_staff_session_state_name(hd_staff_session_state state);

#define HD_STAFF_TOKEN_LEN 43 /* 32 random bytes, base64url, no padding */

typedef struct hd_staff_session {
    char token[HD_STAFF_TOKEN_LEN + 1]; /* hd_staff_login only; else "" */
    hd_staff_session_state state;
    hd_staff_user user; /* when state is OK */
    int64_t created_at;
    int64_t expires_at;      /* created_at + absolute_s */
    int64_t idle_expires_at; /* last use (to the minute) + idle_s */
} hd_staff_session;

/*
 * Log in. `totp` is the 6-digit code, NULL or "" when none was asked.
 * On success (audit "login", outcome "ok"): a new session, its token in
 * out->token — give it to the client, it is not kept anywhere — and the
 * user. Otherwise HD_EAUTH (audit "login_failed" with the reason), with
 * one message for an unknown user and a wrong password ("wrong username
 * or password"; the Argon2 work is done either way, so that the time
 * does not tell them apart), and clear ones for the rest:
 *   - a locked account: "account locked until <UTC time>", whatever the
 *     password (it is not tried);
 *   - a disabled account, with the right password: "account disabled";
 *   - an admin or auditor without a code: "one-time code required"
 *     (err->field "totp"; not counted as a failure), with a wrong or
 *     reused code: "wrong one-time code" (counted).
 * `settings->lockout_failures` failures in a row lock the account for
 * `lockout_minutes`; the count starts again after a lock or a success.
 * A password hashed with weaker parameters than today's is rehashed.
 * HD_ESTORE and HD_ENOMEM pass through.
 */
int hd_staff_login(hd_staff_session *out, hd_casestore *cs,
                   const char *username, const char *password, const char *totp,
                   int64_t now, const hd_staff_settings *settings,
                   hd_error *err);
/*
 * Check the token of a request: 0 with out->state OK and out->user, or
 * HD_EAUTH with out->state saying why (and err a message). The session's
 * last use is written at most once a minute, so a busy client does not
 * write on every request; idle expiry is therefore exact to a minute.
 * One indexed read otherwise.
 */
int hd_staff_session_check(hd_staff_session *out, hd_casestore *cs,
                           const char *token, int64_t now,
                           const hd_staff_settings *settings, hd_error *err);
/* End a session (audit "logout"). Ending an ended session is 0 and
 * writes nothing; an unknown token is HD_ENOTFOUND. */
int hd_staff_logout(hd_casestore *cs, const char *token, int64_t now,
                    hd_error *err);
/* Delete sessions that ended, or began more than absolute_s before
 * `now`: *count_out (may be NULL) says how many. For a periodic task. */
int hd_staff_sessions_prune(int64_t *count_out, hd_casestore *cs, int64_t now,
                            const hd_staff_settings *settings, hd_error *err);

/*
 * May `user` act in `roles` on something of `region` (NULL: no region,
 * e.g. a list filtered to the user's region)? 0, or HD_EDENIED with a
 * message naming what is missing. For the HTTP layer's routes.
 */
int hd_staff_allow(const hd_staff_user *user, hd_role_mask roles,
                   const char *region, hd_error *err);

#endif
