/*
 * The generator's run: the world (counties and policy), then one family
 * at a time, each written out before the next is drawn, so that memory
 * does not grow with the population.
 */
#include "gen/gen_int.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#define JSONL_BUFFER (1u << 20)

void hd_gen_options_init(hd_gen_options *opts)
{
    memset(opts, 0, sizeof(*opts));
    opts->families = 1000;
    opts->seed = 1;
    hd_date_from_ymd(&opts->as_of, 2026, 11, 1);
    hd_date_from_ymd(&opts->applied_on, 2026, 11, 20);
    opts->dirty_interval = HD_GEN_DIRTY_INTERVAL;
}

/* Create `path` and its parents; an existing folder must be empty. */
static int prepare_dir(const char *path, hd_error *err)
{
    char buf[1024];
    size_t len = strlen(path);
    DIR *d;
    struct dirent *e;

    if (len == 0 || len >= sizeof(buf) - 64)
        return hd_error_set(err, HD_EINVAL, "output folder name too long");
    memcpy(buf, path, len + 1);
    for (size_t i = 1; i <= len; i++) {
        if (buf[i] != '/' && buf[i] != '\0')
            continue;
        buf[i] = '\0';
        if (mkdir(buf, 0755) != 0 && errno != EEXIST)
            return hd_error_set(err, HD_EIO, "cannot create %s: %s", buf,
                                strerror(errno));
        buf[i] = path[i];
    }
    d = opendir(path);
    if (!d)
        return hd_error_set(err, HD_EIO, "cannot open %s: %s", path,
                            strerror(errno));
    while ((e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) {
            closedir(d);
            return hd_error_set(err, HD_EEXISTS,
                                "output folder %s is not empty", path);
        }
    }
    closedir(d);
    return 0;
}

/* ------------------------------------------------------------- JSON */

static void json_date(hd_buf *b, int32_t date)
{
    char text[HD_DATE_TEXT_MAX];
    hd_buf_putc(b, '"');
    hd_buf_puts(b, hd_date_format(text, date));
    hd_buf_putc(b, '"');
}

static void json_money(hd_buf *b, int64_t fen)
{
    char text[HD_MONEY_TEXT_MAX];
    hd_buf_putc(b, '"');
    hd_buf_puts(b, hd_money_format(text, fen));
    hd_buf_putc(b, '"');
}

static void application_json(hd_buf *b, const gen_family *f)
{
    const gen_world *w = f->world;

    hd_buf_puts(b, "{\"application_no\":");
    hd__gen_json_str(b, f->application_no);
    hd_buf_puts(b, ",\"program\":");
    hd__gen_json_str(b, f->program_text);
    hd_buf_puts(b, ",\"region\":");
    hd__gen_json_str(b, w->counties[f->county].code);
    hd_buf_puts(b, ",\"applied_on\":");
    json_date(b, w->applied_on);
    hd_buf_puts(b, ",\"members\":[");
    for (int i = 0; i < f->declared_count; i++) {
        const hd_gen_member *m = &f->members[i];
        hd_buf_puts(b, i ? ",{\"pid\":" : "{\"pid\":");
        hd__gen_json_str(b, m->pid);
        hd_buf_puts(b, ",\"name\":");
        hd__gen_json_str(b, m->name);
        {
            char rel[] = ",\"relation\":\"00\"}";
            rel[13] = (char)('0' + m->relation / 10 % 10);
            rel[14] = (char)('0' + m->relation % 10);
            hd_buf_append(b, rel, sizeof(rel) - 1);
        }
    }
    hd_buf_puts(b, "],\"declared\":{\"monthly_income\":");
    json_money(b, f->declared_income_fen);
    hd_buf_puts(b, ",\"financial_assets\":");
    json_money(b, f->declared_assets_fen);
    hd_buf_puts(b, ",\"vehicles\":");
    hd__gen_buf_int(b, f->declared_vehicles);
    hd_buf_puts(b, ",\"homes\":");
    hd__gen_buf_int(b, f->declared_homes);
    hd_buf_puts(b, "}}\n");
}

