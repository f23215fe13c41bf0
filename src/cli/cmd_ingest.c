/*
 * hedui ingest DELIVERY_DIR...: load deliveries, print a per-feed report.
 * Exit status 0 when every delivery loaded (or was already loaded), 1 when
 * any was rejected (the others still load), 3 when the stores failed.
 */
#include "cli/cli.h"

#include <hedui/ingest.h>

#include <stdio.h>
#include <string.h>

static void usage(FILE *out)
{
    fprintf(out,
            "usage: hedui ingest [--json] [--max-bad-share PERCENT] "
            "[--memory MB] [--readers N] DELIVERY_DIR...\n"
            "  --max-bad-share  reject a delivery whose bad rows exceed this "
            "share (default 1)\n"
            "  --memory         memory for sorting rows, per delivery read at "
            "once (default 256)\n"
            "  --readers        deliveries read at once while the previous "
            "one commits (default 2)\n");
}

static void print_feed(const hd_ingest_feed_log *f)
{
    bool first = true;

    printf("  %-18s %12lld %12lld %12lld\n", f->feed->name,
           (long long)f->rows_in_file, (long long)f->rows_loaded,
           (long long)f->rows_quarantined);
    for (int r = 1; r < HD_REJECT_COUNT_; r++) {
        if (!f->quarantined_by_reason[r])
            continue;
        printf("%s%s %lld", first ? "    quarantined: " : ", ",
               hd_reject_name((hd_reject)r),
               (long long)f->quarantined_by_reason[r]);
        first = false;
    }
    if (!first)
        printf("\n");
}

static void print_text(const hd_ingest_log *log, hd_ingest_outcome outcome)
{
    char as_of[HD_DATE_TEXT_MAX];

    printf("delivery %s", log->delivery_id);
    if (log->department[0])
        printf(" (%s, %s, as of %s)", log->department,
               log->snapshot ? "snapshot" : "delta",
               hd_date_format(as_of, log->as_of));
    printf(": %s", hd_ingest_outcome_name(outcome));
    if (outcome == HD_INGEST_REJECTED)
        printf(" [%s] %s", hd_reject_name(log->reject_reason),
               log->reject_detail);
    printf("\n");
    if (log->feed_count == 0)
        return;
    printf("  %-18s %12s %12s %12s\n", "feed", "rows", "loaded", "quarantined");
    for (int i = 0; i < log->feed_count; i++)
        print_feed(&log->feeds[i]);
}

static int parse_options(hd_ingest_options *opt, bool *json, int argc,
                         char **argv, int *first)
{
    int i = 1;
    for (; i < argc && argv[i][0] == '-'; i++) {
        int64_t v;
        if (!strcmp(argv[i], "--json")) {
            *json = true;
        } else if (!strcmp(argv[i], "--max-bad-share") && i + 1 < argc) {
            /* A percentage with up to 4 decimals is exactly ppm / 1e4. */
            i++;
            if (hd_decimal_parse(&v, argv[i], strlen(argv[i]), 4, false,
                                 NULL) ||
                v > 1000000) {
                fprintf(stderr, "hedui ingest: --max-bad-share takes a "
                                "percentage from 0 to 100\n");
                return 2;
            }
            opt->max_bad_ppm = v;
        } else if (!strcmp(argv[i], "--memory") && i + 1 < argc) {
            i++;
            if (hd_decimal_parse(&v, argv[i], strlen(argv[i]), 0, false,
                                 NULL) ||
                v < 16 || v > 1 << 20) {
                fprintf(stderr, "hedui ingest: --memory takes megabytes "
                                "from 16\n");
                return 2;
            }
            opt->memory_budget = (size_t)v << 20;
        } else if (!strcmp(argv[i], "--readers") && i + 1 < argc) {
            i++;
            if (hd_decimal_parse(&v, argv[i], strlen(argv[i]), 0, false,
                                 NULL) ||
                v < 1 || v > 16) {
                fprintf(stderr, "hedui ingest: --readers takes 1 to 16\n");
                return 2;
            }
            opt->readers = (int)v;
        } else if (!strcmp(argv[i], "--help")) {
            usage(stdout);
            return -1;
        } else {
            usage(stderr);
            return 2;
        }
    }
    if (i == argc) {
        usage(stderr);
        return 2;
    }
    *first = i;
    return 0;
}

typedef struct print_state {
    bool json;
    bool any_rejected;
} print_state;

static int print_done(int index, hd_ingest_outcome outcome,
                      const hd_ingest_log *log, void *payload)
{
    print_state *ps = payload;

    ps->any_rejected |= outcome == HD_INGEST_REJECTED;
    if (ps->json) {
        hd_buf out;
        int rc;
        hd_buf_init(&out, 0);
        rc = hd_ingest_log_json(&out, log, outcome);
        if (rc == 0)
            printf("%s%s", index > 0 ? ",\n" : "\n", out.ptr);
        hd_buf_release(&out);
        return rc;
    }
    print_text(log, outcome);
    return 0;
}

int hd_cmd_ingest(const hd_cli_globals *globals, int argc, char **argv)
{
    char feeds_buf[4096], msg[1024];
    hd_ingest_options opt;
    hd_ingest *ing = NULL;
    print_state ps = {false, false};
    hd_error err;
    int first = 0, rc;

    hd_ingest_options_init(&opt);
    rc = parse_options(&opt, &ps.json, argc, argv, &first);
    if (rc)
        return rc < 0 ? 0 : rc;
    hd_log_set_sink(hd_cli_log_to_stderr, NULL);
    hd_error_clear(&err);
    if (hd_ingest_open(&ing, globals->db_path,
                       hd_cli_feeds_dir(globals, feeds_buf, sizeof(feeds_buf)),
                       &err)) {
        fprintf(stderr, "hedui ingest: %s\n",
                hd_error_format(&err, msg, sizeof(msg)));
        return 3;
    }
    /* One acceptance time for the batch: the deliveries arrive together. */
    opt.now = hd_cli_now();
    if (ps.json)
        printf("[");
    rc = hd_ingest_deliveries(ing, (const char *const *)argv + first,
                              argc - first, &opt, print_done, &ps, &err);
    if (ps.json)
        printf("\n]\n");
    hd_ingest_free(ing);
    if (rc) {
        fprintf(stderr, "hedui ingest: %s\n",
                hd_error_format(&err, msg, sizeof(msg)));
        return 3;
    }
    return ps.any_rejected ? 1 : 0;
}
