/*
 * The feed store: loads (snapshot and delta, spilled or not), reads of a
 * person and of everyone, views of the past, pending blobs, and what is
 * left after an abort, an allocation failure or a kill.
 *
 * Expectations follow spec feeds.md, Delivery: a snapshot replaces its
 * feeds whole, a delta adds rows and replaces those with the same key,
 * the later of two rows with one key in a delivery wins, and earlier
 * deliveries stay readable.
 */
#include "store/store_int.h"
#include "store_test.h"

#include <dirent.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define A "330106198001010014"
#define B "110101199003078031"
#define C "110101195001010011"

static const hd_feed *tax, *hukou;
static char dir[4096];

static int setup(void **state)
{
    (void)state;
    tax = hd_feed_find("tax_income");
    hukou = hd_feed_find("hukou");
    snprintf(dir, sizeof(dir), "%s", tu_tempdir());
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    tu_rmtree(dir);
    return 0;
}

static hd_feedstore *open_store(const char *sub)
{
    char path[4200];
    hd_feedstore *fs = NULL;
    hd_error err;

    snprintf(path, sizeof(path), "%s/%s", dir, sub);
    hd_error_clear(&err);
    if (hd_feedstore_open(&fs, path, &err))
        fail_msg("open: %s", err.msg);
    return fs;
}

static hd_fs_delivery delivery(const char *id, bool snapshot, int64_t loaded_at,
                               const hd_feed *feed)
{
    hd_fs_delivery d;
    memset(&d, 0, sizeof(d));
    snprintf(d.delivery_id, sizeof(d.delivery_id), "%s", id);
    snprintf(d.department, sizeof(d.department), "%s", feed->department);
    d.as_of = 20000;
    d.snapshot = snapshot;
    d.loaded_at = loaded_at;
    d.feed_mask = UINT32_C(1) << feed->id;
    return d;
}

static void tax_row(st_row *r, const char *pid, const char *period,
                    const char *payer, const char *income)
{
    st_row_set(r, tax,
               (const char *[]){pid, period, "wage", payer, income, "0"});
}

static void hukou_row(st_row *r, const char *pid, const char *name)
{
    st_row_set(r, hukou,
               (const char *[]){pid, name, "1", "1980-01-01", "H1", "02",
                                "330106", "1", NULL});
}

/* Load rows as one delivery; returns the seq. */
static uint32_t load(hd_feedstore *fs, const hd_fs_delivery *meta,
                     const st_row *rows, int count, size_t budget,
                     hd_fs_load_stats *stats)
{
    hd_fs_load *ld = NULL;
    hd_error err;
    uint32_t seq = 0;

    hd_error_clear(&err);
    if (hd_fs_load_begin(&ld, fs, meta, budget, dir, &err))
        fail_msg("begin: %s", err.msg);
    for (int i = 0; i < count; i++)
        if (hd_fs_load_add(ld, &rows[i].row, &err))
            fail_msg("add: %s", err.msg);
    if (hd_fs_load_commit(ld, NULL, 0, &seq, stats, &err))
        fail_msg("commit: %s", err.msg);
    return seq;
}

/* --------------------------------------------------------- reading back */

typedef struct text_out {
    char buf[1 << 20];
    size_t len;
    int persons;
    int records;
} text_out;

static void out_line(text_out *o, const hd_record *rec)
{
    char row[2048];
    int n = snprintf(o->buf + o->len, sizeof(o->buf) - o->len, "%s %s %s\n",
                     rec->row.feed->name, rec->delivery_id,
                     st_row_text(row, sizeof(row), &rec->row));
    assert_true(n > 0 && (size_t)n < sizeof(o->buf) - o->len);
    o->len += (size_t)n;
    o->records++;
}

static int collect_record(const hd_record *rec, void *payload)
{
    out_line(payload, rec);
    return 0;
}

/* Every visible record of a person, one line each:
 * "feed delivery_id col|col|...". */
static const char *person(hd_feedstore *fs, uint32_t max_seq, const char *pid)
{
    static text_out o;
    hd_error err;
    o.len = 0;
    o.buf[0] = '\0';
    o.records = 0;
    if (hd_feedstore_person(fs, (hd_fs_view){max_seq}, pid, collect_record, &o,
                            &err))
        fail_msg("person: %s", err.msg);
    return o.buf;
}

static int collect_person(const char *pid, const hd_record *records,
                          size_t count, void *payload)
{
    text_out *o = payload;
    int n = snprintf(o->buf + o->len, sizeof(o->buf) - o->len, "%s:\n", pid);
    o->len += (size_t)n;
    o->persons++;
    for (size_t i = 0; i < count; i++) {
        assert_string_equal(pid, records[i].row.values[0].text);
        out_line(o, &records[i]);
    }
    return 0;
}

static text_out scan_out;

static const char *scan(hd_feedstore *fs, uint32_t max_seq)
{
    text_out *o = &scan_out;
    hd_error err;
    o->len = 0;
    o->buf[0] = '\0';
    o->persons = o->records = 0;
    if (hd_feedstore_scan(fs, (hd_fs_view){max_seq}, collect_person, o, &err))
        fail_msg("scan: %s", err.msg);
    return o->buf;
}

/* ---------------------------------------------------------------- tests */

static void open_creates_the_directory(void **state)
{
    hd_feedstore *fs = open_store("a/b/feeds");
    hd_fs_delivery d;
    hd_error err;
    (void)state;

    assert_int_equal(hd_feedstore_delivery(&d, fs, "none", &err), HD_ENOTFOUND);
    assert_string_equal(scan(fs, 0), "");
    hd_feedstore_free(fs);
    fs = open_store("a/b/feeds");
    assert_non_null(fs);
    hd_feedstore_free(fs);
    hd_feedstore_free(NULL);
}

