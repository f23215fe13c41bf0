/*
 * Internals shared by the policy module's files: the entry list, the
 * builder the parsers fill, and the parameter table.
 */
#ifndef HEDUI_POLICY_INT_H
#define HEDUI_POLICY_INT_H

#include <hedui/feed.h>
#include <hedui/policy.h>

/* How a parameter's value is written. */
typedef enum param_kind {
    PK_MONEY,  /* yuan with 2 decimals in files, fen in JSON */
    PK_AREA,   /* m² with 2 decimals in files, hundredths in JSON; none */
    PK_FACTOR, /* decimal with at most 4 places, x HD_FACTOR_SCALE */
    PK_INT,    /* a bounded integer */
    PK_CATS    /* tax_income category codes */
} param_kind;

typedef struct hd__param_info {
    const char *name;
    param_kind kind;
    int min, max; /* PK_INT */
} hd__param_info;

extern const hd__param_info hd__params[HD_PARAM_COUNT_];

#define HD__PARAM_ALL ((1u << HD_PARAM_COUNT_) - 1)
/* rules.md's own parameters (not the workflow's deadlines). */
#define HD__PARAM_RULES ((1u << HD_PARAM_RULES_COUNT_) - 1)
/* The parameters that have no national value: rules.md says the dibao
 * standard "must be set per region", and tekun's default is a rule over
 * the resolved dibao standard, not a number. */
#define HD__PARAM_REGIONAL                                                     \
    ((1u << HD_PARAM_DIBAO_STANDARD) | (1u << HD_PARAM_TEKUN_STANDARD))

/*
 * One dated entry of one region (region "" while parsing: a national
 * block, folded into the policy's national values when it is finished).
 * `set` has bit (1 << id) for each parameter it sets; max_area_per_capita
 * may be set to "no limit" (has_max_area_per_capita false).
 */
typedef struct hd__pentry {
    char region[7];
    int32_t effective_from;
    uint32_t set;
    hd_param_values v;
    const char *source[HD_PARAM_COUNT_];
    /* Where each parameter was read, for the errors found only when
     * entries of several files meet: the file (or JSON name) and line,
     * or the index of the JSON entry (-1 for files). */
    const char *file;
    int32_t line[HD_PARAM_COUNT_];
    int json_index;
    uint32_t seq; /* order of reading: the later of two is at fault */
} hd__pentry;

struct hd_policy {
    hd_arena arena; /* sources and file names */
    bool has_national;
    hd_param_values national;
    uint32_t national_set; /* what the national block set itself */
    const char *national_source[HD_PARAM_COUNT_];
    hd__pentry *entries; /* sorted by region, then effective_from */
    size_t count, cap;
    uint64_t *keys; /* region number << 32 | biased date, per entry */
    int64_t version;
};

/* A new empty policy with rules.md's national defaults. */
int hd__policy_new(hd_policy **out, hd_error *err);
void hd__params_national(hd_param_values *out);
/* Append an entry (zeroed but for region and date); NULL when out of
 * memory (err set). The pointer is valid until the next add. */
hd__pentry *hd__policy_add(hd_policy *p, const char *region, int32_t from,
                           hd_error *err);
/* Copy a string into the policy's arena; NULL when out of memory. */
const char *hd__policy_intern(hd_policy *p, const char *s, size_t len);
/* Sort, fold entries of one region and date into one (two setting the
 * same parameter: HD_EDATA "overlapping dates"), take the national
 * blocks out, and build the index. */
int hd__policy_finish(hd_policy *p, hd_error *err);

/* Get and set one parameter of a value set, as an integer in the units
 * of hd_param_values (tekun_standard in fen). `has` is false only for
 * "no limit" of max_area_per_capita. */
int64_t hd__param_get(const hd_param_values *v, hd_param_id id, bool *has);
int hd__param_set(hd_param_values *v, hd_param_id id, int64_t value, bool has,
                  hd_error *err);

/* The tax_income.category column, whose codes excluded_categories
 * names. */
const hd_column *hd__category_column(void);

/* Bounds that keep the products of rules.md (factor x standard, 13000 x
 * dibao_standard) inside int64: money and areas at most 10^12, factors at
 * most 100 (1,000,000 scaled). */
#define HD__MONEY_MAX INT64_C(1000000000000)
#define HD__FACTOR_MAX INT64_C(1000000)

/* Own format (policy_file.c): parse one text into the builder. */
int hd__policy_parse_text(hd_policy *p, const char *name, const char *text,
                          size_t len, hd_error *err);

#endif
