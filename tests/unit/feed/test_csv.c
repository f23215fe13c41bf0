/* The RFC 4180 reader: records, quoting, line numbers, resync, hashing. */
#include "testutil.h"

#include "feed/feed_int.h"

#include <hedui/feed.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/*
 * Everything a reader returned, written out as text so that whole files
 * compare in one assertion: one line per record,
 *   "<line>:<field>|<field>|..." for a record, "<line>!<column>" for a bad
 * one, with '\n' in fields written as "\n" and '\r' as "\r".
 */
static char *read_all(const char *data, size_t len, size_t chunk)
{
    hd_csv *csv;
    hd_csv_record rec;
    hd_error err;
    hd_buf out;
    int rc;

    hd_buf_init(&out, HD_BUF_DEFAULT_MAX);
    assert_int_equal(hd_csv_open_mem(&csv, "t.csv", data, len, NULL), 0);
    if (chunk)
        hd__csv_set_chunk(csv, chunk);
    while ((rc = hd_csv_next(csv, &rec, &err)) != 0) {
        if (rc == HD_EDATA) {
            assert_string_equal(err.file, "t.csv");
            assert_int_equal(err.line, rec.line);
            hd_buf_printf(&out, "%lld!%d\n", (long long)rec.line, err.column);
            continue;
        }
        assert_int_equal(rc, 1);
        hd_buf_printf(&out, "%lld:", (long long)rec.line);
        for (int i = 0; i < rec.count; i++) {
            if (i)
                hd_buf_putc(&out, '|');
            for (size_t k = 0; k < rec.fields[i].len; k++) {
                char c = rec.fields[i].ptr[k];
                if (c == '\n')
                    hd_buf_puts(&out, "\\n");
                else if (c == '\r')
                    hd_buf_puts(&out, "\\r");
                else
                    hd_buf_putc(&out, c);
            }
        }
        hd_buf_putc(&out, '\n');
    }
    hd_csv_free(csv);
    assert_int_equal(hd_buf_error(&out), 0);
    return hd_buf_detach(&out, NULL);
}

/* Read `data` with the default buffer and with every small buffer size
 * from 1 to 40 bytes (records then cross buffer ends everywhere), and
 * check every reading gives `expected`. */
static void check_csv(const char *data, const char *expected)
{
    size_t len = strlen(data);
    for (size_t chunk = 0; chunk <= 40; chunk++) {
        char *got = read_all(data, len, chunk);
        if (strcmp(got, expected) != 0)
            fail_msg("chunk %zu: input\n%s\ngot\n%s\nexpected\n%s", chunk, data,
                     got, expected);
        hd_free(got);
    }
}

static void plain_records(void **state)
{
    (void)state;
    check_csv("a,b,c\n1,2,3\n", "1:a|b|c\n2:1|2|3\n");
    check_csv("a\n1\n", "1:a\n2:1\n");
}

static void crlf_line_ends(void **state)
{
    (void)state;
    check_csv("a,b\r\n1,2\r\n", "1:a|b\n2:1|2\n");
    /* A lone CR inside an unquoted field is data. */
    check_csv("a,b\r\nx\ry,2\r\n", "1:a|b\n2:x\\ry|2\n");
}

static void missing_final_newline(void **state)
{
    (void)state;
    check_csv("a,b\n1,2", "1:a|b\n2:1|2\n");
    check_csv("a,b\n\"1\",\"2\"", "1:a|b\n2:1|2\n");
    check_csv("a,b\n1,", "1:a|b\n2:1|\n");
}

static void blank_last_line_is_not_a_record(void **state)
{
    (void)state;
    check_csv("a,b\n1,2\n\n", "1:a|b\n2:1|2\n");
    check_csv("a,b\r\n1,2\r\n\r\n", "1:a|b\n2:1|2\n");
    /* A blank line before other records is a record of one empty field,
     * which a feed reader then reports as a field count mismatch. */
    check_csv("a,b\n\n1,2\n", "1:a|b\n2:\n3:1|2\n");
    check_csv("", "");
    check_csv("\n", "");
}

static void empty_fields(void **state)
{
    (void)state;
    check_csv("a,b,c\n,,\n", "1:a|b|c\n2:||\n");
    check_csv("a,b,c\n\"\",x,\"\"\n", "1:a|b|c\n2:|x|\n");
}

