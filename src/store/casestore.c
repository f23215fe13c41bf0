/*
 * The case store interface: argument checks, then the backend's
 * operations (store_int.h, hd__cs_ops). Callers never see which backend
 * they talk to; a PostgreSQL backend (pg.c) adds a table of operations
 * and a line in hd_casestore_open.
 */
#include "store/store_int.h"

#include <sodium.h>
#include <string.h>

hd_reject hd__reject_from_name(const char *name)
{
    if (!name)
        return HD_REJECT_COUNT_;
    for (int r = 0; r < HD_REJECT_COUNT_; r++)
        if (!strcmp(hd_reject_name((hd_reject)r), name))
            return (hd_reject)r;
    return HD_REJECT_COUNT_;
}

static bool has_prefix(const char *s, const char *prefix)
{
    return strncmp(s, prefix, strlen(prefix)) == 0;
}

int hd_casestore_open(hd_casestore **out, const char *path, hd_error *err)
{
    *out = NULL;
    if (!path || !*path)
        return hd_error_set(err, HD_EINVAL, "case store: no path");
    if (has_prefix(path, "postgresql://") || has_prefix(path, "postgres://"))
        return hd__pg_open(out, path, err);
    return hd__sqlite_open(out, path, err);
}

bool hd_casestore_is_url(const char *path)
{
    return path && (has_prefix(path, "postgresql://") ||
                    has_prefix(path, "postgres://"));
}

const char *hd_casestore_backend(hd_casestore *cs)
{
    return cs->ops->name;
}

int hd_casestore_open_same(hd_casestore **out, hd_casestore *cs, hd_error *err)
{
    int rc;

    *out = NULL;
    rc = cs->ops->open_same(out, cs, err);
    if (rc == 0 && cs->has_audit_key)
        hd_casestore_set_audit_key(*out, cs->audit_key);
    return rc;
}

void hd_casestore_set_audit_key(hd_casestore *cs, const uint8_t key[32])
{
    memcpy(cs->audit_key, key, sizeof(cs->audit_key));
    cs->has_audit_key = true;
}

void hd_casestore_free(hd_casestore *cs)
{
    if (cs) {
        sodium_memzero(cs->audit_key, sizeof(cs->audit_key));
        cs->ops->close(cs);
    }
}

int hd_casestore_schema_version(hd_casestore *cs)
{
    return cs->ops->schema_version(cs);
}

/* The audit chain's head is cached for one transaction only: after it
 * another writer may append. */
bool hd_casestore_in_transaction(hd_casestore *cs)
{
    return cs->ops->in_transaction(cs);
}

int hd_casestore_begin(hd_casestore *cs, hd_error *err)
{
    int rc = cs->ops->begin(cs, err);

    hd__audit_chain_forget(cs);
    if (rc == 0)
        cs->in_txn = true;
    return rc;
}

int hd_casestore_commit(hd_casestore *cs, hd_error *err)
{
    hd__audit_chain_forget(cs);
    cs->in_txn = false;
    return cs->ops->commit(cs, err);
}

void hd_casestore_rollback(hd_casestore *cs)
{
    hd__audit_chain_forget(cs);
    cs->in_txn = false;
    cs->ops->rollback(cs);
}

int hd_casestore_log_ingest(hd_casestore *cs, const hd_ingest_log *log,
                            hd_error *err)
{
    if (!log || !log->delivery_id[0])
        return hd_error_set(err, HD_EINVAL, "case store: no delivery id");
    if (log->feed_count < 0 ||
        log->feed_count > (int)(sizeof(log->feeds) / sizeof(log->feeds[0])))
        return hd_error_set(err, HD_EINVAL, "case store: bad feed count");
    for (int i = 0; i < log->feed_count; i++)
        if (!log->feeds[i].feed)
            return hd_error_set(err, HD_EINVAL,
                                "case store: feed log "
                                "without a feed");
    if ((int)log->reject_reason < 0 || log->reject_reason >= HD_REJECT_COUNT_)
        return hd_error_set(err, HD_EINVAL, "case store: bad reject reason");
    return cs->ops->log_ingest(cs, log, err);
}

int hd_casestore_delivery_accepted(hd_casestore *cs, const char *delivery_id,
                                   hd_error *err)
{
    if (!delivery_id)
        return hd_error_set(err, HD_EINVAL, "case store: no delivery id");
    return cs->ops->delivery_accepted(cs, delivery_id, err);
}

