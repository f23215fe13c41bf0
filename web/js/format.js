// How values read in the console: names in Chinese, China time, yuan.

export const ROLE_ZH = {
  clerk: '受理员', verifier: '核对员', approver: '审核确认', auditor: '审计员', admin: '管理员',
};

export const STATE_ZH = {
  registered: '已受理', authorized: '已授权', verified: '已核对', objected: '有异议',
  corrected: '已更正', decided: '已审核确认', archived: '已归档',
};

export const PROGRAM_ZH = {
  dibao: '低保', low_income: '低保边缘', tekun: '特困供养',
  expenditure_hardship: '支出型困难', medical_aid: '医疗救助',
};

export const CONCLUSION_ZH = {
  meets: '符合', fails: '不符合', review: '需人工复核', unauthorized: '授权不全', refused: '申请有误',
};

export const DECISION_ZH = {approved: '批准', rejected: '不予批准'};

export const ACTION_ZH = {
  register: '受理', authorize: '补充授权', verify: '核对', object: '提出异议',
  correct: '更正数据', dismiss: '驳回异议', decide: '审核确认', archive: '归档',
};

// GB/T 4761 classes, as feeds.md codes a member's relation to the head.
export const RELATION_ZH = {
  '02': '户主', '10': '配偶', '20': '儿子', '30': '女儿', '40': '孙子女',
  '50': '父母', '60': '祖父母', '70': '兄弟姐妹', '80': '其他亲属', '99': '非亲属',
};

export function zh(map, key) {
  return key ? (map[key] || key) : '';
}

// China has one time zone, UTC+8, and no summer time.
const CN_OFFSET_MS = 8 * 3600 * 1000;

function cnParts(seconds) {
  const d = new Date(seconds * 1000 + CN_OFFSET_MS);
  const p = n => String(n).padStart(2, '0');
  return {
    date: `${d.getUTCFullYear()}-${p(d.getUTCMonth() + 1)}-${p(d.getUTCDate())}`,
    time: `${p(d.getUTCHours())}:${p(d.getUTCMinutes())}`,
  };
}

// Seconds since 1970 → '2026-11-28 10:31' (China time).
export function dateTime(seconds) {
  if (!seconds) return '';
  const {date, time} = cnParts(seconds);
  return `${date} ${time}`;
}

export function dateOnly(seconds) {
  return seconds ? cnParts(seconds).date : '';
}

// Fen (an integer) → '1,234.56'.
export function yuan(fen) {
  if (fen === null || fen === undefined) return '';
  const neg = fen < 0;
  const a = Math.abs(fen);
  const whole = Math.floor(a / 100).toLocaleString('en-US');
  return `${neg ? '-' : ''}${whole}.${String(a % 100).padStart(2, '0')}`;
}

// Hundredths of m² → '85.20'.
export function area(hundredths) {
  if (hundredths === null || hundredths === undefined) return '';
  return (hundredths / 100).toFixed(2);
}

export function count(n) {
  return (n ?? 0).toLocaleString('en-US');
}

// ---- batches, deliveries, the audit trail (admin and auditor pages)

export const BATCH_STATE_ZH = {queued: '排队中', running: '核对中', done: '已完成', failed: '失败'};

// The departments and feeds of docs/feeds.md.
export const DEPARTMENT_ZH = {
  public_security: '公安', civil_affairs: '民政', tax: '税务', hrss: '人力资源社会保障',
  medical_insurance: '医疗保障', provident_fund: '住房公积金', natural_resources: '自然资源',
  traffic_police: '公安交管', market_regulation: '市场监管', banks: '银行',
  securities: '证券', insurers: '保险', disabled_federation: '残联',
};

export const FEED_ZH = {
  hukou: '户籍', marriage: '婚姻登记', death: '死亡火化', tax_income: '个人所得税',
  social_insurance: '社会保险', medical: '医保结算', provident_fund: '住房公积金',
  real_estate: '不动产登记', vehicle: '机动车登记', enterprise: '工商登记',
  deposit: '银行存款', securities: '证券', insurance: '商业保险',
  disability: '残疾人证', unemployment: '失业登记',
};

// Why a row was quarantined or a delivery refused (feed/reject.c names).
export const REJECT_ZH = {
  field_count: '字段数与表头不符', null: '必填字段为空', pid: '身份证号无效',
  uscc: '统一社会信用代码无效', region: '行政区划代码无效', date: '日期无效',
  period: '月份无效', money: '金额格式不对', area: '面积格式不对', pct: '百分比无效',
  code: '代码不在取值范围内', text: '文本无效（非 UTF-8 或过长）', cross_field: '字段之间不一致',
  csv_syntax: 'CSV 引号错误', manifest: '清单文件有误', standard: '标准版本不对',
  unknown_feed: '未知的数据项', department: '该部门不提供此数据项', missing_file: '缺少文件',
  row_count: '行数与清单不符', checksum: '文件校验值不符', header: '表头缺列或重复',
  bad_row_share: '错误行比例超限', none: '', unknown: '未知原因',
};

// Actions in the audit trail: the services' names (docs/audit.md).
export const AUDIT_ACTION_ZH = {
  login: '登录', login_failed: '登录失败', logout: '退出',
  user_add: '新增账号', user_role: '变更角色或辖区', user_disable: '停用账号', user_passwd: '修改密码',
  'case.register': '受理申请', 'case.authorize': '补充授权', 'case.verify': '核对',
  'case.object': '提出异议', 'case.correct': '更正数据', 'case.dismiss': '驳回异议',
  'case.decide': '审核确认', 'case.archive': '归档', 'case.view': '查看案件',
  verify: '核对查询数据', 'verify-roll': '批量核对查询数据', report: '查看或下载报告',
  'batch.upload': '上传批量核对', 'batch.authorizations': '登记批量授权书',
  'authorization.revoke': '撤销授权', 'quarantine.view': '查看隔离数据',
  'policy.import': '导入政策参数', 'audit.search': '查询审计日志',
};

// Outcomes that are one word; longer ones are shown as the service wrote them.
export const AUDIT_OUTCOME_ZH = {
  ...STATE_ZH, ...CONCLUSION_ZH, ...DECISION_ZH, ok: '成功', shown: '已查看',
  searched: '已查询', queued: '已排队', revoked: '已撤销',
  // why a sign-in failed (staff/session.c)
  'unknown user': '用户名不存在', 'wrong password': '密码错误', disabled: '账号已停用',
  locked: '账号已锁定', 'one-time code required': '未填动态码', 'wrong one-time code': '动态码错误',
  'one-time code reused': '动态码已用过',
};
