#!/bin/bash
# Several hedui processes sharing one PostgreSQL case store (issue 4):
#
#  1. two ingests of different deliveries at once, into one feed store and
#     one case store, three times over: every delivery logged once, the
#     same status and quarantine as one ingest after another, and a roll
#     on the result agrees with the truth;
#  2. a roll verification running while single cases are verified: all
#     succeed, each single case gives the roll's record, and every case
#     has its audit entry;
#  3. two writers of the same case: a writer holding an application
#     uncommitted while hedui records another application under that
#     number (hedui waits, then is told of the conflict; the first stays),
#     and the same when the first writer rolls back (hedui's is stored);
#     a revocation racing another (the first stands, none is lost); two
#     policy imports at once (two versions, numbered apart).
#
# The concurrent writer of part 3 is a psql session that holds its
# transaction open until hedui's statement is seen waiting for its lock
# (pg_stat_activity), so that the race is the same on every run. Runs
# only as @postgresql.
set -euo pipefail
hedui=$1
src=${HEDUI_SOURCE_DIR:?}
work=$(mktemp -d)
HEDUI_TEST_BACKEND=postgresql
source "$(dirname "$0")/lib_db.sh"
trap 'drop_dbs; rm -rf "$work"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

"$hedui" gen --families "${CONCURRENCY_FAMILIES:-3000}" --seed 11 --dirty \
    --out "$work/pop" >/dev/null
