/* hedui status [--json]: what is loaded, per feed. */
#include "cli/cli.h"

#include <hedui/ingest.h>

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void print_json(const hd_feed_status *st, int count)
{
    json_t *arr = json_array();
    char *text;

    for (int i = 0; i < count; i++) {
        char as_of[HD_DATE_TEXT_MAX];
        json_t *o = json_object();
        json_object_set_new(o, "feed", json_string(st[i].feed->name));
        json_object_set_new(o, "department",
                            json_string(st[i].feed->department));
        json_object_set_new(o, "deliveries", json_integer(st[i].deliveries));
        json_object_set_new(o, "rows", json_integer(st[i].rows));
        json_object_set_new(
            o, "as_of",
            st[i].deliveries ? json_string(hd_date_format(as_of, st[i].as_of))
                             : json_null());
        json_object_set_new(o, "last_delivery",
                            st[i].deliveries
                                ? json_string(st[i].last_delivery_id)
                                : json_null());
        json_array_append_new(arr, o);
    }
    text = json_dumps(arr, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    printf("%s\n", text ? text : "[]");
    free(text);
    json_decref(arr);
}

static void print_text(const hd_feed_status *st, int count)
{
    printf("%-18s %-20s %10s %12s  %s\n", "feed", "department", "deliveries",
           "rows", "as_of");
    for (int i = 0; i < count; i++) {
        char as_of[HD_DATE_TEXT_MAX];
        printf("%-18s %-20s %10lld %12lld  %s\n", st[i].feed->name,
               st[i].feed->department, (long long)st[i].deliveries,
               (long long)st[i].rows,
               st[i].deliveries ? hd_date_format(as_of, st[i].as_of) : "-");
    }
}

int hd_cmd_status(const hd_cli_globals *globals, int argc, char **argv)
{
    char feeds_buf[4096], msg[1024];
    hd_feed_status st[32];
    hd_ingest *ing = NULL;
    hd_error err;
    bool json = false;
    int rc;

    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--json")) {
            json = true;
        } else {
            fprintf(stderr, "usage: hedui status [--json]\n");
            return 2;
        }
    }
    hd_log_set_sink(hd_cli_log_to_stderr, NULL);
    hd_error_clear(&err);
    /* Opening through ingest finishes a delivery a crash interrupted, so
     * what status shows is what counts. */
    rc = hd_ingest_open(&ing, globals->db_path,
                        hd_cli_feeds_dir(globals, feeds_buf, sizeof(feeds_buf)),
                        &err);
    if (rc == 0)
        rc = hd_casestore_feed_status(hd_ingest_casestore(ing), st,
                                      hd_feed_count, &err);
    if (rc) {
        fprintf(stderr, "hedui status: %s\n",
                hd_error_format(&err, msg, sizeof(msg)));
        hd_ingest_free(ing);
        return 3;
    }
    if (json)
        print_json(st, hd_feed_count);
    else
        print_text(st, hd_feed_count);
    hd_ingest_free(ing);
    return 0;
}
