/*
 * hedui policy: the parameters of spec rules.md ("Parameters"), dated
 * and per region, inherited county -> city -> province -> national.
 *
 * A policy is a set of entries: national defaults, and entries of one
 * region from an effective_from date that set some of the parameters.
 * Resolving it for a county on a date gives one value per parameter and
 * where that value came from (rules.md section 1):
 *
 *   for each parameter, the county's latest entry with effective_from <=
 *   the date that sets it; failing that the city's (code PPCC00), then
 *   the province's (PP0000), then the national default. tekun_standard
 *   defaults to 1.3 x the resolved dibao_standard only when no level
 *   sets it. dibao_standard has no national default.
 *
 * Policies come from the project's own files (docs/policy.md: sources
 * and comments with every value) or the hedui-policy/1 interchange JSON,
 * and are kept in the case store as numbered versions: a result records
 * the version it used.
 *
 * Everything here is pure and reentrant; an hd_policy is immutable once
 * built and may be shared by threads.
 */
#ifndef HEDUI_POLICY_H
#define HEDUI_POLICY_H

#include <hedui/base.h>

/* The parameters, in the order of rules.md's table. */
typedef enum hd_param_id {
    HD_PARAM_DIBAO_STANDARD,
    HD_PARAM_TEKUN_STANDARD,
    HD_PARAM_LOW_INCOME_FACTOR,
    HD_PARAM_INCOME_MONTHS,
    HD_PARAM_FINANCIAL_LIMIT_MONTHS_DIBAO,
    HD_PARAM_FINANCIAL_LIMIT_MONTHS_LOW_INCOME,
    HD_PARAM_VEHICLE_EXEMPT_VALUE,
    HD_PARAM_MAX_HOMES,
    HD_PARAM_MAX_AREA_PER_CAPITA,
    HD_PARAM_ENTERPRISE_CAPITAL_LIMIT,
    HD_PARAM_EARNED_INCOME_DISREGARD,
    HD_PARAM_EXCLUDED_CATEGORIES,
    HD_PARAM_OLD_AGE,
    HD_PARAM_COUNT_
} hd_param_id;

/* "dibao_standard", ... as rules.md names them. */
const char *hd_param_name(hd_param_id id);
/* The id of a name, or -1. */
int hd_param_find(const char *name, size_t len);

/* Factors are decimals with at most 4 places, kept as integers times
 * 10,000: "1.5" is 15000. */
#define HD_FACTOR_SCALE 10000

/*
 * Parameter values. Money in fen, areas in hundredths of m², factors
 * (low_income_factor, financial_limit_months_*) times HD_FACTOR_SCALE.
 * The limits that are products are exact rationals: compare
 * `pci * HD_FACTOR_SCALE < low_income_factor_x10000 * dibao_standard_fen`.
 */
typedef struct hd_param_values {
    int64_t dibao_standard_fen;
    /* tekun_standard x HD_FACTOR_SCALE: the set value times 10,000, or
     * 13000 x dibao_standard_fen when no level sets it. */
    int64_t tekun_standard_x10000;
    int64_t low_income_factor_x10000;
    int income_months;
    int64_t financial_limit_months_dibao_x10000;
    int64_t financial_limit_months_low_income_x10000;
    int64_t vehicle_exempt_value_fen;
    int max_homes;
    bool has_max_area_per_capita; /* false: no limit */
    int64_t max_area_per_capita_m2x100;
    int64_t enterprise_capital_limit_fen;
    int64_t earned_income_disregard_fen;
    /* bit (1 << i) for code index i of tax_income.category */
    uint32_t excluded_categories;
    int old_age;
} hd_param_values;

/* Where one resolved value came from. */
typedef struct hd_param_origin {
    char region[7];         /* "" for the national default */
    int32_t effective_from; /* days since 1970; 0 for national */
    bool is_default;        /* national default, or tekun's 1.3 x dibao */
    const char *source;     /* the source document, or NULL; borrowed
                               from the policy */
} hd_param_origin;

/* The parameters in force for one county on one date. */
typedef struct hd_params {
    hd_param_values v;
    hd_param_origin origin[HD_PARAM_COUNT_];
    int64_t policy_version; /* the stored version resolved, 0 if none */
    char region[7];
    int32_t on;
} hd_params;

typedef struct hd_policy hd_policy;

/*
 * Resolve for `region` (a 6-digit code) on `on`. Returns 0, or
 * HD_ENOTFOUND when no dibao_standard resolves (err says so; *out is
 * still filled with what resolved), HD_EINVAL for a malformed code.
 */
int hd_policy_resolve(hd_params *out, const hd_policy *policy,
                      const char *region, int32_t on, hd_error *err);

/* The version this policy was stored as (0 when it was not). */
int64_t hd_policy_version(const hd_policy *policy);

void hd_policy_free(hd_policy *policy);

#endif
