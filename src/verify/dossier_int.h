/* Shared by the dossier builders of src/verify (one case, a roll). */
#ifndef HEDUI_DOSSIER_INT_H
#define HEDUI_DOSSIER_INT_H

#include <hedui/verify.h>

/* Refuse a feed store behind the case store (view_check.c): one that
 * lacks a delivery the case store has accepted, since a verification of
 * the latest state would silently read older records. HD_ENOTFOUND with
 * both seqs in the message. Called before the view is pinned, so that
 * the view covers every delivery the case store had. */
int hd__verify_feeds_current(const hd_verify_env *env, hd_error *err);
/* Refuse a view (env->view_seq, a replay) beyond the deliveries the feed
 * store holds (env->max_seq): HD_ENOTFOUND. */
int hd__verify_view_present(const hd_verify_env *env, hd_error *err);

/* Add the records of one person (feeds of `only_mask`) to the dossier as
 * `member` (-1: not a member). Counts them in *records_read (may be
 * NULL). */
int hd__dossier_add_person(hd_dossier *d, const hd_verify_env *env, int member,
                           const char *pid, uint32_t only_mask,
                           int64_t *records_read, hd_error *err);
/* Add the hukou and death records of every spouse named in members'
 * marriage rows who is not a declared member: what rules.md's
 * UNDECLARED_SPOUSE needs to know (is that spouse alive). Read through
 * `rd` when not NULL (a roll keeps one open), else a transaction each. */
int hd__dossier_add_spouses(hd_dossier *d, const hd_verify_env *env,
                            hd_fs_reader *rd, int64_t *records_read,
                            hd_error *err);

/* The audit entry and verification row of one verified case, written to
 * the case store (inside the caller's transaction). `relied_on` are the
 * authorization ids the gate relied on, one per member (may be ""). */
int hd__verify_record(const hd_verify_env *env, const hd_dossier *d,
                      const hd_result *r, const char *const *relied_on,
                      const char *action, hd_buf *scratch, hd_error *err);

/* The audit entry's three JSON arrays (persons as keyed hashes, feeds
 * read, authorizations relied on), appended to `out` each followed by a
 * NUL: what hd__verify_record writes, for a caller that writes it from
 * another thread. Returns hd_buf_error(out). */
int hd__verify_audit_format(const hd_verify_env *env, const hd_dossier *d,
                            const char *const *relied_on, hd_buf *out);

/* A parsed application packed small, and back (app_pack.c). The packed
 * size is at most hd__app_packed_size; hd__app_pack returns the end.
 * An unpacked application borrows its names from the packed copy. */
size_t hd__app_packed_size(const hd_application *app);
char *hd__app_pack(char *out, const hd_application *app);
void hd__app_unpack(hd_application *app, const char *packed);

#endif
