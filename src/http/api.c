/*
 * The service's API: the application object behind the routes, the
 * authentication hook, and the steps every handler shares.
 */
#include "http/api_int.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifndef HEDUI_CALENDAR_DIR
#error "HEDUI_CALENDAR_DIR is set by CMakeLists.txt"
#endif

/* How often a handler looks for a policy imported on another server. */
#define POLICY_RECHECK_S 5

static void policy_unref(struct hd__api_policy *p);

int hd_http_api_open(hd_http_api **out, hd_http_server *srv,
                     const hd_http_config *cfg, hd_error *err)
{
    hd_http_api *api = hd_calloc(1, sizeof(*api));
    int rc = 0;

    *out = NULL;
    if (!api)
        return hd_error_set(err, HD_ENOMEM, "out of memory");
    api->cfg = cfg;
    api->srv = srv;
    api->settings = (hd_staff_settings){
        .idle_s = cfg->session_idle_minutes * 60,
        .absolute_s = cfg->session_absolute_hours * 3600,
        .lockout_failures = (int)cfg->lockout_failures,
        .lockout_minutes = cfg->lockout_minutes,
    };
    hd_node_key_derive(api->person_key, hd_http_server_key(srv),
                       "hedui audit person key");
    pthread_mutex_init(&api->policy_lock, NULL);
    pthread_mutex_init(&api->worker_lock, NULL);
    pthread_cond_init(&api->worker_wake, NULL);
    rc = hd_calendar_load(
        &api->calendar,
        cfg->calendar_dir ? cfg->calendar_dir : HEDUI_CALENDAR_DIR, err);
    if (rc == 0)
        rc = hd__api_worker_start(api, err);
    if (rc) {
        hd_http_api_free(api);
        return rc;
    }
    *out = api;
    return 0;
}

void hd_http_api_free(hd_http_api *api)
{
    if (!api)
        return;
    hd__api_worker_stop(api);
    hd_calendar_free(api->calendar);
    policy_unref(api->policy);
    pthread_mutex_destroy(&api->policy_lock);
    pthread_mutex_destroy(&api->worker_lock);
    pthread_cond_destroy(&api->worker_wake);
    sodium_memzero(api->person_key, sizeof(api->person_key));
    hd_free(api);
}

/* ------------------------------------------------------ authentication */

int hd_http_api_authenticate(hd_http_req *req)
{
    hd_http_api *api = hd__api(req);
    const char *h = req->authorization;
    hd_staff_session session;
    hd_staff_user *user;
    int rc;

    if (!h || strncmp(h, "Bearer ", 7) != 0 || !h[7]) {
        hd_http_reply_error(req, 401, "unauthorized", NULL,
                            "sign in first: no session token (Authorization: "
                            "Bearer <token>)");
        return HD_EAUTH;
    }
    rc = hd_staff_session_check(&session, req->cs, h + 7, hd__api_now(req),
                                &api->settings, &req->err);
    if (rc) {
        if (rc == HD_EAUTH)
            hd_http_reply_error(req, 401, "unauthorized", NULL,
                                "%s: sign in again", req->err.msg);
        return rc;
    }
    user = hd_arena_alloc(&req->arena, sizeof(*user));
    if (!user)
        return hd_error_set(&req->err, HD_ENOMEM, "out of memory");
    *user = session.user;
    req->user = user;
    req->roles = HD_ROLE_BIT(user->role);
    snprintf(req->username, sizeof(req->username), "%s", user->username);
    return 0;
}

/* ------------------------------------------------------- shared steps */

hd_case_actor hd__api_actor(const hd_http_req *req)
{
    const hd_staff_user *u = hd__api_user(req);
    return (hd_case_actor){u->username, hd_role_name(u->role), u->region};
}

int hd__api_covers(hd_http_req *req, const char *region, const char *what)
{
    const hd_staff_user *u = hd__api_user(req);

    if (hd_staff_region_covers(u->region, region))
        return 0;
    return hd_error_set(&req->err, HD_EDENIED,
                        "%s is in region %s, outside your region %s", what,
                        region, u->region);
}

static void policy_unref(hd__api_policy *p)
{
    if (p && --p->refs == 0) {
        hd_policy_free(p->policy);
        hd_free(p);
    }
}

/* Load version `version` as the current one (under the lock). */
static void policy_install(hd_http_api *api, hd_casestore *cs, int64_t version,
                           hd_error *err)
{
    hd__api_policy *p = hd_calloc(1, sizeof(*p));

    if (!p)
        return;
    if (hd_policy_store_load(&p->policy, cs, version, err)) {
        hd_free(p);
        return;
    }
    p->version = version;
    p->refs = 1; /* the API's own */
    policy_unref(api->policy);
    api->policy = p;
}

