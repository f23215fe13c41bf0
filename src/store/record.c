/*
 * The feed store's record encoding (layout in store_int.h): keys that sort
 * by person, feed and feed key, and small values. The table of feed.h
 * drives both directions, so a new column needs no change here.
 */
#include "store/store_int.h"

#include <string.h>

/* 10^17 * 11: every packed pid is below it. */
#define PID_PACKED_LIMIT (UINT64_C(100000000000000000) * 11)
#define SIGN32 UINT32_C(0x80000000)
#define SIGN64 (UINT64_C(1) << 63)

int hd__pid_pack(uint64_t *out, const char *pid, size_t len)
{
    uint64_t v = 0;
    unsigned check;

    if (!pid || len != 18)
        return HD_EINVAL;
    for (int i = 0; i < 17; i++) {
        if (!hd_is_digit(pid[i]))
            return HD_EINVAL;
        v = v * 10 + (uint64_t)(pid[i] - '0');
    }
    if (hd_is_digit(pid[17]))
        check = (unsigned)(pid[17] - '0');
    else if (pid[17] == 'X')
        check = 10;
    else
        return HD_EINVAL;
    *out = v * 11 + check;
    return 0;
}

void hd__pid_unpack(char *out, uint64_t packed)
{
    unsigned check = (unsigned)(packed % 11);
    uint64_t digits = packed / 11;
    /* Two 32-bit halves: 9 digits and 8 digits. */
    uint32_t lo = (uint32_t)(digits % 1000000000u);
    uint32_t hi = (uint32_t)(digits / 1000000000u);

    out[17] = check == 10 ? 'X' : (char)('0' + check);
    for (int i = 16; i >= 8; i--, lo /= 10)
        out[i] = (char)('0' + lo % 10);
    for (int i = 7; i >= 0; i--, hi /= 10)
        out[i] = (char)('0' + hi % 10);
}

static int code_count(const hd_column *col)
{
    int n = 0;
    while (col->codes && col->codes[n].code)
        n++;
    return n;
}

/* ------------------------------------------------------------- encode */

static int cannot_store(hd_error *err, const hd_feed *feed,
                        const hd_column *col, const char *rule)
{
    hd_error_set(err, HD_EDATA, "cannot store %s.%s: %s", feed->name, col->name,
                 rule);
    hd_error_at(err, NULL, 0, 0, col->name);
    return HD_EDATA;
}

static uint8_t *put_varint(uint8_t *p, uint64_t v)
{
    while (v >= 0x80) {
        *p++ = (uint8_t)(v | 0x80);
        v >>= 7;
    }
    *p++ = (uint8_t)v;
    return p;
}

static uint64_t zigzag(int64_t v)
{
    return ((uint64_t)v << 1) ^ (uint64_t)(v >> 63);
}

static int64_t unzigzag(uint64_t v)
{
    return (int64_t)(v >> 1) ^ -(int64_t)(v & 1);
}

static bool region_value(uint32_t *out, const hd_value *v)
{
    uint32_t n = 0;
    if (!v->text || v->len != 6)
        return false;
    for (int i = 0; i < 6; i++) {
        if (!hd_is_digit(v->text[i]))
            return false;
        n = n * 10 + (uint32_t)(v->text[i] - '0');
    }
    *out = n;
    return true;
}

