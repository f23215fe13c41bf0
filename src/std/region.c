/*
 * Administrative divisions: lookups over the generated, code-sorted table
 * of region_data.c. The table is constant, so every function here is
 * thread-safe and allocates nothing.
 */
#include "std/region_int.h"

#include <string.h>

const char *hd_region_provenance(void)
{
    return hd__region_provenance;
}

size_t hd_region_count(void)
{
    return hd__region_table_count;
}

const hd_region *hd_region_at(size_t i)
{
    return i < hd__region_table_count ? &hd__region_table[i] : NULL;
}

/* Compare a table code with the bytes s[0..len) in byte order, a shorter
 * string sorting before every longer one it begins. */
static int code_cmp(const char *code, const char *s, size_t len)
{
    size_t code_len = strlen(code);
    int c = memcmp(code, s, code_len < len ? code_len : len);
    if (c != 0)
        return c;
    return (code_len > len) - (code_len < len);
}

/* Index of the first region whose code is not below s[0..len). */
static size_t lower_bound(const char *s, size_t len)
{
    size_t lo = 0, hi = hd__region_table_count;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (code_cmp(hd__region_table[mid].code, s, len) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

const hd_region *hd_region_find(const char *code, size_t len)
{
    size_t i;

    if (!code || (len != 6 && len != 9))
        return NULL;
    i = lower_bound(code, len);
    if (i < hd__region_table_count &&
        code_cmp(hd__region_table[i].code, code, len) == 0)
        return &hd__region_table[i];
    return NULL;
}

const hd_region *hd_region_parent(const hd_region *region)
{
    if (!region || !region->parent_code)
        return NULL;
    return hd_region_find(region->parent_code, strlen(region->parent_code));
}

/*
 * The run of the table that holds the direct children of `region`, as
 * indices [*begin, *end). A child's code begins with the significant
 * digits of its parent's: 2 for a province, 4 for a city, all 6 for a
 * county (the refresh script checks this), so they are one run of the
 * sorted table; within it the direct children are the ones naming this
 * parent. The children of NULL (the provinces) are spread over the whole
 * table.
 */
static void child_run(const hd_region *region, size_t *begin, size_t *end)
{
    size_t prefix_len;

    *begin = 0;
    *end = hd__region_table_count;
    if (!region)
        return;
    switch (region->level) {
    case HD_REGION_PROVINCE:
        prefix_len = 2;
        break;
    case HD_REGION_CITY:
        prefix_len = 4;
        break;
    case HD_REGION_COUNTY:
        prefix_len = 6;
        break;
    case HD_REGION_TOWNSHIP:
    default:
        *end = 0;
        return;
    }
    *begin = lower_bound(region->code, prefix_len);
    *end = *begin;
    while (*end < hd__region_table_count &&
           memcmp(hd__region_table[*end].code, region->code, prefix_len) == 0)
        (*end)++;
}

static bool is_child(const hd_region *r, const hd_region *parent)
{
    if (!parent)
        return r->parent_code == NULL;
    return r->parent_code && strcmp(r->parent_code, parent->code) == 0;
}

size_t hd_region_children(const hd_region **out, size_t max,
                          const hd_region *region)
{
    size_t begin, end, count = 0;

    child_run(region, &begin, &end);
    for (size_t i = begin; i < end; i++) {
        const hd_region *r = &hd__region_table[i];
        if (!is_child(r, region))
            continue;
        if (out && count < max)
            out[count] = r;
        count++;
    }
    return count;
}

const hd_region *hd_region_find_name(const hd_region *parent, const char *name,
                                     size_t len)
{
    size_t begin, end;

    if (!name)
        return NULL;
    child_run(parent, &begin, &end);
    for (size_t i = begin; i < end; i++) {
        const hd_region *r = &hd__region_table[i];
        if (is_child(r, parent) && strlen(r->name) == len &&
            memcmp(r->name, name, len) == 0)
            return r;
    }
    return NULL;
}

bool hd_region_code_valid(const char *code, size_t len)
{
    if (!code || len != 6)
        return false;
    for (size_t i = 0; i < 6; i++)
        if (!hd_is_digit(code[i]))
            return false;
    /* PP0000, PPCC00 or PPCCXX: no province 00, and no county digits
     * without city digits. */
    if (code[0] == '0' && code[1] == '0')
        return false;
    if (code[2] == '0' && code[3] == '0' && (code[4] != '0' || code[5] != '0'))
        return false;
    return true;
}

bool hd_region_covers(const char *jurisdiction, const char *region)
{
    if (!jurisdiction || !region ||
        !hd_region_code_valid(jurisdiction, strlen(jurisdiction)) ||
        !hd_region_code_valid(region, strlen(region)))
        return false;
    if (!strcmp(jurisdiction + 2, "0000"))
        return !memcmp(jurisdiction, region, 2);
    if (!strcmp(jurisdiction + 4, "00"))
        return !memcmp(jurisdiction, region, 4);
    return !strcmp(jurisdiction, region);
}
