/*
 * The service's configuration file: JSON, strict, parsed once.
 *
 * Every key is one entry of `keys` below: its type, where it goes in
 * hd_http_config, its default and range. jansson keeps no positions, so
 * an error about a key finds the key's line in the text again
 * (key_line).
 */
#include "http/http_int.h"

#include <hedui/std.h>

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef enum key_type {
    KEY_TEXT, /* a string */
    KEY_PATH, /* a string naming a file, taken from the config's folder */
    KEY_INT
} key_type;

typedef struct config_key {
    const char *name;
    key_type type;
    size_t offset;
    bool required;
    const char *text_default; /* KEY_TEXT, KEY_PATH; NULL: none */
    int64_t int_default, min, max;
} config_key;

#define TEXT(name, required, def)                                              \
    {                                                                          \
#name, KEY_TEXT, offsetof(hd_http_config, name), required, def, 0, 0,  \
            0                                                                  \
    }
#define PATH(name, required, def)                                              \
    {                                                                          \
#name, KEY_PATH, offsetof(hd_http_config, name), required, def, 0, 0,  \
            0                                                                  \
    }
#define INT(name, def, min, max)                                               \
    {                                                                          \
#name, KEY_INT, offsetof(hd_http_config, name), false, NULL, def, min, \
            max                                                                \
    }

#define KIB 1024
#define MIB (1024 * 1024)

static const config_key keys[] = {
    TEXT(listen, false, "127.0.0.1:8080"),
    PATH(port_file, false, NULL),
    PATH(db, true, NULL),
    PATH(feeds, false, NULL),
    PATH(key, false, NULL),
    PATH(web_root, false, NULL),
    PATH(access_log, false, "-"),
    TEXT(region, true, NULL),
    PATH(calendar_dir, false, NULL),
    PATH(batch_dir, false, NULL),
    INT(threads, 4, 1, 256),
    INT(max_connections, 256, 1, 65536),
    INT(max_body_bytes, 1 * MIB, 1 * KIB, 1024 * MIB),
    INT(max_upload_bytes, 256 * MIB, 1 * KIB, 4096 * (int64_t)MIB),
    INT(max_header_bytes, 16 * KIB, 4 * KIB, 1 * MIB),
    INT(request_timeout_s, 30, 1, 3600),
    INT(session_idle_minutes, 30, 1, 24 * 60),
    INT(session_absolute_hours, 12, 1, 24 * 7),
    INT(lockout_failures, 5, 1, 100),
    INT(lockout_minutes, 15, 1, 24 * 60),
};

#define KEY_COUNT (sizeof(keys) / sizeof(keys[0]))

static char **text_at(hd_http_config *cfg, const config_key *k)
{
    return (char **)((char *)cfg + k->offset);
}

static int64_t *int_at(hd_http_config *cfg, const config_key *k)
{
    return (int64_t *)((char *)cfg + k->offset);
}

/*
 * The line of top-level key `key` in `text`, 0 when not found. Walks the
 * JSON by hand: strings (with escapes) are skipped, brackets counted, and
 * a string at depth 1 followed by ':' is a key, decoded by jansson to be
 * compared.
 */
static int64_t key_line(const char *text, size_t len, const char *key)
{
    int64_t line = 1;
    int depth = 0;

    for (size_t i = 0; i < len; i++) {
        char c = text[i];
        if (c == '\n') {
            line++;
        } else if (c == '{' || c == '[') {
            depth++;
        } else if (c == '}' || c == ']') {
            depth--;
        } else if (c == '"') {
            size_t start = i;
            int64_t start_line = line;
            for (i++; i < len && text[i] != '"'; i++) {
                if (text[i] == '\\')
                    i++;
                else if (text[i] == '\n')
                    line++;
            }
            if (i >= len)
                return 0;
            size_t j = i + 1;
            while (j < len && (text[j] == ' ' || text[j] == '\t' ||
                               text[j] == '\r' || text[j] == '\n'))
                j++;
            if (depth != 1 || j >= len || text[j] != ':')
                continue;
            json_t *name =
                json_loadb(text + start, i + 1 - start, JSON_DECODE_ANY, NULL);
            bool same = name && json_is_string(name) &&
                        !strcmp(json_string_value(name), key);
            json_decref(name);
            if (same)
                return start_line;
        }
    }
    return 0;
}

static int key_error(hd_error *err, const char *path, const char *text,
                     size_t len, const char *key, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));

static int key_error(hd_error *err, const char *path, const char *text,
                     size_t len, const char *key, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    hd_error_setv(err, HD_EDATA, fmt, ap);
    va_end(ap);
    hd_error_at(err, path, key_line(text, len, key), 0, key);
    return HD_EDATA;
}

