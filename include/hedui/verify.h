/*
 * hedui verify: applications, authorizations, the dossier of a family and
 * the verification of spec rules.md.
 *
 *   application + authorizations --(consent gate)--> dossier
 *   verify(dossier, params) --> result            (pure: no I/O, no clock)
 *
 * The dossier is every record of every declared member, each with its
 * provenance (feed, delivery, key), gathered only through the consent
 * gate (design.md principle 3). Two builders fill it: one case at a time
 * from the feed store (hd_dossier_build, in src/verify/dossier.c), and a
 * whole roll in one pass over the store in person order (src/verify/
 * roll.c). Both give the same dossier, so verify() sees no difference.
 *
 * Everything here is reentrant; structs belong to one thread at a time.
 */
#ifndef HEDUI_VERIFY_H
#define HEDUI_VERIFY_H

#include <hedui/consent.h>
#include <hedui/feed.h>
#include <hedui/policy.h>
#include <hedui/store.h>

/* --------------------------------------------------------- applications */

#define HD_APP_NO_MAX 64
#define HD_MAX_MEMBERS 32

typedef struct hd_member {
    char pid[19];     /* normalised 18-character form; "" when invalid */
    char pid_raw[40]; /* as declared (for refusals), truncated */
    const char *name; /* owned by the application */
    char relation[3]; /* GB/T 4761 class, "02" for the applicant */
} hd_member;

/* The declared figures (feeds.md "declared"); each may be absent. */
typedef struct hd_declared {
    bool has_monthly_income;
    int64_t monthly_income_fen;
    bool has_financial_assets;
    int64_t financial_assets_fen;
    bool has_vehicles;
    int vehicles;
    bool has_homes;
    int homes;
} hd_declared;

/*
 * One application (feeds.md "Applications and authorizations").
 * `refused` is set when it is malformed in a way rules.md section 7 turns
 * into a `refused` result (unknown program, a region that is not a 6-digit
 * code, no members, a member pid failing GB 11643, a wrong type): checked
 * in that order, the first failure is kept in error_field ("program",
 * "region", "members", "members[1].pid", ...) and error_reason ("unknown
 * program", "no members", or the pid rule: "length", "characters",
 * "address code", "birth date", "check character"). Whether a
 * dibao_standard resolves is decided later, by verify, against the policy,
 * and comes after the region and before the members: `refused_step` says
 * where the kept failure was found (HD_REFUSED_STEP_*), so that verify
 * reports the first failure in that order.
 */
enum {
    HD_REFUSED_STEP_PROGRAM = 1,
    HD_REFUSED_STEP_REGION = 2,  /* not a 6-digit code */
    HD_REFUSED_STEP_FORM = 3,    /* applied_on, members' types, ... */
    HD_REFUSED_STEP_POLICY = 4,  /* no dibao_standard (verify's own) */
    HD_REFUSED_STEP_MEMBERS = 5, /* no members */
    HD_REFUSED_STEP_PID = 6      /* a member's pid fails GB 11643 */
};
typedef struct hd_application {
    char application_no[HD_APP_NO_MAX];
    int program;           /* hd_program, or -1 when unknown */
    char program_name[32]; /* as given (truncated) */
    char region[7];
    int32_t applied_on; /* days since 1970; INT32_MIN when not a date */
    int member_count;
    hd_member members[HD_MAX_MEMBERS];
    hd_declared declared;
    bool refused;
    int refused_step; /* HD_REFUSED_STEP_*, 0 when not refused */
    char error_field[48];
    char error_reason[64];
    char *names; /* storage of the members' names */
} hd_application;

/*
 * Parse one application from JSON. Returns 0 (check out->refused), or
 * HD_EDATA when the text cannot be taken as an application at all (not
 * JSON, not an object, no string application_no): err names the field
 * and the rule. HD_ENOMEM.
 */
int hd_application_parse(hd_application *out, const char *json, size_t len,
                         hd_error *err);
void hd_application_release(hd_application *app);

/* -------------------------------------------------------------- dossier */

/* The delivery a feed is read from. */
typedef struct hd_feed_source {
    bool delivered; /* false: no accepted delivery holds the feed */
    uint32_t seq;
    char delivery_id[128];
    int32_t as_of; /* days since 1970 */
} hd_feed_source;

