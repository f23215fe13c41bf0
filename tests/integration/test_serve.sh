#!/bin/bash
# `hedui serve` as a client sees it: the health route, JSON errors for
# unknown paths (404), wrong methods (405, with Allow), bodies and headers
# over the limits (413, 431), static files of the web root and nothing
# outside it, an access log without query strings, `serve --check` on good
# and malformed configurations, and a graceful stop on SIGTERM that lets
# uploads in flight finish.
set -euo pipefail
hedui=$1
work=$(mktemp -d)
source "$(dirname "$0")/lib_db.sh"
server_pid=
stop_server() {
    if [ -n "$server_pid" ]; then
        kill "$server_pid" 2>/dev/null || true
        wait "$server_pid" 2>/dev/null || true
        server_pid=
    fi
}
trap 'stop_server; drop_dbs; rm -rf "$work"' EXIT
fail() {
    echo "FAIL: $*"
    [ -f "$work/server.err" ] && sed 's/^/server: /' "$work/server.err"
    exit 1
}

db="$work/h.db"
new_db "$db"
if [ "$db_backend" = postgresql ]; then
    db_line="\"db\": \"$(cat "$db.url")\", \"feeds\": \"$db.feeds\", \"key\": \"$db.key\","
else
    db_line="\"db\": \"h.db\","
fi
mkdir -p "$work/web/css"
printf '<!doctype html><title>hedui</title>\n' >"$work/web/index.html"
printf 'body{}\n' >"$work/web/css/site.css"
printf 'secret\n' >"$work/web/.hidden"
printf 'outside\n' >"$work/outside.txt"
ln -s ../outside.txt "$work/web/link.txt"

# write_config FILE EXTRA: a configuration with the test's stores, a free
# port and the port file; EXTRA is more "key": value lines.
write_config() {
    cat >"$1" <<EOF
{
  "listen": "127.0.0.1:0",
  "port_file": "port",
  $db_line
  "region": "330106",
  "access_log": "access.log",
  "request_timeout_s": 20,
  $2
  "max_body_bytes": 65536
}
EOF
}

# start CONFIG: run the server, wait (bounded) for its port file.
start() {
    rm -f "$work/port"
    "$hedui" serve --config "$1" 2>"$work/server.err" &
    server_pid=$!
    for _ in $(seq 100); do
        [ -s "$work/port" ] && break
        kill -0 "$server_pid" 2>/dev/null || fail "server exited at start"
        sleep 0.1
    done
    [ -s "$work/port" ] || fail "no port file after 10 s"
    port=$(cat "$work/port")
    base="http://127.0.0.1:$port"
}

# req ARGS...: curl, body to $work/body, headers to $work/head; prints
# the status.
req() {
    curl -s -o "$work/body" -D "$work/head" -w '%{http_code}' "$@"
}
json() { python3 -c "import json,sys; d=json.load(open('$work/body')); print($1)"; }
header() { tr -d '\r' <"$work/head" | sed -n "s/^$1: //Ip" | head -n 1; }

# --- --check --------------------------------------------------------------
write_config "$work/serve.json" '"web_root": "web",'
"$hedui" serve --check --config "$work/serve.json" >"$work/out" 2>&1 ||
    fail "--check of a good config: $(cat "$work/out")"
grep -q "serve.json: ok (case store $db_backend, schema" "$work/out" ||
    fail "--check said: $(cat "$work/out")"

write_config "$work/bad.json" '"web_root": "web",
  "thraeds": 4,'
rc=0
"$hedui" serve --check --config "$work/bad.json" >"$work/out" 2>&1 || rc=$?
[ "$rc" = 1 ] || fail "--check of an unknown key: exit $rc"
grep -q "bad.json:9: thraeds: unknown key" "$work/out" ||
    fail "unknown key reported as: $(cat "$work/out")"

write_config "$work/bad.json" '"threads": "four",'
rc=0
"$hedui" serve --check --config "$work/bad.json" >"$work/out" 2>&1 || rc=$?
[ "$rc" = 1 ] || fail "--check of a wrong type: exit $rc"
grep -q "bad.json:8: threads: must be an integer" "$work/out" ||
    fail "wrong type reported as: $(cat "$work/out")"

