/*
 * The synthetic population generator (tools/gen): what it writes must
 * load (the feed module's reader accepts every valid row, manifests match
 * their files), be the same for the same seed, plant every scenario, and
 * its truth must be what rules.md says -- checked here on small families
 * worked out by hand.
 */
#include "testutil.h"

#include "gen/gen.h"

#include <hedui/feed.h>
#include <hedui/std.h>

#include <fcntl.h>
#include <jansson.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

extern char **environ;

/* ------------------------------------------------------------ helpers */

static int32_t d(const char *iso)
{
    int32_t out = 0;
    if (hd_date_parse(&out, iso, strlen(iso), NULL))
        fail_msg("bad date %s", iso);
    return out;
}

static int32_t per(int y, int m)
{
    return y * 12 + m - 1;
}

static int dirty_interval; /* 0: the default */

static void generate(const char *dir, int64_t families, uint64_t seed,
                     bool dirty, hd_gen_stats *stats)
{
    hd_gen_options opts;
    hd_gen_stats local;
    hd_error err;

    hd_gen_options_init(&opts);
    hd_error_clear(&err);
    opts.families = families;
    opts.seed = seed;
    opts.out = dir;
    opts.dirty = dirty;
    if (dirty_interval)
        opts.dirty_interval = dirty_interval;
    if (hd_gen_run(stats ? stats : &local, &opts, &err) != 0)
        fail_msg("hd_gen_run: %s", err.msg);
}

static char *read_rel(const char *dir, const char *rel, size_t *len)
{
    char path[2048];
    char *data;
    snprintf(path, sizeof(path), "%s/%s", dir, rel);
    data = tu_read_file(path, len);
    if (!data)
        fail_msg("cannot read %s", path);
    return data;
}

/* Every file a run writes (without dirty.json), relative to its folder. */
static int list_files(char out[][128], int max)
{
    static const char *const top[] = {"applications.jsonl",
                                      "authorizations.jsonl", "truth.jsonl",
                                      "policy.json"};
    int n = 0;

    for (size_t i = 0; i < sizeof(top) / sizeof(top[0]); i++)
        snprintf(out[n++], 128, "%s", top[i]);
    for (int i = 0; i < hd_feed_count && n + 2 <= max; i++) {
        snprintf(out[n++], 128, "deliveries/%s/%s.csv", hd_feeds[i].department,
                 hd_feeds[i].name);
        snprintf(out[n++], 128, "deliveries/%s/manifest.json",
                 hd_feeds[i].department);
    }
    return n;
}

/* Call fn on each line (without its end) of a JSONL file. */
static void each_json_line(const char *dir, const char *rel,
                           void (*fn)(json_t *, void *), void *payload)
{
    size_t len;
    char *data = read_rel(dir, rel, &len);
    char *p = data;

    while (*p) {
        char *end = strchr(p, '\n');
        json_error_t je;
        json_t *j;
        assert_non_null(end);
        *end = '\0';
        j = json_loads(p, 0, &je);
        if (!j)
            fail_msg("%s: %s", rel, je.text);
        fn(j, payload);
        json_decref(j);
        p = end + 1;
    }
    free(data);
}

/* ------------------------------------------------------- determinism */

static void same_seed_same_bytes(void **state)
{
    char a[1024], b[1024], c[1024];
    char files[64][128];
    int n = list_files(files, 64);
    size_t la, lb, lc;
    char *ta, *tc;

    (void)state;
    snprintf(a, sizeof(a), "%s", tu_tempdir());
    snprintf(b, sizeof(b), "%s", tu_tempdir());
    snprintf(c, sizeof(c), "%s", tu_tempdir());
    generate(a, 300, 42, false, NULL);
    generate(b, 300, 42, false, NULL);
    generate(c, 300, 43, false, NULL);
    for (int i = 0; i < n; i++) {
        char *x = read_rel(a, files[i], &la);
        char *y = read_rel(b, files[i], &lb);
        if (la != lb || memcmp(x, y, la) != 0)
            fail_msg("%s differs between two runs of one seed", files[i]);
        free(x);
        free(y);
    }
    /* another seed, another population */
    ta = read_rel(a, "truth.jsonl", &la);
    tc = read_rel(c, "truth.jsonl", &lc);
    assert_false(la == lc && memcmp(ta, tc, la) == 0);
    free(ta);
    free(tc);
    tu_rmtree(a);
    tu_rmtree(b);
    tu_rmtree(c);
}

static void refuses_a_folder_in_use(void **state)
{
    const char *dir = tu_tempdir();
    hd_gen_options opts;
    hd_gen_stats stats;
    hd_error err;

    (void)state;
    tu_write_file(dir, "something", "x");
    hd_gen_options_init(&opts);
    opts.families = 3;
    opts.out = dir;
    assert_int_equal(hd_gen_run(&stats, &opts, &err), HD_EEXISTS);
    opts.families = 0;
    assert_int_equal(hd_gen_run(&stats, &opts, &err), HD_EINVAL);
    tu_rmtree(dir);
}

/* -------------------------------------- deliveries load and match */

typedef struct pid_set {
    char (*pids)[19];
    size_t count;
    size_t cap;
} pid_set;

static void pid_set_add(pid_set *s, const char *pid)
{
    if (s->count == s->cap) {
        s->cap = s->cap ? s->cap * 2 : 1024;
        s->pids = realloc(s->pids, s->cap * sizeof(*s->pids));
        assert_non_null(s->pids);
    }
    memcpy(s->pids[s->count++], pid, 19);
}

static int cmp_pid(const void *a, const void *b)
{
    return memcmp(a, b, 18);
}

/* Read every file of every delivery with the feed module's reader. */
static void check_deliveries(const char *dir, pid_set *hukou_pids,
                             int64_t *bad_rows)
{
    *bad_rows = 0;
    for (int i = 0; i < hd_feed_count; i++) {
        const hd_feed *feed = &hd_feeds[i];
        char ddir[1800], path[2100], sha[HD_SHA256_HEX_LEN + 1];
        char header[1024];
        hd_manifest m;
        hd_reject reason = HD_REJECT_NONE;
        hd_error err;
        hd_feed_reader *r = NULL;
        const hd_manifest_file *mf = NULL;
        hd_row row;
        hd_bad_row bad;
        int rc;
        size_t hl = 0, len;
        char *text;

        snprintf(ddir, sizeof(ddir), "%s/deliveries/%s", dir, feed->department);
        if (hd_manifest_read(&m, ddir, &reason, &err) != 0)
            fail_msg("%s: manifest: %s", feed->department, err.msg);
        assert_string_equal(m.department, feed->department);
        assert_true(m.snapshot);
        assert_int_equal(m.as_of, d("2026-11-01"));
        for (int k = 0; k < m.file_count; k++)
            if (m.files[k].feed == feed)
                mf = &m.files[k];
        if (!mf)
            fail_msg("%s: manifest lacks %s", feed->department, feed->name);

        /* The header is the table's columns, in the table's order. */
        for (int c = 0; c < feed->column_count; c++)
            hl += (size_t)snprintf(header + hl, sizeof(header) - hl, "%s%s",
                                   c ? "," : "", feed->columns[c].name);
        snprintf(path, sizeof(path), "%s/%s", ddir, mf->file);
        text = tu_read_file(path, &len);
        assert_non_null(text);
        assert_true(len > hl && text[hl] == '\n');
        assert_memory_equal(text, header, hl);
        free(text);

        if (hd_feed_reader_open(&r, feed, path, &reason, &err) != 0)
            fail_msg("%s: %s", path, err.msg);
        while ((rc = hd_feed_reader_next(r, &row, &bad, &err)) > 0) {
            if (rc == 2) {
                (*bad_rows)++;
                continue;
            }
            if (!strcmp(feed->name, "hukou"))
                pid_set_add(hukou_pids, row.values[0].text);
        }
        assert_int_equal(rc, 0);
        assert_int_equal(hd_feed_reader_rows(r), mf->rows);
        hd_feed_reader_sha256(r, sha);
        assert_string_equal(sha, mf->sha256);
        hd_feed_reader_free(r);
        assert_int_equal(hd_sha256_file(sha, path, NULL), 0);
        assert_string_equal(sha, mf->sha256);
    }
}

