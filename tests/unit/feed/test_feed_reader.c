/*
 * A feed's file: header mapping, bad rows with file line, field number and
 * column, row counts and checksums. Expected lines and field numbers are
 * counted by hand from the files below.
 */
#include "testutil.h"

#include "feed/feed_int.h"

#include <hedui/feed.h>

#include <stdio.h>
#include <string.h>

#define PID_F "11010519491231002X"
#define PID_M "110105198001010016"
#define USCC1 "91350100M000100Y43"

/*
 * Read a whole file with a feed reader (first buffer of `chunk` bytes, 0
 * for the default) and describe each row on a line:
 *   "<line> ok <first value>" or
 *   "<line> <reason> <field number> <column or ->".
 */
static char *summarise(const char *feed_name, const char *data, size_t chunk,
                       int64_t *rows)
{
    hd_feed_reader *r;
    hd_reject why;
    hd_error err;
    hd_row row;
    hd_bad_row bad;
    hd_buf out;
    int rc;

    hd_buf_init(&out, HD_BUF_DEFAULT_MAX);
    rc = hd__feed_reader_open_mem_chunk(&r, hd_feed_find(feed_name), "f.csv",
                                        data, strlen(data), chunk, &why, &err);
    if (rc)
        fail_msg("open: %s", err.msg);
    while ((rc = hd_feed_reader_next(r, &row, &bad, &err)) > 0) {
        if (rc == 1) {
            /* The row's values are readable until the next call. */
            const hd_value *v = &row.values[0];
            hd_buf_printf(&out, "ok %.*s\n", (int)v->len, v->text);
            continue;
        }
        assert_int_equal(rc, 2);
        hd_buf_printf(&out, "%lld %s %d %s\n", (long long)bad.line,
                      hd_reject_name(bad.reason), bad.column,
                      bad.field ? bad.field : "-");
        assert_non_null(bad.raw.ptr);
        assert_true(bad.detail[0] != '\0');
    }
    assert_int_equal(rc, 0);
    if (rows)
        *rows = hd_feed_reader_rows(r);
    hd_feed_reader_free(r);
    return hd_buf_detach(&out, NULL);
}

static void check_feed(const char *feed_name, const char *data,
                       const char *expected, int64_t expected_rows)
{
    for (size_t chunk = 0; chunk < 48; chunk += chunk < 8 ? 1 : 13) {
        int64_t rows;
        char *got = summarise(feed_name, data, chunk, &rows);
        if (strcmp(got, expected) != 0)
            fail_msg("chunk %zu: got\n%s\nexpected\n%s", chunk, got, expected);
        assert_int_equal(rows, expected_rows);
        hd_free(got);
    }
}

/* Columns in another order, an unknown column, and a bad row for each
 * reason a hukou row can have. */
static void hukou_rows_and_their_rejects(void **state)
{
    const char *data =
        /* 1 */
        "name,pid,extra,sex,birth,hukou_no,relation,region,status,"
        "status_date\n"
        /* 2 */ "张三," PID_F ",x,2,1949-12-31,H1,02,110105,1,\n"
        /* 3 */ "," PID_F ",x,2,1949-12-31,H1,02,110105,1,\n"
        /* 4 */ "李四,110105194912310021,x,2,1949-12-31,H1,02,110105,1,\n"
        /* 5 */ "李四," PID_F ",x\n"
        /* 6 */ "\"王\n"
        /* 7 */ "五\",11010519491231002x,\"a,b\",2,1949-12-31,H1,02,110105,1,\n"
        /* 8 */ "张三," PID_F ",x,2,1949-12-31,H1,02,110005,1,\n"
        /* 9 */ "张三," PID_F ",x,2,1949-02-30,H1,02,110105,1,\n"
        /* 10 */ "张三," PID_F ",x,2,1949-12-31,H1,03,110105,1,\n"
        /* 11 */ "\xff," PID_F ",x,2,1949-12-31,H1,02,110105,1,\n"
        /* 12 */ "张三," PID_F ",x,1,1949-12-31,H1,02,110105,1,\n"
        /* 13 */ "张三," PID_F ",x,2,1949-12-31,H1,02,110105,2,\n"
        /* 14 */ "张\"三," PID_F ",x,2,1949-12-31,H1,02,110105,1,\n"
        /* 15 */ "张三," PID_F ",\"x\"y,2,1949-12-31,H1,02,110105,1,\n"
        /* 16 */ "张三," PID_F ",,2,1949-12-31,H1,02,110105,3,2020-01-01\r\n";
    const char *expected = "ok " PID_F "\n"
                           "3 null 1 name\n"
                           "4 pid 2 pid\n"
                           "5 field_count 0 -\n"
                           "ok " PID_F "\n"
                           "8 region 8 region\n"
                           "9 date 5 birth\n"
                           "10 code 7 relation\n"
                           "11 text 1 name\n"
                           "12 cross_field 4 sex\n"
                           "13 cross_field 10 status_date\n"
                           "14 csv_syntax 1 name\n"
                           "15 csv_syntax 3 -\n"
                           "ok " PID_F "\n";
    (void)state;
    check_feed("hukou", data, expected, 14);
}

