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

/* A line waiting for its batch, to be reported in line order: a row
 * (pointing into the arena) or a rejection. */
typedef struct pending_line {
    int64_t no;
    int row;             /* index in rows, or -1 for a rejected line */
    hd_error *rejection; /* why, when rejected */
    const char *refusal; /* "field: reason" when refused */
} pending_line;

typedef struct import_state {
    const char *path;
    hd_casestore *cs;
    hd_application app;
    int64_t now;
    int64_t read, stored, already, refused, rejected;
    hd_error fatal;
    /* The batch: lines parsed, stored together (one round trip on a
     * PostgreSQL store). */
    hd_arena arena;
    hd_application_row rows[HD_CASESTORE_BATCH];
    int row_count;
    pending_line lines[2 * HD_CASESTORE_BATCH];
    int line_count;
} import_state;

/* A rejected line: reported with its file and line, and counted. */
static void report(import_state *st, int64_t no, hd_error *err)
{
    hd_cli_jsonl_reject(st->path, no, err);
    st->rejected++;
}

/* Store the batch and report each line's outcome in line order. */
static int flush_batch(import_state *st)
{
    int rcs[HD_CASESTORE_BATCH];
    bool stored[HD_CASESTORE_BATCH];
    int rc = st->row_count
                 ? hd_casestore_application_put_many(
                       st->cs, st->rows, st->row_count, rcs, stored, &st->fatal)
                 : 0;

    for (int i = 0; rc == 0 && i < st->line_count; i++) {
        const pending_line *l = &st->lines[i];
        const hd_application_row *row = l->row >= 0 ? &st->rows[l->row] : NULL;
        if (!row) {
            report(st, l->no, l->rejection);
        } else if (rcs[l->row] == HD_EEXISTS) {
            hd_error err;
            hd_error_set(&err, HD_EEXISTS,
                         "application %s is already recorded with other "
                         "content",
                         row->application_no);
            hd_error_at(&err, NULL, 0, 0, "application_no");
            report(st, l->no, &err);
        } else if (stored[l->row]) {
            st->stored++;
            st->refused += l->refusal != NULL;
            if (l->refusal)
                fprintf(stderr, "%s:%lld: refused %s: %s\n", st->path,
                        (long long)l->no, row->application_no, l->refusal);
        } else {
            st->already++;
        }
    }
    st->row_count = 0;
    st->line_count = 0;
    hd_arena_reset(&st->arena);
    return rc;
}

/* Full when either list is: a batch of rows, or as many lines besides. */
static int line_added(import_state *st)
{
    st->line_count++;
    if (st->row_count == HD_CASESTORE_BATCH ||
        st->line_count == 2 * HD_CASESTORE_BATCH)
        return flush_batch(st);
    return 0;
}

static const char *keep(import_state *st, const char *s, size_t len)
{
    return hd_arena_strndup(&st->arena, s, len);
}

/* Copy what the row needs of a parsed application into the batch. */
static int queue_row(import_state *st, const hd_application *app,
                     const char *line, size_t len, int64_t no)
{
    hd_application_row *row = &st->rows[st->row_count];
    pending_line *l = &st->lines[st->line_count];
    const char **pids = hd_arena_alloc(
        &st->arena, (size_t)(app->member_count + 1) * sizeof(*pids));
    bool ok = pids != NULL;

    memset(row, 0, sizeof(*row));
    memset(l, 0, sizeof(*l));
    row->application_no =
        keep(st, app->application_no, strlen(app->application_no));
    row->program = keep(st, app->program_name, strlen(app->program_name));
    row->region = keep(st, app->region, strlen(app->region));
    row->applied_on = app->applied_on;
    if (app->refused) {
        char text[sizeof(app->error_field) + sizeof(app->error_reason) + 4];
        row->refused_field =
            keep(st, app->error_field, strlen(app->error_field));
        row->refused_reason =
            keep(st, app->error_reason, strlen(app->error_reason));
        snprintf(text, sizeof(text), "%s: %s", app->error_field,
                 app->error_reason);
        l->refusal = keep(st, text, strlen(text));
        ok = ok && row->refused_field && row->refused_reason && l->refusal;
    }
    /* The store keeps the line as given. */
    row->json = keep(st, line, len);
    row->json_len = len;
    row->recorded_at = st->now;
    row->member_count = app->member_count;
    for (int i = 0; ok && i < app->member_count; i++)
        ok = (pids[i] = keep(st, app->members[i].pid,
                             strlen(app->members[i].pid))) != NULL;
    row->member_pids = pids;
    ok = ok && row->application_no && row->program && row->region && row->json;
    if (!ok)
        return hd_error_set(&st->fatal, HD_ENOMEM, "out of memory");
    l->no = no;
    l->row = st->row_count++;
    return line_added(st);
}

static int queue_rejection(import_state *st, const hd_error *err, int64_t no)
{
    pending_line *l = &st->lines[st->line_count];

    memset(l, 0, sizeof(*l));
    l->no = no;
    l->row = -1;
    l->rejection = hd_arena_alloc(&st->arena, sizeof(*err));
    if (!l->rejection)
        return hd_error_set(&st->fatal, HD_ENOMEM, "out of memory");
    *l->rejection = *err;
    return line_added(st);
}

static int import_line(const char *line, size_t len, int64_t no, void *payload)
{
    import_state *st = payload;
    hd_application *app = &st->app;
    hd_error err;
    int rc;

    if (len == 0 || strspn(line, " \t") == len)
        return 0;
    st->read++;
    hd_error_clear(&err);
    rc = hd_application_parse(app, line, len, &err);
    if (rc == HD_EDATA)
        return queue_rejection(st, &err, no);
    if (rc) {
        st->fatal = err;
        return rc;
    }
    rc = queue_row(st, app, line, len, no);
    hd_application_release(app);
    return rc;
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
    hd_arena_init(&st.arena, 0);
    st.path = argv[2];
    st.now = hd_cli_now();
    hd_error_clear(&err);
    hd_error_clear(&st.fatal);
    rc = hd_casestore_open(&st.cs, globals->db_path, &err);
    if (rc == 0)
        rc = hd_casestore_begin(st.cs, &err);
    if (rc == 0) {
        rc = hd_cli_jsonl_each(st.path, MAX_LINE, import_line, &st, &err);
        if (rc == 0)
            rc = flush_batch(&st);
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
    hd_arena_release(&st.arena);
    if (rc)
        return 3;
    return st.rejected ? 1 : 0;
}
