/*
 * docs/data-standard.md, rendered from the feed table. The document is
 * generated so that it cannot drift from what the reader enforces: a unit
 * test renders it again and compares it with the committed file.
 */
#include "feed/feed_int.h"

#include <string.h>

/* The rule of each value type, as spec feeds.md states it. */
static const char *const type_rules[] = {
    [HD_TYPE_PID] =
        "citizen ID, GB 11643-1999: 18 characters: 6-digit address code "
        "(any 6 digits), 8-digit birth date (a calendar date), 3-digit "
        "sequence (odd = male), check character of ISO 7064 MOD 11-2 "
        "(`0`-`9` or `X`; a lowercase `x` is accepted and stored as `X`). A "
        "15-digit first-generation number (6-digit address, `YYMMDD`, "
        "3-digit sequence) is accepted and stored as its 18-character form "
        "(century `19`, check character computed).",
    [HD_TYPE_USCC] = "unified social credit code, GB 32100-2015: 18 "
                     "characters of `0-9A-Z` without `I`, `O`, `Z`, `S`, "
                     "`V`; the last is the MOD 31 check character.",
    [HD_TYPE_REGION] = "administrative division code (GB/T 2260), 6 digits: "
                       "province `PP0000`, city `PPCC00`, county `PPCCXX`.",
    [HD_TYPE_DATE] = "`YYYY-MM-DD`, a calendar date.",
    [HD_TYPE_PERIOD] = "`YYYY-MM`, a calendar month.",
    [HD_TYPE_MONEY] = "decimal yuan, at most 2 decimals, optional leading "
                      "`-`; kept as integer fen, never floating point.",
    [HD_TYPE_AREA] = "decimal m², at most 2 decimals, not negative; kept as "
                     "integer hundredths of m².",
    [HD_TYPE_PCT] = "integer from 0 to 100, digits only.",
    [HD_TYPE_CODE] = "one of the column's codes, exactly as listed.",
    [HD_TYPE_TEXT] = "UTF-8, at most 200 characters (code points).",
};

/* Append `s` for a table cell: '|' would end the cell. */
static void cell(hd_buf *out, const char *s)
{
    for (const char *bar; (bar = strchr(s, '|')) != NULL; s = bar + 1) {
        hd_buf_append(out, s, (size_t)(bar - s));
        hd_buf_puts(out, "\\|");
    }
    hd_buf_puts(out, s);
}

static void departments(hd_buf *out)
{
    hd_buf_puts(out, "## Departments\n\n"
                     "The manifest's `department` says who delivers; each "
                     "feed comes from one department.\n\n"
                     "| department | feeds |\n|---|---|\n");
    for (int i = 0; i < hd_feed_count; i++) {
        const char *dep = hd_feeds[i].department;
        bool first = true;
        int j;
        for (j = 0; j < i; j++)
            if (strcmp(hd_feeds[j].department, dep) == 0)
                break;
        if (j < i)
            continue; /* listed with its first feed */
        hd_buf_printf(out, "| `%s` | ", dep);
        for (j = i; j < hd_feed_count; j++) {
            if (strcmp(hd_feeds[j].department, dep) != 0)
                continue;
            hd_buf_printf(out, "%s[`%s`](#%s)", first ? "" : ", ",
                          hd_feeds[j].name, hd_feeds[j].name);
            first = false;
        }
        hd_buf_puts(out, " |\n");
    }
    hd_buf_puts(out, "\n");
}

static void delivery(hd_buf *out)
{
    hd_buf_puts(
        out,
        "## Delivery\n\n"
        "A delivery is one folder holding `manifest.json` and one CSV file "
        "per feed it lists. The manifest is a JSON object (a member given "
        "twice rejects it; unknown members are ignored):\n\n"
        "| member | rule |\n|---|---|\n"
        "| `standard` | `\"hedui-feeds/1\"` (otherwise `standard`) |\n"
        "| `department` | one of the departments above (otherwise "
        "`department`) |\n"
        "| `delivery_id` | 1 to 127 printable ASCII characters, no `/`, not "
        "`.` or `..`; the same id loaded twice is a no-op |\n"
        "| `as_of` | `YYYY-MM-DD`, the date the data describes |\n"
        "| `mode` | `snapshot` (each file replaces its whole feed) or `delta` "
        "(rows are added; a row whose key exists replaces it) |\n"
        "| `files` | 1 to 16 objects, one per feed, each feed at most once |\n"
        "| `files[i].feed` | a feed of this standard (otherwise "
        "`unknown_feed`) delivered by `department` (otherwise "
        "`department`) |\n"
        "| `files[i].file` | a plain file name in the folder: no `/`, `\\` or "
        "control characters, not `.` or `..`, each file at most once |\n"
        "| `files[i].rows` | an integer of 0 or more: the data rows, header "
        "excluded (otherwise at ingest `row_count`) |\n"
        "| `files[i].sha256` | 64 hex digits, the SHA-256 of the file's bytes "
        "(uppercase accepted; otherwise at ingest `checksum`) |\n\n"
        "A delivery loads whole or not at all: a manifest error, a missing "
        "file, a row count or checksum mismatch, a broken header, or bad "
        "rows above the configured share (default 1%, strictly above) "
        "reject it and leave the store as it was. Bad rows below that "
        "share go to quarantine.\n\n");
}

