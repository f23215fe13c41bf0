/*
 * The generator's own reading of spec rules.md (hedui-rules/1): from the
 * records it planted for one family, the Result record a correct
 * verification must give. It is written apart from the project's
 * verification code on purpose, and never calls it: the two check each
 * other. Section numbers below are those of rules.md.
 *
 * All money is integer fen and every division truncates toward zero at
 * the last step (hd_div_trunc). Products such as "1.5 x dibao_standard"
 * are compared as exact rationals: factors are kept times 10,000, so
 * `pci < 1.5 x S` is `pci * 10000 < 15000 * S`. No floating point.
 */
#include "gen/gen_int.h"

#include <stdio.h>
#include <string.h>

/* Feeds the verification reads (section 7): all of feeds.md but
 * unemployment, by feed id (feed_table.c). Checked against the table by
 * the generator when it starts. */
#define READ_FEEDS_MASK                                                        \
    ((1u << 1) | (1u << 2) | (1u << 3) | (1u << 4) | (1u << 5) | (1u << 7) |   \
     (1u << 8) | (1u << 9) | (1u << 10) | (1u << 11) | (1u << 12) |            \
     (1u << 13) | (1u << 14) | (1u << 15))

/* The longest window the arithmetic below supports. */
#define MAX_MONTHS 60

static const char *const program_names[HD_GEN_PROG_COUNT_] = {
    "dibao", "low_income", "expenditure_hardship", "tekun", "medical_aid"};

const char *hd_gen_program_name(int program)
{
    if (program < 0 || program >= HD_GEN_PROG_COUNT_)
        return "?";
    return program_names[program];
}

int hd_gen_program_find(const char *name)
{
    for (int i = 0; i < HD_GEN_PROG_COUNT_; i++)
        if (!strcmp(program_names[i], name))
            return i;
    return -1;
}

const char *hd_gen_conclusion_name(hd_gen_conclusion c)
{
    static const char *const names[] = {"refused", "unauthorized", "review",
                                        "fails", "meets"};
    return names[c];
}

const char *hd_gen_failure_name(int bit_index)
{
    static const char *const names[HD_GEN_FAILURE_COUNT_] = {
        "ENTERPRISE",     "FINANCIAL_ASSETS", "HOMES",
        "HOME_AREA",      "INCOME",           "INCOME_AFTER_EXPENDITURE",
        "NONRESIDENTIAL", "NOT_SINGLE",       "NO_RIGID_EXPENDITURE",
        "VEHICLE",        "WORK_CAPACITY"};
    return names[bit_index];
}

const char *hd_gen_finding_name(int bit_index)
{
    static const char *const names[HD_GEN_FINDING_COUNT_] = {
        "APPLICATION_INVALID", "FEED_NOT_DELIVERED", "MEMBER_DECEASED",
        "MEMBER_NOT_IN_HUKOU", "NO_AUTHORIZATION",   "RELATION_MISMATCH",
        "SUPPORTER_CHECK",     "UNDECLARED_SPOUSE"};
    return names[bit_index];
}

const char *hd_gen_level_name(hd_gen_level level)
{
    static const char *const names[] = {"dibao", "low_income",
                                        "expenditure_hardship", "none"};
    return names[level];
}

/* ------------------------------------------------- section 1: policy */

void hd_gen_params_national(hd_gen_params *out)
{
    /* rules.md, "Parameters": the national defaults. */
    memset(out, 0, sizeof(*out));
    out->low_income_factor_x10000 = 15000;
    out->income_months = 12;
    out->financial_limit_months_dibao = 24;
    out->financial_limit_months_low_income = 36;
    out->vehicle_exempt_value_fen = 0;
    out->max_homes = 1;
    out->has_max_area_per_capita = false;
    out->enterprise_capital_limit_fen = 0;
    out->earned_income_disregard_fen = 0;
    out->excluded_categories = 0;
    out->old_age = 60;
}

