/*
 * Sessions: POST /api/v1/login, POST /api/v1/logout, GET /api/v1/me,
 * POST /api/v1/me/password. A login answers 401 for every failure but a
 * lock-out (429), with the staff module's message: one for an unknown
 * user and a wrong password alike.
 */
#include "http/api_int.h"

#include <sodium.h>
#include <string.h>

static const hd_http_field login_fields[] = {
    {"username", HD_HTTP_STRING, HD_HTTP_REQUIRED, 64},
    {"password", HD_HTTP_STRING, HD_HTTP_REQUIRED, 1024},
    {"totp", HD_HTTP_STRING, HD_HTTP_NULLABLE, 16},
};

int hd__api_login(hd_http_req *req)
{
    hd_http_api *api = hd__api(req);
    hd_staff_session session;
    json_t *body, *user, *out;
    int rc;

    if ((rc = hd_http_body_json(&body, req, login_fields, 3)) != 0)
        return rc;
    rc = hd_staff_login(&session, req->cs,
                        json_string_value(json_object_get(body, "username")),
                        json_string_value(json_object_get(body, "password")),
                        json_string_value(json_object_get(body, "totp")),
                        hd__api_now(req), &api->settings, &req->err);
    json_decref(body);
    if (rc == HD_EAUTH && strstr(req->err.msg, "locked"))
        return hd_http_reply_error(req, 429, "locked", NULL, "%s",
                                   req->err.msg);
    if (rc)
        return rc;
    snprintf(req->username, sizeof(req->username), "%s", session.user.username);
    user = hd__api_user_json(&session.user);
    out =
        json_pack("{s:s, s:o, s:I, s:I}", "token", session.token, "user", user,
                  "idle_expires_at", (json_int_t)session.idle_expires_at,
                  "expires_at", (json_int_t)session.expires_at);
    sodium_memzero(session.token, sizeof(session.token));
    if (!out)
        return hd_error_set(&req->err, HD_ENOMEM, "out of memory");
    return hd_http_reply_json(req, 200, out);
}

int hd__api_logout(hd_http_req *req)
{
    int rc = hd_staff_logout(req->cs, req->authorization + 7, hd__api_now(req),
                             &req->err);
    if (rc)
        return rc;
    return hd_http_reply_bytes(req, 204, "application/json", "", 0);
}

int hd__api_me(hd_http_req *req)
{
    json_t *user = hd__api_user_json(hd__api_user(req));
    if (!user)
        return hd_error_set(&req->err, HD_ENOMEM, "out of memory");
    return hd_http_reply_json(req, 200, user);
}

static const hd_http_field password_fields[] = {
    {"old_password", HD_HTTP_STRING, HD_HTTP_REQUIRED, 1024},
    {"new_password", HD_HTTP_STRING, HD_HTTP_REQUIRED, 1024},
};

int hd__api_me_password(hd_http_req *req)
{
    const hd_staff_user *user = hd__api_user(req);
    hd_staff_actor actor = hd_staff_actor_of(user);
    json_t *body;
    int rc;

    if ((rc = hd_http_body_json(&body, req, password_fields, 2)) != 0)
        return rc;
    rc = hd_staff_user_passwd(
        req->cs, &actor, user->username,
        json_string_value(json_object_get(body, "old_password")),
        json_string_value(json_object_get(body, "new_password")),
        hd__api_now(req), &req->err);
    json_decref(body);
    if (rc == HD_EAUTH) /* the old password was wrong: not a lost session */
        return hd_http_reply_error(req, 403, "forbidden", "old_password", "%s",
                                   req->err.msg);
    if (rc)
        return rc;
    return hd_http_reply_bytes(req, 204, "application/json", "", 0);
}
