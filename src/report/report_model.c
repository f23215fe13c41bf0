/*
 * The document model: headings, paragraphs and tables of text cells,
 * built once from a result and rendered by HTML, PDF and XLSX alike, so
 * that every format shows the same rows. Texts live in the document's
 * arena; the block and cell arrays grow with hd_realloc.
 */
#include "report_int.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define NOTE_EST "（估算）"

static const char *dup(rp_doc *d, const char *s)
{
    char *p = hd_arena_strndup(&d->arena, s, strlen(s));
    if (!p)
        d->err = HD_ENOMEM;
    return p ? p : "";
}

static const char *fmt(rp_doc *d, const char *f, ...)
    __attribute__((format(printf, 2, 3)));
static const char *fmt(rp_doc *d, const char *f, ...)
{
    char tmp[1024];
    va_list ap;
    va_start(ap, f);
    vsnprintf(tmp, sizeof(tmp), f, ap);
    va_end(ap);
    return dup(d, tmp);
}

static rp_block *add_block(rp_doc *d, rp_kind kind, rp_sheet sheet)
{
    rp_block *b;
    if (d->err)
        return NULL;
    if (d->count == d->cap) {
        size_t cap = d->cap ? d->cap * 2 : 32;
        rp_block *nb = hd_realloc(d->blocks, cap * sizeof(*nb));
        if (!nb) {
            d->err = HD_ENOMEM;
            return NULL;
        }
        d->blocks = nb;
        d->cap = cap;
    }
    b = &d->blocks[d->count++];
    memset(b, 0, sizeof(*b));
    b->kind = kind;
    b->sheet = sheet;
    return b;
}

static void heading(rp_doc *d, rp_sheet sheet, const char *text)
{
    rp_block *b = add_block(d, RP_HEADING, sheet);
    if (b)
        b->text = text;
}

static void para(rp_doc *d, rp_sheet sheet, const char *text, bool strong)
{
    rp_block *b = add_block(d, RP_PARA, sheet);
    if (b) {
        b->text = text;
        b->strong = strong;
    }
}

/* A table; `spec` lists the columns as "weight:R|L:title" strings. */
static rp_block *table(rp_doc *d, rp_sheet sheet, int cols, ...)
{
    rp_block *b = add_block(d, RP_TABLE, sheet);
    va_list ap;
    if (!b)
        return NULL;
    b->cols = cols;
    va_start(ap, cols);
    for (int c = 0; c < cols; c++) {
        const char *spec = va_arg(ap, const char *);
        b->weight[c] = spec[0] - '0';
        b->right[c] = spec[1] == 'R';
        b->head[c] = spec + 3;
    }
    va_end(ap);
    return b;
}

/* Append one row; exactly b->cols strings follow. */
static void row(rp_doc *d, rp_block *b, ...)
{
    va_list ap;
    if (!b || d->err)
        return;
    if (b->rows == b->cap) {
        size_t cap = b->cap ? b->cap * 2 : 16;
        const char **nc =
            hd_realloc(b->cells, cap * (size_t)b->cols * sizeof(*nc));
        if (!nc) {
            d->err = HD_ENOMEM;
            return;
        }
        b->cells = nc;
        b->cap = cap;
    }
    va_start(ap, b);
    for (int c = 0; c < b->cols; c++)
        b->cells[b->rows * (size_t)b->cols + (size_t)c] =
            va_arg(ap, const char *);
    va_end(ap);
    b->rows++;
}

static const char *money(rp_doc *d, int64_t fen)
{
    char t[RP_NUM_MAX];
    return dup(d, rp_money(t, fen));
}

static const char *pid_of(rp_doc *d, const hd_application *app, int m,
                          bool full)
{
    char t[HD_PID_LEN + 1];
    if (m < 0 || m >= app->member_count)
        return "（非申报成员）";
    return dup(d, rp_pid(t,
                         app->members[m].pid[0] ? app->members[m].pid
                                                : app->members[m].pid_raw,
                         full));
}

