// The workflow actions of a case (docs/cases.md) as buttons and a small
// form each: only the actions the server lists in `allowed_actions` for
// this user appear. Every action asks its reason; some ask more (the
// disputed item, the correction, the decision, the missing authorization).
// The reply is the case as it now is; a 409 says who acted first.

import {api, errorText} from './api.js';
import {h, fill, field, errorBox, toast} from './dom.js';
import {ACTION_ZH, CONCLUSION_ZH, PROGRAM_ZH, ROLE_ZH, STATE_ZH, zh, dateOnly} from './format.js';
import {FieldErrors} from './form_errors.js';
import {authFields, yearLater, USUAL_PURPOSES} from './auth_fields.js';
import {fitsMasked} from './pid.js';
import {sourceText} from './report_view.js';
import {correctionFields} from './correction_fields.js';

const ORDER = ['authorize', 'verify', 'object', 'correct', 'dismiss', 'decide', 'archive'];

const ENDPOINT = {
  authorize: 'authorizations', verify: 'verify', object: 'objection', correct: 'corrections',
  dismiss: 'dismissal', decide: 'decision', archive: 'archive',
};

const HINT = {
  authorize: '为尚缺授权的成员补录授权书。每名成员的授权都齐全后，案件转为“已授权”。',
  verify: '按授权读取各部门数据，出具新的核对报告；审核确认期限和异议期从今天起重新计算。',
  object: '记录申请人对报告中某项数据的异议（须在异议期内）。',
  correct: '按申请人提供的证明更正一条部门记录（只对本案生效，不改动部门数据）。更正后须重新核对。',
  dismiss: '经核实部门数据无误：驳回异议，报告维持不变，案件回到“已核对”，异议期不再重新计算。',
  decide: '异议期结束后，对核对结论作出审核确认。',
  archive: '审核确认完毕，案件归档。',
};

const REASON_EXAMPLE = {
  authorize: '如：补录申请人配偶的书面授权书', verify: '如：授权齐全，发起核对',
  object: '如：申请人称该笔工资已于2026年3月停发', correct: '如：经核实单位出具的离职证明，更正该笔收入',
  dismiss: '如：经核实银行对账单，部门数据无误', decide: '如：经审核，符合条件，予以批准',
  archive: '如：审核确认完毕，归档',
};

// c: the case; report: its latest report or null; opts: {user,
// onCase(case, action), onRefresh()}.
export function caseActions(c, report, opts) {
  const allowed = ORDER.filter(a => (c.allowed_actions || []).includes(a));
  const panel = h('div', {class: 'action-panel'});
  const buttons = allowed.map(a => h('button', {type: 'button', 'data-test': 'action-' + a,
    class: a === allowed[0] ? 'primary' : null, onclick: () => open(a)}, ACTION_ZH[a]));

  function open(a) {
    for (const b of buttons) b.classList.toggle('active', b.dataset.test === 'action-' + a);
    fill(panel, actionForm(a, c, report, opts, close));
    const first = panel.querySelector('select, input:not([type=checkbox]):not([type=radio]), textarea');
    if (first) first.focus();
  }

  function close() {
    for (const b of buttons) b.classList.remove('active');
    fill(panel);
  }

  return {
    buttons: h('div', {class: 'actions', 'data-test': 'case-actions'}, buttons.length ? buttons
      : h('span', {class: 'muted'}, '当前状态下没有您可以办理的操作')),
    panel,
  };
}

// Who moved the case first, from the server's refusal: "... (it was made
// verified by li, verifier, with 'verify')" (the state had already
// changed) or "... meanwhile: li (verifier) made it verified with 'verify'"
// (both acted at once).
export function whoActed(message) {
  const m = /made (\w+) by ([^,]+), (\w+), with '(\w+)'/.exec(message || '') ||
    /: (\S+) \((\w+)\) made it (\w+) with '(\w+)'/.exec(message || '');
  if (!m) return '';
  const [user, role, to, action] = m[0].startsWith('made')
    ? [m[2], m[3], m[1], m[4]] : [m[1], m[2], m[3], m[4]];
  return `该案件已由 ${user}（${zh(ROLE_ZH, role)}）办理“${zh(ACTION_ZH, action)}”，` +
    `现为“${zh(STATE_ZH, to)}”。请刷新后查看。`;
}

function actionForm(a, c, report, opts, close) {
  const errors = new FieldErrors();
  const reason = h('textarea', {'data-test': 'action-reason', maxlength: 500, rows: 2,
    placeholder: REASON_EXAMPLE[a]});
  const status = h('div');
  const confirm = h('button', {type: 'submit', class: 'primary', 'data-test': 'action-confirm'},
    '确认' + ACTION_ZH[a]);
  const extra = fieldsFor(a, c, report, opts.user);

  async function onsubmit(ev) {
    ev.preventDefault();
    errors.reset();
    errors.bind('reason', reason);
    extra.bind(errors);
    fill(status);
    const found = extra.check();
    if (!reason.value.trim()) found.push({field: 'reason', text: '请填写理由'});
    if (found.length) {
      for (const p of found) errors.show(p.field, p.text);
      errors.focusFirst();
      return;
    }
    confirm.disabled = true;
    try {
      const next = await api.post(`/cases/${encodeURIComponent(c.case_no)}/${ENDPOINT[a]}`,
        {...extra.body(), reason: reason.value.trim()});
      toast(`${ACTION_ZH[a]}：已办理`, 'good');
      await opts.onCase(next, a);
    } catch (e) {
      confirm.disabled = false;
      if (e.field) errors.show(e.field, errorText(e));
      const who = e.status === 409 ? whoActed(e.message) : '';
      fill(status, errorBox(who || errorText(e)), e.status === 409 ? h('p', null,
        who ? h('span', {class: 'muted'}, `（${e.message}）`) : null, ' ',
        h('button', {type: 'button', 'data-test': 'action-refresh', onclick: () => opts.onRefresh()},
          '刷新案件')) : null);
    }
  }

  return h('form', {class: 'card action-form', 'data-test': 'action-form', 'data-action': a,
    novalidate: true, onsubmit, oninput: ev => errors.clearFor(ev.target),
    onchange: ev => errors.clearFor(ev.target)},
  h('h3', null, ACTION_ZH[a]),
  h('p', {class: 'muted'}, HINT[a]),
  extra.el,
  h('label', {class: 'field wide'}, h('span', {class: 'label'}, '理由（必填）'), reason),
  status,
  h('div', {class: 'actions'}, confirm,
    h('button', {type: 'button', 'data-test': 'action-cancel', onclick: close}, '取消')));
}

