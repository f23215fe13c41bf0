/*
 * The world the population lives in: real counties taken from the region
 * table (GB/T 2260, through hd_region_*), and the policy the truth
 * assumes for them, written to policy.json in the hedui-policy/1 form of
 * rules.md.
 *
 * The policy is made to exercise inheritance (rules.md section 1): a
 * dibao_standard set at province, city or county level, a newer entry
 * replacing an older one at the same level, a county overriding its city,
 * a county clearing its city's area limit with null, entries dated after
 * applied_on that must be ignored, and a province where no
 * dibao_standard resolves at all (its applications are refused). The
 * amounts are plausible, not any real locality's.
 */
#include "gen/gen_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* The provinces used, with their plate prefixes. The last one gets no
 * dibao_standard. */
static const struct {
    const char *code;
    const char *plate;
} provinces[] = {
    {"110000", "京"}, {"330000", "浙"}, {"440000", "粤"},
    {"510000", "川"}, {"410000", "豫"}, {"620000", "甘"},
    {"230000", "黑"}, {"450000", "桂"}, {"650000", "新"},
};
#define REFUSED_PROVINCE 8

#define MAX_CITIES 2
#define COUNTIES_PER_CITY 3

typedef struct place {
    char city[MAX_CITIES][7];
    int city_count;
    int county_first[MAX_CITIES]; /* index in w->counties */
    int county_count[MAX_CITIES];
} place;

static bool is_placeholder(const hd_region *r)
{
    /* Some editions of GB/T 2260 list "市辖区" (the districts of a city as
     * a whole) as a county-level code; it is no place to live in. */
    return strcmp(r->name, "市辖区") == 0;
}

static int pick_counties(gen_world *w, place *pl, int prov, hd_error *err)
{
    const hd_region *province = hd_region_find(provinces[prov].code, 6);
    const hd_region *cities[64];
    size_t city_count;
    int want_cities = prov == REFUSED_PROVINCE ? 1 : MAX_CITIES;

    memset(pl, 0, sizeof(*pl));
    if (!province)
        return hd_error_set(err, HD_ENOTFOUND,
                            "region table has no province %s",
                            provinces[prov].code);
    city_count = hd_region_children(cities, COUNT(cities), province);
    if (city_count > COUNT(cities))
        city_count = COUNT(cities);
    for (size_t c = 0; c < city_count && pl->city_count < want_cities; c++) {
        const hd_region *counties[128];
        size_t n = hd_region_children(counties, COUNT(counties), cities[c]);
        int want;
        int got = 0;

        if (cities[c]->level != HD_REGION_CITY)
            continue;
        if (n > COUNT(counties))
            n = COUNT(counties);
        /* A province with one city (a municipality) takes more of its
         * counties; the refused province needs only one. */
        want = prov == REFUSED_PROVINCE ? 1
               : city_count == 1        ? 2 * COUNTIES_PER_CITY
                                        : COUNTIES_PER_CITY;
        pl->county_first[pl->city_count] = w->county_count;
        for (size_t k = 0; k < n && got < want; k++) {
            gen_county *g;
            if (counties[k]->level != HD_REGION_COUNTY ||
                strlen(counties[k]->code) != 6 || is_placeholder(counties[k]))
                continue;
            if (w->county_count == GEN_MAX_COUNTIES)
                break;
            g = &w->counties[w->county_count++];
            memcpy(g->code, counties[k]->code, 7);
            memcpy(g->city, g->code, 4);
            memcpy(g->city + 4, "00", 3);
            memcpy(g->province, g->code, 2);
            memcpy(g->province + 2, "0000", 5);
            g->plate = provinces[prov].plate;
            got++;
        }
        if (got == 0)
            continue;
        memcpy(pl->city[pl->city_count], cities[c]->code, 7);
        pl->county_count[pl->city_count] = got;
        pl->city_count++;
    }
    if (pl->city_count == 0)
        return hd_error_set(err, HD_ENOTFOUND,
                            "region table has no counties under %s",
                            provinces[prov].code);
    return 0;
}

