/*
 * The project's own policy files (docs/policy.md), and reading a policy
 * from a path: one file, or a directory of them loaded together.
 *
 * The format is line-based so that every value sits next to the
 * document it comes from and a comment saying why; errors name the file,
 * the line and the parameter.
 */
#include "policy/policy_int.h"

#include <hedui/std.h>

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define POLICY_FILE_MAX ((size_t)64 << 20)

static bool is_space(int c)
{
    return c == ' ' || c == '\t';
}

static hd_str trim(const char *s, size_t len)
{
    while (len && is_space((unsigned char)*s)) {
        s++;
        len--;
    }
    while (len && is_space((unsigned char)s[len - 1]))
        len--;
    return (hd_str){s, len};
}

static int fail(hd_error *err, const char *name, int64_t line,
                const char *field, const char *rule)
{
    hd_error_set(err, HD_EDATA, "%s", rule);
    hd_error_at(err, name, line, 0, field);
    return HD_EDATA;
}

/* Parse "[REGION DATE]" contents into the entry's region and date. */
static int parse_header(char region[7], int32_t *from, hd_str in,
                        const char *name, int64_t line, hd_error *err)
{
    size_t i = 0;
    hd_str code, date;
    const hd_region *r;

    while (i < in.len && !is_space((unsigned char)in.ptr[i]))
        i++;
    code = (hd_str){in.ptr, i};
    date = trim(in.ptr + i, in.len - i);
    for (size_t k = 0; k < date.len; k++)
        if (is_space((unsigned char)date.ptr[k]))
            return fail(err, name, line, NULL,
                        "expected [REGION YYYY-MM-DD] or [national]");
    if (code.len == 0 || date.len == 0)
        return fail(err, name, line, NULL,
                    "expected [REGION YYYY-MM-DD] or [national]");
    if (code.len == 9 && (r = hd_region_find(code.ptr, code.len)) != NULL)
        return fail(err, name, line, "region",
                    "not a county, city or province code");
    if (!hd_region_code_valid(code.ptr, code.len))
        return fail(err, name, line, "region",
                    "not a county, city or province code");
    r = hd_region_find(code.ptr, code.len);
    if (!r)
        return fail(err, name, line, "region",
                    "unknown region (not in the region table)");
    if (r->level == HD_REGION_TOWNSHIP)
        return fail(err, name, line, "region",
                    "not a county, city or province code");
    if (hd_date_parse(from, date.ptr, date.len, NULL) != 0)
        return fail(err, name, line, "effective_from",
                    "bad date (expected YYYY-MM-DD)");
    memcpy(region, code.ptr, 6);
    region[6] = '\0';
    return 0;
}

/* The categories of a comma list, as a bit set over the tax_income
 * category codes. */
static int parse_categories(int64_t *out, hd_str s, hd_error *err)
{
    const hd_column *col = hd__category_column();
    uint32_t set = 0;
    size_t start = 0;

    if (!col)
        return hd_error_set(err, HD_EINVAL, "no tax_income.category column");
    if (s.len == 0) {
        *out = 0;
        return 0;
    }
    for (size_t i = 0; i <= s.len; i++) {
        hd_str item;
        int code;
        if (i < s.len && s.ptr[i] != ',')
            continue;
        item = trim(s.ptr + start, i - start);
        code = hd_column_code_index(col, item.ptr, item.len);
        if (item.len == 0)
            return hd_error_set(err, HD_EDATA, "empty category in the list");
        if (code < 0 || code >= 32)
            return hd_error_set(err, HD_EDATA,
                                "unknown tax_income category \"%.*s\"",
                                (int)(item.len > 40 ? 40 : item.len), item.ptr);
        set |= 1u << code;
        start = i + 1;
    }
    *out = set;
    return 0;
}

static int parse_int(int64_t *out, hd_str s, hd_error *err)
{
    int64_t v = 0;

    if (s.len == 0 || s.len > 9)
        return hd_error_set(err, HD_EDATA, "expected a whole number");
    for (size_t i = 0; i < s.len; i++) {
        if (!hd_is_digit((unsigned char)s.ptr[i]))
            return hd_error_set(err, HD_EDATA, "expected a whole number");
        v = v * 10 + (s.ptr[i] - '0');
    }
    *out = v;
    return 0;
}

