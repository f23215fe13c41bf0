#!/bin/bash
# hedui report as a user runs it: every format for a verified case, the
# same bytes twice, masked IDs unless --full-pids, the read audited, and
# clear errors for a case never verified or unknown.
set -euo pipefail
hedui=$1
work=$(mktemp -d)
source "$(dirname "$0")/lib_db.sh"
trap 'drop_dbs; rm -rf "$work"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

"$hedui" gen --families 300 --seed 9 --out "$work/pop" >/dev/null
db="$work/h.db"
new_db "$db"
hedui_on "$db" ingest "$work"/pop/deliveries/* >/dev/null
hedui_on "$db" policy import "$work/pop/policy.json" >/dev/null
hedui_on "$db" consent import "$work/pop/authorizations.jsonl" >/dev/null
hedui_on "$db" apply import "$work/pop/applications.jsonl" >/dev/null 2>&1 || true

# A case that fails a test: its report names the test.
no=$(grep -m1 '"conclusion":"fails"' "$work/pop/truth.jsonl" |
    sed 's/.*"application_no":"\([^"]*\)".*/\1/')
[ -n "$no" ] || fail "no failing case in the population"
pid=$(grep -m1 "\"application_no\":\"$no\"" "$work/pop/applications.jsonl" |
    sed 's/.*"members":\[{"pid":"\([^"]*\)".*/\1/')

set +e
hedui_on "$db" report "$no" --format pdf --out "$work/x.pdf" 2>"$work/err"
status=$?
set -e
[ $status -eq 3 ] || fail "report before verify: exit $status, expected 3"
grep -q "has not been verified" "$work/err" || fail "unclear error: $(cat "$work/err")"

hedui_on "$db" verify "$no" >/dev/null
for f in pdf html json xlsx; do
    hedui_on "$db" report "$no" --format "$f" --out "$work/a.$f"
    hedui_on "$db" report "$no" --format "$f" --out "$work/b.$f"
    cmp -s "$work/a.$f" "$work/b.$f" || fail "$f report differs between two runs"
done

masked="${pid:0:6}********${pid:14:4}"
pdftotext -layout "$work/a.pdf" "$work/a.txt"
for want in 家庭经济状况核对报告 "$no" "$masked" 检验结果 建议结论 异议; do
    grep -qF "$want" "$work/a.txt" || fail "PDF text lacks $want"
done
grep -qF "$pid" "$work/a.txt" && fail "PDF shows a full citizen ID"
grep -qF "$pid" "$work/a.html" && fail "HTML shows a full citizen ID"
grep -qF "$masked" "$work/a.html" || fail "HTML lacks the masked ID"
python3 - "$work/a.json" "$no" <<'PY'
import json, sys
r = json.load(open(sys.argv[1], encoding="utf-8"))
assert r["application_no"] == sys.argv[2], r["application_no"]
assert r["conclusion"] == "fails", r["conclusion"]
assert r["failed"], "no failed tests"
assert r["sources"], "no sources"
PY
hedui_on "$db" report "$no" --format html --out "$work/full.html" --full-pids
grep -qF "$pid" "$work/full.html" || fail "--full-pids does not show the ID"

# Every report is a read, and audited: one verify and nine reports.
n=$(db_query "$db" "SELECT count(*) FROM audit_log WHERE case_no = '$no'")
[ "$n" -eq 10 ] || fail "$n audit entries for the case, expected 10"
db_query "$db" "SELECT persons FROM audit_log" | grep -qF "$pid" &&
    fail "the audit log holds a citizen ID"

set +e
hedui_on "$db" report NO-SUCH-CASE --format json --out "$work/n.json" 2>/dev/null
status=$?
set -e
[ $status -eq 3 ] || fail "unknown case: exit $status, expected 3"
[ ! -e "$work/n.json" ] || fail "a file was written for an unknown case"
echo "ok: reports in every format, deterministic, masked, audited"
