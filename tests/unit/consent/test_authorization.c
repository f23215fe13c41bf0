/*
 * Authorizations: parsing (errors name the field), signatures (any change
 * to a signed field breaks them; order and spacing do not), the trust
 * list, the node key file, and the consent gate's test.
 */
#include "testutil.h"

#include <hedui/consent.h>

#include <jansson.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

/* Citizen IDs with correct check characters (ISO 7064 MOD 11-2). */
static const char *pid_of(char out[19], const char *first17)
{
    memcpy(out, first17, 17);
    out[17] = hd_pid_check_char(first17);
    out[18] = '\0';
    return out;
}

static char pid_a[19], pid_b[19], pid_x[19];

/* A record in the generator's form; %s slots: pid, signed_by, purpose,
 * scope, valid_from, valid_until, signature. */
static char *record(const char *pid, const char *purpose, const char *scope,
                    const char *from, const char *until, const char *sig)
{
    static char buf[2048];
    snprintf(buf, sizeof(buf),
             "{\"authorization_id\":\"AUTH-1\",\"pid\":\"%s\","
             "\"signed_by\":\"%s\",\"purpose\":%s,\"scope\":%s,"
             "\"valid_from\":\"%s\",\"valid_until\":\"%s\","
             "\"issued_by\":\"330106\",\"signature\":\"%s\"}",
             pid, pid, purpose, scope, from, until, sig);
    return buf;
}

static const char *plain(void)
{
    return record(pid_a, "[\"dibao\",\"low_income\"]", "[\"*\"]", "2026-11-20",
                  "2027-11-19", "");
}

static int setup(void **state)
{
    (void)state;
    pid_of(pid_a, "33010619800101123");
    pid_of(pid_b, "11010119900202234");
    /* An ID ending in X, for the lowercase spelling. */
    for (int seq = 100; seq < 999; seq++) {
        char first[18];
        snprintf(first, sizeof(first), "33010619850505%03d", seq);
        if (hd_pid_check_char(first) == 'X') {
            pid_of(pid_x, first);
            break;
        }
    }
    assert_int_equal(pid_x[17], 'X');
    return 0;
}

static void node_key(hd_node_key *key, uint8_t fill)
{
    uint8_t seed[HD_ED25519_SEED_LEN];
    memset(seed, fill, sizeof(seed));
    assert_int_equal(hd_node_key_from_seed(key, seed, NULL), 0);
}

static int parse(hd_authorization_doc *doc, const char *text, hd_error *err)
{
    hd_error_clear(err);
    return hd_authorization_parse(doc, text, strlen(text), err);
}

/* ------------------------------------------------------------- parsing */

static void parses_the_feeds_md_form(void **state)
{
    hd_authorization_doc doc;
    hd_error err;
    char lower[19];

    (void)state;
    hd_authorization_doc_init(&doc);
    memcpy(lower, pid_x, 19);
    lower[17] = 'x';
    assert_int_equal(
        parse(&doc,
              record(lower, "[\"dibao\",\"wubao\",\"medical_aid\"]",
                     "[\"hukou\",\"tax_income\"]", "2026-01-01", "2026-12-31",
                     ""),
              &err),
        0);
    assert_string_equal(doc.auth.authorization_id, "AUTH-1");
    assert_string_equal(doc.auth.pid, pid_x); /* normalised */
    assert_string_equal(doc.auth.signed_by, pid_x);
    /* wubao is kept in the text but grants nothing. */
    assert_int_equal(doc.auth.purposes,
                     (1u << HD_PROGRAM_DIBAO) | (1u << HD_PROGRAM_MEDICAL_AID));
    assert_string_equal(doc.purposes.ptr, "dibao,wubao,medical_aid");
    assert_false(doc.auth.scope_all);
    assert_int_equal(doc.auth.scope_feeds,
                     (1u << hd_feed_find("hukou")->id) |
                         (1u << hd_feed_find("tax_income")->id));
    assert_string_equal(doc.scope.ptr, "hukou,tax_income");
    assert_string_equal(doc.auth.issued_by, "330106");
    assert_string_equal(doc.signature, "");
    /* The pid is signed as written. */
    assert_non_null(strstr(doc.canonical.ptr, lower));
    assert_null(strstr(doc.canonical.ptr, "signature"));

    assert_int_equal(parse(&doc, plain(), &err), 0);
    assert_true(doc.auth.scope_all);
    assert_string_equal(doc.scope.ptr, "*");
    hd_authorization_doc_release(&doc);
}

