/* Names of reject reasons: stable, they appear in reports and the
 * quarantine, so a name once published never changes. */
#include "feed/feed_int.h"

static const char *const reject_names[HD_REJECT_COUNT_] = {
    [HD_REJECT_NONE] = "none",
    [HD_REJECT_FIELD_COUNT] = "field_count",
    [HD_REJECT_NULL] = "null",
    [HD_REJECT_PID] = "pid",
    [HD_REJECT_USCC] = "uscc",
    [HD_REJECT_REGION] = "region",
    [HD_REJECT_DATE] = "date",
    [HD_REJECT_PERIOD] = "period",
    [HD_REJECT_MONEY] = "money",
    [HD_REJECT_AREA] = "area",
    [HD_REJECT_PCT] = "pct",
    [HD_REJECT_CODE] = "code",
    [HD_REJECT_TEXT] = "text",
    [HD_REJECT_CROSS_FIELD] = "cross_field",
    [HD_REJECT_CSV_SYNTAX] = "csv_syntax",
    [HD_REJECT_MANIFEST] = "manifest",
    [HD_REJECT_STANDARD] = "standard",
    [HD_REJECT_UNKNOWN_FEED] = "unknown_feed",
    [HD_REJECT_DEPARTMENT] = "department",
    [HD_REJECT_MISSING_FILE] = "missing_file",
    [HD_REJECT_ROW_COUNT] = "row_count",
    [HD_REJECT_CHECKSUM] = "checksum",
    [HD_REJECT_HEADER] = "header",
    [HD_REJECT_BAD_ROW_SHARE] = "bad_row_share",
};

const char *hd_reject_name(hd_reject reason)
{
    if ((int)reason < 0 || reason >= HD_REJECT_COUNT_)
        return "unknown";
    return reject_names[reason];
}

bool hd_reject_is_delivery(hd_reject reason)
{
    return reason >= HD_REJECT_MANIFEST && reason < HD_REJECT_COUNT_;
}

/* What each reason means, for docs/data-standard.md. */
static const char *const reject_docs[HD_REJECT_COUNT_] = {
    [HD_REJECT_NONE] = "not rejected",
    [HD_REJECT_FIELD_COUNT] = "the record has more or fewer fields than the "
                              "header",
    [HD_REJECT_NULL] = "an empty field in a column that is not nullable",
    [HD_REJECT_PID] = "not a valid citizen ID",
    [HD_REJECT_USCC] = "not a valid unified social credit code",
    [HD_REJECT_REGION] = "not a 6-digit division code of the form PP0000, "
                         "PPCC00 or PPCCXX",
    [HD_REJECT_DATE] = "not a calendar date YYYY-MM-DD",
    [HD_REJECT_PERIOD] = "not a calendar month YYYY-MM",
    [HD_REJECT_MONEY] = "not decimal yuan with at most 2 places, or too large",
    [HD_REJECT_AREA] = "not a decimal m2 with at most 2 places, negative, or "
                       "too large",
    [HD_REJECT_PCT] = "not an integer from 0 to 100",
    [HD_REJECT_CODE] = "not one of the column's codes",
    [HD_REJECT_TEXT] = "not UTF-8, or longer than 200 characters",
    [HD_REJECT_CROSS_FIELD] = "breaks a rule across columns of the row",
    [HD_REJECT_CSV_SYNTAX] = "broken quoting (a quote inside an unquoted "
                             "field, text after a closing quote, end of file "
                             "inside quotes), more than 64 fields or a record "
                             "longer than 1 MiB",
    [HD_REJECT_MANIFEST] = "manifest.json missing, not JSON, or a member "
                           "missing or malformed",
    [HD_REJECT_STANDARD] = "the manifest's standard is not hedui-feeds/1",
    [HD_REJECT_UNKNOWN_FEED] = "the manifest lists a feed this standard does "
                               "not define",
    [HD_REJECT_DEPARTMENT] = "an unknown department, or a feed the "
                             "department does not deliver",
    [HD_REJECT_MISSING_FILE] = "a file the manifest lists is not in the "
                               "delivery",
    [HD_REJECT_ROW_COUNT] = "a file's data rows differ from the manifest's "
                            "count",
    [HD_REJECT_CHECKSUM] = "a file's SHA-256 differs from the manifest's",
    [HD_REJECT_HEADER] = "a file's header lacks a required column, repeats "
                         "a column, or is missing",
    [HD_REJECT_BAD_ROW_SHARE] = "bad rows exceed the configured share of "
                                "all rows (default 1%, strictly above)",
};

const char *hd__reject_doc(hd_reject reason)
{
    if ((int)reason < 0 || reason >= HD_REJECT_COUNT_)
        return "unknown";
    return reject_docs[reason];
}
