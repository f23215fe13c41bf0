/*
 * hedui report: the reports of one verification (JSON, HTML, PDF, XLSX)
 * and the XLSX summary of a whole roll. docs/reports.md describes every
 * format and every member of the JSON report.
 *
 * A report shows the figures of an hd_result as facts, with the records
 * they came from (feed, delivery id, key), and the conclusion as a
 * suggestion to the civil affairs department, which decides. Reports are
 * deterministic: the clock is passed in (`issued_at`), so the same inputs
 * give the same bytes. Citizen IDs are masked (hd_mask_pid) unless
 * `full_pids` is set.
 *
 * Every function is reentrant; a roll writer belongs to one thread.
 */
#ifndef HEDUI_REPORT_H
#define HEDUI_REPORT_H

#include <hedui/verify.h>

typedef struct hd_report_options {
    bool full_pids;     /* false: IDs masked 330106********1234 everywhere,
                           source keys included */
    int64_t issued_at;  /* seconds since 1970 (UTC): the report's clock */
    const char *issuer; /* the verification centre's name; NULL for none */
    int objection_days; /* working days to object; 0 means 5 */
} hd_report_options;

/*
 * Render one result. `app` is the application the result is about (its
 * members give pids, names and relations); `r` borrows the dossier's
 * records through its sources, which must still be alive. The renderers
 * append to `out` (an initialised buffer) and return 0, the buffer's
 * sticky error, HD_EINVAL for a NULL argument, HD_ENOMEM, or (PDF)
 * HD_EIO when cairo reports an error.
 */
int hd_report_json(hd_buf *out, const hd_result *r, const hd_application *app,
                   const hd_report_options *opt, hd_error *err);
/* One self-contained printable page (inline CSS, no scripts). */
int hd_report_html(hd_buf *out, const hd_result *r, const hd_application *app,
                   const hd_report_options *opt, hd_error *err);
/* A4 portrait, cairo + pango, font "Noto Sans CJK SC". */
int hd_report_pdf(hd_buf *out, const hd_result *r, const hd_application *app,
                  const hd_report_options *opt, hd_error *err);
/* One case as a workbook with sheets 概要/收入/资产/支出/检验, written to
 * `path` (replaced). HD_EIO when libxlsxwriter fails. */
int hd_report_xlsx(const char *path, const hd_result *r,
                   const hd_application *app, const hd_report_options *opt,
                   hd_error *err);

/*
 * A roll summary: one row per result on sheet 汇总, written as it comes
 * (libxlsxwriter's constant_memory mode: a million rows stay in bounded
 * memory; temporary files go to $TMPDIR), and on close a second sheet 统计
 * with the count of each conclusion per program. IDs are always masked.
 */
typedef struct hd_xlsx_roll hd_xlsx_roll;

int hd_xlsx_roll_open(hd_xlsx_roll **out, const char *path, int64_t issued_at,
                      hd_error *err);
int hd_xlsx_roll_add(hd_xlsx_roll *x, const hd_result *r,
                     const hd_application *app, hd_error *err);
/* Write the workbook and free `x` (always, also on error; NULL is
 * accepted). */
int hd_xlsx_roll_close(hd_xlsx_roll *x, hd_error *err);

/*
 * A list of cases for staff (the console's export), one row per case with
 * Chinese headings and names; a case row holds no personal data. CSV is
 * UTF-8 with a byte-order mark (for Excel), appended to `csv`; XLSX is
 * written to `xlsx_path` (constant memory; a sheet per 1,048,575 rows),
 * its `created` property `issued_at`. Add rows in the order wanted, then
 * close (always, also after an error; NULL is accepted).
 */
typedef enum hd_case_list_format {
    HD_CASE_LIST_CSV,
    HD_CASE_LIST_XLSX
} hd_case_list_format;

typedef struct hd_case_list_export hd_case_list_export;

int hd_case_list_export_open(hd_case_list_export **out,
                             hd_case_list_format format, hd_buf *csv,
                             const char *xlsx_path, int64_t issued_at,
                             hd_error *err);
int hd_case_list_export_add(hd_case_list_export *x, const hd_case_row *c,
                            bool overdue, hd_error *err);
int hd_case_list_export_close(hd_case_list_export *x, hd_error *err);

#endif
