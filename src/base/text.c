/* String views, UTF-8 validation and citizen ID masking. */
#include <hedui/base.h>

#include <string.h>

hd_str hd_str_of(const char *cstr)
{
    return (hd_str){cstr, strlen(cstr)};
}

bool hd_str_eq(hd_str a, hd_str b)
{
    return a.len == b.len && (a.len == 0 || memcmp(a.ptr, b.ptr, a.len) == 0);
}

bool hd_str_eq_cstr(hd_str a, const char *cstr)
{
    return hd_str_eq(a, hd_str_of(cstr));
}

long hd_utf8_count(const char *s, size_t len)
{
    const unsigned char *p = (const unsigned char *)s;
    long count = 0;
    size_t i = 0;

    while (i < len) {
        unsigned c = p[i];
        size_t n;
        uint32_t cp;

        if (c < 0x80) {
            i++;
            count++;
            continue;
        } else if (c >= 0xC2 && c <= 0xDF) {
            n = 1;
            cp = c & 0x1F;
        } else if (c >= 0xE0 && c <= 0xEF) {
            n = 2;
            cp = c & 0x0F;
        } else if (c >= 0xF0 && c <= 0xF4) {
            n = 3;
            cp = c & 0x07;
        } else {
            return -1;
        }
        if (len - i <= n)
            return -1;
        for (size_t k = 1; k <= n; k++) {
            if ((p[i + k] & 0xC0) != 0x80)
                return -1;
            cp = (cp << 6) | (p[i + k] & 0x3F);
        }
        if ((n == 2 && cp < 0x800) || (n == 3 && cp < 0x10000) ||
            cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
            return -1;
        i += n + 1;
        count++;
    }
    return count;
}

const char *hd_mask_pid(char *out, const char *pid, size_t len)
{
    for (size_t i = 0; i < len; i++)
        out[i] = (i < 6 || i + 4 >= len) ? pid[i] : '*';
    out[len] = '\0';
    return out;
}
