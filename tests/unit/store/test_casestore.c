/*
 * The case store, on either backend (the test runs twice: testutil.h):
 * schema and migrations, the ingest log, quarantine and feed status,
 * transactions, and allocation failures.
 */
#include "store/store_int.h"
#include "store_test.h"

static char dir[4096], db_path[4200];

static int setup(void **state)
{
    (void)state;
    snprintf(dir, sizeof(dir), "%s", tu_tempdir());
    tu_casestore_new(db_path, sizeof(db_path), dir);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    tu_casestore_drop(db_path);
    tu_rmtree(dir);
    return 0;
}

static hd_casestore *open_cs(void)
{
    hd_casestore *cs = NULL;
    hd_error err;
    hd_error_clear(&err);
    if (hd_casestore_open(&cs, db_path, &err))
        fail_msg("open: %s", err.msg);
    return cs;
}

/* One value from the database, read behind the store's back. */
static long long raw_int(const char *sql)
{
    return tu_casestore_int(db_path, sql);
}

static void raw_exec(const char *sql)
{
    tu_casestore_exec(db_path, sql);
}

static int32_t date(const char *iso)
{
    int32_t d;
    assert_int_equal(hd_date_parse(&d, iso, strlen(iso), NULL), 0);
    return d;
}

static void accepted_log(hd_ingest_log *log, const char *id, const char *feed,
                         uint32_t seq, const char *as_of, int64_t live)
{
    memset(log, 0, sizeof(*log));
    snprintf(log->delivery_id, sizeof(log->delivery_id), "%s", id);
    snprintf(log->department, sizeof(log->department), "%s",
             hd_feed_find(feed)->department);
    snprintf(log->path, sizeof(log->path), "/in/%s", id);
    log->as_of = date(as_of);
    log->snapshot = true;
    log->accepted = true;
    log->seq = seq;
    log->loaded_at = 1764000000 + seq;
    log->feed_count = 1;
    log->feeds[0].feed = hd_feed_find(feed);
    log->feeds[0].rows_in_file = live + 2;
    log->feeds[0].rows_loaded = live;
    log->feeds[0].rows_quarantined = 2;
    log->feeds[0].rows_live = live;
    log->feeds[0].quarantined_by_reason[HD_REJECT_MONEY] = 1;
    log->feeds[0].quarantined_by_reason[HD_REJECT_PID] = 1;
}

static void rejected_log(hd_ingest_log *log, const char *id, const char *feed)
{
    accepted_log(log, id, feed, 0, "2026-11-02", 0);
    log->accepted = false;
    log->seq = 0;
    log->snapshot = false;
    log->reject_reason = HD_REJECT_CHECKSUM;
    snprintf(log->reject_detail, sizeof(log->reject_detail),
             "%s.csv: sha256 differs", feed);
}

/* ---------------------------------------------------------------- schema */

static void schema_is_created_and_versioned(void **state)
{
    hd_casestore *cs = open_cs();
    hd_ingest_log log;
    (void)state;

    assert_int_equal(hd_casestore_schema_version(cs), 4);
    assert_string_equal(hd_casestore_backend(cs),
                        tu_backend_is_pg() ? "postgresql" : "sqlite");
    if (tu_backend_is_pg()) {
        assert_int_equal(raw_int("SELECT version FROM schema_version"), 4);
        /* in the schema the URL's search_path names, not in public */
        assert_int_equal(raw_int("SELECT count(*) FROM information_schema."
                                 "tables WHERE table_schema = "
                                 "current_schema() AND table_name IN "
                                 "('ingest_log', 'ingest_feed_log', "
                                 "'ingest_feed_reject', 'quarantine')"),
                         4);
    } else {
        assert_int_equal(raw_int("PRAGMA user_version"), 4);
        assert_int_equal(raw_int("SELECT count(*) FROM sqlite_master WHERE "
                                 "type = 'table' AND name IN ('ingest_log', "
                                 "'ingest_feed_log', 'ingest_feed_reject', "
                                 "'quarantine')"),
                         4);
        /* SQLite only: WAL is a property of the file */
        assert_int_equal(raw_int("SELECT journal_mode = 'wal' FROM "
                                 "pragma_journal_mode"),
                         1);
    }
    accepted_log(&log, "t1", "tax_income", 1, "2026-11-01", 10);
    assert_int_equal(hd_casestore_log_ingest(cs, &log, NULL), 0);
    hd_casestore_free(cs);

    /* Reopening migrates nothing and keeps the data. */
    cs = open_cs();
    assert_int_equal(hd_casestore_schema_version(cs), 4);
    assert_int_equal(hd_casestore_delivery_accepted(cs, "t1", NULL), 1);
    hd_casestore_free(cs);
    hd_casestore_free(NULL);
}