/* A parameter's value in the file's units. */
static int parse_value(hd_param_values *v, hd_param_id id, hd_str s,
                       hd_error *err)
{
    int64_t value = 0;
    bool has = true;
    int rc = 0;

    switch (hd__params[id].kind) {
    case PK_MONEY:
        rc = hd_money_parse(&value, s.ptr, s.len, err);
        break;
    case PK_AREA:
        if (s.len == 4 && !memcmp(s.ptr, "none", 4))
            has = false;
        else
            rc = hd_area_parse(&value, s.ptr, s.len, err);
        break;
    case PK_FACTOR:
        rc = hd_decimal_parse(&value, s.ptr, s.len, 4, false, err);
        break;
    case PK_INT:
        rc = parse_int(&value, s, err);
        break;
    case PK_CATS:
        rc = parse_categories(&value, s, err);
        break;
    }
    if (rc == 0)
        rc = hd__param_set(v, id, value, has, err);
    if (rc == HD_EOVERFLOW)
        rc = hd_error_set(err, HD_EDATA, "number too large");
    return rc;
}

/* Where a comment starts: a '#' at the start of the line or after a
 * space, so that a '#' inside a value (an URL's fragment) stays. */
static size_t comment_start(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (s[i] == '#' && (i == 0 || is_space((unsigned char)s[i - 1])))
            return i;
    return len;
}

int hd__policy_parse_text(hd_policy *p, const char *name, const char *text,
                          size_t len, hd_error *err)
{
    const char *file = hd__policy_intern(p, name, strlen(name));
    const char *source = NULL;
    size_t pos = 0;
    int64_t line = 0;
    ptrdiff_t cur = -1; /* index of the section's entry */
    uint32_t seen = 0;  /* parameters of the current section */
    int rc;

    if (!file)
        return hd_error_set(err, HD_ENOMEM, "out of memory");
    while (pos < len) {
        const char *s = text + pos;
        size_t n = 0, eq;
        hd_str l, key, value;
        hd__pentry *e;
        int id;

        while (pos + n < len && s[n] != '\n')
            n++;
        pos += n + 1;
        line++;
        if (n && s[n - 1] == '\r')
            n--;
        if (hd_utf8_count(s, n) < 0 || memchr(s, '\0', n))
            return fail(err, name, line, NULL, "not valid UTF-8 text");
        l = trim(s, comment_start(s, n));
        if (l.len == 0)
            continue;
        if (l.ptr[0] == '[') {
            char region[7] = "";
            int32_t from = 0;
            if (l.ptr[l.len - 1] != ']' || l.len < 3)
                return fail(err, name, line, NULL,
                            "expected [REGION YYYY-MM-DD] or [national]");
            l = trim(l.ptr + 1, l.len - 2);
            if (!(l.len == 8 && !memcmp(l.ptr, "national", 8)) &&
                (rc = parse_header(region, &from, l, name, line, err)) != 0)
                return rc;
            if (!(e = hd__policy_add(p, region, from, err)))
                return HD_ENOMEM;
            e->file = file;
            cur = (ptrdiff_t)(e - p->entries);
            source = NULL;
            seen = 0;
            continue;
        }
        for (eq = 0; eq < l.len && l.ptr[eq] != '='; eq++)
            ;
        if (eq == l.len)
            return fail(err, name, line, NULL, "expected key = value");
        key = trim(l.ptr, eq);
        value = trim(l.ptr + eq + 1, l.len - eq - 1);
        if (cur < 0)
            return fail(err, name, line, NULL,
                        "a value outside a section (start one with "
                        "[REGION YYYY-MM-DD] or [national])");
        if (key.len == 6 && !memcmp(key.ptr, "source", 6)) {
            if (value.len == 0)
                return fail(err, name, line, "source", "empty source");
            if (!(source = hd__policy_intern(p, value.ptr, value.len)))
                return hd_error_set(err, HD_ENOMEM, "out of memory");
            continue;
        }
        id = hd_param_find(key.ptr, key.len);
        if (id < 0) {
            char field[HD_ERROR_FIELD_MAX];
            snprintf(field, sizeof(field), "%.*s",
                     (int)(key.len < 63 ? key.len : 63), key.ptr);
            return fail(err, name, line, field, "unknown parameter");
        }
        e = &p->entries[cur];
        if (seen & (1u << id))
            return fail(err, name, line, hd__params[id].name,
                        "duplicate parameter in the section");
        if (!e->region[0] && (HD__PARAM_REGIONAL & (1u << id)))
            return fail(err, name, line, hd__params[id].name,
                        "must be set per region, not in [national]");
        if (!source)
            return fail(err, name, line, hd__params[id].name,
                        "no source in effect (add a source = line before "
                        "it)");
        if ((rc = parse_value(&e->v, (hd_param_id)id, value, err)) != 0) {
            char rule[HD_ERROR_MSG_MAX];
            if (rc != HD_EDATA)
                return rc;
            /* The parser's rule, truncated to fit after the prefix. */
            snprintf(rule, sizeof(rule), "bad value: %.200s",
                     err ? err->msg : "");
            return fail(err, name, line, hd__params[id].name, rule);
        }
        seen |= 1u << id;
        e->set |= 1u << id;
        e->source[id] = source;
        e->line[id] = (int32_t)(line > INT32_MAX ? INT32_MAX : line);
    }
    return 0;
}

