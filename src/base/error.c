/* Error values: filled without allocating, formatted on demand. */
#include <hedui/base.h>

#include <stdio.h>
#include <string.h>

static void copy_cstr(char *dst, size_t dst_len, const char *src)
{
    size_t n = strlen(src);
    if (n >= dst_len)
        n = dst_len - 1;
    memcpy(dst, src, n);
    dst[n] = '\0';
}

void hd_error_clear(hd_error *err)
{
    if (!err)
        return;
    err->code = 0;
    err->line = 0;
    err->column = 0;
    err->msg[0] = '\0';
    err->file[0] = '\0';
    err->field[0] = '\0';
}

int hd_error_setv(hd_error *err, int code, const char *fmt, va_list ap)
{
    if (!err)
        return code;
    err->code = code;
    vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
    return code;
}

int hd_error_set(hd_error *err, int code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    hd_error_setv(err, code, fmt, ap);
    va_end(ap);
    return code;
}

void hd_error_at(hd_error *err, const char *file, int64_t line, int column,
                 const char *field)
{
    if (!err)
        return;
    if (file)
        copy_cstr(err->file, sizeof(err->file), file);
    if (line)
        err->line = line;
    if (column)
        err->column = column;
    if (field)
        copy_cstr(err->field, sizeof(err->field), field);
}

const char *hd_error_format(const hd_error *err, char *out, size_t out_len)
{
    size_t used = 0;
    int n;

    if (out_len == 0)
        return out;
    out[0] = '\0';
#define APPEND(...)                                                            \
    do {                                                                       \
        n = snprintf(out + used, out_len - used, __VA_ARGS__);                 \
        if (n < 0 || (size_t)n >= out_len - used)                              \
            return out;                                                        \
        used += (size_t)n;                                                     \
    } while (0)
    if (err->file[0]) {
        APPEND("%s:", err->file);
        if (err->line)
            APPEND("%lld:", (long long)err->line);
        if (err->column)
            APPEND("%d:", err->column);
        APPEND(" ");
    }
    if (err->field[0])
        APPEND("%s: ", err->field);
    APPEND("%s", err->msg[0] ? err->msg : hd_strerror(err->code));
#undef APPEND
    return out;
}

const char *hd_strerror(int code)
{
    switch (code) {
    case HD_OK:
        return "success";
    case HD_ENOMEM:
        return "out of memory";
    case HD_EINVAL:
        return "invalid argument";
    case HD_EDATA:
        return "invalid data";
    case HD_EOVERFLOW:
        return "number out of range";
    case HD_EIO:
        return "input/output error";
    case HD_ENOTFOUND:
        return "not found";
    case HD_ESTORE:
        return "database error";
    case HD_EEXISTS:
        return "already exists";
    case HD_ELIMIT:
        return "size limit reached";
    case HD_EREJECTED:
        return "delivery rejected";
    case HD_ECONFLICT:
        return "conflicting concurrent write";
    case HD_EAUTH:
        return "not authenticated";
    case HD_EDENIED:
        return "not allowed";
    case HD_ESTATE:
        return "not allowed in this state";
    }
    return "unknown error";
}
