/*
 * hedui gen: a synthetic population of low-income applicants, written as
 * the department deliveries of spec feeds.md, the applications and
 * authorizations that ask for a verification, and the result each
 * verification must give (spec rules.md, "Result record").
 *
 * The expected results ("truth") are worked out here, from the records the
 * generator planted, by an implementation of rules.md of its own
 * (gen_truth.c). It never calls the project's verification code: the two
 * are written apart so that they check each other.
 *
 * Everything is deterministic: the same options give the same bytes. No
 * clock is read and no floating point is used in any figure. Nothing here
 * is thread-safe unless said otherwise.
 */
#ifndef HEDUI_GEN_H
#define HEDUI_GEN_H

#include <hedui/base.h>

/* ------------------------------------------------------------- the run */

typedef struct hd_gen_options {
    int64_t families;   /* how many applications (families), >= 1 */
    uint64_t seed;      /* same seed, same bytes */
    const char *out;    /* the output folder: created, or empty */
    bool dirty;         /* add malformed rows of every reject reason */
    int32_t as_of;      /* the deliveries' as_of (days since 1970) */
    int32_t applied_on; /* every application's applied_on */
    /* With dirty: one bad row after every this many valid rows of a file
     * (so a delivery's bad-row share is below 1 / (interval + 1)). 0 takes
     * HD_GEN_DIRTY_INTERVAL. */
    int dirty_interval;
} hd_gen_options;

#define HD_GEN_DIRTY_INTERVAL 400

/* Fill `opts` with the defaults: 1,000 families, seed 1, as_of
 * 2026-11-01, applied_on 2026-11-20, not dirty, no output folder. */
void hd_gen_options_init(hd_gen_options *opts);

/* The scenarios a family can be planted with (docs/generator.md). */
typedef enum hd_gen_scenario {
    HD_GEN_SC_CLEAN,
    HD_GEN_SC_HIDDEN_WAGE,
    HD_GEN_SC_ESTIMATED_WAGE,
    HD_GEN_SC_UNDECLARED_CAR,
    HD_GEN_SC_SECOND_HOME,
    HD_GEN_SC_HOME_AREA,
    HD_GEN_SC_DEPOSITS,
    HD_GEN_SC_SHAREHOLDER,
    HD_GEN_SC_NONRESIDENTIAL,
    HD_GEN_SC_DECEASED_MEMBER,
    HD_GEN_SC_UNDECLARED_SPOUSE,
    HD_GEN_SC_MEDICAL_HARDSHIP,
    HD_GEN_SC_TEKUN,
    HD_GEN_SC_NOT_IN_HUKOU,
    HD_GEN_SC_RELATION_MISMATCH,
    HD_GEN_SC_BORDERLINE_BELOW,
    HD_GEN_SC_BORDERLINE_ABOVE,
    HD_GEN_SC_UNAUTHORIZED,
    HD_GEN_SC_REFUSED,
    HD_GEN_SC_ALL_DECEASED,
    HD_GEN_SC_EXCLUDED_CATEGORY,
    HD_GEN_SC_COUNT_
} hd_gen_scenario;

/* The scenario's name as it appears in truth.jsonl ("hidden_wage"). */
const char *hd_gen_scenario_name(hd_gen_scenario sc);

/* What a run produced. */
typedef struct hd_gen_stats {
    int64_t families;
    int64_t persons;   /* distinct citizen IDs with records or members */
    int64_t rows;      /* CSV data records written, bad ones included */
    int64_t bad_rows;  /* malformed rows (with dirty) */
    int64_t bytes;     /* bytes of every file written */
    int64_t csv_bytes; /* bytes of the CSV files */
    int64_t scenarios[HD_GEN_SC_COUNT_];
    int64_t fallbacks; /* families the planting gave up on (made clean) */
} hd_gen_stats;

/*
 * Generate a population into opts->out (see docs/generator.md for the
 * layout). The folder is created when missing; an existing folder must be
 * empty. Memory is bounded whatever the number of families: rows are
 * streamed to their files, and checksums computed while writing.
 * Errors: HD_EINVAL (bad options), HD_EEXISTS (folder not empty), HD_EIO,
 * HD_ENOMEM, HD_ENOTFOUND (the region table lacks a division the assumed
 * policy needs).
 */
