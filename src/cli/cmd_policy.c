/*
 * hedui policy import PATH
 * hedui policy export [--version N] [--out FILE]
 * hedui policy show REGION [--on YYYY-MM-DD] [--version N] [--json]
 *
 * Policies live in the case store as numbered versions (docs/policy.md);
 * import merges a file or directory into the latest, export writes the
 * interchange JSON, show resolves one region on one date and says where
 * every value came from.
 */
#include "cli/cli.h"

#include <hedui/policy.h>
#include <hedui/std.h>
#include <hedui/store.h>

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define USAGE                                                                  \
    "usage: hedui policy import PATH\n"                                        \
    "       hedui policy export [--version N] [--out FILE]\n"                  \
    "       hedui policy show REGION [--on YYYY-MM-DD] [--version N] "         \
    "[--json]\n"

static int usage(void)
{
    fputs(USAGE, stderr);
    return 2;
}

static int failed(const hd_error *err)
{
    char msg[1024];
    fprintf(stderr, "hedui policy: %s\n",
            hd_error_format(err, msg, sizeof(msg)));
    return 3;
}

static bool parse_version(int64_t *out, const char *s)
{
    char *end;
    long long v = strtoll(s, &end, 10);
    if (!*s || *end || v <= 0)
        return false;
    *out = v;
    return true;
}

static int cmd_import(const hd_cli_globals *g, int argc, char **argv)
{
    hd_casestore *cs = NULL;
    hd_policy *imported = NULL;
    hd_error err;
    int64_t version = 0;
    int rc;

    if (argc != 3)
        return usage();
    hd_error_clear(&err);
    rc = hd_policy_read_path(&imported, argv[2], &err);
    if (rc == 0)
        rc = hd_casestore_open(&cs, g->db_path, &err);
    if (rc == 0)
        rc = hd_policy_store_import(&version, cs, imported, argv[2],
                                    hd_cli_now(), &err);
    if (rc == 0 && version == 0) {
        char *content = NULL;
        int64_t latest = 0;
        rc = hd_casestore_policy_get(cs, &content, &latest, 0, &err);
        hd_free(content);
        if (rc == 0)
            printf("policy unchanged: version %lld already holds it\n",
                   (long long)latest);
    } else if (rc == 0) {
        printf("policy version %lld stored\n", (long long)version);
    }
    hd_policy_free(imported);
    hd_casestore_free(cs);
    return rc ? failed(&err) : 0;
}

static int cmd_export(const hd_cli_globals *g, int argc, char **argv)
{
    hd_casestore *cs = NULL;
    hd_policy *p = NULL;
    const char *out_path = NULL;
    int64_t version = 0;
    hd_error err;
    hd_buf buf;
    int rc;

    for (int i = 2; i < argc; i++) {
        if (!strcmp(argv[i], "--version") && i + 1 < argc) {
            if (!parse_version(&version, argv[++i]))
                return usage();
        } else if (!strcmp(argv[i], "--out") && i + 1 < argc) {
            out_path = argv[++i];
        } else {
            return usage();
        }
    }
    hd_error_clear(&err);
    hd_buf_init(&buf, HD_BUF_DEFAULT_MAX);
    rc = hd_casestore_open(&cs, g->db_path, &err);
    if (rc == 0)
        rc = hd_policy_store_load(&p, cs, version, &err);
    if (rc == 0)
        rc = hd_policy_interchange_write(&buf, p, &err);
    if (rc == 0) {
        FILE *f = out_path ? fopen(out_path, "wb") : stdout;
        if (!f || fwrite(buf.ptr, 1, buf.len, f) != buf.len ||
            (out_path && fclose(f) != 0))
            rc = hd_error_set(&err, HD_EIO, "cannot write %s",
                              out_path ? out_path : "standard output");
    }
    hd_buf_release(&buf);
    hd_policy_free(p);
    hd_casestore_free(cs);
    return rc ? failed(&err) : 0;
}