typedef struct app_check {
    pid_set *members;
    pid_set *hukou;
    int refused_members;
} app_check;

static void check_application(json_t *j, void *payload)
{
    app_check *ac = payload;
    json_t *members = json_object_get(j, "members");
    size_t i;
    json_t *m;

    assert_true(json_is_array(members));
    assert_string_equal(json_string_value(json_object_get(j, "applied_on")),
                        "2026-11-20");
    assert_non_null(
        hd_region_find(json_string_value(json_object_get(j, "region")), 6));
    json_array_foreach(members, i, m)
    {
        const char *pid = json_string_value(json_object_get(m, "pid"));
        const char *rel = json_string_value(json_object_get(m, "relation"));
        char norm[19];
        assert_non_null(pid);
        assert_true(i > 0 || !strcmp(rel, "02"));
        if (hd_pid_normalize(norm, pid, strlen(pid), NULL) != HD_PID_OK) {
            ac->refused_members++; /* a refused application's typo */
            continue;
        }
        pid_set_add(ac->members, norm);
    }
}

static void deliveries_load_and_ids_are_unique(void **state)
{
    const char *dir = tu_tempdir();
    pid_set hukou = {0}, members = {0};
    app_check ac = {&members, &hukou, 0};
    int64_t bad;
    hd_gen_stats stats;

    (void)state;
    generate(dir, 300, 7, false, &stats);
    assert_int_equal(stats.families, 300);
    check_deliveries(dir, &hukou, &bad);
    assert_int_equal(bad, 0); /* not dirty: every row is valid */

    /* Every hukou pid is unique (the feed key) and valid (the reader
     * checked GB 11643, sex and birth against it). */
    qsort(hukou.pids, hukou.count, sizeof(*hukou.pids), cmp_pid);
    for (size_t i = 1; i < hukou.count; i++)
        assert_true(memcmp(hukou.pids[i - 1], hukou.pids[i], 18) != 0);

    /* No person is a member of two applications. */
    each_json_line(dir, "applications.jsonl", check_application, &ac);
    qsort(members.pids, members.count, sizeof(*members.pids), cmp_pid);
    for (size_t i = 1; i < members.count; i++)
        assert_true(memcmp(members.pids[i - 1], members.pids[i], 18) != 0);
    free(hukou.pids);
    free(members.pids);
    tu_rmtree(dir);
}

/* -------------------------------------------------- truth and scenarios */

typedef struct truth_check {
    int scenarios[HD_GEN_SC_COUNT_];
    int lines;
} truth_check;

static bool has_code(json_t *arr, const char *code)
{
    size_t i;
    json_t *v;
    json_array_foreach(arr, i,
                       v) if (!strcmp(json_string_value(v), code)) return true;
    return false;
}

static size_t count(json_t *arr)
{
    return json_array_size(arr);
}

static void assert_sorted_codes(json_t *arr)
{
    assert_true(json_is_array(arr));
    for (size_t i = 1; i < json_array_size(arr); i++)
        assert_true(strcmp(json_string_value(json_array_get(arr, i - 1)),
                           json_string_value(json_array_get(arr, i))) < 0);
}

/* The member names of rules.md, "Result record", for each form. */
static void assert_members(json_t *j, const char *const *names)
{
    size_t n = 0;
    const char *key;
    json_t *v;

    for (; names[n]; n++)
        if (!json_object_get(j, names[n]))
            fail_msg("truth lacks %s", names[n]);
    json_object_foreach(j, key, v)
    {
        bool known = false;
        (void)v;
        for (size_t i = 0; i < n; i++)
            known |= !strcmp(names[i], key);
        if (!known)
            fail_msg("truth has an unexpected member %s", key);
    }
}

