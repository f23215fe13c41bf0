/*
 * A case's corrections laid over its dossier (docs/cases.md). The
 * department's records stay as delivered in the feed store; only this
 * dossier's copy changes, after it is read and before hd_verify sees it,
 * so that the engine stays a pure function of what it is given.
 */
#include <hedui/verify.h>

#include <stdio.h>
#include <string.h>

int hd_dossier_record_key(hd_buf *out, const hd_dossier_record *rec)
{
    bool first = true;

    if (!rec || !rec->feed)
        return hd_buf_error(out);
    for (int c = 0; c < rec->feed->column_count; c++) {
        if (!rec->feed->columns[c].key)
            continue;
        if (!first)
            hd_buf_putc(out, '|');
        first = false;
        hd_value_format(out, &rec->feed->columns[c], &rec->row.values[c]);
    }
    return hd_buf_error(out);
}

static const char *keep(hd_dossier *d, const char *s, hd_error *err)
{
    const char *copy;
    if (!s)
        return NULL;
    copy = hd_arena_strndup(&d->arena, s, strlen(s));
    if (!copy)
        hd_error_set(err, HD_ENOMEM, "out of memory");
    return copy;
}

/* Move every text of a record that lies in its own row storage to the
 * arena, so that the record may be moved or its values replaced. */
static int own_texts(hd_dossier *d, hd_dossier_record *rec, hd_error *err)
{
    for (int c = 0; c < rec->feed->column_count; c++) {
        hd_value *v = &rec->row.values[c];
        if (v->is_null || !v->text ||
            rec->feed->columns[c].type == HD_TYPE_CODE)
            continue;
        v->text = hd_arena_strndup(&d->arena, v->text, v->len);
        if (!v->text)
            return hd_error_set(err, HD_ENOMEM, "out of memory");
    }
    return 0;
}

static int member_of(const hd_dossier *d, const char *pid)
{
    for (int m = 0; d->app && m < d->app->member_count; m++)
        if (!strcmp(d->app->members[m].pid, pid))
            return m;
    return -1;
}

/* The record a correction names, or -1. */
static long find_record(const hd_dossier *d, const hd_dossier_correction *c,
                        hd_buf *key)
{
    int m = member_of(d, c->pid);

    for (size_t i = 0; m >= 0 && i < d->record_count; i++) {
        const hd_dossier_record *rec = &d->records[i];
        if (rec->member != m || strcmp(rec->feed->name, c->feed))
            continue;
        hd_buf_reset(key);
        if (hd_dossier_record_key(key, rec))
            return -2;
        if (!strcmp(key->ptr, c->record_key))
            return (long)i;
    }
    return -1;
}

/*
 * Give record `i` the corrected values of every field correction in
 * `cs` that names it (the latest of each field wins, being applied
 * last), and parse it again with its feed's rules.
 */
static int correct_fields(hd_dossier *d, size_t i, hd_dossier_correction *cs,
                          const long *where, size_t count, hd_error *err)
{
    hd_dossier_record *rec = &d->records[i];
    const hd_feed *feed = rec->feed;
    hd_buf text[HD_FEED_MAX_COLUMNS];
    hd_str fields[HD_FEED_MAX_COLUMNS];
    hd_dossier_correction *last = NULL;
    hd_bad_row bad;
    hd_row row;
    int rc = 0;

    for (int c = 0; c < feed->column_count; c++) {
        hd_buf_init(&text[c], 4096);
        hd_value_format(&text[c], &feed->columns[c], &rec->row.values[c]);
    }
    for (size_t k = 0; k < count; k++) {
        int col;
        if (where[k] != (long)i || !cs[k].field)
            continue;
        col = hd_feed_column(feed, cs[k].field);
        if (col < 0 || feed->columns[col].key) {
            rc = hd_error_set(err, HD_EDATA,
                              "correction %lld: %s is not a field of %s that "
                              "can be corrected",
                              (long long)cs[k].id, cs[k].field, feed->name);
            goto out;
        }
        if (!(cs[k].original = keep(d, text[col].ptr, err))) {
            rc = HD_ENOMEM;
            goto out;
        }
        hd_buf_reset(&text[col]);
        hd_buf_puts(&text[col], cs[k].value);
        cs[k].applied = true;
        cs[k].next = last;
        last = &cs[k];
    }
    for (int c = 0; c < feed->column_count; c++) {
        if (hd_buf_error(&text[c])) {
            rc = hd_error_set(err, hd_buf_error(&text[c]), "out of memory");
            goto out;
        }
        fields[c] = (hd_str){text[c].len ? text[c].ptr : NULL, text[c].len};
    }
    if (hd_row_parse(&row, feed, fields, &bad)) {
        rc = hd_error_set(err, HD_EDATA, "correction %lld of %s %s: %s%s%s",
                          (long long)(last ? last->id : 0), feed->name,
                          last ? last->record_key : "",
                          bad.field ? bad.field : "", bad.field ? ": " : "",
                          bad.detail);
        goto out;
    }
    memcpy(rec->row.values, row.values,
           (size_t)feed->column_count * sizeof(row.values[0]));
    /* The parsed texts point into `text` and `row`: give them the
     * dossier's own copies. */
    for (int c = 0; c < feed->column_count; c++) {
        hd_value *v = &rec->row.values[c];
        if (v->is_null || !v->text || feed->columns[c].type == HD_TYPE_CODE)
            continue;
        v->text = hd_arena_strndup(&d->arena, v->text, v->len);
        if (!v->text) {
            rc = hd_error_set(err, HD_ENOMEM, "out of memory");
            goto out;
        }
    }
    rec->correction = last;
out:
    for (int c = 0; c < feed->column_count; c++)
        hd_buf_release(&text[c]);
    return rc;
}