static void snapshot_delta_snapshot(void **state)
{
    hd_feedstore *fs = open_store("fs");
    hd_fs_delivery d;
    hd_fs_load_stats st;
    st_row r[4];
    (void)state;

    /* d1: a snapshot of tax_income */
    tax_row(&r[0], A, "2026-01", NULL, "100.00");
    tax_row(&r[1], A, "2026-02", NULL, "200.00");
    tax_row(&r[2], B, "2026-01", NULL, "300.00");
    d = delivery("d1", true, 1000, tax);
    assert_int_equal(load(fs, &d, r, 3, 0, &st), 1);
    assert_int_equal(st.rows[tax->id], 3);
    assert_int_equal(st.replaced[tax->id], 0);
    assert_int_equal(st.live[tax->id], 3);
    assert_string_equal(person(fs, 0, A),
                        "tax_income d1 " A "|2026-01|wage|-|100.00|0.00\n"
                        "tax_income d1 " A "|2026-02|wage|-|200.00|0.00\n");

    /* d2: a delta replaces A 2026-02 and adds A 2026-03 */
    tax_row(&r[0], A, "2026-02", NULL, "250.00");
    tax_row(&r[1], A, "2026-03", NULL, "50.00");
    d = delivery("d2", false, 2000, tax);
    assert_int_equal(load(fs, &d, r, 2, 0, &st), 2);
    assert_int_equal(st.rows[tax->id], 2);
    assert_int_equal(st.replaced[tax->id], 1);
    assert_int_equal(st.live[tax->id], 4); /* 3 + 2 - 1 */
    assert_string_equal(person(fs, 0, A),
                        "tax_income d1 " A "|2026-01|wage|-|100.00|0.00\n"
                        "tax_income d2 " A "|2026-02|wage|-|250.00|0.00\n"
                        "tax_income d2 " A "|2026-03|wage|-|50.00|0.00\n");
    assert_string_equal(person(fs, 0, B),
                        "tax_income d1 " B "|2026-01|wage|-|300.00|0.00\n");

    /* d3: a snapshot holding only B: everything earlier stops counting */
    tax_row(&r[0], B, "2026-04", NULL, "10.00");
    d = delivery("d3", true, 3000, tax);
    assert_int_equal(load(fs, &d, r, 1, 0, &st), 3);
    assert_int_equal(st.rows[tax->id], 1);
    assert_int_equal(st.live[tax->id], 1);
    assert_string_equal(person(fs, 0, A), "");
    assert_string_equal(person(fs, 0, B),
                        "tax_income d3 " B "|2026-04|wage|-|10.00|0.00\n");

    /* d4: a delta after the snapshot: A's old key is not visible, so it
     * is not a replacement; B's d3 row is. */
    tax_row(&r[0], A, "2026-01", NULL, "1.00");
    tax_row(&r[1], B, "2026-04", NULL, "11.00");
    d = delivery("d4", false, 4000, tax);
    assert_int_equal(load(fs, &d, r, 2, 0, &st), 4);
    assert_int_equal(st.rows[tax->id], 2);
    assert_int_equal(st.replaced[tax->id], 1);
    assert_int_equal(st.live[tax->id], 2); /* 1 + 2 - 1 */
    assert_string_equal(person(fs, 0, A),
                        "tax_income d4 " A "|2026-01|wage|-|1.00|0.00\n");
    hd_feedstore_free(fs);
}

static void views_replay_earlier_states(void **state)
{
    hd_feedstore *fs = open_store("fs");
    hd_fs_delivery d;
    hd_fs_view v;
    hd_error err;
    st_row r[2];
    (void)state;

    tax_row(&r[0], A, "2026-01", NULL, "100.00");
    d = delivery("d1", true, 1000, tax);
    load(fs, &d, r, 1, 0, NULL);
    tax_row(&r[0], A, "2026-01", NULL, "150.00");
    tax_row(&r[1], A, "2026-02", NULL, "70.00");
    d = delivery("d2", false, 2000, tax);
    load(fs, &d, r, 2, 0, NULL);
    tax_row(&r[0], B, "2026-01", NULL, "5.00");
    d = delivery("d3", true, 3000, tax);
    load(fs, &d, r, 1, 0, NULL);

    assert_string_equal(person(fs, 1, A),
                        "tax_income d1 " A "|2026-01|wage|-|100.00|0.00\n");
    assert_string_equal(person(fs, 2, A),
                        "tax_income d2 " A "|2026-01|wage|-|150.00|0.00\n"
                        "tax_income d2 " A "|2026-02|wage|-|70.00|0.00\n");
    assert_string_equal(person(fs, 3, A), "");
    assert_string_equal(person(fs, 0, A), "");
    assert_string_equal(person(fs, 99, A), ""); /* past the end: latest */
    assert_string_equal(person(fs, 2, B), "");

    /* by time: a view holds what was loaded by then */
    assert_int_equal(hd_feedstore_view_at(&v, fs, 2500, &err), 0);
    assert_int_equal(v.max_seq, 2);
    assert_int_equal(hd_feedstore_view_at(&v, fs, 1000, &err), 0);
    assert_int_equal(v.max_seq, 1);
    assert_int_equal(hd_feedstore_view_at(&v, fs, 99999, &err), 0);
    assert_int_equal(v.max_seq, 3);
    assert_int_equal(hd_feedstore_view_at(&v, fs, 999, &err), HD_ENOTFOUND);

    /* the scan replays the same way */
    assert_string_equal(scan(fs, 2),
                        A ":\n"
                          "tax_income d2 " A "|2026-01|wage|-|150.00|0.00\n"
                          "tax_income d2 " A "|2026-02|wage|-|70.00|0.00\n");
    hd_feedstore_free(fs);
}

static void other_feeds_are_untouched(void **state)
{
    hd_feedstore *fs = open_store("fs");
    hd_fs_delivery d;
    hd_fs_load_stats st;
    st_row r[2];
    (void)state;

    hukou_row(&r[0], A, "张三");
    hukou_row(&r[1], B, "李四");
    d = delivery("h1", true, 1, hukou);
    load(fs, &d, r, 2, 0, NULL);
    tax_row(&r[0], A, "2026-01", NULL, "100.00");
    d = delivery("t1", true, 2, tax);
    load(fs, &d, r, 1, 0, &st);
    /* a tax snapshot keeps hukou's live count */
    assert_int_equal(st.live[hukou->id], 2);
    assert_int_equal(st.live[tax->id], 1);
    tax_row(&r[0], B, "2026-01", NULL, "100.00");
    d = delivery("t2", true, 3, tax);
    load(fs, &d, r, 1, 0, NULL);
    assert_string_equal(person(fs, 0, A),
                        "hukou h1 " A "|张三|1|1980-01-01|H1|02|330106|1|-\n");
    assert_string_equal(person(fs, 0, B),
                        "hukou h1 " B "|李四|1|1980-01-01|H1|02|330106|1|-\n"
                        "tax_income t2 " B "|2026-01|wage|-|100.00|0.00\n");
    hd_feedstore_free(fs);
}

