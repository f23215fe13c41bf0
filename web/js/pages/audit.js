// The audit trail, for auditors: search the entries (newest first) by a
// citizen ID, a user, a case, an action and dates, and check that the
// hash chain holding them is intact.
//
// A citizen ID is typed, sent once as `pid` (the server searches its
// keyed hash) and never shown back in full: the filters live in the page,
// not in the address, so the ID stays out of the browser's history, and
// once searched the field empties and the filter shows it masked.

import {api, errorText} from '../api.js';
import {h, fill, field, select, table, errorBox} from '../dom.js';
import {ROLE_ZH, FEED_ZH, AUDIT_ACTION_ZH, AUDIT_OUTCOME_ZH, zh, dateTime, count} from '../format.js';
import {pager} from '../paging.js';

const PAGE_SIZE = 50;

function maskPid(pid) {
  const p = pid.trim().toUpperCase();
  return p.length > 10 ? p.slice(0, 6) + '*'.repeat(p.length - 10) + p.slice(-4) : '*'.repeat(p.length);
}

// GB 11643: 17 digits and a check character, or an old 15-digit ID.
// Checked here so that a mistyped ID is caught before it is sent.
const PID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];

function pidProblem(text) {
  const p = text.trim().toUpperCase();
  if (/^[0-9]{15}$/.test(p)) return '';
  if (!/^[0-9]{17}[0-9X]$/.test(p)) return '身份证号应为 18 位（末位可为 X）或 15 位数字';
  const sum = PID_WEIGHTS.reduce((n, w, i) => n + w * Number(p[i]), 0);
  return '10X98765432'[sum % 11] === p[17] ? '' : '身份证号校验位不对，请核对后重新输入';
}

const DATE_RE = /^[0-9]{4}-[0-9]{2}-[0-9]{2}$/;

// The outcome in Chinese where it is one of the service's words; a failed
// sign-in that locked the account says until when (UTC in the entry).
function outcomeText(o) {
  if (!o) return '';
  if (AUDIT_OUTCOME_ZH[o]) return AUDIT_OUTCOME_ZH[o];
  const locked = /^(.*), locked until (\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z)$/.exec(o);
  if (locked && AUDIT_OUTCOME_ZH[locked[1]])
    return `${AUDIT_OUTCOME_ZH[locked[1]]}，账号锁定至 ${dateTime(Date.parse(locked[2]) / 1000)}`;
  return o.startsWith('ok ') ? `成功（${o.slice(3)}）` : o;
}

// A person is a keyed hash: its first digits tell entries apart.
function shortHashes(list) {
  return (list || []).map(x => h('span', {class: 'hash mono', title: x}, String(x).slice(0, 8) + '…'));
}

const KIND_ZH = {altered: '被改动', removed: '被删除', inserted: '被插入', reordered: '顺序被调换'};

// One problem of the chain, in a sentence (docs/audit.md, "Classification").
function problemText(p) {
  switch (p.kind) {
  case 'removed': {
    const range = p.seq_end > p.seq ? `${p.seq}–${p.seq_end}` : String(p.seq);
    const around = p.before || p.after ? `（在序号 ${p.before || '—'} 与 ${p.after || '—'} 之间）` : '';
    return `序号 ${range} 的记录被删除${around}`;
  }
  case 'reordered':
    return `序号 ${p.seq} 的记录原应在序号 ${p.seq_end}${p.count > 1 ? `（连续 ${count(p.count)} 条被整体移动）` : ''}`;
  case 'inserted':
    return p.seq ? `序号 ${p.seq} 处的记录是插入的${p.seq_end ? `（复制自序号 ${p.seq_end}）` : ''}`
      : `记录（行号 ${p.id}）是插入的`;
  case 'altered':
    return `序号 ${p.seq} 的记录被改动`;
  default:
    return `序号 ${p.seq}：${zh(KIND_ZH, p.kind)}`;
  }
}

// The verifier's own words, for whoever investigates (docs/audit.md).
function detailOf(p) {
  return p.detail ? h('span', {class: 'muted'}, `（技术说明：${p.detail}）`) : null;
}