/*
 * One record, copied out of the store with its provenance. `member` is
 * the index of the declared member it is about, or -1 for a record of
 * another person that a member's records name (only the hukou and death
 * records of a spouse named in a member's marriage rows, read to decide
 * whether that spouse is alive: rules.md UNDECLARED_SPOUSE).
 */
typedef struct hd_dossier_correction hd_dossier_correction;

typedef struct hd_dossier_record {
    const hd_feed *feed;
    int member;
    uint32_t delivery_seq;
    const char *delivery_id; /* owned by the dossier */
    /* The corrections of a case applied to this record (a field
     * corrected: hd_dossier_apply_corrections), chained by `next`; NULL
     * for a record as delivered. */
    const hd_dossier_correction *correction;
    /* Texts owned by the dossier; pids and regions point into this
     * row's own storage, so a copy of a record is good only until the
     * dossier's next add. */
    hd_row row;
} hd_dossier_record;

typedef struct hd_dossier {
    const hd_application *app; /* borrowed */
    /* The gate's outcome: false when some declared member has no valid
     * authorization; then no record was read and `missing` lists the
     * members (indices, declaration order). */
    bool authorized;
    int missing_count;
    int missing[HD_MAX_MEMBERS];
    /* Records of the members (then of named spouses), each member's in
     * feed id then key order. */
    hd_dossier_record *records;
    size_t record_count;
    size_t record_cap;
    hd_feed_source feeds[32]; /* by feed id */
    /* The corrections applied (hd_dossier_apply_corrections), in the
     * order made; in the arena. */
    hd_dossier_correction *corrections;
    size_t correction_count;
    hd_arena arena; /* texts, delivery ids, corrections */
} hd_dossier;

void hd_dossier_init(hd_dossier *d, const hd_application *app);
/* Forget the records (keeps memory for reuse). */
void hd_dossier_reset(hd_dossier *d, const hd_application *app);
void hd_dossier_release(hd_dossier *d);
/* Copy one record in (texts and delivery id copied). HD_ENOMEM. */
int hd_dossier_add(hd_dossier *d, int member, const hd_row *row,
                   uint32_t delivery_seq, const char *delivery_id,
                   hd_error *err);

/* The key of a record as reports and corrections name it: the feed's key
 * columns in table order, in their text form, joined by '|', pids in
 * full. Returns the buffer's sticky error. */
int hd_dossier_record_key(hd_buf *out, const hd_dossier_record *rec);

/*
 * A correction of a case (src/cases) as applied to a dossier: an overlay,
 * never an edit of department data. Texts are the dossier's.
 */
struct hd_dossier_correction {
    int64_t id;
    const char *pid;        /* the member whose record it is */
    const char *feed;       /* feed name */
    const char *record_key; /* hd_dossier_record_key of the record */
    const char *field;      /* NULL: the record does not count */
    const char *value;      /* the corrected value (text form) */
    const char *original;   /* the value as delivered ("" for null), when
                               applied to a field */
    const char *evidence;   /* e.g. "单位出具的离职证明 2026-11-02" */
    /* false: no record of the dossier has this key (a later delivery no
     * longer holds it, say); the correction changed nothing. */
    bool applied;
    const hd_dossier_correction *next; /* another one on the same record */
};

/*
 * Apply a case's corrections to a dossier once every record is in it
 * (after the spouses too: no hd_dossier_add may follow). For each record
 * the corrections name (member pid, feed, key), the latest correction of
 * each field sets that field, and a "does not count" correction takes
 * the record out of the dossier; the rest of the dossier is untouched.
 * A corrected record is parsed again with every rule of its feed (a
 * money column takes money, total = fund_paid + self_paid still holds):
 * HD_EDATA naming the correction when it does not pass, and then the
 * dossier must not be used. A correction that names no record is kept
 * with `applied` false. `c` may be NULL with count 0. HD_ENOMEM.
 */
int hd_dossier_apply_corrections(hd_dossier *d, const hd_case_correction *c,
                                 size_t count, hd_error *err);

/* --------------------------------------------------------------- result */

