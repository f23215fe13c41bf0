/*
 * Staff accounts and their sessions (tables staff_user, staff_session of
 * schema 3), in the portable SQL of hd__sql, one text for both backends.
 * The rules about them live in src/staff; here are only the rows.
 */
#include "store/store_int.h"

#define USER_COLS                                                              \
    "username, display_name, role, region, password, totp_secret, "            \
    "totp_last_step, generation, failed_logins, locked_until, disabled_at, "   \
    "created_at, updated_at"

static const char user_add_sql[] =
    "INSERT INTO staff_user (" USER_COLS ") VALUES ($1, $2, $3, $4, $5, $6, "
    "$7, $8, $9, $10, $11, $12, $13)";
static const char user_get_sql[] =
    "SELECT " USER_COLS " FROM staff_user WHERE username = $1";
static const char user_list_sql[] =
    "SELECT " USER_COLS " FROM staff_user ORDER BY username";
static const char user_update_sql[] =
    "UPDATE staff_user SET display_name = $2, role = $3, region = $4, "
    "password = $5, totp_secret = $6, totp_last_step = $7, generation = $8, "
    "disabled_at = $9, updated_at = $10 "
    "WHERE username = $1 AND generation = $11";
static const char user_exists_sql[] =
    "SELECT 1 FROM staff_user WHERE username = $1";
/* Both right-hand sides read the row as it was, on both engines. */
static const char user_failed_sql[] =
    "UPDATE staff_user SET "
    "locked_until = CASE WHEN failed_logins + 1 >= $2 THEN $3 "
    "ELSE locked_until END, "
    "failed_logins = CASE WHEN failed_logins + 1 >= $2 THEN 0 "
    "ELSE failed_logins + 1 END "
    "WHERE username = $1 RETURNING locked_until";
static const char user_totp_step_sql[] =
    "UPDATE staff_user SET totp_last_step = $2 "
    "WHERE username = $1 AND totp_last_step < $2";
static const char user_ok_sql[] =
    "UPDATE staff_user SET failed_logins = 0, locked_until = 0 "
    "WHERE username = $1";
static const char user_rehash_sql[] =
    "UPDATE staff_user SET password = $2 WHERE username = $1";

static const char session_add_sql[] =
    "INSERT INTO staff_session (token_hash, username, generation, "
    "created_at, last_seen, ended_at) VALUES ($1, $2, $3, $4, $5, NULL)";
static const char session_get_sql[] =
    "SELECT s.token_hash, s.username, s.generation, s.created_at, "
    "s.last_seen, s.ended_at, u.username, u.display_name, u.role, u.region, "
    "u.password, u.totp_secret, u.totp_last_step, u.generation, "
    "u.failed_logins, u.locked_until, u.disabled_at, u.created_at, "
    "u.updated_at FROM staff_session s JOIN staff_user u "
    "ON u.username = s.username WHERE s.token_hash = $1";
static const char session_touch_sql[] =
    "UPDATE staff_session SET last_seen = $2 "
    "WHERE token_hash = $1 AND last_seen < $3";
static const char session_end_sql[] =
    "UPDATE staff_session SET ended_at = $2 "
    "WHERE token_hash = $1 AND ended_at IS NULL";
static const char session_exists_sql[] =
    "SELECT 1 FROM staff_session WHERE token_hash = $1";
static const char session_prune_sql[] =
    "DELETE FROM staff_session WHERE ended_at IS NOT NULL "
    "OR created_at < $1";

#define USER_NCOLS 13

static void user_from_cols(hd_staff_row *row, const char *const *c)
{
    row->username = c[0];
    row->display_name = c[1];
    row->role = c[2];
    row->region = c[3];
    row->password = c[4];
    row->totp_secret = c[5];
    row->totp_last_step = hd__sql_int(c[6]);
    row->generation = hd__sql_int(c[7]);
    row->failed_logins = hd__sql_int(c[8]);
    row->locked_until = hd__sql_int(c[9]);
    row->disabled_at = hd__sql_int(c[10]);
    row->created_at = hd__sql_int(c[11]);
    row->updated_at = hd__sql_int(c[12]);
}

static bool user_row_ok(const hd_staff_row *row)
{
    return row && row->username && row->display_name && row->role &&
           row->region && row->password;
}

