// A correction after an objection (docs/cases.md "Corrections"): one
// record of the report's sources, named as the server needs it — the
// member's full citizen ID, the feed, and the record's key with that ID in
// full. The report shows IDs masked, so the verifier types the full ID
// from the family's papers; it must fit the masked one (first 6 and last
// 4 characters) and then replaces it in the key.

import {h, field, select} from './dom.js';
import {normalizePid, pidProblem, fitsMasked} from './pid.js';
import {FEED_FIELDS} from './report_words.js';
import {sourceText} from './report_view.js';

const MASKED = /\d{6}\*{8}\d{3}[\dX]/;

// The masked ID a record is about: the one in its key (a key names its
// person first), else the declared member's.
function maskedOf(report, s) {
  const m = MASKED.exec(s.key || '');
  if (m) return m[0];
  const member = (report.members || [])[s.member];
  return member ? member.pid : '';
}

// The record the family disputed, when the objection named one of the
// report's sources (the objection form writes "feed key").
function disputed(c, sources) {
  const ev = [...(c.events || [])].reverse().find(e => e.action === 'object');
  const item = ev && ev.detail && ev.detail.item;
  return item ? sources.findIndex(s => `${s.feed} ${s.key}` === item) : -1;
}

export function correctionFields(c, report) {
  const sources = (report && report.sources) || [];
  const pick = h('select', {'data-test': 'correction-source'},
    h('option', {value: ''}, sources.length ? '选择报告中的一条记录…' : '（报告中没有数据来源记录）'),
    sources.map((s, i) => h('option', {value: i}, sourceText(report, s))));
  const masked = h('span', {class: 'mono', 'data-test': 'correction-masked'});
  const pid = h('input', {'data-test': 'correction-pid', class: 'pid', maxlength: 18, autocomplete: 'off',
    placeholder: '该成员完整的18位身份证号'});
  const fieldSel = select({'data-test': 'correction-field'}, [['', '（整条记录不计入）']], '');
  const value = h('input', {'data-test': 'correction-value', maxlength: 800, size: 20, autocomplete: 'off',
    disabled: true, placeholder: '更正后的值'});
  const evidence = h('input', {'data-test': 'correction-evidence', maxlength: 500, size: 50,
    autocomplete: 'off', placeholder: '如：单位出具的离职证明 2026-11-02'});
  const chosen = () => sources[pick.value];

  pick.addEventListener('change', () => {
    const s = chosen();
    masked.textContent = s ? maskedOf(report, s) : '';
    const fields = s ? FEED_FIELDS[s.feed] || {} : {};
    fieldSel.replaceChildren(h('option', {value: ''}, '（整条记录不计入）'),
      ...Object.entries(fields).map(([k, zh]) => h('option', {value: k}, `${zh}（${k}）`)));
    value.value = '';
    value.disabled = true;
  });
  fieldSel.addEventListener('change', () => {
    value.disabled = !fieldSel.value;
    if (!fieldSel.value) value.value = '';
  });

  const k = disputed(c, sources);
  if (k >= 0) {
    pick.value = String(k);
    pick.dispatchEvent(new Event('change'));
  }

  return {
    el: h('div', null,
      k >= 0 ? h('p', null, '已选中申请人提出异议的记录；如需更正其他记录，请重新选择。') : null,
      field('报告中的记录', pick), h('br'),
      field('该记录的身份证号（报告中）', masked),
      field('完整身份证号', pid, '按申请材料填写；须与报告中显示的前6位、后4位一致'),
      field('更正字段', fieldSel),
      field('更正后的值', value, '金额如 1000.00，日期如 2026-11-02'),
      h('br'),
      field('依据（证明材料）', evidence)),
    bind(errors) {
      errors.bind('corrections', pick);
      errors.bind('corrections[0]', pick);
      errors.bind('corrections[0].feed', pick);
      errors.bind('corrections[0].record_key', pick);
      errors.bind('corrections[0].pid', pid);
      errors.bind('corrections[0].field', fieldSel);
      errors.bind('corrections[0].value', value);
      errors.bind('corrections[0].evidence', evidence);
    },
    check() {
      const out = [], s = chosen();
      const bad = (f, text) => out.push({field: 'corrections[0].' + f, text});
      if (!s) bad('record_key', '请选择要更正的记录');
      const p = pidProblem(pid.value);
      if (p) bad('pid', p);
      else if (s && !fitsMasked(pid.value, maskedOf(report, s)))
        bad('pid', `与报告中的 ${maskedOf(report, s)} 不相符（前6位、后4位须一致）`);
      if (fieldSel.value && !value.value.trim()) bad('value', '请填写更正后的值');
      if (!evidence.value.trim()) bad('evidence', '请填写证明材料');
      return out;
    },
    body() {
      const s = chosen(), full = normalizePid(pid.value);
      const out = {pid: full, feed: s.feed, record_key: s.key.split(maskedOf(report, s)).join(full),
        evidence: evidence.value.trim()};
      if (fieldSel.value) {
        out.field = fieldSel.value;
        out.value = value.value.trim();
      }
      return {corrections: [out]};
    },
  };
}
