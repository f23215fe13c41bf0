// One case: where it stands (state, deadlines, objection window), its
// members with masked IDs, its history and corrections, the actions this
// user may take now, and its latest report drawn from the report's JSON.

import {api, errorText} from '../api.js';
import {h, fill, table, errorBox} from '../dom.js';
import {STATE_ZH, PROGRAM_ZH, CONCLUSION_ZH, DECISION_ZH, ACTION_ZH, ROLE_ZH, RELATION_ZH, zh,
  dateTime, dateOnly} from '../format.js';
import {maskPidsIn} from '../pid.js';
import {reportView, memberStatus, correctionText} from '../report_view.js';
import {caseActions} from '../case_actions.js';
import {FEED_ZH} from '../report_words.js';

async function loadReport(no) {
  try {
    return await api.get(`/cases/${encodeURIComponent(no)}/report`);
  } catch (e) {
    if (e.status === 401) throw e;
    return {failed_to_load: errorText(e)};
  }
}

function objectionWindow(c) {
  if (!c.objection_until) return '';
  const open = dateOnly(Date.now() / 1000) <= c.objection_until;
  return h('span', null, c.objection_until, ' ', h('span', {class: 'badge ' + (open ? 'warn' : ''),
    'data-test': 'objection-window', 'data-open': open ? '1' : '0'}, open ? '异议期内' : '异议期已过'));
}

function facts(c) {
  const row = (title, value) => [h('dt', null, title), h('dd', null, value || '—')];
  return h('section', {class: 'card'}, h('h2', null, '案件信息'), h('dl', {class: 'facts', 'data-test': 'case-facts'},
    row('行政区划', c.region),
    row('救助类别', zh(PROGRAM_ZH, c.program)),
    row('申请日期', c.applied_on),
    row('受理', `${dateTime(c.opened_at)}（${c.opened_by}）`),
    row('最近办理', dateTime(c.updated_at)),
    row('报告期限', c.report_due),
    row('审核确认期限', c.decision_due),
    row('异议期至', objectionWindow(c)),
    row('是否超期', c.overdue ? h('span', {class: 'badge overdue'}, '已超期') : '否'),
    row('核对结论', c.conclusion ? h('span', {class: 'badge conclusion-' + c.conclusion},
      zh(CONCLUSION_ZH, c.conclusion)) : '尚未核对'),
    row('审核结果', zh(DECISION_ZH, c.decision))));
}

function members(c, report) {
  const found = report && Array.isArray(report.members) ? report.members : [];
  const rows = (c.members || []).map((m, i) => ({...m, i, found: found[i]}));
  return h('section', {class: 'card'}, h('h2', null, `家庭成员（${rows.length} 人）`), table([
    {title: '', cell: m => String(m.i + 1)},
    {title: '身份证号', cell: m => h('span', {class: 'mono'}, m.pid)},
    {class: 'nowrap', title: '姓名', cell: m => m.name},
    {class: 'nowrap', title: '与户主关系', cell: m => zh(RELATION_ZH, m.relation)},
    {title: '年龄', class: 'num', cell: m => m.found && m.found.age !== null && m.found.age !== undefined
      ? String(m.found.age) : ''},
    {title: '核对情况', cell: m => memberStatus(m.found)},
  ], rows, {'data-test': 'members'}));
}

// An event's detail: the disputed item, the corrections, the decision.
function detailText(d) {
  if (!d || typeof d !== 'object') return '';
  const out = [];
  if (d.item) out.push(`异议事项：${maskPidsIn(d.item)}`);
  if (Array.isArray(d.corrections)) out.push(d.corrections.length ? `更正 ${d.corrections.length} 项` : '');
  else if (typeof d.corrections === 'number' && d.corrections) out.push(`适用更正 ${d.corrections} 项`);
  if (d.decision) out.push(`审核结果：${zh(DECISION_ZH, d.decision)}`);
  return out.filter(Boolean).join('；');
}

