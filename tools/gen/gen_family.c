/*
 * One family: who lives in it, what the departments hold about each
 * person, what the family declares and authorizes, and what a correct
 * verification must conclude.
 *
 * A family is built in two phases. The first draws the people (household
 * composition, ages, sexes, citizen IDs, marital histories, deaths) and
 * the scenario's choices about them; IDs are handed out once. The second
 * draws every record: incomes around the local standard, assets, medical
 * claims, then the scenario's plant (an undeclared wage, a car, a second
 * home ...). The truth is then worked out from those records (gen_truth.c)
 * and compared with what the scenario meant; when a draw missed (a clean
 * family that came out above the standard, say) the second phase is drawn
 * again. Nothing about the records is assumed: the truth is always what
 * rules.md makes of the records actually written.
 */
#include "gen/gen_int.h"

#include <stdio.h>
#include <string.h>

#define MAX_TRIES 48

/* Scenario frequencies, per thousand families. */
static const int scenario_weight[HD_GEN_SC_COUNT_] = {
    [HD_GEN_SC_CLEAN] = 455,
    [HD_GEN_SC_HIDDEN_WAGE] = 35,
    [HD_GEN_SC_ESTIMATED_WAGE] = 30,
    [HD_GEN_SC_UNDECLARED_CAR] = 30,
    [HD_GEN_SC_SECOND_HOME] = 25,
    [HD_GEN_SC_HOME_AREA] = 25,
    [HD_GEN_SC_DEPOSITS] = 30,
    [HD_GEN_SC_SHAREHOLDER] = 25,
    [HD_GEN_SC_NONRESIDENTIAL] = 25,
    [HD_GEN_SC_DECEASED_MEMBER] = 30,
    [HD_GEN_SC_UNDECLARED_SPOUSE] = 30,
    [HD_GEN_SC_MEDICAL_HARDSHIP] = 30,
    [HD_GEN_SC_TEKUN] = 40,
    [HD_GEN_SC_NOT_IN_HUKOU] = 25,
    [HD_GEN_SC_RELATION_MISMATCH] = 25,
    [HD_GEN_SC_BORDERLINE_BELOW] = 20,
    [HD_GEN_SC_BORDERLINE_ABOVE] = 20,
    [HD_GEN_SC_UNAUTHORIZED] = 30,
    [HD_GEN_SC_REFUSED] = 30,
    [HD_GEN_SC_ALL_DECEASED] = 15,
    [HD_GEN_SC_EXCLUDED_CATEGORY] = 25,
};

static const char *const scenario_names[HD_GEN_SC_COUNT_] = {
    "clean",
    "hidden_wage",
    "estimated_wage",
    "undeclared_car",
    "second_home",
    "home_area",
    "deposits",
    "shareholder",
    "nonresidential",
    "deceased_member",
    "undeclared_spouse",
    "medical_hardship",
    "tekun",
    "not_in_hukou",
    "relation_mismatch",
    "borderline_below",
    "borderline_above",
    "unauthorized",
    "refused",
    "all_deceased",
    "excluded_category"};

const char *hd_gen_scenario_name(hd_gen_scenario sc)
{
    if ((int)sc < 0 || sc >= HD_GEN_SC_COUNT_)
        return "?";
    return scenario_names[sc];
}

/* Household compositions and how common they are among applicants. */
typedef enum comp {
    C_SINGLE_ELDER,
    C_SINGLE_ADULT,
    C_ELDER_COUPLE,
    C_SINGLE_PARENT,
    C_COUPLE_KIDS,
    C_THREE_GEN,
    C_ELDER_HEAD_THREE_GEN,
    C_GRANDPARENT_KIDS,
    C_ADULT_WITH_PARENT,
    C_PARENTS_DISABLED_CHILD,
    C_SIBLINGS,
    C_COUNT_
} comp;

static const int comp_weight[C_COUNT_] = {160, 120, 150, 110, 150, 70,
                                          50,  60,  60,  50,  20};

/* What the second phase needs to know about the first. */
typedef struct plan {
    comp composition;
    int variant; /* the scenario's variant */
    int focus;   /* the person the scenario is about, or -1 */
    int earner;  /* the person whose wage is tuned, or -1 */
    bool excluded_matters;
} plan;

/* ---------------------------------------------------------- helpers */

static int32_t on_date(const gen_family *f)
{
    return f->world->applied_on;
}

static const hd_gen_params *params(const gen_family *f)
{
    return &f->world->counties[f->county].params;
}

static const char *county_code(const gen_family *f)
{
    return f->world->counties[f->county].code;
}

static int32_t date_of(int y, int m, int d)
{
    int32_t out = 0;
    while (hd_date_from_ymd(&out, y, m, d) != 0 && d > 28)
        d--;
    return out;
}

static bool alive_member(const gen_family *f, int i)
{
    return f->persons[i].member && f->persons[i].death == HD_GEN_NO_DATE;
}

/* Of an age to work, and not severely disabled. */
static bool working_age(const gen_person *p)
{
    return p->age >= 18 && p->age <= 57 &&
           (p->disability_level == 0 || p->disability_level >= 3);
}

#define ADD(f, arr, cap)                                                       \
    ((f)->arr##_count < (cap) ? &(f)->arr[(f)->arr##_count++]                  \
                              : ((f)->overflow = true, (void *)0))

static const char *new_uscc(gen_family *f)
{
    char *u;

    if (f->uscc_count == GEN_CAP_USCC) {
        f->overflow = true;
        return f->usccs[0];
    }
    u = f->usccs[f->uscc_count++];
    hd__gen_uscc(u, &f->rng, county_code(f));
    return u;
}

static void add_tax(gen_family *f, const char *pid, int32_t period, int cat,
                    const char *payer, int64_t income, int64_t tax)
{
    hd_gen_tax *t = ADD(f, tax, GEN_CAP_TAX);
    if (!t)
        return;
    t->pid = pid;
    t->period = period;
    t->category = cat;
    t->payer = payer;
    t->income_fen = income;
    t->tax_fen = tax;
}

static void add_si(gen_family *f, const char *pid, int32_t period, int kind,
                   int64_t base, int64_t amount, const char *employer)
{
    hd_gen_si *s = ADD(f, si, GEN_CAP_SI);
    if (!s)
        return;
    s->pid = pid;
    s->period = period;
    s->kind = kind;
    s->base_fen = base;
    s->amount_fen = amount;
    s->employer = employer;
}

static void add_fund(gen_family *f, const char *pid, int32_t period,
                     int64_t base, int64_t deposit, int64_t balance)
{
    hd_gen_fund *b = ADD(f, fund, GEN_CAP_FUND);
    if (!b)
        return;
    b->pid = pid;
    b->period = period;
    b->base_fen = base;
    b->deposit_fen = deposit;
    b->balance_fen = balance;
}

static void add_medical(gen_family *f, const char *pid, int32_t period,
                        int64_t total, int64_t self, int serious)
{
    hd_gen_medical *m;

    /* One settlement row per person and month (the feed key). */
    for (size_t i = 0; i < f->medical_count; i++) {
        m = &f->medical[i];
        if (m->pid == pid && m->period == period) {
            m->total_fen += total;
            m->self_paid_fen += self;
            m->fund_paid_fen = m->total_fen - m->self_paid_fen;
            m->serious |= serious;
            return;
        }
    }
    m = ADD(f, medical, GEN_CAP_MEDICAL);
    if (!m)
        return;
    m->pid = pid;
    m->period = period;
    m->total_fen = total;
    m->self_paid_fen = self;
    m->fund_paid_fen = total - self;
    m->serious = serious;
}

/* Individual income tax withheld on a month's wage (simplified monthly
 * brackets above the 5,000 yuan threshold). */
static int64_t wage_tax(int64_t wage, int64_t contrib)
{
    int64_t taxable = wage - contrib - 500000;

    if (taxable <= 0)
        return 0;
    if (taxable <= 300000)
        return taxable * 3 / 100;
    if (taxable <= 1200000)
        return taxable * 10 / 100 - 21000;
    return taxable * 20 / 100 - 141000;
}

/* Tax on remuneration for labour services: 800 yuan deducted below 4,000
 * yuan, 20% deducted above, then 20%. */
static int64_t labor_tax(int64_t income)
{
    if (income <= 80000)
        return 0;
    if (income <= 400000)
        return (income - 80000) * 20 / 100;
    return income * 80 / 100 * 20 / 100;
}

/* ------------------------------------------------------- phase one */

static int pick_weighted(gen_rng *r, const int *weights, int count,
                         const bool *allowed)
{
    int total = 0, u;

    for (int i = 0; i < count; i++)
        if (!allowed || allowed[i])
            total += weights[i];
    u = (int)gen_below(r, (uint32_t)total);
    for (int i = 0; i < count; i++) {
        if (allowed && !allowed[i])
            continue;
        if (u < weights[i])
            return i;
        u -= weights[i];
    }
    return count - 1;
}

static int pick_county(gen_family *f, int variant)
{
    const gen_world *w = f->world;
    int eligible[GEN_MAX_COUNTIES];
    int n = 0;
    bool refused_region = f->scenario == HD_GEN_SC_REFUSED && variant % 4 == 2;

    for (int i = 0; i < w->county_count; i++) {
        const gen_county *c = &w->counties[i];
        const hd_gen_params *p = &c->params;
        bool ok = c->has_standard != refused_region;
        if (f->scenario == HD_GEN_SC_HOME_AREA)
            ok = ok && p->has_max_area_per_capita;
        if (f->scenario == HD_GEN_SC_EXCLUDED_CATEGORY)
            ok =
                ok && (p->excluded_categories & ((1u << HD_GEN_TAX_INCIDENTAL) |
                                                 (1u << HD_GEN_TAX_TRANSFER)));
        if (ok)
            eligible[n++] = i;
    }
    if (n == 0) {
        /* The region table lacked what this scenario needs: a clean
         * family in any county with a standard. */
        f->scenario = HD_GEN_SC_CLEAN;
        for (int i = 0; i < w->county_count; i++)
            if (w->counties[i].has_standard)
                eligible[n++] = i;
    }
    return eligible[gen_below(&f->rng, (uint32_t)n)];
}

static comp pick_comp(gen_family *f)
{
    bool allowed[C_COUNT_];

    for (int i = 0; i < C_COUNT_; i++)
        allowed[i] = true;
    switch (f->scenario) {
    case HD_GEN_SC_HIDDEN_WAGE:
    case HD_GEN_SC_ESTIMATED_WAGE:
    case HD_GEN_SC_BORDERLINE_BELOW:
    case HD_GEN_SC_BORDERLINE_ABOVE:
    case HD_GEN_SC_MEDICAL_HARDSHIP:
        /* Someone must be of working age. */
        allowed[C_SINGLE_ELDER] = allowed[C_ELDER_COUPLE] = false;
        allowed[C_GRANDPARENT_KIDS] = false;
        allowed[C_PARENTS_DISABLED_CHILD] = false;
        break;
    case HD_GEN_SC_DECEASED_MEMBER:
    case HD_GEN_SC_NOT_IN_HUKOU:
    case HD_GEN_SC_RELATION_MISMATCH:
        allowed[C_SINGLE_ELDER] = allowed[C_SINGLE_ADULT] = false;
        break;
    case HD_GEN_SC_UNDECLARED_SPOUSE:
        allowed[C_ELDER_COUPLE] = allowed[C_COUPLE_KIDS] = false;
        allowed[C_THREE_GEN] = allowed[C_ELDER_HEAD_THREE_GEN] = false;
        allowed[C_GRANDPARENT_KIDS] = false;
        allowed[C_PARENTS_DISABLED_CHILD] = false;
        break;
    case HD_GEN_SC_TEKUN:
        for (int i = 0; i < C_COUNT_; i++)
            allowed[i] = i == C_SINGLE_ELDER || i == C_SINGLE_ADULT;
        break;
    case HD_GEN_SC_ALL_DECEASED:
        for (int i = 0; i < C_COUNT_; i++)
            allowed[i] = i == C_SINGLE_ELDER || i == C_ELDER_COUPLE;
        break;
    default:
        break;
    }
    return (comp)pick_weighted(&f->rng, comp_weight, C_COUNT_, allowed);
}

