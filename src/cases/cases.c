/*
 * The case workflow (docs/cases.md): who may do what from which state,
 * and each action written whole. An action loads the case, checks role,
 * region and state, then in one case-store transaction writes what the
 * action adds (corrections, a verification), the case's new row by
 * compare and set on its version, a case_event and an audit entry. The
 * compare and set is what settles a race: the check before it only
 * gives the clear refusal.
 */
#include <hedui/cases.h>

#include <hedui/std.h>

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const state_names[HD_CASE_STATE_COUNT_] = {
    "registered", "authorized", "verified", "objected",
    "corrected",  "decided",    "archived"};

static const char *const action_names[HD_CASE_ACTION_COUNT_] = {
    "register", "authorize", "verify", "object",
    "correct",  "dismiss",   "decide", "archive"};

#define S(x) (1u << HD_CASE_##x)

/* Who may take each action, from which states, into which state. */
static const struct {
    const char *roles[2];
    const char *roles_text;
    uint32_t from;
    const char *from_text;
    hd_case_state to;
} rules[HD_CASE_ACTION_COUNT_] = {
    [HD_CASE_REGISTER] =
        {{"clerk", NULL}, "a clerk", 0, "", HD_CASE_REGISTERED},
    [HD_CASE_AUTHORIZE] = {{"clerk", NULL},
                           "a clerk",
                           S(REGISTERED),
                           "registered",
                           HD_CASE_AUTHORIZED},
    [HD_CASE_VERIFY] = {{"verifier", NULL},
                        "a verifier",
                        S(AUTHORIZED) | S(CORRECTED),
                        "authorized or corrected",
                        HD_CASE_VERIFIED},
    [HD_CASE_OBJECT] =
        {{"clerk", NULL}, "a clerk", S(VERIFIED), "verified", HD_CASE_OBJECTED},
    [HD_CASE_CORRECT] = {{"verifier", NULL},
                         "a verifier",
                         S(OBJECTED) | S(CORRECTED),
                         "objected or corrected",
                         HD_CASE_CORRECTED},
    [HD_CASE_DISMISS] = {{"verifier", NULL},
                         "a verifier",
                         S(OBJECTED),
                         "objected",
                         HD_CASE_VERIFIED},
    [HD_CASE_DECIDE] = {{"approver", NULL},
                        "an approver",
                        S(VERIFIED),
                        "verified",
                        HD_CASE_DECIDED},
    [HD_CASE_ARCHIVE] = {{"approver", "admin"},
                         "an approver or an admin",
                         S(DECIDED),
                         "decided",
                         HD_CASE_ARCHIVED},
};

const char *hd_case_state_name(hd_case_state state)
{
    return (unsigned)state < HD_CASE_STATE_COUNT_ ? state_names[state] : "";
}

int hd_case_state_find(const char *name)
{
    for (int i = 0; name && i < HD_CASE_STATE_COUNT_; i++)
        if (!strcmp(state_names[i], name))
            return i;
    return -1;
}

const char *hd_case_action_name(hd_case_action action)
{
    return (unsigned)action < HD_CASE_ACTION_COUNT_ ? action_names[action] : "";
}

static int check_actor(const hd_case_actor *who, hd_error *err)
{
    if (!who || !who->username || !*who->username || !who->role || !who->region)
        return hd_error_set(err, HD_EINVAL, "no named user to act");
    return 0;
}

static int check_role_region(const hd_case_actor *who, hd_case_action action,
                             const char *case_region, hd_error *err)
{
    int rc = check_actor(who, err);
    bool role_ok = false;

    if (rc)
        return rc;
    for (int i = 0; i < 2; i++)
        if (rules[action].roles[i] &&
            !strcmp(rules[action].roles[i], who->role))
            role_ok = true;
    if (!role_ok)
        return hd_error_set(err, HD_EDENIED, "only %s may %s a case, not a %s",
                            rules[action].roles_text, action_names[action],
                            who->role);
    if (!hd_region_covers(who->region, case_region))
        return hd_error_set(err, HD_EDENIED,
                            "case region %s is outside the region %s of %s",
                            case_region, who->region, who->username);
    return 0;
}

int hd_case_check(const hd_case_actor *who, hd_case_action action,
                  const char *case_region, hd_case_state state, hd_error *err)
{
    int rc;

    if ((unsigned)action >= HD_CASE_ACTION_COUNT_ ||
        (unsigned)state >= HD_CASE_STATE_COUNT_)
        return hd_error_set(err, HD_EINVAL, "no such action or state");
    if ((rc = check_role_region(who, action, case_region, err)) != 0)
        return rc;
    if (!(rules[action].from & (1u << state)))
        return hd_error_set(
            err, HD_ESTATE, "cannot %s a case that is %s: only one that is %s",
            action_names[action], state_names[state],
            action == HD_CASE_REGISTER ? "not yet registered"
                                       : rules[action].from_text);
    return 0;
}

