// A browser test's run: its server on a copy of the prepared store, a
// browser with a fresh profile, tabs signed in as the accounts, checks
// that count failures and go on, numbered screenshots and page load
// times kept in the artifacts folder (kept after the run), and the exit
// status CTest reads.
//
// Environment (set by tests/CMakeLists.txt):
//   HEDUI_BINARY         the hedui program
//   HEDUI_SOURCE_DIR     the source tree (web/ is the web root)
//   HEDUI_E2E_PREPARED   prepare.py's folder (the fixture e2e)
//   HEDUI_E2E_ARTIFACTS  where each test's folder of artifacts goes

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {Server} from './server.mjs';
import {launch} from './browser.mjs';
import {Tab} from './tab.mjs';

function env(name) {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set (run the test through ctest)`);
  return v;
}

function slug(text) {
  return String(text).replace(/[^A-Za-z0-9_.-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 60);
}

export class Run {
  constructor(name) {
    this.name = name;
    this.prepared = env('HEDUI_E2E_PREPARED');
    this.dir = path.join(env('HEDUI_E2E_ARTIFACTS'), name);
    fs.rmSync(this.dir, {recursive: true, force: true});
    fs.mkdirSync(this.dir, {recursive: true});
    this.work = fs.mkdtempSync(path.join(os.tmpdir(), 'hedui-e2e-'));
    this.accounts = Object.fromEntries(JSON.parse(fs.readFileSync(
      path.join(this.prepared, 'accounts.json'), 'utf8')).accounts.map(a => [a.username, a]));
    this.passed = 0;
    this.failed = 0;
    this.problems = [];
    this.timings = [];
    this.shots = 0;
    this.downloads = 0;
    this.current = '(start)';
    this.tabs = [];
  }

  readJson(name) {
    return JSON.parse(fs.readFileSync(path.join(this.prepared, name), 'utf8'));
  }

  check(cond, what, detail = '') {
    if (cond) this.passed++;
    else {
      this.failed++;
      console.log(`FAIL [${this.current}]: ${what}${detail ? ' ' + detail : ''}`);
    }
    return !!cond;
  }

  equal(got, want, what) {
    const g = JSON.stringify(got), w = JSON.stringify(want);
    return this.check(g === w, what, `\n  want ${w}\n  got  ${g}`);
  }

  // Something went wrong in a page (tab.mjs's trap): a failure.
  problem(text) {
    this.problems.push(`[${this.current}] ${text}`);
    console.log(`PROBLEM [${this.current}]: ${text}`);
  }

  // One step: its failure is counted, every tab screenshotted, and the
  // run goes on with the next step; returns whether it passed.
  async step(label, fn) {
    this.current = label;
    console.log('== ' + label);
    const before = this.failed;
    const t0 = Date.now();
    try {
      await fn();
    } catch (e) {
      this.check(false, 'the step stopped', (e && e.stack) || String(e));
      for (const t of this.tabs) await t.shot('failed').catch(() => {});
    }
    console.log(`   (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
    return this.failed === before;
  }

  // Steps that build on each other: stop at the first that fails.
  async chain(steps) {
    for (const [label, fn] of steps) {
      if (!(await this.step(label, fn))) {
        console.log(`the walk stops at "${label}"`);
        return false;
      }
    }
    return true;
  }

  // A new tab signed in as `username`; `viewport` {width, height};
  // atLogin(tab) runs on the sign-in page.
  async tab(username, {viewport, label, atLogin} = {}) {
    const account = this.accounts[username];
    if (!account) throw new Error('no account ' + username);
    const page = await this.context.newPage();
    // a page of the demo data shows in well under a second; an action
    // (a verification, a PDF) in a few
    page.setDefaultTimeout(10000);
    if (viewport) await page.setViewportSize(viewport);
    const tab = new Tab(this, page, account, label);
    this.front = tab; // a new page is the front one
    this.tabs.push(tab);
    tab.home = await tab.login(atLogin);
    return tab;
  }

  async closeTab(tab) {
    this.tabs = this.tabs.filter(t => t !== tab);
    await tab.close();
  }

  timing(tab, address, page, ms, state) {
    const vp = tab.page.viewportSize();
    this.timings.push({page, address, user: tab.account.username, role: tab.account.role,
      viewport: vp ? `${vp.width}x${vp.height}` : '', state, ms: Math.round(ms)});
  }

  artifact(name) {
    return path.join(this.dir, name);
  }

  async shot(tab, label, fullPage) {
    const n = String(++this.shots).padStart(2, '0');
    const file = this.artifact(`${n}-${slug(tab.who)}-${slug(label)}.png`);
    await tab.page.screenshot({path: file, fullPage});
    return file;
  }

  writeTimings() {
    fs.writeFileSync(this.artifact('timings.json'), JSON.stringify(this.timings, null, 1) + '\n');
    const lines = this.timings.map(t =>
      `${String(t.ms).padStart(6)} ms  ${t.page.padEnd(26)} ${t.viewport.padEnd(10)} ${t.role.padEnd(9)} ${t.address}`);
    const byPage = {};
    for (const t of this.timings) if (t.state === 'ready') (byPage[t.page] ||= []).push(t.ms);
    const summary = Object.entries(byPage).sort().map(([page, ms]) => {
      ms.sort((a, b) => a - b);
      return `${page.padEnd(26)} ${String(ms.length).padStart(3)} loads, median ${ms[ms.length >> 1]} ms, max ${ms[ms.length - 1]} ms`;
    });
    fs.writeFileSync(this.artifact('timings.txt'),
      'time from navigation to the page\'s data-ready, by page\n' + summary.join('\n') +
      '\n\neach load\n' + lines.join('\n') + '\n');
  }
}

// Run a test: body(run) with run.server and run.context ready.
export async function e2e(name, body) {
  const run = new Run(name);
  const src = env('HEDUI_SOURCE_DIR');
  // Interrupted (Ctrl-C, a timeout): the server goes too (playwright
  // closes the browser itself).
  for (const sig of ['SIGINT', 'SIGTERM']) {
    process.once(sig, () => {
      if (run.server && run.server.proc) run.server.proc.kill('SIGTERM');
      fs.rmSync(run.work, {recursive: true, force: true});
      process.exit(1);
    });
  }
  try {
    const logs = run.dir;
    run.server = await new Server({hedui: env('HEDUI_BINARY'), prepared: run.prepared,
      webRoot: path.join(src, 'web'), work: path.join(run.work, 'store'), logs}).start();
    const profile = path.join(run.work, 'profile');
    fs.mkdirSync(profile);
    run.context = await launch(profile);
    await body(run);
  } catch (e) {
    run.check(false, 'the test stopped', (e && e.stack) || String(e));
  }
  run.current = '(end)';
  for (const t of [...run.tabs]) await run.closeTab(t).catch(e => run.problem('closing a tab: ' + e));
  if (run.context) await run.context.close().catch(() => {});
  if (run.server) await run.server.stop();
  fs.rmSync(run.work, {recursive: true, force: true});
  run.writeTimings();
  const bad = run.failed + run.problems.length;
  console.log(`${run.passed} checks passed, ${run.failed} failed; ${run.problems.length} problems in the pages`);
  for (const p of run.problems) console.log('  ' + p);
  console.log(`artifacts: ${run.dir}`);
  process.exit(bad ? 1 : 0);
}