static void quoted_fields(void **state)
{
    (void)state;
    check_csv("a,b\n\"x,y\",z\n", "1:a|b\n2:x,y|z\n");
    check_csv("a,b\n\"say \"\"hi\"\"\",2\n", "1:a|b\n2:say \"hi\"|2\n");
    check_csv("\"\"\"\"\n", "1:\"\n");
    check_csv("a\n\"\"\"\"\"\"\n", "1:a\n2:\"\"\n");
    /* Escapes in several fields of one record. */
    check_csv("\"a\"\"\",\"\"\"b\",\"c\"\"c\"\n", "1:a\"|\"b|c\"c\n");
}

static void embedded_line_breaks(void **state)
{
    (void)state;
    /* Line 2 holds a field over two lines, so the next record is on 4. */
    check_csv("a,b\n\"line1\nline2\",x\nnext,y\n",
              "1:a|b\n2:line1\\nline2|x\n4:next|y\n");
    check_csv("a,b\r\n\"line1\r\nline2\",x\r\nnext,y\r\n",
              "1:a|b\n2:line1\\r\\nline2|x\n4:next|y\n");
    /* Three records of three, one and two lines. */
    check_csv("h\n\"1\n2\n3\"\nx\n\"a\nb\"\ny\n",
              "1:h\n2:1\\n2\\n3\n5:x\n6:a\\nb\n8:y\n");
    check_csv("a,b\n\"\n\",\"\n\n\"\nz,z\n", "1:a|b\n2:\\n|\\n\\n\n6:z|z\n");
}

static void bom_is_skipped(void **state)
{
    (void)state;
    check_csv("\xEF\xBB\xBF"
              "a,b\n1,2\n",
              "1:a|b\n2:1|2\n");
    check_csv("\xEF\xBB\xBF\"a\",b\n", "1:a|b\n");
    /* Only at the start: later it is data. */
    check_csv("a\n\xEF\xBB\xBF\n", "1:a\n2:\xEF\xBB\xBF\n");
}

static void broken_quotes_resync(void **state)
{
    (void)state;
    /* A quote inside an unquoted field (field 1 of line 2). */
    check_csv("a,b\nx\"y,1\nok,2\n", "1:a|b\n2!1\n3:ok|2\n");
    /* Text after a closing quote (field 2). */
    check_csv("a,b\n1,\"x\"y\nok,2\n", "1:a|b\n2!2\n3:ok|2\n");
    check_csv("a,b\n1,\"x\" \r\nok,2\r\n", "1:a|b\n2!2\n3:ok|2\n");
    /* The error comes after a two-line field: the record started on line
     * 2, the reader resumes after the end of line 3. */
    check_csv("a,b\n\"x\ny\"z,1\nok,2\n", "1:a|b\n2!1\n4:ok|2\n");
    /* Broken quoting on the last line without a line end. */
    check_csv("a,b\nok,1\nx\"", "1:a|b\n2:ok|1\n3!1\n");
}

static void eof_inside_quotes_ends_reading(void **state)
{
    (void)state;
    check_csv("a,b\n1,\"open\nmore,3\nlast\n", "1:a|b\n2!2\n");
    check_csv("a,b\n\"", "1:a|b\n2!1\n");
}

static void line_numbers_after_multi_line_records(void **state)
{
    (void)state;
    check_csv("h,i\n\"a\n\nb\",1\n2,3\n\"c\r\nd\",4\r\n5,6\n",
              "1:h|i\n2:a\\n\\nb|1\n5:2|3\n6:c\\r\\nd|4\n8:5|6\n");
}

