/*
 * The feed store's record encoding (layout in store_int.h): keys that sort
 * by person, feed and feed key, and small values. The table of feed.h
 * drives both directions, so a new column needs no change here.
 */
#include "store/store_int.h"

#include <pthread.h>
#include <string.h>

/* 10^17 * 11: every packed pid is below it. */
#define PID_PACKED_LIMIT (UINT64_C(100000000000000000) * 11)
#define SIGN32 UINT32_C(0x80000000)
#define SIGN64 (UINT64_C(1) << 63)
#define PLAN_CODES 32 /* code lengths kept for the first codes */

/*
 * What a feed's columns need, worked out once from the table instead of
 * for every row: its key columns after the pid and its value columns in
 * order, nullable value columns counted, code list lengths known.
 */
typedef struct col_plan {
    const hd_column *col;
    uint8_t index;
    uint8_t type;
    bool nullable;
    uint8_t codes; /* HD_TYPE_CODE: entries in the list */
    uint8_t code_len[PLAN_CODES];
} col_plan;

typedef struct feed_plan {
    const hd_feed *feed;
    int nkey, nval, nnull;
    col_plan key[HD_FEED_MAX_COLUMNS];
    col_plan val[HD_FEED_MAX_COLUMNS];
} feed_plan;

static feed_plan plans[HD__FEED_IDS];
static pthread_once_t plans_once = PTHREAD_ONCE_INIT;

/* Eight ASCII digits at s as a number, or false when one is not a digit
 * (SWAR: all eight at once). */
static inline bool digits8(const char *s, uint32_t *out)
{
    const unsigned char *u = (const unsigned char *)s;
    uint64_t x = 0;

    for (int i = 7; i >= 0; i--)
        x = x << 8 | u[i]; /* s[0] in the low byte */
    /* Each byte 0x30..0x39: high nibble 3, and +6 leaves it there. */
    if ((x & UINT64_C(0xF0F0F0F0F0F0F0F0)) != UINT64_C(0x3030303030303030) ||
        ((x + UINT64_C(0x0606060606060606)) & UINT64_C(0xF0F0F0F0F0F0F0F0)) !=
            UINT64_C(0x3030303030303030))
        return false;
    x &= UINT64_C(0x0F0F0F0F0F0F0F0F);
    x = (x * 10 + (x >> 8)) & UINT64_C(0x00FF00FF00FF00FF);
    x = (x * 100 + (x >> 16)) & UINT64_C(0x0000FFFF0000FFFF);
    x = (x * 10000 + (x >> 32)) & UINT64_C(0x00000000FFFFFFFF);
    *out = (uint32_t)x;
    return true;
}

int hd__pid_pack(uint64_t *out, const char *pid, size_t len)
{
    uint32_t a, b;
    unsigned check;

    if (!pid || len != 18 || !digits8(pid, &a) || !digits8(pid + 8, &b) ||
        !hd_is_digit(pid[16]))
        return HD_EINVAL;
    if (hd_is_digit(pid[17]))
        check = (unsigned)(pid[17] - '0');
    else if (pid[17] == 'X')
        check = 10;
    else
        return HD_EINVAL;
    *out = ((uint64_t)a * 1000000000u + (uint64_t)b * 10u +
            (uint64_t)(pid[16] - '0')) *
               11 +
           check;
    return 0;
}

void hd__pid_unpack(char *out, uint64_t packed)
{
    static const char pairs[] = "00010203040506070809"
                                "10111213141516171819"
                                "20212223242526272829"
                                "30313233343536373839"
                                "40414243444546474849"
                                "50515253545556575859"
                                "60616263646566676869"
                                "70717273747576777879"
                                "80818283848586878889"
                                "90919293949596979899";
    unsigned check = (unsigned)(packed % 11);
    uint64_t digits = packed / 11;
    /* 17 digits: 9 in `hi`, 8 in `lo`, each cut two at a time. */
    uint32_t lo = (uint32_t)(digits % 100000000u);
    uint32_t hi = (uint32_t)(digits / 100000000u);

    out[17] = check == 10 ? 'X' : (char)('0' + check);
    for (int i = 15; i >= 9; i -= 2, lo /= 100)
        memcpy(out + i, pairs + 2 * (lo % 100), 2);
    for (int i = 7; i >= 1; i -= 2, hi /= 100)
        memcpy(out + i, pairs + 2 * (hi % 100), 2);
    out[0] = (char)('0' + hi);
}

static int code_count(const hd_column *col)
{
    int n = 0;
    while (col->codes && col->codes[n].code)
        n++;
    return n;
}

static bool feed_shape_ok(const hd_feed *feed)
{
    return feed && feed->id < HD__FEED_IDS && feed->column_count >= 1 &&
           feed->column_count <= HD_FEED_MAX_COLUMNS &&
           feed->columns[0].type == HD_TYPE_PID && feed->columns[0].key &&
           !feed->columns[0].nullable;
}