static void check_truth(json_t *j, void *payload)
{
    truth_check *tc = payload;
    const char *conclusion =
        json_string_value(json_object_get(j, "conclusion"));
    const char *sc = json_string_value(json_object_get(j, "scenario"));
    json_t *failed = json_object_get(j, "failed");
    json_t *findings = json_object_get(j, "findings");
    json_t *figures = json_object_get(j, "figures");
    int which = -1;

    tc->lines++;
    for (int s = 0; s < HD_GEN_SC_COUNT_; s++)
        if (!strcmp(sc, hd_gen_scenario_name((hd_gen_scenario)s)))
            which = s;
    assert_true(which >= 0);
    tc->scenarios[which]++;
    assert_sorted_codes(findings);

    if (!strcmp(conclusion, "refused")) {
        static const char *const names[] = {
            "application_no", "program",  "conclusion", "findings",
            "error",          "scenario", NULL};
        assert_members(j, names);
        assert_int_equal(count(findings), 1);
        assert_true(has_code(findings, "APPLICATION_INVALID"));
        assert_non_null(json_string_value(
            json_object_get(json_object_get(j, "error"), "field")));
        assert_non_null(json_string_value(
            json_object_get(json_object_get(j, "error"), "reason")));
    } else if (!strcmp(conclusion, "unauthorized")) {
        static const char *const names[] = {
            "application_no", "program",  "conclusion", "findings",
            "pids",           "scenario", NULL};
        assert_members(j, names);
        assert_int_equal(count(findings), 1);
        assert_true(has_code(findings, "NO_AUTHORIZATION"));
        assert_true(count(json_object_get(j, "pids")) >= 1);
    } else if (!figures) {
        static const char *const names[] = {
            "application_no", "program",  "conclusion", "failed",
            "findings",       "scenario", NULL};
        assert_members(j, names);
        assert_string_equal(conclusion, "review");
        assert_int_equal(count(failed), 0);
        assert_true(has_code(findings, "MEMBER_DECEASED"));
    } else {
        static const char *const names[] = {
            "application_no", "program",  "conclusion", "level", "figures",
            "failed",         "findings", "scenario",   NULL};
        static const char *const figure_names[] = {
            "members",   "income",           "expenditure", "pci",
            "pci_after", "financial_assets", "pca",         "homes",
            "area_pc",   "vehicles",         NULL};
        const char *key;
        json_t *v;
        assert_members(j, names);
        assert_members(figures, figure_names);
        json_object_foreach(figures, key, v) assert_true(json_is_integer(v));
        assert_sorted_codes(failed);
        assert_true(json_integer_value(json_object_get(figures, "members")) >=
                    1);
        if (!strcmp(conclusion, "meets"))
            assert_int_equal(count(failed), 0);
        if (!strcmp(conclusion, "fails"))
            assert_true(count(failed) >= 1);
    }

    /* What each scenario plants, as docs/generator.md describes it. */
    switch (which) {
    case HD_GEN_SC_CLEAN:
    case HD_GEN_SC_EXCLUDED_CATEGORY:
    case HD_GEN_SC_BORDERLINE_BELOW:
        assert_string_equal(conclusion, "meets");
        assert_int_equal(count(findings), 0);
        break;
    case HD_GEN_SC_HIDDEN_WAGE:
    case HD_GEN_SC_ESTIMATED_WAGE:
    case HD_GEN_SC_BORDERLINE_ABOVE:
        assert_string_equal(conclusion, "fails");
        assert_true(has_code(failed, "INCOME"));
        break;
    case HD_GEN_SC_UNDECLARED_CAR:
        assert_true(has_code(failed, "VEHICLE"));
        break;
    case HD_GEN_SC_SECOND_HOME:
        assert_true(has_code(failed, "HOMES"));
        break;
    case HD_GEN_SC_HOME_AREA:
        assert_true(has_code(failed, "HOME_AREA"));
        break;
    case HD_GEN_SC_DEPOSITS:
        assert_true(has_code(failed, "FINANCIAL_ASSETS"));
        break;
    case HD_GEN_SC_SHAREHOLDER:
        assert_true(has_code(failed, "ENTERPRISE"));
        break;
    case HD_GEN_SC_NONRESIDENTIAL:
        assert_true(has_code(failed, "NONRESIDENTIAL"));
        break;
    case HD_GEN_SC_DECEASED_MEMBER:
        assert_string_equal(conclusion, "review");
        assert_true(has_code(findings, "MEMBER_DECEASED"));
        assert_non_null(figures);
        break;
    case HD_GEN_SC_UNDECLARED_SPOUSE:
        assert_string_equal(conclusion, "review");
        assert_true(has_code(findings, "UNDECLARED_SPOUSE"));
        break;
    case HD_GEN_SC_MEDICAL_HARDSHIP:
        assert_string_equal(conclusion, "meets");
        assert_string_equal(json_string_value(json_object_get(j, "level")),
                            "expenditure_hardship");
        break;
    case HD_GEN_SC_TEKUN:
        assert_string_equal(conclusion, "meets");
        assert_string_equal(json_string_value(json_object_get(j, "program")),
                            "tekun");
        assert_true(has_code(findings, "SUPPORTER_CHECK"));
        break;
    case HD_GEN_SC_NOT_IN_HUKOU:
        assert_string_equal(conclusion, "review");
        assert_true(has_code(findings, "MEMBER_NOT_IN_HUKOU"));
        break;
    case HD_GEN_SC_RELATION_MISMATCH:
        assert_string_equal(conclusion, "meets");
        assert_true(has_code(findings, "RELATION_MISMATCH"));
        break;
    case HD_GEN_SC_UNAUTHORIZED:
        assert_string_equal(conclusion, "unauthorized");
        break;
    case HD_GEN_SC_REFUSED:
        assert_string_equal(conclusion, "refused");
        break;
    case HD_GEN_SC_ALL_DECEASED:
        assert_string_equal(conclusion, "review");
        assert_null(figures);
        break;
    default:
        break;
    }
}

static void every_scenario_is_planted(void **state)
{
    const char *dir = tu_tempdir();
    truth_check tc;
    hd_gen_stats stats;

    (void)state;
    memset(&tc, 0, sizeof(tc));
    generate(dir, 1000, 1, false, &stats);
    each_json_line(dir, "truth.jsonl", check_truth, &tc);
    assert_int_equal(tc.lines, 1000);
    for (int s = 0; s < HD_GEN_SC_COUNT_; s++) {
        if (tc.scenarios[s] < 3)
            fail_msg("scenario %s planted %d times in 1,000 families",
                     hd_gen_scenario_name((hd_gen_scenario)s), tc.scenarios[s]);
        assert_int_equal(tc.scenarios[s], stats.scenarios[s]);
    }
    tu_rmtree(dir);
}

/* ------------------------------------------------------------- dirty */

typedef struct dirty_line {
    int64_t line;
    char reason[32];
} dirty_line;

static int cmp_line(const void *a, const void *b)
{
    const dirty_line *x = a, *y = b;
    return (x->line > y->line) - (x->line < y->line);
}

/* The CSV text without the given physical lines (1-based). */
static char *drop_lines(const char *text, size_t len, const dirty_line *lines,
                        size_t count, size_t *out_len)
{
    char *out = malloc(len + 1);
    size_t o = 0, k = 0;
    int64_t line = 1;
    size_t start = 0;

    for (size_t i = 0; i < len; i++) {
        if (text[i] != '\n')
            continue;
        if (!(k < count && lines[k].line == line)) {
            memcpy(out + o, text + start, i + 1 - start);
            o += i + 1 - start;
        } else {
            k++;
        }
        line++;
        start = i + 1;
    }
    *out_len = o;
    return out;
}

