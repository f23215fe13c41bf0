/*
 * The hedui-policy/1 interchange JSON (rules.md "Policy interchange") and
 * the store's form, which is the same with the sources added: how one
 * region publishes its parameters, and how the case store keeps a
 * version with everything needed to show where each value came from.
 *
 * Parsing is strict so that a mistake in a published file is refused
 * rather than read as something else; writing is deterministic so that
 * two identical policies give identical bytes (the store hashes them).
 */
#include "policy/policy_int.h"

#include <hedui/std.h>

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define STANDARD "hedui-policy/1"

static int bad(hd_error *err, const char *name, const char *field,
               const char *rule)
{
    hd_error_set(err, HD_EDATA, "%s", rule);
    hd_error_at(err, name, 0, 0, field);
    return HD_EDATA;
}

static int json_categories(int64_t *out, json_t *val, hd_error *err)
{
    const hd_column *col = hd__category_column();
    uint32_t set = 0;
    size_t i;
    json_t *item;

    if (!col)
        return hd_error_set(err, HD_EINVAL, "no tax_income.category column");
    if (!json_is_array(val))
        return hd_error_set(err, HD_EDATA,
                            "expected an array of tax_income categories");
    json_array_foreach(val, i, item)
    {
        int code = -1;
        if (json_is_string(item))
            code = hd_column_code_index(col, json_string_value(item),
                                        json_string_length(item));
        if (code < 0 || code >= 32)
            return hd_error_set(err, HD_EDATA,
                                "unknown tax_income category at [%zu]", i);
        set |= 1u << code;
    }
    *out = set;
    return 0;
}

/* One parameter's JSON value into `v`; err's message only (the caller
 * says where). */
static int json_value(hd_param_values *v, hd_param_id id, json_t *val,
                      hd_error *err)
{
    int64_t value = 0;
    bool has = true;
    int rc = 0;

    if (json_is_null(val)) {
        if (id != HD_PARAM_MAX_AREA_PER_CAPITA)
            return hd_error_set(err, HD_EDATA,
                                "null (no limit) is allowed only for "
                                "max_area_per_capita");
        return hd__param_set(v, id, 0, false, err);
    }
    switch (hd__params[id].kind) {
    case PK_MONEY:
    case PK_AREA:
    case PK_INT:
        if (!json_is_integer(val))
            return hd_error_set(err, HD_EDATA, "expected an integer%s",
                                hd__params[id].kind == PK_MONEY ? " (fen)"
                                : hd__params[id].kind == PK_AREA
                                    ? " (hundredths of m²)"
                                    : "");
        value = json_integer_value(val);
        break;
    case PK_FACTOR:
        if (json_is_integer(val) &&
            (id == HD_PARAM_FINANCIAL_LIMIT_MONTHS_DIBAO ||
             id == HD_PARAM_FINANCIAL_LIMIT_MONTHS_LOW_INCOME)) {
            value = json_integer_value(val);
            if (value < 0)
                return hd_error_set(err, HD_EDATA, "must not be negative");
            if (hd_mul_i64(&value, value, HD_FACTOR_SCALE) != 0)
                return hd_error_set(err, HD_EDATA, "number too large");
            break;
        }
        if (!json_is_string(val))
            return hd_error_set(err, HD_EDATA,
                                "expected a decimal string (\"1.5\")");
        rc = hd_decimal_parse(&value, json_string_value(val),
                              json_string_length(val), 4, false, err);
        if (rc == HD_EOVERFLOW)
            return hd_error_set(err, HD_EDATA, "number too large");
        if (rc)
            return rc;
        break;
    case PK_CATS:
        if ((rc = json_categories(&value, val, err)) != 0)
            return rc;
        break;
    }
    return hd__param_set(v, id, value, has, err);
}

/* The members of a params object into entry `e`. `path` is the JSON path
 * of the object ("national", "regions[3].params"). */
static int json_params(hd__pentry *e, json_t *obj, const char *name,
                       const char *path, bool national, hd_error *err)
{
    const char *key;
    json_t *val;
    char field[HD_ERROR_FIELD_MAX];

    if (!json_is_object(obj))
        return bad(err, name, path, "expected an object");
    json_object_foreach(obj, key, val)
    {
        int id = hd_param_find(key, strlen(key));
        int rc;
        snprintf(field, sizeof(field), "%s.%s", path, key);
        if (id < 0)
            return bad(err, name, field, "unknown parameter");
        if (national && (HD__PARAM_REGIONAL & (1u << id)))
            return bad(err, name, field,
                       "must be set per region, not in national");
        if ((rc = json_value(&e->v, (hd_param_id)id, val, err)) != 0) {
            if (rc == HD_EDATA)
                hd_error_at(err, name, 0, 0, field);
            return rc;
        }
        e->set |= 1u << id;
    }
    return 0;
}

