/*
 * Case store connections for requests. A case store handle is for one
 * thread at a time (store.h); the pool has one per server thread, so a
 * request waits for one only when a handler of another thread is slow to
 * give its own back, which cannot happen while each thread handles one
 * request at a time; the wait is there for when that changes.
 */
#include "http/http_int.h"

#include <string.h>

int hd__http_pool_open(hd__http_pool *pool, hd_casestore *first, size_t count,
                       hd_error *err)
{
    int rc = 0;

    memset(pool, 0, sizeof(*pool));
    pool->conns = hd_calloc(count, sizeof(*pool->conns));
    pool->busy = hd_calloc(count, sizeof(*pool->busy));
    if (!pool->conns || !pool->busy) {
        hd__http_pool_close(pool);
        return hd_error_set(err, HD_ENOMEM, "out of memory");
    }
    pthread_mutex_init(&pool->lock, NULL);
    pthread_cond_init(&pool->freed, NULL);
    for (; pool->count < count; pool->count++) {
        rc = hd_casestore_open_same(&pool->conns[pool->count], first, err);
        if (rc) {
            hd__http_pool_close(pool);
            return rc;
        }
    }
    return 0;
}

void hd__http_pool_close(hd__http_pool *pool)
{
    if (!pool->conns && !pool->busy)
        return;
    for (size_t i = 0; i < pool->count; i++)
        hd_casestore_free(pool->conns[i]);
    if (pool->conns && pool->busy) {
        pthread_mutex_destroy(&pool->lock);
        pthread_cond_destroy(&pool->freed);
    }
    hd_free(pool->conns);
    hd_free(pool->busy);
    memset(pool, 0, sizeof(*pool));
}

hd_casestore *hd__http_pool_get(hd__http_pool *pool)
{
    hd_casestore *cs = NULL;

    pthread_mutex_lock(&pool->lock);
    while (!cs) {
        for (size_t i = 0; i < pool->count && !cs; i++) {
            if (!pool->busy[i]) {
                pool->busy[i] = true;
                cs = pool->conns[i];
            }
        }
        if (!cs)
            pthread_cond_wait(&pool->freed, &pool->lock);
    }
    pthread_mutex_unlock(&pool->lock);
    return cs;
}

void hd__http_pool_put(hd__http_pool *pool, hd_casestore *cs)
{
    pthread_mutex_lock(&pool->lock);
    for (size_t i = 0; i < pool->count; i++)
        if (pool->conns[i] == cs)
            pool->busy[i] = false;
    pthread_cond_signal(&pool->freed);
    pthread_mutex_unlock(&pool->lock);
}
