/*
 * Hand-built results for the report tests: an application of three
 * members, the records behind the figures (parsed with hd_row_parse from
 * text fields), and a result as the engine would fill it, for each kind
 * of conclusion. Only synthetic data.
 */
#ifndef HEDUI_REPORT_FIXTURE_H
#define HEDUI_REPORT_FIXTURE_H

#include <hedui/report.h>

#define RF_MAX_RECORDS 48

typedef enum rf_kind {
    RF_MEETS,
    RF_FAILS,
    RF_REVIEW,
    RF_REFUSED,
    RF_UNAUTHORIZED,
    RF_ESCAPING
} rf_kind;

typedef struct rf_case {
    hd_application app;
    hd_result r;
    hd_dossier_record records[RF_MAX_RECORDS];
    size_t record_count;
    hd_test tests[24];
    hd_month_income months[16];
    hd_source_row sources[RF_MAX_RECORDS];
    char pids[4][HD_PID_LEN + 1];
    char text[16384]; /* the fields the records' texts borrow */
    size_t text_len;
} rf_case;

/* Fill `c` (which must not move afterwards: rows borrow its text). */
void rf_build(rf_case *c, rf_kind kind);
/* The options of the golden files: masked, issued 2026-11-27 16:00 CST. */
hd_report_options rf_options(bool full_pids);
/*
 * Compare `len` bytes with tests/golden/report/<name>; with
 * HEDUI_REGENERATE=1 write the file first (then review the diff).
 */
void rf_golden(const char *name, const char *data, size_t len);

#endif
