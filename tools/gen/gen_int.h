/* Internals shared by the files of tools/gen. */
#ifndef HEDUI_GEN_INT_H
#define HEDUI_GEN_INT_H

#include "gen/gen.h"

#include <hedui/feed.h>
#include <hedui/std.h>

/* ------------------------------------------------------------- random */

/*
 * xoshiro256** seeded through splitmix64: fast, good, and ours, so that
 * the same seed gives the same population on every platform (the C
 * library's generator is banned and differs between C libraries). Each
 * family draws from its own
 * stream (seed, family number), so a family does not depend on how many
 * numbers the ones before it drew.
 */
typedef struct gen_rng {
    uint64_t s[4];
} gen_rng;

static inline uint64_t gen_splitmix64(uint64_t *x)
{
    uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

static inline void gen_rng_seed(gen_rng *r, uint64_t seed, uint64_t stream)
{
    uint64_t x = seed ^ (stream * 0xd1342543de82ef95ULL);
    for (int i = 0; i < 4; i++)
        r->s[i] = gen_splitmix64(&x);
}

static inline uint64_t gen_rotl(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

static inline uint64_t gen_rng_next(gen_rng *r)
{
    uint64_t *s = r->s;
    uint64_t result = gen_rotl(s[1] * 5, 7) * 9;
    uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = gen_rotl(s[3], 45);
    return result;
}

/* Uniform in [0, n) (Lemire's multiply-shift; the tiny bias of skipping
 * the rejection step does not matter for synthetic data). n > 0. */
static inline uint32_t gen_below(gen_rng *r, uint32_t n)
{
    return (uint32_t)(((gen_rng_next(r) >> 32) * (uint64_t)n) >> 32);
}

/* Uniform in [lo, hi], inclusive. */
static inline int64_t gen_range(gen_rng *r, int64_t lo, int64_t hi)
{
    if (hi <= lo)
        return lo;
    return lo + (int64_t)(gen_rng_next(r) % (uint64_t)(hi - lo + 1));
}

/* True with probability per_mille / 1000. */
static inline bool gen_chance(gen_rng *r, uint32_t per_mille)
{
    return gen_below(r, 1000) < per_mille;
}

/* value x permille / 1000, for scaling money by a drawn share. */
static inline int64_t gen_scale(int64_t value, int64_t per_mille)
{
    return value * per_mille / 1000;
}

/* ----------------------------------------------------- output streams */

/*
 * A file written through one large buffer, hashed (SHA-256) and counted
 * as it is written, so that a manifest needs no second pass.
 *
 * With a writer (gen_writer), a full buffer is handed to a background
 * thread that hashes and writes it while the generator fills another:
 * hashing a few GB costs about as much as generating them, and the
 * machines have two cores. Without one, the caller's thread does both.
 */
typedef struct gen_writer gen_writer;

typedef struct gen_out {
    int fd;
    char *buf;
    size_t len;
    size_t cap;
    hd_sha256 sha;
    int64_t bytes; /* written so far (complete once closed) */
    int err;       /* errno of a failed background write, or 0 */
    gen_writer *writer;
    char path[1024];
} gen_out;

/* Start the background thread; buffers are `cap` bytes. On failure to
 * start a thread *out is NULL and streams write synchronously. */
int hd__gen_writer_start(gen_writer **out, size_t cap, hd_error *err);
/* Wait for every queued buffer, stop the thread, free the pool. */
void hd__gen_writer_stop(gen_writer *w);

/* `writer` may be NULL. With a writer, `cap` is the writer's. */
int hd__gen_out_open(gen_out *o, const char *path, size_t cap,
                     gen_writer *writer, hd_error *err);
int hd__gen_out_flush(gen_out *o, hd_error *err);
/* Room for `n` more bytes: flushes when needed. n <= cap. */
static inline int gen_out_room(gen_out *o, size_t n, hd_error *err)
{
    if (o->len + n > o->cap)
        return hd__gen_out_flush(o, err);
    return 0;
}
int hd__gen_out_write(gen_out *o, const void *data, size_t len, hd_error *err);
/* Flush, close, and give the hex SHA-256 of everything written (hex may
 * be NULL). Safe on a stream that failed to open. */
int hd__gen_out_close(gen_out *o, char *hex, hd_error *err);
/* Close without caring about errors (cleanup paths). */
void hd__gen_out_abandon(gen_out *o);

/* Write a whole small file at once. */
int hd__gen_write_file(const char *path, const char *data, size_t len,
                       int64_t *bytes, hd_error *err);

/* ---------------------------------------------------------- formatting */

/* Hand-written number formatting: printf per field is too slow for tens
 * of millions of rows. Each returns the bytes written (no NUL). */
size_t hd__gen_fmt_int(char *p, int64_t v);
size_t hd__gen_fmt_money(char *p, int64_t fen);
size_t hd__gen_fmt_date(char *p, int32_t date);
size_t hd__gen_fmt_period(char *p, int32_t period);
/* Append an integer in decimal. */
void hd__gen_buf_int(hd_buf *b, int64_t v);
/* Append `s` as a JSON string, quoted and escaped. */
void hd__gen_json_str(hd_buf *b, const char *s);

/* --------------------------------------------------------- the world */

#define GEN_MAX_COUNTIES 64
#define GEN_MAX_ENTRIES 64

/* A county families live in, and what the assumed policy makes of it. */
typedef struct gen_county {
    char code[7];
    char city[7];
    char province[7];
    const char *plate;    /* the province's one-character plate prefix */
    hd_gen_params params; /* resolved for applied_on */
    bool has_standard;    /* false: applications here are refused */
} gen_county;

typedef struct gen_world {
    int32_t as_of;
    int32_t applied_on;
    gen_county counties[GEN_MAX_COUNTIES];
    int county_count;
    hd_gen_policy_entry entries[GEN_MAX_ENTRIES];
    hd_gen_policy policy;
} gen_world;

/* Pick the counties from the region table and build the assumed policy
 * around them (gen_policy.c). */
int hd__gen_world_build(gen_world *w, int32_t as_of, int32_t applied_on,
                        hd_error *err);

/* ------------------------------------------------------------ names */

/* A synthetic name: a common surname and one or two given-name
 * characters chosen by sex. `surname` NULL draws one. Writes a NUL-
 * terminated UTF-8 string of at most 16 bytes into out. */
void hd__gen_name(char *out, gen_rng *r, int sex, const char *surname);
/* The surname of a name made by hd__gen_name (its first character),
 * copied into out (at most 4 bytes and a NUL). */
void hd__gen_surname_of(char *out, const char *name);
/* An enterprise name (may hold a comma or quotes, to exercise CSV
 * quoting, or rarely a line break). At most 95 bytes. */
void hd__gen_enterprise_name(char *out, size_t cap, gen_rng *r);
/* Bank, securities company and insurer codes/names. */
const char *hd__gen_bank(gen_rng *r);
const char *hd__gen_broker(gen_rng *r);
/* A valid USCC for an organisation registered in `county`. */
void hd__gen_uscc(char out[19], gen_rng *r, const char *county);

/* ---------------------------------------------------------- citizen IDs */

/*
 * Citizen IDs unique by construction: a counter per (county, birth date,
 * sex) hands out sequence numbers through a fixed permutation. Valid
 * persons use sequences 001-899, the malformed rows of --dirty use
 * 900-999 from counters of their own, so that dirty output never shifts
 * the IDs of the clean population.
 */
typedef struct gen_pids {
    uint16_t *next;      /* valid: [county][day][sex] */
    uint8_t *dirty_next; /* dirty: the same shape */
    int county_count;
    int32_t first_day;
    int32_t day_count;
} gen_pids;

int hd__gen_pids_init(gen_pids *p, int county_count, int32_t first_day,
                      int32_t last_day, hd_error *err);
void hd__gen_pids_release(gen_pids *p);
/* Allocate an ID. The birth date moves forward a day when its bucket is
 * full; *birth is updated. Returns 0 or HD_ELIMIT. */
int hd__gen_pid_alloc(gen_pids *p, char out[19], int county,
                      const char *county_code, int32_t *birth, int sex,
                      bool dirty);

/* ------------------------------------------------------- the families */

#define GEN_MAX_PERSONS 12
#define GEN_MAX_AUTHS 16

typedef struct gen_person {
    char pid[19];
    char name[20];
    int sex;
    int32_t birth;
    int age;
    int county;
    bool member;  /* declared in the application */
    int relation; /* declared, relative to the applicant */
    int hukou_relation;
    bool in_hukou;           /* gets a hukou row */
    int hukou_status;        /* 1, 2, 3 */
    int32_t death;           /* HD_GEN_NO_DATE, else date of death */
    bool death_row;          /* a death row exists */
    bool hukou_elsewhere;    /* registered in another household */
    int disability_level;    /* 0 none */
    int disability_category; /* GB/T 26341, when disabled */
    int spouse;              /* person index, or -1 */
    int32_t married_on;
    bool marriage_rows; /* the marriage is in the civil affairs feed */
    int ex;             /* a divorced spouse, or -1 */
    int32_t ex_married_on;
    int32_t ex_divorced_on;
    char own_hukou_no[24]; /* when registered in another household */
} gen_person;

/* An authorization as written to authorizations.jsonl. */
typedef struct gen_auth {
    hd_gen_authorization a;
    char id[80];
    int signer;      /* person index */
    bool scope_list; /* write an explicit feed list */
} gen_auth;

/* Capacities of one family's records: generous, checked on every add. */
#define GEN_CAP_HUKOU 24
#define GEN_CAP_MARRIAGE 32
#define GEN_CAP_DEATH 12
#define GEN_CAP_TAX 1024
#define GEN_CAP_SI 1024
#define GEN_CAP_MEDICAL 384
#define GEN_CAP_FUND 256
#define GEN_CAP_ESTATE 32
#define GEN_CAP_VEHICLE 16
#define GEN_CAP_ENTERPRISE 16
#define GEN_CAP_DEPOSIT 48
#define GEN_CAP_SECURITIES 16
#define GEN_CAP_INSURANCE 24
#define GEN_CAP_DISABILITY 16
#define GEN_CAP_UNEMPLOYMENT 16
#define GEN_CAP_USCC 64

typedef struct gen_family {
    int64_t index;
    gen_rng rng;
    const gen_world *world;
    hd_gen_scenario scenario;
    int program;
    int county;
    int64_t standard; /* the county's dibao_standard (fen) */
    int32_t month;    /* M: the month of applied_on */
    int32_t first_data_month;
    int32_t last_data_month;

    gen_person persons[GEN_MAX_PERSONS];
    int person_count;
    int member_count; /* members are persons[0 .. member_count - 1] */
    char hukou_no[24];
    char application_no[32];

    /* the application as written */
    char program_text[32];
    char member_pid_text[HD_GEN_MAX_MEMBERS][24];
    hd_gen_member members[HD_GEN_MAX_MEMBERS];
    int declared_count;
    int64_t declared_income_fen;
    int64_t declared_assets_fen;
    int declared_vehicles;
    int declared_homes;

    gen_auth auths[GEN_MAX_AUTHS];
    int auth_count;

    /* records */
    hd_gen_hukou hukou[GEN_CAP_HUKOU];
    size_t hukou_count;
    hd_gen_marriage marriage[GEN_CAP_MARRIAGE];
    size_t marriage_count;
    hd_gen_death death[GEN_CAP_DEATH];
    size_t death_count;
    hd_gen_tax tax[GEN_CAP_TAX];
    size_t tax_count;
    hd_gen_si si[GEN_CAP_SI];
    size_t si_count;
    hd_gen_medical medical[GEN_CAP_MEDICAL];
    size_t medical_count;
    hd_gen_fund fund[GEN_CAP_FUND];
    size_t fund_count;
    hd_gen_estate estate[GEN_CAP_ESTATE];
    size_t estate_count;
    hd_gen_vehicle vehicle[GEN_CAP_VEHICLE];
    size_t vehicle_count;
    hd_gen_enterprise enterprise[GEN_CAP_ENTERPRISE];
    size_t enterprise_count;
    hd_gen_deposit deposit[GEN_CAP_DEPOSIT];
    size_t deposit_count;
    hd_gen_securities securities[GEN_CAP_SECURITIES];
    size_t securities_count;
    hd_gen_insurance insurance[GEN_CAP_INSURANCE];
    size_t insurance_count;
    hd_gen_disability disability[GEN_CAP_DISABILITY];
    size_t disability_count;
    hd_gen_unemployment unemployment[GEN_CAP_UNEMPLOYMENT];
    size_t unemployment_count;
    char usccs[GEN_CAP_USCC][19];
    int uscc_count;
    bool overflow; /* a capacity was exceeded: a generator bug */

    hd_gen_result truth;
    bool fallback; /* the planting gave up; the family was made clean */
} gen_family;

/* Per-county counters of application and household numbers. */
typedef struct gen_counters {
    int32_t application_seq[GEN_MAX_COUNTIES];
    int32_t hukou_seq[GEN_MAX_COUNTIES];
    uint64_t plate_seq;
    uint64_t cert_seq;
    uint64_t account_seq;
} gen_counters;

/* Build family number `index` (gen_family.c): persons, records, the
 * application, authorizations and the truth. */
int hd__gen_family_build(gen_family *f, const gen_world *w, gen_pids *pids,
                         gen_counters *counters, uint64_t seed, int64_t index,
                         hd_error *err);

/* The family's records as a dossier for hd_gen_truth. */
void hd__gen_family_dossier(hd_gen_dossier *d, const gen_family *f);

/* Family income I of section 3 under `params`, for the members of the
 * application that are alive (used to check a planting). */
int64_t hd__gen_truth_income(const hd_gen_application *app,
                             const hd_gen_dossier *d,
                             const hd_gen_params *params);

/* Does the truth match what the scenario meant to plant? */
bool hd__gen_scenario_holds(const gen_family *f);

/* ----------------------------------------------------------- the CSV */

typedef struct gen_csv gen_csv;

/* Open one CSV stream per feed of the table under DIR/deliveries/. */
int hd__gen_csv_open(gen_csv **out, const char *dir, const gen_world *w,
                     bool dirty, int dirty_interval, uint64_t seed,
                     gen_pids *pids, gen_writer *writer, hd_error *err);
/* Write every record of a family (and, with dirty, the bad rows due). */
int hd__gen_csv_family(gen_csv *c, const gen_family *f, hd_error *err);
/* Close the files, write the manifests (and dirty.json). */
int hd__gen_csv_finish(gen_csv *c, hd_gen_stats *stats, hd_error *err);
void hd__gen_csv_free(gen_csv *c);

#endif
