/*
 * Staff accounts: creating them, reading them, and the changes an admin
 * (or the server's command line) makes. Each change is one transaction
 * holding the change and its audit entry; it writes under the generation
 * it read, so that two admins changing one account at once cannot both
 * succeed unseen (the second gets HD_ECONFLICT).
 */
#include "staff/staff_int.h"

#include <stdio.h>
#include <string.h>

const char *hd__staff_time_text(char out[HD__TIME_TEXT_MAX], int64_t t)
{
    int64_t days = t >= 0 ? t / 86400 : -((-t + 86399) / 86400);
    int64_t secs = t - days * 86400;
    char date[HD_DATE_TEXT_MAX];

    hd_date_format(date, (int32_t)days);
    snprintf(out, HD__TIME_TEXT_MAX, "%sT%02d:%02d:%02dZ", date,
             (int)(secs / 3600), (int)(secs / 60 % 60), (int)(secs % 60));
    return out;
}

int hd__staff_audit(hd_casestore *cs, int64_t now, const char *who,
                    const char *role, const char *region, const char *action,
                    const char *outcome, hd_error *err)
{
    hd_audit_entry e = {
        .at = now,
        .actor = who,
        .role = role,
        .region = region,
        .action = action,
        .case_no = NULL,
        .persons = "[]",
        .feeds = "[]",
        .authorizations = "[]",
        .outcome = outcome,
    };
    return hd_casestore_audit_add(cs, &e, err);
}

void hd__staff_totp_new(char secret_b32[HD_TOTP_SECRET_B32_LEN + 1],
                        char uri[HD_STAFF_TOTP_URI_MAX], const char *username)
{
    uint8_t secret[HD_TOTP_SECRET_LEN];

    randombytes_buf(secret, sizeof(secret));
    hd_staff_base32_encode(secret_b32, secret, sizeof(secret));
    sodium_memzero(secret, sizeof(secret));
    /* Key URI format of Google Authenticator, which the other apps read;
     * usernames need no escaping ([a-z0-9_.-]). */
    snprintf(uri, HD_STAFF_TOTP_URI_MAX,
             "otpauth://totp/hedui:%s?secret=%s&issuer=hedui&algorithm=SHA1"
             "&digits=%d&period=%d",
             username, secret_b32, HD_TOTP_DIGITS, HD_TOTP_STEP_S);
}

int hd__staff_user_from_row(hd_staff_user *out, const hd_staff_row *row,
                            hd_error *err)
{
    memset(out, 0, sizeof(*out));
    if (hd_role_parse(&out->role, row->role, NULL))
        return hd_error_set(err, HD_ESTORE, "account %.32s has an unknown role",
                            row->username);
    snprintf(out->username, sizeof(out->username), "%s", row->username);
    snprintf(out->display_name, sizeof(out->display_name), "%s",
             row->display_name);
    snprintf(out->region, sizeof(out->region), "%s", row->region);
    out->generation = row->generation;
    out->has_totp = row->totp_secret && *row->totp_secret;
    out->disabled = row->disabled_at != 0;
    out->disabled_at = row->disabled_at;
    out->failed_logins = (int)row->failed_logins;
    out->locked_until = row->locked_until;
    out->created_at = row->created_at;
    out->updated_at = row->updated_at;
    return 0;
}

/* ------------------------------------------------------------- reading */

static bool copy(char *out, size_t out_len, const char *s)
{
    return (size_t)snprintf(out, out_len, "%s", s ? s : "") < out_len;
}

static int hold_row(const hd_staff_row *row, void *payload)
{
    hd__staff_held *h = payload;

    h->row = *row;
    if (!copy(h->username, sizeof(h->username), row->username) ||
        !copy(h->display_name, sizeof(h->display_name), row->display_name) ||
        !copy(h->role, sizeof(h->role), row->role) ||
        !copy(h->region, sizeof(h->region), row->region) ||
        !copy(h->password, sizeof(h->password), row->password) ||
        !copy(h->totp_secret, sizeof(h->totp_secret), row->totp_secret))
        return 1; /* too long: see hd__staff_hold */
    h->row.username = h->username;
    h->row.display_name = h->display_name;
    h->row.role = h->role;
    h->row.region = h->region;
    h->row.password = h->password;
    h->row.totp_secret = row->totp_secret ? h->totp_secret : NULL;
    return 0;
}

