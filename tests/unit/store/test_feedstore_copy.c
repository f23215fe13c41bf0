/*
 * Copies of the feed store for a node's front-ends (store.h,
 * docs/deploy.md): a snapshot holds every delivery and no pending blob
 * and replaces the previous one whole; an install makes a new generation
 * behind the store's link, refuses a snapshot that is not a later copy
 * of the installed store, and leaves a running reader its generation.
 */
#include "store/store_int.h"
#include "store_test.h"

#include <dirent.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define A "330106198001010014"
#define B "110101199003078031"

static const hd_feed *tax;
static char dir[4096];

static int setup(void **state)
{
    (void)state;
    tax = hd_feed_find("tax_income");
    snprintf(dir, sizeof(dir), "%s", tu_tempdir());
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    tu_rmtree(dir);
    return 0;
}

static const char *path_of(const char *sub)
{
    static char paths[4][4200];
    static int next;
    char *p = paths[next++ % 4];
    snprintf(p, sizeof(paths[0]), "%s/%s", dir, sub);
    return p;
}

static hd_feedstore *open_store(const char *sub)
{
    hd_feedstore *fs = NULL;
    hd_error err;

    hd_error_clear(&err);
    if (hd_feedstore_open(&fs, path_of(sub), &err))
        fail_msg("open %s: %s", sub, err.msg);
    return fs;
}

/* Load one delivery of tax rows: `income` for each of A and B. */
static uint32_t load(hd_feedstore *fs, const char *id, const char *income,
                     const char *pending)
{
    hd_fs_delivery d;
    hd_fs_load *ld = NULL;
    st_row r;
    hd_error err;
    uint32_t seq = 0;

    memset(&d, 0, sizeof(d));
    snprintf(d.delivery_id, sizeof(d.delivery_id), "%s", id);
    snprintf(d.department, sizeof(d.department), "tax");
    d.as_of = 20000;
    d.snapshot = true;
    d.loaded_at = 1790000000;
    d.feed_mask = UINT32_C(1) << tax->id;
    hd_error_clear(&err);
    if (hd_fs_load_begin(&ld, fs, &d, 0, dir, &err))
        fail_msg("begin: %s", err.msg);
    for (int i = 0; i < 2; i++) {
        st_row_set(&r, tax,
                   (const char *[]){i ? B : A, "2026-10", "wage",
                                    "91330106MA2B3C4D5E", income, "0"});
        if (hd_fs_load_add(ld, &r.row, &err))
            fail_msg("add: %s", err.msg);
    }
    if (hd_fs_load_commit(ld, pending, pending ? strlen(pending) : 0, &seq,
                          NULL, &err))
        fail_msg("commit: %s", err.msg);
    return seq;
}

static uint32_t latest(hd_feedstore *fs)
{
    uint32_t seq = 99;
    assert_int_equal(hd_feedstore_latest(&seq, fs, NULL), 0);
    return seq;
}

static int take_income(const hd_record *rec, void *payload)
{
    char *out = payload;
    char text[1100];
    snprintf(out, 64, "%.20s %.20s", rec->delivery_id,
             st_value_text(text, sizeof(text), &tax->columns[4],
                           &rec->row.values[4]));
    return 0;
}

/* "delivery income" of A's visible tax row. */
static const char *income_of_a(hd_feedstore *fs)
{
    static char out[64];
    hd_fs_view all = {0};
    out[0] = '\0';
    assert_int_equal(hd_feedstore_person(fs, all, A, take_income, out, NULL),
                     0);
    return out;
}

static int count_pending(const char *id, const void *blob, size_t len,
                         void *payload)
{
    (void)id;
    (void)blob;
    (void)len;
    (*(int *)payload)++;
    return 0;
}

static int pending_in(hd_feedstore *fs)
{
    int n = 0;
    assert_int_equal(hd_feedstore_pending(fs, count_pending, &n, NULL), 0);
    return n;
}