printf '{"db": "h.db", "region": "330106",\n  "listen": }\n' >"$work/bad.json"
rc=0
"$hedui" serve --check --config "$work/bad.json" >"$work/out" 2>&1 || rc=$?
[ "$rc" = 1 ] || fail "--check of malformed JSON: exit $rc"
grep -q "bad.json:2:[0-9]*: invalid JSON" "$work/out" ||
    fail "malformed JSON reported as: $(cat "$work/out")"

# --- serving ---------------------------------------------------------------
start "$work/serve.json"

s=$(req "$base/api/v1/health")
[ "$s" = 200 ] || fail "health: $s $(cat "$work/body")"
[ "$(json 'd["status"]')" = ok ] || fail "health body: $(cat "$work/body")"
[ "$(json 'd["backend"]')" = "$db_backend" ] || fail "backend: $(cat "$work/body")"
[ "$(json 'd["feed_seq"]')" = 0 ] || fail "feed_seq: $(cat "$work/body")"
[ "$(json 'd["schema_version"] >= 1')" = True ] || fail "schema: $(cat "$work/body")"
[ "$(json 'd["version"]')" != "" ] || fail "version: $(cat "$work/body")"
[ "$(header Content-Type)" = "application/json; charset=utf-8" ] ||
    fail "health type: $(header Content-Type)"
[ "$(header Cache-Control)" = no-store ] || fail "no Cache-Control: no-store"
[ "$(header X-Content-Type-Options)" = nosniff ] || fail "no nosniff"
[ "$(header X-Frame-Options)" = DENY ] || fail "no frame DENY"
rid=$(header X-Request-Id)
[[ "$rid" =~ ^[0-9a-f]{16}$ ]] || fail "request id '$rid'"

# A query string carrying a citizen ID never reaches the access log.
s=$(req "$base/api/v1/health?pid=330106199001011234")
[ "$s" = 200 ] || fail "health with query: $s"

s=$(req "$base/api/v1/no-such-thing")
[ "$s" = 404 ] || fail "unknown path: $s"
[ "$(json 'd["error"]["code"]')" = not_found ] || fail "404 body: $(cat "$work/body")"
s=$(req "$base/api/other")
[ "$s" = 404 ] || fail "unknown path outside v1: $s"
[ "$(json 'd["error"]["code"]')" = not_found ] || fail "404 body: $(cat "$work/body")"

s=$(req -X DELETE "$base/api/v1/health")
[ "$s" = 405 ] || fail "wrong method: $s"
[ "$(json 'd["error"]["code"]')" = method_not_allowed ] || fail "405 body: $(cat "$work/body")"
[ "$(header Allow)" = "GET, HEAD" ] || fail "Allow: '$(header Allow)'"
s=$(req -I "$base/api/v1/health")
[ "$s" = 200 ] || fail "HEAD health: $s"

# Bodies over max_body_bytes (64 KiB): announced (refused before being
# read) and chunked (refused when the limit is passed).
head -c 70000 /dev/zero | tr '\0' x >"$work/big"
s=$(req -X GET -H 'Content-Type: application/json' --data-binary @"$work/big" "$base/api/v1/health")
[ "$s" = 413 ] || fail "large body: $s"
[ "$(json 'd["error"]["code"]')" = payload_too_large ] || fail "413 body: $(cat "$work/body")"
s=$(req -X GET -H 'Transfer-Encoding: chunked' --data-binary @"$work/big" "$base/api/v1/health")
[ "$s" = 413 ] || fail "large chunked body: $s"
head -c 60000 /dev/zero | tr '\0' x >"$work/fits"
s=$(req -X GET --data-binary @"$work/fits" "$base/api/v1/health")
[ "$s" = 200 ] || fail "body under the limit: $s"

# Headers over max_header_bytes (16 KiB by default): 431 with the JSON
# error. Far over (past the connection's memory pool, about twice the
# limit) libmicrohttpd answers 431 itself, with its own page.
hdr=$(head -c 15000 /dev/zero | tr '\0' a)
s=$(req -H "X-Pad: $hdr" "$base/api/v1/health")
[ "$s" = 200 ] || fail "headers under the limit: $s"
hdr=$(head -c 20000 /dev/zero | tr '\0' a)
s=$(req -H "X-Pad: $hdr" "$base/api/v1/health")
[ "$s" = 431 ] || fail "large header: $s"
[ "$(json 'd["error"]["code"]')" = headers_too_large ] || fail "431 body: $(cat "$work/body")"
hdr=$(head -c 100000 /dev/zero | tr '\0' a)
s=$(req -H "X-Pad: $hdr" "$base/api/v1/health")
[ "$s" = 431 ] || fail "huge header: $s"

