/* Helpers shared by the unit tests. */
#ifndef HEDUI_TESTUTIL_H
#define HEDUI_TESTUTIL_H

#include <setjmp.h>
#include <stdarg.h>
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

#endif
