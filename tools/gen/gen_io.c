/*
 * Output streams and hand-written number formatting for the generator.
 * A population of a million families is some 3 GB of CSV: every byte goes
 * through one large buffer per file, is hashed as it leaves, and numbers
 * are formatted without printf.
 */
#include "gen/gen_int.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define QUEUE_CAP 64
#define MAX_BUFFERS 64

typedef struct job {
    gen_out *o;
    char *buf;
    size_t len;
} job;

struct gen_writer {
    pthread_t thread;
    pthread_mutex_t mu;
    pthread_cond_t work; /* a job was queued, or stop */
    pthread_cond_t done; /* a job finished or left the queue */
    job queue[QUEUE_CAP];
    size_t head;
    size_t count;
    bool busy;
    bool stop;
    size_t cap;
    char *all[MAX_BUFFERS]; /* every buffer, for freeing */
    size_t all_count;
    char *free_bufs[MAX_BUFFERS];
    size_t free_count;
};

/* Hash and write one buffer; returns 0 or an errno. */
static int hash_and_write(gen_out *o, const char *buf, size_t len)
{
    size_t done = 0;

    hd_sha256_update(&o->sha, buf, len);
    while (done < len) {
        ssize_t n = write(o->fd, buf + done, len - done);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return errno;
        }
        done += (size_t)n;
    }
    o->bytes += (int64_t)len;
    return 0;
}

static void *writer_main(void *arg)
{
    gen_writer *w = arg;

    pthread_mutex_lock(&w->mu);
    for (;;) {
        job j;
        int e;
        while (w->count == 0 && !w->stop)
            pthread_cond_wait(&w->work, &w->mu);
        if (w->count == 0)
            break;
        j = w->queue[w->head];
        w->head = (w->head + 1) % QUEUE_CAP;
        w->count--;
        w->busy = true;
        pthread_mutex_unlock(&w->mu);

        e = j.o->err ? 0 : hash_and_write(j.o, j.buf, j.len);

        pthread_mutex_lock(&w->mu);
        if (e)
            j.o->err = e;
        w->free_bufs[w->free_count++] = j.buf;
        w->busy = false;
        pthread_cond_broadcast(&w->done);
    }
    pthread_mutex_unlock(&w->mu);
    return NULL;
}

int hd__gen_writer_start(gen_writer **out, size_t cap, hd_error *err)
{
    gen_writer *w = hd_calloc(1, sizeof(*w));

    *out = NULL;
    if (!w)
        return hd_error_set(err, HD_ENOMEM, "out of memory");
    w->cap = cap;
    pthread_mutex_init(&w->mu, NULL);
    pthread_cond_init(&w->work, NULL);
    pthread_cond_init(&w->done, NULL);
    if (pthread_create(&w->thread, NULL, writer_main, w) != 0) {
        /* No thread: the streams write synchronously, only slower. */
        pthread_cond_destroy(&w->work);
        pthread_cond_destroy(&w->done);
        pthread_mutex_destroy(&w->mu);
        hd_free(w);
        return 0;
    }
    *out = w;
    return 0;
}

/* Wait until every queued buffer is written. */
static void writer_drain(gen_writer *w)
{
    pthread_mutex_lock(&w->mu);
    while (w->count > 0 || w->busy)
        pthread_cond_wait(&w->done, &w->mu);
    pthread_mutex_unlock(&w->mu);
}

void hd__gen_writer_stop(gen_writer *w)
{
    if (!w)
        return;
    pthread_mutex_lock(&w->mu);
    w->stop = true;
    pthread_cond_signal(&w->work);
    pthread_mutex_unlock(&w->mu);
    pthread_join(w->thread, NULL);
    for (size_t i = 0; i < w->all_count; i++)
        hd_free(w->all[i]);
    pthread_cond_destroy(&w->work);
    pthread_cond_destroy(&w->done);
    pthread_mutex_destroy(&w->mu);
    hd_free(w);
}