static void snapshot(const char *store_sub, const char *out_sub,
                     uint32_t want_seq)
{
    hd_feedstore *fs = open_store(store_sub);
    hd_fs_snapshot_info info;
    hd_error err;

    hd_error_clear(&err);
    if (hd_feedstore_snapshot(&info, fs, path_of(out_sub), &err))
        fail_msg("snapshot: %s", err.msg);
    assert_int_equal(info.seq, want_seq);
    assert_true(info.bytes > 0);
    hd_feedstore_free(fs);
}

static int install(hd_fs_install_info *info, const char *fe_sub,
                   const char *snap_sub, hd_error *err)
{
    hd_error_clear(err);
    return hd_feedstore_install(info, path_of(fe_sub), path_of(snap_sub), err);
}

static const char *link_of(const char *sub)
{
    static char target[4096];
    ssize_t n = readlink(path_of(sub), target, sizeof(target) - 1);
    assert_true(n > 0);
    target[n] = '\0';
    return target;
}

/* The names in a directory, sorted, space-separated. */
static const char *names_in(const char *sub)
{
    static char out[1024];
    struct dirent **list;
    int n = scandir(path_of(sub), &list, NULL, alphasort);
    size_t used = 0;

    assert_true(n >= 0);
    out[0] = '\0';
    for (int i = 0; i < n; i++) {
        if (strcmp(list[i]->d_name, ".") && strcmp(list[i]->d_name, ".."))
            used += (size_t)snprintf(out + used, sizeof(out) - used, "%s%s",
                                     used ? " " : "", list[i]->d_name);
        free(list[i]);
    }
    free(list);
    return out;
}

/* ------------------------------------------------------------- snapshot */

static void a_snapshot_holds_every_delivery_and_no_pending_blob(void **state)
{
    hd_feedstore *fs = open_store("host");
    hd_fs_snapshot_info info;
    hd_feedstore *copy;
    (void)state;

    load(fs, "d1", "100", NULL);
    load(fs, "d2", "200", "{\"log\":1}");
    assert_int_equal(pending_in(fs), 1);
    assert_int_equal(hd_feedstore_snapshot(&info, fs, path_of("snap"), NULL),
                     0);
    assert_int_equal(info.seq, 2);
    assert_int_equal(info.pending_omitted, 1);
    /* The host keeps its blob: it finishes that delivery itself. */
    assert_int_equal(pending_in(fs), 1);
    hd_feedstore_free(fs);

    assert_string_equal(names_in("snap"), "data.mdb");
    copy = open_store("snap");
    assert_int_equal(latest(copy), 2);
    assert_int_equal(pending_in(copy), 0);
    assert_string_equal(income_of_a(copy), "d2 200.00");
    hd_feedstore_free(copy);
}

static void a_snapshot_replaces_the_previous_one_whole(void **state)
{
    hd_feedstore *fs = open_store("host");
    hd_feedstore *copy;
    (void)state;

    load(fs, "d1", "100", NULL);
    hd_feedstore_free(fs);
    snapshot("host", "snap", 1);
    fs = open_store("host");
    load(fs, "d2", "200", NULL);
    hd_feedstore_free(fs);
    snapshot("host", "snap", 2);
    /* No temporary is left beside it or in it. */
    assert_string_equal(names_in(""), "host snap");
    assert_string_equal(names_in("snap"), "data.mdb");
    copy = open_store("snap");
    assert_int_equal(latest(copy), 2);
    hd_feedstore_free(copy);
}

static void a_snapshot_into_the_store_itself_is_refused(void **state)
{
    hd_feedstore *fs = open_store("host");
    hd_fs_snapshot_info info;
    hd_error err;
    (void)state;

    load(fs, "d1", "100", NULL);
    hd_error_clear(&err);
    assert_int_equal(hd_feedstore_snapshot(&info, fs, path_of("host/"), &err),
                     HD_EINVAL);
    assert_int_equal(latest(fs), 1);
    hd_feedstore_free(fs);
}

