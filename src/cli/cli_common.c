/* What several subcommands share: where the stores are, the clock. */
#include "cli/cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

const char *hd_cli_feeds_dir(const hd_cli_globals *globals, char *buf,
                             size_t buf_len)
{
    if (globals->feeds_dir)
        return globals->feeds_dir;
    snprintf(buf, buf_len, "%s.feeds", globals->db_path);
    return buf;
}

const char *hd_cli_key_path(const hd_cli_globals *globals, char *buf,
                            size_t buf_len)
{
    if (globals->key_path)
        return globals->key_path;
    snprintf(buf, buf_len, "%s.key", globals->db_path);
    return buf;
}

int64_t hd_cli_now(void)
{
    /* The one place the program reads the clock; the library never does.
     * SOURCE_DATE_EPOCH (reproducible-builds.org) fixes it, so that two
     * runs, on two backends say, can be compared byte for byte. */
    const char *fixed = getenv("SOURCE_DATE_EPOCH");
    char *end;

    if (fixed && *fixed) {
        long long t = strtoll(fixed, &end, 10);
        if (!*end && t >= 0)
            return (int64_t)t;
    }
    return (int64_t)time(NULL);
}

void hd_cli_log_to_stderr(hd_log_level level, const char *line, void *payload)
{
    static const char *const names[] = {"debug", "info", "warn", "error"};
    (void)payload;
    if (level >= HD_LOG_WARN)
        fprintf(stderr, "level=%s %s\n", names[level], line);
}