static void copy_param(hd_gen_params *to, const hd_gen_params *from,
                       uint32_t bit)
{
    switch (bit) {
    case HD_GEN_P_DIBAO_STANDARD:
        to->has_dibao_standard = true;
        to->dibao_standard_fen = from->dibao_standard_fen;
        break;
    case HD_GEN_P_TEKUN_STANDARD:
        to->has_tekun_standard = true;
        to->tekun_standard_fen = from->tekun_standard_fen;
        break;
    case HD_GEN_P_LOW_INCOME_FACTOR:
        to->low_income_factor_x10000 = from->low_income_factor_x10000;
        break;
    case HD_GEN_P_INCOME_MONTHS:
        to->income_months = from->income_months;
        break;
    case HD_GEN_P_FIN_MONTHS_DIBAO:
        to->financial_limit_months_dibao = from->financial_limit_months_dibao;
        break;
    case HD_GEN_P_FIN_MONTHS_LOW_INCOME:
        to->financial_limit_months_low_income =
            from->financial_limit_months_low_income;
        break;
    case HD_GEN_P_VEHICLE_EXEMPT_VALUE:
        to->vehicle_exempt_value_fen = from->vehicle_exempt_value_fen;
        break;
    case HD_GEN_P_MAX_HOMES:
        to->max_homes = from->max_homes;
        break;
    case HD_GEN_P_MAX_AREA_PER_CAPITA:
        /* An entry may set it to null: no limit from that level on. */
        to->has_max_area_per_capita = from->has_max_area_per_capita;
        to->max_area_per_capita_m2x100 = from->max_area_per_capita_m2x100;
        break;
    case HD_GEN_P_ENTERPRISE_CAPITAL_LIMIT:
        to->enterprise_capital_limit_fen = from->enterprise_capital_limit_fen;
        break;
    case HD_GEN_P_EARNED_INCOME_DISREGARD:
        to->earned_income_disregard_fen = from->earned_income_disregard_fen;
        break;
    case HD_GEN_P_EXCLUDED_CATEGORIES:
        to->excluded_categories = from->excluded_categories;
        break;
    case HD_GEN_P_OLD_AGE:
        to->old_age = from->old_age;
        break;
    default:
        break;
    }
}

int hd_gen_policy_resolve(hd_gen_params *out, const hd_gen_policy *policy,
                          const char *county, int32_t on)
{
    /* Section 1: "for each parameter, the county's latest entry with
     * effective_from <= applied_on that sets it wins; failing that the
     * city's, then the province's, then the national default ... Entries
     * dated after applied_on are ignored." The city and province of a
     * county are its code with the last two, then four, digits zeroed
     * (GB/T 2260). */
    char levels[3][7];

    *out = policy->national;
    out->has_dibao_standard = false;
    out->has_tekun_standard = false;
    memcpy(levels[0], county, 6);
    levels[0][6] = '\0';
    memcpy(levels[1], county, 4);
    memcpy(levels[1] + 4, "00", 3);
    memcpy(levels[2], county, 2);
    memcpy(levels[2] + 2, "0000", 5);

    /* The entries that apply at all: of one of the three levels, dated on
     * or before `on`. */
    const hd_gen_policy_entry *apply[3][64];
    size_t apply_count[3] = {0, 0, 0};
    for (size_t i = 0; i < policy->entry_count; i++) {
        const hd_gen_policy_entry *e = &policy->entries[i];
        if (e->effective_from > on)
            continue;
        for (int level = 0; level < 3; level++)
            if (!strcmp(e->region, levels[level]) && apply_count[level] < 64)
                apply[level][apply_count[level]++] = e;
    }

    for (uint32_t bit = 1; bit <= HD_GEN_P_OLD_AGE; bit <<= 1) {
        for (int level = 0; level < 3; level++) {
            const hd_gen_policy_entry *best = NULL;
            for (size_t i = 0; i < apply_count[level]; i++) {
                const hd_gen_policy_entry *e = apply[level][i];
                if (!(e->set & bit))
                    continue;
                if (!best || e->effective_from >= best->effective_from)
                    best = e;
            }
            if (best) {
                copy_param(out, &best->params, bit);
                break;
            }
        }
    }
    return out->has_dibao_standard ? 0 : HD_ENOTFOUND;
}

/* ------------------------------------------------------------ helpers */

static bool pid_eq(const char *a, const char *b)
{
    return memcmp(a, b, HD_PID_LEN) == 0;
}