/* ------------------------------------------------------------ entries */

static hd_gen_policy_entry *entry(gen_world *w, const char *region,
                                  int32_t from)
{
    hd_gen_policy_entry *e;

    /* One entry per region and date: an importer may key them so. */
    for (size_t i = 0; i < w->policy.entry_count; i++)
        if (!strcmp(w->entries[i].region, region) &&
            w->entries[i].effective_from == from)
            return &w->entries[i];
    if (w->policy.entry_count == GEN_MAX_ENTRIES)
        return NULL;
    e = &w->entries[w->policy.entry_count++];
    memset(e, 0, sizeof(*e));
    snprintf(e->region, sizeof(e->region), "%s", region);
    e->effective_from = from;
    return e;
}

#define SET(e, bit, field, value)                                              \
    do {                                                                       \
        if (e) {                                                               \
            (e)->set |= (bit);                                                 \
            (e)->params.field = (value);                                       \
        }                                                                      \
    } while (0)

static void dibao(gen_world *w, const char *region, int32_t from, int64_t fen)
{
    hd_gen_policy_entry *e = entry(w, region, from);
    SET(e, HD_GEN_P_DIBAO_STANDARD, dibao_standard_fen, fen);
    if (e)
        e->params.has_dibao_standard = true;
}

static void max_area(gen_world *w, const char *region, int32_t from,
                     int64_t m2x100)
{
    hd_gen_policy_entry *e = entry(w, region, from);
    SET(e, HD_GEN_P_MAX_AREA_PER_CAPITA, max_area_per_capita_m2x100, m2x100);
    if (e)
        e->params.has_max_area_per_capita = m2x100 >= 0;
}

static const char *county_of(const gen_world *w, const place *pl, int city,
                             int k)
{
    int n = pl->county_count[city];
    return w->counties[pl->county_first[city] + (k < n ? k : n - 1)].code;
}

static const char *city_of(const place *pl, int city)
{
    return pl->city[city < pl->city_count ? city : pl->city_count - 1];
}

static int sort_entries(const void *a, const void *b)
{
    const hd_gen_policy_entry *x = a, *y = b;
    int c = strcmp(x->region, y->region);
    if (c)
        return c;
    return (x->effective_from > y->effective_from) -
           (x->effective_from < y->effective_from);
}

