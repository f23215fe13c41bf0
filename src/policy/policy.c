/*
 * The policy: parameters, the entry list and its index, resolution
 * (rules.md section 1) and merging.
 *
 * Resolution runs once per family in a roll of a million, so the entries
 * are kept sorted by (region, effective_from) with a parallel array of
 * 64-bit keys: resolving is one binary search per level (county, city,
 * province) and a short walk back over that region's older entries,
 * with no allocation.
 */
#include "policy/policy_int.h"

#include <hedui/std.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const hd__param_info hd__params[HD_PARAM_COUNT_] = {
    [HD_PARAM_DIBAO_STANDARD] = {"dibao_standard", PK_MONEY, 0, 0},
    [HD_PARAM_TEKUN_STANDARD] = {"tekun_standard", PK_MONEY, 0, 0},
    [HD_PARAM_LOW_INCOME_FACTOR] = {"low_income_factor", PK_FACTOR, 0, 0},
    [HD_PARAM_INCOME_MONTHS] = {"income_months", PK_INT, 1, 60},
    [HD_PARAM_FINANCIAL_LIMIT_MONTHS_DIBAO] = {"financial_limit_months_dibao",
                                               PK_FACTOR, 0, 0},
    [HD_PARAM_FINANCIAL_LIMIT_MONTHS_LOW_INCOME] =
        {"financial_limit_months_low_income", PK_FACTOR, 0, 0},
    [HD_PARAM_VEHICLE_EXEMPT_VALUE] = {"vehicle_exempt_value", PK_MONEY, 0, 0},
    [HD_PARAM_MAX_HOMES] = {"max_homes", PK_INT, 0, 99},
    [HD_PARAM_MAX_AREA_PER_CAPITA] = {"max_area_per_capita", PK_AREA, 0, 0},
    [HD_PARAM_ENTERPRISE_CAPITAL_LIMIT] = {"enterprise_capital_limit", PK_MONEY,
                                           0, 0},
    [HD_PARAM_EARNED_INCOME_DISREGARD] = {"earned_income_disregard", PK_MONEY,
                                          0, 0},
    [HD_PARAM_EXCLUDED_CATEGORIES] = {"excluded_categories", PK_CATS, 0, 0},
    [HD_PARAM_OLD_AGE] = {"old_age", PK_INT, 1, 150},
    [HD_PARAM_REPORT_DAYS] = {"report_days", PK_INT, 1, 250},
    [HD_PARAM_DECISION_DAYS] = {"decision_days", PK_INT, 1, 250},
    [HD_PARAM_OBJECTION_DAYS] = {"objection_days", PK_INT, 1, 250},
};

const char *hd_param_name(hd_param_id id)
{
    if ((int)id < 0 || id >= HD_PARAM_COUNT_)
        return NULL;
    return hd__params[id].name;
}

int hd_param_find(const char *name, size_t len)
{
    for (int i = 0; i < HD_PARAM_COUNT_; i++)
        if (strlen(hd__params[i].name) == len &&
            !memcmp(hd__params[i].name, name, len))
            return i;
    return -1;
}

const hd_column *hd__category_column(void)
{
    const hd_feed *feed = hd_feed_find("tax_income");
    int col = feed ? hd_feed_column(feed, "category") : -1;
    return col < 0 ? NULL : &feed->columns[col];
}

void hd__params_national(hd_param_values *out)
{
    /* rules.md, "Parameters", the national default column. */
    memset(out, 0, sizeof(*out));
    out->low_income_factor_x10000 = 15000;
    out->income_months = 12;
    out->financial_limit_months_dibao_x10000 = 24 * HD_FACTOR_SCALE;
    out->financial_limit_months_low_income_x10000 = 36 * HD_FACTOR_SCALE;
    out->max_homes = 1;
    out->has_max_area_per_capita = false;
    out->old_age = 60;
    /* The workflow's deadlines (docs/policy.md says where they come
     * from): not rules.md's. */
    out->report_days = 10;
    out->decision_days = 10;
    out->objection_days = 5;
}

