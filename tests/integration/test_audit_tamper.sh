#!/bin/bash
# hedui audit verify against a log edited with SQL by someone without the
# key: a store filled the usual way (ingest, policy, consents,
# applications, a roll and single verifications), then, one at a time,
# an entry altered, deleted, inserted, reordered (and the end cut off,
# seen with --expect-head): each time exit 1 and the first problem named
# by kind and entry; the untouched log exits 0. `hedui audit list` finds
# a person by ID without printing it.
set -euo pipefail
hedui=$1
work=$(mktemp -d)
source "$(dirname "$0")/lib_db.sh"
trap 'drop_dbs; rm -rf "$work"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

"$hedui" gen --families 30 --seed 11 --out "$work/pop" >/dev/null
db="$work/h.db"
new_db "$db"
hedui_on "$db" ingest "$work"/pop/deliveries/* >/dev/null
hedui_on "$db" policy import "$work/pop/policy.json" >/dev/null
hedui_on "$db" consent import "$work/pop/authorizations.jsonl" >/dev/null 2>&1
hedui_on "$db" apply import "$work/pop/applications.jsonl" >/dev/null 2>&1 || true
hedui_on "$db" verify --roll "$work/pop/applications.jsonl" \
    --out "$work/results.jsonl" >/dev/null 2>&1
for no in $(head -n 3 "$work/pop/applications.jsonl" |
    sed 's/.*"application_no":"\([^"]*\)".*/\1/'); do
    hedui_on "$db" verify "$no" >/dev/null
done
n=$(db_query "$db" "SELECT count(*) FROM audit_log")
[ "$n" -ge 30 ] || fail "only $n audit entries"
[ "$(db_query "$db" "SELECT max(seq) FROM audit_log")" = "$n" ] ||
    fail "seqs do not run 1..$n"

# Untouched: exit 0, the head printed for anchoring.
hedui_on "$db" audit verify >"$work/out" || fail "intact log: exit $?"
grep -q "audit chain intact" "$work/out" || fail "no verdict: $(cat "$work/out")"
head=$(sed -n 's/^head: \([0-9]*:[0-9a-f]*\)$/\1/p' "$work/out")
[ "${head%%:*}" = "$n" ] || fail "head '$head', expected seq $n"
hedui_on "$db" audit verify --expect-head "$head" >/dev/null ||
    fail "anchored head not found in the intact log"

db_query "$db" "CREATE TABLE audit_saved AS SELECT * FROM audit_log"
restore() {
    db_query "$db" "DELETE FROM audit_log"
    db_query "$db" "INSERT INTO audit_log SELECT * FROM audit_saved"
}

# expect_tampered KIND WHAT [ARGS]: exit 1, and the first problem is KIND
# and names WHAT ("entry id 7 at seq 7", "seq 9").
expect_tampered() {
    local kind=$1 what=$2 status
    shift 2
    set +e
    hedui_on "$db" audit verify "$@" >"$work/out" 2>&1
    status=$?
    set -e
    [ $status -eq 1 ] || fail "$kind: exit $status, expected 1: $(cat "$work/out")"
    grep -q "^audit chain TAMPERED: .*; first: $kind: $what[: (]" "$work/out" ||
        fail "$kind: first problem is not '$kind: $what': $(cat "$work/out")"
}

# Altered: an entry's outcome rewritten.
restore
db_query "$db" "UPDATE audit_log SET outcome = 'meets' WHERE seq = 7"
expect_tampered altered "entry id 7 at seq 7"

# Removed: an entry deleted from the middle.
restore
db_query "$db" "DELETE FROM audit_log WHERE seq = 9"
expect_tampered removed "seq 9"
grep -q "between seq 8 and 10" "$work/out" || fail "removed: neighbours not named"

# Removed, and the later entries renumbered to close the gap.
restore
db_query "$db" "DELETE FROM audit_log WHERE seq = 9"
db_query "$db" "UPDATE audit_log SET seq = 1 - seq WHERE seq > 9"
db_query "$db" "UPDATE audit_log SET seq = -seq WHERE seq < 0"
expect_tampered removed "seq 9"
grep -q "^reordered: entry id 10 at seq 9: .*renumbered by -1" "$work/out" ||
    fail "renumbering not reported: $(cat "$work/out")"

# Inserted: an entry copied to the end of the log.
restore
db_query "$db" "INSERT INTO audit_log (at, actor, role, region, action,
    case_no, persons, feeds, authorizations, outcome, seq, prev_hash,
    entry_hash) SELECT at, actor, role, region, action, case_no, persons,
    feeds, authorizations, outcome, $n + 1, prev_hash, entry_hash
    FROM audit_log WHERE seq = 12"
expect_tampered inserted "entry id $((n + 1)) at seq $((n + 1))"
grep -q "a copy of the entry at seq 12" "$work/out" || fail "copy not named"

# Reordered: two entries' seqs swapped.
restore
db_query "$db" "UPDATE audit_log SET seq = -seq WHERE seq IN (4, 15)"
db_query "$db" "UPDATE audit_log SET seq = 19 + seq WHERE seq < 0"
expect_tampered reordered "entry id 15 at seq 4"
grep -q "^reordered: entry id 4 at seq 15: its hash is valid at seq 4" \
    "$work/out" || fail "second moved entry not named: $(cat "$work/out")"

# The end cut off: only the anchored head shows it.
restore
db_query "$db" "DELETE FROM audit_log WHERE seq > $n - 2"
hedui_on "$db" audit verify >/dev/null || fail "a cut log without an anchor"
expect_tampered removed "seq $((n - 1))..$n" --expect-head "$head"

# Restored: intact again.
restore
hedui_on "$db" audit verify --expect-head "$head" >/dev/null ||
    fail "restored log not intact"

# The trail of one person, found by ID, which is never printed.
pid=$(head -n 1 "$work/pop/applications.jsonl" |
    sed 's/.*"members":\[{"pid":"\([^"]*\)".*/\1/')
hedui_on "$db" audit list --pid "$pid" >"$work/list" 2>"$work/err"
[ "$(wc -l <"$work/list")" -ge 2 ] || fail "person's trail: $(cat "$work/list")"
grep -qF "$pid" "$work/list" "$work/err" && fail "the ID was printed"
grep -q "matching entr" "$work/err" || fail "no count"
first=$(head -n 1 "$work/pop/applications.jsonl" |
    sed 's/.*"application_no":"\([^"]*\)".*/\1/')
hedui_on "$db" audit list --case "$first" --limit 1 >"$work/list" 2>/dev/null
[ "$(wc -l <"$work/list")" -eq 1 ] || fail "--limit 1 gave $(wc -l <"$work/list")"
grep -q "\"case_no\":\"$first\"" "$work/list" || fail "--case: $(cat "$work/list")"
grep -q "\"seq\":$((n - 2))," "$work/list" || fail "newest first: $(cat "$work/list")"
set +e
hedui_on "$db" audit list --pid 12345 >/dev/null 2>&1
status=$?
set -e
[ $status -eq 3 ] || fail "bad pid: exit $status"
echo "ok"
