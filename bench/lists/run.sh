#!/usr/bin/env bash
# The list benchmark of make bench (bench/run, contenders lists and
# pg-lists): the console's case list, its export and the dashboard on a
# case store of 100,000 cases spread over the counties of one province,
# read as a clerk of a county, of a city and of the province, under wrk;
# and the console's pages timed in headless Chromium.
#
#   bench/lists/run.sh HEDUI OUT LABEL -- HEDUI_DB_ARGS...
#
# The store: the deliveries and policy of a small population of its own
# (OUT/lists-pop: the list reads no feed data), a few hundred cases
# registered and worked through the API (setup_cases.py), then cloned in
# SQL into BENCH_LIST_CASES (plan.py, clone_sqlite.sql, clone_pg.sql).
#
# Environment: BENCH_LIST_CASES (default 100000), BENCH_LIST_REAL (cases
# made through the API, default 300), BENCH_LIST_FAMILIES (the
# population, default 5000), BENCH_LIST_SECONDS (each wrk run, default 5),
# BENCH_LIST_LOADS (loads of each page in the browser, default 7),
# BENCH_SEED. Writes OUT/LABEL.tsv (request, account, connections,
# requests/s, p50 ms, p99 ms, non-2xx, socket errors, cases matching),
# OUT/LABEL.export.tsv (account, rows, bytes, median s, max s),
# OUT/LABEL.console.tsv (page, loads, median ms, max ms, API ms, shown,
# problems)
# and OUT/LABEL.info (the store: real cases by state, clone seconds).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=../serve.sh
. "$here/../serve.sh"
root=$(dirname "$(dirname "$here")")
hedui=$1 out=$2 label=$3
shift 4
cases=${BENCH_LIST_CASES:-100000}
real=${BENCH_LIST_REAL:-300}
families=${BENCH_LIST_FAMILIES:-5000}
seconds=${BENCH_LIST_SECONDS:-5}
loads=${BENCH_LIST_LOADS:-7}
seed=${BENCH_SEED:-2026}
work=$out/$label
rm -rf "$work"
mkdir -p "$work"
say() { printf '%s: %s\n' "$label" "$*" >&2; }

