/*
 * Applications and authorizations in the PostgreSQL case store (tables
 * application, application_member and consent). A put is one INSERT ...
 * ON CONFLICT DO NOTHING in the common case; only when nothing was
 * inserted does a SELECT tell "the same record again" from "another
 * record under the same id". Two writers of one id at once: the second
 * waits for the first's commit, inserts nothing and finds the first's
 * record, so it is told of the conflict and nothing is lost.
 *
 * Puts come in batches (an import, a roll: a million of them): each
 * column of a batch goes as one array parameter of one INSERT ... SELECT
 * FROM unnest(...). One statement a row cost the server about 40 us each
 * in protocol and executor overhead, more than the insert itself (and a
 * staging table, emptied per batch, grew with dead rows within a roll's
 * one transaction). Members follow their application through a COPY
 * buffer.
 */
#include "store/pg_int.h"

#include <hedui/std.h>

#include <limits.h>
#include <stdlib.h>
#include <string.h>

/* A batch's columns as arrays, inserted in batch order, so that of two
 * rows with one number the first is stored, as one put after another
 * would be. */
static const char sql_app_insert[] =
    "INSERT INTO application (application_no, program, region, applied_on, "
    "refused_field, refused_reason, json, recorded_at) "
    "SELECT c1, c2, c3, c4, c5, c6, c7, c8 FROM unnest($1::text[], "
    "$2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], "
    "$8::bigint[]) WITH ORDINALITY AS s(c1, c2, c3, c4, c5, c6, c7, c8, n) "
    "ORDER BY n ON CONFLICT (application_no) DO NOTHING "
    "RETURNING application_no";
/* Rows $3 (0-based) of ids $1 and JSON $2: is the stored JSON theirs? */
static const char sql_app_same[] =
    "SELECT s.n - 1, a.json = s.j COLLATE \"C\" "
    "FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS s(id, j, n) "
    "JOIN application a ON a.application_no = s.id COLLATE \"C\" "
    "WHERE s.n - 1 = ANY ($3::int[])";
static const char copy_members[] =
    "COPY application_member (application_no, pos, pid) FROM STDIN";
static const char sql_app_get[] =
    "SELECT application_no, program, region, applied_on, refused_field, "
    "refused_reason, json, recorded_at FROM application "
    "WHERE application_no = $1";
static const char sql_app_members[] =
    "SELECT pid FROM application_member WHERE application_no = $1 "
    "ORDER BY pos";
static const char sql_consent_insert[] =
    "INSERT INTO consent (authorization_id, pid, signed_by, purposes, scope, "
    "valid_from, valid_until, issued_by, json, recorded_at, revoked_at, "
    "revoked_reason) SELECT c1, c2, c3, c4, c5, c6, c7, c8, c9, c10, c11, c12 "
    "FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], "
    "$6::text[], $7::text[], $8::text[], $9::text[], $10::bigint[], "
    "$11::bigint[], $12::text[]) WITH ORDINALITY AS s(c1, c2, c3, c4, c5, "
    "c6, c7, c8, c9, c10, c11, c12, n) ORDER BY n "
    "ON CONFLICT (authorization_id) DO NOTHING RETURNING authorization_id";
static const char sql_consent_same[] =
    "SELECT s.n - 1, c.json = s.j COLLATE \"C\" "
    "FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS s(id, j, n) "
    "JOIN consent c ON c.authorization_id = s.id COLLATE \"C\" "
    "WHERE s.n - 1 = ANY ($3::int[])";
static const char sql_consent_exists[] =
    "SELECT 1 FROM consent WHERE authorization_id = $1";
static const char sql_consent_revoke[] =
    "UPDATE consent SET revoked_at = $2, revoked_reason = $3 "
    "WHERE authorization_id = $1 AND revoked_at IS NULL";
/* Everyone in pid order, as SQLite's covering index gives them (pid,
 * then authorization id), without the JSON. */
static const char sql_consents_all[] =
    "SELECT authorization_id, pid, signed_by, purposes, scope, valid_from, "
    "valid_until, issued_by, NULL, recorded_at, revoked_at, revoked_reason "
    "FROM consent ORDER BY pid, authorization_id";
static const char sql_consents_one[] =
    "SELECT authorization_id, pid, signed_by, purposes, scope, valid_from, "
    "valid_until, issued_by, json, recorded_at, revoked_at, revoked_reason "
    "FROM consent WHERE pid = $1 ORDER BY rowid";

