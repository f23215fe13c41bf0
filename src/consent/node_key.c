/*
 * The node's signing key and the trust list of other nodes' keys.
 *
 * The key file holds the 32-byte Ed25519 seed in hex under a header
 * line; the rest of the key is derived from it. It is created with
 * O_CREAT | O_EXCL and mode 0600, so two processes starting at once
 * cannot both write one, and a key file that group or others may read is
 * refused rather than used: a leaked key lets anyone sign consents in the
 * node's name.
 */
#include <hedui/consent.h>

#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define KEY_HEADER "hedui-node-key-1"
#define KEY_FILE_MAX 256

static int sodium_ready(hd_error *err)
{
    if (sodium_init() < 0)
        return hd_error_set(err, HD_EINVAL, "libsodium cannot start");
    return 0;
}

int hd_node_key_from_seed(hd_node_key *out,
                          const uint8_t seed[HD_ED25519_SEED_LEN],
                          hd_error *err)
{
    char hex[2 * 8 + 1];
    int rc = sodium_ready(err);

    if (rc)
        return rc;
    memset(out, 0, sizeof(*out));
    crypto_sign_seed_keypair(out->public_key, out->secret_key, seed);
    sodium_bin2hex(hex, sizeof(hex), out->public_key, 8);
    snprintf(out->node_id, sizeof(out->node_id), "node-%s", hex);
    return 0;
}

void hd_node_key_wipe(hd_node_key *key)
{
    sodium_memzero(key->secret_key, sizeof(key->secret_key));
}

void hd_node_key_derive(uint8_t out[32], const hd_node_key *key,
                        const char *purpose)
{
    /* libsodium's secret key starts with the 32-byte seed */
    crypto_generichash(out, 32, (const uint8_t *)purpose, strlen(purpose),
                       key->secret_key, 32);
}

int hd_node_key_trust_line(hd_buf *out, const hd_node_key *key)
{
    char b64[sodium_base64_ENCODED_LEN(HD_ED25519_PUBLIC_LEN,
                                       sodium_base64_VARIANT_ORIGINAL)];

    sodium_bin2base64(b64, sizeof(b64), key->public_key,
                      sizeof(key->public_key), sodium_base64_VARIANT_ORIGINAL);
    return hd_buf_printf(out, "%s %s", key->node_id, b64);
}

static int create_key(hd_node_key *out, const char *path, hd_error *err)
{
    uint8_t seed[HD_ED25519_SEED_LEN];
    char text[KEY_FILE_MAX];
    char hex[2 * HD_ED25519_SEED_LEN + 1];
    int fd, rc, n;

    randombytes_buf(seed, sizeof(seed));
    sodium_bin2hex(hex, sizeof(hex), seed, sizeof(seed));
    n = snprintf(text, sizeof(text), "%s\n%s\n", KEY_HEADER, hex);
    fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0) {
        rc = hd_error_set(err, errno == EEXIST ? HD_EEXISTS : HD_EIO,
                          "cannot create the node key %s: %s", path,
                          strerror(errno));
        goto out;
    }
    if (write(fd, text, (size_t)n) != n || fsync(fd) != 0) {
        rc = hd_error_set(err, HD_EIO, "cannot write the node key %s: %s", path,
                          strerror(errno));
        close(fd);
        unlink(path);
        goto out;
    }
    close(fd);
    rc = hd_node_key_from_seed(out, seed, err);
out:
    sodium_memzero(seed, sizeof(seed));
    sodium_memzero(text, sizeof(text));
    sodium_memzero(hex, sizeof(hex));
    return rc;
}

static int read_key(hd_node_key *out, int fd, const char *path, hd_error *err)
{
    uint8_t seed[HD_ED25519_SEED_LEN];
    char text[KEY_FILE_MAX + 1];
    size_t hlen = strlen(KEY_HEADER), seed_len = 0;
    ssize_t n;
    const char *hex, *end = NULL;
    int rc;

    n = read(fd, text, KEY_FILE_MAX);
    if (n < 0)
        return hd_error_set(err, HD_EIO, "cannot read the node key %s: %s",
                            path, strerror(errno));
    text[n] = '\0';
    if ((size_t)n < hlen + 1 || memcmp(text, KEY_HEADER, hlen) ||
        text[hlen] != '\n') {
        rc = hd_error_set(err, HD_EDATA, "%s is not a hedui node key", path);
        goto out;
    }
    hex = text + hlen + 1;
    if (sodium_hex2bin(seed, sizeof(seed), hex, strlen(hex), "\n", &seed_len,
                       &end) != 0 ||
        seed_len != sizeof(seed) || strspn(end, "\n") != strlen(end)) {
        rc = hd_error_set(err, HD_EDATA,
                          "%s: the seed is not 64 hex digits on line 2", path);
        goto out;
    }
    rc = hd_node_key_from_seed(out, seed, err);
out:
    sodium_memzero(seed, sizeof(seed));
    sodium_memzero(text, sizeof(text));
    return rc;
}

