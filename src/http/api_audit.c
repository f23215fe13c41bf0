/*
 * For auditors: GET /api/v1/audit searches the trail by person (a
 * citizen ID, turned into the keyed hash the entries hold: the ID is
 * never stored or logged), user, case, action and time; GET
 * /api/v1/audit/verify checks the whole chain. Auditors read the trail
 * and nothing else; their searches are themselves audited.
 */
#include "http/api_int.h"

#include <hedui/audit.h>

#include <sodium.h>
#include <string.h>

static const char *const search_params[] = {
    "page", "page_size", "pid", "user", "case_no", "action", "from", "to"};

static json_t *parse_or_raw(const char *text)
{
    json_t *v = text ? json_loads(text, 0, NULL) : NULL;
    return v ? v : json_string(text ? text : "");
}

static int add_entry(const hd_audit_row *row, void *payload)
{
    const hd_audit_entry *e = &row->entry;
    json_t *o = json_pack(
        "{s:I, s:I, s:s, s:s?, s:s?, s:s, s:s?, s:o, s:o, s:o, s:s, s:s}",
        "seq", (json_int_t)row->seq, "at", (json_int_t)e->at, "actor", e->actor,
        "role", e->role, "region", e->region, "action", e->action, "case_no",
        e->case_no, "persons", parse_or_raw(e->persons), "feeds",
        parse_or_raw(e->feeds), "authorizations",
        parse_or_raw(e->authorizations), "outcome", e->outcome, "hash",
        row->entry_hash ? row->entry_hash : "");
    return !o || json_array_append_new(payload, o) ? HD_ENOMEM : 0;
}

/* A date bound: "YYYY-MM-DD", from its first second (China time) or
 * through its last. */
static int date_bound(int64_t *out, hd_http_req *req, const char *name,
                      bool end)
{
    const char *text = NULL;
    int32_t day;
    int rc = hd_http_query_text(&text, req, name, 10);

    *out = 0;
    if (rc || !text)
        return rc;
    if (hd_date_parse(&day, text, strlen(text), NULL)) {
        hd_error_set(&req->err, HD_EDATA, "a date is YYYY-MM-DD");
        hd_error_at(&req->err, NULL, 0, 0, name);
        return HD_EDATA;
    }
    *out = ((int64_t)day + (end ? 1 : 0)) * 86400 - 8 * 3600 - (end ? 1 : 0);
    return 0;
}

int hd__api_audit_search(hd_http_req *req)
{
    hd_audit_filter f;
    hd_http_page page;
    const char *pid = NULL;
    char hash[33], norm[19];
    int64_t total = 0;
    json_t *entries = json_array();
    int rc = entries ? 0 : HD_ENOMEM;

    memset(&f, 0, sizeof(f));
    if (rc == 0)
        rc = hd_http_query_only(req, search_params, 8);
    if (rc == 0)
        rc = hd_http_query_page(&page, req);
    if (rc == 0)
        rc = hd_http_query_text(&pid, req, "pid", 18);
    if (rc == 0 && pid) {
        if (hd_pid_normalize(norm, pid, strlen(pid), NULL)) {
            rc = hd_error_set(&req->err, HD_EDATA,
                              "not a valid citizen ID (GB 11643)");
            hd_error_at(&req->err, NULL, 0, 0, "pid");
        } else {
            hd_audit_person_hash(hash, hd__api(req)->person_key, norm);
            f.person_hash = hash;
        }
    }
    if (rc == 0)
        rc = hd_http_query_text(&f.actor, req, "user", 64);
    if (rc == 0)
        rc = hd_http_query_text(&f.case_no, req, "case_no", 63);
    if (rc == 0)
        rc = hd_http_query_text(&f.action, req, "action", 64);
    if (rc == 0)
        rc = date_bound(&f.from, req, "from", false);
    if (rc == 0)
        rc = date_bound(&f.to, req, "to", true);
    if (rc == 0)
        rc = hd_audit_search(req->cs, &f, page.offset, page.page_size, &total,
                             add_entry, entries, &req->err);
    if (rc == 0) {
        /* The search itself: who looked for what (the person as its
         * hash). */
        char persons[40];
        snprintf(persons, sizeof(persons), "[\"%s\"]",
                 f.person_hash ? f.person_hash : "");
        rc = hd__api_audit(req, "audit.search", f.case_no,
                           f.person_hash ? persons : NULL, NULL, "searched");
    }
    if (rc) {
        json_decref(entries);
        return rc == HD_ENOMEM ? hd_error_set(&req->err, rc, "out of memory")
                               : rc;
    }
    return hd_http_reply_json(
        req, 200,
        json_pack("{s:o, s:I, s:I, s:I}", "entries", entries, "total",
                  (json_int_t)total, "page", (json_int_t)page.page, "page_size",
                  (json_int_t)page.page_size));
}

static json_t *problem_json(const hd_audit_problem *p)
{
    return json_pack("{s:s, s:I, s:I, s:I, s:I, s:I, s:I, s:s}", "kind",
                     hd_audit_kind_name(p->kind), "seq", (json_int_t)p->seq,
                     "id", (json_int_t)p->id, "seq_end", (json_int_t)p->seq_end,
                     "count", (json_int_t)p->count, "before",
                     (json_int_t)p->before, "after", (json_int_t)p->after,
                     "detail", p->detail);
}

static void add_problem(const hd_audit_problem *p, void *payload)
{
    json_t *list = payload;
    if (json_array_size(list) < 100)
        json_array_append_new(list, problem_json(p));
}

int hd__api_audit_verify(hd_http_req *req)
{
    uint8_t key[32];
    hd_audit_report rep;
    json_t *problems = json_array(), *out;
    int rc = problems ? hd_http_query_only(req, NULL, 0) : HD_ENOMEM;

    hd_node_key_derive(key, req->key, "hedui audit chain key");
    if (rc == 0)
        rc = hd_audit_verify(&rep, req->cs, key, 0, NULL, add_problem, problems,
                             &req->err);
    sodium_memzero(key, sizeof(key));
    if (rc) {
        json_decref(problems);
        return rc == HD_ENOMEM ? hd_error_set(&req->err, rc, "out of memory")
                               : rc;
    }
    out = json_pack("{s:b, s:I, s:I, s:{s:I, s:s}, s:I, s:o}", "intact",
                    rep.problems == 0, "entries", (json_int_t)rep.entries,
                    "unchained", (json_int_t)rep.unchained, "head", "seq",
                    (json_int_t)rep.head_seq, "hash", rep.head_hash, "problems",
                    (json_int_t)rep.problems, "problem_list", problems);
    if (out && rep.has_first)
        json_object_set_new(out, "first", problem_json(&rep.first));
    return out ? hd_http_reply_json(req, 200, out)
               : hd_error_set(&req->err, HD_ENOMEM, "out of memory");
}
