// Change one's own password. The server then ends every session of the
// account, this one included: say so, forget the token and go to sign-in.

import {api, setToken, errorText} from '../api.js';
import {h, fill, field, errorBox} from '../dom.js';

const MIN_CHARS = 10;

export default async function render(view, ctx) {
  const old = h('input', {type: 'password', name: 'old_password',
    autocomplete: 'current-password', 'data-test': 'password-old'});
  const pw = h('input', {type: 'password', name: 'new_password',
    autocomplete: 'new-password', 'data-test': 'password-new'});
  // No second entry to compare (the sign-in flow stays three fields): the
  // new password can be shown instead, to check it.
  const show = h('input', {type: 'checkbox', 'data-test': 'password-show',
    onchange: () => { pw.type = show.checked ? 'text' : 'password'; }});
  const status = h('div');
  let timer = 0;
  const submit = h('button', {type: 'submit', class: 'primary', 'data-test': 'password-submit'}, '修改密码');

  // What the server would refuse, said before asking it, in Chinese (the
  // browser's own form messages speak the browser's language).
  function problem() {
    if (!old.value) return '请输入原密码';
    if ([...pw.value].length < MIN_CHARS) return `新密码至少 ${MIN_CHARS} 个字符`;
    if (pw.value.toLowerCase() === ctx.user.username.toLowerCase()) return '新密码不能与用户名相同';
    if (pw.value === old.value) return '新密码不能与原密码相同';
    return '';
  }

  async function onsubmit(ev) {
    ev.preventDefault();
    const bad = problem();
    if (bad) {
      fill(status, errorBox(bad));
      return;
    }
    submit.disabled = true;
    fill(status);
    try {
      await api.post('/me/password', {old_password: old.value, new_password: pw.value});
    } catch (e) {
      fill(status, errorBox(e.field === 'old_password' ? '原密码不正确' : errorText(e)));
      submit.disabled = false;
      return;
    }
    // The session is gone: forget it, and the shell forgets the user.
    setToken('');
    ctx.signedIn(null);
    fill(view, h('div', {class: 'card narrow-card', 'data-test': 'password-done'},
      h('h1', null, '密码已修改'),
      h('p', null, '为安全起见，本账号在所有电脑上的登录都已结束，请用新密码重新登录。'),
      h('p', {class: 'muted'}, '正在转到登录页…'),
      h('a', {href: '#/login', class: 'button primary', 'data-test': 'password-relogin'}, '重新登录')));
    timer = setTimeout(() => ctx.go('/login'), 2500);
  }

  fill(view, h('form', {class: 'card narrow-card', onsubmit, novalidate: true, 'data-test': 'password-form'},
    h('h1', null, '修改密码'),
    h('p', {class: 'muted'}, '修改后，本账号所有已登录的会话都会结束，需要重新登录。'),
    field('原密码', old),
    field('新密码', pw, `至少 ${MIN_CHARS} 个字符，不能与用户名相同`),
    h('label', {class: 'check'}, show, '显示新密码'),
    status,
    submit));
  return () => clearTimeout(timer);
}