int64_t hd__param_get(const hd_param_values *v, hd_param_id id, bool *has)
{
    if (has)
        *has = true;
    switch (id) {
    case HD_PARAM_DIBAO_STANDARD:
        return v->dibao_standard_fen;
    case HD_PARAM_TEKUN_STANDARD:
        return v->tekun_standard_x10000 / HD_FACTOR_SCALE;
    case HD_PARAM_LOW_INCOME_FACTOR:
        return v->low_income_factor_x10000;
    case HD_PARAM_INCOME_MONTHS:
        return v->income_months;
    case HD_PARAM_FINANCIAL_LIMIT_MONTHS_DIBAO:
        return v->financial_limit_months_dibao_x10000;
    case HD_PARAM_FINANCIAL_LIMIT_MONTHS_LOW_INCOME:
        return v->financial_limit_months_low_income_x10000;
    case HD_PARAM_VEHICLE_EXEMPT_VALUE:
        return v->vehicle_exempt_value_fen;
    case HD_PARAM_MAX_HOMES:
        return v->max_homes;
    case HD_PARAM_MAX_AREA_PER_CAPITA:
        if (has)
            *has = v->has_max_area_per_capita;
        return v->max_area_per_capita_m2x100;
    case HD_PARAM_ENTERPRISE_CAPITAL_LIMIT:
        return v->enterprise_capital_limit_fen;
    case HD_PARAM_EARNED_INCOME_DISREGARD:
        return v->earned_income_disregard_fen;
    case HD_PARAM_EXCLUDED_CATEGORIES:
        return v->excluded_categories;
    case HD_PARAM_OLD_AGE:
        return v->old_age;
    case HD_PARAM_REPORT_DAYS:
        return v->report_days;
    case HD_PARAM_DECISION_DAYS:
        return v->decision_days;
    case HD_PARAM_OBJECTION_DAYS:
        return v->objection_days;
    default:
        return 0;
    }
}

int hd__param_set(hd_param_values *v, hd_param_id id, int64_t value, bool has,
                  hd_error *err)
{
    const hd__param_info *info = &hd__params[id];

    if (!has && id != HD_PARAM_MAX_AREA_PER_CAPITA)
        return hd_error_set(err, HD_EDATA,
                            "no limit is allowed only for "
                            "max_area_per_capita");
    if (!has)
        value = 0;
    if (value < 0)
        return hd_error_set(err, HD_EDATA, "must not be negative");
    switch (info->kind) {
    case PK_MONEY:
    case PK_AREA:
        if (value > HD__MONEY_MAX)
            return hd_error_set(err, HD_EDATA,
                                "more than 10^12 is not "
                                "plausible");
        break;
    case PK_FACTOR:
        if (value > HD__FACTOR_MAX)
            return hd_error_set(err, HD_EDATA,
                                "more than 100 is not "
                                "plausible");
        break;
    case PK_INT:
        if (value < info->min || value > info->max)
            return hd_error_set(err, HD_EDATA, "must be from %d to %d",
                                info->min, info->max);
        break;
    case PK_CATS:
        if (value > UINT32_MAX)
            return hd_error_set(err, HD_EDATA, "bad category set");
        break;
    }
    switch (id) {
    case HD_PARAM_DIBAO_STANDARD:
        v->dibao_standard_fen = value;
        break;
    case HD_PARAM_TEKUN_STANDARD:
        v->tekun_standard_x10000 = value * HD_FACTOR_SCALE;
        break;
    case HD_PARAM_LOW_INCOME_FACTOR:
        v->low_income_factor_x10000 = value;
        break;
    case HD_PARAM_INCOME_MONTHS:
        v->income_months = (int)value;
        break;
    case HD_PARAM_FINANCIAL_LIMIT_MONTHS_DIBAO:
        v->financial_limit_months_dibao_x10000 = value;
        break;
    case HD_PARAM_FINANCIAL_LIMIT_MONTHS_LOW_INCOME:
        v->financial_limit_months_low_income_x10000 = value;
        break;
    case HD_PARAM_VEHICLE_EXEMPT_VALUE:
        v->vehicle_exempt_value_fen = value;
        break;
    case HD_PARAM_MAX_HOMES:
        v->max_homes = (int)value;
        break;
    case HD_PARAM_MAX_AREA_PER_CAPITA:
        v->has_max_area_per_capita = has;
        v->max_area_per_capita_m2x100 = value;
        break;
    case HD_PARAM_ENTERPRISE_CAPITAL_LIMIT:
        v->enterprise_capital_limit_fen = value;
        break;
    case HD_PARAM_EARNED_INCOME_DISREGARD:
        v->earned_income_disregard_fen = value;
        break;
    case HD_PARAM_EXCLUDED_CATEGORIES:
        v->excluded_categories = (uint32_t)value;
        break;
    case HD_PARAM_OLD_AGE:
        v->old_age = (int)value;
        break;
    case HD_PARAM_REPORT_DAYS:
        v->report_days = (int)value;
        break;
    case HD_PARAM_DECISION_DAYS:
        v->decision_days = (int)value;
        break;
    case HD_PARAM_OBJECTION_DAYS:
        v->objection_days = (int)value;
        break;
    default:
        return hd_error_set(err, HD_EINVAL, "no such parameter");
    }
    return 0;
}