typedef enum hd_conclusion {
    HD_CONCLUSION_REFUSED,
    HD_CONCLUSION_UNAUTHORIZED,
    HD_CONCLUSION_REVIEW,
    HD_CONCLUSION_FAILS,
    HD_CONCLUSION_MEETS
} hd_conclusion;

const char *hd_conclusion_name(hd_conclusion c);

typedef enum hd_level {
    HD_LEVEL_NONE,
    HD_LEVEL_DIBAO,
    HD_LEVEL_LOW_INCOME,
    HD_LEVEL_EXPENDITURE_HARDSHIP
} hd_level;

const char *hd_level_name(hd_level level);

/*
 * Failure and finding codes of rules.md, in the sorted order of their
 * names, so that iterating a bit set gives the sorted lists rules.md asks
 * for.
 */
typedef enum hd_code {
    /* failed tests */
    HD_FAIL_ENTERPRISE,
    HD_FAIL_FINANCIAL_ASSETS,
    HD_FAIL_HOMES,
    HD_FAIL_HOME_AREA,
    HD_FAIL_INCOME,
    HD_FAIL_INCOME_AFTER_EXPENDITURE,
    HD_FAIL_NONRESIDENTIAL,
    HD_FAIL_NOT_SINGLE,
    HD_FAIL_NO_RIGID_EXPENDITURE,
    HD_FAIL_VEHICLE,
    HD_FAIL_WORK_CAPACITY,
    HD_FAIL_COUNT_,
    /* findings */
    HD_FIND_APPLICATION_INVALID = HD_FAIL_COUNT_,
    HD_FIND_FEED_NOT_DELIVERED,
    HD_FIND_MEMBER_DECEASED,
    HD_FIND_MEMBER_NOT_IN_HUKOU,
    HD_FIND_NO_AUTHORIZATION,
    HD_FIND_PID_INVALID,
    HD_FIND_RELATION_MISMATCH,
    HD_FIND_SUPPORTER_CHECK,
    HD_FIND_UNDECLARED_SPOUSE,
    HD_CODE_COUNT_
} hd_code;

const char *hd_code_name(hd_code code);
/* The Chinese wording used in reports ("家庭人均月收入超过标准", ...). */
const char *hd_code_title_zh(hd_code code);

/* The figures of rules.md's Result record. */
typedef struct hd_figures {
    int members;             /* n */
    int64_t income_fen;      /* I */
    int64_t expenditure_fen; /* E */
    int64_t pci_fen;
    int64_t pci_after_fen;
    int64_t financial_assets_fen; /* A */
    int64_t pca_fen;
    int homes;
    int64_t area_pc_m2x100;
    int vehicles;
    int64_t owned_area_m2x100; /* before dividing by n */
} hd_figures;

/*
 * One test as evaluated for the report: the figure, the limit as an exact
 * rational (limit_num / limit_den, den > 0; the figure fails when it is
 * at or above, or above, per `strict`), and the outcome.
 */
typedef struct hd_test {
    hd_code code;
    hd_program program; /* the program whose test this is */
    int64_t figure;     /* pci, pca, count, area, ... */
    int64_t limit_num;
    int64_t limit_den;
    bool has_limit; /* false: a yes/no test (VEHICLE, ...) */
    bool strict;    /* fails only above the limit (else at or above) */
    bool failed;
} hd_test;

/* Income of one member and month of the window (rules.md section 3). */
typedef struct hd_month_income {
    int member;
    int32_t period;
    int64_t wage_fen;
    bool wage_estimated;
    int64_t other_fen;
    int64_t benefits_fen;
    int64_t deductions_fen;
    int64_t disregard_fen;
    int64_t expenditure_fen; /* medical.self_paid */
} hd_month_income;

/* What each figure is built from: a record that counted, and how much. */
typedef enum hd_figure_id {
    HD_FIGURE_INCOME,
    HD_FIGURE_EXPENDITURE,
    HD_FIGURE_FINANCIAL_ASSETS,
    HD_FIGURE_HOMES, /* residential rows counted (area too) */
    HD_FIGURE_VEHICLES,
    HD_FIGURE_NONRESIDENTIAL,
    HD_FIGURE_ENTERPRISE,
    HD_FIGURE_FAMILY, /* hukou, death, marriage, disability rows
                         behind the findings and tekun's tests */
    HD_FIGURE_COUNT_
} hd_figure_id;

