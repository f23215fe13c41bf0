// The console's shell: who is signed in, the menu their role allows, and
// which page a `#/path?query` address shows. Each page is a module under
// pages/ whose default export renders into <main>:
//
//   export default async function render(view, ctx) { ...; return cleanup? }
//
// ctx: {user, params (from the path), query (URLSearchParams), go(path)}.
// A page may return a function, called before the next page renders (to
// stop a timer, say). The returned promise resolves once the page shows
// its data; the shell then marks the page `data-ready` (what the browser
// tests wait for, and time).

import {api, setToken, token, setUnauthorizedHandler, errorText} from './api.js';
import {h, fill, errorBox} from './dom.js';
import {ROLE_ZH} from './format.js';

const CASEWORK = ['clerk', 'verifier', 'approver'];

// path pattern, roles (none: any signed-in user), menu title, module.
const ROUTES = [
  {path: '/login', open: true, page: 'login'},
  {path: '/cases', roles: CASEWORK, menu: '案件列表', page: 'cases'},
  {path: '/cases/new', roles: ['clerk'], menu: '受理申请', page: 'case_new'},
  {path: '/cases/:case_no', roles: CASEWORK, page: 'case_detail'},
  {path: '/batches', roles: ['verifier'], menu: '批量核对', page: 'batches'},
  {path: '/deliveries', roles: ['admin'], menu: '数据交换', page: 'deliveries'},
  {path: '/deliveries/:delivery_id', roles: ['admin'], page: 'quarantine'},
  {path: '/users', roles: ['admin'], menu: '用户管理', page: 'users'},
  {path: '/audit', roles: ['auditor'], menu: '审计查询', page: 'audit'},
  {path: '/dashboard', roles: [...CASEWORK, 'admin'], menu: '统计分析', page: 'dashboard'},
  {path: '/password', page: 'password'},
];

// Where each role starts.
const HOME = {clerk: '/cases', verifier: '/cases', approver: '/cases',
  admin: '/dashboard', auditor: '/audit'};

let user = null;
let cleanup = null;
let renderSeq = 0;

export function allowed(route, u) {
  return route.open || (u && (!route.roles || route.roles.includes(u.role)));
}

function match(path) {
  for (const r of ROUTES) {
    const want = r.path.split('/'), got = path.split('/');
    if (want.length !== got.length) continue;
    const params = {};
    let ok = true;
    for (let i = 0; i < want.length && ok; i++) {
      if (want[i].startsWith(':')) params[want[i].slice(1)] = decodeURIComponent(got[i]);
      else ok = want[i] === got[i];
    }
    if (ok) return {route: r, params};
  }
  return null;
}

export function go(path) {
  if (location.hash === '#' + path) render();
  else location.hash = path;
}

function showUser() {
  const who = document.getElementById('who');
  const nav = document.getElementById('nav');
  who.hidden = nav.hidden = !user;
  if (!user) return;
  document.getElementById('user-name').textContent = user.display_name || user.username;
  document.getElementById('user-role').textContent = ROLE_ZH[user.role] || user.role;
  document.getElementById('user-region').textContent = user.region;
  fill(nav, ROUTES.filter(r => r.menu && allowed(r, user)).map(r =>
    h('a', {href: '#' + r.path, 'data-path': r.path, 'data-test': 'nav-' + r.page}, r.menu)));
}

function markMenu(path) {
  for (const a of document.querySelectorAll('#nav a')) {
    const p = a.dataset.path;
    a.classList.toggle('active', path === p || (path.startsWith(p + '/') &&
      !document.querySelector(`#nav a[data-path="${path}"]`)));
  }
}

async function loadUser() {
  if (!token()) return null;
  try {
    return await api.get('/me');
  } catch (e) {
    if (e.status === 401) setToken('');
    else throw e;
    return null;
  }
}

async function render() {
  const seq = ++renderSeq;
  const main = document.getElementById('main');
  const [path, qs] = (location.hash.slice(1) || '/').split('?');
  if (cleanup) {
    try { cleanup(); } catch (_) { /* the old page is gone anyway */ }
    cleanup = null;
  }
  if (!user && path !== '/login') user = await loadUser();
  if (seq !== renderSeq) return;
  showUser();
  if (!user && path !== '/login') {
    location.hash = '/login';
    return;
  }
  if (path === '/' || path === '') {
    location.hash = user ? HOME[user.role] : '/login';
    return;
  }
  const m = match(path);
  markMenu(path);
  if (!m) {
    fill(main, h('h1', null, '页面不存在'), h('p', null, h('a', {href: '#/'}, '返回首页')));
    return;
  }
  if (!allowed(m.route, user)) {
    fill(main, h('h1', {'data-test': 'forbidden'}, '无权访问'),
      h('p', null, `${ROLE_ZH[user.role]}不能使用此页面。`),
      h('p', null, h('a', {href: '#/'}, '返回首页')));
    return;
  }
  fill(main, h('p', {class: 'muted'}, '正在加载…'));
  try {
    const mod = await import(`./pages/${m.route.page}.js`);
    if (seq !== renderSeq) return;
    const view = h('div', {class: 'page', 'data-page': m.route.page});
    fill(main, view);
    const done = await mod.default(view, {
      user, params: m.params, query: new URLSearchParams(qs || ''), go,
      signedIn: u => { user = u; showUser(); },
    });
    if (typeof done === 'function') {
      if (seq === renderSeq) cleanup = done;
      else done();
    }
    view.dataset.ready = '1';
  } catch (e) {
    if (seq !== renderSeq) return;
    if (e.status === 401) return;
    fill(main, errorBox(errorText(e)));
  }
}

async function logout() {
  try {
    await api.post('/logout');
  } catch (_) { /* the session may be gone already */ }
  setToken('');
  user = null;
  go('/login');
}

setUnauthorizedHandler(() => {
  setToken('');
  user = null;
  if (!location.hash.startsWith('#/login')) location.hash = '/login';
});

document.getElementById('logout').addEventListener('click', logout);
window.addEventListener('hashchange', render);
render();
