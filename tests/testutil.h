/* Helpers shared by the unit tests. */
#ifndef HEDUI_TESTUTIL_H
#define HEDUI_TESTUTIL_H

#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

/* Make a fresh empty directory under $TMPDIR for one test; the returned
 * path is static storage valid until the next call. */
const char *tu_tempdir(void);
/* Remove a directory tree (for cleanup). */
void tu_rmtree(const char *path);
/* Write `text` to `dir/name`; returns the full path (static storage). */
const char *tu_write_file(const char *dir, const char *name, const char *text);
/* Read a whole file into a NUL-terminated malloc'd buffer, or NULL. */
char *tu_read_file(const char *path, size_t *len_out);
/* The source tree, from $HEDUI_SOURCE_DIR (set by CTest). */
const char *tu_source_dir(void);

/*
 * The case store of a test (testutil_store.c). Every test that opens a
 * case store runs on both backends: CTest registers it a second time with
 * HEDUI_TEST_BACKEND=postgresql and HEDUI_TEST_PG_URL_FILE naming a file
 * that holds the URL of the throwaway cluster's test database (the
 * fixture pg, scripts/pg-cluster). Any failure to reach that server fails
 * the test: it is never skipped.
 */

/* Is this run for PostgreSQL (HEDUI_TEST_BACKEND=postgresql)? */
bool tu_backend_is_pg(void);
/* A fresh, empty case store for one test, as hd_casestore_open takes it,
 * written to `out`: for SQLite the file `dir`/case.db; for PostgreSQL
 * the test database's URL with options=-csearch_path set to a new schema
 * of its own (t_<pid>_<n>), where the store then creates its tables. */
const char *tu_casestore_new(char *out, size_t out_len, const char *dir);
/* Empty it again: remove the SQLite file (and its -wal, -shm), or drop
 * the schema and create it anew. */
void tu_casestore_reset(const char *location);
/* Drop a PostgreSQL store's schema (nothing for a SQLite file, which
 * goes with its directory). */
void tu_casestore_drop(const char *location);
/* Behind the store's back: the first column of the first row of `sql`
 * as an integer (-1 with no row), or a statement run for its effect, on
 * the store at `location` with the backend's own client library. */
long long tu_casestore_int(const char *location, const char *sql);
void tu_casestore_exec(const char *location, const char *sql);

#endif