static void a_newer_schema_is_refused(void **state)
{
    hd_casestore *cs = open_cs();
    hd_error err;
    (void)state;

    hd_casestore_free(cs);
    raw_exec(tu_backend_is_pg() ? "UPDATE schema_version SET version = 99"
                                : "PRAGMA user_version = 99");
    cs = (hd_casestore *)1;
    assert_int_equal(hd_casestore_open(&cs, db_path, &err), HD_ESTORE);
    assert_null(cs);
    assert_non_null(strstr(err.msg, "newer"));
}

static void an_unreachable_server_is_an_error(void **state)
{
    hd_casestore *cs = (hd_casestore *)1;
    char url[4300];
    hd_error err;
    (void)state;

    /* A socket folder where no server listens: refused at once, without
     * the network. */
    snprintf(url, sizeof(url), "postgresql:///hedui?host=%s", dir);
    assert_true(hd_casestore_is_url(url));
    assert_int_equal(hd_casestore_is_url(db_path), tu_backend_is_pg());
    assert_int_equal(hd_casestore_open(&cs, url, &err), HD_EIO);
    assert_null(cs);
    assert_non_null(strstr(err.msg, "cannot connect"));
}

/* ------------------------------------------------------------ ingest log */

typedef struct logs {
    hd_ingest_log items[4];
    int count;
} logs;

static int collect_log(const hd_ingest_log *log, void *payload)
{
    logs *l = payload;
    if (l->count < 4)
        l->items[l->count] = *log;
    l->count++;
    return 0;
}

static void ingest_log_round_trips(void **state)
{
    hd_casestore *cs = open_cs();
    static hd_ingest_log in[2];
    static logs out;
    hd_error err;
    (void)state;

    accepted_log(&in[0], "tax-2026-11-01-0001", "tax_income", 1, "2026-11-01",
                 98);
    rejected_log(&in[1], "bank-2026-11-02", "deposit");
    assert_int_equal(hd_casestore_begin(cs, NULL), 0);
    assert_int_equal(hd_casestore_log_ingest(cs, &in[0], NULL), 0);
    assert_int_equal(hd_casestore_log_ingest(cs, &in[1], NULL), 0);
    assert_int_equal(hd_casestore_commit(cs, NULL), 0);

    assert_int_equal(
        hd_casestore_delivery_accepted(cs, "tax-2026-11-01-0001", NULL), 1);
    assert_int_equal(
        hd_casestore_delivery_accepted(cs, "bank-2026-11-02", NULL), 0);
    assert_int_equal(hd_casestore_delivery_accepted(cs, "other", NULL), 0);

    memset(&out, 0, sizeof(out));
    assert_int_equal(hd_casestore_ingest_logs(cs, collect_log, &out, NULL), 0);
    assert_int_equal(out.count, 2);
    for (int i = 0; i < 2; i++) {
        const hd_ingest_log *a = &in[i], *b = &out.items[i];
        assert_string_equal(a->delivery_id, b->delivery_id);
        assert_string_equal(a->department, b->department);
        assert_string_equal(a->path, b->path);
        assert_int_equal(a->as_of, b->as_of);
        assert_int_equal(a->snapshot, b->snapshot);
        assert_int_equal(a->accepted, b->accepted);
        assert_int_equal(a->reject_reason, b->reject_reason);
        assert_string_equal(a->reject_detail, b->reject_detail);
        assert_int_equal(a->seq, b->seq);
        assert_int_equal(a->loaded_at, b->loaded_at);
        assert_int_equal(b->feed_count, 1);
        assert_ptr_equal(a->feeds[0].feed, b->feeds[0].feed);
        assert_memory_equal(&a->feeds[0], &b->feeds[0], sizeof(a->feeds[0]));
    }

    /* Accepted once; a rejected attempt may be logged again. */
    assert_int_equal(hd_casestore_log_ingest(cs, &in[0], &err), HD_EEXISTS);
    assert_int_equal(hd_casestore_log_ingest(cs, &in[1], NULL), 0);
    memset(&out, 0, sizeof(out));
    assert_int_equal(hd_casestore_ingest_logs(cs, collect_log, &out, NULL), 0);
    assert_int_equal(out.count, 3);
    /* a failed log leaves none of its feed rows behind */
    assert_int_equal(raw_int("SELECT count(*) FROM ingest_feed_log"), 3);
    assert_int_equal(raw_int("SELECT count(*) FROM ingest_feed_reject"), 6);
    hd_casestore_free(cs);
}

