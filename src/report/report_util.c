/*
 * Wording and number formatting for the reports: the Chinese a reader
 * sees. The stable English names (codes, conclusions, levels, figures,
 * parameters) are verify's and policy's own (hd_code_name, ...).
 */
#include "report_int.h"

#include <hedui/std.h>

#include <stdio.h>
#include <string.h>

/* ------------------------------------------------------------- wording */

/* Neutral names of the tests, for the tests table (the titles above
 * name the failure, which reads wrongly next to 通过). */
static const char *const test_zh[HD_FAIL_COUNT_] = {
    "企业出资",
    "人均金融资产",
    "住房套数",
    "人均住房面积",
    "家庭人均月收入",
    "扣除刚性支出后人均月收入",
    "非住宅房产",
    "家庭人口（须为单人户）",
    "刚性支出（须大于零）",
    "计入的机动车",
    "劳动能力（须无劳动能力）",
};

const char *rp_test_zh(hd_code code)
{
    return (unsigned)code < HD_FAIL_COUNT_ ? test_zh[code]
                                           : hd_code_title_zh(code);
}

const char *rp_conclusion_zh(hd_conclusion c)
{
    static const char *const n[] = {"申请不予核对（申请信息不符合要求）",
                                    "未经授权，未核对", "需人工复核",
                                    "不符合条件", "符合条件"};
    return (unsigned)c < 5 ? n[c] : "?";
}

const char *rp_level_zh(hd_level level)
{
    static const char *const n[] = {"不在救助范围内", "低保", "低保边缘",
                                    "支出型困难"};
    return (unsigned)level < 4 ? n[level] : "?";
}

const char *rp_program_zh(int program)
{
    static const char *const n[] = {"低保", "低保边缘", "支出型困难",
                                    "特困供养", "医疗救助"};
    return program >= 0 && program < HD_PROGRAM_COUNT_ ? n[program]
                                                       : "未知项目";
}

/* GB/T 4761 classes as feeds.md lists them; "02" is the applicant. */
const char *rp_relation_zh(const char *code)
{
    static const struct {
        const char *code;
        const char *zh;
    } t[] = {{"02", "申请人"}, {"10", "配偶"},     {"20", "子"},
             {"30", "女"},     {"40", "孙子女"},   {"50", "父母"},
             {"60", "祖父母"}, {"70", "兄弟姐妹"}, {"80", "其他亲属"},
             {"99", "非亲属"}};
    for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++)
        if (!strcmp(code, t[i].code))
            return t[i].zh;
    return "未知";
}

static const char *const figure_zh[HD_FIGURE_COUNT_] = {
    "收入", "刚性支出",   "金融资产", "住房",
    "车辆", "非住宅房产", "企业",     "家庭状况"};

const char *rp_figure_zh(hd_figure_id id)
{
    return (unsigned)id < HD_FIGURE_COUNT_ ? figure_zh[id] : "?";
}

const char *rp_feed_zh(const hd_feed *feed)
{
    static const char *const n[] = {
        NULL,         "户籍",       "婚姻登记", "死亡火化",
        "个人所得税", "社会保险",   "失业登记", "医疗保障",
        "住房公积金", "不动产登记", "机动车",   "市场主体",
        "银行存款",   "证券",       "商业保险", "残疾人证"};
    if (feed && feed->id < sizeof(n) / sizeof(n[0]) && n[feed->id])
        return n[feed->id];
    return feed ? feed->name : "?";
}

/* Chinese for the code values and notes the asset and source tables
 * show; anything not listed is shown as it is. */
const char *rp_word_zh(const char *word)
{
    static const struct {
        const char *en;
        const char *zh;
    } t[] = {{"residential", "住宅"},
             {"commercial", "商业"},
             {"office", "办公"},
             {"industrial", "工业"},
             {"other", "其他"},
             {"car", "小型汽车"},
             {"truck", "货车"},
             {"motorcycle", "摩托车"},
             {"disability", "残疾人专用车"},
             {"farm", "农用车"},
             {"legal_rep", "法定代表人"},
             {"shareholder", "股东"},
             {"individual", "个体工商户"},
             {"estimated wage", "估算工资"},
             {"contribution deducted", "扣除个人缴费"},
             {"tax deducted", "扣除个人所得税"},
             {"undeclared spouse", "未申报的配偶"},
             {"excluded category", "不计入的收入类别"}};
    for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++)
        if (!strcmp(word, t[i].en))
            return t[i].zh;
    return word;
}