static void authorization_json(hd_buf *b, const gen_family *f,
                               const gen_auth *a)
{
    bool first = true;

    hd_buf_puts(b, "{\"authorization_id\":");
    hd__gen_json_str(b, a->id);
    hd_buf_puts(b, ",\"pid\":");
    hd__gen_json_str(b, a->a.pid);
    hd_buf_puts(b, ",\"signed_by\":");
    hd__gen_json_str(b, f->persons[a->signer].pid);
    hd_buf_puts(b, ",\"purpose\":[");
    for (int p = 0; p < HD_GEN_PROG_COUNT_; p++) {
        if (!(a->a.purposes & (1u << p)))
            continue;
        hd_buf_puts(b, first ? "" : ",");
        hd__gen_json_str(b, hd_gen_program_name(p));
        first = false;
    }
    hd_buf_puts(b, "],\"scope\":[");
    if (a->a.scope_all) {
        hd_buf_puts(b, "\"*\"");
    } else {
        first = true;
        for (int i = 0; i < hd_feed_count; i++) {
            if (!(a->a.scope_feeds & (1u << hd_feeds[i].id)))
                continue;
            hd_buf_puts(b, first ? "" : ",");
            hd__gen_json_str(b, hd_feeds[i].name);
            first = false;
        }
    }
    hd_buf_puts(b, "],\"valid_from\":");
    json_date(b, a->a.valid_from);
    hd_buf_puts(b, ",\"valid_until\":");
    json_date(b, a->a.valid_until);
    hd_buf_puts(b, ",\"issued_by\":");
    hd__gen_json_str(b, f->world->counties[f->county].code);
    /* Signed later by the consent module (feeds.md: a record with no
     * signature is signed by the node that imports it). */
    hd_buf_puts(b, ",\"signature\":\"\"}\n");
}

static int put_buf(gen_out *o, hd_buf *b, hd_error *err)
{
    int rc = hd_buf_error(b);
    if (rc)
        return hd_error_set(err, rc, "out of memory");
    rc = hd__gen_out_write(o, b->ptr, b->len, err);
    hd_buf_reset(b);
    return rc;
}

/* ------------------------------------------------------------- the run */

