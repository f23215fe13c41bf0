/* hedui quarantine list [--delivery ID] [--json]: the rows ingest set
 * aside, with where and why. */
#include "cli/cli.h"

#include <hedui/ingest.h>

#include <stdio.h>
#include <string.h>

typedef struct list_state {
    bool json;
    bool first;
    long count;
} list_state;

static int print_row(const hd_quarantine_row *row, void *payload)
{
    list_state *ls = payload;

    ls->count++;
    if (ls->json) {
        hd_buf out;
        int rc;
        hd_buf_init(&out, 0);
        rc = hd_quarantine_row_json(&out, row);
        if (rc == 0)
            printf("%s\n  %s", ls->first ? "" : ",", out.ptr);
        hd_buf_release(&out);
        if (rc)
            return rc;
    } else {
        printf("%s %s:%lld", row->delivery_id, row->file, (long long)row->line);
        if (row->column)
            printf(":%d", row->column);
        printf(" [%s]", hd_reject_name(row->reason));
        if (row->field)
            printf(" %s:", row->field);
        printf(" %s\n    %s\n", row->detail, row->raw);
    }
    ls->first = false;
    return 0;
}

int hd_cmd_quarantine(const hd_cli_globals *globals, int argc, char **argv)
{
    char feeds_buf[4096], msg[1024];
    const char *delivery = NULL;
    list_state ls = {false, true, 0};
    hd_ingest *ing = NULL;
    hd_error err;
    int rc;

    if (argc < 2 || strcmp(argv[1], "list")) {
        fprintf(stderr,
                "usage: hedui quarantine list [--delivery ID] [--json]\n");
        return 2;
    }
    for (int i = 2; i < argc; i++) {
        if (!strcmp(argv[i], "--json")) {
            ls.json = true;
        } else if (!strcmp(argv[i], "--delivery") && i + 1 < argc) {
            delivery = argv[++i];
        } else {
            fprintf(stderr,
                    "usage: hedui quarantine list [--delivery ID] [--json]\n");
            return 2;
        }
    }
    hd_log_set_sink(hd_cli_log_to_stderr, NULL);
    hd_error_clear(&err);
    rc = hd_ingest_open(&ing, globals->db_path,
                        hd_cli_feeds_dir(globals, feeds_buf, sizeof(feeds_buf)),
                        &err);
    if (rc == 0) {
        if (ls.json)
            printf("[");
        rc = hd_casestore_quarantine_list(hd_ingest_casestore(ing), delivery,
                                          print_row, &ls, &err);
        if (ls.json)
            printf("%s]\n", ls.count ? "\n" : "");
    }
    if (rc) {
        fprintf(stderr, "hedui quarantine: %s\n",
                hd_error_format(&err, msg, sizeof(msg)));
        hd_ingest_free(ing);
        return 3;
    }
    if (!ls.json)
        printf("%ld quarantined rows\n", ls.count);
    hd_ingest_free(ing);
    return 0;
}