static void files(hd_buf *out)
{
    hd_buf_puts(
        out,
        "## Files\n\n"
        "- UTF-8; a leading BOM is skipped. LF or CRLF line ends.\n"
        "- RFC 4180 CSV: comma separator, `\"` quoting, `\"\"` inside "
        "quotes for a quote; quoted fields may hold commas and line "
        "breaks.\n"
        "- The first line is the header. Columns may come in any order; "
        "unknown columns are ignored; a missing required column or a "
        "repeated column rejects the file (`header`). A missing nullable "
        "column reads as null in every row.\n"
        "- An empty field is null. A column is required (not null) unless "
        "the tables below say nullable.\n"
        "- A record with more or fewer fields than the header is a bad row "
        "(`field_count`). A bad row is reported with the line on which its "
        "record starts (the header is line 1), the field number (1-based, "
        "0 for the whole row) and the column name.\n"
        "- A blank last line is not a record.\n"
        "- Rows with the same key: the later one wins.\n\n");
}

static void types(hd_buf *out)
{
    hd_buf_puts(out, "## Value types\n\n| type | rule |\n|---|---|\n");
    for (int t = HD_TYPE_PID; t <= HD_TYPE_TEXT; t++) {
        hd_buf_printf(out, "| `%s` | ", hd_type_name((hd_type)t));
        cell(out, type_rules[t]);
        hd_buf_puts(out, " |\n");
    }
    hd_buf_puts(out, "\n");
}

static void feed_section(hd_buf *out, const hd_feed *feed)
{
    bool first = true;

    hd_buf_printf(out, "### `%s`\n\n", feed->name);
    hd_buf_printf(out, "%c%s. Delivered by `%s`; store id %d.\n\nKey: ",
                  feed->title[0] >= 'a' && feed->title[0] <= 'z'
                      ? feed->title[0] - 'a' + 'A'
                      : feed->title[0],
                  feed->title + 1, feed->department, feed->id);
    for (int c = 0; c < feed->column_count; c++) {
        if (!feed->columns[c].key)
            continue;
        hd_buf_printf(out, "%s`%s`", first ? "" : ", ", feed->columns[c].name);
        first = false;
    }
    hd_buf_puts(out, ".\n\n| column | type | nullable | key | meaning |\n"
                     "|---|---|---|---|---|\n");
    for (int c = 0; c < feed->column_count; c++) {
        const hd_column *col = &feed->columns[c];
        hd_buf_printf(out, "| `%s` | `%s` | %s | %s | ", col->name,
                      hd_type_name(col->type), col->nullable ? "yes" : "no",
                      col->key ? "key" : "");
        cell(out, col->doc);
        hd_buf_puts(out, " |\n");
    }
    hd_buf_puts(out, "\n");
    for (int c = 0; c < feed->column_count; c++) {
        const hd_column *col = &feed->columns[c];
        if (col->type != HD_TYPE_CODE)
            continue;
        hd_buf_printf(out, "Codes of `%s`:\n\n| code | meaning |\n|---|---|\n",
                      col->name);
        for (int k = 0; col->codes[k].code; k++) {
            hd_buf_printf(out, "| `%s` | ", col->codes[k].code);
            cell(out, col->codes[k].meaning);
            hd_buf_puts(out, " |\n");
        }
        hd_buf_puts(out, "\n");
    }
    if (feed->check_doc) {
        hd_buf_puts(out, "Rules across columns (`cross_field`): ");
        hd_buf_puts(out, feed->check_doc);
        hd_buf_puts(out, ".\n\n");
    }
}

static void reasons(hd_buf *out)
{
    hd_buf_puts(out, "## Reject reasons\n\n"
                     "A bad row goes to quarantine with its file, line, field "
                     "number, column and reason, and the delivery goes on; a "
                     "delivery-level reason rejects the whole delivery and "
                     "leaves the store as it was.\n\n"
                     "| reason | rejects | meaning |\n|---|---|---|\n");
    for (int r = HD_REJECT_NONE + 1; r < HD_REJECT_COUNT_; r++) {
        hd_buf_printf(out, "| `%s` | %s | ", hd_reject_name((hd_reject)r),
                      hd_reject_is_delivery((hd_reject)r) ? "delivery" : "row");
        cell(out, hd__reject_doc((hd_reject)r));
        hd_buf_puts(out, " |\n");
    }
}

int hd_feed_doc_markdown(hd_buf *out)
{
    hd_buf_puts(out,
                "# Data standard hedui-feeds/1\n\n"
                "<!-- Generated from src/feed/feed_table.c by "
                "hd_feed_doc_markdown (src/feed/doc.c): do not edit. After "
                "changing the table, regenerate with `HEDUI_REGENERATE=1 "
                "ctest -R unit/test_doc`. -->\n\n"
                "What a department delivers to a verification node, as the "
                "node enforces it: every feed, every column with its type, "
                "nullability, key and code list, the rules across columns, "
                "and the reasons a row or a delivery is rejected. The "
                "contract in prose is spec feeds.md; this document is the "
                "same contract as the code reads it.\n\n");
    departments(out);
    delivery(out);
    files(out);
    types(out);
    hd_buf_puts(out, "## Feeds\n\n");
    for (int i = 0; i < hd_feed_count; i++)
        feed_section(out, &hd_feeds[i]);
    reasons(out);
    return hd_buf_error(out);
}
