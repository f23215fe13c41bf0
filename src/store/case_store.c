/*
 * Cases, their events and corrections (tables case_file, case_event,
 * case_correction of schema 3), in the portable SQL of hd__sql: one text
 * for both backends. The workflow's rules live in src/cases; this file
 * only keeps rows, and makes a transition a compare and set on the
 * case's version, so that of two users moving one case at once exactly
 * one wins on either backend (PostgreSQL re-reads the row the other
 * committed before it tests the version; SQLite has one writer).
 */
#include "store/store_int.h"

#include <stdio.h>
#include <string.h>

/* ------------------------------------------------------------- helpers */

static void copy(char *out, size_t len, const char *s)
{
    snprintf(out, len, "%s", s ? s : "");
}

/* A date column: "" or NULL is none. */
static int32_t date_col(const char *col)
{
    int32_t d;
    if (!col || !*col || hd_date_parse(&d, col, strlen(col), NULL))
        return HD_CASE_NO_DATE;
    return d;
}

/* A date as the table keeps it; NULL for none (out holds the text). */
static const char *date_arg(char out[HD_DATE_TEXT_MAX], int32_t d)
{
    if (d == HD_CASE_NO_DATE)
        return NULL;
    return hd_date_format(out, d);
}

static const char *opt(const char *s)
{
    return s && *s ? s : NULL;
}

#define CASE_COLS                                                              \
    "case_no, region, program, state, version, opened_by, opened_at, "         \
    "updated_at, report_due, decision_due, objection_until, conclusion, "      \
    "decision, verification_id, corrections_upto, verified_first_at, "         \
    "decided_at"

static void case_from_cols(hd_case_row *r, const char *const *c)
{
    memset(r, 0, sizeof(*r));
    copy(r->case_no, sizeof(r->case_no), c[0]);
    copy(r->region, sizeof(r->region), c[1]);
    copy(r->program, sizeof(r->program), c[2]);
    copy(r->state, sizeof(r->state), c[3]);
    r->version = hd__sql_int(c[4]);
    copy(r->opened_by, sizeof(r->opened_by), c[5]);
    r->opened_at = hd__sql_int(c[6]);
    r->updated_at = hd__sql_int(c[7]);
    r->report_due = date_col(c[8]);
    r->decision_due = date_col(c[9]);
    r->objection_until = date_col(c[10]);
    copy(r->conclusion, sizeof(r->conclusion), c[11]);
    copy(r->decision, sizeof(r->decision), c[12]);
    r->verification_id = hd__sql_int(c[13]);
    r->corrections_upto = hd__sql_int(c[14]);
    r->verified_first_at = hd__sql_int(c[15]);
    r->decided_at = hd__sql_int(c[16]);
}

/* ---------------------------------------------------------------- cases */

static const char create_sql[] =
    "INSERT INTO case_file (" CASE_COLS ") VALUES ($1, $2, $3, $4, 1, $5, "
    "$6, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)";

int hd_casestore_case_create(hd_casestore *cs, const hd_case_row *row,
                             hd_error *err)
{
    char d1[HD_DATE_TEXT_MAX], d2[HD_DATE_TEXT_MAX], d3[HD_DATE_TEXT_MAX];
    int rc;

    if (!cs || !row || !row->case_no[0])
        return hd_error_set(err, HD_EINVAL, "case store: no case");
    rc = hd__sql(
        cs, NULL, NULL, NULL, err, create_sql, "sssssisssssiiii", row->case_no,
        row->region, row->program, row->state, row->opened_by, row->opened_at,
        date_arg(d1, row->report_due), date_arg(d2, row->decision_due),
        date_arg(d3, row->objection_until), opt(row->conclusion),
        opt(row->decision), row->verification_id, row->corrections_upto,
        row->verified_first_at, row->decided_at);
    if (rc == HD_EEXISTS)
        return hd_error_set(err, HD_EEXISTS, "case %s is already registered",
                            row->case_no);
    return rc;
}

