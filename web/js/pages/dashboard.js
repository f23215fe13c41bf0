// The dashboard: the cases of the user's region in figures and charts
// (GET /dashboard, docs/api.md "Dashboard"). Every chart's numbers are
// also a table under 数据表, for those who read numbers rather than
// shapes and for the browser tests.
//
// ECharts is loaded only here, from web/node_modules through /vendor.
// Its tooltips default to HTML strings with inline style attributes,
// which the page's Content-Security-Policy refuses; rich-text tooltips
// are drawn on the canvas instead, so the policy stays as it is.

import {api, errorText} from '../api.js';
import {h, fill, table, errorBox} from '../dom.js';
import {PROGRAM_ZH, CONCLUSION_ZH, zh, count, dateTime} from '../format.js';

const ECHARTS = '/vendor/echarts.esm.min.mjs';

const COLORS = {
  brand: '#1f4e8c', sky: '#4f8fd6', good: '#1e7b3c', bad: '#b3261e',
  warn: '#c98a00', plum: '#7a5195', grey: '#aab4c0',
};
const CONCLUSION_COLOR = {
  meets: COLORS.good, fails: COLORS.bad, review: COLORS.warn,
  unauthorized: COLORS.plum, refused: '#6b1d18',
};

// Which states wait for what (docs/cases.md).
const AWAITING_REPORT = ['registered', 'authorized'];
const AWAITING_DECISION = ['verified'];
const IN_OBJECTION = ['objected', 'corrected'];
const DONE = ['decided', 'archived'];

function sum(obj, keys) {
  return keys.reduce((n, k) => n + (obj[k] || 0), 0);
}

// Tenths of a day → '4.6'.
function days10(x10) {
  return x10 === null || x10 === undefined ? '—' : (x10 / 10).toFixed(1);
}

function bucketName(b) {
  return b.to_days === null ? `${b.from_days - 1}天以上` : `${b.from_days}–${b.to_days}天`;
}

// '2026-01' → '2026年1月'.
function monthName(ym) {
  const [y, m] = ym.split('-').map(Number);
  return `${y}年${m}月`;
}

// The month axis: '3月', with the year under the first month and January.
function monthTick(name, i) {
  const [, y, m] = name.match(/^(\d+)年(\d+)月$/) || [];
  return !y ? name : i === 0 || m === '1' ? `${m}月\n${y}年` : `${m}月`;
}

function stat(name, title, value, opts = {}) {
  return h('div', {class: 'stat' + (opts.kind ? ' ' + opts.kind : ''), 'data-test': 'stat-' + name,
    'data-value': opts.raw ?? value},
  h('div', {class: 't'}, title),
  h('div', {class: 'n'}, value, opts.unit ? h('small', null, opts.unit) : null),
  opts.hint ? h('div', {class: 'hint'}, opts.hint) : null);
}

// A chart's card: title, a line on how to read it, the chart, and its
// numbers as a table under 数据表.
function chartCard(name, title, note, tbl) {
  const box = h('div', {class: 'chart', 'data-test': 'chart-' + name, role: 'img', 'aria-label': title});
  tbl.setAttribute('data-test', 'table-' + name);
  const card = h('section', {class: 'card chart-card'},
    h('h2', null, title),
    note ? h('p', {class: 'muted note'}, note) : null,
    box,
    h('details', {class: 'data'}, h('summary', null, '数据表'), h('div', {class: 'table-box'}, tbl)));
  return {card, box};
}

// What every chart shares: the page's font, no animation (the figures
// are read, not watched), and tooltips drawn on the canvas (the CSP).
function base(font) {
  return {
    textStyle: {fontFamily: font},
    animation: false,
    tooltip: {renderMode: 'richText', confine: true},
    grid: {left: 12, right: 16, top: 36, bottom: 12},
  };
}

const numCol = (title, cell) => ({title, cell, class: 'num'});

