/*
 * GET /api/v1/health: is the service up, and on what. No user needed: a
 * load balancer asks. It says nothing about anyone's data.
 */
#include "http/http_int.h"

#ifndef HEDUI_VERSION
#error "HEDUI_VERSION is set by CMakeLists.txt"
#endif

int hd__http_health(hd_http_req *req)
{
    uint32_t seq = 0;
    json_t *body;
    int rc;

    /* A transaction begun and rolled back: a round trip to PostgreSQL, a
     * lock check on SQLite. A store that cannot begin is down. */
    rc = hd_casestore_begin(req->cs, &req->err);
    if (rc == 0) {
        hd_casestore_rollback(req->cs);
        rc = hd_feedstore_latest(&seq, req->fs, &req->err);
    }
    if (rc) {
        hd_log(HD_LOG_ERROR, "event=health_failed request_id=%s code=%d",
               req->request_id, rc);
        return hd_http_reply_error(req, 503, "unavailable", NULL,
                                   "a store cannot be read");
    }
    body = json_pack("{s:s, s:s, s:i, s:I, s:s}", "status", "ok", "backend",
                     hd_casestore_backend(req->cs), "schema_version",
                     hd_casestore_schema_version(req->cs), "feed_seq",
                     (json_int_t)seq, "version", HEDUI_VERSION);
    if (!body)
        return hd_error_set(&req->err, HD_ENOMEM, "out of memory");
    return hd_http_reply_json(req, 200, body);
}