/* Index of `pid` among the normalised declared pids, or -1. */
static int member_of(char pids[][HD_PID_LEN + 1], int count, const char *pid)
{
    for (int i = 0; i < count; i++)
        if (pid_eq(pids[i], pid))
            return i;
    return -1;
}

static const hd_gen_hukou *hukou_of(const hd_gen_dossier *d, const char *pid)
{
    for (size_t i = 0; i < d->hukou_count; i++)
        if (pid_eq(d->hukou[i].pid, pid))
            return &d->hukou[i];
    return NULL;
}

/* Section 2: deceased = hukou status 2 or any death row. */
static bool is_deceased(const hd_gen_dossier *d, const char *pid)
{
    const hd_gen_hukou *h = hukou_of(d, pid);

    if (h && h->status == 2)
        return true;
    for (size_t i = 0; i < d->death_count; i++)
        if (pid_eq(d->death[i].pid, pid))
            return true;
    return false;
}

/* ---------------------------------------------------------- the truth */

typedef struct family_ctx {
    const hd_gen_dossier *d;
    int count; /* declared members */
    char pids[HD_GEN_MAX_MEMBERS][HD_PID_LEN + 1];
    bool in_f[HD_GEN_MAX_MEMBERS];
} family_ctx;

/* Index of `pid` if it is a member of F, else -1. */
static int f_member(const family_ctx *f, const char *pid)
{
    for (int i = 0; i < f->count; i++)
        if (f->in_f[i] && pid_eq(f->pids[i], pid))
            return i;
    return -1;
}

static bool authorized(const hd_gen_authorization *auths, size_t auth_count,
                       const char *pid, int program, int32_t on)
{
    /* Section 7: valid on applied_on (both ends inclusive), the program
     * among its purposes, scope "*" or every feed the verification reads. */
    for (size_t i = 0; i < auth_count; i++) {
        const hd_gen_authorization *a = &auths[i];
        if (!pid_eq(a->pid, pid))
            continue;
        if (!(a->purposes & (1u << program)))
            continue;
        if (!a->scope_all &&
            (a->scope_feeds & READ_FEEDS_MASK) != READ_FEEDS_MASK)
            continue;
        if (a->valid_from <= on && on <= a->valid_until)
            return true;
    }
    return false;
}

static void refuse(hd_gen_result *out, const char *field, const char *reason)
{
    out->conclusion = HD_GEN_REFUSED;
    out->findings = HD_GEN_N_APPLICATION_INVALID;
    snprintf(out->error_field, sizeof(out->error_field), "%s", field);
    snprintf(out->error_reason, sizeof(out->error_reason), "%s", reason);
}

/* Section 3: family income I over the window, floored at 0. */
static int64_t family_income(const family_ctx *f, const hd_gen_params *p,
                             int32_t first, int months)
{
    const hd_gen_dossier *d = f->d;
    int64_t wage[HD_GEN_MAX_MEMBERS][MAX_MONTHS];
    bool has_wage[HD_GEN_MAX_MEMBERS][MAX_MONTHS];
    int64_t contrib_base[HD_GEN_MAX_MEMBERS][MAX_MONTHS];
    int64_t fund_base[HD_GEN_MAX_MEMBERS][MAX_MONTHS];
    int64_t income = 0;

    memset(wage, 0, sizeof(wage));
    memset(has_wage, 0, sizeof(has_wage));
    memset(contrib_base, 0, sizeof(contrib_base));
    memset(fund_base, 0, sizeof(fund_base));

    for (size_t i = 0; i < d->tax_count; i++) {
        const hd_gen_tax *t = &d->tax[i];
        int m = f_member(f, t->pid);
        int32_t k = t->period - first;
        if (m < 0 || k < 0 || k >= months)
            continue;
        if (t->category == HD_GEN_TAX_WAGE) {
            /* wage(p,m) = sum of wage rows */
            wage[m][k] += t->income_fen;
            has_wage[m][k] = true;
        } else if (!(p->excluded_categories & (1u << t->category))) {
            income += t->income_fen; /* other(p,m) */
        }
        /* deductions: the tax of every category, excluded ones too */
        income -= t->tax_fen;
    }
    for (size_t i = 0; i < d->si_count; i++) {
        const hd_gen_si *s = &d->si[i];
        int m = f_member(f, s->pid);
        int32_t k = s->period - first;
        if (m < 0 || k < 0 || k >= months)
            continue;
        if (s->kind == HD_GEN_SI_CONTRIB) {
            income -= s->amount_fen; /* deductions: contrib */
            if (s->base_fen != HD_GEN_NULL && s->base_fen > contrib_base[m][k])
                contrib_base[m][k] = s->base_fen;
        } else {
            income += s->amount_fen; /* benefits(p,m) */
        }
    }
    for (size_t i = 0; i < d->fund_count; i++) {
        const hd_gen_fund *b = &d->fund[i];
        int m = f_member(f, b->pid);
        int32_t k = b->period - first;
        if (m < 0 || k < 0 || k >= months)
            continue;
        if (b->base_fen > fund_base[m][k])
            fund_base[m][k] = b->base_fen;
    }
    for (int m = 0; m < f->count; m++) {
        if (!f->in_f[m])
            continue;
        for (int k = 0; k < months; k++) {
            int64_t w = wage[m][k];
            /* No wage row: the larger of the contribution base and the
             * provident fund base of the month, 0 when neither exists. */
            if (!has_wage[m][k])
                w = contrib_base[m][k] > fund_base[m][k] ? contrib_base[m][k]
                                                         : fund_base[m][k];
            /* disregard(p,m) = min(wage after estimation, disregard) */
            int64_t disregard = w < p->earned_income_disregard_fen
                                    ? w
                                    : p->earned_income_disregard_fen;
            income += w - disregard;
        }
    }
    return income < 0 ? 0 : income;
}

