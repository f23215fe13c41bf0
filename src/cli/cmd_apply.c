/*
 * hedui apply import FILE.jsonl: record applications (spec feeds.md).
 *
 * A line that is not an application at all (not JSON, not an object, no
 * application_no) is rejected, reported as FILE:LINE: field: reason. An
 * application that rules.md section 7 refuses (unknown program, a bad
 * region, member pid or form, no members) is still stored, with the field
 * and reason of its refusal, since a verification turns it into a
 * `refused` result; it is listed on stderr as refused.
 */
#include "cli/cli.h"

#include <hedui/store.h>
#include <hedui/verify.h>

#include <stdio.h>
#include <string.h>

#define MAX_LINE (1 << 20)

typedef struct import_state {
    const char *path;
    hd_casestore *cs;
    hd_application app;
    int64_t now;
    int64_t read, stored, already, refused, rejected;
    hd_error fatal;
} import_state;

/* A rejected line: reported with its file and line, and counted. */
static void report(import_state *st, int64_t no, hd_error *err)
{
    hd_cli_jsonl_reject(st->path, no, err);
    st->rejected++;
}

static int import_line(const char *line, size_t len, int64_t no, void *payload)
{
    import_state *st = payload;
    const char *pids[HD_MAX_MEMBERS];
    hd_application_row row;
    hd_application *app = &st->app;
    bool stored = false;
    hd_error err;
    int rc;

    if (len == 0 || strspn(line, " \t") == len)
        return 0;
    st->read++;
    hd_error_clear(&err);
    rc = hd_application_parse(app, line, len, &err);
    if (rc == HD_EDATA) {
        report(st, no, &err);
        return 0;
    }
    if (rc) {
        st->fatal = err;
        return rc;
    }
    memset(&row, 0, sizeof(row));
    row.application_no = app->application_no;
    row.program = app->program_name;
    row.region = app->region;
    row.applied_on = app->applied_on;
    if (app->refused) {
        row.refused_field = app->error_field;
        row.refused_reason = app->error_reason;
    }
    row.json = line;
    row.json_len = len;
    row.recorded_at = st->now;
    row.member_count = app->member_count;
    for (int i = 0; i < app->member_count; i++)
        pids[i] = app->members[i].pid;
    row.member_pids = pids;
    /* The store keeps the line as given: bind it with its length. */
    rc = hd_casestore_application_put(st->cs, &row, &stored, &err);
    if (rc == 0 && app->refused && stored)
        fprintf(stderr, "%s:%lld: refused %s: %s: %s\n", st->path,
                (long long)no, app->application_no, app->error_field,
                app->error_reason);
    hd_application_release(app);
    if (rc == HD_EEXISTS) {
        hd_error_at(&err, NULL, 0, 0, "application_no");
        report(st, no, &err);
        return 0;
    }
    if (rc) {
        st->fatal = err;
        return rc;
    }
    if (stored) {
        st->stored++;
        st->refused += app->refused;
    } else {
        st->already++;
    }
    return 0;
}

int hd_cmd_apply(const hd_cli_globals *globals, int argc, char **argv)
{
    import_state st;
    char msg[1024];
    hd_error err;
    int rc;

    if (argc != 3 || strcmp(argv[1], "import")) {
        fprintf(stderr, "usage: hedui apply import FILE.jsonl\n");
        return 2;
    }
    hd_log_set_sink(hd_cli_log_to_stderr, NULL);
    memset(&st, 0, sizeof(st));
    st.path = argv[2];
    st.now = hd_cli_now();
    hd_error_clear(&err);
    hd_error_clear(&st.fatal);
    rc = hd_casestore_open(&st.cs, globals->db_path, &err);
    if (rc == 0)
        rc = hd_casestore_begin(st.cs, &err);
    if (rc == 0) {
        rc = hd_cli_jsonl_each(st.path, MAX_LINE, import_line, &st, &err);
        if (rc && st.fatal.code)
            err = st.fatal;
        if (rc == 0)
            rc = hd_casestore_commit(st.cs, &err);
        if (rc)
            hd_casestore_rollback(st.cs);
    }
    if (rc)
        fprintf(stderr, "hedui apply import: %s\n",
                hd_error_format(&err, msg, sizeof(msg)));
    else
        printf("read %lld, stored %lld (refused %lld), already there %lld, "
               "rejected %lld\n",
               (long long)st.read, (long long)st.stored, (long long)st.refused,
               (long long)st.already, (long long)st.rejected);
    hd_casestore_free(st.cs);
    if (rc)
        return 3;
    return st.rejected ? 1 : 0;
}
