/*
 * hedui cases: the case workflow of a verification centre (docs/cases.md).
 *
 *   registered --authorize--> authorized --verify--> verified
 *   verified --decide--> decided --archive--> archived
 *   verified --object--> objected --correct--> corrected --verify--> verified
 *   objected --dismiss--> verified
 *
 * Every action is made by a named user (hd_case_actor: username, role,
 * region) with a reason, checked against the role, the region (the
 * user's region must cover the case's: a province PP0000 its own, a city
 * PPCC00 its counties, a county itself) and the state, and refused with
 * HD_EDENIED or HD_ESTATE and a message that says what is allowed. An
 * action that goes through writes the case's new row, a case_event and an
 * audit entry (actor, role, region, action "case.<action>", case, persons
 * as keyed hashes, authorizations relied on, outcome) in one case-store
 * transaction; a refused one writes nothing. Of two users moving one
 * case at once, one wins and the other gets HD_ECONFLICT naming who moved
 * it (compare and set on the case's version).
 *
 * Deadlines are counted in working days on a Chinese calendar of public
 * holidays and make-up working days (调休), shipped as data per year
 * (data/calendar/YYYY.txt), with the days per region from the policy
 * (report_days, decision_days, objection_days).
 *
 * A case store handle is for one thread, and so is everything here that
 * takes one; a loaded calendar is immutable and may be shared.
 */
#ifndef HEDUI_CASES_H
#define HEDUI_CASES_H

#include <hedui/report.h>
#include <hedui/verify.h>

/* ------------------------------------------------------------- calendar */

typedef struct hd_calendar hd_calendar;

/*
 * Read every YYYY.txt in `dir` (data/calendar). A file holds one year:
 *
 *   year 2026
 *   holiday 2026-02-15 2026-02-23     a range of days off, both inclusive
 *   holiday 2026-06-19                one day off
 *   workday 2026-02-14                a weekend day worked (调休)
 *
 * with '#' comments (the State Council notice it is taken from). Other
 * days are working days Monday to Friday. HD_EDATA with file and line
 * for a line that breaks this, or a date outside the file's year;
 * HD_EIO when the folder cannot be read; HD_ENOTFOUND when it holds no
 * year.
 */
int hd_calendar_load(hd_calendar **out, const char *dir, hd_error *err);
/* One year's text, as a file holds it, added to `cal` (a new calendar
 * when *cal is NULL). `name` is for errors. */
int hd_calendar_add_year(hd_calendar **cal, const char *name, const char *text,
                         size_t len, hd_error *err);
void hd_calendar_free(hd_calendar *cal);

/* Is `date` a working day? *known (may be NULL) is false when its year
 * is not shipped: then Monday to Friday are working days. */
bool hd_calendar_is_working_day(const hd_calendar *cal, int32_t date,
                                bool *known);

/*
 * The `days`-th working day after `from` (from itself does not count;
 * days >= 0: 0 gives `from`). *provisional (may be NULL) is set when a
 * day counted lies in a year the calendar does not ship: those days were
 * counted Monday to Friday, and the date may move when the year's
 * notice is published. `cal` may be NULL (no year shipped).
 */
int hd_calendar_add_working_days(int32_t *out, bool *provisional,
                                 const hd_calendar *cal, int32_t from, int days,
                                 hd_error *err);

/* The date in China (UTC+8, no daylight saving) of a time in seconds
 * since 1970. */
int32_t hd_cases_today(int64_t now);

/* ---------------------------------------------------------- the workflow */

typedef enum hd_case_state {
    HD_CASE_REGISTERED,
    HD_CASE_AUTHORIZED,
    HD_CASE_VERIFIED,
    HD_CASE_OBJECTED,
    HD_CASE_CORRECTED,
    HD_CASE_DECIDED,
    HD_CASE_ARCHIVED,
    HD_CASE_STATE_COUNT_
} hd_case_state;

/* "registered", ...; hd_case_state_find gives -1 for an unknown name. */
const char *hd_case_state_name(hd_case_state state);
int hd_case_state_find(const char *name);

typedef enum hd_case_action {
    HD_CASE_REGISTER,
    HD_CASE_AUTHORIZE,
    HD_CASE_VERIFY,
    HD_CASE_OBJECT,
    HD_CASE_CORRECT,
    HD_CASE_DISMISS,
    HD_CASE_DECIDE,
    HD_CASE_ARCHIVE,
    HD_CASE_ACTION_COUNT_
} hd_case_action;

/* "register", ... (events and audit entries say "case.<name>"). */
const char *hd_case_action_name(hd_case_action action);

/* Who acts. Roles are src/staff's names: clerk, verifier, approver,
 * auditor, admin. */
typedef struct hd_case_actor {
    const char *username;
    const char *role;
    const char *region; /* 6 digits */
} hd_case_actor;

/*
 * May `who` take `action` on a case of `case_region` in `state`? 0, or
 * HD_EDENIED (role or region) or HD_ESTATE, with err saying who may, or
 * from which states. The workflow's own check, for a console that greys
 * out what cannot be done; the actions check again.
 */
int hd_case_check(const hd_case_actor *who, hd_case_action action,
                  const char *case_region, hd_case_state state, hd_error *err);

/*
 * What the actions work with. `cs`, `calendar` (may be NULL: every year
 * provisional), `policy` (the latest version: deadlines per region) and
 * `now` always; `person_key` names members in audit entries
 * (hd_audit_person_hash). `verify` is for hd_case_verify only: the feed
 * store, the view and the policy of the verification, prepared with
 * hd_verify_env_prepare; the workflow sets its cs, actor, role, region,
 * now, person_key, record and corrections itself (on a copy).
 */