/* A birth date for someone `age` years old at applied_on. */
static int32_t birth_for_age(gen_family *f, int age)
{
    int32_t on = on_date(f);
    return on - age * 365 - age / 4 - (int32_t)gen_range(&f->rng, 1, 360);
}

/* Add a person; sex 0 draws one. Returns the index, or -1 when full. */
static int add_person(gen_family *f, gen_pids *pids, int county, int age,
                      int sex, int relation, const char *surname, bool member)
{
    gen_person *p;
    int32_t birth;

    if (f->person_count == GEN_MAX_PERSONS ||
        (member && f->member_count == HD_GEN_MAX_MEMBERS)) {
        f->overflow = true;
        return -1;
    }
    if (age < 0)
        age = 0;
    if (age > 100)
        age = 100;
    p = &f->persons[f->person_count];
    memset(p, 0, sizeof(*p));
    p->sex = sex ? sex : (int)gen_range(&f->rng, 1, 2);
    birth = birth_for_age(f, age);
    if (hd__gen_pid_alloc(pids, p->pid, county, f->world->counties[county].code,
                          &birth, p->sex, false) != 0) {
        f->overflow = true;
        return -1;
    }
    p->birth = birth;
    p->age = hd_age_at(birth, on_date(f));
    p->county = county;
    p->member = member;
    p->relation = relation;
    p->hukou_relation = relation;
    p->in_hukou = member;
    p->hukou_status = 1;
    p->death = HD_GEN_NO_DATE;
    p->spouse = -1;
    p->ex = -1;
    hd__gen_name(p->name, &f->rng, p->sex, surname);
    if (member)
        f->member_count++;
    return f->person_count++;
}

static int other_sex(int sex)
{
    return sex == 1 ? 2 : 1;
}

static int child_relation(int sex)
{
    return sex == 1 ? 20 : 30;
}

static int clampi(int v, int lo, int hi)
{
    return v < lo ? lo : v > hi ? hi : v;
}

static void marry(gen_family *f, int a, int b, int32_t on)
{
    f->persons[a].spouse = b;
    f->persons[b].spouse = a;
    f->persons[a].married_on = on;
    f->persons[b].married_on = on;
}

/* A wedding date: when the younger of the two was 20 to 30. */
static int32_t wedding_date(gen_family *f, int a, int b)
{
    int32_t younger = f->persons[a].birth > f->persons[b].birth
                          ? f->persons[a].birth
                          : f->persons[b].birth;
    int32_t d = younger + (int32_t)gen_range(&f->rng, 20 * 365, 30 * 365);
    return d < on_date(f) - 30 ? d : on_date(f) - 30;
}

/* Another county than the family's, for people who live elsewhere. */
static int elsewhere(gen_family *f)
{
    int n = f->world->county_count;
    int c = (int)gen_below(&f->rng, (uint32_t)n);
    return c == f->county ? (c + 1) % n : c;
}

/* Give person `i` a spouse who died: a non-member with a death record. */
static void widow(gen_family *f, gen_pids *pids, int i)
{
    gen_person *p = &f->persons[i];
    int age = p->age + (int)gen_range(&f->rng, -4, 6);
    int d =
        add_person(f, pids, f->county, age, other_sex(p->sex), 10, NULL, false);
    gen_person *dead;

    if (d < 0)
        return;
    dead = &f->persons[d];
    /* In the register the dead spouse kept their place: the head's
     * spouse, or the head's other parent. */
    dead->hukou_relation = p->relation == 2 ? 10 : p->relation == 50 ? 50 : 80;
    marry(f, i, d, wedding_date(f, i, d));
    dead->death = dead->married_on + (int32_t)gen_range(&f->rng, 365, 40 * 365);
    if (dead->death > on_date(f) - 60)
        dead->death = on_date(f) - 60;
    /* The death is known to public security, civil affairs, or both. */
    switch (gen_below(&f->rng, 3)) {
    case 0:
        dead->in_hukou = true;
        dead->hukou_status = 2;
        break;
    case 1:
        dead->death_row = true;
        break;
    default:
        dead->in_hukou = true;
        dead->hukou_status = 2;
        dead->death_row = true;
        break;
    }
    dead->marriage_rows = gen_chance(&f->rng, 700);
    p->marriage_rows = dead->marriage_rows;
}

/* Give person `i` an ex-spouse: married, then divorced. */
static void divorce(gen_family *f, gen_pids *pids, int i)
{
    gen_person *p = &f->persons[i];
    int age = p->age + (int)gen_range(&f->rng, -5, 5);
    int x = add_person(f, pids, elsewhere(f), age < 22 ? 22 : age,
                       other_sex(p->sex), 2, NULL, false);
    gen_person *ex;
    int32_t married;

    if (x < 0)
        return;
    ex = &f->persons[x];
    married = wedding_date(f, i, x);
    p->ex = x;
    ex->ex = i;
    p->ex_married_on = ex->ex_married_on = married;
    p->ex_divorced_on = ex->ex_divorced_on =
        married + (int32_t)gen_range(&f->rng, 300, 12 * 365);
    if (p->ex_divorced_on >= on_date(f) - 400)
        p->ex_divorced_on = ex->ex_divorced_on = on_date(f) - 400;
    if (p->ex_married_on >= p->ex_divorced_on)
        p->ex_married_on = ex->ex_married_on = p->ex_divorced_on - 200;
    /* The ex lives on elsewhere: registered in another household, or
     * unknown to this node's feeds. */
    ex->in_hukou = gen_chance(&f->rng, 600);
    ex->hukou_elsewhere = true;
}

/* Members are persons[0 .. member_count - 1]: move the people the
 * composition added for their records (a spouse who died) behind them,
 * keeping the order and the links between them. */
static void members_first(gen_family *f)
{
    gen_person sorted[GEN_MAX_PERSONS];
    int where[GEN_MAX_PERSONS];
    int n = 0;

    for (int pass = 0; pass < 2; pass++)
        for (int i = 0; i < f->person_count; i++)
            if (f->persons[i].member == (pass == 0)) {
                where[i] = n;
                sorted[n++] = f->persons[i];
            }
    for (int i = 0; i < n; i++) {
        if (sorted[i].spouse >= 0)
            sorted[i].spouse = where[sorted[i].spouse];
        if (sorted[i].ex >= 0)
            sorted[i].ex = where[sorted[i].ex];
    }
    memcpy(f->persons, sorted, sizeof(sorted[0]) * (size_t)n);
}

/* Up to `max_count` children (at least one) of a parent whose age minus
 * the age at the first birth is `years_since_first`, at most `max_age`
 * old, with the family's surname. */
static void add_children(gen_family *f, gen_pids *pids, int max_count,
                         int years_since_first, int max_age,
                         const char *surname)
{
    gen_rng *r = &f->rng;
    int n = (int)gen_range(r, 1, max_count);

    for (int k = 0; k < n; k++) {
        int sex = (int)gen_range(r, 1, 2);
        add_person(f, pids, f->county,
                   (int)gen_range(r, 0, clampi(years_since_first, 0, max_age)),
                   sex, child_relation(sex), surname, true);
    }
}

/* The husband of a couple, whose surname the children take: the
 * applicant `a` when male, else the spouse `s` when there is one. */
static int father_or(const gen_family *f, int a, int s)
{
    if (f->persons[a].sex == 1 || s < 0)
        return a;
    return s;
}

