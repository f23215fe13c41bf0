// One authorization (feeds.md "Applications and authorizations") as form
// fields: used for each row of a new application and for the authorization
// a clerk adds to a case later. It reads back the JSON the API takes and
// checks what the browser can; the server checks the rest (docs/consent.md).

import {h, field} from './dom.js';
import {PROGRAM_ZH} from './format.js';
import {normalizePid, pidProblem, ageOn, realDate} from './pid.js';
import {FEED_ZH} from './report_words.js';

// Besides the program applied for, the paper consent form usually covers
// these: a family refused dibao is often checked for the others.
export const USUAL_PURPOSES = ['dibao', 'low_income', 'medical_aid'];

const KNOWN = ['authorization_id', 'pid', 'signed_by', 'purpose', 'scope', 'valid_from',
  'valid_until', 'issued_by', 'guardian_basis', 'signature'];

// Does an account of region `mine` cover `region` (docs/api.md: a county
// itself, a city xxxx00 its counties, a province xx0000 its cities)?
export function regionCovers(mine, region) {
  if (!/^\d{6}$/.test(region || '')) return false;
  if (mine.endsWith('0000')) return region.startsWith(mine.slice(0, 2));
  if (mine.endsWith('00')) return region.startsWith(mine.slice(0, 4));
  return region === mine;
}

// A consent runs for a year: the day before the same date a year later
// (2026-11-20 → 2027-11-19; 2028-02-29 → 2029-02-28).
export function yearLater(date) {
  if (!realDate(date)) return '';
  const [y, m, d] = date.split('-').map(Number);
  const t = new Date(Date.UTC(2000, m - 1, d));
  t.setUTCFullYear(y + 1);
  if (t.getUTCDate() !== d) t.setUTCDate(0); // 02-29 with no 02-29 next year
  else t.setUTCDate(t.getUTCDate() - 1);
  return t.toISOString().slice(0, 10);
}

function input(test, attrs) {
  return h('input', {'data-test': test, autocomplete: 'off', ...attrs});
}