static const char *name_of(const hd_application *app, int m)
{
    if (m < 0 || m >= app->member_count || !app->members[m].name)
        return "";
    return app->members[m].name;
}

/* "feed（中文） · delivery · key" for a record. */
static const char *source_text(rp_doc *d, const hd_dossier_record *rec,
                               bool full)
{
    hd_buf key;
    const char *s;
    if (!rec || !rec->feed)
        return "";
    hd_buf_init(&key, 4096);
    rp_record_key(&key, rec, full);
    s = fmt(d, "%s（%s） · %s · %s", rec->feed->name, rp_feed_zh(rec->feed),
            rec->delivery_id ? rec->delivery_id : "", key.ptr);
    if (hd_buf_error(&key))
        d->err = hd_buf_error(&key);
    hd_buf_release(&key);
    return s;
}

static const char *col_text(rp_doc *d, const hd_dossier_record *rec,
                            const char *column)
{
    hd_buf v;
    const char *s;
    hd_buf_init(&v, 1024);
    rp_record_value(&v, rec, column);
    s = dup(d, v.ptr);
    hd_buf_release(&v);
    return s;
}

static const char *test_value(rp_doc *d, hd_code code, int64_t num, int64_t den)
{
    char t[RP_NUM_MAX];
    const char *unit = rp_test_unit(code);
    if (!strcmp(unit, "fen"))
        return fmt(d, "%s元", rp_rational(t, num, den, 2, true));
    if (!strcmp(unit, "m2x100"))
        return fmt(d, "%s m²", rp_rational(t, num, den, 2, true));
    return dup(d, rp_rational(t, num, den, 0, true));
}

static void summary(rp_doc *d, const hd_result *r, const hd_application *app,
                    const hd_report_options *opt)
{
    rp_block *t;
    char dt[RP_NUM_MAX];

    heading(d, RP_SHEET_SUMMARY, "核对概要");
    t = table(d, RP_SHEET_SUMMARY, 2, "2L:项目", "5L:内容");
    row(d, t, "核对编号", d->case_no);
    row(d, t, "申请项目", d->program_zh);
    row(d, t, "出具日期", d->issue_date);
    row(d, t, "出具时间", dup(d, rp_datetime(dt, opt->issued_at)));
    row(d, t, "出具单位", d->issuer);
    if (app->applied_on)
        row(d, t, "申请日期", dup(d, hd_date_format(dt, app->applied_on)));
    if (r->has_params) {
        row(d, t, "政策版本",
            fmt(d, "第 %lld 版（地区 %s，适用日期 %s）",
                (long long)r->params.policy_version, r->params.region,
                hd_date_format(dt, r->params.on)));
        row(d, t, "低保标准",
            fmt(d, "%s元/人·月", rp_money(dt, r->params.v.dibao_standard_fen)));
        {
            char a[HD_PERIOD_TEXT_MAX], b[HD_PERIOD_TEXT_MAX];
            row(d, t, "收入计算期",
                fmt(d, "%s 至 %s（%d 个月）",
                    hd_period_format(a, r->window_first),
                    hd_period_format(b, rp_window_last(r)),
                    r->params.v.income_months));
        }
    }
    row(d, t, "建议结论", rp_conclusion_zh(r->conclusion));
    if (r->has_level && r->conclusion != HD_CONCLUSION_REFUSED &&
        r->conclusion != HD_CONCLUSION_UNAUTHORIZED)
        row(d, t, "家庭经济状况层级", rp_level_zh(r->level));
}