opts=("$@")
db=""
for ((i = 0; i < ${#opts[@]}; i++)); do
    [ "${opts[$i]}" = --db ] && db=${opts[$((i + 1))]}
done
case $db in postgres://* | postgresql://*) backend=pg ;; *) backend=sqlite ;; esac

# ------------------------------------------------------------- the store

pop=$out/lists-pop
gen_rev=$(git -C "$root" log -1 --format=%h -- tools/gen 2>/dev/null || true)
params="families=$families seed=$seed gen=${gen_rev:-unknown}"
if [ ! -f "$pop/.bench-params" ] || [ "$(cat "$pop/.bench-params")" != "$params" ]; then
    rm -rf "$pop" "$pop.tmp"
    "$hedui" gen --families "$families" --seed "$seed" --out "$pop.tmp" >"$work/gen.out"
    mv "$pop.tmp" "$pop"
    printf '%s\n' "$params" >"$pop/.bench-params"
fi
"$hedui" "$@" ingest "$pop"/deliveries/* >"$work/ingest.out"
"$hedui" "$@" policy import "$pop/policy.json" >/dev/null

say "registering $real cases through the API"
t0=$(date +%s.%N)
python3 "$here/setup_cases.py" "$hedui" "$work" "$pop" "$real" \
    "$work/accounts.json" "$@" >"$work/setup.out"
t1=$(date +%s.%N)
python3 "$here/plan.py" "$root" "$cases" "$seed" "$work/plan.csv" "$@" \
    >"$work/plan.out"
say "cloning them into $cases"
if [ $backend = pg ]; then
    psql -X -q -d "$db" -f "$here/clone_pg.sql" <"$work/plan.csv" >"$work/clone.out"
else
    sqlite3 -bail "$db" ".read $here/clone_sqlite.sql" <"$work/plan.csv" >"$work/clone.out"
fi
t2=$(date +%s.%N)
{
    printf 'real\t%s\n' "$(sed -n 's/^real cases: //p' "$work/setup.out")"
    awk -v a="$t0" -v b="$t1" -v c="$t2" \
        'BEGIN { printf "api_seconds\t%.1f\nclone_seconds\t%.1f\n", b - a, c - b }'
} >"$out/$label.info"

# ------------------------------------------------------------ the server

serve_start "$hedui" "$work" 230000 "$root/web" "$@"
base=http://127.0.0.1:$port

# token USER: sign in as one of setup_cases.py's accounts
token() {
    python3 - "$base" "$work/accounts.json" "$1" <<'PY'
import json, sys, urllib.request
base, accounts, user = sys.argv[1:]
pw = next(a["password"] for a in json.load(open(accounts)) if a["username"] == user)
req = urllib.request.Request(base + "/api/v1/login", method="POST",
    data=json.dumps({"username": user, "password": pw}).encode(),
    headers={"Content-Type": "application/json"})
print(json.load(urllib.request.urlopen(req))["token"])
PY
}
declare -A tok
for a in county city province; do
    tok[$a]=$(token "lists_$a")
done

# total PATH ACCOUNT: the cases a list request matches (and that it answers)
total() {
    curl -fsS -H "Authorization: Bearer ${tok[$2]}" "$base$1" |
        python3 -c 'import json, sys; print(json.load(sys.stdin).get("total", 0))'
}

# measure NAME ACCOUNT PATH [PAGES]: wrk at 1 and 16 connections
measure() {
    local name=$1 acct=$2 path=$3 pages=${4:-} n conns threads line
    n=$(total "$path" "$acct")
    for conns in 1 16; do
        threads=$((conns < 2 ? 1 : 2))
        line=$(WRK_PATH=$path WRK_TOKEN=${tok[$acct]} WRK_PAGES=$pages \
            wrk -t"$threads" -c"$conns" -d"${seconds}s" --timeout 10s \
            --latency -s "$here/list.lua" "$base" | grep '^RESULT')
        awk -v r="$name" -v a="$acct" -v c="$conns" -v n="$n" '{
            for (i = 2; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
            printf "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", r, a, c, v["rps"],
                v["p50_ms"], v["p99_ms"], v["non2xx"], v["errors"], n }' <<<"$line"
    done
}

list=/api/v1/cases?page_size=50
say "lists under wrk, ${seconds} s each"
# the machine's load as each phase starts: figures move with it
printf 'load_wrk\t%s\n' "$(cut -d' ' -f1 /proc/loadavg)" >>"$out/$label.info"
for a in county city province; do
    n=$(total "$list" "$a")
    pages=$(((n + 49) / 50))
    measure first "$a" "$list"
    measure random "$a" "$list" "$pages"
    measure last "$a" "$list&page=$pages"
    measure state "$a" "$list&state=verified"
    measure program "$a" "$list&program=dibao"
    measure overdue "$a" "$list&overdue=1"
    measure q "$a" "$list&q=000123"
    [ $a = county ] || measure region "$a" "$list&region=230103"
    measure dashboard "$a" /api/v1/dashboard
done >"$out/$label.tsv"

say "exports"
# export ACCOUNT: the CSV of the account's whole list, three times:
# rows, bytes, the median and the slowest time
export_csv() {
    local i rows
    for i in 1 2 3; do
        curl -fsS -o "$work/export.csv" -w '%{time_total} %{size_download}\n' \
            -H "Authorization: Bearer ${tok[$1]}" "$base/api/v1/cases/export?format=csv"
    done | sort -n >"$work/export.times"
    rows=$(($(wc -l <"$work/export.csv") - 1))
    awk -v a="$1" -v rows="$rows" '{ t[NR] = $1; b = $2 }
        END { printf "%s\t%d\t%d\t%.3f\t%.3f\n", a, rows, b, t[2], t[NR] }' \
        "$work/export.times"
}
{
    export_csv county
    export_csv city
    export_csv province
} >"$out/$label.export.tsv"

say "the console in Chromium, $loads loads a page"
printf 'load_console\t%s\n' "$(cut -d' ' -f1 /proc/loadavg)" >>"$out/$label.info"
# playwright-core for the browser, ECharts for the dashboard's charts
if [ ! -d "$root/tests/e2e/node_modules/playwright-core" ]; then
    (cd "$root/tests/e2e" && npm ci --no-audit --no-fund --loglevel=error) >&2
fi
if [ -f "$root/web/package.json" ] && [ ! -d "$root/web/node_modules" ]; then
    (cd "$root/web" && npm ci --no-audit --no-fund --loglevel=error) >&2
fi
ptotal=$(total "$list" province)
# cases-county: the list of one county as the province sees it (region
# filter), a small list: what the console costs around any list
pages=("cases-county=/cases?region=230103" "cases=/cases"
    "cases-last=/cases?page=$(((ptotal + 49) / 50))"
    "cases-state=/cases?state=verified" "cases-q=/cases?q=000123")
if [ -f "$root/web/js/pages/dashboard.js" ]; then
    pages+=("dashboard=/dashboard")
else
    say "no dashboard page in web/: not timed"
fi
if [ ! -x /usr/bin/chromium ]; then
    say "no /usr/bin/chromium (Debian's chromium): the console not timed"
elif ! node "$here/console.mjs" "$base" "${tok[province]}" "$loads" "${pages[@]}" \
    >"$out/$label.console.tsv" 2>"$work/console.err"; then
    cat "$work/console.err" >&2
    exit 1
fi
cat "$work/console.err" >&2 2>/dev/null || true

serve_stop
cat "$out/$label.tsv" "$out/$label.export.tsv" "$out/$label.console.tsv" >&2