static void tax_income_rows_and_their_rejects(void **state)
{
    const char *data =
        /* 1 */ "income,tax,pid,category,period,payer,note\n"
                /* 2 */ "100.00,1.00," PID_M ",wage,2024-03," USCC1 ",\n"
                /* 3 */ "100.00,1.00," PID_M ",wage,2024-00," USCC1 ",\n"
                /* 4 */ "100.001,1.00," PID_M ",wage,2024-03," USCC1 ",\n"
                /* 5 */ "100.00,1.00," PID_M
                ",wage,2024-03,91350100M000100Y44,\n"
                /* 6 */ "100.00,1.00," PID_M
                ",business,2024-03,,\"free, text\"\n"
                /* 7 */ "100.00,1.00," PID_M ",salary,2024-03,,\n"
                /* 8 */ "100.00,," PID_M ",wage,2024-03,,\n"
                /* 9 */ "\n"
                /* 10 */ "100.00,1.00,,wage,2024-03,,\n"
                /* 11: a blank last line, not a record */ "\n";
    const char *expected = "ok " PID_M "\n"
                           "3 period 5 period\n"
                           "4 money 1 income\n"
                           "5 uscc 6 payer\n"
                           "ok " PID_M "\n"
                           "7 code 4 category\n"
                           "8 null 2 tax\n"
                           "9 field_count 0 -\n"
                           "10 null 3 pid\n";
    (void)state;
    check_feed("tax_income", data, expected, 9);
}

static void real_estate_area_and_share(void **state)
{
    const char *data =
        "pid,cert_no,region,use,area,share,acquired,status\n"
        "" PID_M ",C1,440305,residential,85.5,100,2020-01-01,1\n"
        "" PID_M ",C2,440305,residential,-85.5,100,2020-01-01,1\n"
        "" PID_M ",C3,440305,residential,85.5,101,2020-01-01,1\n"
        "" PID_M ",C4,440305,shop,85.5,100,2020-01-01,1\n";
    const char *expected = "ok " PID_M "\n"
                           "3 area 5 area\n"
                           "4 pct 6 share\n"
                           "5 code 4 use\n";
    (void)state;
    check_feed("real_estate", data, expected, 4);
}

/* A rule across columns blames the column by its place in this file. */
static void cross_field_column_follows_the_file(void **state)
{
    const char *data = "serious,self_paid,fund_paid,total,period,pid\n"
                       "0,40.00,60.00,100.00,2024-03," PID_M "\n"
                       "0,30.00,60.00,100.00,2024-03," PID_M "\n";
    (void)state;
    check_feed("medical", data, "ok " PID_M "\n3 cross_field 2 self_paid\n", 2);
}

static void missing_nullable_column_reads_as_null(void **state)
{
    const char *tax = "pid,period,category,income,tax\n" PID_M
                      ",2024-03,interest,10.00,2.00\n";
    /* Without base, a contrib row breaks "base required for contrib",
     * blamed on a column the file does not have (field number 0). */
    const char *si =
        "pid,period,kind,amount\n" PID_M ",2024-03,pension,100.00\n" PID_M
        ",2024-03,contrib,100.00\n";
    hd_feed_reader *r;
    hd_row row;
    hd_bad_row bad;
    (void)state;

    assert_int_equal(hd_feed_reader_open_mem(&r, hd_feed_find("tax_income"),
                                             "t", tax, strlen(tax), NULL, NULL),
                     0);
    assert_int_equal(hd_feed_reader_next(r, &row, &bad, NULL), 1);
    assert_true(row.values[3].is_null);
    assert_int_equal(row.values[4].num, 1000);
    assert_int_equal(hd_feed_reader_next(r, &row, &bad, NULL), 0);
    hd_feed_reader_free(r);

    check_feed("social_insurance", si, "ok " PID_M "\n3 cross_field 0 base\n",
               2);
}

/* The reader remembers the last valid ID of each column: a repeated one,
 * valid or not, must still give what checking it would. */
