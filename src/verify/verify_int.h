/*
 * Internals shared by the files of src/verify/ that compute a verification
 * (rules.md): the positions of the columns and codes they read, and the
 * working state of one hd_verify call.
 *
 * The feed table (src/feed/feed_table.c) is fixed by the data standard, so
 * the column indices and code indices below are constants rather than
 * lookups: hd_verify runs a million times in a roll and must not search
 * the table per record. tests/unit/verify/test_verify_columns.c checks
 * every constant against hd_feed_column and hd_column_code_index, so a
 * change of the table cannot go unnoticed.
 */
#ifndef HEDUI_VERIFY_INT_H
#define HEDUI_VERIFY_INT_H

#include <hedui/verify.h>

/* Feed ids (hd_feed.id). */
enum {
    VF_FEED_HUKOU = 1,
    VF_FEED_MARRIAGE = 2,
    VF_FEED_DEATH = 3,
    VF_FEED_TAX_INCOME = 4,
    VF_FEED_SOCIAL_INSURANCE = 5,
    VF_FEED_UNEMPLOYMENT = 6,
    VF_FEED_MEDICAL = 7,
    VF_FEED_PROVIDENT_FUND = 8,
    VF_FEED_REAL_ESTATE = 9,
    VF_FEED_VEHICLE = 10,
    VF_FEED_ENTERPRISE = 11,
    VF_FEED_DEPOSIT = 12,
    VF_FEED_SECURITIES = 13,
    VF_FEED_INSURANCE = 14,
    VF_FEED_DISABILITY = 15,
    VF_FEED_ID_LIMIT = 32 /* hd_dossier.feeds has 32 slots */
};

/* Column indices in the feeds' column order. */
enum {
    VF_PID = 0, /* every feed */
    VF_HUKOU_HUKOU_NO = 4,
    VF_HUKOU_RELATION = 5,
    VF_HUKOU_STATUS = 7,
    VF_MARRIAGE_SPOUSE_PID = 1,
    VF_MARRIAGE_EVENT = 2,
    VF_MARRIAGE_DATE = 3,
    VF_TAX_PERIOD = 1,
    VF_TAX_CATEGORY = 2,
    VF_TAX_INCOME = 4,
    VF_TAX_TAX = 5,
    VF_SI_PERIOD = 1,
    VF_SI_KIND = 2,
    VF_SI_BASE = 3,
    VF_SI_AMOUNT = 4,
    VF_MEDICAL_PERIOD = 1,
    VF_MEDICAL_SELF_PAID = 4,
    VF_PF_PERIOD = 1,
    VF_PF_BASE = 2,
    VF_RE_CERT_NO = 1,
    VF_RE_USE = 3,
    VF_RE_AREA = 4,
    VF_RE_SHARE = 5,
    VF_RE_STATUS = 7,
    VF_VEHICLE_TYPE = 2,
    VF_VEHICLE_VALUE = 4,
    VF_VEHICLE_STATUS = 5,
    VF_ENT_ROLE = 3,
    VF_ENT_CAPITAL = 4,
    VF_ENT_STATUS = 5,
    VF_DEPOSIT_BALANCE = 4,
    VF_SECURITIES_MARKET_VALUE = 2,
    VF_INSURANCE_CASH_VALUE = 3,
    VF_DISABILITY_LEVEL = 2,
    VF_DISABILITY_VALID_UNTIL = 3
};

/* Code indices (hd_value.num of a code column). */
enum {
    VF_HUKOU_STATUS_DECEASED = 1,   /* "2" */
    VF_MARRIAGE_EVENT_MARRIAGE = 0, /* "1" */
    VF_TAX_CATEGORY_WAGE = 0,
    VF_SI_KIND_CONTRIB = 0,
    VF_SI_KIND_PENSION = 1,
    VF_SI_KIND_UNEMPLOYMENT = 2,
    VF_SI_KIND_INJURY = 3,
    VF_RE_USE_RESIDENTIAL = 0,
    VF_RE_USE_COMMERCIAL = 1,
    VF_RE_USE_OFFICE = 2,
    VF_RE_USE_INDUSTRIAL = 3,
    VF_RE_STATUS_VALID = 0, /* "1" */
    VF_VEHICLE_TYPE_CAR = 0,
    VF_VEHICLE_TYPE_TRUCK = 1,
    VF_VEHICLE_STATUS_VALID = 0, /* "1" */
    VF_ENT_ROLE_LEGAL_REP = 0,
    VF_ENT_ROLE_SHAREHOLDER = 1,
    VF_ENT_STATUS_ACTIVE = 0,  /* "1" */
    VF_DISABILITY_LEVEL_1 = 0, /* "1" */
    VF_DISABILITY_LEVEL_2 = 1  /* "2" */
};

/* The feeds a verification reads: all but unemployment (rules.md
 * section 7); the same set as consent's hd_verify_feed_mask. */
#define VF_READ_FEED_MASK                                                      \
    ((uint32_t)(((1u << (VF_FEED_DISABILITY + 1)) - 2u) &                      \
                ~(1u << VF_FEED_UNEMPLOYMENT)))

/* What verification learned about one declared member. */
typedef struct vf_member {
    const hd_dossier_record *hukou;    /* their hukou row, or NULL */
    const hd_dossier_record *death;    /* a death row, or NULL */
    const hd_dossier_record *marriage; /* the latest marriage row */
    /* a disability row of level 1 or 2 valid on applied_on, or NULL */
    const hd_dossier_record *disability;
    bool in_f; /* not deceased */
} vf_member;

/* One member and month of W while it is being summed. */
typedef struct vf_cell {
    bool has_wage;
    const hd_dossier_record *si_base_rec; /* contrib row with the larger base */
    const hd_dossier_record *pf_base_rec;
    int64_t si_base_fen;
    int64_t pf_base_fen;
} vf_cell;

/* The working state of one hd_verify call. */
typedef struct vf_state {
    const hd_dossier *d;
    const hd_application *app;
    const hd_param_values *p;
    hd_result *r;
    vf_member m[HD_MAX_MEMBERS];
    int n;      /* |F| */
    int months; /* income_months, at least 1 */
    int32_t window_first;
    vf_cell *cells;          /* [member * months + k] for every declared */
    hd_month_income *income; /* the same layout */
    size_t source_cap;
    /* asset figures beyond hd_figures */
    int nonresidential;
    int enterprises;
    int64_t area_x_share; /* Σ area (m2x100) × share (%) */
} vf_state;

/* Add a source row (the capacity is reserved by verify.c). */
void hd__verify_source(vf_state *st, hd_figure_id figure,
                       const hd_dossier_record *rec, int64_t amount,
                       const char *note);

/* family.c: hukou, death and marriage rows; F; the findings of section 2
 * and the member statuses. */
void hd__verify_family(vf_state *st);
/* income.c: sections 3 and 5 (I, E, the month lines). HD_ENOMEM. */
int hd__verify_income(vf_state *st, hd_error *err);
/* assets.c: section 4. HD_ENOMEM. */
int hd__verify_assets(vf_state *st, hd_error *err);
/* programs.c: section 6 and the conclusion and level of section 7.
 * HD_ENOMEM. */
int hd__verify_programs(vf_state *st, hd_error *err);

/* Compare figure × den with num exactly: -1, 0 or 1. A product that does
 * not fit in 64 bits compares by its sign. */
int hd__verify_cmp(int64_t figure, int64_t den, int64_t num);

#endif