static void build_composition(gen_family *f, gen_pids *pids, plan *pl)
{
    gen_rng *r = &f->rng;
    int c = f->county;
    int a, s, k, n, age;
    char surname[8];
    const hd_gen_params *P = params(f);

    switch (pl->composition) {
    case C_SINGLE_ELDER: {
        int lo = f->scenario == HD_GEN_SC_TEKUN
                     ? (P->old_age > 60 ? P->old_age : 60)
                     : 60;
        a = add_person(f, pids, c, (int)gen_range(r, lo, 92), 0, 2, NULL, true);
        break;
    }
    case C_SINGLE_ADULT:
        a = add_person(f, pids, c, (int)gen_range(r, 22, 57), 0, 2, NULL, true);
        break;
    case C_ELDER_COUPLE:
        age = (int)gen_range(r, 60, 88);
        a = add_person(f, pids, c, age, 0, 2, NULL, true);
        s = add_person(f, pids, c,
                       clampi(age + (int)gen_range(r, -6, 6), 56, 95),
                       other_sex(f->persons[a].sex), 10, NULL, true);
        if (s >= 0)
            marry(f, a, s, wedding_date(f, a, s));
        break;
    case C_SINGLE_PARENT:
        age = (int)gen_range(r, 26, 50);
        a = add_person(f, pids, c, age, 0, 2, NULL, true);
        hd__gen_surname_of(surname, f->persons[a].name);
        add_children(f, pids, 2, age - 21, 17, surname);
        break;
    case C_COUPLE_KIDS:
        age = (int)gen_range(r, 26, 50);
        a = add_person(f, pids, c, age, 0, 2, NULL, true);
        s = add_person(f, pids, c,
                       clampi(age + (int)gen_range(r, -5, 5), 22, 57),
                       other_sex(f->persons[a].sex), 10, NULL, true);
        if (s >= 0)
            marry(f, a, s, wedding_date(f, a, s));
        hd__gen_surname_of(surname, f->persons[father_or(f, a, s)].name);
        add_children(f, pids, 3, age - 21, 20, surname);
        break;
    case C_THREE_GEN:
        age = (int)gen_range(r, 30, 50);
        a = add_person(f, pids, c, age, 0, 2, NULL, true);
        s = add_person(f, pids, c,
                       clampi(age + (int)gen_range(r, -4, 4), 26, 57),
                       other_sex(f->persons[a].sex), 10, NULL, true);
        if (s >= 0)
            marry(f, a, s, wedding_date(f, a, s));
        hd__gen_surname_of(surname, f->persons[father_or(f, a, s)].name);
        add_children(f, pids, 2, age - 22, 20, surname);
        {
            char own[8];
            int pa, pb, page = clampi(age + (int)gen_range(r, 22, 34), 58, 95);
            hd__gen_surname_of(own, f->persons[a].name);
            pa = add_person(f, pids, c, page, 1, 50, own, true);
            if (gen_chance(r, 550)) {
                pb = add_person(f, pids, c,
                                clampi(page + (int)gen_range(r, -5, 3), 56, 95),
                                2, 50, NULL, true);
                if (pa >= 0 && pb >= 0)
                    marry(f, pa, pb, wedding_date(f, pa, pb));
            } else if (pa >= 0) {
                widow(f, pids, pa);
            }
        }
        break;
    case C_ELDER_HEAD_THREE_GEN: {
        int child, inlaw, csex;
        age = (int)gen_range(r, 58, 78);
        a = add_person(f, pids, c, age, 0, 2, NULL, true);
        hd__gen_surname_of(surname, f->persons[a].name);
        if (gen_chance(r, 700)) {
            s = add_person(f, pids, c,
                           clampi(age + (int)gen_range(r, -5, 5), 55, 90),
                           other_sex(f->persons[a].sex), 10, NULL, true);
            if (s >= 0)
                marry(f, a, s, wedding_date(f, a, s));
        } else {
            widow(f, pids, a);
        }
        csex = (int)gen_range(r, 1, 2);
        child = add_person(
            f, pids, c, clampi(age - (int)gen_range(r, 22, 32), 24, 55), csex,
            child_relation(csex), csex == 1 ? surname : NULL, true);
        /* A son's wife is in class 30 (daughters, 38 儿媳) and a
         * daughter's husband in class 20 (sons, 28 女婿), GB/T 4761. */
        inlaw = add_person(
            f, pids, c,
            child >= 0
                ? clampi(f->persons[child].age + (int)gen_range(r, -4, 4), 22,
                         57)
                : 30,
            other_sex(csex), child_relation(other_sex(csex)), NULL, true);
        if (child >= 0 && inlaw >= 0)
            marry(f, child, inlaw, wedding_date(f, child, inlaw));
        if (child >= 0 && inlaw >= 0)
            hd__gen_surname_of(surname,
                               f->persons[csex == 1 ? child : inlaw].name);
        n = (int)gen_range(r, 1, 2);
        for (k = 0; k < n && child >= 0; k++)
            add_person(
                f, pids, c,
                (int)gen_range(r, 0, clampi(f->persons[child].age - 21, 0, 16)),
                0, 40, surname, true);
        break;
    }
    case C_GRANDPARENT_KIDS:
        age = (int)gen_range(r, 58, 80);
        a = add_person(f, pids, c, age, 0, 2, NULL, true);
        hd__gen_surname_of(surname, f->persons[a].name);
        if (gen_chance(r, 500)) {
            s = add_person(f, pids, c,
                           clampi(age + (int)gen_range(r, -5, 5), 55, 90),
                           other_sex(f->persons[a].sex), 10, NULL, true);
            if (s >= 0)
                marry(f, a, s, wedding_date(f, a, s));
        } else {
            widow(f, pids, a);
        }
        n = (int)gen_range(r, 1, 2);
        for (k = 0; k < n; k++)
            add_person(f, pids, c, (int)gen_range(r, 3, 16), 0, 40,
                       f->persons[a].sex == 1 ? surname : NULL, true);
        break;
    case C_ADULT_WITH_PARENT: {
        int pa, pb, page;
        age = (int)gen_range(r, 28, 55);
        a = add_person(f, pids, c, age, 0, 2, NULL, true);
        hd__gen_surname_of(surname, f->persons[a].name);
        page = clampi(age + (int)gen_range(r, 22, 34), 55, 95);
        pa = add_person(f, pids, c, page, 1, 50, surname, true);
        if (gen_chance(r, 400)) {
            pb = add_person(f, pids, c,
                            clampi(page + (int)gen_range(r, -5, 3), 52, 95), 2,
                            50, NULL, true);
            if (pa >= 0 && pb >= 0)
                marry(f, pa, pb, wedding_date(f, pa, pb));
        } else if (pa >= 0) {
            widow(f, pids, pa);
        }
        break;
    }
    case C_PARENTS_DISABLED_CHILD: {
        int child, sex;
        age = (int)gen_range(r, 45, 72);
        a = add_person(f, pids, c, age, 0, 2, NULL, true);
        hd__gen_surname_of(surname, f->persons[a].name);
        if (gen_chance(r, 600)) {
            s = add_person(f, pids, c,
                           clampi(age + (int)gen_range(r, -5, 5), 40, 90),
                           other_sex(f->persons[a].sex), 10, NULL, true);
            if (s >= 0)
                marry(f, a, s, wedding_date(f, a, s));
            if (s >= 0 && f->persons[s].sex == 1)
                hd__gen_surname_of(surname, f->persons[s].name);
        }
        sex = (int)gen_range(r, 1, 2);
        child = add_person(f, pids, c,
                           clampi(age - (int)gen_range(r, 20, 35), 18, 50), sex,
                           child_relation(sex), surname, true);
        if (child >= 0) {
            f->persons[child].disability_level = (int)gen_range(r, 1, 2);
            f->persons[child].disability_category =
                (int)(gen_chance(r, 600) ? 5 + gen_below(r, 2) : 4);
        }
        break;
    }
    case C_SIBLINGS:
    default: {
        int sib;
        age = (int)gen_range(r, 30, 55);
        a = add_person(f, pids, c, age, 0, 2, NULL, true);
        hd__gen_surname_of(surname, f->persons[a].name);
        sib = add_person(f, pids, c,
                         clampi(age + (int)gen_range(r, -8, 8), 20, 70), 0, 70,
                         surname, true);
        if (sib >= 0) {
            f->persons[sib].disability_level = (int)gen_range(r, 1, 2);
            f->persons[sib].disability_category = (int)(4 + gen_below(r, 4));
        }
        break;
    }
    }
    (void)a;
    members_first(f);

    /* Marital histories of those without a declared spouse. */
    for (int i = 0; i < f->person_count; i++) {
        gen_person *p = &f->persons[i];
        if (!p->member || p->spouse >= 0 || p->age < 22)
            continue;
        if (p->relation == 70 || p->disability_level)
            continue; /* the disabled siblings and children: never married */
        if (p->relation != 2 && p->relation != 50)
            continue;
        if (p->age >= 60 && gen_chance(r, 700) && p->relation == 2)
            widow(f, pids, i);
        else if (pl->composition == C_SINGLE_PARENT ? gen_chance(r, 800)
                                                    : gen_chance(r, 300))
            divorce(f, pids, i);
    }
    /* Couples: most have both marriage rows; old marriages often predate
     * the digital records; a few remarried after a divorce. */
    for (int i = 0; i < f->person_count; i++) {
        gen_person *p = &f->persons[i];
        if (p->spouse < 0 || !p->member || !f->persons[p->spouse].member ||
            p->spouse < i)
            continue;
        p->marriage_rows = p->married_on >= date_of(1990, 1, 1)
                               ? gen_chance(r, 950)
                               : gen_chance(r, 600);
        f->persons[p->spouse].marriage_rows = p->marriage_rows;
        if (p->marriage_rows && p->age < 60 && gen_chance(r, 60)) {
            divorce(f, pids, i);
            /* the divorce came before this marriage */
            if (p->ex >= 0 && p->ex_divorced_on >= p->married_on) {
                gen_person *ex = &f->persons[p->ex];
                p->ex_divorced_on = ex->ex_divorced_on = p->married_on - 100;
                p->ex_married_on = ex->ex_married_on =
                    p->ex_divorced_on - (int32_t)gen_range(r, 300, 2000);
            }
        }
    }
    /* Other disabilities. */
    for (int i = 0; i < f->person_count; i++) {
        gen_person *p = &f->persons[i];
        if (p->member && !p->disability_level &&
            gen_chance(r, p->age >= 60 ? 90 : 35)) {
            p->disability_level = (int)gen_range(r, 1, 4);
            p->disability_category = (int)gen_range(r, 1, 7);
        }
    }
}

/* Phase one's scenario choices about people. */
static void plan_people(gen_family *f, gen_pids *pids, plan *pl)
{
    gen_rng *r = &f->rng;
    int m = f->member_count;

    pl->focus = -1;
    pl->earner = -1;
    switch (f->scenario) {
    case HD_GEN_SC_HIDDEN_WAGE:
    case HD_GEN_SC_ESTIMATED_WAGE:
    case HD_GEN_SC_BORDERLINE_BELOW:
    case HD_GEN_SC_BORDERLINE_ABOVE:
    case HD_GEN_SC_MEDICAL_HARDSHIP: {
        int cand[HD_GEN_MAX_MEMBERS], n = 0;
        for (int i = 0; i < m; i++)
            if (working_age(&f->persons[i]))
                cand[n++] = i;
        if (n == 0) {
            /* the composition promised an adult: make them able to work */
            for (int i = 0; i < m && n == 0; i++)
                if (f->persons[i].age >= 18 && f->persons[i].age <= 57) {
                    f->persons[i].disability_level = 0;
                    cand[n++] = i;
                }
        }
        if (n)
            pl->focus = cand[gen_below(r, (uint32_t)n)];
        pl->earner = pl->focus;
        break;
    }
    case HD_GEN_SC_TEKUN:
        if (pl->composition == C_SINGLE_ADULT) {
            /* severely disabled, of working age */
            f->persons[0].disability_level = (int)gen_range(r, 1, 2);
            f->persons[0].disability_category = (int)gen_range(r, 1, 7);
        } else if (pl->variant < 150) {
            /* exactly old_age on applied_on: the boundary of section 6 */
            int y, mo, d;
            int32_t birth;
            gen_person *p = &f->persons[0];
            hd_date_to_ymd(on_date(f), &y, &mo, &d);
            birth = date_of(y - params(f)->old_age, mo, d);
            if (hd__gen_pid_alloc(pids, p->pid, f->county, county_code(f),
                                  &birth, p->sex, false) == 0) {
                p->birth = birth;
                p->age = hd_age_at(birth, on_date(f));
            }
        }
        /* A living, undeclared spouse would send the case to review. */
        if (f->persons[0].spouse >= 0 &&
            f->persons[f->persons[0].spouse].death == HD_GEN_NO_DATE) {
            f->persons[0].spouse = -1;
            f->persons[0].marriage_rows = false;
        }
        break;
    case HD_GEN_SC_DECEASED_MEMBER: {
        int who = 1 + (int)gen_below(r, (uint32_t)(m - 1));
        gen_person *p = &f->persons[who];
        /* prefer the oldest non-applicant */
        for (int i = 1; i < m; i++)
            if (f->persons[i].age > p->age && gen_chance(r, 600))
                p = &f->persons[who = i];
        p->death = on_date(f) - (int32_t)gen_range(r, 20, 330);
        pl->focus = who;
        switch (pl->variant % 3) {
        case 0:
            p->hukou_status = 2;
            p->death_row = true;
            break;
        case 1:
            p->hukou_status = 2;
            break;
        default:
            p->death_row = true;
            break;
        }
        break;
    }
    case HD_GEN_SC_ALL_DECEASED:
        for (int i = 0; i < m; i++) {
            gen_person *p = &f->persons[i];
            p->death = on_date(f) - (int32_t)gen_range(r, 15, 200);
            p->hukou_status = gen_chance(r, 700) ? 2 : 1;
            p->death_row = p->hukou_status == 1 || gen_chance(r, 600);
        }
        break;
    case HD_GEN_SC_UNDECLARED_SPOUSE: {
        gen_person *a = &f->persons[0];
        int x =
            add_person(f, pids, gen_chance(r, 500) ? f->county : elsewhere(f),
                       clampi(a->age + (int)gen_range(r, -6, 6), 22, 90),
                       other_sex(a->sex), 2, NULL, false);
        if (x < 0)
            break;
        if (a->spouse >= 0) /* a widow(er) who remarried */
            a->spouse = -1;
        if (a->ex < 0 && gen_chance(r, 300))
            divorce(f, pids, 0);
        marry(f, 0, x, wedding_date(f, 0, x));
        if (a->ex >= 0 && a->married_on <= a->ex_divorced_on)
            a->married_on = f->persons[x].married_on =
                a->ex_divorced_on + (int32_t)gen_range(r, 100, 900);
        if (a->married_on >= on_date(f))
            a->married_on = f->persons[x].married_on = on_date(f) - 10;
        a->marriage_rows = true;
        f->persons[x].marriage_rows = true;
        /* The spouse is alive: registered elsewhere, registration
         * cancelled (moved away), or unknown to the feeds. */
        f->persons[x].hukou_elsewhere = true;
        switch (pl->variant % 3) {
        case 0:
            f->persons[x].in_hukou = true;
            break;
        case 1:
            f->persons[x].in_hukou = true;
            f->persons[x].hukou_status = 3;
            break;
        default:
            break;
        }
        pl->focus = x;
        break;
    }
    case HD_GEN_SC_NOT_IN_HUKOU: {
        int who = 1 + (int)gen_below(r, (uint32_t)(m - 1));
        f->persons[who].in_hukou = false;
        pl->focus = who;
        break;
    }
    case HD_GEN_SC_RELATION_MISMATCH: {
        int parent = -1;
        for (int i = 1; i < m; i++)
            if (f->persons[i].relation == 50 && f->persons[i].sex == 1)
                parent = i;
        if (parent >= 0 && pl->variant < 400) {
            /* The applicant is not the head: the father is. Relations in
             * the register are relative to him. */
            int asex = f->persons[0].sex;
            for (int i = 0; i < m; i++) {
                gen_person *p = &f->persons[i];
                switch (p->relation) {
                case 2:
                    p->hukou_relation = child_relation(asex);
                    break;
                case 10:
                    p->hukou_relation = child_relation(p->sex);
                    break;
                case 20:
                case 30:
                    p->hukou_relation = 40;
                    break;
                case 50:
                    p->hukou_relation = i == parent ? 2 : 10;
                    break;
                default:
                    p->hukou_relation = 80;
                    break;
                }
            }
        } else {
            int who = 1 + (int)gen_below(r, (uint32_t)(m - 1));
            gen_person *p = &f->persons[who];
            switch (p->relation) {
            case 40:
                p->relation = child_relation(p->sex);
                break;
            case 20:
            case 30:
                p->relation = pl->variant % 2 ? 40 : 80;
                break;
            default:
                p->relation = 80;
                break;
            }
        }
        break;
    }
    default:
        break;
    }

    /* Now and then a spouse keeps a registration in another household:
     * the relation is not compared then (section 2). */
    for (int i = 1; i < m; i++) {
        gen_person *p = &f->persons[i];
        if (p->relation == 10 && p->in_hukou &&
            f->scenario != HD_GEN_SC_RELATION_MISMATCH && gen_chance(r, 50)) {
            p->hukou_elsewhere = true;
            p->hukou_relation = gen_chance(r, 500) ? 2 : child_relation(p->sex);
        }
    }
}

