/*
 * The PDF report: the document model laid out with pango on a cairo PDF
 * surface, A4 portrait. A header on every page (case number, program,
 * issue date), tables that wrap their cells and continue on the next page
 * with their header row repeated, and "第 N 页 / 共 M 页" at the foot.
 *
 * The page count is known only after layout, so the document is laid out
 * twice: once onto a surface whose bytes are thrown away, to count pages,
 * and once for real. Layout depends only on the model and the font, so
 * both passes break pages at the same places.
 *
 * Deterministic bytes: cairo writes the clock into CreationDate unless
 * the metadata is set, so CREATE_DATE and MOD_DATE come from issued_at.
 * Nothing else in cairo 1.16's PDF output depends on the clock or on
 * randomness (font subset tags are derived from the subset), which the
 * tests check by rendering twice.
 */
#include "report_int.h"

#include <cairo-pdf.h>
#include <cairo.h>
#include <pango/pangocairo.h>

#include <stdio.h>
#include <string.h>

#define PAGE_W 595.276 /* A4 in points */
#define PAGE_H 841.890
#define MARGIN_X 42.0
#define TOP 64.0     /* below the running header */
#define BOTTOM 790.0 /* above the page number */
#define PAD 3.0
#define FONT "Noto Sans CJK SC"

typedef struct pdf_ctx {
    cairo_t *cr;
    const rp_doc *doc;
    PangoFontDescription *body;
    PangoFontDescription *bold;
    PangoFontDescription *small;
    PangoFontDescription *title;
    double y;
    int page;  /* 1-based page being drawn */
    int total; /* pages in all (0 in the counting pass) */
} pdf_ctx;

static PangoLayout *layout(pdf_ctx *p, const char *text,
                           const PangoFontDescription *font, double width,
                           bool right)
{
    PangoLayout *l = pango_cairo_create_layout(p->cr);
    pango_layout_set_font_description(l, font);
    pango_layout_set_width(l, (int)(width * PANGO_SCALE));
    pango_layout_set_wrap(l, PANGO_WRAP_WORD_CHAR);
    pango_layout_set_alignment(l, right ? PANGO_ALIGN_RIGHT : PANGO_ALIGN_LEFT);
    pango_layout_set_text(l, text, -1);
    return l;
}

static double height_of(PangoLayout *l)
{
    int w, h;
    pango_layout_get_size(l, &w, &h);
    return (double)h / PANGO_SCALE;
}

static void draw_at(pdf_ctx *p, PangoLayout *l, double x, double y)
{
    cairo_move_to(p->cr, x, y);
    pango_cairo_show_layout(p->cr, l);
}

/* The running header and the page number of the current page. */
static void page_furniture(pdf_ctx *p)
{
    char text[512];
    PangoLayout *l;
    double w = PAGE_W - 2 * MARGIN_X;

    snprintf(text, sizeof(text), "家庭经济状况核对报告　核对编号 %s　%s　%s",
             p->doc->case_no, p->doc->program_zh, p->doc->issue_date);
    l = layout(p, text, p->small, w, false);
    draw_at(p, l, MARGIN_X, 28);
    g_object_unref(l);
    cairo_set_line_width(p->cr, 0.6);
    cairo_move_to(p->cr, MARGIN_X, 46);
    cairo_line_to(p->cr, PAGE_W - MARGIN_X, 46);
    cairo_stroke(p->cr);

    if (p->total > 0)
        snprintf(text, sizeof(text), "第 %d 页 / 共 %d 页", p->page, p->total);
    else
        snprintf(text, sizeof(text), "第 %d 页", p->page);
    l = layout(p, text, p->small, w, false);
    pango_layout_set_alignment(l, PANGO_ALIGN_CENTER);
    draw_at(p, l, MARGIN_X, BOTTOM + 18);
    g_object_unref(l);
}

static void new_page(pdf_ctx *p)
{
    cairo_show_page(p->cr);
    p->page++;
    p->y = TOP;
    page_furniture(p);
}

static void ensure(pdf_ctx *p, double h)
{
    if (p->y + h > BOTTOM && p->y > TOP)
        new_page(p);
}

static void paragraph(pdf_ctx *p, const char *text,
                      const PangoFontDescription *font, double gap_before)
{
    double w = PAGE_W - 2 * MARGIN_X;
    PangoLayout *l = layout(p, text, font, w, false);
    double h = height_of(l);
    p->y += gap_before;
    ensure(p, h);
    draw_at(p, l, MARGIN_X, p->y);
    p->y += h + 2;
    g_object_unref(l);
}

/* One table row; `cells` has b->cols texts. Returns its height. */
static double row_height(pdf_ctx *p, const rp_block *b,
                         const char *const *cells, const double *widths,
                         bool head)
{
    double h = 0;
    for (int c = 0; c < b->cols; c++) {
        PangoLayout *l = layout(p, cells[c], head ? p->bold : p->body,
                                widths[c] - 2 * PAD, false);
        double ch = height_of(l);
        if (ch > h)
            h = ch;
        g_object_unref(l);
    }
    return h + 2 * PAD;
}

static void draw_row(pdf_ctx *p, const rp_block *b, const char *const *cells,
                     const double *widths, bool head, double h)
{
    double x = MARGIN_X;
    for (int c = 0; c < b->cols; c++) {
        PangoLayout *l = layout(p, cells[c], head ? p->bold : p->body,
                                widths[c] - 2 * PAD, !head && b->right[c]);
        if (head) {
            cairo_set_source_rgb(p->cr, 0.92, 0.92, 0.92);
            cairo_rectangle(p->cr, x, p->y, widths[c], h);
            cairo_fill(p->cr);
            cairo_set_source_rgb(p->cr, 0, 0, 0);
        }
        cairo_set_line_width(p->cr, 0.5);
        cairo_rectangle(p->cr, x, p->y, widths[c], h);
        cairo_stroke(p->cr);
        draw_at(p, l, x + PAD, p->y + PAD);
        g_object_unref(l);
        x += widths[c];
    }
    p->y += h;
}