/* Section 4: assets of F. */
typedef struct assets {
    int64_t financial_fen;
    int vehicles;
    int homes;
    int64_t area_x100_pct; /* sum of area x share, hundredths of m² x % */
    bool nonresidential;
    bool enterprise;
} assets;

static void family_assets(assets *a, const family_ctx *f,
                          const hd_gen_params *p)
{
    const hd_gen_dossier *d = f->d;

    memset(a, 0, sizeof(*a));
    for (size_t i = 0; i < d->deposit_count; i++)
        if (f_member(f, d->deposit[i].pid) >= 0)
            a->financial_fen += d->deposit[i].balance_fen;
    for (size_t i = 0; i < d->securities_count; i++)
        if (f_member(f, d->securities[i].pid) >= 0)
            a->financial_fen += d->securities[i].market_value_fen;
    for (size_t i = 0; i < d->insurance_count; i++)
        if (f_member(f, d->insurance[i].pid) >= 0)
            a->financial_fen += d->insurance[i].cash_value_fen;

    /* Vehicles: status 1, car or truck, value above the exempt value;
     * every counted row counts once. */
    for (size_t i = 0; i < d->vehicle_count; i++) {
        const hd_gen_vehicle *v = &d->vehicle[i];
        if (f_member(f, v->pid) >= 0 && v->status == 1 &&
            (v->type == HD_GEN_VEH_CAR || v->type == HD_GEN_VEH_TRUCK) &&
            v->value_fen > p->vehicle_exempt_value_fen)
            a->vehicles++;
    }

    /* Homes: distinct cert_no of valid residential rows of F; the owned
     * area sums area x share over those rows. */
    for (size_t i = 0; i < d->estate_count; i++) {
        const hd_gen_estate *e = &d->estate[i];
        if (f_member(f, e->pid) < 0 || e->status != 1)
            continue;
        if (e->use == HD_GEN_USE_RESIDENTIAL) {
            bool seen = false;
            for (size_t j = 0; j < i; j++) {
                const hd_gen_estate *o = &d->estate[j];
                if (o->status == 1 && o->use == HD_GEN_USE_RESIDENTIAL &&
                    f_member(f, o->pid) >= 0 && !strcmp(o->cert_no, e->cert_no))
                    seen = true;
            }
            if (!seen)
                a->homes++;
            a->area_x100_pct += e->area_m2x100 * e->share;
        } else if (e->use == HD_GEN_USE_COMMERCIAL ||
                   e->use == HD_GEN_USE_OFFICE ||
                   e->use == HD_GEN_USE_INDUSTRIAL) {
            a->nonresidential = true;
        }
    }

    /* Enterprise: an active legal_rep or shareholder row above the
     * capital limit; individual operators are not counted. */
    for (size_t i = 0; i < d->enterprise_count; i++) {
        const hd_gen_enterprise *e = &d->enterprise[i];
        if (f_member(f, e->pid) >= 0 && e->status == 1 &&
            (e->role == HD_GEN_ROLE_LEGAL_REP ||
             e->role == HD_GEN_ROLE_SHAREHOLDER) &&
            e->capital_fen > p->enterprise_capital_limit_fen)
            a->enterprise = true;
    }
}