int hd_casestore_quarantine_add(hd_casestore *cs, const hd_quarantine_row *row,
                                hd_error *err)
{
    if (!row || !row->delivery_id || !row->file)
        return hd_error_set(err, HD_EINVAL,
                            "case store: quarantine row without a delivery "
                            "or file");
    if ((int)row->reason < 0 || row->reason >= HD_REJECT_COUNT_)
        return hd_error_set(err, HD_EINVAL, "case store: bad reject reason");
    return cs->ops->quarantine_add(cs, row, err);
}

int hd_casestore_quarantine_list(hd_casestore *cs, const char *delivery_id,
                                 int (*fn)(const hd_quarantine_row *row,
                                           void *payload),
                                 void *payload, hd_error *err)
{
    if (!fn)
        return hd_error_set(err, HD_EINVAL, "case store: no callback");
    return cs->ops->quarantine_list(cs, delivery_id, fn, payload, err);
}

int hd_casestore_feed_status(hd_casestore *cs, hd_feed_status *out,
                             int out_count, hd_error *err)
{
    if (!out || out_count < hd_feed_count)
        return hd_error_set(err, HD_EINVAL,
                            "case store: room for %d feeds is needed",
                            hd_feed_count);
    return cs->ops->feed_status(cs, out, out_count, err);
}

int hd_casestore_ingest_logs(hd_casestore *cs,
                             int (*fn)(const hd_ingest_log *log, void *payload),
                             void *payload, hd_error *err)
{
    if (!fn)
        return hd_error_set(err, HD_EINVAL, "case store: no callback");
    return cs->ops->ingest_logs(cs, fn, payload, err);
}

/* ------------------------------------------------------------ policies */

int hd_casestore_policy_put(hd_casestore *cs, int64_t *version_out,
                            const char *source, const char *sha256,
                            const char *content, int64_t imported_at,
                            hd_error *err)
{
    if (version_out)
        *version_out = 0;
    if (!source || !sha256 || !content)
        return hd_error_set(err, HD_EINVAL,
                            "case store: policy without content");
    return cs->ops->policy_put(cs, version_out, source, sha256, content,
                               imported_at, err);
}

int hd_casestore_policy_get(hd_casestore *cs, char **out, int64_t *version_out,
                            int64_t version, hd_error *err)
{
    *out = NULL;
    if (version_out)
        *version_out = 0;
    if (version < 0)
        return hd_error_set(err, HD_EINVAL, "case store: bad policy version");
    return cs->ops->policy_get(cs, out, version_out, version, err);
}

/* ------------------------------------------------ applications, consents */

int hd_casestore_application_put(hd_casestore *cs,
                                 const hd_application_row *row, bool *stored,
                                 hd_error *err)
{
    *stored = false;
    if (!row || !row->application_no || !row->json)
        return hd_error_set(err, HD_EINVAL, "application without number");
    if (row->member_count < 0 || (row->member_count && !row->member_pids))
        return hd_error_set(err, HD_EINVAL, "application: bad member list");
    return cs->ops->application_put(cs, row, stored, err);
}

int hd_casestore_application_put_many(hd_casestore *cs,
                                      const hd_application_row *rows, int count,
                                      int *rcs, bool *stored, hd_error *err)
{
    if (count < 0 || count > HD_CASESTORE_BATCH)
        return hd_error_set(err, HD_EINVAL, "case store: bad batch size");
    for (int i = 0; i < count; i++) {
        rcs[i] = 0;
        stored[i] = false;
        if (!rows[i].application_no || !rows[i].json ||
            rows[i].member_count < 0 ||
            (rows[i].member_count && !rows[i].member_pids))
            return hd_error_set(err, HD_EINVAL,
                                "application without number or members");
    }
    if (cs->ops->application_put_many)
        return cs->ops->application_put_many(cs, rows, count, rcs, stored, err);
    for (int i = 0; i < count; i++) {
        int rc = cs->ops->application_put(cs, &rows[i], &stored[i], err);
        if (rc == HD_EEXISTS)
            rcs[i] = rc;
        else if (rc)
            return rc;
    }
    return 0;
}

int hd_casestore_application_get(hd_casestore *cs, const char *application_no,
                                 int (*fn)(const hd_application_row *row,
                                           void *payload),
                                 void *payload, hd_error *err)
{
    if (!fn || !application_no)
        return hd_error_set(err, HD_EINVAL, "case store: no callback");
    return cs->ops->application_get(cs, application_no, fn, payload, err);
}

