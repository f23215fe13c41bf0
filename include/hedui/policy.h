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
    /* The parameters of rules.md end here; what follows are the case
     * workflow's deadlines in working days (docs/cases.md), which no
     * verification reads and no report's policy block lists. */
    HD_PARAM_RULES_COUNT_,
    HD_PARAM_REPORT_DAYS = HD_PARAM_RULES_COUNT_,
    HD_PARAM_DECISION_DAYS,
    HD_PARAM_OBJECTION_DAYS,
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
    /* Working days from registration to the report due date, from the
     * report to the decision due date, and of the family's objection
     * window after the report. */
    int report_days;
    int decision_days;
    int objection_days;
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

/* ------------------------------------------------------------ reading */

/*
 * The project's own policy file format (docs/policy.md): sections
 * `[national]` and `[REGION YYYY-MM-DD]`, `key = value` lines, a
 * `source = ...` line in force for every parameter. Errors are HD_EDATA
 * with err's file (`name`), line and field (the parameter, or "region",
 * "effective_from", "source") set; a text with an error gives no policy.
 * `text` need not be NUL-terminated.
 */
int hd_policy_parse_mem(hd_policy **out, const char *name, const char *text,
                        size_t len, hd_error *err);

/*
 * Read a policy from `path`: a file ending in ".json" is the
 * hedui-policy/1 interchange form; a directory is every "*.policy" file
 * in it, in name order, loaded together (overlaps across files are
 * errors); any other file is the own format. HD_EIO when unreadable.
 */
int hd_policy_read_path(hd_policy **out, const char *path, hd_error *err);

/*
 * The hedui-policy/1 interchange JSON of rules.md ("Policy interchange"),
 * strict: unknown members and parameters are errors, money and areas are
 * integers, factors decimal strings (financial_limit_months_* may also be
 * integers), null only for max_area_per_capita. err's field names the
 * member ("regions[3].params.dibao_standard", indices from 0); its line
 * is set for JSON syntax errors.
 */
int hd_policy_interchange_parse(hd_policy **out, const char *name,
                                const char *text, size_t len, hd_error *err);
/* Append the interchange form to `out`: national first with every
 * parameter it has, regions sorted by region then effective_from,
 * parameters in rules.md's table order. Deterministic. */
int hd_policy_interchange_write(hd_buf *out, const hd_policy *policy,
                                hd_error *err);

/* The store's own JSON form: the interchange form plus the sources
 * ("national_sources", and "sources" in each entry, parameter name to
 * source text). It is the content of a case-store policy version. */
int hd_policy_store_parse(hd_policy **out, const char *name, const char *text,
                          size_t len, hd_error *err);
int hd_policy_store_write(hd_buf *out, const hd_policy *policy, hd_error *err);

/*
 * Merge an import into the policy in force. For every region that
 * `imported` names, its entries replace all of that region's entries in
 * `current`; other regions keep theirs. `imported`'s national block, when
 * it has one, replaces the national defaults as a whole (a parameter it
 * does not set takes rules.md's default); without one the current
 * defaults stay (rules.md's when `current` is NULL). The result has
 * version 0.
 */
int hd_policy_merge(hd_policy **out, const hd_policy *current,
                    const hd_policy *imported, hd_error *err);

/* Does the policy have a national block of its own (a [national]
 * section, or the JSON's "national")? */
bool hd_policy_has_national(const hd_policy *policy);

/* ------------------------------------------------------------ storing */

typedef struct hd_casestore hd_casestore;

/* Load stored version `version` (0: the latest) from the case store.
 * HD_ENOTFOUND when there is none. */
int hd_policy_store_load(hd_policy **out, hd_casestore *cs, int64_t version,
                         hd_error *err);

/*
 * Merge `imported` with the latest stored version and store the result
 * as a new version, recording `source` (where it came from) and `now`
 * (seconds since 1970). *version_out gets the new version, or 0 when the
 * result is the same content as the latest version (nothing stored).
 */
int hd_policy_store_import(int64_t *version_out, hd_casestore *cs,
                           const hd_policy *imported, const char *source,
                           int64_t now, hd_error *err);

#endif
