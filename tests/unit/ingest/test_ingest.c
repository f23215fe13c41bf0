/*
 * Loading deliveries end to end through the library: manifests, bad rows,
 * the bad-row share, idempotency, snapshot and delta, and the recovery of
 * a delivery interrupted between the two stores; with the case store on
 * either backend (the test runs twice: testutil.h).
 */
#include "testutil.h"

#include "ingest/ingest_int.h"
#include <hedui/std.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

typedef struct fixture {
    char root[4096];
    char db[4200];
    char feeds[4200];
    hd_ingest *ing;
    hd_ingest_options opt;
} fixture;

/* A valid citizen ID for a person number, born 1980-01-01 in 330106. */
static const char *pid_of(int n, char out[19])
{
    snprintf(out, 19, "33010619800101%03d", n % 1000);
    out[17] = hd_pid_check_char(out);
    out[18] = '\0';
    return out;
}

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof(*f));
    hd_error err;
    snprintf(f->root, sizeof(f->root), "%s", tu_tempdir());
    tu_casestore_new(f->db, sizeof(f->db), f->root);
    snprintf(f->feeds, sizeof(f->feeds), "%s/case.db.feeds", f->root);
    hd_error_clear(&err);
    if (hd_ingest_open(&f->ing, f->db, f->feeds, &err))
        fail_msg("open: %s", err.msg);
    hd_ingest_options_init(&f->opt);
    f->opt.now = 1795000000;
    f->opt.tmpdir = f->root;
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    hd_ingest_free(f->ing);
    tu_casestore_drop(f->db);
    tu_rmtree(f->root);
    free(f);
    return 0;
}

/*
 * Write a delivery folder holding one feed file with `csv` as its bytes.
 * The manifest states `rows` data rows; `sha` NULL means the true sha256.
 */
static const char *write_delivery(fixture *f, const char *name,
                                  const char *department, const char *mode,
                                  const char *feed, const char *csv, long rows,
                                  const char *sha)
{
    static char dir[4400];
    char manifest[2048], hex[HD_SHA256_HEX_LEN + 1], file[128];
    snprintf(dir, sizeof(dir), "%s/%s", f->root, name);
    mkdir(dir, 0755);
    snprintf(file, sizeof(file), "%s.csv", feed);
    tu_write_file(dir, file, csv);
    char path[4600];
    snprintf(path, sizeof(path), "%s/%s", dir, file);
    assert_int_equal(hd_sha256_file(hex, path, NULL), 0);
    snprintf(manifest, sizeof(manifest),
             "{\"standard\": \"hedui-feeds/1\", \"department\": \"%s\", "
             "\"delivery_id\": \"%s\", \"as_of\": \"2026-11-01\", "
             "\"mode\": \"%s\", \"files\": [{\"feed\": \"%s\", \"file\": "
             "\"%s\", \"rows\": %ld, \"sha256\": \"%s\"}]}",
             department, name, mode, feed, file, rows, sha ? sha : hex);
    tu_write_file(dir, "manifest.json", manifest);
    return dir;
}

/* tax_income rows for persons 1..n: one wage row each, `income` yuan. */
static char *tax_csv(int first, int n, const char *income)
{
    hd_buf b;
    char pid[19];
    hd_buf_init(&b, 0);
    hd_buf_puts(&b, "pid,period,category,payer,income,tax\n");
    for (int i = first; i < first + n; i++)
        hd_buf_printf(&b, "%s,2026-05,wage,,%s,0.00\n", pid_of(i, pid), income);
    return hd_buf_detach(&b, NULL);
}

static hd_ingest_outcome ingest(fixture *f, const char *dir, hd_ingest_log *log)
{
    hd_ingest_outcome outcome;
    hd_error err;
    hd_error_clear(&err);
    if (hd_ingest_delivery(f->ing, dir, &f->opt, &outcome, log, &err))
        fail_msg("ingest %s: %s", dir, err.msg);
    return outcome;
}

