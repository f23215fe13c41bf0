/*
 * The audit log and verification records in the PostgreSQL case store.
 * A roll adds a million of each in one transaction: both go through COPY
 * buffers (pg_int.h), sent in large pieces and before anything reads.
 */
#include "store/pg_int.h"

#include <string.h>

static const char copy_audit[] =
    "COPY audit_log (at, actor, action, case_no, persons, feeds, "
    "authorizations, outcome, role, region, seq, prev_hash, entry_hash) "
    "FROM STDIN";
static const char sql_audit_all[] =
    "SELECT id, at, actor, action, case_no, persons, feeds, authorizations, "
    "outcome, role, region FROM audit_log ORDER BY id";
static const char sql_audit_case[] =
    "SELECT id, at, actor, action, case_no, persons, feeds, authorizations, "
    "outcome, role, region FROM audit_log WHERE case_no = $1 ORDER BY id";
static const char copy_verification[] =
    "COPY verification (application_no, verified_at, view_seq, "
    "policy_version, conclusion, record) FROM STDIN";
static const char sql_verification_latest[] =
    "SELECT id, application_no, verified_at, view_seq, policy_version, "
    "conclusion, record FROM verification WHERE application_no = $1 "
    "ORDER BY id DESC LIMIT 1";

static void copy_opt_text(hd_buf *b, const char *s)
{
    if (s)
        hd__pg_copy_text(b, s, strlen(s));
    else
        hd__pg_copy_null(b);
}

int hd__pg_audit_add(hd_casestore *cs, const hd_audit_entry *entry,
                     hd_error *err)
{
    char prev[HD_AUDIT_HASH_HEX], hash[HD_AUDIT_HASH_HEX];
    int64_t seq;
    hd_buf *b;
    int rc;

    /* The head is read (and the chain's lock taken) before the row is
     * queued: that read sends the rows waiting in the COPY buffers. */
    rc = hd__audit_chain_next(cs, entry, &seq, prev, hash, err);
    if (rc)
        return rc;
    if (!(b = hd__pg_copy_buffer(cs, copy_audit, err)))
        return HD_EINVAL;
    hd__pg_copy_int(b, entry->at);
    copy_opt_text(b, entry->actor);
    copy_opt_text(b, entry->action);
    copy_opt_text(b, entry->case_no);
    copy_opt_text(b, entry->persons);
    copy_opt_text(b, entry->feeds);
    copy_opt_text(b, entry->authorizations);
    copy_opt_text(b, entry->outcome);
    copy_opt_text(b, entry->role);
    copy_opt_text(b, entry->region);
    hd__pg_copy_int(b, seq);
    copy_opt_text(b, prev);
    copy_opt_text(b, hash);
    rc = hd__pg_copy_row_end(cs, b, err);
    /* A row that fails when the buffer is sent fails the transaction,
     * whose end forgets the head. */
    if (rc == 0)
        hd__audit_chain_advance(cs, seq, hash);
    return rc;
}

typedef struct audit_walk {
    int (*fn)(int64_t id, const hd_audit_entry *entry, void *payload);
    void *payload;
} audit_walk;

static int each_audit(const PGresult *res, int r, void *payload)
{
    audit_walk *w = payload;
    hd_audit_entry e = {
        .at = hd__pg_int(res, r, 1),
        .actor = hd__pg_opt_text(res, r, 2),
        .action = hd__pg_opt_text(res, r, 3),
        .case_no = hd__pg_opt_text(res, r, 4),
        .persons = hd__pg_opt_text(res, r, 5),
        .feeds = hd__pg_opt_text(res, r, 6),
        .authorizations = hd__pg_opt_text(res, r, 7),
        .outcome = hd__pg_opt_text(res, r, 8),
        .role = hd__pg_opt_text(res, r, 9),
        .region = hd__pg_opt_text(res, r, 10),
    };
    return w->fn(hd__pg_int(res, r, 0), &e, w->payload);
}

int hd__pg_audit_list(hd_casestore *cs, const char *case_no,
                      int (*fn)(int64_t id, const hd_audit_entry *entry,
                                void *payload),
                      void *payload, hd_error *err)
{
    audit_walk w = {fn, payload};

    return case_no ? hd__pg_each(cs, sql_audit_case, 1, &case_no, 0, each_audit,
                                 &w, err)
                   : hd__pg_each(cs, sql_audit_all, 0, NULL, 0, each_audit, &w,
                                 err);
}

int hd__pg_verification_add(hd_casestore *cs, const hd_verification_row *row,
                            hd_error *err)
{
    hd_buf *b = hd__pg_copy_buffer(cs, copy_verification, err);

    if (!b)
        return HD_EINVAL;
    copy_opt_text(b, row->application_no);
    hd__pg_copy_int(b, row->verified_at);
    hd__pg_copy_int(b, row->view_seq);
    hd__pg_copy_int(b, row->policy_version);
    copy_opt_text(b, row->conclusion);
    copy_opt_text(b, row->record);
    return hd__pg_copy_row_end(cs, b, err);
}

int hd__pg_verification_latest(hd_casestore *cs, const char *application_no,
                               int (*fn)(const hd_verification_row *row,
                                         void *payload),
                               void *payload, hd_error *err)
{
    PGresult *res;
    int rc = hd__pg_query(cs, sql_verification_latest, 1, &application_no, &res,
                          err);

    if (rc)
        return rc;
    if (PQntuples(res) == 0) {
        rc = hd_error_set(err, HD_ENOTFOUND,
                          "no verification of application %s", application_no);
    } else {
        hd_verification_row row = {
            .id = hd__pg_int(res, 0, 0),
            .application_no = hd__pg_opt_text(res, 0, 1),
            .verified_at = hd__pg_int(res, 0, 2),
            .view_seq = (uint32_t)hd__pg_int(res, 0, 3),
            .policy_version = hd__pg_int(res, 0, 4),
            .conclusion = hd__pg_opt_text(res, 0, 5),
            .record = hd__pg_opt_text(res, 0, 6),
        };
        rc = fn(&row, payload);
    }
    PQclear(res);
    return rc;
}
