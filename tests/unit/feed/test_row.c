/*
 * Row validation: each value type of spec feeds.md, each reject reason,
 * each rule across columns. Citizen IDs and credit codes here were
 * computed by hand from GB 11643 (MOD 11-2) and GB 32100 (MOD 31).
 */
#include "testutil.h"

#include "feed/feed_int.h"

#include <hedui/feed.h>
#include <hedui/std.h>

#include <stdio.h>
#include <string.h>

/* Female, born 1949-12-31 (the example of GB 11643), and its 15-digit
 * first-generation form. */
#define PID_F "11010519491231002X"
#define PID_F15 "110105491231002"
/* Male (sequence 001), born 1980-01-01. */
#define PID_M "110105198001010016"
/* Male (sequence 123), born 1990-03-15. */
#define PID_M2 "330106199003151236"
#define USCC1 "91350100M000100Y43"
#define USCC2 "91110000100000000R"

/* Days since 1970-01-01, worked out by hand. */
#define DAY_1949_12_31 (-7306)
#define DAY_1980_01_01 3652

static char line_copy[4096];
static hd_str fields[HD_FEED_MAX_COLUMNS];

/* Split `line` at '|' into the feed's columns (so values may hold
 * commas). The row borrows the copy, which lives until the next call. */
static int parse(hd_row *row, hd_bad_row *bad, const char *feed_name,
                 const char *line)
{
    const hd_feed *feed = hd_feed_find(feed_name);
    char *p = line_copy;
    int n = 0;

    assert_non_null(feed);
    assert_true(strlen(line) < sizeof(line_copy));
    memcpy(line_copy, line, strlen(line) + 1);
    for (;;) {
        char *bar = strchr(p, '|');
        assert_true(n < feed->column_count);
        fields[n++] = (hd_str){p, bar ? (size_t)(bar - p) : strlen(p)};
        if (!bar)
            break;
        p = bar + 1;
    }
    assert_int_equal(n, feed->column_count);
    return hd_row_parse(row, feed, fields, bad);
}

static void parse_ok(hd_row *row, const char *feed_name, const char *line)
{
    hd_bad_row bad;
    if (parse(row, &bad, feed_name, line) != 0)
        fail_msg("%s: %s: rejected (%s, column %d): %s", feed_name, line,
                 hd_reject_name(bad.reason), bad.column, bad.detail);
}

static bool value_is(const hd_value *v, const char *text)
{
    return !v->is_null && v->len == strlen(text) &&
           memcmp(v->text, text, v->len) == 0;
}

static void valid_hukou_row(void **state)
{
    hd_row row;
    (void)state;

    parse_ok(&row, "hukou",
             PID_F "|张三|2|1949-12-31|330106000123|02|110105|1|");
    assert_ptr_equal(row.feed, hd_feed_find("hukou"));
    assert_true(value_is(&row.values[0], PID_F));
    assert_true(value_is(&row.values[1], "张三"));
    assert_int_equal(row.values[2].num, 1); /* "2" is the second code */
    assert_true(value_is(&row.values[2], "2"));
    assert_int_equal(row.values[3].num, DAY_1949_12_31);
    assert_true(value_is(&row.values[4], "330106000123"));
    assert_int_equal(row.values[5].num, 0); /* "02" head */
    assert_true(value_is(&row.values[6], "110105"));
    assert_int_equal(row.values[7].num, 0);
    assert_true(row.values[8].is_null);
}

static void values_are_kept_exactly(void **state)
{
    hd_row row;
    (void)state;

    parse_ok(&row, "tax_income", PID_M "|2024-03|wage|" USCC1 "|12345.6|-0.01");
    assert_int_equal(row.values[1].num, 2024 * 12 + 2);
    assert_int_equal(row.values[2].num, 0);
    assert_true(value_is(&row.values[3], USCC1));
    assert_int_equal(row.values[4].num, 1234560);
    assert_int_equal(row.values[5].num, -1);

    parse_ok(&row, "real_estate",
             PID_M "|粤(2020)深圳市不动产权第0001号|440305|residential|85.5|"
                   "100|2020-02-29|1");
    assert_int_equal(row.values[4].num, 8550);
    assert_int_equal(row.values[5].num, 100);
    parse_ok(&row, "real_estate", PID_M "|A-1|440300|other|0|0|2020-01-01|2");
    assert_int_equal(row.values[4].num, 0);
    assert_int_equal(row.values[5].num, 0);
    assert_true(value_is(&row.values[2], "440300"));
    parse_ok(&row, "real_estate", PID_M "|A-1|440000|other|1|7|2020-01-01|2");
    assert_int_equal(row.values[5].num, 7);
}

