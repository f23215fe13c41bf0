/* Quarantined rows of one delivery, held until its outcome is known. */
#include "ingest/ingest_int.h"

#include <string.h>

void hd__quarantine_init(hd_quarantine *q)
{
    memset(q, 0, sizeof(*q));
    hd_arena_init(&q->arena, 256 * 1024);
}

void hd__quarantine_release(hd_quarantine *q)
{
    hd_arena_release(&q->arena);
    hd_free(q->rows);
    memset(q, 0, sizeof(*q));
}

static const char *copy(hd_arena *arena, const char *s, size_t len)
{
    return s ? hd_arena_strndup(arena, s, len) : NULL;
}

int hd__quarantine_push(hd_quarantine *q, const char *delivery_id,
                        const char *file, const hd_bad_row *bad)
{
    hd_quarantine_row *row;

    if (q->count == q->cap) {
        size_t cap = q->cap ? q->cap * 2 : 64;
        hd_quarantine_row *rows = hd_realloc(q->rows, cap * sizeof(*rows));
        if (!rows)
            return HD_ENOMEM;
        q->rows = rows;
        q->cap = cap;
    }
    row = &q->rows[q->count];
    row->delivery_id = copy(&q->arena, delivery_id, strlen(delivery_id));
    row->file = copy(&q->arena, file, strlen(file));
    row->line = bad->line;
    row->column = bad->column;
    row->field =
        bad->field ? copy(&q->arena, bad->field, strlen(bad->field)) : NULL;
    row->reason = bad->reason;
    row->detail = copy(&q->arena, bad->detail, strlen(bad->detail));
    row->raw = copy(&q->arena, bad->raw.ptr ? bad->raw.ptr : "", bad->raw.len);
    if (!row->delivery_id || !row->file || !row->detail || !row->raw ||
        (bad->field && !row->field))
        return HD_ENOMEM;
    q->count++;
    return 0;
}

int hd__quarantine_write(const hd_quarantine *q, hd_casestore *cs,
                         hd_error *err)
{
    for (size_t i = 0; i < q->count; i++) {
        int rc = hd_casestore_quarantine_add(cs, &q->rows[i], err);
        if (rc)
            return rc;
    }
    return 0;
}