static void expect_error(const char *text, const char *field,
                         const char *reason)
{
    hd_authorization_doc doc;
    hd_error err;

    hd_authorization_doc_init(&doc);
    assert_int_equal(parse(&doc, text, &err), HD_EDATA);
    assert_string_equal(err.field, field);
    if (reason)
        assert_string_equal(err.msg, reason);
    hd_authorization_doc_release(&doc);
}

static void errors_name_the_field(void **state)
{
    char bad_pid[19], text[2048];
    const char *ok_purpose = "[\"dibao\"]", *ok_scope = "[\"*\"]";

    (void)state;
    memcpy(bad_pid, pid_a, 19);
    bad_pid[17] = bad_pid[17] == '0' ? '1' : '0';
    expect_error(
        record(bad_pid, ok_purpose, ok_scope, "2026-01-01", "2026-12-31", ""),
        "pid", "check character");
    expect_error(
        record(pid_a, "\"dibao\"", ok_scope, "2026-01-01", "2026-12-31", ""),
        "purpose", "not an array");
    expect_error(record(pid_a, "[]", ok_scope, "2026-01-01", "2026-12-31", ""),
                 "purpose", "no purpose");
    expect_error(record(pid_a, "[\"dibao\",3]", ok_scope, "2026-01-01",
                        "2026-12-31", ""),
                 "purpose[1]", "not a string");
    expect_error(record(pid_a, ok_purpose, "[\"hukou\",\"weather\"]",
                        "2026-01-01", "2026-12-31", ""),
                 "scope[1]", "unknown feed");
    expect_error(
        record(pid_a, ok_purpose, "[]", "2026-01-01", "2026-12-31", ""),
        "scope", "no scope");
    expect_error(
        record(pid_a, ok_purpose, ok_scope, "2026-02-30", "2026-12-31", ""),
        "valid_from", NULL);
    expect_error(
        record(pid_a, ok_purpose, ok_scope, "2026-01-02", "2026-01-01", ""),
        "valid_until", "before valid_from");

    snprintf(text, sizeof(text),
             "{\"authorization_id\":\"A\",\"pid\":\"%s\",\"signed_by\":\"%s\","
             "\"purpose\":[\"dibao\"],\"scope\":[\"*\"],\"valid_from\":"
             "\"2026-01-01\",\"valid_until\":\"2026-01-01\",\"issued_by\":"
             "\"33010\"}",
             pid_a, pid_a);
    expect_error(text, "issued_by", "not a 6-digit division code");
    snprintf(text, sizeof(text),
             "{\"pid\":\"%s\",\"signed_by\":\"%s\","
             "\"purpose\":[\"dibao\"],\"scope\":[\"*\"],\"valid_from\":"
             "\"2026-01-01\",\"valid_until\":\"2026-01-01\",\"issued_by\":"
             "\"330106\"}",
             pid_a, pid_a);
    expect_error(text, "authorization_id", "missing");
    snprintf(text, sizeof(text),
             "{\"authorization_id\":\"A\",\"pid\":\"%s\",\"signed_by\":7,"
             "\"purpose\":[\"dibao\"],\"scope\":[\"*\"],\"valid_from\":"
             "\"2026-01-01\",\"valid_until\":\"2026-01-01\",\"issued_by\":"
             "\"330106\"}",
             pid_a);
    expect_error(text, "signed_by", "not a string");
    snprintf(text, sizeof(text),
             "{\"authorization_id\":\"A\",\"pid\":\"%s\",\"signed_by\":\"%s\","
             "\"purpose\":[\"dibao\"],\"scope\":[\"*\"],\"valid_from\":"
             "\"2026-01-01\",\"valid_until\":\"2026-01-01\",\"issued_by\":"
             "\"330106\",\"note\":{\"weight\":1.5},\"signature\":\"\"}",
             pid_a, pid_a);
    expect_error(text, "weight", NULL);
}