/* ------------------------------------------------------- phase two */

typedef struct month_range {
    int32_t first;           /* first data month */
    int32_t last;            /* last data month */
    int32_t w_first, w_last; /* the income window */
    int32_t paid_last;       /* pensions are paid up to this month */
} month_range;

static void months_of(const gen_family *f, month_range *mr)
{
    int k = params(f)->income_months;

    mr->w_last = f->month - 1;
    mr->w_first = f->month - k;
    mr->first = f->first_data_month;
    mr->last = f->last_data_month;
    mr->paid_last = hd_period_of_date(f->world->as_of);
    if (mr->paid_last > f->month)
        mr->paid_last = f->month;
}

/* The last month someone had records in: the month before death. */
static int32_t last_month_of(const gen_family *f, const gen_person *p,
                             int32_t last)
{
    if (p->death != HD_GEN_NO_DATE) {
        int32_t dm = hd_period_of_date(p->death);
        if (dm < last)
            return dm;
    }
    (void)f;
    return last;
}

static void pension_rows(gen_family *f, const gen_person *p, int64_t amount)
{
    month_range mr;
    int32_t last;

    months_of(f, &mr);
    last = last_month_of(f, p, mr.paid_last);
    for (int32_t m = mr.first; m <= last; m++) {
        /* pensions rise a little each January */
        int64_t a = amount - (m < mr.w_first + 2 ? amount / 40 : 0);
        add_si(f, p->pid, m, HD_GEN_SI_PENSION, HD_GEN_NULL, a, NULL);
    }
}

/* A job: wage rows, and for a formal job contributions and sometimes the
 * provident fund. */
static void job_rows(gen_family *f, const gen_person *p, int64_t wage,
                     bool formal, bool fund, int32_t from, int32_t to)
{
    gen_rng *r = &f->rng;
    const char *employer = new_uscc(f);
    int64_t balance = gen_range(r, 0, 3000000);
    month_range mr;

    months_of(f, &mr);
    if (from < mr.first)
        from = mr.first;
    to = last_month_of(f, p, to < mr.last ? to : mr.last);
    for (int32_t m = from; m <= to; m++) {
        int64_t w = wage + gen_scale(wage, gen_range(r, -40, 40));
        int64_t contrib = 0, base = w - w % 100;

        if (!formal && gen_chance(r, 40))
            continue; /* no work that month */
        if (formal) {
            contrib = base * 8 / 100;
            add_si(f, p->pid, m, HD_GEN_SI_CONTRIB, base, contrib, employer);
            if (fund) {
                int64_t dep = base * 14 / 100;
                balance += dep;
                add_fund(f, p->pid, m, base, dep, balance);
            }
            /* Unpaid leave now and then: a wage row of 0.00 while the
             * contribution goes on (no estimation: a wage row exists). */
            if (gen_chance(r, 8))
                w = 0;
        }
        add_tax(f, p->pid, m, HD_GEN_TAX_WAGE, employer, w,
                wage_tax(w, contrib));
    }
}

/* Incomes aimed at a family monthly net of about `target` fen. */
static void plan_income(gen_family *f, plan *pl, int64_t target,
                        bool allow_earner)
{
    gen_rng *r = &f->rng;
    int64_t pension[GEN_MAX_PERSONS];
    int64_t sum = 0, rest;
    int elders = 0;
    month_range mr;
    int64_t disregard = params(f)->earned_income_disregard_fen;

    months_of(f, &mr);
    for (int i = 0; i < f->member_count; i++) {
        gen_person *p = &f->persons[i];
        pension[i] = 0;
        if (p->age >= 60 && gen_chance(r, 900)) {
            /* the basic pension of the urban and rural residents' scheme */
            pension[i] = gen_range(r, 11000, 32000);
            if (alive_member(f, i))
                sum += pension[i];
            elders++;
        }
    }
    rest = target - sum;
    if (allow_earner && rest > 30000) {
        int e = pl->earner;
        if (e < 0) {
            int cand[HD_GEN_MAX_MEMBERS], n = 0;
            for (int i = 0; i < f->member_count; i++)
                if (alive_member(f, i) && working_age(&f->persons[i]))
                    cand[n++] = i;
            if (n)
                e = cand[gen_below(r, (uint32_t)n)];
        }
        if (e >= 0) {
            bool formal = gen_chance(r, 500);
            int64_t wage =
                formal ? (rest + disregard) * 100 / 92 : rest + disregard;
            job_rows(f, &f->persons[e], wage, formal,
                     formal && gen_chance(r, 300), mr.first, mr.last);
            pl->earner = e;
        } else if (elders) {
            /* a retired worker's pension instead */
            for (int i = 0; i < f->member_count; i++)
                if (pension[i] && alive_member(f, i)) {
                    pension[i] += rest;
                    break;
                }
        }
    }
    for (int i = 0; i < f->member_count; i++)
        if (pension[i])
            pension_rows(f, &f->persons[i], pension[i]);
}

/* Occasional small incomes: bank interest, odd jobs, a small business. */
static void small_incomes(gen_family *f)
{
    gen_rng *r = &f->rng;
    month_range mr;

    months_of(f, &mr);
    for (int i = 0; i < f->member_count; i++) {
        gen_person *p = &f->persons[i];
        if (p->age < 18)
            continue;
        if (gen_chance(r, 150)) {
            /* interest on savings, paid in June and December */
            const char *bank = new_uscc(f);
            for (int32_t m = mr.first; m <= mr.last; m++)
                if (m % 12 == 5 || m % 12 == 11)
                    add_tax(f, p->pid, m, HD_GEN_TAX_INTEREST, bank,
                            gen_range(r, 500, 8000), 0);
        }
        if (p->age < 70 && gen_chance(r, 40)) {
            int32_t m = (int32_t)gen_range(r, mr.first, mr.last);
            int64_t x = gen_range(r, 20000, 120000);
            add_tax(f, p->pid, m, HD_GEN_TAX_LABOR, new_uscc(f), x,
                    labor_tax(x));
        }
        if (gen_chance(r, 12)) {
            /* a room let out for a while, self-declared */
            int64_t rent = gen_range(r, 30000, 80000);
            int32_t from = (int32_t)gen_range(r, mr.first, mr.last);
            for (int32_t m = from; m <= mr.last && m < from + 8; m++)
                add_tax(f, p->pid, m, HD_GEN_TAX_RENTAL, NULL, rent, 0);
        }
        if (gen_chance(r, 4)) {
            /* a fee for writing or for a licence */
            int32_t m = (int32_t)gen_range(r, mr.first, mr.last);
            int64_t x = gen_range(r, 30000, 300000);
            add_tax(f, p->pid, m,
                    gen_chance(r, 500) ? HD_GEN_TAX_AUTHOR : HD_GEN_TAX_ROYALTY,
                    new_uscc(f), x, labor_tax(x) * 7 / 10);
        }
    }
}

/* Benefits other than pensions: unemployment benefit after a
 * registration, now and then a work-injury benefit. */
static void benefit_rows(gen_family *f)
{
    gen_rng *r = &f->rng;
    month_range mr;

    months_of(f, &mr);
    for (size_t i = 0; i < f->unemployment_count; i++) {
        const hd_gen_unemployment *u = &f->unemployment[i];
        int32_t from = hd_period_of_date(u->registered) + 1;
        int32_t to = from + (int32_t)gen_range(r, 3, 12);
        int64_t amount = gen_range(r, 120000, 180000);
        if (u->ended != HD_GEN_NO_DATE && hd_period_of_date(u->ended) < to)
            to = hd_period_of_date(u->ended);
        if (!gen_chance(r, 350))
            continue;
        for (int32_t m = from < mr.first ? mr.first : from;
             m <= to && m <= mr.last; m++)
            add_si(f, u->pid, m, HD_GEN_SI_UNEMPLOYMENT, HD_GEN_NULL, amount,
                   NULL);
    }
    for (int i = 0; i < f->member_count; i++) {
        gen_person *p = &f->persons[i];
        if (working_age(p) && gen_chance(r, 6)) {
            int32_t from = (int32_t)gen_range(r, mr.first, mr.last);
            int64_t amount = gen_range(r, 80000, 200000);
            for (int32_t m = from; m <= mr.last && m < from + 4; m++)
                add_si(f, p->pid, m, HD_GEN_SI_INJURY, HD_GEN_NULL, amount,
                       NULL);
        }
    }
}

static void medical_rows(gen_family *f)
{
    gen_rng *r = &f->rng;
    month_range mr;

    months_of(f, &mr);
    for (int i = 0; i < f->member_count; i++) {
        gen_person *p = &f->persons[i];
        int per_mille = p->age >= 60 ? 420 : p->age >= 18 ? 110 : 90;
        int32_t last = last_month_of(f, p, mr.last);
        for (int32_t m = mr.first; m <= last; m++) {
            int64_t total, self;
            if (!gen_chance(r, (uint32_t)per_mille))
                continue;
            total = gen_range(r, 3000, 250000);
            self = total - gen_scale(total, gen_range(r, 450, 850));
            add_medical(f, p->pid, m, total, self, gen_chance(r, 20));
        }
    }
}

static int32_t past_date(gen_family *f, int min_days, int max_days)
{
    return on_date(f) - (int32_t)gen_range(&f->rng, min_days, max_days);
}

static void make_cert(gen_family *f, gen_counters *cnt, char *out, size_t cap,
                      int32_t acquired)
{
    int y, m, d;
    hd_date_to_ymd(acquired, &y, &m, &d);
    snprintf(out, cap, "%s(%d)不动产权第%08llu号",
             f->world->counties[f->county].plate, y,
             (unsigned long long)(++cnt->cert_seq % 100000000));
}

static hd_gen_estate *add_home(gen_family *f, gen_counters *cnt, int owner,
                               int use, int64_t area, int share)
{
    hd_gen_estate *e = ADD(f, estate, GEN_CAP_ESTATE);
    if (!e)
        return NULL;
    e->pid = f->persons[owner].pid;
    e->acquired = past_date(f, 200, 25 * 365);
    make_cert(f, cnt, e->cert_no, sizeof(e->cert_no), e->acquired);
    e->region = county_code(f);
    e->use = use;
    e->area_m2x100 = area;
    e->share = share;
    e->status = 1;
    return e;
}

/* The same property, co-owned: a second row with the same certificate. */
static void co_own(gen_family *f, hd_gen_estate *e, int owner, int share)
{
    hd_gen_estate *c = ADD(f, estate, GEN_CAP_ESTATE);
    if (!c)
        return;
    *c = *e;
    c->pid = f->persons[owner].pid;
    c->share = share;
}