function events(c) {
  return h('section', {class: 'card'}, h('h2', null, '办理记录'), h('div', {class: 'scroll-box'}, table([
    {class: 'nowrap', title: '时间', cell: e => dateTime(e.at)},
    {class: 'nowrap', title: '办理人', cell: e => e.username},
    {class: 'nowrap', title: '角色', cell: e => zh(ROLE_ZH, e.role)},
    {class: 'nowrap', title: '操作', cell: e => zh(ACTION_ZH, e.action)},
    {class: 'nowrap', title: '原状态', cell: e => zh(STATE_ZH, e.from) || '—'},
    {class: 'nowrap', title: '新状态', cell: e => zh(STATE_ZH, e.to)},
    {title: '理由', cell: e => e.reason},
    {title: '说明', cell: e => detailText(e.detail)},
  ], c.events || [], {'data-test': 'events'})));
}

function corrections(c) {
  if (!c.corrections || !c.corrections.length) return null;
  return h('section', {class: 'card'}, h('h2', null, '更正记录'),
    h('p', {class: 'muted'}, '更正只对本案生效，在下一次核对时适用；部门数据不作改动。'),
    h('div', {class: 'scroll-box'}, table([
      {title: '编号', cell: x => String(x.id)},
      {class: 'nowrap', title: '成员', cell: x => h('span', {class: 'mono'}, x.pid)},
      {class: 'nowrap', title: '数据', cell: x => zh(FEED_ZH, x.feed)},
      // The record key names the person in full in the API's reply; it is
      // masked here like every other ID on the page.
      {title: '记录键', cell: x => h('span', {class: 'mono key'}, maskPidsIn(x.record_key))},
      {title: '更正内容', cell: x => correctionText(x.feed, {field: x.field, value: x.value})},
      {title: '依据', cell: x => x.evidence},
      {class: 'nowrap', title: '更正人', cell: x => x.made_by},
      {class: 'nowrap', title: '时间', cell: x => dateTime(x.made_at)},
    ], c.corrections, {'data-test': 'corrections'})));
}

function reportArea(c, report) {
  if (!report) return h('section', {class: 'card', 'data-test': 'no-report'}, h('h2', null, '核对报告'),
    h('p', {class: 'muted'}, '案件尚未核对，还没有报告。'));
  if (report.failed_to_load) return h('section', {class: 'card'}, h('h2', null, '核对报告'),
    errorBox(`报告读取失败：${report.failed_to_load}`));
  return reportView(report, c.case_no);
}

export default async function render(view, ctx) {
  const no = ctx.params.case_no;
  let c;
  try {
    c = await api.get(`/cases/${encodeURIComponent(no)}`);
  } catch (e) {
    // A case of another county is not this user's to see, nor to learn more about.
    if (e.status !== 403 && e.status !== 404) throw e;
    fill(view, h('h1', null, '案件'), errorBox(e.status === 403
      ? '无权查看此案件：案件不在您的辖区内。' : `没有编号为 ${no} 的案件。`),
    h('p', null, h('a', {href: '#/cases'}, '返回案件列表')));
    return;
  }
  let report = c.conclusion ? await loadReport(no) : null;

  async function refresh() {
    c = await api.get(`/cases/${encodeURIComponent(no)}`);
    report = c.conclusion ? await loadReport(no) : null;
    show();
  }

  // After an action the reply is the case; a verification also made a new report.
  async function onCase(next, action) {
    const newReport = action === 'verify' || (next.conclusion && !report);
    c = next;
    if (newReport) report = await loadReport(no);
    show();
  }

  function show() {
    const actions = caseActions(c, report, {user: ctx.user, onCase, onRefresh: () =>
      refresh().catch(e => fill(view, errorBox(errorText(e))))});
    fill(view,
      h('div', {class: 'page-head'},
        h('h1', null, `案件 ${c.case_no} `,
          h('span', {class: 'badge state state-' + c.state, 'data-test': 'case-state', 'data-state': c.state},
            zh(STATE_ZH, c.state)),
          c.overdue ? h('span', {class: 'badge overdue', 'data-test': 'case-overdue'}, '超期') : null),
        actions.buttons),
      actions.panel,
      h('div', {class: 'cols'}, facts(c), members(c, report)),
      events(c),
      corrections(c),
      reportArea(c, report),
      h('p', null, h('a', {href: '#/cases'}, '返回案件列表')));
  }

  show();
}
