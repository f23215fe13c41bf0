/*
 * The deliveries: one CSV stream per feed, driven by the feed table.
 *
 * The table (hd_feeds) decides everything about a file: its name, its
 * department, its header and the order of its columns. The generator only
 * knows how to give each column of a record its value, by the column's
 * name; a column it does not know is written empty when nullable and
 * stops the run otherwise, so a change to the standard cannot go
 * unnoticed. Codes are written from the table's own code lists.
 *
 * With dirty, malformed rows are added (never substituted): after every
 * `interval` valid rows of a file, one bad row of the next reject reason
 * that fits the file, so that every delivery's bad-row share stays below
 * 1 / (interval + 1). Each is recorded in dirty.json with its line.
 */
#include "gen/gen_int.h"

#include <assert.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))
#define OUT_BUFFER (1u << 20)
#define ROW_MAX 8192

/* The generator's names for the codes it writes; each is checked against
 * the feed table's code list when a run starts. */
const char *const hd__gen_tax_category_names[] = {
    "wage",     "labor",  "royalty",  "author",    "business",
    "interest", "rental", "transfer", "incidental"};
static const char *const si_kind_names[] = {"contrib", "pension",
                                            "unemployment", "injury"};
static const char *const use_names[] = {"residential", "commercial", "office",
                                        "industrial", "other"};
static const char *const vehicle_type_names[] = {"car", "truck", "motorcycle",
                                                 "disability", "farm"};
static const char *const role_names[] = {"legal_rep", "shareholder",
                                         "individual"};
static const char *const deposit_product_names[] = {"demand", "time", "wealth"};
static const char *const insurance_product_names[] = {"life", "annuity",
                                                      "health", "property"};

/* The record kinds the generator writes, and the names of their fields. */
typedef enum kind {
    K_HUKOU,
    K_MARRIAGE,
    K_DEATH,
    K_TAX,
    K_SI,
    K_UNEMPLOYMENT,
    K_MEDICAL,
    K_FUND,
    K_ESTATE,
    K_VEHICLE,
    K_ENTERPRISE,
    K_DEPOSIT,
    K_SECURITIES,
    K_INSURANCE,
    K_DISABILITY,
    K_COUNT_
} kind;

#define MAX_FIELDS 12

static const struct {
    const char *feed;
    const char *fields[MAX_FIELDS];
} kinds[K_COUNT_] = {
    [K_HUKOU] = {"hukou",
                 {"pid", "name", "sex", "birth", "hukou_no", "relation",
                  "region", "status", "status_date"}},
    [K_MARRIAGE] = {"marriage", {"pid", "spouse_pid", "event", "date"}},
    [K_DEATH] = {"death", {"pid", "date"}},
    [K_TAX] = {"tax_income",
               {"pid", "period", "category", "payer", "income", "tax"}},
    [K_SI] = {"social_insurance",
              {"pid", "period", "kind", "base", "amount", "employer"}},
    [K_UNEMPLOYMENT] = {"unemployment", {"pid", "registered", "ended"}},
    [K_MEDICAL] = {"medical",
                   {"pid", "period", "total", "fund_paid", "self_paid",
                    "serious"}},
    [K_FUND] = {"provident_fund",
                {"pid", "period", "base", "deposit", "balance"}},
    [K_ESTATE] = {"real_estate",
                  {"pid", "cert_no", "region", "use", "area", "share",
                   "acquired", "status"}},
    [K_VEHICLE] = {"vehicle",
                   {"pid", "plate", "type", "registered", "value", "status"}},
    [K_ENTERPRISE] = {"enterprise",
                      {"pid", "uscc", "name", "role", "capital", "status",
                       "established"}},
    [K_DEPOSIT] = {"deposit",
                   {"pid", "institution", "account", "product", "balance"}},
    [K_SECURITIES] = {"securities", {"pid", "institution", "market_value"}},
    [K_INSURANCE] = {"insurance",
                     {"pid", "policy_no", "product", "cash_value",
                      "annual_premium"}},
    [K_DISABILITY] = {"disability",
                      {"pid", "category", "level", "valid_until"}},
};

/* One kind of malformed row: a reason, the table column it breaks, and
 * which way. */
typedef struct bad_kind {
    uint8_t reason; /* hd_reject */
    int8_t column;  /* table column, -1 for the whole row */
    uint8_t variant;
} bad_kind;

typedef struct bad_line {
    int64_t line;
    bad_kind kind;
} bad_line;

#define MAX_BAD_KINDS 48

typedef struct feed_file {
    const hd_feed *feed;
    kind kind;
    int map[HD_FEED_MAX_COLUMNS]; /* table column -> field, -1: null */
    gen_out out;
    int64_t lines; /* physical lines so far, the header included */
    int64_t valid_rows;
    int64_t bad_rows;
    char sha256[HD_SHA256_HEX_LEN + 1];
    bad_kind bad_kinds[MAX_BAD_KINDS];
    int bad_kind_count;
    int next_bad;
    bad_line *bad;
    size_t bad_cap;
} feed_file;

struct gen_csv {
    char dir[1024];
    const gen_world *world;
    feed_file files[K_COUNT_];
    int file_count;
    feed_file *by_kind[K_COUNT_];
    bool dirty;
    int interval;
    gen_rng dirty_rng;
    gen_pids *pids;
    /* one row being built */
    hd_str vals[MAX_FIELDS];
    char scratch[ROW_MAX];
    size_t used;
};

/* ------------------------------------------------------------ setup */