bool hd_case_overdue(const hd_case_row *c, int32_t today)
{
    int s = hd_case_state_find(c->state);
    if ((s == HD_CASE_REGISTERED || s == HD_CASE_AUTHORIZED) &&
        c->report_due != HD_CASE_NO_DATE)
        return c->report_due < today;
    if ((s == HD_CASE_VERIFIED || s == HD_CASE_OBJECTED ||
         s == HD_CASE_CORRECTED) &&
        c->decision_due != HD_CASE_NO_DATE)
        return c->decision_due < today;
    return false;
}

bool hd_case_objection_open(const hd_case_row *c, int32_t today)
{
    return c->objection_until != HD_CASE_NO_DATE && today <= c->objection_until;
}

/* ------------------------------------------------------------ loading */

typedef struct app_ctx {
    hd_application *app;
    hd_error *err;
} app_ctx;

static int take_app(const hd_application_row *row, void *payload)
{
    app_ctx *ctx = payload;
    size_t len = row->json_len ? row->json_len : strlen(row->json);
    if (hd_application_parse(ctx->app, row->json, len, NULL))
        return hd_error_set(ctx->err, HD_EDATA, "application %s cannot be read",
                            row->application_no);
    return 0;
}

/* The case's application, parsed (release with hd_application_release;
 * HD_ENOTFOUND when there is none). */
static int load_app(hd_application *app, hd_casestore *cs, const char *no,
                    hd_error *err)
{
    app_ctx ctx = {app, err};
    memset(app, 0, sizeof(*app));
    return hd_casestore_application_get(cs, no, take_app, &ctx, err);
}

static int take_last_event(const hd_case_event *ev, void *payload)
{
    snprintf(payload, 160, " (it was made %s by %s, %s, with '%s')",
             ev->to_state, ev->username, ev->role, ev->action);
    return 0;
}

/* Load a case and check that `who` may take `action` on it now. */
static int load_checked(hd_case_row *c, const hd_cases_env *env,
                        const hd_case_actor *who, hd_case_action action,
                        const char *case_no, const char *reason, hd_error *err)
{
    int rc, state;

    if (!env || !env->cs || !case_no)
        return hd_error_set(err, HD_EINVAL, "no case store or case");
    if ((rc = check_actor(who, err)) != 0)
        return rc;
    if (!reason || !*reason)
        return hd_error_set(err, HD_EINVAL, "a reason is required to %s",
                            action_names[action]);
    if ((rc = hd_casestore_case_get(env->cs, c, case_no, err)) != 0)
        return rc;
    state = hd_case_state_find(c->state);
    if (state < 0)
        return hd_error_set(err, HD_EDATA, "case %s has an unknown state %s",
                            case_no, c->state);
    rc = hd_case_check(who, action, c->region, (hd_case_state)state, err);
    if (rc == HD_ESTATE && err) {
        /* Say who put it there: of two approvers deciding at once, the
         * second is told who decided. */
        char msg[HD_ERROR_MSG_MAX], last[160] = "";
        hd_error e;
        snprintf(msg, sizeof(msg), "%s", err->msg);
        hd_casestore_case_events(env->cs, case_no, take_last_event, last, &e);
        hd_error_set(err, HD_ESTATE, "%s%s", msg, last);
    }
    return rc;
}

/* The deadlines' working days for a region today. */
static int deadline_days(hd_param_values *out, const hd_cases_env *env,
                         const char *region, int32_t today, hd_error *err)
{
    hd_params ps;
    hd_error e;
    int rc;

    if (!env->policy)
        return hd_error_set(err, HD_EINVAL, "no policy for the deadlines");
    rc = hd_policy_resolve(&ps, env->policy, region, today, &e);
    /* No dibao standard does not matter here: the rest resolved. */
    if (rc && rc != HD_ENOTFOUND)
        return hd_error_set(err, rc, "deadlines for %s: %s", region, e.msg);
    *out = ps.v;
    return 0;
}

static int due(int32_t *out, const hd_cases_env *env, int32_t from, int days,
               hd_error *err)
{
    bool provisional = false;
    int rc = hd_calendar_add_working_days(out, &provisional, env->calendar,
                                          from, days, err);
    if (rc == 0 && provisional) {
        char d[HD_DATE_TEXT_MAX];
        hd_log(HD_LOG_INFO,
               "event=case_deadline_provisional due=%s reason=year_not_in_"
               "calendar",
               hd_date_format(d, *out));
    }
    return rc;
}

/* --------------------------------------------------------- transitions */

