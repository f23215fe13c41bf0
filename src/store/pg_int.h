/*
 * The PostgreSQL backend's helpers, shared by pg.c (connection, schema,
 * transactions) and the files serving each area of the case store
 * (pg_<area>.c), as the SQLite backend's are by sqlite.c.
 *
 * Every statement goes through hd__pg_query or hd__pg_each, which first
 * send the rows waiting in COPY buffers (hd__pg_copy_row): a bulk writer
 * (quarantine, a roll's audit entries and verifications) queues rows, and
 * anything that reads or writes afterwards on the same connection sees
 * them. Errors name the SQLSTATE class: a unique violation is HD_EEXISTS,
 * another constraint HD_EINVAL, a serialization failure or deadlock
 * HD_ECONFLICT, a lost connection HD_EIO.
 */
#ifndef HEDUI_STORE_PG_INT_H
#define HEDUI_STORE_PG_INT_H

#include "store/store_int.h"

#include <libpq-fe.h>

/* Map a failed result (or, with res NULL, the connection's last error) to
 * an hd error: "case store: <what>: <server message>". */
int hd__pg_error(hd_casestore *cs, const PGresult *res, hd_error *err,
                 const char *what);

/*
 * Run `sql` with `n` text parameters (NUL-terminated; NULL values are
 * SQL NULL). The statement is
 * prepared once per connection (found by the address of `sql`, which
 * must live as long as the program) and executed. *out gets the result
 * on success (PQclear it), or is NULL when `out` is NULL (the result is
 * dropped). Commands and queries both end here.
 */
int hd__pg_query(hd_casestore *cs, const char *sql, int n,
                 const char *const *values, PGresult **out, hd_error *err);

/* Statements without parameters, several at once (the simple query
 * protocol), after the COPY buffers are sent. */
int hd__pg_exec(hd_casestore *cs, const char *sql, hd_error *err);

/*
 * A query whose rows may be many: read through a cursor, `batch` rows a
 * round trip (0: 10 000), so that memory stays small and `fn` may use
 * the store (other statements run between fetches). Inside the caller's
 * transaction, or in a read-only one of its own. fn(res, row, payload)
 * returns non-zero to stop (returned).
 */
int hd__pg_each(hd_casestore *cs, const char *sql, int n,
                const char *const *values, int batch,
                int (*fn)(const PGresult *res, int row, void *payload),
                void *payload, hd_error *err);

/*
 * Atomic steps: a write made of several statements runs in the caller's
 * transaction, or in one of its own when there is none. begin returns 0
 * or an error; end commits its own transaction when rc is 0, rolls it
 * back otherwise, and returns rc or the commit's error. Inside the
 * caller's transaction an error fails that whole transaction (that is
 * PostgreSQL's rule), which the caller rolls back as after any error:
 * no savepoint is paid for on every one of a roll's million writes.
 */
int hd__pg_atomic_begin(hd_casestore *cs, hd_error *err);
int hd__pg_atomic_end(hd_casestore *cs, int rc, hd_error *err);

/*
 * COPY buffers: rows for `copy_sql` ("COPY table (columns) FROM STDIN"),
 * in COPY's text format, sent when the buffer is large, before the next
 * statement on the connection, and at commit; outside
 * a transaction, at once. A buffer belongs to the
 * store; `copy_sql` must live as long as the program. Add fields with
 * hd__pg_copy_text/int/null/bytea, then end the row.
 */
hd_buf *hd__pg_copy_buffer(hd_casestore *cs, const char *copy_sql,
                           hd_error *err);
void hd__pg_copy_text(hd_buf *b, const char *s, size_t len);
void hd__pg_copy_int(hd_buf *b, int64_t v);
void hd__pg_copy_null(hd_buf *b);
void hd__pg_copy_bytea(hd_buf *b, const void *data, size_t len);
int hd__pg_copy_row_end(hd_casestore *cs, hd_buf *b, hd_error *err);
/* Send every waiting COPY buffer now. */
int hd__pg_copy_flush(hd_casestore *cs, hd_error *err);

