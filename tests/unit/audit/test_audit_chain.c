/*
 * The audit chain as the store writes it, on both backends: seq 1, 2,
 * ... without gaps, each prev_hash the hash before it, each entry_hash
 * the keyed BLAKE2b-256 of the encoding docs/audit.md gives (computed
 * here from that description, not by the store's code); the head kept
 * for one transaction only (after a commit another writer may have
 * appended, after a rollback the entries are gone); no key, no entry;
 * and two processes appending at once make one chain.
 */
#include "testutil.h"

#include <hedui/audit.h>
#include <hedui/store.h>

#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static char dir[4096], db_path[4200];
static const uint8_t key[32] = {1, 2, 3, 4, 5, 6, 7, 8};

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

static hd_casestore *open_cs(bool with_key)
{
    hd_casestore *cs = NULL;
    hd_error err;

    hd_error_clear(&err);
    if (hd_casestore_open(&cs, db_path, &err))
        fail_msg("open: %s", err.msg);
    if (with_key)
        hd_casestore_set_audit_key(cs, key);
    return cs;
}

static hd_audit_entry entry(int64_t at, const char *case_no)
{
    hd_audit_entry e = {.at = at,
                        .actor = "zhang.wei",
                        .role = "verifier",
                        .region = "440104",
                        .action = "verify",
                        .case_no = case_no,
                        .persons = "[\"0123456789abcdef0123456789abcdef\"]",
                        .feeds = "[\"tax_income\"]",
                        .authorizations = "[\"AUTH-1\"]",
                        .outcome = "meets"};
    return e;
}

static void add(hd_casestore *cs, int64_t at, const char *case_no)
{
    hd_audit_entry e = entry(at, case_no);
    hd_error err;

    hd_error_clear(&err);
    if (hd_casestore_audit_add(cs, &e, &err))
        fail_msg("audit add: %s", err.msg);
}

/* ------------------------------------------- the encoding, from the spec */

static void spec_u64(crypto_generichash_state *st, uint64_t v)
{
    uint8_t b[8];
    for (int i = 7; i >= 0; i--, v >>= 8)
        b[i] = (uint8_t)v;
    crypto_generichash_update(st, b, 8);
}

static void spec_text(crypto_generichash_state *st, const char *s)
{
    uint8_t tag = s != NULL;
    crypto_generichash_update(st, &tag, 1);
    if (s) {
        spec_u64(st, strlen(s));
        crypto_generichash_update(st, (const uint8_t *)s, strlen(s));
    }
}

static void spec_hash(char out[65], int64_t seq, const char *prev,
                      const hd_audit_row *r)
{
    static const char domain[] = "hedui audit chain v1";
    crypto_generichash_state st;
    uint8_t h[32];

    crypto_generichash_init(&st, key, 32, 32);
    crypto_generichash_update(&st, (const uint8_t *)domain, sizeof(domain));
    spec_u64(&st, (uint64_t)seq);
    spec_text(&st, prev);
    spec_u64(&st, (uint64_t)r->entry.at);
    spec_text(&st, r->entry.actor);
    spec_text(&st, r->entry.role);
    spec_text(&st, r->entry.region);
    spec_text(&st, r->entry.action);
    spec_text(&st, r->entry.case_no);
    spec_text(&st, r->entry.persons);
    spec_text(&st, r->entry.feeds);
    spec_text(&st, r->entry.authorizations);
    spec_text(&st, r->entry.outcome);
    crypto_generichash_final(&st, h, 32);
    sodium_bin2hex(out, 65, h, 32);
}

/* Walk the chain: every link and hash checked against the spec. */
typedef struct chain_seen {
    int64_t count;
    int64_t ats[64];
    char head[65];
} chain_seen;

static int check_row(const hd_audit_row *r, void *payload)
{
    chain_seen *c = payload;
    char want[65];

    assert_int_equal(r->seq, c->count + 1);
    assert_string_equal(r->prev_hash, c->head);
    spec_hash(want, r->seq, r->prev_hash, r);
    assert_string_equal(r->entry_hash, want);
    assert_string_equal(r->entry.role, "verifier");
    assert_string_equal(r->entry.region, "440104");
    if (c->count < 64)
        c->ats[c->count] = r->entry.at;
    c->count++;
    snprintf(c->head, sizeof(c->head), "%s", r->entry_hash);
    return 0;
}

static chain_seen walk(hd_casestore *cs)
{
    chain_seen c;
    hd_error err;

    memset(&c, 0, sizeof(c));
    memset(c.head, '0', 64);
    hd_error_clear(&err);
    if (hd_casestore_audit_chain(cs, check_row, &c, &err))
        fail_msg("chain: %s", err.msg);
    return c;
}

/* ----------------------------------------------------------------- tests */

static void entries_are_chained(void **state)
{
    hd_casestore *cs = open_cs(true);
    hd_audit_entry e = entry(100, NULL);
    chain_seen c;
    (void)state;

    /* NULL (no case) and "" are different entries to the hash. */
    assert_int_equal(hd_casestore_audit_add(cs, &e, NULL), 0);
    e.case_no = "";
    assert_int_equal(hd_casestore_audit_add(cs, &e, NULL), 0);
    add(cs, 102, "C-3");
    c = walk(cs);
    assert_int_equal(c.count, 3);
    hd_casestore_free(cs);
}

