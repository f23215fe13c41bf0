/* Internals of src/consent shared with its tests: the canonical JSON. */
#ifndef HEDUI_CONSENT_INT_H
#define HEDUI_CONSENT_INT_H

#include <hedui/consent.h>

#include <jansson.h>

/*
 * Append the canonical JSON (RFC 8785, JCS) of `v` to `out`: object
 * members sorted by the UTF-16 code units of their names, no whitespace,
 * strings escaped as JCS says (only '"', '\\' and control characters;
 * everything else, non-ASCII too, as literal UTF-8), integers in plain
 * decimal. When `skip` is not NULL, the member of that name of a
 * top-level object is left out (the signature, which signs the rest).
 *
 * Numbers with a fraction or an exponent are refused (HD_EDATA): hedui's
 * records never hold them, and leaving out JCS's number serialisation
 * keeps floating point out of the project. So are integers beyond
 * +-(2^53 - 1), which JCS (IEEE 754 doubles) cannot represent exactly.
 * Returns 0, HD_EDATA (err's field names the member), or the buffer's
 * sticky error.
 */
int hd__json_canonical(hd_buf *out, const json_t *v, const char *skip,
                       hd_error *err);

/* Compare two UTF-8 strings by their UTF-16 code units (JCS's order). */
int hd__utf16_cmp(const char *a, size_t alen, const char *b, size_t blen);

#endif