static hd_feed_status feed_status(fixture *f, const char *feed)
{
    hd_feed_status st[32];
    assert_int_equal(hd_casestore_feed_status(hd_ingest_casestore(f->ing), st,
                                              hd_feed_count, NULL),
                     0);
    for (int i = 0; i < hd_feed_count; i++)
        if (!strcmp(st[i].feed->name, feed))
            return st[i];
    fail_msg("no status for %s", feed);
    return st[0];
}

typedef struct income_sum {
    int64_t fen;
    int count;
} income_sum;

static int add_income(const hd_record *rec, void *payload)
{
    income_sum *s = payload;
    int col = hd_feed_column(rec->row.feed, "income");
    if (col >= 0) {
        s->fen += rec->row.values[col].num;
        s->count++;
    }
    return 0;
}

static income_sum person_income(fixture *f, int n, uint32_t max_seq)
{
    income_sum s = {0, 0};
    char pid[19];
    hd_fs_view view = {max_seq};
    assert_int_equal(hd_feedstore_person(hd_ingest_feedstore(f->ing), view,
                                         pid_of(n, pid), add_income, &s, NULL),
                     0);
    return s;
}

static void a_clean_delivery_loads(void **state)
{
    fixture *f = *state;
    hd_ingest_log log;
    char *csv = tax_csv(1, 3, "3000.50");
    const char *dir = write_delivery(f, "tax-1", "tax", "snapshot",
                                     "tax_income", csv, 3, NULL);

    assert_int_equal(ingest(f, dir, &log), HD_INGEST_LOADED);
    assert_true(log.accepted);
    assert_int_equal(log.feed_count, 1);
    assert_int_equal(log.feeds[0].rows_in_file, 3);
    assert_int_equal(log.feeds[0].rows_loaded, 3);
    assert_int_equal(log.feeds[0].rows_quarantined, 0);
    assert_int_equal(feed_status(f, "tax_income").rows, 3);
    assert_int_equal(feed_status(f, "tax_income").deliveries, 1);
    assert_int_equal(person_income(f, 2, 0).fen, 300050);
    hd_free(csv);
}

static void the_same_delivery_twice_is_a_no_op(void **state)
{
    fixture *f = *state;
    hd_ingest_log log;
    char *csv = tax_csv(1, 3, "100");
    const char *dir =
        write_delivery(f, "tax-1", "tax", "delta", "tax_income", csv, 3, NULL);

    assert_int_equal(ingest(f, dir, &log), HD_INGEST_LOADED);
    assert_int_equal(ingest(f, dir, &log), HD_INGEST_ALREADY_LOADED);
    assert_int_equal(log.feeds[0].rows_loaded, 3);
    assert_int_equal(feed_status(f, "tax_income").deliveries, 1);
    assert_int_equal(feed_status(f, "tax_income").rows, 3);
    assert_int_equal(person_income(f, 1, 0).count, 1);
    hd_free(csv);
}

/* Each way a manifest can be wrong rejects the whole delivery and leaves
 * the feed store as it was. */