static void check_dirty(int64_t families, int interval)
{
    char clean[1024], dirty[1024];
    json_t *dj;
    json_error_t je;
    char path[2048];
    int reasons_seen[HD_REJECT_COUNT_] = {0};
    size_t di;
    json_t *delivery;
    char files[64][128];
    int n;
    bool multiline = false;

    snprintf(clean, sizeof(clean), "%s", tu_tempdir());
    snprintf(dirty, sizeof(dirty), "%s", tu_tempdir());
    dirty_interval = interval;
    generate(clean, families, 5, false, NULL);
    generate(dirty, families, 5, true, NULL);
    dirty_interval = 0;

    /* Applications, authorizations, truth and policy do not change. */
    n = list_files(files, 64);
    for (int i = 0; i < 4 && i < n; i++) {
        size_t la, lb;
        char *x = read_rel(clean, files[i], &la);
        char *y = read_rel(dirty, files[i], &lb);
        assert_true(la == lb && memcmp(x, y, la) == 0);
        free(x);
        free(y);
    }

    snprintf(path, sizeof(path), "%s/dirty.json", dirty);
    dj = json_load_file(path, 0, &je);
    if (!dj)
        fail_msg("dirty.json: %s", je.text);
    json_array_foreach(json_object_get(dj, "deliveries"), di, delivery)
    {
        size_t fi;
        json_t *file;
        const char *dep =
            json_string_value(json_object_get(delivery, "department"));
        int64_t rows = json_integer_value(json_object_get(delivery, "rows"));
        int64_t bad = json_integer_value(json_object_get(delivery, "bad_rows"));

        /* well below the 1% that would reject the delivery */
        if (interval == 0)
            assert_true(bad * 200 < rows);
        json_array_foreach(json_object_get(delivery, "files"), fi, file)
        {
            const char *name = json_string_value(json_object_get(file, "file"));
            const hd_feed *feed =
                hd_feed_find(json_string_value(json_object_get(file, "feed")));
            json_t *lines = json_object_get(file, "lines");
            size_t count = json_array_size(lines), got = 0;
            dirty_line *want = calloc(count + 1, sizeof(*want));
            dirty_line *seen = calloc(count + 1, sizeof(*seen));
            hd_feed_reader *r = NULL;
            hd_reject reason;
            hd_error err;
            hd_row row;
            hd_bad_row br;
            int rc;
            char csv[2048], cpath[2048];
            size_t la, lb, lc;
            char *dtext, *ctext, *stripped;

            assert_non_null(feed);
            for (size_t k = 0; k < count; k++) {
                json_t *l = json_array_get(lines, k);
                want[k].line = json_integer_value(json_object_get(l, "line"));
                snprintf(want[k].reason, sizeof(want[k].reason), "%s",
                         json_string_value(json_object_get(l, "reason")));
            }
            assert_int_equal(
                json_integer_value(json_object_get(file, "bad_rows")),
                (json_int_t)count);

            /* The reader finds exactly those bad rows, for those
             * reasons. */
            snprintf(csv, sizeof(csv), "%s/deliveries/%s/%s", dirty, dep, name);
            if (hd_feed_reader_open(&r, feed, csv, &reason, &err) != 0)
                fail_msg("%s: %s", csv, err.msg);
            while ((rc = hd_feed_reader_next(r, &row, &br, &err)) > 0) {
                if (rc != 2)
                    continue;
                if (got == count)
                    fail_msg("%s:%lld: an unlisted bad row (%s)", name,
                             (long long)br.line, br.detail);
                seen[got].line = br.line;
                snprintf(seen[got].reason, sizeof(seen[got].reason), "%s",
                         hd_reject_name(br.reason));
                reasons_seen[br.reason]++;
                got++;
            }
            assert_int_equal(rc, 0);
            assert_int_equal(hd_feed_reader_rows(r),
                             json_integer_value(json_object_get(file, "rows")));
            hd_feed_reader_free(r);
            assert_int_equal(got, count);
            for (size_t k = 0; k < count; k++) {
                if (want[k].line != seen[k].line ||
                    strcmp(want[k].reason, seen[k].reason))
                    fail_msg("%s: listed line %lld %s, read line %lld %s", name,
                             (long long)want[k].line, want[k].reason,
                             (long long)seen[k].line, seen[k].reason);
            }

            /* Without its bad lines, the file is the clean run's. */
            qsort(want, count, sizeof(*want), cmp_line);
            snprintf(cpath, sizeof(cpath), "%s/deliveries/%s/%s", clean, dep,
                     name);
            dtext = tu_read_file(csv, &la);
            ctext = tu_read_file(cpath, &lb);
            {
                /* a record spanning two lines: quoted line breaks */
                int64_t breaks = 0;
                for (size_t k = 0; k < la; k++)
                    breaks += dtext[k] == '\n';
                if (breaks - 1 >
                    json_integer_value(json_object_get(file, "rows")))
                    multiline = true;
            }
            stripped = drop_lines(dtext, la, want, count, &lc);
            assert_true(lc == lb && memcmp(stripped, ctext, lb) == 0);
            free(dtext);
            free(ctext);
            free(stripped);
            free(want);
            free(seen);
        }
    }
    json_decref(dj);

    if (interval)
        assert_true(multiline);

    /* Every row-level reason of hd_reject appears. */
    for (int r = HD_REJECT_FIELD_COUNT; r <= HD_REJECT_CSV_SYNTAX; r++)
        if (!reasons_seen[r])
            fail_msg("no bad row for %s", hd_reject_name((hd_reject)r));
    tu_rmtree(clean);
    tu_rmtree(dirty);
}

static void dirty_rows_are_extra_and_counted(void **state)
{
    (void)state;
    check_dirty(2000, 0);
}

/* Many more bad rows than a delivery would accept, so that the small
 * files get theirs too: their lines must still be the ones listed, across
 * records that span two lines. */
static void dirty_lines_are_exact_in_every_file(void **state)
{
    (void)state;
    check_dirty(1500, 7);
}

/* ------------------------------------------------- truth, by hand */

/*
 * A small policy like the one of rules.md: a city standard with a newer
 * one and one dated after applied_on, a county area limit, a province
 * work incentive.
 */
static hd_gen_policy_entry entries[8];

static void make_policy(hd_gen_policy *p)
{
    memset(entries, 0, sizeof(entries));
    hd_gen_params_national(&p->national);
    snprintf(entries[0].region, 7, "330100");
    entries[0].effective_from = d("2025-07-01");
    entries[0].set = HD_GEN_P_DIBAO_STANDARD;
    entries[0].params.has_dibao_standard = true;
    entries[0].params.dibao_standard_fen = 141000;
    snprintf(entries[1].region, 7, "330100");
    entries[1].effective_from = d("2026-12-01"); /* after applied_on */
    entries[1].set = HD_GEN_P_DIBAO_STANDARD;
    entries[1].params.has_dibao_standard = true;
    entries[1].params.dibao_standard_fen = 200000;
    snprintf(entries[2].region, 7, "330106");
    entries[2].effective_from = d("2025-01-01");
    entries[2].set = HD_GEN_P_MAX_AREA_PER_CAPITA;
    entries[2].params.has_max_area_per_capita = true;
    entries[2].params.max_area_per_capita_m2x100 = 4000;
    snprintf(entries[3].region, 7, "330000");
    entries[3].effective_from = d("2025-01-01");
    entries[3].set = HD_GEN_P_EARNED_INCOME_DISREGARD;
    entries[3].params.earned_income_disregard_fen = 30000;
    snprintf(entries[4].region, 7, "110000");
    entries[4].effective_from = d("2025-01-01");
    entries[4].set = HD_GEN_P_DIBAO_STANDARD;
    entries[4].params.has_dibao_standard = true;
    entries[4].params.dibao_standard_fen = 100001;
    snprintf(entries[5].region, 7, "510000");
    entries[5].effective_from = d("2025-01-01");
    entries[5].set = HD_GEN_P_DIBAO_STANDARD | HD_GEN_P_EXCLUDED_CATEGORIES;
    entries[5].params.has_dibao_standard = true;
    entries[5].params.dibao_standard_fen = 100000;
    entries[5].params.excluded_categories = 1u << HD_GEN_TAX_INCIDENTAL;
    p->entries = entries;
    p->entry_count = 6;
}

static const char A[] = "330106198005010017";
static const char B[] = "330106198203030020";
static const char C[] = "330106201001010036";

static void fix_check(char *pid)
{
    pid[17] = hd_pid_check_char(pid);
}

typedef struct family {
    char a[19], b[19], c[19];
    hd_gen_member members[3];
    hd_gen_application app;
    hd_gen_authorization auths[3];
    hd_gen_hukou hukou[3];
    hd_gen_tax tax[40];
    hd_gen_si si[40];
    hd_gen_fund fund[2];
    hd_gen_medical medical[2];
    hd_gen_deposit deposit[1];
    hd_gen_securities securities[1];
    hd_gen_insurance insurance[1];
    hd_gen_estate estate[2];
    hd_gen_vehicle vehicle[1];
    hd_gen_dossier dossier;
} family;

