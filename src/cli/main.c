/* The `hedui` command: global options, then one subcommand. */
#include "cli/cli.h"

#include <stdio.h>
#include <string.h>

static const hd_cli_command commands[] = {
    {"gen", "generate a synthetic population", hd_cmd_gen, 0},
    {"ingest", "load department deliveries", hd_cmd_ingest, HD_CLI_FEEDS},
    {"status", "show what is loaded, per feed", hd_cmd_status, HD_CLI_FEEDS},
    {"quarantine", "list rows set aside by ingest", hd_cmd_quarantine,
     HD_CLI_FEEDS},
    {"policy", "import, export and show policies", hd_cmd_policy, 0},
    {"consent", "import, revoke and list authorizations", hd_cmd_consent,
     HD_CLI_KEY},
    {"apply", "import applications", hd_cmd_apply, 0},
    {"verify", "verify an application, or a whole roll", hd_cmd_verify,
     HD_CLI_FEEDS | HD_CLI_KEY},
    {"report", "write the report of a verified application", hd_cmd_report,
     HD_CLI_FEEDS | HD_CLI_KEY},
    {"feeds", "snapshot the feed store, install a snapshot", hd_cmd_feeds,
     HD_CLI_FEEDS},
    {"serve", "run the verification service (HTTP API)", hd_cmd_serve, 0},
    {"user", "add, list, disable staff accounts, set passwords and roles",
     hd_cmd_user, HD_CLI_KEY},
    {"audit", "verify the audit chain, search the trail", hd_cmd_audit,
     HD_CLI_KEY},
    {"help", "show this help", NULL, 0},
};

static void usage(FILE *out)
{
    fprintf(out, "usage: hedui [--db PATH] [--feeds DIR] [--key FILE] "
                 "[--trust FILE] COMMAND [ARGS]\n\n"
                 "commands:\n");
    for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
        fprintf(out, "  %-12s %s\n", commands[i].name, commands[i].summary);
}

/* The feed store and the node key are files of this server: next to a
 * SQLite case store by default, but a PostgreSQL URL says nothing about
 * where they are, so a command that reads them must be told. */
static bool stores_named(const hd_cli_globals *globals,
                         const hd_cli_command *command)
{
    bool feeds = !(command->needs & HD_CLI_FEEDS) || globals->feeds_dir;
    bool key = !(command->needs & HD_CLI_KEY) || globals->key_path;

    if (!hd_casestore_is_url(globals->db_path) || (feeds && key))
        return true;
    fprintf(stderr,
            "hedui %s: with a PostgreSQL case store (--db postgresql://...), "
            "name this server's %s%s%s\n",
            command->name, feeds ? "" : "feed store (--feeds DIR)",
            feeds || key ? "" : " and ", key ? "" : "node key (--key FILE)");
    return false;
}

int main(int argc, char **argv)
{
    hd_cli_globals globals = {"hedui.db", NULL, NULL, NULL};
    int i = 1;

    for (; i < argc && argv[i][0] == '-'; i++) {
        if (!strcmp(argv[i], "--db") && i + 1 < argc)
            globals.db_path = argv[++i];
        else if (!strcmp(argv[i], "--feeds") && i + 1 < argc)
            globals.feeds_dir = argv[++i];
        else if (!strcmp(argv[i], "--key") && i + 1 < argc)
            globals.key_path = argv[++i];
        else if (!strcmp(argv[i], "--trust") && i + 1 < argc)
            globals.trust_path = argv[++i];
        else if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            usage(stdout);
            return 0;
        } else {
            fprintf(stderr, "hedui: unknown option %s\n", argv[i]);
            usage(stderr);
            return 2;
        }
    }
    if (i == argc) {
        usage(stderr);
        return 2;
    }
    for (size_t c = 0; c < sizeof(commands) / sizeof(commands[0]); c++) {
        if (strcmp(argv[i], commands[c].name))
            continue;
        if (!commands[c].run) {
            usage(stdout);
            return 0;
        }
        if (!stores_named(&globals, &commands[c]))
            return 2;
        return commands[c].run(&globals, argc - i, argv + i);
    }
    fprintf(stderr, "hedui: unknown command %s\n", argv[i]);
    usage(stderr);
    return 2;
}
