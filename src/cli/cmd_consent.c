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

#include <pthread.h>
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

/*
 * Lines are taken in batches; two threads (this one and a helper) parse,
 * sign or verify a batch's halves, then this thread stores the batch in
 * line order. A signature costs ~25 us and a verification ~100 us, more
 * than storing a record, so this nearly halves an import of millions.
 */
#define BATCH 1024

typedef struct slot {
    size_t offset; /* of the line in the batch's text */
    size_t len;
    int64_t no;
    int rc;
    hd_error err;
    hd_authorization_doc doc;
    hd_buf signed_json;
} slot;

typedef struct import_state {
    const char *path;
    hd_casestore *cs;
    hd_node_key key;
    hd_trust_list trust;
    slot *slots;
    size_t count; /* lines in the batch */
    hd_buf text;  /* the batch's lines */
    int64_t now;
    int64_t read, stored, already, rejected;
    hd_error fatal;
} import_state;

typedef struct half {
    import_state *st;
    size_t from, to;
} half;

/* A rejected line: reported with its file and line, and counted. */
static void report_line(import_state *st, int64_t no, hd_error *err)
{
    hd_cli_jsonl_reject(st->path, no, err);
    st->rejected++;
}

/* Parse, sign or verify, and write the stored form of slots [from, to). */
static void *prepare(void *arg)
{
    half *h = arg;
    import_state *st = h->st;

    for (size_t i = h->from; i < h->to; i++) {
        slot *sl = &st->slots[i];
        hd_error_clear(&sl->err);
        hd_buf_reset(&sl->signed_json);
        sl->rc = hd_authorization_parse(&sl->doc, st->text.ptr + sl->offset,
                                        sl->len, &sl->err);
        if (sl->rc == 0)
            sl->rc = hd_authorization_accept(&sl->doc, &st->key, &st->trust,
                                             &sl->err);
        if (sl->rc == 0)
            sl->rc = hd_authorization_signed_json(&sl->signed_json, &sl->doc,
                                                  &sl->err);
    }
    return NULL;
}

/* Report a slot's outcome, in line order; `put` is its store result. */
static int report_slot(import_state *st, slot *sl, int put, bool stored)
{
    if (sl->rc == HD_EDATA) {
        report_line(st, sl->no, &sl->err);
        return 0;
    }
    if (sl->rc) {
        st->fatal = sl->err;
        return sl->rc;
    }
    if (put == HD_EEXISTS) {
        hd_error_set(&sl->err, HD_EEXISTS,
                     "authorization %s is already recorded with other "
                     "content",
                     sl->doc.auth.authorization_id);
        hd_error_at(&sl->err, NULL, 0, 0, "authorization_id");
        report_line(st, sl->no, &sl->err);
    } else if (stored) {
        st->stored++;
    } else {
        st->already++;
    }
    return 0;
}

/* Store slots [from, to) that were accepted, together, then report them
 * all. */
static int store_slots(import_state *st, size_t from, size_t to)
{
    hd_consent_row rows[HD_CASESTORE_BATCH];
    char dates[HD_CASESTORE_BATCH][2][HD_DATE_TEXT_MAX];
    int rcs[HD_CASESTORE_BATCH], n = 0, rc = 0;
    bool stored[HD_CASESTORE_BATCH];

    for (size_t i = from; i < to; i++) {
        slot *sl = &st->slots[i];
        if (sl->rc != 0)
            continue;
        hd_authorization_row(&rows[n], &sl->doc, dates[n], sl->signed_json.ptr,
                             st->now);
        n++;
    }
    if (n)
        rc = hd_casestore_consent_put_many(st->cs, rows, n, rcs, stored,
                                           &st->fatal);
    n = 0;
    for (size_t i = from; rc == 0 && i < to; i++) {
        slot *sl = &st->slots[i];
        bool ok = sl->rc == 0;
        rc = report_slot(st, sl, ok ? rcs[n] : 0, ok && stored[n]);
        n += ok;
    }
    return rc;
}

static int run_batch(import_state *st)
{
    half a = {st, 0, st->count / 2}, b = {st, st->count / 2, st->count};
    pthread_t helper;
    bool threaded;
    int rc = 0;

    if (hd_buf_error(&st->text)) {
        hd_error_set(&st->fatal, hd_buf_error(&st->text), "out of memory");
        return hd_buf_error(&st->text);
    }
    threaded = st->count > 1 && pthread_create(&helper, NULL, prepare, &b) == 0;
    if (!threaded)
        a.to = st->count;
    prepare(&a);
    if (threaded)
        pthread_join(helper, NULL);
    for (size_t i = 0; rc == 0 && i < st->count; i += HD_CASESTORE_BATCH)
        rc = store_slots(st, i,
                         i + HD_CASESTORE_BATCH < st->count
                             ? i + HD_CASESTORE_BATCH
                             : st->count);
    st->count = 0;
    hd_buf_reset(&st->text);
    return rc;
}

static int import_line(const char *line, size_t len, int64_t no, void *payload)
{
    import_state *st = payload;
    slot *sl;

    if (len == 0 || strspn(line, " \t") == len)
        return 0;
    st->read++;
    sl = &st->slots[st->count++];
    sl->offset = st->text.len;
    sl->len = len;
    sl->no = no;
    hd_buf_append(&st->text, line, len);
    hd_buf_putc(&st->text, '\0');
    return st->count == BATCH ? run_batch(st) : 0;
}

static int cmd_import(const hd_cli_globals *globals, const char *file)
{
    char kbuf[4096], msg[1024];
    const char *kpath = hd_cli_key_path(globals, kbuf, sizeof(kbuf));
    import_state st;
    bool created = false;
    hd_error err;
    int rc;

    memset(&st, 0, sizeof(st));
    st.path = file;
    st.now = hd_cli_now();
    hd_trust_list_init(&st.trust);
    hd_buf_init(&st.text, 0);
    hd_error_clear(&err);
    hd_error_clear(&st.fatal);
    st.slots = hd_calloc(BATCH, sizeof(*st.slots));
    if (!st.slots) {
        rc = hd_error_set(&err, HD_ENOMEM, "out of memory");
        goto out;
    }
    for (size_t i = 0; i < BATCH; i++) {
        hd_authorization_doc_init(&st.slots[i].doc);
        hd_buf_init(&st.slots[i].signed_json, 0);
    }

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
    if (rc == 0 && st.count)
        rc = run_batch(&st);
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
    for (size_t i = 0; st.slots && i < BATCH; i++) {
        hd_authorization_doc_release(&st.slots[i].doc);
        hd_buf_release(&st.slots[i].signed_json);
    }
    hd_free(st.slots);
    hd_buf_release(&st.text);
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
    const char *kpath = hd_cli_key_path(globals, kbuf, sizeof(kbuf));
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
