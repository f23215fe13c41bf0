/* The feed store's record encoding: round trips for every feed of the
 * table, key order, long keys, and bytes that are not records. */
#include "store/store_int.h"
#include "store_test.h"

static uint8_t buf[HD__RECORD_MAX];

/* A sample value of a column's type; `variant` picks among a few. */
static const char *sample(const hd_column *col, int variant)
{
    static const char *const texts[] = {"A1", "浙江省杭州市 no. 7, \"B\"", "x"};
    static const char *const dates[] = {"2026-11-01", "1969-12-31",
                                        "1900-02-28"};
    static const char *const money[] = {"1234.56", "-0.01",
                                        "92233720368547.75"};
    switch (col->type) {
    case HD_TYPE_PID:
        return variant % 2 ? "11010119900307803X" : "330106198001010014";
    case HD_TYPE_USCC:
        return variant % 2 ? "91330106MA27XL0F5Q" : "913301001000000000";
    case HD_TYPE_REGION:
        return variant % 2 ? "110101" : "000001";
    case HD_TYPE_DATE:
        return dates[variant % 3];
    case HD_TYPE_PERIOD:
        return variant % 2 ? "2026-01" : "1999-12";
    case HD_TYPE_MONEY:
        return money[variant % 3];
    case HD_TYPE_AREA:
        return variant % 2 ? "89.50" : "0";
    case HD_TYPE_PCT:
        return variant % 2 ? "100" : "0";
    case HD_TYPE_CODE: {
        int n = 0;
        while (col->codes[n].code)
            n++;
        return col->codes[(variant * 5 + 1) % n].code;
    }
    case HD_TYPE_TEXT:
        return texts[variant % 3];
    }
    return NULL;
}

static void round_trip(const hd_row *row)
{
    size_t klen, vlen;
    hd_row back;
    hd_error err;
    char a[4096], b[4096];

    hd_error_clear(&err);
    assert_int_equal(hd__record_encode(buf, &klen, &vlen, row, &err), 0);
    assert_true(klen <= HD__KEY_MAX);
    memset(&back, 0x5a, sizeof(back));
    assert_int_equal(
        hd__record_decode(&back, NULL, NULL, buf, klen, buf + klen, vlen), 0);
    if (!st_row_eq(row, &back)) {
        fail_msg("%s: %s != %s", row->feed->name,
                 st_row_text(a, sizeof(a), row),
                 st_row_text(b, sizeof(b), &back));
    }
    /* The pid is the key's prefix, so it is always there. */
    assert_int_equal(back.values[0].len, 18);
    assert_int_equal(back.values[0].text[18], '\0');
}

static void every_feed_round_trips(void **state)
{
    (void)state;
    for (int f = 0; f < hd_feed_count; f++) {
        const hd_feed *feed = &hd_feeds[f];
        for (int variant = 0; variant < 6; variant++) {
            const char *vals[HD_FEED_MAX_COLUMNS];
            st_row r;
            for (int i = 0; i < feed->column_count; i++) {
                const hd_column *col = &feed->columns[i];
                /* Odd variants null every nullable column. */
                vals[i] =
                    col->nullable && variant % 2 ? NULL : sample(col, variant);
            }
            st_row_set(&r, feed, vals);
            round_trip(&r.row);
        }
    }
}

static void encode_key(const hd_feed *feed, const char *const *vals,
                       uint8_t *key, size_t *klen)
{
    st_row r;
    size_t vlen;
    st_row_set(&r, feed, vals);
    assert_int_equal(hd__record_encode(buf, klen, &vlen, &r.row, NULL), 0);
    memcpy(key, buf, *klen);
}

static int key_order(const hd_feed *feed, const char *const *a,
                     const char *const *b)
{
    uint8_t ka[HD__KEY_MAX], kb[HD__KEY_MAX];
    size_t la, lb;
    encode_key(feed, a, ka, &la);
    encode_key(feed, b, kb, &lb);
    return hd__key_cmp(ka, la, kb, lb);
}