/* Section 6: the asset tests at one level. */
static uint32_t asset_failures(const hd_gen_figures *fig, const assets *a,
                               const hd_gen_params *p, int fin_months)
{
    uint32_t failed = 0;

    if (fig->pca_fen > (int64_t)fin_months * p->dibao_standard_fen)
        failed |= HD_GEN_F_FINANCIAL_ASSETS;
    if (a->vehicles > 0)
        failed |= HD_GEN_F_VEHICLE;
    if (a->homes > p->max_homes)
        failed |= HD_GEN_F_HOMES;
    if (p->has_max_area_per_capita &&
        fig->area_pc_m2x100 > p->max_area_per_capita_m2x100)
        failed |= HD_GEN_F_HOME_AREA;
    if (a->nonresidential)
        failed |= HD_GEN_F_NONRESIDENTIAL;
    if (a->enterprise)
        failed |= HD_GEN_F_ENTERPRISE;
    return failed;
}

/* pci < factor x standard, exactly. */
static bool below_factor(int64_t pci, int64_t factor_x10000, int64_t standard)
{
    return pci * 10000 < factor_x10000 * standard;
}

/* Tekun: "no work capacity" (section 6). */
static bool without_work_capacity(const family_ctx *f, const hd_gen_params *p,
                                  int32_t on)
{
    const char *pid = NULL;
    int age;

    for (int i = 0; i < f->count; i++)
        if (f->in_f[i])
            pid = f->pids[i];
    age = hd_age_at(hd_pid_birth(pid), on);
    if (age >= p->old_age || age < 16)
        return true;
    for (size_t i = 0; i < f->d->disability_count; i++) {
        const hd_gen_disability *x = &f->d->disability[i];
        if (pid_eq(x->pid, pid) && (x->level == 1 || x->level == 2) &&
            x->valid_until >= on)
            return true;
    }
    return false;
}

/* The failures of one program (section 6); 0 means it meets. */
static uint32_t program_failures(int program, const hd_gen_figures *fig,
                                 const assets *a, const family_ctx *f,
                                 const hd_gen_params *p, int32_t on)
{
    int64_t s = p->dibao_standard_fen;
    uint32_t failed = 0;

    switch (program) {
    case HD_GEN_PROG_DIBAO:
        if (!(fig->pci_fen < s))
            failed |= HD_GEN_F_INCOME;
        failed |= asset_failures(fig, a, p, p->financial_limit_months_dibao);
        break;
    case HD_GEN_PROG_LOW_INCOME:
        if (!below_factor(fig->pci_fen, p->low_income_factor_x10000, s))
            failed |= HD_GEN_F_INCOME;
        failed |=
            asset_failures(fig, a, p, p->financial_limit_months_low_income);
        break;
    case HD_GEN_PROG_EXPENDITURE_HARDSHIP:
        if (!below_factor(fig->pci_after_fen, p->low_income_factor_x10000, s))
            failed |= HD_GEN_F_INCOME_AFTER_EXPENDITURE;
        if (fig->expenditure_fen <= 0)
            failed |= HD_GEN_F_NO_RIGID_EXPENDITURE;
        failed |=
            asset_failures(fig, a, p, p->financial_limit_months_low_income);
        break;
    case HD_GEN_PROG_TEKUN: {
        /* Default tekun_standard: 1.3 x dibao_standard, exactly. */
        bool income_ok = p->has_tekun_standard
                             ? fig->pci_fen < p->tekun_standard_fen
                             : below_factor(fig->pci_fen, 13000, s);
        if (fig->members != 1)
            failed |= HD_GEN_F_NOT_SINGLE;
        else if (!without_work_capacity(f, p, on))
            failed |= HD_GEN_F_WORK_CAPACITY;
        if (!income_ok)
            failed |= HD_GEN_F_INCOME;
        failed |= asset_failures(fig, a, p, p->financial_limit_months_dibao);
        break;
    }
    case HD_GEN_PROG_MEDICAL_AID: {
        /* Meets when any of the four meets; else the sorted union. */
        uint32_t all = 0;
        for (int q = HD_GEN_PROG_DIBAO; q <= HD_GEN_PROG_TEKUN; q++) {
            uint32_t fq = program_failures(q, fig, a, f, p, on);
            if (!fq)
                return 0;
            all |= fq;
        }
        failed = all;
        break;
    }
    default:
        break;
    }
    return failed;
}