static void a_bad_manifest_rejects_the_whole_delivery(void **state)
{
    fixture *f = *state;
    hd_ingest_log log;
    char *csv = tax_csv(1, 3, "100");
    char manifest_path[4600];
    const char *dir;

    dir = write_delivery(f, "count", "tax", "snapshot", "tax_income", csv, 4,
                         NULL);
    assert_int_equal(ingest(f, dir, &log), HD_INGEST_REJECTED);
    assert_int_equal(log.reject_reason, HD_REJECT_ROW_COUNT);

    dir = write_delivery(f, "sum", "tax", "snapshot", "tax_income", csv, 3,
                         "0000000000000000000000000000000000000000000000000000"
                         "000000000000");
    assert_int_equal(ingest(f, dir, &log), HD_INGEST_REJECTED);
    assert_int_equal(log.reject_reason, HD_REJECT_CHECKSUM);

    dir = write_delivery(f, "feed", "tax", "snapshot", "lottery", csv, 3, NULL);
    assert_int_equal(ingest(f, dir, &log), HD_INGEST_REJECTED);
    assert_int_equal(log.reject_reason, HD_REJECT_UNKNOWN_FEED);

    dir = write_delivery(f, "dept", "banks", "snapshot", "tax_income", csv, 3,
                         NULL);
    assert_int_equal(ingest(f, dir, &log), HD_INGEST_REJECTED);
    assert_int_equal(log.reject_reason, HD_REJECT_DEPARTMENT);

    dir = write_delivery(f, "gone", "tax", "snapshot", "tax_income", csv, 3,
                         NULL);
    snprintf(manifest_path, sizeof(manifest_path), "%s/tax_income.csv", dir);
    remove(manifest_path);
    assert_int_equal(ingest(f, dir, &log), HD_INGEST_REJECTED);
    assert_int_equal(log.reject_reason, HD_REJECT_MISSING_FILE);

    dir = write_delivery(f, "json", "tax", "snapshot", "tax_income", csv, 3,
                         NULL);
    tu_write_file(dir, "manifest.json", "{\"standard\": ");
    assert_int_equal(ingest(f, dir, &log), HD_INGEST_REJECTED);
    assert_int_equal(log.reject_reason, HD_REJECT_MANIFEST);

    dir = write_delivery(f, "header", "tax", "snapshot", "tax_income",
                         "pid,period,category,payer,tax\n", 0, NULL);
    assert_int_equal(ingest(f, dir, &log), HD_INGEST_REJECTED);
    assert_int_equal(log.reject_reason, HD_REJECT_HEADER);

    assert_int_equal(feed_status(f, "tax_income").rows, 0);
    assert_int_equal(feed_status(f, "tax_income").deliveries, 0);
    assert_int_equal(person_income(f, 1, 0).count, 0);
    hd_free(csv);
}

static int count_rows(const hd_quarantine_row *row, void *payload)
{
    int *n = payload;
    (*n)++;
    assert_string_equal(row->file, "tax_income.csv");
    return 0;
}

/* 200 rows with 2 bad ones is 1%, not above it: loaded. With 3 it is
 * 1.5%: rejected whole. */
static void the_bad_row_share_is_strictly_above_the_limit(void **state)
{
    fixture *f = *state;
    hd_ingest_log log;
    char *good = tax_csv(1, 198, "10");
    hd_buf b;
    char pid[19];
    const char *dir;
    int quarantined = 0;

    hd_buf_init(&b, 0);
    hd_buf_puts(&b, good);
    hd_buf_printf(&b, "%s,2026-05,wage,,1.234,0\n", pid_of(900, pid));
    hd_buf_printf(&b, "%s,2026-13,wage,,1,0\n", pid_of(901, pid));
    dir = write_delivery(f, "two-bad", "tax", "snapshot", "tax_income", b.ptr,
                         200, NULL);
    assert_int_equal(ingest(f, dir, &log), HD_INGEST_LOADED);
    assert_int_equal(log.feeds[0].rows_loaded, 198);
    assert_int_equal(log.feeds[0].rows_quarantined, 2);
    assert_int_equal(log.feeds[0].quarantined_by_reason[HD_REJECT_MONEY], 1);
    assert_int_equal(log.feeds[0].quarantined_by_reason[HD_REJECT_PERIOD], 1);
    assert_int_equal(hd_casestore_quarantine_list(hd_ingest_casestore(f->ing),
                                                  "two-bad", count_rows,
                                                  &quarantined, NULL),
                     0);
    assert_int_equal(quarantined, 2);

    hd_buf_printf(&b, "%s,2026-05,wages,,1,0\n", pid_of(902, pid));
    dir = write_delivery(f, "three-bad", "tax", "snapshot", "tax_income", b.ptr,
                         201, NULL);
    /* 3 of 201 is still above 1%. */
    assert_int_equal(ingest(f, dir, &log), HD_INGEST_REJECTED);
    assert_int_equal(log.reject_reason, HD_REJECT_BAD_ROW_SHARE);
    assert_int_equal(feed_status(f, "tax_income").rows, 198);
    hd_buf_release(&b);
    hd_free(good);
}

