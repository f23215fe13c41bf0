// Citizen IDs (GB 11643-1999) as far as the browser can check them before
// the server does: 6 digits of address code, an 8-digit birth date that is
// a real date, a 3-digit sequence and the ISO 7064 MOD 11-2 check
// character. Only the 18-character form: the clerk copies it from a
// second-generation card. The server stays the judge (it also takes the
// 15-digit form); this only spares a round trip for a typing error.

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK = '10X98765432';

// As typed, without spaces, a lowercase x taken as X (the server does too).
export function normalizePid(s) {
  return String(s ?? '').replace(/\s+/g, '').toUpperCase();
}

// The check character of the first 17 digits.
export function pidCheckChar(first17) {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += (first17.charCodeAt(i) - 48) * WEIGHTS[i];
  return CHECK[sum % 11];
}

// 'YYYY-MM-DD' when it is a real calendar date, else ''.
export function realDate(s) {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(String(s ?? ''));
  if (!m) return '';
  const [y, mo, d] = [+m[1], +m[2], +m[3]];
  const t = new Date(Date.UTC(2000, mo - 1, d));
  t.setUTCFullYear(y);
  return y >= 1 && t.getUTCMonth() === mo - 1 && t.getUTCDate() === d ? m[0] : '';
}

// What is wrong with an ID, in Chinese, or '' when nothing is.
export function pidProblem(s) {
  const pid = normalizePid(s);
  if (!pid) return '请填写身份证号';
  if (pid.length !== 18) return `身份证号应为18位，现为${pid.length}位`;
  if (!/^\d{17}[\dX]$/.test(pid)) return '身份证号前17位应为数字，末位为数字或X';
  if (!realDate(`${pid.slice(6, 10)}-${pid.slice(10, 12)}-${pid.slice(12, 14)}`))
    return '身份证号中的出生日期不存在';
  const want = pidCheckChar(pid);
  if (pid[17] !== want) return `身份证号校验码不符（按前17位应为 ${want}），请核对`;
  return '';
}

// The birth date an ID carries, 'YYYY-MM-DD'.
export function pidBirth(pid) {
  const p = normalizePid(pid);
  return `${p.slice(6, 10)}-${p.slice(10, 12)}-${p.slice(12, 14)}`;
}

// Completed years on `date` ('YYYY-MM-DD'), or null when either is unusable.
export function ageOn(pid, date) {
  if (pidProblem(pid) || !realDate(date)) return null;
  const b = pidBirth(pid);
  let age = +date.slice(0, 4) - +b.slice(0, 4);
  if (date.slice(5) < b.slice(5)) age--;
  return age;
}

// 330106********1234, as the server masks IDs.
export function maskPid(pid) {
  const p = normalizePid(pid);
  return p.length === 18 ? p.slice(0, 6) + '********' + p.slice(14) : p;
}

// Does a full ID fit a masked one (the first 6 and last 4 characters)?
export function fitsMasked(full, masked) {
  const f = normalizePid(full), m = normalizePid(masked);
  return f.length === 18 && m.length === 18 &&
    f.slice(0, 6) === m.slice(0, 6) && f.slice(14) === m.slice(14);
}

// Mask every full ID inside a text (a record key, say).
export function maskPidsIn(text) {
  return String(text ?? '').replace(/(^|[^0-9])(\d{6})\d{8}(\d{3}[\dXx])(?![0-9])/g,
    (_, pre, a, b) => `${pre}${a}********${b.toUpperCase()}`);
}
