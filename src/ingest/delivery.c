/*
 * Loading one delivery: manifest, files, rows, quarantine, and the commit
 * across the two stores (see ingest.h for the order that makes it atomic).
 */
#include "ingest/ingest_int.h"

#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

static void reject(load_state *st, hd_reject reason, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void reject(load_state *st, hd_reject reason, const char *fmt, ...)
{
    va_list ap;
    st->log->accepted = false;
    st->log->reject_reason = reason;
    va_start(ap, fmt);
    vsnprintf(st->log->reject_detail, sizeof(st->log->reject_detail), fmt, ap);
    va_end(ap);
}

static const char *base_name(const char *path)
{
    size_t len = strlen(path);
    while (len > 1 && path[len - 1] == '/')
        len--;
    for (size_t i = len; i > 0; i--)
        if (path[i - 1] == '/')
            return path + i;
    return path;
}

static void copy_text(char *dst, size_t dst_len, const char *src)
{
    snprintf(dst, dst_len, "%s", src);
}

/* Read one file of the delivery. Returns 0 when the file was read to its
 * end (its rows may still make the delivery fail the share or count
 * checks), 1 when the delivery is rejected, <0 on a store or I/O error. */
static int read_file(load_state *st, const hd_manifest_file *mf,
                     hd_ingest_feed_log *flog, hd_error *err)
{
    char path[2048], hex[HD_SHA256_HEX_LEN + 1];
    hd_feed_reader *reader = NULL;
    hd_reject reason = HD_REJECT_NONE;
    hd_error ferr;
    hd_row row;
    hd_bad_row bad;
    struct stat sb;
    int rc;

    snprintf(path, sizeof(path), "%s/%s", st->dir, mf->file);
    if (stat(path, &sb) != 0 || !S_ISREG(sb.st_mode)) {
        reject(st, HD_REJECT_MISSING_FILE,
               "%s: file listed in the manifest "
               "is missing",
               mf->file);
        return 1;
    }
    hd_error_clear(&ferr);
    rc = hd_feed_reader_open(&reader, mf->feed, path, &reason, &ferr);
    if (rc == HD_EDATA) {
        char msg[1024];
        reject(st, reason ? reason : HD_REJECT_HEADER, "%s",
               hd_error_format(&ferr, msg, sizeof(msg)));
        return 1;
    }
    if (rc)
        return hd_error_set(err, rc, "%s", ferr.msg);

    for (;;) {
        rc = hd_feed_reader_next(reader, &row, &bad, &ferr);
        if (rc == 1) {
            flog->rows_loaded++;
            rc = hd_fs_load_add(st->load, &row, err);
            if (rc)
                goto out;
        } else if (rc == 2) {
            flog->rows_quarantined++;
            flog->quarantined_by_reason[bad.reason]++;
            st->bad_rows++;
            if (st->bad_rows > st->bad_limit) {
                reject(st, HD_REJECT_BAD_ROW_SHARE,
                       "more than %lld of %lld rows are bad (limit %lld "
                       "per million)",
                       (long long)st->bad_limit, (long long)st->declared_rows,
                       (long long)st->opt->max_bad_ppm);
                rc = 1;
                goto out;
            }
            rc = hd__quarantine_push(&st->quarantine, st->log->delivery_id,
                                     mf->file, &bad);
            if (rc) {
                hd_error_set(err, rc, "out of memory");
                goto out;
            }
        } else if (rc == 0) {
            break;
        } else {
            char msg[1024];
            hd_error_set(err, rc, "%s",
                         hd_error_format(&ferr, msg, sizeof(msg)));
            goto out;
        }
    }
    flog->rows_in_file = hd_feed_reader_rows(reader);
    hd_feed_reader_sha256(reader, hex);
    if (flog->rows_in_file != mf->rows) {
        reject(st, HD_REJECT_ROW_COUNT,
               "%s: %lld data rows, the manifest says %lld", mf->file,
               (long long)flog->rows_in_file, (long long)mf->rows);
        rc = 1;
    } else if (strcmp(hex, mf->sha256) != 0) {
        reject(st, HD_REJECT_CHECKSUM, "%s: sha256 is %s, the manifest says %s",
               mf->file, hex, mf->sha256);
        rc = 1;
    }
out:
    hd_feed_reader_free(reader);
    return rc;
}

/* Record a rejected or accepted attempt in the case store: the log and
 * the quarantined rows, in one transaction. */
static int write_case_store(load_state *st, hd_error *err)
{
    hd_casestore *cs = st->ing->cs;
    int rc = hd_casestore_begin(cs, err);
    if (rc == 0)
        rc = hd_casestore_log_ingest(cs, st->log, err);
    if (rc == 0)
        rc = hd__quarantine_write(&st->quarantine, cs, err);
    if (rc == 0)
        rc = hd_casestore_commit(cs, err);
    if (rc)
        hd_casestore_rollback(cs);
    return rc;
}

/* Commit the load and record it: 0, or 1 when another process committed
 * the same delivery first (nothing of this load is kept), or an error. */
static int commit_load(load_state *st, hd_error *err)
{
    hd_buf blob;
    hd_fs_load_stats stats;
    uint32_t seq = 0;
    int rc;

    /* The pending blob is the case store's part of this delivery, stored
     * in the same feed store transaction as the rows. */
    st->log->accepted = true;
    st->log->reject_reason = HD_REJECT_NONE;
    hd_buf_init(&blob, 0);
    rc = hd__pending_encode(&blob, st->log, &st->quarantine);
    if (rc) {
        hd_buf_release(&blob);
        hd_fs_load_abort(st->load);
        st->load = NULL;
        return hd_error_set(err, rc, "cannot encode the ingest log");
    }
    memset(&stats, 0, sizeof(stats));
    rc = hd_fs_load_commit(st->load, blob.ptr, blob.len, &seq, &stats, err);
    st->load = NULL;
    hd_buf_release(&blob);
    if (rc == HD_EEXISTS) {
        /* Another process sharing the feed store committed this delivery
         * while we read it: theirs counts. */
        hd_error_clear(err);
        return 1;
    }
    if (rc)
        return rc;

    st->log->seq = seq;
    for (int i = 0; i < st->log->feed_count; i++) {
        hd_ingest_feed_log *flog = &st->log->feeds[i];
        flog->rows_live = stats.live[flog->feed->id];
    }
    /* From here on the delivery is in. Should the case store fail now,
     * the pending blob finishes the job at the next open. */
    rc = write_case_store(st, err);
    if (rc == HD_EEXISTS &&
        hd__delivery_logged(st->ing->cs, st->log->delivery_id)) {
        /* Another process sharing the stores opened them after our feed
         * store commit and finished our case store part from the pending
         * blob: the same log and rows, already there. */
        hd_error_clear(err);
        rc = 0;
    }
    if (rc == 0)
        rc = hd_feedstore_pending_clear(st->ing->fs, st->log->delivery_id, err);
    return rc;
}

/* Find the accepted log of a delivery id, to report an already-loaded
 * delivery as the load that counted. */
typedef struct find_log {
    const char *delivery_id;
    hd_ingest_log *out;
    bool found;
} find_log;

static int match_log(const hd_ingest_log *log, void *payload)
{
    find_log *f = payload;
    if (log->accepted && !strcmp(log->delivery_id, f->delivery_id)) {
        char path[sizeof(log->path)];
        /* Keep the path of this attempt: it says where it was read. */
        memcpy(path, f->out->path, sizeof(path));
        *f->out = *log;
        memcpy(f->out->path, path, sizeof(path));
        f->found = true;
        return 1;
    }
    return 0;
}

/* Is this delivery id in the feed store already? 1 yes (and *known is
 * filled), 0 no, <0 error. Safe from any thread. */
static int find_loaded(hd_fs_delivery *known, load_state *st, hd_error *err)
{
    int rc = hd_feedstore_delivery(known, st->ing->fs, st->manifest.delivery_id,
                                   err);
    if (rc == HD_ENOTFOUND) {
        hd_error_clear(err);
        return 0;
    }
    return rc ? rc : 1;
}

/* Report an already-loaded delivery as the load that counted. */
static int report_already_loaded(load_state *st, const hd_fs_delivery *known,
                                 hd_error *err)
{
    find_log f = {st->manifest.delivery_id, st->log, false};
    int rc = hd_casestore_ingest_logs(st->ing->cs, match_log, &f, err);
    if (rc < 0)
        return rc;
    st->log->accepted = true;
    st->log->seq = known->seq;
    st->log->loaded_at = known->loaded_at;
    return 0;
}

static void init_log(load_state *st)
{
    hd_ingest_log *log = st->log;
    const hd_manifest *m = &st->manifest;

    copy_text(log->department, sizeof(log->department), m->department);
    log->as_of = m->as_of;
    log->snapshot = m->snapshot;
    log->feed_count = m->file_count;
    for (int i = 0; i < m->file_count; i++) {
        log->feeds[i].feed = m->files[i].feed;
        if (__builtin_add_overflow(st->declared_rows, m->files[i].rows,
                                   &st->declared_rows))
            st->declared_rows = INT64_MAX;
    }
    /* Rejected when bad / all > ppm / 1e6, so at most floor(all * ppm /
     * 1e6) bad rows are allowed. */
    if (hd_mul_i64(&st->bad_limit, st->declared_rows, st->opt->max_bad_ppm))
        st->bad_limit = st->declared_rows / 1000000 * st->opt->max_bad_ppm;
    else
        st->bad_limit /= 1000000;
}

static read_result read_phase(hd__delivery *j)
{
    load_state *st = &j->st;
    hd_ingest_log *log = st->log;
    hd_reject reason = HD_REJECT_NONE;
    hd_error merr;
    hd_fs_delivery meta;
    int rc;

    hd_error_clear(&merr);
    if (hd_manifest_read(&st->manifest, st->dir, &reason, &merr)) {
        char msg[1024];
        /* Without a readable manifest the folder name stands in for the
         * delivery id in the log. */
        copy_text(log->delivery_id, sizeof(log->delivery_id),
                  st->manifest.delivery_id[0] ? st->manifest.delivery_id
                                              : base_name(st->dir));
        reject(st, reason ? reason : HD_REJECT_MANIFEST, "%s",
               hd_error_format(&merr, msg, sizeof(msg)));
        return READ_REJECTED;
    }
    copy_text(log->delivery_id, sizeof(log->delivery_id),
              st->manifest.delivery_id);
    init_log(st);

    rc = find_loaded(&j->known, st, &j->err);
    if (rc)
        return rc > 0 ? READ_ALREADY_LOADED : READ_FAILED;

    memset(&meta, 0, sizeof(meta));
    copy_text(meta.delivery_id, sizeof(meta.delivery_id), log->delivery_id);
    copy_text(meta.department, sizeof(meta.department), log->department);
    meta.as_of = log->as_of;
    meta.snapshot = log->snapshot;
    meta.loaded_at = st->opt->now;
    for (int i = 0; i < st->manifest.file_count; i++)
        meta.feed_mask |= 1u << st->manifest.files[i].feed->id;
    rc = hd_fs_load_begin(&st->load, st->ing->fs, &meta, st->opt->memory_budget,
                          st->opt->tmpdir, &j->err);
    if (rc == HD_EEXISTS) {
        /* Committed since find_loaded looked: by the same delivery given
         * earlier in this batch, or by another process. */
        hd_error_clear(&j->err);
        rc = find_loaded(&j->known, st, &j->err);
        return rc > 0 ? READ_ALREADY_LOADED : READ_FAILED;
    }
    if (rc)
        return READ_FAILED;
    for (int i = 0; i < st->manifest.file_count; i++) {
        rc = read_file(st, &st->manifest.files[i], &log->feeds[i], &j->err);
        if (rc)
            return rc > 0 ? READ_REJECTED : READ_FAILED;
    }
    return READ_READY;
}

void hd__delivery_read(hd__delivery *j)
{
    j->result = read_phase(j);
}

int hd__delivery_finish(hd__delivery *j, hd_ingest_outcome *outcome,
                        hd_error *err)
{
    load_state *st = &j->st;
    int rc;

    *outcome = HD_INGEST_REJECTED;
    switch (j->result) {
    case READ_FAILED:
        if (err)
            *err = j->err;
        return j->err.code ? j->err.code : HD_EIO;
    case READ_REJECTED:
        hd_fs_load_abort(st->load);
        st->load = NULL;
        return write_case_store(st, err);
    case READ_READY:
        /* The same delivery id may have come twice in one batch: the
         * earlier one is committed by now. */
        rc = find_loaded(&j->known, st, err);
        if (rc < 0)
            return rc;
        if (rc == 0) {
            rc = commit_load(st, err);
            if (rc == 0)
                *outcome = HD_INGEST_LOADED;
            if (rc <= 0)
                return rc;
            rc = find_loaded(&j->known, st, err);
            if (rc < 0)
                return rc;
        }
        hd_fs_load_abort(st->load);
        st->load = NULL;
        *outcome = HD_INGEST_ALREADY_LOADED;
        return report_already_loaded(st, &j->known, err);
    case READ_ALREADY_LOADED:
        *outcome = HD_INGEST_ALREADY_LOADED;
        return report_already_loaded(st, &j->known, err);
    }
    return HD_EINVAL;
}

void hd__delivery_init(hd__delivery *j, hd_ingest *ing, const char *dir,
                       const hd_ingest_options *opt, hd_ingest_log *log)
{
    memset(j, 0, sizeof(*j));
    memset(log, 0, sizeof(*log));
    j->st.ing = ing;
    j->st.opt = opt;
    j->st.dir = dir;
    j->st.log = log;
    hd__quarantine_init(&j->st.quarantine);
    copy_text(log->path, sizeof(log->path), dir);
    log->loaded_at = opt->now;
    hd_error_clear(&j->err);
}

void hd__delivery_release(hd__delivery *j)
{
    hd_fs_load_abort(j->st.load);
    j->st.load = NULL;
    hd__quarantine_release(&j->st.quarantine);
}
