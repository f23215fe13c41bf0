/*
 * Synthetic names and codes. Names are drawn from common surnames and
 * given-name characters, combined at random: they look like names and
 * belong to nobody. Organisation codes are made up, with valid check
 * characters.
 */
#include "gen/gen_int.h"

#include <stdio.h>
#include <string.h>

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* The most common surnames, roughly by frequency: the first ones are drawn
 * more often. */
static const char *const surnames[] = {
    "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐",
    "孙", "马", "朱", "胡", "郭", "何", "林", "高", "罗", "郑", "梁",
    "谢", "宋", "唐", "许", "韩", "冯", "邓", "曹", "彭", "曾", "肖",
    "田", "董", "袁", "潘", "于", "蒋", "蔡", "余", "杜", "叶", "程",
    "苏", "魏", "吕", "丁", "任", "沈", "姚", "卢", "姜", "崔", "钟",
    "谭", "陆", "汪", "范", "金", "石", "廖", "贾", "夏", "韦", "付"};

static const char *const given_male[] = {
    "伟", "强", "磊", "军", "勇", "杰", "涛", "斌", "超", "明", "刚",
    "平", "辉", "鹏", "华", "飞", "鑫", "波", "宇", "浩", "凯", "健",
    "俊", "帆", "建", "国", "峰", "林", "东", "亮", "成", "志", "文",
    "海", "德", "福", "庆", "春", "顺", "山", "忠", "兵", "龙", "振"};

static const char *const given_female[] = {
    "芳", "娜", "敏", "静", "丽", "艳", "娟", "霞", "秀", "玲", "桂",
    "英", "红", "梅", "琳", "燕", "婷", "雪", "慧", "莉", "萍", "兰",
    "凤", "洁", "琴", "云", "华", "颖", "倩", "佳", "欣", "月", "珍",
    "淑", "翠", "素", "荣", "美", "晶", "妍", "彩", "春", "菊", "冬"};

void hd__gen_name(char *out, gen_rng *r, int sex, const char *surname)
{
    const char *const *given = sex == 1 ? given_male : given_female;
    size_t count = sex == 1 ? COUNT(given_male) : COUNT(given_female);
    const char *first = given[gen_below(r, (uint32_t)count)];

    if (!surname) {
        /* Square the uniform draw: the common surnames come first. */
        uint32_t u = gen_below(r, 1000);
        surname = surnames[(u * u / 1000) * COUNT(surnames) / 1000];
    }
    /* Every piece is one three-byte UTF-8 character: 10 bytes at most. */
    memcpy(out, surname, 3);
    memcpy(out + 3, first, 3);
    out[6] = '\0';
    if (gen_chance(r, 700)) {
        memcpy(out + 6, given[gen_below(r, (uint32_t)count)], 3);
        out[9] = '\0';
    }
}

void hd__gen_surname_of(char *out, const char *name)
{
    /* Every surname above is one three-byte UTF-8 character. */
    memcpy(out, name, 3);
    out[3] = '\0';
}

static const char *const trade_words[] = {
    "恒信", "永安", "鑫源", "华泰", "顺达", "利民", "宏发", "金桥",
    "福瑞", "兴隆", "佳和", "安康", "天成", "诚信", "众合", "长青"};

static const char *const trade_kinds[] = {
    "商贸有限公司", "建材经营部",       "餐饮店",           "农业专业合作社",
    "物流有限公司", "装饰工程有限公司", "便利店",           "服装加工厂",
    "汽车修理厂",   "养殖场",           "电子科技有限公司", "家政服务有限公司"};

void hd__gen_enterprise_name(char *out, size_t cap, gen_rng *r)
{
    const char *a = trade_words[gen_below(r, COUNT(trade_words))];
    const char *b = trade_words[gen_below(r, COUNT(trade_words))];
    const char *k = trade_kinds[gen_below(r, COUNT(trade_kinds))];
    uint32_t u = gen_below(r, 1000);

    /* A few names hold what CSV must quote: a comma, double quotes, and
     * very rarely a line break (registry exports do carry these). */
    if (u < 20)
        snprintf(out, cap, "%s%s, %s", a, b, k);
    else if (u < 40)
        snprintf(out, cap, "\"%s\"%s%s", a, b, k);
    else if (u < 50)
        snprintf(out, cap, "%s%s\n%s", a, b, k);
    else
        snprintf(out, cap, "%s%s%s", a, b, k);
}

/* Bank codes of the national payment system form: synthetic branch
 * numbers under a few head-office codes. */
static const char *const banks[] = {
    "102-0001", "103-0002", "104-0003", "105-0004", "301-0005",
    "403-0006", "314-0007", "402-0008", "308-0009", "313-0010"};

const char *hd__gen_bank(gen_rng *r)
{
    uint32_t u = gen_below(r, 1000);
    return banks[(u * u / 1000) * COUNT(banks) / 1000];
}

static const char *const brokers[] = {
    "证券公司A01", "证券公司B02", "证券公司C03", "证券公司D04", "证券公司E05"};

const char *hd__gen_broker(gen_rng *r)
{
    return brokers[gen_below(r, COUNT(brokers))];
}

/* The 31 characters a USCC is written in (GB 32100-2015). */
static const char uscc_alphabet[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";

void hd__gen_uscc(char out[19], gen_rng *r, const char *county)
{
    /* Registration authority 9 (market regulation), organisation type 1
     * (enterprise) or 2 (individual business), the county, then a
     * 9-character organisation code. */
    out[0] = '9';
    out[1] = gen_chance(r, 850) ? '1' : '2';
    memcpy(out + 2, county, 6);
    for (int i = 8; i < 17; i++)
        out[i] = uscc_alphabet[gen_below(r, 31)];
    out[17] = hd_uscc_check_char(out);
    out[18] = '\0';
}