/* Copy one parameter's value without the checks of hd__param_set: the
 * source was checked when it was built. */
static void copy_param(hd_param_values *dst, const hd_param_values *src, int id)
{
    switch ((hd_param_id)id) {
    case HD_PARAM_DIBAO_STANDARD:
        dst->dibao_standard_fen = src->dibao_standard_fen;
        break;
    case HD_PARAM_TEKUN_STANDARD:
        dst->tekun_standard_x10000 = src->tekun_standard_x10000;
        break;
    case HD_PARAM_LOW_INCOME_FACTOR:
        dst->low_income_factor_x10000 = src->low_income_factor_x10000;
        break;
    case HD_PARAM_INCOME_MONTHS:
        dst->income_months = src->income_months;
        break;
    case HD_PARAM_FINANCIAL_LIMIT_MONTHS_DIBAO:
        dst->financial_limit_months_dibao_x10000 =
            src->financial_limit_months_dibao_x10000;
        break;
    case HD_PARAM_FINANCIAL_LIMIT_MONTHS_LOW_INCOME:
        dst->financial_limit_months_low_income_x10000 =
            src->financial_limit_months_low_income_x10000;
        break;
    case HD_PARAM_VEHICLE_EXEMPT_VALUE:
        dst->vehicle_exempt_value_fen = src->vehicle_exempt_value_fen;
        break;
    case HD_PARAM_MAX_HOMES:
        dst->max_homes = src->max_homes;
        break;
    case HD_PARAM_MAX_AREA_PER_CAPITA:
        dst->has_max_area_per_capita = src->has_max_area_per_capita;
        dst->max_area_per_capita_m2x100 = src->max_area_per_capita_m2x100;
        break;
    case HD_PARAM_ENTERPRISE_CAPITAL_LIMIT:
        dst->enterprise_capital_limit_fen = src->enterprise_capital_limit_fen;
        break;
    case HD_PARAM_EARNED_INCOME_DISREGARD:
        dst->earned_income_disregard_fen = src->earned_income_disregard_fen;
        break;
    case HD_PARAM_EXCLUDED_CATEGORIES:
        dst->excluded_categories = src->excluded_categories;
        break;
    case HD_PARAM_OLD_AGE:
        dst->old_age = src->old_age;
        break;
    case HD_PARAM_REPORT_DAYS:
        dst->report_days = src->report_days;
        break;
    case HD_PARAM_DECISION_DAYS:
        dst->decision_days = src->decision_days;
        break;
    case HD_PARAM_OBJECTION_DAYS:
        dst->objection_days = src->objection_days;
        break;
    default:
        break;
    }
}

/* ------------------------------------------------------------ building */