static void a_snapshot_replaces_and_a_delta_adds(void **state)
{
    fixture *f = *state;
    hd_ingest_log log;
    char *a = tax_csv(1, 2, "100"), *b = tax_csv(2, 2, "250"),
         *c = tax_csv(4, 1, "7");
    uint32_t seq_b;

    assert_int_equal(ingest(f,
                            write_delivery(f, "a", "tax", "snapshot",
                                           "tax_income", a, 2, NULL),
                            &log),
                     HD_INGEST_LOADED);
    assert_int_equal(
        ingest(f,
               write_delivery(f, "b", "tax", "delta", "tax_income", b, 2, NULL),
               &log),
        HD_INGEST_LOADED);
    seq_b = log.seq;
    /* Person 2's row has the same key in b: replaced; 3 is new. */
    assert_int_equal(log.feeds[0].rows_live, 3);
    assert_int_equal(person_income(f, 1, 0).fen, 10000);
    assert_int_equal(person_income(f, 2, 0).fen, 25000);
    assert_int_equal(person_income(f, 2, 0).count, 1);
    assert_int_equal(person_income(f, 3, 0).fen, 25000);

    assert_int_equal(ingest(f,
                            write_delivery(f, "c", "tax", "snapshot",
                                           "tax_income", c, 1, NULL),
                            &log),
                     HD_INGEST_LOADED);
    assert_int_equal(log.feeds[0].rows_live, 1);
    assert_int_equal(feed_status(f, "tax_income").rows, 1);
    assert_int_equal(person_income(f, 1, 0).count, 0);
    assert_int_equal(person_income(f, 4, 0).fen, 700);
    /* Replaying as of b still sees b's state. */
    assert_int_equal(person_income(f, 2, seq_b).fen, 25000);
    assert_int_equal(person_income(f, 1, seq_b).fen, 10000);
    hd_free(a);
    hd_free(b);
    hd_free(c);
}

/* A crash after the feed store commit and before the case store's: the
 * next open writes the log from the pending blob. */
static void an_interrupted_delivery_is_finished_at_open(void **state)
{
    fixture *f = *state;
    hd_fs_load *load = NULL;
    hd_fs_delivery meta;
    hd_fs_load_stats stats;
    hd_ingest_log log;
    hd_quarantine q;
    hd_buf blob;
    hd_row row;
    hd_bad_row bad;
    hd_str fields[6];
    char pid[19];
    uint32_t seq;

    memset(&meta, 0, sizeof(meta));
    snprintf(meta.delivery_id, sizeof(meta.delivery_id), "crashed");
    snprintf(meta.department, sizeof(meta.department), "tax");
    meta.snapshot = true;
    meta.loaded_at = f->opt.now;
    meta.feed_mask = 1u << hd_feed_find("tax_income")->id;
    assert_int_equal(hd_fs_load_begin(&load, hd_ingest_feedstore(f->ing), &meta,
                                      1 << 20, f->root, NULL),
                     0);
    fields[0] = hd_str_of(pid_of(5, pid));
    fields[1] = HD_STR("2026-05");
    fields[2] = HD_STR("wage");
    fields[3] = (hd_str){NULL, 0};
    fields[4] = HD_STR("12.00");
    fields[5] = HD_STR("0");
    assert_int_equal(
        hd_row_parse(&row, hd_feed_find("tax_income"), fields, &bad), 0);
    assert_int_equal(hd_fs_load_add(load, &row, NULL), 0);

    memset(&log, 0, sizeof(log));
    snprintf(log.delivery_id, sizeof(log.delivery_id), "crashed");
    snprintf(log.department, sizeof(log.department), "tax");
    log.accepted = true;
    log.snapshot = true;
    log.feed_count = 1;
    log.feeds[0].feed = hd_feed_find("tax_income");
    log.feeds[0].rows_in_file = 1;
    log.feeds[0].rows_loaded = 1;
    /* As in a real load, the blob is written before the commit that
     * decides the live row count: it says 0 here. */
    hd__quarantine_init(&q);
    hd_buf_init(&blob, 0);
    assert_int_equal(hd__pending_encode(&blob, &log, &q), 0);
    assert_int_equal(
        hd_fs_load_commit(load, blob.ptr, blob.len, &seq, &stats, NULL), 0);
    hd_buf_release(&blob);
    hd__quarantine_release(&q);

    /* The case store does not know it yet... */
    assert_int_equal(hd_casestore_delivery_accepted(hd_ingest_casestore(f->ing),
                                                    "crashed", NULL),
                     0);
    /* ...until the next open. */
    hd_ingest_free(f->ing);
    assert_int_equal(hd_ingest_open(&f->ing, f->db, f->feeds, NULL), 0);
    assert_int_equal(hd_casestore_delivery_accepted(hd_ingest_casestore(f->ing),
                                                    "crashed", NULL),
                     1);
    assert_int_equal(feed_status(f, "tax_income").rows, 1);
    assert_int_equal(person_income(f, 5, 0).fen, 1200);
}

