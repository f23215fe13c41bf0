/*
 * The background batch worker: one thread per server, on a case store
 * connection of its own, takes the oldest queued batch of this server's
 * batch folder and verifies it as `hedui verify --roll` does: the
 * authorizations are recorded (signed by this node when unsigned, as
 * uploaded by a verifier), the applications of the uploader's region
 * are verified in one pass with every verification and its audit entry
 * recorded, and the Result records go to results.jsonl beside the
 * upload. Progress is written to the batch as it goes where the store
 * lets another connection write meanwhile (PostgreSQL), and kept in
 * memory for this server's answers.
 */
#include "http/api_int.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#define IDLE_WAIT_S 2

typedef struct batch_run {
    hd_http_api *api;
    hd_casestore *cs;
    int64_t id;
    char username[64];
    char region[7];
    char dir[4096];
    int64_t auths, auth_errors, outside, bad_lines;
    hd_error err;
} batch_run;

static int64_t now_s(void)
{
    return (int64_t)time(NULL);
}

static int take_row(const hd_batch_row *b, void *payload)
{
    batch_run *r = payload;
    snprintf(r->username, sizeof(r->username), "%s", b->username);
    snprintf(r->region, sizeof(r->region), "%s", b->region);
    snprintf(r->dir, sizeof(r->dir), "%s", b->dir);
    return 0;
}

/* Each line of a file to fn (without its line end); blank lines skipped. */
static int each_line(const char *path, int (*fn)(char *line, void *payload),
                     void *payload, hd_error *err)
{
    FILE *f = fopen(path, "rb");
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    int rc = 0;

    if (!f)
        return hd_error_set(err, HD_EIO, "cannot read %s", path);
    while (rc == 0 && (n = getline(&line, &cap, f)) >= 0) {
        while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
            line[--n] = '\0';
        if (n > 0)
            rc = fn(line, payload);
    }
    free(line);
    fclose(f);
    return rc;
}

/* ------------------------------------------------------ authorizations */

typedef struct auth_ctx {
    batch_run *r;
    hd_authorization_doc doc;
    hd_buf signed_json;
} auth_ctx;

static int record_auth(char *line, void *payload)
{
    auth_ctx *a = payload;
    batch_run *r = a->r;
    char dates[2][HD_DATE_TEXT_MAX];
    hd_consent_row row;
    hd_error e;
    bool stored;
    int rc;

    hd_buf_reset(&a->signed_json);
    rc = hd_authorization_parse(&a->doc, line, strlen(line), &e);
    if (rc == 0)
        rc = hd_authorization_accept(&a->doc, hd_http_server_key(r->api->srv),
                                     NULL, &e);
    if (rc == 0)
        rc = hd_authorization_signed_json(&a->signed_json, &a->doc, &e);
    if (rc == 0) {
        hd_authorization_row(&row, &a->doc, dates, a->signed_json.ptr, now_s());
        rc = hd_casestore_consent_put(r->cs, &row, &stored, &e);
    }
    if (rc == 0) {
        r->auths++;
        return 0;
    }
    if (rc == HD_EDATA || rc == HD_EEXISTS) {
        r->auth_errors++; /* a bad or conflicting line: counted, skipped */
        return 0;
    }
    r->err = e;
    return rc;
}

static int record_auths(batch_run *r)
{
    auth_ctx a = {.r = r};
    char path[8400];
    int rc;

    snprintf(path, sizeof(path), "%s/authorizations.jsonl", r->dir);
    hd_authorization_doc_init(&a.doc);
    hd_buf_init(&a.signed_json, HD_BUF_DEFAULT_MAX);
    rc = hd_casestore_begin(r->cs, &r->err);
    if (rc == 0)
        rc = each_line(path, record_auth, &a, &r->err);
    if (rc == 0) {
        char outcome[96];
        snprintf(outcome, sizeof(outcome), "%lld recorded, %lld refused",
                 (long long)r->auths, (long long)r->auth_errors);
        hd_audit_entry e = {
            .at = now_s(),
            .actor = r->username,
            .role = "verifier",
            .region = r->region,
            .action = "batch.authorizations",
            .persons = "[]",
            .feeds = "[]",
            .authorizations = "[]",
            .outcome = outcome,
        };
        rc = hd_casestore_audit_add(r->cs, &e, &r->err);
    }
    if (rc == 0)
        rc = hd_casestore_commit(r->cs, &r->err);
    if (rc)
        hd_casestore_rollback(r->cs);
    hd_authorization_doc_release(&a.doc);
    hd_buf_release(&a.signed_json);
    return rc;
}

