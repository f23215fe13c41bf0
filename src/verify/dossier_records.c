/*
 * The dossier's storage: records copied out of the store (or a test) with
 * their texts, so that they outlive the rows they were copied from.
 */
#include <hedui/verify.h>

#include <stddef.h>
#include <stdint.h>
#include <string.h>

void hd_dossier_init(hd_dossier *d, const hd_application *app)
{
    memset(d, 0, sizeof(*d));
    d->app = app;
    /* Not authorized until a gate says so: an unbuilt dossier reads as
     * nothing granted rather than everything. */
    d->authorized = false;
    hd_arena_init(&d->arena, 16 * 1024);
}

void hd_dossier_reset(hd_dossier *d, const hd_application *app)
{
    d->app = app;
    d->authorized = false;
    d->missing_count = 0;
    d->record_count = 0;
    memset(d->feeds, 0, sizeof(d->feeds));
    d->corrections = NULL;
    d->correction_count = 0;
    hd_arena_reset(&d->arena);
}

void hd_dossier_release(hd_dossier *d)
{
    hd_free(d->records);
    d->records = NULL;
    d->record_count = 0;
    d->record_cap = 0;
    hd_arena_release(&d->arena);
}

/* Texts that live in a record's own row storage moved with the records
 * when they were reallocated from `old`: point them at the new place
 * (the old addresses are only compared as numbers, never read). */
static void rebase_storage(hd_dossier *d, uintptr_t old)
{
    for (size_t i = 0; i < d->record_count; i++) {
        hd_dossier_record *rec = &d->records[i];
        uintptr_t was =
            old + i * sizeof(*rec) + offsetof(hd_dossier_record, row.storage);
        for (int c = 0; c < rec->feed->column_count; c++) {
            hd_value *v = &rec->row.values[c];
            uintptr_t t = (uintptr_t)v->text;
            if (!v->is_null && v->text && t >= was &&
                t < was + sizeof(rec->row.storage))
                v->text = rec->row.storage + (t - was);
        }
    }
}

static int grow(hd_dossier *d, hd_error *err)
{
    size_t cap = d->record_cap ? d->record_cap * 2 : 64;
    uintptr_t old = (uintptr_t)d->records;
    size_t bytes;
    hd_dossier_record *p;

    if (__builtin_mul_overflow(cap, sizeof(*p), &bytes))
        return hd_error_set(err, HD_ENOMEM, "dossier too large");
    p = hd_realloc(d->records, bytes);
    if (!p)
        return hd_error_set(err, HD_ENOMEM, "out of memory");
    d->records = p;
    d->record_cap = cap;
    if (old && (uintptr_t)p != old)
        rebase_storage(d, old);
    return 0;
}

/* Delivery ids repeat from one record to the next (a member's records of
 * one feed come from one delivery): share the previous copy then. */
static const char *copy_delivery_id(hd_dossier *d, const char *id)
{
    size_t len;

    if (!id)
        return NULL;
    if (d->record_count > 0) {
        const char *prev = d->records[d->record_count - 1].delivery_id;
        if (prev && !strcmp(prev, id))
            return prev;
    }
    len = strlen(id);
    return hd_arena_strndup(&d->arena, id, len);
}

int hd_dossier_add(hd_dossier *d, int member, const hd_row *row,
                   uint32_t delivery_seq, const char *delivery_id,
                   hd_error *err)
{
    hd_dossier_record *rec;
    const hd_feed *feed = row->feed;
    int rc;

    if (d->record_count == d->record_cap) {
        rc = grow(d, err);
        if (rc)
            return rc;
    }
    rec = &d->records[d->record_count];
    rec->feed = feed;
    rec->member = member;
    rec->delivery_seq = delivery_seq;
    rec->correction = NULL;
    rec->delivery_id = copy_delivery_id(d, delivery_id);
    if (delivery_id && !rec->delivery_id)
        return hd_error_set(err, HD_ENOMEM, "out of memory");
    rec->row.feed = feed;
    /* Only the feed's columns, and the row's storage as a block: a roll
     * copies four million records. */
    memcpy(rec->row.values, row->values,
           (size_t)feed->column_count * sizeof(rec->row.values[0]));
    memcpy(rec->row.storage, row->storage, sizeof(rec->row.storage));
    for (int i = 0; i < feed->column_count; i++) {
        hd_value *v = &rec->row.values[i];
        size_t off;
        /* A code's text is the feed table's own string: static. */
        if (v->is_null || !v->text || feed->columns[i].type == HD_TYPE_CODE)
            continue;
        /* A text in the row's storage (a decoded or normalised pid, a
         * region) moves with the storage copied above. */
        off = (size_t)((uintptr_t)v->text - (uintptr_t)row->storage);
        if (off < sizeof(row->storage) && v->len < sizeof(row->storage) - off &&
            v->text[v->len] == '\0') {
            v->text = rec->row.storage + off;
            continue;
        }
        v->text = hd_arena_strndup(&d->arena, v->text, v->len);
        if (!v->text)
            return hd_error_set(err, HD_ENOMEM, "out of memory");
    }
    d->record_count++;
    return 0;
}
