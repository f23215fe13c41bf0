/*
 * Applications (spec feeds.md "Applications and authorizations") and the
 * refusals of rules.md section 7.
 *
 * Everything that can be read is read even after a failure, so that a
 * refused application is still stored with its members; each check
 * reports to keep_failure(), which keeps the failure of the earliest step
 * (HD_REFUSED_STEP_*) and, within a step, the first one found. The order
 * of the checks inside a step is document order: applied_on, then the
 * members one by one, then the declared figures.
 *
 * A roll reads a million of these, so a parse makes one allocation of
 * its own (the members' names, in one block) besides jansson's.
 */
#include <hedui/verify.h>

#include <jansson.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

static void keep_failure(hd_application *app, int step, const char *field,
                         const char *reason)
{
    if (app->refused && app->refused_step <= step)
        return;
    app->refused = true;
    app->refused_step = step;
    snprintf(app->error_field, sizeof(app->error_field), "%s", field);
    snprintf(app->error_reason, sizeof(app->error_reason), "%s", reason);
}

static void keep_member_failure(hd_application *app, int step, int i,
                                const char *sub, const char *reason)
{
    char field[48];

    if (app->refused && app->refused_step <= step)
        return;
    if (sub)
        snprintf(field, sizeof(field), "members[%d].%s", i, sub);
    else
        snprintf(field, sizeof(field), "members[%d]", i);
    keep_failure(app, step, field, reason);
}

/* Copy at most dst_len - 1 bytes, cut at a code point boundary. */
static void copy_truncated(char *dst, size_t dst_len, const char *s, size_t len)
{
    if (len >= dst_len) {
        len = dst_len - 1;
        while (len > 0 && ((unsigned char)s[len] & 0xc0) == 0x80)
            len--;
    }
    memcpy(dst, s, len);
    dst[len] = '\0';
}

static void read_program(hd_application *app, json_t *v)
{
    const char *s = json_string_value(v);

    app->program = -1;
    if (s) {
        size_t len = json_string_length(v);
        copy_truncated(app->program_name, sizeof(app->program_name), s, len);
        app->program = hd_program_find(s, len);
    }
    if (app->program < 0)
        keep_failure(app, HD_REFUSED_STEP_PROGRAM, "program",
                     "unknown program");
}

static void read_region(hd_application *app, json_t *v)
{
    const char *s = json_string_value(v);
    size_t len = s ? json_string_length(v) : 0;

    if (s && hd_region_code_valid(s, len)) {
        memcpy(app->region, s, 6);
        app->region[6] = '\0';
        return;
    }
    keep_failure(app, HD_REFUSED_STEP_REGION, "region",
                 "not a 6-digit division code");
}

static void read_applied_on(hd_application *app, json_t *v)
{
    const char *s = json_string_value(v);

    app->applied_on = INT32_MIN;
    if (!v) {
        keep_failure(app, HD_REFUSED_STEP_FORM, "applied_on", "missing");
        return;
    }
    if (!s || hd_date_parse(&app->applied_on, s, json_string_length(v), NULL)) {
        app->applied_on = INT32_MIN;
        keep_failure(app, HD_REFUSED_STEP_FORM, "applied_on",
                     "not a date (YYYY-MM-DD)");
    }
}

static bool relation_valid(json_t *v)
{
    const char *s = json_string_value(v);
    return s && json_string_length(v) == 2 && hd_is_digit(s[0]) &&
           hd_is_digit(s[1]);
}

/* Room for every member's name and its NUL, in one block. */
static int names_alloc(hd_application *app, json_t *members, hd_error *err)
{
    size_t total = 1, i;
    json_t *m;
    char *p;

    json_array_foreach(members, i, m)
    {
        json_t *name = json_object_get(m, "name");
        if (i >= HD_MAX_MEMBERS)
            break;
        if (json_is_string(name))
            total += json_string_length(name) + 1;
    }
    p = hd_malloc(total);
    if (!p)
        return hd_error_set(err, HD_ENOMEM, "out of memory");
    p[0] = '\0';
    app->names = p;
    return 0;
}

static int read_members(hd_application *app, json_t *members,
                        hd_pid_rule rules[HD_MAX_MEMBERS], hd_error *err)
{
    size_t count, i, used = 1;
    json_t *m;
    int rc;

    if (!members || json_is_null(members))
        goto none;
    if (!json_is_array(members)) {
        keep_failure(app, HD_REFUSED_STEP_FORM, "members", "not an array");
        return 0;
    }
    count = json_array_size(members);
    if (count == 0)
        goto none;
    if (count > HD_MAX_MEMBERS)
        keep_failure(app, HD_REFUSED_STEP_FORM, "members",
                     "more than 32 members");
    rc = names_alloc(app, members, err);
    if (rc)
        return rc;
    json_array_foreach(members, i, m)
    {
        hd_member *mem;
        json_t *pid, *name, *rel;
        const char *s;
        size_t len;

        if (i >= HD_MAX_MEMBERS)
            break;
        mem = &app->members[app->member_count++];
        mem->name = app->names; /* the empty string at its start */
        if (!json_is_object(m)) {
            keep_member_failure(app, HD_REFUSED_STEP_FORM, (int)i, NULL,
                                "not an object");
            continue;
        }
        pid = json_object_get(m, "pid");
        name = json_object_get(m, "name");
        rel = json_object_get(m, "relation");
        if ((s = json_string_value(pid)) != NULL) {
            len = json_string_length(pid);
            copy_truncated(mem->pid_raw, sizeof(mem->pid_raw), s, len);
            rules[i] = hd_pid_normalize(mem->pid, s, len, NULL);
            if (rules[i] != HD_PID_OK)
                mem->pid[0] = '\0';
        } else {
            keep_member_failure(app, HD_REFUSED_STEP_FORM, (int)i, "pid",
                                "not a string");
        }
        if ((s = json_string_value(name)) != NULL) {
            len = json_string_length(name);
            memcpy(app->names + used, s, len);
            app->names[used + len] = '\0';
            mem->name = app->names + used;
            used += len + 1;
        } else if (name && !json_is_null(name)) {
            keep_member_failure(app, HD_REFUSED_STEP_FORM, (int)i, "name",
                                "not a string");
        }
        if (relation_valid(rel))
            memcpy(mem->relation, json_string_value(rel), 3);
        else
            keep_member_failure(app, HD_REFUSED_STEP_FORM, (int)i, "relation",
                                "not a 2-digit code");
    }
    return 0;
none:
    keep_failure(app, HD_REFUSED_STEP_MEMBERS, "members", "no members");
    return 0;
}

