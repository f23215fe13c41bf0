/*
 * hedui serve --config FILE [--check]: the verification service.
 *
 * The stores come from the configuration file, not from --db, --feeds
 * and --key: a service is started by a unit file, and one file says all
 * it needs. SIGTERM and SIGINT stop it gracefully; they are blocked in
 * every thread (the server's threads inherit the mask) and taken by
 * sigwait here, so no handler runs inside a request.
 */
#include "cli/cli.h"

#include <hedui/http.h>

#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

static int64_t clock_us(clockid_t id)
{
    struct timespec ts;

    clock_gettime(id, &ts);
    return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static int64_t wall_us(void)
{
    return clock_us(CLOCK_REALTIME);
}

static int64_t mono_us(void)
{
    return clock_us(CLOCK_MONOTONIC);
}

static void usage(FILE *out)
{
    fprintf(out, "usage: hedui serve --config FILE [--check]\n");
}

static int fail(const char *what, const hd_error *err)
{
    char msg[1024];

    fprintf(stderr, "hedui serve: %s: %s\n", what,
            hd_error_format(err, msg, sizeof(msg)));
    return 1;
}

int hd_cmd_serve(const hd_cli_globals *globals, int argc, char **argv)
{
    const char *config_path = NULL;
    hd_http_options opt = {NULL, NULL, wall_us, mono_us, NULL, 0};
    hd_http_config cfg;
    hd_http_server *srv = NULL;
    bool check = false;
    sigset_t stop_signals;
    hd_error err;
    int sig, rc;

    (void)globals;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--config") && i + 1 < argc) {
            config_path = argv[++i];
        } else if (!strcmp(argv[i], "--check")) {
            check = true;
        } else if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            usage(stdout);
            return 0;
        } else {
            usage(stderr);
            return 2;
        }
    }
    if (!config_path) {
        usage(stderr);
        return 2;
    }
    hd_log_set_sink(hd_cli_log_to_stderr, NULL);
    if (hd_http_config_load(&cfg, config_path, &err))
        return fail("invalid configuration", &err);

    /* Before any thread exists, so that all inherit it. A client gone
     * mid-reply must not kill the process either. */
    sigemptyset(&stop_signals);
    sigaddset(&stop_signals, SIGTERM);
    sigaddset(&stop_signals, SIGINT);
    pthread_sigmask(SIG_BLOCK, &stop_signals, NULL);
    signal(SIGPIPE, SIG_IGN);

    rc = hd_http_server_open(&srv, &cfg, &opt, &err);
    if (rc) {
        hd_http_config_release(&cfg);
        return fail(check ? "check failed" : "cannot start", &err);
    }
    if (check) {
        uint32_t seq = 0;
        hd_feedstore_latest(&seq, hd_http_server_feedstore(srv), NULL);
        printf("%s: ok (case store %s, schema %d; feed store at delivery "
               "%u; region %s)\n",
               config_path, hd_casestore_backend(hd_http_server_casestore(srv)),
               hd_casestore_schema_version(hd_http_server_casestore(srv)),
               (unsigned)seq, cfg.region);
        hd_http_server_free(srv);
        hd_http_config_release(&cfg);
        return 0;
    }
    rc = hd_http_server_start(srv, &err);
    if (rc) {
        hd_http_server_free(srv);
        hd_http_config_release(&cfg);
        return fail("cannot start", &err) + 2;
    }
    fprintf(stderr, "level=info event=listening listen=%s port=%u\n",
            cfg.listen, hd_http_server_port(srv));
    sigwait(&stop_signals, &sig);
    fprintf(stderr, "level=info event=stopping signal=%s\n",
            sig == SIGTERM ? "TERM" : "INT");
    rc = hd_http_server_stop(srv, &err);
    if (rc)
        fail("stopped", &err);
    hd_http_server_free(srv);
    hd_http_config_release(&cfg);
    fprintf(stderr, "level=info event=stopped\n");
    return rc ? 3 : 0;
}
