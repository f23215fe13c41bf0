/*
 * hedui consent import FILE.jsonl | revoke ID [--reason TEXT] |
 * list PID [--full]: authorizations (spec feeds.md).
 *
 * Import reads one authorization a line. The operator running it is
 * taken to be "a user allowed to record authorizations" (feeds.md): a
 * record without a signature is signed with the node key; a signed one
 * must verify against the node's own key or the trust list. Bad lines are
 * reported as FILE:LINE: field: reason and skipped; the rest are stored
 * in one transaction.
 */
#include "cli/cli.h"

#include <hedui/consent.h>

#include <stdio.h>
#include <string.h>

#define MAX_LINE (1 << 20)

static void usage(void)
{
    fprintf(stderr, "usage: hedui consent import FILE.jsonl\n"
                    "       hedui consent revoke ID [--reason TEXT]\n"
                    "       hedui consent list PID [--full]\n"
                    "       hedui consent key\n");
}

static const char *key_path(const hd_cli_globals *globals, char *buf,
                            size_t buf_len)
{
    if (globals->key_path)
        return globals->key_path;
    snprintf(buf, buf_len, "%s.key", globals->db_path);
    return buf;
}

typedef struct import_state {
    const char *path;
    hd_casestore *cs;
    hd_node_key key;
    hd_trust_list trust;
    hd_authorization_doc doc;
    hd_buf signed_json;
    int64_t now;
    int64_t read, stored, already, rejected;
    hd_error fatal;
} import_state;

static void report_line(import_state *st, int64_t no, hd_error *err)
{
    char msg[1024];

    hd_error_at(err, st->path, no, 0, NULL);
    fprintf(stderr, "%s\n", hd_error_format(err, msg, sizeof(msg)));
    st->rejected++;
}

static int import_line(const char *line, size_t len, int64_t no, void *payload)
{
    import_state *st = payload;
    char dates[2][HD_DATE_TEXT_MAX];
    hd_consent_row row;
    hd_error err;
    bool stored = false;
    int rc;

    if (len == 0 || strspn(line, " \t") == len)
        return 0;
    st->read++;
    hd_error_clear(&err);
    rc = hd_authorization_parse(&st->doc, line, len, &err);
    if (rc == 0)
        rc = hd_authorization_accept(&st->doc, &st->key, &st->trust, &err);
    if (rc == HD_EDATA) {
        report_line(st, no, &err);
        return 0;
    }
    hd_buf_reset(&st->signed_json);
    if (rc == 0)
        rc = hd_authorization_signed_json(&st->signed_json, &st->doc, &err);
    if (rc == 0) {
        hd_authorization_row(&row, &st->doc, dates, st->signed_json.ptr,
                             st->now);
        rc = hd_casestore_consent_put(st->cs, &row, &stored, &err);
    }
    if (rc == HD_EEXISTS) {
        hd_error_at(&err, NULL, 0, 0, "authorization_id");
        report_line(st, no, &err);
        return 0;
    }
    if (rc) {
        st->fatal = err;
        return rc;
    }
    if (stored)
        st->stored++;
    else
        st->already++;
    return 0;
}

static int cmd_import(const hd_cli_globals *globals, const char *file)
{
    char kbuf[4096], msg[1024];
    const char *kpath = key_path(globals, kbuf, sizeof(kbuf));
    import_state st;
    bool created = false;
    hd_error err;
    int rc;

    memset(&st, 0, sizeof(st));
    st.path = file;
    st.now = hd_cli_now();
    hd_trust_list_init(&st.trust);
    hd_authorization_doc_init(&st.doc);
    hd_buf_init(&st.signed_json, 0);
    hd_error_clear(&err);
    hd_error_clear(&st.fatal);

    rc = hd_node_key_load(&st.key, &created, kpath, &err);
    if (rc == 0 && created)
        fprintf(stderr, "created node key %s (%s)\n", kpath, st.key.node_id);
    if (rc == 0 && globals->trust_path)
        rc = hd_trust_list_load(&st.trust, globals->trust_path, &err);
    if (rc == 0)
        rc = hd_casestore_open(&st.cs, globals->db_path, &err);
    if (rc == 0)
        rc = hd_casestore_begin(st.cs, &err);
    if (rc)
        goto out;
    rc = hd_cli_jsonl_each(file, MAX_LINE, import_line, &st, &err);
    if (rc && st.fatal.code)
        err = st.fatal;
    if (rc == 0)
        rc = hd_casestore_commit(st.cs, &err);
    if (rc)
        hd_casestore_rollback(st.cs);
out:
    if (rc) {
        fprintf(stderr, "hedui consent import: %s\n",
                hd_error_format(&err, msg, sizeof(msg)));
    } else {
        printf("read %lld, stored %lld, already there %lld, rejected %lld\n",
               (long long)st.read, (long long)st.stored, (long long)st.already,
               (long long)st.rejected);
    }
    hd_casestore_free(st.cs);
    hd_node_key_wipe(&st.key);
    hd_trust_list_release(&st.trust);
    hd_authorization_doc_release(&st.doc);
    hd_buf_release(&st.signed_json);
    if (rc)
        return 3;
    return st.rejected ? 1 : 0;
}