static void repeated_ids_are_judged_each_time(void **state)
{
    const char *data =
        /* 1 */ "pid,period,category,payer,income,tax\n"
        /* 2 */ PID_M ",2024-01,wage," USCC1 ",1.00,0\n"
        /* 3 */ PID_M ",2024-02,wage," USCC1 ",1.00,0\n"
                /* 4 */ "110105198001010017,2024-03,wage," USCC1 ",1.00,0\n"
        /* 5 */ PID_M ",2024-04,wage,91350100M000100Y44,1.00,0\n"
        /* 6 */ PID_M ",2024-05,wage," USCC1 ",1.00,0\n"
                /* 7 */ "110105491231002,2024-06,wage,,1.00,0\n"
                /* 8 */ "110105491231002,2024-07,wage,,1.00,0\n"
                /* 9 */ "11010519491231002x,2024-08,wage,,1.00,0\n"
                /* 10 */ "11010519491231002x,2024-09,wage,,1.00,0\n"
                /* 11 */ "110105194912310021,2024-10,wage,,1.00,0\n"
        /* 12 */ PID_F ",2024-11,wage,,1.00,0\n";
    (void)state;
    check_feed("tax_income", data,
               "ok " PID_M "\nok " PID_M "\n4 pid 1 pid\n5 uscc 4 payer\n"
               "ok " PID_M "\nok " PID_F "\nok " PID_F "\nok " PID_F
               "\nok " PID_F "\n11 pid 1 pid\nok " PID_F "\n",
               11);
}

static void expect_header_reject(const char *feed_name, const char *data,
                                 int column, const char *field, const char *msg)
{
    hd_feed_reader *r = (hd_feed_reader *)1;
    hd_reject why = HD_REJECT_NONE;
    hd_error err;

    hd_error_clear(&err);
    assert_int_equal(hd_feed_reader_open_mem(&r, hd_feed_find(feed_name),
                                             "d/f.csv", data, strlen(data),
                                             &why, &err),
                     HD_EDATA);
    assert_null(r);
    assert_int_equal(why, HD_REJECT_HEADER);
    assert_string_equal(err.file, "d/f.csv");
    assert_int_equal(err.line, 1);
    assert_int_equal(err.column, column);
    assert_string_equal(err.field, field);
    if (!strstr(err.msg, msg))
        fail_msg("message \"%s\" lacks \"%s\"", err.msg, msg);
}

static void broken_headers_reject_the_file(void **state)
{
    (void)state;
    expect_header_reject("death", "pid\n" PID_M "\n", 0, "date",
                         "required column date missing");
    expect_header_reject("hukou",
                         "pid,name,sex,birth,hukou_no,relation,region,"
                         "status_date\n",
                         0, "status", "required column status missing");
    /* Header names are exact: no case folding, no trimming. */
    expect_header_reject("death", "pid,Date\n", 0, "date",
                         "required column date missing");
    expect_header_reject("death", "pid, date\n", 0, "date",
                         "required column date missing");
    expect_header_reject("death", "pid,date,pid\n", 3, "pid",
                         "column pid repeated");
    expect_header_reject("death", "", 0, "", "no header line");
    expect_header_reject("death", "\xEF\xBB\xBF", 0, "", "no header line");
    expect_header_reject("death", "pid,da\"te\n", 2, "",
                         "header: broken quoting");
}

static void header_may_be_quoted_and_have_a_bom(void **state)
{
    (void)state;
    check_feed("death",
               "\xEF\xBB\xBF\"date\",\"pid\"\r\n2024-01-01," PID_M "\r\n",
               "ok " PID_M "\n", 1);
    /* A header line only: no rows. */
    check_feed("death", "pid,date\n", "", 0);
    check_feed("death", "pid,date", "", 0);
    /* Unknown columns may repeat: they are ignored. */
    check_feed("death", "x,pid,x,date\n,110105491231002,,2024-01-01\n",
               "ok " PID_F "\n", 1);
}

static void bad_row_carries_raw_and_detail(void **state)
{
    const char *data = "pid,date\r\n" PID_M ",2024-02-30\r\n";
    hd_feed_reader *r;
    hd_row row;
    hd_bad_row bad;
    (void)state;

    assert_int_equal(hd_feed_reader_open_mem(&r, hd_feed_find("death"), "t",
                                             data, strlen(data), NULL, NULL),
                     0);
    assert_int_equal(hd_feed_reader_next(r, &row, &bad, NULL), 2);
    assert_int_equal(bad.reason, HD_REJECT_DATE);
    assert_int_equal(bad.line, 2);
    assert_int_equal(bad.column, 2);
    assert_string_equal(bad.field, "date");
    assert_string_equal(bad.detail, "date: not a calendar date");
    assert_true(hd_str_eq_cstr(bad.raw, PID_M ",2024-02-30"));
    assert_int_equal(hd_feed_reader_next(r, &row, &bad, NULL), 0);
    assert_int_equal(hd_feed_reader_rows(r), 1);
    hd_feed_reader_free(r);
}