/* A value in the units people read: yuan, m², a factor. */
static const char *human(char *out, size_t cap, const hd_params *ps, int id)
{
    const hd_param_values *v = &ps->v;
    char num[HD_MONEY_TEXT_MAX];
    size_t len;

    switch ((hd_param_id)id) {
    case HD_PARAM_DIBAO_STANDARD:
    case HD_PARAM_VEHICLE_EXEMPT_VALUE:
    case HD_PARAM_ENTERPRISE_CAPITAL_LIMIT:
    case HD_PARAM_EARNED_INCOME_DISREGARD: {
        int64_t fen = id == HD_PARAM_DIBAO_STANDARD ? v->dibao_standard_fen
                      : id == HD_PARAM_VEHICLE_EXEMPT_VALUE
                          ? v->vehicle_exempt_value_fen
                      : id == HD_PARAM_ENTERPRISE_CAPITAL_LIMIT
                          ? v->enterprise_capital_limit_fen
                          : v->earned_income_disregard_fen;
        snprintf(out, cap, "%s yuan", hd_money_format(num, fen));
        return out;
    }
    case HD_PARAM_TEKUN_STANDARD:
        /* fen x 10,000 is yuan x 10^6; exact, shortest with 2 decimals. */
        hd_decimal_format(num, v->tekun_standard_x10000, 6);
        len = strlen(num);
        while (len > 0 && num[len - 1] == '0' && num[len - 3] != '.')
            num[--len] = '\0';
        snprintf(out, cap, "%s yuan", num);
        return out;
    case HD_PARAM_LOW_INCOME_FACTOR:
    case HD_PARAM_FINANCIAL_LIMIT_MONTHS_DIBAO:
    case HD_PARAM_FINANCIAL_LIMIT_MONTHS_LOW_INCOME:
        hd_decimal_format(num,
                          id == HD_PARAM_LOW_INCOME_FACTOR
                              ? v->low_income_factor_x10000
                          : id == HD_PARAM_FINANCIAL_LIMIT_MONTHS_DIBAO
                              ? v->financial_limit_months_dibao_x10000
                              : v->financial_limit_months_low_income_x10000,
                          4);
        len = strlen(num);
        while (num[len - 1] == '0')
            num[--len] = '\0';
        if (num[len - 1] == '.')
            num[--len] = '\0';
        snprintf(out, cap, "%s%s", num,
                 id == HD_PARAM_LOW_INCOME_FACTOR
                     ? " x dibao_standard"
                     : " months of dibao_standard");
        return out;
    case HD_PARAM_INCOME_MONTHS:
        snprintf(out, cap, "%d months", v->income_months);
        return out;
    case HD_PARAM_MAX_HOMES:
        snprintf(out, cap, "%d", v->max_homes);
        return out;
    case HD_PARAM_MAX_AREA_PER_CAPITA:
        if (!v->has_max_area_per_capita)
            snprintf(out, cap, "no limit");
        else
            snprintf(out, cap, "%s m²",
                     hd_decimal_format(num, v->max_area_per_capita_m2x100, 2));
        return out;
    case HD_PARAM_EXCLUDED_CATEGORIES: {
        const hd_feed *feed = hd_feed_find("tax_income");
        int col = feed ? hd_feed_column(feed, "category") : -1;
        size_t used = 0;
        out[0] = '\0';
        for (int c = 0; col >= 0 && feed->columns[col].codes[c].code; c++) {
            if (!(v->excluded_categories & (1u << c)))
                continue;
            used += (size_t)snprintf(out + used, used < cap ? cap - used : 0,
                                     "%s%s", used ? ", " : "",
                                     feed->columns[col].codes[c].code);
            if (used >= cap)
                break;
        }
        if (!out[0])
            snprintf(out, cap, "none");
        return out;
    }
    case HD_PARAM_OLD_AGE:
        snprintf(out, cap, "%d years", v->old_age);
        return out;
    default:
        snprintf(out, cap, "?");
        return out;
    }
}

static const char *region_name(const char *code)
{
    const hd_region *r = code[0] ? hd_region_find(code, strlen(code)) : NULL;
    return r ? r->name : "";
}

static void show_text(const hd_params *ps, bool resolved)
{
    char date[HD_DATE_TEXT_MAX], value[512];

    printf("region %s %s on %s, policy version %lld\n", ps->region,
           region_name(ps->region), hd_date_format(date, ps->on),
           (long long)ps->policy_version);
    for (int id = 0; id < HD_PARAM_COUNT_; id++) {
        const hd_param_origin *o = &ps->origin[id];
        if (!resolved && (id == HD_PARAM_DIBAO_STANDARD ||
                          (id == HD_PARAM_TEKUN_STANDARD && o->is_default)))
            snprintf(value, sizeof(value), "not set");
        else
            human(value, sizeof(value), ps, id);
        printf("%-34s %s\n", hd_param_name((hd_param_id)id), value);
        if (id == HD_PARAM_DIBAO_STANDARD && !resolved)
            printf("    no level sets it\n");
        else if (o->is_default && id == HD_PARAM_TEKUN_STANDARD)
            printf("    default: 1.3 x dibao_standard (no level sets it)\n");
        else if (o->is_default)
            printf("    national default%s%s\n", o->source ? ": " : "",
                   o->source ? o->source : " (rules.md)");
        else
            printf("    %s %s from %s: %s\n", o->region, region_name(o->region),
                   hd_date_format(date, o->effective_from),
                   o->source ? o->source : "(no source recorded)");
    }
}

