/*
 * Internals shared by the report renderers: names and Chinese wording,
 * number formatting, and the document model that HTML, PDF and XLSX all
 * render, so that the three show the same tables.
 */
#ifndef HEDUI_REPORT_INT_H
#define HEDUI_REPORT_INT_H

#include <hedui/report.h>

/* ------------------------------------------------------------- wording */

/* The neutral name of a test ("家庭人均月收入") for the tests table. */
const char *rp_test_zh(hd_code code);
const char *rp_conclusion_zh(hd_conclusion c);
const char *rp_level_zh(hd_level level);
const char *rp_program_zh(int program); /* -1: "未知项目" */
const char *rp_relation_zh(const char *code);
const char *rp_figure_zh(hd_figure_id id);
const char *rp_feed_zh(const hd_feed *feed);
/* Chinese for a code value or a source note ("residential" -> 住宅), or
 * the word itself. */
const char *rp_word_zh(const char *word);
/* The unit of a test's figure and limit: "fen", "m2x100" or "count". */
const char *rp_test_unit(hd_code code);

/* The statement that figures are facts and the conclusion a suggestion,
 * and the objection notice (days from the options). */
const char *rp_statement_zh(void);
const char *rp_objection_zh(char *out, size_t len, int days);

/* ---------------------------------------------------------- formatting */

#define RP_NUM_MAX 64

/* "1,234.56" (fen as yuan, thousands separators). */
const char *rp_money(char out[RP_NUM_MAX], int64_t fen);
/* "89.50" (hundredths of m² as m²). */
const char *rp_area(char out[RP_NUM_MAX], int64_t m2x100);
/*
 * num / den as an exact decimal when there is one ("226500",
 * "201329.6333"), else "num/den"; `scale` moves the decimal point left
 * (2 turns fen into yuan) and `group` adds thousands separators.
 */
const char *rp_rational(char out[RP_NUM_MAX], int64_t num, int64_t den,
                        int scale, bool group);
/* A pid as the report shows it: masked unless `full`. */
const char *rp_pid(char out[HD_PID_LEN + 1], const char *pid, bool full);
/* The key columns of a record joined by '|', pids masked unless full. */
int rp_record_key(hd_buf *out, const hd_dossier_record *rec, bool full);
/* The key of the record a correction names, as rp_record_key writes a
 * record's (pids masked unless full). */
int rp_correction_key(hd_buf *out, const hd_dossier_correction *c, bool full);
/* The member a correction is about (declared index), -1 when none. */
int rp_correction_member(const hd_application *app,
                         const hd_dossier_correction *c);
/* One named column of a record in its text form ("" for null/none). */
int rp_record_value(hd_buf *out, const hd_dossier_record *rec,
                    const char *column);
/* issued_at as China Standard Time: "2026-11-27T16:00:00+08:00", and
 * the date alone. */
const char *rp_datetime(char out[RP_NUM_MAX], int64_t issued_at);
const char *rp_issue_date(char out[RP_NUM_MAX], int64_t issued_at);
/* The last period of the income window. */
int32_t rp_window_last(const hd_result *r);

/* ------------------------------------------------------ document model */

#define RP_MAX_COLS 8

typedef enum rp_kind { RP_HEADING, RP_PARA, RP_TABLE } rp_kind;

/* Workbook sheets of the one-case XLSX. */
typedef enum rp_sheet {
    RP_SHEET_SUMMARY,
    RP_SHEET_INCOME,
    RP_SHEET_ASSETS,
    RP_SHEET_EXPENDITURE,
    RP_SHEET_TESTS,
    RP_SHEET_COUNT_
} rp_sheet;

typedef struct rp_block {
    rp_kind kind;
    rp_sheet sheet;
    const char *text; /* heading or paragraph */
    bool strong;      /* a paragraph shown with emphasis */
    int cols;
    const char *head[RP_MAX_COLS];
    int weight[RP_MAX_COLS]; /* relative column widths */
    bool right[RP_MAX_COLS]; /* numbers: right-aligned */
    size_t rows;
    size_t cap;
    const char **cells; /* rows x cols */
} rp_block;

typedef struct rp_doc {
    hd_arena arena;
    int err;
    const char *case_no;
    const char *program_zh;
    const char *issue_date;
    const char *issuer;
    rp_block *blocks;
    size_t count;
    size_t cap;
} rp_doc;

/* Build the document of a report. Returns 0 or HD_ENOMEM. */
int rp_doc_build(rp_doc *d, const hd_result *r, const hd_application *app,
                 const hd_report_options *opt);
void rp_doc_release(rp_doc *d);

/* The sheet names of the one-case XLSX ("概要", ...). */
const char *rp_sheet_name(rp_sheet sheet);

#endif