/* A JSON array of the members' keyed hashes. */
static char *persons_json(const hd_cases_env *env, const hd_application *app)
{
    json_t *a = json_array();
    char *s;
    for (int m = 0; app && m < app->member_count; m++) {
        char hash[33];
        if (!app->members[m].pid[0])
            continue;
        hd_audit_person_hash(hash, env->person_key, app->members[m].pid);
        json_array_append_new(a, json_string(hash));
    }
    s = json_dumps(a, JSON_COMPACT);
    json_decref(a);
    return s;
}

typedef struct step {
    hd_case_action action;
    const char *from_state;
    const char *reason;
    json_t *detail;             /* may be NULL; freed by finish */
    const char *authorizations; /* JSON array; NULL: [] */
    const char *outcome;        /* NULL: the new state */
    const hd_application *app;  /* for the persons; may be NULL */
    /* What the action adds inside the transaction, before the case row. */
    int (*write)(void *payload, hd_case_row *c, hd_error *err);
    void *payload;
} step;

/* Write one transition: the action's own rows, the case row (compare and
 * set on `expected` version), the event and the audit entry. */
static int commit_step(hd_case_row *c, int64_t expected,
                       const hd_cases_env *env, const hd_case_actor *who,
                       step *st, hd_error *err)
{
    char *detail = NULL;
    char *persons = persons_json(env, st->app);
    char action[32];
    int rc = 0;

    snprintf(action, sizeof(action), "case.%s", action_names[st->action]);
    bool own = false;
    if (!persons) {
        rc = hd_error_set(err, HD_ENOMEM, "out of memory");
        goto out;
    }
    /* Inside the caller's transaction when it has one (the service
     * registers an application, its authorizations and the case as one
     * write); the caller then commits or rolls back the whole. */
    own = !hd_casestore_in_transaction(env->cs);
    if (own && (rc = hd_casestore_begin(env->cs, err)) != 0)
        goto out;
    if (st->write)
        rc = st->write(st->payload, c, err);
    /* After the write: the detail may name the rows it made (the ids of
     * corrections). */
    if (rc == 0 && st->detail &&
        !(detail = json_dumps(st->detail, JSON_COMPACT)))
        rc = hd_error_set(err, HD_ENOMEM, "out of memory");
    c->updated_at = env->now;
    if (rc == 0)
        rc = st->action == HD_CASE_REGISTER
                 ? hd_casestore_case_create(env->cs, c, err)
                 : hd_casestore_case_update(env->cs, c, expected, err);
    if (rc == 0) {
        hd_case_event ev = {
            .case_no = c->case_no,
            .at = env->now,
            .username = who->username,
            .role = who->role,
            .action = action_names[st->action],
            .from_state = st->from_state,
            .to_state = c->state,
            .reason = st->reason,
            .detail = detail,
        };
        rc = hd_casestore_case_event_add(env->cs, &ev, err);
    }
    if (rc == 0) {
        hd_audit_entry a = {
            .at = env->now,
            .actor = who->username,
            .role = who->role,
            .region = who->region,
            .action = action,
            .case_no = c->case_no,
            .persons = persons,
            .feeds = "[]",
            .authorizations = st->authorizations ? st->authorizations : "[]",
            .outcome = st->outcome ? st->outcome : c->state,
        };
        rc = hd_casestore_audit_add(env->cs, &a, err);
    }
    if (rc == 0 && own)
        rc = hd_casestore_commit(env->cs, err);
    if (rc && own)
        hd_casestore_rollback(env->cs);
    else if (rc == 0)
        c->version = st->action == HD_CASE_REGISTER ? 1 : expected + 1;
out:
    free(detail);
    free(persons);
    json_decref(st->detail);
    st->detail = NULL;
    return rc;
}

static void fill_out(hd_case_row *out, const hd_case_row *c)
{
    if (out)
        *out = *c;
}

/* ------------------------------------------------------------- register */

typedef struct app_row_ctx {
    hd_case_row *c;
    bool refused;
} app_row_ctx;

static int take_app_row(const hd_application_row *row, void *payload)
{
    app_row_ctx *ctx = payload;
    snprintf(ctx->c->region, sizeof(ctx->c->region), "%s", row->region);
    snprintf(ctx->c->program, sizeof(ctx->c->program), "%s", row->program);
    ctx->refused = row->refused_field != NULL;
    return 0;
}

