/*
 * Fuzz target for request bodies: hd_http_json_parse on arbitrary bytes
 * with a fixed field list that has every hd_http_type and every flag. An
 * object it takes holds only listed fields, each of its type (or null
 * where that is allowed), the required ones present, and text without
 * control characters within its bounds, as checked again here by a
 * decoder of its own. What it refuses is HD_EDATA with a message, no
 * object, and a field naming nothing when the body is not an object.
 */
#include <hedui/http.h>

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const hd_http_field spec[] = {
    {"name", HD_HTTP_STRING, HD_HTTP_REQUIRED, 8},
    {"note", HD_HTTP_STRING, HD_HTTP_NULLABLE | HD_HTTP_MULTILINE, 40},
    {"reason", HD_HTTP_STRING, 0, 0},
    {"count", HD_HTTP_INT, HD_HTTP_REQUIRED | HD_HTTP_NULLABLE, 0},
    {"limit", HD_HTTP_INT, 0, 0},
    {"active", HD_HTTP_BOOL, HD_HTTP_NULLABLE, 0},
    {"members", HD_HTTP_ARRAY, 0, 3},
    {"lines", HD_HTTP_ARRAY, HD_HTTP_MULTILINE, 0},
    {"filter", HD_HTTP_OBJECT, HD_HTTP_NULLABLE, 0},
    {"extra", HD_HTTP_OBJECT, HD_HTTP_MULTILINE, 0},
};
#define SPEC_COUNT (sizeof(spec) / sizeof(spec[0]))

/* The code points of `s` (`len` bytes) when it is UTF-8 without
 * overlongs and surrogates whose characters a person may have typed
 * (tab and line ends only when `multiline`); -1 otherwise. */
static long text_length(const unsigned char *s, size_t len, bool multiline)
{
    long count = 0;

    for (size_t i = 0; i < len; count++) {
        uint32_t cp;
        size_t n;
        if (s[i] < 0x80) {
            cp = s[i];
            n = 1;
        } else if ((s[i] & 0xe0) == 0xc0) {
            cp = s[i] & 0x1f;
            n = 2;
        } else if ((s[i] & 0xf0) == 0xe0) {
            cp = s[i] & 0x0f;
            n = 3;
        } else if ((s[i] & 0xf8) == 0xf0) {
            cp = s[i] & 0x07;
            n = 4;
        } else {
            return -1;
        }
        if (i + n > len)
            return -1;
        for (size_t k = 1; k < n; k++) {
            if ((s[i + k] & 0xc0) != 0x80)
                return -1;
            cp = cp << 6 | (s[i + k] & 0x3f);
        }
        if ((n == 2 && cp < 0x80) || (n == 3 && cp < 0x800) ||
            (n == 4 && cp < 0x10000) || cp > 0x10ffff ||
            (cp >= 0xd800 && cp <= 0xdfff))
            return -1;
        if ((cp < 0x20 &&
             !(multiline && (cp == '\t' || cp == '\n' || cp == '\r'))) ||
            (cp >= 0x7f && cp <= 0x9f))
            return -1;
        i += n;
    }
    return count;
}

static bool string_ok(const json_t *v, bool multiline)
{
    return text_length((const unsigned char *)json_string_value(v),
                       json_string_length(v), multiline) >= 0;
}

/* Every string in `v`, keys too (keys never multiline). */
static bool nested_ok(const json_t *v, bool multiline)
{
    const char *key;
    json_t *item;
    size_t i;

    if (json_is_string(v))
        return string_ok(v, multiline);
    if (json_is_array(v)) {
        json_array_foreach(v, i, item)
        {
            if (!nested_ok(item, multiline))
                return false;
        }
    } else if (json_is_object(v)) {
        json_object_foreach((json_t *)v, key, item)
        {
            if (text_length((const unsigned char *)key, strlen(key), false) <
                    0 ||
                !nested_ok(item, multiline))
                return false;
        }
    }
    return true;
}

/* `v` is of `type`, by jansson's own type tags. */
static bool type_ok(const json_t *v, hd_http_type type)
{
    static const json_type want[] = {
        [HD_HTTP_STRING] = JSON_STRING, [HD_HTTP_INT] = JSON_INTEGER,
        [HD_HTTP_BOOL] = JSON_TRUE,     [HD_HTTP_ARRAY] = JSON_ARRAY,
        [HD_HTTP_OBJECT] = JSON_OBJECT,
    };
    json_type t = json_typeof(v);

    if (t == JSON_FALSE)
        t = JSON_TRUE;
    return (size_t)type < sizeof(want) / sizeof(want[0]) && t == want[type];
}

static void check_object(const json_t *obj)
{
    const char *key;
    json_t *v;

    if (!json_is_object(obj))
        abort();
    json_object_foreach((json_t *)obj, key, v)
    {
        const hd_http_field *f = NULL;
        for (size_t i = 0; i < SPEC_COUNT && !f; i++)
            if (!strcmp(spec[i].name, key))
                f = &spec[i];
        if (!f)
            abort();
        bool multiline = f->flags & HD_HTTP_MULTILINE;
        if (json_is_null(v)) {
            if (!(f->flags & HD_HTTP_NULLABLE) || (f->flags & HD_HTTP_REQUIRED))
                abort();
            continue;
        }
        if (!type_ok(v, f->type) || !nested_ok(v, multiline))
            abort();
        if (f->type == HD_HTTP_STRING && f->max_len &&
            text_length((const unsigned char *)json_string_value(v),
                        json_string_length(v), multiline) > (long)f->max_len)
            abort();
        if (f->type == HD_HTTP_ARRAY && f->max_len &&
            json_array_size(v) > f->max_len)
            abort();
    }
    for (size_t i = 0; i < SPEC_COUNT; i++) {
        v = json_object_get(obj, spec[i].name);
        if ((spec[i].flags & HD_HTTP_REQUIRED) && (!v || json_is_null(v)))
            abort();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    json_t *obj = (json_t *)1, *plain;
    hd_error err;
    int rc;

    hd_error_clear(&err);
    rc = hd_http_json_parse(&obj, (const char *)data, size, spec, SPEC_COUNT,
                            &err);
    if (rc == 0) {
        check_object(obj);
        /* The same object, checked again as a handler might. */
        if (hd_http_fields_check(obj, spec, SPEC_COUNT, &err))
            abort();
        json_decref(obj);
        return 0;
    }
    if (rc != HD_EDATA || obj || err.msg[0] == '\0')
        abort();
    plain = json_loadb((const char *)data, size, JSON_REJECT_DUPLICATES, NULL);
    if ((!plain || !json_is_object(plain)) && err.field[0])
        abort();
    json_decref(plain);
    return 0;
}