/* --------------------------------------------------------- applications */

typedef struct filter_ctx {
    batch_run *r;
    FILE *out;
    int64_t kept;
} filter_ctx;

/* Keep the applications of the uploader's region; an application that
 * cannot be read at all is left to the roll, which reports it. */
static int keep_in_region(char *line, void *payload)
{
    filter_ctx *f = payload;
    hd_application app;
    hd_error e;
    int rc = hd_application_parse(&app, line, strlen(line), &e);
    bool keep = rc != 0 || app.region[0] == '\0' ||
                hd_staff_region_covers(f->r->region, app.region);

    if (rc == 0)
        hd_application_release(&app);
    else
        f->r->bad_lines++;
    if (!keep) {
        f->r->outside++;
        return 0;
    }
    f->kept++;
    return fprintf(f->out, "%s\n", line) < 0
               ? hd_error_set(&f->r->err, HD_EIO, "cannot write the roll")
               : 0;
}

static void progress(int64_t done, int64_t total, void *payload)
{
    batch_run *r = payload;
    hd_http_api *api = r->api;

    pthread_mutex_lock(&api->progress_lock);
    api->running_done = done;
    api->running_total = total;
    pthread_mutex_unlock(&api->progress_lock);
}

static int verify_roll(batch_run *r, hd_roll_stats *stats)
{
    char in[8400], roll_path[8400], out[8400];
    filter_ctx f = {r, NULL, 0};
    hd_policy *policy = NULL;
    hd_verify_env env;
    int rc;

    snprintf(in, sizeof(in), "%s/applications.jsonl", r->dir);
    snprintf(roll_path, sizeof(roll_path), "%s/roll.jsonl", r->dir);
    snprintf(out, sizeof(out), "%s/results.jsonl", r->dir);
    if (!(f.out = fopen(roll_path, "wb")))
        return hd_error_set(&r->err, HD_EIO, "cannot write the roll");
    rc = each_line(in, keep_in_region, &f, &r->err);
    if (fclose(f.out) && rc == 0)
        rc = hd_error_set(&r->err, HD_EIO, "cannot write the roll");
    if (rc == 0)
        rc = hd_policy_store_load(&policy, r->cs, 0, &r->err);
    if (rc == 0) {
        memset(&env, 0, sizeof(env));
        env.fs = hd_http_server_feedstore(r->api->srv);
        env.cs = r->cs;
        env.policy = policy;
        env.actor = r->username;
        env.role = "verifier";
        env.region = r->region;
        env.now = now_s();
        memcpy(env.person_key, r->api->person_key, sizeof(env.person_key));
        env.record = true;
        rc = hd_verify_env_prepare(&env, &r->err);
    }
    if (rc == 0)
        rc = hd_verify_roll(stats, &env, roll_path, out, progress, r, &r->err);
    hd_policy_free(policy);
    return rc;
}

