// A new application (受理申请): the family, its declared figures and each
// member's authorization, registered in one request (POST /cases). The
// browser checks what it can (ID check characters, dates, who may sign);
// a refusal from the server is shown at the field it names. Applications
// and authorizations received as files can be loaded into the form.

import {api, errorText, ApiError} from '../api.js';
import {h, fill, field, select, errorBox, toast} from '../dom.js';
import {PROGRAM_ZH, dateOnly} from '../format.js';
import {realDate, ageOn} from '../pid.js';
import {FieldErrors} from '../form_errors.js';
import {memberFields} from '../member_fields.js';
import {authFields, regionCovers, yearLater, USUAL_PURPOSES} from '../auth_fields.js';
import {readRecords, applicationsIn, authorizationsIn} from '../case_import.js';

const MAX_MEMBERS = 32;
const MAX_AUTHS = 64;
const MONEY = /^\d{1,13}(\.\d{1,2})?$/;
const COUNT = /^\d{1,4}$/;

// A refusal as it reads next to its field (the field is where it shows).
function fieldText(e) {
  if (e.code === 'conflict' && /^authorizations\[\d+\]$/.test(e.field))
    return '此编号的授权书已经登记过，内容与本次不同：请核对是否重复录入，或换用新的编号';
  return errorText(new ApiError(e.status, e.code, e.message, ''));
}