const char *hd_figure_name(hd_figure_id id);

typedef struct hd_source_row {
    hd_figure_id figure;
    const hd_dossier_record *record; /* borrowed from the dossier */
    int64_t amount;                  /* what it added (fen, m2x100, 1) */
    const char *note;                /* static: "estimated wage", ... */
} hd_source_row;

/* Declared versus found. */
typedef struct hd_declared_diff {
    const char *item; /* "monthly_income", "financial_assets",
                         "vehicles", "homes" */
    int64_t declared;
    int64_t found;
} hd_declared_diff;

/* Each declared member as verification saw them. */
typedef struct hd_member_status {
    bool pid_valid;
    bool in_hukou;
    bool deceased;
    bool authorized;
    int age;                /* completed years at applied_on, -1 unknown */
    bool no_work_capacity;  /* old age, under 16, or disability 1-2 */
    char hukou_relation[3]; /* "" when no hukou row */
} hd_member_status;

typedef struct hd_result {
    char application_no[HD_APP_NO_MAX];
    char program[32]; /* as applied for */
    hd_conclusion conclusion;
    bool has_level;
    hd_level level;
    bool has_figures;
    hd_figures figures;
    uint64_t failed;   /* bit (1 << hd_code) of failed tests */
    uint64_t findings; /* bit (1 << hd_code) of findings */
    /* refused */
    char error_field[48];
    char error_reason[64];
    /* unauthorized: members lacking a valid authorization, declaration
     * order */
    int missing_count;
    int missing[HD_MAX_MEMBERS];

    /* What the report shows beyond the Result record. */
    hd_params params; /* as resolved (valid when has_params) */
    bool has_params;
    int32_t window_first; /* first period of W */
    int member_count;
    hd_member_status members[HD_MAX_MEMBERS];
    hd_test *tests; /* every test of every program evaluated */
    size_t test_count;
    hd_month_income *months; /* members of F x months of W */
    size_t month_count;
    hd_source_row *sources;
    size_t source_count;
    hd_declared_diff diffs[4];
    int diff_count;
    /* The delivery each feed was read from (by feed id), copied from the
     * dossier's `feeds`, so that reports show the figures' as_of dates
     * and delivery ids without the dossier. */
    hd_feed_source feeds[32];
    /* The case's corrections applied to the dossier (borrowed from it,
     * like the sources): reports show each as 更正 with its evidence. */
    const hd_dossier_correction *corrections;
    size_t correction_count;
    hd_arena arena; /* tests, months, sources */
} hd_result;

void hd_result_init(hd_result *r);
/* Forget the previous verification but keep the arena's memory, so that
 * one hd_result serves a whole roll without allocating per family
 * (hd_verify calls it itself). */
void hd_result_reset(hd_result *r);
void hd_result_release(hd_result *r);

/*
 * The verification of rules.md: a pure function of the dossier (with the
 * gate's outcome) and the parameters. `params` is NULL when no
 * dibao_standard resolves for the application's region (the application
 * is then refused). docs/verification.md says how each figure is
 * computed and which readings of rules.md were chosen. `out` must have been
 * initialised; it borrows from `dossier` (sources), which must outlive it.
 * Returns 0 or HD_ENOMEM.
 */
int hd_verify(hd_result *out, const hd_dossier *dossier,
              const hd_params *params, hd_error *err);

/*
 * The Result record of rules.md as one line of JSON (no line end): the
 * members rules.md names and nothing else, in its order, so that results
 * from any implementation compare mechanically. Returns the buffer's
 * sticky error.
 */
int hd_result_record_json(hd_buf *out, const hd_result *r,
                          const hd_application *app);

/* Read a Result record back (what hd_result_record_json wrote): only the
 * members rules.md defines are filled. HD_EDATA when it is not one. */
int hd_result_from_record_json(hd_result *out, const char *json, size_t len,
                               hd_error *err);

/* ----------------------------------------------------- verifying cases */

/*
 * Everything a verification reads and where it writes its audit: the
 * dossier builders of src/verify (dossier_build.c for one case, roll.c
 * for a whole roll) are the only code that reads a person's department
 * records, and only through the consent gate (gate.c).
 */