int hd_casestore_consent_put(hd_casestore *cs, const hd_consent_row *row,
                             bool *stored, hd_error *err)
{
    *stored = false;
    if (!row || !row->authorization_id || !row->pid || !row->json)
        return hd_error_set(err, HD_EINVAL, "authorization without id");
    return cs->ops->consent_put(cs, row, stored, err);
}

int hd_casestore_consent_put_many(hd_casestore *cs, const hd_consent_row *rows,
                                  int count, int *rcs, bool *stored,
                                  hd_error *err)
{
    if (count < 0 || count > HD_CASESTORE_BATCH)
        return hd_error_set(err, HD_EINVAL, "case store: bad batch size");
    for (int i = 0; i < count; i++) {
        rcs[i] = 0;
        stored[i] = false;
        if (!rows[i].authorization_id || !rows[i].pid || !rows[i].json)
            return hd_error_set(err, HD_EINVAL, "authorization without id");
    }
    if (cs->ops->consent_put_many)
        return cs->ops->consent_put_many(cs, rows, count, rcs, stored, err);
    for (int i = 0; i < count; i++) {
        int rc = cs->ops->consent_put(cs, &rows[i], &stored[i], err);
        if (rc == HD_EEXISTS)
            rcs[i] = rc;
        else if (rc)
            return rc;
    }
    return 0;
}

int hd_casestore_consent_revoke(hd_casestore *cs, const char *authorization_id,
                                int64_t at, const char *reason, hd_error *err)
{
    if (!authorization_id)
        return hd_error_set(err, HD_EINVAL, "authorization without id");
    return cs->ops->consent_revoke(cs, authorization_id, at, reason, err);
}

int hd_casestore_consents(hd_casestore *cs, const char *pid,
                          int (*fn)(const hd_consent_row *row, void *payload),
                          void *payload, hd_error *err)
{
    if (!fn)
        return hd_error_set(err, HD_EINVAL, "case store: no callback");
    return cs->ops->consents(cs, pid, fn, payload, err);
}

/* ---------------------------------------------- audit log, verifications */

int hd_casestore_audit_add(hd_casestore *cs, const hd_audit_entry *entry,
                           hd_error *err)
{
    int rc;

    if (!entry || !entry->actor || !entry->action || !entry->persons ||
        !entry->feeds || !entry->authorizations || !entry->outcome)
        return hd_error_set(err, HD_EINVAL,
                            "case store: incomplete audit entry");
    if (!cs->has_audit_key)
        return hd_error_set(err, HD_EINVAL,
                            "case store: no audit chain key set: audit "
                            "entries cannot be added");
    if (cs->in_txn)
        return cs->ops->audit_add(cs, entry, err);
    /* Alone: in a transaction of its own, so that the head it chains to
     * is read under the writers' lock and the entry is whole. */
    rc = hd_casestore_begin(cs, err);
    if (rc)
        return rc;
    rc = cs->ops->audit_add(cs, entry, err);
    if (rc == 0)
        rc = hd_casestore_commit(cs, err);
    if (rc)
        hd_casestore_rollback(cs);
    return rc;
}

int hd_casestore_audit_list(hd_casestore *cs, const char *case_no,
                            int (*fn)(int64_t id, const hd_audit_entry *entry,
                                      void *payload),
                            void *payload, hd_error *err)
{
    if (!fn)
        return hd_error_set(err, HD_EINVAL, "case store: no callback");
    return cs->ops->audit_list(cs, case_no, fn, payload, err);
}

int hd_casestore_verification_add(hd_casestore *cs,
                                  const hd_verification_row *row, hd_error *err)
{
    if (!row || !row->application_no || !row->conclusion || !row->record)
        return hd_error_set(err, HD_EINVAL,
                            "case store: incomplete verification");
    return cs->ops->verification_add(cs, row, err);
}

int hd_casestore_verification_latest(hd_casestore *cs,
                                     const char *application_no,
                                     int (*fn)(const hd_verification_row *row,
                                               void *payload),
                                     void *payload, hd_error *err)
{
    if (!fn || !application_no)
        return hd_error_set(err, HD_EINVAL, "case store: no callback");
    return cs->ops->verification_latest(cs, application_no, fn, payload, err);
}