int hd__staff_hold(hd__staff_held *h, hd_casestore *cs, const char *username,
                   hd_error *err)
{
    int rc = hd_casestore_user_get(cs, username, hold_row, h, err);

    if (rc == 1)
        rc =
            hd_error_set(err, HD_ESTORE,
                         "account %.32s: a stored value is too long", username);
    return rc;
}

int hd_staff_user_get(hd_staff_user *out, hd_casestore *cs,
                      const char *username, hd_error *err)
{
    hd__staff_held h;
    int rc;

    memset(out, 0, sizeof(*out));
    if (!username)
        return hd_error_set(err, HD_ENOTFOUND, "no account");
    rc = hd__staff_hold(&h, cs, username, err);
    if (rc == 0)
        rc = hd__staff_user_from_row(out, &h.row, err);
    sodium_memzero(&h, sizeof(h));
    return rc;
}

typedef struct list_ctx {
    const char *region;
    int (*fn)(const hd_staff_user *user, void *payload);
    void *payload;
    hd_error *err;
} list_ctx;

static int list_row(const hd_staff_row *row, void *payload)
{
    list_ctx *ctx = payload;
    hd_staff_user u;
    int rc;

    if (ctx->region && !hd_staff_region_covers(ctx->region, row->region))
        return 0;
    if ((rc = hd__staff_user_from_row(&u, row, ctx->err)) != 0)
        return rc;
    return ctx->fn(&u, ctx->payload);
}

int hd_staff_user_list(hd_casestore *cs, const char *region,
                       int (*fn)(const hd_staff_user *user, void *payload),
                       void *payload, hd_error *err)
{
    list_ctx ctx = {region, fn, payload, err};

    if (!fn)
        return hd_error_set(err, HD_EINVAL, "no callback");
    return hd_casestore_user_list(cs, list_row, &ctx, err);
}

/* ------------------------------------------------------------- changes */

/*
 * May `actor` change the account of `username` in `region`, giving it
 * `new_region` (NULL: unchanged)? Self-service is for passwords only and
 * is checked by the caller.
 */
static int may_manage(const hd_staff_actor *actor, const char *username,
                      const char *region, const char *new_region, hd_error *err)
{
    if (!actor || !actor->name)
        return hd_error_set(err, HD_EINVAL, "no actor");
    if (actor->operator)
        return 0;
    if (actor->role != HD_ROLE_ADMIN)
        return hd_error_set(err, HD_EDENIED, "only an admin manages accounts");
    if (region && !hd_staff_region_covers(actor->region, region))
        return hd_error_set(err, HD_EDENIED,
                            "account %.32s is outside region %.16s", username,
                            actor->region);
    if (new_region && !hd_staff_region_covers(actor->region, new_region))
        return hd_error_set(err, HD_EDENIED,
                            "region %.16s is outside region %.16s", new_region,
                            actor->region);
    return 0;
}

static const char *actor_role(const hd_staff_actor *actor)
{
    return actor->operator? NULL : hd_role_name(actor->role);
}

/* Write `h` (changed) under the generation it was read with, and the
 * audit entry, in one transaction. */
static int write_change(hd_casestore *cs, hd__staff_held *h,
                        const hd_staff_actor *actor, const char *action,
                        const char *outcome, bool unlock, int64_t now,
                        hd_error *err)
{
    int64_t read_generation = h->row.generation;
    char full[768];
    int rc;

    /* The reason the admin gave goes with the change it explains. */
    if (actor->reason && *actor->reason) {
        snprintf(full, sizeof(full), "%s reason=%s", outcome, actor->reason);
        outcome = full;
    }
    h->row.generation = read_generation + 1;
    h->row.updated_at = now;
    if ((rc = hd_casestore_begin(cs, err)) != 0)
        return rc;
    rc = hd_casestore_user_update(cs, &h->row, read_generation, err);
    if (rc == 0 && unlock)
        rc = hd_casestore_user_login_ok(cs, h->row.username, 0, NULL, err);
    if (rc == 0)
        rc = hd__staff_audit(cs, now, actor->name, actor_role(actor),
                             actor->operator? NULL : actor->region, action,
                             outcome, err);
    if (rc == 0)
        rc = hd_casestore_commit(cs, err);
    if (rc)
        hd_casestore_rollback(cs);
    return rc;
}