static void nullable_columns_take_empty_fields(void **state)
{
    hd_row row;
    (void)state;

    /* payer: nullable for self-declared items. */
    parse_ok(&row, "tax_income", PID_M "|2024-03|business||100.00|3.00");
    assert_true(row.values[3].is_null);
    /* employer nullable; base nullable except for contrib. */
    parse_ok(&row, "social_insurance", PID_M "|2024-03|pension||3000.00|");
    assert_true(row.values[3].is_null);
    assert_true(row.values[5].is_null);
    parse_ok(&row, "unemployment", PID_M "|2024-01-15|");
    assert_true(row.values[2].is_null);
}

struct reject_case {
    const char *feed;
    const char *line;
    hd_reject reason;
    int column; /* 0-based feed column */
    const char *field;
    const char *detail; /* a part of the detail that names the rule */
};

static const struct reject_case reject_cases[] = {
    /* null */
    {"hukou", PID_F "||2|1949-12-31|1|02|110105|1|", HD_REJECT_NULL, 1, "name",
     "empty value in a required column"},
    {"tax_income", PID_M "|2024-03|wage|" USCC1 "||1.00", HD_REJECT_NULL, 4,
     "income", "empty"},
    {"death", "|2024-01-01", HD_REJECT_NULL, 0, "pid", "empty"},
    /* pid, each rule of GB 11643 */
    {"death", "11010519491231002|2024-01-01", HD_REJECT_PID, 0, "pid",
     "citizen ID: not 18 (or 15) characters"},
    {"death", "1101051949123100211|2024-01-01", HD_REJECT_PID, 0, "pid",
     "not 18 (or 15) characters"},
    {"death", "110105194912310021|2024-01-01", HD_REJECT_PID, 0, "pid",
     "citizen ID: check character does not match"},
    {"death", "1101051949123A002X|2024-01-01", HD_REJECT_PID, 0, "pid",
     "citizen ID: not digits with a final digit or X"},
    {"death", "11010519491231002Y|2024-01-01", HD_REJECT_PID, 0, "pid",
     "not digits with a final digit or X"},
    {"death", "A10105194912310028|2024-01-01", HD_REJECT_PID, 0, "pid",
     "citizen ID: address code not 6 digits"},
    /* 1949-13-31 is no date (the check character is irrelevant) */
    {"death", "110105194913310020|2024-01-01", HD_REJECT_PID, 0, "pid",
     "citizen ID: birth date not a calendar date"},
    {"death", "110105491331002|2024-01-01", HD_REJECT_PID, 0, "pid",
     "birth date not a calendar date"},
    {"marriage", PID_M "|110105194912310021|1|2010-05-01", HD_REJECT_PID, 1,
     "spouse_pid", "check character does not match"},
    /* uscc */
    {"tax_income", PID_M "|2024-03|wage|91350100M000100Y44|1.00|0",
     HD_REJECT_USCC, 3, "payer",
     "credit code: check character does not "
     "match"},
    {"tax_income", PID_M "|2024-03|wage|91350100m000100y43|1.00|0",
     HD_REJECT_USCC, 3, "payer", "credit code: a character outside"},
    {"tax_income", PID_M "|2024-03|wage|91350100I000100Y43|1.00|0",
     HD_REJECT_USCC, 3, "payer", "a character outside"},
    {"enterprise", PID_M "|91350100M000100Y4|某公司|legal_rep|0|1|2001-01-01",
     HD_REJECT_USCC, 1, "uscc", "credit code: not 18 characters"},
    /* region */
    {"hukou", PID_F "|张三|2|1949-12-31|1|02|110005|1|", HD_REJECT_REGION, 6,
     "region", "region: not a 6-digit division code"},
    {"hukou", PID_F "|张三|2|1949-12-31|1|02|000000|1|", HD_REJECT_REGION, 6,
     "region", "not a 6-digit division code"},
    {"hukou", PID_F "|张三|2|1949-12-31|1|02|1101051|1|", HD_REJECT_REGION, 6,
     "region", "not a 6-digit division code"},
    {"real_estate", PID_M "|A-1|44030x|other|1|7|2020-01-01|2",
     HD_REJECT_REGION, 2, "region", "not a 6-digit division code"},
    /* date */
    {"hukou", PID_F "|张三|2|1949-02-30|1|02|110105|1|", HD_REJECT_DATE, 3,
     "birth", "date: not a calendar date"},
    {"death", PID_M "|2023-02-29", HD_REJECT_DATE, 1, "date",
     "not a calendar date"},
    {"death", PID_M "|2024/01/01", HD_REJECT_DATE, 1, "date",
     "date: not a date of the form YYYY-MM-DD"},
    {"death", PID_M "|2024-1-1", HD_REJECT_DATE, 1, "date",
     "not a date of the form"},
    {"unemployment", PID_M "|2024-01-15|2024-01-32", HD_REJECT_DATE, 2, "ended",
     "not a calendar date"},
    /* period */
    {"tax_income", PID_M "|2024-13|wage||1.00|0", HD_REJECT_PERIOD, 1, "period",
     "period: not a calendar month"},
    {"tax_income", PID_M "|2024-03-01|wage||1.00|0", HD_REJECT_PERIOD, 1,
     "period", "period: not a month of the form YYYY-MM"},
    /* money */
    {"tax_income", PID_M "|2024-03|wage||1.234|0", HD_REJECT_MONEY, 4, "income",
     "money: more than 2 decimal places"},
    {"tax_income", PID_M "|2024-03|wage||1.00|1e3", HD_REJECT_MONEY, 5, "tax",
     "money: not a decimal number"},
    {"tax_income", PID_M "|2024-03|wage||1,000.00|0", HD_REJECT_MONEY, 4,
     "income", "money: not a decimal number"},
    {"tax_income", PID_M "|2024-03|wage||+1|0", HD_REJECT_MONEY, 4, "income",
     "money:"},
    {"tax_income", PID_M "|2024-03|wage||99999999999999999999|0",
     HD_REJECT_MONEY, 4, "income", "money: number too large"},
    {"deposit", PID_M "|ICBC|6222****1234|demand|¥100", HD_REJECT_MONEY, 4,
     "balance", "money:"},
    /* area */
    {"real_estate", PID_M "|A-1|440305|other|-85.5|7|2020-01-01|2",
     HD_REJECT_AREA, 4, "area", "area: negative value not allowed"},
    {"real_estate", PID_M "|A-1|440305|other|85.555|7|2020-01-01|2",
     HD_REJECT_AREA, 4, "area", "area: more than 2 decimal places"},
    /* pct */
    {"real_estate", PID_M "|A-1|440305|other|85|101|2020-01-01|2",
     HD_REJECT_PCT, 5, "share", "pct: not an integer from 0 to 100"},
    {"real_estate", PID_M "|A-1|440305|other|85|-1|2020-01-01|2", HD_REJECT_PCT,
     5, "share", "pct: not an integer from 0 to 100"},
    {"real_estate", PID_M "|A-1|440305|other|85|50.5|2020-01-01|2",
     HD_REJECT_PCT, 5, "share", "pct:"},
    {"real_estate", PID_M "|A-1|440305|other|85|50%|2020-01-01|2",
     HD_REJECT_PCT, 5, "share", "pct:"},
    /* code */
    {"hukou", PID_F "|张三|3|1949-12-31|1|02|110105|1|", HD_REJECT_CODE, 2,
     "sex", "code: not one of 1, 2"},
    {"hukou", PID_F "|张三|2|1949-12-31|1|2|110105|1|", HD_REJECT_CODE, 5,
     "relation", "code: not one of 02, 10, 20"},
    {"tax_income", PID_M "|2024-03|Wage||1.00|0", HD_REJECT_CODE, 2, "category",
     "code: not one of wage, labor, royalty"},
    {"medical", PID_M "|2024-03|1.00|1.00|0|2", HD_REJECT_CODE, 5, "serious",
     "code: not one of 0, 1"},
    /* text */
    {"hukou", PID_F "|\xC3\x28|2|1949-12-31|1|02|110105|1|", HD_REJECT_TEXT, 1,
     "name", "text: not valid UTF-8"},
    {"hukou", PID_F "|\xED\xA0\x80|2|1949-12-31|1|02|110105|1|", HD_REJECT_TEXT,
     1, "name", "text: not valid UTF-8"},
    /* cross-field rules */
    {"hukou", PID_F "|张三|1|1949-12-31|1|02|110105|1|", HD_REJECT_CROSS_FIELD,
     2, "sex", "sex does not agree with the citizen ID"},
    {"hukou", PID_M "|张三|2|1980-01-01|1|02|110105|1|", HD_REJECT_CROSS_FIELD,
     2, "sex", "sex does not agree"},
    {"hukou", PID_F "|张三|2|1949-12-30|1|02|110105|1|", HD_REJECT_CROSS_FIELD,
     3, "birth", "birth does not agree with the birth date in the citizen ID"},
    {"hukou", PID_F "|张三|2|1949-12-31|1|02|110105|2|", HD_REJECT_CROSS_FIELD,
     8, "status_date", "status_date is required unless status = 1"},
    {"hukou", PID_F "|张三|2|1949-12-31|1|02|110105|3|", HD_REJECT_CROSS_FIELD,
     8, "status_date", "required unless status = 1"},
    {"social_insurance", PID_M "|2024-03|contrib||300.00|" USCC1,
     HD_REJECT_CROSS_FIELD, 3, "base", "base is required when kind = contrib"},
    {"medical", PID_M "|2024-03|100.00|60.00|30.00|0", HD_REJECT_CROSS_FIELD, 4,
     "self_paid",
     "total = fund_paid + self_paid does not hold (100.00 != 60.00 + 30.00)"},
    {"medical",
     PID_M "|2024-03|1.00|92233720368547758.07|92233720368547758.07|0",
     HD_REJECT_CROSS_FIELD, 4, "self_paid", "does not hold"},
};

