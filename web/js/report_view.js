// The latest report of a case, drawn in the page from its JSON
// (hedui-report/1, docs/reports.md): the conclusion, the figures, the
// tests, the findings and every source record, with IDs masked as the
// report gives them. The printable forms (PDF, HTML, XLSX) and the JSON
// itself are downloads.

import {api, errorText} from './api.js';
import {h, table, toast} from './dom.js';
import {PROGRAM_ZH, CONCLUSION_ZH, zh, yuan, area, count} from './format.js';
import {FEED_ZH, FIGURE_ZH, LEVEL_ZH, TEST_ZH, CODE_TITLE_ZH, DECLARED_ZH, FEED_FIELDS, noteZh}
  from './report_words.js';

// Which figures a corrected record of each kind feeds into.
const FIGURES_OF = {
  income: ['income', 'pci', 'pci_after'], expenditure: ['expenditure', 'pci_after'],
  financial_assets: ['financial_assets', 'pca'], homes: ['homes', 'area_pc'],
  vehicles: ['vehicles'], family: ['members'],
};
const FEED_FIGURE = {
  tax_income: 'income', social_insurance: 'income', provident_fund: 'income', medical: 'expenditure',
  deposit: 'financial_assets', securities: 'financial_assets', insurance: 'financial_assets',
  real_estate: 'homes', vehicle: 'vehicles', hukou: 'family', death: 'family', marriage: 'family',
  disability: 'family',
};

// A decimal string in hundredths ("196301.3" fen) → "1,963.013"; a
// rational "num/den" is shown as it is.
function hundredths(s) {
  const text = String(s);
  if (!/^-?\d+(\.\d+)?$/.test(text)) return text + '（÷100）';
  const neg = text.startsWith('-');
  const [whole, frac = ''] = text.replace('-', '').split('.');
  const padded = whole.padStart(3, '0');
  const int = padded.slice(0, -2).replace(/^0+(?=\d)/, '');
  const dec = (padded.slice(-2) + frac).replace(/(\d{2}\d*?)0+$/, '$1');
  return `${neg ? '-' : ''}${Number(int).toLocaleString('en-US')}.${dec}`;
}

function testValue(unit, v) {
  if (v === null || v === undefined) return '—';
  if (unit === 'fen') return (typeof v === 'number' ? yuan(v) : hundredths(v)) + '元';
  if (unit === 'm2x100') return (typeof v === 'number' ? area(v) : hundredths(v)) + ' m²';
  return String(v);
}

function amountText(s) {
  if (['income', 'expenditure', 'financial_assets'].includes(s.figure)) return yuan(s.amount) + '元';
  if (s.figure === 'homes') return area(s.amount) + ' m²';
  if (s.figure === 'family') return '';
  return count(s.amount);
}

export function memberText(report, index) {
  if (index === -1) return '未申报的配偶';
  const m = (report.members || [])[index];
  return m ? `${m.name || '（无名）'} ${m.pid}` : '';
}

// One line naming a source record, for pickers.
export function sourceText(report, s) {
  const who = s.member === -1 ? '未申报的配偶' : ((report.members || [])[s.member] || {}).name || '';
  return `${zh(FIGURE_ZH, s.figure)} · ${who} · ${zh(FEED_ZH, s.feed)} · ${s.key}`;
}

// "金额（amount）由 1055.85 改为 0.00（依据：…）": what a correction changed.
export function correctionText(feed, c) {
  const name = c.field ? `${(FEED_FIELDS[feed] || {})[c.field] || c.field}（${c.field}）` : '';
  const was = c.original !== undefined ? ` 由 ${c.original ?? '（空）'}` : '';
  const basis = c.evidence ? `（依据：${c.evidence}）` : '';
  return c.field ? `${name}${was} 改为 ${c.value ?? '（空）'}${basis}` : `此记录不计入${basis}`;
}

function correctedFigures(r) {
  const out = new Set();
  const mark = fig => (FIGURES_OF[fig] || []).forEach(f => out.add(f));
  for (const s of r.sources || []) if (s.corrected && s.corrected.length) mark(s.figure);
  for (const c of r.corrections || []) if (c.applied !== false) mark(FEED_FIGURE[c.feed]);
  return out;
}

function figuresBlock(r) {
  const f = r.figures;
  if (!f) return null;
  const fixed = correctedFigures(r);
  const item = (key, title, text) => h('div', {class: 'figure', 'data-test': 'figure-' + key},
    h('div', {class: 't'}, title, fixed.has(key)
      ? h('span', {class: 'badge corrected', 'data-test': 'figure-corrected'}, '更正') : null),
    h('div', {class: 'n'}, text));
  return h('div', {class: 'figures', 'data-test': 'figures'},
    item('members', '计入家庭人口', `${f.members} 人`),
    item('income', '家庭收入合计（计算期内）', yuan(f.income) + '元'),
    item('pci', '家庭人均月收入', yuan(f.pci) + '元'),
    item('expenditure', '刚性支出合计（医疗自付）', yuan(f.expenditure) + '元'),
    item('pci_after', '扣除刚性支出后人均月收入', yuan(f.pci_after) + '元'),
    item('financial_assets', '家庭金融资产', yuan(f.financial_assets) + '元'),
    item('pca', '人均金融资产', yuan(f.pca) + '元'),
    item('homes', '住房套数', `${f.homes} 套`),
    item('area_pc', '人均住房面积', area(f.area_pc) + ' m²'),
    item('vehicles', '计入的机动车', `${f.vehicles} 辆`));
}