static void feeds_table(rp_doc *d, const hd_result *r)
{
    rp_block *t;
    char date[HD_DATE_TEXT_MAX];
    heading(d, RP_SHEET_SUMMARY, "数据来源及截止日期");
    t = table(d, RP_SHEET_SUMMARY, 3, "3L:数据", "4L:批次", "2L:截止日期");
    for (int i = 0; i < hd_feed_count; i++) {
        const hd_feed *f = &hd_feeds[i];
        const hd_feed_source *s = &r->feeds[f->id];
        if (!strcmp(f->name, "unemployment") && !s->delivered)
            continue;
        row(d, t, fmt(d, "%s（%s）", rp_feed_zh(f), f->name),
            s->delivered ? dup(d, s->delivery_id) : "未报送",
            s->delivered ? dup(d, hd_date_format(date, s->as_of)) : "—");
    }
}

static void family(rp_doc *d, const hd_result *r, const hd_application *app,
                   bool full)
{
    rp_block *t;
    heading(d, RP_SHEET_SUMMARY, "家庭成员");
    t = table(d, RP_SHEET_SUMMARY, 5, "3L:身份证号", "2L:姓名",
              "2L:与申请人关系", "1R:年龄", "4L:状态");
    for (int i = 0; i < app->member_count; i++) {
        const hd_member *m = &app->members[i];
        const hd_member_status *s = i < r->member_count ? &r->members[i] : NULL;
        char status[256] = "";
        size_t o = 0;
        if (s && r->conclusion != HD_CONCLUSION_REFUSED &&
            r->conclusion != HD_CONCLUSION_UNAUTHORIZED) {
            o += (size_t)snprintf(status + o, sizeof(status) - o, "%s",
                                  s->in_hukou ? "户籍在册" : "未查到户籍");
            if (s->deceased)
                o += (size_t)snprintf(status + o, sizeof(status) - o,
                                      "；已死亡");
            if (s->no_work_capacity && o < sizeof(status))
                o += (size_t)snprintf(status + o, sizeof(status) - o,
                                      "；无劳动能力");
        } else if (s && !s->authorized &&
                   r->conclusion == HD_CONCLUSION_UNAUTHORIZED) {
            snprintf(status, sizeof(status), "未有效授权");
        }
        if (r->conclusion == HD_CONCLUSION_UNAUTHORIZED) {
            for (int k = 0; k < r->missing_count; k++)
                if (r->missing[k] == i)
                    snprintf(status, sizeof(status), "未有效授权");
        }
        row(d, t, pid_of(d, app, i, full), m->name ? m->name : "",
            rp_relation_zh(m->relation),
            s && s->age >= 0 ? fmt(d, "%d", s->age) : "—", dup(d, status));
    }
}

static void income(rp_doc *d, const hd_result *r, const hd_application *app,
                   bool full)
{
    rp_block *t;
    heading(d, RP_SHEET_INCOME, "收入（按成员合计）");
    t = table(d, RP_SHEET_INCOME, 8, "2L:姓名", "3L:身份证号", "2R:工资",
              "2R:其他收入", "2R:保险待遇", "2R:扣除", "2R:豁免",
              "2R:计入收入");
    for (int i = 0; i < app->member_count; i++) {
        int64_t w = 0, o = 0, b = 0, x = 0, g = 0;
        bool any = false;
        for (size_t k = 0; k < r->month_count; k++) {
            const hd_month_income *m = &r->months[k];
            if (m->member != i)
                continue;
            any = true;
            w += m->wage_fen;
            o += m->other_fen;
            b += m->benefits_fen;
            x += m->deductions_fen;
            g += m->disregard_fen;
        }
        if (!any)
            continue;
        row(d, t, name_of(app, i), pid_of(d, app, i, full), money(d, w),
            money(d, o), money(d, b), money(d, x), money(d, g),
            money(d, w + o + b - x - g));
    }
    if (r->has_figures)
        row(d, t, "家庭合计", "", "", "", "", "", "",
            money(d, r->figures.income_fen));

    heading(d, RP_SHEET_INCOME, "收入（按月）");
    t = table(d, RP_SHEET_INCOME, 7, "2L:姓名", "2L:月份", "3R:工资",
              "2R:其他收入", "2R:保险待遇", "2R:扣除", "2R:豁免");
    for (size_t k = 0; k < r->month_count; k++) {
        const hd_month_income *m = &r->months[k];
        char p[HD_PERIOD_TEXT_MAX], w[RP_NUM_MAX];
        row(d, t, name_of(app, m->member),
            dup(d, hd_period_format(p, m->period)),
            fmt(d, "%s%s", rp_money(w, m->wage_fen),
                m->wage_estimated ? NOTE_EST : ""),
            money(d, m->other_fen), money(d, m->benefits_fen),
            money(d, m->deductions_fen), money(d, m->disregard_fen));
    }
    if (r->month_count)
        para(d, RP_SHEET_INCOME,
             "标注“估算”的月份没有工资申报记录，工资按当月社会保险缴费基数"
             "与住房公积金缴存基数中较高者估算。",
             false);
}

