#!/bin/sh
# The CTest fixture pg: start (pg/start) and stop (pg/stop) the throwaway
# PostgreSQL cluster of a test run with scripts/pg-cluster.
#   pg_fixture.sh start URL_FILE   URL_FILE gets the test database's URL,
#                                  URL_FILE.dir the cluster's folder
#   pg_fixture.sh stop URL_FILE
# The folder is made under /tmp, not in the build tree: the server's
# socket path must fit in a Unix socket address (~107 bytes).
set -eu
cluster="$(cd "$(dirname "$0")/.." && pwd)/scripts/pg-cluster"
[ $# -eq 2 ] || { echo "usage: pg_fixture.sh start|stop URL_FILE" >&2; exit 2; }
url_file=$2
dir_file=$url_file.dir

stop() {
    if [ -f "$dir_file" ]; then
        "$cluster" stop "$(cat "$dir_file")"
    fi
    rm -f "$url_file" "$dir_file"
}

case $1 in
start)
    # A cluster left running by an interrupted run goes first.
    stop
    dir=$(mktemp -d /tmp/hedui-pg.XXXXXX)
    echo "$dir" >"$dir_file"
    if ! url=$("$cluster" start "$dir"); then
        echo "pg_fixture: the test cluster did not start; every @postgresql test fails" >&2
        stop
        exit 1
    fi
    echo "$url" >"$url_file"
    echo "test database: $url"
    ;;
stop) stop ;;
*) echo "usage: pg_fixture.sh start|stop URL_FILE" >&2; exit 2 ;;
esac