static void table(pdf_ctx *p, const rp_block *b)
{
    double widths[RP_MAX_COLS];
    double total = 0, avail = PAGE_W - 2 * MARGIN_X, head_h;
    static const char *const none[RP_MAX_COLS] = {"无"};
    const char *empty[RP_MAX_COLS];

    for (int c = 0; c < b->cols; c++)
        total += b->weight[c] > 0 ? b->weight[c] : 1;
    for (int c = 0; c < b->cols; c++)
        widths[c] = avail * (b->weight[c] > 0 ? b->weight[c] : 1) / total;
    head_h = row_height(p, b, b->head, widths, true);
    /* keep the header with at least its first row */
    ensure(p, head_h * 2.5);
    draw_row(p, b, b->head, widths, true, head_h);
    if (b->rows == 0) {
        for (int c = 0; c < b->cols; c++)
            empty[c] = c == 0 ? none[0] : "";
        draw_row(p, b, empty, widths, false,
                 row_height(p, b, empty, widths, false));
    }
    for (size_t k = 0; k < b->rows; k++) {
        const char **cells = &b->cells[k * (size_t)b->cols];
        double h = row_height(p, b, cells, widths, false);
        if (p->y + h > BOTTOM) {
            new_page(p);
            draw_row(p, b, b->head, widths, true, head_h);
        }
        draw_row(p, b, cells, widths, false, h);
    }
    p->y += 4;
}

static void render(pdf_ctx *p)
{
    char meta[512];
    p->page = 1;
    p->y = TOP;
    page_furniture(p);
    paragraph(p, "家庭经济状况核对报告", p->title, 0);
    snprintf(meta, sizeof(meta), "核对编号 %s · %s · 出具日期 %s%s%s",
             p->doc->case_no, p->doc->program_zh, p->doc->issue_date,
             p->doc->issuer[0] ? " · " : "", p->doc->issuer);
    paragraph(p, meta, p->body, 2);
    for (size_t i = 0; i < p->doc->count; i++) {
        const rp_block *b = &p->doc->blocks[i];
        if (b->kind == RP_HEADING) {
            ensure(p, 60); /* a heading never ends a page */
            paragraph(p, b->text, p->bold, 8);
        } else if (b->kind == RP_PARA) {
            paragraph(p, b->text, b->strong ? p->bold : p->body, 2);
        } else {
            table(p, b);
        }
    }
    cairo_show_page(p->cr);
}

static cairo_status_t write_buf(void *closure, const unsigned char *data,
                                unsigned int length)
{
    hd_buf *out = closure;
    if (!out)
        return CAIRO_STATUS_SUCCESS; /* the counting pass */
    return hd_buf_append(out, data, length) == 0 ? CAIRO_STATUS_SUCCESS
                                                 : CAIRO_STATUS_WRITE_ERROR;
}

/* One pass; returns the pages drawn, or a negative HD_E* code. */
static int pass(hd_buf *out, const rp_doc *doc, const hd_report_options *opt,
                int total)
{
    char date[RP_NUM_MAX];
    cairo_surface_t *s =
        cairo_pdf_surface_create_for_stream(write_buf, out, PAGE_W, PAGE_H);
    pdf_ctx p;
    int rc;

    memset(&p, 0, sizeof(p));
    cairo_pdf_surface_restrict_to_version(s, CAIRO_PDF_VERSION_1_5);
    rp_datetime(date, opt->issued_at);
    cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_CREATE_DATE, date);
    cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_MOD_DATE, date);
    cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_TITLE,
                                   "家庭经济状况核对报告");
    cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_CREATOR, "hedui");
    p.cr = cairo_create(s);
    p.doc = doc;
    p.total = total;
    p.body = pango_font_description_from_string(FONT " 8.5");
    p.bold = pango_font_description_from_string(FONT " Bold 9");
    p.small = pango_font_description_from_string(FONT " 7.5");
    p.title = pango_font_description_from_string(FONT " Bold 16");
    render(&p);
    cairo_surface_finish(s);
    rc = cairo_status(p.cr) == CAIRO_STATUS_SUCCESS &&
                 cairo_surface_status(s) == CAIRO_STATUS_SUCCESS
             ? p.page
             : HD_EIO;
    if (out && hd_buf_error(out))
        rc = hd_buf_error(out);
    pango_font_description_free(p.body);
    pango_font_description_free(p.bold);
    pango_font_description_free(p.small);
    pango_font_description_free(p.title);
    cairo_destroy(p.cr);
    cairo_surface_destroy(s);
    return rc;
}

int hd_report_pdf(hd_buf *out, const hd_result *r, const hd_application *app,
                  const hd_report_options *opt, hd_error *err)
{
    rp_doc d;
    int rc, pages;

    if (!out || !r || !app || !opt)
        return hd_error_set(err, HD_EINVAL, "report: missing argument");
    rc = rp_doc_build(&d, r, app, opt);
    if (rc != 0) {
        hd_error_set(err, rc, "report: out of memory");
        goto out;
    }
    pages = pass(NULL, &d, opt, 0);
    if (pages < 0) {
        rc = hd_error_set(err, pages,
                          "report: cairo could not lay out "
                          "the pdf");
        goto out;
    }
    rc = pass(out, &d, opt, pages);
    if (rc < 0) {
        hd_error_set(err, rc, "report: cairo could not write the pdf");
        goto out;
    }
    rc = 0;
out:
    rp_doc_release(&d);
    return rc;
}
