/*
 * Fuzz target for applications: hd_application_parse on arbitrary bytes.
 * Text it takes must come back either refused with a step, a field and a
 * reason, or whole: a known program, a 6-digit region, a date, 1 to 32
 * members each with a valid normalised pid and a 2-digit relation.
 */
#include <hedui/verify.h>

#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    hd_application app;
    hd_error err;
    int rc;

    hd_error_clear(&err);
    rc = hd_application_parse(&app, (const char *)data, size, &err);
    if (rc) {
        if ((rc != HD_EDATA && rc != HD_ENOMEM) || err.msg[0] == '\0')
            abort();
        return 0;
    }
    if (app.application_no[0] == '\0' || app.member_count < 0 ||
        app.member_count > HD_MAX_MEMBERS)
        abort();
    if (app.refused) {
        if (app.refused_step < HD_REFUSED_STEP_PROGRAM ||
            app.refused_step > HD_REFUSED_STEP_PID ||
            app.refused_step == HD_REFUSED_STEP_POLICY ||
            app.error_field[0] == '\0' || app.error_reason[0] == '\0')
            abort();
    } else {
        if (app.program < 0 || app.program >= HD_PROGRAM_COUNT_ ||
            !hd_region_code_valid(app.region, strlen(app.region)) ||
            app.applied_on == INT32_MIN || app.member_count < 1 ||
            app.refused_step != 0)
            abort();
        for (int i = 0; i < app.member_count; i++) {
            const hd_member *m = &app.members[i];
            char again[HD_PID_LEN + 1];
            if (strlen(m->pid) != HD_PID_LEN ||
                hd_pid_normalize(again, m->pid, HD_PID_LEN, NULL) !=
                    HD_PID_OK ||
                strcmp(again, m->pid) || !hd_is_digit(m->relation[0]) ||
                !hd_is_digit(m->relation[1]) || m->relation[2] || !m->name)
                abort();
        }
    }
    hd_application_release(&app);
    return 0;
}
