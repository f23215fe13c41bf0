// Batch verification, for verifiers: upload a roll (applications.jsonl and
// authorizations.jsonl, as `hedui verify --roll` takes them), watch the
// server's batch worker run it, and read what it concluded. The files are
// read here and posted as two strings; the server keeps them and verifies
// in the background, so the page polls each queued or running batch until
// it is done (and stops when the user leaves).

import {api, errorText} from '../api.js';
import {h, fill, field, errorBox, toast} from '../dom.js';
import {BATCH_STATE_ZH, CONCLUSION_ZH, zh, dateTime, count} from '../format.js';
import {pager, pageOf} from '../paging.js';

const PAGE_SIZE = 20;
const POLL_MS = 1500;
const ACTIVE = ['queued', 'running'];
const STATE_CLASS = {queued: '', running: 'warn', done: 'good', failed: 'bad'};

const isActive = b => ACTIVE.includes(b.state);

// The server names its limit in the 413's message; staff read megabytes.
function tooLargeText(err) {
  const m = /limit of (\d+) bytes/.exec(err.message || '');
  const limit = m ? kb(Number(m[1])) : '服务器的上限';
  return `文件过大：两个文件合计（连同上传格式的开销）不能超过 ${limit}。请把名册分成几批上传。`;
}

// The worker's summary (api_batch_worker.c) in Chinese; anything else as
// the server wrote it.
const DONE_RE = new RegExp(String.raw`^(\d+) verified \(([^)]*)\); (\d+) outside the region; `
  + String.raw`(\d+) bad lines; (\d+) authorizations recorded, (\d+) refused$`);

function batchMessage(msg) {
  if (!msg) return '';
  const m = DONE_RE.exec(msg);
  if (m) {
    const parts = m[2].split(', ').map(p => p.split(' ')).filter(([, n]) => n !== '0')
      .map(([c, n]) => `${zh(CONCLUSION_ZH, c)} ${count(Number(n))}`);
    return `核对 ${count(Number(m[1]))} 件${parts.length ? `（${parts.join('，')}）` : ''}；`
      + `辖区外 ${count(Number(m[3]))} 件未核对；无法读取 ${count(Number(m[4]))} 行；`
      + `登记授权书 ${count(Number(m[5]))} 份，拒收 ${count(Number(m[6]))} 份`;
  }
  return msg.startsWith('failed: ') ? `核对失败：${msg.slice(8)}` : msg;
}

function kb(bytes) {
  const one = n => n.toFixed(1).replace(/\.0$/, '');
  return bytes < 1024 ? `${bytes} 字节` : bytes < 1048576
    ? `${one(bytes / 1024)} KB` : `${one(bytes / 1048576)} MB`;
}

function progressCell(b) {
  if (b.state === 'done') return `${count(b.total)} 件`;
  if (b.state !== 'running') return b.state === 'queued' ? '等待核对' : '';
  const share = b.total > 0 ? Math.min(1, b.done / b.total) : 0;
  const bar = h('div');
  bar.style.width = `${(share * 100).toFixed(1)}%`;
  return h('div', {class: 'progress-cell'},
    h('div', {class: 'progress', role: 'progressbar', 'aria-valuemin': 0,
      'aria-valuemax': b.total, 'aria-valuenow': b.done, 'data-test': 'batch-progress'}, bar),
    h('span', {class: 'muted'}, b.total > 0 ? `${count(b.done)} / ${count(b.total)}` : '准备中'));
}

// A file input whose words are Chinese whatever the browser's language:
// the native control stays (keyboard, drop, the tests' setInputFiles) but
// is hidden behind a button and the chosen file's name.
function fileInput(name, test) {
  return h('input', {type: 'file', name, accept: '.jsonl,.json,.txt', class: 'file-native', 'data-test': test});
}

function filePicker(input) {
  const chosen = h('span', {class: 'file-name muted'}, '未选择文件');
  input.addEventListener('change', () => {
    const f = input.files[0];
    chosen.textContent = f ? `${f.name}（${kb(f.size)}）` : '未选择文件';
    chosen.classList.toggle('muted', !f);
  });
  return h('span', {class: 'file-pick'}, input, h('span', {class: 'button'}, '选择文件'), chosen);
}

// Count the Result records (one JSON line per application) by conclusion.
// A roll's results can run to hundreds of megabytes: past STREAM_BYTES
// they are read as they arrive rather than held whole. (Below it, read
// whole: Chromium's DevTools protocol reports a body read through a
// stream as a failed request, which the browser tests count against us.)
const STREAM_BYTES = 32 * 1048576;