int hd_gen_run(hd_gen_stats *out, const hd_gen_options *opts, hd_error *err);

/* ------------------------------------------------------------ policy */

/*
 * Parameters of rules.md, "Parameters". Money in fen, areas in hundredths
 * of m², factors as integers times 10,000 ("1.5" is 15000).
 */
typedef struct hd_gen_params {
    bool has_dibao_standard;
    int64_t dibao_standard_fen;
    bool has_tekun_standard; /* else 1.3 x dibao_standard */
    int64_t tekun_standard_fen;
    int64_t low_income_factor_x10000;
    int income_months;
    int financial_limit_months_dibao;
    int financial_limit_months_low_income;
    int64_t vehicle_exempt_value_fen;
    int max_homes;
    bool has_max_area_per_capita; /* false: no limit */
    int64_t max_area_per_capita_m2x100;
    int64_t enterprise_capital_limit_fen;
    int64_t earned_income_disregard_fen;
    uint32_t excluded_categories; /* bit (1 << hd_gen_tax_category) */
    int old_age;
} hd_gen_params;

/* One bit per parameter, for the entries that set only some of them. */
enum {
    HD_GEN_P_DIBAO_STANDARD = 1 << 0,
    HD_GEN_P_TEKUN_STANDARD = 1 << 1,
    HD_GEN_P_LOW_INCOME_FACTOR = 1 << 2,
    HD_GEN_P_INCOME_MONTHS = 1 << 3,
    HD_GEN_P_FIN_MONTHS_DIBAO = 1 << 4,
    HD_GEN_P_FIN_MONTHS_LOW_INCOME = 1 << 5,
    HD_GEN_P_VEHICLE_EXEMPT_VALUE = 1 << 6,
    HD_GEN_P_MAX_HOMES = 1 << 7,
    HD_GEN_P_MAX_AREA_PER_CAPITA = 1 << 8,
    HD_GEN_P_ENTERPRISE_CAPITAL_LIMIT = 1 << 9,
    HD_GEN_P_EARNED_INCOME_DISREGARD = 1 << 10,
    HD_GEN_P_EXCLUDED_CATEGORIES = 1 << 11,
    HD_GEN_P_OLD_AGE = 1 << 12
};

/* A dated entry of one region: sets the parameters named in `set`. */
typedef struct hd_gen_policy_entry {
    char region[7];
    int32_t effective_from;
    uint32_t set;
    hd_gen_params params;
} hd_gen_policy_entry;

typedef struct hd_gen_policy {
    hd_gen_params national; /* the national defaults of rules.md */
    const hd_gen_policy_entry *entries;
    size_t entry_count;
} hd_gen_policy;

/* The national defaults of rules.md (no dibao_standard). */
void hd_gen_params_national(hd_gen_params *out);

/*
 * Resolve the parameters for a county on a date, the way rules.md section
 * 1 says: per parameter, the county's latest entry dated on or before
 * `on` that sets it, else the city's, else the province's, else the
 * national default. Returns 0, or HD_ENOTFOUND when no dibao_standard
 * resolves (out is still filled).
 */
int hd_gen_policy_resolve(hd_gen_params *out, const hd_gen_policy *policy,
                          const char *county, int32_t on);

/* Write the policy in the hedui-policy/1 interchange form. */
int hd_gen_policy_json(hd_buf *out, const hd_gen_policy *policy);

/* ------------------------------------------------------ planted records */

/*
 * The records of one family, one struct per feed of feeds.md, with the
 * values the CSV holds. Citizen IDs are normalised 18-character strings;
 * NULL in a nullable text column and HD_GEN_NULL in a nullable number
 * column are null. Codes are the indexes of the feed table's code lists
 * (the generator checks its names against the table when it starts).
 */
#define HD_GEN_NULL INT64_MIN

typedef enum hd_gen_tax_category {
    HD_GEN_TAX_WAGE,
    HD_GEN_TAX_LABOR,
    HD_GEN_TAX_ROYALTY,
    HD_GEN_TAX_AUTHOR,
    HD_GEN_TAX_BUSINESS,
    HD_GEN_TAX_INTEREST,
    HD_GEN_TAX_RENTAL,
    HD_GEN_TAX_TRANSFER,
    HD_GEN_TAX_INCIDENTAL,
    HD_GEN_TAX_COUNT_
} hd_gen_tax_category;

