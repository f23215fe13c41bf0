/*
 * The canonical JSON of RFC 8785 (JCS), which authorization signatures
 * cover: the same record gives the same bytes on every node, whatever
 * order or spacing it was written in.
 *
 * jansson has already checked that the text is JSON and its strings
 * valid UTF-8 without NUL; this file only orders and writes.
 */
#include "consent/consent_int.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_SAFE_INTEGER 9007199254740991LL /* 2^53 - 1 */
#define STACK_MEMBERS 32

/* Decode one code point of valid UTF-8 at s[*i], advancing *i. */
static uint32_t next_code_point(const char *s, size_t len, size_t *i)
{
    const unsigned char *p = (const unsigned char *)s + *i;
    size_t left = len - *i;
    uint32_t c = p[0];

    if (c < 0x80 || left < 2) {
        *i += 1;
        return c;
    }
    if (c < 0xe0) {
        *i += 2;
        return (c & 0x1f) << 6 | (p[1] & 0x3f);
    }
    if (c < 0xf0 || left < 4) {
        *i += left < 3 ? left : 3;
        return left < 3 ? c
                        : (c & 0x0f) << 12 | (uint32_t)(p[1] & 0x3f) << 6 |
                              (p[2] & 0x3f);
    }
    *i += 4;
    return (c & 0x07) << 18 | (uint32_t)(p[1] & 0x3f) << 12 |
           (uint32_t)(p[2] & 0x3f) << 6 | (p[3] & 0x3f);
}

/* The UTF-16 code units of a code point: 1 or 2. */
static int utf16_units(uint32_t c, uint16_t units[2])
{
    if (c < 0x10000) {
        units[0] = (uint16_t)c;
        return 1;
    }
    c -= 0x10000;
    units[0] = (uint16_t)(0xd800 + (c >> 10));
    units[1] = (uint16_t)(0xdc00 + (c & 0x3ff));
    return 2;
}

int hd__utf16_cmp(const char *a, size_t alen, const char *b, size_t blen)
{
    size_t i = 0, j = 0;
    uint16_t ua[2], ub[2];
    int na = 0, nb = 0, ka = 0, kb = 0;

    /* Byte order equals code point order, and code point order differs
     * from UTF-16 order only for U+E000..U+FFFF against supplementary
     * characters (surrogates sort below U+E000): so walk unit by unit. */
    for (;;) {
        if (ka == na) {
            if (i == alen)
                na = 0;
            else
                na = utf16_units(next_code_point(a, alen, &i), ua);
            ka = 0;
        }
        if (kb == nb) {
            if (j == blen)
                nb = 0;
            else
                nb = utf16_units(next_code_point(b, blen, &j), ub);
            kb = 0;
        }
        if (na == 0 || nb == 0)
            return (na != 0) - (nb != 0);
        if (ua[ka] != ub[kb])
            return ua[ka] < ub[kb] ? -1 : 1;
        ka++;
        kb++;
    }
}

static int put_string(hd_buf *out, const char *s, size_t len)
{
    static const char hex[] = "0123456789abcdef";
    size_t run = 0;

    hd_buf_putc(out, '"');
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        const char *esc = NULL;
        char u[7];

        if (c >= 0x20 && c != '"' && c != '\\')
            continue;
        switch (c) {
        case '"':
            esc = "\\\"";
            break;
        case '\\':
            esc = "\\\\";
            break;
        case '\b':
            esc = "\\b";
            break;
        case '\f':
            esc = "\\f";
            break;
        case '\n':
            esc = "\\n";
            break;
        case '\r':
            esc = "\\r";
            break;
        case '\t':
            esc = "\\t";
            break;
        default:
            memcpy(u, "\\u00", 4);
            u[4] = hex[c >> 4];
            u[5] = hex[c & 15];
            u[6] = '\0';
            esc = u;
        }
        hd_buf_append(out, s + run, i - run);
        hd_buf_puts(out, esc);
        run = i + 1;
    }
    hd_buf_append(out, s + run, len - run);
    return hd_buf_putc(out, '"');
}