static int check_codes(const hd_feed *feed, const char *column,
                       const char *const *names, size_t count, hd_error *err)
{
    int c = hd_feed_column(feed, column);

    if (c < 0)
        return 0; /* the column is gone: map_columns reports it */
    for (size_t i = 0; i < count; i++)
        if (hd_column_code_index(&feed->columns[c], names[i],
                                 strlen(names[i])) < 0)
            return hd_error_set(err, HD_EINVAL,
                                "feed table: %s.%s has no code %s", feed->name,
                                column, names[i]);
    return 0;
}

static int map_columns(feed_file *ff, hd_error *err)
{
    const hd_feed *feed = ff->feed;

    for (int c = 0; c < feed->column_count; c++) {
        const char *name = feed->columns[c].name;
        ff->map[c] = -1;
        for (int k = 0; k < MAX_FIELDS && kinds[ff->kind].fields[k]; k++)
            if (!strcmp(kinds[ff->kind].fields[k], name))
                ff->map[c] = k;
        if (ff->map[c] < 0 && !feed->columns[c].nullable)
            return hd_error_set(err, HD_EINVAL,
                                "the generator has no values for required "
                                "column %s.%s",
                                feed->name, name);
    }
    return 0;
}

static void add_bad_kind(feed_file *ff, hd_reject reason, int column,
                         int variant)
{
    if (ff->bad_kind_count < MAX_BAD_KINDS)
        ff->bad_kinds[ff->bad_kind_count++] =
            (bad_kind){(uint8_t)reason, (int8_t)column, (uint8_t)variant};
}

static int first_of_type(const hd_feed *feed, hd_type type)
{
    for (int c = 0; c < feed->column_count; c++)
        if (feed->columns[c].type == type)
            return c;
    return -1;
}

/*
 * The malformed rows that fit a feed, from its columns' types: the rarer
 * reasons first, so that small files still get them.
 */
static void plan_bad_kinds(feed_file *ff)
{
    const hd_feed *feed = ff->feed;
    int c;

    /* Cross-column rules of the feed table. */
    if (!strcmp(feed->name, "hukou")) {
        add_bad_kind(ff, HD_REJECT_CROSS_FIELD, hd_feed_column(feed, "sex"), 0);
        add_bad_kind(ff, HD_REJECT_CROSS_FIELD, hd_feed_column(feed, "birth"),
                     1);
        add_bad_kind(ff, HD_REJECT_CROSS_FIELD,
                     hd_feed_column(feed, "status_date"), 2);
    } else if (!strcmp(feed->name, "social_insurance")) {
        add_bad_kind(ff, HD_REJECT_CROSS_FIELD, hd_feed_column(feed, "base"),
                     3);
    } else if (!strcmp(feed->name, "medical")) {
        add_bad_kind(ff, HD_REJECT_CROSS_FIELD,
                     hd_feed_column(feed, "self_paid"), 4);
    }
    if ((c = first_of_type(feed, HD_TYPE_AREA)) >= 0)
        add_bad_kind(ff, HD_REJECT_AREA, c, 0);
    if ((c = first_of_type(feed, HD_TYPE_PCT)) >= 0)
        add_bad_kind(ff, HD_REJECT_PCT, c, 0);
    if ((c = first_of_type(feed, HD_TYPE_REGION)) >= 0)
        add_bad_kind(ff, HD_REJECT_REGION, c, 0);
    if ((c = first_of_type(feed, HD_TYPE_TEXT)) >= 0) {
        add_bad_kind(ff, HD_REJECT_TEXT, c, 0);
        add_bad_kind(ff, HD_REJECT_TEXT, c, 1);
    }
    if ((c = first_of_type(feed, HD_TYPE_DATE)) >= 0)
        add_bad_kind(ff, HD_REJECT_DATE, c, 0);
    if ((c = first_of_type(feed, HD_TYPE_PERIOD)) >= 0)
        add_bad_kind(ff, HD_REJECT_PERIOD, c, 0);
    if ((c = first_of_type(feed, HD_TYPE_USCC)) >= 0)
        add_bad_kind(ff, HD_REJECT_USCC, c, 0);
    if ((c = first_of_type(feed, HD_TYPE_MONEY)) >= 0) {
        add_bad_kind(ff, HD_REJECT_MONEY, c, 0);
        add_bad_kind(ff, HD_REJECT_MONEY, c, 1);
    }
    if ((c = first_of_type(feed, HD_TYPE_CODE)) >= 0)
        add_bad_kind(ff, HD_REJECT_CODE, c, 0);
    for (int v = 0; v < 5; v++)
        add_bad_kind(ff, HD_REJECT_PID, 0, v);
    for (c = feed->column_count - 1; c > 0; c--)
        if (!feed->columns[c].nullable) {
            add_bad_kind(ff, HD_REJECT_NULL, c, 0);
            break;
        }
    add_bad_kind(ff, HD_REJECT_FIELD_COUNT, -1, 0);
    add_bad_kind(ff, HD_REJECT_FIELD_COUNT, -1, 1);
    if (feed->column_count > 1)
        add_bad_kind(ff, HD_REJECT_CSV_SYNTAX, 1, 0);
}

static int make_dir(const char *path, hd_error *err)
{
    if (mkdir(path, 0755) != 0) {
        struct stat st;
        if (stat(path, &st) != 0 || !S_ISDIR(st.st_mode))
            return hd_error_set(err, HD_EIO, "cannot create %s", path);
    }
    return 0;
}