static void not_json_or_not_an_object(void **state)
{
    hd_authorization_doc doc;
    hd_error err;

    (void)state;
    hd_authorization_doc_init(&doc);
    assert_int_equal(parse(&doc, "{\"authorization_id\":", &err), HD_EDATA);
    assert_int_equal(parse(&doc, "[1,2]", &err), HD_EDATA);
    /* Duplicate members would make the signed bytes ambiguous. */
    assert_int_equal(parse(&doc, "{\"a\":1,\"a\":2}", &err), HD_EDATA);
    hd_authorization_doc_release(&doc);
}

/* ---------------------------------------------------------- signatures */

static void signed_record_verifies_and_reparses(void **state)
{
    hd_authorization_doc doc, again;
    hd_node_key key;
    hd_buf json;
    hd_error err;
    const char *signer = NULL;

    (void)state;
    node_key(&key, 1);
    hd_authorization_doc_init(&doc);
    hd_authorization_doc_init(&again);
    hd_buf_init(&json, 0);
    assert_int_equal(parse(&doc, plain(), &err), 0);
    assert_int_equal(hd_authorization_accept(&doc, &key, NULL, &err), 0);
    assert_int_equal(strlen(doc.signature), 88);
    assert_int_equal(hd_authorization_signed_json(&json, &doc, &err), 0);
    /* The stored form is canonical: sorted, signature in its place. */
    {
        const char *head = "{\"authorization_id\":\"AUTH-1\","
                           "\"issued_by\":\"330106\",";
        assert_int_equal(strncmp(json.ptr, head, strlen(head)), 0);
    }
    assert_non_null(strstr(json.ptr, "\"signature\":\""));
    assert_int_equal(parse(&again, json.ptr, &err), 0);
    assert_int_equal(hd_authorization_verify(&again, &key, NULL, &signer, &err),
                     0);
    assert_string_equal(signer, key.node_id);
    /* Accepting the signed record keeps its signature. */
    assert_int_equal(hd_authorization_accept(&again, &key, NULL, &err), 0);
    assert_string_equal(again.signature, doc.signature);
    hd_buf_release(&json);
    hd_authorization_doc_release(&doc);
    hd_authorization_doc_release(&again);
}

/* Replace the first `from` in `text` with `to`. */
static char *replaced(const char *text, const char *from, const char *to)
{
    static char out[4096];
    const char *at = strstr(text, from);
    size_t head;

    assert_non_null(at);
    head = (size_t)(at - text);
    snprintf(out, sizeof(out), "%.*s%s%s", (int)head, text, to,
             at + strlen(from));
    return out;
}

static void any_change_breaks_the_signature(void **state)
{
    hd_authorization_doc doc;
    hd_node_key key;
    hd_buf json;
    hd_error err;
    char signed_text[4096], other_pid[19];
    struct {
        const char *from, *to;
    } changes[] = {
        {"\"AUTH-1\"", "\"AUTH-2\""},
        {"\"330106\"", "\"330102\""},
        {"\"dibao\"", "\"tekun\""},
        {",\"low_income\"", ""},
        {"[\"*\"]", "[\"hukou\"]"},
        {"2026-11-20", "2026-11-19"},
        {"2027-11-19", "2027-11-20"},
        {"\"issued_by\"", "\"extra\":1,\"issued_by\""},
    };

    (void)state;
    node_key(&key, 2);
    hd_authorization_doc_init(&doc);
    hd_buf_init(&json, 0);
    assert_int_equal(parse(&doc, plain(), &err), 0);
    assert_int_equal(hd_authorization_sign(&doc, &key, &err), 0);
    assert_int_equal(hd_authorization_signed_json(&json, &doc, &err), 0);
    snprintf(signed_text, sizeof(signed_text), "%s", json.ptr);

    for (size_t i = 0; i < sizeof(changes) / sizeof(changes[0]); i++) {
        const char *t = replaced(signed_text, changes[i].from, changes[i].to);
        assert_int_equal(parse(&doc, t, &err), 0);
        assert_int_equal(hd_authorization_verify(&doc, &key, NULL, NULL, &err),
                         HD_EDATA);
        assert_string_equal(err.field, "signature");
    }
    /* The pid and the signer. */
    pid_of(other_pid, "33010619800101124");
    assert_int_equal(parse(&doc, replaced(signed_text, pid_a, other_pid), &err),
                     0);
    assert_int_equal(hd_authorization_verify(&doc, &key, NULL, NULL, &err),
                     HD_EDATA);
    /* Another spelling of the same pid is another text: it breaks too. */
    /* Order and spacing do not matter. */
    {
        char spaced[4096];
        json_t *v = json_loads(signed_text, 0, NULL);
        char *dumped = json_dumps(v, JSON_INDENT(3));
        snprintf(spaced, sizeof(spaced), "%s", dumped);
        free(dumped);
        json_decref(v);
        assert_int_equal(parse(&doc, spaced, &err), 0);
        assert_int_equal(hd_authorization_verify(&doc, &key, NULL, NULL, &err),
                         0);
    }
    /* A signature that is not base64 of 64 bytes. */
    assert_int_equal(parse(&doc,
                           record(pid_a, "[\"dibao\"]", "[\"*\"]", "2026-01-01",
                                  "2026-01-02", "bm90IGEgc2lnbmF0dXJl"),
                           &err),
                     0);
    assert_int_equal(hd_authorization_accept(&doc, &key, NULL, &err), HD_EDATA);
    assert_string_equal(err.field, "signature");
    hd_buf_release(&json);
    hd_authorization_doc_release(&doc);
}

