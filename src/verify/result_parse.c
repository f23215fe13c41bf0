/*
 * Reading a Result record back (the inverse of hd_result_record_json):
 * what a roll's summary needs from RESULTS.jsonl without verifying again.
 * Only the members of rules.md's Result record are filled.
 */
#include <hedui/verify.h>

#include <jansson.h>
#include <stdio.h>
#include <string.h>

static int find_name(const char *s, const char *(*name)(int), int count)
{
    for (int i = 0; i < count; i++)
        if (!strcmp(name(i), s))
            return i;
    return -1;
}

static const char *conclusion_name(int i)
{
    return hd_conclusion_name((hd_conclusion)i);
}

static const char *level_name(int i)
{
    return hd_level_name((hd_level)i);
}

static const char *code_name(int i)
{
    return hd_code_name((hd_code)i);
}

static const char *text_of(json_t *v)
{
    const char *s = json_string_value(v);
    return s ? s : "";
}

static int64_t int_member(json_t *o, const char *key)
{
    return json_integer_value(json_object_get(o, key));
}

static int codes(uint64_t *out, json_t *arr)
{
    size_t i;
    json_t *v;

    *out = 0;
    json_array_foreach(arr, i, v)
    {
        int c = json_is_string(v)
                    ? find_name(json_string_value(v), code_name, HD_CODE_COUNT_)
                    : -1;
        if (c < 0)
            return HD_EDATA;
        *out |= (uint64_t)1 << c;
    }
    return 0;
}

int hd_result_from_record_json(hd_result *out, const char *json, size_t len,
                               hd_error *err)
{
    json_error_t jerr;
    json_t *root = json_loadb(json, len, 0, &jerr), *v;
    int c, rc = 0;

    if (!json_is_object(root)) {
        json_decref(root);
        return hd_error_set(err, HD_EDATA, "not a result record: %s",
                            jerr.text);
    }
    snprintf(out->application_no, sizeof(out->application_no), "%s",
             text_of(json_object_get(root, "application_no")));
    snprintf(out->program, sizeof(out->program), "%s",
             text_of(json_object_get(root, "program")));
    v = json_object_get(root, "conclusion");
    c = json_is_string(v) ? find_name(json_string_value(v), conclusion_name,
                                      HD_CONCLUSION_MEETS + 1)
                          : -1;
    if (c < 0) {
        rc = hd_error_set(err, HD_EDATA, "result record: bad conclusion");
        goto out;
    }
    out->conclusion = (hd_conclusion)c;
    v = json_object_get(root, "level");
    out->has_level = json_is_string(v);
    if (out->has_level) {
        c = find_name(json_string_value(v), level_name,
                      HD_LEVEL_EXPENDITURE_HARDSHIP + 1);
        out->level = c < 0 ? HD_LEVEL_NONE : (hd_level)c;
    }
    v = json_object_get(root, "figures");
    out->has_figures = json_is_object(v);
    if (out->has_figures) {
        hd_figures *f = &out->figures;
        f->members = (int)int_member(v, "members");
        f->income_fen = int_member(v, "income");
        f->expenditure_fen = int_member(v, "expenditure");
        f->pci_fen = int_member(v, "pci");
        f->pci_after_fen = int_member(v, "pci_after");
        f->financial_assets_fen = int_member(v, "financial_assets");
        f->pca_fen = int_member(v, "pca");
        f->homes = (int)int_member(v, "homes");
        f->area_pc_m2x100 = int_member(v, "area_pc");
        f->vehicles = (int)int_member(v, "vehicles");
    }
    if (codes(&out->failed, json_object_get(root, "failed")) ||
        codes(&out->findings, json_object_get(root, "findings")))
        rc = hd_error_set(err, HD_EDATA, "result record: unknown code");
    v = json_object_get(root, "error");
    if (json_is_object(v)) {
        snprintf(out->error_field, sizeof(out->error_field), "%s",
                 text_of(json_object_get(v, "field")));
        snprintf(out->error_reason, sizeof(out->error_reason), "%s",
                 text_of(json_object_get(v, "reason")));
    }
out:
    json_decref(root);
    return rc;
}
