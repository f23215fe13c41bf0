/* Internals shared by the files of src/ingest. */
#ifndef HEDUI_INGEST_INT_H
#define HEDUI_INGEST_INT_H

#include <hedui/ingest.h>

/*
 * The quarantined rows of one delivery, held until the delivery's outcome
 * is known. At most the bad-row limit (plus one) are ever held, so memory
 * is bounded by the delivery's allowed share of bad rows.
 */
typedef struct hd_quarantine {
    hd_arena arena; /* the rows' strings */
    hd_quarantine_row *rows;
    size_t count;
    size_t cap;
} hd_quarantine;

void hd__quarantine_init(hd_quarantine *q);
void hd__quarantine_release(hd_quarantine *q);
/* Copy a bad row (its borrowed strings too). Returns 0 or HD_ENOMEM. */
int hd__quarantine_push(hd_quarantine *q, const char *delivery_id,
                        const char *file, const hd_bad_row *bad);
/* Add every held row to the case store (inside the caller's transaction). */
int hd__quarantine_write(const hd_quarantine *q, hd_casestore *cs,
                         hd_error *err);

struct hd_ingest {
    hd_casestore *cs;
    hd_feedstore *fs;
};

/* ------------------------------------------------------ one delivery */

typedef struct load_state {
    hd_ingest *ing;
    const hd_ingest_options *opt;
    const char *dir;
    hd_manifest manifest;
    hd_ingest_log *log;
    hd_quarantine quarantine;
    int64_t declared_rows; /* all rows the manifest announces */
    int64_t bad_limit;     /* more bad rows than this reject the delivery */
    int64_t bad_rows;
    hd_fs_load *load;
} load_state;

/* What the read phase found. */
typedef enum read_result {
    READ_READY,          /* rows are in the load, ready to commit */
    READ_REJECTED,       /* rejected: only the case store is written */
    READ_ALREADY_LOADED, /* the delivery id is in the feed store */
    READ_FAILED          /* a store or I/O error; the delivery's err says */
} read_result;

/*
 * One delivery of a batch. The read phase (manifest, files, rows into the
 * feed store's load) touches only the job and the feed store, so it may run
 * on a worker thread; the finish phase (commit, case store) runs on the
 * caller's thread, in the order the deliveries were given.
 */
typedef struct hd__delivery {
    load_state st;
    read_result result;
    hd_fs_delivery known; /* READ_ALREADY_LOADED: the load that counted */
    hd_error err;         /* READ_FAILED: why */
} hd__delivery;

void hd__delivery_init(hd__delivery *d, hd_ingest *ing, const char *dir,
                       const hd_ingest_options *opt, hd_ingest_log *log);
/* The read phase: safe on a worker thread (touches the feed store and
 * `d` only). */
void hd__delivery_read(hd__delivery *d);
/* The finish phase: commit or record the rejection; on the thread that
 * owns the case store, in the order the deliveries were given. */
int hd__delivery_finish(hd__delivery *d, hd_ingest_outcome *outcome,
                        hd_error *err);
void hd__delivery_release(hd__delivery *d);

/* The pending blob: the ingest log and the quarantined rows as JSON. */
int hd__pending_encode(hd_buf *out, const hd_ingest_log *log,
                       const hd_quarantine *q);
/* Write a pending blob's log and rows to the case store (inside the
 * caller's transaction), completing the log from the feed store. */
int hd__pending_replay(hd_casestore *cs, hd_feedstore *fs, const void *blob,
                       size_t len, hd_error *err);

/* Is an accepted log of this delivery in the case store? Two processes
 * sharing the stores may both finish one delivery's case store part (its
 * loader, and another that opened the stores meanwhile and replayed the
 * pending blob): the second gets HD_EEXISTS and asks this. */
bool hd__delivery_logged(hd_casestore *cs, const char *delivery_id);

/* The log as a jansson object (shared by the pending blob and --json). */
struct json_t;
struct json_t *hd__ingest_log_to_json(const hd_ingest_log *log);
int hd__ingest_log_from_json(hd_ingest_log *out, struct json_t *obj);

/* A raw quarantined row into / out of JSON, exact even when it is not
 * UTF-8 (see ingest_json.c). get returns a string borrowed from `obj` or
 * `scratch`, or NULL when out of memory. */
void hd__json_set_raw(struct json_t *obj, const char *raw, size_t len);
const char *hd__json_get_raw(struct json_t *obj, hd_buf *scratch);

#endif
