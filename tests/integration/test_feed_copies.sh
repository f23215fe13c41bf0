#!/bin/bash
# Several front-end servers of one node (issue 4, docs/deploy.md): one
# ingest host loads the deliveries and writes a snapshot of its feed store
# after each batch; two front-ends install it and read their own copies;
# all three share one case store.
#
# - front-ends on the same snapshot give the ingest host's results, byte
#   for byte, for a roll and for single cases, and the same report;
# - a front-end behind the case store refuses to verify, and to replay a
#   verification that read deliveries it does not have;
# - an older snapshot, or another node's, is refused; the same one again
#   changes nothing;
# - a front-end process that is running when newer snapshots are installed
#   (even once its generation is removed) finishes on the copy it opened.
set -euo pipefail
hedui=$1
work=$(mktemp -d)
source "$(dirname "$0")/lib_db.sh"
reader=
cleanup() {
    if [ -n "$reader" ]; then
        kill -CONT "$reader" 2>/dev/null || true
        kill "$reader" 2>/dev/null || true
    fi
    drop_dbs
    rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "FAIL: $*"; exit 1; }
families=${FEED_COPIES_FAMILIES:-1000}

# The node's one case store, shared by the ingest host and the front-ends:
# made by new_db (a SQLite file, or a schema of the test cluster when CTest
# runs this script as @postgresql); DB in the environment (a file or a
# postgresql:// URL) replaces it for a run by hand. Each server gives its
# own --feeds and the node's --key.
if [ -z "${DB:-}" ]; then
    new_db "$work/case.db"
    db_args "$work/case.db"
    DB=${DB_ARGS[1]}
fi
# The node key, the same on every server of the node.
key=$work/node.key

host() { "$hedui" --db "$DB" --feeds "$work/host/feeds" --key "$key" "$@"; }
fe() {
    local n=$1
    shift
    "$hedui" --db "$DB" --feeds "$work/fe$n/feeds" --key "$key" "$@"
}
# Ingest; exit status 1 (some delivery rejected) is a result, not a failure.
ingest() { host ingest "$@" >/dev/null || [ $? -eq 1 ] || fail "ingest"; }
# What the operator's rsync does: the snapshot folder to a front-end.
ship() {
    rm -rf "$work/fe$2/incoming"
    mkdir -p "$work/fe$2"
    cp -R "$1" "$work/fe$2/incoming"
}
expect() { # expect OUTPUT PATTERN WHAT
    grep -q -- "$2" <<<"$1" || fail "$3: got '$1'"
}

echo "== a population of $families families, its deliveries in three batches"
"$hedui" gen --families "$families" --seed 11 --out "$work/pop" --dirty \
    >/dev/null