/*
 * Family A of the hand-worked example (docs/generator.md keeps the
 * arithmetic): three members in 330106, applied 2026-11-20, window
 * 2025-11 .. 2026-10, disregard 300 yuan (province), standard 1410 yuan
 * (the city's; its entry of 2026-12-01 is ignored).
 */
static void family_a(family *f)
{
    size_t nt = 0, ns = 0;

    memset(f, 0, sizeof(*f));
    memcpy(f->a, A, 19);
    memcpy(f->b, B, 19);
    memcpy(f->c, C, 19);
    fix_check(f->a);
    fix_check(f->b);
    fix_check(f->c);
    f->members[0] = (hd_gen_member){f->a, "甲", 2};
    f->members[1] = (hd_gen_member){f->b, "乙", 10};
    f->members[2] = (hd_gen_member){f->c, "丙", 20};
    f->app = (hd_gen_application){"330106-2026-000123", "dibao",    "330106",
                                  d("2026-11-20"),      f->members, 3};
    for (int i = 0; i < 3; i++) {
        f->auths[i].pid = i == 0 ? f->a : i == 1 ? f->b : f->c;
        f->auths[i].purposes = 1u << HD_GEN_PROG_DIBAO;
        f->auths[i].scope_all = true;
        f->auths[i].valid_from = d("2026-11-01");
        f->auths[i].valid_until = d("2027-10-31");
        f->hukou[i] = (hd_gen_hukou){f->auths[i].pid,
                                     "x",
                                     1,
                                     0,
                                     "H1",
                                     i == 0 ? 2 : i == 1 ? 10 : 20,
                                     "330106",
                                     1,
                                     HD_GEN_NO_DATE};
    }
    /* A: a wage of 3000 yuan and a contribution of 240 every month of the
     * window; rows just outside it that must not count. */
    for (int m = per(2025, 11); m <= per(2026, 10); m++) {
        f->tax[nt++] = (hd_gen_tax){f->a, m, HD_GEN_TAX_WAGE, NULL, 300000, 0};
        f->si[ns++] =
            (hd_gen_si){f->a, m, HD_GEN_SI_CONTRIB, 300000, 24000, NULL};
    }
    f->tax[nt++] =
        (hd_gen_tax){f->a, per(2025, 10), HD_GEN_TAX_WAGE, NULL, 999999, 0};
    f->tax[nt++] =
        (hd_gen_tax){f->a, per(2026, 11), HD_GEN_TAX_WAGE, NULL, 500000, 0};
    f->tax[nt++] =
        (hd_gen_tax){f->a, per(2026, 6), HD_GEN_TAX_INTEREST, NULL, 1000, 0};
    /* B: no wage rows; contributions on a base of 2500 yuan from 2026-05,
     * and a provident fund base of 2800 in 2026-10: estimated wages. */
    for (int m = per(2026, 5); m <= per(2026, 10); m++)
        f->si[ns++] =
            (hd_gen_si){f->b, m, HD_GEN_SI_CONTRIB, 250000, 20000, NULL};
    f->fund[0] = (hd_gen_fund){f->b, per(2026, 10), 280000, 39200, 500000};
    f->medical[0] =
        (hd_gen_medical){f->b, per(2026, 3), 120000, 70000, 50000, 0};
    f->medical[1] = (hd_gen_medical){f->a, per(2025, 10), 99999, 0, 99999, 0};
    f->deposit[0] = (hd_gen_deposit){
        f->a, 0, "102-0001", "6222****0001", HD_GEN_DEP_DEMAND, 1000000};
    f->securities[0] = (hd_gen_securities){f->b, "S01", 200000};
    f->insurance[0] =
        (hd_gen_insurance){f->c, 0, "P1", HD_GEN_INS_HEALTH, 0, 50000};
    /* one home, half each, 90 m² */
    f->estate[0] =
        (hd_gen_estate){f->a, "C1", "330106",        HD_GEN_USE_RESIDENTIAL,
                        9000, 50,   d("2010-01-01"), 1};
    f->estate[1] = f->estate[0];
    f->estate[1].pid = f->b;
    f->vehicle[0] = (hd_gen_vehicle){
        f->a, "浙A00001", HD_GEN_VEH_CAR, d("2020-01-01"), 3000000, 1};

    f->dossier = (hd_gen_dossier){0};
    f->dossier.hukou = f->hukou;
    f->dossier.hukou_count = 3;
    f->dossier.tax = f->tax;
    f->dossier.tax_count = nt;
    f->dossier.si = f->si;
    f->dossier.si_count = ns;
    f->dossier.fund = f->fund;
    f->dossier.fund_count = 1;
    f->dossier.medical = f->medical;
    f->dossier.medical_count = 2;
    f->dossier.deposit = f->deposit;
    f->dossier.deposit_count = 1;
    f->dossier.securities = f->securities;
    f->dossier.securities_count = 1;
    f->dossier.insurance = f->insurance;
    f->dossier.insurance_count = 1;
    f->dossier.estate = f->estate;
    f->dossier.estate_count = 2;
    f->dossier.vehicle = f->vehicle;
    f->dossier.vehicle_count = 1;
}

