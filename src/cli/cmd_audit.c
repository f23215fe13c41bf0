/*
 * hedui audit verify [--expect-head SEQ:HASH]: check the audit chain;
 * exit 0 intact, 1 tampered with (the first problem named, then every
 * one), 3 failure.
 * hedui audit list [--case N] [--actor U] [--action A] [--pid PID]
 *   [--from DATE] [--to DATE] [--offset N] [--limit N]: the trail, newest
 *   first, one JSON object a line. A pid is hashed with the node's person
 *   key before the search and never printed.
 */
#include "cli/cli.h"

#include <hedui/audit.h>
#include <hedui/consent.h>
#include <hedui/std.h>

#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define USAGE                                                                  \
    "usage: hedui audit verify [--expect-head SEQ:HASH]\n"                     \
    "       hedui audit list [--case N] [--actor U] [--action A] [--pid "      \
    "PID]\n"                                                                   \
    "                        [--from YYYY-MM-DD] [--to YYYY-MM-DD] "           \
    "[--offset N] [--limit N]\n"

static int usage(void)
{
    fputs(USAGE, stderr);
    return 2;
}

static int failed(const hd_error *err)
{
    char msg[1024];
    fprintf(stderr, "hedui audit: %s\n",
            hd_error_format(err, msg, sizeof(msg)));
    return 3;
}

/* The keys derived from the node key: the audit chain's, and the one
 * persons are hashed with. A missing key file is an error here, not a
 * new key: a new key verifies nothing. */
static int load_keys(const hd_cli_globals *g, uint8_t chain_key[32],
                     uint8_t person_key[32], hd_error *err)
{
    char key_buf[4096];
    const char *path = hd_cli_key_path(g, key_buf, sizeof(key_buf));
    hd_node_key key;
    bool created;
    int rc;

    if (access(path, F_OK) != 0)
        return hd_error_set(err, HD_ENOTFOUND, "no node key at %s", path);
    rc = hd_node_key_load(&key, &created, path, err);
    if (rc)
        return rc;
    hd_node_key_derive(chain_key, &key, "hedui audit chain key");
    hd_node_key_derive(person_key, &key, "hedui audit person key");
    hd_node_key_wipe(&key);
    return 0;
}

static bool parse_count(int64_t *out, const char *s)
{
    char *end;
    long long v = strtoll(s, &end, 10);
    if (!*s || *end || v < 0)
        return false;
    *out = v;
    return true;
}

/* ------------------------------------------------------------- verify */

static void print_problem(const hd_audit_problem *p, void *payload)
{
    (void)payload;
    printf("%s", hd_audit_kind_name(p->kind));
    if (p->kind == HD_AUDIT_REMOVED) {
        if (p->seq_end > p->seq)
            printf(": seq %lld..%lld", (long long)p->seq,
                   (long long)p->seq_end);
        else
            printf(": seq %lld", (long long)p->seq);
        if (p->after)
            printf(" (between seq %lld and %lld)", (long long)p->before,
                   (long long)p->after);
        else
            printf(" (after seq %lld)", (long long)p->before);
    } else
        printf(": entry id %lld at seq %lld", (long long)p->id,
               (long long)p->seq);
    printf(": %s\n", p->detail);
}

static bool parse_head(int64_t *seq, const char **hash, const char *s)
{
    const char *colon = strchr(s, ':');
    char num[24];
    size_t n = colon ? (size_t)(colon - s) : 0;

    if (!colon || n == 0 || n >= sizeof(num) ||
        strlen(colon + 1) != HD_AUDIT_HASH_HEX - 1)
        return false;
    memcpy(num, s, n);
    num[n] = '\0';
    *hash = colon + 1;
    return parse_count(seq, num) && *seq > 0;
}

static int cmd_verify(const hd_cli_globals *g, int argc, char **argv)
{
    uint8_t chain_key[32], person_key[32];
    const char *expect_hash = NULL;
    int64_t expect_seq = 0;
    hd_casestore *cs = NULL;
    hd_audit_report rep;
    hd_error err;
    int rc;

    for (int i = 2; i < argc; i++) {
        if (!strcmp(argv[i], "--expect-head") && i + 1 < argc) {
            if (!parse_head(&expect_seq, &expect_hash, argv[++i])) {
                fprintf(stderr, "hedui audit: --expect-head takes SEQ:HASH "
                                "(64 hex digits)\n");
                return 2;
            }
        } else {
            return usage();
        }
    }
    hd_error_clear(&err);
    rc = load_keys(g, chain_key, person_key, &err);
    sodium_memzero(person_key, sizeof(person_key));
    if (rc == 0)
        rc = hd_casestore_open(&cs, g->db_path, &err);
    if (rc == 0)
        rc = hd_audit_verify(&rep, cs, chain_key, expect_seq, expect_hash,
                             print_problem, NULL, &err);
    sodium_memzero(chain_key, sizeof(chain_key));
    hd_casestore_free(cs);
    if (rc)
        return failed(&err);
    printf("entries: %lld chained, %lld before the chain (not covered)\n",
           (long long)rep.entries, (long long)rep.unchained);
    printf("head: %lld:%s\n", (long long)rep.head_seq,
           rep.head_seq ? rep.head_hash : "");
    if (!rep.problems) {
        printf("audit chain intact\n");
        return 0;
    }
    printf("audit chain TAMPERED: %lld problem%s; first: ",
           (long long)rep.problems, rep.problems == 1 ? "" : "s");
    print_problem(&rep.first, NULL);
    return 1;
}