void hd_gen_truth(hd_gen_result *out, const hd_gen_application *app,
                  const hd_gen_authorization *auths, size_t auth_count,
                  const hd_gen_dossier *dossier, const hd_gen_policy *policy)
{
    family_ctx f;
    hd_gen_params p;
    int program;
    int n = 0;
    int32_t on = app->applied_on;

    memset(out, 0, sizeof(*out));
    memset(&f, 0, sizeof(f));
    f.d = dossier;
    out->level = HD_GEN_LEVEL_NONE;

    /* Section 7, refused: unknown program, a region where no
     * dibao_standard resolves, no members, a member pid failing GB 11643
     * (a lowercase x is accepted). */
    program = hd_gen_program_find(app->program);
    if (program < 0) {
        refuse(out, "program", "unknown program");
        return;
    }
    if (!hd_region_code_valid(app->region, strlen(app->region))) {
        refuse(out, "region", "not a division code");
        return;
    }
    if (hd_gen_policy_resolve(&p, policy, app->region, on) != 0) {
        refuse(out, "region", "no dibao_standard resolves");
        return;
    }
    out->params = p;
    if (app->member_count <= 0) {
        refuse(out, "members", "no members");
        return;
    }
    if (app->member_count > HD_GEN_MAX_MEMBERS) {
        refuse(out, "members", "too many members");
        return;
    }
    f.count = app->member_count;
    for (int i = 0; i < f.count; i++) {
        const char *pid = app->members[i].pid;
        hd_pid_rule rule = hd_pid_normalize(f.pids[i], pid, strlen(pid), NULL);
        if (rule != HD_PID_OK) {
            char field[32];
            snprintf(field, sizeof(field), "members[%d].pid", i);
            refuse(out, field, hd_pid_rule_name(rule));
            return;
        }
    }

    /* Section 7, unauthorized: every declared member, deceased ones
     * included, needs a valid authorization. Nothing is read otherwise. */
    for (int i = 0; i < f.count; i++)
        if (!authorized(auths, auth_count, f.pids[i], program, on))
            out->unauthorized_members |= 1u << i;
    if (out->unauthorized_members) {
        out->conclusion = HD_GEN_UNAUTHORIZED;
        out->findings = HD_GEN_N_NO_AUTHORIZATION;
        return;
    }

    /* Section 2: findings over all declared members; F = the living. */
    {
        const hd_gen_hukou *applicant = hukou_of(dossier, f.pids[0]);
        for (int i = 0; i < f.count; i++) {
            const hd_gen_hukou *h = hukou_of(dossier, f.pids[i]);
            const hd_gen_marriage *latest = NULL;

            if (!h)
                out->findings |= HD_GEN_N_MEMBER_NOT_IN_HUKOU;
            if (is_deceased(dossier, f.pids[i]))
                out->findings |= HD_GEN_N_MEMBER_DECEASED;
            else {
                f.in_f[i] = true;
                n++;
            }

            for (size_t k = 0; k < dossier->marriage_count; k++) {
                const hd_gen_marriage *mr = &dossier->marriage[k];
                if (pid_eq(mr->pid, f.pids[i]) &&
                    (!latest || mr->date > latest->date))
                    latest = mr;
            }
            if (latest && latest->event == 1 &&
                member_of(f.pids, f.count, latest->spouse_pid) < 0 &&
                !is_deceased(dossier, latest->spouse_pid))
                out->findings |= HD_GEN_N_UNDECLARED_SPOUSE;

            if (h && applicant && !strcmp(h->hukou_no, applicant->hukou_no) &&
                app->members[i].relation != h->relation)
                out->findings |= HD_GEN_N_RELATION_MISMATCH;
        }
    }

    if (n == 0) {
        /* "A family with no living member is review with figures and
         * level absent and failed empty." */
        out->conclusion = HD_GEN_REVIEW;
        return;
    }

    /* Sections 1, 3, 4, 5: the figures. W = the income_months full months
     * before the month of applied_on. */
    {
        int months = p.income_months;
        int32_t first;
        hd_gen_figures *fig = &out->figures;
        assets a;
        int64_t after;

        if (months < 1 || months > MAX_MONTHS)
            months = months < 1 ? 1 : MAX_MONTHS;
        first = hd_period_of_date(on) - months;
        fig->members = n;
        fig->income_fen = family_income(&f, &p, first, months);
        for (size_t i = 0; i < dossier->medical_count; i++) {
            const hd_gen_medical *m = &dossier->medical[i];
            int32_t k = m->period - first;
            if (f_member(&f, m->pid) >= 0 && k >= 0 && k < months)
                fig->expenditure_fen += m->self_paid_fen;
        }
        fig->pci_fen = hd_div_trunc(fig->income_fen, (int64_t)months * n);
        after = fig->income_fen - fig->expenditure_fen;
        fig->pci_after_fen =
            hd_div_trunc(after > 0 ? after : 0, (int64_t)months * n);

        family_assets(&a, &f, &p);
        fig->financial_assets_fen = a.financial_fen;
        fig->pca_fen = hd_div_trunc(a.financial_fen, n);
        fig->homes = a.homes;
        fig->vehicles = a.vehicles;
        /* area x share / 100 / n, truncated once at the end */
        fig->area_pc_m2x100 = hd_div_trunc(a.area_x100_pct, 100 * (int64_t)n);
        out->has_figures = true;

        /* Section 6 and 7: the program's tests, then the level. */
        out->failed = program_failures(program, fig, &a, &f, &p, on);
        if (program_failures(HD_GEN_PROG_DIBAO, fig, &a, &f, &p, on) == 0)
            out->level = HD_GEN_LEVEL_DIBAO;
        else if (program_failures(HD_GEN_PROG_LOW_INCOME, fig, &a, &f, &p,
                                  on) == 0)
            out->level = HD_GEN_LEVEL_LOW_INCOME;
        else if (program_failures(HD_GEN_PROG_EXPENDITURE_HARDSHIP, fig, &a, &f,
                                  &p, on) == 0)
            out->level = HD_GEN_LEVEL_EXPENDITURE_HARDSHIP;
        else
            out->level = HD_GEN_LEVEL_NONE;
    }
    if (program == HD_GEN_PROG_TEKUN)
        out->findings |= HD_GEN_N_SUPPORTER_CHECK;

    /* Precedence: review, then fails, then meets. RELATION_MISMATCH and
     * SUPPORTER_CHECK do not force review. */
    if (out->findings &
        (HD_GEN_N_MEMBER_NOT_IN_HUKOU | HD_GEN_N_MEMBER_DECEASED |
         HD_GEN_N_UNDECLARED_SPOUSE | HD_GEN_N_FEED_NOT_DELIVERED))
        out->conclusion = HD_GEN_REVIEW;
    else if (out->failed)
        out->conclusion = HD_GEN_FAILS;
    else
        out->conclusion = HD_GEN_MEETS;
}