static void other_nodes_need_the_trust_list(void **state)
{
    hd_authorization_doc doc;
    hd_node_key own, other;
    hd_trust_list tl;
    hd_buf json, line;
    hd_error err;
    const char *dir = tu_tempdir(), *path, *signer = NULL;
    char text[512];

    (void)state;
    node_key(&own, 3);
    node_key(&other, 4);
    hd_authorization_doc_init(&doc);
    hd_trust_list_init(&tl);
    hd_buf_init(&json, 0);
    hd_buf_init(&line, 0);
    assert_int_equal(parse(&doc, plain(), &err), 0);
    assert_int_equal(hd_authorization_sign(&doc, &other, &err), 0);
    assert_int_equal(hd_authorization_signed_json(&json, &doc, &err), 0);
    assert_int_equal(parse(&doc, json.ptr, &err), 0);

    /* Not trusted: rejected on the signature. */
    assert_int_equal(hd_authorization_accept(&doc, &own, &tl, &err), HD_EDATA);
    assert_string_equal(err.field, "signature");

    /* A trust list file with the other node's line. */
    assert_int_equal(hd_node_key_trust_line(&line, &other), 0);
    snprintf(text, sizeof(text),
             "# nodes of the network\n\n%s Hangzhou Shangcheng node\n",
             line.ptr);
    path = tu_write_file(dir, "trust.txt", text);
    assert_int_equal(hd_trust_list_load(&tl, path, &err), 0);
    assert_int_equal(tl.count, 1);
    assert_string_equal(tl.keys[0].node_id, other.node_id);
    assert_int_equal(hd_authorization_verify(&doc, &own, &tl, &signer, &err),
                     0);
    assert_string_equal(signer, other.node_id);
    assert_int_equal(hd_authorization_accept(&doc, &own, &tl, &err), 0);

    /* A bad line is reported with its number. */
    hd_trust_list_release(&tl);
    path = tu_write_file(dir, "bad.txt", "# x\nnode-1 bm90IGEga2V5 comment\n");
    hd_error_clear(&err);
    assert_int_equal(hd_trust_list_load(&tl, path, &err), HD_EDATA);
    assert_int_equal(err.line, 2);
    path = tu_write_file(dir, "bad2.txt", "node-1\n");
    assert_int_equal(hd_trust_list_load(&tl, path, &err), HD_EDATA);
    assert_int_equal(err.line, 1);

    hd_buf_release(&json);
    hd_buf_release(&line);
    hd_trust_list_release(&tl);
    hd_authorization_doc_release(&doc);
    tu_rmtree(dir);
}