int hd_case_register(hd_case_row *out, const hd_cases_env *env,
                     const hd_case_actor *who, const char *application_no,
                     const char *reason, hd_error *err)
{
    hd_case_row c;
    app_row_ctx ctx = {&c, false};
    hd_application app;
    hd_param_values days;
    int32_t today;
    int rc;

    if (!env || !env->cs || !application_no ||
        strlen(application_no) >= HD_CASE_TEXT_MAX)
        return hd_error_set(err, HD_EINVAL, "no case store or application");
    if ((rc = check_actor(who, err)) != 0)
        return rc;
    if (!reason || !*reason)
        return hd_error_set(err, HD_EINVAL, "a reason is required to register");
    memset(&c, 0, sizeof(c));
    rc = hd_casestore_application_get(env->cs, application_no, take_app_row,
                                      &ctx, err);
    if (rc)
        return rc;
    if ((rc = check_role_region(who, HD_CASE_REGISTER, c.region, err)) != 0)
        return rc;
    if (ctx.refused)
        return hd_error_set(err, HD_EDATA,
                            "application %s was refused as malformed: it "
                            "cannot become a case",
                            application_no);
    today = hd_cases_today(env->now);
    if ((rc = deadline_days(&days, env, c.region, today, err)) != 0)
        return rc;
    snprintf(c.case_no, sizeof(c.case_no), "%s", application_no);
    snprintf(c.state, sizeof(c.state), "%s", state_names[HD_CASE_REGISTERED]);
    snprintf(c.opened_by, sizeof(c.opened_by), "%s", who->username);
    c.opened_at = env->now;
    c.decision_due = c.objection_until = HD_CASE_NO_DATE;
    if ((rc = due(&c.report_due, env, today, days.report_days, err)) != 0)
        return rc;
    if ((rc = load_app(&app, env->cs, application_no, err)) != 0)
        return rc;
    step st = {.action = HD_CASE_REGISTER,
               .from_state = "",
               .reason = reason,
               .app = &app};
    rc = commit_step(&c, 0, env, who, &st, err);
    hd_application_release(&app);
    if (rc == 0)
        fill_out(out, &c);
    return rc;
}

/* ------------------------------------------------------------ authorize */

/* The ids relied on as a JSON array. */
static char *ids_json(char ids[][64], int count)
{
    json_t *a = json_array();
    char *s;
    for (int i = 0; i < count; i++)
        if (ids[i][0])
            json_array_append_new(a, json_string(ids[i]));
    s = json_dumps(a, JSON_COMPACT);
    json_decref(a);
    return s;
}

int hd_case_authorize(hd_case_row *out, const hd_cases_env *env,
                      const hd_case_actor *who, const char *case_no,
                      const char *reason, hd_error *err)
{
    char ids[HD_MAX_MEMBERS][64];
    hd_case_row c;
    hd_application app;
    hd_dossier d;
    char *auths = NULL;
    int rc;

    if ((rc = load_checked(&c, env, who, HD_CASE_AUTHORIZE, case_no, reason,
                           err)) != 0)
        return rc;
    if ((rc = load_app(&app, env->cs, case_no, err)) != 0)
        return rc;
    hd_dossier_init(&d, &app);
    rc = hd_gate_check_stored(&d, env->cs, &app, ids, err);
    if (rc == 0 && !d.authorized) {
        hd_buf b;
        hd_buf_init(&b, 1024);
        for (int i = 0; i < d.missing_count; i++) {
            char masked[HD_PID_LEN + 1];
            const hd_member *m = &app.members[d.missing[i]];
            hd_buf_puts(&b, i ? ", " : "");
            hd_buf_puts(&b, hd_mask_pid(masked, m->pid, strlen(m->pid)));
        }
        rc = hd_error_set(err, HD_ESTATE,
                          "members without a valid authorization for %s: %s",
                          c.program, b.ptr);
        hd_buf_release(&b);
    }
    if (rc == 0 && !(auths = ids_json(ids, app.member_count)))
        rc = hd_error_set(err, HD_ENOMEM, "out of memory");
    if (rc == 0) {
        char from[sizeof(c.state)];
        snprintf(from, sizeof(from), "%s", c.state);
        step st = {.action = HD_CASE_AUTHORIZE,
                   .from_state = from,
                   .reason = reason,
                   .authorizations = auths,
                   .app = &app};
        int64_t expected = c.version;
        snprintf(c.state, sizeof(c.state), "%s",
                 state_names[HD_CASE_AUTHORIZED]);
        rc = commit_step(&c, expected, env, who, &st, err);
    }
    free(auths);
    hd_dossier_release(&d);
    hd_application_release(&app);
    if (rc == 0)
        fill_out(out, &c);
    return rc;
}

/* --------------------------------------------------------------- verify */

void hd_case_work_init(hd_case_work *w)
{
    memset(w, 0, sizeof(*w));
    hd_dossier_init(&w->dossier, &w->app);
    hd_result_init(&w->result);
    hd_arena_init(&w->arena, 4096);
}

void hd_case_work_release(hd_case_work *w)
{
    hd_result_release(&w->result);
    hd_dossier_release(&w->dossier);
    hd_application_release(&w->app);
    hd_free(w->corrections);
    hd_policy_free(w->policy);
    hd_arena_release(&w->arena);
    memset(w, 0, sizeof(*w));
}