function findingText(r, code) {
  const title = CODE_TITLE_ZH[code] || code;
  if (code === 'APPLICATION_INVALID' && r.error) return `${title}：${r.error.field}（${r.error.reason}）`;
  if (code === 'NO_AUTHORIZATION' && r.pids) return `${title}：${r.pids.join('、')}`;
  return title;
}

function summary(r) {
  const p = r.policy;
  const failed = r.failed || [];
  return h('div', {class: 'report-summary'},
    h('div', {class: 'conclusion-line'},
      h('span', {class: 'label'}, '建议结论'),
      h('span', {class: 'badge big conclusion-' + r.conclusion, 'data-test': 'report-conclusion',
        'data-conclusion': r.conclusion}, zh(CONCLUSION_ZH, r.conclusion)),
      r.level ? h('span', null, '家庭经济状况层级：', h('b', {'data-test': 'report-level'}, zh(LEVEL_ZH, r.level))) : null),
    h('dl', {class: 'facts'},
      h('dt', null, '申请项目'), h('dd', null, zh(PROGRAM_ZH, r.program)),
      h('dt', null, '出具时间'), h('dd', null, String(r.issued_at || '').replace('T', ' ').replace(/:\d\d\+08:00$/, '')),
      r.issuer ? [h('dt', null, '出具单位'), h('dd', null, r.issuer)] : null,
      p ? [h('dt', null, '政策版本'), h('dd', null, `第 ${p.version} 版（地区 ${p.region}，适用日期 ${p.on}）`)] : null,
      r.window ? [h('dt', null, '收入计算期'), h('dd', null, `${r.window.first} 至 ${r.window.last}`)] : null,
      h('dt', null, '未通过的检验'),
      h('dd', {'data-test': 'report-failed'}, failed.length
        ? failed.map(c => h('span', {class: 'badge bad', 'data-code': c, title: c}, CODE_TITLE_ZH[c] || c))
        : (r.failed ? '无' : '—'))),
    r.error ? errorNote(`申请信息有误：${r.error.field}（${r.error.reason}）`) : null,
    r.pids && r.pids.length ? errorNote(`未有效授权的成员：${r.pids.join('、')}`) : null);
}

// Counts are counts; the rest of what a family declares is money.
function declaredText(item, v) {
  if (v === null || v === undefined) return '未申报';
  return item === 'vehicles' || item === 'homes' ? String(v) : yuan(v) + '元';
}

function errorNote(text) {
  return h('div', {class: 'error'}, text);
}

function testsTable(tests, attrs) {
  const t = table([
    {class: 'nowrap', title: '项目', cell: x => zh(PROGRAM_ZH, x.program)},
    {class: 'nowrap', title: '检验项目', cell: x => TEST_ZH[x.code] || x.code},
    {title: '数值', class: 'num nowrap', cell: x => testValue(x.unit, x.figure)},
    {title: '标准', class: 'num nowrap', cell: x => testValue(x.unit, x.limit)},
    {class: 'nowrap', title: '结果', cell: x => x.failed ? h('span', {class: 'badge bad'}, '未通过')
      : h('span', {class: 'badge good'}, '通过')},
  ], tests, attrs);
  tests.forEach((x, i) => { if (x.failed) t.tBodies[0].rows[i].classList.add('failed'); });
  return t;
}

// The program applied for first; the others (a family refused dibao is
// often looked at for low_income) folded away. medical_aid has no tests
// of its own: it rests on the other four, shown all.
function testsBlock(r) {
  const all = r.tests || [];
  if (!all.length) return null;
  const own = all.filter(x => x.program === r.program);
  const others = all.filter(x => x.program !== r.program);
  if (!own.length) return [h('h3', null, '检验结果'), testsTable(all, {'data-test': 'report-tests'})];
  return [h('h3', null, `检验结果（${zh(PROGRAM_ZH, r.program)}）`),
    testsTable(own, {'data-test': 'report-tests', class: 'grid compact'}),
    others.length ? h('details', null,
      h('summary', null, `其他救助类别的检验（${others.length} 项，` +
        `${others.filter(x => x.failed).length} 项未通过）`),
      testsTable(others, {'data-test': 'report-tests-other', class: 'grid compact'})) : null];
}