int hd__gen_world_build(gen_world *w, int32_t as_of, int32_t applied_on,
                        hd_error *err)
{
    place pl[COUNT(provinces)];
    int32_t e1, e2, future, month = hd_period_of_date(applied_on);
    int y, m, d;
    hd_gen_policy_entry *e;

    memset(w, 0, sizeof(*w));
    w->as_of = as_of;
    w->applied_on = applied_on;
    w->policy.entries = w->entries;
    hd_gen_params_national(&w->policy.national);

    for (size_t p = 0; p < COUNT(provinces); p++) {
        int rc = pick_counties(w, &pl[p], (int)p, err);
        if (rc)
            return rc;
    }

    /* Dates relative to applied_on, so that any --applied-on keeps the
     * same structure: E1 the 1st of January of the year before, E2 the
     * 1st of the month four months before, and `future` the 1st of the
     * month after (after applied_on, so ignored). */
    hd_date_to_ymd(applied_on, &y, &m, &d);
    hd_date_from_ymd(&e1, y - 1, 1, 1);
    hd_date_from_ymd(&e2, (month - 4) / 12, (month - 4) % 12 + 1, 1);
    hd_date_from_ymd(&future, (month + 1) / 12, (month + 1) % 12 + 1, 1);

    /* Beijing-like: the standard set for the whole municipality, raised
     * mid-year; a larger low-income factor; a future raise. */
    dibao(w, "110000", e1, 142000);
    dibao(w, "110000", e2, 150000);
    dibao(w, "110000", future, 160000);
    e = entry(w, "110000", e1);
    SET(e, HD_GEN_P_LOW_INCOME_FACTOR, low_income_factor_x10000, 20000);
    e = entry(w, county_of(w, &pl[0], 0, 1), e1);
    SET(e, HD_GEN_P_EARNED_INCOME_DISREGARD, earned_income_disregard_fen,
        40000);
    max_area(w, county_of(w, &pl[0], 0, 4), e1, 3000);

    /* Zhejiang-like: city standards, the first raised mid-year; a
     * province-wide work incentive; county area limits; a future county
     * standard that must be ignored. */
    e = entry(w, "330000", e1);
    SET(e, HD_GEN_P_EARNED_INCOME_DISREGARD, earned_income_disregard_fen,
        30000);
    SET(e, HD_GEN_P_FIN_MONTHS_LOW_INCOME, financial_limit_months_low_income,
        48);
    dibao(w, city_of(&pl[1], 0), e1, 141000);
    dibao(w, city_of(&pl[1], 0), e2, 151000);
    max_area(w, county_of(w, &pl[1], 0, 0), e1, 4000);
    dibao(w, county_of(w, &pl[1], 0, 0), future, 200000);
    dibao(w, city_of(&pl[1], 1), e1, 118000);
    e = entry(w, city_of(&pl[1], 1), e1);
    SET(e, HD_GEN_P_ENTERPRISE_CAPITAL_LIMIT, enterprise_capital_limit_fen,
        5000000);
    max_area(w, county_of(w, &pl[1], 1, 1), e1, 3500);

    /* Guangdong-like: an explicit tekun standard; a city area limit that
     * one county clears with null; a stricter financial limit. */
    e = entry(w, "440000", e1);
    SET(e, HD_GEN_P_FIN_MONTHS_DIBAO, financial_limit_months_dibao, 18);
    dibao(w, city_of(&pl[2], 0), e1, 137000);
    e = entry(w, city_of(&pl[2], 0), e1);
    SET(e, HD_GEN_P_TEKUN_STANDARD, tekun_standard_fen, 200000);
    if (e)
        e->params.has_tekun_standard = true;
    max_area(w, city_of(&pl[2], 0), e1, 4500);
    max_area(w, county_of(w, &pl[2], 0, 2), e2, -1);
    dibao(w, city_of(&pl[2], 1), e1, 108000);
    e = entry(w, city_of(&pl[2], 1), e1);
    SET(e, HD_GEN_P_EARNED_INCOME_DISREGARD, earned_income_disregard_fen,
        50000);

    /* Sichuan-like: incidental income excluded province-wide, one county
     * excluding interest as well. */
    e = entry(w, "510000", e1);
    SET(e, HD_GEN_P_EXCLUDED_CATEGORIES, excluded_categories,
        1u << HD_GEN_TAX_INCIDENTAL);
    dibao(w, city_of(&pl[3], 0), e1, 103000);
    dibao(w, city_of(&pl[3], 1), e1, 76000);
    e = entry(w, county_of(w, &pl[3], 0, 0), e1);
    SET(e, HD_GEN_P_EXCLUDED_CATEGORIES, excluded_categories,
        (1u << HD_GEN_TAX_INCIDENTAL) | (1u << HD_GEN_TAX_INTEREST));

    /* Henan-like: a province standard, a vehicle exemption, one city
     * excluding transfers and incidental income, a county's own newer
     * standard. */
    dibao(w, "410000", e1, 72000);
    e = entry(w, "410000", e1);
    SET(e, HD_GEN_P_VEHICLE_EXEMPT_VALUE, vehicle_exempt_value_fen, 5000000);
    e = entry(w, city_of(&pl[4], 0), e1);
    SET(e, HD_GEN_P_EXCLUDED_CATEGORIES, excluded_categories,
        (1u << HD_GEN_TAX_TRANSFER) | (1u << HD_GEN_TAX_INCIDENTAL));
    dibao(w, county_of(w, &pl[4], 1, 0), e2, 78000);

    /* Gansu-like: province standard raised mid-year, overridden by a city
     * and by a county. */
    dibao(w, "620000", e1, 76000);
    dibao(w, "620000", e2, 80000);
    e = entry(w, "620000", e1);
    SET(e, HD_GEN_P_VEHICLE_EXEMPT_VALUE, vehicle_exempt_value_fen, 3000000);
    dibao(w, city_of(&pl[5], 1), e1, 82000);
    dibao(w, county_of(w, &pl[5], 0, 0), e1, 85000);

    /* Heilongjiang-like: a smaller low-income factor, an earlier old age,
     * an area limit. */
    dibao(w, "230000", e1, 80000);
    e = entry(w, city_of(&pl[6], 0), e1);
    SET(e, HD_GEN_P_LOW_INCOME_FACTOR, low_income_factor_x10000, 12500);
    e = entry(w, city_of(&pl[6], 1), e1);
    SET(e, HD_GEN_P_OLD_AGE, old_age, 55);
    max_area(w, county_of(w, &pl[6], 1, 0), e1, 3000);

    /* Guangxi-like: a six-month income window, two homes allowed in one
     * city. */
    dibao(w, "450000", e1, 85000);
    e = entry(w, "450000", e1);
    SET(e, HD_GEN_P_INCOME_MONTHS, income_months, 6);
    e = entry(w, city_of(&pl[7], 1), e1);
    SET(e, HD_GEN_P_MAX_HOMES, max_homes, 2);

    /* The last province publishes parameters but no dibao_standard. */
    e = entry(w, provinces[REFUSED_PROVINCE].code, e1);
    SET(e, HD_GEN_P_OLD_AGE, old_age, 60);

    if (w->policy.entry_count == GEN_MAX_ENTRIES)
        return hd_error_set(err, HD_ELIMIT, "too many policy entries");
    qsort(w->entries, w->policy.entry_count, sizeof(w->entries[0]),
          sort_entries);

    for (int i = 0; i < w->county_count; i++) {
        gen_county *g = &w->counties[i];
        g->has_standard = hd_gen_policy_resolve(&g->params, &w->policy, g->code,
                                                applied_on) == 0;
    }
    return 0;
}

