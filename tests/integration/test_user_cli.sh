#!/bin/bash
# `hedui user` as the operator of a new server runs it: the first admin
# with its second factor, accounts listed by region, refusals with exit 1
# and nothing stored, role changes, passwords from stdin and from a file,
# disabling; every change audited as cli:uid=N, never with the password.
set -euo pipefail
hedui=$1
work=$(mktemp -d)
source "$(dirname "$0")/lib_db.sh"
trap 'drop_dbs; rm -rf "$work"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

db="$work/h.db"
new_db "$db"
uid=$(id -u)

# The first admin: password from stdin, the otpauth URI printed once.
echo "first-admin-pass" | hedui_on "$db" user add admin.1 --role admin \
    --region 330000 --name "张管理" >"$work/out" 2>"$work/err" ||
    fail "add admin exit $?"
grep -q '^added admin.1 (admin, 管理员, region 330000)$' "$work/out" ||
    fail "add: $(cat "$work/out")"
grep -Eq '^otpauth://totp/hedui:admin\.1\?secret=[A-Z2-7]{32}&issuer=hedui&algorithm=SHA1&digits=6&period=30$' \
    "$work/out" || fail "no otpauth URI: $(cat "$work/out")"

# A clerk: password from a file; no second factor.
printf 'clerk-password-1\n' >"$work/pw"
hedui_on "$db" user add li.wei --role clerk --region 330106 \
    --password-file "$work/pw" >"$work/out" || fail "add clerk exit $?"
grep -q otpauth "$work/out" && fail "a clerk got a second factor"

# Refusals: exit 1, a message naming the rule, nothing stored.
set +e
echo "short" | hedui_on "$db" user add wang.fang --role clerk \
    --region 330106 >/dev/null 2>"$work/err"
rc=$?
set -e
[ $rc = 1 ] || fail "weak password exit $rc"
grep -q 'at least 10 characters' "$work/err" || fail "weak: $(cat "$work/err")"
for args in "li.wei --role clerk --region 330106" \
    "Bad.Name --role clerk --region 330106" \
    "wang.fang --role boss --region 330106" \
    "wang.fang --role clerk --region 339999"; do
    set +e
    # shellcheck disable=SC2086
    echo "good-password-1" | hedui_on "$db" user add $args >/dev/null 2>&1
    rc=$?
    set -e
    [ $rc = 1 ] || fail "add $args: exit $rc"
done
set +e
hedui_on "$db" user add wang.fang --role clerk >/dev/null 2>&1
rc=$?
set -e
[ $rc = 2 ] || fail "usage exit $rc"
[ "$(db_query "$db" "SELECT count(*) FROM staff_user")" = 2 ] ||
    fail "refused accounts were stored"

# The list, whole and by region.
hedui_on "$db" user list >"$work/out" || fail "list exit $?"
[ "$(sed -n 2p "$work/out")" = "$(printf 'admin.1\tadmin\t330000\ttotp\tactive\t张管理')" ] ||
    fail "list: $(cat "$work/out")"
[ "$(sed -n 3p "$work/out")" = "$(printf 'li.wei\tclerk\t330106\t-\tactive\tli.wei')" ] ||
    fail "list: $(cat "$work/out")"
hedui_on "$db" user list --region 330100 >"$work/out"
[ "$(wc -l <"$work/out")" = 2 ] && grep -q '^li.wei' "$work/out" ||
    fail "list by region: $(cat "$work/out")"

# A role change: an auditor gets a second factor; the generation moves.
hedui_on "$db" user role li.wei --role auditor --region 330100 \
    >"$work/out" || fail "role exit $?"
grep -q '^otpauth://totp/hedui:li.wei?' "$work/out" || fail "role: no URI"
[ "$(db_query "$db" "SELECT role, region, generation FROM staff_user WHERE username = 'li.wei'")" = "auditor|330100|2" ] ||
    fail "role not stored"

# A new password from stdin; then disable.
echo "clerk-password-2" | hedui_on "$db" user passwd li.wei >/dev/null ||
    fail "passwd exit $?"
hedui_on "$db" user disable li.wei >/dev/null || fail "disable exit $?"
hedui_on "$db" user list | grep -q "^li.wei.*disabled" || fail "not disabled"
set +e
hedui_on "$db" user disable nobody >/dev/null 2>"$work/err"
rc=$?
set -e
[ $rc = 1 ] || fail "disable unknown exit $rc"

# The audit log: one entry per change, by the operator, no password.
[ "$(db_query "$db" "SELECT action FROM audit_log ORDER BY id" | tr '\n' ' ')" = \
    "user_add user_add user_role user_passwd user_disable " ] ||
    fail "audit: $(db_query "$db" "SELECT action FROM audit_log")"
[ "$(db_query "$db" "SELECT DISTINCT actor FROM audit_log")" = "cli:uid=$uid" ] ||
    fail "actor"
[ "$(db_query "$db" "SELECT count(*) FROM audit_log WHERE outcome LIKE '%password%' OR outcome LIKE '%pass-%'")" = 0 ] ||
    fail "a password in the audit log"
db_query "$db" "SELECT password FROM staff_user" | grep -qv '^\$argon2id\$' &&
    fail "a password not stored as Argon2id"
echo "ok"