static int write_header(feed_file *ff, hd_error *err)
{
    char line[1024];
    size_t len = 0;

    for (int c = 0; c < ff->feed->column_count; c++) {
        const char *name = ff->feed->columns[c].name;
        size_t n = strlen(name);
        if (c)
            line[len++] = ',';
        memcpy(line + len, name, n);
        len += n;
    }
    line[len++] = '\n';
    ff->lines = 1;
    return hd__gen_out_write(&ff->out, line, len, err);
}

int hd__gen_csv_open(gen_csv **out, const char *dir, const gen_world *w,
                     bool dirty, int dirty_interval, uint64_t seed,
                     gen_pids *pids, gen_writer *writer, hd_error *err)
{
    gen_csv *c = hd_calloc(1, sizeof(*c));
    char path[1200];
    int rc = 0;

    *out = NULL;
    if (!c)
        return hd_error_set(err, HD_ENOMEM, "out of memory");
    for (int i = 0; i < K_COUNT_; i++)
        c->files[i].out.fd = -1;
    snprintf(c->dir, sizeof(c->dir), "%s", dir);
    c->world = w;
    c->dirty = dirty;
    c->interval = dirty_interval > 0 ? dirty_interval : HD_GEN_DIRTY_INTERVAL;
    c->pids = pids;
    /* A stream of its own: dirty rows never change the clean ones. */
    gen_rng_seed(&c->dirty_rng, seed ^ 0x5eedd1e7ULL, 0);

    if (hd_feed_count != K_COUNT_) {
        rc = hd_error_set(err, HD_EINVAL,
                          "the feed table has %d feeds, the generator knows "
                          "%d",
                          hd_feed_count, K_COUNT_);
        goto out;
    }
    snprintf(path, sizeof(path), "%s/deliveries", dir);
    if ((rc = make_dir(path, err)))
        goto out;
    for (int i = 0; i < hd_feed_count; i++) {
        const hd_feed *feed = &hd_feeds[i];
        feed_file *ff = &c->files[c->file_count];
        int k = -1;

        for (int j = 0; j < K_COUNT_; j++)
            if (!strcmp(kinds[j].feed, feed->name))
                k = j;
        if (k < 0) {
            rc =
                hd_error_set(err, HD_EINVAL,
                             "the generator does not know feed %s", feed->name);
            goto out;
        }
        ff->feed = feed;
        ff->kind = (kind)k;
        c->by_kind[k] = ff;
        c->file_count++;
        if ((rc = map_columns(ff, err)))
            goto out;
        plan_bad_kinds(ff);
        snprintf(path, sizeof(path), "%s/deliveries/%s", dir, feed->department);
        if ((rc = make_dir(path, err)))
            goto out;
        snprintf(path, sizeof(path), "%s/deliveries/%s/%s.csv", dir,
                 feed->department, feed->name);
        if ((rc = hd__gen_out_open(&ff->out, path, OUT_BUFFER, writer, err)))
            goto out;
        if ((rc = write_header(ff, err)))
            goto out;
    }
#define CODES(feed, col, names)                                                \
    do {                                                                       \
        const hd_feed *fd_ = hd_feed_find(feed);                               \
        if (fd_ && (rc = check_codes(fd_, col, names, COUNT(names), err)))     \
            goto out;                                                          \
    } while (0)
    CODES("tax_income", "category", hd__gen_tax_category_names);
    CODES("social_insurance", "kind", si_kind_names);
    CODES("real_estate", "use", use_names);
    CODES("vehicle", "type", vehicle_type_names);
    CODES("enterprise", "role", role_names);
    CODES("deposit", "product", deposit_product_names);
    CODES("insurance", "product", insurance_product_names);
#undef CODES
out:
    if (rc) {
        hd__gen_csv_free(c);
        return rc;
    }
    *out = c;
    return 0;
}

void hd__gen_csv_free(gen_csv *c)
{
    if (!c)
        return;
    for (int i = 0; i < K_COUNT_; i++) {
        hd__gen_out_abandon(&c->files[i].out);
        hd_free(c->files[i].bad);
    }
    hd_free(c);
}

/* ------------------------------------------------------ building rows */

static void row_begin(gen_csv *c)
{
    c->used = 0;
    for (int i = 0; i < MAX_FIELDS; i++)
        c->vals[i] = (hd_str){NULL, 0};
}

static void v_str(gen_csv *c, int i, const char *s)
{
    c->vals[i] = s ? (hd_str){s, strlen(s)} : (hd_str){NULL, 0};
}

static char *v_room(gen_csv *c, size_t n)
{
    /* A row's values take well under 2 KB (the longest is a 201-character
     * text of a bad row). */
    assert(c->used + n <= sizeof(c->scratch));
    (void)n;
    return c->scratch + c->used;
}

static void v_bytes(gen_csv *c, int i, const char *s, size_t n)
{
    char *p = v_room(c, n);
    memcpy(p, s, n);
    c->vals[i] = (hd_str){p, n};
    c->used += n;
}

static void v_int(gen_csv *c, int i, int64_t x)
{
    char *p = v_room(c, 24);
    size_t n = hd__gen_fmt_int(p, x);
    c->vals[i] = (hd_str){p, n};
    c->used += n;
}

static void v_money(gen_csv *c, int i, int64_t fen)
{
    char *p = v_room(c, 32);
    size_t n = hd__gen_fmt_money(p, fen);
    c->vals[i] = (hd_str){p, n};
    c->used += n;
}