static void keys_sort_by_pid_then_feed_key(void **state)
{
    const hd_feed *tax = hd_feed_find("tax_income");
    const hd_feed *marriage = hd_feed_find("marriage");
    const char *p1 = "110101195001010011", *p2 = "110101195001010020";
    (void)state;

    /* pid order */
    assert_true(
        key_order(tax, (const char *[]){p1, "2026-05", "wage", NULL, "1", "0"},
                  (const char *[]){p2, "2020-01", "wage", NULL, "1", "0"}) < 0);
    /* X (10) sorts after 9 at the check position */
    assert_true(key_order(tax,
                          (const char *[]){"11010119500101001X", "2026-05",
                                           "wage", NULL, "1", "0"},
                          (const char *[]){"110101195001010029", "2026-05",
                                           "wage", NULL, "1", "0"}) < 0);
    assert_true(key_order(tax,
                          (const char *[]){"110101195001010019", "2026-05",
                                           "wage", NULL, "1", "0"},
                          (const char *[]){"11010119500101001X", "2026-05",
                                           "wage", NULL, "1", "0"}) < 0);
    /* period, then category index, then payer; a null payer first */
    assert_true(
        key_order(tax, (const char *[]){p1, "2025-12", "wage", NULL, "1", "0"},
                  (const char *[]){p1, "2026-01", "wage", NULL, "1", "0"}) < 0);
    assert_true(key_order(tax,
                          (const char *[]){p1, "2026-01", "wage",
                                           "913301001000000000", "1", "0"},
                          (const char *[]){p1, "2026-01", "labor", NULL, "1",
                                           "0"}) < 0);
    assert_true(
        key_order(tax, (const char *[]){p1, "2026-01", "wage", NULL, "9", "9"},
                  (const char *[]){p1, "2026-01", "wage", "013301001000000000",
                                   "1", "0"}) < 0);
    /* non-key columns do not change the key */
    assert_int_equal(
        key_order(tax, (const char *[]){p1, "2026-01", "wage", NULL, "1", "0"},
                  (const char *[]){p1, "2026-01", "wage", NULL, "2", "7"}),
        0);
    /* dates before 1970 sort before later ones */
    assert_true(key_order(marriage, (const char *[]){p1, p2, "1", "1969-12-31"},
                          (const char *[]){p1, p2, "1", "1970-01-01"}) < 0);
    assert_true(key_order(marriage, (const char *[]){p1, p2, "1", "1900-01-01"},
                          (const char *[]){p1, p2, "1", "1969-12-31"}) < 0);
}

static void packed_pids_keep_pid_order(void **state)
{
    char a[19], b[19], back[19] = {0};
    uint64_t pa, pb;
    (void)state;
    st_seed(7);
    for (int i = 0; i < 20000; i++) {
        for (int j = 0; j < 17; j++) {
            a[j] = (char)('0' + st_rand() % 10);
            b[j] = (char)('0' + st_rand() % 10);
        }
        a[17] = "0123456789X"[st_rand() % 11];
        b[17] = "0123456789X"[st_rand() % 11];
        if (i % 3 == 0)
            memcpy(b, a, 16 + st_rand() % 2);
        a[18] = b[18] = '\0';
        assert_int_equal(hd__pid_pack(&pa, a, 18), 0);
        assert_int_equal(hd__pid_pack(&pb, b, 18), 0);
        hd__pid_unpack(back, pa);
        assert_string_equal(back, a);
        /* '0'-'9' < 'X' in ASCII, as 0-9 < 10 */
        if (strcmp(a, b) < 0)
            assert_true(pa < pb);
        else if (strcmp(a, b) > 0)
            assert_true(pa > pb);
        else
            assert_true(pa == pb);
    }
    /* any byte that is not a digit, wherever it is */
    for (int pos = 0; pos < 17; pos++) {
        static const char bad[] = {'/', ':', 'a', ' ', 'X', '\x80', 0};
        for (int j = 0; bad[j]; j++) {
            char p[19] = "110101199003078031";
            p[pos] = bad[j];
            assert_int_equal(hd__pid_pack(&pa, p, 18), HD_EINVAL);
        }
    }
    assert_int_equal(hd__pid_pack(&pa, "11010119900307803x", 18), HD_EINVAL);
    assert_int_equal(hd__pid_pack(&pa, "1101011990030780", 16), HD_EINVAL);
    assert_int_equal(hd__pid_pack(&pa, "1101011990030780AX", 18), HD_EINVAL);
}