static void file_reader_counts_and_hashes(void **state)
{
    const char *dir = tu_tempdir();
    hd_buf data;
    hd_feed_reader *r;
    hd_reject why;
    hd_error err;
    hd_row row;
    hd_bad_row bad;
    char want[HD_SHA256_HEX_LEN + 1], got[HD_SHA256_HEX_LEN + 1];
    const char *path;
    int64_t good = 0, bad_rows = 0;
    int rc;
    (void)state;

    /* Enough rows to cross the 1 MiB buffer several times; every 10th
     * has a bad tax amount. */
    hd_buf_init(&data, HD_BUF_DEFAULT_MAX);
    hd_buf_puts(&data, "pid,period,category,payer,income,tax\n");
    for (int i = 0; i < 50000; i++)
        hd_buf_printf(&data, PID_M ",2024-%02d,wage," USCC1 ",%d.%02d,%s\n",
                      i % 12 + 1, i, i % 100, i % 10 == 9 ? "x" : "1.00");
    path = tu_write_file(dir, "tax_income.csv", data.ptr);
    assert_int_equal(hd_sha256_file(want, path, NULL), 0);

    assert_int_equal(
        hd_feed_reader_open(&r, hd_feed_find("tax_income"), path, &why, &err),
        0);
    while ((rc = hd_feed_reader_next(r, &row, &bad, &err)) > 0) {
        if (rc == 1) {
            /* Good rows are those with i % 10 != 9. */
            int64_t i = good + good / 9;
            assert_int_equal(row.values[1].num, 2024 * 12 + i % 12);
            good++;
        } else {
            assert_int_equal(bad.reason, HD_REJECT_MONEY);
            assert_int_equal(bad.line, 10 * bad_rows + 11);
            assert_int_equal(bad.column, 6);
            bad_rows++;
        }
    }
    assert_int_equal(rc, 0);
    assert_int_equal(good, 45000);
    assert_int_equal(bad_rows, 5000);
    assert_int_equal(hd_feed_reader_rows(r), 50000);
    hd_feed_reader_sha256(r, got);
    assert_string_equal(got, want);
    hd_feed_reader_free(r);

    /* A file that is not there is an I/O error, not a rejected header. */
    why = HD_REJECT_CHECKSUM;
    assert_int_equal(hd_feed_reader_open(&r, hd_feed_find("tax_income"),
                                         "/nonexistent/t.csv", &why, &err),
                     HD_EIO);
    assert_int_equal(why, HD_REJECT_NONE);
    hd_buf_release(&data);
    tu_rmtree(dir);
}

static void allocation_failures_are_reported(void **state)
{
    const char *data = "pid,date\n\"" PID_M "\",\"2024-01-01\"\n";
    (void)state;

    for (long n = 1; n < 12; n++) {
        hd_feed_reader *r = NULL;
        hd_row row;
        hd_bad_row bad;
        int rc;
        hd_alloc_fail_after(n, false);
        rc = hd_feed_reader_open_mem(&r, hd_feed_find("death"), "t", data,
                                     strlen(data), NULL, NULL);
        if (rc == 0)
            while ((rc = hd_feed_reader_next(r, &row, &bad, NULL)) > 0)
                ;
        hd_feed_reader_free(r);
        hd_alloc_fail_after(0, false);
        if (rc != 0 && rc != HD_ENOMEM)
            fail_msg("allocation %ld: rc %d", n, rc);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(hukou_rows_and_their_rejects),
        cmocka_unit_test(tax_income_rows_and_their_rejects),
        cmocka_unit_test(real_estate_area_and_share),
        cmocka_unit_test(cross_field_column_follows_the_file),
        cmocka_unit_test(missing_nullable_column_reads_as_null),
        cmocka_unit_test(repeated_ids_are_judged_each_time),
        cmocka_unit_test(broken_headers_reject_the_file),
        cmocka_unit_test(header_may_be_quoted_and_have_a_bom),
        cmocka_unit_test(bad_row_carries_raw_and_detail),
        cmocka_unit_test(file_reader_counts_and_hashes),
        cmocka_unit_test(allocation_failures_are_reported),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
