/* Logging through a sink the program installs; silent by default. */
#include <hedui/base.h>

#include <stdio.h>

static hd_log_fn log_fn;
static void *log_payload;

void hd_log_set_sink(hd_log_fn fn, void *payload)
{
    log_fn = fn;
    log_payload = payload;
}

void hd_log(hd_log_level level, const char *fmt, ...)
{
    char line[1024];
    va_list ap;

    if (!log_fn)
        return;
    va_start(ap, fmt);
    vsnprintf(line, sizeof(line), fmt, ap);
    va_end(ap);
    log_fn(level, line, log_payload);
}
