/* Growable buffer with a hard maximum and a sticky error (SQLite's
 * StrAccum, curl's dynbuf). */
#include <hedui/base.h>

#include <stdio.h>
#include <string.h>

static char empty_string[1];

void hd_buf_init(hd_buf *buf, size_t max)
{
    buf->ptr = empty_string;
    buf->len = 0;
    buf->cap = 0;
    buf->max = max ? max : HD_BUF_DEFAULT_MAX;
    buf->err = 0;
}

void hd_buf_release(hd_buf *buf)
{
    if (buf->cap)
        hd_free(buf->ptr);
    hd_buf_init(buf, buf->max);
}

void hd_buf_reset(hd_buf *buf)
{
    buf->len = 0;
    buf->err = 0;
    if (buf->cap)
        buf->ptr[0] = '\0';
}

int hd_buf_grow(hd_buf *buf, size_t extra)
{
    size_t need, cap;
    char *p;

    if (buf->err)
        return buf->err;
    if (__builtin_add_overflow(buf->len, extra, &need) || need > buf->max) {
        buf->err = HD_ELIMIT;
        return buf->err;
    }
    if (need < buf->cap)
        return 0;
    cap = buf->cap ? buf->cap : 64;
    while (cap <= need) {
        if (__builtin_mul_overflow(cap, 2, &cap)) {
            cap = need + 1;
            break;
        }
    }
    p = hd_realloc(buf->cap ? buf->ptr : NULL, cap);
    if (!p) {
        buf->err = HD_ENOMEM;
        return buf->err;
    }
    if (!buf->cap)
        p[0] = '\0';
    buf->ptr = p;
    buf->cap = cap;
    return 0;
}

int hd_buf_append(hd_buf *buf, const void *data, size_t len)
{
    int rc = hd_buf_grow(buf, len);
    if (rc)
        return rc;
    if (len)
        memcpy(buf->ptr + buf->len, data, len);
    buf->len += len;
    buf->ptr[buf->len] = '\0';
    return 0;
}

int hd_buf_puts(hd_buf *buf, const char *s)
{
    return hd_buf_append(buf, s, strlen(s));
}

int hd_buf_putc(hd_buf *buf, char c)
{
    return hd_buf_append(buf, &c, 1);
}

int hd_buf_printf(hd_buf *buf, const char *fmt, ...)
{
    va_list ap;
    int n, rc;

    va_start(ap, fmt);
    n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        return buf->err = HD_EINVAL;
    rc = hd_buf_grow(buf, (size_t)n);
    if (rc)
        return rc;
    va_start(ap, fmt);
    vsnprintf(buf->ptr + buf->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    buf->len += (size_t)n;
    return 0;
}

char *hd_buf_detach(hd_buf *buf, size_t *len_out)
{
    char *p;

    if (buf->err)
        return NULL;
    if (!buf->cap && hd_buf_grow(buf, 0))
        return NULL;
    p = buf->ptr;
    if (len_out)
        *len_out = buf->len;
    hd_buf_init(buf, buf->max);
    return p;
}