int hd__policy_new(hd_policy **out, hd_error *err)
{
    hd_policy *p = hd_calloc(1, sizeof(*p));

    *out = NULL;
    if (!p)
        return hd_error_set(err, HD_ENOMEM, "out of memory");
    hd_arena_init(&p->arena, 16384);
    hd__params_national(&p->national);
    *out = p;
    return 0;
}

hd__pentry *hd__policy_add(hd_policy *p, const char *region, int32_t from,
                           hd_error *err)
{
    hd__pentry *e;

    if (p->count == p->cap) {
        size_t cap = p->cap ? p->cap * 2 : 16;
        size_t bytes;
        hd__pentry *n;
        if (__builtin_mul_overflow(cap, sizeof(*n), &bytes) ||
            !(n = hd_realloc(p->entries, bytes))) {
            hd_error_set(err, HD_ENOMEM, "out of memory");
            return NULL;
        }
        p->entries = n;
        p->cap = cap;
    }
    e = &p->entries[p->count];
    memset(e, 0, sizeof(*e));
    snprintf(e->region, sizeof(e->region), "%s", region);
    e->effective_from = from;
    e->json_index = -1;
    e->seq = (uint32_t)p->count;
    p->count++;
    return e;
}

const char *hd__policy_intern(hd_policy *p, const char *s, size_t len)
{
    return hd_arena_strndup(&p->arena, s, len);
}

static uint32_t region_number(const char *code)
{
    uint32_t n = 0;
    for (int i = 0; i < 6 && code[i]; i++)
        n = n * 10 + (uint32_t)(code[i] - '0');
    return n;
}

static uint64_t entry_key(uint32_t region, int32_t date)
{
    /* The date's sign bit flipped, so that unsigned order is date order. */
    return (uint64_t)region << 32 | ((uint32_t)date ^ UINT32_C(0x80000000));
}

static int cmp_entry(const void *a, const void *b)
{
    const hd__pentry *x = a, *y = b;
    int c = strcmp(x->region, y->region);

    if (c)
        return c;
    if (x->effective_from != y->effective_from)
        return x->effective_from < y->effective_from ? -1 : 1;
    return (x->seq > y->seq) - (x->seq < y->seq);
}

static int overlap_error(const hd__pentry *e, int id, const hd__pentry *first,
                         hd_error *err)
{
    char date[HD_DATE_TEXT_MAX];
    char field[HD_ERROR_FIELD_MAX];
    const char *name = hd__params[id].name;

    if (e->region[0])
        hd_error_set(err, HD_EDATA,
                     "overlapping dates: %s from %s sets it already at "
                     "%s:%d",
                     e->region, hd_date_format(date, e->effective_from),
                     first->file ? first->file : "?", first->line[id]);
    else
        hd_error_set(err, HD_EDATA,
                     "overlapping dates: the national defaults set it "
                     "already at %s:%d",
                     first->file ? first->file : "?", first->line[id]);
    if (e->json_index >= 0) {
        if (e->region[0])
            snprintf(field, sizeof(field), "regions[%d].params.%s",
                     e->json_index, name);
        else
            snprintf(field, sizeof(field), "national.%s", name);
        name = field;
    }
    hd_error_at(err, e->file, e->line[id], 0, name);
    return HD_EDATA;
}

/* Fold `src` into `dst`, an entry of the same region and date. */
static int fold(hd__pentry *dst, const hd__pentry *src, hd_error *err)
{
    uint32_t both = dst->set & src->set;

    if (both)
        return overlap_error(src, __builtin_ctz(both), dst, err);
    for (int id = 0; id < HD_PARAM_COUNT_; id++) {
        if (!(src->set & (1u << id)))
            continue;
        copy_param(&dst->v, &src->v, id);
        dst->source[id] = src->source[id];
        dst->line[id] = src->line[id];
    }
    dst->set |= src->set;
    return 0;
}

