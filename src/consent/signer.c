/*
 * Who may sign an authorization (feeds.md: "a guardian signs for a minor
 * or a person without capacity"), checked when a clerk records one
 * through the service.
 */
#include "consent/consent_int.h"

#include <jansson.h>
#include <string.h>

#define ADULT_AGE 18

static int refuse(hd_error *err, const char *reason)
{
    hd_error_set(err, HD_EDATA, "%s", reason);
    hd_error_at(err, NULL, 0, 0, "signed_by");
    return HD_EDATA;
}

int hd_authorization_check_signer(const hd_authorization_doc *doc,
                                  hd_error *err)
{
    const hd_authorization *a = &doc->auth;
    bool self = !strcmp(a->pid, a->signed_by);
    int subject_age = hd_age_at(hd_pid_birth(a->pid), a->valid_from);
    int signer_age = hd_age_at(hd_pid_birth(a->signed_by), a->valid_from);
    const char *basis = json_string_value(
        json_object_get((const json_t *)doc->json, "guardian_basis"));

    if (signer_age < ADULT_AGE)
        return refuse(err, "the signer is under 18 on valid_from: a "
                           "guardian signs for a minor");
    if (self)
        return 0;
    if (subject_age < ADULT_AGE)
        return 0; /* a guardian for a minor */
    /* An adult signed for by someone else: only a guardian of a person
     * without capacity, which the clerk attests in the record itself, so
     * that the attestation is signed with it. */
    if (!basis || strcmp(basis, "no_capacity") != 0)
        return refuse(err, "signed by another person for an adult: a "
                           "guardian signs only for a person without "
                           "capacity, stated as \"guardian_basis\": "
                           "\"no_capacity\"");
    return 0;
}