/* Checks common to key and value: is the value representable at all? */
static inline int check_value(const hd_feed *feed, const hd_column *col,
                              const hd_value *v, hd_error *err)
{
    switch (col->type) {
    case HD_TYPE_DATE:
    case HD_TYPE_PERIOD:
        if (v->num < INT32_MIN || v->num > INT32_MAX)
            return cannot_store(err, feed, col, "out of range");
        break;
    case HD_TYPE_PCT:
        if (v->num < 0 || v->num > 255)
            return cannot_store(err, feed, col, "out of range");
        break;
    case HD_TYPE_CODE:
        if (v->num < 0 || v->num >= code_count(col))
            return cannot_store(err, feed, col, "not a code of the column");
        break;
    case HD_TYPE_TEXT:
    case HD_TYPE_USCC:
        if (v->len > HD__TEXT_MAX_BYTES)
            return cannot_store(err, feed, col, "longer than 800 bytes");
        if (!v->text && v->len)
            return cannot_store(err, feed, col, "text without bytes");
        break;
    case HD_TYPE_PID:
    case HD_TYPE_REGION:
    case HD_TYPE_MONEY:
    case HD_TYPE_AREA:
        break;
    }
    return 0;
}

static int encode_key_column(uint8_t **pp, const hd_feed *feed,
                             const hd_column *col, const hd_value *v,
                             hd_error *err)
{
    uint8_t *p = *pp;
    uint64_t packed;
    uint32_t region;
    int rc;

    if (col->nullable) {
        *p++ = v->is_null ? 0 : 1;
        if (v->is_null) {
            *pp = p;
            return 0;
        }
    } else if (v->is_null) {
        return cannot_store(err, feed, col, "null in a required column");
    }
    rc = check_value(feed, col, v, err);
    if (rc)
        return rc;
    switch (col->type) {
    case HD_TYPE_PID:
        if (hd__pid_pack(&packed, v->text, v->len))
            return cannot_store(err, feed, col, "not a normalised pid");
        hd__store_be64(p, packed);
        p += 8;
        break;
    case HD_TYPE_REGION:
        if (!region_value(&region, v))
            return cannot_store(err, feed, col, "not 6 digits");
        hd__store_be32(p, region);
        p += 4;
        break;
    case HD_TYPE_DATE:
    case HD_TYPE_PERIOD:
        hd__store_be32(p, (uint32_t)(int32_t)v->num ^ SIGN32);
        p += 4;
        break;
    case HD_TYPE_MONEY:
    case HD_TYPE_AREA:
        hd__store_be64(p, (uint64_t)v->num ^ SIGN64);
        p += 8;
        break;
    case HD_TYPE_CODE:
    case HD_TYPE_PCT:
        *p++ = (uint8_t)v->num;
        break;
    case HD_TYPE_TEXT:
    case HD_TYPE_USCC:
        if (v->len && memchr(v->text, 0, v->len))
            return cannot_store(err, feed, col, "NUL in a key text");
        if (v->len)
            memcpy(p, v->text, v->len);
        p += v->len;
        *p++ = 0;
        break;
    }
    *pp = p;
    return 0;
}

static int encode_value_column(uint8_t **pp, const hd_feed *feed,
                               const hd_column *col, const hd_value *v,
                               hd_error *err)
{
    uint8_t *p = *pp;
    uint64_t packed;
    uint32_t region;
    int rc = check_value(feed, col, v, err);

    if (rc)
        return rc;
    switch (col->type) {
    case HD_TYPE_PID:
        if (hd__pid_pack(&packed, v->text, v->len))
            return cannot_store(err, feed, col, "not a normalised pid");
        hd__store_be64(p, packed);
        p += 8;
        break;
    case HD_TYPE_REGION:
        if (!region_value(&region, v))
            return cannot_store(err, feed, col, "not 6 digits");
        p = put_varint(p, region);
        break;
    case HD_TYPE_DATE:
    case HD_TYPE_PERIOD:
    case HD_TYPE_MONEY:
    case HD_TYPE_AREA:
    case HD_TYPE_PCT:
        p = put_varint(p, zigzag(v->num));
        break;
    case HD_TYPE_CODE:
        p = put_varint(p, (uint64_t)v->num);
        break;
    case HD_TYPE_TEXT:
    case HD_TYPE_USCC:
        p = put_varint(p, v->len);
        if (v->len)
            memcpy(p, v->text, v->len);
        p += v->len;
        break;
    }
    *pp = p;
    return 0;
}

