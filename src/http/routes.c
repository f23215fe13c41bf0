/*
 * The service's routes. Adding a route is one line here and its handler
 * in a file of its own; docs/api.md and docs/openapi.json describe every
 * route of this table, and a test holds them to it (roles included).
 */
#include "http/api_int.h"

#define CLERK HD_ROLE_BIT(HD_ROLE_CLERK)
#define VERIFIER HD_ROLE_BIT(HD_ROLE_VERIFIER)
#define APPROVER HD_ROLE_BIT(HD_ROLE_APPROVER)
#define AUDITOR HD_ROLE_BIT(HD_ROLE_AUDITOR)
#define ADMIN HD_ROLE_BIT(HD_ROLE_ADMIN)
#define ANYONE HD_HTTP_AUTH_ANY
#define CASEWORK (CLERK | VERIFIER | APPROVER)

static const hd_http_route routes[] = {
    {"GET", "/api/v1/health", hd__http_health, HD_HTTP_AUTH_NONE, false},
    {"POST", "/api/v1/login", hd__api_login, HD_HTTP_AUTH_NONE, false},
    {"POST", "/api/v1/logout", hd__api_logout, ANYONE, false},
    {"GET", "/api/v1/me", hd__api_me, ANYONE, false},
    {"POST", "/api/v1/me/password", hd__api_me_password, ANYONE, false},

    {"GET", "/api/v1/users", hd__api_users_list, ADMIN, false},
    {"POST", "/api/v1/users", hd__api_users_add, ADMIN, false},
    {"GET", "/api/v1/users/{username}", hd__api_users_get, ADMIN, false},
    {"POST", "/api/v1/users/{username}/role", hd__api_users_role, ADMIN, false},
    {"POST", "/api/v1/users/{username}/disable", hd__api_users_disable, ADMIN,
     false},
    {"POST", "/api/v1/users/{username}/password", hd__api_users_password, ADMIN,
     false},

    {"GET", "/api/v1/cases", hd__api_cases_list, CASEWORK, false},
    /* before {case_no}: the first route that matches answers */
    {"GET", "/api/v1/cases/export", hd__api_cases_export, CASEWORK, false},
    {"POST", "/api/v1/cases", hd__api_cases_register, CLERK, false},
    {"GET", "/api/v1/cases/{case_no}", hd__api_cases_get, CASEWORK, false},
    {"POST", "/api/v1/cases/{case_no}/authorizations",
     hd__api_cases_authorization, CLERK, false},
    {"POST", "/api/v1/cases/{case_no}/verify", hd__api_case_verify, VERIFIER,
     false},
    {"GET", "/api/v1/cases/{case_no}/report", hd__api_case_report, CASEWORK,
     false},
    {"POST", "/api/v1/cases/{case_no}/objection", hd__api_case_object, CLERK,
     false},
    {"POST", "/api/v1/cases/{case_no}/corrections", hd__api_case_correct,
     VERIFIER, false},
    {"POST", "/api/v1/cases/{case_no}/dismissal", hd__api_case_dismiss,
     VERIFIER, false},
    {"POST", "/api/v1/cases/{case_no}/decision", hd__api_case_decide, APPROVER,
     false},
    {"POST", "/api/v1/cases/{case_no}/archive", hd__api_case_archive, APPROVER,
     false},
    {"POST", "/api/v1/authorizations/{authorization_id}/revoke",
     hd__api_authorization_revoke, CLERK, false},

    {"GET", "/api/v1/batches", hd__api_batches_list, VERIFIER, false},
    {"POST", "/api/v1/batches", hd__api_batches_add, VERIFIER, true},
    {"GET", "/api/v1/batches/{id}", hd__api_batches_get, VERIFIER, false},
    {"GET", "/api/v1/batches/{id}/results", hd__api_batches_results, VERIFIER,
     false},

    {"GET", "/api/v1/deliveries", hd__api_deliveries, ADMIN, false},
    {"GET", "/api/v1/deliveries/{delivery_id}/quarantine", hd__api_quarantine,
     ADMIN, false},
    {"GET", "/api/v1/policy", hd__api_policy_show, ADMIN, false},
    {"POST", "/api/v1/policy", hd__api_policy_import, ADMIN, false},

    {"GET", "/api/v1/audit", hd__api_audit_search, AUDITOR, false},
    {"GET", "/api/v1/audit/verify", hd__api_audit_verify, AUDITOR, false},
    {"GET", "/api/v1/dashboard", hd__api_dashboard, CASEWORK | ADMIN, false},
};

const hd_http_route *hd_http_routes(size_t *count)
{
    *count = sizeof(routes) / sizeof(routes[0]);
    return routes;
}
