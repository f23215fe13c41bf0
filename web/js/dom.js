// Building the page from data. Text always goes in as text nodes, never
// through innerHTML: a name or a reason typed by anyone cannot become markup.

// h('button', {class: 'primary', onclick: fn, 'data-test': 'save'}, '保存')
// Attributes: `class`, `on<event>` (a function), `value`/`checked`/
// `disabled`/`hidden`/`selected` (set as properties), anything else as an
// attribute; null, undefined and false leave it out. Children: strings,
// numbers, nodes and arrays of them; null and false are skipped.
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k.startsWith('on') && typeof v === 'function') {
      el.addEventListener(k.slice(2), v);
    } else if (['value', 'checked', 'disabled', 'hidden', 'selected'].includes(k)) {
      el[k] = v;
    } else {
      el.setAttribute(k, v === true ? '' : String(v));
    }
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    if (Array.isArray(c)) append(el, c);
    else el.append(c instanceof Node ? c : String(c));
  }
}

// Replace an element's content.
export function fill(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

// A labelled form field: label text, then the control, then an optional hint.
export function field(label, control, hint) {
  return h('label', {class: 'field'},
    h('span', {class: 'label'}, label), control,
    hint ? h('span', {class: 'hint'}, hint) : null);
}

// <select> from [[value, text], ...], with `selected` chosen.
export function select(attrs, options, selected) {
  return h('select', attrs, options.map(([v, t]) =>
    h('option', {value: v, selected: String(v) === String(selected ?? '')}, t)));
}

// A table: columns [{title, cell: row => node|string, class?}], rows.
export function table(columns, rows, attrs) {
  return h('table', {class: 'grid', ...attrs},
    h('thead', null, h('tr', null, columns.map(c => h('th', {class: c.class}, c.title)))),
    h('tbody', null, rows.length
      ? rows.map(r => h('tr', null, columns.map(c => h('td', {class: c.class}, c.cell(r)))))
      : h('tr', null, h('td', {colspan: columns.length, class: 'empty'}, '没有记录'))));
}

// A short message in the corner that goes away by itself.
let toastTimer = 0;
export function toast(text, kind) {
  const el = document.getElementById('toast');
  el.className = 'toast' + (kind ? ' ' + kind : '');
  el.textContent = text;
  el.hidden = false;
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => { el.hidden = true; }, 4000);
}

// An error box for a form or a page; `err` an ApiError or an Error.
export function errorBox(text) {
  return h('div', {class: 'error', role: 'alert', 'data-test': 'error'}, text);
}
