/* Shared by the staff tests that use a case store (staff_fixture.c). */
#ifndef HEDUI_STAFF_TEST_H
#define HEDUI_STAFF_TEST_H

#include "testutil.h"

#include <hedui/staff.h>

#include <stdio.h>
#include <string.h>

/* The store of the running test, on the backend CTest chose, with an
 * audit key set. */
extern hd_casestore *st_cs;
extern char st_db[4200];

int st_setup(void **state);
int st_teardown(void **state);

/* The server's command line as the actor. */
extern const hd_staff_actor st_operator;

/* Add an account as the operator (fails the test when refused);
 * `totp_secret` (may be NULL) gets the base32 secret of the URI. */
void st_add(const char *username, hd_role role, const char *region,
            const char *password, char *totp_secret);

/* Audit entries with `action` (NULL: all); the last one's outcome and
 * actor are kept. */
typedef struct st_audit {
    int count;
    char outcome[160];
    char actor[64];
    char persons[16];
} st_audit;
st_audit st_audit_of(const char *action);

/* The current 6-digit code of a base32 secret at `now`. */
const char *st_code(char out[8], const char *secret_b32, int64_t now);

#endif
