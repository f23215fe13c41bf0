/*
 * The audit chain's verification on both backends: a chain of 30
 * entries, edited behind the store's back with SQL as someone without
 * the key would, and what hd_audit_verify names: the kind, the seq and
 * row of the first problem, and every other problem. The expected
 * answers follow from the edits (docs/audit.md, "Classification").
 */
#include "testutil.h"

#include <hedui/audit.h>
#include <hedui/store.h>

#include <sodium.h>
#include <stdio.h>
#include <string.h>

#define N 30

static char dir[4096], db_path[4200];
static const uint8_t key[32] = {9, 8, 7};
static char head_hash[HD_AUDIT_HASH_HEX];

static hd_casestore *open_cs(void)
{
    hd_casestore *cs = NULL;
    hd_error err;

    hd_error_clear(&err);
    if (hd_casestore_open(&cs, db_path, &err))
        fail_msg("open: %s", err.msg);
    hd_casestore_set_audit_key(cs, key);
    return cs;
}

static void add(hd_casestore *cs, int i)
{
    char case_no[32], outcome[32];
    hd_audit_entry e = {.at = 1700000000 + i,
                        .actor = "li.na",
                        .role = i % 2 ? "verifier" : NULL,
                        .region = i % 2 ? "440104" : NULL,
                        .action = "verify",
                        .case_no = case_no,
                        .persons = "[\"00112233445566778899aabbccddeeff\"]",
                        .feeds = "[\"deposit\"]",
                        .authorizations = "[]",
                        .outcome = outcome};
    hd_error err;

    snprintf(case_no, sizeof(case_no), "C-%d", i);
    snprintf(outcome, sizeof(outcome), "outcome-%d", i);
    hd_error_clear(&err);
    if (hd_casestore_audit_add(cs, &e, &err))
        fail_msg("add: %s", err.msg);
}

static int take_head(const hd_audit_row *row, void *payload)
{
    (void)payload;
    snprintf(head_hash, sizeof(head_hash), "%s", row->entry_hash);
    return 0;
}

/* A fresh store with entries 1..N (ids 1..N). */
static int setup(void **state)
{
    hd_casestore *cs;
    (void)state;

    snprintf(dir, sizeof(dir), "%s", tu_tempdir());
    tu_casestore_new(db_path, sizeof(db_path), dir);
    cs = open_cs();
    assert_int_equal(hd_casestore_begin(cs, NULL), 0);
    for (int i = 1; i <= N; i++)
        add(cs, i);
    assert_int_equal(hd_casestore_commit(cs, NULL), 0);
    assert_int_equal(hd_casestore_audit_chain(cs, take_head, NULL, NULL), 0);
    hd_casestore_free(cs);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    tu_casestore_drop(db_path);
    tu_rmtree(dir);
    return 0;
}

/* Every problem reported, in the order reported. */
typedef struct found {
    int count;
    hd_audit_problem p[16];
} found;

static void collect(const hd_audit_problem *p, void *payload)
{
    found *f = payload;
    if (f->count < 16)
        f->p[f->count] = *p;
    f->count++;
}

static hd_audit_report verify(found *f, int64_t expect_seq,
                              const char *expect_hash)
{
    hd_casestore *cs = open_cs();
    hd_audit_report rep;
    hd_error err;

    memset(f, 0, sizeof(*f));
    hd_error_clear(&err);
    if (hd_audit_verify(&rep, cs, key, expect_seq, expect_hash, collect, f,
                        &err))
        fail_msg("verify: %s", err.msg);
    hd_casestore_free(cs);
    assert_int_equal(rep.problems, f->count);
    return rep;
}

