/* Shared by the subcommands of `hedui`: one file per subcommand. */
#ifndef HEDUI_CLI_H
#define HEDUI_CLI_H

#include <hedui/base.h>
#include <hedui/ingest.h>
#include <hedui/verify.h>

typedef struct hd_cli_globals {
    const char *db_path;    /* --db, default hedui.db */
    const char *feeds_dir;  /* --feeds, default db_path + ".feeds" */
    const char *key_path;   /* --key, default db_path + ".key" */
    const char *trust_path; /* --trust, none by default */
} hd_cli_globals;

/* A subcommand gets argv starting at its own name. Exit status: 0 done,
 * 1 done with rejections (see each command), 2 usage error, 3 failure. */
typedef int (*hd_cli_run_fn)(const hd_cli_globals *globals, int argc,
                             char **argv);

/* What a command reads besides the case store: with a PostgreSQL --db
 * these must be named (--feeds, --key), since a URL implies no path. */
enum { HD_CLI_FEEDS = 1, HD_CLI_KEY = 2 };

typedef struct hd_cli_command {
    const char *name;
    const char *summary;
    hd_cli_run_fn run;
    unsigned needs; /* HD_CLI_FEEDS | HD_CLI_KEY */
} hd_cli_command;

/* The feed store directory: --feeds, or the case store path + ".feeds". */
const char *hd_cli_feeds_dir(const hd_cli_globals *globals, char *buf,
                             size_t buf_len);
/* The node key file: --key, or the case store path + ".key". */
const char *hd_cli_key_path(const hd_cli_globals *globals, char *buf,
                            size_t buf_len);
/* Seconds since 1970, from the system clock (or SOURCE_DATE_EPOCH). */
int64_t hd_cli_now(void);
/* A log sink printing warnings and errors to stderr. */
void hd_cli_log_to_stderr(hd_log_level level, const char *line, void *payload);

/* The stores, policy and audit key a verification needs
 * (cli_verify_env.c). */
typedef struct hd_cli_verify {
    hd_ingest *ing;
    hd_policy *policy;
    hd_verify_env env;
    char actor[64];
} hd_cli_verify;

/* Open the stores, load the policy (`policy_version`, 0 the latest) and
 * the node key, and prepare env (clock read, record on). */
int hd_cli_verify_open(hd_cli_verify *v, const hd_cli_globals *globals,
                       int64_t policy_version, hd_error *err);
void hd_cli_verify_close(hd_cli_verify *v);
/* An application recorded in the case store, parsed. HD_ENOTFOUND. */
int hd_cli_load_application(hd_application *app, hd_cli_verify *v,
                            const char *application_no, hd_error *err);
/* Call fn for each line of a JSON Lines file (line end, and a CR before
 * it, removed; `no` from 1). Stops at fn's non-zero return and returns
 * it; HD_EIO, HD_ELIMIT for a line longer than max_line bytes. */
/* Report a rejected line on stderr as "FILE:LINE: field: reason". */
void hd_cli_jsonl_reject(const char *path, int64_t no, hd_error *err);
int hd_cli_jsonl_each(const char *path, size_t max_line,
                      int (*fn)(const char *line, size_t len, int64_t no,
                                void *payload),
                      void *payload, hd_error *err);

/* The subcommands, one file each (cmd_<name>.c). */
int hd_cmd_gen(const hd_cli_globals *globals, int argc, char **argv);
int hd_cmd_ingest(const hd_cli_globals *globals, int argc, char **argv);
int hd_cmd_status(const hd_cli_globals *globals, int argc, char **argv);
int hd_cmd_quarantine(const hd_cli_globals *globals, int argc, char **argv);
int hd_cmd_verify(const hd_cli_globals *globals, int argc, char **argv);
int hd_cmd_report(const hd_cli_globals *globals, int argc, char **argv);
int hd_cmd_policy(const hd_cli_globals *globals, int argc, char **argv);
int hd_cmd_consent(const hd_cli_globals *globals, int argc, char **argv);
int hd_cmd_apply(const hd_cli_globals *globals, int argc, char **argv);
int hd_cmd_feeds(const hd_cli_globals *globals, int argc, char **argv);
int hd_cmd_serve(const hd_cli_globals *globals, int argc, char **argv);
int hd_cmd_user(const hd_cli_globals *globals, int argc, char **argv);
int hd_cmd_audit(const hd_cli_globals *globals, int argc, char **argv);

#endif
