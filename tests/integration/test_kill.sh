#!/bin/bash
# A kill at any instant leaves both stores as before or as after each
# delivery, never half. Many times: start an ingest of every delivery of a
# population, SIGKILL it at a random instant, then check that
#  - the case store passes PRAGMA integrity_check (SQLite only: on
#    PostgreSQL the server itself rolls back what a killed client left
#    open, and there is no file to check from outside),
#  - the accepted deliveries are exactly a prefix of the ones given, in
#    order, and every feed's rows are those of the reference run for the
#    feeds of that prefix and zero for the others,
#  - a second ingest finishes the job, and the end state equals the
#    reference exactly (rows, deliveries, quarantine).
# Usage: test_kill.sh HEDUI [ROUNDS]
set -euo pipefail
hedui=$1
rounds=${2:-${KILL_ROUNDS:-25}}
families=${KILL_FAMILIES:-20000}
work=$(mktemp -d)
source "$(dirname "$0")/lib_db.sh"
trap 'drop_dbs; rm -rf "$work"' EXIT

"$hedui" gen --families "$families" --seed 99 --out "$work/pop" --dirty >/dev/null
deliveries=("$work"/pop/deliveries/*)

new_db "$work/ref.db"
start=$(date +%s%N)
hedui_on "$work/ref.db" ingest "${deliveries[@]}" >/dev/null
elapsed_ms=$(( ($(date +%s%N) - start) / 1000000 ))
hedui_on "$work/ref.db" status --json >"$work/ref-status.json"
hedui_on "$work/ref.db" quarantine list --json >"$work/ref-quarantine.json"
printf '%s\n' "${deliveries[@]}" >"$work/order.txt"
echo "reference ingest: ${elapsed_ms} ms for ${#deliveries[@]} deliveries"

# SQLite only (see above): the file, if any, is not corrupt.
intact() {
    [ "$db_backend" = postgresql ] && { echo ok; return; }
    if [ -f "$1" ]; then sqlite3 "$1" 'PRAGMA integrity_check;'; else echo ok; fi
}

check_prefix() {
    python3 - "$work/ref-status.json" "$1" "$work/order.txt" <<'PY'
import json, sys
ref = {f["feed"]: f for f in json.load(open(sys.argv[1]))}
got = {f["feed"]: f for f in json.load(open(sys.argv[2]))}
order = [l.strip() for l in open(sys.argv[3]) if l.strip()]
# Map each delivery folder to the feeds it holds (from its manifest).
feeds_of = []
for d in order:
    m = json.load(open(d + "/manifest.json"))
    feeds_of.append([f["feed"] for f in m["files"]])
loaded = {f for f, s in got.items() if s["deliveries"] > 0}
# The loaded feeds must be exactly those of a prefix of the order.
for k in range(len(order) + 1):
    prefix = {f for fs in feeds_of[:k] for f in fs}
    if prefix == loaded:
        break
else:
    sys.exit("loaded feeds %s are not a prefix of the order" % sorted(loaded))
for f, s in got.items():
    want = ref[f] if f in loaded else {"rows": 0, "deliveries": 0}
    if s["rows"] != want["rows"] or s["deliveries"] != want["deliveries"]:
        sys.exit("feed %s: rows %d deliveries %d, expected %d and %d"
                 % (f, s["rows"], s["deliveries"], want["rows"], want["deliveries"]))
print("prefix of %d deliveries" % k)
PY
}

reconciled=0
for round in $(seq 1 "$rounds"); do
    db="$work/r$round.db"
    new_db "$db"
    db_args "$db"
    # A random instant within the reference run's duration (a little past
    # it too, so that some rounds finish).
    delay_ms=$(( RANDOM % (elapsed_ms + elapsed_ms / 5 + 1) ))
    # $hedui itself in the background, not a shell function around it:
    # the kill must reach the program.
    "$hedui" "${DB_ARGS[@]}" ingest "${deliveries[@]}" >/dev/null 2>&1 &
    pid=$!
    sleep "$(printf '%d.%03d' $((delay_ms / 1000)) $((delay_ms % 1000)))"
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true

    integrity=$(intact "$db")
    [ "$integrity" = ok ] || { echo "round $round: integrity: $integrity"; exit 1; }
    hedui_on "$db" status --json >"$work/status.json" 2>"$work/status.err"
    printf 'round %d: killed at %d ms: ' "$round" "$delay_ms"
    # A kill between the feed store's commit and the case store's leaves
    # a pending log, which opening the stores finishes.
    if grep -q 'event=ingest_reconciled' "$work/status.err"; then
        reconciled=$((reconciled + 1))
        printf 'finished an interrupted delivery; '
    fi
    check_prefix "$work/status.json"
    [ "$(intact "$db")" = ok ]

    # Finishing the job gives the reference state exactly.
    hedui_on "$db" ingest "${deliveries[@]}" >/dev/null
    hedui_on "$db" status --json >"$work/status.json"
    hedui_on "$db" quarantine list --json >"$work/quarantine.json"
    python3 - "$work/ref-status.json" "$work/status.json" \
        "$work/ref-quarantine.json" "$work/quarantine.json" <<'PY'
import json, sys
strip = lambda s: [{k: f[k] for k in ("feed", "rows", "deliveries", "as_of")} for f in s]
a, b = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
if strip(a) != strip(b):
    sys.exit("final status differs from the reference")
qa, qb = json.load(open(sys.argv[3])), json.load(open(sys.argv[4]))
key = lambda r: (r["delivery"], r["file"], r["line"], r["reason"])
if sorted(map(key, qa)) != sorted(map(key, qb)):
    sys.exit("final quarantine differs from the reference (%d vs %d rows)" % (len(qa), len(qb)))
PY
    rm -rf "$db" "$db"-wal "$db"-shm "$db.feeds" "$db.url" "$db.key"
    drop_dbs
done
echo "$reconciled of $rounds rounds were killed between the two stores' commits"
echo "$rounds passed, 0 failed"
