/*
 * Section 2 of rules.md: who is in F, and the findings about the family.
 * Findings are looked for over every declared member, the deceased too.
 */
#include "verify_int.h"

#include <string.h>

#include <hedui/std.h>

static bool text_eq(const hd_value *a, const char *b, size_t len)
{
    return !a->is_null && a->len == len && !memcmp(a->text, b, len);
}

static bool values_eq(const hd_value *a, const hd_value *b)
{
    return !a->is_null && !b->is_null && a->len == b->len &&
           !memcmp(a->text, b->text, a->len);
}

static bool is_declared(const hd_application *app, const hd_value *pid)
{
    for (int i = 0; i < app->member_count; i++)
        if (text_eq(pid, app->members[i].pid, strlen(app->members[i].pid)))
            return true;
    return false;
}

/* "that spouse is alive (no hukou.status 2 and no death row; a spouse with
 * no records counts as alive)": the records of other people in the
 * dossier are exactly those of the spouses named in members' marriage
 * rows. */
static bool spouse_alive(const hd_dossier *d, const hd_value *spouse)
{
    for (size_t i = 0; i < d->record_count; i++) {
        const hd_dossier_record *rec = &d->records[i];
        if (rec->member != -1 || !values_eq(&rec->row.values[VF_PID], spouse))
            continue;
        if (rec->feed->id == VF_FEED_DEATH)
            return false;
        if (rec->feed->id == VF_FEED_HUKOU &&
            rec->row.values[VF_HUKOU_STATUS].num == VF_HUKOU_STATUS_DECEASED)
            return false;
    }
    return true;
}

static void read_member_records(vf_state *st)
{
    const hd_dossier *d = st->d;
    int32_t on = st->app->applied_on;

    for (size_t i = 0; i < d->record_count; i++) {
        const hd_dossier_record *rec = &d->records[i];
        vf_member *m;

        if (rec->member < 0 || rec->member >= st->app->member_count)
            continue;
        m = &st->m[rec->member];
        switch (rec->feed->id) {
        case VF_FEED_HUKOU:
            /* The pid is hukou's key: one row per person. Should a
             * dossier hold two, a deceased one wins, so that a death is
             * never hidden. */
            if (!m->hukou || rec->row.values[VF_HUKOU_STATUS].num ==
                                 VF_HUKOU_STATUS_DECEASED)
                m->hukou = rec;
            break;
        case VF_FEED_DEATH:
            if (!m->death)
                m->death = rec;
            break;
        case VF_FEED_MARRIAGE:
            if (!m->marriage ||
                rec->row.values[VF_MARRIAGE_DATE].num >
                    m->marriage->row.values[VF_MARRIAGE_DATE].num)
                m->marriage = rec;
            break;
        case VF_FEED_DISABILITY: {
            int64_t level = rec->row.values[VF_DISABILITY_LEVEL].num;
            if (!m->disability &&
                (level == VF_DISABILITY_LEVEL_1 ||
                 level == VF_DISABILITY_LEVEL_2) &&
                rec->row.values[VF_DISABILITY_VALID_UNTIL].num >= on)
                m->disability = rec;
            break;
        }
        default:
            break;
        }
    }
}

void hd__verify_family(vf_state *st)
{
    const hd_application *app = st->app;
    hd_result *r = st->r;
    const vf_member *applicant = &st->m[0];
    int old_age = st->p->old_age;

    read_member_records(st);
    st->n = 0;
    for (int i = 0; i < app->member_count; i++) {
        vf_member *m = &st->m[i];
        hd_member_status *ms = &r->members[i];
        bool hukou_deceased =
            m->hukou && m->hukou->row.values[VF_HUKOU_STATUS].num ==
                            VF_HUKOU_STATUS_DECEASED;

        ms->in_hukou = m->hukou != NULL;
        ms->deceased = hukou_deceased || m->death;
        m->in_f = !ms->deceased;
        if (m->in_f)
            st->n++;
        if (m->hukou) {
            const hd_value *rel = &m->hukou->row.values[VF_HUKOU_RELATION];
            size_t len = rel->len < 2 ? rel->len : 2;
            memcpy(ms->hukou_relation, rel->text, len);
            ms->hukou_relation[len] = '\0';
        }
        ms->age = -1;
        if (ms->pid_valid) {
            int32_t birth = hd_pid_birth(app->members[i].pid);
            ms->age = hd_age_at(birth, app->applied_on);
        }
        ms->no_work_capacity =
            (ms->age >= 0 && (ms->age >= old_age || ms->age < 16)) ||
            m->disability;

        if (!m->hukou)
            r->findings |= 1ull << HD_FIND_MEMBER_NOT_IN_HUKOU;
        if (ms->deceased) {
            r->findings |= 1ull << HD_FIND_MEMBER_DECEASED;
            if (hukou_deceased)
                hd__verify_source(st, HD_FIGURE_FAMILY, m->hukou, 0,
                                  "hukou status deceased");
            if (m->death)
                hd__verify_source(st, HD_FIGURE_FAMILY, m->death, 0,
                                  "death record");
        }
        if (m->marriage) {
            const hd_row *row = &m->marriage->row;
            const hd_value *spouse = &row->values[VF_MARRIAGE_SPOUSE_PID];
            if (row->values[VF_MARRIAGE_EVENT].num ==
                    VF_MARRIAGE_EVENT_MARRIAGE &&
                !is_declared(app, spouse) && spouse_alive(st->d, spouse)) {
                r->findings |= 1ull << HD_FIND_UNDECLARED_SPOUSE;
                hd__verify_source(st, HD_FIGURE_FAMILY, m->marriage, 0,
                                  "marriage to an undeclared spouse");
            }
        }
        /* The applicant's own row is compared too: declared "02", so an
         * applicant who is not the head of the hukou mismatches. */
        if (m->hukou && applicant->hukou &&
            values_eq(&m->hukou->row.values[VF_HUKOU_HUKOU_NO],
                      &applicant->hukou->row.values[VF_HUKOU_HUKOU_NO]) &&
            !text_eq(&m->hukou->row.values[VF_HUKOU_RELATION],
                     app->members[i].relation,
                     strlen(app->members[i].relation))) {
            r->findings |= 1ull << HD_FIND_RELATION_MISMATCH;
            hd__verify_source(st, HD_FIGURE_FAMILY, m->hukou, 0,
                              "relation differs from the declared one");
        }
    }
}
