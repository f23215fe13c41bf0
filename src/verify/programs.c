/*
 * Section 6 of rules.md (tests and programs) and the conclusion and level
 * of section 7. Every test of the four programs with tests of their own is
 * evaluated and kept, whatever was applied for: the level needs three of
 * them and medical_aid all four.
 */
#include "verify_int.h"

#include <limits.h>

#define TESTS_MAX 40

#define BIT(code) (1ull << (code))

static const uint64_t forcing_review =
    BIT(HD_FIND_MEMBER_NOT_IN_HUKOU) | BIT(HD_FIND_MEMBER_DECEASED) |
    BIT(HD_FIND_UNDECLARED_SPOUSE) | BIT(HD_FIND_FEED_NOT_DELIVERED);

int hd__verify_cmp(int64_t figure, int64_t den, int64_t num)
{
    int64_t scaled;

    if (__builtin_mul_overflow(figure, den, &scaled))
        return figure < 0 ? -1 : 1;
    return scaled < num ? -1 : scaled > num ? 1 : 0;
}

/* An exact product limit; one too large for 64 bits is no limit at all
 * for a 64-bit figure. */
static int64_t product(int64_t a, int64_t b)
{
    int64_t out;

    if (__builtin_mul_overflow(a, b, &out))
        return (a < 0) != (b < 0) ? INT64_MIN : INT64_MAX;
    return out;
}

typedef struct program_ctx {
    vf_state *st;
    hd_program program;
    uint64_t failed;
} program_ctx;

static void yes_no(program_ctx *c, hd_code code, int64_t figure, bool failed)
{
    hd_result *r = c->st->r;
    hd_test *t = &r->tests[r->test_count++];

    t->code = code;
    t->program = c->program;
    t->figure = figure;
    t->limit_num = 0;
    t->limit_den = 1;
    t->has_limit = false;
    t->strict = false;
    t->failed = failed;
    if (failed)
        c->failed |= BIT(code);
}

/* figure fails at or above num / den, or only above it when strict. */
static void limit(program_ctx *c, hd_code code, int64_t figure, int64_t num,
                  int64_t den, bool strict)
{
    hd_result *r = c->st->r;
    hd_test *t = &r->tests[r->test_count++];
    int cmp = hd__verify_cmp(figure, den, num);

    t->code = code;
    t->program = c->program;
    t->figure = figure;
    t->limit_num = num;
    t->limit_den = den;
    t->has_limit = true;
    t->strict = strict;
    t->failed = strict ? cmp > 0 : cmp >= 0;
    if (t->failed)
        c->failed |= BIT(code);
}

static void asset_tests(program_ctx *c, int64_t months_x10000)
{
    const vf_state *st = c->st;
    const hd_param_values *p = st->p;
    const hd_figures *fig = &st->r->figures;

    limit(c, HD_FAIL_FINANCIAL_ASSETS, fig->pca_fen,
          product(months_x10000, p->dibao_standard_fen), HD_FACTOR_SCALE, true);
    yes_no(c, HD_FAIL_VEHICLE, fig->vehicles, fig->vehicles > 0);
    limit(c, HD_FAIL_HOMES, fig->homes, p->max_homes, 1, true);
    if (p->has_max_area_per_capita)
        limit(c, HD_FAIL_HOME_AREA, fig->area_pc_m2x100,
              p->max_area_per_capita_m2x100, 1, true);
    yes_no(c, HD_FAIL_NONRESIDENTIAL, st->nonresidential,
           st->nonresidential > 0);
    yes_no(c, HD_FAIL_ENTERPRISE, st->enterprises, st->enterprises > 0);
}

