/*
 * XLSX: one case as a workbook (sheets 概要/收入/资产/支出/检验, from the
 * document model, cells as the other formats show them), and the roll
 * summary, one row per result, written in libxlsxwriter's constant_memory
 * mode so that each row goes to a temporary file as soon as the next one
 * starts: memory stays bounded however long the roll.
 *
 * Determinism: the workbook's `created` property is issued_at (else
 * libxlsxwriter reads the clock for docProps/core.xml), and
 * libxlsxwriter 1.1 dates every zip entry 1980-01-01 00:00 whatever the
 * clock says, so the same inputs give the same bytes (a test writes a
 * workbook twice, two seconds apart, and compares). libxlsxwriter allocates
 * with malloc, outside hd_malloc.
 */
#include "report_int.h"

#include <xlsxwriter.h>

#include <stdio.h>
#include <string.h>

/* Excel's last row is 1,048,576: the roll continues on another sheet. */
#define XLSX_MAX_ROWS 1048576

static int lxw_fail(hd_error *err, lxw_error e, const char *what)
{
    return hd_error_set(err, HD_EIO, "xlsx: %s: %s", what, lxw_strerror(e));
}

static void set_created(lxw_workbook *wb, int64_t issued_at, const char *title)
{
    lxw_doc_properties props;
    memset(&props, 0, sizeof(props));
    props.title = (char *)title; /* libxlsxwriter's API is not const */
    props.author = (char *)"hedui";
    props.created = (time_t)issued_at;
    workbook_set_properties(wb, &props);
}

int hd_report_xlsx(const char *path, const hd_result *r,
                   const hd_application *app, const hd_report_options *opt,
                   hd_error *err)
{
    rp_doc d;
    lxw_workbook *wb = NULL;
    lxw_worksheet *ws[RP_SHEET_COUNT_];
    lxw_row_t next[RP_SHEET_COUNT_];
    lxw_format *bold, *head;
    lxw_workbook_options opts = {LXW_TRUE, NULL, LXW_FALSE};
    lxw_error e;
    int rc;

    if (!path || !r || !app || !opt)
        return hd_error_set(err, HD_EINVAL, "report: missing argument");
    rc = rp_doc_build(&d, r, app, opt);
    if (rc != 0) {
        hd_error_set(err, rc, "report: out of memory");
        goto out;
    }
    /* constant_memory also writes strings inline in the sheet XML, so
     * each sheet reads on its own; rows only ever grow per sheet. */
    wb = workbook_new_opt(path, &opts);
    if (!wb) {
        rc = hd_error_set(err, HD_EIO, "xlsx: cannot create %s", path);
        goto out;
    }
    set_created(wb, opt->issued_at, "家庭经济状况核对报告");
    bold = workbook_add_format(wb);
    format_set_bold(bold);
    head = workbook_add_format(wb);
    format_set_bold(head);
    format_set_bg_color(head, 0xEEEEEE);
    format_set_border(head, LXW_BORDER_THIN);
    for (int s = 0; s < RP_SHEET_COUNT_; s++) {
        ws[s] = workbook_add_worksheet(wb, rp_sheet_name((rp_sheet)s));
        next[s] = 0;
        worksheet_set_column(ws[s], 0, 0, 22, NULL);
        worksheet_set_column(ws[s], 1, 7, 18, NULL);
    }
    /* Every sheet starts with the case it is about. */
    for (int s = 0; s < RP_SHEET_COUNT_; s++) {
        char title[256];
        snprintf(title, sizeof(title), "家庭经济状况核对报告 核对编号 %s %s %s",
                 d.case_no, d.program_zh, d.issue_date);
        worksheet_write_string(ws[s], 0, 0, title, bold);
        next[s] = 2;
    }
    for (size_t i = 0; i < d.count; i++) {
        const rp_block *b = &d.blocks[i];
        lxw_worksheet *w = ws[b->sheet];
        lxw_row_t *row = &next[b->sheet];
        if (b->kind == RP_HEADING) {
            (*row)++;
            worksheet_write_string(w, (*row)++, 0, b->text, bold);
        } else if (b->kind == RP_PARA) {
            worksheet_write_string(w, (*row)++, 0, b->text,
                                   b->strong ? bold : NULL);
        } else {
            for (int c = 0; c < b->cols; c++)
                worksheet_write_string(w, *row, (lxw_col_t)c, b->head[c], head);
            (*row)++;
            for (size_t k = 0; k < b->rows; k++) {
                for (int c = 0; c < b->cols; c++)
                    worksheet_write_string(
                        w, *row, (lxw_col_t)c,
                        b->cells[k * (size_t)b->cols + (size_t)c], NULL);
                (*row)++;
            }
        }
    }
    e = workbook_close(wb);
    wb = NULL;
    if (e != LXW_NO_ERROR)
        rc = lxw_fail(err, e, path);
out:
    rp_doc_release(&d);
    return rc;
}

