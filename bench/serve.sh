# Sourced by bench/http/run.sh and bench/lists/run.sh: one `hedui serve`
# for a benchmark, on a port of its own.
#
#   serve_start HEDUI WORK REGION WEB_ROOT HEDUI_DB_ARGS...
#       writes WORK/serve.json (4 threads, 256 connections, the access log
#       and batches in WORK; WEB_ROOT "" for none), starts the server,
#       waits for its port; sets
#       $server (the pid) and $port, and stops the server on exit.
#   serve_stop
#       SIGTERM, as an init system would, and wait for it.

serve_start() {
    local hedui=$1 work=$2 region=$3 web=${4:-}
    shift 4
    python3 - "$work" "$region" "$web" "$@" <<'PY'
import json, sys
work, region, web, args = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:]
opts = dict(zip(args[0::2], args[1::2]))
cfg = {"listen": "127.0.0.1:0", "port_file": work + "/port",
       "db": opts["--db"], "region": region, "threads": 4,
       "max_connections": 256, "access_log": work + "/access.log",
       "batch_dir": work + "/batches"}
if web:
    cfg["web_root"] = web
for k in ("feeds", "key"):
    if "--" + k in opts:
        cfg[k] = opts["--" + k]
json.dump(cfg, open(work + "/serve.json", "w"))
PY
    rm -f "$work/port"
    "$hedui" serve --config "$work/serve.json" 2>"$work/serve.err" &
    server=$!
    trap 'kill $server 2>/dev/null || true' EXIT
    for _ in $(seq 300); do
        [ -s "$work/port" ] && break
        sleep 0.1
    done
    port=$(cat "$work/port")
}

serve_stop() {
    kill -TERM "$server"
    wait "$server" || true
    trap - EXIT
}