static void assert_problem(const hd_audit_problem *p, hd_audit_kind kind,
                           int64_t seq, int64_t id, int64_t seq_end)
{
    if (p->kind != kind || p->seq != seq || p->id != id ||
        p->seq_end != seq_end)
        fail_msg("got %s seq %lld id %lld seq_end %lld (%s), expected %s "
                 "seq %lld id %lld seq_end %lld",
                 hd_audit_kind_name(p->kind), (long long)p->seq,
                 (long long)p->id, (long long)p->seq_end, p->detail,
                 hd_audit_kind_name(kind), (long long)seq, (long long)id,
                 (long long)seq_end);
}

static void edit(const char *sql)
{
    tu_casestore_exec(db_path, sql);
}

/* ----------------------------------------------------------------- tests */

static void intact(void **state)
{
    found f;
    hd_audit_report rep;
    char anchor[HD_AUDIT_HASH_HEX];
    (void)state;

    snprintf(anchor, sizeof(anchor), "%s", head_hash);
    rep = verify(&f, N, anchor);
    assert_int_equal(rep.problems, 0);
    assert_false(rep.has_first);
    assert_int_equal(rep.entries, N);
    assert_int_equal(rep.unchained, 0);
    assert_int_equal(rep.head_seq, N);
    assert_string_equal(rep.head_hash, anchor);
}

static void altered_content(void **state)
{
    found f;
    hd_audit_report rep;
    (void)state;

    edit("UPDATE audit_log SET outcome = 'meets' WHERE seq = 10");
    rep = verify(&f, 0, NULL);
    assert_int_equal(rep.problems, 1);
    assert_problem(&rep.first, HD_AUDIT_ALTERED, 10, 10, 0);
}

static void altered_role_null_to_empty(void **state)
{
    found f;
    hd_audit_report rep;
    (void)state;

    /* Entry 4 has no role: "" is not the same. */
    edit("UPDATE audit_log SET role = '' WHERE seq = 4");
    rep = verify(&f, 0, NULL);
    assert_int_equal(rep.problems, 1);
    assert_problem(&rep.first, HD_AUDIT_ALTERED, 4, 4, 0);
}

static void altered_hash(void **state)
{
    found f;
    hd_audit_report rep;
    (void)state;

    edit("UPDATE audit_log SET entry_hash = CASE WHEN substr(entry_hash, 1, "
         "2) = 'ab' THEN 'cd' ELSE 'ab' END || substr(entry_hash, 3) "
         "WHERE seq = 7");
    rep = verify(&f, 0, NULL);
    assert_int_equal(rep.problems, 1);
    assert_problem(&rep.first, HD_AUDIT_ALTERED, 7, 7, 0);
}

static void removed_one(void **state)
{
    found f;
    hd_audit_report rep;
    (void)state;

    edit("DELETE FROM audit_log WHERE seq = 10");
    rep = verify(&f, 0, NULL);
    assert_int_equal(rep.problems, 1);
    assert_problem(&rep.first, HD_AUDIT_REMOVED, 10, 0, 10);
    assert_int_equal(rep.first.before, 9);
    assert_int_equal(rep.first.after, 11);
    assert_int_equal(rep.entries, N - 1);
}

static void removed_and_renumbered(void **state)
{
    found f;
    hd_audit_report rep;
    (void)state;

    /* Three entries deleted and the later ones renumbered to hide it. */
    edit("DELETE FROM audit_log WHERE seq BETWEEN 10 AND 12");
    edit("UPDATE audit_log SET seq = 3 - seq WHERE seq > 12");
    edit("UPDATE audit_log SET seq = -seq WHERE seq < 0");
    rep = verify(&f, 0, NULL);
    assert_problem(&rep.first, HD_AUDIT_REMOVED, 10, 0, 12);
    assert_int_equal(rep.first.count, 3);
    assert_int_equal(rep.problems, 2);
    /* the renumbering: one problem for the 18 entries moved */
    for (int i = 0; i < 2; i++)
        if (f.p[i].kind == HD_AUDIT_REORDERED) {
            assert_problem(&f.p[i], HD_AUDIT_REORDERED, 10, 13, 13);
            assert_int_equal(f.p[i].count, N - 12);
        }
}

