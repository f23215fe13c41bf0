#!/bin/bash
# The consent and apply commands as an operator runs them: imports of a
# generated population, counts and exit statuses, a second import that
# finds everything already there, malformed lines reported with their
# line and field, signatures from an untrusted node, revocation, listing.
set -euo pipefail
hedui=$1
work=$(mktemp -d)
source "$(dirname "$0")/lib_db.sh"
trap 'drop_dbs; rm -rf "$work"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

"$hedui" gen --families 200 --seed 7 --out "$work/pop" >/dev/null
db="$work/h.db"
new_db "$db"
apps=$(wc -l <"$work/pop/applications.jsonl")
auths=$(wc -l <"$work/pop/authorizations.jsonl")
refused=$(grep -c '"conclusion":"refused"' "$work/pop/truth.jsonl" || true)

# Applications: every line stored, refused ones too (listed on stderr).
hedui_on "$db" apply import "$work/pop/applications.jsonl" \
    >"$work/out" 2>"$work/err" || fail "apply import exit $?"
grep -q "^read $apps, stored $apps " "$work/out" || fail "apply: $(cat "$work/out")"
n=$(grep -c ': refused ' "$work/err" || true)
# truth.jsonl also refuses regions without a dibao_standard, which only a
# verification can see: the import refuses at most that many.
[ "$n" -ge 1 ] && [ "$n" -le "$refused" ] || fail "refused $n of $refused"
grep -q ': refused .*: members: no members$' "$work/err" || fail "no 'no members' refusal"

# Authorizations: signed with a node key made on first use, mode 0600.
hedui_on "$db" consent import "$work/pop/authorizations.jsonl" \
    >"$work/out" 2>"$work/err" || fail "consent import exit $?"
grep -q "^read $auths, stored $auths, already there 0, rejected 0$" "$work/out" ||
    fail "consent: $(cat "$work/out")"
[ "$(stat -c %a "$db.key")" = 600 ] || fail "key mode $(stat -c %a "$db.key")"
grep -q "created node key" "$work/err" || fail "no key creation message"

# Again: all there already, exit 0.
hedui_on "$db" consent import "$work/pop/authorizations.jsonl" >"$work/out" ||
    fail "second import exit $?"
grep -q "^read $auths, stored 0, already there $auths, rejected 0$" "$work/out" ||
    fail "second: $(cat "$work/out")"
hedui_on "$db" apply import "$work/pop/applications.jsonl" >"$work/out" ||
    fail "second apply exit $?"
grep -q "already there $apps, rejected 0$" "$work/out" || fail "second apply: $(cat "$work/out")"

# Malformed lines: line and field on stderr, the rest stored, exit 1.
first=$(head -1 "$work/pop/authorizations.jsonl")
python3 - "$work/pop/authorizations.jsonl" "$work/bad.jsonl" <<'PY'
import json, sys
lines = open(sys.argv[1]).read().splitlines()
out = []
good = json.loads(lines[0]); good["authorization_id"] += "-new"
out.append(json.dumps(good, ensure_ascii=False))                      # 1 ok
bad = json.loads(lines[1]); bad["authorization_id"] += "-b1"
bad["scope"] = ["hukou", "weather"]
out.append(json.dumps(bad, ensure_ascii=False))                       # 2
out.append("{not json")                                                # 3
bad = json.loads(lines[2]); bad["authorization_id"] += "-b2"
bad["valid_until"] = "2020-01-01"
out.append(json.dumps(bad, ensure_ascii=False))                       # 4
bad = json.loads(lines[3]); bad["authorization_id"] += "-b3"
bad["signature"] = "A" * 86 + "=="
out.append(json.dumps(bad, ensure_ascii=False))                       # 5
out.append("")                                                         # 6 blank
bad = json.loads(lines[4]); bad["purpose"] = ["tekun"]                  # same id
out.append(json.dumps(bad, ensure_ascii=False))                       # 7
open(sys.argv[2], "w").write("\n".join(out) + "\n")
PY
set +e
hedui_on "$db" consent import "$work/bad.jsonl" >"$work/out" 2>"$work/err"
status=$?
set -e
[ $status -eq 1 ] || fail "exit $status with rejected lines, expected 1"
grep -q "^read 6, stored 1, already there 0, rejected 5$" "$work/out" || fail "bad: $(cat "$work/out")"
grep -q "bad.jsonl:2: scope\[1\]: unknown feed$" "$work/err" || fail "line 2: $(cat "$work/err")"
grep -q "bad.jsonl:3: not JSON" "$work/err" || fail "line 3: $(cat "$work/err")"
grep -q "bad.jsonl:4: valid_until: before valid_from$" "$work/err" || fail "line 4"
grep -q "bad.jsonl:5: signature: " "$work/err" || fail "line 5"
grep -q "bad.jsonl:7: authorization_id: " "$work/err" || fail "line 7"

# A record signed by another node: rejected until its key is trusted.
new_db "$work/other.db"
hedui_on "$work/other.db" consent import "$work/bad.jsonl" >/dev/null 2>&1 || true
db_query "$work/other.db" "SELECT json FROM consent" >"$work/other.jsonl"
python3 - "$work/other.jsonl" "$work/from_other.jsonl" <<'PY'
import sys, json
rows = open(sys.argv[1], encoding="utf-8").read().splitlines()
assert rows and all(json.loads(r)["signature"] for r in rows)
open(sys.argv[2], "w", encoding="utf-8").write(rows[0] + "\n")
PY
db2="$work/h2.db"
new_db "$db2"
set +e
hedui_on "$db2" consent import "$work/from_other.jsonl" >"$work/out" 2>"$work/err"
status=$?
set -e
[ $status -eq 1 ] || fail "untrusted signature accepted ($status)"
grep -q "from_other.jsonl:1: signature: does not verify" "$work/err" || fail "$(cat "$work/err")"
# The other node's trust line: its id and public key.
hedui_on "$work/other.db" consent key >"$work/trust.txt" || fail "consent key"
hedui_on "$db2" --trust "$work/trust.txt" consent import "$work/from_other.jsonl" >"$work/out" ||
    fail "trusted import exit $?"
grep -q "stored 1" "$work/out" || fail "trusted: $(cat "$work/out")"

# Revoke one, list it (masked unless --full).
id=$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["authorization_id"])' "$first")
pid=$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["pid"])' "$first")
hedui_on "$db" consent revoke "$id" --reason "withdrawn by the person" >/dev/null ||
    fail "revoke exit $?"
hedui_on "$db" consent list "$pid" >"$work/out"
grep -q "^$id pid=${pid:0:6}\*\*\*\*\*\*\*\*${pid:14:4} .*revoked_at=" "$work/out" ||
    fail "list: $(cat "$work/out")"
grep -q "$pid" "$work/out" && fail "list shows a full pid"
hedui_on "$db" consent list --full "$pid" | grep -q "pid=$pid" || fail "--full"
set +e
hedui_on "$db" consent revoke NO-SUCH-ID 2>/dev/null
status=$?
set -e
[ $status -eq 1 ] || fail "revoking an unknown id: exit $status"

# A key file open to others is refused.
chmod 644 "$db.key"
set +e
hedui_on "$db" consent import "$work/pop/authorizations.jsonl" >/dev/null 2>"$work/err"
status=$?
set -e
[ $status -eq 3 ] || fail "a key open to others was used ($status)"
grep -q "group or others" "$work/err" || fail "$(cat "$work/err")"
echo "ok"