static void v_date(gen_csv *c, int i, int32_t date)
{
    char *p;
    if (date == HD_GEN_NO_DATE) {
        c->vals[i] = (hd_str){NULL, 0};
        return;
    }
    p = v_room(c, 10);
    c->vals[i] = (hd_str){p, hd__gen_fmt_date(p, date)};
    c->used += 10;
}

static void v_period(gen_csv *c, int i, int32_t period)
{
    char *p = v_room(c, 7);
    c->vals[i] = (hd_str){p, hd__gen_fmt_period(p, period)};
    c->used += 7;
}

static void v_code2(gen_csv *c, int i, int code)
{
    char *p = v_room(c, 2);
    p[0] = (char)('0' + code / 10);
    p[1] = (char)('0' + code % 10);
    c->vals[i] = (hd_str){p, 2};
    c->used += 2;
}

static void v_pid(gen_csv *c, int i, const char *pid, int form)
{
    char *p;

    switch (form) {
    case HD_GEN_PID_LOWER_X:
        p = v_room(c, 18);
        memcpy(p, pid, 18);
        p[17] = 'x';
        c->vals[i] = (hd_str){p, 18};
        c->used += 18;
        break;
    case HD_GEN_PID_15:
        /* address, YYMMDD, sequence: the first-generation number */
        p = v_room(c, 15);
        memcpy(p, pid, 6);
        memcpy(p + 6, pid + 8, 9);
        c->vals[i] = (hd_str){p, 15};
        c->used += 15;
        break;
    default:
        c->vals[i] = (hd_str){pid, 18};
        break;
    }
}

/* ------------------------------------------------------- emitting rows */

static bool needs_quotes(hd_str v)
{
    for (size_t i = 0; i < v.len; i++) {
        char ch = v.ptr[i];
        if (ch == ',' || ch == '"' || ch == '\n' || ch == '\r')
            return true;
    }
    return false;
}

/* Append one record in the table's column order. `raw_column` (or -1) is
 * written as is, for broken quoting; `extra` adds or drops a field. */
static int emit(gen_csv *c, feed_file *ff, int raw_column, int extra,
                hd_error *err)
{
    const hd_feed *feed = ff->feed;
    int columns = feed->column_count;
    gen_out *o = &ff->out;
    char *p;
    int rc;

    if ((rc = gen_out_room(o, ROW_MAX * 2 + 16, err)))
        return rc;
    p = o->buf + o->len;
    if (extra < 0)
        columns--;
    for (int col = 0; col < columns; col++) {
        int k = ff->map[col];
        hd_str v = k >= 0 ? c->vals[k] : (hd_str){NULL, 0};
        if (col)
            *p++ = ',';
        if (v.len && col != raw_column &&
            feed->columns[col].type == HD_TYPE_TEXT && needs_quotes(v)) {
            /* RFC 4180: quote, and double the quotes inside. */
            *p++ = '"';
            for (size_t i = 0; i < v.len; i++) {
                if (v.ptr[i] == '"')
                    *p++ = '"';
                else if (v.ptr[i] == '\n')
                    ff->lines++;
                *p++ = v.ptr[i];
            }
            *p++ = '"';
        } else if (v.len) {
            memcpy(p, v.ptr, v.len);
            p += v.len;
        }
    }
    if (extra > 0) {
        memcpy(p, ",x", 2);
        p += 2;
    }
    *p++ = '\n';
    ff->lines++;
    o->len = (size_t)(p - o->buf);
    return 0;
}

/* --------------------------------------------------------- bad rows */

static const char *bad_detail(const bad_kind *k)
{
    static const char *const pid_rules[] = {"length", "characters",
                                            "address code", "birth date",
                                            "check character"};
    static const char *const cross[] = {
        "sex does not agree with the pid", "birth does not agree with the pid",
        "status_date missing", "contrib without base",
        "total != fund_paid + self_paid"};

    switch (k->reason) {
    case HD_REJECT_PID:
        return pid_rules[k->variant % 5];
    case HD_REJECT_CROSS_FIELD:
        return cross[k->variant % 5];
    case HD_REJECT_MONEY:
        return k->variant ? "letters" : "3 decimals";
    case HD_REJECT_TEXT:
        return k->variant ? "longer than 200 characters" : "invalid UTF-8";
    case HD_REJECT_FIELD_COUNT:
        return k->variant ? "one field short" : "one field too many";
    case HD_REJECT_NULL:
        return "empty required field";
    case HD_REJECT_CSV_SYNTAX:
        return "text after a closing quote";
    case HD_REJECT_USCC:
        return "check character";
    case HD_REJECT_REGION:
        return "not 6 digits";
    case HD_REJECT_DATE:
        return "not a calendar date";
    case HD_REJECT_PERIOD:
        return "month 13";
    case HD_REJECT_AREA:
        return "3 decimals";
    case HD_REJECT_PCT:
        return "above 100";
    case HD_REJECT_CODE:
        return "not in the code list";
    default:
        return "";
    }
}

/* A valid row of the feed from the column types alone, for a person who
 * is nobody's family member: the base a bad row is made from. */
