/*
 * hedui verify APPLICATION_NO [--json]
 * hedui verify --roll FILE.jsonl --out RESULTS.jsonl [--xlsx SUMMARY.xlsx]
 *              [--no-record]
 *
 * One case: the application must be recorded (`hedui apply import`); the
 * result is printed, and recorded with its audit entry. A roll: every
 * line verified in one pass over the store, one Result record per line
 * in RESULTS.jsonl, a progress bar on a terminal and the conclusions by
 * program at the end. Exit status: 0 done, 2 usage, 3 failure.
 */
#include "cli/cli.h"

#include <hedui/report.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int usage(void)
{
    fprintf(stderr, "usage: hedui verify APPLICATION_NO [--json]\n"
                    "       hedui verify --roll FILE.jsonl --out RESULTS.jsonl "
                    "[--no-record]\n");
    return 2;
}

static void yuan(char *out, int64_t fen)
{
    hd_money_format(out, fen);
}

static void print_codes(const char *label, uint64_t bits)
{
    bool any = false;
    printf("%-12s", label);
    for (int c = 0; c < HD_CODE_COUNT_; c++) {
        if (!(bits & ((uint64_t)1 << c)))
            continue;
        printf("%s%s (%s)", any ? ", " : "", hd_code_name((hd_code)c),
               hd_code_title_zh((hd_code)c));
        any = true;
    }
    printf("%s\n", any ? "" : "-");
}

static void print_text(const hd_result *r, const hd_application *app)
{
    char a[HD_MONEY_TEXT_MAX], b[HD_MONEY_TEXT_MAX];

    printf("application %s  program %s  conclusion %s", r->application_no,
           r->program, hd_conclusion_name(r->conclusion));
    if (r->has_level)
        printf("  level %s", hd_level_name(r->level));
    printf("\n");
    if (r->conclusion == HD_CONCLUSION_REFUSED)
        printf("refused     %s: %s\n", r->error_field, r->error_reason);
    for (int i = 0; i < r->missing_count; i++) {
        char masked[24];
        printf("no valid authorization for %s\n",
               hd_mask_pid(masked, app->members[r->missing[i]].pid, 18));
    }
    if (r->has_figures) {
        const hd_figures *f = &r->figures;
        yuan(a, f->income_fen);
        yuan(b, f->expenditure_fen);
        printf("members     %d\nincome      %s (window)   expenditure %s\n",
               f->members, a, b);
        yuan(a, f->pci_fen);
        yuan(b, f->pci_after_fen);
        printf("per capita  %s a month, %s after expenditure\n", a, b);
        yuan(a, f->financial_assets_fen);
        yuan(b, f->pca_fen);
        printf("assets      %s, %s per capita\n", a, b);
        printf("homes       %d, %d.%02d m2 per capita; vehicles %d\n", f->homes,
               (int)(f->area_pc_m2x100 / 100), (int)(f->area_pc_m2x100 % 100),
               f->vehicles);
    }
    if (r->conclusion >= HD_CONCLUSION_REVIEW)
        print_codes("failed", r->failed);
    print_codes("findings", r->findings);
    printf("the figures are facts; the conclusion is a suggestion to the "
           "civil affairs office, which decides\n");
}

static int verify_one(const hd_cli_globals *globals, const char *number,
                      bool json)
{
    hd_cli_verify v;
    hd_application app;
    hd_dossier d;
    hd_result r;
    hd_error err;
    char msg[1024];
    int rc;

    memset(&app, 0, sizeof(app));
    hd_dossier_init(&d, NULL);
    hd_result_init(&r);
    rc = hd_cli_verify_open(&v, globals, 0, &err);
    if (rc)
        goto out;
    rc = hd_verify_env_prepare(&v.env, &err);
    if (rc == 0)
        rc = hd_cli_load_application(&app, &v, number, &err);
    if (rc == 0)
        rc = hd_verify_case(&r, &d, &v.env, &app, &err);
    if (rc == 0) {
        if (json) {
            hd_buf b;
            hd_buf_init(&b, HD_BUF_DEFAULT_MAX);
            hd_result_record_json(&b, &r, &app);
            printf("%.*s\n", (int)b.len, b.ptr);
            hd_buf_release(&b);
        } else {
            print_text(&r, &app);
        }
    }
    hd_cli_verify_close(&v);
out:
    if (rc)
        fprintf(stderr, "hedui verify: %s\n",
                hd_error_format(&err, msg, sizeof(msg)));
    hd_result_release(&r);
    hd_dossier_release(&d);
    hd_application_release(&app);
    return rc ? 3 : 0;
}

static void progress_bar(int64_t done, int64_t total, void *payload)
{
    int width = 40, filled = total ? (int)(done * width / total) : width;
    (void)payload;
    fprintf(stderr, "\rverifying %lld/%lld [", (long long)done,
            (long long)total);
    for (int i = 0; i < width; i++)
        fputc(i < filled ? '#' : ' ', stderr);
    fprintf(stderr, "] %3d%%", total ? (int)(done * 100 / total) : 100);
    if (done == total)
        fputc('\n', stderr);
}