static void every_reject_reason(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof(reject_cases) / sizeof(reject_cases[0]);
         i++) {
        const struct reject_case *c = &reject_cases[i];
        hd_row row;
        hd_bad_row bad;
        int rc = parse(&row, &bad, c->feed, c->line);
        if (rc != HD_EDATA || bad.reason != c->reason ||
            bad.column != c->column || !bad.field ||
            strcmp(bad.field, c->field) != 0 || !strstr(bad.detail, c->detail))
            fail_msg("case %zu %s %s: got rc %d %s column %d field %s "
                     "\"%s\"; expected %s column %d field %s \"%s\"",
                     i, c->feed, c->line, rc, hd_reject_name(bad.reason),
                     bad.column, bad.field ? bad.field : "(none)", bad.detail,
                     hd_reject_name(c->reason), c->column, c->field, c->detail);
        assert_int_equal(bad.line, 0);
    }
}

static void text_is_at_most_200_characters(void **state)
{
    char line[2048];
    char name[1024];
    hd_row row;
    hd_bad_row bad;
    (void)state;

    /* 200 Chinese characters are 600 bytes and allowed. */
    name[0] = '\0';
    for (int i = 0; i < 200; i++)
        memcpy(name + 3 * i, "张", 4);
    snprintf(line, sizeof(line), "%s|%s|2|1949-12-31|1|02|110105|1|", PID_F,
             name);
    parse_ok(&row, "hukou", line);
    assert_int_equal(row.values[1].len, 600);
    /* 201 characters are not. */
    memcpy(name + 600, "x", 2);
    snprintf(line, sizeof(line), "%s|%s|2|1949-12-31|1|02|110105|1|", PID_F,
             name);
    assert_int_equal(parse(&row, &bad, "hukou", line), HD_EDATA);
    assert_int_equal(bad.reason, HD_REJECT_TEXT);
    assert_int_equal(bad.column, 1);
    assert_non_null(strstr(bad.detail, "longer than 200 characters"));
}