int hd_node_key_load(hd_node_key *out, bool *created, const char *path,
                     hd_error *err)
{
    struct stat st;
    int fd, rc = sodium_ready(err);

    if (created)
        *created = false;
    if (rc)
        return rc;
    fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0 && errno == ENOENT) {
        rc = create_key(out, path, err);
        if (rc == 0 && created)
            *created = true;
        return rc;
    }
    if (fd < 0)
        return hd_error_set(err, HD_EIO, "cannot open the node key %s: %s",
                            path, strerror(errno));
    if (fstat(fd, &st) != 0) {
        rc = hd_error_set(err, HD_EIO, "cannot stat the node key %s: %s", path,
                          strerror(errno));
    } else if (!S_ISREG(st.st_mode)) {
        rc = hd_error_set(err, HD_EINVAL, "node key %s is not a file", path);
    } else if (st.st_mode & (S_IRWXG | S_IRWXO)) {
        rc = hd_error_set(err, HD_EINVAL,
                          "node key %s is open to group or others (mode "
                          "%03o): chmod 600 it",
                          path, (unsigned)(st.st_mode & 0777));
    } else {
        rc = read_key(out, fd, path, err);
    }
    close(fd);
    return rc;
}

/* ----------------------------------------------------------- trust list */

void hd_trust_list_init(hd_trust_list *tl)
{
    memset(tl, 0, sizeof(*tl));
}

void hd_trust_list_release(hd_trust_list *tl)
{
    hd_free(tl->keys);
    hd_trust_list_init(tl);
}

int hd_trust_list_add(hd_trust_list *tl, const char *node_id,
                      const uint8_t public_key[HD_ED25519_PUBLIC_LEN],
                      hd_error *err)
{
    hd_trusted_key *k;

    if (strlen(node_id) >= HD_NODE_ID_MAX)
        return hd_error_set(err, HD_EDATA, "node id longer than %d bytes",
                            HD_NODE_ID_MAX - 1);
    if (tl->count == tl->cap) {
        size_t cap = tl->cap ? tl->cap * 2 : 8;
        hd_trusted_key *keys = hd_realloc(tl->keys, cap * sizeof(*keys));
        if (!keys)
            return hd_error_set(err, HD_ENOMEM, "out of memory");
        tl->keys = keys;
        tl->cap = cap;
    }
    k = &tl->keys[tl->count++];
    memset(k, 0, sizeof(*k));
    memcpy(k->node_id, node_id, strlen(node_id));
    memcpy(k->public_key, public_key, HD_ED25519_PUBLIC_LEN);
    return 0;
}

/* One line: "<node id> <base64 key> <comment...>". */
static int trust_line(hd_trust_list *tl, char *line, hd_error *err)
{
    uint8_t pk[HD_ED25519_PUBLIC_LEN];
    size_t pk_len = 0;
    char *id, *key, *p = line;
    const char *end = NULL;

    while (*p == ' ' || *p == '\t')
        p++;
    if (*p == '\0' || *p == '#')
        return 0;
    id = p;
    p += strcspn(p, " \t");
    if (*p == '\0')
        return hd_error_set(err, HD_EDATA, "no public key after the node id");
    *p++ = '\0';
    p += strspn(p, " \t");
    key = p;
    p += strcspn(p, " \t");
    *p = '\0';
    if (sodium_base642bin(pk, sizeof(pk), key, strlen(key), NULL, &pk_len, &end,
                          sodium_base64_VARIANT_ORIGINAL) != 0 ||
        pk_len != sizeof(pk) || *end != '\0')
        return hd_error_set(err, HD_EDATA,
                            "the public key is not 32 bytes in base64");
    return hd_trust_list_add(tl, id, pk, err);
}

int hd_trust_list_load(hd_trust_list *tl, const char *path, hd_error *err)
{
    FILE *f = fopen(path, "r");
    char line[1024];
    int64_t no = 0;
    int rc = 0;

    if (!f)
        return hd_error_set(err, HD_EIO, "cannot open the trust list %s: %s",
                            path, strerror(errno));
    while (fgets(line, sizeof(line), f)) {
        no++;
        line[strcspn(line, "\r\n")] = '\0';
        rc = trust_line(tl, line, err);
        if (rc) {
            hd_error_at(err, path, no, 0, NULL);
            break;
        }
    }
    if (rc == 0 && ferror(f))
        rc = hd_error_set(err, HD_EIO, "cannot read the trust list %s", path);
    fclose(f);
    return rc;
}