// Each action's own fields: {el, bind(errors), check() → [{field, text}], body()}.
function fieldsFor(a, c, report, user) {
  if (a === 'object') return objectionFields(c, report);
  if (a === 'correct') return correctionFields(c, report);
  if (a === 'decide') return decisionFields(c);
  if (a === 'authorize') return authorizationFields(c, user);
  return {el: null, bind() {}, check: () => [], body: () => ({})};
}

function today() {
  return dateOnly(Date.now() / 1000);
}

function objectionFields(c, report) {
  const sources = (report && report.sources) || [];
  const item = h('input', {'data-test': 'objection-item', maxlength: 500, size: 60, autocomplete: 'off',
    placeholder: '选择报告中的记录，或直接填写有异议的事项'});
  const pick = h('select', {'data-test': 'objection-source', onchange: () => {
    const s = sources[pick.value];
    if (s) item.value = `${s.feed} ${s.key}`;
  }}, h('option', {value: ''}, sources.length ? '从报告的数据来源中选择…' : '（报告中没有数据来源记录）'),
  sources.map((s, i) => h('option', {value: i}, sourceText(report, s))));
  return {
    el: h('div', null,
      c.objection_until ? h('p', {class: today() > c.objection_until ? 'error' : null},
        `异议期至 ${c.objection_until}（含当日）` +
        (today() > c.objection_until ? '，已经届满，服务器将拒绝受理。' : '。')) : null,
      field('报告中的记录', pick), h('br'), field('异议事项', item)),
    bind(errors) { errors.bind('item', item); },
    check: () => item.value.trim() ? [] : [{field: 'item', text: '请选择或填写有异议的事项'}],
    body: () => ({item: item.value.trim()}),
  };
}

function decisionFields(c) {
  const radio = (value, text) => h('label', {class: 'check'}, h('input', {type: 'radio', name: 'decision',
    value, 'data-test': 'decision-' + value}), text);
  const approved = radio('approved', '批准');
  const rejected = radio('rejected', '不予批准');
  const box = h('span', {class: 'checks', tabindex: -1}, approved, rejected);
  const chosen = () => (box.querySelector('input:checked') || {}).value || '';
  return {
    el: h('div', null,
      c.objection_until && today() <= c.objection_until ? h('p', {class: 'error'},
        `异议期至 ${c.objection_until}，期满后才能审核确认。`) : null,
      c.conclusion ? h('p', null, '核对报告的建议结论：',
        h('span', {class: 'badge conclusion-' + c.conclusion}, zh(CONCLUSION_ZH, c.conclusion))) : null,
      h('div', {class: 'field'}, h('span', {class: 'label'}, '审核结果'), box)),
    bind(errors) { errors.bind('decision', box); },
    check: () => chosen() ? [] : [{field: 'decision', text: '请选择批准或不予批准'}],
    body: () => ({decision: chosen()}),
  };
}

// A member's authorization recorded after registration. The case shows
// members' IDs masked: the clerk types the full ID from the paper form,
// and it must fit one of the masked ones.
function authorizationFields(c, user) {
  const members = c.members || [];
  const memberAt = pid => members.findIndex(m => fitsMasked(pid, m.pid));
  const auth = authFields({
    auto_id: true, scope: ['*'], issued_by: user.region, valid_from: c.applied_on || '',
    valid_until: yearLater(c.applied_on || ''),
    purpose: [...new Set([c.program, ...USUAL_PURPOSES])].filter(p => PROGRAM_ZH[p]),
  }, {onEdit: () => suggest()});
  function suggest() {
    const k = memberAt(auth.pid());
    auth.suggestId(k >= 0 ? `AUTH-${c.case_no}-${k + 1}` : '');
  }
  return {
    el: h('div', null, h('p', {class: 'muted'}, '本户成员：', members.map((m, i) =>
      h('span', {class: 'member-chip'}, `${i + 1}. ${m.name} ${m.pid}`))), auth.el),
    bind(errors) { auth.bind(errors, 'authorization'); },
    check: () => auth.check({isMember: pid => memberAt(pid) >= 0, region: user.region})
      .map(p => ({field: 'authorization.' + p.field, text: p.field === 'pid' && /不是/.test(p.text)
        ? '与本案任何成员的身份证号（前6位、后4位）都不相符' : p.text})),
    body: () => ({authorization: auth.read()}),
  };
}
