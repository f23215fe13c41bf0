/* SHA-256 of delivery files, through libsodium. */
#include <hedui/base.h>

#include <errno.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

_Static_assert(sizeof(crypto_hash_sha256_state) <= sizeof(hd_sha256),
               "hd_sha256 too small for libsodium's state");

void hd_sha256_init(hd_sha256 *ctx)
{
    crypto_hash_sha256_init((crypto_hash_sha256_state *)ctx->state);
}

void hd_sha256_update(hd_sha256 *ctx, const void *data, size_t len)
{
    crypto_hash_sha256_update((crypto_hash_sha256_state *)ctx->state, data,
                              len);
}

void hd_sha256_final_hex(hd_sha256 *ctx, char hex[HD_SHA256_HEX_LEN + 1])
{
    unsigned char digest[crypto_hash_sha256_BYTES];
    static const char xdigits[] = "0123456789abcdef";

    crypto_hash_sha256_final((crypto_hash_sha256_state *)ctx->state, digest);
    for (size_t i = 0; i < sizeof(digest); i++) {
        hex[2 * i] = xdigits[digest[i] >> 4];
        hex[2 * i + 1] = xdigits[digest[i] & 15];
    }
    hex[HD_SHA256_HEX_LEN] = '\0';
}

int hd_sha256_file(char hex[HD_SHA256_HEX_LEN + 1], const char *path,
                   hd_error *err)
{
    static _Thread_local unsigned char chunk[1 << 16];
    hd_sha256 ctx;
    FILE *f = fopen(path, "rb");
    size_t n;

    if (!f)
        return hd_error_set(err, HD_EIO, "cannot open %s: %s", path,
                            strerror(errno));
    hd_sha256_init(&ctx);
    while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
        hd_sha256_update(&ctx, chunk, n);
    if (ferror(f)) {
        fclose(f);
        return hd_error_set(err, HD_EIO, "cannot read %s", path);
    }
    fclose(f);
    hd_sha256_final_hex(&ctx, hex);
    return 0;
}