static void too_many_fields(void **state)
{
    hd_buf in;
    hd_csv *csv;
    hd_csv_record rec;
    hd_error err;
    (void)state;

    hd_buf_init(&in, HD_BUF_DEFAULT_MAX);
    hd_buf_puts(&in, "a\n");
    for (int i = 0; i < 70; i++)
        hd_buf_puts(&in, i ? ",x" : "x");
    hd_buf_puts(&in, "\nb\n");
    for (int i = 0; i < 65; i++)
        hd_buf_puts(&in, i ? ",\"q\"" : "\"q\"");
    hd_buf_puts(&in, "\nc\n");
    assert_int_equal(hd_csv_open_mem(&csv, "t", in.ptr, in.len, NULL), 0);
    assert_int_equal(hd_csv_next(csv, &rec, &err), 1);
    assert_int_equal(hd_csv_next(csv, &rec, &err), HD_EDATA);
    assert_int_equal(rec.line, 2);
    assert_int_equal(rec.count, 70);
    assert_int_equal(err.column, HD_CSV_MAX_FIELDS + 1);
    assert_non_null(strstr(err.msg, "more than 64 fields"));
    assert_int_equal(hd_csv_next(csv, &rec, &err), 1);
    assert_int_equal(rec.line, 3);
    assert_int_equal(hd_csv_next(csv, &rec, &err), HD_EDATA);
    assert_int_equal(rec.line, 4);
    assert_int_equal(rec.count, 65);
    assert_int_equal(hd_csv_next(csv, &rec, &err), 1);
    assert_int_equal(rec.line, 5);
    assert_true(hd_str_eq_cstr(rec.fields[0], "c"));
    assert_int_equal(hd_csv_next(csv, &rec, &err), 0);
    hd_csv_free(csv);

    /* Exactly 64 fields is a record. */
    hd_buf_reset(&in);
    for (int i = 0; i < 64; i++)
        hd_buf_puts(&in, i ? ",x" : "x");
    assert_int_equal(hd_csv_open_mem(&csv, "t", in.ptr, in.len, NULL), 0);
    assert_int_equal(hd_csv_next(csv, &rec, &err), 1);
    assert_int_equal(rec.count, 64);
    hd_csv_free(csv);
    hd_buf_release(&in);
}

static void raw_is_the_record_as_read(void **state)
{
    const char *data = "a,b\r\n\"x\"\"y\",\"1\n2\"\r\nk,l";
    hd_csv *csv;
    hd_csv_record rec;
    hd_error err;
    (void)state;

    assert_int_equal(hd_csv_open_mem(&csv, "t", data, strlen(data), NULL), 0);
    assert_int_equal(hd_csv_next(csv, &rec, &err), 1);
    assert_true(hd_str_eq_cstr(rec.raw, "a,b"));
    assert_int_equal(hd_csv_next(csv, &rec, &err), 1);
    assert_true(hd_str_eq_cstr(rec.raw, "\"x\"\"y\",\"1\n2\""));
    assert_true(hd_str_eq_cstr(rec.fields[0], "x\"y"));
    assert_int_equal(hd_csv_next(csv, &rec, &err), 1);
    assert_true(hd_str_eq_cstr(rec.raw, "k,l"));
    assert_int_equal(hd_csv_next(csv, &rec, &err), 0);
    /* The end stays the end. */
    assert_int_equal(hd_csv_next(csv, &rec, &err), 0);
    hd_csv_free(csv);
}

/* Records around the real 1 MiB buffer end, quoted and not. */
static void records_cross_the_buffer_end(void **state)
{
    hd_buf in;
    hd_csv *csv;
    hd_csv_record rec;
    hd_error err;
    int64_t records = 0, sum = 0;
    int rc;
    (void)state;

    hd_buf_init(&in, HD_BUF_DEFAULT_MAX);
    hd_buf_puts(&in, "n,text\n");
    for (int i = 0; in.len < 3 * 1024 * 1024; i++) {
        if (i % 7 == 0)
            hd_buf_printf(&in, "%d,\"multi\nline, \"\"%d\"\"\"\r\n", i, i);
        else
            hd_buf_printf(&in, "%d,plain text %d\n", i, i);
    }
    assert_int_equal(hd_csv_open_mem(&csv, "big", in.ptr, in.len, NULL), 0);
    assert_int_equal(hd_csv_next(csv, &rec, &err), 1);
    int64_t line = 2;
    while ((rc = hd_csv_next(csv, &rec, &err)) == 1) {
        int64_t n = strtoll(rec.fields[0].ptr, NULL, 10);
        char want[64];
        assert_int_equal(n, records);
        assert_int_equal(rec.line, line);
        assert_int_equal(rec.count, 2);
        if (n % 7 == 0) {
            snprintf(want, sizeof(want), "multi\nline, \"%d\"", (int)n);
            line += 2;
        } else {
            snprintf(want, sizeof(want), "plain text %d", (int)n);
            line += 1;
        }
        assert_true(hd_str_eq_cstr(rec.fields[1], want));
        sum += n;
        records++;
    }
    assert_int_equal(rc, 0);
    assert_int_equal(sum, records * (records - 1) / 2);
    hd_csv_free(csv);
    hd_buf_release(&in);
}

