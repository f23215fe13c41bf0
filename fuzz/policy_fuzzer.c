/*
 * Fuzz target for the own policy file format: hd_policy_parse_mem on
 * arbitrary bytes. What parses must survive the store form's round trip
 * (write, parse, write gives the same bytes) and resolve without
 * trouble; what does not must fail with HD_EDATA and a line number.
 */
#include <hedui/policy.h>

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const regions[] = {"330106", "330102", "310101",
                                          "110000"};
    hd_policy *p = NULL, *again = NULL;
    hd_buf a, b;
    hd_error err;
    int rc;

    hd_error_clear(&err);
    rc = hd_policy_parse_mem(&p, "fuzz.policy", (const char *)data, size, &err);
    if (rc != 0) {
        if (rc != HD_EDATA || p || err.line <= 0)
            abort();
        return 0;
    }
    hd_buf_init(&a, HD_BUF_DEFAULT_MAX);
    hd_buf_init(&b, HD_BUF_DEFAULT_MAX);
    if (hd_policy_store_write(&a, p, &err) != 0 ||
        hd_policy_store_parse(&again, "s", a.ptr, a.len, &err) != 0 ||
        hd_policy_store_write(&b, again, &err) != 0 || a.len != b.len ||
        memcmp(a.ptr, b.ptr, a.len) != 0)
        abort();
    for (size_t i = 0; i < sizeof(regions) / sizeof(regions[0]); i++) {
        for (int32_t on = 0; on < 40000; on += 4000) {
            hd_params x, y;
            int rx = hd_policy_resolve(&x, p, regions[i], on, NULL);
            int ry = hd_policy_resolve(&y, again, regions[i], on, NULL);
            if ((rx != 0 && rx != HD_ENOTFOUND) || rx != ry ||
                memcmp(&x.v, &y.v, sizeof(x.v)) != 0)
                abort();
        }
    }
    hd_buf_release(&a);
    hd_buf_release(&b);
    hd_policy_free(p);
    hd_policy_free(again);
    return 0;
}