int hd_gen_run(hd_gen_stats *out, const hd_gen_options *opts, hd_error *err)
{
    gen_world *world = NULL;
    gen_family *family = NULL;
    gen_counters *counters = NULL;
    gen_csv *csv = NULL;
    gen_writer *writer = NULL;
    gen_pids pids;
    gen_out apps, auths, truth;
    hd_buf line;
    char path[1200];
    int rc = 0;
    int y, m, d;
    int32_t first_day, last_day;

    memset(out, 0, sizeof(*out));
    memset(&pids, 0, sizeof(pids));
    memset(&apps, 0, sizeof(apps));
    memset(&auths, 0, sizeof(auths));
    memset(&truth, 0, sizeof(truth));
    apps.fd = auths.fd = truth.fd = -1;
    hd_buf_init(&line, HD_BUF_DEFAULT_MAX);

    if (!opts->out || !*opts->out)
        return hd_error_set(err, HD_EINVAL, "no output folder");
    if (opts->families < 1)
        return hd_error_set(err, HD_EINVAL, "families must be at least 1");
    if (opts->as_of > opts->applied_on + 366 ||
        opts->as_of < opts->applied_on - 366)
        return hd_error_set(err, HD_EINVAL,
                            "as_of must be within a year of applied_on");
    if ((rc = prepare_dir(opts->out, err)))
        return rc;

    world = hd_malloc(sizeof(*world));
    family = hd_malloc(sizeof(*family));
    counters = hd_calloc(1, sizeof(*counters));
    if (!world || !family || !counters) {
        rc = hd_error_set(err, HD_ENOMEM, "out of memory");
        goto cleanup;
    }
    if ((rc = hd__gen_world_build(world, opts->as_of, opts->applied_on, err)))
        goto cleanup;
    hd_date_to_ymd(opts->applied_on, &y, &m, &d);
    hd_date_from_ymd(&first_day, y - 105, 1, 1);
    last_day = opts->applied_on + 400;
    if ((rc = hd__gen_pids_init(&pids, world->county_count, first_day, last_day,
                                err)))
        goto cleanup;
    if ((rc = hd__gen_writer_start(&writer, JSONL_BUFFER, err)))
        goto cleanup;
    if ((rc = hd__gen_csv_open(&csv, opts->out, world, opts->dirty,
                               opts->dirty_interval, opts->seed, &pids, writer,
                               err)))
        goto cleanup;

    snprintf(path, sizeof(path), "%s/applications.jsonl", opts->out);
    if ((rc = hd__gen_out_open(&apps, path, JSONL_BUFFER, writer, err)))
        goto cleanup;
    snprintf(path, sizeof(path), "%s/authorizations.jsonl", opts->out);
    if ((rc = hd__gen_out_open(&auths, path, JSONL_BUFFER, writer, err)))
        goto cleanup;
    snprintf(path, sizeof(path), "%s/truth.jsonl", opts->out);
    if ((rc = hd__gen_out_open(&truth, path, JSONL_BUFFER, writer, err)))
        goto cleanup;

    for (int64_t i = 0; i < opts->families; i++) {
        hd_gen_application app;

        if ((rc = hd__gen_family_build(family, world, &pids, counters,
                                       opts->seed, i, err)))
            goto cleanup;
        if ((rc = hd__gen_csv_family(csv, family, err)))
            goto cleanup;

        application_json(&line, family);
        if ((rc = put_buf(&apps, &line, err)))
            goto cleanup;
        for (int k = 0; k < family->auth_count; k++)
            authorization_json(&line, family, &family->auths[k]);
        if ((rc = put_buf(&auths, &line, err)))
            goto cleanup;

        app.application_no = family->application_no;
        app.program = family->program_text;
        app.region = world->counties[family->county].code;
        app.applied_on = world->applied_on;
        app.members = family->members;
        app.member_count = family->declared_count;
        hd_gen_result_json(&line, &family->truth, &app,
                           hd_gen_scenario_name(family->scenario));
        hd_buf_putc(&line, '\n');
        if ((rc = put_buf(&truth, &line, err)))
            goto cleanup;

        out->families++;
        out->persons += family->person_count;
        out->scenarios[family->scenario]++;
        out->fallbacks += family->fallback;
    }

    if ((rc = hd__gen_csv_finish(csv, out, err)))
        goto cleanup;
    if ((rc = hd__gen_out_close(&apps, NULL, err)) ||
        (rc = hd__gen_out_close(&auths, NULL, err)) ||
        (rc = hd__gen_out_close(&truth, NULL, err)))
        goto cleanup;
    out->bytes += apps.bytes + auths.bytes + truth.bytes;

    hd_buf_reset(&line);
    if ((rc = hd_gen_policy_json(&line, &world->policy))) {
        rc = hd_error_set(err, rc, "out of memory");
        goto cleanup;
    }
    snprintf(path, sizeof(path), "%s/policy.json", opts->out);
    rc = hd__gen_write_file(path, line.ptr, line.len, &out->bytes, err);

cleanup:
    hd__gen_out_abandon(&apps);
    hd__gen_out_abandon(&auths);
    hd__gen_out_abandon(&truth);
    hd__gen_csv_free(csv);
    hd__gen_writer_stop(writer);
    hd__gen_pids_release(&pids);
    hd_buf_release(&line);
    hd_free(counters);
    hd_free(family);
    hd_free(world);
    return rc;
}
