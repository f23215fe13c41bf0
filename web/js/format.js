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
