// Accounts, for admins: those the admin's region covers, a new account,
// and the three changes an admin makes to one (role or region, disable,
// a new password), each with its reason. Admin and auditor accounts sign
// in with an authenticator app: the server gives their key once, as an
// otpauth:// URI, and this page shows it once, as text to copy.

import {api, errorText} from '../api.js';
import {h, fill, field, select, table, errorBox, toast} from '../dom.js';
import {ROLE_ZH, zh, dateTime} from '../format.js';

const ROLE_OPTIONS = Object.entries(ROLE_ZH);
const PASSWORD_MIN = 10;

// Checked here, in Chinese, before the server is asked (the browser's own
// form messages speak the browser's language).
const USERNAME_RE = /^[a-z0-9_.-]{3,32}$/;
const REGION_RE = /^[0-9]{6}$/;

function problemOf({username, region, password, reason}) {
  if (username !== undefined && !USERNAME_RE.test(username)) return '用户名须为 3–32 位小写字母、数字或 _ . -';
  if (region !== undefined && !REGION_RE.test(region)) return '辖区须为 6 位行政区划代码';
  if (password !== undefined && [...password].length < PASSWORD_MIN) return `密码至少 ${PASSWORD_MIN} 个字符`;
  if (username !== undefined && password !== undefined && password.toLowerCase() === username) return '密码不能与用户名相同';
  if (reason !== undefined && !reason) return '请填写原因';
  return '';
}

// The refusals an admin meets in this page, in Chinese; the server's own
// words follow any other.
const MESSAGE_ZH = {
  'an admin cannot disable their own account': '不能停用自己的账号',
  'an admin cannot change their own role or region': '不能变更自己的角色或辖区',
};

function refusal(e) {
  return MESSAGE_ZH[e.message] || errorText(e);
}

// Copy text to the clipboard; where the page is not a secure context
// (plain http on a LAN name) the Clipboard API is missing, so select the
// text and copy the old way.
async function copy(text, box) {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch (_) {
    box.focus();
    box.select();
    return document.execCommand('copy');
  }
}

// The key, shown once: the URI to paste into the app, the bare secret for
// apps that take it typed.
function totpNotice(username, uri) {
  const secret = new URL(uri).searchParams.get('secret') || '';
  const box = h('textarea', {readonly: true, rows: 2, class: 'mono totp', 'data-test': 'totp-uri'}, uri);
  const done = h('span', {class: 'muted'});
  return h('div', {class: 'notice', 'data-test': 'totp-notice'},
    h('p', null, h('strong', null, `账号 ${username} 须用身份验证器登录。`),
      '请把下面的密钥交给本人添加到身份验证器（只显示这一次，关闭或离开本页后无法再查看）。'),
    box,
    h('p', null, '密钥：', h('span', {class: 'mono', 'data-test': 'totp-secret'}, secret)),
    h('div', {class: 'actions'},
      h('button', {type: 'button', 'data-test': 'totp-copy', onclick: async () => {
        done.textContent = await copy(uri, box) ? '已复制' : '复制失败，请手动选中复制';
      }}, '复制'),
      done));
}