static const char *date_text(char buf[HD_DATE_TEXT_MAX], int32_t date)
{
    if (date == INT32_MIN)
        return "";
    hd_date_format(buf, date);
    return buf;
}

static int32_t date_value(const char *text)
{
    int32_t d = INT32_MIN;
    if (*text && hd_date_parse(&d, text, strlen(text), NULL))
        d = INT32_MIN;
    return d;
}

/* Did the statement change one row? */
static bool one_row(const PGresult *res)
{
    return !strcmp(PQcmdTuples((PGresult *)res), "1");
}

/* How one kind of record is inserted many at a time. */
typedef struct batch_kind {
    const char *insert_sql; /* arrays $1.. in column order; RETURNING ids */
    const char *same_sql;   /* ids, JSON, rows: is the stored JSON theirs? */
    int columns;            /* values a row has (the id first) */
    int json_column;
} batch_kind;

static const batch_kind app_kind = {sql_app_insert, sql_app_same, 8, 6};
static const batch_kind consent_kind = {sql_consent_insert, sql_consent_same,
                                        12, 8};

/* One column of a batch as an array literal: {"v",NULL,...}, each value
 * quoted with its backslashes and quotes escaped. */
static void array_literal(hd_buf *b, const char *const *const *values,
                          int count, int column)
{
    hd_buf_reset(b);
    hd_buf_putc(b, '{');
    for (int i = 0; i < count; i++) {
        const char *v = values[i][column];
        if (i)
            hd_buf_putc(b, ',');
        if (!v) {
            hd_buf_puts(b, "NULL");
            continue;
        }
        hd_buf_putc(b, '"');
        for (const char *p = v; *p; p++) {
            size_t run = strcspn(p, "\\\"");
            hd_buf_append(b, p, run);
            p += run;
            if (!*p)
                break;
            hd_buf_putc(b, '\\');
            hd_buf_putc(b, *p);
        }
        hd_buf_putc(b, '"');
    }
    hd_buf_putc(b, '}');
}

