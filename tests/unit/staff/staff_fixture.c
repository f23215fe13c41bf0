/* The case store of the staff tests, and what they share. */
#include "staff_test.h"

hd_casestore *st_cs;
char st_db[4200];
static char dir[4096];

const hd_staff_actor st_operator = {"cli:uid=1000", true, HD_ROLE_ADMIN, NULL,
                                    NULL};

int st_setup(void **state)
{
    static const uint8_t key[32] = {1, 2, 3, 4, 5, 6, 7, 8};
    hd_error err;

    (void)state;
    hd_error_clear(&err);
    snprintf(dir, sizeof(dir), "%s", tu_tempdir());
    tu_casestore_new(st_db, sizeof(st_db), dir);
    if (hd_casestore_open(&st_cs, st_db, &err))
        fail_msg("open: %s", err.msg);
    hd_casestore_set_audit_key(st_cs, key);
    return 0;
}

int st_teardown(void **state)
{
    (void)state;
    hd_casestore_free(st_cs);
    st_cs = NULL;
    tu_casestore_drop(st_db);
    tu_rmtree(dir);
    return 0;
}

void st_add(const char *username, hd_role role, const char *region,
            const char *password, char *totp_secret)
{
    char uri[HD_STAFF_TOTP_URI_MAX];
    hd_staff_new u = {username, NULL, role, region, password};
    hd_error err;
    const char *s;

    hd_error_clear(&err);
    if (hd_staff_user_add(uri, st_cs, &st_operator, &u, 1000, &err))
        fail_msg("add %s: %s", username, err.msg);
    if (!totp_secret)
        return;
    if (!(s = strstr(uri, "secret=")))
        fail_msg("no secret in '%s'", uri);
    snprintf(totp_secret, HD_TOTP_SECRET_B32_LEN + 1, "%s", s + 7);
}

typedef struct audit_ctx {
    const char *action;
    st_audit a;
} audit_ctx;

static int take(int64_t id, const hd_audit_entry *e, void *payload)
{
    audit_ctx *c = payload;
    (void)id;
    if (c->action && strcmp(c->action, e->action))
        return 0;
    c->a.count++;
    snprintf(c->a.outcome, sizeof(c->a.outcome), "%s", e->outcome);
    snprintf(c->a.actor, sizeof(c->a.actor), "%s", e->actor);
    snprintf(c->a.persons, sizeof(c->a.persons), "%s", e->persons);
    return 0;
}

st_audit st_audit_of(const char *action)
{
    audit_ctx c = {action, {0}};
    hd_error err;

    hd_error_clear(&err);
    if (hd_casestore_audit_list(st_cs, NULL, take, &c, &err))
        fail_msg("audit list: %s", err.msg);
    return c.a;
}

const char *st_code(char out[8], const char *secret_b32, int64_t now)
{
    uint8_t secret[64];
    long len = hd_staff_base32_decode(secret, sizeof(secret), secret_b32);

    assert_true(len > 0);
    snprintf(out, 8, "%06u",
             (unsigned)hd_staff_hotp(secret, (size_t)len,
                                     (uint64_t)(now / HD_TOTP_STEP_S), 6));
    return out;
}
