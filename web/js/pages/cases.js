// The case list: filters and paging done by the server, so a province's
// hundred thousand cases page as fast as a county's hundred. The filters
// live in the address (#/cases?state=verified&page=3): back, reload and a
// link to a colleague keep them.

import {api, errorText} from '../api.js';
import {h, fill, field, select, table, errorBox, toast} from '../dom.js';
import {STATE_ZH, PROGRAM_ZH, CONCLUSION_ZH, DECISION_ZH, zh, dateTime, count} from '../format.js';

const PAGE_SIZE = 50;
const FILTERS = ['state', 'program', 'region', 'overdue', 'q'];

function options(map) {
  return [['', '全部'], ...Object.entries(map)];
}

export default async function render(view, ctx) {
  const q = ctx.query;
  const page = Math.max(1, parseInt(q.get('page') || '1', 10) || 1);
  const state = select({name: 'state', 'data-test': 'filter-state'}, options(STATE_ZH), q.get('state'));
  const program = select({name: 'program', 'data-test': 'filter-program'}, options(PROGRAM_ZH), q.get('program'));
  const region = h('input', {name: 'region', value: q.get('region') || '', maxlength: 6,
    pattern: '[0-9]{6}', placeholder: ctx.user.region, 'data-test': 'filter-region', size: 8});
  const overdue = h('input', {type: 'checkbox', name: 'overdue', checked: q.get('overdue') === '1',
    'data-test': 'filter-overdue'});
  const search = h('input', {name: 'q', value: q.get('q') || '', maxlength: 63,
    placeholder: '案件编号的一部分', 'data-test': 'filter-q'});

  function address(p, extra) {
    const s = new URLSearchParams();
    const vals = {state: state.value, program: program.value, region: region.value.trim(),
      overdue: overdue.checked ? '1' : '', q: search.value.trim(), ...extra};
    for (const k of FILTERS) if (vals[k]) s.set(k, vals[k]);
    if (p > 1) s.set('page', p);
    const t = s.toString();
    return '/cases' + (t ? '?' + t : '');
  }

  function query(extra) {
    const o = {};
    for (const k of FILTERS) if (q.get(k)) o[k] = q.get(k);
    return {...o, ...extra};
  }

  async function exportAs(format) {
    try {
      await api.download('/cases/export', query({format}),
        `案件列表-${ctx.user.region}.${format}`);
    } catch (e) {
      toast(errorText(e), 'bad');
    }
  }

  const form = h('form', {class: 'filters', 'data-test': 'case-filters',
    onsubmit: ev => { ev.preventDefault(); ctx.go(address(1)); }},
  field('状态', state), field('救助类别', program), field('行政区划', region),
  field('案件编号', search),
  h('label', {class: 'check'}, overdue, '仅看超期'),
  h('button', {type: 'submit', class: 'primary', 'data-test': 'filter-apply'}, '查询'),
  h('a', {href: '#/cases', class: 'button'}, '清除'));

  const body = h('div', {class: 'list-body'}, h('p', {class: 'muted'}, '正在加载…'));
  fill(view,
    h('div', {class: 'page-head'}, h('h1', null, '案件列表'),
      h('div', {class: 'actions'},
        ctx.user.role === 'clerk' ? h('a', {href: '#/cases/new', class: 'button primary',
          'data-test': 'new-case'}, '受理申请') : null,
        h('button', {type: 'button', onclick: () => exportAs('xlsx'), 'data-test': 'export-xlsx'}, '导出 Excel'),
        h('button', {type: 'button', onclick: () => exportAs('csv'), 'data-test': 'export-csv'}, '导出 CSV'))),
    form, body);

  let r;
  try {
    r = await api.get('/cases', query({page, page_size: PAGE_SIZE}));
  } catch (e) {
    fill(body, errorBox(errorText(e)));
    return;
  }
  const pages = Math.max(1, Math.ceil(r.total / r.page_size));
  const link = c => h('a', {href: '#/cases/' + encodeURIComponent(c.case_no), 'data-test': 'case-link'}, c.case_no);
  fill(body,
    table([
      {title: '案件编号', cell: link},
      {title: '行政区划', cell: c => c.region},
      {title: '救助类别', cell: c => zh(PROGRAM_ZH, c.program)},
      {title: '状态', cell: c => h('span', {class: 'badge state-' + c.state}, zh(STATE_ZH, c.state))},
      {title: '核对结论', cell: c => zh(CONCLUSION_ZH, c.conclusion)},
      {title: '审核结果', cell: c => zh(DECISION_ZH, c.decision)},
      {title: '受理时间', cell: c => dateTime(c.opened_at)},
      {title: '报告期限', cell: c => c.report_due || ''},
      {title: '确认期限', cell: c => c.decision_due || ''},
      {title: '', cell: c => c.overdue ? h('span', {class: 'badge overdue'}, '超期') : ''},
    ], r.cases, {'data-test': 'case-table'}),
    h('div', {class: 'pager', 'data-test': 'pager'},
      h('span', {'data-test': 'case-total'}, `共 ${count(r.total)} 件，第 ${r.page} / ${count(pages)} 页`),
      page > 1 ? h('a', {href: '#' + address(1), class: 'button'}, '首页') : null,
      page > 1 ? h('a', {href: '#' + address(page - 1), class: 'button', 'data-test': 'page-prev'}, '上一页') : null,
      page < pages ? h('a', {href: '#' + address(page + 1), class: 'button', 'data-test': 'page-next'}, '下一页') : null,
      page < pages ? h('a', {href: '#' + address(pages), class: 'button'}, '末页') : null));
}
