/*
 * Opening the stores for ingest, and finishing at open any delivery whose
 * feed store commit the case store had not yet recorded.
 */
#include "ingest/ingest_int.h"

#include <stdlib.h>
#include <string.h>

typedef struct reconcile_state {
    hd_ingest *ing;
    hd_error *err;
    hd_buf ids; /* NUL-separated delivery ids to clear */
} reconcile_state;

void hd_ingest_options_init(hd_ingest_options *opt)
{
    const char *tmp = getenv("TMPDIR");
    opt->now = 0;
    opt->max_bad_ppm = 10000;
    opt->memory_budget = (size_t)256 << 20;
    opt->tmpdir = tmp && *tmp ? tmp : "/tmp";
    opt->readers = 2;
}

const char *hd_ingest_outcome_name(hd_ingest_outcome outcome)
{
    switch (outcome) {
    case HD_INGEST_LOADED:
        return "loaded";
    case HD_INGEST_REJECTED:
        return "rejected";
    case HD_INGEST_ALREADY_LOADED:
        return "already_loaded";
    }
    return "unknown";
}

hd_casestore *hd_ingest_casestore(hd_ingest *ing)
{
    return ing->cs;
}

hd_feedstore *hd_ingest_feedstore(hd_ingest *ing)
{
    return ing->fs;
}

/* Write one pending blob (a feed store commit the case store has not
 * recorded) into the case store, and note its id for clearing. */
static int finish_pending(const char *delivery_id, const void *blob, size_t len,
                          void *payload)
{
    reconcile_state *rs = payload;
    hd_casestore *cs = rs->ing->cs;
    int rc;

    rc = hd_casestore_delivery_accepted(cs, delivery_id, rs->err);
    if (rc < 0)
        return rc;
    if (rc == 0) {
        rc = hd_casestore_begin(cs, rs->err);
        if (rc == 0)
            rc = hd__pending_replay(cs, rs->ing->fs, blob, len, rs->err);
        if (rc == 0)
            rc = hd_casestore_commit(cs, rs->err);
        if (rc)
            hd_casestore_rollback(cs);
        /* The process that loaded it (still running, with the stores
         * shared) wrote it meanwhile: nothing left to do. */
        if (rc == HD_EEXISTS && hd__delivery_logged(cs, delivery_id)) {
            hd_error_clear(rs->err);
            rc = 0;
        } else if (rc) {
            return rc;
        } else {
            hd_log(HD_LOG_WARN, "event=ingest_reconciled delivery=%s",
                   delivery_id);
        }
    }
    /* Ids are cleared after the walk: clearing during it would disturb
     * the feed store's cursor. */
    hd_buf_puts(&rs->ids, delivery_id);
    hd_buf_putc(&rs->ids, '\0');
    return 0;
}

bool hd__delivery_logged(hd_casestore *cs, const char *delivery_id)
{
    return hd_casestore_delivery_accepted(cs, delivery_id, NULL) == 1;
}

static int reconcile(hd_ingest *ing, hd_error *err)
{
    reconcile_state rs = {ing, err, {0}};
    int rc;

    hd_buf_init(&rs.ids, 0);
    rc = hd_feedstore_pending(ing->fs, finish_pending, &rs, err);
    if (rc == 0 && hd_buf_error(&rs.ids))
        rc = hd_error_set(err, hd_buf_error(&rs.ids), "out of memory");
    for (size_t off = 0; rc == 0 && off < rs.ids.len;) {
        const char *id = rs.ids.ptr + off;
        rc = hd_feedstore_pending_clear(ing->fs, id, err);
        off += strlen(id) + 1;
    }
    hd_buf_release(&rs.ids);
    return rc;
}

int hd_ingest_open(hd_ingest **out, const char *db_path, const char *feeds_dir,
                   hd_error *err)
{
    hd_ingest *ing = hd_calloc(1, sizeof(*ing));
    int rc;

    if (!ing)
        return hd_error_set(err, HD_ENOMEM, "out of memory");
    rc = hd_casestore_open(&ing->cs, db_path, err);
    if (rc == 0)
        rc = hd_feedstore_open(&ing->fs, feeds_dir, err);
    if (rc == 0)
        rc = reconcile(ing, err);
    if (rc) {
        hd_ingest_free(ing);
        return rc;
    }
    *out = ing;
    return 0;
}

void hd_ingest_free(hd_ingest *ing)
{
    if (!ing)
        return;
    hd_feedstore_free(ing->fs);
    hd_casestore_free(ing->cs);
    hd_free(ing);
}