static void truth_of_a_family_by_hand(void **state)
{
    family f;
    hd_gen_policy policy;
    hd_gen_result r;
    hd_buf b;

    (void)state;
    make_policy(&policy);
    family_a(&f);
    hd_gen_truth(&r, &f.app, f.auths, 3, &f.dossier, &policy);

    /*
     * I: A, 12 months of 3000.00 - 240.00 - min(3000.00, 300.00) = 2460.00
     *    = 29,520.00, plus 10.00 interest = 29,530.00.
     *    B, 2026-05 .. 09: estimate 2500.00 - 200.00 - 300.00 = 2000.00 x 5
     *    = 10,000.00; 2026-10: max(2500.00, 2800.00) - 200.00 - 300.00 =
     *    2300.00; the 6 months before: no wage, no base, nothing.
     *    I = 41,830.00 = 4,183,000 fen.
     * pci = 4,183,000 / 12 / 3 = 116,194 (116,194.4 truncated) < 141,000.
     * E = 500.00 (A's claim of 2025-10 lies before the window).
     * pci_after = 4,133,000 / 36 = 114,805.
     * A = 10,000.00 + 2,000.00 + 0 = 1,200,000; pca = 400,000 (limit
     * 24 x 141,000).
     * One home (one certificate), 90 m² x 50% x 2 = 90 m², per capita
     * 30.00 m² = 3000 <= 4000. One car worth 30,000 yuan > 0: VEHICLE.
     * dibao fails on VEHICLE alone; every level has the vehicle test, so
     * the level is none.
     */
    assert_int_equal(r.conclusion, HD_GEN_FAILS);
    assert_true(r.has_figures);
    assert_int_equal(r.params.dibao_standard_fen, 141000);
    assert_int_equal(r.figures.members, 3);
    assert_int_equal(r.figures.income_fen, 4183000);
    assert_int_equal(r.figures.expenditure_fen, 50000);
    assert_int_equal(r.figures.pci_fen, 116194);
    assert_int_equal(r.figures.pci_after_fen, 114805);
    assert_int_equal(r.figures.financial_assets_fen, 1200000);
    assert_int_equal(r.figures.pca_fen, 400000);
    assert_int_equal(r.figures.homes, 1);
    assert_int_equal(r.figures.area_pc_m2x100, 3000);
    assert_int_equal(r.figures.vehicles, 1);
    assert_int_equal(r.failed, HD_GEN_F_VEHICLE);
    assert_int_equal(r.findings, 0);
    assert_int_equal(r.level, HD_GEN_LEVEL_NONE);

    hd_buf_init(&b, 4096);
    assert_int_equal(hd_gen_result_json(&b, &r, &f.app, "undeclared_car"), 0);
    assert_string_equal(
        b.ptr, "{\"application_no\":\"330106-2026-000123\",\"program\":"
               "\"dibao\",\"conclusion\":\"fails\",\"level\":\"none\","
               "\"figures\":{\"members\":3,\"income\":4183000,"
               "\"expenditure\":50000,\"pci\":116194,\"pci_after\":114805,"
               "\"financial_assets\":1200000,\"pca\":400000,\"homes\":1,"
               "\"area_pc\":3000,\"vehicles\":1},\"failed\":[\"VEHICLE\"],"
               "\"findings\":[],\"scenario\":\"undeclared_car\"}");

    /* Without the car: meets at level dibao. A car worth exactly the
     * exempt value would not count either (strictly above). */
    f.vehicle[0].status = 2;
    hd_gen_truth(&r, &f.app, f.auths, 3, &f.dossier, &policy);
    assert_int_equal(r.conclusion, HD_GEN_MEETS);
    assert_int_equal(r.level, HD_GEN_LEVEL_DIBAO);

    /* 40.01 m² per capita is above the county's 40.00: 90 m² -> 120.03. */
    f.estate[0].area_m2x100 = 12003;
    f.estate[1].area_m2x100 = 12003;
    hd_gen_truth(&r, &f.app, f.auths, 3, &f.dossier, &policy);
    assert_int_equal(r.figures.area_pc_m2x100, 4001);
    assert_int_equal(r.failed, HD_GEN_F_HOME_AREA);
    f.estate[0].area_m2x100 = 12000; /* exactly 40.00: passes */
    f.estate[1].area_m2x100 = 12000;
    hd_gen_truth(&r, &f.app, f.auths, 3, &f.dossier, &policy);
    assert_int_equal(r.failed, 0);

    /* B's authorization ends the day before applied_on: unauthorized,
     * whoever else is covered; the last valid day is applied_on itself. */
    f.auths[1].valid_until = d("2026-11-19");
    hd_gen_truth(&r, &f.app, f.auths, 3, &f.dossier, &policy);
    assert_int_equal(r.conclusion, HD_GEN_UNAUTHORIZED);
    assert_int_equal(r.unauthorized_members, 1u << 1);
    assert_false(r.has_figures);
    hd_buf_reset(&b);
    hd_gen_result_json(&b, &r, &f.app, NULL);
    assert_non_null(strstr(b.ptr, "\"findings\":[\"NO_AUTHORIZATION\"]"));
    assert_non_null(strstr(b.ptr, f.b));
    assert_null(strstr(b.ptr, "figures"));
    f.auths[1].valid_until = d("2026-11-20");
    f.auths[2].purposes = 1u << HD_GEN_PROG_MEDICAL_AID; /* not dibao */
    hd_gen_truth(&r, &f.app, f.auths, 3, &f.dossier, &policy);
    assert_int_equal(r.unauthorized_members, 1u << 2);
    f.auths[2].purposes = 1u << HD_GEN_PROG_DIBAO;

    /* A pid with a wrong check character: refused before anything. */
    f.c[17] = f.c[17] == '0' ? '1' : '0';
    hd_gen_truth(&r, &f.app, f.auths, 3, &f.dossier, &policy);
    assert_int_equal(r.conclusion, HD_GEN_REFUSED);
    assert_string_equal(r.error_field, "members[2].pid");
    hd_buf_reset(&b);
    hd_gen_result_json(&b, &r, &f.app, NULL);
    assert_string_equal(
        b.ptr, "{\"application_no\":\"330106-2026-000123\",\"program\":"
               "\"dibao\",\"conclusion\":\"refused\",\"findings\":"
               "[\"APPLICATION_INVALID\"],\"error\":{\"field\":"
               "\"members[2].pid\",\"reason\":\"check character\"}}");
    hd_buf_release(&b);
}

static void review_findings_by_hand(void **state)
{
    family f;
    hd_gen_policy policy;
    hd_gen_result r;
    hd_gen_marriage marriage[4];
    hd_gen_death death[1];
    hd_gen_hukou hukou[4];
    char x[19] = "330106198101010057";
    hd_buf b;

    (void)state;
    make_policy(&policy);
    family_a(&f);
    fix_check(x);
    /* B died (a death row; the register still says normal). A married B
     * in 1990, divorced in 2000, married X in 2010; X is alive (the
     * registration cancelled, not deceased) and not declared. C is a son
     * declared, a grandchild in the register. */
    death[0] = (hd_gen_death){f.b, d("2026-08-01")};
    marriage[0] = (hd_gen_marriage){f.a, f.b, 1, d("1990-05-01")};
    marriage[1] = (hd_gen_marriage){f.a, f.b, 2, d("2000-05-01")};
    marriage[2] = (hd_gen_marriage){f.a, x, 1, d("2010-05-01")};
    marriage[3] = (hd_gen_marriage){f.b, f.a, 1, d("1990-05-01")};
    memcpy(hukou, f.hukou, sizeof(f.hukou));
    hukou[2].relation = 40;
    hukou[3] =
        (hd_gen_hukou){x, "x", 2, 0, "H9", 2, "330106", 3, d("2015-01-01")};
    f.dossier.hukou = hukou;
    f.dossier.hukou_count = 4;
    f.dossier.death = death;
    f.dossier.death_count = 1;
    f.dossier.marriage = marriage;
    f.dossier.marriage_count = 4;
    f.vehicle[0].status = 2;
    hd_gen_truth(&r, &f.app, f.auths, 3, &f.dossier, &policy);

    /* F = {A, C}: B's estimated wages, securities and half of the home
     * leave. I = 2,953,000; pci = 2,953,000 / 24 = 123,041; E = 0 (the
     * claim was B's); A = 1,000,000, pca = 500,000; one home, 45 m² / 2
     * = 22.50 m². */
    assert_int_equal(r.conclusion, HD_GEN_REVIEW);
    assert_int_equal(r.findings, HD_GEN_N_MEMBER_DECEASED |
                                     HD_GEN_N_RELATION_MISMATCH |
                                     HD_GEN_N_UNDECLARED_SPOUSE);
    assert_int_equal(r.figures.members, 2);
    assert_int_equal(r.figures.income_fen, 2953000);
    assert_int_equal(r.figures.pci_fen, 123041);
    assert_int_equal(r.figures.expenditure_fen, 0);
    assert_int_equal(r.figures.pca_fen, 500000);
    assert_int_equal(r.figures.homes, 1);
    assert_int_equal(r.figures.area_pc_m2x100, 2250);
    assert_int_equal(r.failed, 0);
    assert_int_equal(r.level, HD_GEN_LEVEL_DIBAO);
    hd_buf_init(&b, 4096);
    hd_gen_result_json(&b, &r, &f.app, NULL);
    assert_non_null(strstr(b.ptr, "\"findings\":[\"MEMBER_DECEASED\","
                                  "\"RELATION_MISMATCH\","
                                  "\"UNDECLARED_SPOUSE\"]"));

    /* X dead too: no undeclared spouse. A divorce as the latest row: no
     * undeclared spouse either. */
    hukou[3].status = 2;
    hd_gen_truth(&r, &f.app, f.auths, 3, &f.dossier, &policy);
    assert_false(r.findings & HD_GEN_N_UNDECLARED_SPOUSE);
    hukou[3].status = 1;
    marriage[2].event = 2;
    hd_gen_truth(&r, &f.app, f.auths, 3, &f.dossier, &policy);
    assert_false(r.findings & HD_GEN_N_UNDECLARED_SPOUSE);

    /* Everyone dead: review with no figures and nothing failed. */
    hukou[0].status = 2;
    hukou[0].status_date = d("2026-09-01");
    hukou[2].status = 2;
    hukou[2].status_date = d("2026-09-01");
    hd_gen_truth(&r, &f.app, f.auths, 3, &f.dossier, &policy);
    assert_int_equal(r.conclusion, HD_GEN_REVIEW);
    assert_false(r.has_figures);
    hd_buf_reset(&b);
    hd_gen_result_json(&b, &r, &f.app, "all_deceased");
    assert_string_equal(
        b.ptr, "{\"application_no\":\"330106-2026-000123\",\"program\":"
               "\"dibao\",\"conclusion\":\"review\",\"failed\":[],"
               "\"findings\":[\"MEMBER_DECEASED\",\"RELATION_MISMATCH\"],"
               "\"scenario\":\"all_deceased\"}");
    hd_buf_release(&b);
}