static void plan_column(col_plan *cp, const hd_column *col, int index)
{
    int n = code_count(col);

    cp->col = col;
    cp->index = (uint8_t)index;
    cp->type = (uint8_t)col->type;
    cp->nullable = col->nullable;
    cp->codes = (uint8_t)(n > 255 ? 255 : n);
    for (int i = 0; i < n && i < PLAN_CODES; i++) {
        size_t len = strlen(col->codes[i].code);
        cp->code_len[i] = (uint8_t)(len > 255 ? 255 : len);
    }
}

/* Returns false for a feed the store cannot hold. */
static bool make_plan(feed_plan *plan, const hd_feed *feed)
{
    memset(plan, 0, sizeof(*plan));
    if (!feed_shape_ok(feed))
        return false;
    plan->feed = feed;
    for (int i = 1; i < feed->column_count; i++) {
        const hd_column *col = &feed->columns[i];
        if (col->key) {
            plan_column(&plan->key[plan->nkey++], col, i);
        } else {
            plan_column(&plan->val[plan->nval++], col, i);
            plan->nnull += col->nullable;
        }
    }
    return true;
}

static void make_plans(void)
{
    for (int i = 0; i < hd_feed_count; i++)
        if (hd_feeds[i].id < HD__FEED_IDS)
            make_plan(&plans[hd_feeds[i].id], &hd_feeds[i]);
}

/* The plan of `feed`: the table's, or one made in `tmp` for a feed that
 * is not in it (tests). NULL when the store cannot hold the feed. */
static const feed_plan *plan_of(const hd_feed *feed, feed_plan *tmp)
{
    pthread_once(&plans_once, make_plans);
    if (feed && feed->id < HD__FEED_IDS && plans[feed->id].feed == feed)
        return &plans[feed->id];
    return make_plan(tmp, feed) ? tmp : NULL;
}