static void later_row_of_a_delivery_wins(void **state)
{
    hd_feedstore *fs = open_store("fs");
    hd_fs_delivery d;
    hd_fs_load_stats st;
    st_row r[4];
    (void)state;

    tax_row(&r[0], A, "2026-01", NULL, "1.00");
    tax_row(&r[1], A, "2026-01", "913301001000000000", "2.00");
    tax_row(&r[2], A, "2026-01", NULL, "3.00");
    tax_row(&r[3], A, "2026-01", "913301001000000000", "4.00");
    d = delivery("d1", true, 1, tax);
    load(fs, &d, r, 4, 0, &st);
    assert_int_equal(st.rows[tax->id], 2);
    /* the null payer is a key of its own and sorts first */
    assert_string_equal(person(fs, 0, A),
                        "tax_income d1 " A "|2026-01|wage|-|3.00|0.00\n"
                        "tax_income d1 " A
                        "|2026-01|wage|913301001000000000|4.00|0.00\n");
    hd_feedstore_free(fs);
}

static void scan_groups_persons_in_pid_order(void **state)
{
    hd_feedstore *fs = open_store("fs");
    hd_fs_delivery d;
    st_row r[3];
    (void)state;

    tax_row(&r[0], B, "2026-01", NULL, "1.00");
    tax_row(&r[1], C, "2026-01", NULL, "2.00");
    tax_row(&r[2], A, "2026-01", NULL, "3.00");
    d = delivery("t1", true, 1, tax);
    load(fs, &d, r, 3, 0, NULL);
    hukou_row(&r[0], A, "甲");
    hukou_row(&r[1], B, "乙");
    d = delivery("h1", true, 2, hukou);
    load(fs, &d, r, 2, 0, NULL);

    /* pid order is C < B < A; within a person, feed id order */
    assert_string_equal(scan(fs, 0), C
                        ":\n"
                        "tax_income t1 " C "|2026-01|wage|-|2.00|0.00\n" B ":\n"
                        "hukou h1 " B "|乙|1|1980-01-01|H1|02|330106|1|-\n"
                        "tax_income t1 " B "|2026-01|wage|-|1.00|0.00\n" A ":\n"
                        "hukou h1 " A "|甲|1|1980-01-01|H1|02|330106|1|-\n"
                        "tax_income t1 " A "|2026-01|wage|-|3.00|0.00\n");
    /* at seq 1 hukou is not loaded yet */
    assert_string_equal(scan(fs, 1), C
                        ":\n"
                        "tax_income t1 " C "|2026-01|wage|-|2.00|0.00\n" B ":\n"
                        "tax_income t1 " B "|2026-01|wage|-|1.00|0.00\n" A ":\n"
                        "tax_income t1 " A "|2026-01|wage|-|3.00|0.00\n");
    hd_feedstore_free(fs);
}

/* ------------------------------------------------- spilled runs, model */

static int last_runs;

static void log_sink(hd_log_level level, const char *line, void *payload)
{
    const char *p = strstr(line, "runs=");
    (void)level;
    (void)payload;
    if (p)
        last_runs = (int)strtol(p + 5, NULL, 10);
}

enum { MODEL_ROWS = 3000, MODEL_PERSONS = 150 };

static st_row model_rows[MODEL_ROWS];

static void make_model_rows(void)
{
    static const char *const payers[] = {NULL, "913301001000000000",
                                         "91330106MA27XL0F5Q"};
    st_seed(42);
    for (int i = 0; i < MODEL_ROWS; i++) {
        char pid[19], period[16], income[32];
        st_person(pid, st_rand() % MODEL_PERSONS);
        snprintf(period, sizeof(period), "2026-%02u", 1 + st_rand() % 12);
        snprintf(income, sizeof(income), "%d.%02d", i, i % 100);
        tax_row(&model_rows[i], pid, period, payers[st_rand() % 3], income);
    }
}

/* The rows the spec says a snapshot of model_rows holds: for each key
 * the last row with it. */
static int expected_lines(char (*lines)[256])
{
    int n = 0;
    for (int i = 0; i < MODEL_ROWS; i++) {
        const hd_row *a = &model_rows[i].row;
        bool later = false;
        for (int j = i + 1; j < MODEL_ROWS && !later; j++) {
            const hd_row *b = &model_rows[j].row;
            later =
                st_value_eq(&tax->columns[0], &a->values[0], &b->values[0]) &&
                st_value_eq(&tax->columns[1], &a->values[1], &b->values[1]) &&
                st_value_eq(&tax->columns[2], &a->values[2], &b->values[2]) &&
                st_value_eq(&tax->columns[3], &a->values[3], &b->values[3]);
        }
        if (!later) {
            char row[200];
            snprintf(lines[n++], 256, "tax_income s %s",
                     st_row_text(row, sizeof(row), a));
        }
    }
    return n;
}

static int cmp_lines(const void *a, const void *b)
{
    return strcmp(a, b);
}

static int scan_lines(hd_feedstore *fs, char (*lines)[256])
{
    const char *text = scan(fs, 0), *p = text;
    int n = 0;
    while (*p) {
        const char *nl = strchr(p, '\n');
        if (strncmp(p, "tax_income", 10) == 0) {
            snprintf(lines[n++], 256, "%.*s", (int)(nl - p), p);
        }
        p = nl + 1;
    }
    return n;
}

static void spilled_runs_give_the_same_result(void **state)
{
    static char expect[MODEL_ROWS][256], got[MODEL_ROWS][256];
    hd_feedstore *fs1 = open_store("one"), *fs2 = open_store("many");
    hd_fs_delivery d = delivery("s", true, 1, tax);
    hd_fs_load_stats st1, st2;
    int n_expect, n_got;
    (void)state;

    make_model_rows();
    n_expect = expected_lines(expect);
    qsort(expect, (size_t)n_expect, sizeof(expect[0]), cmp_lines);

    hd_log_set_sink(log_sink, NULL);
    load(fs1, &d, model_rows, MODEL_ROWS, 0, &st1);
    assert_int_equal(last_runs, 1);
    /* 4 KiB holds a few dozen rows: many runs, merged */
    load(fs2, &d, model_rows, MODEL_ROWS, 4096, &st2);
    assert_true(last_runs > 20);
    hd_log_set_sink(NULL, NULL);

    assert_int_equal(st1.rows[tax->id], n_expect);
    assert_int_equal(st2.rows[tax->id], n_expect);
    assert_int_equal(st2.live[tax->id], n_expect);
    for (int which = 0; which < 2; which++) {
        n_got = scan_lines(which ? fs2 : fs1, got);
        assert_int_equal(n_got, n_expect);
        qsort(got, (size_t)n_got, sizeof(got[0]), cmp_lines);
        for (int i = 0; i < n_got; i++)
            assert_string_equal(got[i], expect[i]);
    }
    assert_string_equal(scan(fs1, 0), scan(fs2, 0));

    /* A delta of the same rows spilled replaces every key once. */
    d = delivery("s2", false, 2, tax);
    load(fs2, &d, model_rows, MODEL_ROWS, 4096, &st2);
    assert_int_equal(st2.rows[tax->id], n_expect);
    assert_int_equal(st2.replaced[tax->id], n_expect);
    assert_int_equal(st2.live[tax->id], n_expect);
    hd_feedstore_free(fs1);
    hd_feedstore_free(fs2);
}