/* The records behind one figure, as a table with a detail column. */
static void sources_of(rp_doc *d, const hd_result *r, const hd_application *app,
                       bool full, rp_sheet sheet, hd_figure_id fig,
                       const char *title)
{
    rp_block *t = NULL;
    for (size_t i = 0; i < r->source_count; i++) {
        const hd_source_row *s = &r->sources[i];
        const hd_dossier_record *rec = s->record;
        const char *detail = "", *amount;
        const char *feed = rec ? rec->feed->name : "";
        char a[RP_NUM_MAX];
        if (s->figure != fig)
            continue;
        if (!t) {
            heading(d, sheet, title);
            t = table(d, sheet, 5, "2L:姓名", "2L:类别", "3L:明细", "2R:计入",
                      "5L:来源（数据 · 批次 · 记录键）");
        }
        if (!strcmp(feed, "real_estate"))
            detail = fmt(d, "面积 %s m²，份额 %s%%，用途 %s",
                         col_text(d, rec, "area"), col_text(d, rec, "share"),
                         rp_word_zh(col_text(d, rec, "use")));
        else if (!strcmp(feed, "vehicle"))
            detail = fmt(d, "类型 %s，价值 %s元",
                         rp_word_zh(col_text(d, rec, "type")),
                         col_text(d, rec, "value"));
        else if (!strcmp(feed, "enterprise"))
            detail = fmt(d, "%s，%s，出资 %s元", col_text(d, rec, "name"),
                         rp_word_zh(col_text(d, rec, "role")),
                         col_text(d, rec, "capital"));
        else if (rec && hd_feed_column(rec->feed, "period") >= 0)
            detail = fmt(d, "%s 月", col_text(d, rec, "period"));
        if (s->note)
            detail = fmt(d, "%s%s%s", detail, detail[0] ? "；" : "",
                         rp_word_zh(s->note));
        for (const hd_dossier_correction *c = rec ? rec->correction : NULL; c;
             c = c->next)
            detail = fmt(d, "%s%s更正：%s 由 %s 改为 %s（依据：%s）", detail,
                         detail[0] ? "；" : "", c->field,
                         c->original && c->original[0] ? c->original : "空",
                         c->value[0] ? c->value : "空", c->evidence);
        if (fig == HD_FIGURE_HOMES)
            amount = fmt(d, "%s m²", rp_area(a, s->amount));
        else if (fig == HD_FIGURE_VEHICLES || fig == HD_FIGURE_ENTERPRISE ||
                 fig == HD_FIGURE_NONRESIDENTIAL || fig == HD_FIGURE_FAMILY)
            amount = fmt(d, "%lld", (long long)s->amount);
        else
            amount = fmt(d, "%s元", rp_money(a, s->amount));
        row(d, t, rec ? name_of(app, rec->member) : "",
            rec ? rp_feed_zh(rec->feed) : "", detail, amount,
            source_text(d, rec, full));
    }
}