static int spouse_member(const gen_family *f, int i)
{
    int s = f->persons[i].spouse;
    return s >= 0 && f->persons[s].member ? s : -1;
}

static int adult_member(gen_family *f)
{
    int cand[HD_GEN_MAX_MEMBERS], n = 0;
    for (int i = 0; i < f->member_count; i++)
        if (f->persons[i].age >= 18 && alive_member(f, i))
            cand[n++] = i;
    return n ? cand[gen_below(&f->rng, (uint32_t)n)] : 0;
}

static void make_plate(gen_family *f, gen_counters *cnt, char *out, size_t cap)
{
    static const char alnum[] = "0123456789ABCDEFGHJKLMNPQRSTUVWXYZ";
    uint64_t n = ++cnt->plate_seq;
    char tail[6];

    for (int i = 4; i >= 0; i--) {
        tail[i] = alnum[n % 34];
        n /= 34;
    }
    tail[5] = '\0';
    snprintf(out, cap, "%s%c%s", f->world->counties[f->county].plate,
             'A' + (int)(f->county % 8), tail);
}

static hd_gen_vehicle *add_vehicle(gen_family *f, gen_counters *cnt, int owner,
                                   int type, int64_t value, int status)
{
    hd_gen_vehicle *v = ADD(f, vehicle, GEN_CAP_VEHICLE);
    if (!v)
        return NULL;
    v->pid = f->persons[owner].pid;
    make_plate(f, cnt, v->plate, sizeof(v->plate));
    v->type = type;
    v->registered = past_date(f, 100, 15 * 365);
    v->value_fen = value;
    v->status = status;
    return v;
}

static hd_gen_enterprise *add_enterprise(gen_family *f, int owner, int role,
                                         int64_t capital, int status)
{
    hd_gen_enterprise *e = ADD(f, enterprise, GEN_CAP_ENTERPRISE);
    if (!e)
        return NULL;
    e->pid = f->persons[owner].pid;
    hd__gen_uscc(e->uscc, &f->rng, county_code(f));
    hd__gen_enterprise_name(e->name, sizeof(e->name), &f->rng);
    e->role = role;
    e->capital_fen = capital;
    e->status = status;
    e->established = past_date(f, 200, 20 * 365);
    return e;
}

/* How a person's pid is spelled in bank and insurer rows: the old
 * 15-digit form for some born in the 1900s, a lowercase x for some. */
static int pid_form(gen_family *f, const gen_person *p)
{
    int y, m, d;
    hd_date_to_ymd(p->birth, &y, &m, &d);
    if (y >= 1900 && y <= 1999 && p->age >= 50 && gen_chance(&f->rng, 60))
        return HD_GEN_PID_15;
    if (p->pid[17] == 'X' && gen_chance(&f->rng, 200))
        return HD_GEN_PID_LOWER_X;
    return HD_GEN_PID_AS_IS;
}

static void add_deposit(gen_family *f, gen_counters *cnt, int owner,
                        int product, int64_t balance)
{
    hd_gen_deposit *d = ADD(f, deposit, GEN_CAP_DEPOSIT);
    if (!d)
        return;
    d->pid = f->persons[owner].pid;
    d->pid_form = pid_form(f, &f->persons[owner]);
    d->institution = hd__gen_bank(&f->rng);
    snprintf(d->account, sizeof(d->account), "62%02u********%04u",
             (unsigned)gen_below(&f->rng, 100),
             (unsigned)(++cnt->account_seq % 10000));
    d->product = product;
    d->balance_fen = balance;
}

/* Ordinary assets, kept within the county's limits. */
static void plan_assets(gen_family *f, gen_counters *cnt)
{
    gen_rng *r = &f->rng;
    const hd_gen_params *P = params(f);
    int n = 0;
    int64_t limit, budget;

    for (int i = 0; i < f->member_count; i++)
        n += alive_member(f, i);
    if (n == 0)
        n = 1;
    limit = (int64_t)P->financial_limit_months_dibao * f->standard;
    budget = gen_scale(limit * n, gen_range(r, 0, 450));

    for (int i = 0; i < f->member_count; i++) {
        gen_person *p = &f->persons[i];
        if (p->age < 18 && !gen_chance(r, 100))
            continue;
        if (gen_chance(r, 700)) {
            int64_t b = gen_scale(budget, gen_range(r, 0, 500));
            add_deposit(f, cnt, i, HD_GEN_DEP_DEMAND, b);
            budget -= b;
        }
        if (p->age >= 18 && gen_chance(r, 180)) {
            int64_t b = gen_scale(budget, gen_range(r, 0, 600));
            add_deposit(f, cnt, i, HD_GEN_DEP_TIME, b - b % 100000);
            budget -= b - b % 100000;
        }
        if (p->age >= 18 && gen_chance(r, 15)) {
            hd_gen_securities *s = ADD(f, securities, GEN_CAP_SECURITIES);
            if (s) {
                int64_t v = gen_scale(budget, gen_range(r, 0, 300));
                s->pid = p->pid;
                s->institution = hd__gen_broker(r);
                s->market_value_fen = v;
                budget -= v;
            }
        }
        if (p->age >= 18 && gen_chance(r, 110)) {
            hd_gen_insurance *s = ADD(f, insurance, GEN_CAP_INSURANCE);
            if (s) {
                uint32_t u = gen_below(r, 1000);
                bool saving = u < 450; /* life and annuity build cash value */
                s->pid = p->pid;
                s->pid_form = pid_form(f, p);
                snprintf(s->policy_no, sizeof(s->policy_no), "P%012llu",
                         (unsigned long long)(++cnt->account_seq));
                s->product = u < 350   ? HD_GEN_INS_LIFE
                             : u < 450 ? HD_GEN_INS_ANNUITY
                             : u < 900 ? HD_GEN_INS_HEALTH
                                       : HD_GEN_INS_PROPERTY;
                s->cash_value_fen =
                    saving ? gen_scale(budget, gen_range(r, 0, 300)) : 0;
                s->annual_premium_fen = gen_range(r, 30000, 360000);
                budget -= s->cash_value_fen;
            }
        }
    }

    /* A home for most: within the area limit when the county has one. */
    if (gen_chance(r, 650)) {
        int owner = adult_member(f);
        int s = spouse_member(f, owner);
        int64_t area = gen_range(r, 3200, 9500);
        hd_gen_estate *e;
        if (P->has_max_area_per_capita &&
            area > gen_scale(P->max_area_per_capita_m2x100 * n, 950))
            area = gen_scale(P->max_area_per_capita_m2x100 * n,
                             gen_range(r, 500, 950));
        e = add_home(f, cnt, owner, HD_GEN_USE_RESIDENTIAL, area,
                     s >= 0 && gen_chance(r, 400) ? 50 : 100);
        if (e && e->share == 50)
            co_own(f, e, s, 50);
    }
    if (gen_chance(r, 60)) {
        /* sold long ago: the registration is cancelled */
        hd_gen_estate *e =
            add_home(f, cnt, adult_member(f), HD_GEN_USE_RESIDENTIAL,
                     gen_range(r, 4000, 12000), 100);
        if (e)
            e->status = 2;
    }
    if (gen_chance(r, 40))
        add_home(f, cnt, adult_member(f), HD_GEN_USE_OTHER,
                 gen_range(r, 600, 2500), 100); /* a storage room */

    /* Vehicles that do not count, and now and then one under the
     * county's exempt value. */
    if (gen_chance(r, 70))
        add_vehicle(f, cnt, adult_member(f), HD_GEN_VEH_MOTORCYCLE,
                    gen_range(r, 50000, 600000), 1);
    if (gen_chance(r, 35))
        add_vehicle(f, cnt, adult_member(f), HD_GEN_VEH_FARM,
                    gen_range(r, 100000, 2000000), 1);
    if (gen_chance(r, 30))
        add_vehicle(f, cnt, adult_member(f),
                    gen_chance(r, 800) ? HD_GEN_VEH_CAR : HD_GEN_VEH_TRUCK,
                    gen_range(r, 100000, 3000000), 2);
    for (int i = 0; i < f->member_count; i++)
        if (f->persons[i].disability_category == 4 && f->persons[i].age >= 18 &&
            gen_chance(r, 300))
            add_vehicle(f, cnt, i, HD_GEN_VEH_DISABILITY,
                        gen_range(r, 100000, 800000), 1);
    if (P->vehicle_exempt_value_fen > 0 && gen_chance(r, 250))
        add_vehicle(f, cnt, adult_member(f), HD_GEN_VEH_CAR,
                    gen_chance(r, 200)
                        ? P->vehicle_exempt_value_fen
                        : gen_range(r, 200000, P->vehicle_exempt_value_fen),
                    1);

    /* Businesses that do not count. */
    if (gen_chance(r, 40)) {
        int owner = adult_member(f);
        month_range mr;
        add_enterprise(f, owner, HD_GEN_ROLE_INDIVIDUAL,
                       gen_range(r, 500000, 5000000), 1);
        /* a stall's income, self-declared each quarter */
        months_of(f, &mr);
        for (int32_t m = mr.first; m <= mr.last; m++)
            if (m % 3 == 2)
                add_tax(f, f->persons[owner].pid, m, HD_GEN_TAX_BUSINESS, NULL,
                        gen_range(r, 10000, 60000), 0);
    }
    if (gen_chance(r, 25))
        add_enterprise(f, adult_member(f),
                       gen_chance(r, 500) ? HD_GEN_ROLE_LEGAL_REP
                                          : HD_GEN_ROLE_SHAREHOLDER,
                       gen_range(r, 10000000, 500000000),
                       (int)gen_range(r, 2, 3));
    if (P->enterprise_capital_limit_fen > 0 && gen_chance(r, 150))
        add_enterprise(
            f, adult_member(f), HD_GEN_ROLE_SHAREHOLDER,
            gen_chance(r, 300)
                ? P->enterprise_capital_limit_fen
                : gen_range(r, 100000, P->enterprise_capital_limit_fen),
            1);
}

static void person_rows(gen_family *f)
{
    gen_rng *r = &f->rng;
    month_range mr;

    months_of(f, &mr);
    for (int i = 0; i < f->person_count; i++) {
        gen_person *p = &f->persons[i];

        if (p->in_hukou) {
            hd_gen_hukou *h = ADD(f, hukou, GEN_CAP_HUKOU);
            if (h) {
                h->pid = p->pid;
                h->name = p->name;
                h->sex = p->sex;
                h->birth = p->birth;
                h->hukou_no =
                    p->hukou_elsewhere ? p->own_hukou_no : f->hukou_no;
                h->relation =
                    p->hukou_elsewhere && !p->member ? 2 : p->hukou_relation;
                h->region = p->hukou_elsewhere
                                ? f->world->counties[p->county].code
                                : county_code(f);
                h->status = p->hukou_status;
                h->status_date = HD_GEN_NO_DATE;
                if (p->hukou_status == 2)
                    h->status_date = p->death + (int32_t)gen_range(r, 0, 12);
                else if (p->hukou_status == 3)
                    h->status_date = past_date(f, 100, 3000);
                if (h->status_date != HD_GEN_NO_DATE &&
                    h->status_date > f->world->as_of)
                    h->status_date = f->world->as_of;
            }
        }
        if (p->death_row) {
            hd_gen_death *d = ADD(f, death, GEN_CAP_DEATH);
            if (d) {
                d->pid = p->pid;
                d->date = p->death;
            }
        }
        if (p->marriage_rows && p->spouse >= 0) {
            hd_gen_marriage *m = ADD(f, marriage, GEN_CAP_MARRIAGE);
            if (m) {
                m->pid = p->pid;
                m->spouse_pid = f->persons[p->spouse].pid;
                m->event = 1;
                m->date = p->married_on;
            }
        }
        if (p->ex >= 0 && (p->member || p->in_hukou)) {
            hd_gen_marriage *m = ADD(f, marriage, GEN_CAP_MARRIAGE);
            if (m) {
                m->pid = p->pid;
                m->spouse_pid = f->persons[p->ex].pid;
                m->event = 1;
                m->date = p->ex_married_on;
            }
            m = ADD(f, marriage, GEN_CAP_MARRIAGE);
            if (m) {
                m->pid = p->pid;
                m->spouse_pid = f->persons[p->ex].pid;
                m->event = 2;
                m->date = p->ex_divorced_on;
            }
        }
        if (p->disability_level && p->member) {
            hd_gen_disability *d = ADD(f, disability, GEN_CAP_DISABILITY);
            if (d) {
                d->pid = p->pid;
                d->category =
                    p->disability_category ? p->disability_category : 4;
                d->level = p->disability_level;
                /* certificates are renewed; some lapsed */
                d->valid_until = on_date(f) + (int32_t)gen_range(r, -300, 1800);
            }
        }
        if (p->member && working_age(p) && gen_chance(r, 70)) {
            hd_gen_unemployment *u = ADD(f, unemployment, GEN_CAP_UNEMPLOYMENT);
            if (u) {
                u->pid = p->pid;
                u->registered = past_date(f, 60, 900);
                u->ended = gen_chance(r, 500)
                               ? HD_GEN_NO_DATE
                               : u->registered + (int32_t)gen_range(r, 30, 50);
                if (u->ended != HD_GEN_NO_DATE && u->ended > f->world->as_of)
                    u->ended = HD_GEN_NO_DATE;
            }
        }
    }
}

