/*
 * Logins and sessions. A session is a row of the case store named by the
 * SHA-256 of a random token that only the client holds; it is valid while
 * it has not ended, is younger than the absolute limit, was used within
 * the idle limit, and was made under the account's current generation
 * (a change of role, region, password or status voids older sessions).
 */
#include "staff/staff_int.h"

#include <stdio.h>
#include <string.h>

#define TOKEN_BYTES 32
#define TOUCH_EVERY_S 60 /* last_seen is written at most this often */

static int settings_check(const hd_staff_settings *s, hd_error *err)
{
    if (!s || s->idle_s <= 0 || s->absolute_s <= 0 || s->lockout_failures < 1 ||
        s->lockout_minutes < 1 || s->lockout_minutes > INT64_MAX / 120)
        return hd_error_set(err, HD_EINVAL,
                            "session settings: idle, absolute, lockout "
                            "failures and minutes must be positive");
    return 0;
}

const char *hd_staff_session_state_name(hd_staff_session_state state)
{
    static const char *const names[] = {"ok",      "unknown", "ended",   "idle",
                                        "expired", "changed", "disabled"};
    if ((int)state < 0 || (size_t)state >= sizeof(names) / sizeof(names[0]))
        return "unknown";
    return names[state];
}

/* The stored name of a token: its SHA-256, hex. */
static void token_hash(char out[HD_SHA256_HEX_LEN + 1], const char *token)
{
    hd_sha256 ctx;

    hd_sha256_init(&ctx);
    hd_sha256_update(&ctx, token, strlen(token));
    hd_sha256_final_hex(&ctx, out);
}

/* Is `token` of the form hd_staff_login hands out? Anything else is
 * refused without a read. */
static bool token_well_formed(const char *token)
{
    if (!token || strlen(token) != HD_STAFF_TOKEN_LEN)
        return false;
    for (const char *p = token; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
              hd_is_digit(*p) || *p == '-' || *p == '_'))
            return false;
    return true;
}

/* ---------------------------------------------------------------- login */

typedef struct login {
    hd_casestore *cs;
    const hd_staff_settings *settings;
    int64_t now;
    hd__staff_held h;
    bool found;
} login;

/* Write the audit entry of a failed login (and count the failure when
 * `count`), then return HD_EAUTH with the message the caller set in
 * `err`, which the store must not overwrite. */
static int refuse(login *l, const char *outcome, bool count, hd_error *err)
{
    hd_error store_err, saved;
    char text[160], until[HD__TIME_TEXT_MAX];
    int64_t locked_until = 0;
    int rc;

    saved = err ? *err : (hd_error){0};
    hd_error_clear(&store_err);
    snprintf(text, sizeof(text), "%s", outcome);
    if ((rc = hd_casestore_begin(l->cs, &store_err)) != 0)
        goto fail;
    if (count && l->found) {
        rc = hd_casestore_user_login_failed(
            l->cs, l->h.row.username, l->settings->lockout_failures,
            l->now + l->settings->lockout_minutes * 60, &locked_until,
            &store_err);
        if (rc == 0 && locked_until > l->now) {
            /* This failure locked the account: say so, to the user too. */
            snprintf(text, sizeof(text), "%s, locked until %s", outcome,
                     hd__staff_time_text(until, locked_until));
            hd_error_set(&saved, HD_EAUTH,
                         "too many failed logins: account locked until %s",
                         until);
        }
    }
    if (rc == 0)
        rc = hd__staff_audit(
            l->cs, l->now, l->found ? l->h.row.username : "(unknown user)",
            l->found ? l->h.row.role : NULL, l->found ? l->h.row.region : NULL,
            "login_failed", text, &store_err);
    if (rc == 0)
        rc = hd_casestore_commit(l->cs, &store_err);
    if (rc)
        hd_casestore_rollback(l->cs);
fail:
    if (rc) {
        if (err)
            *err = store_err;
        return rc;
    }
    if (err)
        *err = saved;
    return HD_EAUTH;
}

static int auth_error(hd_error *err, const char *field, const char *msg)
{
    hd_error_set(err, HD_EAUTH, "%s", msg);
    if (field)
        hd_error_at(err, NULL, 0, 0, field);
    return HD_EAUTH;
}

