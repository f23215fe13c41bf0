/* Internals shared by the files of src/feed. */
#ifndef HEDUI_FEED_INT_H
#define HEDUI_FEED_INT_H

#include <hedui/feed.h>

/* Cross-column rules of the feed table (row_check.c). */
int hd__check_hukou(const hd_feed *feed, const hd_row *row, hd_error *err);
int hd__check_social_insurance(const hd_feed *feed, const hd_row *row,
                               hd_error *err);
int hd__check_medical(const hd_feed *feed, const hd_row *row, hd_error *err);

/* What a reject reason means, in a sentence (for the data standard). */
const char *hd__reject_doc(hd_reject reason);

/*
 * Test hook: the size of the reader's first buffer (default 1 MiB), so that
 * tests and fuzzers can make records cross buffer boundaries with small
 * inputs. Call it before the first hd_csv_next; chunk 0 means 1.
 */
void hd__csv_set_chunk(hd_csv *csv, size_t chunk);

/* Test hook: hd_feed_reader_open_mem with the CSV reader's first buffer of
 * `chunk` bytes (see hd__csv_set_chunk). */
int hd__feed_reader_open_mem_chunk(hd_feed_reader **out, const hd_feed *feed,
                                   const char *name, const void *data,
                                   size_t len, size_t chunk, hd_reject *reason,
                                   hd_error *err);

#endif
