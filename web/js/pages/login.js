// Sign in: username and password, and the six-digit code of an
// authenticator app for the roles that need one (admin, auditor).

import {api, setToken, errorText} from '../api.js';
import {h, field, fill, errorBox} from '../dom.js';

export default async function render(view, ctx) {
  const username = h('input', {id: 'login-username', name: 'username', autocomplete: 'username',
    required: true, autofocus: true});
  const password = h('input', {id: 'login-password', name: 'password', type: 'password',
    autocomplete: 'current-password', required: true});
  const totp = h('input', {id: 'login-totp', name: 'totp', inputmode: 'numeric',
    autocomplete: 'one-time-code', pattern: '[0-9]{6}', maxlength: 6});
  const status = h('div');
  const submit = h('button', {type: 'submit', class: 'primary', id: 'login-submit'}, '登录');

  async function onsubmit(ev) {
    ev.preventDefault();
    submit.disabled = true;
    fill(status);
    try {
      const body = {username: username.value.trim(), password: password.value};
      if (totp.value.trim()) body.totp = totp.value.trim();
      const r = await api.post('/login', body);
      setToken(r.token);
      ctx.signedIn(r.user);
      ctx.go('/');
    } catch (e) {
      const text = e.status === 401 && e.field === 'totp' ? '请输入身份验证器上的六位动态码'
        : e.status === 401 ? '用户名或密码错误' : errorText(e);
      fill(status, errorBox(text));
      submit.disabled = false;
    }
  }

  fill(view, h('form', {class: 'login card', onsubmit, 'data-test': 'login-form'},
    h('h1', null, '居民家庭经济状况核对'),
    field('用户名', username),
    field('密码', password),
    field('动态码', totp, '管理员、审计员须填写身份验证器上的六位动态码'),
    status,
    submit));
  username.focus();
}