typedef struct hd_verify_env {
    hd_feedstore *fs;
    hd_casestore *cs;
    const hd_policy *policy;
    uint32_t view_seq;      /* feed store view: 0 = every delivery */
    const char *actor;      /* who runs it, for the audit log */
    int64_t now;            /* seconds since 1970: the clock, passed in */
    uint8_t person_key[32]; /* key of the audit log's person hashes */
    bool record;            /* store the verification and its audit entry */
    /* The audit log's action: NULL or "verify"; "report" when a report
     * replays a verification (only the audit entry is recorded). */
    const char *action;
    /* The actor's role and region for the audit entry (NULL: a command
     * run on the server itself). */
    const char *role;
    const char *region;
    /* With record: write inside the caller's transaction instead of one
     * of its own (the case workflow writes its transition with it). */
    bool in_caller_txn;
    /* A case's corrections, applied to the dossier after it is read
     * (hd_dossier_apply_corrections). */
    const hd_case_correction *corrections;
    size_t correction_count;
    /* Filled by hd_verify_env_prepare: the delivery each feed is read
     * from in the view, and the view itself. */
    hd_feed_source feeds[32];
    uint32_t max_seq;
} hd_verify_env;

/* Work out which delivery each feed is read from (and pin the view to
 * the latest delivery when view_seq is 0). HD_ENOTFOUND when the feed
 * store does not hold what is to be read: with view_seq 0, a delivery
 * the case store has accepted (a front-end's copy not yet refreshed:
 * docs/deploy.md); otherwise, the deliveries up to view_seq. */
int hd_verify_env_prepare(hd_verify_env *env, hd_error *err);

/* The consent gate for one application: which declared members lack a
 * valid authorization (rules.md section 7, feeds.md). `auths` are the
 * authorizations on record for the members (any order). Fills
 * d->authorized and d->missing; `relied_on[i]` (may be NULL) gets the
 * index in `auths` of the authorization that covers member i, or -1. */
void hd_gate_check(hd_dossier *d, const hd_authorization *auths,
                   size_t auth_count, int *relied_on);
/* The gate for one application with the authorizations on record in
 * the case store: fills d->authorized and d->missing (as hd_gate_check),
 * and relied_ids[m] (one per member, hd_authorization's size) with the
 * id of the authorization that covers member m ("" when none). Reads only the
 * case store. */
int hd_gate_check_stored(hd_dossier *d, hd_casestore *cs,
                         const hd_application *app, char relied_ids[][64],
                         hd_error *err);

/* The keyed hash under which the audit log names a person: 32 hex
 * characters of BLAKE2b keyed with `key`. */
void hd_audit_person_hash(char out[33], const uint8_t key[32], const char *pid);

/*
 * Verify one application from the stores: gate, dossier (every record of
 * every authorized member, and the liveness records of an undeclared
 * spouse), parameters, hd_verify. With env->record, the verification and
 * its audit entry are written in one transaction of the case store.
 * `d` and `out` are initialised by the caller and reused across calls.
 */
int hd_verify_case(hd_result *out, hd_dossier *d, const hd_verify_env *env,
                   const hd_application *app, hd_error *err);

/* A roll's counts. */
typedef struct hd_roll_stats {
    int64_t lines;
    int64_t bad_lines; /* not an application at all: reported, skipped */
    int64_t families;  /* results written */
    int64_t by_program[HD_PROGRAM_COUNT_ + 1][5]; /* [program or unknown]
                                                     [conclusion] */
    int64_t records_read;
} hd_roll_stats;

typedef void (*hd_roll_progress_fn)(int64_t done, int64_t total, void *payload);

/*
 * Verify every application of a JSONL roll in one pass over the feed
 * store in person order (design.md principle 8): applications not yet in
 * the case store are recorded, the gate is applied to all at once, each
 * family's dossier is assembled as the scan passes its members, and one
 * Result record per line is written to `out_path` in roll order. With
 * env->record, every verification and one audit entry per case are
 * written to the case store in bulk. A line that is not an application
 * is reported through the log (file, line, field) and skipped.
 */
int hd_verify_roll(hd_roll_stats *stats, const hd_verify_env *env,
                   const char *roll_path, const char *out_path,
                   hd_roll_progress_fn progress, void *payload, hd_error *err);

#endif