export default async function render(view, ctx) {
  const me = ctx.user;
  const today = dateOnly(Date.now() / 1000);
  const errors = new FieldErrors();
  const members = [];
  const auths = [];

  const appNo = h('input', {'data-test': 'app-no', maxlength: 63, size: 24, autocomplete: 'off',
    placeholder: `${me.region}-${today.slice(0, 4)}-000001`, 'aria-required': 'true'});
  const program = select({'data-test': 'app-program'}, Object.entries(PROGRAM_ZH), 'dibao');
  const region = h('input', {'data-test': 'app-region', value: me.region, maxlength: 6, size: 8,
    pattern: '\\d{6}'});
  const appliedOn = h('input', {'data-test': 'app-applied-on', value: today, maxlength: 10, size: 11,
    placeholder: '年-月-日', pattern: '\\d{4}-\\d{2}-\\d{2}'});
  const declared = {
    monthly_income: h('input', {'data-test': 'declared-monthly-income', inputmode: 'decimal', size: 10,
      placeholder: '0.00'}),
    financial_assets: h('input', {'data-test': 'declared-financial-assets', inputmode: 'decimal',
      size: 12, placeholder: '0.00'}),
    vehicles: h('input', {'data-test': 'declared-vehicles', inputmode: 'numeric', size: 4, placeholder: '0'}),
    homes: h('input', {'data-test': 'declared-homes', inputmode: 'numeric', size: 4, placeholder: '0'}),
  };
  const reason = h('textarea', {'data-test': 'reason', maxlength: 500, rows: 2,
    placeholder: '如：申请人到窗口提交书面申请（可不填，默认“受理申请”）'});
  const memberList = h('div', {class: 'rows'});
  const authList = h('div', {class: 'rows'});
  const datalist = h('datalist', {id: 'member-pids'});
  const status = h('div');
  const importStatus = h('div', {'data-test': 'import-status'});
  const authStatus = h('div', {'data-test': 'auth-status'});
  const submit = h('button', {type: 'submit', class: 'primary', 'data-test': 'case-submit'}, '受理');

  // ---- members and authorizations

  function renumber() {
    members.forEach((m, i) => m.setIndex(i));
    fill(datalist, members.filter(m => m.pid()).map(m => h('option', {value: m.pid()}, m.name())));
    suggestIds();
  }

  function addMember(v) {
    if (members.length >= MAX_MEMBERS) {
      toast(`一个家庭最多 ${MAX_MEMBERS} 名成员`, 'bad');
      return null;
    }
    const m = memberFields(v || {relation: members.length ? '' : '02'}, {
      appliedOn: () => appliedOn.value.trim(),
      onEdit: renumber,
      onPidChange: (old, now) => auths.forEach(a => a.replacePid(old, now)),
      onRemove: () => removeMember(m),
    });
    members.push(m);
    memberList.append(m.el);
    renumber();
    return m;
  }

  function removeMember(m) {
    members.splice(members.indexOf(m), 1);
    m.el.remove();
    renumber();
  }

  function removeAuth(a) {
    auths.splice(auths.indexOf(a), 1);
    a.el.remove();
    suggestIds();
  }

  // Suggested authorization ids: AUTH-<application no>-<member's place>,
  // as the centres number the paper forms; an id the clerk typed stays.
  function suggestIds() {
    const no = appNo.value.trim();
    auths.forEach((a, i) => {
      const k = members.findIndex(m => m.pid() && m.pid() === a.pid());
      a.suggestId(no ? `AUTH-${no}-${k >= 0 ? k + 1 : i + 1}` : '');
    });
  }

  function addAuth(v) {
    if (auths.length >= MAX_AUTHS) {
      toast(`一次最多 ${MAX_AUTHS} 份授权书`, 'bad');
      return null;
    }
    const a = authFields(v || {auto_id: true, scope: ['*'], issued_by: me.region,
      purpose: purposesFor(program.value), valid_from: appliedOn.value.trim(),
      valid_until: yearLater(appliedOn.value.trim())}, {
      listId: 'member-pids',
      onEdit: suggestIds,
      onRemove: () => removeAuth(a),
    });
    auths.push(a);
    authList.append(a.el);
    suggestIds();
    return a;
  }

  function purposesFor(p) {
    return [...new Set([p, ...USUAL_PURPOSES])].filter(x => PROGRAM_ZH[x]);
  }

  // One authorization per member that has none yet: the member signs, or
  // for a minor the applicant (else the first adult) signs as guardian.
  function authsFromMembers() {
    const on = appliedOn.value.trim();
    const adults = members.filter(m => ageOn(m.pid(), on) >= 18);
    const head = members.find(m => m.read().relation === '02' && adults.includes(m)) || adults[0];
    for (const a of auths.filter(x => x.isBlank())) removeAuth(a);
    let made = 0;
    for (const m of members) {
      if (!m.pid() || auths.some(a => a.pid() === m.pid())) continue;
      const minor = ageOn(m.pid(), on) !== null && ageOn(m.pid(), on) < 18;
      addAuth({auto_id: true, pid: m.pid(), signed_by: minor && head ? head.pid() : m.pid(),
        purpose: purposesFor(program.value), scope: ['*'], valid_from: on,
        valid_until: yearLater(on), issued_by: me.region});
      made++;
    }
    fill(authStatus, h('div', {class: 'notice'}, made
      ? `已为 ${made} 名成员生成授权书，请对照纸质授权书核对签字人、用途和有效期。`
      : '每名已填写身份证号的成员都已有授权书。'));
  }

  appNo.addEventListener('input', suggestIds);
  appliedOn.addEventListener('input', () => members.forEach(m => m.showAge()));

  // ---- files received electronically

  function fillApplication(a) {
    errors.clear();
    appNo.value = a.application_no || '';
    if (a.program && !PROGRAM_ZH[a.program] && ![...program.options].some(o => o.value === a.program))
      program.append(h('option', {value: a.program}, `未知类别（${a.program}）`));
    program.value = a.program || 'dibao';
    region.value = a.region || me.region;
    appliedOn.value = a.applied_on || '';
    const d = a.declared && typeof a.declared === 'object' ? a.declared : {};
    for (const [k, input] of Object.entries(declared)) input.value = d[k] ?? '';
    for (const m of [...members]) removeMember(m);
    for (const m of (a.members || []).slice(0, MAX_MEMBERS)) addMember(m);
    if (!members.length) addMember();
  }

  function fillAuthorizations(list) {
    const pids = new Set(members.map(m => m.pid()).filter(Boolean));
    const mine = pids.size ? list.filter(a => pids.has(String(a.pid).toUpperCase())) : list;
    let taken = 0;
    for (const a of mine) {
      const same = auths.find(r => r.read().authorization_id === a.authorization_id) ||
        auths.find(r => r.isBlank());
      if (same) same.fill(a);
      else if (!addAuth(a)) break;
      taken++;
    }
    suggestIds();
    const left = list.length - mine.length;
    return `已导入 ${taken} 份授权书` + (left ? `；另有 ${left} 份不属于本申请的家庭成员，未导入` : '') + '。';
  }

  async function importFile(input, kind) {
    const file = input.files[0];
    input.value = '';
    if (!file) return;
    fill(importStatus);
    try {
      const records = await readRecords(file);
      if (kind === 'application') {
        const apps = applicationsIn(records);
        if (!apps.length) throw new Error('文件中没有申请记录');
        if (apps.length === 1) {
          fillApplication(apps[0]);
          fill(importStatus, h('div', {class: 'notice'}, `已导入申请 ${apps[0].application_no}，请核对后受理。`));
        } else {
          chooseApplication(apps);
        }
      } else {
        const list = authorizationsIn(records);
        if (!list.length) throw new Error('文件中没有授权书记录');
        fill(importStatus, h('div', {class: 'notice'}, fillAuthorizations(list)));
      }
    } catch (e) {
      fill(importStatus, errorBox(`${file.name}：${e.message}`));
    }
  }

  // A file of many applications (a day's intake): pick one by its number.
  function chooseApplication(apps) {
    const mine = apps.filter(a => regionCovers(me.region, a.region));
    const list = h('datalist', {id: 'import-apps'},
      mine.slice(0, 2000).map(a => h('option', {value: a.application_no})));
    const pick = h('input', {list: 'import-apps', size: 24, 'data-test': 'import-choose'});
    const take = () => {
      const a = apps.find(x => x.application_no === pick.value.trim());
      if (!a) return toast('文件中没有这个申请编号', 'bad');
      fillApplication(a);
      fill(importStatus, h('div', {class: 'notice'}, `已导入申请 ${a.application_no}，请核对后受理。`));
    };
    fill(importStatus, h('div', {class: 'notice'},
      `文件中有 ${apps.length} 份申请（本辖区 ${mine.length} 份），请选择申请编号：`, list, pick,
      h('button', {type: 'button', onclick: take, 'data-test': 'import-take'}, '填入')));
    pick.focus();
  }

  const appFile = h('input', {type: 'file', accept: '.json,.jsonl,application/json',
    'data-test': 'import-application', class: 'file', onchange: ev => importFile(ev.target, 'application')});
  const authFile = h('input', {type: 'file', accept: '.jsonl,.json,application/json',
    'data-test': 'import-authorizations', class: 'file',
    onchange: ev => importFile(ev.target, 'authorizations')});

  // ---- checking and sending

  function body() {
    const d = {};
    for (const [k, input] of Object.entries(declared)) {
      const v = input.value.trim();
      if (v) d[k] = k === 'vehicles' || k === 'homes' ? (COUNT.test(v) ? Number(v) : v) : v;
    }
    const application = {
      application_no: appNo.value.trim(), program: program.value, region: region.value.trim(),
      applied_on: appliedOn.value.trim(), members: members.map(m => m.read()),
    };
    if (Object.keys(d).length) application.declared = d;
    const out = {application, authorizations: auths.map(a => a.read())};
    if (reason.value.trim()) out.reason = reason.value.trim();
    return out;
  }

  function bindAll() {
    errors.reset();
    const a = 'application.';
    errors.bind(a + 'application_no', appNo);
    errors.bind(a + 'program', program);
    errors.bind(a + 'region', region);
    errors.bind(a + 'applied_on', appliedOn);
    for (const [k, input] of Object.entries(declared)) errors.bind(a + 'declared.' + k, input);
    errors.bind(a + 'members', memberList);
    members.forEach((m, i) => m.bind(errors, `${a}members[${i}]`));
    errors.bind('authorizations', authList);
    auths.forEach((x, i) => x.bind(errors, `authorizations[${i}]`));
    errors.bind('reason', reason);
  }

  // [{field, text}] for what the browser can tell is wrong.
  function problems(b) {
    const out = [], a = b.application;
    const bad = (f, text) => out.push({field: f, text});
    if (!/^[A-Za-z0-9_-]{1,63}$/.test(a.application_no))
      bad('application.application_no', '申请编号为1至63位字母、数字、“-”或“_”');
    if (!PROGRAM_ZH[a.program]) bad('application.program', '请选择救助类别');
    if (!/^\d{6}$/.test(a.region)) bad('application.region', '请填写6位行政区划代码');
    else if (!regionCovers(me.region, a.region)) bad('application.region', `不在本辖区（${me.region}）内`);
    if (!realDate(a.applied_on)) bad('application.applied_on', '请填写申请日期（年-月-日）');
    for (const [k, v] of Object.entries(a.declared || {}))
      if (typeof v === 'string' && !(k.endsWith('income') || k.endsWith('assets') ? MONEY : COUNT).test(v))
        bad('application.declared.' + k, k === 'vehicles' || k === 'homes'
          ? '请填写不小于0的整数' : '请填写金额（元），最多两位小数');
    if (!members.length) bad('application.members', '至少填写一名家庭成员');
    const seen = new Map();
    members.forEach((m, i) => {
      for (const p of m.check()) bad(`application.members[${i}].${p.field}`, p.text);
      const pid = m.pid();
      if (pid && seen.has(pid)) bad(`application.members[${i}].pid`, `与成员 ${seen.get(pid) + 1} 的身份证号重复`);
      else if (pid) seen.set(pid, i);
    });
    const ids = new Map();
    auths.forEach((x, i) => {
      for (const p of x.check({isMember: pid => seen.has(pid), region: me.region}))
        bad(`authorizations[${i}].${p.field}`, p.text);
      const id = x.read().authorization_id;
      if (id && ids.has(id)) bad(`authorizations[${i}].authorization_id`, `与第 ${ids.get(id) + 1} 份授权书编号重复`);
      else if (id) ids.set(id, i);
    });
    return out;
  }

  async function onsubmit(ev) {
    ev.preventDefault();
    const b = body();
    bindAll();
    fill(status);
    const found = problems(b);
    if (found.length) {
      for (const p of found) errors.show(p.field, p.text);
      fill(status, errorBox(`有 ${found.length} 处需要更正，已在对应位置标出。`));
      errors.focusFirst();
      return;
    }
    submit.disabled = true;
    try {
      const c = await api.post('/cases', b);
      toast(c.state === 'authorized' ? `已受理 ${c.case_no}，授权齐全`
        : `已受理 ${c.case_no}，尚有成员缺少有效授权，请在案件页补充`, 'good');
      ctx.go('/cases/' + encodeURIComponent(c.case_no));
    } catch (e) {
      submit.disabled = false;
      // A stored id with other content is about the id.
      const path = e.code === 'conflict' && /^authorizations\[\d+\]$/.test(e.field)
        ? e.field + '.authorization_id' : e.field;
      const at = e.field && errors.show(path, fieldText(e));
      const exists = e.status === 409 && !e.field && /already a case/.test(e.message || '');
      fill(status, errorBox(at ? `未能受理：${fieldText(e)}（${e.field}）` : errorText(e)), exists ? h('p', null, h('a', {
        href: '#/cases/' + encodeURIComponent(b.application.application_no)}, '查看已受理的案件')) : null);
      if (at) errors.focusFirst();
    }
  }

  addMember();
  fill(view,
    h('div', {class: 'page-head'}, h('h1', null, '受理申请'),
      h('div', {class: 'actions'},
        h('label', {class: 'button'}, '导入申请（JSON）', appFile),
        h('label', {class: 'button'}, '导入授权书（JSONL）', authFile),
        h('a', {href: '#/cases', class: 'button'}, '返回案件列表'))),
    importStatus,
    h('form', {class: 'case-form', 'data-test': 'case-form', novalidate: true, onsubmit,
      oninput: ev => errors.clearFor(ev.target), onchange: ev => errors.clearFor(ev.target)},
      h('section', {class: 'card'}, h('h2', null, '申请信息'),
        field('申请编号', appNo), field('救助类别', program), field('行政区划', region),
        field('申请日期', appliedOn),
        h('h3', null, '申报情况'),
        field('家庭月收入（元）', declared.monthly_income),
        field('金融资产（元）', declared.financial_assets),
        field('机动车（辆）', declared.vehicles),
        field('住房（套）', declared.homes)),
      h('section', {class: 'card'}, h('h2', null, '家庭成员'), memberList, datalist,
        h('button', {type: 'button', 'data-test': 'add-member', onclick: () => addMember()}, '添加成员')),
      h('section', {class: 'card'}, h('h2', null, '授权书'),
        h('p', {class: 'muted'}, '每名家庭成员（含已故成员）都须有覆盖本救助类别的有效授权。未成年人由年满18周岁的监护人签字。'),
        authList, authStatus,
        h('div', {class: 'actions'},
          h('button', {type: 'button', 'data-test': 'auths-from-members', onclick: authsFromMembers},
            '按家庭成员生成授权书'),
          h('button', {type: 'button', 'data-test': 'add-auth', onclick: () => addAuth()}, '添加授权书'))),
      h('section', {class: 'card'},
        h('label', {class: 'field wide'}, h('span', {class: 'label'}, '受理说明'), reason),
        status,
        h('div', {class: 'actions'}, submit, h('a', {href: '#/cases', class: 'button'}, '取消')))));
  appNo.focus();
}
