/*
 * Accounts, for admins: GET and POST /api/v1/users, GET
 * /api/v1/users/{username}, POST .../role, .../disable, .../password.
 * An admin sees and manages the accounts of the regions theirs covers;
 * the staff module checks that again on every change, and audits it.
 */
#include "http/api_int.h"

#include <sodium.h>
#include <string.h>

typedef struct list_ctx {
    json_t *users;
} list_ctx;

static int add_user(const hd_staff_user *user, void *payload)
{
    list_ctx *ctx = payload;
    return json_array_append_new(ctx->users, hd__api_user_json(user))
               ? HD_ENOMEM
               : 0;
}

int hd__api_users_list(hd_http_req *req)
{
    list_ctx ctx = {json_array()};
    int rc;

    if (!ctx.users)
        return hd_error_set(&req->err, HD_ENOMEM, "out of memory");
    if ((rc = hd_http_query_only(req, NULL, 0)) == 0)
        rc = hd_staff_user_list(req->cs, hd__api_user(req)->region, add_user,
                                &ctx, &req->err);
    if (rc) {
        json_decref(ctx.users);
        return rc == HD_ENOMEM ? hd_error_set(&req->err, rc, "out of memory")
                               : rc;
    }
    return hd_http_reply_json(req, 200, json_pack("{s:o}", "users", ctx.users));
}

/* The account named in the path, when the admin's region covers it. */
static int target(hd_staff_user *out, hd_http_req *req)
{
    int rc = hd_staff_user_get(out, req->cs, hd_http_param_get(req, "username"),
                               &req->err);
    if (rc)
        return rc;
    return hd__api_covers(req, out->region, "the account");
}

/* {"user": ..., "totp_uri": ...} for the account as it now is. */
static int reply_user(hd_http_req *req, unsigned status, const char *username,
                      const char *totp_uri)
{
    hd_staff_user user;
    json_t *out;
    int rc = hd_staff_user_get(&user, req->cs, username, &req->err);

    if (rc)
        return rc;
    out = json_pack("{s:o}", "user", hd__api_user_json(&user));
    if (out && totp_uri && *totp_uri)
        json_object_set_new(out, "totp_uri", json_string(totp_uri));
    if (!out)
        return hd_error_set(&req->err, HD_ENOMEM, "out of memory");
    return hd_http_reply_json(req, status, out);
}

static int parse_role(hd_role *out, hd_http_req *req, json_t *body)
{
    int rc = hd_role_parse(
        out, json_string_value(json_object_get(body, "role")), &req->err);
    if (rc)
        hd_error_at(&req->err, NULL, 0, 0, "role");
    return rc;
}

static const hd_http_field add_fields[] = {
    {"username", HD_HTTP_STRING, HD_HTTP_REQUIRED, HD_STAFF_USERNAME_MAX},
    {"display_name", HD_HTTP_STRING, HD_HTTP_NULLABLE, HD_STAFF_NAME_MAX_CHARS},
    {"role", HD_HTTP_STRING, HD_HTTP_REQUIRED, 16},
    {"region", HD_HTTP_STRING, HD_HTTP_REQUIRED, 6},
    {"password", HD_HTTP_STRING, HD_HTTP_REQUIRED, HD_STAFF_PASSWORD_MAX},
};

int hd__api_users_add(hd_http_req *req)
{
    hd_staff_actor actor = hd_staff_actor_of(hd__api_user(req));
    char totp_uri[HD_STAFF_TOTP_URI_MAX] = "";
    hd_staff_new user;
    json_t *body;
    int rc;

    if ((rc = hd_http_body_json(&body, req, add_fields, 5)) != 0)
        return rc;
    user = (hd_staff_new){
        .username = json_string_value(json_object_get(body, "username")),
        .display_name =
            json_string_value(json_object_get(body, "display_name")),
        .region = json_string_value(json_object_get(body, "region")),
        .password = json_string_value(json_object_get(body, "password")),
    };
    if ((rc = parse_role(&user.role, req, body)) == 0 &&
        (rc = hd_staff_username_check(user.username, &req->err)) == 0 &&
        (rc = hd__api_covers(req, user.region, "the new account")) == 0)
        rc = hd_staff_user_add(totp_uri, req->cs, &actor, &user,
                               hd__api_now(req), &req->err);
    if (rc == 0)
        rc = reply_user(req, 201, user.username, totp_uri);
    json_decref(body);
    sodium_memzero(totp_uri, sizeof(totp_uri));
    return rc;
}

