/*
 * Batches, for verifiers: POST /api/v1/batches uploads a roll
 * (applications.jsonl and authorizations.jsonl as two strings of a JSON
 * body, up to max_upload_bytes), which the background worker verifies
 * (api_batch_worker.c); GET /api/v1/batches and /api/v1/batches/{id}
 * show progress; GET /api/v1/batches/{id}/results gives the Result
 * records as JSON lines once it is done. A batch belongs to the region
 * of the verifier who uploaded it.
 */
#include "http/api_int.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static json_t *batch_json(hd_http_api *api, const hd_batch_row *b)
{
    int64_t done = b->done, total = b->total;
    json_t *o;

    pthread_mutex_lock(&api->progress_lock);
    if (api->running_id == b->id && !strcmp(b->state, "running")) {
        done = api->running_done;
        total = api->running_total;
    }
    pthread_mutex_unlock(&api->progress_lock);
    o = json_pack("{s:I, s:s, s:s, s:s, s:I, s:I, s:I, s:I, s:I, s:s?}", "id",
                  (json_int_t)b->id, "username", b->username, "region",
                  b->region, "state", b->state, "created_at",
                  (json_int_t)b->created_at, "started_at",
                  (json_int_t)b->started_at, "finished_at",
                  (json_int_t)b->finished_at, "total", (json_int_t)total,
                  "done", (json_int_t)done, "message", b->message);
    return o;
}

typedef struct one_ctx {
    hd_http_api *api;
    json_t *json;
    char region[7];
    char dir[4096];
    char state[16];
} one_ctx;

static int take_one(const hd_batch_row *b, void *payload)
{
    one_ctx *ctx = payload;
    ctx->json = batch_json(ctx->api, b);
    snprintf(ctx->region, sizeof(ctx->region), "%s", b->region);
    snprintf(ctx->dir, sizeof(ctx->dir), "%s", b->dir);
    snprintf(ctx->state, sizeof(ctx->state), "%s", b->state);
    return ctx->json ? 0 : HD_ENOMEM;
}

/* The batch of the path, when the user's region covers it. */
static int load(one_ctx *ctx, hd_http_req *req)
{
    const char *text = hd_http_param_get(req, "id");
    char *end;
    long long id = strtoll(text, &end, 10);
    int rc;

    memset(ctx, 0, sizeof(*ctx));
    ctx->api = hd__api(req);
    if (*end || id <= 0)
        return hd_error_set(&req->err, HD_ENOTFOUND, "no batch %s", text);
    rc = hd_casestore_batch_get(req->cs, id, take_one, ctx, &req->err);
    if (rc == 0)
        rc = hd__api_covers(req, ctx->region, "the batch");
    if (rc) {
        json_decref(ctx->json);
        ctx->json = NULL;
    }
    return rc;
}

typedef struct list_ctx {
    hd_http_api *api;
    const hd_staff_user *user;
    json_t *list;
} list_ctx;

static int add_batch(const hd_batch_row *b, void *payload)
{
    list_ctx *ctx = payload;
    if (!hd_staff_region_covers(ctx->user->region, b->region))
        return 0;
    return json_array_append_new(ctx->list, batch_json(ctx->api, b)) ? HD_ENOMEM
                                                                     : 0;
}

static const char *const page_params[] = {"page", "page_size"};

int hd__api_batches_list(hd_http_req *req)
{
    list_ctx ctx = {hd__api(req), hd__api_user(req), json_array()};
    hd_http_page page;
    int rc = ctx.list ? hd_http_query_only(req, page_params, 2) : HD_ENOMEM;

    if (rc == 0)
        rc = hd_http_query_page(&page, req);
    /* Batches are few (a centre uploads a handful a day): the region is
     * filtered here, after the page. */
    if (rc == 0)
        rc = hd_casestore_batch_list(req->cs, page.offset, page.page_size,
                                     add_batch, &ctx, &req->err);
    if (rc) {
        json_decref(ctx.list);
        return rc == HD_ENOMEM ? hd_error_set(&req->err, rc, "out of memory")
                               : rc;
    }
    return hd_http_reply_json(req, 200,
                              json_pack("{s:o}", "batches", ctx.list));
}

int hd__api_batches_get(hd_http_req *req)
{
    one_ctx ctx;
    int rc = load(&ctx, req);
    return rc ? rc : hd_http_reply_json(req, 200, ctx.json);
}

