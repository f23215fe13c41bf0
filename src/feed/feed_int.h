/* Internals shared by the files of src/feed. */
#ifndef HEDUI_FEED_INT_H
#define HEDUI_FEED_INT_H

#include <hedui/feed.h>

/* Cross-column rules of the feed table (row_check.c). */
int hd__check_hukou(const hd_feed *feed, const hd_row *row, hd_error *err);
int hd__check_social_insurance(const hd_feed *feed, const hd_row *row,
                               hd_error *err);
int hd__check_medical(const hd_feed *feed, const hd_row *row, hd_error *err);

#endif