typedef struct get_ctx {
    hd_case_row *out;
    bool found;
} get_ctx;

static int take_case(const char *const *cols, int ncols, void *payload)
{
    get_ctx *ctx = payload;
    (void)ncols;
    case_from_cols(ctx->out, cols);
    ctx->found = true;
    return 0;
}

static const char get_sql[] =
    "SELECT " CASE_COLS " FROM case_file WHERE case_no = $1";

int hd_casestore_case_get(hd_casestore *cs, hd_case_row *out,
                          const char *case_no, hd_error *err)
{
    get_ctx ctx = {out, false};
    int rc;

    if (!cs || !out || !case_no)
        return hd_error_set(err, HD_EINVAL, "case store: no case number");
    rc = hd__sql(cs, take_case, &ctx, NULL, err, get_sql, "s", case_no);
    if (rc)
        return rc;
    if (!ctx.found)
        return hd_error_set(err, HD_ENOTFOUND, "no case %s", case_no);
    return 0;
}

static const char update_sql[] =
    "UPDATE case_file SET region = $3, program = $4, state = $5, "
    "version = version + 1, updated_at = $6, report_due = $7, "
    "decision_due = $8, objection_until = $9, conclusion = $10, "
    "decision = $11, verification_id = $12, corrections_upto = $13, "
    "verified_first_at = $14, decided_at = $15 "
    "WHERE case_no = $1 AND version = $2";

static const char last_event_sql[] =
    "SELECT username, role, action, to_state, at FROM case_event "
    "WHERE case_no = $1 ORDER BY id DESC LIMIT 1";

typedef struct last_ctx {
    char text[HD_ERROR_MSG_MAX];
    bool found;
} last_ctx;

static int take_last(const char *const *c, int ncols, void *payload)
{
    last_ctx *ctx = payload;
    (void)ncols;
    snprintf(ctx->text, sizeof(ctx->text), "%s (%s) made it %s with '%s'",
             c[0] ? c[0] : "", c[1] ? c[1] : "", c[3] ? c[3] : "",
             c[2] ? c[2] : "");
    ctx->found = true;
    return 0;
}

int hd_casestore_case_update(hd_casestore *cs, const hd_case_row *row,
                             int64_t expected_version, hd_error *err)
{
    char d1[HD_DATE_TEXT_MAX], d2[HD_DATE_TEXT_MAX], d3[HD_DATE_TEXT_MAX];
    int64_t changes = 0;
    hd_case_row now;
    last_ctx last = {"", false};
    int rc;

    if (!cs || !row)
        return hd_error_set(err, HD_EINVAL, "case store: no case");
    rc = hd__sql(
        cs, NULL, NULL, &changes, err, update_sql, "sisssisssssiiii",
        row->case_no, expected_version, row->region, row->program, row->state,
        row->updated_at, date_arg(d1, row->report_due),
        date_arg(d2, row->decision_due), date_arg(d3, row->objection_until),
        opt(row->conclusion), opt(row->decision), row->verification_id,
        row->corrections_upto, row->verified_first_at, row->decided_at);
    if (rc || changes == 1)
        return rc;
    /* Nobody moved it, or it is not there: say which. */
    rc = hd_casestore_case_get(cs, &now, row->case_no, err);
    if (rc)
        return rc;
    rc = hd__sql(cs, take_last, &last, NULL, err, last_event_sql, "s",
                 row->case_no);
    if (rc)
        return rc;
    return hd_error_set(err, HD_ECONFLICT,
                        "case %s was changed by someone else meanwhile: %s "
                        "(now %s, version %lld)",
                        row->case_no, last.found ? last.text : "unknown",
                        now.state, (long long)now.version);
}

/* ---------------------------------------------------------------- lists */

/*
 * One WHERE for the list and its count. A jurisdiction is a range of
 * region codes ($1 <= region < $2), which the index on (region, state,
 * program, report_due, decision_due, case_no) covers; the optional filters are
 * written so that a NULL parameter passes everything (CAST gives PostgreSQL the
 * type it cannot infer from `$n IS NULL`).
 */