int hd_casestore_user_add(hd_casestore *cs, const hd_staff_row *row,
                          hd_error *err)
{
    if (!user_row_ok(row))
        return hd_error_set(err, HD_EINVAL, "case store: incomplete account");
    return hd__sql(cs, NULL, NULL, NULL, err, user_add_sql, "ssssssiiiiiii",
                   row->username, row->display_name, row->role, row->region,
                   row->password, row->totp_secret, row->totp_last_step,
                   row->generation, row->failed_logins, row->locked_until,
                   row->disabled_at ? row->disabled_at : (int64_t)0,
                   row->created_at, row->updated_at);
}

typedef struct user_ctx {
    int (*fn)(const hd_staff_row *row, void *payload);
    void *payload;
    bool found;
} user_ctx;

static int user_row(const char *const *cols, int ncols, void *payload)
{
    user_ctx *ctx = payload;
    hd_staff_row row;

    if (ncols < USER_NCOLS)
        return HD_ESTORE;
    user_from_cols(&row, cols);
    ctx->found = true;
    return ctx->fn(&row, ctx->payload);
}

int hd_casestore_user_get(hd_casestore *cs, const char *username,
                          int (*fn)(const hd_staff_row *row, void *payload),
                          void *payload, hd_error *err)
{
    user_ctx ctx = {fn, payload, false};
    int rc;

    if (!username || !fn)
        return hd_error_set(err, HD_EINVAL, "case store: no username");
    rc = hd__sql(cs, user_row, &ctx, NULL, err, user_get_sql, "s", username);
    if (rc == 0 && !ctx.found)
        return hd_error_set(err, HD_ENOTFOUND, "no account %s", username);
    return rc;
}

int hd_casestore_user_list(hd_casestore *cs,
                           int (*fn)(const hd_staff_row *row, void *payload),
                           void *payload, hd_error *err)
{
    user_ctx ctx = {fn, payload, false};

    if (!fn)
        return hd_error_set(err, HD_EINVAL, "case store: no callback");
    return hd__sql_each(cs, user_row, &ctx, err, user_list_sql, "");
}

static int found_row(const char *const *cols, int ncols, void *payload)
{
    (void)cols;
    (void)ncols;
    *(bool *)payload = true;
    return 0;
}

/* After a conditional write that changed nothing: was the row there? */
static int exists(hd_casestore *cs, const char *sql, const char *key, bool *out,
                  hd_error *err)
{
    *out = false;
    return hd__sql(cs, found_row, out, NULL, err, sql, "s", key);
}

int hd_casestore_user_update(hd_casestore *cs, const hd_staff_row *row,
                             int64_t expect_generation, hd_error *err)
{
    int64_t changes = 0;
    bool there;
    int rc;

    if (!user_row_ok(row))
        return hd_error_set(err, HD_EINVAL, "case store: incomplete account");
    rc = hd__sql(cs, NULL, NULL, &changes, err, user_update_sql, "ssssssiiiii",
                 row->username, row->display_name, row->role, row->region,
                 row->password, row->totp_secret, row->totp_last_step,
                 row->generation, row->disabled_at, row->updated_at,
                 expect_generation);
    if (rc || changes)
        return rc;
    if ((rc = exists(cs, user_exists_sql, row->username, &there, err)) != 0)
        return rc;
    if (!there)
        return hd_error_set(err, HD_ENOTFOUND, "no account %s", row->username);
    return hd_error_set(err, HD_ECONFLICT,
                        "account %s was changed by someone else meanwhile",
                        row->username);
}

static int int_row(const char *const *cols, int ncols, void *payload)
{
    if (ncols > 0)
        *(int64_t *)payload = hd__sql_int(cols[0]);
    return 0;
}

int hd_casestore_user_login_failed(hd_casestore *cs, const char *username,
                                   int64_t lock_after, int64_t lock_until,
                                   int64_t *locked_until_out, hd_error *err)
{
    int64_t changes = 0;
    int rc;

    *locked_until_out = 0;
    if (!username)
        return hd_error_set(err, HD_EINVAL, "case store: no username");
    rc = hd__sql(cs, int_row, locked_until_out, &changes, err, user_failed_sql,
                 "sii", username, lock_after, lock_until);
    if (rc == 0 && changes == 0)
        return hd_error_set(err, HD_ENOTFOUND, "no account %s", username);
    return rc;
}