/* One member, incomes as pensions: the exact-rational limits. */
typedef struct single {
    char pid[19];
    hd_gen_member member;
    hd_gen_application app;
    hd_gen_authorization auth;
    hd_gen_hukou hukou;
    hd_gen_si si[12];
    hd_gen_tax tax[2];
    hd_gen_medical medical[1];
    hd_gen_disability disability[1];
    hd_gen_dossier dossier;
} single;

static void make_single(single *s, const char *pid17, const char *region,
                        const char *program, int64_t monthly)
{
    memset(s, 0, sizeof(*s));
    memcpy(s->pid, pid17, 17);
    fix_check(s->pid);
    s->member = (hd_gen_member){s->pid, "甲", 2};
    s->app = (hd_gen_application){"X-1",           program,    region,
                                  d("2026-11-20"), &s->member, 1};
    s->auth = (hd_gen_authorization){s->pid,
                                     (1u << HD_GEN_PROG_COUNT_) - 1,
                                     true,
                                     0,
                                     d("2026-01-01"),
                                     d("2026-12-31")};
    s->hukou = (hd_gen_hukou){
        s->pid, "甲", hd_pid_sex(s->pid), hd_pid_birth(s->pid), "H", 2,
        region, 1,    HD_GEN_NO_DATE};
    for (int i = 0; i < 12; i++)
        s->si[i] =
            (hd_gen_si){s->pid,      per(2025, 11) + i, HD_GEN_SI_PENSION,
                        HD_GEN_NULL, monthly,           NULL};
    s->dossier.hukou = &s->hukou;
    s->dossier.hukou_count = 1;
    s->dossier.si = s->si;
    s->dossier.si_count = 12;
}

