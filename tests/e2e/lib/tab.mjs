// One browser tab signed in as one account (a tab's sessionStorage holds
// its own session, so each role of a test works in a tab of its own),
// and the trap that fails the test on anything going wrong in it: a
// console error or warning, an uncaught error, a request that failed, or
// an HTTP error the step did not say it expects.

import {freshTotp} from './totp.mjs';

const WAIT_MS = 15000;

// What the shell shows once a navigation is done: the page marked ready
// (app.js sets data-ready when the page module's promise resolves), the
// 无权访问 notice, or the shell's own error box when a page could not
// render. Elements left from before the navigation carry data-e2e-old.
function settled() {
  const main = document.getElementById('main');
  if (!main || main.querySelector('[data-e2e-old]')) return null;
  const page = main.querySelector(':scope > .page');
  const t = performance.now();
  if (page && page.dataset.ready) return {state: 'ready', page: page.dataset.page, t};
  if (main.querySelector(':scope > [data-test=forbidden]')) return {state: 'forbidden', page: '', t};
  if (!page && main.querySelector(':scope > [data-test=error]'))
    return {state: 'error', page: '', t, text: main.textContent};
  return null;
}

function markOld() {
  for (const el of document.querySelectorAll('#main > *')) el.setAttribute('data-e2e-old', '');
}

export class Tab {
  constructor(run, page, account, label) {
    this.run = run;
    this.page = page;
    this.account = account;
    this.who = label || account.username;
    this.expected = [];     // [{status, url: RegExp, seen}] of the step running
    this.excused = new Set(); // "status url" of errors a step expected
    this.reported = new Set(); // "status url" of errors reported already
    this.consoleIssues = [];
    this.trap();
  }

  trap() {
    const p = this.page;
    p.on('console', msg => {
      if (msg.type() === 'error' || msg.type() === 'warning')
        this.consoleIssues.push({type: msg.type(), text: msg.text(), url: msg.location().url || '',
          step: this.run.current});
    });
    p.on('pageerror', err => this.run.problem(`${this.who}: uncaught error in the page: ${err.message}`));
    p.on('requestfailed', req => {
      const why = req.failure() ? req.failure().errorText : '';
      // a module that failed with an HTTP error is aborted too: one problem
      if ([...this.reported, ...this.excused].some(k => k.endsWith(' ' + req.url()))) return;
      this.run.problem(`${this.who}: request failed: ${req.method()} ${req.url()} ${why}`);
    });
    p.on('response', resp => {
      const status = resp.status();
      if (status < 400) return;
      const url = resp.url();
      const e = this.expected.find(x => x.status === status && x.url.test(url));
      if (e) {
        e.seen = true;
        this.excused.add(`${status} ${url}`);
      } else {
        this.reported.add(`${status} ${url}`);
        this.run.problem(`${this.who}: HTTP ${status} not expected: ${resp.request().method()} ${url}`);
      }
    });
  }

  // Console messages are judged once the run is over (Chromium may log a
  // refused fetch after the step saw its reply): Chromium logs every
  // HTTP error as "Failed to load resource", which is no problem when
  // the step expected that reply (or one already reported).
  judgeConsole() {
    for (const m of this.consoleIssues) {
      const r = /Failed to load resource: the server responded with a status of (\d+)/.exec(m.text);
      if (r && (this.excused.has(`${r[1]} ${m.url}`) || this.reported.has(`${r[1]} ${m.url}`))) continue;
      this.run.problem(`${this.who}: console ${m.type} during "${m.step}": ${m.text} ${m.url}`);
    }
  }

  // Run fn with HTTP errors expected: [{status, url: RegExp}], each of
  // which must happen.
  async expecting(list, fn) {
    this.expected = list.map(x => ({...x, seen: false}));
    try {
      return await fn();
    } finally {
      for (const e of this.expected)
        this.run.check(e.seen, `${this.who}: the expected HTTP ${e.status} from ${e.url}`);
      this.expected = [];
    }
  }

  // Bring the tab to the front before working in it: Chromium slows the
  // frames of a tab in the background (a click or a screenshot there
  // took seconds), as it would for a user's.
  async focus() {
    if (this.run.front === this) return;
    await this.page.bringToFront();
    this.run.front = this;
  }

  el(test) {
    return this.page.locator(`[data-test="${test}"]`);
  }

