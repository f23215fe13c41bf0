/*
 * The shipped division table, generated into region_data.c by
 * tools/regions/refresh. Private to src/std: everyone else goes through
 * the hd_region_* functions of <hedui/std.h>.
 */
#ifndef HEDUI_REGION_INT_H
#define HEDUI_REGION_INT_H

#include <hedui/std.h>

/* Every region, sorted by code in byte order (a township's 9-digit code
 * sorts right after its county's 6-digit code). */
extern const hd_region hd__region_table[];
extern const size_t hd__region_table_count;
/* Source, version and date of the table, one line. */
extern const char hd__region_provenance[];

#endif