deliveries=("$work"/pop/deliveries/*)
half=$((${#deliveries[@]} / 2))
first=("${deliveries[@]:0:half}")
second=("${deliveries[@]:half}")

# The reference: one ingest after another, on SQLite.
ref="$work/ref.db"
"$hedui" --db "$ref" ingest "${deliveries[@]}" >/dev/null || [ $? -le 1 ]
"$hedui" --db "$ref" status >"$work/ref.status"
"$hedui" --db "$ref" quarantine list >"$work/ref.quarantine"

# --- 1. two ingests at once -----------------------------------------------
for round in 1 2 3; do
    db="$work/i$round"
    new_db "$db"
    hedui_on "$db" ingest "${first[@]}" >"$work/a.out" 2>&1 &
    a=$!
    hedui_on "$db" ingest "${second[@]}" >"$work/b.out" 2>&1 &
    b=$!
    ra=0 rb=0
    wait $a || ra=$?
    wait $b || rb=$?
    # 0: all loaded; 1: loaded with rows quarantined.
    [ $ra -le 1 ] && [ $rb -le 1 ] ||
        { cat "$work/a.out" "$work/b.out"; fail "round $round: ingest exit $ra, $rb"; }
    hedui_on "$db" status >"$work/status"
    cmp "$work/ref.status" "$work/status" ||
        fail "round $round: status differs from one ingest after another"
    hedui_on "$db" quarantine list >"$work/quarantine"
    cmp "$work/ref.quarantine" "$work/quarantine" ||
        fail "round $round: quarantine differs from one ingest after another"
    logged=$(db_query "$db" "SELECT count(*) FROM ingest_log WHERE accepted = 1")
    [ "$logged" = "${#deliveries[@]}" ] ||
        fail "round $round: $logged accepted logs for ${#deliveries[@]} deliveries"
done
echo "ok: two ingests at once, three times"

# --- 2. a roll while single cases are verified ----------------------------
db="$work/i3"
hedui_on "$db" policy import "$work/pop/policy.json" >/dev/null
hedui_on "$db" consent import "$work/pop/authorizations.jsonl" >/dev/null
hedui_on "$db" apply import "$work/pop/applications.jsonl" >/dev/null 2>&1 ||
    [ $? -le 1 ]
sed -n 's/.*"application_no":"\([^"]*\)".*/\1/p' \
    "$work/pop/applications.jsonl" | awk 'NR % 97 == 5' | head -n 30 \
    >"$work/sample"
hedui_on "$db" verify --roll "$work/pop/applications.jsonl" \
    --out "$work/roll.jsonl" >"$work/roll.out" 2>&1 &
roll=$!
: >"$work/single.jsonl"
while read -r no; do
    hedui_on "$db" verify "$no" --json >>"$work/single.jsonl" ||
        fail "hedui verify $no while a roll runs"
done <"$work/sample"
wait $roll || { cat "$work/roll.out"; fail "the roll failed"; }
python3 "$src/scripts/compare-results" "$work/pop/truth.jsonl" \
    "$work/roll.jsonl" >/dev/null || fail "the roll disagrees with the truth"
while read -r line; do
    grep -qxF "$line" "$work/roll.jsonl" || fail "single case differs: $line"
done <"$work/single.jsonl"
cases=$(wc -l <"$work/roll.jsonl")
audited=$(db_query "$db" "SELECT count(*) FROM audit_log")
singles=$(wc -l <"$work/sample")
[ "$audited" = $((cases + singles)) ] ||
    fail "$audited audit entries for $cases roll cases and $singles single ones"
echo "ok: a roll and $singles single verifications at once"

# --- 3. two writers of the same case --------------------------------------
url=$(cat "$db.url")
line=$(head -n 1 "$work/pop/applications.jsonl")
mine=${line/\"application_no\":\"/\"application_no\":\"990000-}
theirs=${mine/\"applied_on\":\"/\"note\":\"theirs\",\"applied_on\":\"}
no=$(sed 's/.*"application_no":"\([^"]*\)".*/\1/' <<<"$mine")
printf '%s\n' "$mine" >"$work/mine.jsonl"

# The other writer: a psql session fed through a FIFO, which keeps its
# transaction open until told how to end it.
holder_start() { # SQL to run in a transaction left open
    rm -f "$work/fifo"
    mkfifo "$work/fifo"
    psql -X -q -v ON_ERROR_STOP=1 -d "$url" <"$work/fifo" >"$work/holder.out" 2>&1 &
    holder=$!
    exec 3>"$work/fifo"
    printf 'BEGIN;\n%s;\n' "$1" >&3
    wait_for "application_name = 'psql' AND state = 'idle in transaction'" ||
        fail "the other writer did not take its row: $(cat "$work/holder.out")"
}
holder_end() { # COMMIT or ROLLBACK
    printf '%s;\n' "$1" >&3
    exec 3>&-
    wait "$holder" || fail "the other writer failed: $(cat "$work/holder.out")"
}
# Until a session of the cluster matches WHERE (30 s at most).
wait_for() {
    for _ in $(seq 300); do
        [ "$(db_query "$db" "SELECT count(*) FROM pg_stat_activity WHERE $1")" -gt 0 ] &&
            return 0
        sleep 0.1
    done
    return 1
}
# hedui's statement is blocked on the other writer's row.
hedui_waits() { # the start of its statement
    wait_for "application_name = 'hedui' AND wait_event_type = 'Lock' AND query LIKE '$1%'"
}

sql_theirs=$(printf "INSERT INTO application (application_no, program, region, applied_on, json, recorded_at) VALUES ('%s', 'dibao', '620104', '2026-11-20', '%s', 1)" \
    "$no" "${theirs//\'/\'\'}")
holder_start "$sql_theirs"
rc=0
hedui_on "$db" apply import "$work/mine.jsonl" >"$work/mine.out" 2>&1 &
mine_pid=$!
hedui_waits "INSERT INTO application" || fail "hedui did not wait for the other writer"
holder_end COMMIT
wait $mine_pid || rc=$?
[ $rc = 1 ] || { cat "$work/mine.out"; fail "a conflicting writer: exit $rc, not 1"; }
grep -q "already recorded with other content" "$work/mine.out" ||
    fail "no clear conflict message: $(cat "$work/mine.out")"
stored=$(db_query "$db" "SELECT json FROM application WHERE application_no = '$no'")
[ "$stored" = "$theirs" ] || fail "the first writer's application was not kept"

# The other writer rolls back: hedui's application is stored.
no2=${no/990000-/990001-}
mine2=${mine/$no/$no2}
printf '%s\n' "$mine2" >"$work/mine2.jsonl"
holder_start "${sql_theirs/$no/$no2}"
hedui_on "$db" apply import "$work/mine2.jsonl" >"$work/mine2.out" 2>&1 &
mine_pid=$!
hedui_waits "INSERT INTO application" || fail "hedui did not wait for the other writer"
holder_end ROLLBACK
wait $mine_pid || { cat "$work/mine2.out"; fail "hedui's writer after a rollback"; }
grep -q "stored 1" "$work/mine2.out" || fail "not stored: $(cat "$work/mine2.out")"
stored=$(db_query "$db" "SELECT json FROM application WHERE application_no = '$no2'")
[ "$stored" = "$mine2" ] || fail "hedui's application was not stored as given"
echo "ok: two writers of one application: one wins, the other is told"

# Two revocations at once: the first stands.
auth=$(head -n 1 "$work/pop/authorizations.jsonl" |
    sed 's/.*"authorization_id":"\([^"]*\)".*/\1/')
pid=$(head -n 1 "$work/pop/authorizations.jsonl" |
    sed 's/.*"pid":"\([0-9X]*\)".*/\1/')
holder_start "UPDATE consent SET revoked_at = 1, revoked_reason = 'first' WHERE authorization_id = '$auth'"
hedui_on "$db" consent revoke "$auth" --reason second >"$work/revoke.out" 2>&1 &
mine_pid=$!
hedui_waits "UPDATE consent" || fail "the second revocation did not wait"
holder_end COMMIT
wait $mine_pid || { cat "$work/revoke.out"; fail "the second revocation failed"; }
reason=$(db_query "$db" "SELECT revoked_reason FROM consent WHERE authorization_id = '$auth'")
[ "$reason" = first ] || fail "the first revocation was overwritten: $reason"
hedui_on "$db" consent list "$pid" | grep -q "$auth" ||
    fail "consent list lost the authorization"

# Two policy imports at once: two versions, one after the other.
python3 - "$work/pop/policy.json" "$work/policy2.json" <<'PY'
import json, sys
p = json.load(open(sys.argv[1], encoding="utf-8"))
p["national"]["old_age"] = 65 # another policy
json.dump(p, open(sys.argv[2], "w", encoding="utf-8"), ensure_ascii=False)
PY
before=$(db_query "$db" "SELECT count(*) FROM policy_version")
hedui_on "$db" policy import "$work/pop/policy.json" >/dev/null &
a=$!
hedui_on "$db" policy import "$work/policy2.json" >"$work/p2.out" 2>&1 &
b=$!
wait $a || fail "policy import failed"
wait $b || { cat "$work/p2.out"; fail "the second policy import failed"; }
versions=$(db_query "$db" "SELECT string_agg(version::text, ',' ORDER BY version) FROM policy_version")
echo "policy versions: $versions (before: $before)"
[ "$(db_query "$db" "SELECT count(DISTINCT version) = count(*) FROM policy_version")" = t ] ||
    fail "two policy versions share a number"
echo "ok: concurrent revocations and policy imports"