function conclusionChart(d, font) {
  const rows = Object.keys({...CONCLUSION_ZH, ...d.by_conclusion})
    .filter(k => d.by_conclusion[k])
    .map(k => ({key: k, name: zh(CONCLUSION_ZH, k), n: d.by_conclusion[k], color: CONCLUSION_COLOR[k]}));
  const none = d.total - rows.reduce((n, r) => n + r.n, 0);
  if (none > 0) rows.push({key: '', name: '尚未核对', n: none, color: COLORS.grey});
  const pct = n => d.total ? `${(n * 100 / d.total).toFixed(1)}%` : '—';
  const tbl = table([
    {title: '核对结论', cell: r => r.name},
    numCol('案件数', r => count(r.n)),
    numCol('占比', r => pct(r.n)),
  ], rows);
  const option = {
    ...base(font),
    tooltip: {...base(font).tooltip, trigger: 'item', formatter: '{b}：{c} 件（{d}%）'},
    legend: {bottom: 0, type: 'scroll'},
    series: [{
      type: 'pie', radius: ['38%', '66%'], center: ['50%', '45%'],
      label: {formatter: '{b}\n{c} 件'},
      data: rows.map(r => ({name: r.name, value: r.n, itemStyle: {color: r.color}})),
    }],
  };
  return {tbl, option, note: `共 ${count(d.total)} 件，按最近一次核对的结论。`};
}

function programChart(d, font) {
  const rows = Object.entries(d.by_program).map(([k, n]) => ({name: zh(PROGRAM_ZH, k), n}))
    .sort((a, b) => b.n - a.n);
  const tbl = table([{title: '救助类别', cell: r => r.name}, numCol('案件数', r => count(r.n))], rows);
  const shown = [...rows].reverse(); // the largest on top
  const option = {
    ...base(font),
    tooltip: {...base(font).tooltip, trigger: 'axis', axisPointer: {type: 'shadow'}},
    xAxis: {type: 'value', minInterval: 1, name: '件'},
    yAxis: {type: 'category', data: shown.map(r => r.name)},
    series: [{type: 'bar', name: '案件数', data: shown.map(r => r.n), itemStyle: {color: COLORS.brand},
      barMaxWidth: 28, label: {show: true, position: 'right'}}],
  };
  return {tbl, option, note: '按申请的救助类别。'};
}

function regionName(d, code) {
  return (d.region_names || {})[code] || '';
}

function regionLabel(d, code) {
  return regionName(d, code) || code;
}

function regionChart(d, font) {
  const rows = Object.entries(d.by_region).sort(([a], [b]) => a.localeCompare(b))
    .map(([code, n]) => ({code, name: regionName(d, code), n}));
  const tbl = table([
    {title: '区划代码', cell: r => r.code},
    {title: '名称', cell: r => r.name},
    numCol('案件数', r => count(r.n)),
  ], rows);
  const option = {
    ...base(font),
    tooltip: {...base(font).tooltip, trigger: 'axis', axisPointer: {type: 'shadow'}},
    xAxis: {type: 'category', data: rows.map(r => regionLabel(d, r.code))},
    yAxis: {type: 'value', minInterval: 1, name: '件'},
    series: [{type: 'bar', name: '案件数', data: rows.map(r => r.n), itemStyle: {color: COLORS.sky},
      barMaxWidth: 48, label: {show: true, position: 'top'}}],
  };
  return {tbl, option, note: '按案件所在的县（市、区）。'};
}

