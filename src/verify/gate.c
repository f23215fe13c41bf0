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

void hd_audit_person_hash(char out[33], const uint8_t key[32], const char *pid)
{
    uint8_t h[16];

    crypto_generichash(h, sizeof(h), (const uint8_t *)pid, strlen(pid), key,
                       32);
    sodium_bin2hex(out, 33, h, sizeof(h));
}
