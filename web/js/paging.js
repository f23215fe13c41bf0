// Paging links under a list the server pages. Each link is an address
// (#/path?...&page=N) when `href` is given, so back and reload keep the
// page; or a button calling `go(n)` when the page keeps its state itself
// (the audit search, whose citizen ID must not go into the address).

import {h} from './dom.js';
import {count} from './format.js';

// {page, pageSize, total?, more?, href?(n), go?(n), noun?}
// `total` known: 共 N 条，第 p / P 页 and every link. Unknown (a list
// filtered after paging): `more` says whether a next page may hold rows.
export function pager({page, pageSize, total, more, href, go, noun = '条'}) {
  const pages = total === undefined ? null : Math.max(1, Math.ceil(total / pageSize));
  const hasNext = pages === null ? !!more : page < pages;
  const link = (n, text, test) => href
    ? h('a', {href: '#' + href(n), class: 'button', 'data-test': test}, text)
    : h('button', {type: 'button', onclick: () => go(n), 'data-test': test}, text);
  return h('div', {class: 'pager', 'data-test': 'pager'},
    h('span', {'data-test': 'pager-total'}, pages === null
      ? `第 ${page} 页`
      : `共 ${count(total)} ${noun}，第 ${page} / ${count(pages)} 页`),
    page > 1 ? link(1, '首页', 'page-first') : null,
    page > 1 ? link(page - 1, '上一页', 'page-prev') : null,
    hasNext ? link(page + 1, '下一页', 'page-next') : null,
    hasNext && pages !== null ? link(pages, '末页', 'page-last') : null);
}

// The page number in an address's query: 1 when absent or not a number.
export function pageOf(query) {
  return Math.max(1, parseInt(query.get('page') || '1', 10) || 1);
}