static void no_key_no_entry(void **state)
{
    hd_casestore *cs = open_cs(false);
    hd_audit_entry e = entry(1, "C-1");
    hd_error err;
    (void)state;

    hd_error_clear(&err);
    assert_int_equal(hd_casestore_audit_add(cs, &e, &err), HD_EINVAL);
    assert_non_null(strstr(err.msg, "no audit chain key"));
    assert_int_equal(hd_casestore_begin(cs, NULL), 0);
    assert_int_equal(hd_casestore_audit_add(cs, &e, NULL), HD_EINVAL);
    hd_casestore_rollback(cs);
    assert_int_equal(
        tu_casestore_int(db_path, "SELECT count(*) FROM audit_log"), 0);
    hd_casestore_free(cs);
}

static void head_lives_one_transaction(void **state)
{
    hd_casestore *a = open_cs(true), *b = open_cs(true);
    chain_seen c;
    (void)state;

    /* One transaction: entries chain to each other, seen before commit. */
    assert_int_equal(hd_casestore_begin(a, NULL), 0);
    for (int i = 0; i < 5; i++)
        add(a, 10 + i, "C-A");
    c = walk(a);
    assert_int_equal(c.count, 5);
    assert_int_equal(hd_casestore_commit(a, NULL), 0);

    /* Another connection appends: a's next entry must chain after it,
     * not after the head a knew when it last wrote. */
    add(b, 20, "C-B");
    assert_int_equal(hd_casestore_begin(a, NULL), 0);
    add(a, 21, "C-A");
    assert_int_equal(hd_casestore_commit(a, NULL), 0);
    add(b, 22, "C-B");
    c = walk(a);
    assert_int_equal(c.count, 8);
    assert_int_equal(c.ats[5], 20);
    assert_int_equal(c.ats[6], 21);
    assert_int_equal(c.ats[7], 22);

    /* Rolled back: the three entries are gone, and so is the head they
     * made; the next entry is seq 9 after seq 8's hash. */
    assert_int_equal(hd_casestore_begin(a, NULL), 0);
    add(a, 30, "C-X");
    add(a, 31, "C-X");
    add(a, 32, "C-X");
    hd_casestore_rollback(a);
    add(a, 40, "C-A");
    c = walk(b);
    assert_int_equal(c.count, 9);
    assert_int_equal(c.ats[8], 40);
    hd_casestore_free(a);
    hd_casestore_free(b);
}

/* Two processes, each appending in transactions of three entries. */
#define ROUNDS 40

static void appender(int who)
{
    hd_casestore *cs = NULL;
    int status = 0;

    if (hd_casestore_open(&cs, db_path, NULL))
        _exit(10);
    hd_casestore_set_audit_key(cs, key);
    for (int r = 0; r < ROUNDS && status == 0; r++) {
        char case_no[32];
        hd_audit_entry e;
        snprintf(case_no, sizeof(case_no), "C-%d-%d", who, r);
        e = entry(1000 * who + r, case_no);
        status = hd_casestore_begin(cs, NULL) ? 11 : 0;
        for (int i = 0; status == 0 && i < 3; i++)
            status = hd_casestore_audit_add(cs, &e, NULL) ? 12 : 0;
        if (status == 0)
            status = hd_casestore_commit(cs, NULL) ? 13 : 0;
        else
            hd_casestore_rollback(cs);
        /* Alone, in a transaction of its own. */
        if (status == 0)
            status = hd_casestore_audit_add(cs, &e, NULL) ? 14 : 0;
    }
    hd_casestore_free(cs);
    _exit(status);
}

static void concurrent_appenders_make_one_chain(void **state)
{
    hd_casestore *cs = open_cs(true); /* the schema, made before forking */
    hd_audit_report rep;
    pid_t kids[2];
    chain_seen c;
    (void)state;

    for (int k = 0; k < 2; k++) {
        kids[k] = fork();
        assert_true(kids[k] >= 0);
        if (kids[k] == 0)
            appender(k + 1);
    }
    for (int k = 0; k < 2; k++) {
        int status;
        assert_int_equal(waitpid(kids[k], &status, 0), kids[k]);
        assert_true(WIFEXITED(status));
        assert_int_equal(WEXITSTATUS(status), 0);
    }
    c = walk(cs); /* seq 1..n, every link and hash as the spec says */
    assert_int_equal(c.count, 2 * ROUNDS * 4);
    assert_int_equal(hd_audit_verify(&rep, cs, key, 0, NULL, NULL, NULL, NULL),
                     0);
    assert_int_equal(rep.problems, 0);
    assert_int_equal(rep.entries, 2 * ROUNDS * 4);
    assert_int_equal(rep.head_seq, 2 * ROUNDS * 4);
    assert_string_equal(rep.head_hash, c.head);
    hd_casestore_free(cs);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(entries_are_chained, setup, teardown),
        cmocka_unit_test_setup_teardown(no_key_no_entry, setup, teardown),
        cmocka_unit_test_setup_teardown(head_lives_one_transaction, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(concurrent_appenders_make_one_chain,
                                        setup, teardown),
    };
    if (sodium_init() < 0)
        return 1;
    return cmocka_run_group_tests(tests, NULL, NULL);
}