/* `value` taken from the folder of the file `config_path`, unless it is
 * absolute (or `keep_as_is`: a URL, "-"). */
static char *resolve(const char *config_path, const char *value,
                     bool keep_as_is)
{
    const char *slash = strrchr(config_path, '/');
    hd_buf b;

    if (keep_as_is || value[0] == '/' || !slash)
        return hd_strdup(value);
    hd_buf_init(&b, 0);
    hd_buf_append(&b, config_path, (size_t)(slash - config_path) + 1);
    hd_buf_puts(&b, value);
    return hd_buf_detach(&b, NULL);
}

int hd__http_listen_parse(struct sockaddr_storage *out, socklen_t *out_len,
                          const char *text, hd_error *err)
{
    const char *colon = strrchr(text, ':');
    char host[64], *end;
    size_t host_len;
    long port;

    memset(out, 0, sizeof(*out));
    if (!colon || colon == text || !colon[1])
        return hd_error_set(err, HD_EDATA,
                            "must be host:port, the host an IP address");
    errno = 0;
    port = strtol(colon + 1, &end, 10);
    if (*end || errno || port < 0 || port > 65535 || !hd_is_digit(colon[1]))
        return hd_error_set(err, HD_EDATA,
                            "port must be a number from 0 to 65535");
    host_len = (size_t)(colon - text);
    if (text[0] == '[' && host_len >= 2 && text[host_len - 1] == ']') {
        text++;
        host_len -= 2;
    }
    if (host_len >= sizeof(host))
        return hd_error_set(err, HD_EDATA, "host is not an IP address");
    memcpy(host, text, host_len);
    host[host_len] = '\0';

    struct sockaddr_in *v4 = (struct sockaddr_in *)out;
    struct sockaddr_in6 *v6 = (struct sockaddr_in6 *)out;
    if (inet_pton(AF_INET, host, &v4->sin_addr) == 1) {
        v4->sin_family = AF_INET;
        v4->sin_port = htons((uint16_t)port);
        *out_len = sizeof(*v4);
    } else if (inet_pton(AF_INET6, host, &v6->sin6_addr) == 1) {
        v6->sin6_family = AF_INET6;
        v6->sin6_port = htons((uint16_t)port);
        *out_len = sizeof(*v6);
    } else {
        return hd_error_set(err, HD_EDATA,
                            "host '%s' is not an IP address (a name is not "
                            "resolved: write 127.0.0.1 or ::1)",
                            host);
    }
    return 0;
}

static int set_key(hd_http_config *cfg, const config_key *k, json_t *value,
                   const char *path, const char *text, size_t len,
                   hd_error *err)
{
    if (k->type == KEY_INT) {
        if (!json_is_integer(value))
            return key_error(err, path, text, len, k->name,
                             "must be an integer");
        int64_t v = json_integer_value(value);
        if (v < k->min || v > k->max)
            return key_error(err, path, text, len, k->name,
                             "must be from %lld to %lld", (long long)k->min,
                             (long long)k->max);
        *int_at(cfg, k) = v;
        return 0;
    }
    if (!json_is_string(value))
        return key_error(err, path, text, len, k->name, "must be a string");
    const char *s = json_string_value(value);
    size_t slen = json_string_length(value);
    if (slen == 0 || strlen(s) != slen)
        return key_error(err, path, text, len, k->name,
                         "must be a non-empty string without NUL");
    bool as_is = k->type == KEY_TEXT ||
                 (!strcmp(k->name, "db") && hd_casestore_is_url(s)) ||
                 (!strcmp(k->name, "access_log") && !strcmp(s, "-"));
    char **slot = text_at(cfg, k);
    hd_free(*slot);
    *slot = as_is ? hd_strdup(s) : resolve(path, s, false);
    if (!*slot)
        return hd_error_set(err, HD_ENOMEM, "out of memory");
    return 0;
}

static int set_defaults(hd_http_config *cfg, hd_error *err)
{
    for (size_t i = 0; i < KEY_COUNT; i++) {
        const config_key *k = &keys[i];
        if (k->type == KEY_INT) {
            *int_at(cfg, k) = k->int_default;
        } else if (k->text_default) {
            *text_at(cfg, k) = hd_strdup(k->text_default);
            if (!*text_at(cfg, k))
                return hd_error_set(err, HD_ENOMEM, "out of memory");
        }
    }
    return 0;
}

/* What holds between keys: the feed store and the node key next to a
 * SQLite file by default (as the command line does), named with a URL. */