static size_t code_len(const col_plan *cp, uint64_t index)
{
    return index < PLAN_CODES ? cp->code_len[index]
                              : strlen(cp->col->codes[index].code);
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

static inline uint8_t *put_varint(uint8_t *p, uint64_t v)
{
    while (v >= 0x80) {
        *p++ = (uint8_t)(v | 0x80);
        v >>= 7;
    }
    *p++ = (uint8_t)v;
    return p;
}

static inline uint64_t zigzag(int64_t v)
{
    return ((uint64_t)v << 1) ^ (uint64_t)(v >> 63);
}

static inline int64_t unzigzag(uint64_t v)
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
static inline int check_value(const hd_feed *feed, const col_plan *cp,
                              const hd_value *v, hd_error *err)
{
    switch (cp->type) {
    case HD_TYPE_DATE:
    case HD_TYPE_PERIOD:
        if (v->num < INT32_MIN || v->num > INT32_MAX)
            return cannot_store(err, feed, cp->col, "out of range");
        break;
    case HD_TYPE_PCT:
        if (v->num < 0 || v->num > 255)
            return cannot_store(err, feed, cp->col, "out of range");
        break;
    case HD_TYPE_CODE:
        if (v->num < 0 || v->num >= cp->codes)
            return cannot_store(err, feed, cp->col, "not a code of the column");
        break;
    case HD_TYPE_TEXT:
    case HD_TYPE_USCC:
        if (v->len > HD__TEXT_MAX_BYTES)
            return cannot_store(err, feed, cp->col, "longer than 800 bytes");
        if (!v->text && v->len)
            return cannot_store(err, feed, cp->col, "text without bytes");
        break;
    default:
        break;
    }
    return 0;
}

static inline int encode_key_column(uint8_t **pp, const hd_feed *feed,
                                    const col_plan *cp, const hd_value *v,
                                    hd_error *err)
{
    uint8_t *p = *pp;
    uint64_t packed;
    uint32_t region;
    int rc;

    if (cp->nullable) {
        *p++ = v->is_null ? 0 : 1;
        if (v->is_null) {
            *pp = p;
            return 0;
        }
    } else if (v->is_null) {
        return cannot_store(err, feed, cp->col, "null in a required column");
    }
    rc = check_value(feed, cp, v, err);
    if (rc)
        return rc;
    switch (cp->type) {
    case HD_TYPE_PID:
        if (hd__pid_pack(&packed, v->text, v->len))
            return cannot_store(err, feed, cp->col, "not a normalised pid");
        hd__store_be64(p, packed);
        p += 8;
        break;
    case HD_TYPE_REGION:
        if (!region_value(&region, v))
            return cannot_store(err, feed, cp->col, "not 6 digits");
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
            return cannot_store(err, feed, cp->col, "NUL in a key text");
        if (v->len)
            memcpy(p, v->text, v->len);
        p += v->len;
        *p++ = 0;
        break;
    }
    *pp = p;
    return 0;
}

static inline int encode_value_column(uint8_t **pp, const hd_feed *feed,
                                      const col_plan *cp, const hd_value *v,
                                      hd_error *err)
{
    uint8_t *p = *pp;
    uint64_t packed;
    uint32_t region;
    int rc = check_value(feed, cp, v, err);

    if (rc)
        return rc;
    switch (cp->type) {
    case HD_TYPE_PID:
        if (hd__pid_pack(&packed, v->text, v->len))
            return cannot_store(err, feed, cp->col, "not a normalised pid");
        hd__store_be64(p, packed);
        p += 8;
        break;
    case HD_TYPE_REGION:
        if (!region_value(&region, v))
            return cannot_store(err, feed, cp->col, "not 6 digits");
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
    feed_plan tmp;
    const feed_plan *plan = plan_of(feed, &tmp);
    uint8_t *p = out, *v, *val, *bitmap;
    size_t full_len, klen;
    uint64_t packed;
    int rc, bit = 0;

    if (!plan)
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
    for (int i = 0; i < plan->nkey; i++) {
        const col_plan *cp = &plan->key[i];
        rc = encode_key_column(&p, feed, cp, &row->values[cp->index], err);
        if (rc)
            return rc;
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
    if (plan->nnull) {
        memset(bitmap, 0, (size_t)(plan->nnull + 7) / 8);
        v += (plan->nnull + 7) / 8;
    }
    for (int i = 0; i < plan->nval; i++) {
        const col_plan *cp = &plan->val[i];
        const hd_value *value = &row->values[cp->index];
        if (cp->nullable) {
            int b = bit++;
            if (value->is_null) {
                bitmap[b / 8] |= (uint8_t)(1u << (b % 8));
                continue;
            }
        } else if (value->is_null) {
            return cannot_store(err, feed, cp->col,
                                "null in a required column");
        }
        rc = encode_value_column(&v, feed, cp, value, err);
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

static inline bool get_bytes(reader *r, const uint8_t **out, size_t n)
{
    if ((size_t)(r->end - r->p) < n)
        return false;
    *out = r->p;
    r->p += n;
    return true;
}

static inline bool get_varint(reader *r, uint64_t *out)
{
    uint64_t v = 0;
    if (r->p < r->end && *r->p < 0x80) {
        *out = *r->p++;
        return true;
    }
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
static inline char *take_storage(hd_row *row, size_t *used, size_t n)
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

static inline bool set_code(const col_plan *cp, hd_value *v, uint64_t index)
{
    if (index >= cp->codes)
        return false;
    v->num = (int64_t)index;
    v->text = cp->col->codes[index].code;
    v->len = (uint32_t)code_len(cp, index);
    return true;
}

static inline bool decode_key_column(reader *r, const col_plan *cp, hd_value *v,
                                     hd_row *row, size_t *used)
{
    const uint8_t *b, *nul;

    if (cp->nullable) {
        if (!get_bytes(r, &b, 1) || b[0] > 1)
            return false;
        if (b[0] == 0) {
            v->is_null = true;
            return true;
        }
    }
    switch (cp->type) {
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
        return get_bytes(r, &b, 1) && set_code(cp, v, b[0]);
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

static inline bool decode_value_column(reader *r, const col_plan *cp,
                                       hd_value *v, hd_row *row, size_t *used)
{
    const uint8_t *b;
    uint64_t n;

    switch (cp->type) {
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
        return get_varint(r, &n) && set_code(cp, v, n);
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
    const feed_plan *plan;
    feed_plan tmp;
    size_t used = 0;
    int bit = 0;

    if (key_len < HD__KEY_PREFIX_LEN)
        return HD_EDATA;
    if (!feed)
        feed = hd_feed_by_id(key[HD__KEY_PID_LEN]);
    plan = plan_of(feed, &tmp);
    if (!plan || feed->id != key[HD__KEY_PID_LEN])
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
    for (int i = 0; i < plan->nkey; i++) {
        const col_plan *cp = &plan->key[i];
        if (!decode_key_column(&kr, cp, &row->values[cp->index], row, &used))
            return HD_EDATA;
    }
    if (kr.p != kr.end)
        return HD_EDATA;

    if (!get_bytes(&vr, &bitmap, (size_t)(plan->nnull + 7) / 8))
        return HD_EDATA;
    for (int i = 0; i < plan->nval; i++) {
        const col_plan *cp = &plan->val[i];
        hd_value *v = &row->values[cp->index];
        if (cp->nullable) {
            int b = bit++;
            if (bitmap[b / 8] & (1u << (b % 8))) {
                v->is_null = true;
                continue;
            }
        }
        if (!decode_value_column(&vr, cp, v, row, &used))
            return HD_EDATA;
    }
    return vr.p == vr.end ? 0 : HD_EDATA;
}