/* The store form's sources of one entry. */
static int json_sources(hd_policy *p, hd__pentry *e, json_t *obj,
                        const char *name, const char *path, hd_error *err)
{
    const char *key;
    json_t *val;
    char field[HD_ERROR_FIELD_MAX];

    if (!json_is_object(obj))
        return bad(err, name, path, "expected an object");
    json_object_foreach(obj, key, val)
    {
        int id = hd_param_find(key, strlen(key));
        snprintf(field, sizeof(field), "%s.%s", path, key);
        if (id < 0 || !(e->set & (1u << id)))
            return bad(err, name, field, "a source for a parameter not set");
        if (!json_is_string(val) || json_string_length(val) == 0)
            return bad(err, name, field, "expected a non-empty string");
        if (!(e->source[id] = hd__policy_intern(p, json_string_value(val),
                                                json_string_length(val))))
            return hd_error_set(err, HD_ENOMEM, "out of memory");
    }
    return 0;
}

static int json_region(char region[7], json_t *val, const char *name,
                       const char *field, hd_error *err)
{
    const char *s;
    size_t len;
    const hd_region *r;

    if (!json_is_string(val))
        return bad(err, name, field, "expected a region code string");
    s = json_string_value(val);
    len = json_string_length(val);
    if (!hd_region_code_valid(s, len))
        return bad(err, name, field, "not a county, city or province code");
    if (!(r = hd_region_find(s, len)))
        return bad(err, name, field,
                   "unknown region (not in the region "
                   "table)");
    memcpy(region, s, 6);
    region[6] = '\0';
    return 0;
}

static int parse_json(hd_policy **out, const char *name, const char *text,
                      size_t len, bool store, hd_error *err)
{
    hd_policy *p = NULL;
    json_error_t jerr;
    json_t *root = NULL, *val, *regions = NULL, *national = NULL;
    json_t *national_sources = NULL;
    const char *key;
    char field[HD_ERROR_FIELD_MAX];
    size_t i;
    int rc;

    *out = NULL;
    if (!name)
        name = "-";
    if ((rc = hd__policy_new(&p, err)) != 0)
        return rc;
    root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr);
    if (!root) {
        hd_error_set(err, HD_EDATA, "invalid JSON: %s", jerr.text);
        hd_error_at(err, name, jerr.line > 0 ? jerr.line : 0, 0, NULL);
        rc = HD_EDATA;
        goto out;
    }
    if (!json_is_object(root)) {
        rc = bad(err, name, NULL, "expected a JSON object");
        goto out;
    }
    val = json_object_get(root, "standard");
    if (!json_is_string(val) || strcmp(json_string_value(val), STANDARD)) {
        rc = bad(err, name, "standard", "must be \"" STANDARD "\"");
        goto out;
    }
    json_object_foreach(root, key, val)
    {
        if (!strcmp(key, "standard"))
            continue;
        if (!strcmp(key, "national"))
            national = val;
        else if (!strcmp(key, "regions"))
            regions = val;
        else if (store && !strcmp(key, "national_sources"))
            national_sources = val;
        else {
            rc = bad(err, name, key, "unknown member");
            goto out;
        }
    }
    if (national) {
        hd__pentry *e = hd__policy_add(p, "", 0, err);
        if (!e) {
            rc = HD_ENOMEM;
            goto out;
        }
        e->file = name;
        e->json_index = 0;
        if ((rc = json_params(e, national, name, "national", true, err)) != 0)
            goto out;
        if (national_sources &&
            (rc = json_sources(p, e, national_sources, name, "national_sources",
                               err)) != 0)
            goto out;
    } else if (national_sources) {
        rc = bad(err, name, "national_sources", "sources without national");
        goto out;
    }
    if (regions && !json_is_array(regions)) {
        rc = bad(err, name, "regions", "expected an array");
        goto out;
    }
    json_array_foreach(regions, i, val)
    {
        char region[7];
        int32_t from = 0;
        json_t *params = NULL, *sources = NULL, *m;
        const char *k;
        hd__pentry *e;
        char path[32];

        snprintf(path, sizeof(path), "regions[%zu]", i);
        if (!json_is_object(val)) {
            rc = bad(err, name, path, "expected an object");
            goto out;
        }
        json_object_foreach(val, k, m)
        {
            if (strcmp(k, "region") && strcmp(k, "effective_from") &&
                strcmp(k, "params") && !(store && !strcmp(k, "sources"))) {
                snprintf(field, sizeof(field), "%s.%s", path, k);
                rc = bad(err, name, field, "unknown member");
                goto out;
            }
        }
        snprintf(field, sizeof(field), "%s.region", path);
        if ((rc = json_region(region, json_object_get(val, "region"), name,
                              field, err)) != 0)
            goto out;
        snprintf(field, sizeof(field), "%s.effective_from", path);
        m = json_object_get(val, "effective_from");
        if (!json_is_string(m) ||
            hd_date_parse(&from, json_string_value(m), json_string_length(m),
                          NULL) != 0) {
            rc = bad(err, name, field, "bad date (expected YYYY-MM-DD)");
            goto out;
        }
        params = json_object_get(val, "params");
        sources = json_object_get(val, "sources");
        if (!(e = hd__policy_add(p, region, from, err))) {
            rc = HD_ENOMEM;
            goto out;
        }
        e->file = name;
        e->json_index = (int)i;
        snprintf(field, sizeof(field), "%s.params", path);
        if (!params) {
            rc = bad(err, name, field, "missing");
            goto out;
        }
        if ((rc = json_params(e, params, name, field, false, err)) != 0)
            goto out;
        snprintf(field, sizeof(field), "%s.sources", path);
        if (sources && (rc = json_sources(p, e, sources, name, field, err)))
            goto out;
    }
    rc = hd__policy_finish(p, err);
