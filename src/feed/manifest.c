/*
 * manifest.json of a delivery (spec feeds.md, Delivery). Every member is
 * checked here, before any file is opened, so that ingest can trust the
 * struct: known feeds of the right department, file names that cannot
 * leave the delivery folder, counts and checksums well-formed.
 */
#include "feed/feed_int.h"

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MANIFEST_STANDARD "hedui-feeds/1"
#define MANIFEST_NAME "manifest.json"
/* A manifest lists at most 16 files: anything near this is not one. */
#define MANIFEST_MAX_BYTES ((size_t)1 << 20)

static int fail(hd_reject *reason, hd_reject why, hd_error *err,
                const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static int fail(hd_reject *reason, hd_reject why, hd_error *err,
                const char *fmt, ...)
{
    va_list ap;

    if (reason)
        *reason = why;
    va_start(ap, fmt);
    hd_error_setv(err, HD_EDATA, fmt, ap);
    va_end(ap);
    return HD_EDATA;
}

/* A short printable copy of untrusted text for a message. */
static const char *echo(char out[48], const char *s)
{
    size_t i;

    for (i = 0; s[i] && i < 40; i++)
        out[i] = s[i] >= 0x20 && s[i] < 0x7f ? s[i] : '?';
    if (s[i]) {
        memcpy(out + i, "...", 3);
        i += 3;
    }
    out[i] = '\0';
    return out;
}

static bool department_known(const char *name)
{
    for (int i = 0; i < hd_feed_count; i++)
        if (strcmp(hd_feeds[i].department, name) == 0)
            return true;
    return false;
}

/* Printable ASCII without '/', not "." or "..": safe as a folder name. */
static bool delivery_id_safe(const char *s, size_t len)
{
    if (len == 0 || len >= HD_DELIVERY_ID_MAX)
        return false;
    if (strcmp(s, ".") == 0 || strcmp(s, "..") == 0)
        return false;
    for (size_t i = 0; i < len; i++)
        if (s[i] < 0x20 || s[i] > 0x7e || s[i] == '/')
            return false;
    return true;
}

/* A file name inside the delivery folder, never a path out of it, and
 * nothing that would garble a log line. */
static bool file_name_plain(const char *s, size_t len, size_t max)
{
    if (len == 0 || len >= max)
        return false;
    if (strcmp(s, ".") == 0 || strcmp(s, "..") == 0)
        return false;
    for (size_t i = 0; i < len; i++)
        if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f || s[i] == '/' ||
            s[i] == '\\')
            return false;
    return true;
}

/* A string member of `obj`, or NULL; `len` gets its length. */
static const char *string_member(const json_t *obj, const char *key,
                                 size_t *len)
{
    const json_t *v = json_object_get(obj, key);
    if (!json_is_string(v))
        return NULL;
    *len = json_string_length(v);
    return json_string_value(v);
}

static int parse_sha256(char out[HD_SHA256_HEX_LEN + 1], const char *s,
                        size_t len)
{
    if (len != HD_SHA256_HEX_LEN)
        return -1;
    for (size_t i = 0; i < len; i++) {
        char c = s[i];
        if (c >= 'A' && c <= 'F')
            c = (char)(c - 'A' + 'a');
        else if (!hd_is_digit(c) && !(c >= 'a' && c <= 'f'))
            return -1;
        out[i] = c;
    }
    out[len] = '\0';
    return 0;
}