static void rational_limits_by_hand(void **state)
{
    hd_gen_policy policy;
    hd_gen_result r;
    single s;

    (void)state;
    make_policy(&policy);

    /* Beijing's made-up standard 1000.01 yuan: the low-income line is
     * 1.5 x 100,001 = 150,001.5 fen. pci 150,001 is below it (a rounded
     * line of 150,001 would wrongly fail it); 150,002 is not. */
    make_single(&s, "11010119700101001", "110101", "low_income", 150001);
    hd_gen_truth(&r, &s.app, &s.auth, 1, &s.dossier, &policy);
    assert_int_equal(r.figures.pci_fen, 150001);
    assert_int_equal(r.conclusion, HD_GEN_MEETS);
    assert_int_equal(r.level, HD_GEN_LEVEL_LOW_INCOME);
    make_single(&s, "11010119700101001", "110101", "low_income", 150002);
    hd_gen_truth(&r, &s.app, &s.auth, 1, &s.dossier, &policy);
    assert_int_equal(r.conclusion, HD_GEN_FAILS);
    assert_int_equal(r.failed, HD_GEN_F_INCOME);

    /* dibao: pci = standard - 1 meets, pci = standard fails. */
    make_single(&s, "11010119700101001", "110101", "dibao", 100000);
    hd_gen_truth(&r, &s.app, &s.auth, 1, &s.dossier, &policy);
    assert_int_equal(r.conclusion, HD_GEN_MEETS);
    make_single(&s, "11010119700101001", "110101", "dibao", 100001);
    hd_gen_truth(&r, &s.app, &s.auth, 1, &s.dossier, &policy);
    assert_int_equal(r.failed, HD_GEN_F_INCOME);

    /* tekun: 60 years old exactly on applied_on has no work capacity;
     * the default tekun standard is 1.3 x 100,001 = 130,001.3, so pci
     * 130,001 passes. */
    make_single(&s, "11010119661120001", "110101", "tekun", 130001);
    hd_gen_truth(&r, &s.app, &s.auth, 1, &s.dossier, &policy);
    assert_int_equal(r.conclusion, HD_GEN_MEETS);
    assert_int_equal(r.findings, HD_GEN_N_SUPPORTER_CHECK);
    assert_int_equal(r.level, HD_GEN_LEVEL_LOW_INCOME);
    /* a day younger: 59, able to work ... */
    make_single(&s, "11010119661121001", "110101", "tekun", 130001);
    hd_gen_truth(&r, &s.app, &s.auth, 1, &s.dossier, &policy);
    assert_int_equal(r.failed, HD_GEN_F_WORK_CAPACITY);
    /* ... unless severely disabled with a certificate valid on the day */
    s.disability[0] = (hd_gen_disability){s.pid, 4, 2, d("2026-11-20")};
    s.dossier.disability = s.disability;
    s.dossier.disability_count = 1;
    hd_gen_truth(&r, &s.app, &s.auth, 1, &s.dossier, &policy);
    assert_int_equal(r.failed, 0);
    s.disability[0].valid_until = d("2026-11-19");
    hd_gen_truth(&r, &s.app, &s.auth, 1, &s.dossier, &policy);
    assert_int_equal(r.failed, HD_GEN_F_WORK_CAPACITY);

    /* Excluded income still pays its tax (510000 excludes incidental):
     * pensions 12 x 900.00, a prize of 20,000.00 with 4,000.00 tax:
     * I = 1,080,000 - 400,000 = 680,000, pci = 56,666. Medical 3,000.00
     * out of pocket: pci_after = 380,000 / 12 = 31,666. */
    make_single(&s, "51010419700101001", "510104", "medical_aid", 90000);
    s.tax[0] = (hd_gen_tax){s.pid, per(2026, 3), HD_GEN_TAX_INCIDENTAL,
                            NULL,  2000000,      400000};
    s.dossier.tax = s.tax;
    s.dossier.tax_count = 1;
    s.medical[0] =
        (hd_gen_medical){s.pid, per(2026, 4), 500000, 200000, 300000, 1};
    s.dossier.medical = s.medical;
    s.dossier.medical_count = 1;
    hd_gen_truth(&r, &s.app, &s.auth, 1, &s.dossier, &policy);
    assert_int_equal(r.figures.income_fen, 680000);
    assert_int_equal(r.figures.pci_fen, 56666);
    assert_int_equal(r.figures.pci_after_fen, 31666);
    assert_int_equal(r.conclusion, HD_GEN_MEETS);

    /* Deductions above income: I is floored at 0. */
    make_single(&s, "51010419700101001", "510104", "dibao", 0);
    s.tax[0] =
        (hd_gen_tax){s.pid, per(2026, 3), HD_GEN_TAX_LABOR, NULL, 1000, 5000};
    s.dossier.tax = s.tax;
    s.dossier.tax_count = 1;
    hd_gen_truth(&r, &s.app, &s.auth, 1, &s.dossier, &policy);
    assert_int_equal(r.figures.income_fen, 0);

    /* Expenditure hardship: pci 160,000 is above the low-income line of
     * 150,000 (510000's standard 1000.00); E = 12 x 300.00 brings it to
     * (1,920,000 - 360,000) / 12 = 130,000 below it. */
    make_single(&s, "51010419700101001", "510104", "expenditure_hardship",
                160000);
    s.medical[0] =
        (hd_gen_medical){s.pid, per(2026, 4), 500000, 140000, 360000, 1};
    s.dossier.tax_count = 0;
    s.dossier.medical = s.medical;
    s.dossier.medical_count = 1;
    hd_gen_truth(&r, &s.app, &s.auth, 1, &s.dossier, &policy);
    assert_int_equal(r.figures.pci_after_fen, 130000);
    assert_int_equal(r.conclusion, HD_GEN_MEETS);
    assert_int_equal(r.level, HD_GEN_LEVEL_EXPENDITURE_HARDSHIP);
    /* ... and medical aid fails only when none of the four meets: with no
     * claim, the union of their failures. */
    s.app.program = "medical_aid";
    s.dossier.medical_count = 0;
    hd_gen_truth(&r, &s.app, &s.auth, 1, &s.dossier, &policy);
    assert_int_equal(r.conclusion, HD_GEN_FAILS);
    assert_int_equal(
        r.failed, HD_GEN_F_INCOME | HD_GEN_F_INCOME_AFTER_EXPENDITURE |
                      HD_GEN_F_NO_RIGID_EXPENDITURE | HD_GEN_F_WORK_CAPACITY);

    /* Refused: an unknown program; a region where no standard resolves. */
    s.app.program = "wubao";
    hd_gen_truth(&r, &s.app, &s.auth, 1, &s.dossier, &policy);
    assert_int_equal(r.conclusion, HD_GEN_REFUSED);
    assert_string_equal(r.error_field, "program");
    s.app.program = "dibao";
    s.app.region = "650102";
    hd_gen_truth(&r, &s.app, &s.auth, 1, &s.dossier, &policy);
    assert_int_equal(r.conclusion, HD_GEN_REFUSED);
    assert_string_equal(r.error_field, "region");
}

static void policy_resolves_level_by_level(void **state)
{
    hd_gen_policy policy;
    hd_gen_params p;

    (void)state;
    make_policy(&policy);
    /* county -> city -> province -> national, parameter by parameter */
    assert_int_equal(
        hd_gen_policy_resolve(&p, &policy, "330106", d("2026-11-20")), 0);
    assert_int_equal(p.dibao_standard_fen, 141000);
    assert_true(p.has_max_area_per_capita);
    assert_int_equal(p.max_area_per_capita_m2x100, 4000);
    assert_int_equal(p.earned_income_disregard_fen, 30000);
    assert_int_equal(p.low_income_factor_x10000, 15000);
    /* the entry of 2026-12-01 counts from its date on */
    hd_gen_policy_resolve(&p, &policy, "330106", d("2026-12-01"));
    assert_int_equal(p.dibao_standard_fen, 200000);
    /* before the city's standard: none resolves */
    assert_int_equal(
        hd_gen_policy_resolve(&p, &policy, "330106", d("2025-06-30")),
        HD_ENOTFOUND);
    /* another county of the city: no area limit */
    hd_gen_policy_resolve(&p, &policy, "330102", d("2026-11-20"));
    assert_false(p.has_max_area_per_capita);
}

/* ------------------------------------------------------------ command */

static int run_hedui(char *const argv[])
{
    const char *bin = getenv("HEDUI_BINARY");
    pid_t pid;
    int status;
    posix_spawn_file_actions_t fa;

    if (!bin)
        return -1;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
    if (posix_spawn(&pid, bin, &fa, NULL, argv, environ) != 0)
        return -1;
    posix_spawn_file_actions_destroy(&fa);
    if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status))
        return -1;
    return WEXITSTATUS(status);
}

static void command_exit_codes(void **state)
{
    char dir[1024], out[1100];
    const char *bin = getenv("HEDUI_BINARY");

    (void)state;
    if (!bin)
        skip();
    snprintf(dir, sizeof(dir), "%s", tu_tempdir());
    snprintf(out, sizeof(out), "%s/pop", dir);
    {
        char a_gen[] = "gen", a_fam[] = "--families", a_5[] = "5", a_x[] = "x",
             a_seed[] = "--seed", a_1[] = "1", a_out[] = "--out",
             a_dirty[] = "--dirty";
        char *b = (char *)bin;
        char *usage[] = {b, a_gen, a_fam, a_5, NULL};
        char *bad[] = {b, a_gen, a_fam, a_x, a_seed, a_1, a_out, out, NULL};
        char *ok[] = {b,   a_gen, a_fam, a_5,     a_seed,
                      a_1, a_out, out,   a_dirty, NULL};
        assert_int_equal(run_hedui(usage), 2);
        assert_int_equal(run_hedui(bad), 2);
        assert_int_equal(run_hedui(ok), 0);
        /* the folder is no longer empty */
        assert_int_equal(run_hedui(ok), 3);
    }
    tu_rmtree(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(truth_of_a_family_by_hand),
        cmocka_unit_test(review_findings_by_hand),
        cmocka_unit_test(rational_limits_by_hand),
        cmocka_unit_test(policy_resolves_level_by_level),
        cmocka_unit_test(same_seed_same_bytes),
        cmocka_unit_test(refuses_a_folder_in_use),
        cmocka_unit_test(deliveries_load_and_ids_are_unique),
        cmocka_unit_test(every_scenario_is_planted),
        cmocka_unit_test(dirty_rows_are_extra_and_counted),
        cmocka_unit_test(dirty_lines_are_exact_in_every_file),
        cmocka_unit_test(command_exit_codes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
