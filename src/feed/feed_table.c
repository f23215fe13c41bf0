/*
 * The data standard of spec feeds.md (hedui-feeds/1) as a table. This is
 * the one place a feed or a column is defined; everything else reads it.
 * Feed ids are used in store keys: never renumber or reuse one.
 */
#include "feed/feed_int.h"

#include <string.h>

#define COUNT(a) ((int)(sizeof(a) / sizeof((a)[0])))
/* clang-format would spread each one-line initialiser macro over four
 * lines. */
/* clang-format off */
#define END_CODES {NULL, NULL}

/* Column helpers: name, type, and the doc text of feeds.md. */
#define KEY(n, t, d) {n, t, false, true, NULL, d}
#define REQ(n, t, d) {n, t, false, false, NULL, d}
#define OPT(n, t, d) {n, t, true, false, NULL, d}
#define KEY_CODE(n, c, d) {n, HD_TYPE_CODE, false, true, c, d}
#define REQ_CODE(n, c, d) {n, HD_TYPE_CODE, false, false, c, d}
/* clang-format on */

static const hd_code_def sex_codes[] = {
    {"1", "male"}, {"2", "female"}, END_CODES};
static const hd_code_def relation_codes[] = {{"02", "head"},
                                             {"10", "spouse"},
                                             {"20", "son"},
                                             {"30", "daughter"},
                                             {"40", "grandchild"},
                                             {"50", "parent"},
                                             {"60", "grandparent"},
                                             {"70", "sibling"},
                                             {"80", "other relative"},
                                             {"99", "not related"},
                                             END_CODES};
static const hd_code_def hukou_status_codes[] = {
    {"1", "normal"}, {"2", "deceased"}, {"3", "cancelled"}, END_CODES};
static const hd_code_def marriage_event_codes[] = {
    {"1", "marriage"}, {"2", "divorce"}, END_CODES};
static const hd_code_def tax_category_codes[] = {
    {"wage", "wages and salaries"},
    {"labor", "remuneration for labour services"},
    {"royalty", "royalties"},
    {"author", "author's remuneration"},
    {"business", "business income"},
    {"interest", "interest, dividends and bonuses"},
    {"rental", "property rental"},
    {"transfer", "property transfer"},
    {"incidental", "incidental income"},
    END_CODES};
static const hd_code_def insurance_kind_codes[] = {
    {"contrib", "employee pension contribution"},
    {"pension", "pension paid to the person"},
    {"unemployment", "unemployment benefit paid"},
    {"injury", "work-injury benefit paid"},
    END_CODES};
static const hd_code_def flag_codes[] = {{"0", "no"}, {"1", "yes"}, END_CODES};
static const hd_code_def property_use_codes[] = {{"residential", "residential"},
                                                 {"commercial", "commercial"},
                                                 {"office", "office"},
                                                 {"industrial", "industrial"},
                                                 {"other", "other"},
                                                 END_CODES};
static const hd_code_def valid_status_codes[] = {
    {"1", "valid"}, {"2", "cancelled"}, END_CODES};
static const hd_code_def vehicle_type_codes[] = {
    {"car", "car"},
    {"truck", "truck"},
    {"motorcycle", "motorcycle"},
    {"disability", "invalid carriage"},
    {"farm", "farm vehicle"},
    END_CODES};
static const hd_code_def vehicle_status_codes[] = {
    {"1", "valid"}, {"2", "scrapped or transferred"}, END_CODES};
static const hd_code_def enterprise_role_codes[] = {
    {"legal_rep", "legal representative"},
    {"shareholder", "shareholder"},
    {"individual", "individual business operator"},
    END_CODES};
static const hd_code_def enterprise_status_codes[] = {
    {"1", "active"}, {"2", "revoked"}, {"3", "cancelled"}, END_CODES};
static const hd_code_def deposit_product_codes[] = {
    {"demand", "demand deposit"},
    {"time", "time deposit"},
    {"wealth", "wealth management product"},
    END_CODES};
static const hd_code_def insurance_product_codes[] = {{"life", "life"},
                                                      {"annuity", "annuity"},
                                                      {"health", "health"},
                                                      {"property", "property"},
                                                      END_CODES};
static const hd_code_def disability_category_codes[] = {
    {"1", "visual"},       {"2", "hearing"},
    {"3", "speech"},       {"4", "physical"},
    {"5", "intellectual"}, {"6", "mental"},
    {"7", "multiple"},     END_CODES};
static const hd_code_def disability_level_codes[] = {
    {"1", "level 1 (most severe)"},
    {"2", "level 2"},
    {"3", "level 3"},
    {"4", "level 4"},
    END_CODES};

static const hd_column hukou_columns[] = {
    KEY("pid", HD_TYPE_PID, "citizen ID"),
    REQ("name", HD_TYPE_TEXT, "name"),
    REQ_CODE("sex", sex_codes, "must agree with the pid's sequence parity"),
    REQ("birth", HD_TYPE_DATE, "must agree with the pid's birth date"),
    REQ("hukou_no", HD_TYPE_TEXT, "household register number"),
    REQ_CODE("relation", relation_codes, "relation to head, GB/T 4761 classes"),
    REQ("region", HD_TYPE_REGION, "county of registration"),
    REQ_CODE("status", hukou_status_codes, "registration status"),
    OPT("status_date", HD_TYPE_DATE, "nullable when status = 1"),
};