export default async function render(view, ctx) {
  const me = ctx.user.username;
  const notice = h('div');
  const listBox = h('div', null, h('p', {class: 'muted'}, '正在加载…'));
  const dialog = h('dialog', {class: 'dialog', 'data-test': 'user-dialog'});

  // ---- a new account
  const username = h('input', {name: 'username', maxlength: 32, autocomplete: 'off',
    'data-test': 'user-username', size: 14});
  const displayName = h('input', {name: 'display_name', maxlength: 64, autocomplete: 'off',
    'data-test': 'user-display-name', size: 12});
  const role = select({name: 'role', 'data-test': 'user-role'}, ROLE_OPTIONS, 'clerk');
  const region = h('input', {name: 'region', maxlength: 6, inputmode: 'numeric',
    value: ctx.user.region, 'data-test': 'user-region', size: 8});
  const password = h('input', {name: 'password', type: 'password',
    autocomplete: 'new-password', 'data-test': 'user-password', size: 14});
  const addStatus = h('div');
  const addButton = h('button', {type: 'submit', class: 'primary', 'data-test': 'user-submit'}, '新增账号');

  async function add(ev) {
    ev.preventDefault();
    const body = {username: username.value.trim(), display_name: displayName.value.trim() || null,
      role: role.value, region: region.value.trim(), password: password.value};
    const bad = problemOf(body);
    if (bad) {
      fill(addStatus, errorBox(bad));
      return;
    }
    addButton.disabled = true;
    fill(addStatus);
    try {
      const r = await api.post('/users', body);
      addForm.reset();
      region.value = ctx.user.region;
      toast(`已新增账号 ${r.user.username}`, 'good');
      fill(notice, r.totp_uri ? totpNotice(r.user.username, r.totp_uri) : null);
      await load();
    } catch (e) {
      fill(addStatus, errorBox(refusal(e)));
    } finally {
      addButton.disabled = false;
    }
  }

  const addForm = h('form', {class: 'card', onsubmit: add, novalidate: true, 'data-test': 'user-form'},
    h('h2', null, '新增账号'),
    field('用户名', username, '3–32 位小写字母、数字、_ . -'),
    field('姓名', displayName),
    field('角色', role),
    field('辖区', region, '本辖区或下级的 6 位区划代码'),
    field('初始密码', password, `至少 ${PASSWORD_MIN} 个字符，不能与用户名相同`),
    h('div', {class: 'form-actions'}, addButton),
    addStatus);

  // ---- changes to an account, each in the dialog with its reason
  // `send(reason)` makes the change; `check()` says what is wrong first.
  function openDialog(title, fields, confirmText, send, danger, check = () => '') {
    const reason = h('textarea', {name: 'reason', maxlength: 500, rows: 2,
      'data-test': 'action-reason'});
    const status = h('div');
    const confirm = h('button', {type: 'submit', class: danger ? 'danger' : 'primary',
      'data-test': 'action-confirm'}, confirmText);
    const form = h('form', {novalidate: true, onsubmit: async ev => {
      ev.preventDefault();
      const bad = check() || problemOf({reason: reason.value.trim()});
      if (bad) {
        fill(status, errorBox(bad));
        return;
      }
      confirm.disabled = true;
      fill(status);
      try {
        await send(reason.value.trim());
        dialog.close();
      } catch (e) {
        fill(status, errorBox(refusal(e)));
      } finally {
        confirm.disabled = false;
      }
    }},
    h('h2', null, title), fields,
    field('原因', reason),
    status,
    h('div', {class: 'actions'}, confirm,
      h('button', {type: 'button', 'data-test': 'action-cancel', onclick: () => dialog.close()}, '取消')));
    fill(dialog, form);
    dialog.showModal();
    (form.querySelector('input, select') || reason).focus();
  }

  function changeRole(u) {
    const newRole = select({name: 'role', 'data-test': 'dialog-role'}, ROLE_OPTIONS, u.role);
    const newRegion = h('input', {name: 'region', maxlength: 6, inputmode: 'numeric',
      value: u.region, 'data-test': 'dialog-region', size: 8});
    openDialog(`变更 ${u.username} 的角色或辖区`,
      [field('角色', newRole), field('辖区', newRegion),
        h('p', {class: 'muted'}, '变更后该账号的所有会话立即结束。')],
      '确定变更', async reason => {
        const r = await api.post(`/users/${encodeURIComponent(u.username)}/role`,
          {role: newRole.value, region: newRegion.value.trim(), reason});
        toast(`已变更 ${u.username} 为${zh(ROLE_ZH, r.user.role)}（${r.user.region}）`, 'good');
        fill(notice, r.totp_uri ? totpNotice(u.username, r.totp_uri) : null);
        await load();
      }, false, () => problemOf({region: newRegion.value.trim()}));
  }

  function disable(u) {
    openDialog(`停用账号 ${u.username}`,
      h('p', {class: 'warning'}, `停用后 ${u.display_name || u.username} 立即退出且不能再登录，`
        + '本页无法恢复。确定停用吗？'),
      '确定停用', async reason => {
        await api.post(`/users/${encodeURIComponent(u.username)}/disable`, {reason});
        toast(`已停用 ${u.username}`, 'good');
        await load();
      }, true);
  }

  function resetPassword(u) {
    const pw = h('input', {type: 'password', autocomplete: 'new-password',
      'data-test': 'dialog-password', size: 20});
    openDialog(`重置 ${u.username} 的密码`,
      [field('新密码', pw, `至少 ${PASSWORD_MIN} 个字符；告知本人后请其登录后自行修改`),
        h('p', {class: 'muted'}, '重置后该账号的所有会话立即结束。')],
      '确定重置', async reason => {
        await api.post(`/users/${encodeURIComponent(u.username)}/password`, {password: pw.value, reason});
        toast(`已重置 ${u.username} 的密码`, 'good');
      }, false, () => problemOf({username: u.username, password: pw.value}));
  }

  function status(u) {
    if (u.disabled) return h('span', {class: 'badge bad', 'data-test': 'user-status', 'data-status': 'disabled'}, '已停用');
    if (u.locked_until * 1000 > Date.now())
      return h('span', {class: 'badge warn', 'data-test': 'user-status', 'data-status': 'locked'},
        `锁定至 ${dateTime(u.locked_until)}`);
    return h('span', {class: 'badge good', 'data-test': 'user-status', 'data-status': 'active'}, '正常');
  }

  function actions(u) {
    if (u.disabled) return '';
    return h('div', {class: 'row-actions'},
      h('button', {type: 'button', 'data-test': 'user-role-change', onclick: () => changeRole(u)}, '变更角色/辖区'),
      h('button', {type: 'button', 'data-test': 'user-password-reset', onclick: () => resetPassword(u)}, '重置密码'),
      h('button', {type: 'button', class: 'danger', 'data-test': 'user-disable', onclick: () => disable(u)}, '停用'));
  }

  async function load() {
    const {users} = await api.get('/users');
    fill(listBox, h('div', {class: 'table-wrap'}, table([
      {title: '用户名', cell: u => [u.username, u.username === me ? h('span', {class: 'muted'}, '（本人）') : null]},
      {title: '姓名', cell: u => u.display_name},
      {title: '角色', cell: u => u.role_zh || zh(ROLE_ZH, u.role)},
      {title: '辖区', cell: u => u.region},
      {title: '状态', cell: status},
      {title: '动态码', cell: u => u.totp ? '已设置' : ''},
      {title: '创建时间', cell: u => dateTime(u.created_at)},
      {title: '更新时间', cell: u => dateTime(u.updated_at)},
      {title: '操作', cell: actions},
    ], users, {'data-test': 'user-table'})),
    h('p', {class: 'muted'}, `共 ${users.length} 个账号（辖区 ${ctx.user.region} 及下级）`));
    // Each row names its account, for finding it (the browser tests do).
    listBox.querySelectorAll('tbody tr').forEach((tr, i) => {
      if (users[i]) tr.dataset.username = users[i].username;
    });
  }

  fill(view, h('div', {class: 'page-head'}, h('h1', null, '用户管理')),
    notice, addForm, h('h2', null, '账号'), listBox, dialog);
  try {
    await load();
  } catch (e) {
    fill(listBox, errorBox(errorText(e)));
  }
  return () => {
    if (dialog.open) dialog.close();
  };
}
