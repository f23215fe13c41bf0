/* Reading JSON Lines files for the import commands. */
#include "cli/cli.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#define CHUNK (1 << 20)

int hd_cli_jsonl_each(const char *path, size_t max_line,
                      int (*fn)(const char *line, size_t len, int64_t no,
                                void *payload),
                      void *payload, hd_error *err)
{
    FILE *f = fopen(path, "rb");
    hd_buf buf;
    int64_t no = 0;
    size_t start = 0;
    int rc = 0;

    if (!f)
        return hd_error_set(err, HD_EIO, "cannot open %s: %s", path,
                            strerror(errno));
    hd_buf_init(&buf, max_line + CHUNK);
    for (;;) {
        size_t n;
        char *nl;

        /* Keep the unfinished line, read more after it. */
        if (start) {
            memmove(buf.ptr, buf.ptr + start, buf.len - start);
            buf.len -= start;
            start = 0;
        }
        if (hd_buf_grow(&buf, CHUNK)) {
            rc = hd_error_set(err, HD_ELIMIT,
                              "%s:%lld: line longer than %zu bytes", path,
                              (long long)no + 1, max_line);
            break;
        }
        n = fread(buf.ptr + buf.len, 1, CHUNK, f);
        buf.len += n;
        buf.ptr[buf.len] = '\0';
        while ((nl = memchr(buf.ptr + start, '\n', buf.len - start)) != NULL) {
            size_t len = (size_t)(nl - (buf.ptr + start));
            no++;
            if (len && buf.ptr[start + len - 1] == '\r')
                len--;
            rc = fn(buf.ptr + start, len, no, payload);
            if (rc)
                goto out;
            start = (size_t)(nl - buf.ptr) + 1;
        }
        if (buf.len - start > max_line) {
            rc = hd_error_set(err, HD_ELIMIT,
                              "%s:%lld: line longer than %zu bytes", path,
                              (long long)no + 1, max_line);
            break;
        }
        if (n == 0) {
            if (ferror(f))
                rc = hd_error_set(err, HD_EIO, "cannot read %s", path);
            else if (buf.len > start)
                rc = fn(buf.ptr + start, buf.len - start, ++no, payload);
            break;
        }
    }
out:
    hd_buf_release(&buf);
    fclose(f);
    return rc;
}

void hd_cli_jsonl_reject(const char *path, int64_t no, hd_error *err)
{
    char msg[1024];

    hd_error_at(err, path, no, 0, NULL);
    fprintf(stderr, "%s\n", hd_error_format(err, msg, sizeof(msg)));
}