static void base_row(gen_csv *c, feed_file *ff, char *pid)
{
    const hd_feed *feed = ff->feed;
    const gen_world *w = c->world;
    gen_rng *r = &c->dirty_rng;
    int county = (int)gen_below(r, (uint32_t)w->county_count);
    int sex = (int)gen_range(r, 1, 2);
    int32_t birth = w->applied_on - (int32_t)gen_range(r, 20 * 365, 70 * 365);
    int32_t month =
        hd_period_of_date(w->applied_on) - (int32_t)gen_range(r, 1, 14);

    if (hd__gen_pid_alloc(c->pids, pid, county, w->counties[county].code,
                          &birth, sex, true) != 0)
        memcpy(pid, "110101199001010011", 19); /* never reached */
    row_begin(c);
    for (int col = 0; col < feed->column_count; col++) {
        const hd_column *column = &feed->columns[col];
        int k = ff->map[col];
        if (k < 0)
            continue;
        switch (column->type) {
        case HD_TYPE_PID:
            if (col == 0) {
                v_pid(c, k, pid, HD_GEN_PID_AS_IS);
            } else {
                char *other = v_room(c, 19);
                int32_t b = birth;
                if (hd__gen_pid_alloc(c->pids, other, county,
                                      w->counties[county].code, &b,
                                      sex == 1 ? 2 : 1, true) != 0)
                    memcpy(other, pid, 19);
                c->vals[k] = (hd_str){other, 18};
                c->used += 19;
            }
            break;
        case HD_TYPE_USCC: {
            char *u = v_room(c, 19);
            hd__gen_uscc(u, r, w->counties[county].code);
            c->vals[k] = (hd_str){u, 18};
            c->used += 19;
            break;
        }
        case HD_TYPE_REGION:
            v_str(c, k, w->counties[county].code);
            break;
        case HD_TYPE_DATE:
            v_date(c, k, !strcmp(column->name, "birth") ? birth : birth + 7000);
            break;
        case HD_TYPE_PERIOD:
            v_period(c, k, month);
            break;
        case HD_TYPE_MONEY:
            v_money(c, k, !strcmp(column->name, "total") ? 30000 : 15000);
            break;
        case HD_TYPE_AREA:
            v_str(c, k, "60.50");
            break;
        case HD_TYPE_PCT:
            v_str(c, k, "100");
            break;
        case HD_TYPE_CODE:
            /* the sex agrees with the pid; otherwise the first code */
            v_str(c, k,
                  !strcmp(column->name, "sex") ? (sex == 1 ? "1" : "2")
                                               : column->codes[0].code);
            break;
        case HD_TYPE_TEXT:
            v_str(c, k, "核对样本");
            break;
        }
    }
}

/* Break the base row the way `bk` says. */
static void break_row(gen_csv *c, feed_file *ff, const bad_kind *bk,
                      const char *pid, int *raw_column, int *extra)
{
    int k = bk->column >= 0 ? ff->map[bk->column] : -1;
    char buf[700];
    size_t n;

    *raw_column = -1;
    *extra = 0;
    switch (bk->reason) {
    case HD_REJECT_FIELD_COUNT:
        *extra = bk->variant ? -1 : 1;
        return;
    case HD_REJECT_CSV_SYNTAX:
        v_str(c, k, "\"核对\"样本");
        *raw_column = bk->column;
        return;
    case HD_REJECT_NULL:
        c->vals[k] = (hd_str){NULL, 0};
        return;
    case HD_REJECT_PID:
        memcpy(buf, pid, 18);
        n = 18;
        switch (bk->variant) {
        case 0: /* length: a digit left out */
            memmove(buf + 9, buf + 10, 8);
            n = 17;
            break;
        case 1: /* characters: a letter in the birth date */
            buf[10] = 'A';
            break;
        case 2: /* address code: a letter in it */
            buf[3] = 'B';
            break;
        case 3: /* birth date: month 13, check character recomputed */
            buf[10] = '1';
            buf[11] = '3';
            buf[17] = hd_pid_check_char(buf);
            break;
        default: /* check character */
            buf[17] = buf[17] == '0' ? '1' : '0';
            break;
        }
        v_bytes(c, k, buf, n);
        return;
    case HD_REJECT_USCC:
        memcpy(buf, c->vals[k].ptr, 18);
        buf[17] = buf[17] == '0' ? '1' : '0';
        v_bytes(c, k, buf, 18);
        return;
    case HD_REJECT_REGION:
        memcpy(buf, c->vals[k].ptr, 6);
        buf[5] = 'A';
        v_bytes(c, k, buf, 6);
        return;
    case HD_REJECT_DATE:
        v_str(c, k, "2025-02-29");
        return;
    case HD_REJECT_PERIOD:
        v_str(c, k, "2026-13");
        return;
    case HD_REJECT_MONEY:
        v_str(c, k, bk->variant ? "12a.50" : "12.345");
        return;
    case HD_REJECT_AREA:
        v_str(c, k, "60.125");
        return;
    case HD_REJECT_PCT:
        v_str(c, k, "101");
        return;
    case HD_REJECT_CODE:
        v_str(c, k, "zz");
        return;
    case HD_REJECT_TEXT:
        if (bk->variant == 0) {
            v_str(c, k, "核\xff\xfe对");
        } else {
            for (n = 0; n < 201 * 3; n += 3)
                memcpy(buf + n, "字", 3);
            v_bytes(c, k, buf, n);
        }
        return;
    case HD_REJECT_CROSS_FIELD: {
        const hd_feed *feed = ff->feed;
        int col;
        switch (bk->variant) {
        case 0: /* hukou: the other sex */
            v_str(c, k, c->vals[k].ptr[0] == '1' ? "2" : "1");
            break;
        case 1: { /* hukou: birth a day off */
            int32_t day;
            hd_date_parse(&day, c->vals[k].ptr, c->vals[k].len, NULL);
            v_date(c, k, day + 1);
            break;
        }
        case 2: /* hukou: deceased without a date */
            col = hd_feed_column(feed, "status");
            if (col >= 0 && ff->map[col] >= 0)
                v_str(c, ff->map[col], "2");
            c->vals[k] = (hd_str){NULL, 0};
            break;
        case 3: /* social insurance: contrib without a base */
            col = hd_feed_column(feed, "kind");
            if (col >= 0 && ff->map[col] >= 0)
                v_str(c, ff->map[col], "contrib");
            c->vals[k] = (hd_str){NULL, 0};
            break;
        default: /* medical: the parts do not add up */
            v_money(c, k, 15100);
            break;
        }
        return;
    }
    default:
        return;
    }
}