/* 200 three-byte characters: 600 bytes of UTF-8. */
static void long_text(char *out, char fill_last)
{
    for (int i = 0; i < 199; i++)
        memcpy(out + 3 * i, "银", 3);
    out[597] = fill_last;
    out[598] = '\0';
}

static void long_keys_are_hashed_and_round_trip(void **state)
{
    const hd_feed *dep = hd_feed_find("deposit");
    char inst[700], acct_a[700], acct_b[700];
    uint8_t ka[HD__KEY_MAX], kb[HD__KEY_MAX], kc[HD__KEY_MAX];
    size_t la, lb, lc;
    st_row r;
    (void)state;

    long_text(inst, 'I');
    long_text(acct_a, 'a');
    long_text(acct_b, 'b');
    const char *a[] = {"330106198001010014", inst, acct_a, "time", "10.00"};
    const char *b[] = {"330106198001010014", inst, acct_b, "time", "10.00"};
    const char *c[] = {"330106198001010014", inst, acct_a, "demand", "-3.00"};

    st_row_set(&r, dep, a);
    round_trip(&r.row);
    encode_key(dep, a, ka, &la);
    encode_key(dep, b, kb, &lb);
    encode_key(dep, c, kc, &lc);
    assert_int_equal(la, HD__KEY_HASHED_LEN);
    assert_int_equal(lb, HD__KEY_HASHED_LEN);
    /* Same feed key, same stored key; different ones differ. */
    assert_int_equal(hd__key_cmp(ka, la, kc, lc), 0);
    assert_true(hd__key_cmp(ka, la, kb, lb) != 0);
    /* The pid prefix still leads. */
    assert_int_equal(ka[HD__KEY_PID_LEN], dep->id);

    /* A key just at the plain limit stays plain. */
    const char *d[] = {"330106198001010014", "BANK", "1", "time", "1.00"};
    encode_key(dep, d, kc, &lc);
    assert_true(lc < HD__KEY_PLAIN_MAX);
}

static void values_that_cannot_be_stored_are_refused(void **state)
{
    const hd_feed *tax = hd_feed_find("tax_income");
    const hd_feed *vehicle = hd_feed_find("vehicle");
    size_t klen, vlen;
    hd_error err;
    st_row r;
    (void)state;

    st_row_set(&r, tax,
               (const char *[]){"330106198001010014", "2026-01", "wage", NULL,
                                "1", "0"});
    /* not a normalised pid */
    r.row.values[0].text = "33010619800101001x";
    hd_error_clear(&err);
    assert_int_equal(hd__record_encode(buf, &klen, &vlen, &r.row, &err),
                     HD_EDATA);
    assert_string_equal(err.field, "pid");
    r.row.values[0].text = r.text[0];
    /* a code index out of the list */
    r.row.values[2].num = 99;
    assert_int_equal(hd__record_encode(buf, &klen, &vlen, &r.row, &err),
                     HD_EDATA);
    assert_string_equal(err.field, "category");
    r.row.values[2].num = 0;
    /* a null in a required column */
    r.row.values[4].is_null = true;
    assert_int_equal(hd__record_encode(buf, &klen, &vlen, &r.row, &err),
                     HD_EDATA);
    r.row.values[4].is_null = false;
    assert_int_equal(hd__record_encode(buf, &klen, &vlen, &r.row, &err), 0);

    /* a NUL inside key text */
    st_row_set(&r, vehicle,
               (const char *[]){"330106198001010014", "浙A12345", "car",
                                "2020-01-01", "1.00", "1"});
    r.text[1][2] = '\0';
    assert_int_equal(hd__record_encode(buf, &klen, &vlen, &r.row, &err),
                     HD_EDATA);
    /* text over 800 bytes */
    st_row_set(&r, vehicle,
               (const char *[]){"330106198001010014", "A", "car", "2020-01-01",
                                "1.00", "1"});
    r.row.values[1].len = 801;
    assert_int_equal(hd__record_encode(buf, &klen, &vlen, &r.row, &err),
                     HD_EDATA);
}

