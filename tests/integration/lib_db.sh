# Case stores for the integration scripts, on either backend. Sourced by
# a script that has set $hedui; CTest runs every script that calls new_db
# twice: on SQLite, and as <name>@postgresql with
# HEDUI_TEST_BACKEND=postgresql and HEDUI_TEST_PG_URL_FILE naming the file
# that holds the test cluster's URL (tests/CMakeLists.txt).
#
# A case store is named by a file path, PATH, on both backends: on SQLite
# it is that file; on PostgreSQL it is a schema of its own in the test
# database, whose URL is kept in PATH.url. The feed store and the node
# key are files on both: hedui's defaults (PATH.feeds, PATH.key) on
# SQLite, and the same paths given with --feeds and --key on PostgreSQL.
#
#   new_db PATH          make a fresh, empty case store PATH
#   hedui_on PATH ARGS   run $hedui on it (global options may lead ARGS)
#   db_args PATH         set the array DB_ARGS to its global options, for
#                        a command line of one's own ("$hedui" "${DB_ARGS[@]}")
#   db_query PATH SQL    print the rows of a query, fields split by |
#   drop_dbs             drop every schema new_db made (for an EXIT trap)

db_backend=${HEDUI_TEST_BACKEND:-sqlite}
db_schemas=()

# The test database's URL.
db_base_url() {
    local file=${HEDUI_TEST_PG_URL_FILE:-}
    if [ -z "$file" ] || [ ! -s "$file" ]; then
        echo "lib_db: no test database: HEDUI_TEST_PG_URL_FILE='$file' (did the fixture pg/start fail?)" >&2
        return 1
    fi
    head -n 1 "$file"
}

new_db() {
    local path=$1 base schema sep
    if [ "$db_backend" != postgresql ]; then
        rm -rf "$path" "$path-wal" "$path-shm" "$path.feeds"
        return 0
    fi
    base=$(db_base_url) || exit 1
    schema="it_$$_${#db_schemas[@]}_$RANDOM"
    psql -X -q -v ON_ERROR_STOP=1 -d "$base" \
        -c "CREATE SCHEMA $schema" >/dev/null || {
        echo "lib_db: cannot create schema $schema in $base" >&2
        exit 1
    }
    db_schemas+=("$schema")
    case $base in *\?*) sep='&' ;; *) sep='?' ;; esac
    # options=-csearch_path puts the store's tables in the schema.
    echo "$base${sep}options=-csearch_path%3D$schema" >"$path.url"
    rm -rf "$path.feeds" "$path.key"
}

db_args() {
    local path=$1
    if [ "$db_backend" = postgresql ]; then
        DB_ARGS=(--db "$(cat "$path.url")" --feeds "$path.feeds" --key "$path.key")
    else
        DB_ARGS=(--db "$path")
    fi
}

hedui_on() {
    local DB_ARGS
    db_args "$1"
    shift
    "$hedui" "${DB_ARGS[@]}" "$@"
}

db_query() {
    if [ "$db_backend" = postgresql ]; then
        psql -X -q -A -t -v ON_ERROR_STOP=1 -d "$(cat "$1.url")" -c "$2"
    else
        sqlite3 "$1" "$2"
    fi
}

drop_dbs() {
    local base schema
    [ ${#db_schemas[@]} -gt 0 ] || return 0
    base=$(db_base_url) || return 0
    for schema in "${db_schemas[@]}"; do
        psql -X -q -d "$base" -c "DROP SCHEMA IF EXISTS $schema CASCADE" \
            >/dev/null 2>&1 || true
    done
    db_schemas=()
}