typedef enum hd_gen_si_kind {
    HD_GEN_SI_CONTRIB,
    HD_GEN_SI_PENSION,
    HD_GEN_SI_UNEMPLOYMENT,
    HD_GEN_SI_INJURY
} hd_gen_si_kind;

typedef enum hd_gen_use {
    HD_GEN_USE_RESIDENTIAL,
    HD_GEN_USE_COMMERCIAL,
    HD_GEN_USE_OFFICE,
    HD_GEN_USE_INDUSTRIAL,
    HD_GEN_USE_OTHER
} hd_gen_use;

typedef enum hd_gen_vehicle_type {
    HD_GEN_VEH_CAR,
    HD_GEN_VEH_TRUCK,
    HD_GEN_VEH_MOTORCYCLE,
    HD_GEN_VEH_DISABILITY,
    HD_GEN_VEH_FARM
} hd_gen_vehicle_type;

typedef enum hd_gen_role {
    HD_GEN_ROLE_LEGAL_REP,
    HD_GEN_ROLE_SHAREHOLDER,
    HD_GEN_ROLE_INDIVIDUAL
} hd_gen_role;

typedef enum hd_gen_deposit_product {
    HD_GEN_DEP_DEMAND,
    HD_GEN_DEP_TIME,
    HD_GEN_DEP_WEALTH
} hd_gen_deposit_product;

typedef enum hd_gen_insurance_product {
    HD_GEN_INS_LIFE,
    HD_GEN_INS_ANNUITY,
    HD_GEN_INS_HEALTH,
    HD_GEN_INS_PROPERTY
} hd_gen_insurance_product;

/* How a pid is spelled in the CSV (the value is always the same person). */
enum {
    HD_GEN_PID_AS_IS = 0,
    HD_GEN_PID_LOWER_X = 1, /* a final X written as x */
    HD_GEN_PID_15 = 2       /* the first-generation 15-digit form */
};

typedef struct hd_gen_hukou {
    const char *pid;
    const char *name;
    int sex;       /* 1 male, 2 female */
    int32_t birth; /* days since 1970 */
    const char *hukou_no;
    int relation; /* GB/T 4761 class: 2, 10, 20, ... 99 */
    const char *region;
    int status;          /* 1 normal, 2 deceased, 3 cancelled */
    int32_t status_date; /* HD_GEN_NO_DATE when null */
} hd_gen_hukou;

#define HD_GEN_NO_DATE INT32_MIN

typedef struct hd_gen_marriage {
    const char *pid;
    const char *spouse_pid;
    int event; /* 1 marriage, 2 divorce */
    int32_t date;
} hd_gen_marriage;

typedef struct hd_gen_death {
    const char *pid;
    int32_t date;
} hd_gen_death;

typedef struct hd_gen_tax {
    const char *pid;
    int32_t period;    /* year * 12 + month - 1 */
    int category;      /* hd_gen_tax_category */
    const char *payer; /* USCC, or NULL for self-declared items */
    int64_t income_fen;
    int64_t tax_fen;
} hd_gen_tax;

typedef struct hd_gen_si {
    const char *pid;
    int32_t period;
    int kind;         /* hd_gen_si_kind */
    int64_t base_fen; /* HD_GEN_NULL when null */
    int64_t amount_fen;
    const char *employer; /* USCC or NULL */
} hd_gen_si;

typedef struct hd_gen_medical {
    const char *pid;
    int32_t period;
    int64_t total_fen;
    int64_t fund_paid_fen;
    int64_t self_paid_fen;
    int serious; /* 0 or 1 */
} hd_gen_medical;

typedef struct hd_gen_fund {
    const char *pid;
    int32_t period;
    int64_t base_fen;
    int64_t deposit_fen;
    int64_t balance_fen;
} hd_gen_fund;

typedef struct hd_gen_estate {
    const char *pid;
    char cert_no[64];
    const char *region;
    int use; /* hd_gen_use */
    int64_t area_m2x100;
    int share; /* percent */
    int32_t acquired;
    int status; /* 1 valid, 2 cancelled */
} hd_gen_estate;