static void rows_in_key_order_merge_into_existing_keys(void **state)
{
    hd_feedstore *fs = open_store("fs");
    hd_fs_delivery d;
    hd_fs_load_stats st;
    static st_row r[200];
    (void)state;

    /* Even periods first, then a delta of odd ones and a few even ones
     * again: the second load lands between keys already there. */
    for (int i = 0; i < 200; i++) {
        char pid[19], period[16];
        st_person(pid, (unsigned)i % 20);
        snprintf(period, sizeof(period), "20%02d-%02d", 10 + i / 20, 2);
        tax_row(&r[i], pid, period, NULL, "1.00");
    }
    d = delivery("even", true, 1, tax);
    load(fs, &d, r, 200, 0, NULL);
    for (int i = 0; i < 200; i++) {
        char pid[19], period[16];
        st_person(pid, (unsigned)i % 20);
        snprintf(period, sizeof(period), "20%02d-%02d", 10 + i / 20,
                 i % 10 == 0 ? 2 : 3);
        tax_row(&r[i], pid, period, NULL, "2.00");
    }
    d = delivery("odd", false, 2, tax);
    load(fs, &d, r, 200, 0, &st);
    assert_int_equal(st.rows[tax->id], 200);
    assert_int_equal(st.replaced[tax->id], 20);
    assert_int_equal(st.live[tax->id], 380);
    scan(fs, 0);
    assert_int_equal(scan_out.persons, 20);
    assert_int_equal(scan_out.records, 380);
    /* the older version of a replaced key is still there for replay */
    scan(fs, 1);
    assert_int_equal(scan_out.records, 200);
    hd_feedstore_free(fs);
}

/* ------------------------------------------- a large run, in two halves */

enum { BIG_ROWS = 150000, BIG_PERSONS = 20000, LINE = 96 };

/* Row i of a large delivery, made again from i alone. */
static void big_row(st_row *r, unsigned i)
{
    static const char *const payers[] = {NULL, "913301001000000000",
                                         "91330106MA27XL0F5Q"};
    char pid[19], period[16], income[32];
    uint64_t h = (uint64_t)i * 0x9E3779B97F4A7C15u;

    st_person(pid, (unsigned)(h >> 40) % BIG_PERSONS);
    snprintf(period, sizeof(period), "2026-%02u", 1 + (unsigned)(h >> 20) % 12);
    snprintf(income, sizeof(income), "%u.00", i);
    tax_row(r, pid, period, payers[(h >> 8) % 3], income);
}

typedef struct big_key {
    char key[LINE];
    unsigned index;
} big_key;

static int cmp_big_key(const void *a, const void *b)
{
    const big_key *x = a, *y = b;
    int c = strcmp(x->key, y->key);
    return c ? c : (x->index > y->index) - (x->index < y->index);
}

static int cmp_line(const void *a, const void *b)
{
    return strcmp(a, b);
}

typedef struct big_lines {
    char (*lines)[LINE];
    size_t count;
} big_lines;

static int collect_big(const char *pid, const hd_record *records, size_t count,
                       void *payload)
{
    big_lines *b = payload;
    (void)pid;
    for (size_t i = 0; i < count; i++) {
        assert_true(b->count < BIG_ROWS);
        st_row_text(b->lines[b->count++], LINE, &records[i].row);
    }
    return 0;
}

static void scan_big(hd_feedstore *fs, big_lines *b)
{
    b->count = 0;
    assert_int_equal(
        hd_feedstore_scan(fs, (hd_fs_view){0}, collect_big, b, NULL), 0);
    qsort(b->lines, b->count, LINE, cmp_line);
}

static void a_large_run_gives_the_same_result(void **state)
{
    static st_row r;
    hd_feedstore *fs[2] = {open_store("one"), open_store("many")};
    hd_fs_delivery d = delivery("big", true, 1, tax);
    big_key *keys = calloc(BIG_ROWS, sizeof(*keys));
    big_lines expect = {calloc(BIG_ROWS, LINE), 0};
    big_lines got = {calloc(BIG_ROWS, LINE), 0};
    (void)state;

    assert_non_null(keys);
    assert_non_null(expect.lines);
    assert_non_null(got.lines);
    /* The model: sort by key then input order; the last of a key wins. */
    for (unsigned i = 0; i < BIG_ROWS; i++) {
        char text[LINE], *bar;
        big_row(&r, i);
        st_row_text(text, sizeof(text), &r.row);
        bar = strrchr(text, '|'); /* cut tax */
        *bar = '\0';
        bar = strrchr(text, '|'); /* cut income */
        *bar = '\0';
        snprintf(keys[i].key, sizeof(keys[i].key), "%s", text);
        keys[i].index = i;
    }
    qsort(keys, BIG_ROWS, sizeof(*keys), cmp_big_key);
    for (size_t i = 0; i < BIG_ROWS; i++) {
        if (i + 1 < BIG_ROWS && !strcmp(keys[i].key, keys[i + 1].key))
            continue;
        big_row(&r, keys[i].index);
        st_row_text(expect.lines[expect.count++], LINE, &r.row);
    }
    qsort(expect.lines, expect.count, LINE, cmp_line);
    assert_true(expect.count < BIG_ROWS); /* there were duplicates */

    /* In memory, sorted in two halves; and spilled in many runs. */
    for (int which = 0; which < 2; which++) {
        hd_fs_load *ld = NULL;
        hd_fs_load_stats st;
        assert_int_equal(hd_fs_load_begin(&ld, fs[which], &d,
                                          which ? (size_t)1 << 20 : 0, NULL,
                                          NULL),
                         0);
        for (unsigned i = 0; i < BIG_ROWS; i++) {
            big_row(&r, i);
            assert_int_equal(hd_fs_load_add(ld, &r.row, NULL), 0);
        }
        hd_log_set_sink(log_sink, NULL);
        assert_int_equal(hd_fs_load_commit(ld, NULL, 0, NULL, &st, NULL), 0);
        hd_log_set_sink(NULL, NULL);
        assert_true(which ? last_runs > 4 : last_runs == 2);
        assert_int_equal(st.rows[tax->id], (int64_t)expect.count);
        scan_big(fs[which], &got);
        assert_int_equal(got.count, expect.count);
        for (size_t i = 0; i < got.count; i++)
            assert_string_equal(got.lines[i], expect.lines[i]);
        hd_feedstore_free(fs[which]);
    }
    free(keys);
    free(expect.lines);
    free(got.lines);
}