typedef struct corr_load {
    hd_case_work *w;
    size_t cap;
    int64_t upto; /* 0: all */
    int64_t max_id;
    hd_error *err;
} corr_load;

static const char *arena_copy(hd_arena *a, const char *s, bool *failed)
{
    const char *c;
    if (!s)
        return NULL;
    if (!(c = hd_arena_strndup(a, s, strlen(s))))
        *failed = true;
    return c;
}

static int take_corr(const hd_case_correction *c, void *payload)
{
    corr_load *ctx = payload;
    hd_case_work *w = ctx->w;
    hd_case_correction *k;
    bool failed = false;

    if (ctx->upto && c->id > ctx->upto)
        return 0;
    if (w->correction_count == ctx->cap) {
        size_t cap = ctx->cap ? ctx->cap * 2 : 8;
        hd_case_correction *p = hd_realloc(w->corrections, cap * sizeof(*p));
        if (!p)
            return hd_error_set(ctx->err, HD_ENOMEM, "out of memory");
        w->corrections = p;
        ctx->cap = cap;
    }
    k = &w->corrections[w->correction_count];
    *k = *c;
    k->case_no = arena_copy(&w->arena, c->case_no, &failed);
    k->pid = arena_copy(&w->arena, c->pid, &failed);
    k->feed = arena_copy(&w->arena, c->feed, &failed);
    k->record_key = arena_copy(&w->arena, c->record_key, &failed);
    k->field = arena_copy(&w->arena, c->field, &failed);
    k->value = arena_copy(&w->arena, c->value, &failed);
    k->evidence = arena_copy(&w->arena, c->evidence, &failed);
    k->made_by = arena_copy(&w->arena, c->made_by, &failed);
    if (failed)
        return hd_error_set(ctx->err, HD_ENOMEM, "out of memory");
    w->correction_count++;
    if (c->id > ctx->max_id)
        ctx->max_id = c->id;
    return 0;
}

static int load_corrections(hd_case_work *w, hd_casestore *cs,
                            const char *case_no, int64_t upto, int64_t *max_id,
                            hd_error *err)
{
    corr_load ctx = {w, 0, upto, 0, err};
    int rc;
    hd_free(w->corrections);
    w->corrections = NULL;
    w->correction_count = 0;
    hd_arena_reset(&w->arena);
    rc = hd_casestore_corrections(cs, case_no, take_corr, &ctx, err);
    if (max_id)
        *max_id = ctx.max_id;
    return rc;
}

int hd_case_corrections_load(hd_case_work *w, hd_casestore *cs,
                             const char *case_no, hd_error *err)
{
    hd_case_row c;
    int rc = hd_casestore_case_get(cs, &c, case_no, err);

    if (rc == HD_ENOTFOUND) {
        hd_error_clear(err);
        return load_corrections(w, cs, case_no, -1, NULL, err);
    }
    if (rc)
        return rc;
    return load_corrections(w, cs, case_no,
                            c.corrections_upto ? c.corrections_upto : -1, NULL,
                            err);
}

static int take_verification_id(const hd_verification_row *row, void *payload)
{
    *(int64_t *)payload = row->id;
    return 0;
}

typedef struct verify_write {
    hd_case_work *w;
    hd_verify_env venv;
    const hd_cases_env *env;
    int64_t max_id;
} verify_write;

/* Inside the transaction: verify, record the verification and its read
 * audit entry, and give the case what came of it. */
static int write_verification(void *payload, hd_case_row *c, hd_error *err)
{
    verify_write *vw = payload;
    hd_case_work *w = vw->w;
    hd_param_values days;
    int32_t today = hd_cases_today(vw->env->now);
    int rc;

    rc = hd_verify_case(&w->result, &w->dossier, &vw->venv, &w->app, err);
    if (rc)
        return rc;
    if (w->result.conclusion == HD_CONCLUSION_UNAUTHORIZED)
        return hd_error_set(err, HD_ESTATE,
                            "an authorization the case relied on is no "
                            "longer valid: nothing was read");
    rc = hd_casestore_verification_latest(vw->env->cs, c->case_no,
                                          take_verification_id,
                                          &c->verification_id, err);
    if (rc == 0)
        rc = deadline_days(&days, vw->env, c->region, today, err);
    if (rc == 0)
        rc = due(&c->decision_due, vw->env, today, days.decision_days, err);
    if (rc == 0)
        rc = due(&c->objection_until, vw->env, today, days.objection_days, err);
    snprintf(c->conclusion, sizeof(c->conclusion), "%s",
             hd_conclusion_name(w->result.conclusion));
    c->corrections_upto = vw->max_id;
    return rc;
}