/* --------------------------------------------------------------- JSON */

static void factor_str(char *out, size_t cap, int64_t x10000)
{
    char frac[8];
    int64_t f = x10000 % 10000;
    int len;

    if (f == 0) {
        snprintf(out, cap, "%lld", (long long)(x10000 / 10000));
        return;
    }
    snprintf(frac, sizeof(frac), "%04lld", (long long)f);
    len = 4;
    while (len > 0 && frac[len - 1] == '0')
        frac[--len] = '\0';
    snprintf(out, cap, "%lld.%s", (long long)(x10000 / 10000), frac);
}

extern const char *const hd__gen_tax_category_names[];

static void put_param(hd_buf *b, uint32_t bit, const hd_gen_params *p)
{
    char factor[32];

    switch (bit) {
    case HD_GEN_P_DIBAO_STANDARD:
        hd_buf_printf(b, "\"dibao_standard\": %lld",
                      (long long)p->dibao_standard_fen);
        break;
    case HD_GEN_P_TEKUN_STANDARD:
        hd_buf_printf(b, "\"tekun_standard\": %lld",
                      (long long)p->tekun_standard_fen);
        break;
    case HD_GEN_P_LOW_INCOME_FACTOR:
        factor_str(factor, sizeof(factor), p->low_income_factor_x10000);
        hd_buf_printf(b, "\"low_income_factor\": \"%s\"", factor);
        break;
    case HD_GEN_P_INCOME_MONTHS:
        hd_buf_printf(b, "\"income_months\": %d", p->income_months);
        break;
    case HD_GEN_P_FIN_MONTHS_DIBAO:
        hd_buf_printf(b, "\"financial_limit_months_dibao\": %d",
                      p->financial_limit_months_dibao);
        break;
    case HD_GEN_P_FIN_MONTHS_LOW_INCOME:
        hd_buf_printf(b, "\"financial_limit_months_low_income\": %d",
                      p->financial_limit_months_low_income);
        break;
    case HD_GEN_P_VEHICLE_EXEMPT_VALUE:
        hd_buf_printf(b, "\"vehicle_exempt_value\": %lld",
                      (long long)p->vehicle_exempt_value_fen);
        break;
    case HD_GEN_P_MAX_HOMES:
        hd_buf_printf(b, "\"max_homes\": %d", p->max_homes);
        break;
    case HD_GEN_P_MAX_AREA_PER_CAPITA:
        if (p->has_max_area_per_capita)
            hd_buf_printf(b, "\"max_area_per_capita\": %lld",
                          (long long)p->max_area_per_capita_m2x100);
        else
            hd_buf_puts(b, "\"max_area_per_capita\": null");
        break;
    case HD_GEN_P_ENTERPRISE_CAPITAL_LIMIT:
        hd_buf_printf(b, "\"enterprise_capital_limit\": %lld",
                      (long long)p->enterprise_capital_limit_fen);
        break;
    case HD_GEN_P_EARNED_INCOME_DISREGARD:
        hd_buf_printf(b, "\"earned_income_disregard\": %lld",
                      (long long)p->earned_income_disregard_fen);
        break;
    case HD_GEN_P_EXCLUDED_CATEGORIES: {
        bool first = true;
        hd_buf_puts(b, "\"excluded_categories\": [");
        for (int c = 0; c < HD_GEN_TAX_COUNT_; c++) {
            if (!(p->excluded_categories & (1u << c)))
                continue;
            hd_buf_printf(b, "%s\"%s\"", first ? "" : ", ",
                          hd__gen_tax_category_names[c]);
            first = false;
        }
        hd_buf_putc(b, ']');
        break;
    }
    case HD_GEN_P_OLD_AGE:
        hd_buf_printf(b, "\"old_age\": %d", p->old_age);
        break;
    default:
        break;
    }
}

