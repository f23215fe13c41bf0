/*
 * hedui report APPLICATION_NO --format pdf|html|json|xlsx --out FILE
 *              [--full-pids] [--issuer NAME]
 *
 * The report of the latest verification of an application. It is made by
 * replaying that verification (the same feed store view and policy
 * version), so it shows exactly the figures that were recorded, and the
 * read is audited like any other. Citizen IDs are masked unless
 * --full-pids is given. Exit status: 0 done, 2 usage, 3 failure.
 */
#include "cli/cli.h"

#include <hedui/cases.h>
#include <hedui/report.h>

#include <stdio.h>
#include <string.h>

typedef struct latest {
    uint32_t view_seq;
    int64_t policy_version;
    int64_t verified_at;
} latest;

static int take_latest(const hd_verification_row *row, void *payload)
{
    latest *l = payload;
    l->view_seq = row->view_seq;
    l->policy_version = row->policy_version;
    l->verified_at = row->verified_at;
    return 0;
}

static int usage(void)
{
    fprintf(stderr, "usage: hedui report APPLICATION_NO --format "
                    "pdf|html|json|xlsx --out FILE [--full-pids] "
                    "[--issuer NAME]\n");
    return 2;
}

static int write_file(const char *path, const hd_buf *b, hd_error *err)
{
    char tmp[4096];
    FILE *f;
    int rc = 0;

    if ((size_t)snprintf(tmp, sizeof(tmp), "%s.tmp", path) >= sizeof(tmp))
        return hd_error_set(err, HD_EINVAL, "output path too long");
    f = fopen(tmp, "wb");
    if (!f)
        return hd_error_set(err, HD_EIO, "cannot write %s", tmp);
    if (b->len && fwrite(b->ptr, 1, b->len, f) != b->len)
        rc = HD_EIO;
    if (fclose(f))
        rc = HD_EIO;
    if (rc == 0 && rename(tmp, path))
        rc = HD_EIO;
    if (rc) {
        remove(tmp);
        return hd_error_set(err, rc, "cannot write %s", path);
    }
    return 0;
}

static int render(const char *format, const char *out_path, const hd_result *r,
                  const hd_application *app, const hd_report_options *opt,
                  hd_error *err)
{
    hd_buf b;
    int rc;

    if (!strcmp(format, "xlsx")) {
        /* Written whole under another name, then renamed into place. */
        char tmp[4096];
        if ((size_t)snprintf(tmp, sizeof(tmp), "%s.tmp", out_path) >=
            sizeof(tmp))
            return hd_error_set(err, HD_EINVAL, "output path too long");
        rc = hd_report_xlsx(tmp, r, app, opt, err);
        if (rc == 0 && rename(tmp, out_path))
            rc = hd_error_set(err, HD_EIO, "cannot write %s", out_path);
        if (rc)
            remove(tmp);
        return rc;
    }
    hd_buf_init(&b, HD_BUF_DEFAULT_MAX);
    if (!strcmp(format, "pdf"))
        rc = hd_report_pdf(&b, r, app, opt, err);
    else if (!strcmp(format, "html"))
        rc = hd_report_html(&b, r, app, opt, err);
    else
        rc = hd_report_json(&b, r, app, opt, err);
    if (rc == 0)
        rc = write_file(out_path, &b, err);
    hd_buf_release(&b);
    return rc;
}

int hd_cmd_report(const hd_cli_globals *globals, int argc, char **argv)
{
    const char *number = NULL, *format = NULL, *out = NULL;
    const char *issuer = "居民家庭经济状况核对中心";
    hd_report_options opt;
    hd_case_work corrections;
    hd_cli_verify v;
    hd_application app;
    hd_dossier d;
    hd_result r;
    hd_error err;
    latest l = {0};
    char msg[1024];
    bool full = false;
    int rc;

    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--format") && i + 1 < argc)
            format = argv[++i];
        else if (!strcmp(argv[i], "--out") && i + 1 < argc)
            out = argv[++i];
        else if (!strcmp(argv[i], "--issuer") && i + 1 < argc)
            issuer = argv[++i];
        else if (!strcmp(argv[i], "--full-pids"))
            full = true;
        else if (argv[i][0] != '-' && !number)
            number = argv[i];
        else
            return usage();
    }
    if (!number || !format || !out ||
        (strcmp(format, "pdf") && strcmp(format, "html") &&
         strcmp(format, "json") && strcmp(format, "xlsx")))
        return usage();
    hd_log_set_sink(hd_cli_log_to_stderr, NULL);

    memset(&app, 0, sizeof(app));
    hd_case_work_init(&corrections);
    hd_dossier_init(&d, NULL);
    hd_result_init(&r);
    rc = hd_cli_verify_open(&v, globals, 0, &err);
    if (rc)
        goto out;
    rc = hd_casestore_verification_latest(v.env.cs, number, take_latest, &l,
                                          &err);
    if (rc == HD_ENOTFOUND)
        hd_error_set(&err, rc,
                     "application %s has not been verified: run "
                     "`hedui verify %s` first",
                     number, number);
    if (rc == 0 && l.policy_version != hd_policy_version(v.policy)) {
        /* Replay with the policy the verification used. */
        hd_policy_free(v.policy);
        v.policy = NULL;
        rc = hd_policy_store_load(&v.policy, v.env.cs, l.policy_version, &err);
        v.env.policy = v.policy;
    }
    v.env.view_seq = l.view_seq;
    /* A case corrected after an objection: the same overlays as its
     * verification, or the figures would not be those recorded. */
    if (rc == 0)
        rc = hd_case_corrections_load(&corrections, v.env.cs, number, &err);
    v.env.corrections = corrections.corrections;
    v.env.correction_count = corrections.correction_count;
    v.env.action = "report";
    if (rc == 0)
        rc = hd_verify_env_prepare(&v.env, &err);
    if (rc == 0)
        rc = hd_cli_load_application(&app, &v, number, &err);
    if (rc == 0)
        rc = hd_verify_case(&r, &d, &v.env, &app, &err);
    if (rc == 0) {
        memset(&opt, 0, sizeof(opt));
        opt.full_pids = full;
        /* The report carries the date of the verification it shows, so
         * that the same verification always gives the same bytes. */
        opt.issued_at = l.verified_at;
        opt.issuer = issuer;
        opt.objection_days = 5;
        rc = render(format, out, &r, &app, &opt, &err);
    }
    hd_cli_verify_close(&v);
out:
    if (rc)
        fprintf(stderr, "hedui report: %s\n",
                hd_error_format(&err, msg, sizeof(msg)));
    hd_result_release(&r);
    hd_dossier_release(&d);
    hd_application_release(&app);
    hd_case_work_release(&corrections);
    return rc ? 3 : 0;
}