static const hd_column marriage_columns[] = {
    KEY("pid", HD_TYPE_PID, "citizen ID"),
    REQ("spouse_pid", HD_TYPE_PID, "the spouse's citizen ID"),
    REQ_CODE("event", marriage_event_codes, "marriage or divorce"),
    KEY("date", HD_TYPE_DATE, "date of the event"),
};

static const hd_column death_columns[] = {
    KEY("pid", HD_TYPE_PID, "citizen ID"),
    REQ("date", HD_TYPE_DATE, "date of death"),
};

static const hd_column tax_income_columns[] = {
    KEY("pid", HD_TYPE_PID, "citizen ID"),
    KEY("period", HD_TYPE_PERIOD, "month of the income"),
    KEY_CODE("category", tax_category_codes, "income category"),
    {"payer", HD_TYPE_USCC, true, true, NULL,
     "withholding payer; nullable for self-declared items"},
    REQ("income", HD_TYPE_MONEY, "gross income of the month"),
    REQ("tax", HD_TYPE_MONEY, "tax withheld"),
};

static const hd_column social_insurance_columns[] = {
    KEY("pid", HD_TYPE_PID, "citizen ID"),
    KEY("period", HD_TYPE_PERIOD, "month"),
    KEY_CODE("kind", insurance_kind_codes, "contribution or benefit"),
    OPT("base", HD_TYPE_MONEY,
        "contribution base; nullable except for contrib"),
    REQ("amount", HD_TYPE_MONEY, "the contribution or the benefit paid"),
    OPT("employer", HD_TYPE_USCC, "employer"),
};

static const hd_column medical_columns[] = {
    KEY("pid", HD_TYPE_PID, "citizen ID"),
    KEY("period", HD_TYPE_PERIOD, "month of settlement"),
    REQ("total", HD_TYPE_MONEY, "total cost"),
    REQ("fund_paid", HD_TYPE_MONEY, "paid by the insurance funds"),
    REQ("self_paid", HD_TYPE_MONEY,
        "out of pocket; total = fund_paid + self_paid must hold"),
    REQ_CODE("serious", flag_codes, "1 = a designated serious illness"),
};

static const hd_column provident_fund_columns[] = {
    KEY("pid", HD_TYPE_PID, "citizen ID"),
    KEY("period", HD_TYPE_PERIOD, "month"),
    REQ("base", HD_TYPE_MONEY, "deposit base (= wage the employer declared)"),
    REQ("deposit", HD_TYPE_MONEY,
        "employee plus employer deposit of the month"),
    REQ("balance", HD_TYPE_MONEY, "account balance"),
};

static const hd_column real_estate_columns[] = {
    KEY("pid", HD_TYPE_PID, "citizen ID"),
    KEY("cert_no", HD_TYPE_TEXT, "certificate number"),
    REQ("region", HD_TYPE_REGION, "where the property lies"),
    REQ_CODE("use", property_use_codes, "use of the property"),
    REQ("area", HD_TYPE_AREA, "building area"),
    REQ("share", HD_TYPE_PCT, "the person's ownership share"),
    REQ("acquired", HD_TYPE_DATE, "date acquired"),
    REQ_CODE("status", valid_status_codes, "registration status"),
};

static const hd_column vehicle_columns[] = {
    KEY("pid", HD_TYPE_PID, "citizen ID"),
    KEY("plate", HD_TYPE_TEXT, "plate number"),
    REQ_CODE("type", vehicle_type_codes, "vehicle type"),
    REQ("registered", HD_TYPE_DATE, "date registered"),
    REQ("value", HD_TYPE_MONEY, "assessed value at as_of"),
    REQ_CODE("status", vehicle_status_codes, "registration status"),
};

static const hd_column enterprise_columns[] = {
    KEY("pid", HD_TYPE_PID, "citizen ID"),
    KEY("uscc", HD_TYPE_USCC, "the enterprise's credit code"),
    REQ("name", HD_TYPE_TEXT, "enterprise name"),
    KEY_CODE("role", enterprise_role_codes, "the person's role"),
    REQ("capital", HD_TYPE_MONEY, "the person's subscribed capital"),
    REQ_CODE("status", enterprise_status_codes, "registration status"),
    REQ("established", HD_TYPE_DATE, "date established"),
};

static const hd_column deposit_columns[] = {
    KEY("pid", HD_TYPE_PID, "citizen ID"),
    KEY("institution", HD_TYPE_TEXT, "bank code"),
    KEY("account", HD_TYPE_TEXT, "masked account number"),
    REQ_CODE("product", deposit_product_codes, "kind of account"),
    REQ("balance", HD_TYPE_MONEY, "balance at as_of"),
};