/* Values from a result: text ("" for NULL), NULL-preserving text, int. */
const char *hd__pg_text(const PGresult *res, int row, int col);
const char *hd__pg_opt_text(const PGresult *res, int row, int col);
int64_t hd__pg_int(const PGresult *res, int row, int col);

/* A number as text for a parameter (buf of 24 bytes). */
const char *hd__pg_itoa(char buf[24], int64_t v);

/* hd__sql on PostgreSQL (pg_sql.c). */
int hd__pg_sql(hd_casestore *cs, const char *sql, int n,
               const hd__sql_arg *args, bool many,
               int (*fn)(const char *const *cols, int ncols, void *payload),
               void *payload, int64_t *changes, hd_error *err);

/* The areas' operations (pg_ingest.c, pg_policy.c, pg_consent.c,
 * pg_verify.c), put in the backend's table by pg.c. */
int hd__pg_log_ingest(hd_casestore *cs, const hd_ingest_log *log,
                      hd_error *err);
int hd__pg_delivery_accepted(hd_casestore *cs, const char *delivery_id,
                             hd_error *err);
int hd__pg_quarantine_add(hd_casestore *cs, const hd_quarantine_row *row,
                          hd_error *err);
int hd__pg_quarantine_list(hd_casestore *cs, const char *delivery_id,
                           int (*fn)(const hd_quarantine_row *row,
                                     void *payload),
                           void *payload, hd_error *err);
int hd__pg_feed_status(hd_casestore *cs, hd_feed_status *out, int out_count,
                       hd_error *err);
int hd__pg_ingest_logs(hd_casestore *cs,
                       int (*fn)(const hd_ingest_log *log, void *payload),
                       void *payload, hd_error *err);
int hd__pg_policy_put(hd_casestore *cs, int64_t *version_out,
                      const char *source, const char *sha256,
                      const char *content, int64_t imported_at, hd_error *err);
int hd__pg_policy_get(hd_casestore *cs, char **out, int64_t *version_out,
                      int64_t version, hd_error *err);
int hd__pg_application_put(hd_casestore *cs, const hd_application_row *row,
                           bool *stored, hd_error *err);
int hd__pg_application_put_many(hd_casestore *cs,
                                const hd_application_row *rows, int count,
                                int *rcs, bool *stored, hd_error *err);
int hd__pg_application_get(hd_casestore *cs, const char *application_no,
                           int (*fn)(const hd_application_row *row,
                                     void *payload),
                           void *payload, hd_error *err);
int hd__pg_consent_put(hd_casestore *cs, const hd_consent_row *row,
                       bool *stored, hd_error *err);
int hd__pg_consent_put_many(hd_casestore *cs, const hd_consent_row *rows,
                            int count, int *rcs, bool *stored, hd_error *err);
int hd__pg_consent_revoke(hd_casestore *cs, const char *authorization_id,
                          int64_t at, const char *reason, hd_error *err);
int hd__pg_consents(hd_casestore *cs, const char *pid,
                    int (*fn)(const hd_consent_row *row, void *payload),
                    void *payload, hd_error *err);
int hd__pg_audit_add(hd_casestore *cs, const hd_audit_entry *entry,
                     hd_error *err);
int hd__pg_audit_list(hd_casestore *cs, const char *case_no,
                      int (*fn)(int64_t id, const hd_audit_entry *entry,
                                void *payload),
                      void *payload, hd_error *err);
int hd__pg_verification_add(hd_casestore *cs, const hd_verification_row *row,
                            hd_error *err);
int hd__pg_verification_latest(hd_casestore *cs, const char *application_no,
                               int (*fn)(const hd_verification_row *row,
                                         void *payload),
                               void *payload, hd_error *err);

#endif