  // Sign in through the form; the page the role starts on is then shown.
  // atLogin(tab) runs once the sign-in page shows.
  async login(atLogin) {
    const a = this.account;
    const t0 = Date.now();
    await this.page.goto(this.run.server.url + '#/login');
    const login = await this.page.waitForFunction(settled, null, {timeout: WAIT_MS});
    const shown = await login.jsonValue();
    this.run.timing(this, '/login', 'login', Date.now() - t0, 'ready');
    if (shown.page !== 'login') throw new Error('the sign-in page did not show: ' + JSON.stringify(shown));
    if (atLogin) await atLogin(this);
    await this.page.fill('#login-username', a.username);
    await this.page.fill('#login-password', a.password);
    if (a.totp_secret) await this.page.fill('#login-totp', freshTotp(a.totp_secret));
    // the time of this first page includes the sign-in (the password hash)
    return this.navigate('(home)', () => this.page.click('#login-submit'), 'after sign-in');
  }

  // Go to `#hash` as a user does (the address bar or a link: the hash
  // changes, no reload) and wait for the page to be ready; the time from
  // the change to data-ready goes to the timings (the address shown
  // already: a reload). Returns what showed:
  // {state: 'ready'|'forbidden'|'error', page, text (of an error), ms}.
  async open(hash, {expect = []} = {}) {
    const now = await this.page.evaluate(() => location.hash);
    if (now === '#' + hash) return this.reload({expect});
    return this.expecting(expect, () =>
      this.navigate(hash, () => this.page.evaluate(h => { location.hash = h; }, hash)));
  }

  // Do something that leads to another page (a click on a link, a
  // submit) and wait for it as open() does.
  async follow(label, act, {expect = []} = {}) {
    return this.expecting(expect, () => this.navigate(label, act));
  }

  async navigate(label, act, note = '') {
    await this.focus();
    await this.page.evaluate(markOld);
    const t0 = await this.page.evaluate(() => performance.now());
    await act();
    const h = await this.page.waitForFunction(settled, null, {timeout: WAIT_MS, polling: 'raf'});
    const shown = await h.jsonValue();
    const hash = await this.page.evaluate(() => location.hash.slice(1));
    const page = (shown.page || shown.state) + (note ? ` (${note})` : '');
    const ms = Math.round(shown.t - t0);
    this.run.timing(this, hash || label, page, ms, shown.state);
    return {state: shown.state, page: shown.page, text: shown.text, ms};
  }

  // Reload the whole console on the current address (a new session's
  // first load, with every module fetched again).
  async reload({expect = []} = {}) {
    return this.expecting(expect, async () => {
      await this.focus();
      const t0 = Date.now();
      await this.page.reload();
      const h = await this.page.waitForFunction(settled, null, {timeout: WAIT_MS, polling: 'raf'});
      const shown = await h.jsonValue();
      const hash = await this.page.evaluate(() => location.hash.slice(1));
      const ms = Date.now() - t0;
      this.run.timing(this, hash, (shown.page || shown.state) + ' (reload)', ms, shown.state);
      return {state: shown.state, page: shown.page, text: shown.text, ms};
    });
  }

  async shot(label, {fullPage = true} = {}) {
    await this.focus();
    return this.run.shot(this, label, fullPage);
  }

  // The menu's pages, as their data-test names (nav-<page>).
  async menu() {
    return this.page.$$eval('#nav a[data-test]', as => as.map(a => a.dataset.test));
  }

  // The texts of a table's body cells, row by row.
  async rows(test) {
    return this.page.$$eval(`[data-test="${test}"] tbody tr`, trs => trs
      .filter(tr => !tr.querySelector('td.empty'))
      .map(tr => [...tr.cells].map(td => td.textContent.trim())));
  }

  // A file the page hands the browser (api.download): its bytes, kept
  // with the artifacts under the name the page gave it, numbered.
  async download(act) {
    await this.focus();
    const [dl] = await Promise.all([this.page.waitForEvent('download', {timeout: WAIT_MS}), act()]);
    const n = String(++this.run.downloads).padStart(2, '0');
    const file = this.run.artifact(`download-${n}-${dl.suggestedFilename()}`);
    await dl.saveAs(file);
    return {name: dl.suggestedFilename(), file};
  }

  async close() {
    this.judgeConsole();
    await this.page.close();
  }
}