static void abort_leaves_nothing(void **state)
{
    hd_feedstore *fs = open_store("fs");
    hd_fs_delivery d = delivery("d1", true, 1, tax);
    hd_fs_load *ld = NULL;
    char tmp[4200];
    st_row r;
    DIR *dh;
    struct dirent *de;
    int entries = 0;
    (void)state;

    snprintf(tmp, sizeof(tmp), "%s/spill", dir);
    assert_int_equal(mkdir(tmp, 0700), 0);
    assert_int_equal(hd_fs_load_begin(&ld, fs, &d, 4096, tmp, NULL), 0);
    for (int i = 0; i < 500; i++) {
        char pid[19];
        st_person(pid, (unsigned)i);
        tax_row(&r, pid, "2026-01", NULL, "1.00");
        assert_int_equal(hd_fs_load_add(ld, &r.row, NULL), 0);
    }
    hd_fs_load_abort(ld);
    hd_fs_load_abort(NULL);
    assert_string_equal(scan(fs, 0), "");
    assert_int_equal(hd_feedstore_delivery(&d, fs, "d1", NULL), HD_ENOTFOUND);
    /* the spill file was unlinked as soon as it was made */
    dh = opendir(tmp);
    assert_non_null(dh);
    while ((de = readdir(dh)))
        if (de->d_name[0] != '.')
            entries++;
    closedir(dh);
    assert_int_equal(entries, 0);
    hd_feedstore_free(fs);
}

/* ----------------------------------------------------- pending, reopen */

typedef struct pend {
    char ids[8][64];
    char blobs[8][64];
    int count;
} pend;

static int collect_pending(const char *id, const void *blob, size_t len,
                           void *payload)
{
    pend *p = payload;
    snprintf(p->ids[p->count], 64, "%s", id);
    snprintf(p->blobs[p->count], 64, "%.*s", (int)len, (const char *)blob);
    p->count++;
    return 0;
}

static void pending_blobs_come_with_their_delivery(void **state)
{
    hd_feedstore *fs = open_store("fs");
    hd_fs_delivery d = delivery("d1", true, 1, tax);
    hd_fs_load *ld = NULL;
    pend p;
    st_row r;
    uint32_t seq = 0;
    (void)state;

    tax_row(&r, A, "2026-01", NULL, "1.00");
    assert_int_equal(hd_fs_load_begin(&ld, fs, &d, 0, NULL, NULL), 0);
    assert_int_equal(hd_fs_load_add(ld, &r.row, NULL), 0);
    assert_int_equal(hd_fs_load_commit(ld, "log of d1", 9, &seq, NULL, NULL),
                     0);
    assert_int_equal(seq, 1);
    d = delivery("d2", false, 2, tax);
    assert_int_equal(hd_fs_load_begin(&ld, fs, &d, 0, NULL, NULL), 0);
    assert_int_equal(hd_fs_load_commit(ld, "log of d2", 9, &seq, NULL, NULL),
                     0);
    d = delivery("d3", false, 3, tax);
    assert_int_equal(hd_fs_load_begin(&ld, fs, &d, 0, NULL, NULL), 0);
    assert_int_equal(hd_fs_load_commit(ld, NULL, 0, &seq, NULL, NULL), 0);

    memset(&p, 0, sizeof(p));
    assert_int_equal(hd_feedstore_pending(fs, collect_pending, &p, NULL), 0);
    assert_int_equal(p.count, 2);
    assert_string_equal(p.ids[0], "d1");
    assert_string_equal(p.blobs[0], "log of d1");
    assert_string_equal(p.ids[1], "d2");

    assert_int_equal(hd_feedstore_pending_clear(fs, "d1", NULL), 0);
    assert_int_equal(hd_feedstore_pending_clear(fs, "d1", NULL), 0);
    hd_feedstore_free(fs);
    fs = open_store("fs");
    memset(&p, 0, sizeof(p));
    assert_int_equal(hd_feedstore_pending(fs, collect_pending, &p, NULL), 0);
    assert_int_equal(p.count, 1);
    assert_string_equal(p.ids[0], "d2");
    hd_feedstore_free(fs);
}

typedef struct dlist {
    char text[1024];
    size_t len;
} dlist;

static int collect_delivery(const hd_fs_delivery *d, void *payload)
{
    dlist *l = payload;
    int n = snprintf(l->text + l->len, sizeof(l->text) - l->len,
                     "%u %s %s %d %s %lld %x\n", (unsigned)d->seq,
                     d->delivery_id, d->department, (int)d->as_of,
                     d->snapshot ? "snapshot" : "delta",
                     (long long)d->loaded_at, (unsigned)d->feed_mask);
    l->len += (size_t)n;
    return d->seq == 2 ? 7 : 0;
}

