/*
 * Sections 3 and 5 of rules.md: income over the window W and rigid
 * expenditure, per member of F and month, then the family figures.
 */
#include "verify_int.h"

#include <string.h>

static void add_tax(vf_state *st, const hd_dossier_record *rec,
                    hd_month_income *line, vf_cell *cell)
{
    const hd_value *v = rec->row.values;
    int64_t category = v[VF_TAX_CATEGORY].num;
    int64_t income = v[VF_TAX_INCOME].num;
    int64_t tax = v[VF_TAX_TAX].num;
    const char *note;

    if (category == VF_TAX_CATEGORY_WAGE) {
        /* A wage row of 0.00 is still a wage row: no estimation. */
        cell->has_wage = true;
        line->wage_fen += income;
        note = "wage";
    } else if (st->p->excluded_categories & (1u << category)) {
        income = 0;
        note = "excluded category: tax deducted only";
    } else {
        line->other_fen += income;
        note = "other income";
    }
    /* The tax of every category is deducted, excluded ones included. */
    line->deductions_fen += tax;
    hd__verify_source(st, HD_FIGURE_INCOME, rec, income - tax, note);
}

static void add_social_insurance(vf_state *st, const hd_dossier_record *rec,
                                 hd_month_income *line, vf_cell *cell)
{
    const hd_value *v = rec->row.values;
    int64_t amount = v[VF_SI_AMOUNT].num;

    switch (v[VF_SI_KIND].num) {
    case VF_SI_KIND_CONTRIB:
        line->deductions_fen += amount;
        hd__verify_source(st, HD_FIGURE_INCOME, rec, -amount,
                          "contribution deducted");
        if (!v[VF_SI_BASE].is_null &&
            (!cell->si_base_rec || v[VF_SI_BASE].num > cell->si_base_fen)) {
            cell->si_base_rec = rec;
            cell->si_base_fen = v[VF_SI_BASE].num;
        }
        break;
    case VF_SI_KIND_PENSION:
    case VF_SI_KIND_UNEMPLOYMENT:
    case VF_SI_KIND_INJURY:
        line->benefits_fen += amount;
        hd__verify_source(st, HD_FIGURE_INCOME, rec, amount, "benefit");
        break;
    default:
        break;
    }
}

static void add_provident_fund(const hd_dossier_record *rec, vf_cell *cell)
{
    const hd_value *base = &rec->row.values[VF_PF_BASE];

    if (!cell->pf_base_rec || base->num > cell->pf_base_fen) {
        cell->pf_base_rec = rec;
        cell->pf_base_fen = base->num;
    }
}

/* The period column of the feeds summed over W, or -1. */
static int period_column(int feed_id)
{
    switch (feed_id) {
    case VF_FEED_TAX_INCOME:
        return VF_TAX_PERIOD;
    case VF_FEED_SOCIAL_INSURANCE:
        return VF_SI_PERIOD;
    case VF_FEED_MEDICAL:
        return VF_MEDICAL_PERIOD;
    case VF_FEED_PROVIDENT_FUND:
        return VF_PF_PERIOD;
    default:
        return -1;
    }
}

/* "If there is no wage row for (p,m), the wage is estimated as the larger
 * of the contrib base and the provident_fund base of that month (0 when
 * neither exists)"; on a tie the social insurance row is named. */
static void estimate_wage(vf_state *st, hd_month_income *line,
                          const vf_cell *cell)
{
    const hd_dossier_record *base = cell->si_base_rec;
    int64_t wage = cell->si_base_fen;
    const char *note = "estimated wage: social insurance contribution base";

    if (cell->has_wage)
        return;
    if (cell->pf_base_rec && (!base || cell->pf_base_fen > wage)) {
        base = cell->pf_base_rec;
        wage = cell->pf_base_fen;
        note = "estimated wage: provident fund base";
    }
    if (!base)
        return;
    line->wage_fen = wage;
    line->wage_estimated = true;
    hd__verify_source(st, HD_FIGURE_INCOME, base, wage, note);
}

int hd__verify_income(vf_state *st, hd_error *err)
{
    const hd_dossier *d = st->d;
    hd_result *r = st->r;
    int months = st->months;
    int fpos[HD_MAX_MEMBERS];
    size_t count = (size_t)st->n * (size_t)months;
    int64_t total = 0, expenditure = 0, disregard = 0, after;
    hd_month_income *lines;
    vf_cell *cells;
    int f = 0;

    lines = hd_arena_alloc(&r->arena, count * sizeof(*lines));
    cells = hd_arena_alloc(&r->arena, count * sizeof(*cells));
    if (!lines || !cells)
        return hd_error_set(err, HD_ENOMEM, "out of memory");
    memset(lines, 0, count * sizeof(*lines));
    memset(cells, 0, count * sizeof(*cells));
    for (int i = 0; i < st->app->member_count; i++) {
        fpos[i] = st->m[i].in_f ? f++ : -1;
        if (fpos[i] < 0)
            continue;
        for (int k = 0; k < months; k++) {
            hd_month_income *line = &lines[(size_t)fpos[i] * months + k];
            line->member = i;
            line->period = st->window_first + k;
        }
    }

    for (size_t i = 0; i < d->record_count; i++) {
        const hd_dossier_record *rec = &d->records[i];
        int col, k;
        size_t at;

        if (rec->member < 0 || rec->member >= st->app->member_count ||
            fpos[rec->member] < 0)
            continue;
        col = period_column(rec->feed->id);
        if (col < 0)
            continue;
        /* Periods outside W (the month of applied_on included) do not
         * count. */
        k = (int)(rec->row.values[col].num - st->window_first);
        if (k < 0 || k >= months)
            continue;
        at = (size_t)fpos[rec->member] * months + k;
        switch (rec->feed->id) {
        case VF_FEED_TAX_INCOME:
            add_tax(st, rec, &lines[at], &cells[at]);
            break;
        case VF_FEED_SOCIAL_INSURANCE:
            add_social_insurance(st, rec, &lines[at], &cells[at]);
            break;
        case VF_FEED_PROVIDENT_FUND:
            add_provident_fund(rec, &cells[at]);
            break;
        case VF_FEED_MEDICAL: {
            int64_t self_paid = rec->row.values[VF_MEDICAL_SELF_PAID].num;
            lines[at].expenditure_fen += self_paid;
            hd__verify_source(st, HD_FIGURE_EXPENDITURE, rec, self_paid,
                              "medical self-paid");
            break;
        }
        default:
            break;
        }
    }

    disregard = st->p->earned_income_disregard_fen;
    for (size_t i = 0; i < count; i++) {
        hd_month_income *line = &lines[i];
        estimate_wage(st, line, &cells[i]);
        line->disregard_fen =
            line->wage_fen < disregard ? line->wage_fen : disregard;
        total += line->wage_fen + line->other_fen + line->benefits_fen -
                 line->deductions_fen - line->disregard_fen;
        expenditure += line->expenditure_fen;
    }

    r->months = lines;
    r->month_count = count;
    r->figures.members = st->n;
    r->figures.income_fen = total > 0 ? total : 0;
    r->figures.expenditure_fen = expenditure;
    /* "I / income_months / n", truncated at the last step only. */
    r->figures.pci_fen =
        hd_div_trunc(r->figures.income_fen, (int64_t)months * st->n);
    after = r->figures.income_fen - expenditure;
    r->figures.pci_after_fen =
        hd_div_trunc(after > 0 ? after : 0, (int64_t)months * st->n);
    return 0;
}