static void run(hd_http_api *api, hd_casestore *cs, int64_t id)
{
    batch_run r = {.api = api, .cs = cs, .id = id};
    hd_roll_stats stats;
    char message[320];
    int rc;

    memset(&stats, 0, sizeof(stats));
    pthread_mutex_lock(&api->progress_lock);
    api->running_id = id;
    api->running_done = api->running_total = 0;
    pthread_mutex_unlock(&api->progress_lock);

    rc = hd_casestore_batch_get(cs, id, take_row, &r, &r.err);
    if (rc == 0)
        rc = record_auths(&r);
    if (rc == 0)
        rc = verify_roll(&r, &stats);
    if (rc == 0) {
        int64_t c[5] = {0};
        for (int p = 0; p <= HD_PROGRAM_COUNT_; p++)
            for (int k = 0; k < 5; k++)
                c[k] += stats.by_program[p][k];
        snprintf(message, sizeof(message),
                 "%lld verified (%s %lld, %s %lld, %s %lld, %s %lld, %s "
                 "%lld); %lld outside the region; %lld bad lines; %lld "
                 "authorizations recorded, %lld refused",
                 (long long)stats.families, hd_conclusion_name(0),
                 (long long)c[0], hd_conclusion_name(1), (long long)c[1],
                 hd_conclusion_name(2), (long long)c[2], hd_conclusion_name(3),
                 (long long)c[3], hd_conclusion_name(4), (long long)c[4],
                 (long long)r.outside, (long long)stats.bad_lines,
                 (long long)r.auths, (long long)r.auth_errors);
    } else {
        snprintf(message, sizeof(message), "failed: %s", r.err.msg);
        hd_log(HD_LOG_ERROR, "event=batch_failed id=%lld code=%d",
               (long long)id, rc);
    }
    pthread_mutex_lock(&api->progress_lock);
    api->running_id = 0;
    pthread_mutex_unlock(&api->progress_lock);
    hd_error e;
    if (hd_casestore_batch_progress(cs, id, rc ? "failed" : "done",
                                    stats.families, stats.families, message,
                                    now_s(), &e))
        hd_log(HD_LOG_ERROR, "event=batch_state_lost id=%lld %s", (long long)id,
               e.msg);
}

static void *worker_main(void *arg)
{
    hd_http_api *api = arg;
    hd_casestore *cs = NULL;
    hd_error err;

    if (hd_casestore_open_same(&cs, hd_http_server_casestore(api->srv), &err)) {
        hd_log(HD_LOG_ERROR, "event=batch_worker_failed %s", err.msg);
        return NULL;
    }
    pthread_mutex_lock(&api->worker_lock);
    while (!api->worker_stop) {
        int64_t id = 0;
        int rc;

        pthread_mutex_unlock(&api->worker_lock);
        rc = hd_casestore_batch_claim(cs, &id, api->cfg->batch_dir, now_s(),
                                      &err);
        if (rc == 0)
            run(api, cs, id);
        else if (rc != HD_ENOTFOUND)
            hd_log(HD_LOG_ERROR, "event=batch_claim_failed %s", err.msg);
        pthread_mutex_lock(&api->worker_lock);
        if (rc != 0 && !api->worker_stop) {
            struct timespec until;
            clock_gettime(CLOCK_REALTIME, &until);
            until.tv_sec += IDLE_WAIT_S;
            pthread_cond_timedwait(&api->worker_wake, &api->worker_lock,
                                   &until);
        }
    }
    pthread_mutex_unlock(&api->worker_lock);
    hd_casestore_free(cs);
    return NULL;
}

int hd__api_worker_start(hd_http_api *api, hd_error *err)
{
    pthread_mutex_init(&api->progress_lock, NULL);
    if (pthread_create(&api->worker, NULL, worker_main, api))
        return hd_error_set(err, HD_EIO, "cannot start the batch worker");
    api->worker_started = true;
    return 0;
}

void hd__api_worker_stop(hd_http_api *api)
{
    if (!api->worker_started)
        return;
    pthread_mutex_lock(&api->worker_lock);
    api->worker_stop = true;
    pthread_cond_signal(&api->worker_wake);
    pthread_mutex_unlock(&api->worker_lock);
    pthread_join(api->worker, NULL);
    api->worker_started = false;
    pthread_mutex_destroy(&api->progress_lock);
}

void hd__api_worker_wake(hd_http_api *api)
{
    pthread_mutex_lock(&api->worker_lock);
    pthread_cond_signal(&api->worker_wake);
    pthread_mutex_unlock(&api->worker_lock);
}