static void assets(rp_doc *d, const hd_result *r, const hd_application *app,
                   bool full)
{
    char a[RP_NUM_MAX];
    if (r->has_figures) {
        rp_block *t;
        heading(d, RP_SHEET_ASSETS, "资产");
        t = table(d, RP_SHEET_ASSETS, 2, "3L:项目", "4R:数值");
        row(d, t, "金融资产合计",
            fmt(d, "%s元", rp_money(a, r->figures.financial_assets_fen)));
        row(d, t, "人均金融资产",
            fmt(d, "%s元", rp_money(a, r->figures.pca_fen)));
        row(d, t, "住房套数", fmt(d, "%d", r->figures.homes));
        row(d, t, "住房面积合计（按份额）",
            fmt(d, "%s m²", rp_area(a, r->figures.owned_area_m2x100)));
        row(d, t, "人均住房面积",
            fmt(d, "%s m²", rp_area(a, r->figures.area_pc_m2x100)));
        row(d, t, "计入的机动车", fmt(d, "%d", r->figures.vehicles));
    }
    sources_of(d, r, app, full, RP_SHEET_ASSETS, HD_FIGURE_FINANCIAL_ASSETS,
               "金融资产明细（存款、证券、商业保险）");
    sources_of(d, r, app, full, RP_SHEET_ASSETS, HD_FIGURE_HOMES, "住房明细");
    sources_of(d, r, app, full, RP_SHEET_ASSETS, HD_FIGURE_NONRESIDENTIAL,
               "非住宅房产明细");
    sources_of(d, r, app, full, RP_SHEET_ASSETS, HD_FIGURE_VEHICLES,
               "机动车明细");
    sources_of(d, r, app, full, RP_SHEET_ASSETS, HD_FIGURE_ENTERPRISE,
               "企业明细");
}

static void expenditure(rp_doc *d, const hd_result *r,
                        const hd_application *app, bool full)
{
    char a[RP_NUM_MAX];
    if (r->has_figures) {
        rp_block *t;
        heading(d, RP_SHEET_EXPENDITURE, "刚性支出");
        t = table(d, RP_SHEET_EXPENDITURE, 2, "3L:项目", "4R:数值");
        row(d, t, "医疗自付合计",
            fmt(d, "%s元", rp_money(a, r->figures.expenditure_fen)));
        row(d, t, "扣除刚性支出后人均月收入",
            fmt(d, "%s元", rp_money(a, r->figures.pci_after_fen)));
    }
    sources_of(d, r, app, full, RP_SHEET_EXPENDITURE, HD_FIGURE_EXPENDITURE,
               "刚性支出明细（医疗自付）");
}

static void tests(rp_doc *d, const hd_result *r)
{
    rp_block *t;
    char a[RP_NUM_MAX];
    if (r->has_figures) {
        heading(d, RP_SHEET_TESTS, "主要指标");
        t = table(d, RP_SHEET_TESTS, 2, "3L:指标", "4R:数值");
        row(d, t, "计入家庭人口", fmt(d, "%d 人", r->figures.members));
        row(d, t, "家庭收入合计（计算期内）",
            fmt(d, "%s元", rp_money(a, r->figures.income_fen)));
        row(d, t, "家庭人均月收入",
            fmt(d, "%s元", rp_money(a, r->figures.pci_fen)));
    }
    if (!r->test_count)
        return;
    heading(d, RP_SHEET_TESTS, "检验结果");
    t = table(d, RP_SHEET_TESTS, 5, "2L:项目", "4L:检验项目", "2R:数值",
              "2R:标准", "1L:结果");
    for (size_t i = 0; i < r->test_count; i++) {
        const hd_test *x = &r->tests[i];
        row(d, t, rp_program_zh((int)x->program), rp_test_zh(x->code),
            test_value(d, x->code, x->figure, 1),
            x->has_limit ? test_value(d, x->code, x->limit_num, x->limit_den)
                         : "—",
            x->failed ? "未通过" : "通过");
    }
}

