/*
 * JSON input: parse a body and hold it against a declarative list of the
 * fields a handler accepts, so that every handler rejects the same
 * things with the same words.
 */
#include "http/http_int.h"

#include <string.h>
#include <strings.h>

static const char *type_name(hd_http_type type)
{
    switch (type) {
    case HD_HTTP_STRING:
        return "a string";
    case HD_HTTP_INT:
        return "an integer";
    case HD_HTTP_BOOL:
        return "true or false";
    case HD_HTTP_ARRAY:
        return "an array";
    case HD_HTTP_OBJECT:
        return "an object";
    }
    return "?";
}

static bool type_ok(const json_t *v, hd_http_type type)
{
    switch (type) {
    case HD_HTTP_STRING:
        return json_is_string(v);
    case HD_HTTP_INT:
        return json_is_integer(v);
    case HD_HTTP_BOOL:
        return json_is_boolean(v);
    case HD_HTTP_ARRAY:
        return json_is_array(v);
    case HD_HTTP_OBJECT:
        return json_is_object(v);
    }
    return false;
}

static int field_error(hd_error *err, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int field_error(hd_error *err, const char *field, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    hd_error_setv(err, HD_EDATA, fmt, ap);
    va_end(ap);
    hd_error_at(err, NULL, 0, 0, field);
    return HD_EDATA;
}

/*
 * Is `s` (`len` bytes) text a person may have typed? Valid UTF-8 (jansson
 * checks this already; a string built by other means may not be) with no
 * control character: C0, DEL, or C1 (U+0080 to U+009F, encoded C2 80 to
 * C2 9F). Tab and line ends only when `multiline`.
 */
static bool text_ok(const char *s, size_t len, bool multiline)
{
    if (hd_utf8_count(s, len) < 0)
        return false;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x20 && !(multiline && (c == '\t' || c == '\n' || c == '\r')))
            return false;
        if (c == 0x7f)
            return false;
        if (c == 0xc2 && i + 1 < len && (unsigned char)s[i + 1] >= 0x80 &&
            (unsigned char)s[i + 1] <= 0x9f)
            return false;
    }
    return true;
}

/* Every string inside `v` (arrays and objects, keys too) is text. */
static bool nested_text_ok(const json_t *v, bool multiline)
{
    const char *key;
    json_t *item;
    size_t i;

    if (json_is_string(v))
        return text_ok(json_string_value(v), json_string_length(v), multiline);
    if (json_is_array(v)) {
        json_array_foreach(v, i, item)
        {
            if (!nested_text_ok(item, multiline))
                return false;
        }
    } else if (json_is_object(v)) {
        json_object_foreach((json_t *)v, key, item)
        {
            if (!text_ok(key, strlen(key), false) ||
                !nested_text_ok(item, multiline))
                return false;
        }
    }
    return true;
}

static int check_field(const json_t *v, const hd_http_field *f, hd_error *err)
{
    bool multiline = f->flags & HD_HTTP_MULTILINE;

    if (!type_ok(v, f->type))
        return field_error(err, f->name, "must be %s", type_name(f->type));
    if (f->type == HD_HTTP_STRING) {
        const char *s = json_string_value(v);
        size_t len = json_string_length(v);
        if (!text_ok(s, len, multiline))
            return field_error(err, f->name,
                               "must be text without control characters");
        if (f->max_len && (size_t)hd_utf8_count(s, len) > f->max_len)
            return field_error(err, f->name, "must be at most %zu characters",
                               f->max_len);
        return 0;
    }
    if (f->type == HD_HTTP_ARRAY && f->max_len &&
        json_array_size(v) > f->max_len)
        return field_error(err, f->name, "must have at most %zu items",
                           f->max_len);
    if (!nested_text_ok(v, multiline))
        return field_error(err, f->name,
                           "must hold text without control characters");
    return 0;
}

int hd_http_fields_check(const json_t *obj, const hd_http_field *spec,
                         size_t count, hd_error *err)
{
    const char *key;
    json_t *value;
    int rc;

    hd_error_clear(err);
    if (!json_is_object(obj))
        return field_error(err, "", "the body must be a JSON object");
    json_object_foreach((json_t *)obj, key, value)
    {
        const hd_http_field *f = NULL;
        for (size_t i = 0; i < count && !f; i++)
            if (!strcmp(spec[i].name, key))
                f = &spec[i];
        if (!f) {
            /* The name comes from the client: say it only when it is
             * plain text, and cut to what hd_error can hold. */
            return field_error(err, text_ok(key, strlen(key), false) ? key : "",
                               "unknown field");
        }
        if (json_is_null(value) && (f->flags & HD_HTTP_REQUIRED))
            return field_error(err, f->name, "required");
        if (json_is_null(value) && (f->flags & HD_HTTP_NULLABLE))
            continue;
        rc = check_field(value, f, err);
        if (rc)
            return rc;
    }
    for (size_t i = 0; i < count; i++) {
        if (!(spec[i].flags & HD_HTTP_REQUIRED))
            continue;
        value = json_object_get(obj, spec[i].name);
        if (!value || json_is_null(value))
            return field_error(err, spec[i].name, "required");
    }
    return 0;
}

int hd_http_json_parse(json_t **out, const char *text, size_t len,
                       const hd_http_field *spec, size_t count, hd_error *err)
{
    json_error_t jerr;
    json_t *root;
    int rc;

    *out = NULL;
    hd_error_clear(err);
    root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr);
    if (!root)
        return field_error(err, "", "malformed JSON at line %d, column %d: %s",
                           jerr.line, jerr.column, jerr.text);
    rc = hd_http_fields_check(root, spec, count, err);
    if (rc) {
        json_decref(root);
        return rc;
    }
    *out = root;
    return 0;
}

int hd_http_body_json(json_t **out, hd_http_req *req, const hd_http_field *spec,
                      size_t count)
{
    const char *ct = req->content_type;
    size_t n = strlen("application/json");

    *out = NULL;
    /* Requiring the type is also a defence: a form of another site can
     * post text/plain across origins, not application/json. */
    if (!ct || strncasecmp(ct, "application/json", n) ||
        (ct[n] && ct[n] != ';' && ct[n] != ' ')) {
        hd_http_reply_error(req, 415, "unsupported_media_type", NULL,
                            "the body must be application/json");
        return hd_error_set(&req->err, HD_EDATA, "not application/json");
    }
    return hd_http_json_parse(out, req->body, req->body_len, spec, count,
                              &req->err);
}
