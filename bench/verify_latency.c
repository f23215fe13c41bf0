/*
 * Single-case latency: what a clerk waits for when one application is
 * verified. Opens the stores once (as the server will), then verifies
 * applications drawn at random from the roll one at a time, as
 * hd_verify_case does for `hedui verify APPLICATION_NO`: the consent
 * gate, every record of every member read from the feed store, the
 * verification, and its record and audit entry committed to the case
 * store (synchronous=FULL, so each case pays one durable commit).
 *
 *   verify_latency DB FEEDS_DIR APPLICATIONS.jsonl COUNT SEED
 *
 * Prints one line: cases, p50, p90, p99 and max in microseconds, and the
 * same without the case-store commit (record off).
 */
#include <hedui/ingest.h>
#include <hedui/verify.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now_us(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1e6 + (double)t.tv_nsec / 1e3;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double pct(const double *v, size_t n, double p)
{
    size_t i = (size_t)(p * (double)(n - 1) + 0.5);
    return v[i < n ? i : n - 1];
}

int main(int argc, char **argv)
{
    hd_ingest *ing;
    hd_policy *policy;
    hd_verify_env env;
    hd_error err;
    char **lines = NULL;
    size_t count = 0, cap = 0, want;
    char *line = NULL;
    size_t line_cap = 0;
    ssize_t n;
    FILE *f;

    if (argc != 6) {
        fprintf(stderr, "usage: verify_latency DB FEEDS_DIR "
                        "APPLICATIONS.jsonl COUNT SEED\n");
        return 2;
    }
    want = strtoul(argv[4], NULL, 10);
    srand((unsigned)strtoul(argv[5], NULL, 10));
    if (hd_ingest_open(&ing, argv[1], argv[2], &err) ||
        hd_policy_store_load(&policy, hd_ingest_casestore(ing), 0, &err)) {
        fprintf(stderr, "verify_latency: %s\n", err.msg);
        return 1;
    }
    f = fopen(argv[3], "r");
    if (!f)
        return 1;
    while ((n = getline(&line, &line_cap, f)) > 0) {
        if (count == cap) {
            cap = cap ? cap * 2 : 1024;
            lines = realloc(lines, cap * sizeof(*lines));
        }
        lines[count++] = strndup(line, (size_t)n);
    }
    fclose(f);
    if (!count || !want)
        return 1;

    memset(&env, 0, sizeof(env));
    env.fs = hd_ingest_feedstore(ing);
    env.cs = hd_ingest_casestore(ing);
    env.policy = policy;
    env.actor = "bench";
    env.now = 1795000000;
    if (hd_verify_env_prepare(&env, &err)) {
        fprintf(stderr, "verify_latency: %s\n", err.msg);
        return 1;
    }
    for (int record = 1; record >= 0; record--) {
        double *us = malloc(want * sizeof(*us));
        hd_dossier d;
        hd_result r;
        hd_application app;

        env.record = record;
        hd_dossier_init(&d, NULL);
        hd_result_init(&r);
        memset(&app, 0, sizeof(app));
        for (size_t i = 0; i < want; i++) {
            const char *l = lines[(size_t)rand() % count];
            double t0;
            hd_application_release(&app);
            if (hd_application_parse(&app, l, strlen(l), &err)) {
                i--;
                continue;
            }
            t0 = now_us();
            if (hd_verify_case(&r, &d, &env, &app, &err)) {
                fprintf(stderr, "verify_latency: %s\n", err.msg);
                return 1;
            }
            us[i] = now_us() - t0;
        }
        qsort(us, want, sizeof(*us), cmp_double);
        printf("%s cases=%zu p50_us=%.0f p90_us=%.0f p99_us=%.0f "
               "max_us=%.0f\n",
               record ? "recorded" : "unrecorded", want, pct(us, want, 0.5),
               pct(us, want, 0.9), pct(us, want, 0.99), us[want - 1]);
        free(us);
        hd_application_release(&app);
        hd_result_release(&r);
        hd_dossier_release(&d);
    }
    hd_policy_free(policy);
    hd_ingest_free(ing);
    return 0;
}