/* ------------------------------------------------------------------ roll */

#define ROLL_PROGRAMS (HD_PROGRAM_COUNT_ + 1) /* the last: unknown */
#define ROLL_CONCLUSIONS 5

struct hd_xlsx_roll {
    lxw_workbook *wb;
    lxw_worksheet *ws;
    lxw_format *head;
    lxw_format *money;
    lxw_format *area;
    lxw_row_t row;
    int sheets;
    int64_t counts[ROLL_PROGRAMS][ROLL_CONCLUSIONS];
};

static const char *const roll_head[] = {"核对编号",
                                        "申请项目",
                                        "建议结论",
                                        "家庭经济状况层级",
                                        "计入人口",
                                        "人均月收入（元）",
                                        "扣除刚性支出后人均月收入（元）",
                                        "人均金融资产（元）",
                                        "住房套数",
                                        "人均住房面积（m²）",
                                        "计入车辆",
                                        "未通过的检验",
                                        "核对发现",
                                        "申请人身份证号"};
#define ROLL_COLS (int)(sizeof(roll_head) / sizeof(roll_head[0]))

static void roll_sheet(hd_xlsx_roll *x)
{
    char name[32];
    x->sheets++;
    if (x->sheets == 1)
        snprintf(name, sizeof(name), "汇总");
    else
        snprintf(name, sizeof(name), "汇总%d", x->sheets);
    x->ws = workbook_add_worksheet(x->wb, name);
    worksheet_set_column(x->ws, 0, 0, 22, NULL);
    worksheet_set_column(x->ws, 1, ROLL_COLS - 1, 14, NULL);
    for (int c = 0; c < ROLL_COLS; c++)
        worksheet_write_string(x->ws, 0, (lxw_col_t)c, roll_head[c], x->head);
    x->row = 1;
}

int hd_xlsx_roll_open(hd_xlsx_roll **out, const char *path, int64_t issued_at,
                      hd_error *err)
{
    lxw_workbook_options opts = {LXW_TRUE, NULL, LXW_FALSE};
    hd_xlsx_roll *x;

    *out = NULL;
    x = hd_calloc(1, sizeof(*x));
    if (!x)
        return hd_error_set(err, HD_ENOMEM, "xlsx: out of memory");
    x->wb = workbook_new_opt(path, &opts);
    if (!x->wb) {
        hd_free(x);
        return hd_error_set(err, HD_EIO, "xlsx: cannot create %s", path);
    }
    set_created(x->wb, issued_at, "核对结果汇总");
    x->head = workbook_add_format(x->wb);
    format_set_bold(x->head);
    format_set_bg_color(x->head, 0xEEEEEE);
    x->money = workbook_add_format(x->wb);
    format_set_num_format(x->money, "#,##0.00");
    x->area = workbook_add_format(x->wb);
    format_set_num_format(x->area, "0.00");
    roll_sheet(x);
    *out = x;
    return 0;
}

static void codes_text(char *out, size_t len, uint64_t bits)
{
    size_t o = 0;
    out[0] = '\0';
    for (int c = 0; c < HD_CODE_COUNT_ && o < len; c++)
        if (bits & ((uint64_t)1 << c))
            o += (size_t)snprintf(out + o, len - o, "%s%s", o ? "," : "",
                                  hd_code_name((hd_code)c));
}

