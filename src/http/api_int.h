/*
 * The service's API (the handlers of routes.c) and what they share: the
 * application object behind every request (hd_http_api), the signed-in
 * user, and the small steps every handler takes.
 */
#ifndef HEDUI_HTTP_API_INT_H
#define HEDUI_HTTP_API_INT_H

#include "http/http_int.h"

#include <hedui/cases.h>
#include <hedui/policy.h>
#include <hedui/staff.h>

/* The application behind the routes (req->app). */
struct hd_http_api {
    const hd_http_config *cfg;
    hd_http_server *srv;
    hd_staff_settings settings;
    uint8_t person_key[32]; /* audit person hashes */
    hd_calendar *calendar;  /* may be NULL: every deadline provisional */

    /* The latest policy, shared by the handlers and reloaded when an
     * import (on any server of the store) makes a newer version; a
     * handler holds a reference while it works, so a reload never frees
     * a policy in use. */
    pthread_mutex_t policy_lock;
    struct hd__api_policy *policy;
    int64_t policy_checked_at; /* seconds since 1970 */

    /* The background batch worker (api_batch_worker.c). */
    pthread_t worker;
    bool worker_started;
    pthread_mutex_t worker_lock;
    pthread_cond_t worker_wake;
    bool worker_stop;
    /* The batch this server is verifying, for GET /batches/{id} while
     * its progress cannot be written (SQLite holds the roll's write
     * transaction). */
    pthread_mutex_t progress_lock;
    int64_t running_id, running_done, running_total;
};

/* The signed-in user of a request (set by the authenticate hook). */
static inline const hd_staff_user *hd__api_user(const hd_http_req *req)
{
    return (const hd_staff_user *)req->user;
}

static inline hd_http_api *hd__api(const hd_http_req *req)
{
    return (hd_http_api *)req->app;
}

/* Seconds since 1970 of the request. */
static inline int64_t hd__api_now(const hd_http_req *req)
{
    return req->now_us / 1000000;
}

/* The user as the workflow names an actor. */
hd_case_actor hd__api_actor(const hd_http_req *req);

/* 403 unless the user's region covers `region`; the message names both. */
int hd__api_covers(hd_http_req *req, const char *region, const char *what);

/* A loaded policy version and the handlers using it. */
typedef struct hd__api_policy {
    hd_policy *policy;
    int64_t version;
    int refs;
} hd__api_policy;

/* The latest policy, with a reference the caller gives back with
 * hd__api_policy_put. NULL with req->err set when there is none. */
hd__api_policy *hd__api_policy_get(hd_http_req *req);
void hd__api_policy_put(hd_http_req *req, hd__api_policy *p);
/* Forget the loaded policy: the next handler loads the latest (after an
 * import). */
void hd__api_policy_reload(hd_http_api *api);

/* The workflow's environment for this request. */
void hd__api_cases_env(hd_cases_env *env, hd_http_req *req,
                       const hd_policy *policy);

/* Append an audit entry by the request's user (in the caller's
 * transaction, or alone): `persons` and `authorizations` are JSON arrays
 * (NULL: "[]"), `case_no` may be NULL. */
int hd__api_audit(hd_http_req *req, const char *action, const char *case_no,
                  const char *persons, const char *authorizations,
                  const char *outcome);

/* JSON of an account (no secrets). */
json_t *hd__api_user_json(const hd_staff_user *user);
/* A masked citizen ID (first 6, 8 stars, last 4) into out[19]. */
const char *hd__api_mask_pid(char out[19], const char *pid);
/* "YYYY-MM-DD" of days since 1970, or JSON null for HD_CASE_NO_DATE. */
json_t *hd__api_date_json(int32_t days);

/* A case row as JSON (lists), and the whole case (row, members masked,
 * history, corrections, the user's next actions). `app` may be NULL. */
json_t *hd__api_case_row_json(const hd_case_row *c, int32_t today);
int hd__api_case_json(json_t **out, hd_http_req *req, const hd_case_row *c,
                      const hd_application *app);

/* The application recorded under `application_no`, parsed. */
int hd__api_application_load(hd_application *app, hd_http_req *req,
                             const char *application_no);
/* The list filters of the query (state, program, region, overdue, q),
 * checked; the region defaults to the user's, and one outside it is 403.
 * The strings are borrowed from the request. */
int hd__api_case_filter(hd_case_filter *f, hd_http_req *req);
/* Bytes of a file a writer makes (libxlsxwriter writes files): a private
 * temporary file under $TMPDIR, read back into `out` and removed. */
int hd__api_file_bytes(hd_buf *out,
                       int (*write)(const char *path, void *payload,
                                    hd_error *err),
                       void *payload, hd_error *err);
/* The case of the path's {case_no}, when the user's region covers it. */
int hd__api_case_load(hd_case_row *out, hd_http_req *req);
/* The whole case as JSON; reading its members is audited ("case.view"),
 * in the caller's transaction when there is one: an action's reply is
 * recorded with the action. */
int hd__api_case_view(json_t **out, hd_http_req *req, const char *case_no);
/* An audit entry for a read of a case's members' data by the user. */
int hd__api_audit_read(hd_http_req *req, const char *action,
                       const char *case_no, const hd_application *app,
                       const char *outcome);

/* The handlers, by file. */
int hd__api_login(hd_http_req *req);
int hd__api_logout(hd_http_req *req);
int hd__api_me(hd_http_req *req);
int hd__api_me_password(hd_http_req *req);

int hd__api_users_list(hd_http_req *req);
int hd__api_users_add(hd_http_req *req);
int hd__api_users_get(hd_http_req *req);
int hd__api_users_role(hd_http_req *req);
int hd__api_users_disable(hd_http_req *req);
int hd__api_users_password(hd_http_req *req);

int hd__api_cases_list(hd_http_req *req);
int hd__api_cases_export(hd_http_req *req);
int hd__api_cases_register(hd_http_req *req);
int hd__api_cases_get(hd_http_req *req);
int hd__api_cases_authorization(hd_http_req *req);
int hd__api_authorization_revoke(hd_http_req *req);

int hd__api_case_verify(hd_http_req *req);
int hd__api_case_object(hd_http_req *req);
int hd__api_case_correct(hd_http_req *req);
int hd__api_case_dismiss(hd_http_req *req);
int hd__api_case_decide(hd_http_req *req);
int hd__api_case_archive(hd_http_req *req);
int hd__api_case_report(hd_http_req *req);

int hd__api_batches_list(hd_http_req *req);
int hd__api_batches_add(hd_http_req *req);
int hd__api_batches_get(hd_http_req *req);
int hd__api_batches_results(hd_http_req *req);

int hd__api_deliveries(hd_http_req *req);
int hd__api_quarantine(hd_http_req *req);
int hd__api_policy_show(hd_http_req *req);
int hd__api_policy_import(hd_http_req *req);

int hd__api_audit_search(hd_http_req *req);
int hd__api_audit_verify(hd_http_req *req);
int hd__api_dashboard(hd_http_req *req);
/* Add the dashboard's "processing" and "months" to `out`: of the cases
 * whose region begins with `region_prefix`, on the day `today` (China
 * time) (api_dashboard_times.c). */
int hd__api_dashboard_times(json_t *out, hd_casestore *cs,
                            const char *region_prefix, int32_t today,
                            hd_error *err);

/* The batch worker: started with the API, stopped before it closes. */
int hd__api_worker_start(hd_http_api *api, hd_error *err);
void hd__api_worker_stop(hd_http_api *api);
/* Wake the worker: a batch was queued. */
void hd__api_worker_wake(hd_http_api *api);

#endif
