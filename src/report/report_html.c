/*
 * The HTML report: one self-contained printable page (inline CSS with A4
 * print rules, no scripts, no external resources), rendered from the
 * document model. Every text goes through escape(): names and record
 * values may hold <, & and quotes.
 */
#include "report_int.h"

#include <string.h>

static void escape(hd_buf *b, const char *s)
{
    for (; *s; s++) {
        switch (*s) {
        case '<':
            hd_buf_puts(b, "&lt;");
            break;
        case '>':
            hd_buf_puts(b, "&gt;");
            break;
        case '&':
            hd_buf_puts(b, "&amp;");
            break;
        case '"':
            hd_buf_puts(b, "&quot;");
            break;
        case '\'':
            hd_buf_puts(b, "&#39;");
            break;
        default:
            hd_buf_putc(b, *s);
        }
    }
}

static const char css[] =
    "@page{size:A4 portrait;margin:18mm 15mm}"
    "body{font-family:\"Noto Sans CJK SC\",\"Source Han Sans SC\","
    "\"Microsoft YaHei\",sans-serif;font-size:10.5pt;color:#111;"
    "margin:0 auto;max-width:180mm;line-height:1.5}"
    "h1{font-size:18pt;text-align:center;margin:0 0 4mm}"
    "h2{font-size:12pt;border-bottom:1px solid #444;margin:6mm 0 2mm;"
    "break-after:avoid;page-break-after:avoid}"
    ".meta{text-align:center;color:#333;margin:0 0 4mm}"
    "table{border-collapse:collapse;width:100%;margin:0 0 2mm}"
    "thead{display:table-header-group}"
    "tr{break-inside:avoid;page-break-inside:avoid}"
    "th,td{border:1px solid #888;padding:1mm 1.5mm;vertical-align:top;"
    "word-break:break-all}"
    "th{background:#eee;font-weight:bold;text-align:left}"
    "td.r{text-align:right;white-space:nowrap}"
    "p.strong{font-weight:bold;font-size:12pt}"
    "@media print{body{max-width:none}}";

int hd_report_html(hd_buf *out, const hd_result *r, const hd_application *app,
                   const hd_report_options *opt, hd_error *err)
{
    rp_doc d;
    int rc;

    if (!out || !r || !app || !opt)
        return hd_error_set(err, HD_EINVAL, "report: missing argument");
    rc = rp_doc_build(&d, r, app, opt);
    if (rc != 0) {
        hd_error_set(err, rc, "report: out of memory");
        goto out;
    }
    hd_buf_puts(out, "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n"
                     "<meta charset=\"utf-8\">\n<title>核对报告 ");
    escape(out, d.case_no);
    hd_buf_puts(out, "</title>\n<style>");
    hd_buf_puts(out, css);
    hd_buf_puts(out, "</style>\n</head>\n<body>\n<h1>家庭经济状况核对报告"
                     "</h1>\n<p class=\"meta\">核对编号 ");
    escape(out, d.case_no);
    hd_buf_puts(out, " · ");
    escape(out, d.program_zh);
    hd_buf_puts(out, " · 出具日期 ");
    escape(out, d.issue_date);
    if (d.issuer[0]) {
        hd_buf_puts(out, " · ");
        escape(out, d.issuer);
    }
    hd_buf_puts(out, "</p>\n");
    for (size_t i = 0; i < d.count; i++) {
        const rp_block *b = &d.blocks[i];
        if (b->kind == RP_HEADING) {
            hd_buf_puts(out, "<h2>");
            escape(out, b->text);
            hd_buf_puts(out, "</h2>\n");
        } else if (b->kind == RP_PARA) {
            hd_buf_puts(out, b->strong ? "<p class=\"strong\">" : "<p>");
            escape(out, b->text);
            hd_buf_puts(out, "</p>\n");
        } else {
            hd_buf_puts(out, "<table>\n<thead><tr>");
            for (int c = 0; c < b->cols; c++) {
                hd_buf_puts(out, "<th>");
                escape(out, b->head[c]);
                hd_buf_puts(out, "</th>");
            }
            hd_buf_puts(out, "</tr></thead>\n<tbody>\n");
            for (size_t k = 0; k < b->rows; k++) {
                hd_buf_puts(out, "<tr>");
                for (int c = 0; c < b->cols; c++) {
                    hd_buf_puts(out, b->right[c] ? "<td class=\"r\">" : "<td>");
                    escape(out, b->cells[k * (size_t)b->cols + (size_t)c]);
                    hd_buf_puts(out, "</td>");
                }
                hd_buf_puts(out, "</tr>\n");
            }
            if (b->rows == 0)
                hd_buf_printf(out, "<tr><td colspan=\"%d\">无</td></tr>\n",
                              b->cols);
            hd_buf_puts(out, "</tbody>\n</table>\n");
        }
    }
    hd_buf_puts(out, "</body>\n</html>\n");
    rc = hd_buf_error(out);
    if (rc)
        hd_error_set(err, rc, "report: the html does not fit the buffer");
out:
    rp_doc_release(&d);
    return rc;
}