static int cmp_text(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Which rows were stored: the first row of each id the INSERT returned
 * (rows of one id after it were not). */
static int note_stored(const PGresult *res, const char *const *const *values,
                       int count, bool *stored, hd_error *err)
{
    int n = PQntuples(res);
    const char **ids = hd_calloc((size_t)n + 1, sizeof(*ids));
    bool *taken = hd_calloc((size_t)n + 1, sizeof(*taken));

    if (!ids || !taken) {
        hd_free(ids);
        hd_free(taken);
        return hd_error_set(err, HD_ENOMEM, "out of memory");
    }
    for (int r = 0; r < n; r++)
        ids[r] = PQgetvalue(res, r, 0);
    qsort(ids, (size_t)n, sizeof(*ids), cmp_text);
    for (int i = 0; i < count; i++) {
        const char **at =
            bsearch(&values[i][0], ids, (size_t)n, sizeof(*ids), cmp_text);
        stored[i] = at && !taken[at - ids];
        if (stored[i])
            taken[at - ids] = true;
    }
    hd_free(ids);
    hd_free(taken);
    return 0;
}

/* For the rows not stored: the same record already there (rcs 0), or
 * another record under the id (HD_EEXISTS). `cols` holds the batch's
 * columns as array literals. */
static int compare_unstored(hd_casestore *cs, const batch_kind *kind, int count,
                            const bool *stored, const hd_buf *cols, int *rcs,
                            hd_error *err)
{
    hd_buf list;
    PGresult *res;
    int rc, found = 0, wanted = 0;

    hd_buf_init(&list, HD_BUF_DEFAULT_MAX);
    hd_buf_putc(&list, '{');
    for (int i = 0; i < count; i++)
        if (!stored[i])
            hd_buf_printf(&list, "%s%d", wanted++ ? "," : "", i);
    hd_buf_putc(&list, '}');
    if (!wanted || hd_buf_error(&list)) {
        hd_buf_release(&list);
        return wanted ? hd_error_set(err, HD_ENOMEM, "out of memory") : 0;
    }
    const char *v[3] = {cols[0].ptr, cols[kind->json_column].ptr, list.ptr};
    rc = hd__pg_query(cs, kind->same_sql, 3, v, &res, err);
    hd_buf_release(&list);
    if (rc)
        return rc;
    for (int r = 0; r < PQntuples(res); r++) {
        int i = (int)hd__pg_int(res, r, 0);
        if (i >= 0 && i < count && !stored[i]) {
            rcs[i] = !strcmp(hd__pg_text(res, r, 1), "t") ? 0 : HD_EEXISTS;
            found++;
        }
    }
    PQclear(res);
    if (found != wanted)
        return hd_error_set(err, HD_ESTORE,
                            "case store: a record vanished while stored");
    return 0;
}

/*
 * Put `count` rows of `kind`, values[i] the row's text values (NULL for
 * SQL NULL) in the stored table's column order, in one statement, and
 * tell each row's outcome (stored[i]; rcs[i] 0, or HD_EEXISTS for another
 * record under its id).
 */
static int insert_new(hd_casestore *cs, const batch_kind *kind, int count,
                      const char *const *const *values, int *rcs, bool *stored,
                      hd_error *err)
{
    hd_buf cols[12];
    const char *params[12];
    PGresult *res = NULL;
    int rc = 0;

    for (int c = 0; c < kind->columns; c++) {
        hd_buf_init(&cols[c], HD_BUF_DEFAULT_MAX);
        array_literal(&cols[c], values, count, c);
        if (hd_buf_error(&cols[c]))
            rc = hd_error_set(err, HD_ENOMEM, "out of memory");
        params[c] = cols[c].ptr;
    }
    for (int i = 0; i < count; i++) {
        rcs[i] = 0;
        stored[i] = false;
    }
    if (rc == 0)
        rc = hd__pg_query(cs, kind->insert_sql, kind->columns, params, &res,
                          err);
    if (rc == 0)
        rc = note_stored(res, values, count, stored, err);
    PQclear(res);
    if (rc == 0)
        rc = compare_unstored(cs, kind, count, stored, cols, rcs, err);
    for (int c = 0; c < kind->columns; c++)
        hd_buf_release(&cols[c]);
    return rc;
}

/* --------------------------------------------------------- applications */

/* One application's INSERT parameters, with the texts they point at. */
typedef struct app_params {
    const char *v[8];
    char applied[HD_DATE_TEXT_MAX];
    char at[24];
    char *json; /* a copy when the row gives the JSON by length */
} app_params;

static int app_params_fill(app_params *p, const hd_application_row *row)
{
    size_t len = row->json_len ? row->json_len : strlen(row->json);

    /* Parameters are NUL-terminated text: a JSON given by length is
     * copied. */
    if (row->json_len && !(p->json = hd_strndup(row->json, len)))
        return HD_ENOMEM;
    p->v[0] = row->application_no;
    p->v[1] = row->program ? row->program : "";
    p->v[2] = row->region ? row->region : "";
    p->v[3] = date_text(p->applied, row->applied_on);
    p->v[4] = row->refused_field;
    p->v[5] = row->refused_reason;
    p->v[6] = p->json ? p->json : row->json;
    p->v[7] = hd__pg_itoa(p->at, row->recorded_at);
    return 0;
}

static int add_members(hd_casestore *cs, const hd_application_row *row,
                       hd_error *err)
{
    hd_buf *b = hd__pg_copy_buffer(cs, copy_members, err);
    int rc = 0;

    if (!b)
        return HD_EINVAL;
    for (int i = 0; rc == 0 && i < row->member_count; i++) {
        const char *pid = row->member_pids[i] ? row->member_pids[i] : "";
        hd__pg_copy_text(b, row->application_no, strlen(row->application_no));
        hd__pg_copy_int(b, i);
        hd__pg_copy_text(b, pid, strlen(pid));
        rc = hd__pg_copy_row_end(cs, b, err);
    }
    return rc;
}

static int app_put_many(hd_casestore *cs, const hd_application_row *rows,
                        int count, app_params *p, int *rcs, bool *stored,
                        hd_error *err)
{
    const char *const *values[HD_CASESTORE_BATCH] = {0};
    int rc = 0;

    for (int i = 0; rc == 0 && i < count; i++) {
        if (app_params_fill(&p[i], &rows[i]))
            rc = hd_error_set(err, HD_ENOMEM, "out of memory");
        values[i] = p[i].v;
    }
    if (rc == 0)
        rc = insert_new(cs, &app_kind, count, values, rcs, stored, err);
    for (int i = 0; rc == 0 && i < count; i++)
        if (stored[i])
            rc = add_members(cs, &rows[i], err);
    return rc;
}

int hd__pg_application_put_many(hd_casestore *cs,
                                const hd_application_row *rows, int count,
                                int *rcs, bool *stored, hd_error *err)
{
    app_params *p = hd_calloc((size_t)count + 1, sizeof(*p));
    int rc;

    if (!p)
        return hd_error_set(err, HD_ENOMEM, "out of memory");
    rc = hd__pg_atomic_begin(cs, err);
    if (rc == 0) {
        rc = app_put_many(cs, rows, count, p, rcs, stored, err);
        rc = hd__pg_atomic_end(cs, rc, err);
    }
    for (int i = 0; i < count; i++) {
        hd_free(p[i].json);
        if (rc)
            stored[i] = false;
    }
    hd_free(p);
    return rc;
}

int hd__pg_application_put(hd_casestore *cs, const hd_application_row *row,
                           bool *stored, hd_error *err)
{
    int rcs;
    int rc = hd__pg_application_put_many(cs, row, 1, &rcs, stored, err);

    if (rc == 0 && rcs == HD_EEXISTS)
        rc = hd_error_set(err, HD_EEXISTS,
                          "application %s is already recorded with other "
                          "content",
                          row->application_no);
    return rc;
}

int hd__pg_application_get(hd_casestore *cs, const char *application_no,
                           int (*fn)(const hd_application_row *row,
                                     void *payload),
                           void *payload, hd_error *err)
{
    PGresult *res = NULL, *members = NULL;
    const char **pids = NULL;
    hd_application_row row;
    int rc, count;

    rc = hd__pg_query(cs, sql_app_members, 1, &application_no, &members, err);
    if (rc == 0)
        rc = hd__pg_query(cs, sql_app_get, 1, &application_no, &res, err);
    if (rc)
        goto out;
    if (PQntuples(res) == 0) {
        rc = hd_error_set(err, HD_ENOTFOUND, "no application %s",
                          application_no);
        goto out;
    }
    count = PQntuples(members);
    pids = hd_calloc((size_t)count + 1, sizeof(*pids));
    if (!pids) {
        rc = hd_error_set(err, HD_ENOMEM, "out of memory");
        goto out;
    }
    for (int i = 0; i < count; i++)
        pids[i] = hd__pg_text(members, i, 0);
    memset(&row, 0, sizeof(row));
    row.application_no = hd__pg_text(res, 0, 0);
    row.program = hd__pg_text(res, 0, 1);
    row.region = hd__pg_text(res, 0, 2);
    row.applied_on = date_value(hd__pg_text(res, 0, 3));
    row.refused_field = hd__pg_opt_text(res, 0, 4);
    row.refused_reason = hd__pg_opt_text(res, 0, 5);
    row.json = hd__pg_text(res, 0, 6);
    row.json_len = (size_t)PQgetlength(res, 0, 6);
    row.recorded_at = hd__pg_int(res, 0, 7);
    row.member_count = count;
    row.member_pids = pids;
    rc = fn(&row, payload);
out:
    PQclear(res);
    PQclear(members);
    hd_free(pids);
    return rc;
}

/* ------------------------------------------------------------- consents */

/* One authorization's INSERT parameters, with the texts they point at. */
typedef struct consent_params {
    const char *v[12];
    char from[HD_DATE_TEXT_MAX], until[HD_DATE_TEXT_MAX], at[24], rev[24];
} consent_params;

static void consent_params_fill(consent_params *p, const hd_consent_row *row)
{
    p->v[0] = row->authorization_id;
    p->v[1] = row->pid;
    p->v[2] = row->signed_by ? row->signed_by : "";
    p->v[3] = row->purposes ? row->purposes : "";
    p->v[4] = row->scope ? row->scope : "";
    p->v[5] = date_text(p->from, row->valid_from);
    p->v[6] = date_text(p->until, row->valid_until);
    p->v[7] = row->issued_by ? row->issued_by : "";
    p->v[8] = row->json;
    p->v[9] = hd__pg_itoa(p->at, row->recorded_at);
    p->v[10] = row->revoked_at ? hd__pg_itoa(p->rev, row->revoked_at) : NULL;
    p->v[11] = row->revoked_reason;
}

static int consent_put_many(hd_casestore *cs, const hd_consent_row *rows,
                            int count, consent_params *p, int *rcs,
                            bool *stored, hd_error *err)
{
    const char *const *values[HD_CASESTORE_BATCH] = {0};

    for (int i = 0; i < count; i++) {
        consent_params_fill(&p[i], &rows[i]);
        values[i] = p[i].v;
    }
    return insert_new(cs, &consent_kind, count, values, rcs, stored, err);
}

int hd__pg_consent_put_many(hd_casestore *cs, const hd_consent_row *rows,
                            int count, int *rcs, bool *stored, hd_error *err)
{
    consent_params *p = hd_calloc((size_t)count + 1, sizeof(*p));
    int rc;

    if (!p)
        return hd_error_set(err, HD_ENOMEM, "out of memory");
    rc = hd__pg_atomic_begin(cs, err);
    if (rc == 0) {
        rc = consent_put_many(cs, rows, count, p, rcs, stored, err);
        rc = hd__pg_atomic_end(cs, rc, err);
    }
    for (int i = 0; rc && i < count; i++)
        stored[i] = false;
    hd_free(p);
    return rc;
}

int hd__pg_consent_put(hd_casestore *cs, const hd_consent_row *row,
                       bool *stored, hd_error *err)
{
    int rcs;
    int rc = hd__pg_consent_put_many(cs, row, 1, &rcs, stored, err);

    if (rc == 0 && rcs == HD_EEXISTS)
        rc = hd_error_set(err, HD_EEXISTS,
                          "authorization %s is already recorded with other "
                          "content",
                          row->authorization_id);
    return rc;
}

int hd__pg_consent_revoke(hd_casestore *cs, const char *authorization_id,
                          int64_t at, const char *reason, hd_error *err)
{
    char when[24];
    const char *v[3] = {authorization_id, hd__pg_itoa(when, at), reason};
    PGresult *res;
    int rc = hd__pg_query(cs, sql_consent_revoke, 3, v, &res, err);

    if (rc)
        return rc;
    rc = one_row(res);
    PQclear(res);
    if (rc)
        return 0;
    /* Nothing changed: revoked already (the first revocation stands), or
     * unknown. */
    rc = hd__pg_query(cs, sql_consent_exists, 1, &authorization_id, &res, err);
    if (rc)
        return rc;
    if (PQntuples(res) == 0)
        rc = hd_error_set(err, HD_ENOTFOUND, "no authorization %s",
                          authorization_id);
    PQclear(res);
    return rc;
}

typedef struct consent_walk {
    int (*fn)(const hd_consent_row *row, void *payload);
    void *payload;
} consent_walk;

static int each_consent(const PGresult *res, int r, void *payload)
{
    consent_walk *w = payload;
    hd_consent_row row = {
        .authorization_id = hd__pg_text(res, r, 0),
        .pid = hd__pg_text(res, r, 1),
        .signed_by = hd__pg_text(res, r, 2),
        .purposes = hd__pg_text(res, r, 3),
        .scope = hd__pg_text(res, r, 4),
        .valid_from = date_value(hd__pg_text(res, r, 5)),
        .valid_until = date_value(hd__pg_text(res, r, 6)),
        .issued_by = hd__pg_text(res, r, 7),
        .json = hd__pg_text(res, r, 8),
        .recorded_at = hd__pg_int(res, r, 9),
        .revoked_at = hd__pg_int(res, r, 10),
        .revoked_reason = hd__pg_opt_text(res, r, 11),
    };
    return w->fn(&row, w->payload);
}

int hd__pg_consents(hd_casestore *cs, const char *pid,
                    int (*fn)(const hd_consent_row *row, void *payload),
                    void *payload, hd_error *err)
{
    consent_walk w = {fn, payload};

    if (!pid)
        return hd__pg_each(cs, sql_consents_all, 0, NULL, 0, each_consent, &w,
                           err);
    /* One person's few: one round trip, no cursor. */
    PGresult *res;
    int rc = hd__pg_query(cs, sql_consents_one, 1, &pid, &res, err);
    for (int r = 0; rc == 0 && r < PQntuples(res); r++)
        rc = each_consent(res, r, &w);
    PQclear(res);
    return rc;
}