# Static files: the web root and nothing else.
s=$(req "$base/")
[ "$s" = 200 ] || fail "index: $s"
grep -q '<title>hedui</title>' "$work/body" || fail "index body: $(cat "$work/body")"
[ "$(header Content-Type)" = "text/html; charset=utf-8" ] || fail "index type"
header Content-Security-Policy | grep -q "frame-ancestors 'none'" || fail "no CSP"
s=$(req "$base/css/site.css")
[ "$s" = 200 ] || fail "css: $s"
[ "$(header Content-Type)" = "text/css; charset=utf-8" ] || fail "css type"
# A file the browser has already: its ETag asked back is 304, no body.
etag=$(header ETag)
[ -n "$etag" ] || fail "no ETag"
rm -f "$work/body"
s=$(req -H "If-None-Match: $etag" "$base/css/site.css")
[ "$s" = 304 ] && [ ! -s "$work/body" ] || fail "If-None-Match: $s"
s=$(req -H 'If-None-Match: "other"' "$base/css/site.css")
[ "$s" = 200 ] && [ -s "$work/body" ] || fail "another ETag: $s"
for path in /.hidden /link.txt /../outside.txt /css/../../outside.txt \
    /%2e%2e/outside.txt /nothing.html /css/; do
    s=$(req --path-as-is "$base$path")
    [ "$s" = 404 ] || fail "$path: $s $(cat "$work/body")"
done
s=$(req -X POST "$base/index.html")
[ "$s" = 405 ] || fail "POST to a file: $s"

# --- graceful stop ---------------------------------------------------------
# Three uploads, each taking about 3 s, are under way when SIGTERM
# comes: each gets its whole reply and the server exits 0.
head -c 60000 /dev/zero | tr '\0' y >"$work/slow"
for i in 1 2 3; do
    curl -s -o "$work/slow$i.body" -w '%{http_code}' -X GET --limit-rate 20K \
        --data-binary @"$work/slow" "$base/api/v1/health" >"$work/slow$i.code" &
    eval "curl$i=\$!"
done
sleep 1
kill -TERM "$server_pid"
for i in 1 2 3; do
    eval "wait \$curl$i" || fail "upload $i: curl failed"
    [ "$(cat "$work/slow$i.code")" = 200 ] || fail "upload $i: $(cat "$work/slow$i.code")"
    grep -q '"status":"ok"' "$work/slow$i.body" || fail "upload $i: $(cat "$work/slow$i.body")"
done
rc=0
wait "$server_pid" || rc=$?
server_pid=
[ "$rc" = 0 ] || fail "server exit $rc after SIGTERM"
grep -q "event=stopped" "$work/server.err" || fail "no stop logged"
s=$(curl -s -o /dev/null -w '%{http_code}' "$base/api/v1/health" || true)
[ "$s" = 000 ] || fail "still answering after stop: $s"

# --- the access log --------------------------------------------------------
log="$work/access.log"
python3 - "$log" "$rid" <<'EOF' || fail "access log: $(cat "$log")"
import json, sys
lines = [json.loads(l) for l in open(sys.argv[1])]
keys = {"time", "request_id", "method", "path", "status", "bytes",
        "duration_us", "user", "remote"}
for l in lines:
    assert set(l) == keys, l
    assert "?" not in l["path"], l
    assert l["remote"] == "127.0.0.1", l
first = [l for l in lines if l["request_id"] == sys.argv[2]]
assert len(first) == 1 and first[0]["status"] == 200, first
assert first[0]["path"] == "/api/v1/health" and first[0]["method"] == "GET"
assert first[0]["bytes"] > 0 and first[0]["duration_us"] >= 0
statuses = [l["status"] for l in lines]
for s in (404, 405, 413, 431):
    assert s in statuses, s
assert statuses.count(200) >= 3
EOF
if grep -q 330106199001011234 "$log"; then fail "a query string was logged"; fi
echo "ok"
