/* Names of the codes, conclusions, levels and figures of a result. */
#include <hedui/verify.h>

const char *hd_conclusion_name(hd_conclusion c)
{
    switch (c) {
    case HD_CONCLUSION_REFUSED:
        return "refused";
    case HD_CONCLUSION_UNAUTHORIZED:
        return "unauthorized";
    case HD_CONCLUSION_REVIEW:
        return "review";
    case HD_CONCLUSION_FAILS:
        return "fails";
    case HD_CONCLUSION_MEETS:
        return "meets";
    }
    return "?";
}

const char *hd_level_name(hd_level level)
{
    switch (level) {
    case HD_LEVEL_NONE:
        return "none";
    case HD_LEVEL_DIBAO:
        return "dibao";
    case HD_LEVEL_LOW_INCOME:
        return "low_income";
    case HD_LEVEL_EXPENDITURE_HARDSHIP:
        return "expenditure_hardship";
    }
    return "?";
}

/* In the enum's order, which is the sorted order of the names. */
static const char *const code_names[HD_CODE_COUNT_] = {
    [HD_FAIL_ENTERPRISE] = "ENTERPRISE",
    [HD_FAIL_FINANCIAL_ASSETS] = "FINANCIAL_ASSETS",
    [HD_FAIL_HOMES] = "HOMES",
    [HD_FAIL_HOME_AREA] = "HOME_AREA",
    [HD_FAIL_INCOME] = "INCOME",
    [HD_FAIL_INCOME_AFTER_EXPENDITURE] = "INCOME_AFTER_EXPENDITURE",
    [HD_FAIL_NONRESIDENTIAL] = "NONRESIDENTIAL",
    [HD_FAIL_NOT_SINGLE] = "NOT_SINGLE",
    [HD_FAIL_NO_RIGID_EXPENDITURE] = "NO_RIGID_EXPENDITURE",
    [HD_FAIL_VEHICLE] = "VEHICLE",
    [HD_FAIL_WORK_CAPACITY] = "WORK_CAPACITY",
    [HD_FIND_APPLICATION_INVALID] = "APPLICATION_INVALID",
    [HD_FIND_FEED_NOT_DELIVERED] = "FEED_NOT_DELIVERED",
    [HD_FIND_MEMBER_DECEASED] = "MEMBER_DECEASED",
    [HD_FIND_MEMBER_NOT_IN_HUKOU] = "MEMBER_NOT_IN_HUKOU",
    [HD_FIND_NO_AUTHORIZATION] = "NO_AUTHORIZATION",
    [HD_FIND_PID_INVALID] = "PID_INVALID",
    [HD_FIND_RELATION_MISMATCH] = "RELATION_MISMATCH",
    [HD_FIND_SUPPORTER_CHECK] = "SUPPORTER_CHECK",
    [HD_FIND_UNDECLARED_SPOUSE] = "UNDECLARED_SPOUSE",
};

static const char *const code_titles_zh[HD_CODE_COUNT_] = {
    [HD_FAIL_ENTERPRISE] = "家庭成员持有超过限额的企业出资",
    [HD_FAIL_FINANCIAL_ASSETS] = "家庭人均金融资产超过标准",
    [HD_FAIL_HOMES] = "家庭住房套数超过标准",
    [HD_FAIL_HOME_AREA] = "家庭人均住房面积超过标准",
    [HD_FAIL_INCOME] = "家庭人均月收入超过标准",
    [HD_FAIL_INCOME_AFTER_EXPENDITURE] = "扣除刚性支出后家庭人均月收入超过标准",
    [HD_FAIL_NONRESIDENTIAL] = "家庭成员拥有非住宅类房产",
    [HD_FAIL_NOT_SINGLE] = "不是单人户",
    [HD_FAIL_NO_RIGID_EXPENDITURE] = "没有刚性支出",
    [HD_FAIL_VEHICLE] = "家庭成员拥有计入的机动车辆",
    [HD_FAIL_WORK_CAPACITY] = "具有劳动能力",
    [HD_FIND_APPLICATION_INVALID] = "申请信息不符合要求",
    [HD_FIND_FEED_NOT_DELIVERED] = "有部门数据尚未报送",
    [HD_FIND_MEMBER_DECEASED] = "家庭成员已死亡",
    [HD_FIND_MEMBER_NOT_IN_HUKOU] = "未查到家庭成员的户籍登记",
    [HD_FIND_NO_AUTHORIZATION] = "家庭成员未有效授权",
    [HD_FIND_PID_INVALID] = "身份证号码无效",
    [HD_FIND_RELATION_MISMATCH] = "申报的家庭关系与户籍登记不一致",
    [HD_FIND_SUPPORTER_CHECK] = "法定赡养、抚养、扶养义务人情况需工作人员核查",
    [HD_FIND_UNDECLARED_SPOUSE] = "有未申报的在世配偶",
};

const char *hd_code_name(hd_code code)
{
    if ((int)code < 0 || code >= HD_CODE_COUNT_)
        return "?";
    return code_names[code];
}

const char *hd_code_title_zh(hd_code code)
{
    if ((int)code < 0 || code >= HD_CODE_COUNT_)
        return "?";
    return code_titles_zh[code];
}

const char *hd_figure_name(hd_figure_id id)
{
    static const char *const names[HD_FIGURE_COUNT_] = {
        [HD_FIGURE_INCOME] = "income",
        [HD_FIGURE_EXPENDITURE] = "expenditure",
        [HD_FIGURE_FINANCIAL_ASSETS] = "financial_assets",
        [HD_FIGURE_HOMES] = "homes",
        [HD_FIGURE_VEHICLES] = "vehicles",
        [HD_FIGURE_NONRESIDENTIAL] = "nonresidential",
        [HD_FIGURE_ENTERPRISE] = "enterprise",
        [HD_FIGURE_FAMILY] = "family",
    };
    if ((int)id < 0 || id >= HD_FIGURE_COUNT_)
        return "?";
    return names[id];
}
