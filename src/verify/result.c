/* The lifecycle of a result: one hd_result is reused across a roll. */
#include <hedui/verify.h>

#include <string.h>

void hd_result_init(hd_result *r)
{
    memset(r, 0, sizeof(*r));
    /* Large enough that a family of ordinary size fits in the one block
     * the arena keeps on reset: no allocation per verification. */
    hd_arena_init(&r->arena, 64 * 1024);
}

void hd_result_reset(hd_result *r)
{
    hd_arena arena = r->arena;

    hd_arena_reset(&arena);
    /* Only the head of the struct is cleared field by field; params and
     * members are rewritten by hd_verify before they are read. */
    r->application_no[0] = '\0';
    r->program[0] = '\0';
    r->conclusion = HD_CONCLUSION_REFUSED;
    r->has_level = false;
    r->level = HD_LEVEL_NONE;
    r->has_figures = false;
    memset(&r->figures, 0, sizeof(r->figures));
    r->failed = 0;
    r->findings = 0;
    r->error_field[0] = '\0';
    r->error_reason[0] = '\0';
    r->missing_count = 0;
    r->corrections = NULL;
    r->correction_count = 0;
    r->has_params = false;
    r->window_first = 0;
    r->member_count = 0;
    r->tests = NULL;
    r->test_count = 0;
    r->months = NULL;
    r->month_count = 0;
    r->sources = NULL;
    r->source_count = 0;
    r->diff_count = 0;
    r->arena = arena;
}

void hd_result_release(hd_result *r)
{
    hd_arena_release(&r->arena);
    r->tests = NULL;
    r->months = NULL;
    r->sources = NULL;
    r->test_count = 0;
    r->month_count = 0;
    r->source_count = 0;
}
