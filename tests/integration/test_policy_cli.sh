#!/bin/bash
# The policy command as a user runs it: import of a directory of own
# files and of interchange JSON, versions, export, show with origins,
# error lines and exit statuses.
set -euo pipefail
hedui=$1
work=$(mktemp -d)
source "$(dirname "$0")/lib_db.sh"
trap 'drop_dbs; rm -rf "$work"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
db="$work/h.db"
new_db "$db"

mkdir "$work/p"
cat >"$work/p/a.policy" <<'P'
[330100 2025-07-01]
source = test city document
dibao_standard = 1410.00
max_area_per_capita = 40
P
cat >"$work/p/b.policy" <<'P'
[330106 2025-01-01]
source = test county document
max_area_per_capita = none   # the county lifts the city's limit
P

out=$(hedui_on "$db" policy import "$work/p")
[[ $out == *"version 1"* ]] || fail "first import: $out"
out=$(hedui_on "$db" policy import "$work/p")
[[ $out == *"unchanged"* ]] || fail "same import again: $out"

show=$(hedui_on "$db" policy show 330106 --on 2025-08-01)
grep -q "dibao_standard *1410.00 yuan" <<<"$show" || fail "show: $show"
grep -q "330100 杭州市 from 2025-07-01: test city document" <<<"$show" ||
    fail "origin: $show"
grep -q "max_area_per_capita *no limit" <<<"$show" || fail "area: $show"
grep -q "tekun_standard *1833.00 yuan" <<<"$show" || fail "tekun: $show"
grep -q "national default" <<<"$show" || fail "national: $show"

hedui_on "$db" policy show 330106 --on 2025-08-01 --json >"$work/show.json"
python3 - "$work/show.json" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
assert s["policy_version"] == 1, s
d = s["params"]["dibao_standard"]
assert d["origin"]["region"] == "330100" and d["origin"]["effective_from"] == "2025-07-01", d
assert s["params"]["old_age"]["origin"]["default"] is True
PY

# Before the city's date nothing resolves: exit 3 with a message.
set +e
hedui_on "$db" policy show 330106 --on 2025-06-30 >/dev/null 2>"$work/err"
status=$?
set -e
[ $status -eq 3 ] || fail "show before any entry: status $status"
grep -q "no dibao_standard" "$work/err" || fail "message: $(cat "$work/err")"

# Export, and an interchange import that changes one region.
hedui_on "$db" policy export --out "$work/x.json"
python3 - "$work/x.json" <<'PY'
import json, sys
x = json.load(open(sys.argv[1]))
assert x["standard"] == "hedui-policy/1"
assert [r["region"] for r in x["regions"]] == ["330100", "330106"], x
x["regions"] = [{"region": "330100", "effective_from": "2026-01-01",
                 "params": {"dibao_standard": 150000}}]
del x["national"]
json.dump(x, open(sys.argv[1].replace("x.json", "y.json"), "w"))
PY
out=$(hedui_on "$db" policy import "$work/y.json")
[[ $out == *"version 2"* ]] || fail "json import: $out"
show=$(hedui_on "$db" policy show 330106 --on 2026-02-01)
grep -q "dibao_standard *1500.00 yuan" <<<"$show" || fail "v2: $show"
show=$(hedui_on "$db" policy show 330106 --on 2026-02-01 --version 1)
grep -q "dibao_standard *1410.00 yuan" <<<"$show" || fail "v1: $show"
hedui_on "$db" policy export --version 1 | grep -q '"max_area_per_capita": 4000' ||
    fail "export v1"

# A bad file: file:line: field: rule, exit 3, nothing stored.
printf '[330100 2025-07-01]\nsource = s\nold_age = 200\n' >"$work/bad.policy"
set +e
hedui_on "$db" policy import "$work/bad.policy" 2>"$work/err"
status=$?
set -e
[ $status -eq 3 ] || fail "bad import: status $status"
grep -q "^hedui policy: .*bad.policy:3: old_age: " "$work/err" ||
    fail "bad import message: $(cat "$work/err")"

# Usage errors exit 2.
set +e
hedui_on "$db" policy frobnicate 2>/dev/null
status=$?
set -e
[ $status -eq 2 ] || fail "usage: status $status"
echo ok
