#!/usr/bin/env bash
# The HTTP benchmark of make bench (bench/run, contenders http and
# pg-http): requests per second and latency under wrk for a case lookup
# (GET /api/v1/cases/{no}: the case, its history, its members masked, and
# the read's audit entry) and a single verification (POST .../verify: the
# gate, the dossier, the engine, the verification, the transition and two
# audit entries), at 1 and 64 connections, on one store.
#
#   bench/http/run.sh HEDUI OUT POP LABEL -- HEDUI_DB_ARGS...
#
# Environment: BENCH_HTTP_CASES (cases registered, default 20000: a
# verification takes a case that was never verified, so the run must not
# use them up: a list used up is flagged, and its rate understated),
# BENCH_HTTP_SECONDS (each wrk run, default 5). Writes OUT/LABEL.tsv:
# action, connections, requests/s, p50 ms, p99 ms, non-2xx, errors, used up.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=../serve.sh
. "$here/../serve.sh"
hedui=$1 out=$2 pop=$3 label=$4
shift 5
cases=${BENCH_HTTP_CASES:-20000}
seconds=${BENCH_HTTP_SECONDS:-5}
work=$out/$label
rm -rf "$work"
mkdir -p "$work"

python3 "$here/setup_cases.py" "$hedui" "$work" "$pop" "$cases" \
    "$work/cases" "$work/tokens" "$@"
clerk=$(sed -n 1p "$work/tokens")
verifier=$(sed -n 2p "$work/tokens")
# A quarter of the cases for the verification at 1 connection, the rest at 64.
quarter=$((cases / 4))
head -n "$quarter" "$work/cases" >"$work/verify-1"
tail -n +"$((quarter + 1))" "$work/cases" >"$work/verify-64"

serve_start "$hedui" "$work" 110000 "" "$@"

run() { # action connections cases token
    local action=$1 conns=$2 file=$3 token=$4 threads=2 line
    [ "$conns" -lt 2 ] && threads=1
    line=$(WRK_CASES=$file WRK_TOKEN=$token WRK_ACTION=$action \
        WRK_THREADS=$threads wrk -t"$threads" -c"$conns" -d"${seconds}s" --timeout 10s \
        --latency -s "$here/cases.lua" "http://127.0.0.1:$port" |
        grep '^RESULT')
    # RESULT requests=N seconds=S rps=R p50_ms=A p99_ms=B non2xx=C errors=D
    awk -v a="$action" -v c="$conns" '{
        for (i = 2; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
        printf "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", a, c, v["rps"],
            v["p50_ms"], v["p99_ms"], v["non2xx"], v["errors"], v["used_up"] }' <<<"$line"
}
{
    run lookup 1 "$work/cases" "$clerk"
    run lookup 64 "$work/cases" "$clerk"
    run verify 1 "$work/verify-1" "$verifier"
    run verify 64 "$work/verify-64" "$verifier"
} >"$out/$label.tsv"
serve_stop
cat "$out/$label.tsv" >&2
