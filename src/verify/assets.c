/*
 * Section 4 of rules.md: financial assets, vehicles, homes, non-residential
 * property and enterprises of the members of F, as delivered (no date
 * test: a balance is the feed's value at its as_of).
 */
#include "verify_int.h"

#include <string.h>

/* Homes are distinct cert_no: a home co-owned by two members of F is one
 * home, though both rows add their share of its area. */
static bool cert_seen(const hd_value *const *certs, int count,
                      const hd_value *cert)
{
    for (int i = 0; i < count; i++)
        if (certs[i]->len == cert->len &&
            !memcmp(certs[i]->text, cert->text, cert->len))
            return true;
    return false;
}

static void add_real_estate(vf_state *st, const hd_dossier_record *rec,
                            const hd_value **certs, int *cert_count)
{
    const hd_value *v = rec->row.values;
    int64_t use = v[VF_RE_USE].num;

    if (v[VF_RE_STATUS].num != VF_RE_STATUS_VALID)
        return;
    if (use == VF_RE_USE_RESIDENTIAL) {
        int64_t area_x_share = v[VF_RE_AREA].num * v[VF_RE_SHARE].num;
        st->area_x_share += area_x_share;
        if (!cert_seen(certs, *cert_count, &v[VF_RE_CERT_NO]))
            certs[(*cert_count)++] = &v[VF_RE_CERT_NO];
        /* The amount shown is this row's area x share / 100 (truncated
         * for display only: area_pc divides the exact sum once). */
        hd__verify_source(st, HD_FIGURE_HOMES, rec,
                          hd_div_trunc(area_x_share, 100),
                          "residential area x share");
    } else if (use == VF_RE_USE_COMMERCIAL || use == VF_RE_USE_OFFICE ||
               use == VF_RE_USE_INDUSTRIAL) {
        st->nonresidential++;
        hd__verify_source(st, HD_FIGURE_NONRESIDENTIAL, rec, 1,
                          "non-residential property");
    }
}

static void add_vehicle(vf_state *st, const hd_dossier_record *rec)
{
    const hd_value *v = rec->row.values;
    int64_t type = v[VF_VEHICLE_TYPE].num;

    /* disability, farm and motorcycle types are never counted; the
     * exempt value is strict: a vehicle worth exactly it is not counted. */
    if (v[VF_VEHICLE_STATUS].num == VF_VEHICLE_STATUS_VALID &&
        (type == VF_VEHICLE_TYPE_CAR || type == VF_VEHICLE_TYPE_TRUCK) &&
        v[VF_VEHICLE_VALUE].num > st->p->vehicle_exempt_value_fen) {
        st->r->figures.vehicles++;
        hd__verify_source(st, HD_FIGURE_VEHICLES, rec, 1, "counted vehicle");
    }
}

static void add_enterprise(vf_state *st, const hd_dossier_record *rec)
{
    const hd_value *v = rec->row.values;
    int64_t role = v[VF_ENT_ROLE].num;

    /* individual businesses reach income through business tax rows */
    if (v[VF_ENT_STATUS].num == VF_ENT_STATUS_ACTIVE &&
        (role == VF_ENT_ROLE_LEGAL_REP || role == VF_ENT_ROLE_SHAREHOLDER) &&
        v[VF_ENT_CAPITAL].num > st->p->enterprise_capital_limit_fen) {
        st->enterprises++;
        hd__verify_source(st, HD_FIGURE_ENTERPRISE, rec, v[VF_ENT_CAPITAL].num,
                          "counted enterprise");
    }
}

static void add_financial(vf_state *st, const hd_dossier_record *rec, int col,
                          const char *note)
{
    int64_t amount = rec->row.values[col].num;

    st->r->figures.financial_assets_fen += amount;
    hd__verify_source(st, HD_FIGURE_FINANCIAL_ASSETS, rec, amount, note);
}

int hd__verify_assets(vf_state *st, hd_error *err)
{
    const hd_dossier *d = st->d;
    hd_figures *fig = &st->r->figures;
    const hd_value **certs = NULL;
    int cert_count = 0;
    size_t estates = 0;

    for (size_t i = 0; i < d->record_count; i++)
        if (d->records[i].feed->id == VF_FEED_REAL_ESTATE)
            estates++;
    if (estates) {
        certs = hd_arena_alloc(&st->r->arena, estates * sizeof(*certs));
        if (!certs)
            return hd_error_set(err, HD_ENOMEM, "out of memory");
    }

    for (size_t i = 0; i < d->record_count; i++) {
        const hd_dossier_record *rec = &d->records[i];

        if (rec->member < 0 || rec->member >= st->app->member_count ||
            !st->m[rec->member].in_f)
            continue;
        switch (rec->feed->id) {
        case VF_FEED_DEPOSIT:
            add_financial(st, rec, VF_DEPOSIT_BALANCE, "deposit balance");
            break;
        case VF_FEED_SECURITIES:
            add_financial(st, rec, VF_SECURITIES_MARKET_VALUE,
                          "securities market value");
            break;
        case VF_FEED_INSURANCE:
            add_financial(st, rec, VF_INSURANCE_CASH_VALUE,
                          "insurance cash value");
            break;
        case VF_FEED_VEHICLE:
            add_vehicle(st, rec);
            break;
        case VF_FEED_REAL_ESTATE:
            add_real_estate(st, rec, certs, &cert_count);
            break;
        case VF_FEED_ENTERPRISE:
            add_enterprise(st, rec);
            break;
        default:
            break;
        }
    }

    fig->pca_fen = hd_div_trunc(fig->financial_assets_fen, st->n);
    fig->homes = cert_count;
    fig->owned_area_m2x100 = hd_div_trunc(st->area_x_share, 100);
    /* Σ area x share / 100 / n, divided once and truncated. */
    fig->area_pc_m2x100 = hd_div_trunc(st->area_x_share, 100 * (int64_t)st->n);
    return 0;
}