static void rollback_discards_the_transaction(void **state)
{
    hd_casestore *cs = open_cs();
    hd_ingest_log log;
    logs out;
    (void)state;

    accepted_log(&log, "t1", "tax_income", 1, "2026-11-01", 10);
    assert_int_equal(hd_casestore_begin(cs, NULL), 0);
    assert_int_equal(hd_casestore_log_ingest(cs, &log, NULL), 0);
    assert_int_equal(hd_casestore_quarantine_add(
                         cs,
                         &(hd_quarantine_row){"t1", "tax_income.csv", 2, 1,
                                              "pid", HD_REJECT_PID, "bad", "x"},
                         NULL),
                     0);
    hd_casestore_rollback(cs);
    hd_casestore_rollback(cs); /* nothing open: no effect */
    assert_int_equal(hd_casestore_delivery_accepted(cs, "t1", NULL), 0);
    memset(&out, 0, sizeof(out));
    assert_int_equal(hd_casestore_ingest_logs(cs, collect_log, &out, NULL), 0);
    assert_int_equal(out.count, 0);
    assert_int_equal(raw_int("SELECT count(*) FROM quarantine"), 0);
    hd_casestore_free(cs);
}

static void bad_logs_are_refused(void **state)
{
    hd_casestore *cs = open_cs();
    hd_ingest_log log;
    (void)state;

    accepted_log(&log, "", "tax_income", 1, "2026-11-01", 10);
    assert_int_equal(hd_casestore_log_ingest(cs, &log, NULL), HD_EINVAL);
    accepted_log(&log, "t1", "tax_income", 1, "2026-11-01", 10);
    log.feeds[0].feed = NULL;
    assert_int_equal(hd_casestore_log_ingest(cs, &log, NULL), HD_EINVAL);
    accepted_log(&log, "t1", "tax_income", 1, "2026-11-01", 10);
    log.feed_count = 33;
    assert_int_equal(hd_casestore_log_ingest(cs, &log, NULL), HD_EINVAL);
    hd_casestore_free(cs);
}

/* ------------------------------------------------------------ quarantine */

typedef struct qlist {
    char text[4096];
    size_t len;
    int stop_after;
    int count;
} qlist;

static int collect_quarantine(const hd_quarantine_row *row, void *payload)
{
    qlist *q = payload;
    int n = snprintf(q->text + q->len, sizeof(q->text) - q->len,
                     "%s %s:%lld:%d %s %s [%s] ", row->delivery_id, row->file,
                     (long long)row->line, row->column,
                     row->field ? row->field : "-", hd_reject_name(row->reason),
                     row->detail);
    q->len += (size_t)n;
    for (const unsigned char *p = (const unsigned char *)row->raw; *p; p++) {
        n = snprintf(q->text + q->len, sizeof(q->text) - q->len,
                     *p < 0x80 ? "%c" : "\\x%02x", *p);
        q->len += (size_t)n;
    }
    q->text[q->len++] = '\n';
    q->text[q->len] = '\0';
    q->count++;
    return q->stop_after && q->count == q->stop_after ? 9 : 0;
}

static const char *quarantine(hd_casestore *cs, const char *delivery_id)
{
    static qlist q;
    memset(&q, 0, sizeof(q));
    assert_int_equal(hd_casestore_quarantine_list(cs, delivery_id,
                                                  collect_quarantine, &q, NULL),
                     0);
    return q.text;
}