static int cmd_revoke(const hd_cli_globals *globals, int argc, char **argv)
{
    const char *id = NULL, *reason = NULL;
    hd_casestore *cs = NULL;
    char msg[1024];
    hd_error err;
    int rc;

    for (int i = 2; i < argc; i++) {
        if (!strcmp(argv[i], "--reason") && i + 1 < argc)
            reason = argv[++i];
        else if (!id && argv[i][0] != '-')
            id = argv[i];
        else
            return usage(), 2;
    }
    if (!id)
        return usage(), 2;
    hd_error_clear(&err);
    rc = hd_casestore_open(&cs, globals->db_path, &err);
    if (rc == 0)
        rc = hd_casestore_consent_revoke(cs, id, hd_cli_now(), reason, &err);
    hd_casestore_free(cs);
    if (rc) {
        fprintf(stderr, "hedui consent revoke: %s\n",
                hd_error_format(&err, msg, sizeof(msg)));
        return rc == HD_ENOTFOUND ? 1 : 3;
    }
    printf("revoked %s\n", id);
    return 0;
}

typedef struct list_state {
    bool full;
    long count;
} list_state;

static int print_consent(const hd_consent_row *row, void *payload)
{
    list_state *ls = payload;
    char pid[32], by[32], from[HD_DATE_TEXT_MAX], until[HD_DATE_TEXT_MAX];

    ls->count++;
    if (ls->full) {
        snprintf(pid, sizeof(pid), "%s", row->pid);
        snprintf(by, sizeof(by), "%s", row->signed_by);
    } else {
        hd_mask_pid(pid, row->pid, strnlen(row->pid, sizeof(pid) - 1));
        hd_mask_pid(by, row->signed_by,
                    strnlen(row->signed_by, sizeof(by) - 1));
    }
    hd_date_format(from, row->valid_from);
    hd_date_format(until, row->valid_until);
    printf("%s pid=%s signed_by=%s purpose=%s scope=%s valid=%s..%s "
           "issued_by=%s",
           row->authorization_id, pid, by, row->purposes, row->scope, from,
           until, row->issued_by);
    if (row->revoked_at)
        printf(" revoked_at=%lld reason=\"%s\"", (long long)row->revoked_at,
               row->revoked_reason ? row->revoked_reason : "");
    printf("\n");
    return 0;
}

static int cmd_list(const hd_cli_globals *globals, int argc, char **argv)
{
    char pid[HD_PID_LEN + 1], msg[1024];
    const char *given = NULL;
    list_state ls = {false, 0};
    hd_casestore *cs = NULL;
    hd_error err;
    int rc;

    for (int i = 2; i < argc; i++) {
        if (!strcmp(argv[i], "--full"))
            ls.full = true;
        else if (!given && argv[i][0] != '-')
            given = argv[i];
        else
            return usage(), 2;
    }
    if (!given)
        return usage(), 2;
    hd_error_clear(&err);
    if (hd_pid_normalize(pid, given, strlen(given), &err) != HD_PID_OK) {
        fprintf(stderr, "hedui consent list: not a citizen ID: %s\n", err.msg);
        return 2;
    }
    rc = hd_casestore_open(&cs, globals->db_path, &err);
    if (rc == 0)
        rc = hd_casestore_consents(cs, pid, print_consent, &ls, &err);
    hd_casestore_free(cs);
    if (rc) {
        fprintf(stderr, "hedui consent list: %s\n",
                hd_error_format(&err, msg, sizeof(msg)));
        return 3;
    }
    if (ls.count == 0)
        fprintf(stderr, "no authorization\n");
    return 0;
}

/* Print this node's trust line, making the key when there is none. */
static int cmd_key(const hd_cli_globals *globals)
{
    char kbuf[4096], msg[1024];
    const char *kpath = key_path(globals, kbuf, sizeof(kbuf));
    hd_node_key key;
    bool created = false;
    hd_buf line;
    hd_error err;
    int rc;

    hd_error_clear(&err);
    hd_buf_init(&line, 0);
    rc = hd_node_key_load(&key, &created, kpath, &err);
    if (rc) {
        fprintf(stderr, "hedui consent key: %s\n",
                hd_error_format(&err, msg, sizeof(msg)));
        return 3;
    }
    if (created)
        fprintf(stderr, "created node key %s (%s)\n", kpath, key.node_id);
    hd_node_key_trust_line(&line, &key);
    printf("%s hedui node\n", line.ptr);
    hd_node_key_wipe(&key);
    hd_buf_release(&line);
    return 0;
}

int hd_cmd_consent(const hd_cli_globals *globals, int argc, char **argv)
{
    hd_log_set_sink(hd_cli_log_to_stderr, NULL);
    if (argc == 3 && !strcmp(argv[1], "import"))
        return cmd_import(globals, argv[2]);
    if (argc >= 3 && !strcmp(argv[1], "revoke"))
        return cmd_revoke(globals, argc, argv);
    if (argc >= 3 && !strcmp(argv[1], "list"))
        return cmd_list(globals, argc, argv);
    if (argc == 2 && !strcmp(argv[1], "key"))
        return cmd_key(globals);
    usage();
    return 2;
}
