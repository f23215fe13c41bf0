/*
 * Roles and jurisdictions: what an account is, and which cases it sees.
 * Pure tables and string tests; thread-safe.
 */
#include <hedui/staff.h>
#include <hedui/std.h>

#include <string.h>

static const struct {
    const char *name;
    const char *title;
} roles[HD_ROLE_COUNT_] = {
    [HD_ROLE_CLERK] = {"clerk", "受理员"},
    [HD_ROLE_VERIFIER] = {"verifier", "核对员"},
    [HD_ROLE_APPROVER] = {"approver", "审核确认"},
    [HD_ROLE_AUDITOR] = {"auditor", "审计员"},
    [HD_ROLE_ADMIN] = {"admin", "管理员"},
};

static bool role_valid(hd_role role)
{
    return (int)role >= 0 && role < HD_ROLE_COUNT_;
}

const char *hd_role_name(hd_role role)
{
    return role_valid(role) ? roles[role].name : NULL;
}

const char *hd_role_title(hd_role role)
{
    return role_valid(role) ? roles[role].title : NULL;
}

int hd_role_parse(hd_role *out, const char *name, hd_error *err)
{
    for (int r = 0; name && r < HD_ROLE_COUNT_; r++) {
        if (!strcmp(roles[r].name, name)) {
            *out = (hd_role)r;
            return 0;
        }
    }
    hd_error_set(err, HD_EINVAL,
                 "unknown role %.32s: one of clerk, verifier, approver, "
                 "auditor, admin",
                 name ? name : "(none)");
    hd_error_at(err, NULL, 0, 0, "role");
    return HD_EINVAL;
}

bool hd_role_needs_totp(hd_role role)
{
    return role == HD_ROLE_ADMIN || role == HD_ROLE_AUDITOR;
}

bool hd_role_in(hd_role role, hd_role_mask mask)
{
    return role_valid(role) && (mask & HD_ROLE_BIT(role)) != 0;
}

/* A case's region: a 6-digit division code, or a township's 9 digits
 * (its county's code and 3 digits). */
static bool case_code_valid(const char *code, size_t len)
{
    if (len == 6)
        return hd_region_code_valid(code, 6);
    if (len != 9 || !hd_region_code_valid(code, 6))
        return false;
    for (size_t i = 6; i < 9; i++)
        if (!hd_is_digit(code[i]))
            return false;
    return true;
}

bool hd_staff_region_covers(const char *user_region, const char *case_region)
{
    size_t prefix;

    if (!user_region || !case_region || strlen(user_region) != 6 ||
        !hd_region_code_valid(user_region, 6) ||
        !case_code_valid(case_region, strlen(case_region)))
        return false;
    if (!memcmp(user_region + 2, "0000", 4))
        prefix = 2; /* a province, or a municipality such as 110000 */
    else if (!memcmp(user_region + 4, "00", 2))
        prefix = 4; /* a city */
    else
        prefix = 6; /* a county: itself and its townships */
    return !memcmp(user_region, case_region, prefix);
}

int hd_staff_region_check(const char *code, hd_error *err)
{
    const hd_region *r = NULL;

    if (code && strlen(code) == 6 && hd_region_code_valid(code, 6))
        r = hd_region_find(code, 6);
    if (!r || r->level > HD_REGION_COUNTY) {
        hd_error_set(err, HD_EINVAL,
                     "region %.16s is not a province, city or county code "
                     "of the division table",
                     code ? code : "(none)");
        hd_error_at(err, NULL, 0, 0, "region");
        return HD_EINVAL;
    }
    return 0;
}

int hd_staff_allow(const hd_staff_user *user, hd_role_mask roles_allowed,
                   const char *region, hd_error *err)
{
    const char *name = user ? hd_role_name(user->role) : NULL;

    if (!user || !hd_role_in(user->role, roles_allowed))
        return hd_error_set(err, HD_EDENIED, "the role %s may not do this",
                            name ? name : "(none)");
    if (region && !hd_staff_region_covers(user->region, region))
        return hd_error_set(err, HD_EDENIED,
                            "region %.16s is outside this account's region "
                            "%s",
                            region, user->region);
    return 0;
}

hd_staff_actor hd_staff_actor_of(const hd_staff_user *user)
{
    hd_staff_actor a = {user->username, false, user->role, user->region, NULL};
    return a;
}