static bool feed_shape_ok(const hd_feed *feed)
{
    return feed && feed->id < HD__FEED_IDS && feed->column_count >= 1 &&
           feed->column_count <= HD_FEED_MAX_COLUMNS &&
           feed->columns[0].type == HD_TYPE_PID && feed->columns[0].key &&
           !feed->columns[0].nullable;
}

/*
 * A feed key too long for LMDB, at out[0..full_len): keep its first
 * bytes, put 16 bytes of its SHA-256 after them, and open the value with
 * the full form. Returns where the rest of the value goes.
 */
static uint8_t *hash_long_key(uint8_t *out, size_t full_len)
{
    uint8_t full[HD__FULL_KEY_MAX], *v;
    char hex[HD_SHA256_HEX_LEN + 1];
    hd_sha256 ctx;

    memcpy(full, out, full_len);
    hd_sha256_init(&ctx);
    hd_sha256_update(&ctx, full, full_len);
    hd_sha256_final_hex(&ctx, hex);
    for (int i = 0; i < 16; i++) {
        int hi = hex[2 * i], lo = hex[2 * i + 1];
        hi = hd_is_digit(hi) ? hi - '0' : hi - 'a' + 10;
        lo = hd_is_digit(lo) ? lo - '0' : lo - 'a' + 10;
        out[HD__KEY_HASHED_LEN - 16 + i] = (uint8_t)(hi << 4 | lo);
    }
    v = put_varint(out + HD__KEY_HASHED_LEN, full_len - HD__KEY_PREFIX_LEN);
    memcpy(v, full + HD__KEY_PREFIX_LEN, full_len - HD__KEY_PREFIX_LEN);
    return v + full_len - HD__KEY_PREFIX_LEN;
}

int hd__record_encode(uint8_t *out, size_t *key_len, size_t *val_len,
                      const hd_row *row, hd_error *err)
{
    const hd_feed *feed = row->feed;
    uint8_t *p = out, *v, *val, *bitmap;
    size_t full_len, klen;
    uint64_t packed;
    int rc, nullable = 0;

    if (!feed_shape_ok(feed))
        return hd_error_set(err, HD_EINVAL, "row of an unknown feed");
    if (row->values[0].is_null ||
        hd__pid_pack(&packed, row->values[0].text, row->values[0].len))
        return cannot_store(err, feed, &feed->columns[0],
                            "not a normalised pid");
    /* The full key straight into `out`: it is the stored key unless it
     * is too long. */
    hd__store_be64(p, packed);
    p[8] = feed->id;
    p += HD__KEY_PREFIX_LEN;
    for (int i = 1; i < feed->column_count; i++) {
        const hd_column *col = &feed->columns[i];
        if (col->key) {
            rc = encode_key_column(&p, feed, col, &row->values[i], err);
            if (rc)
                return rc;
        } else if (col->nullable) {
            nullable++;
        }
    }
    full_len = (size_t)(p - out);
    if (full_len <= HD__KEY_PLAIN_MAX) {
        klen = full_len;
        v = out + klen;
    } else {
        klen = HD__KEY_HASHED_LEN;
        v = hash_long_key(out, full_len);
    }
    val = out + klen;

    bitmap = v;
    if (nullable) {
        memset(bitmap, 0, (size_t)(nullable + 7) / 8);
        v += (nullable + 7) / 8;
    }
    nullable = 0;
    for (int i = 1; i < feed->column_count; i++) {
        const hd_column *col = &feed->columns[i];
        const hd_value *value = &row->values[i];
        if (col->key)
            continue;
        if (col->nullable) {
            int bit = nullable++;
            if (value->is_null) {
                bitmap[bit / 8] |= (uint8_t)(1u << (bit % 8));
                continue;
            }
        } else if (value->is_null) {
            return cannot_store(err, feed, col, "null in a required column");
        }
        rc = encode_value_column(&v, feed, col, value, err);
        if (rc)
            return rc;
    }
    *key_len = klen;
    *val_len = (size_t)(v - val);
    return 0;
}