async function countResults(id) {
  const r = await api.fetch(`/batches/${id}/results`);
  const byConclusion = {};
  let total = 0;
  const take = line => {
    if (!line.trim()) return;
    const c = JSON.parse(line).conclusion || '';
    byConclusion[c] = (byConclusion[c] || 0) + 1;
    total++;
  };
  if (Number(r.headers.get('Content-Length') || 0) <= STREAM_BYTES) {
    (await r.text()).split('\n').forEach(take);
    return {byConclusion, total};
  }
  const reader = r.body.pipeThrough(new TextDecoderStream()).getReader();
  let rest = '';
  for (;;) {
    const {value, done} = await reader.read();
    if (done) break;
    const lines = (rest + value).split('\n');
    rest = lines.pop();
    lines.forEach(take);
  }
  take(rest);
  return {byConclusion, total};
}

export default async function render(view, ctx) {
  const page = pageOf(ctx.query);
  let batches = [];
  let more = false;
  let alive = true;
  let timer = 0;
  const watched = new Set();   // seen queued or running here: open when done
  let shownId = 0;             // whose results the panel shows

  // ---- upload
  const appsFile = fileInput('applications', 'batch-applications');
  const authsFile = fileInput('authorizations', 'batch-authorizations');
  const submit = h('button', {type: 'submit', class: 'primary', 'data-test': 'batch-submit'}, '上传并核对');
  const uploadStatus = h('div');
  async function upload(ev) {
    ev.preventDefault();
    const [a, z] = [appsFile.files[0], authsFile.files[0]];
    if (!a || !z) {
      fill(uploadStatus, errorBox('请选择申请名册和授权书两个文件'));
      return;
    }
    submit.disabled = true;
    fill(uploadStatus, h('p', {class: 'muted'}, `正在上传（${kb(a.size + z.size)}）…`));
    try {
      const [applications, authorizations] = await Promise.all([a.text(), z.text()]);
      const b = await api.post('/batches', {applications, authorizations});
      watched.add(b.id);
      toast(`已上传，批次 ${b.id} 排队核对`, 'good');
      fill(uploadStatus);
      form.reset();
      for (const input of [appsFile, authsFile]) input.dispatchEvent(new Event('change'));
      if (page !== 1) {
        ctx.go('/batches');
        return;
      }
      await loadList();
    } catch (e) {
      fill(uploadStatus, errorBox(e.status === 413 ? tooLargeText(e) : errorText(e)));
    } finally {
      submit.disabled = false;
    }
  }

  const form = h('form', {class: 'card upload', onsubmit: upload, 'data-test': 'batch-form'},
    h('h2', null, '上传名册'),
    h('p', {class: 'muted'}, '每行一条记录（JSON Lines，按数据交换标准）。辖区以外的申请只计数，不核对；'
      + '未签名的授权书由本机构签名，记为由您上传。'),
    field('申请名册 applications.jsonl', filePicker(appsFile)),
    field('授权书 authorizations.jsonl', filePicker(authsFile)),
    h('div', {class: 'form-actions'}, submit),
    uploadStatus);

  // ---- the list
  const listBox = h('div', {class: 'list-body'}, h('p', {class: 'muted'}, '正在加载…'));
  const results = h('div');

  function stateBadge(b) {
    return h('span', {class: `badge ${STATE_CLASS[b.state] || ''}`, 'data-test': 'batch-state',
      'data-state': b.state}, zh(BATCH_STATE_ZH, b.state));
  }

  const columns = [
    {title: '批次', cell: b => String(b.id), class: 'num'},
    {title: '上传人', cell: b => b.username, class: 'nowrap'},
    {title: '辖区', cell: b => b.region},
    {title: '状态', cell: stateBadge},
    {title: '进度', cell: progressCell, class: 'nowrap'},
    {title: '上传时间', cell: b => dateTime(b.created_at), class: 'nowrap'},
    {title: '完成时间', cell: b => dateTime(b.finished_at), class: 'nowrap'},
    {title: '说明', cell: b => batchMessage(b.message), class: 'wrap'},
    {title: '', cell: b => b.state === 'done'
      ? h('button', {type: 'button', onclick: () => showResults(b), 'data-test': 'batch-results-open'}, '查看结果')
      : '', class: 'nowrap'},
  ];

  function rowOf(b) {
    return h('tr', {'data-batch': b.id}, columns.map(c => h('td', {class: c.class}, c.cell(b))));
  }

  function drawList() {
    const rows = batches.length ? batches.map(rowOf)
      : h('tr', null, h('td', {colspan: columns.length, class: 'empty'},
        page > 1 ? '此页没有批次' : '本辖区还没有上传过批次'));
    fill(listBox,
      h('div', {class: 'table-wrap'},
        h('table', {class: 'grid', 'data-test': 'batch-table'},
          h('thead', null, h('tr', null, columns.map(c => h('th', {class: c.class}, c.title)))),
          h('tbody', null, rows))),
      pager({page, pageSize: PAGE_SIZE, more, href: n => `/batches?page=${n}`}));
  }

  function update(b) {
    const i = batches.findIndex(x => x.id === b.id);
    if (i < 0) return;
    batches[i] = b;
    const tr = listBox.querySelector(`tr[data-batch="${b.id}"]`);
    if (tr) tr.replaceWith(rowOf(b));
  }

  // The server filters the region after paging and gives no total, so a
  // short page need not be the last: ask for the next page too.
  async function loadList() {
    const [r, next] = await Promise.all([api.get('/batches', {page, page_size: PAGE_SIZE}),
      api.get('/batches', {page: page + 1, page_size: PAGE_SIZE})]);
    if (!alive) return;
    batches = r.batches;
    more = next.batches.length > 0;
    for (const b of batches) if (isActive(b)) watched.add(b.id);
    drawList();
    schedule();
  }

  // ---- progress
  function schedule() {
    clearTimeout(timer);
    if (alive && batches.some(isActive)) timer = setTimeout(poll, POLL_MS);
  }

  async function poll() {
    const active = batches.filter(isActive);
    await Promise.all(active.map(async b => {
      try {
        const now = await api.get(`/batches/${b.id}`);
        if (!alive) return;
        update(now);
        if (now.state === 'done' && watched.has(now.id)) {
          watched.delete(now.id);
          showResults(now);
        }
      } catch (e) {
        if (alive && e.status !== 401) toast(`批次 ${b.id}：${errorText(e)}`, 'bad');
      }
    }));
    schedule();
  }

  // ---- results
  async function showResults(b) {
    shownId = b.id;
    // `batch-results` marks the panel once it holds the counts (or why not).
    fill(results, h('div', {class: 'card', 'data-test': 'batch-results-loading', 'data-batch': b.id},
      h('h2', null, `批次 ${b.id} 的核对结果`), h('p', {class: 'muted'}, '正在统计…')));
    let sum;
    try {
      sum = await countResults(b.id);
    } catch (e) {
      if (alive && shownId === b.id)
        fill(results, h('div', {class: 'card', 'data-test': 'batch-results', 'data-batch': b.id},
          h('h2', null, `批次 ${b.id} 的核对结果`), errorBox(errorText(e))));
      return;
    }
    if (!alive || shownId !== b.id) return;
    const order = [...Object.keys(CONCLUSION_ZH), ...Object.keys(sum.byConclusion)
      .filter(c => !(c in CONCLUSION_ZH))];
    const rows = order.filter(c => sum.byConclusion[c]).map(c => h('tr', null,
      h('td', null, h('span', {class: `badge conclusion-${c}`}, zh(CONCLUSION_ZH, c) || '（无结论）')),
      h('td', {class: 'num', 'data-test': `batch-count-${c}`}, count(sum.byConclusion[c])),
      h('td', {class: 'num'}, `${(100 * sum.byConclusion[c] / sum.total).toFixed(1)}%`)));
    const download = h('button', {type: 'button', 'data-test': 'batch-download', onclick: async () => {
      download.disabled = true;
      try {
        await api.download(`/batches/${b.id}/results`, null, `批量核对结果-${b.id}.jsonl`);
      } catch (e) {
        toast(errorText(e), 'bad');
      } finally {
        download.disabled = false;
      }
    }}, '下载结果文件（JSON Lines）');
    fill(results, h('div', {class: 'card', 'data-test': 'batch-results', 'data-batch': b.id},
      h('div', {class: 'page-head'}, h('h2', null, `批次 ${b.id} 的核对结果`),
        h('div', {class: 'actions'}, download,
          h('button', {type: 'button', onclick: () => { shownId = 0; fill(results); }}, '关闭'))),
      h('p', null, batchMessage(b.message) || `核对 ${count(sum.total)} 件申请`),
      sum.total
        ? h('table', {class: 'grid narrow', 'data-test': 'batch-results-table'},
          h('thead', null, h('tr', null, h('th', null, '核对结论'), h('th', {class: 'num'}, '件数'),
            h('th', {class: 'num'}, '占比'))),
          h('tbody', null, rows))
        : h('p', {class: 'muted'}, '本批次没有本辖区的申请')));
  }

  fill(view,
    h('div', {class: 'page-head'}, h('h1', null, '批量核对')),
    form, results,
    h('h2', null, '本辖区的批次'),
    listBox);

  try {
    await loadList();
  } catch (e) {
    fill(listBox, errorBox(errorText(e)));
  }
  return () => {
    alive = false;
    clearTimeout(timer);
  };
}