static void node_key_file_is_made_private_and_reloads(void **state)
{
    const char *dir = tu_tempdir();
    char path[4200];
    hd_node_key a, b;
    bool created = false;
    struct stat st;
    hd_error err;

    (void)state;
    snprintf(path, sizeof(path), "%s/node.key", dir);
    hd_error_clear(&err);
    assert_int_equal(hd_node_key_load(&a, &created, path, &err), 0);
    assert_true(created);
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    assert_int_equal(strncmp(a.node_id, "node-", 5), 0);
    assert_int_equal(strlen(a.node_id), 21);
    assert_int_equal(hd_node_key_load(&b, &created, path, &err), 0);
    assert_false(created);
    assert_string_equal(a.node_id, b.node_id);
    assert_memory_equal(a.secret_key, b.secret_key, sizeof(a.secret_key));

    /* Readable by others: refused. */
    assert_int_equal(chmod(path, 0644), 0);
    assert_int_equal(hd_node_key_load(&b, &created, path, &err), HD_EINVAL);
    assert_int_equal(chmod(path, 0640), 0);
    assert_int_equal(hd_node_key_load(&b, &created, path, &err), HD_EINVAL);

    /* Not a key file. */
    snprintf(path, sizeof(path), "%s/bad.key", dir);
    tu_write_file(dir, "bad.key", "hedui-node-key-1\nabcd\n");
    assert_int_equal(chmod(path, 0600), 0);
    assert_int_equal(hd_node_key_load(&b, &created, path, &err), HD_EDATA);
    hd_node_key_wipe(&a);
    hd_node_key_wipe(&b);
    tu_rmtree(dir);
}

/* ------------------------------------------------------------- covers */

static hd_authorization base_auth(void)
{
    hd_authorization a;
    memset(&a, 0, sizeof(a));
    memcpy(a.pid, pid_a, 19);
    a.purposes = 1u << HD_PROGRAM_DIBAO | 1u << HD_PROGRAM_LOW_INCOME;
    a.scope_all = true;
    hd_date_from_ymd(&a.valid_from, 2026, 11, 20);
    hd_date_from_ymd(&a.valid_until, 2027, 11, 19);
    return a;
}

static void covers_both_ends_inclusive(void **state)
{
    hd_authorization a = base_auth();
    uint32_t mask = hd_verify_feed_mask();
    int32_t from = a.valid_from, until = a.valid_until;

    (void)state;
    assert_true(
        hd_authorization_covers(&a, pid_a, HD_PROGRAM_DIBAO, mask, from));
    assert_true(
        hd_authorization_covers(&a, pid_a, HD_PROGRAM_DIBAO, mask, until));
    assert_false(
        hd_authorization_covers(&a, pid_a, HD_PROGRAM_DIBAO, mask, from - 1));
    assert_false(
        hd_authorization_covers(&a, pid_a, HD_PROGRAM_DIBAO, mask, until + 1));
    /* Another person, another program. */
    assert_false(
        hd_authorization_covers(&a, pid_b, HD_PROGRAM_DIBAO, mask, from));
    assert_false(
        hd_authorization_covers(&a, pid_a, HD_PROGRAM_TEKUN, mask, from));
    assert_true(
        hd_authorization_covers(&a, pid_a, HD_PROGRAM_LOW_INCOME, mask, from));
    a.revoked = true;
    assert_false(
        hd_authorization_covers(&a, pid_a, HD_PROGRAM_DIBAO, mask, from));
}

static void covers_scope_lists(void **state)
{
    hd_authorization a = base_auth();
    uint32_t mask = hd_verify_feed_mask();
    const hd_feed *unemp = hd_feed_find("unemployment");
    int32_t on = a.valid_from;

    (void)state;
    assert_non_null(unemp);
    /* The mask is every feed but unemployment. */
    for (int i = 0; i < hd_feed_count; i++)
        assert_int_equal((mask >> hd_feeds[i].id) & 1, &hd_feeds[i] != unemp);
    a.scope_all = false;
    a.scope_feeds = mask; /* every feed read, without unemployment */
    assert_true(hd_authorization_covers(&a, pid_a, HD_PROGRAM_DIBAO, mask, on));
    a.scope_feeds = mask | 1u << unemp->id; /* with it */
    assert_true(hd_authorization_covers(&a, pid_a, HD_PROGRAM_DIBAO, mask, on));
    a.scope_feeds = mask & ~(1u << hd_feed_find("deposit")->id);
    assert_false(
        hd_authorization_covers(&a, pid_a, HD_PROGRAM_DIBAO, mask, on));
    a.scope_feeds = 1u << unemp->id;
    assert_false(
        hd_authorization_covers(&a, pid_a, HD_PROGRAM_DIBAO, mask, on));
}

