/*
 * The Result record of rules.md as one compact line of JSON, members in
 * the order of its example, so that results of any implementation compare
 * mechanically (and byte for byte against this one).
 */
#include <hedui/verify.h>

#include <stdint.h>

/* Runs of characters that need no escape go in whole: a roll writes
 * a million lines. */
static void put_string(hd_buf *out, const char *s)
{
    static const char hex[] = "0123456789abcdef";
    const unsigned char *p = (const unsigned char *)s;

    hd_buf_putc(out, '"');
    while (*p) {
        const unsigned char *run = p;
        while (*p && *p != '"' && *p != '\\' && *p >= 0x20)
            p++;
        if (p > run)
            hd_buf_append(out, run, (size_t)(p - run));
        if (!*p)
            break;
        if (*p == '"' || *p == '\\') {
            char esc[2] = {'\\', (char)*p};
            hd_buf_append(out, esc, sizeof(esc));
        } else {
            char esc[6] = {'\\', 'u', '0', '0', hex[*p >> 4], hex[*p & 15]};
            hd_buf_append(out, esc, sizeof(esc));
        }
        p++;
    }
    hd_buf_putc(out, '"');
}

static void put_key(hd_buf *out, const char *key)
{
    hd_buf_putc(out, ',');
    put_string(out, key);
    hd_buf_putc(out, ':');
}

/* The decimal digits of v, as printf writes them (no printf: it is
 * slow for this). */
static void put_num(hd_buf *out, int64_t v)
{
    char digits[24];
    char *p = digits + sizeof(digits);
    uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;

    do {
        *--p = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    if (v < 0)
        *--p = '-';
    hd_buf_append(out, p, (size_t)(digits + sizeof(digits) - p));
}

static void put_int(hd_buf *out, const char *key, int64_t v)
{
    put_key(out, key);
    put_num(out, v);
}

/* Codes of a bit set, in enum order, which is the sorted order. */
static void put_codes(hd_buf *out, const char *key, uint64_t bits)
{
    bool first = true;

    put_key(out, key);
    hd_buf_putc(out, '[');
    for (int c = 0; c < HD_CODE_COUNT_; c++) {
        if (!(bits & (1ull << c)))
            continue;
        if (!first)
            hd_buf_putc(out, ',');
        put_string(out, hd_code_name((hd_code)c));
        first = false;
    }
    hd_buf_putc(out, ']');
}

static void put_figures(hd_buf *out, const hd_figures *f)
{
    put_key(out, "figures");
    /* put_int writes a leading comma: start the object with the first
     * member by hand. */
    hd_buf_puts(out, "{\"members\":");
    put_num(out, f->members);
    put_int(out, "income", f->income_fen);
    put_int(out, "expenditure", f->expenditure_fen);
    put_int(out, "pci", f->pci_fen);
    put_int(out, "pci_after", f->pci_after_fen);
    put_int(out, "financial_assets", f->financial_assets_fen);
    put_int(out, "pca", f->pca_fen);
    put_int(out, "homes", f->homes);
    put_int(out, "area_pc", f->area_pc_m2x100);
    put_int(out, "vehicles", f->vehicles);
    hd_buf_putc(out, '}');
}

int hd_result_record_json(hd_buf *out, const hd_result *r,
                          const hd_application *app)
{
    hd_buf_puts(out, "{\"application_no\":");
    put_string(out, r->application_no);
    put_key(out, "program");
    put_string(out, r->program);
    put_key(out, "conclusion");
    put_string(out, hd_conclusion_name(r->conclusion));
    if (r->conclusion == HD_CONCLUSION_REFUSED) {
        put_codes(out, "findings", r->findings);
        put_key(out, "error");
        hd_buf_puts(out, "{\"field\":");
        put_string(out, r->error_field);
        put_key(out, "reason");
        put_string(out, r->error_reason);
        hd_buf_putc(out, '}');
    } else if (r->conclusion == HD_CONCLUSION_UNAUTHORIZED) {
        put_codes(out, "findings", r->findings);
        put_key(out, "pids");
        hd_buf_putc(out, '[');
        for (int k = 0; k < r->missing_count; k++) {
            int i = r->missing[k];
            if (k)
                hd_buf_putc(out, ',');
            put_string(out, app && i >= 0 && i < app->member_count
                                ? app->members[i].pid
                                : "");
        }
        hd_buf_putc(out, ']');
    } else {
        if (r->has_level) {
            put_key(out, "level");
            put_string(out, hd_level_name(r->level));
        }
        if (r->has_figures)
            put_figures(out, &r->figures);
        put_codes(out, "failed", r->failed);
        put_codes(out, "findings", r->findings);
    }
    hd_buf_putc(out, '}');
    return hd_buf_error(out);
}