static void overlong_record_is_an_error(void **state)
{
    hd_buf in;
    hd_csv *csv;
    hd_csv_record rec;
    hd_error err;
    (void)state;

    hd_buf_init(&in, HD_BUF_DEFAULT_MAX);
    hd_buf_puts(&in, "a,b\n1,");
    for (int i = 0; i < HD_CSV_MAX_RECORD + 10; i++)
        hd_buf_putc(&in, 'x');
    hd_buf_puts(&in, "\n2,y\n");
    assert_int_equal(hd_csv_open_mem(&csv, "t", in.ptr, in.len, NULL), 0);
    assert_int_equal(hd_csv_next(csv, &rec, &err), 1);
    assert_int_equal(hd_csv_next(csv, &rec, &err), HD_EDATA);
    assert_int_equal(rec.line, 2);
    assert_non_null(strstr(err.msg, "longer than"));
    assert_int_equal(hd_csv_next(csv, &rec, &err), 1);
    assert_int_equal(rec.line, 3);
    assert_true(hd_str_eq_cstr(rec.fields[1], "y"));
    assert_int_equal(hd_csv_next(csv, &rec, &err), 0);
    hd_csv_free(csv);

    /* A record of exactly HD_CSV_MAX_RECORD bytes is fine. */
    hd_buf_reset(&in);
    hd_buf_puts(&in, "a\n");
    for (int i = 0; i < HD_CSV_MAX_RECORD; i++)
        hd_buf_putc(&in, 'x');
    hd_buf_puts(&in, "\r\nz\r\n");
    assert_int_equal(hd_csv_open_mem(&csv, "t", in.ptr, in.len, NULL), 0);
    assert_int_equal(hd_csv_next(csv, &rec, &err), 1);
    assert_int_equal(hd_csv_next(csv, &rec, &err), 1);
    assert_int_equal(rec.fields[0].len, HD_CSV_MAX_RECORD);
    assert_int_equal(hd_csv_next(csv, &rec, &err), 1);
    assert_int_equal(rec.line, 3);
    assert_int_equal(hd_csv_next(csv, &rec, &err), 0);
    hd_csv_free(csv);
    hd_buf_release(&in);
}

static void sha256_covers_every_byte(void **state)
{
    char hex[HD_SHA256_HEX_LEN + 1];
    hd_csv *csv;
    hd_csv_record rec;
    hd_error err;
    (void)state;

    /* FIPS 180-2 B.1: the file "abc" is one record of one field. */
    for (size_t chunk = 0; chunk < 4; chunk++) {
        assert_int_equal(hd_csv_open_mem(&csv, "t", "abc", 3, NULL), 0);
        if (chunk)
            hd__csv_set_chunk(csv, chunk);
        while (hd_csv_next(csv, &rec, &err) > 0)
            ;
        hd_csv_sha256(csv, hex);
        assert_string_equal(hex, "ba7816bf8f01cfea414140de5dae2223"
                                 "b00361a396177a9cb410ff61f20015ad");
        hd_csv_free(csv);
    }
    /* The empty file hashes as the empty string. */
    assert_int_equal(hd_csv_open_mem(&csv, "t", "", 0, NULL), 0);
    assert_int_equal(hd_csv_next(csv, &rec, &err), 0);
    hd_csv_sha256(csv, hex);
    assert_string_equal(hex, "e3b0c44298fc1c149afbf4c8996fb924"
                             "27ae41e4649b934ca495991b7852b855");
    hd_csv_free(csv);
}

