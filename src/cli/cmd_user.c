/*
 * hedui user add|list|disable|passwd|role: staff accounts from the
 * server's own command line, for the first admin and for recovery
 * (docs/security.md). The actor the audit log names is "cli:uid=N".
 *
 * Passwords come from --password-file F, or from standard input, one
 * line (without echo when it is a terminal); never from the command
 * line, where `ps` would show them. Exit status: 0 done, 1 refused (a
 * bad value, a taken or unknown username), 2 usage, 3 failure.
 */
#include "cli/cli.h"

#include <hedui/consent.h>
#include <hedui/staff.h>

#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

static void usage(void)
{
    fprintf(stderr,
            "usage: hedui user add USERNAME --role ROLE --region CODE "
            "[--name NAME] [--password-file F]\n"
            "       hedui user list [--region CODE]\n"
            "       hedui user disable USERNAME\n"
            "       hedui user passwd USERNAME [--password-file F]\n"
            "       hedui user role USERNAME --role ROLE --region CODE\n"
            "roles: clerk, verifier, approver, auditor, admin; a password "
            "is read from standard input (one line) unless a file is "
            "named\n");
}

typedef struct opts {
    const char *username, *role, *region, *name, *password_file;
} opts;

/* Options after the subcommand (and its USERNAME when `with_user`):
 * 0, or 2 for something unknown or missing. */
static int parse(opts *o, int argc, char **argv, bool with_user)
{
    int i = 2;

    memset(o, 0, sizeof(*o));
    if (with_user) {
        if (argc < 3 || argv[2][0] == '-')
            return 2;
        o->username = argv[i++];
    }
    for (; i < argc; i++) {
        const char **slot = NULL;
        if (!strcmp(argv[i], "--role"))
            slot = &o->role;
        else if (!strcmp(argv[i], "--region"))
            slot = &o->region;
        else if (!strcmp(argv[i], "--name"))
            slot = &o->name;
        else if (!strcmp(argv[i], "--password-file"))
            slot = &o->password_file;
        if (!slot || i + 1 == argc)
            return 2;
        *slot = argv[++i];
    }
    return 0;
}

/* One line of `in` into `out` (line end removed): 0, or 1 when there is
 * none or it is too long. */
static int read_line(char *out, size_t out_len, FILE *in)
{
    size_t len;

    if (!fgets(out, (int)out_len, in))
        return 1;
    len = strlen(out);
    if (len && out[len - 1] == '\n')
        out[--len] = '\0';
    else if (!feof(in))
        return 1; /* longer than the buffer */
    if (len && out[len - 1] == '\r')
        out[--len] = '\0';
    return 0;
}

static int read_password(char *out, size_t out_len, const char *path)
{
    struct termios old, quiet;
    bool tty = !path && isatty(STDIN_FILENO);
    FILE *in = stdin;
    int rc;

    if (path && !(in = fopen(path, "r"))) {
        fprintf(stderr, "hedui user: cannot read %s\n", path);
        return 1;
    }
    if (tty && tcgetattr(STDIN_FILENO, &old) == 0) {
        quiet = old;
        quiet.c_lflag &= ~(tcflag_t)ECHO;
        fprintf(stderr, "password: ");
        tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
    } else {
        tty = false;
    }
    rc = read_line(out, out_len, in);
    if (tty) {
        tcsetattr(STDIN_FILENO, TCSAFLUSH, &old);
        fprintf(stderr, "\n");
    }
    if (path)
        fclose(in);
    if (rc)
        fprintf(stderr,
                "hedui user: no password (one line of at most %d "
                "bytes)\n",
                HD_STAFF_PASSWORD_MAX);
    return rc;
}

/* The case store, with the audit chain's key derived from the node key
 * (made when missing, as every command that writes the audit log). */
static int open_store(hd_casestore **out, const hd_cli_globals *globals,
                      hd_error *err)
{
    char kbuf[4096];
    const char *kpath = hd_cli_key_path(globals, kbuf, sizeof(kbuf));
    uint8_t audit_key[32];
    hd_node_key key;
    bool created = false;
    int rc;

    *out = NULL;
    if ((rc = hd_node_key_load(&key, &created, kpath, err)) != 0)
        return rc;
    if (created)
        fprintf(stderr, "created node key %s (%s)\n", kpath, key.node_id);
    hd_node_key_derive(audit_key, &key, "hedui audit chain key");
    hd_node_key_wipe(&key);
    rc = hd_casestore_open(out, globals->db_path, err);
    if (rc == 0)
        hd_casestore_set_audit_key(*out, audit_key);
    sodium_memzero(audit_key, sizeof(audit_key));
    return rc;
}

/* Report a failure: 1 when the input was refused, 3 otherwise. */
static int fail(const char *what, hd_error *err)
{
    char msg[1024];

    fprintf(stderr, "hedui user %s: %s\n", what,
            hd_error_format(err, msg, sizeof(msg)));
    switch (err->code) {
    case HD_EINVAL:
    case HD_EEXISTS:
    case HD_ENOTFOUND:
    case HD_EDENIED:
    case HD_EAUTH:
    case HD_ECONFLICT:
        return 1;
    default:
        return 3;
    }
}

static int print_uri(const char *username, const char *uri)
{
    if (!*uri)
        return 0;
    printf("second factor for %s (shown once: add it to an authenticator "
           "app now):\n%s\n",
           username, uri);
    return 0;
}

