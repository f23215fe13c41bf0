#!/bin/bash
# The ingest commands as a user runs them: report, --json, exit statuses,
# idempotency, a rejected delivery beside loaded ones, quarantine and
# status output.
set -euo pipefail
hedui=$1
work=$(mktemp -d)
source "$(dirname "$0")/lib_db.sh"
trap 'drop_dbs; rm -rf "$work"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

"$hedui" gen --families 300 --seed 5 --out "$work/pop" --dirty >/dev/null
db="$work/h.db"
new_db "$db"

# A copy of the tax delivery with a checksum that does not match.
cp -r "$work/pop/deliveries/tax" "$work/tax-bad"
python3 - "$work/tax-bad/manifest.json" <<'PY'
import json, sys
m = json.load(open(sys.argv[1]))
m["delivery_id"] += "-tampered"
m["files"][0]["sha256"] = "0" * 64
json.dump(m, open(sys.argv[1], "w"))
PY

set +e
hedui_on "$db" ingest --json "$work"/pop/deliveries/* "$work/tax-bad" >"$work/out.json"
status=$?
set -e
[ $status -eq 1 ] || fail "exit status $status with one rejected delivery, expected 1"
python3 - "$work/out.json" "$work/pop/dirty.json" <<'PY'
import json, sys
out = json.load(open(sys.argv[1]))
outcomes = [d["outcome"] for d in out]
assert outcomes.count("rejected") == 1, outcomes
assert outcomes.count("loaded") == len(out) - 1, outcomes
bad = [d for d in out if d["outcome"] == "rejected"][0]
assert bad["reason"] == "checksum", bad
# Quarantined rows per delivery, file and reason equal what the
# generator planted.
dirty = json.load(open(sys.argv[2]))
got = {}
for d in out:
    if d["outcome"] != "loaded":
        continue
    for f in d["feeds"]:
        got[(d["delivery"], f["feed"])] = f["quarantined_by_reason"]
planted = 0
for d in dirty["deliveries"]:
    for f in d["files"]:
        key = (d["delivery_id"], f["feed"])
        assert got.get(key, {}) == f.get("reasons", {}), (key, got.get(key), f.get("reasons"))
        planted += f["bad_rows"]
assert planted == dirty["bad_rows"] > 0, planted
print("ingest --json: %d deliveries, 1 rejected, %d planted bad rows all "
      "quarantined for their reasons" % (len(out), planted))
PY

# Loading again is a no-op for every delivery that loaded.
hedui_on "$db" ingest "$work"/pop/deliveries/* >"$work/again.txt" ||
    fail "re-ingest exit status $?"
grep -c ': already_loaded' "$work/again.txt" | grep -qx 13 ||
    fail "re-ingest did not report 13 already-loaded deliveries"

hedui_on "$db" status --json >"$work/status.json"
hedui_on "$db" quarantine list --json >"$work/q.json"
python3 - "$work/status.json" "$work/q.json" <<'PY'
import json, sys
status = json.load(open(sys.argv[1]))
assert len(status) == 15, len(status)
for f in status:
    assert f["deliveries"] == 1, f
    assert f["rows"] > 0 or f["feed"] in ("death",), f
    assert f["as_of"] == "2026-11-01", f
q = json.load(open(sys.argv[2]))
assert q, "no quarantined rows"
for r in q:
    for k in ("delivery", "file", "line", "column", "field", "reason", "raw"):
        assert k in r, (k, r)
print("status and quarantine --json: %d feeds, %d quarantined rows" % (len(status), len(q)))
PY
hedui_on "$db" quarantine list --delivery no-such-delivery --json | grep -qx '\[\]' ||
    fail "quarantine list of an unknown delivery is not an empty array"
hedui_on "$db" status | head -n 1 | grep -q '^feed' || fail "status header"
echo "1 passed, 0 failed"