/* A free buffer from the pool (waits for one when all are in use). */
static char *take_buffer(gen_writer *w)
{
    char *b = NULL;

    pthread_mutex_lock(&w->mu);
    for (;;) {
        if (w->free_count) {
            b = w->free_bufs[--w->free_count];
            break;
        }
        if (w->all_count < MAX_BUFFERS) {
            b = hd_malloc(w->cap);
            if (b)
                w->all[w->all_count++] = b;
            break;
        }
        pthread_cond_wait(&w->done, &w->mu);
    }
    pthread_mutex_unlock(&w->mu);
    return b;
}

static void give_back(gen_writer *w, char *b)
{
    if (!b)
        return;
    pthread_mutex_lock(&w->mu);
    w->free_bufs[w->free_count++] = b;
    pthread_cond_broadcast(&w->done);
    pthread_mutex_unlock(&w->mu);
}

/* Queue the stream's buffer; returns an errno of an earlier write. */
static int submit(gen_out *o)
{
    gen_writer *w = o->writer;
    int e;

    pthread_mutex_lock(&w->mu);
    while (w->count == QUEUE_CAP)
        pthread_cond_wait(&w->done, &w->mu);
    w->queue[(w->head + w->count) % QUEUE_CAP] = (job){o, o->buf, o->len};
    w->count++;
    e = o->err;
    pthread_cond_signal(&w->work);
    pthread_mutex_unlock(&w->mu);
    o->buf = NULL;
    o->len = 0;
    return e;
}

int hd__gen_out_open(gen_out *o, const char *path, size_t cap,
                     gen_writer *writer, hd_error *err)
{
    memset(o, 0, sizeof(*o));
    o->fd = -1;
    o->writer = writer;
    snprintf(o->path, sizeof(o->path), "%s", path);
    if (writer) {
        o->buf = take_buffer(writer);
        cap = writer->cap;
    } else {
        o->buf = hd_malloc(cap);
    }
    if (!o->buf)
        return hd_error_set(err, HD_ENOMEM, "out of memory");
    o->cap = cap;
    o->fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (o->fd < 0) {
        int e = errno;
        hd__gen_out_abandon(o);
        return hd_error_set(err, HD_EIO, "cannot create %s: %s", path,
                            strerror(e));
    }
    hd_sha256_init(&o->sha);
    return 0;
}

int hd__gen_out_flush(gen_out *o, hd_error *err)
{
    int e;

    if (o->len == 0)
        return 0;
    if (!o->writer) {
        e = hash_and_write(o, o->buf, o->len);
        o->len = 0;
    } else {
        e = submit(o);
        o->buf = take_buffer(o->writer);
        if (!o->buf)
            return hd_error_set(err, HD_ENOMEM, "out of memory");
    }
    if (e)
        return hd_error_set(err, HD_EIO, "cannot write %s: %s", o->path,
                            strerror(e));
    return 0;
}

int hd__gen_out_write(gen_out *o, const void *data, size_t len, hd_error *err)
{
    const char *p = data;

    while (len > 0) {
        size_t room = o->cap - o->len;
        size_t n = len < room ? len : room;
        memcpy(o->buf + o->len, p, n);
        o->len += n;
        p += n;
        len -= n;
        if (o->len == o->cap) {
            int rc = hd__gen_out_flush(o, err);
            if (rc)
                return rc;
        }
    }
    return 0;
}

int hd__gen_out_close(gen_out *o, char *hex, hd_error *err)
{
    int rc = 0, e = 0;

    if (o->fd < 0)
        return 0;
    if (o->writer) {
        if (o->len)
            submit(o);
        writer_drain(o->writer);
        give_back(o->writer, o->buf);
        o->buf = NULL;
        e = o->err;
    } else if (o->len) {
        e = hash_and_write(o, o->buf, o->len);
        o->len = 0;
    }
    if (e)
        rc = hd_error_set(err, HD_EIO, "cannot write %s: %s", o->path,
                          strerror(e));
    if (close(o->fd) != 0 && rc == 0)
        rc = hd_error_set(err, HD_EIO, "cannot close %s: %s", o->path,
                          strerror(errno));
    o->fd = -1;
    if (hex)
        hd_sha256_final_hex(&o->sha, hex);
    if (!o->writer)
        hd_free(o->buf);
    o->buf = NULL;
    return rc;
}

