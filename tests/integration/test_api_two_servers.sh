#!/bin/bash
# Two `hedui serve` sharing one PostgreSQL database (several front-ends of
# a province): sessions, role changes and cases seen by both, and two
# approvers racing on one case (tests/api/test_two_servers.py).
set -euo pipefail
hedui=$1
HEDUI_TEST_BACKEND=postgresql
work=$(mktemp -d)
source "$(dirname "$0")/lib_db.sh"
trap 'drop_dbs; rm -rf "$work"' EXIT

"$hedui" gen --families 200 --seed 12 --out "$work/pop" >/dev/null
db="$work/h.db"
new_db "$db"
hedui_on "$db" ingest "$work"/pop/deliveries/* >/dev/null
hedui_on "$db" policy import "$work/pop/policy.json" >/dev/null
db_args "$db"
mkdir -p "$work/run"
python3 "$(dirname "$0")/../api/test_two_servers.py" --hedui "$hedui" \
    --work "$work/run" --pop "$work/pop" --backend postgresql --db "$db" \
    -- "${DB_ARGS[@]}"