/* Write `len` bytes to dir/name, durably. */
static int write_file(const char *dir, const char *name, const char *data,
                      size_t len, hd_error *err)
{
    char path[8400];
    int fd;

    snprintf(path, sizeof(path), "%s/%s", dir, name);
    fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0)
        return hd_error_set(err, HD_EIO, "cannot write %s: %s", name,
                            strerror(errno));
    while (len > 0) {
        ssize_t n = write(fd, data, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            close(fd);
            return hd_error_set(err, HD_EIO, "cannot write %s", name);
        }
        data += n;
        len -= (size_t)n;
    }
    if (fsync(fd) || close(fd))
        return hd_error_set(err, HD_EIO, "cannot write %s", name);
    return 0;
}

static void remove_dir(const char *dir)
{
    static const char *const names[] = {"applications.jsonl",
                                        "authorizations.jsonl"};
    char path[8400];

    for (size_t i = 0; i < 2; i++) {
        snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
        unlink(path);
    }
    rmdir(dir);
}

static const hd_http_field upload_fields[] = {
    {"applications", HD_HTTP_STRING, HD_HTTP_REQUIRED | HD_HTTP_MULTILINE, 0},
    {"authorizations", HD_HTTP_STRING, HD_HTTP_REQUIRED | HD_HTTP_MULTILINE, 0},
};

int hd__api_batches_add(hd_http_req *req)
{
    hd_http_api *api = hd__api(req);
    const hd_staff_user *u = hd__api_user(req);
    char dir[4200];
    json_t *body;
    one_ctx ctx;
    int64_t id = 0;
    int rc;

    if ((rc = hd_http_body_json(&body, req, upload_fields, 2)) != 0)
        return rc;
    snprintf(dir, sizeof(dir), "%s/upload-%s", req->config->batch_dir,
             req->request_id);
    if (mkdir(req->config->batch_dir, 0700) && errno != EEXIST)
        rc = hd_error_set(&req->err, HD_EIO, "cannot make the batch folder");
    else if (mkdir(dir, 0700))
        rc = hd_error_set(&req->err, HD_EIO, "cannot make the batch folder");
    if (rc == 0) {
        json_t *a = json_object_get(body, "applications");
        json_t *z = json_object_get(body, "authorizations");
        rc = write_file(dir, "applications.jsonl", json_string_value(a),
                        json_string_length(a), &req->err);
        if (rc == 0)
            rc = write_file(dir, "authorizations.jsonl", json_string_value(z),
                            json_string_length(z), &req->err);
    }
    json_decref(body);
    if (rc == 0)
        rc = hd_casestore_begin(req->cs, &req->err);
    if (rc == 0) {
        rc = hd_casestore_batch_add(req->cs, &id, u->username, u->region, dir,
                                    hd__api_now(req), &req->err);
        if (rc == 0)
            rc = hd__api_audit(req, "batch.upload", NULL, NULL, NULL, "queued");
        if (rc == 0)
            rc = hd_casestore_commit(req->cs, &req->err);
        if (rc)
            hd_casestore_rollback(req->cs);
    }
    if (rc) {
        remove_dir(dir);
        return rc;
    }
    hd__api_worker_wake(api);
    memset(&ctx, 0, sizeof(ctx));
    ctx.api = api;
    rc = hd_casestore_batch_get(req->cs, id, take_one, &ctx, &req->err);
    if (rc)
        return rc;
    hd_http_reply_header(req, "Location", "/api/v1/batches");
    return hd_http_reply_json(req, 202, ctx.json);
}

int hd__api_batches_results(hd_http_req *req)
{
    char path[8400];
    one_ctx ctx;
    hd_buf b;
    FILE *f;
    int rc = load(&ctx, req);

    if (rc)
        return rc;
    json_decref(ctx.json);
    if (strcmp(ctx.state, "done"))
        return hd_error_set(&req->err, HD_ESTATE,
                            "the batch is %s: results come when it is done",
                            ctx.state);
    snprintf(path, sizeof(path), "%s/results.jsonl", ctx.dir);
    if (!(f = fopen(path, "rb")))
        return hd_error_set(&req->err, HD_ENOTFOUND,
                            "the batch's results are not on this server");
    hd_buf_init(&b, (size_t)req->config->max_upload_bytes * 4);
    char chunk[65536];
    size_t n;
    while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
        hd_buf_append(&b, chunk, n);
    fclose(f);
    rc = hd_buf_error(&b);
    if (rc == 0)
        rc =
            hd_http_reply_bytes(req, 200, "application/x-ndjson", b.ptr, b.len);
    else
        hd_error_set(&req->err, rc, "the results are too large to send");
    hd_buf_release(&b);
    return rc;
}