/* ------------------------------------------------------------- decode */

typedef struct reader {
    const uint8_t *p;
    const uint8_t *end;
} reader;

static bool get_bytes(reader *r, const uint8_t **out, size_t n)
{
    if ((size_t)(r->end - r->p) < n)
        return false;
    *out = r->p;
    r->p += n;
    return true;
}

static bool get_varint(reader *r, uint64_t *out)
{
    uint64_t v = 0;
    for (int shift = 0; shift < 64 && r->p < r->end; shift += 7) {
        uint8_t b = *r->p++;
        v |= (uint64_t)(b & 0x7f) << shift;
        if (!(b & 0x80)) {
            *out = v;
            return true;
        }
    }
    return false;
}

/* Room in row->storage for decoded pids and regions, NUL-terminated. */
static char *take_storage(hd_row *row, size_t *used, size_t n)
{
    char *s;
    if (sizeof(row->storage) - *used < n + 1)
        return NULL;
    s = row->storage + *used;
    s[n] = '\0';
    *used += n + 1;
    return s;
}

static bool set_pid(hd_row *row, size_t *used, hd_value *v, uint64_t packed)
{
    char *s;
    if (packed >= PID_PACKED_LIMIT)
        return false;
    s = take_storage(row, used, 18);
    if (!s)
        return false;
    hd__pid_unpack(s, packed);
    v->text = s;
    v->len = 18;
    return true;
}

static bool set_region(hd_row *row, size_t *used, hd_value *v, uint64_t n)
{
    char *s;
    if (n > 999999)
        return false;
    s = take_storage(row, used, 6);
    if (!s)
        return false;
    for (int i = 5; i >= 0; i--, n /= 10)
        s[i] = (char)('0' + n % 10);
    v->text = s;
    v->len = 6;
    return true;
}

static bool set_code(const hd_column *col, hd_value *v, uint64_t index)
{
    if (index >= (uint64_t)code_count(col))
        return false;
    v->num = (int64_t)index;
    v->text = col->codes[index].code;
    v->len = (uint32_t)strlen(v->text);
    return true;
}

static bool decode_key_column(reader *r, const hd_column *col, hd_value *v,
                              hd_row *row, size_t *used)
{
    const uint8_t *b, *nul;

    if (col->nullable) {
        if (!get_bytes(r, &b, 1) || b[0] > 1)
            return false;
        if (b[0] == 0) {
            v->is_null = true;
            return true;
        }
    }
    switch (col->type) {
    case HD_TYPE_PID:
        return get_bytes(r, &b, 8) && set_pid(row, used, v, hd__load_be64(b));
    case HD_TYPE_REGION:
        return get_bytes(r, &b, 4) &&
               set_region(row, used, v, hd__load_be32(b));
    case HD_TYPE_DATE:
    case HD_TYPE_PERIOD:
        if (!get_bytes(r, &b, 4))
            return false;
        v->num = (int32_t)(hd__load_be32(b) ^ SIGN32);
        return true;
    case HD_TYPE_MONEY:
    case HD_TYPE_AREA:
        if (!get_bytes(r, &b, 8))
            return false;
        v->num = (int64_t)(hd__load_be64(b) ^ SIGN64);
        return true;
    case HD_TYPE_CODE:
        return get_bytes(r, &b, 1) && set_code(col, v, b[0]);
    case HD_TYPE_PCT:
        if (!get_bytes(r, &b, 1))
            return false;
        v->num = b[0];
        return true;
    case HD_TYPE_TEXT:
    case HD_TYPE_USCC:
        nul = memchr(r->p, 0, (size_t)(r->end - r->p));
        if (!nul)
            return false;
        v->text = (const char *)r->p;
        v->len = (uint32_t)(nul - r->p);
        r->p = nul + 1;
        return true;
    }
    return false;
}