/* Make the session and write the success, in one transaction. */
static int open_session(hd_staff_session *out, login *l, int64_t totp_step,
                        const char *rehash, hd_error *err)
{
    uint8_t raw[TOKEN_BYTES];
    char hash[HD_SHA256_HEX_LEN + 1];
    hd_session_row s;
    int rc;

    randombytes_buf(raw, sizeof(raw));
    sodium_bin2base64(out->token, sizeof(out->token), raw, sizeof(raw),
                      sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    sodium_memzero(raw, sizeof(raw));
    token_hash(hash, out->token);
    s = (hd_session_row){
        hash, l->h.row.username, l->h.row.generation, l->now, l->now, 0};
    if ((rc = hd_casestore_begin(l->cs, err)) != 0)
        return rc;
    rc = hd_casestore_user_login_ok(l->cs, l->h.row.username, totp_step, rehash,
                                    err);
    if (rc == 0)
        rc = hd_casestore_session_add(l->cs, &s, err);
    if (rc == 0)
        rc = hd__staff_audit(l->cs, l->now, l->h.row.username, l->h.row.role,
                             l->h.row.region, "login", "ok", err);
    if (rc == 0)
        rc = hd_casestore_commit(l->cs, err);
    if (rc)
        hd_casestore_rollback(l->cs);
    return rc;
}

static int login_checked(hd_staff_session *out, login *l, const char *password,
                         const char *totp, hd_error *err)
{
    char until[HD__TIME_TEXT_MAX], rehashed[HD__PWHASH_MAX] = "";
    int64_t step = 0;
    bool rehash = false;
    hd_role role;
    int rc;

    rc = hd__staff_hold(&l->h, l->cs, out->user.username, err);
    if (rc && rc != HD_ENOTFOUND)
        return rc;
    l->found = rc == 0;
    if (l->found && l->h.row.locked_until > l->now) {
        /* The password is not tried: a lock that answered "right" or
         * "wrong" would let the guessing go on. */
        hd_error_set(err, HD_EAUTH, "account locked until %s",
                     hd__staff_time_text(until, l->h.row.locked_until));
        return refuse(l, "locked", false, err);
    }
    if (!hd__staff_password_verify(l->found ? l->h.row.password : NULL,
                                   password, &rehash)) {
        auth_error(err, NULL, "wrong username or password");
        return refuse(l, l->found ? "wrong password" : "unknown user", true,
                      err);
    }
    if (l->h.row.disabled_at) {
        auth_error(err, NULL, "account disabled");
        return refuse(l, "disabled", false, err);
    }
    if (hd_role_parse(&role, l->h.row.role, NULL))
        return hd_error_set(err, HD_ESTORE, "account %s has an unknown role",
                            l->h.row.username);
    if (hd_role_needs_totp(role) || l->h.row.totp_secret) {
        if (!totp || !*totp) {
            auth_error(err, "totp", "one-time code required");
            return refuse(l, "one-time code required", false, err);
        }
        if (hd_staff_totp_check(&step, l->h.row.totp_secret, totp, l->now,
                                l->h.row.totp_last_step, err))
            return refuse(l,
                          err && strstr(err->msg, "used")
                              ? "one-time code reused"
                              : "wrong one-time code",
                          true, err);
    }
    if (rehash && (rc = hd__staff_password_hash(rehashed, password, err)))
        return rc;
    rc = open_session(out, l, step, *rehashed ? rehashed : NULL, err);
    sodium_memzero(rehashed, sizeof(rehashed));
    if (rc == HD_ECONFLICT) { /* the same code, by another login at once */
        auth_error(err, "totp", "wrong one-time code: already used");
        return refuse(l, "one-time code reused", true, err);
    }
    if (rc)
        return rc;
    l->h.row.failed_logins = 0;
    l->h.row.locked_until = 0;
    if (step)
        l->h.row.totp_last_step = step;
    rc = hd__staff_user_from_row(&out->user, &l->h.row, err);
    out->state = HD_STAFF_SESSION_OK;
    out->created_at = l->now;
    out->expires_at = l->now + l->settings->absolute_s;
    out->idle_expires_at = l->now + l->settings->idle_s;
    return rc;
}

int hd_staff_login(hd_staff_session *out, hd_casestore *cs,
                   const char *username, const char *password, const char *totp,
                   int64_t now, const hd_staff_settings *settings,
                   hd_error *err)
{
    login l = {.cs = cs, .settings = settings, .now = now};
    int rc;

    memset(out, 0, sizeof(*out));
    out->state = HD_STAFF_SESSION_UNKNOWN;
    if ((rc = settings_check(settings, err)) != 0 ||
        (rc = hd__staff_sodium(err)) != 0)
        return rc;
    if (!username || !password)
        return auth_error(err, NULL, "wrong username or password");
    /* A name that cannot be an account is looked up all the same (and
     * not found): one path, one time, one message. */
    snprintf(out->user.username, sizeof(out->user.username), "%s", username);
    if (strlen(username) > HD_STAFF_USERNAME_MAX)
        out->user.username[0] = '\0';
    rc = login_checked(out, &l, password, totp, err);
    sodium_memzero(&l.h, sizeof(l.h));
    if (rc) {
        sodium_memzero(out->token, sizeof(out->token));
        memset(&out->user, 0, sizeof(out->user));
        out->state = HD_STAFF_SESSION_UNKNOWN;
    }
    return rc;
}

/* ----------------------------------------------------------- the check */

typedef struct check_ctx {
    hd_staff_session *out;
    const hd_staff_settings *settings;
    int64_t now;
    int64_t last_seen;
    hd_error *err;
    int rc;
} check_ctx;

static int take_session(const hd_session_row *s, const hd_staff_row *u,
                        void *payload)
{
    check_ctx *c = payload;
    hd_staff_session *out = c->out;

    out->created_at = s->created_at;
    out->expires_at = s->created_at + c->settings->absolute_s;
    out->idle_expires_at = s->last_seen + c->settings->idle_s;
    c->last_seen = s->last_seen;
    if (s->ended_at)
        out->state = HD_STAFF_SESSION_ENDED;
    else if (u->disabled_at)
        out->state = HD_STAFF_SESSION_DISABLED;
    else if (u->generation != s->generation)
        out->state = HD_STAFF_SESSION_CHANGED;
    else if (c->now >= out->expires_at)
        out->state = HD_STAFF_SESSION_EXPIRED;
    else if (c->now >= out->idle_expires_at)
        out->state = HD_STAFF_SESSION_IDLE;
    else
        out->state = HD_STAFF_SESSION_OK;
    if (out->state == HD_STAFF_SESSION_OK)
        c->rc = hd__staff_user_from_row(&out->user, u, c->err);
    return 0;
}

static const char *refusal(hd_staff_session_state state)
{
    switch (state) {
    case HD_STAFF_SESSION_ENDED:
        return "session ended: log in again";
    case HD_STAFF_SESSION_IDLE:
        return "session expired after a time unused: log in again";
    case HD_STAFF_SESSION_EXPIRED:
        return "session expired: log in again";
    case HD_STAFF_SESSION_CHANGED:
        return "the account's role, region or password changed: log in "
               "again";
    case HD_STAFF_SESSION_DISABLED:
        return "account disabled";
    default:
        return "not logged in";
    }
}

int hd_staff_session_check(hd_staff_session *out, hd_casestore *cs,
                           const char *token, int64_t now,
                           const hd_staff_settings *settings, hd_error *err)
{
    char hash[HD_SHA256_HEX_LEN + 1];
    check_ctx c = {out, settings, now, 0, err, 0};
    int rc;

    memset(out, 0, sizeof(*out));
    out->state = HD_STAFF_SESSION_UNKNOWN;
    if ((rc = settings_check(settings, err)) != 0)
        return rc;
    if (!token_well_formed(token))
        return auth_error(err, NULL, refusal(out->state));
    token_hash(hash, token);
    rc = hd_casestore_session_get(cs, hash, take_session, &c, err);
    if (rc == HD_ENOTFOUND)
        return auth_error(err, NULL, refusal(out->state));
    if (rc == 0)
        rc = c.rc;
    if (rc)
        return rc;
    if (out->state != HD_STAFF_SESSION_OK) {
        memset(&out->user, 0, sizeof(out->user));
        return auth_error(err, NULL, refusal(out->state));
    }
    if (now - c.last_seen >= TOUCH_EVERY_S) {
        rc = hd_casestore_session_touch(cs, hash, now, now - TOUCH_EVERY_S + 1,
                                        err);
        out->idle_expires_at = now + settings->idle_s;
    }
    return rc;
}

/* Who a session belongs to, for the audit entry of its logout. */
typedef struct owner {
    char username[HD_STAFF_USERNAME_MAX + 1];
    char role[16];
    char region[16];
} owner;

static int take_owner(const hd_session_row *s, const hd_staff_row *u,
                      void *payload)
{
    owner *o = payload;

    (void)s;
    snprintf(o->username, sizeof(o->username), "%s", u->username);
    snprintf(o->role, sizeof(o->role), "%s", u->role);
    snprintf(o->region, sizeof(o->region), "%s", u->region);
    return 0;
}

int hd_staff_logout(hd_casestore *cs, const char *token, int64_t now,
                    hd_error *err)
{
    char hash[HD_SHA256_HEX_LEN + 1];
    owner o = {"", "", ""};
    bool ended = false;
    int rc;

    if (!token_well_formed(token))
        return hd_error_set(err, HD_ENOTFOUND, "no such session");
    token_hash(hash, token);
    if ((rc = hd_casestore_begin(cs, err)) != 0)
        return rc;
    rc = hd_casestore_session_get(cs, hash, take_owner, &o, err);
    if (rc == 0)
        rc = hd_casestore_session_end(cs, hash, now, &ended, err);
    if (rc == 0 && ended)
        rc = hd__staff_audit(cs, now, o.username, o.role, o.region, "logout",
                             "ok", err);
    if (rc == 0)
        rc = hd_casestore_commit(cs, err);
    if (rc)
        hd_casestore_rollback(cs);
    return rc;
}

int hd_staff_sessions_prune(int64_t *count_out, hd_casestore *cs, int64_t now,
                            const hd_staff_settings *settings, hd_error *err)
{
    int rc;

    if (count_out)
        *count_out = 0;
    if ((rc = settings_check(settings, err)) != 0)
        return rc;
    return hd_casestore_session_prune(cs, now - settings->absolute_s, count_out,
                                      err);
}