static void quarantine_lists_by_delivery_then_line(void **state)
{
    hd_casestore *cs = open_cs();
    qlist q;
    (void)state;

    assert_int_equal(hd_casestore_begin(cs, NULL), 0);
    assert_int_equal(
        hd_casestore_quarantine_add(
            cs,
            &(hd_quarantine_row){"d2", "f.csv", 5, 2, "income", HD_REJECT_MONEY,
                                 "more than 2 decimals", "a,1.234"},
            NULL),
        0);
    assert_int_equal(hd_casestore_quarantine_add(
                         cs,
                         &(hd_quarantine_row){"d1", "b.csv", 9, 0, NULL,
                                              HD_REJECT_FIELD_COUNT,
                                              "3 fields, header has "
                                              "4",
                                              "x,y,z"},
                         NULL),
                     0);
    assert_int_equal(
        hd_casestore_quarantine_add(
            cs,
            &(hd_quarantine_row){"d1", "a.csv", 12, 1, "pid", HD_REJECT_PID,
                                 "check character", "33010619800101001Y,2"},
            NULL),
        0);
    /* bytes that are not UTF-8 are kept as they came */
    assert_int_equal(
        hd_casestore_quarantine_add(
            cs,
            &(hd_quarantine_row){"d1", "a.csv", 3, 2, "name", HD_REJECT_TEXT,
                                 "not UTF-8", "1,\xff\xfe"},
            NULL),
        0);
    assert_int_equal(hd_casestore_commit(cs, NULL), 0);

    assert_string_equal(
        quarantine(cs, NULL),
        "d1 a.csv:3:2 name text [not UTF-8] 1,\\xff\\xfe\n"
        "d1 a.csv:12:1 pid pid [check character] 33010619800101001Y,2\n"
        "d1 b.csv:9:0 - field_count [3 fields, header has 4] x,y,z\n"
        "d2 f.csv:5:2 income money [more than 2 decimals] a,1.234\n");
    assert_string_equal(
        quarantine(cs, "d2"),
        "d2 f.csv:5:2 income money [more than 2 decimals] a,1.234\n");
    assert_string_equal(quarantine(cs, "d9"), "");

    memset(&q, 0, sizeof(q));
    q.stop_after = 2;
    assert_int_equal(
        hd_casestore_quarantine_list(cs, "d1", collect_quarantine, &q, NULL),
        9);
    assert_int_equal(q.count, 2);
    /* the statement was left clean: the next list starts over */
    assert_int_equal(strlen(quarantine(cs, "d1")) > 0, 1);
    hd_casestore_free(cs);
}

static void many_quarantine_rows_in_one_transaction(void **state)
{
    hd_casestore *cs = open_cs();
    (void)state;

    assert_int_equal(hd_casestore_begin(cs, NULL), 0);
    for (int i = 0; i < 50000; i++) {
        hd_quarantine_row row = {
            "big",       "tax_income.csv",
            i + 2,       5,
            "income",    HD_REJECT_MONEY,
            "not money", "330106198001010014,2026-01,wage,,x,0"};
        assert_int_equal(hd_casestore_quarantine_add(cs, &row, NULL), 0);
    }
    assert_int_equal(hd_casestore_commit(cs, NULL), 0);
    assert_int_equal(
        raw_int("SELECT count(*) FROM quarantine WHERE delivery_id = 'big'"),
        50000);
    hd_casestore_free(cs);
}

/* ----------------------------------------------------------- feed status */

static void feed_status_reports_every_feed(void **state)
{
    hd_casestore *cs = open_cs();
    static hd_feed_status st[64];
    hd_ingest_log log;
    hd_error err;
    int tax = (int)(hd_feed_find("tax_income") - hd_feeds);
    int hukou = (int)(hd_feed_find("hukou") - hd_feeds);
    (void)state;

    /* Logged out of seq order: the latest is the highest seq. */
    accepted_log(&log, "t2", "tax_income", 3, "2026-11-01", 120);
    log.snapshot = false;
    assert_int_equal(hd_casestore_log_ingest(cs, &log, NULL), 0);
    accepted_log(&log, "t1", "tax_income", 1, "2026-10-01", 100);
    assert_int_equal(hd_casestore_log_ingest(cs, &log, NULL), 0);
    accepted_log(&log, "h1", "hukou", 2, "2026-09-30", 50);
    assert_int_equal(hd_casestore_log_ingest(cs, &log, NULL), 0);
    rejected_log(&log, "t3", "tax_income");
    assert_int_equal(hd_casestore_log_ingest(cs, &log, NULL), 0);

    assert_int_equal(hd_casestore_feed_status(cs, st, 64, NULL), 0);
    for (int i = 0; i < hd_feed_count; i++)
        assert_ptr_equal(st[i].feed, &hd_feeds[i]);
    assert_int_equal(st[tax].deliveries, 2);
    assert_int_equal(st[tax].rows, 120);
    assert_int_equal(st[tax].as_of, date("2026-11-01"));
    assert_string_equal(st[tax].last_delivery_id, "t2");
    assert_int_equal(st[hukou].deliveries, 1);
    assert_int_equal(st[hukou].rows, 50);
    assert_string_equal(st[hukou].last_delivery_id, "h1");
    for (int i = 0; i < hd_feed_count; i++) {
        if (i == tax || i == hukou)
            continue;
        assert_int_equal(st[i].deliveries, 0);
        assert_int_equal(st[i].rows, 0);
        assert_int_equal(st[i].as_of, 0);
        assert_string_equal(st[i].last_delivery_id, "");
    }
    assert_int_equal(hd_casestore_feed_status(cs, st, hd_feed_count - 1, &err),
                     HD_EINVAL);
    hd_casestore_free(cs);
}

