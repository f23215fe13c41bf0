/*
 * Fuzz target for delivery manifests: hd_manifest_parse on arbitrary
 * bytes. A manifest it accepts must hold only what the rules allow: known
 * feeds of its department, each once, plain distinct file names, counts
 * of 0 or more and lowercase checksums.
 */
#include <hedui/feed.h>

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static bool plain_name(const char *s)
{
    for (const char *c = s; *c; c++)
        if ((unsigned char)*c < 0x20 || *c == 0x7f)
            return false;
    return s[0] && strcmp(s, ".") != 0 && strcmp(s, "..") != 0 &&
           !strchr(s, '/') && !strchr(s, '\\');
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    hd_manifest m;
    hd_reject why;
    hd_error err;

    hd_error_clear(&err);
    if (hd_manifest_parse(&m, (const char *)data, size, &why, &err) != 0) {
        if (err.code != HD_EDATA || err.msg[0] == '\0' ||
            !hd_reject_is_delivery(why))
            abort();
        return 0;
    }
    if (why != HD_REJECT_NONE || m.file_count < 1 ||
        m.file_count > HD_MANIFEST_MAX_FILES || m.delivery_id[0] == '\0' ||
        strchr(m.delivery_id, '/'))
        abort();
    for (int i = 0; i < m.file_count; i++) {
        const hd_manifest_file *f = &m.files[i];
        if (!f->feed || strcmp(f->feed->department, m.department) != 0 ||
            !plain_name(f->file) || f->rows < 0 ||
            strlen(f->sha256) != HD_SHA256_HEX_LEN)
            abort();
        for (int k = 0; k < HD_SHA256_HEX_LEN; k++)
            if (!hd_is_digit(f->sha256[k]) &&
                !(f->sha256[k] >= 'a' && f->sha256[k] <= 'f'))
                abort();
        for (int j = 0; j < i; j++)
            if (m.files[j].feed == f->feed ||
                strcmp(m.files[j].file, f->file) == 0)
                abort();
    }
    return 0;
}
