/*
 * hedui std: the national standards the data is written in: citizen IDs
 * (GB 11643-1999), unified social credit codes (GB 32100-2015) and
 * administrative division codes (GB/T 2260, statistical division codes).
 */
#ifndef HEDUI_STD_H
#define HEDUI_STD_H

#include <hedui/base.h>

/* ----------------------------------------------------------- citizen ID */

#define HD_PID_LEN 18

/* The rule a citizen ID fails, in the order they are checked. */
typedef enum hd_pid_rule {
    HD_PID_OK = 0,
    HD_PID_RULE_LENGTH,     /* not 18 (or 15) characters */
    HD_PID_RULE_CHARACTERS, /* positions 7-17 not digits, or the last not
                               a digit or X */
    HD_PID_RULE_ADDRESS,    /* the 6-character address code not 6 digits */
    HD_PID_RULE_BIRTH,      /* the birth date not a calendar date */
    HD_PID_RULE_CHECK       /* the check character does not match */
} hd_pid_rule;

/* Stable name of a rule: "length", "characters", "address code",
 * "birth date", "check character". */
const char *hd_pid_rule_name(hd_pid_rule rule);

/*
 * Validate a citizen ID and write its normalised 18-character form and a
 * NUL into `out`: a lowercase x becomes X, and a 15-digit first-generation
 * number becomes its 18-character form (century 19, check character
 * computed). Returns HD_PID_OK or the first rule that fails; `err` (may be
 * NULL) gets HD_EDATA and a message naming the rule (never the ID itself),
 * and `out` is left empty. `s` need not be NUL-terminated, and `out` may
 * be the buffer `s` points to.
 */
hd_pid_rule hd_pid_normalize(char out[HD_PID_LEN + 1], const char *s,
                             size_t len, hd_error *err);

/* The ISO 7064 MOD 11-2 check character ('0'-'9' or 'X') of the first 17
 * digits. */
char hd_pid_check_char(const char *first17);

/* On a normalised (valid) ID: 1 male (odd sequence), 2 female. */
int hd_pid_sex(const char *pid);
/* On a normalised (valid) ID: the birth date as days since 1970. */
int32_t hd_pid_birth(const char *pid);

/* --------------------------------------------------------------- USCC */

#define HD_USCC_LEN 18

typedef enum hd_uscc_rule {
    HD_USCC_OK = 0,
    HD_USCC_RULE_LENGTH,     /* not 18 characters */
    HD_USCC_RULE_CHARACTERS, /* a character outside 0-9A-Z less I O Z S V */
    HD_USCC_RULE_CHECK       /* the MOD 31 check character does not match */
} hd_uscc_rule;

const char *hd_uscc_rule_name(hd_uscc_rule rule);
/* Validate a USCC (uppercase only). Returns HD_USCC_OK or the rule. */
hd_uscc_rule hd_uscc_check(const char *s, size_t len, hd_error *err);
/* The check character for the first 17 characters, or 0 when they hold a
 * character outside the alphabet. */
char hd_uscc_check_char(const char *first17);

/* --------------------------------------------------------------- regions */

typedef enum hd_region_level {
    HD_REGION_PROVINCE = 1,
    HD_REGION_CITY = 2,
    HD_REGION_COUNTY = 3,
    HD_REGION_TOWNSHIP = 4
} hd_region_level;

/*
 * One administrative division. Codes are the statistical division codes:
 * 6 digits for province ("330000"), city ("330100") and county
 * ("330106"), 9 digits for a township ("330106001").
 */
typedef struct hd_region {
    const char *code;
    const char *name;        /* UTF-8, as published */
    const char *parent_code; /* NULL for a province */
    hd_region_level level;
} hd_region;

/* Where the shipped table comes from (source, version, date). */
const char *hd_region_provenance(void);
/* Number of regions in the table, and the i-th in code order. */
size_t hd_region_count(void);
const hd_region *hd_region_at(size_t i);
/* Look up by code (6 or 9 digits); NULL when unknown. */
const hd_region *hd_region_find(const char *code, size_t len);
/* The parent division, NULL for a province. */
const hd_region *hd_region_parent(const hd_region *region);
/* The direct children, in code order: writes up to `max` pointers into
 * `out` (may be NULL when `max` is 0) and returns how many there are in
 * all. The children of NULL are the provinces. */
size_t hd_region_children(const hd_region **out, size_t max,
                          const hd_region *region);
/* The direct child of `parent` (a province when `parent` is NULL) whose
 * name is exactly the UTF-8 bytes `name[0..len)`, or NULL. Names repeat
 * across the country (many counties are called 朝阳区 or 新华区), never
 * under one parent, so a name is looked up one level at a time. */
const hd_region *hd_region_find_name(const hd_region *parent, const char *name,
                                     size_t len);
/* Is `code` a well-formed 6-digit division code (PP0000, PPCC00, PPCCXX
 * with PP not 00)? Syntax only, not looked up. */
bool hd_region_code_valid(const char *code, size_t len);
/* Does a jurisdiction cover a region? A province PP0000 covers every code
 * PP...., a city PPCC00 every PPCC.., a county only itself. False when
 * either is not a well-formed code. */
bool hd_region_covers(const char *jurisdiction, const char *region);

/* ------------------------------------------------------------- programs */

/* The assistance programs of spec rules.md section 6. */

typedef enum hd_program {
    HD_PROGRAM_DIBAO,
    HD_PROGRAM_LOW_INCOME,
    HD_PROGRAM_EXPENDITURE_HARDSHIP,
    HD_PROGRAM_TEKUN,
    HD_PROGRAM_MEDICAL_AID,
    HD_PROGRAM_COUNT_
} hd_program;

/* "dibao", ... as rules.md names them. */
const char *hd_program_name(hd_program program);
/* The program of a name, or -1. */
int hd_program_find(const char *name, size_t len);

#endif