static void removed_many_and_renumbered(void **state)
{
    hd_casestore *cs = open_cs();
    found f;
    hd_audit_report rep;
    (void)state;

    /* 600 entries; 300 of them deleted and the rest renumbered down:
     * further than the seqs tried near an entry. */
    assert_int_equal(hd_casestore_begin(cs, NULL), 0);
    for (int i = N + 1; i <= 600; i++)
        add(cs, i);
    assert_int_equal(hd_casestore_commit(cs, NULL), 0);
    hd_casestore_free(cs);
    edit("DELETE FROM audit_log WHERE seq BETWEEN 100 AND 399");
    edit("UPDATE audit_log SET seq = 300 - seq WHERE seq >= 400");
    edit("UPDATE audit_log SET seq = -seq WHERE seq < 0");
    rep = verify(&f, 0, NULL);
    assert_int_equal(rep.problems, 2);
    assert_problem(&rep.first, HD_AUDIT_REMOVED, 100, 0, 399);
    assert_problem(&f.p[0], HD_AUDIT_REORDERED, 100, 400, 400);
    assert_int_equal(f.p[0].count, 201);
}

static void truncated_end(void **state)
{
    found f;
    hd_audit_report rep;
    char anchor[HD_AUDIT_HASH_HEX];
    (void)state;

    snprintf(anchor, sizeof(anchor), "%s", head_hash);
    edit("DELETE FROM audit_log WHERE seq > 27");
    rep = verify(&f, 0, NULL); /* without an anchor: looks whole */
    assert_int_equal(rep.problems, 0);
    rep = verify(&f, N, anchor);
    assert_int_equal(rep.problems, 1);
    assert_problem(&rep.first, HD_AUDIT_REMOVED, 28, 0, 30);
}

static void anchor_differs(void **state)
{
    found f;
    hd_audit_report rep;
    (void)state;

    rep = verify(&f, 20, head_hash); /* seq 20 has another hash */
    assert_int_equal(rep.problems, 1);
    assert_problem(&rep.first, HD_AUDIT_ALTERED, 20, 0, 0);
}

static void inserted_copy(void **state)
{
    found f;
    hd_audit_report rep;
    (void)state;

    edit("INSERT INTO audit_log (at, actor, role, region, action, case_no, "
         "persons, feeds, authorizations, outcome, seq, prev_hash, "
         "entry_hash) SELECT at, actor, role, region, action, case_no, "
         "persons, feeds, authorizations, outcome, 31, prev_hash, entry_hash "
         "FROM audit_log WHERE seq = 20");
    rep = verify(&f, 0, NULL);
    assert_int_equal(rep.problems, 1);
    assert_problem(&rep.first, HD_AUDIT_INSERTED, 31, 31, 20);
}

static void inserted_and_renumbered(void **state)
{
    found f;
    hd_audit_report rep;
    (void)state;

    /* Room made at seq 15, and an entry made up there that links to 14. */
    edit("UPDATE audit_log SET seq = -(seq + 1) WHERE seq >= 15");
    edit("UPDATE audit_log SET seq = -seq WHERE seq < 0");
    edit("INSERT INTO audit_log (at, actor, action, case_no, persons, feeds, "
         "authorizations, outcome, seq, prev_hash, entry_hash) VALUES "
         "(1700000015, 'li.na', 'verify', 'C-X', '[]', '[]', '[]', 'meets', "
         "15, (SELECT entry_hash FROM audit_log WHERE seq = 14), "
         "'0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef')");
    rep = verify(&f, 0, NULL);
    assert_int_equal(rep.problems, 2);
    assert_problem(&rep.first, HD_AUDIT_INSERTED, 15, N + 1, 0);
    assert_problem(&f.p[1], HD_AUDIT_REORDERED, 16, 15, 15);
    assert_int_equal(f.p[1].count, N - 14);
}