int64_t hd__gen_truth_income(const hd_gen_application *app,
                             const hd_gen_dossier *d,
                             const hd_gen_params *params)
{
    family_ctx f;
    int months = params->income_months;

    memset(&f, 0, sizeof(f));
    f.d = d;
    f.count = app->member_count;
    for (int i = 0; i < f.count; i++) {
        const char *pid = app->members[i].pid;
        if (hd_pid_normalize(f.pids[i], pid, strlen(pid), NULL) != HD_PID_OK)
            continue;
        f.in_f[i] = !is_deceased(d, f.pids[i]);
    }
    if (months < 1 || months > MAX_MONTHS)
        months = months < 1 ? 1 : MAX_MONTHS;
    return family_income(&f, params,
                         hd_period_of_date(app->applied_on) - months, months);
}

/* ------------------------------------------------------------- JSON */

static void json_codes(hd_buf *b, uint32_t mask, int count,
                       const char *(*name)(int))
{
    bool first = true;

    hd_buf_putc(b, '[');
    for (int i = 0; i < count; i++) {
        if (!(mask & (1u << i)))
            continue;
        if (!first)
            hd_buf_putc(b, ',');
        hd__gen_json_str(b, name(i));
        first = false;
    }
    hd_buf_putc(b, ']');
}