static int role_check(hd_role role, hd_error *err)
{
    hd_role parsed;
    return hd_role_parse(&parsed, hd_role_name(role), err);
}

static int display_name_check(const char *name, hd_error *err)
{
    size_t len = strlen(name);
    long chars = hd_utf8_count(name, len);
    bool ok = chars >= 1 && chars <= HD_STAFF_NAME_MAX_CHARS;

    for (size_t i = 0; ok && i < len; i++)
        ok = (unsigned char)name[i] >= 0x20 && name[i] != 0x7f;
    if (ok)
        return 0;
    hd_error_set(err, HD_EINVAL,
                 "a display name is 1 to %d characters of UTF-8 text "
                 "without control characters",
                 HD_STAFF_NAME_MAX_CHARS);
    hd_error_at(err, NULL, 0, 0, "name");
    return HD_EINVAL;
}

int hd_staff_user_add(char totp_uri[HD_STAFF_TOTP_URI_MAX], hd_casestore *cs,
                      const hd_staff_actor *actor, const hd_staff_new *user,
                      int64_t now, hd_error *err)
{
    char hash[HD__PWHASH_MAX], secret[HD_TOTP_SECRET_B32_LEN + 1] = "";
    char outcome[128];
    const char *name;
    hd_staff_row row;
    int rc;

    totp_uri[0] = '\0';
    if (!user)
        return hd_error_set(err, HD_EINVAL, "no account");
    name = user->display_name && *user->display_name ? user->display_name
                                                     : user->username;
    if ((rc = hd_staff_username_check(user->username, err)) != 0 ||
        (rc = display_name_check(name, err)) != 0 ||
        (rc = role_check(user->role, err)) != 0 ||
        (rc = hd_staff_region_check(user->region, err)) != 0 ||
        (rc = hd_staff_password_check(user->username, user->password, err)) !=
            0 ||
        (rc = may_manage(actor, user->username, NULL, user->region, err)) != 0)
        return rc;
    if ((rc = hd__staff_password_hash(hash, user->password, err)) != 0)
        return rc;
    if (hd_role_needs_totp(user->role))
        hd__staff_totp_new(secret, totp_uri, user->username);
    row = (hd_staff_row){
        .username = user->username,
        .display_name = name,
        .role = hd_role_name(user->role),
        .region = user->region,
        .password = hash,
        .totp_secret = *secret ? secret : NULL,
        .generation = 1,
        .created_at = now,
        .updated_at = now,
    };
    snprintf(outcome, sizeof(outcome), "ok user=%s role=%s region=%s",
             user->username, row.role, user->region);
    if ((rc = hd_casestore_begin(cs, err)) != 0)
        goto out;
    rc = hd_casestore_user_add(cs, &row, err);
    if (rc == HD_EEXISTS) {
        hd_error_set(err, rc, "username %s is taken", user->username);
        hd_error_at(err, NULL, 0, 0, "username");
    }
    if (rc == 0)
        rc = hd__staff_audit(cs, now, actor->name, actor_role(actor),
                             actor->operator? NULL : actor->region, "user_add",
                             outcome, err);
    if (rc == 0)
        rc = hd_casestore_commit(cs, err);
    if (rc)
        hd_casestore_rollback(cs);
out:
    sodium_memzero(hash, sizeof(hash));
    sodium_memzero(secret, sizeof(secret));
    if (rc)
        totp_uri[0] = '\0';
    return rc;
}