/* -------------------------------------------------------------- install */

/* The host's store at one, two and three deliveries, as snapshots
 * s1, s2, s3. */
static void three_snapshots(void)
{
    static const char *const incomes[] = {"100", "200", "300"};
    for (int i = 0; i < 3; i++) {
        char id[8], snap[8];
        hd_feedstore *fs = open_store("host");
        snprintf(id, sizeof(id), "d%d", i + 1);
        snprintf(snap, sizeof(snap), "s%d", i + 1);
        load(fs, id, incomes[i], NULL);
        hd_feedstore_free(fs);
        snapshot("host", snap, (uint32_t)i + 1);
    }
}

static void an_install_makes_a_generation_behind_a_link(void **state)
{
    hd_fs_install_info info;
    hd_feedstore *fe;
    hd_error err;
    (void)state;

    three_snapshots();
    assert_int_equal(install(&info, "fe/feeds", "s1", &err), 0);
    assert_int_equal(info.seq, 1);
    assert_int_equal(info.previous_seq, 0);
    assert_false(info.unchanged);
    assert_string_equal(info.generation, "seq-1");
    assert_string_equal(link_of("fe/feeds"), "feeds.gen/seq-1");
    fe = open_store("fe/feeds");
    assert_string_equal(income_of_a(fe), "d1 100.00");
    hd_feedstore_free(fe);

    assert_int_equal(install(&info, "fe/feeds", "s2", &err), 0);
    assert_int_equal(info.seq, 2);
    assert_int_equal(info.previous_seq, 1);
    assert_string_equal(link_of("fe/feeds"), "feeds.gen/seq-2");
    assert_int_equal(install(&info, "fe/feeds", "s3", &err), 0);
    /* The current generation and the one before it are kept. */
    assert_string_equal(names_in("fe/feeds.gen"), ".lock seq-2 seq-3");
    fe = open_store("fe/feeds");
    assert_int_equal(latest(fe), 3);
    assert_string_equal(income_of_a(fe), "d3 300.00");
    hd_feedstore_free(fe);
}

static void the_same_snapshot_again_changes_nothing(void **state)
{
    hd_fs_install_info info;
    hd_error err;
    (void)state;

    three_snapshots();
    assert_int_equal(install(&info, "fe/feeds", "s2", &err), 0);
    assert_int_equal(install(&info, "fe/feeds", "s2", &err), 0);
    assert_true(info.unchanged);
    assert_int_equal(info.seq, 2);
    assert_string_equal(info.generation, "seq-2");
    assert_string_equal(link_of("fe/feeds"), "feeds.gen/seq-2");
    assert_string_equal(names_in("fe/feeds.gen"), ".lock seq-2");
}

static void an_older_snapshot_is_refused(void **state)
{
    hd_fs_install_info info;
    hd_feedstore *fe;
    hd_error err;
    (void)state;

    three_snapshots();
    assert_int_equal(install(&info, "fe/feeds", "s2", &err), 0);
    assert_int_equal(install(&info, "fe/feeds", "s1", &err), HD_ECONFLICT);
    assert_non_null(strstr(err.msg, "up to seq 1"));
    assert_non_null(strstr(err.msg, "up to seq 2"));
    assert_string_equal(link_of("fe/feeds"), "feeds.gen/seq-2");
    assert_string_equal(names_in("fe/feeds.gen"), ".lock seq-2");
    fe = open_store("fe/feeds");
    assert_int_equal(latest(fe), 2);
    hd_feedstore_free(fe);
}

static void another_delivery_at_a_seq_is_refused(void **state)
{
    hd_fs_install_info info;
    hd_feedstore *other;
    hd_error err;
    (void)state;

    three_snapshots();
    /* Another node's store: as many deliveries, not the same ones. */
    other = open_store("other");
    load(other, "x1", "100", NULL);
    load(other, "d2", "200", NULL);
    load(other, "d3", "300", NULL);
    load(other, "d4", "400", NULL);
    hd_feedstore_free(other);
    snapshot("other", "sx", 4);
    assert_int_equal(install(&info, "fe/feeds", "s3", &err), 0);
    assert_int_equal(install(&info, "fe/feeds", "sx", &err), HD_ECONFLICT);
    assert_non_null(strstr(err.msg, "lacks delivery d1"));
    assert_string_equal(link_of("fe/feeds"), "feeds.gen/seq-3");
}

