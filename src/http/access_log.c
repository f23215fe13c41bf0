/*
 * The access log: one JSON line per request. The path is logged without
 * its query string (a query may carry a citizen ID), and no body ever.
 */
#include "http/http_int.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int hd__http_log_open(int *fd_out, const char *path, hd_error *err)
{
    int fd;

    if (!strcmp(path, "-")) {
        *fd_out = STDERR_FILENO;
        return 0;
    }
    fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0640);
    if (fd < 0)
        return hd_error_set(err, HD_EIO, "cannot open access log %s: %s", path,
                            strerror(errno));
    *fd_out = fd;
    return 0;
}

const char *hd__http_time_format(char *out, int64_t us)
{
    int64_t secs = us / 1000000, frac = us % 1000000;
    int64_t days, rem;
    char date[HD_DATE_TEXT_MAX];

    if (frac < 0) {
        frac += 1000000;
        secs--;
    }
    days = secs / 86400;
    rem = secs % 86400;
    if (rem < 0) {
        rem += 86400;
        days--;
    }
    snprintf(out, 32, "%sT%02d:%02d:%02d.%06dZ",
             hd_date_format(date, (int32_t)days), (int)(rem / 3600),
             (int)(rem / 60 % 60), (int)(rem % 60), (int)frac);
    return out;
}

/* A string for the log: the bytes when they are UTF-8, else a marker
 * (jansson would refuse them, and the line would be lost). */
static json_t *log_string(const char *s)
{
    json_t *v;

    if (!s || !s[0])
        return json_null();
    v = json_string(s);
    return v ? v : json_string("(not utf-8)");
}

void hd__http_log_write(int fd, const hd__http_log_entry *e)
{
    char when[32];
    json_t *o = json_object();
    char *line;
    size_t len;

    if (fd < 0 || !o)
        goto out;
    json_object_set_new(o, "time",
                        json_string(hd__http_time_format(when, e->time_us)));
    json_object_set_new(o, "request_id", log_string(e->request_id));
    json_object_set_new(o, "method", log_string(e->method));
    json_object_set_new(o, "path", log_string(e->path));
    json_object_set_new(o, "status", json_integer(e->status));
    json_object_set_new(o, "bytes", json_integer((json_int_t)e->bytes));
    json_object_set_new(o, "duration_us", json_integer(e->duration_us));
    json_object_set_new(o, "user", log_string(e->username));
    json_object_set_new(o, "remote", log_string(e->remote));
    line = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
    if (!line)
        goto out;
    len = strlen(line);
    line[len] = '\n'; /* over the NUL: the line is written by length */
    /* One write per line: with O_APPEND, lines of requests finishing at
     * once never interleave. A failed log write must not fail the
     * request, which has been answered already. */
    if (write(fd, line, len + 1) < 0)
        hd_log(HD_LOG_WARN, "event=access_log_failed errno=%d", errno);
    free(line);
out:
    json_decref(o);
}