#define LIST_WHERE                                                             \
    " WHERE region >= $1 AND region < $2"                                      \
    " AND (CAST($3 AS TEXT) IS NULL OR state = $3)"                            \
    " AND (CAST($4 AS TEXT) IS NULL OR program = $4)"                          \
    " AND (CAST($5 AS TEXT) IS NULL OR"                                        \
    " (state IN ('registered', 'authorized') AND report_due < $5) OR"          \
    " (state IN ('verified', 'objected', 'corrected') AND"                     \
    " decision_due < $5))"                                                     \
    " AND (CAST($6 AS TEXT) IS NULL OR case_no LIKE $6 ESCAPE '!')"

/* The page is chosen from the covering index alone; only its rows are
 * read from the table. */
static const char list_sql[] =
    "SELECT " CASE_COLS " FROM case_file WHERE case_no IN (SELECT case_no "
    "FROM case_file" LIST_WHERE " ORDER BY case_no LIMIT $7 OFFSET $8) "
    "ORDER BY case_no";
static const char count_sql[] = "SELECT COUNT(*) FROM case_file" LIST_WHERE;

/* The range of region codes a jurisdiction covers: a province PP0000 its
 * PP...., a city PPCC00 its PPCC.., a county itself. */
static int region_range(char lo[8], char hi[8], const char *region,
                        hd_error *err)
{
    size_t n;
    if (!region || !*region) {
        snprintf(lo, 8, "%s", "");
        snprintf(hi, 8, "%s", "a"); /* above every digit */
        return 0;
    }
    if (strlen(region) != 6)
        return hd_error_set(err, HD_EINVAL,
                            "jurisdiction: not a 6-digit region code");
    for (int i = 0; i < 6; i++)
        if (!hd_is_digit((unsigned char)region[i]))
            return hd_error_set(err, HD_EINVAL,
                                "jurisdiction: not a 6-digit region code");
    n = !strcmp(region + 2, "0000") ? 2 : !strcmp(region + 4, "00") ? 4 : 6;
    memcpy(lo, region, n);
    lo[n] = '\0';
    memcpy(hi, region, n);
    hi[n] = '\0';
    hi[n - 1]++; /* '9' + 1 is ':', still above every digit */
    return 0;
}

typedef struct list_ctx {
    int (*fn)(const hd_case_row *row, void *payload);
    void *payload;
} list_ctx;

static int take_listed(const char *const *cols, int ncols, void *payload)
{
    list_ctx *ctx = payload;
    hd_case_row row;
    (void)ncols;
    case_from_cols(&row, cols);
    return ctx->fn(&row, ctx->payload);
}

static int take_count(const char *const *cols, int ncols, void *payload)
{
    (void)ncols;
    *(int64_t *)payload = hd__sql_int(cols[0]);
    return 0;
}