static void pids_are_normalised(void **state)
{
    hd_row row;
    (void)state;

    /* The 15-digit number becomes its 18-character form: century 19 and
     * the check character computed; sex and birth then still agree. */
    parse_ok(&row, "hukou", PID_F15 "|张三|2|1949-12-31|1|02|110105|1|");
    assert_true(value_is(&row.values[0], PID_F));
    assert_true(row.values[0].text >= row.storage &&
                row.values[0].text < row.storage + sizeof(row.storage));
    /* A lowercase x becomes X. */
    parse_ok(&row, "hukou",
             "11010519491231002x|张三|2|1949-12-31|1|02|110105|1|");
    assert_true(value_is(&row.values[0], PID_F));
    /* An ID already normalised is borrowed, not copied. */
    parse_ok(&row, "death", PID_M "|2024-01-01");
    assert_ptr_equal(row.values[0].text, fields[0].ptr);
    /* Two pid columns of one row, both normalised, each its own copy. */
    parse_ok(&row, "marriage", PID_F15 "|11010519491231002x|1|2010-05-01");
    assert_true(value_is(&row.values[0], PID_F));
    assert_true(value_is(&row.values[1], PID_F));
    assert_ptr_not_equal(row.values[0].text, row.values[1].text);
    parse_ok(&row, "marriage", "11010519491231002x|" PID_M2 "|2|2015-05-01");
    assert_true(value_is(&row.values[0], PID_F));
    assert_true(value_is(&row.values[1], PID_M2));
}