int hd__api_users_get(hd_http_req *req)
{
    hd_staff_user user;
    int rc = target(&user, req);
    return rc ? rc : reply_user(req, 200, user.username, NULL);
}

static const hd_http_field role_fields[] = {
    {"role", HD_HTTP_STRING, HD_HTTP_REQUIRED, 16},
    {"region", HD_HTTP_STRING, HD_HTTP_REQUIRED, 6},
    {"reason", HD_HTTP_STRING, HD_HTTP_REQUIRED, 500},
};

int hd__api_users_role(hd_http_req *req)
{
    hd_staff_actor actor = hd_staff_actor_of(hd__api_user(req));
    char totp_uri[HD_STAFF_TOTP_URI_MAX] = "";
    hd_staff_user user;
    hd_role role;
    json_t *body;
    int rc;

    if ((rc = target(&user, req)) != 0 ||
        (rc = hd_http_body_json(&body, req, role_fields, 3)) != 0)
        return rc;
    const char *region = json_string_value(json_object_get(body, "region"));
    actor.reason = json_string_value(json_object_get(body, "reason"));
    if ((rc = parse_role(&role, req, body)) == 0 &&
        (rc = hd__api_covers(req, region, "the new region")) == 0)
        rc = hd_staff_user_role(totp_uri, req->cs, &actor, user.username, role,
                                region, hd__api_now(req), &req->err);
    if (rc == 0)
        rc = reply_user(req, 200, user.username, totp_uri);
    json_decref(body);
    sodium_memzero(totp_uri, sizeof(totp_uri));
    return rc;
}

static const hd_http_field reason_fields[] = {
    {"reason", HD_HTTP_STRING, HD_HTTP_REQUIRED, 500},
};

int hd__api_users_disable(hd_http_req *req)
{
    hd_staff_actor actor = hd_staff_actor_of(hd__api_user(req));
    hd_staff_user user;
    json_t *body;
    int rc;

    if ((rc = target(&user, req)) != 0 ||
        (rc = hd_http_body_json(&body, req, reason_fields, 1)) != 0)
        return rc;
    actor.reason = json_string_value(json_object_get(body, "reason"));
    rc = hd_staff_user_disable(req->cs, &actor, user.username, hd__api_now(req),
                               &req->err);
    json_decref(body);
    return rc ? rc : reply_user(req, 200, user.username, NULL);
}

static const hd_http_field reset_fields[] = {
    {"password", HD_HTTP_STRING, HD_HTTP_REQUIRED, HD_STAFF_PASSWORD_MAX},
    {"reason", HD_HTTP_STRING, HD_HTTP_REQUIRED, 500},
};

int hd__api_users_password(hd_http_req *req)
{
    hd_staff_actor actor = hd_staff_actor_of(hd__api_user(req));
    hd_staff_user user;
    json_t *body;
    int rc;

    if ((rc = target(&user, req)) != 0 ||
        (rc = hd_http_body_json(&body, req, reset_fields, 2)) != 0)
        return rc;
    actor.reason = json_string_value(json_object_get(body, "reason"));
    rc = hd_staff_user_passwd(
        req->cs, &actor, user.username, NULL,
        json_string_value(json_object_get(body, "password")), hd__api_now(req),
        &req->err);
    json_decref(body);
    return rc ? rc : hd_http_reply_bytes(req, 204, "application/json", "", 0);
}