int hd_dossier_apply_corrections(hd_dossier *d, const hd_case_correction *c,
                                 size_t count, hd_error *err)
{
    hd_dossier_correction *cs;
    long *where = NULL;
    hd_buf key;
    size_t bytes, kept = 0;
    int rc = 0;

    d->corrections = NULL;
    d->correction_count = 0;
    if (count == 0)
        return 0;
    if (__builtin_mul_overflow(count, sizeof(*cs), &bytes) ||
        !(cs = hd_arena_alloc(&d->arena, bytes)))
        return hd_error_set(err, HD_ENOMEM, "out of memory");
    if (!(where = hd_malloc(count * sizeof(*where))))
        return hd_error_set(err, HD_ENOMEM, "out of memory");
    hd_buf_init(&key, 1 << 16);
    for (size_t k = 0; k < count; k++) {
        memset(&cs[k], 0, sizeof(cs[k]));
        cs[k].id = c[k].id;
        if (!(cs[k].pid = keep(d, c[k].pid ? c[k].pid : "", err)) ||
            !(cs[k].feed = keep(d, c[k].feed ? c[k].feed : "", err)) ||
            !(cs[k].record_key =
                  keep(d, c[k].record_key ? c[k].record_key : "", err)) ||
            !(cs[k].evidence =
                  keep(d, c[k].evidence ? c[k].evidence : "", err)) ||
            (c[k].field && !(cs[k].field = keep(d, c[k].field, err))) ||
            (c[k].value && !(cs[k].value = keep(d, c[k].value, err)))) {
            rc = HD_ENOMEM;
            goto out;
        }
        if ((c[k].field == NULL) != (c[k].value == NULL)) {
            rc = hd_error_set(err, HD_EINVAL,
                              "correction %lld: a field needs a value",
                              (long long)c[k].id);
            goto out;
        }
        where[k] = find_record(d, &cs[k], &key);
        if (where[k] == -2) {
            rc = hd_error_set(err, hd_buf_error(&key), "out of memory");
            goto out;
        }
    }
    d->corrections = cs;
    d->correction_count = count;
    /* Fields first, record by record, while the indices hold. */
    for (size_t k = 0; k < count; k++) {
        bool first = true;
        if (where[k] < 0 || !cs[k].field)
            continue;
        for (size_t j = 0; j < k; j++)
            if (where[j] == where[k] && cs[j].field)
                first = false;
        if (first && (rc = correct_fields(d, (size_t)where[k], cs, where, count,
                                          err)) != 0)
            goto out;
    }
    /* Then take out the records that do not count, keeping the order of
     * the rest. A record moved loses the texts in its own storage, which
     * own_texts moves to the arena first. */
    for (size_t i = 0; i < d->record_count; i++) {
        bool drop = false;
        for (size_t k = 0; k < count; k++)
            if (where[k] == (long)i && !cs[k].field) {
                cs[k].applied = true;
                drop = true;
            }
        if (drop)
            continue;
        if (kept != i) {
            if ((rc = own_texts(d, &d->records[i], err)) != 0)
                goto out;
            d->records[kept] = d->records[i];
        }
        kept++;
    }
    d->record_count = kept;
out:
    hd_free(where);
    hd_buf_release(&key);
    return rc;
}