static bool decode_value_column(reader *r, const hd_column *col, hd_value *v,
                                hd_row *row, size_t *used)
{
    const uint8_t *b;
    uint64_t n;

    switch (col->type) {
    case HD_TYPE_PID:
        return get_bytes(r, &b, 8) && set_pid(row, used, v, hd__load_be64(b));
    case HD_TYPE_REGION:
        return get_varint(r, &n) && set_region(row, used, v, n);
    case HD_TYPE_DATE:
    case HD_TYPE_PERIOD:
    case HD_TYPE_MONEY:
    case HD_TYPE_AREA:
    case HD_TYPE_PCT:
        if (!get_varint(r, &n))
            return false;
        v->num = unzigzag(n);
        return true;
    case HD_TYPE_CODE:
        return get_varint(r, &n) && set_code(col, v, n);
    case HD_TYPE_TEXT:
    case HD_TYPE_USCC:
        if (!get_varint(r, &n) || n > HD__TEXT_MAX_BYTES ||
            !get_bytes(r, &b, (size_t)n))
            return false;
        v->text = (const char *)b;
        v->len = (uint32_t)n;
        return true;
    }
    return false;
}

int hd__record_decode(hd_row *row, const hd_feed *feed, const char *pid,
                      const uint8_t *key, size_t key_len, const uint8_t *val,
                      size_t val_len)
{
    reader kr, vr = {val, val + val_len};
    const uint8_t *bitmap;
    size_t used = 0;
    int nullable = 0, bit = 0;

    if (key_len < HD__KEY_PREFIX_LEN)
        return HD_EDATA;
    if (!feed)
        feed = hd_feed_by_id(key[HD__KEY_PID_LEN]);
    if (!feed_shape_ok(feed) || feed->id != key[HD__KEY_PID_LEN])
        return HD_EDATA;
    row->feed = feed;
    for (int i = 0; i < feed->column_count; i++)
        row->values[i] = (hd_value){false, 0, NULL, 0};
    if (pid) {
        /* The caller unpacked this person's pid once for all records. */
        memcpy(row->storage, pid, 18);
        row->storage[18] = '\0';
        used = 19;
        row->values[0].text = row->storage;
        row->values[0].len = 18;
    } else if (!set_pid(row, &used, &row->values[0], hd__load_be64(key))) {
        return HD_EDATA;
    }

    if (key_len == HD__KEY_HASHED_LEN) {
        uint64_t n;
        if (!get_varint(&vr, &n) || n > (uint64_t)(vr.end - vr.p))
            return HD_EDATA;
        kr.p = vr.p;
        kr.end = vr.p + n;
        vr.p += n;
    } else {
        kr.p = key + HD__KEY_PREFIX_LEN;
        kr.end = key + key_len;
    }
    for (int i = 1; i < feed->column_count; i++) {
        const hd_column *col = &feed->columns[i];
        if (col->key) {
            if (!decode_key_column(&kr, col, &row->values[i], row, &used))
                return HD_EDATA;
        } else if (col->nullable) {
            nullable++;
        }
    }
    if (kr.p != kr.end)
        return HD_EDATA;

    if (!get_bytes(&vr, &bitmap, (size_t)(nullable + 7) / 8))
        return HD_EDATA;
    for (int i = 1; i < feed->column_count; i++) {
        const hd_column *col = &feed->columns[i];
        hd_value *v = &row->values[i];
        if (col->key)
            continue;
        if (col->nullable) {
            int b = bit++;
            if (bitmap[b / 8] & (1u << (b % 8))) {
                v->is_null = true;
                continue;
            }
        }
        if (!decode_value_column(&vr, col, v, row, &used))
            return HD_EDATA;
    }
    return vr.p == vr.end ? 0 : HD_EDATA;
}
