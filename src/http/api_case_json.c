/*
 * A case as the API shows it: its row, its members (masked IDs), its
 * history and corrections, and what the asking user may do next. Reading
 * the members is a read of personal data: the caller audits it.
 */
#include "http/api_int.h"

#include <string.h>

static int add_event(const hd_case_event *ev, void *payload)
{
    json_t *e = json_pack(
        "{s:I, s:s, s:s, s:s, s:s, s:s, s:s}", "at", (json_int_t)ev->at,
        "username", ev->username, "role", ev->role, "action", ev->action,
        "from", ev->from_state, "to", ev->to_state, "reason", ev->reason);
    if (e && ev->detail) {
        json_t *detail = json_loads(ev->detail, 0, NULL);
        if (detail)
            json_object_set_new(e, "detail", detail);
    }
    return !e || json_array_append_new(payload, e) ? HD_ENOMEM : 0;
}

/* A record key names the member by full ID ("230103...1234|2026-05"):
 * the same masked as the member is. */
static const char *key_masked(char *out, size_t len, const char *key,
                              const char *pid, const char *masked)
{
    size_t o = 0, plen = strlen(pid);

    while (*key && o + 1 < len) {
        if (plen && !strncmp(key, pid, plen)) {
            o += (size_t)snprintf(out + o, len - o, "%s", masked);
            key += plen;
        } else {
            out[o++] = *key++;
        }
    }
    out[o < len ? o : len - 1] = '\0';
    return out;
}

static int add_correction(const hd_case_correction *c, void *payload)
{
    char masked[19], key[1024];
    json_t *e =
        json_pack("{s:I, s:s, s:s, s:s, s:s?, s:s?, s:s, s:s, s:I}", "id",
                  (json_int_t)c->id, "pid", hd__api_mask_pid(masked, c->pid),
                  "feed", c->feed, "record_key",
                  key_masked(key, sizeof(key), c->record_key, c->pid,
                             hd__api_mask_pid(masked, c->pid)),
                  "field", c->field, "value", c->value, "evidence", c->evidence,
                  "made_by", c->made_by, "made_at", (json_int_t)c->made_at);
    return !e || json_array_append_new(payload, e) ? HD_ENOMEM : 0;
}

json_t *hd__api_case_row_json(const hd_case_row *c, int32_t today)
{
    json_t *o = json_pack(
        "{s:s, s:s, s:s, s:s, s:I, s:s, s:I, s:I, s:o, s:o, s:o, s:b}",
        "case_no", c->case_no, "region", c->region, "program", c->program,
        "state", c->state, "version", (json_int_t)c->version, "opened_by",
        c->opened_by, "opened_at", (json_int_t)c->opened_at, "updated_at",
        (json_int_t)c->updated_at, "report_due",
        hd__api_date_json(c->report_due), "decision_due",
        hd__api_date_json(c->decision_due), "objection_until",
        hd__api_date_json(c->objection_until), "overdue",
        hd_case_overdue(c, today));
    if (o && c->conclusion[0])
        json_object_set_new(o, "conclusion", json_string(c->conclusion));
    if (o && c->decision[0])
        json_object_set_new(o, "decision", json_string(c->decision));
    return o;
}

/* The actions the user may take now (for the console's buttons): the
 * role, region and state allow it, and the objection window: open for
 * an objection, closed for a decision. */
static json_t *allowed(const hd_http_req *req, const hd_case_row *c)
{
    hd_case_actor who = hd__api_actor(req);
    int state = hd_case_state_find(c->state);
    bool window = hd_case_objection_open(c, hd_cases_today(hd__api_now(req)));
    json_t *out = json_array();

    for (int a = HD_CASE_AUTHORIZE; out && a < HD_CASE_ACTION_COUNT_; a++) {
        if (state < 0 || hd_case_check(&who, (hd_case_action)a, c->region,
                                       (hd_case_state)state, NULL) != 0)
            continue;
        if ((a == HD_CASE_OBJECT && !window) || (a == HD_CASE_DECIDE && window))
            continue;
        json_array_append_new(out, json_string(hd_case_action_name(a)));
    }
    return out;
}

int hd__api_case_json(json_t **out, hd_http_req *req, const hd_case_row *c,
                      const hd_application *app)
{
    json_t *o = hd__api_case_row_json(c, hd_cases_today(hd__api_now(req)));
    json_t *members = json_array(), *events = json_array(),
           *corrections = json_array();
    int rc = 0;

    *out = NULL;
    if (!o || !members || !events || !corrections) {
        rc = HD_ENOMEM;
        goto out;
    }
    for (int i = 0; app && i < app->member_count; i++) {
        char masked[19];
        const hd_member *m = &app->members[i];
        json_t *mj = json_pack("{s:s, s:s, s:s}", "pid",
                               hd__api_mask_pid(masked, m->pid), "name",
                               m->name ? m->name : "", "relation", m->relation);
        if (!mj || json_array_append_new(members, mj)) {
            rc = HD_ENOMEM;
            goto out;
        }
    }
    if (app)
        json_object_set_new(o, "applied_on",
                            hd__api_date_json(app->applied_on == INT32_MIN
                                                  ? HD_CASE_NO_DATE
                                                  : app->applied_on));
    rc = hd_casestore_case_events(req->cs, c->case_no, add_event, events,
                                  &req->err);
    if (rc == 0)
        rc = hd_casestore_corrections(req->cs, c->case_no, add_correction,
                                      corrections, &req->err);
    if (rc)
        goto out;
    json_object_set(o, "members", members);
    json_object_set(o, "events", events);
    json_object_set(o, "corrections", corrections);
    json_object_set_new(o, "allowed_actions", allowed(req, c));
    *out = o;
    o = NULL;
out:
    json_decref(o);
    json_decref(members);
    json_decref(events);
    json_decref(corrections);
    if (rc == HD_ENOMEM)
        hd_error_set(&req->err, rc, "out of memory");
    return rc;
}
