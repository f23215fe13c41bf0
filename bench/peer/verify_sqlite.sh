#!/usr/bin/env bash
# The SQLite peer of the verification benchmark: checks each delivery's
# manifest, imports every feed CSV and the JSON lines with the sqlite3 shell,
# runs verify_sqlite.sql and writes one Result record per application.
#
#   verify_sqlite.sh DATA_DIR OUT.jsonl [DB]
#
# DATA_DIR is a population written by `hedui gen`. DB (default: a file in
# a temporary folder, removed at the end) is the database the work is done
# in. Needs sqlite3 (3.38 or later: ->> and json1; the shell's REGEXP and
# readfile), sha256sum and perl (csv_records.pl, the CSV pre-pass).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
[ $# -ge 2 ] || { echo "usage: verify_sqlite.sh DATA_DIR OUT.jsonl [DB]" >&2; exit 2; }
data=$(cd "$1" && pwd)
out=$2
case $out in /*) ;; *) out=$PWD/$out ;; esac
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
db=${3:-$tmp/peer.db}
rm -f "$db" "$db-journal" "$db-wal"

feeds="hukou marriage death tax_income social_insurance unemployment medical
provident_fund real_estate vehicle enterprise deposit securities insurance
disability"
declare -A columns=(
    [hukou]="pid,name,sex,birth,hukou_no,relation,region,status,status_date"
    [marriage]="pid,spouse_pid,event,date"
    [death]="pid,date"
    [tax_income]="pid,period,category,payer,income,tax"
    [social_insurance]="pid,period,kind,base,amount,employer"
    [unemployment]="pid,registered,ended"
    [medical]="pid,period,total,fund_paid,self_paid,serious"
    [provident_fund]="pid,period,base,deposit,balance"
    [real_estate]="pid,cert_no,region,use,area,share,acquired,status"
    [vehicle]="pid,plate,type,registered,value,status"
    [enterprise]="pid,uscc,name,role,capital,status,established"
    [deposit]="pid,institution,account,product,balance"
    [securities]="pid,institution,market_value"
    [insurance]="pid,policy_no,product,cash_value,annual_premium"
    [disability]="pid,category,level,valid_until"
)
sq() { printf "'%s'" "${1//\'/\'\'}"; }

# ------------------------------------------------- manifests (feeds.md)
declare -A file_of=()
for dir in "$data"/deliveries/*/; do
    dir=${dir%/}
    m=$dir/manifest.json
    head=$(sqlite3 :memory: "SELECT json_extract(j, '\$.standard') || ' ' ||
        json_extract(j, '\$.mode') FROM (SELECT readfile($(sq "$m")) AS j)")
    [ "$head" = "hedui-feeds/1 snapshot" ] ||
        { echo "$m: not a hedui-feeds/1 snapshot ($head)" >&2; exit 1; }
    while IFS='|' read -r feed file sum; do
        [ -n "${columns[$feed]+x}" ] || { echo "$m: unknown feed $feed" >&2; exit 1; }
        [ -f "$dir/$file" ] || { echo "$m: missing $file" >&2; exit 1; }
        [ "$(sha256sum <"$dir/$file" | cut -d' ' -f1)" = "$sum" ] ||
            { echo "$m: $file does not match its sha256" >&2; exit 1; }
        file_of[$feed]=$dir/$file
    done < <(sqlite3 :memory: "SELECT value ->> 'feed', value ->> 'file',
        value ->> 'sha256' FROM json_each(readfile($(sq "$m")), '\$.files')")
done

# ------------------------------------------------------- the value checks
# @NAME(x)@ in verify_sqlite.sql, x a column: the checks of feeds.md's
# value types, written out where used (the shell has no macros).
utf8='^([0-7][0-9A-F]|C[2-9A-F][89AB][0-9A-F]|D[0-9A-F][89AB][0-9A-F]|E[0-9A-F][89AB][0-9A-F][89AB][0-9A-F]|F[0-4][89AB][0-9A-F][89AB][0-9A-F][89AB][0-9A-F])*$'
expand() {
    perl -pe '
        s{\@DATE_OK\(([\w.]+)\)\@}{($1 GLOB '"'"'[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'"'"' AND date($1, '"'"'+0 days'"'"') = $1 AND substr($1, 1, 4) <> '"'"'0000'"'"')}g;
        s{\@PERIOD_OK\(([\w.]+)\)\@}{($1 GLOB '"'"'[0-9][0-9][0-9][0-9]-[0-9][0-9]'"'"' AND substr($1, 6, 2) BETWEEN '"'"'01'"'"' AND '"'"'12'"'"' AND substr($1, 1, 4) <> '"'"'0000'"'"')}g;
        s{\@PERIOD_N\(([\w.]+)\)\@}{(CAST(substr($1, 1, 4) AS INTEGER) * 12 + CAST(substr($1, 6, 2) AS INTEGER) - 1)}g;
        s{\@MONEY_OK\(([\w.]+)\)\@}{($1 REGEXP '"'"'^-?[0-9]{1,16}(\\.[0-9]{1,2})?\$'"'"')}g;
        s{\@AREA_OK\(([\w.]+)\)\@}{($1 REGEXP '"'"'^[0-9]{1,16}(\\.[0-9]{1,2})?\$'"'"')}g;
        s{\@FEN\(([\w.]+)\)\@}{(CASE WHEN instr($1, '"'"'.'"'"') = 0 THEN CAST($1 AS INTEGER) * 100 ELSE CAST(substr($1, 1, instr($1, '"'"'.'"'"') - 1) || substr(substr($1, instr($1, '"'"'.'"'"') + 1) || '"'"'0'"'"', 1, 2) AS INTEGER) END)}g;
        s{\@PCT_OK\(([\w.]+)\)\@}{($1 REGEXP '"'"'^[0-9]{1,3}\$'"'"' AND CAST($1 AS INTEGER) <= 100)}g;
        s{\@REGION_OK\(([\w.]+)\)\@}{($1 GLOB '"'"'[0-9][0-9][0-9][0-9][0-9][0-9]'"'"' AND substr($1, 1, 2) <> '"'"'00'"'"' AND NOT (substr($1, 3, 2) = '"'"'00'"'"' AND substr($1, 5, 2) <> '"'"'00'"'"'))}g;
        s{\@TEXT_OK\(([\w.]+)\)\@}{($1 <> '"'"''"'"' AND length($1) <= 200 AND hex($1) REGEXP '"'"'UTF8'"'"')}g;
    ' | UTF8=$utf8 perl -pe 's{UTF8}{$ENV{UTF8}}g'
}

# A feed no delivery holds is an empty table; FEED_NOT_DELIVERED when the
# rules read it.
undelivered=false
{
    echo ".bail on"
    echo "PRAGMA journal_mode = OFF;"
    echo "PRAGMA synchronous = OFF;"
    echo "PRAGMA cache_size = -1000000;"
    echo "PRAGMA temp_store = MEMORY;"
    for f in $feeds; do
        if [ -n "${file_of[$f]+x}" ]; then
            # the shell runs the filter; its output is what .import reads
            echo ".import --csv \"|perl $(sq "$here/csv_records.pl") $(sq "${file_of[$f]}")\" raw_$f"
        else
            echo "CREATE TABLE raw_$f (${columns[$f]});"
            [ "$f" = unemployment ] || undelivered=true
            echo "verify_sqlite: $f not delivered" >&2
        fi
    done
    echo "CREATE TABLE app_line (line TEXT);"
    echo "CREATE TABLE auth_line (line TEXT);"
    echo ".mode ascii"
    echo '.separator "\037" "\n"'
    echo ".import $(sq "$data/applications.jsonl") app_line"
    echo ".import $(sq "$data/authorizations.jsonl") auth_line"
    echo ".mode list"
    sed -e "s|@DATA@|${data//|/\\|}|g" -e "s|@ANY_UNDELIVERED@|$undelivered|g" \
        "$here/verify_sqlite.sql" | expand
    echo ".headers off"
    echo ".output $(sq "$out")"
    echo "SELECT j FROM result ORDER BY seq;"
} >"$tmp/run.sql"

sqlite3 "$db" ".read $(sq "$tmp/run.sql")" >&2