int hd_xlsx_roll_add(hd_xlsx_roll *x, const hd_result *r,
                     const hd_application *app, hd_error *err)
{
    int program = hd_program_find(r->program, strlen(r->program));
    bool gated = r->conclusion == HD_CONCLUSION_REFUSED ||
                 r->conclusion == HD_CONCLUSION_UNAUTHORIZED;
    char text[512], pid[HD_PID_LEN + 1];
    lxw_row_t row;
    lxw_error e = LXW_NO_ERROR;

    if (!x || !r || !app)
        return hd_error_set(err, HD_EINVAL, "xlsx: missing argument");
    if (x->row >= XLSX_MAX_ROWS)
        roll_sheet(x);
    row = x->row++;
    x->counts[program >= 0 ? program : HD_PROGRAM_COUNT_]
             [(unsigned)r->conclusion < ROLL_CONCLUSIONS ? r->conclusion : 0]++;
    e |= worksheet_write_string(x->ws, row, 0, r->application_no, NULL);
    e |= worksheet_write_string(x->ws, row, 1, rp_program_zh(program), NULL);
    e |= worksheet_write_string(x->ws, row, 2, rp_conclusion_zh(r->conclusion),
                                NULL);
    if (!gated && r->has_level)
        e |= worksheet_write_string(x->ws, row, 3, rp_level_zh(r->level), NULL);
    if (!gated && r->has_figures) {
        const hd_figures *f = &r->figures;
        e |= worksheet_write_number(x->ws, row, 4, f->members, NULL);
        e |= worksheet_write_number(x->ws, row, 5, (double)f->pci_fen / 100.0,
                                    x->money);
        e |= worksheet_write_number(x->ws, row, 6,
                                    (double)f->pci_after_fen / 100.0, x->money);
        e |= worksheet_write_number(x->ws, row, 7, (double)f->pca_fen / 100.0,
                                    x->money);
        e |= worksheet_write_number(x->ws, row, 8, f->homes, NULL);
        e |= worksheet_write_number(x->ws, row, 9,
                                    (double)f->area_pc_m2x100 / 100.0, x->area);
        e |= worksheet_write_number(x->ws, row, 10, f->vehicles, NULL);
    }
    codes_text(text, sizeof(text), r->failed);
    if (text[0])
        e |= worksheet_write_string(x->ws, row, 11, text, NULL);
    codes_text(text, sizeof(text), r->findings);
    if (text[0])
        e |= worksheet_write_string(x->ws, row, 12, text, NULL);
    if (app->member_count > 0)
        e |= worksheet_write_string(x->ws, row, 13,
                                    rp_pid(pid,
                                           app->members[0].pid[0]
                                               ? app->members[0].pid
                                               : app->members[0].pid_raw,
                                           false),
                                    NULL);
    if (e != LXW_NO_ERROR)
        return hd_error_set(err, HD_EIO, "xlsx: cannot write row %u",
                            (unsigned)row);
    return 0;
}

int hd_xlsx_roll_close(hd_xlsx_roll *x, hd_error *err)
{
    static const hd_conclusion order[ROLL_CONCLUSIONS] = {
        HD_CONCLUSION_MEETS, HD_CONCLUSION_FAILS, HD_CONCLUSION_REVIEW,
        HD_CONCLUSION_UNAUTHORIZED, HD_CONCLUSION_REFUSED};
    lxw_worksheet *ws;
    lxw_error e;
    int rc = 0;

    if (!x)
        return 0;
    ws = workbook_add_worksheet(x->wb, "统计");
    worksheet_set_column(ws, 0, 0, 14, NULL);
    worksheet_set_column(ws, 1, ROLL_CONCLUSIONS + 1, 16, NULL);
    worksheet_write_string(ws, 0, 0, "申请项目", x->head);
    for (int c = 0; c < ROLL_CONCLUSIONS; c++)
        worksheet_write_string(ws, 0, (lxw_col_t)(c + 1),
                               rp_conclusion_zh(order[c]), x->head);
    worksheet_write_string(ws, 0, ROLL_CONCLUSIONS + 1, "合计", x->head);
    for (int p = 0; p < ROLL_PROGRAMS; p++) {
        int64_t sum = 0;
        lxw_row_t row = (lxw_row_t)(p + 1);
        worksheet_write_string(
            ws, row, 0, rp_program_zh(p < HD_PROGRAM_COUNT_ ? p : -1), NULL);
        for (int c = 0; c < ROLL_CONCLUSIONS; c++) {
            sum += x->counts[p][order[c]];
            worksheet_write_number(ws, row, (lxw_col_t)(c + 1),
                                   (double)x->counts[p][order[c]], NULL);
        }
        worksheet_write_number(ws, row, ROLL_CONCLUSIONS + 1, (double)sum,
                               NULL);
    }
    e = workbook_close(x->wb);
    if (e != LXW_NO_ERROR)
        rc = lxw_fail(err, e, "cannot write the workbook");
    hd_free(x);
    return rc;
}
