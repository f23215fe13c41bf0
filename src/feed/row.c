/*
 * Row validation: every field checked against its column's type (spec
 * feeds.md, Value types), then the feed's rules across columns. A value
 * that is not exactly what the standard says is a rejected row with the
 * rule in words, never a guess.
 */
#include "feed/feed_int.h"

#include <hedui/std.h>

#include <assert.h>
#include <stdio.h>
#include <string.h>

/* A normalised pid and its NUL. */
#define PID_SLOT (HD_PID_LEN + 1)

static int reject(hd_bad_row *bad, hd_reject reason, int column,
                  const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static int reject(hd_bad_row *bad, hd_reject reason, int column,
                  const char *fmt, ...)
{
    va_list ap;

    bad->reason = reason;
    bad->column = column;
    va_start(ap, fmt);
    vsnprintf(bad->detail, sizeof(bad->detail), fmt, ap);
    va_end(ap);
    return HD_EDATA;
}

static const char *pid_rule_words(hd_pid_rule rule)
{
    switch (rule) {
    case HD_PID_RULE_LENGTH:
        return "not 18 (or 15) characters";
    case HD_PID_RULE_CHARACTERS:
        return "not digits with a final digit or X";
    case HD_PID_RULE_ADDRESS:
        return "address code not 6 digits";
    case HD_PID_RULE_BIRTH:
        return "birth date not a calendar date";
    case HD_PID_RULE_CHECK:
        return "check character does not match";
    case HD_PID_OK:
        break;
    }
    return "invalid";
}

static const char *uscc_rule_words(hd_uscc_rule rule)
{
    switch (rule) {
    case HD_USCC_RULE_LENGTH:
        return "not 18 characters";
    case HD_USCC_RULE_CHARACTERS:
        return "a character outside 0-9 and A-Z without I, O, Z, S, V";
    case HD_USCC_RULE_CHECK:
        return "check character does not match";
    case HD_USCC_OK:
        break;
    }
    return "invalid";
}

/* "1, 2" or "wage, labor, ...": the codes of a column, for messages. */
static void code_list(char *out, size_t out_len, const hd_column *column)
{
    size_t used = 0;

    out[0] = '\0';
    for (int i = 0; column->codes && column->codes[i].code; i++) {
        int n = snprintf(out + used, out_len - used, "%s%s", i ? ", " : "",
                         column->codes[i].code);
        if (n < 0 || (size_t)n >= out_len - used)
            return;
        used += (size_t)n;
    }
}

static int parse_pct(int64_t *out, hd_str f)
{
    int64_t v = 0;

    if (f.len == 0 || f.len > 3)
        return -1;
    for (size_t i = 0; i < f.len; i++) {
        if (!hd_is_digit(f.ptr[i]))
            return -1;
        v = v * 10 + (f.ptr[i] - '0');
    }
    if (v > 100)
        return -1;
    *out = v;
    return 0;
}

/*
 * The memo of a feed reader: deliveries come sorted by person, so the
 * same citizen ID (and often the same employer's credit code) comes row
 * after row, and checking it again is most of the cost of a row. Only
 * valid inputs are kept, with the normalised pid, so a hit gives exactly
 * what checking would.
 */
static bool memo_hit(const hd__row_memo *memo, int index, hd_str f)
{
    return memo && memo->len[index] == f.len &&
           memcmp(memo->in[index], f.ptr, f.len) == 0;
}

static void memo_keep(hd__row_memo *memo, int index, hd_str f)
{
    /* A valid pid or credit code is at most 18 bytes. */
    assert(f.len <= sizeof(memo->in[index]));
    memcpy(memo->in[index], f.ptr, f.len);
    memo->len[index] = (uint8_t)f.len;
}

/* Parse one non-empty field of column `index` into `v`. */
static int parse_value(hd_row *row, size_t *storage_used, int index, hd_str f,
                       hd_bad_row *bad, hd__row_memo *memo)
{
    const hd_column *column = &row->feed->columns[index];
    hd_value *v = &row->values[index];
    hd_error e; /* only read after a failure has set it */
    int32_t day;

    switch (column->type) {
    case HD_TYPE_PID: {
        char own[PID_SLOT];
        const char *norm = own;
        if (memo_hit(memo, index, f)) {
            norm = memo->norm[index];
        } else {
            hd_pid_rule rule = hd_pid_normalize(own, f.ptr, f.len, NULL);
            if (rule != HD_PID_OK)
                return reject(bad, HD_REJECT_PID, index, "citizen ID: %s",
                              pid_rule_words(rule));
            if (memo) {
                memo_keep(memo, index, f);
                memcpy(memo->norm[index], own, PID_SLOT);
            }
        }
        if (f.len == HD_PID_LEN && memcmp(norm, f.ptr, HD_PID_LEN) == 0) {
            v->text = f.ptr;
        } else {
            /* 15 -> 18 characters, or x -> X: keep the normalised form. */
            char *slot = row->storage + *storage_used;
            assert(*storage_used + PID_SLOT <= sizeof(row->storage));
            memcpy(slot, norm, PID_SLOT);
            *storage_used += PID_SLOT;
            v->text = slot;
        }
        v->len = HD_PID_LEN;
        return 0;
    }
    case HD_TYPE_USCC: {
        hd_uscc_rule rule;
        if (memo_hit(memo, index, f))
            break;
        rule = hd_uscc_check(f.ptr, f.len, NULL);
        if (rule != HD_USCC_OK)
            return reject(bad, HD_REJECT_USCC, index, "credit code: %s",
                          uscc_rule_words(rule));
        if (memo)
            memo_keep(memo, index, f);
        break;
    }
    case HD_TYPE_REGION:
        if (!hd_region_code_valid(f.ptr, f.len))
            return reject(bad, HD_REJECT_REGION, index,
                          "region: not a 6-digit division code of the form "
                          "PP0000, PPCC00 or PPCCXX");
        break;
    case HD_TYPE_DATE:
        if (hd_date_parse(&day, f.ptr, f.len, &e))
            return reject(bad, HD_REJECT_DATE, index, "date: %s", e.msg);
        v->num = day;
        return 0;
    case HD_TYPE_PERIOD:
        if (hd_period_parse(&day, f.ptr, f.len, &e))
            return reject(bad, HD_REJECT_PERIOD, index, "period: %s", e.msg);
        v->num = day;
        return 0;
    case HD_TYPE_MONEY:
        if (hd_money_parse(&v->num, f.ptr, f.len, &e))
            return reject(bad, HD_REJECT_MONEY, index, "money: %s", e.msg);
        return 0;
    case HD_TYPE_AREA:
        if (hd_area_parse(&v->num, f.ptr, f.len, &e))
            return reject(bad, HD_REJECT_AREA, index, "area: %s", e.msg);
        return 0;
    case HD_TYPE_PCT:
        if (parse_pct(&v->num, f))
            return reject(bad, HD_REJECT_PCT, index,
                          "pct: not an integer from 0 to 100");
        return 0;
    case HD_TYPE_CODE: {
        int i = hd_column_code_index(column, f.ptr, f.len);
        if (i < 0) {
            char list[192];
            code_list(list, sizeof(list), column);
            return reject(bad, HD_REJECT_CODE, index, "code: not one of %s",
                          list);
        }
        v->num = i;
        /* The table's copy outlives any input. */
        v->text = column->codes[i].code;
        v->len = (uint32_t)f.len; /* it matched exactly */
        return 0;
    }
    case HD_TYPE_TEXT: {
        long chars = hd_utf8_count(f.ptr, f.len);
        if (chars < 0)
            return reject(bad, HD_REJECT_TEXT, index, "text: not valid UTF-8");
        if (chars > HD_TEXT_MAX_CHARS)
            return reject(bad, HD_REJECT_TEXT, index,
                          "text: longer than %d characters", HD_TEXT_MAX_CHARS);
        break;
    }
    }
    /* uscc, region and text: the value is the field itself. */
    v->text = f.ptr;
    v->len = (uint32_t)f.len;
    return 0;
}

int hd_row_parse(hd_row *row, const hd_feed *feed, const hd_str *fields,
                 hd_bad_row *bad)
{
    return hd__row_parse_memo(row, feed, fields, bad, NULL);
}

int hd__row_parse_memo(hd_row *row, const hd_feed *feed, const hd_str *fields,
                       hd_bad_row *bad, hd__row_memo *memo)
{
    size_t storage_used = 0;

    assert(feed->column_count <= HD_FEED_MAX_COLUMNS);
    row->feed = feed;
    bad->reason = HD_REJECT_NONE;
    bad->line = 0;
    bad->column = -1;
    bad->field = NULL;
    bad->detail[0] = '\0';
    bad->raw = (hd_str){NULL, 0};
    for (int i = 0; i < feed->column_count; i++) {
        hd_value *v = &row->values[i];
        hd_str f = fields[i];

        v->is_null = false;
        v->num = 0;
        v->text = NULL;
        v->len = 0;
        if (f.len == 0) {
            if (!feed->columns[i].nullable) {
                bad->field = feed->columns[i].name;
                return reject(bad, HD_REJECT_NULL, i,
                              "empty value in a required column");
            }
            v->is_null = true;
            continue;
        }
        if (parse_value(row, &storage_used, i, f, bad, memo)) {
            bad->field = feed->columns[i].name;
            return HD_EDATA;
        }
    }
    if (feed->check) {
        hd_error e;
        hd_error_clear(&e);
        if (feed->check(feed, row, &e)) {
            int column = e.field[0] ? hd_feed_column(feed, e.field) : -1;
            bad->field = column >= 0 ? feed->columns[column].name : NULL;
            return reject(bad, HD_REJECT_CROSS_FIELD, column, "%s", e.msg);
        }
    }
    return 0;
}

int hd_value_format(hd_buf *buf, const hd_column *column, const hd_value *value)
{
    char text[HD_MONEY_TEXT_MAX];

    if (value->is_null)
        return hd_buf_error(buf);
    switch (column->type) {
    case HD_TYPE_PID:
    case HD_TYPE_USCC:
    case HD_TYPE_REGION:
    case HD_TYPE_TEXT:
        return hd_buf_append(buf, value->text, value->len);
    case HD_TYPE_DATE:
        return hd_buf_puts(buf, hd_date_format(text, (int32_t)value->num));
    case HD_TYPE_PERIOD:
        return hd_buf_puts(buf, hd_period_format(text, (int32_t)value->num));
    case HD_TYPE_MONEY:
    case HD_TYPE_AREA:
        return hd_buf_puts(buf, hd_decimal_format(text, value->num, 2));
    case HD_TYPE_PCT:
        return hd_buf_printf(buf, "%lld", (long long)value->num);
    case HD_TYPE_CODE:
        assert(value->num >= 0 && column->codes);
        return hd_buf_puts(buf, column->codes[value->num].code);
    }
    return hd_buf_error(buf);
}
