/*
 * Unique citizen IDs by construction. An ID is the county's code, the
 * birth date, a sequence number (odd for men) and the MOD 11-2 check
 * character; two people can only collide on the same county, birth date
 * and sex, so a counter per such bucket hands out each sequence once.
 * The k-th person of a bucket gets the k-th value of a fixed permutation,
 * so sequences look scattered rather than counting up from 001.
 */
#include "gen/gen_int.h"

#include <string.h>

/* Valid persons: men 001, 003, ... 899 (450 values), women 002, 004, ...
 * 898 (449 values). Dirty rows: men 901 ... 999, women 900 ... 998 (50
 * each). */
#define VALID_MEN 450
#define VALID_WOMEN 449
#define DIRTY_EACH 50

int hd__gen_pids_init(gen_pids *p, int county_count, int32_t first_day,
                      int32_t last_day, hd_error *err)
{
    size_t buckets;

    memset(p, 0, sizeof(*p));
    p->county_count = county_count;
    p->first_day = first_day;
    p->day_count = last_day - first_day + 1;
    buckets = (size_t)county_count * (size_t)p->day_count * 2;
    p->next = hd_calloc(buckets, sizeof(*p->next));
    p->dirty_next = hd_calloc(buckets, sizeof(*p->dirty_next));
    if (!p->next || !p->dirty_next) {
        hd__gen_pids_release(p);
        return hd_error_set(err, HD_ENOMEM, "out of memory");
    }
    return 0;
}

void hd__gen_pids_release(gen_pids *p)
{
    hd_free(p->next);
    hd_free(p->dirty_next);
    p->next = NULL;
    p->dirty_next = NULL;
}

static void put_digits(char *out, int value, int count)
{
    for (int i = count - 1; i >= 0; i--) {
        out[i] = (char)('0' + value % 10);
        value /= 10;
    }
}

int hd__gen_pid_alloc(gen_pids *p, char out[19], int county,
                      const char *county_code, int32_t *birth, int sex,
                      bool dirty)
{
    int32_t day = *birth;

    if (day < p->first_day)
        day = p->first_day;
    for (; day < p->first_day + p->day_count; day++) {
        size_t bucket = ((size_t)county * (size_t)p->day_count +
                         (size_t)(day - p->first_day)) *
                            2 +
                        (size_t)(sex - 1);
        int seq, k, y, m, d;

        if (dirty) {
            k = p->dirty_next[bucket];
            if (k >= DIRTY_EACH)
                continue;
            p->dirty_next[bucket]++;
            k = (k * 17 + (int)(bucket % DIRTY_EACH)) % DIRTY_EACH;
            seq = sex == 1 ? 901 + 2 * k : 900 + 2 * k;
        } else {
            int size = sex == 1 ? VALID_MEN : VALID_WOMEN;
            k = p->next[bucket];
            if (k >= size)
                continue;
            p->next[bucket]++;
            /* 137 is prime to both sizes: a permutation. */
            k = (int)(((size_t)k * 137 + bucket % (size_t)size) % (size_t)size);
            seq = sex == 1 ? 1 + 2 * k : 2 + 2 * k;
        }
        hd_date_to_ymd(day, &y, &m, &d);
        memcpy(out, county_code, 6);
        put_digits(out + 6, y, 4);
        put_digits(out + 10, m, 2);
        put_digits(out + 12, d, 2);
        put_digits(out + 14, seq, 3);
        out[17] = hd_pid_check_char(out);
        out[18] = '\0';
        *birth = day;
        return 0;
    }
    return HD_ELIMIT;
}