typedef struct hd_gen_vehicle {
    const char *pid;
    char plate[24];
    int type; /* hd_gen_vehicle_type */
    int32_t registered;
    int64_t value_fen;
    int status; /* 1 valid, 2 scrapped or transferred */
} hd_gen_vehicle;

typedef struct hd_gen_enterprise {
    const char *pid;
    char uscc[19];
    char name[96];
    int role; /* hd_gen_role */
    int64_t capital_fen;
    int status; /* 1 active, 2 revoked, 3 cancelled */
    int32_t established;
} hd_gen_enterprise;

typedef struct hd_gen_deposit {
    const char *pid;
    int pid_form;
    const char *institution;
    char account[24];
    int product; /* hd_gen_deposit_product */
    int64_t balance_fen;
} hd_gen_deposit;

typedef struct hd_gen_securities {
    const char *pid;
    const char *institution;
    int64_t market_value_fen;
} hd_gen_securities;

typedef struct hd_gen_insurance {
    const char *pid;
    int pid_form;
    char policy_no[24];
    int product; /* hd_gen_insurance_product */
    int64_t cash_value_fen;
    int64_t annual_premium_fen;
} hd_gen_insurance;

typedef struct hd_gen_disability {
    const char *pid;
    int category; /* 1-7 */
    int level;    /* 1-4 */
    int32_t valid_until;
} hd_gen_disability;

typedef struct hd_gen_unemployment {
    const char *pid;
    int32_t registered;
    int32_t ended; /* HD_GEN_NO_DATE while still unemployed */
} hd_gen_unemployment;

/* Every record of one family (members and the other people their records
 * name), as borrowed arrays. */
typedef struct hd_gen_dossier {
    const hd_gen_hukou *hukou;
    size_t hukou_count;
    const hd_gen_marriage *marriage;
    size_t marriage_count;
    const hd_gen_death *death;
    size_t death_count;
    const hd_gen_tax *tax;
    size_t tax_count;
    const hd_gen_si *si;
    size_t si_count;
    const hd_gen_medical *medical;
    size_t medical_count;
    const hd_gen_fund *fund;
    size_t fund_count;
    const hd_gen_estate *estate;
    size_t estate_count;
    const hd_gen_vehicle *vehicle;
    size_t vehicle_count;
    const hd_gen_enterprise *enterprise;
    size_t enterprise_count;
    const hd_gen_deposit *deposit;
    size_t deposit_count;
    const hd_gen_securities *securities;
    size_t securities_count;
    const hd_gen_insurance *insurance;
    size_t insurance_count;
    const hd_gen_disability *disability;
    size_t disability_count;
    const hd_gen_unemployment *unemployment;
    size_t unemployment_count;
} hd_gen_dossier;

/* ------------------------------------------- applications and consent */

#define HD_GEN_MAX_MEMBERS 8

typedef struct hd_gen_member {
    const char *pid; /* as the application spells it (may be malformed) */
    const char *name;
    int relation; /* declared, relative to the applicant */
} hd_gen_member;

typedef struct hd_gen_application {
    const char *application_no;
    const char *program; /* as written: may be an unknown program */
    const char *region;
    int32_t applied_on;
    const hd_gen_member *members;
    int member_count;
} hd_gen_application;

/* The programs of rules.md section 6. */
typedef enum hd_gen_program {
    HD_GEN_PROG_DIBAO,
    HD_GEN_PROG_LOW_INCOME,
    HD_GEN_PROG_EXPENDITURE_HARDSHIP,
    HD_GEN_PROG_TEKUN,
    HD_GEN_PROG_MEDICAL_AID,
    HD_GEN_PROG_COUNT_
} hd_gen_program;

const char *hd_gen_program_name(int program);
/* The program of a name, or -1. */
int hd_gen_program_find(const char *name);

typedef struct hd_gen_authorization {
    const char *pid;
    uint32_t purposes;    /* bit (1 << hd_gen_program) */
    bool scope_all;       /* scope ["*"] */
    uint32_t scope_feeds; /* else: bit (1 << feed id) of each feed named */
    int32_t valid_from;
    int32_t valid_until;
} hd_gen_authorization;

/* ------------------------------------------------------------- truth */

typedef enum hd_gen_conclusion {
    HD_GEN_REFUSED,
    HD_GEN_UNAUTHORIZED,
    HD_GEN_REVIEW,
    HD_GEN_FAILS,
    HD_GEN_MEETS
} hd_gen_conclusion;