static int cmd_add(const hd_cli_globals *globals, hd_staff_actor *actor,
                   int argc, char **argv)
{
    char password[HD_STAFF_PASSWORD_MAX + 2], uri[HD_STAFF_TOTP_URI_MAX];
    hd_casestore *cs = NULL;
    hd_staff_new u;
    hd_error err;
    hd_role role;
    opts o;
    int rc;

    hd_error_clear(&err);
    if (parse(&o, argc, argv, true) || !o.role || !o.region) {
        usage();
        return 2;
    }
    if (hd_role_parse(&role, o.role, &err))
        return fail("add", &err);
    if (read_password(password, sizeof(password), o.password_file))
        return 1;
    u = (hd_staff_new){o.username, o.name, role, o.region, password};
    rc = open_store(&cs, globals, &err);
    if (rc == 0)
        rc = hd_staff_user_add(uri, cs, actor, &u, hd_cli_now(), &err);
    sodium_memzero(password, sizeof(password));
    hd_casestore_free(cs);
    if (rc)
        return fail("add", &err);
    printf("added %s (%s, %s, region %s)\n", o.username, hd_role_name(role),
           hd_role_title(role), o.region);
    return print_uri(o.username, uri);
}

static int print_user(const hd_staff_user *u, void *payload)
{
    char until[32];
    int64_t now = *(const int64_t *)payload;
    const char *status = "active";

    if (u->disabled) {
        status = "disabled";
    } else if (u->locked_until > now) {
        int32_t day = (int32_t)(u->locked_until / 86400);
        int secs = (int)(u->locked_until % 86400);
        char date[HD_DATE_TEXT_MAX];
        snprintf(until, sizeof(until), "locked until %sT%02d:%02d:%02dZ",
                 hd_date_format(date, day), secs / 3600, secs / 60 % 60,
                 secs % 60);
        status = until;
    }
    printf("%s\t%s\t%s\t%s\t%s\t%s\n", u->username, hd_role_name(u->role),
           u->region, u->has_totp ? "totp" : "-", status, u->display_name);
    return 0;
}

static int cmd_list(const hd_cli_globals *globals, int argc, char **argv)
{
    hd_casestore *cs = NULL;
    int64_t now = hd_cli_now();
    hd_error err;
    opts o;
    int rc;

    hd_error_clear(&err);
    if (parse(&o, argc, argv, false) || o.role || o.name || o.password_file) {
        usage();
        return 2;
    }
    rc = hd_casestore_open(&cs, globals->db_path, &err);
    if (rc == 0) {
        printf("username\trole\tregion\tfactor\tstatus\tname\n");
        rc = hd_staff_user_list(cs, o.region, print_user, &now, &err);
    }
    hd_casestore_free(cs);
    return rc ? fail("list", &err) : 0;
}

static int cmd_change(const hd_cli_globals *globals, hd_staff_actor *actor,
                      const char *what, int argc, char **argv)
{
    char password[HD_STAFF_PASSWORD_MAX + 2] = "", uri[HD_STAFF_TOTP_URI_MAX];
    bool disable = !strcmp(what, "disable"), passwd = !strcmp(what, "passwd");
    hd_casestore *cs = NULL;
    hd_role role = HD_ROLE_CLERK;
    hd_error err;
    opts o;
    int rc;

    hd_error_clear(&err);
    uri[0] = '\0';
    if (parse(&o, argc, argv, true) || o.name ||
        (disable && (o.role || o.region || o.password_file)) ||
        (passwd && (o.role || o.region)) ||
        (!disable && !passwd && (!o.role || !o.region || o.password_file))) {
        usage();
        return 2;
    }
    if (o.role && hd_role_parse(&role, o.role, &err))
        return fail(what, &err);
    if (passwd && read_password(password, sizeof(password), o.password_file))
        return 1;
    rc = open_store(&cs, globals, &err);
    if (rc == 0 && disable)
        rc = hd_staff_user_disable(cs, actor, o.username, hd_cli_now(), &err);
    else if (rc == 0 && passwd)
        rc = hd_staff_user_passwd(cs, actor, o.username, NULL, password,
                                  hd_cli_now(), &err);
    else if (rc == 0)
        rc = hd_staff_user_role(uri, cs, actor, o.username, role, o.region,
                                hd_cli_now(), &err);
    sodium_memzero(password, sizeof(password));
    hd_casestore_free(cs);
    if (rc)
        return fail(what, &err);
    printf("%s: %s done; the account's sessions have ended\n", o.username,
           what);
    return print_uri(o.username, uri);
}

int hd_cmd_user(const hd_cli_globals *globals, int argc, char **argv)
{
    char name[64];
    hd_staff_actor actor = {name, true, HD_ROLE_ADMIN, NULL, NULL};

    hd_log_set_sink(hd_cli_log_to_stderr, NULL);
    snprintf(name, sizeof(name), "cli:uid=%d", (int)getuid());
    if (argc >= 2 && !strcmp(argv[1], "add"))
        return cmd_add(globals, &actor, argc, argv);
    if (argc >= 2 && !strcmp(argv[1], "list"))
        return cmd_list(globals, argc, argv);
    if (argc >= 2 && (!strcmp(argv[1], "disable") ||
                      !strcmp(argv[1], "passwd") || !strcmp(argv[1], "role")))
        return cmd_change(globals, &actor, argv[1], argc, argv);
    usage();
    return 2;
}
