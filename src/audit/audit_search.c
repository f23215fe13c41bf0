/*
 * Searching the audit trail (audit.h): the filter is checked here, at
 * the module's boundary, and the store runs the query.
 */
#include <hedui/audit.h>

#include <string.h>

/* A person hash as hd_audit_person_hash writes it: 32 lower-case hex
 * digits. Anything else matches no entry, and is more likely a citizen
 * ID passed by mistake, which must not reach a query. */
static bool person_hash_ok(const char *s)
{
    size_t n = 0;

    for (; s[n]; n++)
        if (!((s[n] >= '0' && s[n] <= '9') || (s[n] >= 'a' && s[n] <= 'f')))
            return false;
    return n == 32;
}

int hd_audit_search(hd_casestore *cs, const hd_audit_filter *filter,
                    int64_t offset, int64_t limit, int64_t *total_out,
                    hd_audit_row_fn fn, void *payload, hd_error *err)
{
    if (!cs || !fn)
        return hd_error_set(err, HD_EINVAL, "audit: no store or callback");
    if (limit < 1 || limit > HD_AUDIT_SEARCH_MAX)
        return hd_error_set(err, HD_EINVAL,
                            "audit: limit must be between 1 and %d",
                            HD_AUDIT_SEARCH_MAX);
    if (offset < 0)
        return hd_error_set(err, HD_EINVAL, "audit: negative offset");
    if (filter && filter->person_hash && !person_hash_ok(filter->person_hash))
        return hd_error_set(err, HD_EINVAL,
                            "audit: a person is searched by the keyed hash "
                            "of its ID (32 hex digits)");
    if (filter && filter->from && filter->to && filter->from > filter->to)
        return hd_error_set(err, HD_EINVAL, "audit: from is after to");
    return hd_casestore_audit_search(cs, filter, offset, limit, total_out, fn,
                                     payload, err);
}