/* The wage rows of the earner inside the window. */
static int earner_rows(gen_family *f, int earner, size_t *idx, int cap)
{
    month_range mr;
    int n = 0;

    months_of(f, &mr);
    for (size_t i = 0; i < f->tax_count && n < cap; i++) {
        hd_gen_tax *t = &f->tax[i];
        if (t->pid == f->persons[earner].pid &&
            t->category == HD_GEN_TAX_WAGE && t->period >= mr.w_first &&
            t->period <= mr.w_last)
            idx[n++] = i;
    }
    return n;
}

static void build_application(gen_family *f, hd_gen_application *app)
{
    app->application_no = f->application_no;
    app->program = f->program_text;
    app->region = county_code(f);
    app->applied_on = on_date(f);
    app->members = f->members;
    app->member_count = f->declared_count;
}

static void compute_truth(gen_family *f)
{
    hd_gen_application app;
    hd_gen_dossier d;
    hd_gen_authorization auths[GEN_MAX_AUTHS];

    build_application(f, &app);
    hd__gen_family_dossier(&d, f);
    for (int i = 0; i < f->auth_count; i++)
        auths[i] = f->auths[i].a;
    hd_gen_truth(&f->truth, &app, auths, (size_t)f->auth_count, &d,
                 &f->world->policy);
}

static int64_t current_income(gen_family *f)
{
    hd_gen_application app;
    hd_gen_dossier d;

    build_application(f, &app);
    hd__gen_family_dossier(&d, f);
    return hd__gen_truth_income(&app, &d, params(f));
}

/* Alive members of the application (n of section 2). */
static int alive_count(const gen_family *f)
{
    int n = 0;
    for (int i = 0; i < f->member_count; i++)
        n += alive_member(f, i);
    return n;
}

/* Tune the earner's wage so that I lands in [lo, lo + span). */
static bool tune_income(gen_family *f, int earner, int64_t lo, int64_t span)
{
    size_t idx[64];
    int n = earner_rows(f, earner, idx, 64);
    int64_t now, target, delta, step, floor_fen;

    if (n == 0)
        return false;
    now = current_income(f);
    target = lo + gen_range(&f->rng, 0, span - 1);
    delta = target - now;
    step = delta / n;
    /* Every tuned wage stays above the disregard, so the disregard does
     * not move with it. */
    floor_fen = params(f)->earned_income_disregard_fen + 100;
    for (int k = 0; k < n; k++) {
        hd_gen_tax *t = &f->tax[idx[k]];
        int64_t add = k == n - 1 ? delta - step * (n - 1) : step;
        if (t->income_fen < floor_fen)
            return false;
        t->income_fen += add;
        if (t->income_fen < floor_fen)
            return false;
    }
    return current_income(f) == target;
}

static void declare(gen_family *f)
{
    const hd_gen_result *r = &f->truth;
    int k = params(f)->income_months;

    if (r->has_figures) {
        int64_t monthly = r->figures.income_fen / (k > 0 ? k : 12);
        f->declared_income_fen = monthly - monthly % 1000;
        f->declared_assets_fen = r->figures.financial_assets_fen -
                                 r->figures.financial_assets_fen % 10000;
        f->declared_vehicles = r->figures.vehicles;
        f->declared_homes = r->figures.homes;
    } else {
        /* Refused or unauthorized: no figures, but the form still shows
         * what the family says it lives on. */
        hd_gen_application app;
        hd_gen_dossier d;
        int64_t monthly;

        build_application(f, &app);
        hd__gen_family_dossier(&d, f);
        monthly = hd__gen_truth_income(&app, &d, params(f)) / (k > 0 ? k : 12);
        f->declared_income_fen = monthly - monthly % 1000;
        f->declared_assets_fen = 0;
        for (size_t i = 0; i < f->deposit_count; i++)
            f->declared_assets_fen += f->deposit[i].balance_fen;
        f->declared_assets_fen -= f->declared_assets_fen % 10000;
        f->declared_vehicles = 0;
        f->declared_homes = 0;
    }
}

/* --------------------------------------------------- authorizations */

static uint32_t purposes_for(gen_family *f)
{
    uint32_t p = (1u << HD_GEN_PROG_DIBAO) | (1u << HD_GEN_PROG_LOW_INCOME) |
                 (1u << HD_GEN_PROG_MEDICAL_AID);
    if (gen_chance(&f->rng, 300) || !(p & (1u << f->program)))
        p = (1u << HD_GEN_PROG_COUNT_) - 1;
    return p;
}

static int guardian_of(const gen_family *f, int i)
{
    const gen_person *p = &f->persons[i];
    bool needs = p->age < 18 ||
                 (p->disability_level && p->disability_level <= 2 &&
                  (p->disability_category == 5 || p->disability_category == 6));
    if (!needs)
        return i;
    for (int k = 0; k < f->member_count; k++)
        if (k != i && f->persons[k].age >= 18 &&
            !(f->persons[k].disability_level &&
              f->persons[k].disability_level <= 2))
            return k;
    return i;
}

static gen_auth *add_auth(gen_family *f, int member)
{
    gen_auth *a;

    if (f->auth_count == GEN_MAX_AUTHS) {
        f->overflow = true;
        return NULL;
    }
    a = &f->auths[f->auth_count];
    memset(a, 0, sizeof(*a));
    snprintf(a->id, sizeof(a->id), "AUTH-%s-%d", f->application_no,
             f->auth_count + 1);
    f->auth_count++;
    a->a.pid = f->persons[member].pid;
    a->signer = guardian_of(f, member);
    a->a.purposes = purposes_for(f);
    a->a.scope_all = true;
    a->a.valid_from = on_date(f) - (int32_t)gen_range(&f->rng, 0, 45);
    a->a.valid_until = a->a.valid_from + 364;
    return a;
}

/* Every feed id the verification reads, and unemployment too. */
static uint32_t all_feed_ids(void)
{
    uint32_t m = 0;
    for (int i = 0; i < hd_feed_count; i++)
        m |= 1u << hd_feeds[i].id;
    return m;
}

static void make_auths(gen_family *f, plan *pl)
{
    gen_rng *r = &f->rng;
    int bad = -1;

    f->auth_count = 0;
    if (f->scenario == HD_GEN_SC_UNAUTHORIZED)
        bad = (int)gen_below(r, (uint32_t)f->member_count);
    for (int i = 0; i < f->member_count; i++) {
        gen_auth *a;
        bool second_bad = f->scenario == HD_GEN_SC_UNAUTHORIZED && i != bad &&
                          pl->variant % 7 == 0;

        if (f->scenario == HD_GEN_SC_ALL_DECEASED) {
            /* signed by each member a while ago, before they died */
            a = add_auth(f, i);
            if (a) {
                a->signer = i;
                a->a.valid_from = on_date(f) - (int32_t)gen_range(r, 250, 300);
                a->a.valid_until = a->a.valid_from + 2 * 365;
            }
            continue;
        }
        if (i == bad || second_bad) {
            switch ((pl->variant + i) % 5) {
            case 0:
                break; /* none at all */
            case 1:
                a = add_auth(f, i); /* expired */
                if (a) {
                    a->a.valid_until =
                        on_date(f) - (int32_t)gen_range(r, 1, 90);
                    a->a.valid_from = a->a.valid_until - 364;
                }
                break;
            case 2:
                a = add_auth(f, i); /* another purpose */
                if (a)
                    a->a.purposes =
                        ((1u << HD_GEN_PROG_COUNT_) - 1) & ~(1u << f->program);
                break;
            case 3:
                a = add_auth(f, i); /* not yet valid */
                if (a) {
                    a->a.valid_from = on_date(f) + (int32_t)gen_range(r, 1, 30);
                    a->a.valid_until = a->a.valid_from + 364;
                }
                break;
            default:
                a = add_auth(f, i); /* a scope without the deposits */
                if (a) {
                    const hd_feed *dep = hd_feed_find("deposit");
                    a->a.scope_all = false;
                    a->scope_list = true;
                    a->a.scope_feeds =
                        all_feed_ids() & ~(dep ? 1u << dep->id : 0u);
                }
                break;
            }
            continue;
        }
        a = add_auth(f, i);
        if (!a)
            continue;
        /* Boundaries and forms a verification must accept. */
        switch (gen_below(r, 100)) {
        case 0:
        case 1:
            a->a.valid_until = on_date(f); /* last valid day */
            a->a.valid_from = a->a.valid_until - 364;
            break;
        case 2:
        case 3:
            a->a.valid_from = on_date(f); /* first valid day */
            a->a.valid_until = a->a.valid_from + 364;
            break;
        case 4:
        case 5:
        case 6: {
            /* an explicit list of every feed read (unemployment is not
             * read, so it may be left out) */
            const hd_feed *u = hd_feed_find("unemployment");
            a->a.scope_all = false;
            a->scope_list = true;
            a->a.scope_feeds = all_feed_ids();
            if (u && gen_chance(r, 500))
                a->a.scope_feeds &= ~(1u << u->id);
            break;
        }
        case 7:
        case 8: {
            /* an older, expired one besides the valid one */
            gen_auth *old = add_auth(f, i);
            if (old) {
                old->a.valid_until = a->a.valid_from - 1;
                old->a.valid_from = old->a.valid_until - 364;
            }
            break;
        }
        default:
            break;
        }
    }
}

/* --------------------------------------------------------- planting */

/* Apply the scenario's plant. Returns false when this draw cannot carry
 * it (the caller draws again). */