typedef struct batch_result {
    hd_ingest_outcome outcomes[8];
    int count;
} batch_result;

static int keep_outcome(int index, hd_ingest_outcome outcome,
                        const hd_ingest_log *log, void *payload)
{
    batch_result *r = payload;
    (void)log;
    assert_int_equal(index, r->count);
    r->outcomes[r->count++] = outcome;
    return 0;
}

/* Deliveries read on worker threads still commit in the order given, and
 * the same delivery twice in one batch loads once. */
static void a_batch_commits_in_order(void **state)
{
    fixture *f = *state;
    char *a = tax_csv(1, 2, "100"), *b = tax_csv(2, 1, "250");
    char dir_a[4400], dir_b[4400];
    const char *dirs[4];
    batch_result r = {{0}, 0};

    snprintf(
        dir_a, sizeof(dir_a), "%s",
        write_delivery(f, "a", "tax", "snapshot", "tax_income", a, 2, NULL));
    snprintf(dir_b, sizeof(dir_b), "%s",
             write_delivery(f, "b", "tax", "delta", "tax_income", b, 1, NULL));
    dirs[0] = dir_a;
    dirs[1] = dir_a;
    dirs[2] = dir_b;
    dirs[3] = dir_b;
    f->opt.readers = 3;
    assert_int_equal(
        hd_ingest_deliveries(f->ing, dirs, 4, &f->opt, keep_outcome, &r, NULL),
        0);
    assert_int_equal(r.count, 4);
    assert_int_equal(r.outcomes[0], HD_INGEST_LOADED);
    assert_int_equal(r.outcomes[1], HD_INGEST_ALREADY_LOADED);
    assert_int_equal(r.outcomes[2], HD_INGEST_LOADED);
    assert_int_equal(r.outcomes[3], HD_INGEST_ALREADY_LOADED);
    /* b, a delta after the snapshot a, replaced person 2's row. */
    assert_int_equal(person_income(f, 2, 0).fen, 25000);
    assert_int_equal(feed_status(f, "tax_income").rows, 2);
    assert_int_equal(feed_status(f, "tax_income").deliveries, 2);
    hd_free(a);
    hd_free(b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(a_clean_delivery_loads, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(the_same_delivery_twice_is_a_no_op,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(
            a_bad_manifest_rejects_the_whole_delivery, setup, teardown),
        cmocka_unit_test_setup_teardown(
            the_bad_row_share_is_strictly_above_the_limit, setup, teardown),
        cmocka_unit_test_setup_teardown(a_snapshot_replaces_and_a_delta_adds,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(
            an_interrupted_delivery_is_finished_at_open, setup, teardown),
        cmocka_unit_test_setup_teardown(a_batch_commits_in_order, setup,
                                        teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