const char *rp_test_unit(hd_code code)
{
    switch (code) {
    case HD_FAIL_INCOME:
    case HD_FAIL_INCOME_AFTER_EXPENDITURE:
    case HD_FAIL_FINANCIAL_ASSETS:
    case HD_FAIL_NO_RIGID_EXPENDITURE:
        return "fen";
    case HD_FAIL_HOME_AREA:
        return "m2x100";
    default:
        return "count";
    }
}

const char *rp_statement_zh(void)
{
    return "本报告所列数据是有关部门登记和报送的记录，是事实；核对结论只是"
           "向民政部门提出的建议。是否给予救助，由民政部门审核后决定。";
}

const char *rp_objection_zh(char *out, size_t len, int days)
{
    snprintf(out, len,
             "如果您认为报告中的信息与实际情况不符，可以在异议期内（自收到"
             "报告之日起%d个工作日内）向出具本报告的单位提出，并尽量附上"
             "相关证明材料。我们会认真复核，并把复核结果告诉您。",
             days > 0 ? days : 5);
    return out;
}

/* ---------------------------------------------------------- formatting */

/* Insert thousands separators into the integer part of a decimal text. */
static const char *group_digits(char out[RP_NUM_MAX], const char *in)
{
    const char *p = in;
    const char *dot = strchr(in, '.');
    size_t int_len, o = 0;

    if (*p == '-')
        out[o++] = *p++;
    int_len = (size_t)((dot ? dot : in + strlen(in)) - p);
    for (size_t i = 0; i < int_len && o < RP_NUM_MAX - 2; i++) {
        if (i > 0 && (int_len - i) % 3 == 0)
            out[o++] = ',';
        out[o++] = p[i];
    }
    if (dot)
        for (const char *q = dot; *q && o < RP_NUM_MAX - 1; q++)
            out[o++] = *q;
    out[o] = '\0';
    return out;
}

const char *rp_money(char out[RP_NUM_MAX], int64_t fen)
{
    char tmp[HD_MONEY_TEXT_MAX];
    return group_digits(out, hd_decimal_format(tmp, fen, 2));
}

const char *rp_area(char out[RP_NUM_MAX], int64_t m2x100)
{
    char tmp[HD_MONEY_TEXT_MAX];
    return group_digits(out, hd_decimal_format(tmp, m2x100, 2));
}

static int64_t gcd64(int64_t a, int64_t b)
{
    if (a < 0)
        a = -a;
    while (b) {
        int64_t t = a % b;
        a = b;
        b = t;
    }
    return a;
}

const char *rp_rational(char out[RP_NUM_MAX], int64_t num, int64_t den,
                        int scale, bool group)
{
    int64_t g, d, mul = 1, value;
    int digits = 0;
    char tmp[RP_NUM_MAX];

    if (den <= 0 || num == INT64_MIN) {
        snprintf(out, RP_NUM_MAX, "%lld/%lld", (long long)num, (long long)den);
        return out;
    }
    g = gcd64(num, den);
    if (g == 0)
        g = 1;
    num /= g;
    den /= g;
    /* An exact decimal exists when den has no prime factor but 2 and 5:
     * then den divides 10^digits. */
    for (d = den; d % 10 == 0; d /= 10)
        digits++;
    while (d % 2 == 0) {
        d /= 2;
        digits++;
    }
    while (d % 5 == 0) {
        d /= 5;
        digits++;
    }
    for (int i = 0; i < digits; i++)
        if (hd_mul_i64(&mul, mul, 10) != 0)
            d = 0;
    if (d != 1 || hd_mul_i64(&value, num, mul / den) != 0) {
        snprintf(out, RP_NUM_MAX, "%lld/%lld", (long long)num, (long long)den);
        return out;
    }
    /* value is the number times 10^digits; print with digits + scale
     * decimals, then drop trailing zeros beyond what money needs. */
    hd_decimal_format(tmp, value, digits + scale);
    if (scale == 0 && digits == 0) {
        /* integer: nothing to trim */
    } else {
        size_t len = strlen(tmp);
        char *dot = strchr(tmp, '.');
        size_t keep = dot ? (size_t)(dot - tmp) + 1 + (size_t)scale : len;
        while (len > keep && tmp[len - 1] == '0')
            tmp[--len] = '\0';
        if (len > 0 && tmp[len - 1] == '.')
            tmp[--len] = '\0';
    }
    if (group)
        return group_digits(out, tmp);
    snprintf(out, RP_NUM_MAX, "%s", tmp);
    return out;
}

