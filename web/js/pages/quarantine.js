// The quarantined rows of one delivery, for admins: where each bad row is
// (file, line, column, field), why it was set aside, and the record as
// the department sent it, with every citizen ID masked by the server.
// The admin passes this to the department to correct and resend.

import {api, errorText} from '../api.js';
import {h, fill, table, errorBox} from '../dom.js';
import {DEPARTMENT_ZH, FEED_ZH, REJECT_ZH, zh, dateTime} from '../format.js';
import {pager, pageOf} from '../paging.js';
import {outcomeBadge, rejectText} from './deliveries.js';

const PAGE_SIZE = 50;

export default async function render(view, ctx) {
  const id = ctx.params.delivery_id;
  const page = pageOf(ctx.query);
  const facts = h('div');
  const body = h('div', null, h('p', {class: 'muted'}, '正在加载…'));
  fill(view,
    h('div', {class: 'page-head'}, h('h1', null, '隔离数据'),
      h('div', {class: 'actions'}, h('a', {href: '#/deliveries', class: 'button'}, '返回数据交换'))),
    facts, body);

  // The delivery itself (department, date, outcome) is in the list of all.
  const [listed, rows] = await Promise.allSettled([
    api.get('/deliveries'),
    api.get(`/deliveries/${encodeURIComponent(id)}/quarantine`, {page, page_size: PAGE_SIZE}),
  ]);
  const d = listed.status === 'fulfilled'
    ? listed.value.deliveries.find(x => x.delivery_id === id) : null;
  fill(facts, h('dl', {class: 'facts card'},
    h('dt', null, '交换批次号'), h('dd', {class: 'mono'}, id),
    d ? [
      h('dt', null, '报送部门'), h('dd', null, zh(DEPARTMENT_ZH, d.department)),
      h('dt', null, '数据日期'), h('dd', null, d.as_of),
      h('dt', null, '接收时间'), h('dd', null, dateTime(d.loaded_at)),
      h('dt', null, '结果'), h('dd', null, outcomeBadge(d), d.accepted ? null : ' ' + rejectText(d)),
      h('dt', null, '数据项'), h('dd', null, d.feeds.map(f =>
        `${zh(FEED_ZH, f.feed)} 隔离 ${f.rows_quarantined} 行`).join('；') || '无'),
    ] : null));

  if (rows.status === 'rejected') {
    fill(body, errorBox(rows.reason.status === 404 ? '没有这个交换批次的隔离数据' : errorText(rows.reason)));
    return;
  }
  const r = rows.value;
  fill(body,
    h('div', {class: 'table-wrap'}, table([
      {title: '文件', cell: q => q.file},
      {title: '行', cell: q => String(q.line), class: 'num'},
      {title: '列', cell: q => String(q.column), class: 'num'},
      {title: '字段', cell: q => q.field || ''},
      {title: '原因', cell: q => h('span', {class: 'badge warn', title: q.reason}, zh(REJECT_ZH, q.reason) || q.reason)},
      {title: '说明', cell: q => q.detail, class: 'wrap'},
      {title: '原始记录（身份证号已遮蔽）', cell: q => q.raw ?? '', class: 'raw mono'},
    ], r.rows, {'data-test': 'quarantine-table'})),
    pager({page, pageSize: PAGE_SIZE, total: r.total, noun: '行',
      href: n => `/deliveries/${encodeURIComponent(id)}${n > 1 ? `?page=${n}` : ''}`}));
}
