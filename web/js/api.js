// The console's one way to the service: JSON over /api/v1 with the
// session's bearer token. The token lives in sessionStorage, so it ends
// with the tab; the server ends it too (idle and absolute expiry).

const TOKEN_KEY = 'hedui.token';

export class ApiError extends Error {
  constructor(status, code, message, field) {
    super(message);
    this.status = status;
    this.code = code;
    this.field = field || '';
  }
}

// What staff read for each error code. The server's message is English,
// for the operator; it is added after ours only where it carries what
// staff need and our text cannot say: the rule a field broke, until when
// an account is locked, what state would allow an action, and the request
// id of a server fault (to quote to the administrator).
const CODE_ZH = {
  bad_request: '填写有误',
  unauthorized: '登录已失效，请重新登录',
  forbidden: '无权进行此操作',
  not_found: '未找到',
  method_not_allowed: '不支持的操作',
  conflict: '他人刚刚处理了同一事项，请刷新后再试',
  wrong_state: '当前状态下不能进行此操作',
  locked: '账号已被临时锁定',
  payload_too_large: '内容过大',
  unsupported_media_type: '内容格式不对',
  rejected: '已被拒收',
  internal_error: '服务器出错，请联系管理员并提供请求编号',
  unavailable: '服务暂不可用',
  network: '无法连接服务器',
};

const WITH_DETAIL = new Set(['bad_request', 'locked', 'wrong_state', 'rejected',
  'internal_error']);

export function errorText(err) {
  if (!(err instanceof ApiError)) return String(err && err.message || err);
  const base = CODE_ZH[err.code] || err.code;
  const field = err.field ? `（${err.field}）` : '';
  const detail = WITH_DETAIL.has(err.code) && err.message ? `：${err.message}` : '';
  return base + field + detail;
}

export function token() {
  return sessionStorage.getItem(TOKEN_KEY) || '';
}

export function setToken(t) {
  if (t) sessionStorage.setItem(TOKEN_KEY, t);
  else sessionStorage.removeItem(TOKEN_KEY);
}

// Called when the server says the session is gone (set by app.js).
let onUnauthorized = () => {};
export function setUnauthorizedHandler(fn) {
  onUnauthorized = fn;
}

function url(path, query) {
  const u = new URL('/api/v1' + path, location.origin);
  for (const [k, v] of Object.entries(query || {}))
    if (v !== '' && v !== null && v !== undefined) u.searchParams.set(k, v);
  return u;
}

async function send(method, path, {query, body} = {}) {
  const headers = {};
  if (token()) headers.Authorization = 'Bearer ' + token();
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  let r;
  try {
    r = await fetch(url(path, query), {
      method, headers, body: body === undefined ? undefined : JSON.stringify(body),
      cache: 'no-store',
    });
  } catch (e) {
    throw new ApiError(0, 'network', e.message);
  }
  if (r.ok) return r;
  let e = {};
  try {
    e = (await r.json()).error || {};
  } catch (_) { /* not JSON: keep the status */ }
  const err = new ApiError(r.status, e.code || 'http_' + r.status,
    e.message || r.statusText, e.field);
  if (r.status === 401 && path !== '/login') onUnauthorized(err);
  throw err;
}

async function json(r) {
  return r.status === 204 ? null : r.json();
}

export const api = {
  get: async (path, query) => json(await send('GET', path, {query})),
  post: async (path, body) => json(await send('POST', path, {body: body ?? {}})),
  // The raw reply, for text (NDJSON) and files.
  fetch: (path, query) => send('GET', path, {query}),
  // Save a file the server makes (a report, an export) under `filename`:
  // a plain link cannot carry the bearer token, so fetch it and hand the
  // browser the bytes.
  async download(path, query, filename) {
    const r = await send('GET', path, {query});
    const blob = await r.blob();
    const a = document.createElement('a');
    a.href = URL.createObjectURL(blob);
    a.download = filename;
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(a.href), 10000);
  },
};