static void broken_bytes_do_not_decode(void **state)
{
    const hd_feed *hukou = hd_feed_find("hukou");
    uint8_t copy[HD__RECORD_MAX];
    size_t klen, vlen;
    hd_row back;
    st_row r;
    (void)state;

    st_row_set(&r, hukou,
               (const char *[]){"330106198001010014", "张三", "1", "1980-01-01",
                                "H001", "02", "330106", "2", "2020-05-05"});
    assert_int_equal(hd__record_encode(buf, &klen, &vlen, &r.row, NULL), 0);
    /* Every shorter value is refused, and so is one byte too many. */
    for (size_t n = 0; n < vlen; n++) {
        memcpy(copy, buf + klen, n);
        assert_int_equal(
            hd__record_decode(&back, NULL, NULL, buf, klen, copy, n), HD_EDATA);
    }
    memcpy(copy, buf + klen, vlen);
    copy[vlen] = 0;
    assert_int_equal(
        hd__record_decode(&back, NULL, NULL, buf, klen, copy, vlen + 1),
        HD_EDATA);
    /* An unknown feed id, a short key. */
    memcpy(copy, buf, klen);
    copy[HD__KEY_PID_LEN] = 200;
    assert_int_equal(
        hd__record_decode(&back, NULL, NULL, copy, klen, buf + klen, vlen),
        HD_EDATA);
    assert_int_equal(
        hd__record_decode(&back, NULL, NULL, buf, 5, buf + klen, vlen),
        HD_EDATA);
    /* Random corruption never crashes (the sanitizer build checks). */
    st_seed(11);
    for (int i = 0; i < 20000; i++) {
        memcpy(copy, buf, klen + vlen);
        copy[st_rand() % (klen + vlen)] = (uint8_t)st_rand();
        (void)hd__record_decode(&back, NULL, NULL, copy, klen, copy + klen,
                                vlen);
    }
}

static void values_are_compact(void **state)
{
    const hd_feed *tax = hd_feed_find("tax_income");
    size_t klen, vlen;
    st_row r;
    (void)state;

    st_row_set(&r, tax,
               (const char *[]){"330106198001010014", "2026-01", "wage",
                                "913301001000000000", "8500.00", "120.35"});
    assert_int_equal(hd__record_encode(buf, &klen, &vlen, &r.row, NULL), 0);
    /* pid 8, feed 1, period 4, category 1, payer tag 1 + 18 + 0 */
    assert_int_equal(klen, 34);
    /* 850000 and 12035 fen as zigzag varints: 3 bytes each */
    assert_int_equal(vlen, 6);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_feed_round_trips),
        cmocka_unit_test(keys_sort_by_pid_then_feed_key),
        cmocka_unit_test(packed_pids_keep_pid_order),
        cmocka_unit_test(long_keys_are_hashed_and_round_trip),
        cmocka_unit_test(values_that_cannot_be_stored_are_refused),
        cmocka_unit_test(broken_bytes_do_not_decode),
        cmocka_unit_test(values_are_compact),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