static void reopened_store_keeps_deliveries(void **state)
{
    hd_feedstore *fs = open_store("fs");
    hd_fs_delivery d;
    hd_fs_load_stats st;
    dlist l;
    st_row r[2];
    (void)state;

    tax_row(&r[0], A, "2026-01", NULL, "1.00");
    d = delivery("t1", true, 100, tax);
    load(fs, &d, r, 1, 0, NULL);
    hukou_row(&r[0], A, "甲");
    /* rows of a feed not in the mask still count as the delivery's */
    d = delivery("h1", false, 200, hukou);
    d.feed_mask = 0;
    load(fs, &d, r, 1, 0, NULL);
    d = delivery("t2", false, 300, tax);
    load(fs, &d, r, 0, 0, NULL);
    hd_feedstore_free(fs);

    fs = open_store("fs");
    memset(&l, 0, sizeof(l));
    assert_int_equal(hd_feedstore_deliveries(fs, collect_delivery, &l, NULL),
                     7);
    assert_string_equal(l.text, "1 t1 tax 20000 snapshot 100 10\n"
                                "2 h1 public_security 20000 delta 200 2\n");
    assert_int_equal(hd_feedstore_delivery(&d, fs, "t2", NULL), 0);
    assert_int_equal(d.seq, 3);
    assert_int_equal(hd_feedstore_delivery_stats(&st, fs, "h1", NULL), 0);
    assert_int_equal(st.rows[hukou->id], 1);
    assert_int_equal(st.live[hukou->id], 1);
    assert_int_equal(st.live[tax->id], 1);
    assert_int_equal(hd_feedstore_delivery_stats(&st, fs, "zz", NULL),
                     HD_ENOTFOUND);
    assert_string_equal(person(fs, 0, A),
                        "hukou h1 " A "|甲|1|1980-01-01|H1|02|330106|1|-\n"
                        "tax_income t1 " A "|2026-01|wage|-|1.00|0.00\n");
    hd_feedstore_free(fs);
}

static void a_delivery_loads_once(void **state)
{
    hd_feedstore *fs = open_store("fs");
    hd_fs_delivery d = delivery("d1", true, 1, tax);
    hd_fs_load *l1 = NULL, *l2 = NULL;
    hd_error err;
    st_row r;
    (void)state;

    tax_row(&r, A, "2026-01", NULL, "1.00");
    assert_int_equal(hd_fs_load_begin(&l1, fs, &d, 0, NULL, NULL), 0);
    assert_int_equal(hd_fs_load_begin(&l2, fs, &d, 0, NULL, NULL), 0);
    assert_int_equal(hd_fs_load_add(l1, &r.row, NULL), 0);
    tax_row(&r, A, "2026-01", NULL, "2.00");
    assert_int_equal(hd_fs_load_add(l2, &r.row, NULL), 0);
    assert_int_equal(hd_fs_load_commit(l1, NULL, 0, NULL, NULL, NULL), 0);
    assert_int_equal(hd_fs_load_commit(l2, NULL, 0, NULL, NULL, &err),
                     HD_EEXISTS);
    assert_int_equal(hd_fs_load_begin(&l1, fs, &d, 0, NULL, &err), HD_EEXISTS);
    assert_null(l1);
    assert_string_equal(person(fs, 0, A),
                        "tax_income d1 " A "|2026-01|wage|-|1.00|0.00\n");
    hd_feedstore_free(fs);
}

static void snapshot_of_an_empty_file_empties_its_feed(void **state)
{
    hd_feedstore *fs = open_store("fs");
    hd_fs_delivery d;
    hd_fs_load_stats st;
    st_row r;
    (void)state;

    tax_row(&r, A, "2026-01", NULL, "1.00");
    d = delivery("d1", true, 1, tax);
    load(fs, &d, &r, 1, 0, NULL);
    d = delivery("d2", true, 2, tax);
    load(fs, &d, &r, 0, 0, &st);
    assert_int_equal(st.live[tax->id], 0);
    assert_string_equal(person(fs, 0, A), "");
    assert_string_equal(person(fs, 1, A),
                        "tax_income d1 " A "|2026-01|wage|-|1.00|0.00\n");
    hd_feedstore_free(fs);
}

/* A person read from inside a scan callback (a nested read). */
static int nested_person(const char *pid, const hd_record *records,
                         size_t count, void *payload)
{
    hd_feedstore *fs = payload;
    text_out o;
    (void)records;
    memset(&o, 0, sizeof(o));
    assert_int_equal(
        hd_feedstore_person(fs, (hd_fs_view){0}, pid, collect_record, &o, NULL),
        0);
    assert_int_equal((size_t)o.records, count);
    return 0;
}

static int stop_at_first(const hd_record *rec, void *payload)
{
    (void)rec;
    (*(int *)payload)++;
    return 42;
}

static void callbacks_may_read_and_stop(void **state)
{
    hd_feedstore *fs = open_store("fs");
    hd_fs_delivery d = delivery("d1", true, 1, tax);
    st_row r[3];
    int calls = 0;
    (void)state;

    tax_row(&r[0], A, "2026-01", NULL, "1.00");
    tax_row(&r[1], A, "2026-02", NULL, "1.00");
    tax_row(&r[2], B, "2026-01", NULL, "1.00");
    load(fs, &d, r, 3, 0, NULL);
    assert_int_equal(
        hd_feedstore_scan(fs, (hd_fs_view){0}, nested_person, fs, NULL), 0);
    assert_int_equal(hd_feedstore_person(fs, (hd_fs_view){0}, A, stop_at_first,
                                         &calls, NULL),
                     42);
    assert_int_equal(calls, 1);
    assert_int_equal(hd_feedstore_person(fs, (hd_fs_view){0}, "123",
                                         stop_at_first, &calls, NULL),
                     HD_EINVAL);
    hd_feedstore_free(fs);
}

/* A reader kept open reads what hd_feedstore_person reads, inside a
 * scan too, and only the feeds asked for. */
static void a_reader_reads_as_person_does(void **state)
{
    hd_feedstore *fs = open_store("fs");
    hd_fs_delivery d = delivery("d1", true, 1, tax);
    const hd_feed *tax_feed = hd_feed_find("tax_income");
    hd_fs_reader *rd = NULL;
    st_row r[3];
    text_out *o = hd_calloc(1, sizeof(*o));
    int calls = 0;
    (void)state;

    assert_non_null(o);
    tax_row(&r[0], A, "2026-01", NULL, "1.00");
    tax_row(&r[1], A, "2026-02", NULL, "1.00");
    tax_row(&r[2], B, "2026-01", NULL, "1.00");
    load(fs, &d, r, 3, 0, NULL);
    assert_int_equal(hd_feedstore_reader_open(&rd, fs, (hd_fs_view){0}, NULL),
                     0);
    for (int i = 0; i < 2; i++) {
        const char *pid = i ? B : A;
        o->len = 0;
        o->buf[0] = '\0';
        assert_int_equal(hd_feedstore_reader_person(rd, pid, UINT32_MAX,
                                                    collect_record, o, NULL),
                         0);
        assert_string_equal(o->buf, person(fs, 0, pid));
    }
    o->records = 0;
    assert_int_equal(hd_feedstore_reader_person(rd, A, ~(1u << tax_feed->id),
                                                collect_record, o, NULL),
                     0);
    assert_int_equal(o->records, 0);
    assert_int_equal(hd_feedstore_reader_person(rd, A, UINT32_MAX,
                                                stop_at_first, &calls, NULL),
                     42);
    assert_int_equal(calls, 1);
    assert_int_equal(hd_feedstore_reader_person(rd, "123", UINT32_MAX,
                                                stop_at_first, &calls, NULL),
                     HD_EINVAL);
    hd_feedstore_reader_close(rd);
    hd_free(o);
    hd_feedstore_free(fs);
}

