/* `hedui gen`: write a synthetic population (docs/generator.md). */
#include "cli/cli.h"
#include "gen/gen.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static void gen_usage(FILE *out)
{
    fprintf(out,
            "usage: hedui gen --families N --seed S --out DIR [--dirty]\n"
            "                 [--as-of YYYY-MM-DD] [--applied-on YYYY-MM-DD]\n"
            "\n"
            "Writes DIR/deliveries/<department>/ (manifest.json and one CSV\n"
            "per feed), applications.jsonl, authorizations.jsonl,\n"
            "truth.jsonl and policy.json; with --dirty also malformed rows\n"
            "of every reject reason and dirty.json. The same options give\n"
            "the same bytes. Defaults: --as-of 2026-11-01, --applied-on\n"
            "2026-11-20.\n");
}

static bool parse_i64(int64_t *out, const char *s)
{
    char *end;
    long long v;

    if (!*s || !(*s >= '0' && *s <= '9'))
        return false;
    errno = 0;
    v = strtoll(s, &end, 10);
    if (errno || *end)
        return false;
    *out = v;
    return true;
}

static bool parse_u64(uint64_t *out, const char *s)
{
    char *end;
    unsigned long long v;

    if (!*s || !(*s >= '0' && *s <= '9'))
        return false;
    errno = 0;
    v = strtoull(s, &end, 10);
    if (errno || *end)
        return false;
    *out = v;
    return true;
}

static double seconds_since(const struct timespec *t0)
{
    struct timespec t1;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    return (double)(t1.tv_sec - t0->tv_sec) +
           (double)(t1.tv_nsec - t0->tv_nsec) / 1e9;
}

int hd_cmd_gen(const hd_cli_globals *globals, int argc, char **argv)
{
    hd_gen_options opts;
    hd_gen_stats stats;
    hd_error err;
    struct timespec t0;
    bool have_families = false, have_seed = false;
    int64_t bad_rows;

    (void)globals;
    hd_gen_options_init(&opts);
    hd_error_clear(&err);
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;

        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            gen_usage(stdout);
            return 0;
        } else if (!strcmp(a, "--dirty")) {
            opts.dirty = true;
            continue;
        } else if (!v) {
            fprintf(stderr, "hedui gen: %s needs a value\n", a);
            gen_usage(stderr);
            return 2;
        } else if (!strcmp(a, "--families")) {
            if (!parse_i64(&opts.families, v) || opts.families < 1 ||
                opts.families > 100000000) {
                fprintf(stderr,
                        "hedui gen: --families must be 1 to 100000000\n");
                return 2;
            }
            have_families = true;
        } else if (!strcmp(a, "--seed")) {
            if (!parse_u64(&opts.seed, v)) {
                fprintf(stderr, "hedui gen: --seed must be an unsigned "
                                "integer\n");
                return 2;
            }
            have_seed = true;
        } else if (!strcmp(a, "--out")) {
            opts.out = v;
        } else if (!strcmp(a, "--as-of") || !strcmp(a, "--applied-on")) {
            int32_t *date =
                !strcmp(a, "--as-of") ? &opts.as_of : &opts.applied_on;
            if (hd_date_parse(date, v, strlen(v), NULL)) {
                fprintf(stderr, "hedui gen: %s must be a date YYYY-MM-DD\n", a);
                return 2;
            }
        } else {
            fprintf(stderr, "hedui gen: unknown option %s\n", a);
            gen_usage(stderr);
            return 2;
        }
        i++;
    }
    if (!have_families || !have_seed || !opts.out) {
        fprintf(stderr, "hedui gen: --families, --seed and --out are "
                        "required\n");
        gen_usage(stderr);
        return 2;
    }

    clock_gettime(CLOCK_MONOTONIC, &t0);
    if (hd_gen_run(&stats, &opts, &err) != 0) {
        char msg[HD_ERROR_MSG_MAX + 64];
        fprintf(stderr, "hedui gen: %s\n",
                hd_error_format(&err, msg, sizeof(msg)));
        return err.code == HD_EINVAL ? 2 : 3;
    }
    bad_rows = stats.bad_rows;
    printf("families=%lld persons=%lld rows=%lld bad_rows=%lld bytes=%lld "
           "csv_bytes=%lld fallbacks=%lld seconds=%.1f\n",
           (long long)stats.families, (long long)stats.persons,
           (long long)stats.rows, (long long)bad_rows, (long long)stats.bytes,
           (long long)stats.csv_bytes, (long long)stats.fallbacks,
           seconds_since(&t0));
    return 0;
}