static int emit_bad(gen_csv *c, feed_file *ff, hd_error *err)
{
    bad_kind bk = ff->bad_kinds[ff->next_bad];
    char pid[19];
    int raw_column, extra, rc;

    ff->next_bad = (ff->next_bad + 1) % ff->bad_kind_count;
    base_row(c, ff, pid);
    break_row(c, ff, &bk, pid, &raw_column, &extra);
    if (ff->bad_rows == (int64_t)ff->bad_cap) {
        size_t cap = ff->bad_cap ? ff->bad_cap * 2 : 64;
        bad_line *grown = hd_realloc(ff->bad, cap * sizeof(*grown));
        if (!grown)
            return hd_error_set(err, HD_ENOMEM, "out of memory");
        ff->bad = grown;
        ff->bad_cap = cap;
    }
    ff->bad[ff->bad_rows] = (bad_line){ff->lines + 1, bk};
    if ((rc = emit(c, ff, raw_column, extra, err)))
        return rc;
    ff->bad_rows++;
    return 0;
}

/* After each valid row: a bad one when one is due. */
static int row_done(gen_csv *c, feed_file *ff, hd_error *err)
{
    ff->valid_rows++;
    if (c->dirty && ff->bad_kind_count &&
        ff->valid_rows >= (ff->bad_rows + 1) * c->interval)
        return emit_bad(c, ff, err);
    return 0;
}

static int put(gen_csv *c, kind k, hd_error *err)
{
    feed_file *ff = c->by_kind[k];
    int rc = emit(c, ff, -1, 0, err);
    return rc ? rc : row_done(c, ff, err);
}

/* ------------------------------------------------------ family records */