static int count_records(const char *pid, const hd_record *records,
                         size_t count, void *payload)
{
    (void)pid;
    (void)records;
    *(size_t *)payload += count;
    return 0;
}

static size_t records_in(hd_feedstore *fs)
{
    size_t n = 0;
    assert_int_equal(
        hd_feedstore_scan(fs, (hd_fs_view){0}, count_records, &n, NULL), 0);
    return n;
}

static void map_grows_when_full(void **state)
{
    static st_row r[20000];
    hd_feedstore *fs;
    hd_fs_delivery d = delivery("big", true, 1, tax);
    hd_fs_load_stats st;
    (void)state;

    hd__feedstore_set_initial_mapsize((size_t)256 << 10);
    fs = open_store("fs");
    hd__feedstore_set_initial_mapsize(0);
    for (int i = 0; i < 20000; i++) {
        char pid[19], period[16];
        st_person(pid, (unsigned)i / 12);
        snprintf(period, sizeof(period), "2025-%02d", 1 + i % 12);
        tax_row(&r[i], pid, period, "913301001000000000", "8500.00");
    }
    load(fs, &d, r, 20000, 0, &st);
    assert_int_equal(st.rows[tax->id], 20000);
    assert_int_equal(records_in(fs), 20000);
    hd_feedstore_free(fs);
    fs = open_store("fs");
    assert_int_equal(strlen(person(fs, 0, r[0].text[0])) > 0, 1);
    hd_feedstore_free(fs);
}

/* ------------------------------------------------------------- threads */

static int number_of(const char *s)
{
    return (int)strtol(s, NULL, 10);
}

enum { T_PERSONS = 200, T_DELIVERIES = 12 };

typedef struct shared {
    hd_feedstore *fs;
    int writer_done;
    int reads;
} shared;

static void t_rows(st_row *rows, int seq)
{
    char income[16];
    snprintf(income, sizeof(income), "%d.00", seq);
    for (int i = 0; i < T_PERSONS * 3; i++) {
        char pid[19], period[16];
        st_person(pid, (unsigned)i / 3);
        snprintf(period, sizeof(period), "2026-0%d", 1 + i % 3);
        tax_row(&rows[i], pid, period, NULL, income);
    }
}

static void *t_writer(void *arg)
{
    static st_row rows[T_PERSONS * 3];
    shared *sh = arg;
    for (int seq = 2; seq <= T_DELIVERIES; seq++) {
        char id[16];
        hd_fs_delivery d;
        hd_fs_load *ld = NULL;
        snprintf(id, sizeof(id), "d%d", seq);
        d = delivery(id, false, seq, tax);
        t_rows(rows, seq);
        if (hd_fs_load_begin(&ld, sh->fs, &d, 4096, NULL, NULL))
            abort();
        for (int i = 0; i < T_PERSONS * 3; i++)
            if (hd_fs_load_add(ld, &rows[i].row, NULL))
                abort();
        if (hd_fs_load_commit(ld, NULL, 0, NULL, NULL, NULL))
            abort();
    }
    __atomic_store_n(&sh->writer_done, 1, __ATOMIC_RELEASE);
    return NULL;
}

/* Every person has 3 records from one delivery: dN with income N.00. */
static int t_check_person(const char *pid, const hd_record *records,
                          size_t count, void *payload)
{
    int *persons = payload;
    (void)pid;
    if (count != 3)
        abort();
    for (size_t i = 0; i < count; i++) {
        int seq = number_of(records[i].delivery_id + 1);
        if (seq != (int)records[0].delivery_seq ||
            records[i].delivery_seq != records[0].delivery_seq ||
            records[i].row.values[4].num != seq * 100)
            abort();
    }
    (*persons)++;
    return 0;
}

static int t_check_record(const hd_record *rec, void *payload)
{
    (*(int *)payload)++;
    if (rec->row.values[4].num != (int64_t)rec->delivery_seq * 100)
        abort();
    return 0;
}

static void *t_reader(void *arg)
{
    shared *sh = arg;
    int rounds = 0;
    while (!__atomic_load_n(&sh->writer_done, __ATOMIC_ACQUIRE) || rounds < 2) {
        int persons = 0, records = 0;
        char pid[19];
        if (hd_feedstore_scan(sh->fs, (hd_fs_view){0}, t_check_person, &persons,
                              NULL) ||
            persons != T_PERSONS)
            abort();
        st_person(pid, (unsigned)rounds % T_PERSONS);
        if (hd_feedstore_person(sh->fs, (hd_fs_view){0}, pid, t_check_record,
                                &records, NULL) ||
            records != 3)
            abort();
        rounds++;
    }
    __atomic_add_fetch(&sh->reads, rounds, __ATOMIC_RELAXED);
    return NULL;
}

static int count_delivery(const hd_fs_delivery *d, void *payload)
{
    (void)d;
    (*(int *)payload)++;
    return 0;
}

static void one_handle_serves_many_threads(void **state)
{
    static st_row rows[T_PERSONS * 3];
    shared sh = {open_store("fs"), 0, 0};
    hd_fs_delivery d = delivery("d1", true, 1, tax);
    pthread_t w, r[2];
    int count = 0;
    (void)state;

    t_rows(rows, 1);
    load(sh.fs, &d, rows, T_PERSONS * 3, 0, NULL);
    assert_int_equal(pthread_create(&r[0], NULL, t_reader, &sh), 0);
    assert_int_equal(pthread_create(&r[1], NULL, t_reader, &sh), 0);
    assert_int_equal(pthread_create(&w, NULL, t_writer, &sh), 0);
    pthread_join(w, NULL);
    pthread_join(r[0], NULL);
    pthread_join(r[1], NULL);
    assert_true(sh.reads >= 4);
    assert_int_equal(
        hd_feedstore_deliveries(sh.fs, count_delivery, &count, NULL), 0);
    assert_int_equal(count, T_DELIVERIES);
    hd_feedstore_free(sh.fs);
}