static bool plant(gen_family *f, plan *pl, gen_counters *cnt)
{
    gen_rng *r = &f->rng;
    const hd_gen_params *P = params(f);
    int n = alive_count(f);
    int k = P->income_months;
    int64_t S = f->standard;
    month_range mr;

    months_of(f, &mr);
    if (n == 0)
        n = 1;
    switch (f->scenario) {
    case HD_GEN_SC_HIDDEN_WAGE: {
        /* An undeclared job: wages the tax bureau knows about, no social
         * insurance. */
        int64_t w = gen_scale(S * n, gen_range(r, 1150, 2400)) +
                    P->earned_income_disregard_fen;
        const char *payer = new_uscc(f);
        int32_t from = mr.w_first - (int32_t)gen_range(r, 0, 4);
        if (pl->focus < 0)
            return false;
        for (int32_t m = from; m <= mr.last; m++) {
            int64_t x = w + gen_scale(w, gen_range(r, -30, 30));
            add_tax(f, f->persons[pl->focus].pid, m, HD_GEN_TAX_WAGE, payer, x,
                    wage_tax(x, 0));
        }
        return true;
    }
    case HD_GEN_SC_ESTIMATED_WAGE: {
        /* Contributions or a provident fund on a base, and no wage row:
         * the wage is estimated from the base (section 3). */
        gen_person *p;
        int64_t base = gen_scale(S * n, gen_range(r, 1400, 2600)) +
                       P->earned_income_disregard_fen;
        const char *employer = new_uscc(f);
        int v = pl->variant % 4;
        int64_t balance = gen_range(r, 0, 2000000);
        if (pl->focus < 0)
            return false;
        p = &f->persons[pl->focus];
        base = (base * 125 / 100) - (base * 125 / 100) % 100;
        for (int32_t m = mr.first; m <= mr.last; m++) {
            if (v == 0) /* flexible employment: pays 20% on its own */
                add_si(f, p->pid, m, HD_GEN_SI_CONTRIB, base, base / 5, NULL);
            else if (v == 1 || v == 3) /* an employer that files no wages */
                add_si(f, p->pid, m, HD_GEN_SI_CONTRIB, base, base * 8 / 100,
                       employer);
            if (v >= 2) {
                int64_t fb = v == 3 ? base + base / 10 : base;
                int64_t dep = fb * 14 / 100;
                balance += dep;
                add_fund(f, p->pid, m, fb, dep, balance);
            }
        }
        return true;
    }
    case HD_GEN_SC_UNDECLARED_CAR: {
        hd_gen_vehicle *v = add_vehicle(
            f, cnt, adult_member(f),
            gen_chance(r, 850) ? HD_GEN_VEH_CAR : HD_GEN_VEH_TRUCK,
            P->vehicle_exempt_value_fen +
                (pl->variant < 50 ? 1 : gen_range(r, 500000, 15000000)),
            1);
        return v != NULL;
    }
    case HD_GEN_SC_SECOND_HOME: {
        int homes = 0;
        for (size_t i = 0; i < f->estate_count; i++)
            homes += f->estate[i].status == 1 &&
                     f->estate[i].use == HD_GEN_USE_RESIDENTIAL;
        while (homes <= P->max_homes) {
            int64_t area = gen_range(r, 2500, 6000);
            if (P->has_max_area_per_capita)
                area = gen_scale(P->max_area_per_capita_m2x100 * n,
                                 gen_range(r, 150, 400));
            if (!add_home(f, cnt, adult_member(f), HD_GEN_USE_RESIDENTIAL, area,
                          100))
                return false;
            homes++;
        }
        return true;
    }
    case HD_GEN_SC_HOME_AREA: {
        int owner = adult_member(f);
        int s = spouse_member(f, owner);
        int64_t area;
        hd_gen_estate *e;
        /* One large home instead of any other. */
        for (size_t i = 0; i < f->estate_count; i++)
            if (f->estate[i].use == HD_GEN_USE_RESIDENTIAL)
                f->estate[i].status = 2;
        if (pl->variant < 80) /* one hundredth of a m² above the limit */
            area = P->max_area_per_capita_m2x100 * n + n;
        else
            area = gen_scale(P->max_area_per_capita_m2x100 * n,
                             gen_range(r, 1150, 2000));
        e = add_home(f, cnt, owner, HD_GEN_USE_RESIDENTIAL, area,
                     s >= 0 ? 50 : 100);
        if (e && s >= 0)
            co_own(f, e, s, 50);
        return e != NULL;
    }
    case HD_GEN_SC_DEPOSITS: {
        int months = f->program == HD_GEN_PROG_LOW_INCOME
                         ? P->financial_limit_months_low_income
                         : P->financial_limit_months_dibao;
        int64_t total = months * S * n;
        if (pl->variant < 60)
            total += n; /* one fen per person above the limit */
        else
            total = gen_scale(total, gen_range(r, 1200, 3000));
        add_deposit(f, cnt, adult_member(f),
                    gen_chance(r, 600) ? HD_GEN_DEP_TIME : HD_GEN_DEP_WEALTH,
                    total);
        return true;
    }
    case HD_GEN_SC_SHAREHOLDER:
        return add_enterprise(f, adult_member(f),
                              gen_chance(r, 500) ? HD_GEN_ROLE_LEGAL_REP
                                                 : HD_GEN_ROLE_SHAREHOLDER,
                              P->enterprise_capital_limit_fen +
                                  (pl->variant < 50
                                       ? 1
                                       : gen_range(r, 1000000, 100000000)),
                              1) != NULL;
    case HD_GEN_SC_NONRESIDENTIAL:
        return add_home(f, cnt, adult_member(f),
                        HD_GEN_USE_COMMERCIAL + (int)gen_below(r, 3),
                        gen_range(r, 1500, 30000), 100) != NULL;
    case HD_GEN_SC_MEDICAL_HARDSHIP: {
        /* Income above the low-income line, big out-of-pocket costs
         * bringing it below (sections 5 and 6). */
        int64_t income = current_income(f);
        int64_t line_x10000 = P->low_income_factor_x10000 * S * k * n;
        int64_t keep, spend;
        int sick = adult_member(f);
        int32_t m0;
        int months;
        if (income * 10000 < line_x10000)
            return false;
        keep = gen_scale(line_x10000 / 10000, gen_range(r, 400, 900));
        spend = income - keep;
        if (spend <= 0)
            return false;
        months = (int)gen_range(r, 2, 6);
        m0 = (int32_t)gen_range(r, mr.w_first, mr.w_last - months + 1);
        for (int j = 0; j < months; j++) {
            int64_t self =
                j == months - 1 ? spend - spend / months * j : spend / months;
            int64_t total = self + gen_scale(self, gen_range(r, 800, 2500));
            add_medical(f, f->persons[sick].pid, m0 + j, total, self, 1);
        }
        return true;
    }
    case HD_GEN_SC_BORDERLINE_BELOW:
    case HD_GEN_SC_BORDERLINE_ABOVE: {
        int64_t cells = (int64_t)k * n;
        int64_t pci = f->scenario == HD_GEN_SC_BORDERLINE_BELOW ? S - 1 : S;
        if (pl->earner < 0)
            return false;
        return tune_income(f, pl->earner, pci * cells, cells);
    }
    case HD_GEN_SC_EXCLUDED_CATEGORY: {
        /* Income in a category the county excludes, large enough that
         * counting it would fail the dibao test. */
        bool transfer_ok =
            (P->excluded_categories & (1u << HD_GEN_TAX_TRANSFER)) != 0;
        bool incidental_ok =
            (P->excluded_categories & (1u << HD_GEN_TAX_INCIDENTAL)) != 0;
        /* a prize (incidental) or the sale of an inherited flat (transfer) */
        int cat = transfer_ok && (!incidental_ok || pl->variant % 5 < 2)
                      ? HD_GEN_TAX_TRANSFER
                      : HD_GEN_TAX_INCIDENTAL;
        int64_t x = gen_scale(S * k * n, gen_range(r, 1500, 2500));
        int32_t m = (int32_t)gen_range(r, mr.w_first, mr.w_last);
        hd_gen_params counted = *P;
        hd_gen_application app;
        hd_gen_dossier d;
        add_tax(f, f->persons[adult_member(f)].pid, m, cat,
                cat == HD_GEN_TAX_INCIDENTAL ? new_uscc(f) : NULL, x, x / 5);
        counted.excluded_categories = 0;
        build_application(f, &app);
        hd__gen_family_dossier(&d, f);
        pl->excluded_matters =
            hd__gen_truth_income(&app, &d, &counted) / (k * n) >= S;
        return pl->excluded_matters;
    }
    default:
        return true;
    }
}

/* The application's program, unknown ones included. */
static void choose_program(gen_family *f, plan *pl)
{
    gen_rng *r = &f->rng;
    uint32_t u = gen_below(r, 1000);

    switch (f->scenario) {
    case HD_GEN_SC_CLEAN:
        f->program = u < 650   ? HD_GEN_PROG_DIBAO
                     : u < 820 ? HD_GEN_PROG_LOW_INCOME
                               : HD_GEN_PROG_MEDICAL_AID;
        break;
    case HD_GEN_SC_MEDICAL_HARDSHIP:
        f->program = u < 750 ? HD_GEN_PROG_EXPENDITURE_HARDSHIP
                             : HD_GEN_PROG_MEDICAL_AID;
        break;
    case HD_GEN_SC_TEKUN:
        f->program = HD_GEN_PROG_TEKUN;
        break;
    case HD_GEN_SC_UNDECLARED_CAR:
    case HD_GEN_SC_SECOND_HOME:
    case HD_GEN_SC_HOME_AREA:
    case HD_GEN_SC_SHAREHOLDER:
    case HD_GEN_SC_NONRESIDENTIAL:
    case HD_GEN_SC_DEPOSITS:
        f->program = u < 800 ? HD_GEN_PROG_DIBAO : HD_GEN_PROG_LOW_INCOME;
        break;
    case HD_GEN_SC_UNAUTHORIZED:
        f->program = u < 700   ? HD_GEN_PROG_DIBAO
                     : u < 850 ? HD_GEN_PROG_LOW_INCOME
                               : HD_GEN_PROG_MEDICAL_AID;
        break;
    default:
        f->program = HD_GEN_PROG_DIBAO;
        break;
    }
    snprintf(f->program_text, sizeof(f->program_text), "%s",
             hd_gen_program_name(f->program));
    if (f->scenario == HD_GEN_SC_REFUSED && pl->variant % 4 == 1) {
        /* 五保 (wubao) was folded into tekun in 2014; old forms still
         * carry it. */
        snprintf(f->program_text, sizeof(f->program_text), "%s",
                 u < 500 ? "wubao" : "temporary_assistance");
    }
}

/* The application's members as written: a typo for some refused ones, a
 * lowercase x now and then (accepted). */
static void write_members(gen_family *f, plan *pl, bool refused_pid)
{
    gen_rng *r = &f->rng;
    int bad = refused_pid ? (int)gen_below(r, (uint32_t)f->member_count) : -1;

    f->declared_count = f->member_count;
    for (int i = 0; i < f->member_count; i++) {
        gen_person *p = &f->persons[i];
        char *t = f->member_pid_text[i];
        memcpy(t, p->pid, 19);
        if (p->pid[17] == 'X' && gen_chance(r, 150))
            t[17] = 'x';
        if (i == bad) {
            switch ((pl->variant / 4) % 5) {
            case 0: /* a digit left out */
                memmove(t + 9, t + 10, 9);
                break;
            case 1: /* a letter for a digit */
                t[10] = 'O';
                break;
            case 2: /* a letter in the address code */
                t[2] = 'A';
                break;
            case 3: /* the 13th month, check character recomputed */
                t[10] = '1';
                t[11] = '3';
                t[17] = hd_pid_check_char(t);
                break;
            default: /* a wrong check character */
                t[17] = t[17] == '0' ? '1' : '0';
                break;
            }
        }
        f->members[i].pid = t;
        f->members[i].name = p->name;
        f->members[i].relation = p->relation;
    }
    if (f->scenario == HD_GEN_SC_REFUSED && pl->variant % 4 == 3 &&
        !refused_pid)
        f->declared_count = 0; /* a form sent without its members */
}

/* Reset every record of phase two. */
static void reset_records(gen_family *f)
{
    f->hukou_count = f->marriage_count = f->death_count = 0;
    f->tax_count = f->si_count = f->medical_count = f->fund_count = 0;
    f->estate_count = f->vehicle_count = f->enterprise_count = 0;
    f->deposit_count = f->securities_count = f->insurance_count = 0;
    f->disability_count = f->unemployment_count = 0;
    f->uscc_count = 0;
    f->overflow = false;
}

