#!/bin/bash
# The two case-store backends give the same bytes: one generated population
# (with bad rows, an unauthorized family and refused applications) taken
# through the whole job on SQLite and on PostgreSQL, with the clock fixed
# and one node key, and everything the program writes compared byte for
# byte: ingest and status output, the quarantine, policy export, consent
# listings, the roll's results and summary, single verifications, and
# reports in every format. Runs only as @postgresql: it needs both.
set -euo pipefail
hedui=$1
work=$(mktemp -d)
HEDUI_TEST_BACKEND=postgresql
source "$(dirname "$0")/lib_db.sh"
trap 'drop_dbs; rm -rf "$work"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
export SOURCE_DATE_EPOCH=1795000000 # 2026-11-19, after the deliveries

"$hedui" gen --families "${IDENTICAL_FAMILIES:-2500}" --seed 7 --dirty \
    --out "$work/pop" >/dev/null
"$hedui" --db "$work/keygen.db" consent key >/dev/null
new_db "$work/pg"
key="$work/keygen.db.key" # one node key: the same signatures
sq=(--db "$work/sqlite.db" --key "$key")
pg=(--db "$(cat "$work/pg.url")" --feeds "$work/pg.feeds" --key "$key")

# Run one command on both backends: its output goes to <backend>.NAME and
# an argument @OUT@ becomes <backend>.NAME.out, a file it writes. Exit
# status, output and file must be the same.
both() {
    local name=$1 rs=0 rp=0 b
    shift
    for b in sqlite pg; do
        local args=() a rc=0
        for a in "$@"; do args+=("${a//@OUT@/$work/$b.$name.out}"); done
        if [ $b = sqlite ]; then
            "$hedui" "${sq[@]}" "${args[@]}" >"$work/$b.$name" 2>&1 || rc=$?
            rs=$rc
        else
            "$hedui" "${pg[@]}" "${args[@]}" >"$work/$b.$name" 2>&1 || rc=$?
            rp=$rc
        fi
    done
    [ "$rs" = "$rp" ] || fail "$name: exit $rs on SQLite, $rp on PostgreSQL"
    # Outputs name their files: the same but for the backend's prefix.
    sed -i "s#$work/pg\.#$work/sqlite.#g" "$work/pg.$name"
    cmp -s "$work/sqlite.$name" "$work/pg.$name" ||
        { diff "$work/sqlite.$name" "$work/pg.$name" | head -n 20; fail "$name differs"; }
    if [ -e "$work/sqlite.$name.out" ] || [ -e "$work/pg.$name.out" ]; then
        cmp "$work/sqlite.$name.out" "$work/pg.$name.out" ||
            fail "the file $name wrote differs"
    fi
}

both ingest ingest "$work"/pop/deliveries/*
both status status
both status.json status --json
both quarantine quarantine list
both quarantine.json quarantine list --json
both policy-import policy import "$work/pop/policy.json"
both policy-export policy export
both consent-import consent import "$work/pop/authorizations.jsonl"
pid=$(head -n 1 "$work/pop/authorizations.jsonl" |
    sed 's/.*"pid":"\([0-9X]*\)".*/\1/')
both consent-list consent list "$pid" --full
both roll verify --roll "$work/pop/applications.jsonl" --out @OUT@
both apply-again apply import "$work/pop/applications.jsonl"

# One application of each conclusion, on its own and in every report
# format.
for conclusion in meets fails review unauthorized refused; do
    no=$(grep -m1 "\"conclusion\":\"$conclusion\"" "$work/pg.roll.out" |
        sed 's/.*"application_no":"\([^"]*\)".*/\1/')
    [ -n "$no" ] || fail "no $conclusion case in the population"
    both "verify-$no" verify "$no" --json
    for format in json html pdf xlsx; do
        both "report-$no.$format" report "$no" --format "$format" \
            --out @OUT@
    done
done
echo "ok: SQLite and PostgreSQL give the same bytes"
