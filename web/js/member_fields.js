// One declared family member as form fields: citizen ID, name and the
// relation to the head of household (GB/T 4761 classes, feeds.md).

import {h, field, select} from './dom.js';
import {RELATION_ZH} from './format.js';
import {normalizePid, pidProblem, ageOn} from './pid.js';

const RELATIONS = [['', '请选择'], ...Object.entries(RELATION_ZH).map(([c, zh]) => [c, `${c} ${zh}`])];

// m: {pid, name, relation}; opts: {appliedOn() (for the age shown),
// onRemove, onEdit, onPidChange(old, now)}.
export function memberFields(m, opts = {}) {
  const pid = h('input', {'data-test': 'member-pid', class: 'pid', maxlength: 18, autocomplete: 'off',
    'aria-required': 'true', placeholder: '18位身份证号'});
  const name = h('input', {'data-test': 'member-name', maxlength: 50, size: 10, autocomplete: 'off',
    'aria-required': 'true'});
  const relation = select({'data-test': 'member-relation', 'aria-required': 'true'}, RELATIONS, '');
  const age = h('span', {class: 'age muted'});
  const label = h('span', {class: 'row-no'});

  const row = h('div', {class: 'member-row block-errors', 'data-test': 'member-row'},
    label,
    field('身份证号', pid),
    field('姓名', name),
    field('与户主关系', relation),
    age,
    opts.onRemove ? h('button', {type: 'button', class: 'link remove', 'data-test': 'member-remove',
      onclick: () => opts.onRemove()}, '删除') : null);

  // The age on the application date: a quick check that the ID is the
  // right person's, and what decides who may sign for whom.
  function showAge() {
    const a = ageOn(pid.value, opts.appliedOn ? opts.appliedOn() : '');
    age.textContent = a === null ? '' : `${a} 岁`;
  }

  // An ID corrected here is corrected in the authorizations naming it.
  let last = '';
  row.addEventListener('input', ev => {
    showAge();
    if (ev.target === pid && opts.onPidChange && normalizePid(pid.value) !== last) {
      opts.onPidChange(last, normalizePid(pid.value));
      last = normalizePid(pid.value);
    }
    if (opts.onEdit) opts.onEdit(ev);
  });
  row.addEventListener('change', ev => {
    if (opts.onEdit && ev.target === relation) opts.onEdit(ev);
  });

  function fill(v) {
    pid.value = v.pid || '';
    last = normalizePid(pid.value);
    name.value = v.name || '';
    relation.value = RELATION_ZH[v.relation] ? v.relation : '';
    showAge();
  }

  fill(m || {});
  return {
    el: row, fill, showAge,
    setIndex(i) { label.textContent = `成员 ${i + 1}`; },
    pid: () => normalizePid(pid.value),
    name: () => name.value.trim(),
    read: () => ({pid: normalizePid(pid.value), name: name.value.trim(), relation: relation.value}),
    isBlank: () => !pid.value.trim() && !name.value.trim(),
    // [{field, text}] as the server names the fields (pid, name, relation).
    check() {
      const out = [];
      const p = pidProblem(pid.value);
      if (p) out.push({field: 'pid', text: p});
      if (!name.value.trim()) out.push({field: 'name', text: '请填写姓名'});
      if (!relation.value) out.push({field: 'relation', text: '请选择与户主关系'});
      return out;
    },
    bind(errors, prefix) {
      errors.bind(prefix, row);
      errors.bind(prefix + '.pid', pid);
      errors.bind(prefix + '.name', name);
      errors.bind(prefix + '.relation', relation);
    },
  };
}