static const hd_column securities_columns[] = {
    KEY("pid", HD_TYPE_PID, "citizen ID"),
    KEY("institution", HD_TYPE_TEXT, "securities company"),
    REQ("market_value", HD_TYPE_MONEY, "market value at as_of"),
};

static const hd_column insurance_columns[] = {
    KEY("pid", HD_TYPE_PID, "citizen ID"),
    KEY("policy_no", HD_TYPE_TEXT, "policy number"),
    REQ_CODE("product", insurance_product_codes, "kind of policy"),
    REQ("cash_value", HD_TYPE_MONEY, "cash value"),
    REQ("annual_premium", HD_TYPE_MONEY, "annual premium"),
};

static const hd_column disability_columns[] = {
    KEY("pid", HD_TYPE_PID, "citizen ID"),
    REQ_CODE("category", disability_category_codes, "GB/T 26341 category"),
    REQ_CODE("level", disability_level_codes, "1 = most severe"),
    REQ("valid_until", HD_TYPE_DATE, "certificate valid until"),
};

static const hd_column unemployment_columns[] = {
    KEY("pid", HD_TYPE_PID, "citizen ID"),
    KEY("registered", HD_TYPE_DATE, "date registered as unemployed"),
    OPT("ended", HD_TYPE_DATE, "nullable while still unemployed"),
};

/* clang-format off */
#define FEED(n, dep, id, title, cols, check, check_doc)                        \
    {n, dep, title, id, cols, COUNT(cols), check, check_doc}
/* clang-format on */

const hd_feed hd_feeds[] = {
    FEED("hukou", "public_security", 1, "household registration", hukou_columns,
         hd__check_hukou,
         "sex agrees with the pid's sequence parity; birth agrees with the "
         "pid's birth date; status_date is required unless status = 1"),
    FEED("marriage", "civil_affairs", 2, "marriage registration",
         marriage_columns, NULL, NULL),
    FEED("death", "civil_affairs", 3, "death and cremation records",
         death_columns, NULL, NULL),
    FEED("tax_income", "tax", 4, "individual income tax records",
         tax_income_columns, NULL, NULL),
    FEED("social_insurance", "hrss", 5,
         "social insurance contributions and benefits",
         social_insurance_columns, hd__check_social_insurance,
         "base is required when kind = contrib"),
    FEED("unemployment", "hrss", 6, "registered unemployment",
         unemployment_columns, NULL, NULL),
    FEED("medical", "medical_insurance", 7, "settled medical claims",
         medical_columns, hd__check_medical, "total = fund_paid + self_paid"),
    FEED("provident_fund", "provident_fund", 8, "housing provident fund",
         provident_fund_columns, NULL, NULL),
    FEED("real_estate", "natural_resources", 9, "real estate registration",
         real_estate_columns, NULL, NULL),
    FEED("vehicle", "traffic_police", 10, "motor vehicle registration",
         vehicle_columns, NULL, NULL),
    FEED("enterprise", "market_regulation", 11, "business registration",
         enterprise_columns, NULL, NULL),
    FEED("deposit", "banks", 12, "bank balances at as_of", deposit_columns,
         NULL, NULL),
    FEED("securities", "securities", 13, "securities holdings",
         securities_columns, NULL, NULL),
    FEED("insurance", "insurers", 14, "commercial insurance policies",
         insurance_columns, NULL, NULL),
    FEED("disability", "disabled_federation", 15, "disability certificates",
         disability_columns, NULL, NULL),
};

const int hd_feed_count = COUNT(hd_feeds);

const hd_feed *hd_feed_find_n(const char *name, size_t len)
{
    for (int i = 0; i < hd_feed_count; i++)
        if (strlen(hd_feeds[i].name) == len &&
            memcmp(hd_feeds[i].name, name, len) == 0)
            return &hd_feeds[i];
    return NULL;
}

const hd_feed *hd_feed_find(const char *name)
{
    return hd_feed_find_n(name, strlen(name));
}

const hd_feed *hd_feed_by_id(uint8_t id)
{
    for (int i = 0; i < hd_feed_count; i++)
        if (hd_feeds[i].id == id)
            return &hd_feeds[i];
    return NULL;
}

int hd_feed_column(const hd_feed *feed, const char *name)
{
    for (int i = 0; i < feed->column_count; i++)
        if (!strcmp(feed->columns[i].name, name))
            return i;
    return -1;
}

int hd_column_code_index(const hd_column *column, const char *s, size_t len)
{
    if (len == 0)
        return -1;
    /* Every row goes through here: compare the first byte before the
     * length, which rules out most codes. */
    for (int i = 0; column->codes && column->codes[i].code; i++) {
        const char *code = column->codes[i].code;
        if (code[0] == s[0] && strlen(code) == len && memcmp(code, s, len) == 0)
            return i;
    }
    return -1;
}

const char *hd_type_name(hd_type type)
{
    static const char *const names[] = {"pid",    "uscc",  "region", "date",
                                        "period", "money", "area",   "pct",
                                        "code",   "text"};
    return names[type];
}
