// The Chinese of a report's codes (hedui-report/1): feeds, figures, tests,
// findings, levels and the engine's notes. The wording follows the
// server's own reports (src/report/report_util.c, src/verify/codes.c), so
// the page and the printed report say the same thing.

export const FEED_ZH = {
  hukou: '户籍', marriage: '婚姻登记', death: '死亡火化', tax_income: '个人所得税',
  social_insurance: '社会保险', unemployment: '失业登记', medical: '医疗保障',
  provident_fund: '住房公积金', real_estate: '不动产登记', vehicle: '机动车',
  enterprise: '市场主体', deposit: '银行存款', securities: '证券', insurance: '商业保险',
  disability: '残疾人证',
};

// What each source record was counted towards.
export const FIGURE_ZH = {
  income: '收入', expenditure: '刚性支出', financial_assets: '金融资产', homes: '住房',
  vehicles: '车辆', nonresidential: '非住宅房产', enterprise: '企业', family: '家庭状况',
};

export const LEVEL_ZH = {
  none: '不在救助范围内', dibao: '低保', low_income: '低保边缘', expenditure_hardship: '支出型困难',
};

// Tests by their neutral names (next to 通过 a failure's title reads wrongly).
export const TEST_ZH = {
  ENTERPRISE: '企业出资', FINANCIAL_ASSETS: '人均金融资产', HOMES: '住房套数',
  HOME_AREA: '人均住房面积', INCOME: '家庭人均月收入',
  INCOME_AFTER_EXPENDITURE: '扣除刚性支出后人均月收入', NONRESIDENTIAL: '非住宅房产',
  NOT_SINGLE: '家庭人口（须为单人户）', NO_RIGID_EXPENDITURE: '刚性支出（须大于零）',
  VEHICLE: '计入的机动车', WORK_CAPACITY: '劳动能力（须无劳动能力）',
};

// Failures and findings by what they say.
export const CODE_TITLE_ZH = {
  ENTERPRISE: '家庭成员持有超过限额的企业出资',
  FINANCIAL_ASSETS: '家庭人均金融资产超过标准',
  HOMES: '家庭住房套数超过标准',
  HOME_AREA: '家庭人均住房面积超过标准',
  INCOME: '家庭人均月收入超过标准',
  INCOME_AFTER_EXPENDITURE: '扣除刚性支出后家庭人均月收入超过标准',
  NONRESIDENTIAL: '家庭成员拥有非住宅类房产',
  NOT_SINGLE: '不是单人户',
  NO_RIGID_EXPENDITURE: '没有刚性支出',
  VEHICLE: '家庭成员拥有计入的机动车辆',
  WORK_CAPACITY: '具有劳动能力',
  APPLICATION_INVALID: '申请信息不符合要求',
  FEED_NOT_DELIVERED: '有部门数据尚未报送',
  MEMBER_DECEASED: '家庭成员已死亡',
  MEMBER_NOT_IN_HUKOU: '未查到家庭成员的户籍登记',
  NO_AUTHORIZATION: '家庭成员未有效授权',
  PID_INVALID: '身份证号码无效',
  RELATION_MISMATCH: '申报的家庭关系与户籍登记不一致',
  SUPPORTER_CHECK: '法定赡养、抚养、扶养义务人情况需工作人员核查',
  UNDECLARED_SPOUSE: '有未申报的在世配偶',
};

// Notes the engine writes in English on a source record.
const NOTE_ZH = {
  wage: '工资', 'other income': '其他收入', benefit: '保险待遇',
  'contribution deducted': '扣除个人缴费',
  'excluded category: tax deducted only': '不计入的收入类别（仅扣除税款）',
  'estimated wage: social insurance contribution base': '估算工资（按社会保险缴费基数）',
  'estimated wage: provident fund base': '估算工资（按住房公积金缴存基数）',
  'medical self-paid': '医疗个人自付', 'deposit balance': '存款余额',
  'securities market value': '证券市值', 'insurance cash value': '保单现金价值',
  'residential area x share': '住宅面积×产权份额', 'non-residential property': '非住宅房产',
  'counted vehicle': '计入的机动车', 'counted enterprise': '计入的企业出资',
  'hukou status deceased': '户籍状态为死亡', 'death record': '死亡记录',
  'marriage to an undeclared spouse': '与未申报配偶的婚姻登记',
  'relation differs from the declared one': '户籍关系与申报不一致',
  'estimated wage': '估算工资', 'tax deducted': '扣除个人所得税',
  'undeclared spouse': '未申报的配偶', 'excluded category': '不计入的收入类别',
};

export function noteZh(note) {
  return note ? (NOTE_ZH[note] || note) : '';
}

export const DECLARED_ZH = {
  monthly_income: '家庭月收入', financial_assets: '金融资产', vehicles: '机动车（辆）',
  homes: '住房（套）',
};

// Every feed's columns that a correction may set (feeds.md; key columns
// name the record and cannot be corrected), with their Chinese.
export const FEED_FIELDS = {
  hukou: {name: '姓名', sex: '性别', birth: '出生日期', hukou_no: '户号', relation: '与户主关系',
    region: '户籍地', status: '户籍状态', status_date: '状态日期'},
  marriage: {spouse_pid: '配偶身份证号', event: '登记类别'},
  death: {date: '死亡日期'},
  tax_income: {income: '收入额', tax: '已扣缴税额'},
  social_insurance: {base: '缴费基数', amount: '金额', employer: '单位'},
  medical: {total: '医疗总费用', fund_paid: '基金支付', self_paid: '个人自付', serious: '重大疾病'},
  provident_fund: {base: '缴存基数', deposit: '月缴存额', balance: '余额'},
  real_estate: {region: '坐落地', use: '用途', area: '建筑面积', share: '产权份额', acquired: '取得日期',
    status: '状态'},
  vehicle: {type: '车辆类型', registered: '登记日期', value: '评估价值', status: '状态'},
  enterprise: {name: '企业名称', capital: '认缴出资', status: '状态', established: '成立日期'},
  deposit: {product: '产品类别', balance: '余额'},
  securities: {market_value: '市值'},
  insurance: {product: '险种', cash_value: '现金价值', annual_premium: '年缴保费'},
  disability: {category: '残疾类别', level: '残疾等级', valid_until: '有效期至'},
  unemployment: {ended: '结束日期'},
};