static void findings(rp_doc *d, const hd_result *r, const hd_application *app,
                     bool full)
{
    rp_block *t;
    if (!r->findings)
        return;
    heading(d, RP_SHEET_TESTS, "核对发现");
    t = table(d, RP_SHEET_TESTS, 2, "3L:代码", "6L:说明");
    for (int c = 0; c < HD_CODE_COUNT_; c++) {
        const char *text = hd_code_title_zh((hd_code)c);
        if (!(r->findings & ((uint64_t)1 << c)))
            continue;
        if (c == HD_FIND_APPLICATION_INVALID)
            text =
                fmt(d, "%s：%s（%s）", text, r->error_field, r->error_reason);
        if (c == HD_FIND_NO_AUTHORIZATION) {
            hd_buf names;
            hd_buf_init(&names, 4096);
            for (int k = 0; k < r->missing_count; k++)
                hd_buf_printf(&names, "%s%s %s", k ? "、" : "",
                              name_of(app, r->missing[k]),
                              pid_of(d, app, r->missing[k], full));
            text = fmt(d, "%s：%s", text, names.ptr);
            hd_buf_release(&names);
        }
        row(d, t, hd_code_name((hd_code)c), text);
    }
    sources_of(d, r, app, full, RP_SHEET_TESTS, HD_FIGURE_FAMILY,
               "家庭状况记录");
}

static void diffs(rp_doc *d, const hd_result *r)
{
    rp_block *t;
    char a[RP_NUM_MAX], b[RP_NUM_MAX];
    if (!r->diff_count)
        return;
    heading(d, RP_SHEET_SUMMARY, "申报与核实对比");
    t = table(d, RP_SHEET_SUMMARY, 3, "3L:项目", "3R:申报", "3R:核实");
    for (int i = 0; i < r->diff_count; i++) {
        const hd_declared_diff *x = &r->diffs[i];
        const char *item = x->item;
        bool is_money = !strcmp(item, "monthly_income") ||
                        !strcmp(item, "financial_assets");
        if (!strcmp(item, "monthly_income"))
            item = "家庭月收入";
        else if (!strcmp(item, "financial_assets"))
            item = "金融资产";
        else if (!strcmp(item, "vehicles"))
            item = "机动车（辆）";
        else if (!strcmp(item, "homes"))
            item = "住房（套）";
        if (is_money)
            row(d, t, item, fmt(d, "%s元", rp_money(a, x->declared)),
                fmt(d, "%s元", rp_money(b, x->found)));
        else
            row(d, t, item, fmt(d, "%lld", (long long)x->declared),
                fmt(d, "%lld", (long long)x->found));
    }
}

static void conclusion(rp_doc *d, const hd_result *r,
                       const hd_report_options *opt)
{
    char objection[512];
    const char *text;
    heading(d, RP_SHEET_SUMMARY, "建议结论");
    switch (r->conclusion) {
    case HD_CONCLUSION_MEETS:
        text = fmt(d, "经核对，家庭经济状况符合%s条件。", d->program_zh);
        break;
    case HD_CONCLUSION_FAILS:
        text = fmt(d, "经核对，家庭经济状况不符合%s条件，未通过的检验见上表。",
                   d->program_zh);
        break;
    case HD_CONCLUSION_REVIEW:
        text = "核对中发现需要工作人员进一步了解的情况（见“核对发现”），"
               "建议人工复核后再作决定。";
        break;
    case HD_CONCLUSION_UNAUTHORIZED:
        text = "有家庭成员尚未有效授权查询其信息，本次没有查询任何人的信息。"
               "请补充授权后重新申请核对。";
        break;
    default:
        text = fmt(d,
                   "申请信息不符合要求（%s：%s），本次没有查询任何信息。"
                   "请更正后重新提交。",
                   r->error_field, r->error_reason);
    }
    para(d, RP_SHEET_SUMMARY,
         fmt(d, "建议结论：%s", rp_conclusion_zh(r->conclusion)), true);
    para(d, RP_SHEET_SUMMARY, text, false);
    para(d, RP_SHEET_SUMMARY, rp_statement_zh(), false);
    heading(d, RP_SHEET_SUMMARY, "异议");
    para(d, RP_SHEET_SUMMARY,
         dup(d, rp_objection_zh(objection, sizeof(objection),
                                opt->objection_days)),
         false);
}