function sourcesBlock(r) {
  const sources = r.sources || [];
  const figures = [...new Set(sources.map(s => s.figure))];
  const body = h('div', {class: 'scroll-box tall'});
  const pick = h('select', {'data-test': 'sources-filter', onchange: () => draw()},
    h('option', {value: ''}, `全部（${sources.length}）`),
    figures.map(f => h('option', {value: f}, `${zh(FIGURE_ZH, f)}（${sources.filter(s => s.figure === f).length}）`)));
  function draw() {
    const rows = pick.value ? sources.filter(s => s.figure === pick.value) : sources;
    const t = table([
      {class: 'nowrap', title: '指标', cell: s => zh(FIGURE_ZH, s.figure)},
      {class: 'nowrap', title: '成员', cell: s => memberText(r, s.member)},
      {class: 'nowrap', title: '数据', cell: s => zh(FEED_ZH, s.feed)},
      {class: 'nowrap', title: '批次', cell: s => h('span', {class: 'mono'}, s.delivery_id)},
      {title: '记录键', cell: s => h('span', {class: 'mono key'}, s.key)},
      {title: '计入', class: 'num nowrap', cell: amountText},
      {title: '说明', cell: s => [noteZh(s.note),
        (s.corrected || []).map(c => h('div', {class: 'corrected-note'},
          h('span', {class: 'badge corrected'}, '更正'), ' ', correctionText(s.feed, c)))]},
    ], rows, {'data-test': 'report-sources'});
    rows.forEach((s, i) => { if (s.corrected) t.tBodies[0].rows[i].classList.add('corrected'); });
    body.replaceChildren(t);
  }
  draw();
  return [h('div', {class: 'section-head'}, h('h3', null, '数据来源记录'),
    h('label', {class: 'check'}, '按指标：', pick)), body];
}

function correctionsBlock(r) {
  if (!r.corrections || !r.corrections.length) return null;
  return [h('h3', null, '更正'), table([
    {title: '编号', cell: c => String(c.id)},
    {title: '成员', cell: c => memberText(r, c.member)},
    {title: '数据', cell: c => zh(FEED_ZH, c.feed)},
    {title: '记录键', cell: c => h('span', {class: 'mono key'}, c.key)},
    {title: '更正内容', cell: c => correctionText(c.feed, c)},
    {title: '', cell: c => c.applied === false ? h('span', {class: 'badge warn'}, '未适用（记录已不存在）') : ''},
  ], r.corrections, {'data-test': 'report-corrections'})];
}

// A member's status as the verification found it (report `members`).
export function memberStatus(m) {
  if (!m) return '';
  return [m.in_hukou === false ? '未查到户籍' : m.in_hukou ? '户籍在册' : '',
    m.deceased ? '已死亡' : '', m.no_work_capacity ? '无劳动能力' : '',
    m.authorized === false ? '未有效授权' : ''].filter(Boolean).join('；');
}

function downloads(caseNo) {
  const get = async (format, btn) => {
    btn.disabled = true;
    try {
      await api.download(`/cases/${encodeURIComponent(caseNo)}/report`, {format}, `核对报告-${caseNo}.${format}`);
    } catch (e) {
      toast(errorText(e), 'bad');
    } finally {
      btn.disabled = false;
    }
  };
  const button = (format, text) => h('button', {type: 'button', 'data-test': 'download-' + format,
    onclick: ev => get(format, ev.currentTarget)}, text);
  return h('div', {class: 'actions'}, button('pdf', '下载 PDF'), button('html', '下载网页版'),
    button('xlsx', '下载 Excel'), button('json', '下载 JSON'));
}

export function reportView(r, caseNo) {
  const found = r.findings || [];
  return h('section', {class: 'card report', 'data-test': 'report'},
    h('div', {class: 'section-head'}, h('h2', null, '核对报告'), downloads(caseNo)),
    summary(r),
    figuresBlock(r),
    testsBlock(r),
    found.length ? [h('h3', null, '核对发现'), h('ul', {class: 'findings', 'data-test': 'report-findings'},
      found.map(c => h('li', {'data-code': c}, findingText(r, c), h('span', {class: 'muted mono'}, ` ${c}`))))] : null,
    r.declared_vs_found && r.declared_vs_found.length ? [h('h3', null, '申报与核实对比'), table([
      {title: '项目', cell: d => zh(DECLARED_ZH, d.item)},
      {title: '申报', class: 'num', cell: d => declaredText(d.item, d.declared)},
      {title: '核实', class: 'num', cell: d => declaredText(d.item, d.found)},
    ], r.declared_vs_found, {class: 'grid compact'})] : null,
    (r.sources || []).length ? sourcesBlock(r) : null,
    correctionsBlock(r),
    r.feeds && r.feeds.length ? h('details', null, h('summary', null, '数据来源及截止日期'), table([
      {title: '数据', cell: f => zh(FEED_ZH, f.feed)},
      {title: '批次', cell: f => f.delivered ? h('span', {class: 'mono'}, f.delivery_id) : '未报送'},
      {title: '截止日期', cell: f => f.as_of || ''},
    ], r.feeds)) : null,
    r.notice ? h('div', {class: 'notice report-notice'}, h('p', null, r.notice.statement),
      h('p', null, h('b', null, '异议：'), r.notice.objection)) : null);
}