static void cross_field_rules_accept_what_they_should(void **state)
{
    hd_row row;
    (void)state;

    /* Male with an odd sequence, born on the ID's date. */
    parse_ok(&row, "hukou", PID_M "|李四|1|1980-01-01|1|10|110105|1|");
    assert_int_equal(row.values[3].num, DAY_1980_01_01);
    parse_ok(&row, "hukou", PID_M2 "|李四|1|1990-03-15|1|10|330106|1|");
    /* status 1 may still carry a date; 2 and 3 need one. */
    parse_ok(&row, "hukou",
             PID_M "|李四|1|1980-01-01|1|10|110105|1|2001-01-01");
    parse_ok(&row, "hukou",
             PID_M "|李四|1|1980-01-01|1|10|110105|2|2024-01-01");
    parse_ok(&row, "hukou",
             PID_M "|李四|1|1980-01-01|1|10|110105|3|2024-01-01");
    parse_ok(&row, "social_insurance",
             PID_M "|2024-03|contrib|5000.00|400.00|" USCC2);
    parse_ok(&row, "social_insurance", PID_M "|2024-03|injury||100.00|");
    parse_ok(&row, "medical", PID_M "|2024-03|100.00|60.00|40.00|1");
    parse_ok(&row, "medical", PID_M "|2024-03|0|0|0|0");
    /* Refunds are negative money and still add up. */
    parse_ok(&row, "medical", PID_M "|2024-03|-10.00|-6.50|-3.50|0");
}

static void values_format_back(void **state)
{
    static const struct {
        const char *feed, *line, *formatted;
    } cases[] = {
        {"tax_income", PID_M "|2024-03|wage|" USCC1 "|12345.6|-0.01",
         PID_M "|2024-03|wage|" USCC1 "|12345.60|-0.01"},
        {"tax_income", PID_M "|2024-12|incidental||0|0",
         PID_M "|2024-12|incidental||0.00|0.00"},
        {"hukou", PID_F15 "|张三|2|1949-12-31|1|02|110105|1|",
         PID_F "|张三|2|1949-12-31|1|02|110105|1|"},
        {"real_estate", PID_M "|A-1|440305|office|85.5|050|2020-02-29|1",
         PID_M "|A-1|440305|office|85.50|50|2020-02-29|1"},
    };
    (void)state;

    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        const hd_feed *feed = hd_feed_find(cases[i].feed);
        hd_row row;
        hd_buf out;
        hd_buf_init(&out, 4096);
        parse_ok(&row, cases[i].feed, cases[i].line);
        for (int c = 0; c < feed->column_count; c++) {
            if (c)
                hd_buf_putc(&out, '|');
            assert_int_equal(
                hd_value_format(&out, &feed->columns[c], &row.values[c]), 0);
        }
        assert_string_equal(out.ptr, cases[i].formatted);
        hd_buf_release(&out);
    }
}

