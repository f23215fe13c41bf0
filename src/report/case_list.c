/*
 * A list of cases for staff: the console's export of its case list, as
 * CSV or as an XLSX workbook, one row per case with Chinese headings and
 * names. A case row holds no personal data (no names, no IDs), so neither
 * format has any to mask.
 *
 * CSV is UTF-8 with a byte-order mark, which is how Excel, what staff
 * open it with, knows the encoding; fields are quoted when they hold a
 * comma, a quote or a line end (RFC 4180). The workbook is written in
 * libxlsxwriter's constant_memory mode, like the roll summary.
 */
#include "report_int.h"

#include <xlsxwriter.h>

#include <string.h>

#define XLSX_MAX_ROWS 1048576
#define EXPORT_COLS 13

static const char *const head[EXPORT_COLS] = {
    "案件编号", "行政区划", "救助类别", "状态",     "核对结论",
    "审核结果", "受理人",   "受理时间", "最后更新", "报告期限",
    "确认期限", "异议期至", "是否超期"};

struct hd_case_list_export {
    hd_case_list_format format;
    hd_buf *csv;
    lxw_workbook *wb;
    lxw_worksheet *ws;
    lxw_format *bold;
    lxw_row_t row;
    int sheets;
};

static const char *state_zh(const char *state)
{
    static const char *const t[][2] = {
        {"registered", "已受理"}, {"authorized", "已授权"},
        {"verified", "已核对"},   {"objected", "有异议"},
        {"corrected", "已更正"},  {"decided", "已审核确认"},
        {"archived", "已归档"},
    };
    for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++)
        if (!strcmp(state, t[i][0]))
            return t[i][1];
    return state;
}

static const char *decision_zh(const char *decision)
{
    return !strcmp(decision, "approved")   ? "批准"
           : !strcmp(decision, "rejected") ? "不予批准"
                                           : decision;
}

static const char *conclusion_zh(const char *conclusion)
{
    for (int c = HD_CONCLUSION_REFUSED; c <= HD_CONCLUSION_MEETS; c++)
        if (!strcmp(conclusion, hd_conclusion_name((hd_conclusion)c)))
            return rp_conclusion_zh((hd_conclusion)c);
    return conclusion;
}

/* "2026-11-28 10:31" in China time, or "" for 0. */
static const char *time_cn(char out[20], int64_t seconds)
{
    int32_t days;
    int64_t s = seconds + 8 * 3600;
    char date[11];

    if (!seconds)
        return "";
    days = (int32_t)((s >= 0 ? s : s - 86399) / 86400);
    hd_date_format(date, days);
    s -= (int64_t)days * 86400;
    snprintf(out, 20, "%s %02d:%02d", date, (int)(s / 3600),
             (int)(s % 3600 / 60));
    return out;
}

static const char *date_or_empty(char out[11], int32_t days)
{
    if (days == HD_CASE_NO_DATE)
        return "";
    hd_date_format(out, days);
    return out;
}

static void csv_field(hd_buf *b, const char *s, bool last)
{
    if (strpbrk(s, ",\"\r\n")) {
        hd_buf_putc(b, '"');
        for (; *s; s++) {
            if (*s == '"')
                hd_buf_putc(b, '"');
            hd_buf_putc(b, *s);
        }
        hd_buf_putc(b, '"');
    } else {
        hd_buf_puts(b, s);
    }
    hd_buf_puts(b, last ? "\r\n" : ",");
}

static int write_cells(hd_case_list_export *x, const char *const *cells,
                       lxw_format *fmt, hd_error *err)
{
    lxw_error e = LXW_NO_ERROR;

    if (x->format == HD_CASE_LIST_CSV) {
        for (int c = 0; c < EXPORT_COLS; c++)
            csv_field(x->csv, cells[c], c == EXPORT_COLS - 1);
        return hd_buf_error(x->csv)
                   ? hd_error_set(err, HD_ENOMEM, "case list: out of memory")
                   : 0;
    }
    for (int c = 0; c < EXPORT_COLS; c++)
        e |= worksheet_write_string(x->ws, x->row, (lxw_col_t)c, cells[c], fmt);
    x->row++;
    return e ? hd_error_set(err, HD_EIO, "xlsx: %s", lxw_strerror(e)) : 0;
}