typedef struct member {
    const char *key;
    size_t len;
    json_t *value;
} member;

static int member_cmp(const void *a, const void *b)
{
    const member *ma = a, *mb = b;
    return hd__utf16_cmp(ma->key, ma->len, mb->key, mb->len);
}

static int put_value(hd_buf *out, const json_t *v, const char *skip,
                     const char *name, hd_error *err);

static int put_object(hd_buf *out, const json_t *v, const char *skip,
                      hd_error *err)
{
    member stack[STACK_MEMBERS], *ms = stack;
    size_t count = json_object_size(v), n = 0;
    const char *key;
    json_t *value;
    int rc = 0;

    if (count > STACK_MEMBERS) {
        ms = hd_calloc(count, sizeof(*ms));
        if (!ms)
            return hd_error_set(err, HD_ENOMEM, "out of memory");
    }
    /* The cast: jansson's iteration macro wants a non-const object but
     * only reads it. */
    json_object_foreach((json_t *)v, key, value)
    {
        if (skip && !strcmp(key, skip))
            continue;
        ms[n].key = key;
        ms[n].len = strlen(key);
        ms[n].value = value;
        n++;
    }
    qsort(ms, n, sizeof(*ms), member_cmp);
    hd_buf_putc(out, '{');
    for (size_t i = 0; i < n && rc == 0; i++) {
        if (i)
            hd_buf_putc(out, ',');
        put_string(out, ms[i].key, ms[i].len);
        hd_buf_putc(out, ':');
        rc = put_value(out, ms[i].value, NULL, ms[i].key, err);
    }
    hd_buf_putc(out, '}');
    if (ms != stack)
        hd_free(ms);
    return rc;
}

static int put_value(hd_buf *out, const json_t *v, const char *skip,
                     const char *name, hd_error *err)
{
    char num[32];
    int rc = 0;

    switch (json_typeof(v)) {
    case JSON_OBJECT:
        rc = put_object(out, v, skip, err);
        break;
    case JSON_ARRAY:
        hd_buf_putc(out, '[');
        for (size_t i = 0; i < json_array_size(v) && rc == 0; i++) {
            if (i)
                hd_buf_putc(out, ',');
            rc = put_value(out, json_array_get(v, i), NULL, name, err);
        }
        hd_buf_putc(out, ']');
        break;
    case JSON_STRING:
        put_string(out, json_string_value(v), json_string_length(v));
        break;
    case JSON_INTEGER: {
        json_int_t i = json_integer_value(v);
        if (i > MAX_SAFE_INTEGER || i < -MAX_SAFE_INTEGER) {
            rc = hd_error_set(err, HD_EDATA,
                              "integer beyond 2^53 - 1, not exact in JCS");
            hd_error_at(err, NULL, 0, 0, name);
            break;
        }
        snprintf(num, sizeof(num), "%" PRId64, (int64_t)i);
        hd_buf_puts(out, num);
        break;
    }
    case JSON_REAL:
        rc = hd_error_set(err, HD_EDATA,
                          "number with a fraction or an exponent");
        hd_error_at(err, NULL, 0, 0, name);
        break;
    case JSON_TRUE:
        hd_buf_puts(out, "true");
        break;
    case JSON_FALSE:
        hd_buf_puts(out, "false");
        break;
    case JSON_NULL:
        hd_buf_puts(out, "null");
        break;
    }
    return rc;
}

int hd__json_canonical(hd_buf *out, const json_t *v, const char *skip,
                       hd_error *err)
{
    int rc = put_value(out, v, skip, NULL, err);

    if (rc)
        return rc;
    if (hd_buf_error(out))
        return hd_error_set(err, hd_buf_error(out), "canonical JSON: %s",
                            hd_strerror(hd_buf_error(out)));
    return 0;
}
