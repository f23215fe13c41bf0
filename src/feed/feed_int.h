/* Internals shared by the files of src/feed. */
#ifndef HEDUI_FEED_INT_H
#define HEDUI_FEED_INT_H

#include <hedui/feed.h>
#include <hedui/std.h>

/* Cross-column rules of the feed table (row_check.c). */
int hd__check_hukou(const hd_feed *feed, const hd_row *row, hd_error *err);
int hd__check_social_insurance(const hd_feed *feed, const hd_row *row,
                               hd_error *err);
int hd__check_medical(const hd_feed *feed, const hd_row *row, hd_error *err);

/*
 * Column indices and code indices the cross-column rules read, so that a
 * row costs no lookups by name; test_row checks them against the table.
 */
enum {
    HD__HUKOU_PID = 0,
    HD__HUKOU_SEX = 2,
    HD__HUKOU_BIRTH = 3,
    HD__HUKOU_STATUS = 7,
    HD__HUKOU_STATUS_DATE = 8,
    HD__HUKOU_STATUS_NORMAL = 0, /* code index of status "1" */
    HD__SI_KIND = 2,
    HD__SI_BASE = 3,
    HD__SI_KIND_CONTRIB = 0, /* code index of kind "contrib" */
    HD__MEDICAL_TOTAL = 2,
    HD__MEDICAL_FUND_PAID = 3,
    HD__MEDICAL_SELF_PAID = 4
};

/* The last valid citizen ID or credit code of each column, so that a run
 * of rows of one person is checked once (row.c). Zeroed means empty. */
typedef struct hd__row_memo {
    uint8_t len[HD_FEED_MAX_COLUMNS];
    char in[HD_FEED_MAX_COLUMNS][HD_PID_LEN];
    char norm[HD_FEED_MAX_COLUMNS][HD_PID_LEN + 1];
} hd__row_memo;

/* hd_row_parse with a memo (may be NULL). */
int hd__row_parse_memo(hd_row *row, const hd_feed *feed, const hd_str *fields,
                       hd_bad_row *bad, hd__row_memo *memo);

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