const char *hd_gen_conclusion_name(hd_gen_conclusion c);

/* Failure codes (rules.md section 6) and findings (sections 2 and 6), as
 * bits; the names sort in bit order, so a mask lists them sorted. */
enum {
    HD_GEN_F_ENTERPRISE = 1 << 0,
    HD_GEN_F_FINANCIAL_ASSETS = 1 << 1,
    HD_GEN_F_HOMES = 1 << 2,
    HD_GEN_F_HOME_AREA = 1 << 3,
    HD_GEN_F_INCOME = 1 << 4,
    HD_GEN_F_INCOME_AFTER_EXPENDITURE = 1 << 5,
    HD_GEN_F_NONRESIDENTIAL = 1 << 6,
    HD_GEN_F_NOT_SINGLE = 1 << 7,
    HD_GEN_F_NO_RIGID_EXPENDITURE = 1 << 8,
    HD_GEN_F_VEHICLE = 1 << 9,
    HD_GEN_F_WORK_CAPACITY = 1 << 10,
    HD_GEN_FAILURE_COUNT_ = 11
};
const char *hd_gen_failure_name(int bit_index);

enum {
    HD_GEN_N_APPLICATION_INVALID = 1 << 0,
    HD_GEN_N_FEED_NOT_DELIVERED = 1 << 1,
    HD_GEN_N_MEMBER_DECEASED = 1 << 2,
    HD_GEN_N_MEMBER_NOT_IN_HUKOU = 1 << 3,
    HD_GEN_N_NO_AUTHORIZATION = 1 << 4,
    HD_GEN_N_RELATION_MISMATCH = 1 << 5,
    HD_GEN_N_SUPPORTER_CHECK = 1 << 6,
    HD_GEN_N_UNDECLARED_SPOUSE = 1 << 7,
    HD_GEN_FINDING_COUNT_ = 8
};
const char *hd_gen_finding_name(int bit_index);

typedef enum hd_gen_level {
    HD_GEN_LEVEL_DIBAO,
    HD_GEN_LEVEL_LOW_INCOME,
    HD_GEN_LEVEL_EXPENDITURE_HARDSHIP,
    HD_GEN_LEVEL_NONE
} hd_gen_level;

const char *hd_gen_level_name(hd_gen_level level);

typedef struct hd_gen_figures {
    int members;                  /* n */
    int64_t income_fen;           /* I */
    int64_t expenditure_fen;      /* E */
    int64_t pci_fen;              /* per capita monthly income */
    int64_t pci_after_fen;        /* after rigid expenditure */
    int64_t financial_assets_fen; /* A */
    int64_t pca_fen;              /* per capita financial assets */
    int homes;
    int64_t area_pc_m2x100;
    int vehicles;
} hd_gen_figures;

typedef struct hd_gen_result {
    hd_gen_conclusion conclusion;
    bool has_figures; /* false for refused, unauthorized, no living member */
    hd_gen_level level;
    hd_gen_figures figures;
    uint32_t failed;   /* HD_GEN_F_ bits */
    uint32_t findings; /* HD_GEN_N_ bits */
    /* refused: the field and why */
    char error_field[32];
    char error_reason[64];
    /* unauthorized: bit i set when declared member i lacks a valid
     * authorization */
    uint32_t unauthorized_members;
    /* The parameters used (set when the region resolved). */
    hd_gen_params params;
} hd_gen_result;

/*
 * Work out the Result record of rules.md for one application from the
 * records in `dossier`, the family's authorizations and `policy`: the
 * reference arithmetic the generator's truth.jsonl comes from. Pure: no
 * I/O, no allocation.
 */
void hd_gen_truth(hd_gen_result *out, const hd_gen_application *app,
                  const hd_gen_authorization *auths, size_t auth_count,
                  const hd_gen_dossier *dossier, const hd_gen_policy *policy);

/*
 * Append the result as one line of truth.jsonl (no line end): the members
 * of rules.md "Result record" in its order, then "scenario" when not NULL.
 * Declared pids that lack authorization are listed in declaration order,
 * normalised.
 */
int hd_gen_result_json(hd_buf *out, const hd_gen_result *r,
                       const hd_gen_application *app, const char *scenario);

#endif