int hd_case_verify(hd_case_row *out, hd_case_work *w, const hd_cases_env *env,
                   const hd_case_actor *who, const char *case_no,
                   const char *reason, hd_error *err)
{
    verify_write vw;
    hd_case_row c;
    char from[16];
    int rc;

    if ((rc = load_checked(&c, env, who, HD_CASE_VERIFY, case_no, reason,
                           err)) != 0)
        return rc;
    if (!env->verify || !w)
        return hd_error_set(err, HD_EINVAL, "no verification environment");
    hd_application_release(&w->app);
    if ((rc = load_app(&w->app, env->cs, case_no, err)) != 0)
        return rc;
    memset(&vw, 0, sizeof(vw));
    vw.w = w;
    vw.env = env;
    if ((rc = load_corrections(w, env->cs, case_no, 0, &vw.max_id, err)) != 0)
        return rc;
    vw.venv = *env->verify;
    vw.venv.cs = env->cs;
    vw.venv.actor = who->username;
    vw.venv.role = who->role;
    vw.venv.region = who->region;
    vw.venv.now = env->now;
    memcpy(vw.venv.person_key, env->person_key, 32);
    vw.venv.record = true;
    vw.venv.in_caller_txn = true;
    vw.venv.action = "verify";
    vw.venv.corrections = w->corrections;
    vw.venv.correction_count = w->correction_count;
    snprintf(from, sizeof(from), "%s", c.state);
    step st = {.action = HD_CASE_VERIFY,
               .from_state = from,
               .reason = reason,
               .detail = json_pack("{sI}", "corrections",
                                   (json_int_t)w->correction_count),
               .app = &w->app,
               .write = write_verification,
               .payload = &vw};
    int64_t expected = c.version;
    snprintf(c.state, sizeof(c.state), "%s", state_names[HD_CASE_VERIFIED]);
    if (!c.verified_first_at)
        c.verified_first_at = env->now;
    rc = commit_step(&c, expected, env, who, &st, err);
    if (rc == 0)
        fill_out(out, &c);
    return rc;
}

/* --------------------------------------------------------------- object */

int hd_case_object(hd_case_row *out, const hd_cases_env *env,
                   const hd_case_actor *who, const char *case_no,
                   const char *item, const char *reason, hd_error *err)
{
    hd_case_row c;
    hd_application app;
    char from[16], until[HD_DATE_TEXT_MAX];
    int rc;

    if ((rc = load_checked(&c, env, who, HD_CASE_OBJECT, case_no, reason,
                           err)) != 0)
        return rc;
    if (!item || !*item)
        return hd_error_set(err, HD_EINVAL,
                            "an objection names the disputed data item");
    if (!hd_case_objection_open(&c, hd_cases_today(env->now)))
        return hd_error_set(err, HD_ESTATE, "the objection window closed on %s",
                            c.objection_until == HD_CASE_NO_DATE
                                ? "its opening"
                                : hd_date_format(until, c.objection_until));
    if ((rc = load_app(&app, env->cs, case_no, err)) != 0)
        return rc;
    snprintf(from, sizeof(from), "%s", c.state);
    step st = {.action = HD_CASE_OBJECT,
               .from_state = from,
               .reason = reason,
               .detail = json_pack("{ss}", "item", item),
               .app = &app};
    int64_t expected = c.version;
    snprintf(c.state, sizeof(c.state), "%s", state_names[HD_CASE_OBJECTED]);
    rc = commit_step(&c, expected, env, who, &st, err);
    hd_application_release(&app);
    if (rc == 0)
        fill_out(out, &c);
    return rc;
}

/* -------------------------------------------------------------- correct */

/* Is `v` a value of the column's type (feeds.md)? "" is a null. */
static int check_value(const hd_column *col, const char *v, hd_error *err)
{
    size_t len = strlen(v);
    int64_t n;
    int32_t d;
    hd_error e;

    if (!len)
        return col->nullable ? 0
                             : hd_error_set(err, HD_EDATA,
                                            "%s may not be empty", col->name);
    switch (col->type) {
    case HD_TYPE_PID: {
        char norm[HD_PID_LEN + 1];
        if (hd_pid_normalize(norm, v, len, NULL) == HD_PID_OK)
            return 0;
        break;
    }
    case HD_TYPE_USCC:
        if (hd_uscc_check(v, len, NULL) == HD_USCC_OK)
            return 0;
        break;
    case HD_TYPE_REGION:
        if (hd_region_code_valid(v, len))
            return 0;
        break;
    case HD_TYPE_DATE:
        if (!hd_date_parse(&d, v, len, &e))
            return 0;
        break;
    case HD_TYPE_PERIOD:
        if (!hd_period_parse(&d, v, len, &e))
            return 0;
        break;
    case HD_TYPE_MONEY:
        if (!hd_money_parse(&n, v, len, &e))
            return 0;
        break;
    case HD_TYPE_AREA:
        if (!hd_area_parse(&n, v, len, &e))
            return 0;
        break;
    case HD_TYPE_PCT:
        if (!hd_decimal_parse(&n, v, len, 0, false, &e) && n <= 100)
            return 0;
        break;
    case HD_TYPE_CODE:
        if (hd_column_code_index(col, v, len) >= 0)
            return 0;
        break;
    case HD_TYPE_TEXT: {
        long chars = hd_utf8_count(v, len);
        if (chars >= 0 && chars <= HD_TEXT_MAX_CHARS)
            return 0;
        break;
    }
    }
    return hd_error_set(err, HD_EDATA, "%s: '%s' is not a %s", col->name, v,
                        hd_type_name(col->type));
}