out:
    json_decref(root);
    if (rc) {
        hd_policy_free(p);
        return rc;
    }
    *out = p;
    return 0;
}

int hd_policy_interchange_parse(hd_policy **out, const char *name,
                                const char *text, size_t len, hd_error *err)
{
    return parse_json(out, name, text, len, false, err);
}

int hd_policy_store_parse(hd_policy **out, const char *name, const char *text,
                          size_t len, hd_error *err)
{
    return parse_json(out, name, text, len, true, err);
}

/* ------------------------------------------------------------- writing */

static json_t *factor_json(int64_t x10000, bool integer_when_whole)
{
    char text[HD_MONEY_TEXT_MAX];
    size_t len;

    if (integer_when_whole && x10000 % HD_FACTOR_SCALE == 0)
        return json_integer(x10000 / HD_FACTOR_SCALE);
    /* The shortest decimal: "1.5", not "1.5000"; "2" for a whole one. */
    hd_decimal_format(text, x10000, 4);
    len = strlen(text);
    while (text[len - 1] == '0')
        text[--len] = '\0';
    if (text[len - 1] == '.')
        text[--len] = '\0';
    return json_string(text);
}

static json_t *value_json(const hd_param_values *v, hd_param_id id)
{
    bool has;
    int64_t value = hd__param_get(v, id, &has);

    if (!has)
        return json_null();
    switch (hd__params[id].kind) {
    case PK_FACTOR:
        /* As rules.md's example writes them: months of the standard as
         * integers, the low-income factor as a string. */
        return factor_json(value, id != HD_PARAM_LOW_INCOME_FACTOR);
    case PK_CATS: {
        const hd_column *col = hd__category_column();
        json_t *arr = json_array();
        for (int c = 0; col && col->codes[c].code && c < 32; c++)
            if (value & (INT64_C(1) << c))
                json_array_append_new(arr, json_string(col->codes[c].code));
        return arr;
    }
    default:
        return json_integer(value);
    }
}

static json_t *params_json(const hd_param_values *v, uint32_t set)
{
    json_t *o = json_object();
    for (int id = 0; id < HD_PARAM_COUNT_; id++)
        if (set & (1u << id))
            json_object_set_new(o, hd__params[id].name,
                                value_json(v, (hd_param_id)id));
    return o;
}

static json_t *sources_json(const char *const *source, uint32_t set)
{
    json_t *o = json_object();
    for (int id = 0; id < HD_PARAM_COUNT_; id++)
        if ((set & (1u << id)) && source[id])
            json_object_set_new(o, hd__params[id].name,
                                json_string(source[id]));
    return o;
}

static int write_json(hd_buf *out, const hd_policy *p, bool store,
                      hd_error *err)
{
    json_t *root = json_object(), *regions = json_array();
    char *text = NULL;
    int rc = 0;

    json_object_set_new(root, "standard", json_string(STANDARD));
    /* The interchange is rules.md's: its national block lists rules.md's
     * parameters, and the workflow's deadlines only when the national
     * block set them itself; the store keeps every one. */
    json_object_set_new(
        root, "national",
        params_json(&p->national, store ? HD__PARAM_ALL & ~HD__PARAM_REGIONAL
                                        : (HD__PARAM_RULES | p->national_set) &
                                              ~HD__PARAM_REGIONAL));
    if (store)
        json_object_set_new(root, "national_sources",
                            sources_json(p->national_source, HD__PARAM_ALL));
    for (size_t i = 0; i < p->count; i++) {
        const hd__pentry *e = &p->entries[i];
        char date[HD_DATE_TEXT_MAX];
        json_t *o = json_object();
        json_object_set_new(o, "region", json_string(e->region));
        json_object_set_new(
            o, "effective_from",
            json_string(hd_date_format(date, e->effective_from)));
        json_object_set_new(o, "params", params_json(&e->v, e->set));
        if (store)
            json_object_set_new(o, "sources", sources_json(e->source, e->set));
        json_array_append_new(regions, o);
    }
    json_object_set_new(root, "regions", regions);
    text = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    if (!text)
        rc = hd_error_set(err, HD_ENOMEM, "out of memory");
    else if (hd_buf_puts(out, text) != 0 || hd_buf_putc(out, '\n') != 0)
        rc = hd_error_set(err, hd_buf_error(out), "policy JSON too large");
    free(text);
    json_decref(root);
    return rc;
}

int hd_policy_interchange_write(hd_buf *out, const hd_policy *policy,
                                hd_error *err)
{
    return write_json(out, policy, false, err);
}

int hd_policy_store_write(hd_buf *out, const hd_policy *policy, hd_error *err)
{
    return write_json(out, policy, true, err);
}