const char *rp_pid(char out[HD_PID_LEN + 1], const char *pid, bool full)
{
    size_t len = strnlen(pid, HD_PID_LEN);
    if (full || len < 10) {
        memcpy(out, pid, len);
        out[len] = '\0';
        return out;
    }
    return hd_mask_pid(out, pid, len);
}

static int value_text(hd_buf *out, const hd_column *col, const hd_value *v,
                      bool full)
{
    if (col->type == HD_TYPE_PID && !v->is_null && v->text) {
        char pid[HD_PID_LEN + 1];
        char tmp[HD_PID_LEN + 1];
        size_t len = v->len < HD_PID_LEN ? v->len : HD_PID_LEN;
        memcpy(tmp, v->text, len);
        tmp[len] = '\0';
        return hd_buf_puts(out, rp_pid(pid, tmp, full));
    }
    return hd_value_format(out, col, v);
}

int rp_record_key(hd_buf *out, const hd_dossier_record *rec, bool full)
{
    bool first = true;
    if (!rec || !rec->feed)
        return hd_buf_error(out);
    for (int c = 0; c < rec->feed->column_count; c++) {
        const hd_column *col = &rec->feed->columns[c];
        if (!col->key)
            continue;
        if (!first)
            hd_buf_putc(out, '|');
        first = false;
        value_text(out, col, &rec->row.values[c], full);
    }
    return hd_buf_error(out);
}

int rp_correction_key(hd_buf *out, const hd_dossier_correction *c, bool full)
{
    const hd_feed *feed = hd_feed_find(c->feed);
    const char *p = c->record_key;
    int k = 0;

    /* The key's parts follow the feed's key columns in order; a part
     * that is a pid is masked. */
    for (int col = 0; feed && col < feed->column_count && *p; col++) {
        const char *bar;
        size_t len;
        if (!feed->columns[col].key)
            continue;
        bar = strchr(p, '|');
        len = bar ? (size_t)(bar - p) : strlen(p);
        if (k++)
            hd_buf_putc(out, '|');
        if (feed->columns[col].type == HD_TYPE_PID && len == HD_PID_LEN) {
            char pid[HD_PID_LEN + 1], shown[HD_PID_LEN + 1];
            memcpy(pid, p, len);
            pid[len] = '\0';
            hd_buf_puts(out, rp_pid(shown, pid, full));
        } else {
            hd_buf_append(out, p, len);
        }
        p += len + (bar != NULL);
    }
    if (!feed) /* not a feed of ours: shown as given, pids and all */
        hd_buf_puts(out, full ? c->record_key : "");
    return hd_buf_error(out);
}

int rp_correction_member(const hd_application *app,
                         const hd_dossier_correction *c)
{
    for (int m = 0; app && c->pid && m < app->member_count; m++)
        if (!strcmp(app->members[m].pid, c->pid))
            return m;
    return -1;
}

int rp_record_value(hd_buf *out, const hd_dossier_record *rec,
                    const char *column)
{
    int c = rec && rec->feed ? hd_feed_column(rec->feed, column) : -1;
    if (c < 0)
        return hd_buf_error(out);
    return value_text(out, &rec->feed->columns[c], &rec->row.values[c], false);
}

/* China Standard Time is UTC+8 all year (no daylight saving). */
#define RP_CST_OFFSET (8 * 3600)

const char *rp_datetime(char out[RP_NUM_MAX], int64_t issued_at)
{
    int64_t t = issued_at + RP_CST_OFFSET;
    int64_t days = t >= 0 ? t / 86400 : -((-t + 86399) / 86400);
    int64_t sec = t - days * 86400;
    char date[HD_DATE_TEXT_MAX];
    hd_date_format(date, (int32_t)days);
    snprintf(out, RP_NUM_MAX, "%sT%02d:%02d:%02d+08:00", date,
             (int)(sec / 3600), (int)(sec / 60 % 60), (int)(sec % 60));
    return out;
}

const char *rp_issue_date(char out[RP_NUM_MAX], int64_t issued_at)
{
    rp_datetime(out, issued_at);
    out[10] = '\0';
    return out;
}

int32_t rp_window_last(const hd_result *r)
{
    int months = r->has_params ? r->params.v.income_months : 0;
    return r->window_first + (months > 0 ? months - 1 : 0);
}