static uint64_t run_program(vf_state *st, hd_program program)
{
    const hd_param_values *p = st->p;
    const hd_figures *fig = &st->r->figures;
    int64_t low_limit =
        product(p->low_income_factor_x10000, p->dibao_standard_fen);
    program_ctx c = {st, program, 0};

    switch (program) {
    case HD_PROGRAM_DIBAO:
        limit(&c, HD_FAIL_INCOME, fig->pci_fen, p->dibao_standard_fen, 1,
              false);
        asset_tests(&c, p->financial_limit_months_dibao_x10000);
        break;
    case HD_PROGRAM_LOW_INCOME:
        limit(&c, HD_FAIL_INCOME, fig->pci_fen, low_limit, HD_FACTOR_SCALE,
              false);
        asset_tests(&c, p->financial_limit_months_low_income_x10000);
        break;
    case HD_PROGRAM_EXPENDITURE_HARDSHIP:
        limit(&c, HD_FAIL_INCOME_AFTER_EXPENDITURE, fig->pci_after_fen,
              low_limit, HD_FACTOR_SCALE, false);
        yes_no(&c, HD_FAIL_NO_RIGID_EXPENDITURE, fig->expenditure_fen,
               fig->expenditure_fen <= 0);
        asset_tests(&c, p->financial_limit_months_low_income_x10000);
        break;
    case HD_PROGRAM_TEKUN:
        yes_no(&c, HD_FAIL_NOT_SINGLE, st->n, st->n != 1);
        if (st->n == 1) {
            int i = 0;
            while (!st->m[i].in_f)
                i++;
            yes_no(&c, HD_FAIL_WORK_CAPACITY, st->r->members[i].age,
                   !st->r->members[i].no_work_capacity);
        }
        limit(&c, HD_FAIL_INCOME, fig->pci_fen, p->tekun_standard_x10000,
              HD_FACTOR_SCALE, false);
        asset_tests(&c, p->financial_limit_months_dibao_x10000);
        break;
    default:
        break;
    }
    return c.failed;
}

/* The rows behind tekun's work-capacity test: a disability certificate
 * (age comes from the pid itself). */
static void work_capacity_sources(vf_state *st)
{
    for (int i = 0; i < st->app->member_count; i++)
        if (st->m[i].in_f && st->m[i].disability)
            hd__verify_source(st, HD_FIGURE_FAMILY, st->m[i].disability, 0,
                              "disability level 1 or 2 valid on applied_on");
}

int hd__verify_programs(vf_state *st, hd_error *err)
{
    hd_result *r = st->r;
    uint64_t failed[HD_PROGRAM_COUNT_] = {0};
    int program = st->app->program;

    r->tests = hd_arena_alloc(&r->arena, TESTS_MAX * sizeof(*r->tests));
    if (!r->tests)
        return hd_error_set(err, HD_ENOMEM, "out of memory");
    r->test_count = 0;
    for (int k = 0; k < HD_PROGRAM_MEDICAL_AID; k++)
        failed[k] = run_program(st, (hd_program)k);

    if (program == HD_PROGRAM_MEDICAL_AID) {
        bool any = false;
        uint64_t all = 0;
        for (int k = 0; k < HD_PROGRAM_MEDICAL_AID; k++) {
            any = any || failed[k] == 0;
            all |= failed[k];
        }
        r->failed = any ? 0 : all;
    } else {
        r->failed = failed[program];
    }
    if (program == HD_PROGRAM_TEKUN) {
        r->findings |= BIT(HD_FIND_SUPPORTER_CHECK);
        if (st->n == 1)
            work_capacity_sources(st);
    }

    r->has_level = true;
    if (!failed[HD_PROGRAM_DIBAO])
        r->level = HD_LEVEL_DIBAO;
    else if (!failed[HD_PROGRAM_LOW_INCOME])
        r->level = HD_LEVEL_LOW_INCOME;
    else if (!failed[HD_PROGRAM_EXPENDITURE_HARDSHIP])
        r->level = HD_LEVEL_EXPENDITURE_HARDSHIP;
    else
        r->level = HD_LEVEL_NONE;

    if (r->findings & forcing_review)
        r->conclusion = HD_CONCLUSION_REVIEW;
    else if (r->failed)
        r->conclusion = HD_CONCLUSION_FAILS;
    else
        r->conclusion = HD_CONCLUSION_MEETS;
    return 0;
}