int hd_casestore_user_login_ok(hd_casestore *cs, const char *username,
                               int64_t totp_step, const char *password,
                               hd_error *err)
{
    int64_t changes = 0;
    int rc;

    if (!username)
        return hd_error_set(err, HD_EINVAL, "case store: no username");
    if (totp_step > 0) {
        rc = hd__sql(cs, NULL, NULL, &changes, err, user_totp_step_sql, "si",
                     username, totp_step);
        if (rc)
            return rc;
        if (changes == 0)
            return hd_error_set(err, HD_ECONFLICT,
                                "one-time code already used");
    }
    rc = hd__sql(cs, NULL, NULL, &changes, err, user_ok_sql, "s", username);
    if (rc == 0 && changes == 0)
        return hd_error_set(err, HD_ENOTFOUND, "no account %s", username);
    if (rc == 0 && password)
        rc = hd__sql(cs, NULL, NULL, NULL, err, user_rehash_sql, "ss", username,
                     password);
    return rc;
}

int hd_casestore_session_add(hd_casestore *cs, const hd_session_row *row,
                             hd_error *err)
{
    if (!row || !row->token_hash || !row->username)
        return hd_error_set(err, HD_EINVAL, "case store: incomplete session");
    return hd__sql(cs, NULL, NULL, NULL, err, session_add_sql, "ssiii",
                   row->token_hash, row->username, row->generation,
                   row->created_at, row->last_seen);
}

typedef struct session_ctx {
    int (*fn)(const hd_session_row *session, const hd_staff_row *user,
              void *payload);
    void *payload;
    bool found;
} session_ctx;

static int session_row(const char *const *c, int ncols, void *payload)
{
    session_ctx *ctx = payload;
    hd_session_row s;
    hd_staff_row u;

    if (ncols < 6 + USER_NCOLS)
        return HD_ESTORE;
    s.token_hash = c[0];
    s.username = c[1];
    s.generation = hd__sql_int(c[2]);
    s.created_at = hd__sql_int(c[3]);
    s.last_seen = hd__sql_int(c[4]);
    s.ended_at = hd__sql_int(c[5]);
    user_from_cols(&u, c + 6);
    ctx->found = true;
    return ctx->fn(&s, &u, ctx->payload);
}

int hd_casestore_session_get(hd_casestore *cs, const char *token_hash,
                             int (*fn)(const hd_session_row *session,
                                       const hd_staff_row *user, void *payload),
                             void *payload, hd_error *err)
{
    session_ctx ctx = {fn, payload, false};
    int rc;

    if (!token_hash || !fn)
        return hd_error_set(err, HD_EINVAL, "case store: no session");
    rc = hd__sql(cs, session_row, &ctx, NULL, err, session_get_sql, "s",
                 token_hash);
    if (rc == 0 && !ctx.found)
        return hd_error_set(err, HD_ENOTFOUND, "no such session");
    return rc;
}

int hd_casestore_session_touch(hd_casestore *cs, const char *token_hash,
                               int64_t now, int64_t before, hd_error *err)
{
    if (!token_hash)
        return hd_error_set(err, HD_EINVAL, "case store: no session");
    return hd__sql(cs, NULL, NULL, NULL, err, session_touch_sql, "sii",
                   token_hash, now, before);
}

int hd_casestore_session_end(hd_casestore *cs, const char *token_hash,
                             int64_t now, bool *ended, hd_error *err)
{
    int64_t changes = 0;
    bool there;
    int rc;

    if (ended)
        *ended = false;
    if (!token_hash)
        return hd_error_set(err, HD_EINVAL, "case store: no session");
    rc = hd__sql(cs, NULL, NULL, &changes, err, session_end_sql, "si",
                 token_hash, now);
    if (rc)
        return rc;
    if (changes) {
        if (ended)
            *ended = true;
        return 0;
    }
    if ((rc = exists(cs, session_exists_sql, token_hash, &there, err)) != 0)
        return rc;
    return there ? 0 : hd_error_set(err, HD_ENOTFOUND, "no such session");
}

int hd_casestore_session_prune(hd_casestore *cs, int64_t created_before,
                               int64_t *count_out, hd_error *err)
{
    int64_t changes = 0;
    int rc = hd__sql(cs, NULL, NULL, &changes, err, session_prune_sql, "i",
                     created_before);

    if (count_out)
        *count_out = rc ? 0 : changes;
    return rc;
}