/* ------------------------------------------------- audit, verifications */

typedef struct audit_seen {
    int count;
    char text[2048];
} audit_seen;

static int take_audit(int64_t id, const hd_audit_entry *e, void *payload)
{
    audit_seen *a = payload;
    size_t used = strlen(a->text);
    (void)id;
    snprintf(a->text + used, sizeof(a->text) - used,
             "%lld|%s|%s|%s|%s|%s|%s|%s\n", (long long)e->at, e->actor,
             e->action, e->case_no ? e->case_no : "-", e->persons, e->feeds,
             e->authorizations, e->outcome);
    a->count++;
    return 0;
}

static int take_verification(const hd_verification_row *row, void *payload)
{
    snprintf(payload, 256, "%s|%lld|%u|%lld|%s|%s", row->application_no,
             (long long)row->verified_at, row->view_seq,
             (long long)row->policy_version, row->conclusion, row->record);
    return 0;
}

static void audit_and_verifications_round_trip(void **state)
{
    /* What the bulk path (COPY on PostgreSQL) must carry untouched. */
    static const char odd[] = "a\tb\nc\\d\\N'\"核|";
    hd_casestore *cs = open_cs();
    hd_audit_entry e = {.at = 10,
                        .actor = "clerk",
                        .action = "verify",
                        .case_no = "C-1",
                        .persons = "[\"h1\"]",
                        .feeds = "[\"tax\"]",
                        .authorizations = "[\"A-1\"]",
                        .outcome = "meets"};
    hd_verification_row v = {0, "C-1", 10, 3, 1, "meets", "{\"r\":1}"};
    audit_seen a = {0};
    char got[256];
    static const uint8_t key[32] = {7};
    (void)state;

    hd_casestore_set_audit_key(cs, key);

    assert_int_equal(hd_casestore_begin(cs, NULL), 0);
    assert_int_equal(hd_casestore_audit_add(cs, &e, NULL), 0);
    assert_int_equal(hd_casestore_verification_add(cs, &v, NULL), 0);
    e.at = 11;
    e.case_no = NULL;
    e.outcome = odd;
    assert_int_equal(hd_casestore_audit_add(cs, &e, NULL), 0);
    v.verified_at = 12;
    v.record = odd;
    assert_int_equal(hd_casestore_verification_add(cs, &v, NULL), 0);
    /* Read inside the transaction: the rows written so far are there. */
    assert_int_equal(hd_casestore_audit_list(cs, NULL, take_audit, &a, NULL),
                     0);
    assert_int_equal(a.count, 2);
    assert_int_equal(hd_casestore_commit(cs, NULL), 0);

    /* Outside a transaction an entry is written at once. */
    e.at = 13;
    e.case_no = "C-2";
    e.outcome = "fails";
    assert_int_equal(hd_casestore_audit_add(cs, &e, NULL), 0);
    hd_casestore_free(cs);
    /* three entries, chained */
    assert_int_equal(raw_int("SELECT max(seq) FROM audit_log"), 3);

    cs = open_cs();
    memset(&a, 0, sizeof(a));
    assert_int_equal(hd_casestore_audit_list(cs, NULL, take_audit, &a, NULL),
                     0);
    assert_string_equal(
        a.text,
        "10|clerk|verify|C-1|[\"h1\"]|[\"tax\"]|[\"A-1\"]|meets\n"
        "11|clerk|verify|-|[\"h1\"]|[\"tax\"]|[\"A-1\"]|a\tb\nc\\d\\N'\"核|\n"
        "13|clerk|verify|C-2|[\"h1\"]|[\"tax\"]|[\"A-1\"]|fails\n");
    memset(&a, 0, sizeof(a));
    assert_int_equal(hd_casestore_audit_list(cs, "C-2", take_audit, &a, NULL),
                     0);
    assert_int_equal(a.count, 1);
    assert_int_equal(hd_casestore_verification_latest(
                         cs, "C-1", take_verification, got, NULL),
                     0);
    assert_string_equal(got, "C-1|12|3|1|meets|a\tb\nc\\d\\N'\"核|");
    assert_int_equal(hd_casestore_verification_latest(
                         cs, "C-9", take_verification, got, NULL),
                     HD_ENOTFOUND);
    hd_casestore_free(cs);
}