static void show_json(const hd_params *ps, bool resolved)
{
    char date[HD_DATE_TEXT_MAX], value[512];
    json_t *root = json_object(), *params = json_object();
    char *text;

    json_object_set_new(root, "region", json_string(ps->region));
    json_object_set_new(root, "region_name",
                        json_string(region_name(ps->region)));
    json_object_set_new(root, "on", json_string(hd_date_format(date, ps->on)));
    json_object_set_new(root, "policy_version",
                        json_integer(ps->policy_version));
    json_object_set_new(root, "resolved", json_boolean(resolved));
    for (int id = 0; id < HD_PARAM_COUNT_; id++) {
        const hd_param_origin *o = &ps->origin[id];
        json_t *p = json_object(), *origin = json_object();
        bool unset =
            !resolved && (id == HD_PARAM_DIBAO_STANDARD ||
                          (id == HD_PARAM_TEKUN_STANDARD && o->is_default));
        json_object_set_new(
            p, "text",
            unset ? json_null()
                  : json_string(human(value, sizeof(value), ps, id)));
        if (o->is_default) {
            json_object_set_new(origin, "default", json_true());
        } else if (!unset) {
            json_object_set_new(origin, "region", json_string(o->region));
            json_object_set_new(origin, "region_name",
                                json_string(region_name(o->region)));
            json_object_set_new(
                origin, "effective_from",
                json_string(hd_date_format(date, o->effective_from)));
        }
        json_object_set_new(origin, "source",
                            o->source ? json_string(o->source) : json_null());
        json_object_set_new(p, "origin", origin);
        json_object_set_new(params, hd_param_name((hd_param_id)id), p);
    }
    json_object_set_new(root, "params", params);
    text = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    printf("%s\n", text ? text : "{}");
    free(text);
    json_decref(root);
}

static int cmd_show(const hd_cli_globals *g, int argc, char **argv)
{
    hd_casestore *cs = NULL;
    hd_policy *p = NULL;
    const char *region = NULL;
    int32_t on = (int32_t)(hd_cli_now() / 86400);
    int64_t version = 0;
    bool json = false;
    hd_params ps;
    hd_error err;
    int rc;

    for (int i = 2; i < argc; i++) {
        if (!strcmp(argv[i], "--on") && i + 1 < argc) {
            const char *s = argv[++i];
            if (hd_date_parse(&on, s, strlen(s), NULL) != 0)
                return usage();
        } else if (!strcmp(argv[i], "--version") && i + 1 < argc) {
            if (!parse_version(&version, argv[++i]))
                return usage();
        } else if (!strcmp(argv[i], "--json")) {
            json = true;
        } else if (argv[i][0] != '-' && !region) {
            region = argv[i];
        } else {
            return usage();
        }
    }
    if (!region)
        return usage();
    hd_error_clear(&err);
    if (!hd_region_code_valid(region, strlen(region))) {
        hd_error_set(&err, HD_EINVAL, "not a 6-digit region code: %s", region);
        return failed(&err);
    }
    rc = hd_casestore_open(&cs, g->db_path, &err);
    if (rc == 0)
        rc = hd_policy_store_load(&p, cs, version, &err);
    if (rc == 0) {
        rc = hd_policy_resolve(&ps, p, region, on, &err);
        if (rc == 0 || rc == HD_ENOTFOUND) {
            if (json)
                show_json(&ps, rc == 0);
            else
                show_text(&ps, rc == 0);
        }
    }
    hd_policy_free(p);
    hd_casestore_free(cs);
    return rc ? failed(&err) : 0;
}

int hd_cmd_policy(const hd_cli_globals *globals, int argc, char **argv)
{
    if (argc < 2)
        return usage();
    hd_log_set_sink(hd_cli_log_to_stderr, NULL);
    if (!strcmp(argv[1], "import"))
        return cmd_import(globals, argc, argv);
    if (!strcmp(argv[1], "export"))
        return cmd_export(globals, argc, argv);
    if (!strcmp(argv[1], "show"))
        return cmd_show(globals, argc, argv);
    return usage();
}