int hd_gen_policy_json(hd_buf *out, const hd_gen_policy *policy)
{
    /* The national object names every parameter but the two standards,
     * as the example of rules.md does. */
    const uint32_t national =
        HD_GEN_P_LOW_INCOME_FACTOR | HD_GEN_P_INCOME_MONTHS |
        HD_GEN_P_FIN_MONTHS_DIBAO | HD_GEN_P_FIN_MONTHS_LOW_INCOME |
        HD_GEN_P_VEHICLE_EXEMPT_VALUE | HD_GEN_P_MAX_HOMES |
        HD_GEN_P_MAX_AREA_PER_CAPITA | HD_GEN_P_ENTERPRISE_CAPITAL_LIMIT |
        HD_GEN_P_EARNED_INCOME_DISREGARD | HD_GEN_P_EXCLUDED_CATEGORIES |
        HD_GEN_P_OLD_AGE;
    bool first = true;

    hd_buf_puts(out, "{\n  \"standard\": \"hedui-policy/1\",\n"
                     "  \"national\": {");
    for (uint32_t bit = 1; bit <= HD_GEN_P_OLD_AGE; bit <<= 1) {
        if (!(national & bit))
            continue;
        hd_buf_puts(out, first ? "" : ", ");
        put_param(out, bit, &policy->national);
        first = false;
    }
    hd_buf_puts(out, "},\n  \"regions\": [");
    for (size_t i = 0; i < policy->entry_count; i++) {
        const hd_gen_policy_entry *e = &policy->entries[i];
        char date[HD_DATE_TEXT_MAX];

        hd_buf_printf(out,
                      "%s\n    {\"region\": \"%s\", \"effective_from\": "
                      "\"%s\",\n     \"params\": {",
                      i ? "," : "", e->region,
                      hd_date_format(date, e->effective_from));
        first = true;
        for (uint32_t bit = 1; bit <= HD_GEN_P_OLD_AGE; bit <<= 1) {
            if (!(e->set & bit))
                continue;
            hd_buf_puts(out, first ? "" : ", ");
            put_param(out, bit, &e->params);
            first = false;
        }
        hd_buf_puts(out, "}}");
    }
    hd_buf_puts(out, "\n  ]\n}\n");
    return hd_buf_error(out);
}