/* ------------------------------------------------------------ callbacks */

/* A callback that reads the store again while its list is running. */
static int nested_read(const hd_ingest_log *log, void *payload)
{
    hd_casestore *cs = payload;
    logs inner;
    memset(&inner, 0, sizeof(inner));
    assert_int_equal(hd_casestore_delivery_accepted(cs, log->delivery_id, NULL),
                     log->accepted);
    assert_int_equal(hd_casestore_ingest_logs(cs, collect_log, &inner, NULL),
                     0);
    assert_int_equal(inner.count, 2);
    quarantine(cs, log->delivery_id);
    return 0;
}

static void callbacks_may_read_the_store(void **state)
{
    hd_casestore *cs = open_cs();
    hd_ingest_log log;
    (void)state;

    accepted_log(&log, "t1", "tax_income", 1, "2026-11-01", 10);
    assert_int_equal(hd_casestore_log_ingest(cs, &log, NULL), 0);
    rejected_log(&log, "t2", "tax_income");
    assert_int_equal(hd_casestore_log_ingest(cs, &log, NULL), 0);
    assert_int_equal(hd_casestore_ingest_logs(cs, nested_read, cs, NULL), 0);
    hd_casestore_free(cs);
}

/* ------------------------------------------------------------- failures */

static int try_case_store(void)
{
    hd_casestore *cs = NULL;
    static hd_feed_status st[64];
    hd_ingest_log log;
    logs out;
    int rc;

    rc = hd_casestore_open(&cs, db_path, NULL);
    if (rc)
        return rc;
    accepted_log(&log, "t1", "tax_income", 1, "2026-11-01", 10);
    rc = hd_casestore_begin(cs, NULL);
    if (rc == 0)
        rc = hd_casestore_log_ingest(cs, &log, NULL);
    if (rc == 0)
        rc = hd_casestore_quarantine_add(
            cs,
            &(hd_quarantine_row){"t1", "f.csv", 2, 1, "pid", HD_REJECT_PID,
                                 "bad", "x"},
            NULL);
    if (rc == 0)
        rc = hd_casestore_commit(cs, NULL);
    if (rc)
        hd_casestore_rollback(cs);
    memset(&out, 0, sizeof(out));
    if (rc == 0)
        rc = hd_casestore_ingest_logs(cs, collect_log, &out, NULL);
    if (rc == 0)
        rc = hd_casestore_feed_status(cs, st, 64, NULL);
    hd_casestore_free(cs);
    return rc;
}

static void allocation_failures_are_clean(void **state)
{
    int failures = 0;
    (void)state;

    for (long n = 1;; n++) {
        long made;
        int rc;

        tu_casestore_reset(db_path);
        hd_alloc_fail_after(n, false);
        rc = try_case_store();
        made = hd_alloc_count();
        hd_alloc_fail_after(0, false);
        if (rc == 0 && made < n)
            break;
        assert_true(rc == 0 || rc == HD_ENOMEM);
        failures += rc != 0;
        assert_true(n < 1000);
    }
    assert_true(failures >= 2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(schema_is_created_and_versioned, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(a_newer_schema_is_refused, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(an_unreachable_server_is_an_error,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(ingest_log_round_trips, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(rollback_discards_the_transaction,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(bad_logs_are_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(quarantine_lists_by_delivery_then_line,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(many_quarantine_rows_in_one_transaction,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(feed_status_reports_every_feed, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(audit_and_verifications_round_trip,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(callbacks_may_read_the_store, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(allocation_failures_are_clean, setup,
                                        teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
