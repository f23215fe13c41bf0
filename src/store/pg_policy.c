/*
 * Policy versions in the PostgreSQL case store (table policy_version).
 * Two importers at once must not both store the same content or take the
 * same number: the check against the latest version and the insert run
 * in one step that first locks the table against other writers of it
 * (readers are not blocked), until the transaction ends.
 */
#include "store/pg_int.h"

#include <string.h>

static const char sql_lock[] =
    "LOCK TABLE policy_version IN SHARE ROW EXCLUSIVE MODE";
static const char sql_latest_hash[] =
    "SELECT version, sha256 FROM policy_version ORDER BY version DESC LIMIT 1";
static const char sql_insert[] =
    "INSERT INTO policy_version (version, imported_at, source, sha256, "
    "content) VALUES ($1, $2, $3, $4, $5)";
static const char sql_get[] =
    "SELECT version, content FROM policy_version WHERE version = $1";
static const char sql_get_latest[] = "SELECT version, content FROM "
                                     "policy_version ORDER BY version DESC "
                                     "LIMIT 1";

static int put(hd_casestore *cs, int64_t *version_out, const char *source,
               const char *sha256, const char *content, int64_t imported_at,
               hd_error *err)
{
    PGresult *res;
    int64_t latest = 0;
    char version[24], at[24];
    int rc = hd__pg_query(cs, sql_lock, 0, NULL, NULL, err);

    if (rc == 0)
        rc = hd__pg_query(cs, sql_latest_hash, 0, NULL, &res, err);
    if (rc)
        return rc;
    if (PQntuples(res) == 1) {
        latest = hd__pg_int(res, 0, 0);
        if (!strcmp(hd__pg_text(res, 0, 1), sha256)) {
            PQclear(res);
            return 0; /* the same content: nothing to store */
        }
    }
    PQclear(res);
    const char *v[5] = {hd__pg_itoa(version, latest + 1),
                        hd__pg_itoa(at, imported_at), source, sha256, content};
    rc = hd__pg_query(cs, sql_insert, 5, v, NULL, err);
    if (rc == 0 && version_out)
        *version_out = latest + 1;
    return rc;
}

int hd__pg_policy_put(hd_casestore *cs, int64_t *version_out,
                      const char *source, const char *sha256,
                      const char *content, int64_t imported_at, hd_error *err)
{
    int rc = hd__pg_atomic_begin(cs, err);

    if (rc)
        return rc;
    rc = put(cs, version_out, source, sha256, content, imported_at, err);
    rc = hd__pg_atomic_end(cs, rc, err);
    if (rc && version_out)
        *version_out = 0;
    return rc;
}

int hd__pg_policy_get(hd_casestore *cs, char **out, int64_t *version_out,
                      int64_t version, hd_error *err)
{
    char number[24];
    const char *v[1] = {hd__pg_itoa(number, version)};
    PGresult *res;
    int rc = hd__pg_query(cs, version ? sql_get : sql_get_latest,
                          version ? 1 : 0, v, &res, err);

    if (rc)
        return rc;
    if (PQntuples(res) == 0)
        rc = version ? hd_error_set(err, HD_ENOTFOUND,
                                    "case store: no policy version %lld",
                                    (long long)version)
                     : hd_error_set(err, HD_ENOTFOUND,
                                    "case store: no policy imported");
    else if (!(*out = hd_strndup(PQgetvalue(res, 0, 1),
                                 (size_t)PQgetlength(res, 0, 1))))
        rc = hd_error_set(err, HD_ENOMEM, "out of memory");
    else if (version_out)
        *version_out = hd__pg_int(res, 0, 0);
    PQclear(res);
    return rc;
}