int hd_staff_user_disable(hd_casestore *cs, const hd_staff_actor *actor,
                          const char *username, int64_t now, hd_error *err)
{
    char outcome[96];
    hd__staff_held h;
    int rc;

    if ((rc = hd__staff_hold(&h, cs, username, err)) != 0)
        goto out;
    if ((rc = may_manage(actor, username, h.row.region, NULL, err)) != 0)
        goto out;
    if (!actor->operator&& !strcmp(actor->name, username)) {
        rc = hd_error_set(err, HD_EDENIED,
                          "an admin cannot disable their own account");
        goto out;
    }
    if (h.row.disabled_at)
        goto out; /* already: nothing changes */
    h.row.disabled_at = now;
    snprintf(outcome, sizeof(outcome), "ok user=%s", username);
    rc = write_change(cs, &h, actor, "user_disable", outcome, false, now, err);
out:
    sodium_memzero(&h, sizeof(h));
    return rc;
}

int hd_staff_user_passwd(hd_casestore *cs, const hd_staff_actor *actor,
                         const char *username, const char *old_password,
                         const char *new_password, int64_t now, hd_error *err)
{
    char hash[HD__PWHASH_MAX] = "", outcome[96];
    bool self;
    hd__staff_held h;
    int rc;

    if (!actor || !actor->name)
        return hd_error_set(err, HD_EINVAL, "no actor");
    if ((rc = hd__staff_hold(&h, cs, username, err)) != 0)
        goto out;
    self = !actor->operator&& !strcmp(actor->name, username);
    if (!self &&
        (rc = may_manage(actor, username, h.row.region, NULL, err)) != 0)
        goto out;
    if ((rc = hd_staff_password_check(username, new_password, err)) != 0)
        goto out;
    if (self &&
        !hd__staff_password_verify(h.row.password, old_password, NULL)) {
        rc = hd_error_set(err, HD_EAUTH, "wrong current password");
        hd_error_at(err, NULL, 0, 0, "old_password");
        goto out;
    }
    if ((rc = hd__staff_password_hash(hash, new_password, err)) != 0)
        goto out;
    memcpy(h.password, hash, sizeof(hash));
    snprintf(outcome, sizeof(outcome), "ok user=%s", username);
    rc = write_change(cs, &h, actor, "user_passwd", outcome, true, now, err);
out:
    sodium_memzero(hash, sizeof(hash));
    sodium_memzero(&h, sizeof(h));
    return rc;
}

int hd_staff_user_role(char totp_uri[HD_STAFF_TOTP_URI_MAX], hd_casestore *cs,
                       const hd_staff_actor *actor, const char *username,
                       hd_role role, const char *region, int64_t now,
                       hd_error *err)
{
    char outcome[128];
    hd__staff_held h;
    int rc;

    totp_uri[0] = '\0';
    if ((rc = role_check(role, err)) != 0)
        return rc;
    if ((rc = hd_staff_region_check(region, err)) != 0)
        return rc;
    if ((rc = hd__staff_hold(&h, cs, username, err)) != 0)
        goto out;
    if ((rc = may_manage(actor, username, h.row.region, region, err)) != 0)
        goto out;
    if (!actor->operator&& !strcmp(actor->name, username)) {
        rc = hd_error_set(err, HD_EDENIED,
                          "an admin cannot change their own role or region");
        goto out;
    }
    copy(h.role, sizeof(h.role), hd_role_name(role));
    copy(h.region, sizeof(h.region), region);
    if (!hd_role_needs_totp(role)) {
        h.row.totp_secret = NULL;
        h.row.totp_last_step = 0;
    } else if (!h.row.totp_secret) {
        hd__staff_totp_new(h.totp_secret, totp_uri, username);
        h.row.totp_secret = h.totp_secret;
        h.row.totp_last_step = 0;
    }
    snprintf(outcome, sizeof(outcome), "ok user=%s role=%s region=%s", username,
             h.role, region);
    rc = write_change(cs, &h, actor, "user_role", outcome, false, now, err);
out:
    sodium_memzero(&h, sizeof(h));
    if (rc)
        totp_uri[0] = '\0';
    return rc;
}
