#!/bin/bash
# The service's API as its users call it, on either backend: every route
# with every role and a region that does not cover it, bad input of every
# kind (tests/api/test_routes.py), and one case walked through every state
# by the roles that do each step (tests/api/test_walk.py). Each script
# gets a case store of its own, with the same deliveries and policy.
set -euo pipefail
hedui=$1
work=$(mktemp -d)
source "$(dirname "$0")/lib_db.sh"
trap 'drop_dbs; rm -rf "$work"' EXIT

"$hedui" gen --families 400 --seed 11 --out "$work/pop" >/dev/null
api="$(dirname "$0")/../api"
for t in test_routes test_walk; do
    echo "== $t"
    db="$work/$t.db"
    new_db "$db"
    hedui_on "$db" ingest "$work"/pop/deliveries/* >/dev/null
    hedui_on "$db" policy import "$work/pop/policy.json" >/dev/null
    db_args "$db"
    mkdir -p "$work/$t"
    python3 "$api/$t.py" --hedui "$hedui" --work "$work/$t" \
        --pop "$work/pop" --backend "$db_backend" --db "$db" \
        -- "${DB_ARGS[@]}"
done