int hd__policy_finish(hd_policy *p, hd_error *err)
{
    size_t w = 0;
    hd__pentry national;
    bool any_national = false;
    int rc;

    /* No entries (an empty file) is no array: qsort wants one. */
    if (p->count)
        qsort(p->entries, p->count, sizeof(p->entries[0]), cmp_entry);
    memset(&national, 0, sizeof(national));
    for (size_t r = 0; r < p->count; r++) {
        hd__pentry *e = &p->entries[r];
        if (!e->region[0]) {
            /* The national blocks sort first (region ""). */
            if (!any_national) {
                national = *e;
                any_national = true;
            } else if ((rc = fold(&national, e, err)) != 0) {
                return rc;
            }
            continue;
        }
        if (w > 0 && !strcmp(p->entries[w - 1].region, e->region) &&
            p->entries[w - 1].effective_from == e->effective_from) {
            if ((rc = fold(&p->entries[w - 1], e, err)) != 0)
                return rc;
            continue;
        }
        if (w != r)
            p->entries[w] = *e;
        w++;
    }
    p->count = w;
    if (any_national) {
        p->has_national = true;
        hd__params_national(&p->national);
        for (int id = 0; id < HD_PARAM_COUNT_; id++) {
            if (!(national.set & (1u << id)))
                continue;
            copy_param(&p->national, &national.v, id);
            p->national_source[id] = national.source[id];
        }
        p->national_set = national.set;
    }
    hd_free(p->keys);
    p->keys = NULL;
    if (p->count) {
        p->keys = hd_malloc(p->count * sizeof(p->keys[0]));
        if (!p->keys)
            return hd_error_set(err, HD_ENOMEM, "out of memory");
    }
    for (size_t i = 0; i < p->count; i++) {
        p->entries[i].seq = (uint32_t)i;
        p->keys[i] = entry_key(region_number(p->entries[i].region),
                               p->entries[i].effective_from);
    }
    return 0;
}

void hd_policy_free(hd_policy *policy)
{
    if (!policy)
        return;
    hd_arena_release(&policy->arena);
    hd_free(policy->entries);
    hd_free(policy->keys);
    hd_free(policy);
}

int64_t hd_policy_version(const hd_policy *policy)
{
    return policy ? policy->version : 0;
}

bool hd_policy_has_national(const hd_policy *policy)
{
    return policy && policy->has_national;
}

/* ---------------------------------------------------------- resolution */

/* The index of the last entry with key <= `key`, or -1. */
static ptrdiff_t last_at_or_before(const hd_policy *p, uint64_t key)
{
    size_t lo = 0, hi = p->count;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (p->keys[mid] <= key)
            lo = mid + 1;
        else
            hi = mid;
    }
    return (ptrdiff_t)lo - 1;
}

int hd_policy_resolve(hd_params *out, const hd_policy *policy,
                      const char *region, int32_t on, hd_error *err)
{
    char levels[3][7];
    uint32_t unresolved = HD__PARAM_ALL;

    memset(out, 0, sizeof(*out));
    out->on = on;
    if (!policy || !region || !hd_region_code_valid(region, strlen(region)))
        return hd_error_set(err, HD_EINVAL, "policy: malformed region code");
    memcpy(out->region, region, 7);
    out->policy_version = policy->version;

    /* rules.md section 1: the county, its city (PPCC00), its province
     * (PP0000), in that order; a level equal to the one before adds
     * nothing and is skipped. */
    memcpy(levels[0], region, 7);
    memcpy(levels[1], region, 4);
    memcpy(levels[1] + 4, "00", 3);
    memcpy(levels[2], region, 2);
    memcpy(levels[2] + 2, "0000", 5);
    for (int l = 0; l < 3 && unresolved; l++) {
        uint32_t num;
        ptrdiff_t i;
        if (l > 0 && !strcmp(levels[l], levels[l - 1]))
            continue;
        num = region_number(levels[l]);
        /* The latest entry of this region on or before `on`, then back in
         * time: the first entry found setting a parameter is the latest
         * that does. */
        for (i = last_at_or_before(policy, entry_key(num, on));
             i >= 0 && (policy->keys[i] >> 32) == num && unresolved; i--) {
            const hd__pentry *e = &policy->entries[i];
            uint32_t take = e->set & unresolved;
            while (take) {
                int id = __builtin_ctz(take);
                take &= take - 1;
                copy_param(&out->v, &e->v, id);
                memcpy(out->origin[id].region, e->region, 7);
                out->origin[id].effective_from = e->effective_from;
                out->origin[id].source = e->source[id];
            }
            unresolved &= ~e->set;
        }
    }
    for (int id = 0; id < HD_PARAM_COUNT_; id++) {
        if (!(unresolved & (1u << id)))
            continue;
        copy_param(&out->v, &policy->national, id);
        out->origin[id].is_default = true;
        out->origin[id].source = policy->national_source[id];
    }
    if (unresolved & (1u << HD_PARAM_TEKUN_STANDARD)) {
        /* The default tekun standard, 1.3 x dibao, kept exact. Bounded:
         * dibao_standard is at most HD__MONEY_MAX. */
        out->v.tekun_standard_x10000 = 13000 * out->v.dibao_standard_fen;
        out->origin[HD_PARAM_TEKUN_STANDARD].source = NULL;
    }
    if (unresolved & (1u << HD_PARAM_DIBAO_STANDARD)) {
        out->v.dibao_standard_fen = 0;
        out->origin[HD_PARAM_DIBAO_STANDARD].source = NULL;
        return hd_error_set(err, HD_ENOTFOUND,
                            "policy: no dibao_standard resolves for %s",
                            region);
    }
    return 0;
}