static void a_copy_with_pending_blobs_is_not_a_snapshot(void **state)
{
    hd_fs_install_info info;
    hd_feedstore *fs = open_store("host");
    hd_error err;
    struct stat st;
    (void)state;

    load(fs, "d1", "100", "{\"log\":1}");
    hd_feedstore_free(fs);
    /* The host's own files, as `cp` would copy them. */
    assert_int_equal(install(&info, "fe/feeds", "host", &err), HD_EDATA);
    assert_non_null(strstr(err.msg, "pending"));
    assert_int_not_equal(lstat(path_of("fe/feeds"), &st), 0);
    assert_int_equal(install(&info, "fe/feeds", "nothing", &err), HD_EDATA);
}

static void a_store_loaded_in_place_is_not_replaced(void **state)
{
    hd_fs_install_info info;
    hd_feedstore *fs;
    hd_error err;
    (void)state;

    three_snapshots();
    fs = open_store("fe/feeds");
    load(fs, "d1", "100", NULL);
    hd_feedstore_free(fs);
    assert_int_equal(install(&info, "fe/feeds", "s3", &err), HD_EEXISTS);
    assert_non_null(strstr(err.msg, "move it away"));
}

static void
an_empty_store_opened_before_the_first_install_is_replaced(void **state)
{
    hd_fs_install_info info;
    hd_feedstore *fs;
    hd_error err;
    (void)state;

    three_snapshots();
    /* A front-end started before any snapshot was installed. */
    fs = open_store("fe/feeds");
    hd_feedstore_free(fs);
    assert_int_equal(install(&info, "fe/feeds", "s1", &err), 0);
    assert_int_equal(info.previous_seq, 0);
    assert_string_equal(link_of("fe/feeds"), "feeds.gen/seq-1");
    assert_string_equal(names_in("fe/feeds.gen"), ".lock seq-1");
}

static void an_installed_copy_refuses_loads(void **state)
{
    hd_fs_install_info info;
    hd_fs_delivery d;
    hd_fs_load *ld = NULL;
    hd_feedstore *fe;
    hd_error err;
    (void)state;

    three_snapshots();
    assert_int_equal(install(&info, "fe/feeds", "s1", &err), 0);
    fe = open_store("fe/feeds");
    memset(&d, 0, sizeof(d));
    snprintf(d.delivery_id, sizeof(d.delivery_id), "d2");
    snprintf(d.department, sizeof(d.department), "tax");
    hd_error_clear(&err);
    assert_int_equal(hd_fs_load_begin(&ld, fe, &d, 0, dir, &err), HD_EINVAL);
    assert_null(ld);
    assert_non_null(strstr(err.msg, "ingest host"));
    hd_feedstore_free(fe);
    /* A snapshot of it is the node's store as of seq 1, not a front-end's
     * (restoring an ingest host from it, for instance). */
    snapshot("fe/feeds", "again", 1);
    fe = open_store("again");
    assert_int_equal(load(fe, "d2", "200", NULL), 2);
    hd_feedstore_free(fe);
}

/*
 * A front-end process has the store open at seq 1 when seq 2 and then
 * seq 3 are installed (the second install removes its generation). It
 * goes on reading seq 1, whole; a process started afterwards reads
 * seq 3.
 */
