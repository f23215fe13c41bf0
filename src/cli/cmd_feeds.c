/*
 * hedui feeds snapshot OUT_DIR
 * hedui feeds install SNAPSHOT_DIR
 *
 * Copies of the feed store for the front-end servers of a node
 * (docs/deploy.md). On the ingest host, after each delivery, `snapshot`
 * writes a consistent, compacted copy to OUT_DIR/data.mdb and prints the
 * seq it holds; the operator ships OUT_DIR to each front-end (rsync,
 * scp), where `install` makes it the feed store --feeds DIR: processes
 * started afterwards read it, running ones keep the copy they opened.
 *
 * Exit status: 0 done (an install of the deliveries already installed
 * included), 1 install refused (the snapshot is not a later copy of the
 * installed store), 2 usage, 3 failure.
 */
#include "cli/cli.h"

#include <stdio.h>
#include <string.h>

static int usage(void)
{
    fprintf(stderr, "usage: hedui [--db PATH] [--feeds DIR] feeds snapshot "
                    "OUT_DIR\n"
                    "       hedui --feeds DIR feeds install SNAPSHOT_DIR\n");
    return 2;
}

static int snapshot(const hd_cli_globals *globals, const char *out_dir)
{
    char feeds_buf[4096], msg[1024];
    hd_fs_snapshot_info info;
    hd_ingest *ing = NULL;
    hd_error err;
    int rc;

    hd_error_clear(&err);
    /* Through ingest, so that a delivery a crash left half recorded is
     * finished in the case store first: the copy holds no such delivery
     * the case store will not have. */
    rc = hd_ingest_open(&ing, globals->db_path,
                        hd_cli_feeds_dir(globals, feeds_buf, sizeof(feeds_buf)),
                        &err);
    if (rc == 0)
        rc = hd_feedstore_snapshot(&info, hd_ingest_feedstore(ing), out_dir,
                                   &err);
    hd_ingest_free(ing);
    if (rc) {
        fprintf(stderr, "hedui feeds snapshot: %s\n",
                hd_error_format(&err, msg, sizeof(msg)));
        return 3;
    }
    printf("seq=%u bytes=%lld pending_omitted=%lld\n", info.seq,
           (long long)info.bytes, (long long)info.pending_omitted);
    return 0;
}

static int install(const hd_cli_globals *globals, const char *snapshot_dir)
{
    char feeds_buf[4096], msg[1024];
    const char *dir = hd_cli_feeds_dir(globals, feeds_buf, sizeof(feeds_buf));
    hd_fs_install_info info;
    hd_error err;
    int rc;

    hd_error_clear(&err);
    rc = hd_feedstore_install(&info, dir, snapshot_dir, &err);
    if (rc) {
        fprintf(stderr, "hedui feeds install: %s\n",
                hd_error_format(&err, msg, sizeof(msg)));
        return rc == HD_ECONFLICT ? 1 : 3;
    }
    if (info.unchanged)
        printf("unchanged seq=%u generation=%s\n", info.seq, info.generation);
    else
        printf("installed seq=%u previous_seq=%u generation=%s\n", info.seq,
               info.previous_seq, info.generation);
    return 0;
}

int hd_cmd_feeds(const hd_cli_globals *globals, int argc, char **argv)
{
    if (argc != 3 || argv[2][0] == '-')
        return usage();
    hd_log_set_sink(hd_cli_log_to_stderr, NULL);
    if (!strcmp(argv[1], "snapshot"))
        return snapshot(globals, argv[2]);
    if (!strcmp(argv[1], "install"))
        return install(globals, argv[2]);
    return usage();
}