static int parse_file(hd_manifest *m, int index, const json_t *entry,
                      hd_reject *reason, hd_error *err)
{
    hd_manifest_file *f = &m->files[index];
    const json_t *rows;
    const char *s;
    size_t len;
    char shown[48];

    if (!json_is_object(entry))
        return fail(reason, HD_REJECT_MANIFEST, err, "files[%d]: not an object",
                    index);
    s = string_member(entry, "feed", &len);
    if (!s)
        return fail(reason, HD_REJECT_MANIFEST, err,
                    "files[%d].feed: missing or not a string", index);
    f->feed = hd_feed_find_n(s, len);
    if (!f->feed)
        return fail(reason, HD_REJECT_UNKNOWN_FEED, err,
                    "files[%d].feed: unknown feed \"%s\"", index,
                    echo(shown, s));
    if (strcmp(f->feed->department, m->department) != 0)
        return fail(reason, HD_REJECT_DEPARTMENT, err,
                    "files[%d].feed: %s is delivered by %s, not %s", index,
                    f->feed->name, f->feed->department, m->department);
    for (int i = 0; i < index; i++)
        if (m->files[i].feed == f->feed)
            return fail(reason, HD_REJECT_MANIFEST, err,
                        "files[%d].feed: %s listed twice", index,
                        f->feed->name);

    s = string_member(entry, "file", &len);
    if (!s)
        return fail(reason, HD_REJECT_MANIFEST, err,
                    "files[%d].file: missing or not a string", index);
    if (!file_name_plain(s, len, sizeof(f->file)))
        return fail(reason, HD_REJECT_MANIFEST, err,
                    "files[%d].file: not a plain file name", index);
    memcpy(f->file, s, len + 1);
    for (int i = 0; i < index; i++)
        if (strcmp(m->files[i].file, f->file) == 0)
            return fail(reason, HD_REJECT_MANIFEST, err,
                        "files[%d].file: %s listed twice", index,
                        echo(shown, f->file));

    rows = json_object_get(entry, "rows");
    if (!json_is_integer(rows) || json_integer_value(rows) < 0)
        return fail(reason, HD_REJECT_MANIFEST, err,
                    "files[%d].rows: not an integer of 0 or more", index);
    f->rows = json_integer_value(rows);

    s = string_member(entry, "sha256", &len);
    if (!s)
        return fail(reason, HD_REJECT_MANIFEST, err,
                    "files[%d].sha256: missing or not a string", index);
    if (parse_sha256(f->sha256, s, len))
        return fail(reason, HD_REJECT_MANIFEST, err,
                    "files[%d].sha256: not 64 hex digits", index);
    return 0;
}

static int check_manifest(hd_manifest *m, const json_t *root, hd_reject *reason,
                          hd_error *err)
{
    const json_t *files;
    const char *s;
    size_t len;
    char shown[48];

    if (!json_is_object(root))
        return fail(reason, HD_REJECT_MANIFEST, err, "not a JSON object");

    /* The standard first: another version may differ in anything else. */
    s = string_member(root, "standard", &len);
    if (!s)
        return fail(reason, HD_REJECT_MANIFEST, err,
                    "standard: missing or not a string");
    if (strlen(s) != len || strcmp(s, MANIFEST_STANDARD) != 0)
        return fail(reason, HD_REJECT_STANDARD, err,
                    "standard: \"%s\" is not %s", echo(shown, s),
                    MANIFEST_STANDARD);

    s = string_member(root, "department", &len);
    if (!s)
        return fail(reason, HD_REJECT_MANIFEST, err,
                    "department: missing or not a string");
    if (len >= sizeof(m->department) || !department_known(s))
        return fail(reason, HD_REJECT_DEPARTMENT, err,
                    "department: unknown department \"%s\"", echo(shown, s));
    memcpy(m->department, s, len + 1);

    s = string_member(root, "delivery_id", &len);
    if (!s)
        return fail(reason, HD_REJECT_MANIFEST, err,
                    "delivery_id: missing or not a string");
    if (!delivery_id_safe(s, len))
        return fail(reason, HD_REJECT_MANIFEST, err,
                    "delivery_id: not 1 to %d printable ASCII characters "
                    "without '/'",
                    HD_DELIVERY_ID_MAX - 1);
    memcpy(m->delivery_id, s, len + 1);

    s = string_member(root, "as_of", &len);
    if (!s)
        return fail(reason, HD_REJECT_MANIFEST, err,
                    "as_of: missing or not a string");
    if (hd_date_parse(&m->as_of, s, len, NULL))
        return fail(reason, HD_REJECT_MANIFEST, err,
                    "as_of: not a calendar date YYYY-MM-DD");

    s = string_member(root, "mode", &len);
    if (!s)
        return fail(reason, HD_REJECT_MANIFEST, err,
                    "mode: missing or not a string");
    if (strcmp(s, "snapshot") == 0 && len == 8)
        m->snapshot = true;
    else if (strcmp(s, "delta") == 0 && len == 5)
        m->snapshot = false;
    else
        return fail(reason, HD_REJECT_MANIFEST, err,
                    "mode: not snapshot or delta");

    files = json_object_get(root, "files");
    if (!json_is_array(files))
        return fail(reason, HD_REJECT_MANIFEST, err,
                    "files: missing or not an array");
    if (json_array_size(files) == 0)
        return fail(reason, HD_REJECT_MANIFEST, err, "files: empty");
    if (json_array_size(files) > HD_MANIFEST_MAX_FILES)
        return fail(reason, HD_REJECT_MANIFEST, err,
                    "files: more than %d files", HD_MANIFEST_MAX_FILES);
    for (size_t i = 0; i < json_array_size(files); i++) {
        int rc = parse_file(m, (int)i, json_array_get(files, i), reason, err);
        if (rc)
            return rc;
        m->file_count = (int)i + 1;
    }
    return 0;
}

