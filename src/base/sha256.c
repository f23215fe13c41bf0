/*
 * SHA-256 of delivery files, through OpenSSL's libcrypto.
 *
 * Every byte of every delivery is hashed, so this is on ingest's critical
 * path: libsodium's portable code measured about 220 MB/s here, libcrypto
 * (SHA-NI or AVX2, chosen at run time) about 750 MB/s and more. We use its
 * SHA256_* functions rather than EVP because their context is a plain
 * struct that lives inside hd_sha256 and may be copied to read an
 * intermediate digest; OpenSSL 3 marks them deprecated but keeps them.
 */
#define OPENSSL_SUPPRESS_DEPRECATED
#include <hedui/base.h>

#include <errno.h>
#include <openssl/sha.h>
#include <stdio.h>
#include <string.h>

_Static_assert(sizeof(SHA256_CTX) <= sizeof(((hd_sha256 *)0)->state),
               "hd_sha256 too small for libcrypto's SHA256_CTX");

void hd_sha256_init(hd_sha256 *ctx)
{
    SHA256_Init((SHA256_CTX *)ctx->state);
}

void hd_sha256_update(hd_sha256 *ctx, const void *data, size_t len)
{
    SHA256_Update((SHA256_CTX *)ctx->state, data, len);
}

void hd_sha256_final_hex(hd_sha256 *ctx, char hex[HD_SHA256_HEX_LEN + 1])
{
    unsigned char digest[SHA256_DIGEST_LENGTH];
    static const char xdigits[] = "0123456789abcdef";

    SHA256_Final(digest, (SHA256_CTX *)ctx->state);
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