// auth: the values to start with; opts: {listId (a <datalist> of the
// members' IDs), onRemove, onEdit}.
export function authFields(auth, opts = {}) {
  const id = input('auth-id', {maxlength: 63, size: 30, 'aria-required': 'true'});
  const pid = input('auth-pid', {class: 'pid', maxlength: 18, list: opts.listId, 'aria-required': 'true',
    placeholder: '被授权成员身份证号'});
  const signedBy = input('auth-signed-by', {class: 'pid', maxlength: 18, list: opts.listId,
    'aria-required': 'true', placeholder: '签字人身份证号'});
  const purposes = Object.entries(PROGRAM_ZH).map(([code, zh]) =>
    h('label', {class: 'check'}, h('input', {type: 'checkbox', value: code,
      'data-test': 'auth-purpose-' + code}), zh));
  const purposeBox = h('span', {class: 'checks', 'data-test': 'auth-purpose', tabindex: -1},
    purposes);
  const scope = input('auth-scope', {size: 10, placeholder: '*'});
  const from = input('auth-valid-from', {size: 11, maxlength: 10, placeholder: '年-月-日',
    pattern: '\\d{4}-\\d{2}-\\d{2}'});
  const until = input('auth-valid-until', {size: 11, maxlength: 10, placeholder: '年-月-日',
    pattern: '\\d{4}-\\d{2}-\\d{2}'});
  const issuedBy = input('auth-issued-by', {size: 7, maxlength: 6, pattern: '\\d{6}'});
  const guardian = h('input', {type: 'checkbox', 'data-test': 'auth-guardian-basis'});
  const signedNote = h('span', {class: 'badge good', hidden: true,
    title: '导入的授权书带有出具节点的电子签名；修改任何一项都会使签名失效，改由本中心签名'}, '已签名');
  let signature = '';
  let extra = {};
  let idEdited = false;

  const row = h('div', {class: 'auth-row block-errors', 'data-test': 'auth-row'},
    h('div', {class: 'row-line'},
      field('授权书编号', id),
      field('被授权人身份证号', pid),
      field('签字人身份证号', signedBy),
      h('label', {class: 'check guardian'}, guardian, '成年人无民事行为能力，由监护人代签'),
      signedNote,
      opts.onRemove ? h('button', {type: 'button', class: 'link remove', 'data-test': 'auth-remove',
        onclick: () => opts.onRemove()}, '删除') : null),
    h('div', {class: 'row-line'},
      h('div', {class: 'field'}, h('span', {class: 'label'}, '授权用途'), purposeBox),
      field('查询范围', scope),
      field('有效期自', from),
      field('有效期至', until),
      field('出具地区', issuedBy)));

  // Any edit of a signed record makes it this office's own record.
  row.addEventListener('input', ev => {
    if (ev.target === id) idEdited = true;
    if (signature) {
      signature = '';
      signedNote.hidden = true;
    }
    if (opts.onEdit) opts.onEdit(ev);
  });

  function fill(a) {
    id.value = a.authorization_id || '';
    pid.value = a.pid || '';
    signedBy.value = a.signed_by || '';
    const want = new Set(Array.isArray(a.purpose) ? a.purpose : []);
    for (const l of purposes) l.firstChild.checked = want.has(l.firstChild.value);
    scope.value = Array.isArray(a.scope) ? a.scope.join(',') : (a.scope || '*');
    from.value = a.valid_from || '';
    until.value = a.valid_until || '';
    issuedBy.value = a.issued_by || '';
    guardian.checked = a.guardian_basis === 'no_capacity';
    signature = typeof a.signature === 'string' ? a.signature : '';
    signedNote.hidden = !signature;
    extra = {};
    for (const [k, v] of Object.entries(a))
      if (!KNOWN.includes(k) && k !== 'auto_id') extra[k] = v;
    idEdited = Boolean(a.authorization_id) && !a.auto_id;
  }

  // The record as the API takes it.
  function read() {
    const a = {
      ...extra,
      authorization_id: id.value.trim(),
      pid: normalizePid(pid.value),
      signed_by: normalizePid(signedBy.value),
      purpose: purposes.filter(l => l.firstChild.checked).map(l => l.firstChild.value),
      scope: scope.value.split(/[,，\s]+/).filter(Boolean),
      valid_from: from.value.trim(),
      valid_until: until.value.trim(),
      issued_by: issuedBy.value.trim(),
    };
    if (guardian.checked) a.guardian_basis = 'no_capacity';
    if (signature) a.signature = signature;
    return a;
  }

  // What the browser can tell is wrong, as [{field, text}] with the
  // fields named as the server names them. `isMember(pid)` says whether
  // the person belongs to the application; `region` is the clerk's.
  function check({isMember, region}) {
    const a = read(), out = [];
    const bad = (f, text) => out.push({field: f, text});
    if (!a.authorization_id) bad('authorization_id', '请填写授权书编号');
    else if (/[,\u0000-\u001f\u007f]/.test(a.authorization_id) ||
      new TextEncoder().encode(a.authorization_id).length > 63)
      bad('authorization_id', '编号不超过63个字节，不能含逗号');
    const pidBad = pidProblem(a.pid);
    if (pidBad) bad('pid', pidBad);
    else if (isMember && !isMember(a.pid)) bad('pid', '此人不是申请的家庭成员');
    const signerBad = pidProblem(a.signed_by);
    if (signerBad) bad('signed_by', signerBad);
    if (!a.purpose.length) bad('purpose', '至少勾选一项授权用途');
    if (!a.scope.length) bad('scope', '请填写查询范围（* 表示全部数据项）');
    for (const s of a.scope)
      if (s !== '*' && !FEED_ZH[s]) { bad('scope', `未知的数据项“${s}”`); break; }
    const okFrom = realDate(a.valid_from), okUntil = realDate(a.valid_until);
    if (!okFrom) bad('valid_from', '请填写有效日期（年-月-日）');
    if (!okUntil) bad('valid_until', '请填写有效日期（年-月-日）');
    if (okFrom && okUntil && a.valid_until < a.valid_from) bad('valid_until', '有效期止不能早于起始日');
    if (!/^\d{6}$/.test(a.issued_by)) bad('issued_by', '请填写6位行政区划代码');
    else if (!signature && region && !regionCovers(region, a.issued_by))
      bad('issued_by', `本中心录入的授权书只能由本辖区（${region}）出具`);
    // docs/consent.md "Who may sign": the signer is 18 or over; someone
    // else signs only for a minor or, when stated, an adult without capacity.
    if (!signature && !pidBad && !signerBad && okFrom) {
      if (ageOn(a.signed_by, a.valid_from) < 18) bad('signed_by', '签字人在授权生效日未满18周岁；未成年人的授权书由年满18周岁的监护人签字');
      else if (a.signed_by !== a.pid && ageOn(a.pid, a.valid_from) >= 18 && !guardian.checked)
        bad('signed_by', '成年人应本人签字；如由监护人代签，请勾选“成年人无民事行为能力”');
    }
    return out;
  }

  function bind(errors, prefix) {
    const controls = {authorization_id: id, pid, signed_by: signedBy, purpose: purposeBox,
      scope, valid_from: from, valid_until: until, issued_by: issuedBy,
      guardian_basis: guardian, signature: signedNote};
    errors.bind(prefix, row);
    for (const [k, c] of Object.entries(controls)) errors.bind(`${prefix}.${k}`, c);
  }

  fill(auth || {});
  return {
    el: row, fill, read, check, bind,
    pid: () => normalizePid(pid.value),
    isBlank: () => !id.value.trim() && !pid.value.trim() && !signedBy.value.trim(),
    // A member's ID corrected in the family list follows here.
    replacePid(old, now) {
      if (!old) return;
      if (normalizePid(pid.value) === old) pid.value = now;
      if (normalizePid(signedBy.value) === old) signedBy.value = now;
    },
    // A suggested id follows the application number until the clerk edits it.
    suggestId(value) {
      if (!idEdited) id.value = value;
    },
  };
}
