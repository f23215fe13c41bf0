/* Shared by the subcommands of `hedui`: one file per subcommand. */
#ifndef HEDUI_CLI_H
#define HEDUI_CLI_H

typedef struct hd_cli_globals {
    const char *db_path;   /* --db, default hedui.db */
    const char *feeds_dir; /* --feeds, default db_path + ".feeds" */
} hd_cli_globals;

/* A subcommand gets argv starting at its own name. Exit status: 0 done,
 * 1 done with rejections (see each command), 2 usage error, 3 failure. */
typedef int (*hd_cli_run_fn)(const hd_cli_globals *globals, int argc,
                             char **argv);

typedef struct hd_cli_command {
    const char *name;
    const char *summary;
    hd_cli_run_fn run;
} hd_cli_command;

/* The subcommands, one file each (cmd_<name>.c). */
int hd_cmd_gen(const hd_cli_globals *globals, int argc, char **argv);
int hd_cmd_ingest(const hd_cli_globals *globals, int argc, char **argv);
int hd_cmd_status(const hd_cli_globals *globals, int argc, char **argv);
int hd_cmd_quarantine(const hd_cli_globals *globals, int argc, char **argv);

#endif