static int check_correction(const hd_case_correction *k, size_t i,
                            const hd_application *app, hd_error *err)
{
    const hd_feed *feed;
    bool member = false;
    int col, rc;

    for (int m = 0; k->pid && m < app->member_count; m++)
        if (!strcmp(app->members[m].pid, k->pid))
            member = true;
    if (!member)
        return hd_error_set(err, HD_EDATA,
                            "correction %zu: not a declared member", i + 1);
    if (!k->feed || !(feed = hd_feed_find(k->feed)))
        return hd_error_set(err, HD_EDATA, "correction %zu: unknown feed",
                            i + 1);
    if (!k->record_key || !*k->record_key || !k->evidence || !*k->evidence)
        return hd_error_set(err, HD_EDATA,
                            "correction %zu: the record key and the evidence "
                            "are required",
                            i + 1);
    if (!k->field && !k->value)
        return 0; /* the record does not count */
    if (!k->field || !k->value)
        return hd_error_set(err, HD_EDATA,
                            "correction %zu: a field needs a value", i + 1);
    col = hd_feed_column(feed, k->field);
    if (col < 0 || feed->columns[col].key)
        return hd_error_set(err, HD_EDATA,
                            "correction %zu: %s is not a field of %s that "
                            "can be corrected (key columns name the record)",
                            i + 1, k->field, feed->name);
    if ((rc = check_value(&feed->columns[col], k->value, err)) != 0) {
        char msg[HD_ERROR_MSG_MAX];
        snprintf(msg, sizeof(msg), "%s", err ? err->msg : "");
        return hd_error_set(err, rc, "correction %zu: %s", i + 1, msg);
    }
    return 0;
}

typedef struct correct_write {
    const hd_cases_env *env;
    const hd_case_actor *who;
    const hd_case_correction *k;
    size_t count;
    json_t *ids;
} correct_write;

static int write_corrections(void *payload, hd_case_row *c, hd_error *err)
{
    correct_write *cw = payload;
    for (size_t i = 0; i < cw->count; i++) {
        hd_case_correction k = cw->k[i];
        int64_t id = 0;
        int rc;
        k.case_no = c->case_no;
        k.made_by = cw->who->username;
        k.made_at = cw->env->now;
        if ((rc = hd_casestore_correction_add(cw->env->cs, &k, &id, err)) != 0)
            return rc;
        json_array_append_new(cw->ids, json_integer(id));
    }
    return 0;
}

int hd_case_correct(hd_case_row *out, const hd_cases_env *env,
                    const hd_case_actor *who, const char *case_no,
                    const hd_case_correction *k, size_t count,
                    const char *reason, hd_error *err)
{
    hd_case_row c;
    hd_application app;
    char from[16];
    int rc;

    if ((rc = load_checked(&c, env, who, HD_CASE_CORRECT, case_no, reason,
                           err)) != 0)
        return rc;
    if (!k || count == 0)
        return hd_error_set(err, HD_EINVAL, "no correction given");
    if ((rc = load_app(&app, env->cs, case_no, err)) != 0)
        return rc;
    for (size_t i = 0; rc == 0 && i < count; i++)
        rc = check_correction(&k[i], i, &app, err);
    if (rc == 0) {
        json_t *ids = json_array();
        correct_write cw = {env, who, k, count, ids};
        snprintf(from, sizeof(from), "%s", c.state);
        step st = {.action = HD_CASE_CORRECT,
                   .from_state = from,
                   .reason = reason,
                   .detail = json_pack("{sO}", "corrections", ids),
                   .app = &app,
                   .write = write_corrections,
                   .payload = &cw};
        int64_t expected = c.version;
        snprintf(c.state, sizeof(c.state), "%s",
                 state_names[HD_CASE_CORRECTED]);
        rc = commit_step(&c, expected, env, who, &st, err);
        json_decref(ids);
    }
    hd_application_release(&app);
    if (rc == 0)
        fill_out(out, &c);
    return rc;
}

/* ------------------------------------------- dismiss, decide, archive */