static int64_t clean_target(gen_family *f)
{
    gen_rng *r = &f->rng;
    const hd_gen_params *P = params(f);
    int n = alive_count(f);
    int64_t S = f->standard;

    if (n == 0)
        return 0;
    if (f->program == HD_GEN_PROG_LOW_INCOME && f->scenario == HD_GEN_SC_CLEAN)
        /* between the dibao standard and the low-income line */
        return gen_scale(
            S * n,
            gen_range(r, 1030, P->low_income_factor_x10000 / 10 * 95 / 100));
    return gen_scale(S * n, gen_range(r, 30, 750));
}

static void phase_two(gen_family *f, plan *pl, gen_counters *cnt, bool minimal)
{
    int64_t target;

    reset_records(f);
    pl->earner = minimal ? -1 : pl->focus;
    if (f->scenario != HD_GEN_SC_HIDDEN_WAGE &&
        f->scenario != HD_GEN_SC_ESTIMATED_WAGE &&
        f->scenario != HD_GEN_SC_BORDERLINE_BELOW &&
        f->scenario != HD_GEN_SC_BORDERLINE_ABOVE &&
        f->scenario != HD_GEN_SC_MEDICAL_HARDSHIP)
        pl->earner = -1;
    person_rows(f);
    if (minimal)
        return;

    switch (f->scenario) {
    case HD_GEN_SC_HIDDEN_WAGE:
    case HD_GEN_SC_ESTIMATED_WAGE:
        /* The declared situation: little income; the plant adds the
         * rest. */
        pl->earner = -1;
        target = gen_scale(f->standard * alive_count(f),
                           gen_range(&f->rng, 20, 400));
        plan_income(f, pl, target, false);
        break;
    case HD_GEN_SC_BORDERLINE_BELOW:
    case HD_GEN_SC_BORDERLINE_ABOVE:
        target = f->standard * alive_count(f);
        plan_income(f, pl, target, true);
        break;
    case HD_GEN_SC_MEDICAL_HARDSHIP:
        target = gen_scale(f->standard * alive_count(f),
                           params(f)->low_income_factor_x10000 / 10 *
                               gen_range(&f->rng, 1100, 1500) / 1000);
        plan_income(f, pl, target, true);
        break;
    case HD_GEN_SC_TEKUN:
        plan_income(f, pl, 0, false);
        break;
    default:
        plan_income(f, pl, clean_target(f), true);
        break;
    }
    if (f->scenario != HD_GEN_SC_BORDERLINE_BELOW &&
        f->scenario != HD_GEN_SC_BORDERLINE_ABOVE &&
        f->scenario != HD_GEN_SC_TEKUN) {
        small_incomes(f);
        benefit_rows(f);
    }
    medical_rows(f);
    plan_assets(f, cnt);
}

bool hd__gen_scenario_holds(const gen_family *f)
{
    const hd_gen_result *r = &f->truth;
    const uint32_t forced = HD_GEN_N_MEMBER_DECEASED |
                            HD_GEN_N_MEMBER_NOT_IN_HUKOU |
                            HD_GEN_N_UNDECLARED_SPOUSE;
    bool fails = r->conclusion == HD_GEN_FAILS && r->findings == 0;

    switch (f->scenario) {
    case HD_GEN_SC_CLEAN:
        return r->conclusion == HD_GEN_MEETS &&
               !(r->findings & ~(uint32_t)HD_GEN_N_SUPPORTER_CHECK);
    case HD_GEN_SC_HIDDEN_WAGE:
    case HD_GEN_SC_ESTIMATED_WAGE:
        return fails && r->failed == HD_GEN_F_INCOME;
    case HD_GEN_SC_UNDECLARED_CAR:
        return fails && r->failed == HD_GEN_F_VEHICLE;
    case HD_GEN_SC_SECOND_HOME:
        return fails && r->failed == HD_GEN_F_HOMES;
    case HD_GEN_SC_HOME_AREA:
        return fails && r->failed == HD_GEN_F_HOME_AREA;
    case HD_GEN_SC_DEPOSITS:
        return fails && r->failed == HD_GEN_F_FINANCIAL_ASSETS;
    case HD_GEN_SC_SHAREHOLDER:
        return fails && r->failed == HD_GEN_F_ENTERPRISE;
    case HD_GEN_SC_NONRESIDENTIAL:
        return fails && r->failed == HD_GEN_F_NONRESIDENTIAL;
    case HD_GEN_SC_DECEASED_MEMBER:
        return r->conclusion == HD_GEN_REVIEW && r->has_figures &&
               r->findings == HD_GEN_N_MEMBER_DECEASED && r->failed == 0 &&
               r->figures.members < f->declared_count;
    case HD_GEN_SC_UNDECLARED_SPOUSE:
        return r->conclusion == HD_GEN_REVIEW &&
               r->findings == HD_GEN_N_UNDECLARED_SPOUSE && r->failed == 0;
    case HD_GEN_SC_MEDICAL_HARDSHIP:
        return r->conclusion == HD_GEN_MEETS && r->findings == 0 &&
               r->level == HD_GEN_LEVEL_EXPENDITURE_HARDSHIP;
    case HD_GEN_SC_TEKUN:
        return r->conclusion == HD_GEN_MEETS &&
               r->findings == HD_GEN_N_SUPPORTER_CHECK;
    case HD_GEN_SC_NOT_IN_HUKOU:
        return r->conclusion == HD_GEN_REVIEW &&
               r->findings == HD_GEN_N_MEMBER_NOT_IN_HUKOU && r->failed == 0;
    case HD_GEN_SC_RELATION_MISMATCH:
        return r->conclusion == HD_GEN_MEETS &&
               r->findings == HD_GEN_N_RELATION_MISMATCH;
    case HD_GEN_SC_BORDERLINE_BELOW:
        return r->conclusion == HD_GEN_MEETS && r->findings == 0 &&
               r->figures.pci_fen == r->params.dibao_standard_fen - 1;
    case HD_GEN_SC_BORDERLINE_ABOVE:
        return fails && r->failed == HD_GEN_F_INCOME &&
               r->figures.pci_fen == r->params.dibao_standard_fen;
    case HD_GEN_SC_UNAUTHORIZED:
        return r->conclusion == HD_GEN_UNAUTHORIZED;
    case HD_GEN_SC_REFUSED:
        return r->conclusion == HD_GEN_REFUSED;
    case HD_GEN_SC_ALL_DECEASED:
        return r->conclusion == HD_GEN_REVIEW && !r->has_figures &&
               (r->findings & forced) == HD_GEN_N_MEMBER_DECEASED;
    case HD_GEN_SC_EXCLUDED_CATEGORY:
        return r->conclusion == HD_GEN_MEETS && r->findings == 0;
    default:
        return false;
    }
}

/* The fallback when a plant keeps missing: no incomes, no assets, nobody
 * dead or missing. */
static void make_plain(gen_family *f, plan *pl)
{
    for (int i = 0; i < f->person_count; i++) {
        gen_person *p = &f->persons[i];
        if (!p->member)
            continue;
        p->in_hukou = true;
        p->hukou_status = 1;
        p->death = HD_GEN_NO_DATE;
        p->death_row = false;
        p->hukou_relation = p->relation;
        p->hukou_elsewhere = false;
        if (p->spouse >= 0 && !f->persons[p->spouse].member)
            p->marriage_rows = false;
    }
    f->scenario = f->world->counties[f->county].has_standard
                      ? HD_GEN_SC_CLEAN
                      : HD_GEN_SC_REFUSED;
    f->program = HD_GEN_PROG_DIBAO;
    snprintf(f->program_text, sizeof(f->program_text), "dibao");
    pl->focus = pl->earner = -1;
}

int hd__gen_family_build(gen_family *f, const gen_world *w, gen_pids *pids,
                         gen_counters *counters, uint64_t seed, int64_t index,
                         hd_error *err)
{
    plan pl;
    int y, m, d;
    int extra;
    bool refused_pid;

    memset(&pl, 0, sizeof(pl));
    f->index = index;
    f->world = w;
    f->person_count = 0;
    f->member_count = 0;
    f->fallback = false;
    reset_records(f);
    gen_rng_seed(&f->rng, seed, (uint64_t)index + 1);

    f->scenario = (hd_gen_scenario)pick_weighted(&f->rng, scenario_weight,
                                                 HD_GEN_SC_COUNT_, NULL);
    pl.variant = (int)gen_below(&f->rng, 1000);
    f->county = pick_county(f, pl.variant);
    f->standard = w->counties[f->county].params.dibao_standard_fen;
    f->month = hd_period_of_date(w->applied_on);
    extra = (int)gen_range(&f->rng, 2, 6);
    f->first_data_month =
        f->month -
        (params(f)->income_months > 12 ? params(f)->income_months : 12) - extra;
    f->last_data_month = hd_period_of_date(w->as_of) - 1;
    if (f->last_data_month > f->month - 1)
        f->last_data_month = f->month - 1;

    hd_date_to_ymd(w->applied_on, &y, &m, &d);
    snprintf(f->application_no, sizeof(f->application_no), "%s-%04d-%06d",
             county_code(f), y, (int)++counters->application_seq[f->county]);
    snprintf(f->hukou_no, sizeof(f->hukou_no), "%s%09d", county_code(f),
             (int)(++counters->hukou_seq[f->county] % 1000000000));

    /* Phase one: the people. */
    pl.composition = pick_comp(f);
    build_composition(f, pids, &pl);
    if (f->member_count == 0 || f->overflow)
        return hd_error_set(err, HD_ELIMIT,
                            "family %lld: cannot allocate citizen IDs",
                            (long long)index);
    plan_people(f, pids, &pl);
    for (int i = 0; i < f->person_count; i++) {
        gen_person *p = &f->persons[i];
        if (p->hukou_elsewhere)
            snprintf(p->own_hukou_no, sizeof(p->own_hukou_no), "%s%09d",
                     w->counties[p->county].code,
                     (int)(++counters->hukou_seq[p->county] % 1000000000));
    }
    choose_program(f, &pl);
    refused_pid = f->scenario == HD_GEN_SC_REFUSED && pl.variant % 4 == 0;

    /* Phase two: the records, until the truth is what was meant. */
    for (int attempt = 0; attempt <= MAX_TRIES; attempt++) {
        bool minimal = attempt == MAX_TRIES;
        if (minimal) {
            make_plain(f, &pl);
            refused_pid = false;
            f->fallback = true;
        }
        phase_two(f, &pl, counters, minimal);
        write_members(f, &pl, refused_pid);
        make_auths(f, &pl);
        compute_truth(f);
        declare(f);
        if (!minimal && !plant(f, &pl, counters))
            continue;
        compute_truth(f);
        if (f->overflow)
            return hd_error_set(err, HD_ELIMIT, "family %lld: too many records",
                                (long long)index);
        if (minimal || hd__gen_scenario_holds(f))
            break;
    }
    return 0;
}

void hd__gen_family_dossier(hd_gen_dossier *d, const gen_family *f)
{
    d->hukou = f->hukou;
    d->hukou_count = f->hukou_count;
    d->marriage = f->marriage;
    d->marriage_count = f->marriage_count;
    d->death = f->death;
    d->death_count = f->death_count;
    d->tax = f->tax;
    d->tax_count = f->tax_count;
    d->si = f->si;
    d->si_count = f->si_count;
    d->medical = f->medical;
    d->medical_count = f->medical_count;
    d->fund = f->fund;
    d->fund_count = f->fund_count;
    d->estate = f->estate;
    d->estate_count = f->estate_count;
    d->vehicle = f->vehicle;
    d->vehicle_count = f->vehicle_count;
    d->enterprise = f->enterprise;
    d->enterprise_count = f->enterprise_count;
    d->deposit = f->deposit;
    d->deposit_count = f->deposit_count;
    d->securities = f->securities;
    d->securities_count = f->securities_count;
    d->insurance = f->insurance;
    d->insurance_count = f->insurance_count;
    d->disability = f->disability;
    d->disability_count = f->disability_count;
    d->unemployment = f->unemployment;
    d->unemployment_count = f->unemployment_count;
}