/* A sheet (another after Excel's last row), headed. */
static int new_sheet(hd_case_list_export *x, hd_error *err)
{
    char name[32];

    snprintf(name, sizeof(name), x->sheets ? "案件列表%d" : "案件列表",
             x->sheets + 1);
    x->ws = workbook_add_worksheet(x->wb, name);
    if (!x->ws)
        return hd_error_set(err, HD_EIO, "xlsx: cannot add a sheet");
    x->sheets++;
    x->row = 0;
    worksheet_set_column(x->ws, 0, 0, 22, NULL);
    worksheet_set_column(x->ws, 1, 6, 12, NULL);
    worksheet_set_column(x->ws, 7, 8, 18, NULL);
    worksheet_set_column(x->ws, 9, 12, 12, NULL);
    return write_cells(x, head, x->bold, err);
}

int hd_case_list_export_open(hd_case_list_export **out,
                             hd_case_list_format format, hd_buf *csv,
                             const char *xlsx_path, int64_t issued_at,
                             hd_error *err)
{
    lxw_workbook_options opts = {LXW_TRUE, NULL, LXW_FALSE};
    lxw_doc_properties props;
    hd_case_list_export *x;
    int rc;

    *out = NULL;
    if (!(x = hd_calloc(1, sizeof(*x))))
        return hd_error_set(err, HD_ENOMEM, "case list: out of memory");
    x->format = format;
    if (format == HD_CASE_LIST_CSV) {
        x->csv = csv;
        hd_buf_puts(csv, "\xEF\xBB\xBF"); /* the BOM Excel looks for */
        if ((rc = write_cells(x, head, NULL, err)) != 0) {
            hd_free(x);
            return rc;
        }
        *out = x;
        return 0;
    }
    if (!(x->wb = workbook_new_opt(xlsx_path, &opts))) {
        hd_free(x);
        return hd_error_set(err, HD_EIO, "xlsx: cannot create %s", xlsx_path);
    }
    memset(&props, 0, sizeof(props));
    props.title = (char *)"案件列表"; /* libxlsxwriter's API is not const */
    props.author = (char *)"hedui";
    props.created = (time_t)issued_at; /* else it reads the clock */
    workbook_set_properties(x->wb, &props);
    x->bold = workbook_add_format(x->wb);
    format_set_bold(x->bold);
    format_set_bg_color(x->bold, 0xEEEEEE);
    if ((rc = new_sheet(x, err)) != 0) {
        workbook_close(x->wb);
        hd_free(x);
        return rc;
    }
    *out = x;
    return 0;
}

int hd_case_list_export_add(hd_case_list_export *x, const hd_case_row *c,
                            bool overdue, hd_error *err)
{
    int program = hd_program_find(c->program, strlen(c->program));
    char opened[20], updated[20], d1[11], d2[11], d3[11];
    const char *cells[EXPORT_COLS] = {
        c->case_no,
        c->region,
        program >= 0 ? rp_program_zh(program) : c->program,
        state_zh(c->state),
        conclusion_zh(c->conclusion),
        decision_zh(c->decision),
        c->opened_by,
        time_cn(opened, c->opened_at),
        time_cn(updated, c->updated_at),
        date_or_empty(d1, c->report_due),
        date_or_empty(d2, c->decision_due),
        date_or_empty(d3, c->objection_until),
        overdue ? "超期" : "",
    };
    int rc;

    if (x->format == HD_CASE_LIST_XLSX && x->row >= XLSX_MAX_ROWS &&
        (rc = new_sheet(x, err)) != 0)
        return rc;
    return write_cells(x, cells, NULL, err);
}

int hd_case_list_export_close(hd_case_list_export *x, hd_error *err)
{
    lxw_error e = LXW_NO_ERROR;

    if (!x)
        return 0;
    if (x->wb)
        e = workbook_close(x->wb);
    hd_free(x);
    return e ? hd_error_set(err, HD_EIO, "xlsx: %s", lxw_strerror(e)) : 0;
}