export default async function render(view) {
  const filters = {pid: '', user: '', case_no: '', action: '', from: '', to: ''};
  let page = 1;

  const pid = h('input', {name: 'pid', maxlength: 18, autocomplete: 'off', spellcheck: 'false',
    placeholder: '18 位身份证号', 'data-test': 'audit-pid', size: 20});
  const user = h('input', {name: 'user', maxlength: 64, autocomplete: 'off', 'data-test': 'audit-user', size: 12});
  const caseNo = h('input', {name: 'case_no', maxlength: 63, autocomplete: 'off',
    'data-test': 'audit-case', size: 20});
  const action = select({name: 'action', 'data-test': 'audit-action'},
    [['', '全部'], ...Object.entries(AUDIT_ACTION_ZH)], '');
  // Plain text, not type=date: a date control writes its placeholder in
  // the browser's language.
  const from = h('input', {name: 'from', maxlength: 10, placeholder: '2026-01-01', 'data-test': 'audit-from', size: 11});
  const to = h('input', {name: 'to', maxlength: 10, placeholder: '2026-12-31', 'data-test': 'audit-to', size: 11});
  const pidChip = h('span', {class: 'chip-slot'});
  const formStatus = h('div');
  const results = h('div', null, h('p', {class: 'muted'}, '正在加载…'));
  const verifyBox = h('div');

  function showPidChip() {
    fill(pidChip, filters.pid ? h('span', {class: 'chip', 'data-test': 'audit-pid-active'},
      `身份证号 ${maskPid(filters.pid)}`,
      h('button', {type: 'button', class: 'link', title: '不按身份证号查询', onclick: () => {
        filters.pid = '';
        showPidChip();
        search(1);
      }}, '×')) : null);
  }

  async function search(p) {
    page = p;
    fill(formStatus);
    let r;
    try {
      r = await api.get('/audit', {...filters, page, page_size: PAGE_SIZE});
    } catch (e) {
      if (e.field === 'pid') {
        // Back in the field it was typed in, to be corrected.
        pid.value = filters.pid;
        filters.pid = '';
        showPidChip();
        fill(formStatus, errorBox('身份证号无效，请核对后重新输入'));
        pid.focus();
      } else {
        fill(results, errorBox(errorText(e)));
      }
      return;
    }
    fill(results,
      h('div', {class: 'table-wrap'}, table([
        {title: '序号', cell: e => String(e.seq), class: 'num'},
        {title: '时间', cell: e => dateTime(e.at), class: 'nowrap'},
        {title: '操作人', cell: e => e.actor, class: 'nowrap'},
        {title: '角色', cell: e => zh(ROLE_ZH, e.role), class: 'nowrap'},
        {title: '辖区', cell: e => e.region || ''},
        {title: '操作', cell: e => h('span', {title: e.action, 'data-action': e.action}, zh(AUDIT_ACTION_ZH, e.action)),
          class: 'nowrap'},
        {title: '案件', cell: e => e.case_no || '', class: 'nowrap'},
        {title: '涉及人员', cell: e => shortHashes(e.persons), class: 'nowrap'},
        {title: '数据项', cell: e => (e.feeds || []).map(f => zh(FEED_ZH, f)).join('、'), class: 'wrap'},
        {title: '授权书', cell: e => (e.authorizations || []).map(a => h('div', {class: 'mono'}, a)), class: 'nowrap'},
        {title: '结果', cell: e => outcomeText(e.outcome), class: 'wrap'},
      ], r.entries, {'data-test': 'audit-table'})),
      pager({page: r.page, pageSize: r.page_size, total: r.total, go: n => search(n)}));
  }

  function onsubmit(ev) {
    ev.preventDefault();
    const bad = (pid.value.trim() && pidProblem(pid.value))
      || ([from, to].some(d => d.value.trim() && !DATE_RE.test(d.value.trim())) && '日期请按 2026-01-31 的格式填写')
      || (from.value.trim() && to.value.trim() && from.value.trim() > to.value.trim() && '起始日期不能晚于截止日期');
    if (bad) {
      fill(formStatus, errorBox(bad));
      return;
    }
    // A new ID replaces the one searched before; the field does not keep it.
    if (pid.value.trim()) filters.pid = pid.value.trim().toUpperCase();
    pid.value = '';
    Object.assign(filters, {user: user.value.trim(), case_no: caseNo.value.trim(),
      action: action.value, from: from.value.trim(), to: to.value.trim()});
    showPidChip();
    search(1);
  }

  function onreset() {
    Object.assign(filters, {pid: '', user: '', case_no: '', action: '', from: '', to: ''});
    showPidChip();
    fill(formStatus);
    search(1);
  }

  const verifyButton = h('button', {type: 'button', 'data-test': 'audit-verify', onclick: verify}, '校验日志链');

  async function verify() {
    verifyButton.disabled = true;
    fill(verifyBox, h('p', {class: 'muted'}, '正在校验整条日志链…'));
    let r;
    try {
      r = await api.get('/audit/verify');
    } catch (e) {
      fill(verifyBox, errorBox(errorText(e)));
      return;
    } finally {
      verifyButton.disabled = false;
    }
    const head = h('p', null, `最新一条：序号 ${r.head.seq}，哈希 `, h('span', {class: 'mono', 'data-test': 'audit-head-hash'}, r.head.hash));
    const unchained = r.unchained ? h('p', {class: 'muted'}, `另有 ${count(r.unchained)} 条早于哈希链的记录，不在校验范围内。`) : null;
    fill(verifyBox, r.intact
      ? h('div', {class: 'notice good', 'data-test': 'audit-verify-result', 'data-intact': '1'},
        h('p', null, h('strong', null, '日志链完整'), `：共 ${count(r.entries)} 条记录，未发现改动、删除、插入或调换。`),
        head, unchained,
        h('p', {class: 'muted'}, '请把最新一条的序号和哈希另行留存（如记入审计记录），日后可据此发现末尾被删去的记录。'))
      : h('div', {class: 'error', role: 'alert', 'data-test': 'audit-verify-result', 'data-intact': '0'},
        h('p', null, h('strong', null, '日志链已被篡改'), `：共 ${count(r.entries)} 条记录，发现 ${count(r.problems)} 处问题。`),
        r.first ? h('p', {'data-test': 'audit-verify-first'}, '第一处：', problemText(r.first), '。',
          detailOf(r.first)) : null,
        head, unchained,
        r.problem_list.length > 1 ? h('details', null,
          h('summary', null, `全部问题（列出前 ${r.problem_list.length} 处）`),
          h('ol', null, r.problem_list.map(p => h('li', null, problemText(p), detailOf(p))))) : null));
  }

  fill(view,
    h('div', {class: 'page-head'}, h('h1', null, '审计查询'), h('div', {class: 'actions'}, verifyButton)),
    verifyBox,
    h('form', {class: 'filters', onsubmit, onreset, 'data-test': 'audit-filters'},
      field('身份证号', pid), field('操作人', user), field('案件编号', caseNo), field('操作', action),
      field('起始日期', from), field('截止日期', to),
      h('button', {type: 'submit', class: 'primary', 'data-test': 'audit-search'}, '查询'),
      h('button', {type: 'reset', 'data-test': 'audit-reset'}, '清除'),
      pidChip, formStatus),
    results);
  await search(1);
}