static void swapped_neighbours(void **state)
{
    found f;
    hd_audit_report rep;
    (void)state;

    edit("UPDATE audit_log SET seq = -seq WHERE seq IN (10, 11)");
    edit("UPDATE audit_log SET seq = 21 + seq WHERE seq < 0");
    rep = verify(&f, 0, NULL);
    assert_int_equal(rep.problems, 2);
    assert_problem(&rep.first, HD_AUDIT_REORDERED, 10, 11, 11);
    assert_problem(&f.p[1], HD_AUDIT_REORDERED, 11, 10, 10);
}

static void swapped_far(void **state)
{
    found f;
    hd_audit_report rep;
    (void)state;

    edit("UPDATE audit_log SET seq = -seq WHERE seq IN (5, 25)");
    edit("UPDATE audit_log SET seq = 30 + seq WHERE seq < 0");
    rep = verify(&f, 0, NULL);
    assert_int_equal(rep.problems, 2);
    assert_problem(&rep.first, HD_AUDIT_REORDERED, 5, 25, 25);
    assert_problem(&f.p[1], HD_AUDIT_REORDERED, 25, 5, 5);
}

static void contents_swapped(void **state)
{
    static const char *const columns[] = {"prev_hash", "entry_hash", "at",
                                          "role",      "region",     "case_no",
                                          "outcome"};
    found f;
    hd_audit_report rep;
    (void)state;

    /* Rows 5 and 6 keep their ids and seqs and trade everything else. */
    edit("CREATE TABLE saved AS SELECT * FROM audit_log WHERE id IN (5, 6)");
    for (size_t i = 0; i < sizeof(columns) / sizeof(columns[0]); i++) {
        char sql[256];
        snprintf(sql, sizeof(sql),
                 "UPDATE audit_log SET %s = (SELECT %s FROM saved WHERE "
                 "saved.id = 11 - audit_log.id) WHERE id IN (5, 6)",
                 columns[i], columns[i]);
        edit(sql);
    }
    rep = verify(&f, 0, NULL);
    assert_int_equal(rep.problems, 2);
    assert_problem(&rep.first, HD_AUDIT_REORDERED, 5, 5, 6);
    assert_problem(&f.p[1], HD_AUDIT_REORDERED, 6, 6, 5);
}

static void unchained_entries(void **state)
{
    found f;
    hd_audit_report rep;
    (void)state;

    /* Entries of schema 2 come before the chain: counted, not checked.
     * One written after the chain began was never chained. */
    edit("INSERT INTO audit_log (id, at, actor, action, persons, feeds, "
         "authorizations, outcome) VALUES (-2, 1, 'old', 'verify', '[]', "
         "'[]', '[]', 'meets'), (-1, 2, 'old', 'verify', '[]', '[]', '[]', "
         "'meets')");
    rep = verify(&f, 0, NULL);
    assert_int_equal(rep.problems, 0);
    assert_int_equal(rep.unchained, 2);
    edit("INSERT INTO audit_log (id, at, actor, action, persons, feeds, "
         "authorizations, outcome) VALUES (100, 3, 'x', 'verify', '[]', "
         "'[]', '[]', 'meets')");
    rep = verify(&f, 0, NULL);
    assert_int_equal(rep.problems, 1);
    assert_int_equal(rep.unchained, 3);
    assert_problem(&rep.first, HD_AUDIT_INSERTED, 0, 100, 0);
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(intact),
        T(altered_content),
        T(altered_role_null_to_empty),
        T(altered_hash),
        T(removed_one),
        T(removed_and_renumbered),
        T(removed_many_and_renumbered),
        T(truncated_end),
        T(anchor_differs),
        T(inserted_copy),
        T(inserted_and_renumbered),
        T(swapped_neighbours),
        T(swapped_far),
        T(contents_swapped),
        T(unchained_entries),
    };
#undef T
    if (sodium_init() < 0)
        return 1;
    return cmocka_run_group_tests(tests, NULL, NULL);
}