function processingChart(d, font) {
  const p = d.processing;
  const steps = [['verification', '受理至核对'], ['decision', '受理至审核确认']];
  const rows = p.buckets.map((b, i) => ({
    name: bucketName(b), v: p.verification.histogram[i], dd: p.decision.histogram[i],
  }));
  const figure = (label, f) => ({name: label, v: f(p.verification), dd: f(p.decision)});
  const summary = [
    figure('合计（件）', s => count(s.count)),
    figure('平均（天）', s => days10(s.mean_days_x10)),
    figure('中位数（天）', s => s.median_days ?? '—'),
    figure('90%分位（天）', s => s.p90_days ?? '—'),
  ];
  const tbl = table([
    {title: '用时', cell: r => r.name},
    numCol(steps[0][1], r => typeof r.v === 'number' ? count(r.v) : r.v),
    numCol(steps[1][1], r => typeof r.dd === 'number' ? count(r.dd) : r.dd),
  ], [...rows, ...summary]);
  const line = ([key, title]) => {
    const s = p[key];
    return s.count
      ? `${title}：${count(s.count)} 件，平均 ${days10(s.mean_days_x10)} 天，中位数 ${s.median_days} 天，90% 在 ${s.p90_days} 天内`
      : `${title}：暂无`;
  };
  const option = {
    ...base(font),
    tooltip: {...base(font).tooltip, trigger: 'axis', axisPointer: {type: 'shadow'}},
    legend: {top: 0},
    xAxis: {type: 'category', data: rows.map(r => r.name), name: '用时'},
    yAxis: {type: 'value', minInterval: 1, name: '件'},
    series: [
      {type: 'bar', name: steps[0][1], data: rows.map(r => r.v), itemStyle: {color: COLORS.sky}, barMaxWidth: 28},
      {type: 'bar', name: steps[1][1], data: rows.map(r => r.dd), itemStyle: {color: COLORS.brand}, barMaxWidth: 28},
    ],
  };
  return {tbl, option, note: steps.map(line).join('；') + '。按日历日（北京时间）计。'};
}

function overdueChart(d, font) {
  const by = {};
  for (const code of Object.keys(d.by_region)) by[code] = {code, reports: 0, decisions: 0};
  for (const o of d.overdue) by[o.region] = {code: o.region, reports: o.reports, decisions: o.decisions};
  const rows = Object.values(by).sort((a, b) => a.code.localeCompare(b.code));
  const total = rows.reduce((n, r) => n + r.reports + r.decisions, 0);
  const tbl = table([
    {title: '区划代码', cell: r => r.code},
    {title: '名称', cell: r => regionName(d, r.code)},
    numCol('报告超期', r => count(r.reports)),
    numCol('审核确认超期', r => count(r.decisions)),
    numCol('合计', r => count(r.reports + r.decisions)),
  ], rows);
  const option = {
    ...base(font),
    tooltip: {...base(font).tooltip, trigger: 'axis', axisPointer: {type: 'shadow'}},
    legend: {top: 0},
    xAxis: {type: 'category', data: rows.map(r => regionLabel(d, r.code))},
    yAxis: {type: 'value', minInterval: 1, name: '件'},
    series: [
      {type: 'bar', name: '报告超期', stack: 'overdue', data: rows.map(r => r.reports),
        itemStyle: {color: COLORS.warn}, barMaxWidth: 48},
      {type: 'bar', name: '审核确认超期', stack: 'overdue', data: rows.map(r => r.decisions),
        itemStyle: {color: COLORS.bad}, barMaxWidth: 48},
    ],
  };
  const note = total ? `共 ${count(total)} 件已过期限：报告未出具，或报告已出具而未审核确认。`
    : '暂无超期案件。';
  return {tbl, option, note};
}

function monthChart(d, font) {
  const rows = d.months;
  const tbl = table([
    {title: '月份', cell: r => monthName(r.month)},
    numCol('受理', r => count(r.opened)),
    numCol('核对', r => count(r.verified)),
    numCol('审核确认', r => count(r.decided)),
  ], rows);
  const series = [['opened', '受理', COLORS.sky], ['verified', '核对', COLORS.brand],
    ['decided', '审核确认', COLORS.good]].map(([k, name, color]) => ({
    type: 'line', name, data: rows.map(r => r[k]), itemStyle: {color}, lineStyle: {color},
    symbolSize: 6,
  }));
  const option = {
    ...base(font),
    tooltip: {...base(font).tooltip, trigger: 'axis'},
    legend: {top: 0},
    xAxis: {type: 'category', boundaryGap: false, data: rows.map(r => monthName(r.month)),
      axisLabel: {interval: 0, formatter: monthTick}},
    yAxis: {type: 'value', minInterval: 1, name: '件'},
    series,
  };
  return {tbl, option, note: '最近十二个月（北京时间）：当月受理、首次核对和审核确认的案件数。'};
}