int hd_gen_result_json(hd_buf *out, const hd_gen_result *r,
                       const hd_gen_application *app, const char *scenario)
{
    hd_buf_puts(out, "{\"application_no\":");
    hd__gen_json_str(out, app->application_no);
    hd_buf_puts(out, ",\"program\":");
    hd__gen_json_str(out, app->program);
    hd_buf_puts(out, ",\"conclusion\":");
    hd__gen_json_str(out, hd_gen_conclusion_name(r->conclusion));

    if (r->conclusion == HD_GEN_REFUSED) {
        hd_buf_puts(out, ",\"findings\":");
        json_codes(out, r->findings, HD_GEN_FINDING_COUNT_,
                   hd_gen_finding_name);
        hd_buf_puts(out, ",\"error\":{\"field\":");
        hd__gen_json_str(out, r->error_field);
        hd_buf_puts(out, ",\"reason\":");
        hd__gen_json_str(out, r->error_reason);
        hd_buf_putc(out, '}');
    } else if (r->conclusion == HD_GEN_UNAUTHORIZED) {
        bool first = true;
        hd_buf_puts(out, ",\"findings\":");
        json_codes(out, r->findings, HD_GEN_FINDING_COUNT_,
                   hd_gen_finding_name);
        hd_buf_puts(out, ",\"pids\":[");
        for (int i = 0; i < app->member_count; i++) {
            char pid[HD_PID_LEN + 1];
            const char *s = app->members[i].pid;
            if (!(r->unauthorized_members & (1u << i)))
                continue;
            hd_pid_normalize(pid, s, strlen(s), NULL);
            if (!first)
                hd_buf_putc(out, ',');
            hd__gen_json_str(out, pid);
            first = false;
        }
        hd_buf_putc(out, ']');
    } else {
        if (r->has_figures) {
            const hd_gen_figures *g = &r->figures;
            hd_buf_puts(out, ",\"level\":");
            hd__gen_json_str(out, hd_gen_level_name(r->level));
            /* by hand: a million of these lines is a lot of printf */
            hd_buf_puts(out, ",\"figures\":{\"members\":");
            hd__gen_buf_int(out, g->members);
            hd_buf_puts(out, ",\"income\":");
            hd__gen_buf_int(out, g->income_fen);
            hd_buf_puts(out, ",\"expenditure\":");
            hd__gen_buf_int(out, g->expenditure_fen);
            hd_buf_puts(out, ",\"pci\":");
            hd__gen_buf_int(out, g->pci_fen);
            hd_buf_puts(out, ",\"pci_after\":");
            hd__gen_buf_int(out, g->pci_after_fen);
            hd_buf_puts(out, ",\"financial_assets\":");
            hd__gen_buf_int(out, g->financial_assets_fen);
            hd_buf_puts(out, ",\"pca\":");
            hd__gen_buf_int(out, g->pca_fen);
            hd_buf_puts(out, ",\"homes\":");
            hd__gen_buf_int(out, g->homes);
            hd_buf_puts(out, ",\"area_pc\":");
            hd__gen_buf_int(out, g->area_pc_m2x100);
            hd_buf_puts(out, ",\"vehicles\":");
            hd__gen_buf_int(out, g->vehicles);
            hd_buf_putc(out, '}');
        }
        hd_buf_puts(out, ",\"failed\":");
        json_codes(out, r->failed, HD_GEN_FAILURE_COUNT_, hd_gen_failure_name);
        hd_buf_puts(out, ",\"findings\":");
        json_codes(out, r->findings, HD_GEN_FINDING_COUNT_,
                   hd_gen_finding_name);
    }
    if (scenario) {
        hd_buf_puts(out, ",\"scenario\":");
        hd__gen_json_str(out, scenario);
    }
    hd_buf_putc(out, '}');
    return hd_buf_error(out);
}