/* --------------------------------------------------------------- merge */

static int copy_entry(hd_policy *dst, const hd__pentry *src, hd_error *err)
{
    hd__pentry *e = hd__policy_add(dst, src->region, src->effective_from, err);
    uint32_t seq;

    if (!e)
        return HD_ENOMEM;
    seq = e->seq;
    *e = *src;
    e->seq = seq;
    e->file = NULL;
    for (int id = 0; id < HD_PARAM_COUNT_; id++) {
        if (!src->source[id])
            continue;
        /* Consecutive parameters share a source: copy it once. */
        if (id > 0 && src->source[id] == src->source[id - 1])
            e->source[id] = e->source[id - 1];
        else if (!(e->source[id] = hd__policy_intern(dst, src->source[id],
                                                     strlen(src->source[id]))))
            return hd_error_set(err, HD_ENOMEM, "out of memory");
    }
    return 0;
}

static bool names_region(const hd_policy *p, const char *region)
{
    uint32_t num = region_number(region);
    ptrdiff_t i = last_at_or_before(p, entry_key(num, INT32_MAX));
    return i >= 0 && (p->keys[i] >> 32) == num;
}

int hd_policy_merge(hd_policy **out, const hd_policy *current,
                    const hd_policy *imported, hd_error *err)
{
    hd_policy *p = NULL;
    const hd_policy *nat;
    int rc;

    *out = NULL;
    if (!imported)
        return hd_error_set(err, HD_EINVAL, "policy: nothing to merge");
    if ((rc = hd__policy_new(&p, err)) != 0)
        return rc;
    nat = imported->has_national ? imported : current ? current : NULL;
    if (nat) {
        p->has_national = nat->has_national;
        p->national = nat->national;
        p->national_set = nat->national_set;
        for (int id = 0; id < HD_PARAM_COUNT_; id++) {
            const char *s = nat->national_source[id];
            if (s && !(p->national_source[id] =
                           hd__policy_intern(p, s, strlen(s)))) {
                rc = hd_error_set(err, HD_ENOMEM, "out of memory");
                goto out;
            }
        }
    }
    for (size_t i = 0; current && i < current->count; i++)
        if (!names_region(imported, current->entries[i].region) &&
            (rc = copy_entry(p, &current->entries[i], err)) != 0)
            goto out;
    for (size_t i = 0; i < imported->count; i++)
        if ((rc = copy_entry(p, &imported->entries[i], err)) != 0)
            goto out;
    /* Both inputs are finished: no two entries meet with the same
     * parameter, so this only sorts and indexes. */
    rc = hd__policy_finish(p, err);
out:
    if (rc) {
        hd_policy_free(p);
        return rc;
    }
    *out = p;
    return 0;
}