static void a_running_reader_keeps_its_generation(void **state)
{
    hd_fs_install_info info;
    hd_feedstore *fe;
    hd_error err;
    int to_child[2], to_parent[2], status;
    char byte = 0;
    pid_t child;
    (void)state;

    three_snapshots();
    assert_int_equal(install(&info, "fe/feeds", "s1", &err), 0);
    assert_int_equal(pipe(to_child), 0);
    assert_int_equal(pipe(to_parent), 0);
    child = fork();
    assert_true(child >= 0);
    if (child == 0) {
        hd_feedstore *cfs = NULL;
        uint32_t seq = 0;
        const char *got;
        int ok;
        if (hd_feedstore_open(&cfs, path_of("fe/feeds"), NULL))
            _exit(10);
        if (write(to_parent[1], "o", 1) != 1 ||
            read(to_child[0], &byte, 1) != 1)
            _exit(11);
        ok = hd_feedstore_latest(&seq, cfs, NULL) == 0 && seq == 1;
        got = ok ? income_of_a(cfs) : "";
        ok = ok && !strcmp(got, "d1 100.00");
        hd_feedstore_free(cfs);
        _exit(ok ? 0 : 12);
    }
    assert_int_equal(read(to_parent[0], &byte, 1), 1);
    assert_int_equal(install(&info, "fe/feeds", "s2", &err), 0);
    assert_int_equal(install(&info, "fe/feeds", "s3", &err), 0);
    assert_string_equal(names_in("fe/feeds.gen"), ".lock seq-2 seq-3");
    assert_int_equal(write(to_child[1], "r", 1), 1);
    assert_int_equal(waitpid(child, &status, 0), child);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);
    fe = open_store("fe/feeds");
    assert_int_equal(latest(fe), 3);
    hd_feedstore_free(fe);
    close(to_child[0]);
    close(to_child[1]);
    close(to_parent[0]);
    close(to_parent[1]);
}

/* Whichever allocation fails, the front-end has seq 1 or seq 2
 * installed whole, and the next install succeeds. */
static void allocation_failures_leave_one_generation_or_the_other(void **state)
{
    int failures = 0;
    (void)state;

    three_snapshots();
    for (long n = 1;; n++) {
        char sub[32];
        hd_fs_install_info info;
        hd_feedstore *fe;
        hd_error err;
        uint32_t seq;
        long made;
        int rc;

        snprintf(sub, sizeof(sub), "fe%ld/feeds", n);
        assert_int_equal(install(&info, sub, "s1", &err), 0);
        hd_alloc_fail_after(n, false);
        rc = install(&info, sub, "s2", &err);
        made = hd_alloc_count();
        hd_alloc_fail_after(0, false);
        if (rc == 0 && made < n)
            break;
        assert_true(rc == 0 || rc == HD_ENOMEM);
        if (rc)
            failures++;
        fe = open_store(sub);
        seq = latest(fe);
        assert_true(seq == (rc ? 1u : 2u));
        hd_feedstore_free(fe);
        assert_int_equal(install(&info, sub, "s3", &err), 0);
        assert_int_equal(info.seq, 3);
        assert_true(n < 10000);
    }
    assert_true(failures > 3);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(
            a_snapshot_holds_every_delivery_and_no_pending_blob, setup,
            teardown),
        cmocka_unit_test_setup_teardown(
            a_snapshot_replaces_the_previous_one_whole, setup, teardown),
        cmocka_unit_test_setup_teardown(
            a_snapshot_into_the_store_itself_is_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(
            an_install_makes_a_generation_behind_a_link, setup, teardown),
        cmocka_unit_test_setup_teardown(the_same_snapshot_again_changes_nothing,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(an_older_snapshot_is_refused, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(another_delivery_at_a_seq_is_refused,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(
            a_copy_with_pending_blobs_is_not_a_snapshot, setup, teardown),
        cmocka_unit_test_setup_teardown(a_store_loaded_in_place_is_not_replaced,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(
            an_empty_store_opened_before_the_first_install_is_replaced, setup,
            teardown),
        cmocka_unit_test_setup_teardown(an_installed_copy_refuses_loads, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(a_running_reader_keeps_its_generation,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(
            allocation_failures_leave_one_generation_or_the_other, setup,
            teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