/* ------------------------------------------------- failures and crashes */

/* One attempt under an allocation limit: open, load with spills, read. */
static int try_load(const char *sub, int rows)
{
    char path[4200];
    hd_feedstore *fs = NULL;
    hd_fs_load *ld = NULL;
    hd_fs_delivery d = delivery("d1", false, 1, tax);
    size_t n = 0;
    st_row r;
    int rc;

    snprintf(path, sizeof(path), "%s/%s", dir, sub);
    rc = hd_feedstore_open(&fs, path, NULL);
    if (rc)
        return rc;
    rc = hd_fs_load_begin(&ld, fs, &d, 2048, NULL, NULL);
    for (int i = 0; rc == 0 && i < rows; i++) {
        char pid[19];
        st_person(pid, (unsigned)(i * 7919) % 97);
        tax_row(&r, pid, i % 2 ? "2026-01" : "2026-02", NULL, "1.00");
        rc = hd_fs_load_add(ld, &r.row, NULL);
    }
    if (rc)
        hd_fs_load_abort(ld);
    else
        rc = hd_fs_load_commit(ld, "blob", 4, NULL, NULL, NULL);
    if (rc == 0)
        rc = hd_feedstore_scan(fs, (hd_fs_view){0}, count_records, &n, NULL);
    hd_feedstore_free(fs);
    return rc;
}

static void allocation_failures_are_clean(void **state)
{
    int failures = 0;
    (void)state;

    for (long n = 1;; n++) {
        char sub[32];
        hd_feedstore *fs;
        hd_fs_delivery d;
        long made;
        int rc;

        snprintf(sub, sizeof(sub), "alloc%ld", n);
        hd_alloc_fail_after(n, false);
        rc = try_load(sub, 150);
        made = hd_alloc_count();
        hd_alloc_fail_after(0, false);
        if (rc == 0 && made < n)
            break; /* no allocation failed: every point was tried */
        assert_true(rc == 0 || rc == HD_ENOMEM);
        if (rc)
            failures++;
        /* Whatever failed, the store is before or after the load. */
        fs = open_store(sub);
        /* 150 distinct keys: 97 persons, two periods by parity */
        if (hd_feedstore_delivery(&d, fs, "d1", NULL) == 0)
            assert_int_equal(records_in(fs), 150);
        else
            assert_int_equal(records_in(fs), 0);
        hd_feedstore_free(fs);
        assert_true(n < 10000);
    }
    assert_true(failures > 10);
}

/*
 * A child loads 200 000 rows and is killed at points spread over its
 * commit (it says through a pipe when the commit starts). Reopened, the
 * store holds the whole delivery or nothing of it.
 */
static void a_kill_leaves_before_or_after(void **state)
{
    static const int delays_ms[] = {0, 5, 20, 40, 70, 100, 150, 400};
    static st_row r[1];
    int loaded = 0;
    (void)state;

    for (int trial = 0; trial < 8; trial++) {
        char sub[32], byte;
        hd_feedstore *fs;
        hd_fs_delivery d;
        pid_t child;
        int status, fds[2];

        snprintf(sub, sizeof(sub), "kill%d", trial);
        assert_int_equal(pipe(fds), 0);
        child = fork();
        assert_true(child >= 0);
        if (child == 0) {
            hd_feedstore *cfs = NULL;
            hd_fs_load *ld = NULL;
            hd_fs_delivery cd = delivery("k", true, 1, tax);
            char path[4200];
            close(fds[0]);
            snprintf(path, sizeof(path), "%s/%s", dir, sub);
            if (hd_feedstore_open(&cfs, path, NULL) ||
                hd_fs_load_begin(&ld, cfs, &cd, 1 << 20, NULL, NULL))
                _exit(2);
            for (int i = 0; i < 200000; i++) {
                char pid[19], period[16], income[16];
                st_person(pid, (unsigned)i / 4);
                snprintf(period, sizeof(period), "2026-0%d", 1 + i % 4);
                snprintf(income, sizeof(income), "%d.00", i);
                tax_row(&r[0], pid, period, NULL, income);
                if (hd_fs_load_add(ld, &r[0].row, NULL))
                    _exit(3);
            }
            if (write(fds[1], "c", 1) != 1)
                _exit(5);
            _exit(hd_fs_load_commit(ld, NULL, 0, NULL, NULL, NULL) ? 4 : 0);
        }
        close(fds[1]);
        assert_int_equal(read(fds[0], &byte, 1), 1);
        close(fds[0]);
        usleep((useconds_t)delays_ms[trial] * 1000);
        kill(child, SIGKILL);
        assert_int_equal(waitpid(child, &status, 0), child);
        assert_true(WIFSIGNALED(status) ||
                    (WIFEXITED(status) && WEXITSTATUS(status) == 0));
        fs = open_store(sub);
        if (hd_feedstore_delivery(&d, fs, "k", NULL) == 0) {
            assert_int_equal(records_in(fs), 200000);
            loaded++;
        } else {
            assert_int_equal(records_in(fs), 0);
        }
        hd_feedstore_free(fs);
    }
    print_message("killed during commit: %d of 8 whole, the rest empty\n",
                  loaded);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(open_creates_the_directory, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(snapshot_delta_snapshot, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(views_replay_earlier_states, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(other_feeds_are_untouched, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(later_row_of_a_delivery_wins, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(scan_groups_persons_in_pid_order, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(spilled_runs_give_the_same_result,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(
            rows_in_key_order_merge_into_existing_keys, setup, teardown),
        cmocka_unit_test_setup_teardown(a_large_run_gives_the_same_result,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(abort_leaves_nothing, setup, teardown),
        cmocka_unit_test_setup_teardown(pending_blobs_come_with_their_delivery,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(reopened_store_keeps_deliveries, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(a_delivery_loads_once, setup, teardown),
        cmocka_unit_test_setup_teardown(
            snapshot_of_an_empty_file_empties_its_feed, setup, teardown),
        cmocka_unit_test_setup_teardown(a_reader_reads_as_person_does, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(callbacks_may_read_and_stop, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(map_grows_when_full, setup, teardown),
        cmocka_unit_test_setup_teardown(one_handle_serves_many_threads, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(allocation_failures_are_clean, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(a_kill_leaves_before_or_after, setup,
                                        teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