static int check_whole(hd_http_config *cfg, const char *text, size_t len,
                       hd_error *err)
{
    struct sockaddr_storage addr;
    socklen_t addr_len;
    int rc;

    hd_error listen_err;

    rc = hd__http_listen_parse(&addr, &addr_len, cfg->listen, &listen_err);
    if (rc)
        return key_error(err, cfg->path, text, len, "listen", "%s",
                         listen_err.msg);
    if (!hd_region_code_valid(cfg->region, strlen(cfg->region)) ||
        !hd_region_find(cfg->region, strlen(cfg->region)))
        return key_error(err, cfg->path, text, len, "region",
                         "'%s' is not a known 6-digit division code",
                         cfg->region);
    if (hd_casestore_is_url(cfg->db) && (!cfg->feeds || !cfg->key))
        return key_error(err, cfg->path, text, len,
                         cfg->feeds ? "key" : "feeds",
                         "required when db is a PostgreSQL URL");
    /* Beside the case store file; with a URL, the batches go beside the
     * feed store. */
    static const char *const suffix[] = {".feeds", ".key", ".batches"};
    for (int i = 0; i < 3; i++) {
        char **slot = i == 0   ? &cfg->feeds
                      : i == 1 ? &cfg->key
                               : &cfg->batch_dir;
        const char *base =
            i == 2 && hd_casestore_is_url(cfg->db) ? cfg->feeds : cfg->db;
        if (*slot)
            continue;
        hd_buf b;
        hd_buf_init(&b, 0);
        hd_buf_printf(&b, "%s%s", base, suffix[i]);
        *slot = hd_buf_detach(&b, NULL);
        if (!*slot)
            return hd_error_set(err, HD_ENOMEM, "out of memory");
    }
    return 0;
}

int hd_http_config_parse(hd_http_config *out, const char *text, size_t len,
                         const char *path, hd_error *err)
{
    hd_http_config cfg;
    json_error_t jerr;
    json_t *root = NULL, *value;
    const char *name;
    hd_error local;
    int rc;

    if (!err)
        err = &local;
    hd_error_clear(err);
    memset(&cfg, 0, sizeof(cfg));
    cfg.path = hd_strdup(path);
    rc = cfg.path ? set_defaults(&cfg, err)
                  : hd_error_set(err, HD_ENOMEM, "out of memory");
    if (rc)
        goto out;
    root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr);
    if (!root) {
        rc = hd_error_set(err, HD_EDATA, "invalid JSON: %s", jerr.text);
        hd_error_at(err, path, jerr.line, jerr.column, NULL);
        goto out;
    }
    if (!json_is_object(root)) {
        rc = hd_error_set(err, HD_EDATA, "must be a JSON object");
        hd_error_at(err, path, 1, 0, NULL);
        goto out;
    }
    json_object_foreach(root, name, value)
    {
        const config_key *k = NULL;
        for (size_t i = 0; i < KEY_COUNT && !k; i++)
            if (!strcmp(keys[i].name, name))
                k = &keys[i];
        if (!k) {
            rc = key_error(err, path, text, len, name, "unknown key");
            goto out;
        }
        rc = set_key(&cfg, k, value, path, text, len, err);
        if (rc)
            goto out;
    }
    for (size_t i = 0; i < KEY_COUNT; i++) {
        if (keys[i].required && !json_object_get(root, keys[i].name)) {
            rc = hd_error_set(err, HD_EDATA, "required key missing");
            hd_error_at(err, path, 0, 0, keys[i].name);
            goto out;
        }
    }
    rc = check_whole(&cfg, text, len, err);
out:
    json_decref(root);
    if (rc)
        hd_http_config_release(&cfg);
    else
        *out = cfg;
    return rc;
}

int hd_http_config_load(hd_http_config *out, const char *path, hd_error *err)
{
    FILE *f = fopen(path, "rb");
    hd_buf b;
    char chunk[4096];
    size_t n;
    int rc;

    if (!f)
        return hd_error_set(err, HD_EIO, "cannot open %s: %s", path,
                            strerror(errno));
    /* A configuration file is small: a megabyte is an error, not a file. */
    hd_buf_init(&b, 1 << 20);
    while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
        hd_buf_append(&b, chunk, n);
    rc = ferror(f) ? hd_error_set(err, HD_EIO, "cannot read %s", path) : 0;
    fclose(f);
    if (rc == 0 && hd_buf_error(&b))
        rc = hd_error_set(err, hd_buf_error(&b), "%s: too large", path);
    if (rc == 0)
        rc = hd_http_config_parse(out, b.ptr, b.len, path, err);
    hd_buf_release(&b);
    return rc;
}

void hd_http_config_release(hd_http_config *cfg)
{
    if (!cfg)
        return;
    hd_free(cfg->path);
    for (size_t i = 0; i < KEY_COUNT; i++)
        if (keys[i].type != KEY_INT)
            hd_free(*text_at(cfg, &keys[i]));
    memset(cfg, 0, sizeof(*cfg));
}
