// Data exchange, for admins: every delivery the departments sent, accepted
// or refused whole (and why), and per feed how many rows the file held,
// how many were loaded, quarantined, and still count. The quarantined
// rows of a delivery are one click away (quarantine.js): they are what
// the department has to fix.

import {api, errorText} from '../api.js';
import {h, fill, errorBox} from '../dom.js';
import {DEPARTMENT_ZH, FEED_ZH, REJECT_ZH, zh, dateTime, count} from '../format.js';

const MODE_ZH = {snapshot: '全量', delta: '增量'};

export function deliveryLink(d, text) {
  return h('a', {href: '#/deliveries/' + encodeURIComponent(d.delivery_id),
    'data-test': 'delivery-link'}, text || d.delivery_id);
}

export function outcomeBadge(d) {
  return d.accepted
    ? h('span', {class: 'badge good', 'data-test': 'delivery-outcome', 'data-accepted': '1'}, '已接收')
    : h('span', {class: 'badge bad', 'data-test': 'delivery-outcome', 'data-accepted': '0'}, '已拒收');
}

// Why a delivery was refused: the reason in Chinese, the server's detail after.
export function rejectText(d) {
  if (d.accepted) return '';
  return [zh(REJECT_ZH, d.reject_reason), d.reject_detail].filter(Boolean).join('：');
}

const quarantined = d => d.feeds.reduce((n, f) => n + f.rows_quarantined, 0);

function stat(label, n, test) {
  return h('div', {class: 'stat', 'data-test': test}, h('div', {class: 'n'}, count(n)), h('div', {class: 't'}, label));
}

// One <tbody> per delivery: its own cells span its feeds' rows.
function deliveryBody(d) {
  const feeds = d.feeds.length ? d.feeds : [null];
  const span = feeds.length;
  const q = quarantined(d);
  const own = [
    h('td', {rowspan: span, class: 'nowrap'}, deliveryLink(d),
      h('div', {class: 'muted small'}, d.seq ? `序号 ${d.seq}，` : '', `接收于 ${dateTime(d.loaded_at)}`)),
    h('td', {rowspan: span, class: 'nowrap'}, zh(DEPARTMENT_ZH, d.department)),
    h('td', {rowspan: span, class: 'nowrap'}, d.as_of, h('div', {class: 'muted small'}, zh(MODE_ZH, d.mode))),
    h('td', {rowspan: span}, outcomeBadge(d),
      d.accepted ? null : h('div', {class: 'reject', 'data-test': 'delivery-reject'}, rejectText(d))),
  ];
  const feedCells = f => f ? [
    h('td', {class: 'nowrap'}, zh(FEED_ZH, f.feed), h('span', {class: 'muted code'}, f.feed)),
    h('td', {class: 'num'}, count(f.rows_in_file)),
    h('td', {class: 'num'}, count(f.rows_loaded)),
    h('td', {class: 'num'}, f.rows_quarantined
      ? h('span', {class: 'badge warn'}, count(f.rows_quarantined)) : '0'),
    h('td', {class: 'num'}, count(f.rows_live)),
  ] : [h('td', {colspan: 5, class: 'muted'}, '没有入库的数据项')];
  const last = h('td', {rowspan: span, class: 'num nowrap'},
    q ? deliveryLink(d, `查看 ${count(q)} 行`) : h('span', {class: 'muted'}, '无'));
  return h('tbody', {'data-delivery': d.delivery_id},
    feeds.map((f, i) => h('tr', null, i === 0 ? own : null, feedCells(f), i === 0 ? last : null)));
}

export default async function render(view) {
  const body = h('div', null, h('p', {class: 'muted'}, '正在加载…'));
  fill(view, h('div', {class: 'page-head'}, h('h1', null, '数据交换')),
    h('p', {class: 'muted'}, '各部门报送的数据批次。整批拒收的不入库；个别错误行隔离，不影响其余数据，'
      + '应请报送部门更正后重报。'),
    body);

  let list;
  try {
    list = (await api.get('/deliveries')).deliveries;
  } catch (e) {
    fill(body, errorBox(errorText(e)));
    return;
  }
  // Newest first: what came in last is what an admin checks.
  list = list.slice().reverse();
  const accepted = list.filter(d => d.accepted).length;
  const heads = ['交换批次号', '报送部门', '数据日期', '结果',
    '数据项', '文件行数', '入库', '隔离', '现行有效', '隔离数据'];
  const numeric = new Set(['文件行数', '入库', '隔离', '现行有效', '隔离数据']);
  fill(body,
    h('div', {class: 'cards'},
      stat('报送批次', list.length, 'stat-deliveries'),
      stat('已接收', accepted, 'stat-accepted'),
      stat('已拒收', list.length - accepted, 'stat-rejected'),
      stat('隔离行', list.reduce((n, d) => n + quarantined(d), 0), 'stat-quarantined')),
    h('div', {class: 'table-wrap'},
      h('table', {class: 'grid grouped', 'data-test': 'delivery-table'},
        h('thead', null, h('tr', null, heads.map(t => h('th', {class: numeric.has(t) ? 'num' : null}, t)))),
        list.length ? list.map(deliveryBody)
          : h('tbody', null, h('tr', null, h('td', {colspan: heads.length, class: 'empty'}, '还没有收到数据'))))));
}