static void sha256_of_a_file_includes_bom_and_bad_records(void **state)
{
    const char *data = "\xEF\xBB\xBF"
                       "a,b\r\n\"x\"y,1\r\n2,\"3\n";
    const char *dir = tu_tempdir();
    const char *path = tu_write_file(dir, "f.csv", data);
    char want[HD_SHA256_HEX_LEN + 1], got[HD_SHA256_HEX_LEN + 1];
    hd_csv *csv;
    hd_csv_record rec;
    hd_error err;
    int rc, records = 0;
    (void)state;

    assert_int_equal(hd_sha256_file(want, path, NULL), 0);
    assert_int_equal(hd_csv_open(&csv, path, &err), 0);
    while ((rc = hd_csv_next(csv, &rec, &err)) != 0) {
        assert_true(rc == 1 || rc == HD_EDATA);
        records++;
    }
    assert_int_equal(records, 3);
    hd_csv_sha256(csv, got);
    assert_string_equal(got, want);
    hd_csv_free(csv);
    tu_rmtree(dir);
}

static void missing_file_is_an_io_error(void **state)
{
    hd_csv *csv = (hd_csv *)1;
    hd_error err;
    (void)state;

    hd_error_clear(&err);
    assert_int_equal(hd_csv_open(&csv, "/nonexistent/x.csv", &err), HD_EIO);
    assert_null(csv);
    assert_non_null(strstr(err.msg, "cannot open"));
}

static void fields_are_quoted_only_when_needed(void **state)
{
    hd_buf b;
    (void)state;

    hd_buf_init(&b, 1024);
    hd_csv_append_field(&b, "plain", 5);
    hd_buf_putc(&b, ',');
    hd_csv_append_field(&b, "a,b", 3);
    hd_buf_putc(&b, ',');
    hd_csv_append_field(&b, "say \"hi\"", 8);
    hd_buf_putc(&b, ',');
    hd_csv_append_field(&b, "two\nlines", 9);
    hd_buf_putc(&b, ',');
    hd_csv_append_field(&b, "", 0);
    assert_int_equal(hd_buf_error(&b), 0);
    assert_string_equal(b.ptr,
                        "plain,\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\",");
    /* And the reader reads back what was written. */
    hd_buf_putc(&b, '\n');
    check_csv(b.ptr, "1:plain|a,b|say \"hi\"|two\\nlines|\n");
    hd_buf_release(&b);
}

/* Every allocation the reader makes may fail: it reports HD_ENOMEM and
 * leaks nothing (the sanitizer build checks the leaks). */
static void allocation_failures_are_reported(void **state)
{
    const char *data = "a,b\n\"x\"\"y\",1\n";
    (void)state;

    for (long n = 1; n < 10; n++) {
        hd_csv *csv = NULL;
        hd_csv_record rec;
        hd_error err;
        int rc;
        hd_alloc_fail_after(n, false);
        rc = hd_csv_open_mem(&csv, "t", data, strlen(data), &err);
        if (rc == 0) {
            while ((rc = hd_csv_next(csv, &rec, &err)) == 1)
                ;
            hd_csv_free(csv);
        }
        hd_alloc_fail_after(0, false);
        assert_true(rc == 0 || rc == HD_ENOMEM);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(plain_records),
        cmocka_unit_test(crlf_line_ends),
        cmocka_unit_test(missing_final_newline),
        cmocka_unit_test(blank_last_line_is_not_a_record),
        cmocka_unit_test(empty_fields),
        cmocka_unit_test(quoted_fields),
        cmocka_unit_test(embedded_line_breaks),
        cmocka_unit_test(bom_is_skipped),
        cmocka_unit_test(broken_quotes_resync),
        cmocka_unit_test(eof_inside_quotes_ends_reading),
        cmocka_unit_test(line_numbers_after_multi_line_records),
        cmocka_unit_test(too_many_fields),
        cmocka_unit_test(raw_is_the_record_as_read),
        cmocka_unit_test(records_cross_the_buffer_end),
        cmocka_unit_test(overlong_record_is_an_error),
        cmocka_unit_test(sha256_covers_every_byte),
        cmocka_unit_test(sha256_of_a_file_includes_bom_and_bad_records),
        cmocka_unit_test(missing_file_is_an_io_error),
        cmocka_unit_test(fields_are_quoted_only_when_needed),
        cmocka_unit_test(allocation_failures_are_reported),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
