/*
 * The consent gate (design.md principle 3): before any department record
 * of a family is read, every declared member, deceased ones included,
 * must have an unrevoked authorization valid on the application date,
 * with the program among its purposes and a scope covering every feed a
 * verification reads (rules.md section 7). Validity is judged on
 * applied_on, the date rules.md names; revocation counts as soon as it is
 * recorded, for every later read.
 */
#include <hedui/verify.h>

#include <sodium.h>
#include <stdio.h>
#include <string.h>

void hd_gate_check(hd_dossier *d, const hd_authorization *auths,
                   size_t auth_count, int *relied_on)
{
    const hd_application *app = d->app;
    uint32_t mask = hd_verify_feed_mask();

    d->authorized = true;
    d->missing_count = 0;
    for (int m = 0; m < app->member_count; m++) {
        int found = -1;
        for (size_t a = 0; a < auth_count && found < 0; a++)
            if (hd_authorization_covers(&auths[a], app->members[m].pid,
                                        (hd_program)app->program, mask,
                                        app->applied_on))
                found = (int)a;
        if (relied_on)
            relied_on[m] = found;
        if (found < 0) {
            d->authorized = false;
            d->missing[d->missing_count++] = m;
        }
    }
}

/* Split a comma-separated list, calling fn on each trimmed item. */
static int each_item(const char *list,
                     int (*fn)(const char *s, size_t len,
                               hd_authorization *out),
                     hd_authorization *out)
{
    const char *p = list;

    while (*p) {
        const char *end = strchr(p, ',');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        size_t start = 0;
        while (start < len && p[start] == ' ')
            start++;
        while (len > start && p[len - 1] == ' ')
            len--;
        if (len > start) {
            int rc = fn(p + start, len - start, out);
            if (rc)
                return rc;
        }
        if (!end)
            break;
        p = end + 1;
    }
    return 0;
}

static int add_purpose(const char *s, size_t len, hd_authorization *out)
{
    int program = hd_program_find(s, len);
    /* Unknown purposes grant nothing (consent.h). */
    if (program >= 0)
        out->purposes |= 1u << program;
    return 0;
}

static int add_scope(const char *s, size_t len, hd_authorization *out)
{
    const hd_feed *feed;

    if (len == 1 && s[0] == '*') {
        out->scope_all = true;
        return 0;
    }
    feed = hd_feed_find_n(s, len);
    if (!feed)
        return HD_EDATA;
    out->scope_feeds |= 1u << feed->id;
    return 0;
}

int hd_gate_authorization_from_row(hd_authorization *out,
                                   const hd_consent_row *row, hd_error *err)
{
    memset(out, 0, sizeof(*out));
    if (!row->authorization_id || !row->pid || strlen(row->pid) != 18)
        return hd_error_set(err, HD_EDATA,
                            "authorization without an id "
                            "or pid");
    snprintf(out->authorization_id, sizeof(out->authorization_id), "%s",
             row->authorization_id);
    memcpy(out->pid, row->pid, 19);
    if (row->signed_by)
        snprintf(out->signed_by, sizeof(out->signed_by), "%s", row->signed_by);
    if (row->issued_by)
        snprintf(out->issued_by, sizeof(out->issued_by), "%s", row->issued_by);
    out->valid_from = row->valid_from;
    out->valid_until = row->valid_until;
    out->revoked = row->revoked_at != 0;
    each_item(row->purposes ? row->purposes : "", add_purpose, out);
    if (each_item(row->scope ? row->scope : "", add_scope, out))
        return hd_error_set(err, HD_EDATA,
                            "authorization %s: unknown feed in scope",
                            row->authorization_id);
    return 0;
}

void hd_audit_person_hash(char out[33], const uint8_t key[32], const char *pid)
{
    uint8_t h[16];

    crypto_generichash(h, sizeof(h), (const uint8_t *)pid, strlen(pid), key,
                       32);
    sodium_bin2hex(out, 33, h, sizeof(h));
}