/* The case's corrections after an objection, each with its evidence:
 * overlays on the records, not the departments' data. */
static void corrections(rp_doc *d, const hd_result *r,
                        const hd_application *app, bool full)
{
    rp_block *t;
    if (!r->correction_count)
        return;
    heading(d, RP_SHEET_TESTS, "更正");
    para(d, RP_SHEET_TESTS,
         "以下更正系根据申请家庭的异议及其提供的证明材料作出，仅用于本次核对，"
         "不改变部门报送的原始数据。",
         false);
    t = table(d, RP_SHEET_TESTS, 5, "2L:姓名", "3L:记录（数据 · 记录键）",
              "3L:更正内容", "3L:依据", "1L:状态");
    for (size_t i = 0; i < r->correction_count; i++) {
        const hd_dossier_correction *c = &r->corrections[i];
        const hd_feed *feed = hd_feed_find(c->feed);
        hd_buf key;
        const char *what, *rec;
        hd_buf_init(&key, 4096);
        rp_correction_key(&key, c, full);
        if (hd_buf_error(&key))
            d->err = hd_buf_error(&key);
        rec = fmt(d, "%s（%s） · %s", c->feed, feed ? rp_feed_zh(feed) : "",
                  key.ptr);
        hd_buf_release(&key);
        if (c->field)
            what = fmt(d, "%s 由 %s 改为 %s", c->field,
                       c->original && c->original[0] ? c->original : "空",
                       c->value[0] ? c->value : "空");
        else
            what = "该记录不计入";
        row(d, t, name_of(app, rp_correction_member(app, c)), rec, what,
            c->evidence, c->applied ? "已更正" : "未找到记录");
    }
}

int rp_doc_build(rp_doc *d, const hd_result *r, const hd_application *app,
                 const hd_report_options *opt)
{
    char date[RP_NUM_MAX];
    bool full = opt->full_pids;
    bool gated = r->conclusion == HD_CONCLUSION_REFUSED ||
                 r->conclusion == HD_CONCLUSION_UNAUTHORIZED;

    memset(d, 0, sizeof(*d));
    hd_arena_init(&d->arena, 16384);
    d->case_no = dup(d, r->application_no);
    d->program_zh =
        rp_program_zh(hd_program_find(r->program, strlen(r->program)));
    d->issue_date = dup(d, rp_issue_date(date, opt->issued_at));
    d->issuer = dup(d, opt->issuer ? opt->issuer : "");

    summary(d, r, app, opt);
    family(d, r, app, full);
    if (!gated) {
        feeds_table(d, r);
        diffs(d, r);
        income(d, r, app, full);
        sources_of(d, r, app, full, RP_SHEET_INCOME, HD_FIGURE_INCOME,
                   "收入来源记录");
        assets(d, r, app, full);
        expenditure(d, r, app, full);
        tests(d, r);
        corrections(d, r, app, full);
    }
    findings(d, r, app, full);
    conclusion(d, r, opt);
    return d->err;
}

void rp_doc_release(rp_doc *d)
{
    for (size_t i = 0; i < d->count; i++)
        hd_free(d->blocks[i].cells);
    hd_free(d->blocks);
    hd_arena_release(&d->arena);
    memset(d, 0, sizeof(*d));
}

const char *rp_sheet_name(rp_sheet sheet)
{
    static const char *const n[RP_SHEET_COUNT_] = {"概要", "收入", "资产",
                                                   "支出", "检验"};
    return (unsigned)sheet < RP_SHEET_COUNT_ ? n[sheet] : "?";
}
