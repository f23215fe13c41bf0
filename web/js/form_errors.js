// Errors shown next to the field they are about. Fields are named by the
// paths the server uses in its refusals (`application.members[1].pid`,
// `authorizations[2].signed_by`), so one refusal from the browser's own
// checks and one from the server land in the same place.

import {h} from './dom.js';

export class FieldErrors {
  constructor() {
    this.controls = new Map();
    this.shown = [];
  }

  // Forget the bindings (rows come and go; bind again before showing).
  reset() {
    this.clear();
    this.controls.clear();
  }

  bind(path, control) {
    this.controls.set(path, control);
  }

  clear() {
    for (const {control, note} of this.shown) {
      control.classList.remove('invalid');
      control.removeAttribute('aria-invalid');
      note.remove();
    }
    this.shown = [];
  }

  // The user is fixing a field: its error goes (others stay until the next try).
  clearFor(target) {
    this.shown = this.shown.filter(({control, note}) => {
      if (control !== target && !control.contains(target)) return true;
      control.classList.remove('invalid');
      control.removeAttribute('aria-invalid');
      note.remove();
      return false;
    });
  }

  // The control for a path, or for its nearest named parent
  // (`authorizations[2].purpose[1]` → `authorizations[2].purpose`).
  find(path) {
    let p = path;
    while (p) {
      if (this.controls.has(p)) return this.controls.get(p);
      const parent = p.replace(/(\[\d+\]|\.[^.[\]]+)$/, '');
      if (parent === p) break;
      p = parent;
    }
    return null;
  }

  // Show `text` at the field of `path`; false when no field has that name.
  show(path, text) {
    const control = this.find(path || '');
    if (!control) return false;
    const note = h('span', {class: 'field-error', 'data-test': 'field-error',
      'data-field': path}, text);
    control.classList.add('invalid');
    control.setAttribute('aria-invalid', 'true');
    (control.closest('.field, .check, .block-errors') || control.parentNode).append(note);
    this.shown.push({control, note});
    return true;
  }

  // Bring the first shown error into view.
  focusFirst() {
    const first = this.shown[0];
    if (!first) return;
    first.control.scrollIntoView({block: 'center'});
    if (typeof first.control.focus === 'function') first.control.focus({preventScroll: true});
  }
}
