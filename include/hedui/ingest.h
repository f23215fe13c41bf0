/*
 * hedui ingest: loading department deliveries (spec feeds.md, Delivery).
 *
 * A delivery is checked against its manifest, its rows are validated
 * against the feed table, bad rows are quarantined with their reasons, and
 * the valid rows are loaded into the feed store in one transaction. The
 * delivery is all-or-nothing across both stores: the feed store commit is
 * the point of no return, and it carries a "pending" copy of the ingest log
 * and quarantine, which is written to the case store right after and, when
 * a crash came in between, at the next open (hd_ingest_open reconciles).
 */
#ifndef HEDUI_INGEST_H
#define HEDUI_INGEST_H

#include <hedui/store.h>

typedef struct hd_ingest hd_ingest;

typedef struct hd_ingest_options {
    /* The time the delivery is accepted at, seconds since 1970. The
     * library never reads the clock: the program passes it in. */
    int64_t now;
    /* Largest share of bad rows a delivery may have, in parts per million
     * of its rows; above it (strictly) the delivery is rejected whole.
     * Default 10000 (1%). */
    int64_t max_bad_ppm;
    /* Memory for sorting rows before they are merged into the feed store;
     * runs beyond it spill to `tmpdir`. Default 256 MiB. */
    size_t memory_budget;
    /* Where sorted runs spill. Default: $TMPDIR or /tmp. */
    const char *tmpdir;
    /* Deliveries read at once by hd_ingest_deliveries, each on its own
     * thread with its own memory budget, ahead of the one being committed.
     * Default 2; 1 reads on the caller's thread. */
    int readers;
} hd_ingest_options;

/* Defaults as documented above (now = 0: the caller must set it). */
void hd_ingest_options_init(hd_ingest_options *opt);

typedef enum hd_ingest_outcome {
    HD_INGEST_LOADED,        /* accepted and loaded */
    HD_INGEST_REJECTED,      /* rejected whole; the stores are unchanged
                                but for the log and quarantine */
    HD_INGEST_ALREADY_LOADED /* this delivery_id was loaded before: no-op */
} hd_ingest_outcome;

const char *hd_ingest_outcome_name(hd_ingest_outcome outcome);

/*
 * Open the case store at `db_path` and the feed store in `feeds_dir`, and
 * finish any delivery whose feed store commit was not yet recorded in the
 * case store.
 */
int hd_ingest_open(hd_ingest **out, const char *db_path, const char *feeds_dir,
                   hd_error *err);
void hd_ingest_free(hd_ingest *ing);
hd_casestore *hd_ingest_casestore(hd_ingest *ing);
hd_feedstore *hd_ingest_feedstore(hd_ingest *ing);

/*
 * Load the delivery in folder `dir`. On return *outcome says what became
 * of it and *log holds the report (for an already-loaded delivery, the
 * log of the load that counted). Returns 0 whenever the outcome is known,
 * rejections included; a negative code only when the stores could not be
 * used (then nothing is changed).
 */
int hd_ingest_delivery(hd_ingest *ing, const char *dir,
                       const hd_ingest_options *opt, hd_ingest_outcome *outcome,
                       hd_ingest_log *log, hd_error *err);

/* Called for each delivery of a batch as it is finished, in the order
 * given; a non-zero return stops the batch and is returned. */
typedef int (*hd_ingest_done_fn)(int index, hd_ingest_outcome outcome,
                                 const hd_ingest_log *log, void *payload);

/*
 * Load `count` deliveries, in the given order: the same as calling
 * hd_ingest_delivery for each, but up to opt->readers deliveries are read
 * and validated on worker threads while the previous one commits. Commits,
 * the case store and `fn` stay on the caller's thread.
 */
int hd_ingest_deliveries(hd_ingest *ing, const char *const *dirs, int count,
                         const hd_ingest_options *opt, hd_ingest_done_fn fn,
                         void *payload, hd_error *err);

/* The log as JSON text (the form of `hedui ingest --json`): appended to
 * `out`. */
int hd_ingest_log_json(hd_buf *out, const hd_ingest_log *log,
                       hd_ingest_outcome outcome);

/* One quarantined row as a JSON object (delivery, file, line, column,
 * field, reason, detail, raw; "raw_hex" too when the row is not UTF-8),
 * compact, appended to `out`. */
int hd_quarantine_row_json(hd_buf *out, const hd_quarantine_row *row);

#endif