static void rows_round_trip(void **state)
{
    hd_authorization_doc doc;
    hd_authorization back;
    hd_consent_row row;
    char dates[2][HD_DATE_TEXT_MAX];
    hd_error err;

    (void)state;
    hd_authorization_doc_init(&doc);
    assert_int_equal(parse(&doc,
                           record(pid_a, "[\"tekun\",\"wubao\"]",
                                  "[\"hukou\",\"deposit\",\"unemployment\"]",
                                  "2026-01-01", "2026-06-30", ""),
                           &err),
                     0);
    hd_authorization_row(&row, &doc, dates, "{}", 42);
    assert_string_equal(row.scope, "hukou,deposit,unemployment");
    row.revoked_at = 7;
    assert_int_equal(hd_authorization_from_row(&back, &row, &err), 0);
    assert_string_equal(back.pid, doc.auth.pid);
    assert_string_equal(back.authorization_id, "AUTH-1");
    assert_int_equal(back.purposes, doc.auth.purposes);
    assert_int_equal(back.scope_feeds, doc.auth.scope_feeds);
    assert_false(back.scope_all);
    assert_int_equal(back.valid_from, doc.auth.valid_from);
    assert_int_equal(back.valid_until, doc.auth.valid_until);
    assert_true(back.revoked);
    row.scope = "hukou,nowhere";
    assert_int_equal(hd_authorization_from_row(&back, &row, &err), HD_EDATA);
    hd_authorization_doc_release(&doc);
}

/* Who may sign: the person, a guardian for a minor, or a guardian of an
 * adult without capacity when the record says so; never a minor. */
static int signer_check(const char *pid, const char *signer, const char *extra,
                        hd_error *err)
{
    hd_authorization_doc doc;
    char json[1024];
    int rc;

    snprintf(json, sizeof(json),
             "{\"authorization_id\":\"AUTH-2\",\"pid\":\"%s\","
             "\"signed_by\":\"%s\",\"purpose\":[\"dibao\"],"
             "\"scope\":[\"*\"],\"valid_from\":\"2026-11-20\","
             "\"valid_until\":\"2027-11-19\",\"issued_by\":\"330106\"%s}",
             pid, signer, extra);
    hd_authorization_doc_init(&doc);
    assert_int_equal(parse(&doc, json, err), 0);
    rc = hd_authorization_check_signer(&doc, err);
    hd_authorization_doc_release(&doc);
    return rc;
}

static void signers(void **state)
{
    char child[19], adult[19], turns_18[19];
    hd_error err;

    (void)state;
    pid_of(child, "33010620150101123");    /* 11 on valid_from */
    pid_of(turns_18, "33010620081120123"); /* 18 on valid_from exactly */
    pid_of(adult, "33010619800101123");
    assert_int_equal(signer_check(adult, adult, "", &err), 0);
    assert_int_equal(signer_check(child, adult, "", &err), 0);
    assert_int_equal(signer_check(turns_18, turns_18, "", &err), 0);
    assert_int_equal(signer_check(child, child, "", &err), HD_EDATA);
    assert_string_equal(err.field, "signed_by");
    assert_non_null(strstr(err.msg, "under 18"));
    assert_int_equal(signer_check(adult, child, "", &err), HD_EDATA);
    assert_int_equal(signer_check(adult, pid_b, "", &err), HD_EDATA);
    assert_non_null(strstr(err.msg, "no_capacity"));
    assert_int_equal(
        signer_check(adult, pid_b, ",\"guardian_basis\":\"no_capacity\"", &err),
        0);
    assert_int_equal(
        signer_check(adult, pid_b, ",\"guardian_basis\":\"other\"", &err),
        HD_EDATA);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(parses_the_feeds_md_form),
        cmocka_unit_test(errors_name_the_field),
        cmocka_unit_test(not_json_or_not_an_object),
        cmocka_unit_test(signed_record_verifies_and_reparses),
        cmocka_unit_test(any_change_breaks_the_signature),
        cmocka_unit_test(other_nodes_need_the_trust_list),
        cmocka_unit_test(node_key_file_is_made_private_and_reloads),
        cmocka_unit_test(covers_both_ends_inclusive),
        cmocka_unit_test(covers_scope_lists),
        cmocka_unit_test(rows_round_trip),
        cmocka_unit_test(signers),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