/* --------------------------------------------------------------- list */

/* A JSON array as stored, or the text itself if it is not one. */
static json_t *array_or_text(const char *s)
{
    json_t *v = s ? json_loads(s, JSON_DECODE_ANY, NULL) : NULL;
    return v ? v : (s ? json_string(s) : json_null());
}

static json_t *text_or_null(const char *s)
{
    return s ? json_string(s) : json_null();
}

static int print_entry(const hd_audit_row *row, void *payload)
{
    const hd_audit_entry *e = &row->entry;
    json_t *o = json_object();
    char *text;

    (void)payload;
    if (!o)
        return HD_ENOMEM;
    json_object_set_new(o, "id", json_integer(row->id));
    json_object_set_new(o, "seq",
                        row->seq ? json_integer(row->seq) : json_null());
    json_object_set_new(o, "at", json_integer(e->at));
    json_object_set_new(o, "actor", text_or_null(e->actor));
    json_object_set_new(o, "role", text_or_null(e->role));
    json_object_set_new(o, "region", text_or_null(e->region));
    json_object_set_new(o, "action", text_or_null(e->action));
    json_object_set_new(o, "case_no", text_or_null(e->case_no));
    json_object_set_new(o, "persons", array_or_text(e->persons));
    json_object_set_new(o, "feeds", array_or_text(e->feeds));
    json_object_set_new(o, "authorizations", array_or_text(e->authorizations));
    json_object_set_new(o, "outcome", text_or_null(e->outcome));
    json_object_set_new(o, "entry_hash", text_or_null(row->entry_hash));
    text = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
    json_decref(o);
    if (!text)
        return HD_ENOMEM;
    puts(text);
    free(text);
    return 0;
}

/* A date's first or last second. */
static bool parse_day(int64_t *out, const char *s, bool end)
{
    int32_t day;

    if (hd_date_parse(&day, s, strlen(s), NULL))
        return false;
    *out = (int64_t)day * 86400 + (end ? 86399 : 0);
    return true;
}

static int cmd_list(const hd_cli_globals *g, int argc, char **argv)
{
    uint8_t chain_key[32], person_key[32];
    char person[33];
    const char *pid = NULL;
    hd_audit_filter f = {0};
    int64_t offset = 0, limit = 100, total = 0;
    hd_casestore *cs = NULL;
    hd_error err;
    int rc;

    /* Options and their values, in pairs. */
    for (int i = 2; i < argc; i += 2) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        bool ok = v != NULL;

        if (ok && !strcmp(a, "--case"))
            f.case_no = v;
        else if (ok && !strcmp(a, "--actor"))
            f.actor = v;
        else if (ok && !strcmp(a, "--action"))
            f.action = v;
        else if (ok && !strcmp(a, "--pid"))
            pid = v;
        else if (ok && !strcmp(a, "--from"))
            ok = parse_day(&f.from, v, false);
        else if (ok && !strcmp(a, "--to"))
            ok = parse_day(&f.to, v, true);
        else if (ok && !strcmp(a, "--offset"))
            ok = parse_count(&offset, v);
        else if (ok && !strcmp(a, "--limit"))
            ok = parse_count(&limit, v);
        else
            ok = false;
        if (!ok)
            return usage();
    }
    hd_error_clear(&err);
    rc = load_keys(g, chain_key, person_key, &err);
    sodium_memzero(chain_key, sizeof(chain_key));
    if (rc == 0 && pid) {
        char norm[HD_PID_LEN + 1];
        if (hd_pid_normalize(norm, pid, strlen(pid), &err) == HD_PID_OK) {
            hd_audit_person_hash(person, person_key, norm);
            f.person_hash = person;
        } else {
            rc = HD_EDATA;
        }
        sodium_memzero(norm, sizeof(norm));
    }
    sodium_memzero(person_key, sizeof(person_key));
    if (rc == 0)
        rc = hd_casestore_open(&cs, g->db_path, &err);
    if (rc == 0)
        rc = hd_audit_search(cs, &f, offset, limit, &total, print_entry, NULL,
                             &err);
    if (rc == HD_ENOMEM)
        hd_error_set(&err, rc, "out of memory");
    hd_casestore_free(cs);
    if (rc)
        return failed(&err);
    fprintf(stderr, "%lld matching entr%s\n", (long long)total,
            total == 1 ? "y" : "ies");
    return 0;
}

int hd_cmd_audit(const hd_cli_globals *globals, int argc, char **argv)
{
    if (argc < 2)
        return usage();
    hd_log_set_sink(hd_cli_log_to_stderr, NULL);
    if (!strcmp(argv[1], "verify"))
        return cmd_verify(globals, argc, argv);
    if (!strcmp(argv[1], "list"))
        return cmd_list(globals, argc, argv);
    return usage();
}
