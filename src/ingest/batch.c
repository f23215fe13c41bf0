/*
 * Loading deliveries in a batch: the next ones are read on worker threads
 * while the current one commits on the caller's thread.
 */
#include "ingest/ingest_int.h"

#include <pthread.h>
#include <string.h>

/* A delivery of the batch and the thread reading it. */
typedef struct job {
    hd__delivery d;
    pthread_t thread;
    bool started;
} job;

static void *read_thread(void *arg)
{
    job *j = arg;
    hd__delivery_read(&j->d);
    return NULL;
}

static void job_start(job *j, bool threaded)
{
    if (threaded && pthread_create(&j->thread, NULL, read_thread, j) == 0) {
        j->started = true;
        return;
    }
    /* Without a thread (or when one cannot be had) read right here. */
    hd__delivery_read(&j->d);
}

static void job_wait(job *j)
{
    if (j->started)
        pthread_join(j->thread, NULL);
    j->started = false;
}

int hd_ingest_deliveries(hd_ingest *ing, const char *const *dirs, int count,
                         const hd_ingest_options *opt, hd_ingest_done_fn fn,
                         void *payload, hd_error *err)
{
    int window = opt->readers > 1 ? opt->readers : 1;
    int next = 0, rc = 0;
    job *jobs = hd_calloc((size_t)(count ? count : 1), sizeof(*jobs));
    hd_ingest_log *logs = hd_calloc((size_t)(count ? count : 1), sizeof(*logs));

    if (!jobs || !logs) {
        hd_free(jobs);
        hd_free(logs);
        return hd_error_set(err, HD_ENOMEM, "out of memory");
    }
    for (int i = 0; i < count; i++)
        hd__delivery_init(&jobs[i].d, ing, dirs[i], opt, &logs[i]);
    /* Up to `window` deliveries are read ahead of the one being
     * committed; commits keep the given order, on which snapshot and
     * delta semantics depend. */
    for (int i = 0; i < count; i++) {
        hd_ingest_outcome outcome;
        while (rc == 0 && next < count && next < i + window)
            job_start(&jobs[next++], window > 1);
        job_wait(&jobs[i]);
        if (rc == 0)
            rc = hd__delivery_finish(&jobs[i].d, &outcome, err);
        if (rc == 0) {
            hd_log(HD_LOG_INFO, "event=ingest delivery=%s outcome=%s",
                   logs[i].delivery_id, hd_ingest_outcome_name(outcome));
            if (fn)
                rc = fn(i, outcome, &logs[i], payload);
        }
        hd__delivery_release(&jobs[i].d);
    }
    hd_free(jobs);
    hd_free(logs);
    return rc;
}

typedef struct single_result {
    hd_ingest_outcome *outcome;
    hd_ingest_log *log;
} single_result;

static int keep_single(int index, hd_ingest_outcome outcome,
                       const hd_ingest_log *log, void *payload)
{
    single_result *r = payload;
    (void)index;
    *r->outcome = outcome;
    *r->log = *log;
    return 0;
}

int hd_ingest_delivery(hd_ingest *ing, const char *dir,
                       const hd_ingest_options *opt, hd_ingest_outcome *outcome,
                       hd_ingest_log *log, hd_error *err)
{
    single_result r = {outcome, log};
    hd_ingest_options one = *opt;

    one.readers = 1;
    *outcome = HD_INGEST_REJECTED;
    memset(log, 0, sizeof(*log));
    return hd_ingest_deliveries(ing, &dir, 1, &one, keep_single, &r, err);
}