const CHARTS = [
  ['conclusion', '核对结论', conclusionChart],
  ['program', '救助类别', programChart],
  ['region', '行政区划', regionChart],
  ['processing', '办理用时', processingChart],
  ['overdue', '超期案件', overdueChart],
  ['month', '月度趋势', monthChart],
];

export default async function render(view, ctx) {
  const body = h('div', {class: 'dashboard'}, h('p', {class: 'muted'}, '正在加载…'));
  const head = h('div', {class: 'page-head'}, h('h1', null, '统计分析'));
  fill(view, head, body);

  let d, echarts = null, chartsError = null;
  const charts = [];
  const onResize = () => charts.forEach(c => c.resize());
  const cleanup = () => {
    window.removeEventListener('resize', onResize);
    charts.forEach(c => c.dispose());
    charts.length = 0;
  };
  try {
    [d, echarts] = await Promise.all([
      api.get('/dashboard'),
      import(ECHARTS).catch(e => { chartsError = e; return null; }),
    ]);
  } catch (e) {
    fill(body, errorBox(errorText(e)));
    return cleanup;
  }

  const s = d.by_state;
  const overdue = d.overdue.reduce((n, o) => n + o.reports + o.decisions, 0);
  const pv = d.processing.verification, pd = d.processing.decision;
  const where = regionName(d, d.region);
  head.append(h('p', {class: 'muted', 'data-test': 'dashboard-region'},
    `${where ? where + '（' + d.region + '）' : d.region}，数据截至 ${dateTime(Math.floor(Date.now() / 1000))}`));

  const cards = h('div', {class: 'cards stats'},
    stat('total', '案件总数', count(d.total), {raw: d.total}),
    stat('overdue', '超期案件', count(overdue), {raw: overdue, kind: overdue ? 'bad' : '',
      hint: '报告或审核确认已过期限'}),
    stat('awaiting-report', '待出具报告', count(sum(s, AWAITING_REPORT)), {raw: sum(s, AWAITING_REPORT),
      hint: '已受理、已授权'}),
    stat('awaiting-decision', '待审核确认', count(sum(s, AWAITING_DECISION)), {raw: sum(s, AWAITING_DECISION),
      hint: '已核对'}),
    stat('objection', '异议处理中', count(sum(s, IN_OBJECTION)), {raw: sum(s, IN_OBJECTION),
      hint: '有异议、已更正'}),
    stat('done', '已办结', count(sum(s, DONE)), {raw: sum(s, DONE), hint: '已审核确认、已归档'}),
    stat('verify-days', '平均核对用时', days10(pv.mean_days_x10), {raw: pv.count ? days10(pv.mean_days_x10) : '',
      unit: pv.count ? ' 天' : '', hint: pv.count ? `中位数 ${pv.median_days} 天` : '暂无核对'}),
    stat('decide-days', '平均办结用时', days10(pd.mean_days_x10), {raw: pd.count ? days10(pd.mean_days_x10) : '',
      unit: pd.count ? ' 天' : '', hint: pd.count ? `中位数 ${pd.median_days} 天` : '暂无审核确认'}));

  const font = getComputedStyle(document.documentElement).fontFamily;
  const made = CHARTS.map(([name, title, make]) => {
    const {tbl, option, note} = make(d, font);
    return {...chartCard(name, title, note, tbl), option};
  });
  fill(body, cards,
    chartsError ? h('div', {class: 'notice'}, '图表组件未能加载，以下为数据表。') : null,
    h('div', {class: 'charts'}, made.map(m => m.card)));

  // The user may have gone on while the data came: nothing to draw into.
  if (!view.isConnected) return cleanup;
  if (!echarts) {
    made.forEach(m => { m.box.hidden = true; m.card.querySelector('details').open = true; });
    return cleanup;
  }
  for (const m of made) {
    const chart = echarts.init(m.box, null, {locale: 'ZH'});
    chart.setOption(m.option);
    charts.push(chart);
  }
  window.addEventListener('resize', onResize);
  return cleanup;
}
