#!/bin/bash
# Acceptance of the verification issue: on generated populations (several
# seeds, clean and with bad rows), hedui's results agree with the
# generator's independently computed truth.jsonl for every application, in
# conclusion, level, every figure, failed tests and findings; and the
# one-case path (hedui verify APPLICATION_NO) agrees with the roll.
set -euo pipefail
hedui=$1
src=${HEDUI_SOURCE_DIR:?}
work=$(mktemp -d)
source "$(dirname "$0")/lib_db.sh"
trap 'drop_dbs; rm -rf "$work"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
families=${TRUTH_FAMILIES:-4000}

for seed in 1 2 3; do
    for dirty in "" --dirty; do
        dir="$work/s$seed$dirty"
        db="$dir/h.db"
        mkdir -p "$dir"
        new_db "$db"
        echo "== seed $seed ${dirty:-clean}: $families families"
        # shellcheck disable=SC2086
        "$hedui" gen --families "$families" --seed "$seed" --out "$dir/pop" \
            $dirty >/dev/null
        hedui_on "$db" ingest "$dir"/pop/deliveries/* >/dev/null
        hedui_on "$db" policy import "$dir/pop/policy.json" >/dev/null
        hedui_on "$db" consent import "$dir/pop/authorizations.jsonl" \
            >/dev/null
        hedui_on "$db" verify --roll "$dir/pop/applications.jsonl" \
            --out "$dir/results.jsonl" >"$dir/summary.txt"
        python3 "$src/scripts/compare-results" "$dir/pop/truth.jsonl" \
            "$dir/results.jsonl" || fail "roll differs from truth (seed $seed ${dirty:-clean})"
    done
done

# The one-case path: one application of every scenario of the last
# population, verified again on its own, gives the roll's record.
dir="$work/s3--dirty"
db="$dir/h.db"
python3 - "$dir/pop/truth.jsonl" >"$dir/sample.txt" <<'PY'
import json, sys
seen = {}
for line in open(sys.argv[1], encoding="utf-8"):
    r = json.loads(line)
    seen.setdefault(r["scenario"], r["application_no"])
print("\n".join(seen.values()))
PY
[ "$(wc -l <"$dir/sample.txt")" -ge 15 ] || fail "too few scenarios sampled"
: >"$dir/single.jsonl"
while read -r no; do
    hedui_on "$db" verify "$no" --json >>"$dir/single.jsonl" ||
        fail "hedui verify $no"
done <"$dir/sample.txt"
python3 - "$dir/results.jsonl" "$dir/single.jsonl" <<'PY'
import json, sys
roll = {}
for line in open(sys.argv[1], encoding="utf-8"):
    r = json.loads(line)
    roll[r["application_no"]] = line.strip()
bad = 0
for line in open(sys.argv[2], encoding="utf-8"):
    r = json.loads(line)
    if roll[r["application_no"]] != line.strip():
        print("one-case differs from the roll:", r["application_no"])
        print("  roll:", roll[r["application_no"]])
        print("  case:", line.strip())
        bad += 1
sys.exit(1 if bad else 0)
PY
echo "ok: every result agrees with truth; the one-case path agrees with the roll"