static void print_summary(const hd_roll_stats *st)
{
    static const char *const heads[] = {"refused", "unauthorized", "review",
                                        "fails", "meets"};
    printf("%-22s", "program");
    for (int c = 0; c < 5; c++)
        printf(" %12s", heads[c]);
    printf(" %12s\n", "total");
    for (int p = 0; p <= HD_PROGRAM_COUNT_; p++) {
        int64_t total = 0;
        for (int c = 0; c < 5; c++)
            total += st->by_program[p][c];
        if (!total)
            continue;
        printf("%-22s", p < HD_PROGRAM_COUNT_ ? hd_program_name((hd_program)p)
                                              : "(unknown program)");
        for (int c = 0; c < 5; c++)
            printf(" %12lld", (long long)st->by_program[p][c]);
        printf(" %12lld\n", (long long)total);
    }
    printf("families=%lld lines=%lld bad_lines=%lld records_read=%lld\n",
           (long long)st->families, (long long)st->lines,
           (long long)st->bad_lines, (long long)st->records_read);
}

/* Read one line (without its end) into *line; 0 at the end of the file. */
static ssize_t next_line(char **line, size_t *cap, FILE *f)
{
    ssize_t n = getline(line, cap, f);
    while (n > 0 && ((*line)[n - 1] == '\n' || (*line)[n - 1] == '\r'))
        (*line)[--n] = '\0';
    return n < 0 ? 0 : n ? n : 1;
}

/*
 * The roll's XLSX summary, one row per result in roll order: the results
 * file holds one record per line of the roll that was an application,
 * in the same order, so the two files are read side by side.
 */
static int write_summary(const char *xlsx_path, const char *roll_path,
                         const char *results_path, int64_t now, hd_error *err)
{
    FILE *roll = fopen(roll_path, "r"), *results = fopen(results_path, "r");
    char *line = NULL, *res = NULL;
    size_t line_cap = 0, res_cap = 0;
    hd_xlsx_roll *x = NULL;
    char tmp[4096];
    hd_application app;
    hd_result r;
    ssize_t n;
    int rc = 0;

    memset(&app, 0, sizeof(app));
    hd_result_init(&r);
    if (!roll || !results) {
        rc = hd_error_set(err, HD_EIO, "cannot read %s or %s", roll_path,
                          results_path);
        goto out;
    }
    /* Written whole under another name, then renamed into place. */
    if ((size_t)snprintf(tmp, sizeof(tmp), "%s.tmp", xlsx_path) >=
        sizeof(tmp)) {
        rc = hd_error_set(err, HD_EINVAL, "output path too long");
        goto out;
    }
    rc = hd_xlsx_roll_open(&x, tmp, now, err);
    while (rc == 0 && (n = next_line(&line, &line_cap, roll)) > 0) {
        hd_error perr;
        if (line[0] == '\0')
            continue;
        hd_application_release(&app);
        if (hd_application_parse(&app, line, (size_t)n, &perr))
            continue; /* not an application: no result either */
        if ((n = next_line(&res, &res_cap, results)) <= 0) {
            rc = hd_error_set(err, HD_EDATA, "%s ends early", results_path);
            break;
        }
        hd_result_release(&r);
        hd_result_init(&r);
        rc = hd_result_from_record_json(&r, res, (size_t)n, err);
        if (rc == 0)
            rc = hd_xlsx_roll_add(x, &r, &app, err);
    }
    if (x) {
        int crc = hd_xlsx_roll_close(x, rc ? NULL : err);
        rc = rc ? rc : crc;
        if (rc == 0 && rename(tmp, xlsx_path))
            rc = hd_error_set(err, HD_EIO, "cannot write %s", xlsx_path);
        if (rc)
            remove(tmp);
    }
out:
    if (roll)
        fclose(roll);
    if (results)
        fclose(results);
    free(line);
    free(res);
    hd_application_release(&app);
    hd_result_release(&r);
    return rc;
}

static int verify_roll(const hd_cli_globals *globals, const char *roll_path,
                       const char *out_path, const char *xlsx_path, bool record)
{
    hd_cli_verify v;
    hd_roll_stats st;
    hd_error err;
    char msg[1024];
    int64_t now;
    int rc;

    rc = hd_cli_verify_open(&v, globals, 0, &err);
    if (rc)
        goto out;
    v.env.record = record;
    rc = hd_verify_env_prepare(&v.env, &err);
    if (rc == 0)
        rc = hd_verify_roll(&st, &v.env, roll_path, out_path,
                            isatty(STDERR_FILENO) ? progress_bar : NULL, NULL,
                            &err);
    now = v.env.now;
    hd_cli_verify_close(&v);
    if (rc == 0 && xlsx_path)
        rc = write_summary(xlsx_path, roll_path, out_path, now, &err);
    if (rc == 0)
        print_summary(&st);
out:
    if (rc)
        fprintf(stderr, "hedui verify: %s\n",
                hd_error_format(&err, msg, sizeof(msg)));
    return rc ? 3 : 0;
}

int hd_cmd_verify(const hd_cli_globals *globals, int argc, char **argv)
{
    const char *number = NULL, *roll = NULL, *out = NULL, *xlsx = NULL;
    bool json = false, record = true;

    hd_log_set_sink(hd_cli_log_to_stderr, NULL);
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--json"))
            json = true;
        else if (!strcmp(argv[i], "--no-record"))
            record = false;
        else if (!strcmp(argv[i], "--roll") && i + 1 < argc)
            roll = argv[++i];
        else if (!strcmp(argv[i], "--out") && i + 1 < argc)
            out = argv[++i];
        else if (!strcmp(argv[i], "--xlsx") && i + 1 < argc)
            xlsx = argv[++i];
        else if (argv[i][0] != '-' && !number)
            number = argv[i];
        else
            return usage();
    }
    if (roll ? (!out || number || json) : (!number || out || xlsx || !record))
        return usage();
    return roll ? verify_roll(globals, roll, out, xlsx, record)
                : verify_one(globals, number, json);
}