int hd__gen_csv_family(gen_csv *c, const gen_family *f, hd_error *err)
{
    int rc = 0;

#define PUT(k)                                                                 \
    do {                                                                       \
        if ((rc = put(c, k, err)))                                             \
            return rc;                                                         \
    } while (0)

    for (size_t i = 0; i < f->hukou_count; i++) {
        const hd_gen_hukou *h = &f->hukou[i];
        row_begin(c);
        v_pid(c, 0, h->pid, HD_GEN_PID_AS_IS);
        v_str(c, 1, h->name);
        v_int(c, 2, h->sex);
        v_date(c, 3, h->birth);
        v_str(c, 4, h->hukou_no);
        v_code2(c, 5, h->relation);
        v_str(c, 6, h->region);
        v_int(c, 7, h->status);
        v_date(c, 8, h->status_date);
        PUT(K_HUKOU);
    }
    for (size_t i = 0; i < f->marriage_count; i++) {
        const hd_gen_marriage *m = &f->marriage[i];
        row_begin(c);
        v_pid(c, 0, m->pid, HD_GEN_PID_AS_IS);
        v_pid(c, 1, m->spouse_pid, HD_GEN_PID_AS_IS);
        v_int(c, 2, m->event);
        v_date(c, 3, m->date);
        PUT(K_MARRIAGE);
    }
    for (size_t i = 0; i < f->death_count; i++) {
        row_begin(c);
        v_pid(c, 0, f->death[i].pid, HD_GEN_PID_AS_IS);
        v_date(c, 1, f->death[i].date);
        PUT(K_DEATH);
    }
    for (size_t i = 0; i < f->tax_count; i++) {
        const hd_gen_tax *t = &f->tax[i];
        row_begin(c);
        v_pid(c, 0, t->pid, HD_GEN_PID_AS_IS);
        v_period(c, 1, t->period);
        v_str(c, 2, hd__gen_tax_category_names[t->category]);
        if (t->payer)
            c->vals[3] = (hd_str){t->payer, 18};
        v_money(c, 4, t->income_fen);
        v_money(c, 5, t->tax_fen);
        PUT(K_TAX);
    }
    for (size_t i = 0; i < f->si_count; i++) {
        const hd_gen_si *s = &f->si[i];
        row_begin(c);
        v_pid(c, 0, s->pid, HD_GEN_PID_AS_IS);
        v_period(c, 1, s->period);
        v_str(c, 2, si_kind_names[s->kind]);
        if (s->base_fen != HD_GEN_NULL)
            v_money(c, 3, s->base_fen);
        v_money(c, 4, s->amount_fen);
        if (s->employer)
            c->vals[5] = (hd_str){s->employer, 18};
        PUT(K_SI);
    }
    for (size_t i = 0; i < f->unemployment_count; i++) {
        const hd_gen_unemployment *u = &f->unemployment[i];
        row_begin(c);
        v_pid(c, 0, u->pid, HD_GEN_PID_AS_IS);
        v_date(c, 1, u->registered);
        v_date(c, 2, u->ended);
        PUT(K_UNEMPLOYMENT);
    }
    for (size_t i = 0; i < f->medical_count; i++) {
        const hd_gen_medical *m = &f->medical[i];
        row_begin(c);
        v_pid(c, 0, m->pid, HD_GEN_PID_AS_IS);
        v_period(c, 1, m->period);
        v_money(c, 2, m->total_fen);
        v_money(c, 3, m->fund_paid_fen);
        v_money(c, 4, m->self_paid_fen);
        v_int(c, 5, m->serious);
        PUT(K_MEDICAL);
    }
    for (size_t i = 0; i < f->fund_count; i++) {
        const hd_gen_fund *b = &f->fund[i];
        row_begin(c);
        v_pid(c, 0, b->pid, HD_GEN_PID_AS_IS);
        v_period(c, 1, b->period);
        v_money(c, 2, b->base_fen);
        v_money(c, 3, b->deposit_fen);
        v_money(c, 4, b->balance_fen);
        PUT(K_FUND);
    }
    for (size_t i = 0; i < f->estate_count; i++) {
        const hd_gen_estate *e = &f->estate[i];
        row_begin(c);
        v_pid(c, 0, e->pid, HD_GEN_PID_AS_IS);
        v_str(c, 1, e->cert_no);
        v_str(c, 2, e->region);
        v_str(c, 3, use_names[e->use]);
        v_money(c, 4, e->area_m2x100); /* same form: 2 decimals */
        v_int(c, 5, e->share);
        v_date(c, 6, e->acquired);
        v_int(c, 7, e->status);
        PUT(K_ESTATE);
    }
    for (size_t i = 0; i < f->vehicle_count; i++) {
        const hd_gen_vehicle *v = &f->vehicle[i];
        row_begin(c);
        v_pid(c, 0, v->pid, HD_GEN_PID_AS_IS);
        v_str(c, 1, v->plate);
        v_str(c, 2, vehicle_type_names[v->type]);
        v_date(c, 3, v->registered);
        v_money(c, 4, v->value_fen);
        v_int(c, 5, v->status);
        PUT(K_VEHICLE);
    }
    for (size_t i = 0; i < f->enterprise_count; i++) {
        const hd_gen_enterprise *e = &f->enterprise[i];
        row_begin(c);
        v_pid(c, 0, e->pid, HD_GEN_PID_AS_IS);
        v_str(c, 1, e->uscc);
        v_str(c, 2, e->name);
        v_str(c, 3, role_names[e->role]);
        v_money(c, 4, e->capital_fen);
        v_int(c, 5, e->status);
        v_date(c, 6, e->established);
        PUT(K_ENTERPRISE);
    }
    for (size_t i = 0; i < f->deposit_count; i++) {
        const hd_gen_deposit *d = &f->deposit[i];
        row_begin(c);
        v_pid(c, 0, d->pid, d->pid_form);
        v_str(c, 1, d->institution);
        v_str(c, 2, d->account);
        v_str(c, 3, deposit_product_names[d->product]);
        v_money(c, 4, d->balance_fen);
        PUT(K_DEPOSIT);
    }
    for (size_t i = 0; i < f->securities_count; i++) {
        const hd_gen_securities *s = &f->securities[i];
        row_begin(c);
        v_pid(c, 0, s->pid, HD_GEN_PID_AS_IS);
        v_str(c, 1, s->institution);
        v_money(c, 2, s->market_value_fen);
        PUT(K_SECURITIES);
    }
    for (size_t i = 0; i < f->insurance_count; i++) {
        const hd_gen_insurance *s = &f->insurance[i];
        row_begin(c);
        v_pid(c, 0, s->pid, s->pid_form);
        v_str(c, 1, s->policy_no);
        v_str(c, 2, insurance_product_names[s->product]);
        v_money(c, 3, s->cash_value_fen);
        v_money(c, 4, s->annual_premium_fen);
        PUT(K_INSURANCE);
    }
    for (size_t i = 0; i < f->disability_count; i++) {
        const hd_gen_disability *d = &f->disability[i];
        row_begin(c);
        v_pid(c, 0, d->pid, HD_GEN_PID_AS_IS);
        v_int(c, 1, d->category);
        v_int(c, 2, d->level);
        v_date(c, 3, d->valid_until);
        PUT(K_DISABILITY);
    }
#undef PUT
    return 0;
}

/* ------------------------------------------------------------- finish */

static void json_reasons(hd_buf *b, const int64_t *counts)
{
    bool first = true;

    hd_buf_putc(b, '{');
    for (int r = 1; r < HD_REJECT_COUNT_; r++) {
        if (!counts[r])
            continue;
        hd_buf_printf(b, "%s\"%s\": %lld", first ? "" : ", ",
                      hd_reject_name((hd_reject)r), (long long)counts[r]);
        first = false;
    }
    hd_buf_putc(b, '}');
}