hd__api_policy *hd__api_policy_get(hd_http_req *req)
{
    hd_http_api *api = hd__api(req);
    int64_t now = hd__api_now(req), latest = 0;
    hd__api_policy *p;
    char *content = NULL;

    pthread_mutex_lock(&api->policy_lock);
    if (!api->policy || now - api->policy_checked_at >= POLICY_RECHECK_S) {
        if (hd_casestore_policy_get(req->cs, &content, &latest, 0, &req->err) ==
            0) {
            hd_free(content);
            api->policy_checked_at = now;
            if (!api->policy || latest != api->policy->version)
                policy_install(api, req->cs, latest, &req->err);
        }
    }
    p = api->policy;
    if (p)
        p->refs++;
    pthread_mutex_unlock(&api->policy_lock);
    if (!p)
        hd_error_set(&req->err, HD_ESTATE,
                     "no policy in the case store: an admin imports one "
                     "first");
    return p;
}

void hd__api_policy_put(hd_http_req *req, hd__api_policy *p)
{
    hd_http_api *api = hd__api(req);

    pthread_mutex_lock(&api->policy_lock);
    policy_unref(p);
    pthread_mutex_unlock(&api->policy_lock);
}

void hd__api_policy_reload(hd_http_api *api)
{
    pthread_mutex_lock(&api->policy_lock);
    api->policy_checked_at = 0;
    pthread_mutex_unlock(&api->policy_lock);
}

void hd__api_cases_env(hd_cases_env *env, hd_http_req *req,
                       const hd_policy *policy)
{
    hd_http_api *api = hd__api(req);

    memset(env, 0, sizeof(*env));
    env->cs = req->cs;
    env->policy = policy;
    env->calendar = api->calendar;
    env->now = hd__api_now(req);
    memcpy(env->person_key, api->person_key, sizeof(env->person_key));
}

int hd__api_audit(hd_http_req *req, const char *action, const char *case_no,
                  const char *persons, const char *authorizations,
                  const char *outcome)
{
    const hd_staff_user *u = hd__api_user(req);
    hd_audit_entry e = {
        .at = hd__api_now(req),
        .actor = u->username,
        .role = hd_role_name(u->role),
        .region = u->region,
        .action = action,
        .case_no = case_no,
        .persons = persons ? persons : "[]",
        .feeds = "[]",
        .authorizations = authorizations ? authorizations : "[]",
        .outcome = outcome,
    };
    return hd_casestore_audit_add(req->cs, &e, &req->err);
}

int hd__api_file_bytes(hd_buf *out,
                       int (*write)(const char *path, void *payload,
                                    hd_error *err),
                       void *payload, hd_error *err)
{
    const char *tmpdir = getenv("TMPDIR");
    char path[4096];
    FILE *f;
    int fd, rc;

    snprintf(path, sizeof(path), "%s/hedui-XXXXXX",
             tmpdir && *tmpdir ? tmpdir : "/tmp");
    if ((fd = mkstemp(path)) < 0)
        return hd_error_set(err, HD_EIO, "cannot make a temporary file");
    close(fd);
    rc = write(path, payload, err);
    if (rc == 0 && (f = fopen(path, "rb"))) {
        char chunk[65536];
        size_t n;
        while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
            hd_buf_append(out, chunk, n);
        fclose(f);
        rc = hd_buf_error(out);
    } else if (rc == 0) {
        rc = hd_error_set(err, HD_EIO, "cannot read %s back", path);
    }
    unlink(path);
    return rc;
}

json_t *hd__api_user_json(const hd_staff_user *u)
{
    return json_pack(
        "{s:s, s:s, s:s, s:s, s:s, s:b, s:b, s:I, s:I, s:I}", "username",
        u->username, "display_name", u->display_name, "role",
        hd_role_name(u->role), "role_zh", hd_role_title(u->role), "region",
        u->region, "disabled", u->disabled, "totp", u->has_totp, "locked_until",
        (json_int_t)u->locked_until, "created_at", (json_int_t)u->created_at,
        "updated_at", (json_int_t)u->updated_at);
}

const char *hd__api_mask_pid(char out[19], const char *pid)
{
    size_t n = strlen(pid);

    if (n != 18) {
        snprintf(out, 19, "%s", "******************");
        return out;
    }
    snprintf(out, 19, "%.6s********%.4s", pid, pid + 14);
    return out;
}

json_t *hd__api_date_json(int32_t days)
{
    char text[HD_DATE_TEXT_MAX];

    if (days == HD_CASE_NO_DATE)
        return json_null();
    hd_date_format(text, days);
    return json_string(text);
}