int hd_manifest_parse(hd_manifest *out, const char *json, size_t len,
                      hd_reject *reason, hd_error *err)
{
    json_error_t jerr;
    json_t *root;
    int rc;

    memset(out, 0, sizeof(*out));
    if (reason)
        *reason = HD_REJECT_NONE;
    /* Duplicate members would make the manifest mean two things. */
    root = json_loadb(json, len, JSON_REJECT_DUPLICATES, &jerr);
    if (!root)
        return fail(reason, HD_REJECT_MANIFEST, err,
                    "not JSON: %s (line %d, column %d)", jerr.text, jerr.line,
                    jerr.column);
    rc = check_manifest(out, root, reason, err);
    json_decref(root);
    if (rc) {
        memset(out, 0, sizeof(*out));
        return rc;
    }
    return 0;
}

int hd_manifest_read(hd_manifest *out, const char *dir, hd_reject *reason,
                     hd_error *err)
{
    char path[4096];
    char *data = NULL;
    struct stat st;
    size_t used = 0;
    int fd = -1, rc, n;

    memset(out, 0, sizeof(*out));
    if (reason)
        *reason = HD_REJECT_MANIFEST;
    n = snprintf(path, sizeof(path), "%s/%s", dir, MANIFEST_NAME);
    if (n < 0 || (size_t)n >= sizeof(path))
        return hd_error_set(err, HD_EINVAL, "delivery path too long");
    hd_error_at(err, path, 0, 0, NULL);
    fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        rc = hd_error_set(err, errno == ENOENT ? HD_EDATA : HD_EIO,
                          "cannot open %s: %s", MANIFEST_NAME, strerror(errno));
        goto out;
    }
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        rc = hd_error_set(err, HD_EDATA, "%s: not a regular file",
                          MANIFEST_NAME);
        goto out;
    }
    if ((size_t)st.st_size > MANIFEST_MAX_BYTES) {
        rc = hd_error_set(err, HD_EDATA, "%s: larger than %zu bytes",
                          MANIFEST_NAME, MANIFEST_MAX_BYTES);
        goto out;
    }
    data = hd_malloc((size_t)st.st_size + 1);
    if (!data) {
        rc = hd_error_set(err, HD_ENOMEM, "out of memory");
        goto out;
    }
    while (used < (size_t)st.st_size) {
        ssize_t got = read(fd, data + used, (size_t)st.st_size - used);
        if (got < 0 && errno == EINTR)
            continue;
        if (got <= 0) {
            rc = hd_error_set(err, HD_EIO, "cannot read %s: %s", MANIFEST_NAME,
                              got < 0 ? strerror(errno) : "file shrank");
            goto out;
        }
        used += (size_t)got;
    }
    rc = hd_manifest_parse(out, data, used, reason, err);
out:
    if (fd >= 0)
        close(fd);
    hd_free(data);
    return rc;
}