typedef struct hd_cases_env {
    hd_casestore *cs;
    const hd_policy *policy;
    const hd_calendar *calendar;
    int64_t now; /* seconds since 1970 */
    uint8_t person_key[32];
    const hd_verify_env *verify;
} hd_cases_env;

/* Every action fills `out` (may be NULL) with the case as it now is.
 * `reason` is required (non-empty) for all. */

/* Register the application `application_no` (recorded before with
 * hedui apply import) as a case in its region: clerk. The report is due
 * report_days working days after today. HD_ENOTFOUND without such an
 * application, HD_EEXISTS when it is already a case, HD_EDATA when it was
 * refused as malformed (it can only be verified as refused, never
 * registered). */
int hd_case_register(hd_case_row *out, const hd_cases_env *env,
                     const hd_case_actor *who, const char *application_no,
                     const char *reason, hd_error *err);

/* registered -> authorized: clerk, once every declared member has an
 * authorization on record that covers the program on applied_on (the
 * consent gate, hd_gate_check). Refused with HD_ESTATE naming the members
 * (masked IDs) that lack one. */
int hd_case_authorize(hd_case_row *out, const hd_cases_env *env,
                      const hd_case_actor *who, const char *case_no,
                      const char *reason, hd_error *err);

/*
 * Verify (authorized -> verified) or re-verify with the corrections
 * (corrected -> verified): verifier. Runs hd_verify_case with env->verify
 * and the case's corrections, records the verification, its read audit
 * entry, the transition and its own audit entry in one transaction, and
 * sets the verification id, the conclusion, the decision due date
 * (decision_days after today) and the objection window (objection_days
 * after today). `work` (hd_case_work_init) keeps the application,
 * dossier and result, for the report. HD_EDATA when a correction cannot
 * be applied (err names it; nothing written).
 */
typedef struct hd_case_work {
    hd_application app;
    hd_dossier dossier;
    hd_result result;
    hd_case_correction *corrections;
    size_t correction_count;
    hd_policy *policy; /* a replay's policy version (the result's
                          parameter sources borrow it) */
    /* A replay's verification: its feed store view, policy version and
     * time (a report's issue time, so that it is the same bytes each
     * time). */
    uint32_t view_seq;
    int64_t policy_version;
    int64_t verified_at;
    hd_arena arena; /* the corrections' texts */
} hd_case_work;

void hd_case_work_init(hd_case_work *w);
void hd_case_work_release(hd_case_work *w);

int hd_case_verify(hd_case_row *out, hd_case_work *work,
                   const hd_cases_env *env, const hd_case_actor *who,
                   const char *case_no, const char *reason, hd_error *err);

/* verified -> objected: clerk, while today is within the objection
 * window (HD_ESTATE once it has closed). `item` names the disputed data
 * item (a feed and key, a figure: free text, kept in the event). */
int hd_case_object(hd_case_row *out, const hd_cases_env *env,
                   const hd_case_actor *who, const char *case_no,
                   const char *item, const char *reason, hd_error *err);

/*
 * objected -> corrected, or another correction while corrected:
 * verifier. Adds `count` corrections (case_no, made_by and made_at are
 * set here; each needs pid of a declared member, a feed of feeds.md,
 * record_key, evidence, and either field (a non-key column) and value
 * (checked against the column's type) or neither: the record does not
 * count). HD_EDATA naming the correction and member at fault; nothing
 * is written then.
 */
int hd_case_correct(hd_case_row *out, const hd_cases_env *env,
                    const hd_case_actor *who, const char *case_no,
                    const hd_case_correction *corrections, size_t count,
                    const char *reason, hd_error *err);

/* objected -> verified: verifier, when the disputed item was checked and
 * the data stand (the reason says why). The report stands as issued; the
 * objection window is not opened again. */
int hd_case_dismiss(hd_case_row *out, const hd_cases_env *env,
                    const hd_case_actor *who, const char *case_no,
                    const char *reason, hd_error *err);

/* verified -> decided: approver, `approved` true or false, with the
 * reasons. Refused with HD_ESTATE while the objection window is still
 * open: the family keeps its days to object. */
int hd_case_decide(hd_case_row *out, const hd_cases_env *env,
                   const hd_case_actor *who, const char *case_no, bool approved,
                   const char *reason, hd_error *err);

/* decided -> archived: approver or admin. */
int hd_case_archive(hd_case_row *out, const hd_cases_env *env,
                    const hd_case_actor *who, const char *case_no,
                    const char *reason, hd_error *err);

/*
 * Replay the case's latest verification for a report (its feed store
 * view and policy version from the case store, the corrections made
 * before it), audited as a "report" read by `who` (any role but auditor
 * whose region covers the case). `work` then holds what hd_report_*
 * render. env->verify gives the feed store; its view and policy are
 * replaced by the verification's own. HD_ESTATE when the case has no
 * verification yet.
 */
int hd_case_replay(hd_case_work *work, const hd_cases_env *env,
                   const hd_case_actor *who, const char *case_no,
                   hd_error *err);

/* The corrections the case's latest verification applied, into
 * w->corrections (none for an application that is not a case, or a case
 * never corrected): for a replay made outside the workflow (`hedui
 * report`), which must give the figures that were recorded. */
int hd_case_corrections_load(hd_case_work *w, hd_casestore *cs,
                             const char *case_no, hd_error *err);

/* Is the case overdue on `today`: its report due and not issued, or its
 * decision due and not made? */
bool hd_case_overdue(const hd_case_row *c, int32_t today);

/* May the family still object on `today`? Until the window's last day,
 * inclusive; a case not yet verified has no window. A decision waits for
 * the window to close. */
bool hd_case_objection_open(const hd_case_row *c, int32_t today);

#endif