/* What the rest of the code assumes of the table. */
static void the_table_is_consistent(void **state)
{
    (void)state;
    assert_int_equal(hd_feed_count, 15);
    for (int i = 0; i < hd_feed_count; i++) {
        const hd_feed *feed = &hd_feeds[i];
        int pids = 0;
        assert_true(feed->column_count <= HD_FEED_MAX_COLUMNS);
        assert_string_equal(feed->columns[0].name, "pid");
        assert_int_equal(feed->columns[0].type, HD_TYPE_PID);
        assert_true(feed->columns[0].key);
        assert_ptr_equal(hd_feed_find(feed->name), feed);
        assert_ptr_equal(hd_feed_by_id(feed->id), feed);
        assert_true((feed->check == NULL) == (feed->check_doc == NULL));
        for (int c = 0; c < feed->column_count; c++) {
            const hd_column *col = &feed->columns[c];
            assert_int_equal(hd_feed_column(feed, col->name), c);
            assert_true((col->type == HD_TYPE_CODE) == (col->codes != NULL));
            if (col->codes)
                assert_non_null(col->codes[0].code);
            if (col->type == HD_TYPE_PID)
                pids++;
        }
        /* A row's storage holds three normalised pids. */
        assert_true(pids * (HD_PID_LEN + 1) <=
                    (int)sizeof(((hd_row *)0)->storage));
        for (int j = 0; j < i; j++) {
            assert_int_not_equal(hd_feeds[j].id, feed->id);
            assert_string_not_equal(hd_feeds[j].name, feed->name);
        }
    }
    /* The places the cross-column rules read without a lookup. */
    {
        const hd_feed *hukou = hd_feed_find("hukou");
        const hd_feed *si = hd_feed_find("social_insurance");
        const hd_feed *medical = hd_feed_find("medical");
        assert_int_equal(hd_feed_column(hukou, "pid"), HD__HUKOU_PID);
        assert_int_equal(hd_feed_column(hukou, "sex"), HD__HUKOU_SEX);
        assert_int_equal(hd_feed_column(hukou, "birth"), HD__HUKOU_BIRTH);
        assert_int_equal(hd_feed_column(hukou, "status"), HD__HUKOU_STATUS);
        assert_int_equal(hd_feed_column(hukou, "status_date"),
                         HD__HUKOU_STATUS_DATE);
        assert_int_equal(
            hd_column_code_index(&hukou->columns[HD__HUKOU_STATUS], "1", 1),
            HD__HUKOU_STATUS_NORMAL);
        assert_int_equal(hd_feed_column(si, "kind"), HD__SI_KIND);
        assert_int_equal(hd_feed_column(si, "base"), HD__SI_BASE);
        assert_int_equal(
            hd_column_code_index(&si->columns[HD__SI_KIND], "contrib", 7),
            HD__SI_KIND_CONTRIB);
        assert_int_equal(hd_feed_column(medical, "total"), HD__MEDICAL_TOTAL);
        assert_int_equal(hd_feed_column(medical, "fund_paid"),
                         HD__MEDICAL_FUND_PAID);
        assert_int_equal(hd_feed_column(medical, "self_paid"),
                         HD__MEDICAL_SELF_PAID);
    }
    assert_null(hd_feed_find("nope"));
    assert_null(hd_feed_by_id(0));
    assert_int_equal(
        hd_column_code_index(&hd_feed_find("hukou")->columns[2], "", 0), -1);
}

static void reject_names_are_stable(void **state)
{
    static const char *const names[] = {
        "none",      "field_count",  "null",       "pid",
        "uscc",      "region",       "date",       "period",
        "money",     "area",         "pct",        "code",
        "text",      "cross_field",  "csv_syntax", "manifest",
        "standard",  "unknown_feed", "department", "missing_file",
        "row_count", "checksum",     "header",     "bad_row_share",
    };
    (void)state;

    assert_int_equal(sizeof(names) / sizeof(names[0]), HD_REJECT_COUNT_);
    for (int r = 0; r < HD_REJECT_COUNT_; r++) {
        assert_string_equal(hd_reject_name((hd_reject)r), names[r]);
        /* Rows go to quarantine up to csv_syntax; the rest reject the
         * whole delivery. */
        assert_int_equal(hd_reject_is_delivery((hd_reject)r),
                         r >= HD_REJECT_MANIFEST);
    }
    assert_string_equal(hd_reject_name(HD_REJECT_COUNT_), "unknown");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(valid_hukou_row),
        cmocka_unit_test(values_are_kept_exactly),
        cmocka_unit_test(nullable_columns_take_empty_fields),
        cmocka_unit_test(every_reject_reason),
        cmocka_unit_test(text_is_at_most_200_characters),
        cmocka_unit_test(pids_are_normalised),
        cmocka_unit_test(cross_field_rules_accept_what_they_should),
        cmocka_unit_test(values_format_back),
        cmocka_unit_test(the_table_is_consistent),
        cmocka_unit_test(reject_names_are_stable),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