/* A transition that adds nothing but the move itself. */
static int simple_move(hd_case_row *out, const hd_cases_env *env,
                       const hd_case_actor *who, hd_case_action action,
                       const char *case_no, const char *reason,
                       const char *decision, hd_error *err)
{
    hd_case_row c;
    hd_application app;
    char from[16], until[HD_DATE_TEXT_MAX];
    int rc;

    if ((rc = load_checked(&c, env, who, action, case_no, reason, err)) != 0)
        return rc;
    if (action == HD_CASE_DECIDE &&
        hd_case_objection_open(&c, hd_cases_today(env->now)))
        return hd_error_set(err, HD_ESTATE,
                            "the family may object until %s: decide after it",
                            hd_date_format(until, c.objection_until));
    if ((rc = load_app(&app, env->cs, case_no, err)) != 0)
        return rc;
    snprintf(from, sizeof(from), "%s", c.state);
    step st = {.action = action,
               .from_state = from,
               .reason = reason,
               .detail =
                   decision ? json_pack("{ss}", "decision", decision) : NULL,
               .outcome = decision,
               .app = &app};
    int64_t expected = c.version;
    snprintf(c.state, sizeof(c.state), "%s", state_names[rules[action].to]);
    if (decision) {
        snprintf(c.decision, sizeof(c.decision), "%s", decision);
        c.decided_at = env->now;
    }
    rc = commit_step(&c, expected, env, who, &st, err);
    hd_application_release(&app);
    if (rc == 0)
        fill_out(out, &c);
    return rc;
}

int hd_case_dismiss(hd_case_row *out, const hd_cases_env *env,
                    const hd_case_actor *who, const char *case_no,
                    const char *reason, hd_error *err)
{
    return simple_move(out, env, who, HD_CASE_DISMISS, case_no, reason, NULL,
                       err);
}

int hd_case_decide(hd_case_row *out, const hd_cases_env *env,
                   const hd_case_actor *who, const char *case_no, bool approved,
                   const char *reason, hd_error *err)
{
    return simple_move(out, env, who, HD_CASE_DECIDE, case_no, reason,
                       approved ? "approved" : "rejected", err);
}

int hd_case_archive(hd_case_row *out, const hd_cases_env *env,
                    const hd_case_actor *who, const char *case_no,
                    const char *reason, hd_error *err)
{
    return simple_move(out, env, who, HD_CASE_ARCHIVE, case_no, reason, NULL,
                       err);
}

/* --------------------------------------------------------------- replay */

static int take_replay(const hd_verification_row *row, void *payload)
{
    hd_case_work *w = payload;
    w->view_seq = row->view_seq;
    w->policy_version = row->policy_version;
    w->verified_at = row->verified_at;
    return 0;
}

int hd_case_replay(hd_case_work *w, const hd_cases_env *env,
                   const hd_case_actor *who, const char *case_no, hd_error *err)
{
    hd_case_row c;
    hd_verify_env venv;
    int rc;

    if (!env || !env->cs || !env->verify || !w || !case_no)
        return hd_error_set(err, HD_EINVAL, "no verification environment");
    if ((rc = check_actor(who, err)) != 0)
        return rc;
    if ((rc = hd_casestore_case_get(env->cs, &c, case_no, err)) != 0)
        return rc;
    if (!strcmp(who->role, "auditor"))
        return hd_error_set(err, HD_EDENIED,
                            "an auditor reads the audit trail, not reports");
    if (!hd_region_covers(who->region, c.region))
        return hd_error_set(err, HD_EDENIED,
                            "case region %s is outside the region %s of %s",
                            c.region, who->region, who->username);
    if (!c.verification_id)
        return hd_error_set(err, HD_ESTATE,
                            "case %s has no verification yet: it is %s",
                            case_no, c.state);
    rc =
        hd_casestore_verification_latest(env->cs, case_no, take_replay, w, err);
    hd_policy_free(w->policy);
    w->policy = NULL;
    if (rc == 0)
        rc = hd_policy_store_load(&w->policy, env->cs, w->policy_version, err);
    hd_application_release(&w->app);
    if (rc == 0)
        rc = load_app(&w->app, env->cs, case_no, err);
    if (rc == 0)
        rc = load_corrections(w, env->cs, case_no,
                              c.corrections_upto ? c.corrections_upto : -1,
                              NULL, err);
    if (rc)
        goto out;
    venv = *env->verify;
    venv.cs = env->cs;
    venv.policy = w->policy;
    venv.view_seq = w->view_seq;
    venv.actor = who->username;
    venv.role = who->role;
    venv.region = who->region;
    venv.now = env->now;
    memcpy(venv.person_key, env->person_key, 32);
    venv.record = true;
    venv.in_caller_txn = false;
    venv.action = "report";
    venv.corrections = w->corrections;
    venv.correction_count = w->correction_count;
    if ((rc = hd_verify_env_prepare(&venv, err)) == 0)
        rc = hd_verify_case(&w->result, &w->dossier, &venv, &w->app, err);
out:
    return rc;
}
