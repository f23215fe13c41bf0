/*
 * Helpers for the store tests: rows built straight from the feed table,
 * without the CSV reader. Values are given as text in their feeds.md form
 * (NULL for null) and converted the way a reader would.
 */
#ifndef HEDUI_STORE_TEST_H
#define HEDUI_STORE_TEST_H

#include "testutil.h"

#include <hedui/store.h>

#include <stdio.h>
#include <string.h>

/* A small deterministic generator (xorshift64*), so that tests repeat. */
static uint64_t st_rand_state = 88172645463325252u;

static inline void st_seed(uint64_t seed)
{
    st_rand_state = seed ? seed : 88172645463325252u;
}

static inline uint32_t st_rand(void)
{
    st_rand_state ^= st_rand_state >> 12;
    st_rand_state ^= st_rand_state << 25;
    st_rand_state ^= st_rand_state >> 27;
    return (uint32_t)((st_rand_state * 2685821657736338717u) >> 32);
}

/* A row and the texts it borrows. */
typedef struct st_row {
    hd_row row;
    char text[HD_FEED_MAX_COLUMNS][1024];
} st_row;

/* An 18-character citizen ID with a correct check character (ISO 7064
 * MOD 11-2), from an address code, a birth date and a sequence. */
static inline void st_pid(char out[19], const char *region, const char *birth,
                          unsigned seq)
{
    static const int weights[17] = {7, 9, 10, 5,  8, 4, 2, 1, 6,
                                    3, 7, 9,  10, 5, 8, 4, 2};
    static const char checks[] = "10X98765432";
    int sum = 0;

    snprintf(out, 19, "%.6s%.8s%03u", region, birth, seq % 1000);
    for (int i = 0; i < 17; i++)
        sum += (out[i] - '0') * weights[i];
    out[17] = checks[sum % 11];
    out[18] = '\0';
}

/* The nth test person (distinct pids, not in pid order). */
static inline void st_person(char out[19], unsigned n)
{
    char birth[9];
    snprintf(birth, sizeof(birth), "19%02u%02u%02u", 50 + n % 50,
             1 + n / 50 % 12, 1 + n / 600 % 28);
    st_pid(out, n % 2 ? "330106" : "110101", birth, n * 7 % 1000);
}

/* Fill `r` for `feed` from `vals` (column_count strings, NULL = null). */
static inline void st_row_set(st_row *r, const hd_feed *feed,
                              const char *const *vals)
{
    memset(r, 0, sizeof(*r));
    r->row.feed = feed;
    for (int i = 0; i < feed->column_count; i++) {
        const hd_column *col = &feed->columns[i];
        hd_value *v = &r->row.values[i];
        const char *s = vals[i];
        size_t len;
        int rc = 0;

        if (!s) {
            v->is_null = true;
            continue;
        }
        len = strlen(s);
        assert_true(len < sizeof(r->text[i]));
        memcpy(r->text[i], s, len + 1);
        switch (col->type) {
        case HD_TYPE_PID:
        case HD_TYPE_USCC:
        case HD_TYPE_REGION:
        case HD_TYPE_TEXT:
            v->text = r->text[i];
            v->len = (uint32_t)len;
            break;
        case HD_TYPE_DATE: {
            int32_t d;
            rc = hd_date_parse(&d, s, len, NULL);
            v->num = d;
            break;
        }
        case HD_TYPE_PERIOD: {
            int32_t p;
            rc = hd_period_parse(&p, s, len, NULL);
            v->num = p;
            break;
        }
        case HD_TYPE_MONEY:
            rc = hd_money_parse(&v->num, s, len, NULL);
            break;
        case HD_TYPE_AREA:
            rc = hd_area_parse(&v->num, s, len, NULL);
            break;
        case HD_TYPE_PCT:
            rc = hd_decimal_parse(&v->num, s, len, 0, false, NULL);
            break;
        case HD_TYPE_CODE:
            v->num = hd_column_code_index(col, s, len);
            rc = v->num < 0 ? -1 : 0;
            v->text = r->text[i];
            v->len = (uint32_t)len;
            break;
        }
        assert_int_equal(rc, 0);
    }
}

/* Are two values of a column equal, as the column's type compares? */
static inline bool st_value_eq(const hd_column *col, const hd_value *a,
                               const hd_value *b)
{
    if (a->is_null || b->is_null)
        return a->is_null == b->is_null;
    switch (col->type) {
    case HD_TYPE_PID:
    case HD_TYPE_USCC:
    case HD_TYPE_REGION:
    case HD_TYPE_TEXT:
        return a->len == b->len && memcmp(a->text, b->text, a->len) == 0;
    case HD_TYPE_CODE:
        return a->num == b->num && a->len == b->len &&
               memcmp(a->text, b->text, a->len) == 0;
    default:
        return a->num == b->num;
    }
}

static inline bool st_row_eq(const hd_row *a, const hd_row *b)
{
    if (a->feed != b->feed)
        return false;
    for (int i = 0; i < a->feed->column_count; i++)
        if (!st_value_eq(&a->feed->columns[i], &a->values[i], &b->values[i]))
            return false;
    return true;
}

/* A value as text, for messages and for comparing with expectations:
 * money as yuan, dates ISO, codes as their code, null as "-". */
static inline const char *st_value_text(char *out, size_t out_len,
                                        const hd_column *col, const hd_value *v)
{
    char buf[HD_MONEY_TEXT_MAX];
    if (v->is_null) {
        snprintf(out, out_len, "-");
        return out;
    }
    switch (col->type) {
    case HD_TYPE_DATE:
        hd_date_format(buf, (int32_t)v->num);
        snprintf(out, out_len, "%s", buf);
        break;
    case HD_TYPE_PERIOD:
        hd_period_format(buf, (int32_t)v->num);
        snprintf(out, out_len, "%s", buf);
        break;
    case HD_TYPE_MONEY:
    case HD_TYPE_AREA:
        snprintf(out, out_len, "%s", hd_money_format(buf, v->num));
        break;
    case HD_TYPE_PCT:
        snprintf(out, out_len, "%lld", (long long)v->num);
        break;
    default:
        snprintf(out, out_len, "%.*s", (int)v->len, v->text);
    }
    return out;
}

/* A whole row as "a|b|c", the pid column included. */
static inline const char *st_row_text(char *out, size_t out_len,
                                      const hd_row *row)
{
    size_t used = 0;
    out[0] = '\0';
    for (int i = 0; i < row->feed->column_count && used < out_len; i++) {
        char v[1100];
        int n = snprintf(out + used, out_len - used, "%s%s", i ? "|" : "",
                         st_value_text(v, sizeof(v), &row->feed->columns[i],
                                       &row->values[i]));
        if (n < 0)
            break;
        used += (size_t)n;
    }
    return out;
}

/* A new, empty case store in a folder of its own, on the backend the
 * test runs against (testutil.h); and its removal. */
static inline hd_casestore *st_casestore_fresh(char *dir, size_t dir_len,
                                               char *db, size_t db_len)
{
    hd_casestore *cs = NULL;
    hd_error err;
    hd_error_clear(&err);
    snprintf(dir, dir_len, "%s", tu_tempdir());
    tu_casestore_new(db, db_len, dir);
    if (hd_casestore_open(&cs, db, &err))
        fail_msg("open: %s", err.msg);
    return cs;
}

static inline void st_casestore_gone(hd_casestore *cs, const char *dir,
                                     const char *db)
{
    hd_casestore_free(cs);
    tu_casestore_drop(db);
    tu_rmtree(dir);
}

#endif