void hd__gen_out_abandon(gen_out *o)
{
    if (o->writer) {
        /* the thread may still hold this stream's buffers */
        writer_drain(o->writer);
        give_back(o->writer, o->buf);
    } else {
        hd_free(o->buf);
    }
    o->buf = NULL;
    if (o->fd >= 0)
        close(o->fd);
    o->fd = -1;
}

int hd__gen_write_file(const char *path, const char *data, size_t len,
                       int64_t *bytes, hd_error *err)
{
    gen_out o;
    int rc = hd__gen_out_open(&o, path, len + 1, NULL, err);

    if (rc)
        return rc;
    rc = hd__gen_out_write(&o, data, len, err);
    if (rc) {
        hd__gen_out_abandon(&o);
        return rc;
    }
    if (bytes)
        *bytes += (int64_t)len;
    return hd__gen_out_close(&o, NULL, err);
}

/* ---------------------------------------------------------- formatting */

size_t hd__gen_fmt_int(char *p, int64_t v)
{
    char tmp[24];
    size_t n = 0, len = 0;
    uint64_t u;

    if (v < 0) {
        p[len++] = '-';
        u = (uint64_t)0 - (uint64_t)v;
    } else {
        u = (uint64_t)v;
    }
    do {
        tmp[n++] = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    while (n)
        p[len++] = tmp[--n];
    return len;
}

size_t hd__gen_fmt_money(char *p, int64_t fen)
{
    size_t len = 0;
    uint64_t u;
    int64_t yuan;

    if (fen < 0) {
        p[len++] = '-';
        u = (uint64_t)0 - (uint64_t)fen;
    } else {
        u = (uint64_t)fen;
    }
    yuan = (int64_t)(u / 100);
    len += hd__gen_fmt_int(p + len, yuan);
    p[len++] = '.';
    p[len++] = (char)('0' + (u % 100) / 10);
    p[len++] = (char)('0' + u % 10);
    return len;
}

static void put2(char *p, int v)
{
    p[0] = (char)('0' + v / 10);
    p[1] = (char)('0' + v % 10);
}

static void put4(char *p, int v)
{
    put2(p, v / 100);
    put2(p + 2, v % 100);
}

size_t hd__gen_fmt_date(char *p, int32_t date)
{
    int y, m, d;

    hd_date_to_ymd(date, &y, &m, &d);
    put4(p, y);
    p[4] = '-';
    put2(p + 5, m);
    p[7] = '-';
    put2(p + 8, d);
    return 10;
}

size_t hd__gen_fmt_period(char *p, int32_t period)
{
    put4(p, period / 12);
    p[4] = '-';
    put2(p + 5, period % 12 + 1);
    return 7;
}

void hd__gen_json_str(hd_buf *b, const char *s)
{
    /* Runs of characters that need no escape go in one append. */
    hd_buf_putc(b, '"');
    while (*s) {
        const char *run = s;
        unsigned char c;
        while ((c = (unsigned char)*s) >= 0x20 && c != '"' && c != '\\')
            s++;
        if (s > run)
            hd_buf_append(b, run, (size_t)(s - run));
        if (!c)
            break;
        if (c == '"' || c == '\\') {
            hd_buf_putc(b, '\\');
            hd_buf_putc(b, (char)c);
        } else {
            hd_buf_printf(b, "\\u%04x", c);
        }
        s++;
    }
    hd_buf_putc(b, '"');
}

void hd__gen_buf_int(hd_buf *b, int64_t v)
{
    char text[24];
    hd_buf_append(b, text, hd__gen_fmt_int(text, v));
}