int hd__gen_csv_finish(gen_csv *c, hd_gen_stats *stats, hd_error *err)
{
    char path[1200], as_of[HD_DATE_TEXT_MAX];
    hd_buf b, dj;
    int rc = 0;
    int64_t all_reasons[HD_REJECT_COUNT_] = {0};
    int64_t all_bad = 0;
    bool first_delivery = true;

    hd_buf_init(&b, HD_BUF_DEFAULT_MAX);
    hd_buf_init(&dj, HD_BUF_DEFAULT_MAX);
    hd_date_format(as_of, c->world->as_of);

    for (int i = 0; i < c->file_count; i++) {
        feed_file *ff = &c->files[i];
        if ((rc = hd__gen_out_close(&ff->out, ff->sha256, err)))
            goto out;
        stats->rows += ff->valid_rows + ff->bad_rows;
        stats->bad_rows += ff->bad_rows;
        stats->csv_bytes += ff->out.bytes;
        stats->bytes += ff->out.bytes;
        all_bad += ff->bad_rows;
        for (int64_t k = 0; k < ff->bad_rows; k++)
            all_reasons[ff->bad[k].kind.reason]++;
    }

    hd_buf_printf(&dj,
                  "{\n  \"interval\": %d,\n  \"bad_rows\": %lld,\n"
                  "  \"reasons\": ",
                  c->interval, (long long)all_bad);
    json_reasons(&dj, all_reasons);
    hd_buf_puts(&dj, ",\n  \"deliveries\": [");

    /* One delivery per department, in the order the table names them. */
    for (int i = 0; i < c->file_count; i++) {
        const char *dep = c->files[i].feed->department;
        bool first_file = true;
        int64_t dep_rows = 0, dep_bad = 0;
        bool seen = false;

        for (int j = 0; j < i; j++)
            if (!strcmp(c->files[j].feed->department, dep))
                seen = true;
        if (seen)
            continue;
        for (int j = i; j < c->file_count; j++)
            if (!strcmp(c->files[j].feed->department, dep)) {
                dep_rows += c->files[j].valid_rows + c->files[j].bad_rows;
                dep_bad += c->files[j].bad_rows;
            }

        hd_buf_reset(&b);
        hd_buf_printf(&b,
                      "{\n  \"standard\": \"hedui-feeds/1\",\n"
                      "  \"department\": \"%s\",\n"
                      "  \"delivery_id\": \"%s-%s-0001\",\n"
                      "  \"as_of\": \"%s\",\n  \"mode\": \"snapshot\",\n"
                      "  \"files\": [",
                      dep, dep, as_of, as_of);
        hd_buf_printf(&dj,
                      "%s\n    {\"department\": \"%s\", \"delivery_id\": "
                      "\"%s-%s-0001\", \"rows\": %lld, \"bad_rows\": %lld,\n"
                      "     \"files\": [",
                      first_delivery ? "" : ",", dep, dep, as_of,
                      (long long)dep_rows, (long long)dep_bad);
        first_delivery = false;
        for (int j = i; j < c->file_count; j++) {
            feed_file *ff = &c->files[j];
            int64_t reasons[HD_REJECT_COUNT_] = {0};
            if (strcmp(ff->feed->department, dep))
                continue;
            hd_buf_printf(&b,
                          "%s\n    {\"feed\": \"%s\", \"file\": \"%s.csv\", "
                          "\"rows\": %lld,\n     \"sha256\": \"%s\"}",
                          first_file ? "" : ",", ff->feed->name, ff->feed->name,
                          (long long)(ff->valid_rows + ff->bad_rows),
                          ff->sha256);
            for (int64_t k = 0; k < ff->bad_rows; k++)
                reasons[ff->bad[k].kind.reason]++;
            hd_buf_printf(&dj,
                          "%s\n      {\"feed\": \"%s\", \"file\": \"%s.csv\", "
                          "\"rows\": %lld, \"bad_rows\": %lld,\n"
                          "       \"reasons\": ",
                          first_file ? "" : ",", ff->feed->name, ff->feed->name,
                          (long long)(ff->valid_rows + ff->bad_rows),
                          (long long)ff->bad_rows);
            json_reasons(&dj, reasons);
            hd_buf_puts(&dj, ",\n       \"lines\": [");
            for (int64_t k = 0; k < ff->bad_rows; k++) {
                const bad_line *bl = &ff->bad[k];
                const char *col = bl->kind.column >= 0
                                      ? ff->feed->columns[bl->kind.column].name
                                      : NULL;
                hd_buf_printf(&dj,
                              "%s\n        {\"line\": %lld, \"reason\": "
                              "\"%s\", \"column\": %s%s%s, \"detail\": "
                              "\"%s\"}",
                              k ? "," : "", (long long)bl->line,
                              hd_reject_name((hd_reject)bl->kind.reason),
                              col ? "\"" : "", col ? col : "null",
                              col ? "\"" : "", bad_detail(&bl->kind));
            }
            hd_buf_puts(&dj, ff->bad_rows ? "\n       ]}" : "]}");
            first_file = false;
        }
        hd_buf_puts(&b, "\n  ]\n}\n");
        hd_buf_puts(&dj, "\n     ]}");
        if ((rc = hd_buf_error(&b))) {
            rc = hd_error_set(err, rc, "out of memory");
            goto out;
        }
        snprintf(path, sizeof(path), "%s/deliveries/%s/manifest.json", c->dir,
                 dep);
        if ((rc = hd__gen_write_file(path, b.ptr, b.len, &stats->bytes, err)))
            goto out;
    }
    hd_buf_puts(&dj, "\n  ]\n}\n");
    if (c->dirty) {
        if ((rc = hd_buf_error(&dj))) {
            rc = hd_error_set(err, rc, "out of memory");
            goto out;
        }
        snprintf(path, sizeof(path), "%s/dirty.json", c->dir);
        rc = hd__gen_write_file(path, dj.ptr, dj.len, &stats->bytes, err);
    }
out:
    hd_buf_release(&b);
    hd_buf_release(&dj);
    return rc;
}
