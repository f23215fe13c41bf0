/*
 * Static files under "/": the console (web/). A path is served only when
 * it resolves, symbolic links followed, to a regular file inside the web
 * root: no "..", no hidden files, no way out through a link.
 */
#include "http/http_int.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const struct {
    const char *ext;
    const char *type;
} types[] = {
    {".html", "text/html; charset=utf-8"},
    {".css", "text/css; charset=utf-8"},
    {".js", "text/javascript; charset=utf-8"},
    {".mjs", "text/javascript; charset=utf-8"},
    {".json", "application/json; charset=utf-8"},
    {".map", "application/json; charset=utf-8"},
    {".svg", "image/svg+xml"},
    {".png", "image/png"},
    {".jpg", "image/jpeg"},
    {".ico", "image/x-icon"},
    {".woff2", "font/woff2"},
    {".txt", "text/plain; charset=utf-8"},
};

static const char *type_of(const char *path)
{
    const char *dot = strrchr(path, '.');

    if (dot && !strchr(dot, '/'))
        for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++)
            if (!strcmp(dot, types[i].ext))
                return types[i].type;
    return "application/octet-stream";
}

/* No segment may be empty past the first, start with '.', or hold a
 * backslash or a control character. */
static bool path_ok(const char *path)
{
    if (path[0] != '/')
        return false;
    for (const char *p = path; *p; p++) {
        unsigned char c = (unsigned char)*p;
        if (c < 0x20 || c == 0x7f || c == '\\')
            return false;
        if (c == '/' && p[1] == '.')
            return false;
        if (c == '/' && p[1] == '/')
            return false;
    }
    return true;
}

void hd__http_static_serve(hd_http_req *req, const char *web_root)
{
    hd__http_ctx *ctx = hd__http_ctx_of(req);
    char root[PATH_MAX], real[PATH_MAX];
    hd_buf want;
    struct stat st;
    size_t root_len = 0;
    bool inside = false;
    char etag[64];
    const char *match;
    int fd = -1;

    hd_buf_init(&want, PATH_MAX);
    if (web_root && path_ok(req->path) && realpath(web_root, root)) {
        hd_buf_puts(&want, root);
        hd_buf_puts(&want, req->path);
        if (req->path[strlen(req->path) - 1] == '/')
            hd_buf_puts(&want, "index.html");
        root_len = strlen(root);
        inside = !hd_buf_error(&want) && realpath(want.ptr, real) &&
                 !strncmp(real, root, root_len) && real[root_len] == '/';
    }
    hd_buf_release(&want);
    if (inside)
        fd = open(real, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0 || fstat(fd, &st) || !S_ISREG(st.st_mode)) {
        if (fd >= 0)
            close(fd);
        hd__http_reply_text(req, 404, "not found\n");
        return;
    }
    /* Pages are served with no-cache: the browser asks again each time,
     * and a file it has already (the 1 MB chart library, say) costs a
     * 304 instead of its bytes. */
    snprintf(etag, sizeof(etag), "\"%llx-%llx-%lx\"",
             (unsigned long long)st.st_size,
             (unsigned long long)st.st_mtim.tv_sec,
             (unsigned long)st.st_mtim.tv_nsec);
    match = hd_http_header(req, "If-None-Match");
    if (hd__http_reply_text(req, match && !strcmp(match, etag) ? 304 : 200,
                            "") != 0 ||
        hd_http_reply_header(req, "ETag", etag) != 0 ||
        (match && !strcmp(match, etag))) {
        close(fd);
        return;
    }
    ctx->content_type = type_of(real);
    ctx->fd = fd;
    ctx->bytes = (uint64_t)st.st_size;
}