int hd_casestore_case_list(hd_casestore *cs, const hd_case_filter *f,
                           int (*fn)(const hd_case_row *row, void *payload),
                           void *payload, int64_t *total, hd_error *err)
{
    static const hd_case_filter none = {.overdue_on = HD_CASE_NO_DATE};
    char lo[8], hi[8], due[HD_DATE_TEXT_MAX];
    char like[2 * HD_CASE_TEXT_MAX + 3];
    const char *like_arg = NULL, *due_arg;
    list_ctx ctx = {fn, payload};
    int64_t limit, offset;
    int rc;

    if (!cs)
        return hd_error_set(err, HD_EINVAL, "case store: no store");
    if (!f)
        f = &none;
    if ((rc = region_range(lo, hi, f->region, err)) != 0)
        return rc;
    limit = f->limit > 0 ? f->limit : 100;
    if (limit > HD_CASE_LIST_MAX)
        limit = HD_CASE_LIST_MAX;
    offset = f->offset > 0 ? f->offset : 0;
    if (f->all) {
        limit = INT64_MAX; /* LIMIT with no end, on both engines */
        offset = 0;
    }
    due_arg = date_arg(due, f->overdue_on);
    if (f->case_no_part && *f->case_no_part) {
        /* '!' escapes LIKE's own characters in the text asked for. */
        size_t j = 0;
        if (strlen(f->case_no_part) > HD_CASE_TEXT_MAX)
            return hd_error_set(err, HD_EINVAL, "case number text too long");
        like[j++] = '%';
        for (const char *p = f->case_no_part; *p; p++) {
            if (*p == '%' || *p == '_' || *p == '!')
                like[j++] = '!';
            like[j++] = *p;
        }
        like[j++] = '%';
        like[j] = '\0';
        like_arg = like;
    }
    if (total) {
        *total = 0;
        rc = hd__sql(cs, take_count, total, NULL, err, count_sql, "ssssss", lo,
                     hi, opt(f->state), opt(f->program), due_arg, like_arg);
        if (rc)
            return rc;
    }
    if (!fn)
        return 0;
    return hd__sql(cs, take_listed, &ctx, NULL, err, list_sql, "ssssssii", lo,
                   hi, opt(f->state), opt(f->program), due_arg, like_arg, limit,
                   offset);
}

static const char overdue_sql[] =
    "SELECT region,"
    " SUM(CASE WHEN state IN ('registered', 'authorized') AND"
    " report_due < $3 THEN 1 ELSE 0 END),"
    " SUM(CASE WHEN state IN ('verified', 'objected', 'corrected') AND"
    " decision_due < $3 THEN 1 ELSE 0 END)"
    " FROM case_file WHERE region >= $1 AND region < $2 AND"
    " ((state IN ('registered', 'authorized') AND report_due < $3) OR"
    " (state IN ('verified', 'objected', 'corrected') AND"
    " decision_due < $3))"
    " GROUP BY region ORDER BY region";

typedef struct overdue_ctx {
    int (*fn)(const char *region, int64_t reports, int64_t decisions,
              void *payload);
    void *payload;
} overdue_ctx;

static int take_overdue(const char *const *c, int ncols, void *payload)
{
    overdue_ctx *ctx = payload;
    (void)ncols;
    return ctx->fn(c[0] ? c[0] : "", hd__sql_int(c[1]), hd__sql_int(c[2]),
                   ctx->payload);
}

int hd_casestore_case_overdue_counts(
    hd_casestore *cs, const char *region, int32_t on,
    int (*fn)(const char *region, int64_t reports, int64_t decisions,
              void *payload),
    void *payload, hd_error *err)
{
    char lo[8], hi[8], date[HD_DATE_TEXT_MAX];
    overdue_ctx ctx = {fn, payload};
    int rc;

    if (!cs || !fn || on == HD_CASE_NO_DATE)
        return hd_error_set(err, HD_EINVAL, "case store: no date");
    if ((rc = region_range(lo, hi, region, err)) != 0)
        return rc;
    return hd__sql(cs, take_overdue, &ctx, NULL, err, overdue_sql, "sss", lo,
                   hi, hd_date_format(date, on));
}

/* --------------------------------------------------------------- events */

static const char event_add_sql[] =
    "INSERT INTO case_event (case_no, at, username, role, action, "
    "from_state, to_state, reason, detail) VALUES ($1, $2, $3, $4, $5, $6, "
    "$7, $8, $9)";

int hd_casestore_case_event_add(hd_casestore *cs, const hd_case_event *ev,
                                hd_error *err)
{
    if (!cs || !ev || !ev->case_no || !ev->username || !ev->role ||
        !ev->action || !ev->from_state || !ev->to_state || !ev->reason)
        return hd_error_set(err, HD_EINVAL, "case store: incomplete event");
    return hd__sql(cs, NULL, NULL, NULL, err, event_add_sql, "sisssssss",
                   ev->case_no, ev->at, ev->username, ev->role, ev->action,
                   ev->from_state, ev->to_state, ev->reason, ev->detail);
}