int hd_policy_parse_mem(hd_policy **out, const char *name, const char *text,
                        size_t len, hd_error *err)
{
    hd_policy *p = NULL;
    int rc;

    *out = NULL;
    if ((rc = hd__policy_new(&p, err)) != 0)
        return rc;
    rc = hd__policy_parse_text(p, name ? name : "-", text, len, err);
    if (rc == 0)
        rc = hd__policy_finish(p, err);
    if (rc) {
        hd_policy_free(p);
        return rc;
    }
    *out = p;
    return 0;
}

/* ------------------------------------------------------------- paths */

static int read_file(hd_buf *buf, const char *path, hd_error *err)
{
    FILE *f = fopen(path, "rb");
    char chunk[65536];
    size_t n;
    int rc = 0;

    if (!f)
        return hd_error_set(err, HD_EIO, "cannot open %s: %s", path,
                            strerror(errno));
    while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
        if (hd_buf_append(buf, chunk, n) != 0)
            break;
    if (ferror(f))
        rc = hd_error_set(err, HD_EIO, "cannot read %s", path);
    else if (hd_buf_error(buf))
        rc = hd_error_set(err, hd_buf_error(buf), "%s is too large", path);
    fclose(f);
    return rc;
}

static bool ends_with(const char *s, const char *suffix)
{
    size_t a = strlen(s), b = strlen(suffix);
    return a >= b && !memcmp(s + a - b, suffix, b);
}

static int cmp_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int read_dir(hd_policy *p, const char *path, hd_error *err)
{
    DIR *d = opendir(path);
    char **names = NULL;
    size_t count = 0, cap = 0;
    struct dirent *de;
    hd_buf buf, full;
    int rc = 0;

    hd_buf_init(&buf, POLICY_FILE_MAX);
    hd_buf_init(&full, 4096);
    if (!d)
        return hd_error_set(err, HD_EIO, "cannot open %s: %s", path,
                            strerror(errno));
    while ((de = readdir(d)) != NULL) {
        if (de->d_name[0] == '.' || !ends_with(de->d_name, ".policy"))
            continue;
        if (count == cap) {
            size_t ncap = cap ? cap * 2 : 16;
            char **n = hd_realloc(names, ncap * sizeof(*n));
            if (!n) {
                rc = hd_error_set(err, HD_ENOMEM, "out of memory");
                goto out;
            }
            names = n;
            cap = ncap;
        }
        if (!(names[count] = hd_strdup(de->d_name))) {
            rc = hd_error_set(err, HD_ENOMEM, "out of memory");
            goto out;
        }
        count++;
    }
    qsort(names, count, sizeof(*names), cmp_name);
    for (size_t i = 0; i < count && rc == 0; i++) {
        hd_buf_reset(&full);
        hd_buf_reset(&buf);
        hd_buf_printf(&full, "%s%s%s", path, ends_with(path, "/") ? "" : "/",
                      names[i]);
        if (hd_buf_error(&full)) {
            rc = hd_error_set(err, HD_ENOMEM, "out of memory");
            break;
        }
        rc = read_file(&buf, full.ptr, err);
        if (rc == 0)
            rc = hd__policy_parse_text(p, full.ptr, buf.ptr, buf.len, err);
    }
out:
    for (size_t i = 0; i < count; i++)
        hd_free(names[i]);
    hd_free(names);
    closedir(d);
    hd_buf_release(&buf);
    hd_buf_release(&full);
    return rc;
}

int hd_policy_read_path(hd_policy **out, const char *path, hd_error *err)
{
    hd_policy *p = NULL;
    struct stat st;
    hd_buf buf;
    int rc;

    *out = NULL;
    hd_buf_init(&buf, POLICY_FILE_MAX);
    if (stat(path, &st) != 0)
        return hd_error_set(err, HD_EIO, "cannot open %s: %s", path,
                            strerror(errno));
    if (S_ISDIR(st.st_mode)) {
        if ((rc = hd__policy_new(&p, err)) != 0)
            return rc;
        rc = read_dir(p, path, err);
        if (rc == 0)
            rc = hd__policy_finish(p, err);
        if (rc) {
            hd_policy_free(p);
            return rc;
        }
        *out = p;
        return 0;
    }
    rc = read_file(&buf, path, err);
    if (rc == 0) {
        if (ends_with(path, ".json"))
            rc = hd_policy_interchange_parse(out, path, buf.ptr, buf.len, err);
        else
            rc = hd_policy_parse_mem(out, path, buf.ptr, buf.len, err);
    }
    hd_buf_release(&buf);
    return rc;
}