/* A yuan amount given as a decimal string ("1200.00"), not negative. */
static void read_amount(hd_application *app, json_t *declared, const char *key,
                        bool *has, int64_t *fen)
{
    json_t *v = json_object_get(declared, key);
    const char *s = json_string_value(v);
    char field[48];

    if (!v || json_is_null(v))
        return;
    if (s &&
        hd_decimal_parse(fen, s, json_string_length(v), 2, false, NULL) == 0) {
        *has = true;
        return;
    }
    snprintf(field, sizeof(field), "declared.%s", key);
    keep_failure(app, HD_REFUSED_STEP_FORM, field,
                 "not an amount in yuan (\"1200.00\")");
}

static void read_count(hd_application *app, json_t *declared, const char *key,
                       bool *has, int *out)
{
    json_t *v = json_object_get(declared, key);
    char field[48];

    if (!v || json_is_null(v))
        return;
    if (json_is_integer(v) && json_integer_value(v) >= 0 &&
        json_integer_value(v) <= INT_MAX) {
        *out = (int)json_integer_value(v);
        *has = true;
        return;
    }
    snprintf(field, sizeof(field), "declared.%s", key);
    keep_failure(app, HD_REFUSED_STEP_FORM, field, "not a whole number");
}

static void read_declared(hd_application *app, json_t *declared)
{
    hd_declared *d = &app->declared;

    if (!declared || json_is_null(declared))
        return;
    if (!json_is_object(declared)) {
        keep_failure(app, HD_REFUSED_STEP_FORM, "declared", "not an object");
        return;
    }
    read_amount(app, declared, "monthly_income", &d->has_monthly_income,
                &d->monthly_income_fen);
    read_amount(app, declared, "financial_assets", &d->has_financial_assets,
                &d->financial_assets_fen);
    read_count(app, declared, "vehicles", &d->has_vehicles, &d->vehicles);
    read_count(app, declared, "homes", &d->has_homes, &d->homes);
}

/* The GB 11643 check of each member, in declaration order (a pid that
 * is not a string was a form failure, already kept). */
static void check_pids(hd_application *app,
                       const hd_pid_rule rules[HD_MAX_MEMBERS])
{
    for (int i = 0; i < app->member_count; i++) {
        if (rules[i] == HD_PID_OK)
            continue;
        keep_member_failure(app, HD_REFUSED_STEP_PID, i, "pid",
                            hd_pid_rule_name(rules[i]));
        return;
    }
}

static int edata(hd_error *err, const char *field, const char *msg)
{
    hd_error_set(err, HD_EDATA, "%s", msg);
    hd_error_at(err, NULL, 0, 0, field);
    return HD_EDATA;
}

int hd_application_parse(hd_application *out, const char *json, size_t len,
                         hd_error *err)
{
    hd_pid_rule rules[HD_MAX_MEMBERS];
    json_error_t jerr;
    json_t *root = NULL, *no;
    int rc = 0;

    memset(out, 0, sizeof(*out));
    for (int i = 0; i < HD_MAX_MEMBERS; i++)
        rules[i] = HD_PID_OK; /* a pid that is not a string: form */
    out->program = -1;
    out->applied_on = INT32_MIN;
    root = json_loadb(json, len, JSON_REJECT_DUPLICATES, &jerr);
    if (!root) {
        rc = hd_error_set(err, HD_EDATA, "not JSON: %s (column %d)", jerr.text,
                          jerr.column);
        goto out;
    }
    if (!json_is_object(root)) {
        rc = edata(err, NULL, "not a JSON object");
        goto out;
    }
    no = json_object_get(root, "application_no");
    if (!json_is_string(no)) {
        rc = edata(err, "application_no", no ? "not a string" : "missing");
        goto out;
    }
    if (json_string_length(no) == 0 ||
        json_string_length(no) >= HD_APP_NO_MAX ||
        strlen(json_string_value(no)) != json_string_length(no)) {
        rc = edata(err, "application_no",
                   "empty, longer than 63 bytes or holding NUL");
        goto out;
    }
    memcpy(out->application_no, json_string_value(no),
           json_string_length(no) + 1);

    read_program(out, json_object_get(root, "program"));
    read_region(out, json_object_get(root, "region"));
    read_applied_on(out, json_object_get(root, "applied_on"));
    rc = read_members(out, json_object_get(root, "members"), rules, err);
    if (rc)
        goto out;
    read_declared(out, json_object_get(root, "declared"));
    check_pids(out, rules);
out:
    json_decref(root);
    if (rc)
        hd_application_release(out);
    return rc;
}

void hd_application_release(hd_application *app)
{
    hd_free(app->names);
    app->names = NULL;
    for (int i = 0; i < app->member_count; i++)
        app->members[i].name = "";
}