static const char events_sql[] =
    "SELECT id, case_no, at, username, role, action, from_state, to_state, "
    "reason, detail FROM case_event WHERE case_no = $1 ORDER BY id";

typedef struct events_ctx {
    int (*fn)(const hd_case_event *ev, void *payload);
    void *payload;
} events_ctx;

static int take_event(const char *const *c, int ncols, void *payload)
{
    events_ctx *ctx = payload;
    hd_case_event ev = {
        .id = hd__sql_int(c[0]),
        .case_no = c[1],
        .at = hd__sql_int(c[2]),
        .username = c[3],
        .role = c[4],
        .action = c[5],
        .from_state = c[6],
        .to_state = c[7],
        .reason = c[8],
        .detail = c[9],
    };
    (void)ncols;
    return ctx->fn(&ev, ctx->payload);
}

int hd_casestore_case_events(hd_casestore *cs, const char *case_no,
                             int (*fn)(const hd_case_event *ev, void *payload),
                             void *payload, hd_error *err)
{
    events_ctx ctx = {fn, payload};
    if (!cs || !case_no || !fn)
        return hd_error_set(err, HD_EINVAL, "case store: no case number");
    return hd__sql(cs, take_event, &ctx, NULL, err, events_sql, "s", case_no);
}

/* ---------------------------------------------------------- corrections */

static const char correction_add_sql[] =
    "INSERT INTO case_correction (case_no, pid, feed, record_key, field, "
    "value, evidence, made_by, made_at) VALUES ($1, $2, $3, $4, $5, $6, $7, "
    "$8, $9) RETURNING id";

static int take_id(const char *const *cols, int ncols, void *payload)
{
    (void)ncols;
    *(int64_t *)payload = hd__sql_int(cols[0]);
    return 0;
}

int hd_casestore_correction_add(hd_casestore *cs, const hd_case_correction *c,
                                int64_t *id_out, hd_error *err)
{
    int64_t id = 0;
    int rc;

    if (!cs || !c || !c->case_no || !c->pid || !c->feed || !c->record_key ||
        !c->evidence || !c->made_by || (c->field == NULL) != (c->value == NULL))
        return hd_error_set(err, HD_EINVAL,
                            "case store: incomplete correction");
    rc = hd__sql(cs, take_id, &id, NULL, err, correction_add_sql, "ssssssssi",
                 c->case_no, c->pid, c->feed, c->record_key, c->field, c->value,
                 c->evidence, c->made_by, c->made_at);
    if (rc == 0 && id_out)
        *id_out = id;
    return rc;
}

static const char corrections_sql[] =
    "SELECT id, case_no, pid, feed, record_key, field, value, evidence, "
    "made_by, made_at FROM case_correction WHERE case_no = $1 ORDER BY id";

typedef struct corr_ctx {
    int (*fn)(const hd_case_correction *c, void *payload);
    void *payload;
} corr_ctx;

static int take_correction(const char *const *c, int ncols, void *payload)
{
    corr_ctx *ctx = payload;
    hd_case_correction row = {
        .id = hd__sql_int(c[0]),
        .case_no = c[1],
        .pid = c[2],
        .feed = c[3],
        .record_key = c[4],
        .field = c[5],
        .value = c[6],
        .evidence = c[7],
        .made_by = c[8],
        .made_at = hd__sql_int(c[9]),
    };
    (void)ncols;
    return ctx->fn(&row, ctx->payload);
}

int hd_casestore_corrections(hd_casestore *cs, const char *case_no,
                             int (*fn)(const hd_case_correction *c,
                                       void *payload),
                             void *payload, hd_error *err)
{
    corr_ctx ctx = {fn, payload};
    if (!cs || !case_no || !fn)
        return hd_error_set(err, HD_EINVAL, "case store: no case number");
    return hd__sql(cs, take_correction, &ctx, NULL, err, corrections_sql, "s",
                   case_no);
}
