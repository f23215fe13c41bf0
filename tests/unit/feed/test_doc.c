/*
 * docs/data-standard.md is generated from the feed table: rendering it
 * again must give the committed bytes, so that the two cannot drift. With
 * HEDUI_REGENERATE=1 the test writes the file instead, for review.
 */
#include "testutil.h"

#include <hedui/feed.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void render(hd_buf *out)
{
    hd_buf_init(out, HD_BUF_DEFAULT_MAX);
    assert_int_equal(hd_feed_doc_markdown(out), 0);
}

static void document_matches_the_table(void **state)
{
    char path[4096];
    const char *regen = getenv("HEDUI_REGENERATE");
    hd_buf doc;
    size_t len = 0;
    char *committed;
    (void)state;

    snprintf(path, sizeof(path), "%s/docs/data-standard.md", tu_source_dir());
    render(&doc);
    if (regen && strcmp(regen, "1") == 0) {
        FILE *f = fopen(path, "wb");
        assert_non_null(f);
        assert_int_equal(fwrite(doc.ptr, 1, doc.len, f), doc.len);
        assert_int_equal(fclose(f), 0);
    }
    committed = tu_read_file(path, &len);
    if (!committed)
        fail_msg("%s missing: run with HEDUI_REGENERATE=1", path);
    if (len != doc.len || memcmp(committed, doc.ptr, len) != 0)
        fail_msg("%s differs from the feed table: regenerate it with "
                 "HEDUI_REGENERATE=1 ctest -R unit/test_doc and review",
                 path);
    free(committed);
    hd_buf_release(&doc);
}

static void document_covers_every_feed_column_and_reason(void **state)
{
    hd_buf doc;
    char needle[256];
    (void)state;

    render(&doc);
    for (int i = 0; i < hd_feed_count; i++) {
        const hd_feed *feed = &hd_feeds[i];
        snprintf(needle, sizeof(needle), "### `%s`", feed->name);
        assert_non_null(strstr(doc.ptr, needle));
        for (int c = 0; c < feed->column_count; c++) {
            const hd_column *col = &feed->columns[c];
            snprintf(needle, sizeof(needle), "| `%s` | `%s` | %s |", col->name,
                     hd_type_name(col->type), col->nullable ? "yes" : "no");
            assert_non_null(strstr(doc.ptr, needle));
            for (int k = 0; col->codes && col->codes[k].code; k++) {
                snprintf(needle, sizeof(needle), "| `%s` | %s |",
                         col->codes[k].code, col->codes[k].meaning);
                assert_non_null(strstr(doc.ptr, needle));
            }
        }
        if (feed->check_doc)
            assert_non_null(strstr(doc.ptr, feed->check_doc));
    }
    for (int r = 1; r < HD_REJECT_COUNT_; r++) {
        snprintf(needle, sizeof(needle), "| `%s` | %s |",
                 hd_reject_name((hd_reject)r),
                 hd_reject_is_delivery((hd_reject)r) ? "delivery" : "row");
        assert_non_null(strstr(doc.ptr, needle));
    }
    /* Deterministic: the same table renders the same bytes. */
    {
        hd_buf again;
        render(&again);
        assert_int_equal(again.len, doc.len);
        assert_memory_equal(again.ptr, doc.ptr, doc.len);
        hd_buf_release(&again);
    }
    hd_buf_release(&doc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(document_matches_the_table),
        cmocka_unit_test(document_covers_every_feed_column_and_reason),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