deliveries=("$work"/pop/deliveries/*)
[ ${#deliveries[@]} -eq 13 ] || fail "expected 13 deliveries"
ingest "${deliveries[@]:0:6}"
host policy import "$work/pop/policy.json" >/dev/null
host consent import "$work/pop/authorizations.jsonl" >/dev/null
host apply import "$work/pop/applications.jsonl" >/dev/null 2>&1 ||
    [ $? -eq 1 ] || fail "apply import"
sed -n '1,12s/.*"application_no":"\([^"]*\)".*/\1/p' \
    "$work/pop/applications.jsonl" >"$work/sample.txt"
no=$(head -n 1 "$work/sample.txt")

echo "== snapshot at seq 6, installed on two front-ends"
out=$(host feeds snapshot "$work/snap")
expect "$out" "^seq=6 " "snapshot after the first batch"
cp -R "$work/snap" "$work/snap-seq6"
for n in 1 2; do
    ship "$work/snap" $n
    out=$(fe $n feeds install "$work/fe$n/incoming")
    expect "$out" "installed seq=6 previous_seq=0 generation=seq-6" \
        "install on front-end $n"
done
[ "$(readlink "$work/fe1/feeds")" = feeds.gen/seq-6 ] || fail "link of fe1"

echo "== the same results on the ingest host and both front-ends"
roll() { # roll WHO NAME [--no-record]
    local who=$1 name=$2
    shift 2
    $who verify --roll "$work/pop/applications.jsonl" \
        --out "$work/$name.jsonl" "$@" >/dev/null || fail "roll $name"
}
roll host host6
roll "fe 1" fe1-6
roll "fe 2" fe2-6 --no-record
cmp "$work/host6.jsonl" "$work/fe1-6.jsonl" || fail "fe1 differs from host"
cmp "$work/host6.jsonl" "$work/fe2-6.jsonl" || fail "fe2 differs from host"
singles() { # singles WHO NAME: each sampled case verified on its own
    local who=$1
    : >"$work/$2.jsonl"
    while read -r app; do
        $who verify "$app" --json >>"$work/$2.jsonl" || fail "verify $app"
    done <"$work/sample.txt"
}
singles host host6-single
singles "fe 1" fe1-6-single
cmp "$work/host6-single.jsonl" "$work/fe1-6-single.jsonl" ||
    fail "single cases differ"

echo "== a front-end process running across two installs"
# Lines that are not applications ahead of the roll: it spends a moment
# setting them aside after mapping the file, before reading the feed store.
{
    yes '{}' | head -n 200000 || true
    cat "$work/pop/applications.jsonl"
} >"$work/reader-roll.jsonl"
"$hedui" --db "$DB" --feeds "$work/fe2/feeds" --key "$key" verify \
    --roll "$work/reader-roll.jsonl" --out "$work/reader.jsonl" --no-record \
    >/dev/null 2>&1 &
reader=$!
# Stopped once the roll is mapped, after its view was pinned: it reads the
# feed store after that.
while ! grep -qs reader-roll.jsonl "/proc/$reader/maps"; do
    kill -0 "$reader" 2>/dev/null || break
done
if kill -STOP "$reader" 2>/dev/null; then
    stopped=yes
else
    stopped="no (it finished first)"
fi

echo "== the second batch: the front-ends are behind the case store"
ingest "${deliveries[@]:6:4}"
status=0
err=$(fe 1 verify "$no" 2>&1 >/dev/null) || status=$?
[ $status -eq 3 ] || fail "a stale front-end verified (status $status)"
expect "$err" "behind the case store" "stale verify"
expect "$err" "up to seq 6," "stale verify names its seq"
expect "$err" "up to seq 10;" "stale verify names the case store's seq"
expect "$err" "hedui feeds install" "stale verify says what to run"
status=0
fe 1 verify --roll "$work/pop/applications.jsonl" --out "$work/stale.jsonl" \
    >/dev/null 2>&1 || status=$?
[ $status -eq 3 ] || fail "a stale front-end verified a roll"
[ ! -e "$work/stale.jsonl" ] || fail "a stale roll wrote results"

echo "== snapshots at seq 10 and 13 installed on front-end 2"
out=$(host feeds snapshot "$work/snap")
expect "$out" "^seq=10 " "snapshot after the second batch"
ship "$work/snap" 2
out=$(fe 2 feeds install "$work/fe2/incoming")
expect "$out" "installed seq=10 previous_seq=6 generation=seq-10" "install 10"
ingest "${deliveries[@]:10}"
out=$(host feeds snapshot "$work/snap")
expect "$out" "^seq=13 " "snapshot after the third batch"
ship "$work/snap" 2
out=$(fe 2 feeds install "$work/fe2/incoming")
expect "$out" "installed seq=13 previous_seq=10 generation=seq-13" "install 13"
kept=$(find "$work/fe2/feeds.gen" -mindepth 1 -maxdepth 1 -printf '%f ' |
    tr ' ' '\n' | sort | tr '\n' ' ')
[ "$kept" = ".lock seq-10 seq-13 " ] || fail "generations kept: $kept"

echo "== the running process finishes on its copy (stopped: $stopped)"
kill -CONT "$reader" 2>/dev/null || true
status=0
wait "$reader" || status=$?
reader=
[ $status -eq 0 ] || fail "the running roll failed (status $status)"
cmp "$work/host6.jsonl" "$work/reader.jsonl" ||
    fail "the running roll did not read the copy it opened"

echo "== a report replays only where the copy holds its deliveries"
host verify "$no" >/dev/null
status=0
err=$(fe 1 report "$no" --format json --out "$work/fe1.json" 2>&1) ||
    status=$?
[ $status -eq 3 ] || fail "a stale front-end replayed a report"
expect "$err" "up to seq 6," "stale report names its seq"
expect "$err" "up to seq 13;" "stale report names the verification's seq"
ship "$work/snap" 1
out=$(fe 1 feeds install "$work/fe1/incoming")
expect "$out" "installed seq=13 previous_seq=6" "install 13 on fe1"
fe 1 report "$no" --format json --out "$work/fe1.json"
host report "$no" --format json --out "$work/host.json"
cmp "$work/host.json" "$work/fe1.json" || fail "reports differ"

echo "== the same results again at seq 13"
roll host host13
roll "fe 1" fe1-13 --no-record
roll "fe 2" fe2-13
cmp "$work/host13.jsonl" "$work/fe1-13.jsonl" || fail "fe1 differs at 13"
cmp "$work/host13.jsonl" "$work/fe2-13.jsonl" || fail "fe2 differs at 13"
! cmp -s "$work/host6.jsonl" "$work/host13.jsonl" ||
    fail "the later batches changed no result: the test shows nothing"
singles host host13-single
singles "fe 2" fe2-13-single
cmp "$work/host13-single.jsonl" "$work/fe2-13-single.jsonl" ||
    fail "single cases differ at 13"

echo "== older and foreign snapshots are refused, the same one is a no-op"
status=0
err=$(fe 1 feeds install "$work/snap-seq6" 2>&1) || status=$?
[ $status -eq 1 ] || fail "an older snapshot was installed (status $status)"
expect "$err" "older than the installed" "older snapshot"
[ "$(readlink "$work/fe1/feeds")" = feeds.gen/seq-13 ] || fail "link moved"
out=$(fe 1 feeds install "$work/fe1/incoming")
expect "$out" "unchanged seq=13 generation=seq-13" "the same snapshot"
# Another node: the same deliveries loaded in another order (its own case
# store, a file whatever DB is: only its feed store matters here).
for ((i = ${#deliveries[@]} - 1; i >= 0; i--)); do
    "$hedui" --db "$work/other.db" --feeds "$work/other/feeds" \
        ingest "${deliveries[$i]}" >/dev/null || [ $? -eq 1 ] ||
        fail "ingest on the other node"
done
"$hedui" --db "$work/other.db" --feeds "$work/other/feeds" \
    feeds snapshot "$work/snap-other" >/dev/null
status=0
err=$(fe 1 feeds install "$work/snap-other" 2>&1) || status=$?
[ $status -eq 1 ] || fail "another node's snapshot was installed"
expect "$err" "not a later copy of this node's feed store" "foreign snapshot"
fe 1 verify "$no" >/dev/null || fail "fe1 after the refusals"

echo "ok: front-ends on copies of the feed store agree with the ingest host"
