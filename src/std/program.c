/* The assistance programs of spec rules.md section 6, by name. */
#include <hedui/std.h>

#include <string.h>

static const char *const program_names[HD_PROGRAM_COUNT_] = {
    [HD_PROGRAM_DIBAO] = "dibao",
    [HD_PROGRAM_LOW_INCOME] = "low_income",
    [HD_PROGRAM_EXPENDITURE_HARDSHIP] = "expenditure_hardship",
    [HD_PROGRAM_TEKUN] = "tekun",
    [HD_PROGRAM_MEDICAL_AID] = "medical_aid",
};

const char *hd_program_name(hd_program program)
{
    if ((unsigned)program >= HD_PROGRAM_COUNT_)
        return "unknown";
    return program_names[program];
}

int hd_program_find(const char *name, size_t len)
{
    for (int i = 0; i < HD_PROGRAM_COUNT_; i++) {
        if (strlen(program_names[i]) == len &&
            !memcmp(program_names[i], name, len))
            return i;
    }
    return -1;
}
