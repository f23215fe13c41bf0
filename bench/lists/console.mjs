// The console's pages timed in headless Chromium: for each page, the time
// from the start of a navigation (a full load of the console at that
// address) to the moment the shell marks the page `data-ready`, which it
// does once the page shows its data (web/js/app.js). Measured in the page
// (performance.now() is relative to the navigation's start), so the
// browser's own start-up and the driver's round trips are not counted.
//
//   node console.mjs BASE_URL TOKEN LOADS NAME=HASH...
//
// The session token goes into sessionStorage before the console starts,
// as a sign-in would leave it. Each page is loaded LOADS times in one
// fresh profile (the first load of each fetches the console's files; later
// ones find them in the browser's cache, as a user's would). Prints one
// line a page: name, loads, median ms, max ms, the median ms of the page's
// API requests (their durations added, as the browser saw them; the shell's
// /me is left out), what the page showed (the
// case list's total line, the dashboard's total card, or the page's
// heading), console messages.
// Any console error or warning, failed request or error box is counted
// and printed to stderr.
import {createRequire} from 'module';
import fs from 'fs';
import os from 'os';
import path from 'path';
import {fileURLToPath} from 'url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const require = createRequire(path.join(root, 'tests', 'e2e', 'package.json'));
const {chromium} = require('playwright-core');

const [base, token, loadsArg, ...specs] = process.argv.slice(2);
const loads = parseInt(loadsArg, 10);
if (!base || !token || !(loads > 0) || !specs.length) {
  console.error('usage: console.mjs BASE_URL TOKEN LOADS NAME=HASH...');
  process.exit(2);
}

const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'hedui-bench-chromium-'));
const context = await chromium.launchPersistentContext(profile, {
  executablePath: '/usr/bin/chromium',
  headless: true,
  viewport: {width: 1366, height: 768},
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
});
await context.addInitScript(t => {
  if (!location.protocol.startsWith('http')) return; // about:blank between loads
  sessionStorage.setItem('hedui.token', t);
  // When the page is marked ready, in the page's own clock.
  new MutationObserver((_, obs) => {
    if (document.querySelector('.page[data-ready]')) {
      window.__readyAt = performance.now();
      obs.disconnect();
    }
  }).observe(document, {subtree: true, childList: true, attributes: true,
    attributeFilter: ['data-ready']});
}, token);

let problems = 0;
const page = await context.newPage();
page.on('console', m => {
  if (m.type() === 'error' || m.type() === 'warning') {
    problems++;
    console.error(`console.${m.type()}: ${m.text()}`);
  }
});
page.on('pageerror', e => { problems++; console.error('pageerror: ' + e.message); });
page.on('requestfailed', r => { problems++; console.error('requestfailed: ' + r.url()); });

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

let failed = false;
try {
  for (const spec of specs) {
    const eq = spec.indexOf('=');
    const name = spec.slice(0, eq), hash = spec.slice(eq + 1);
    const times = [], apis = [];
    let shown = '';
    const before = problems;
    for (let i = 0; i < loads; i++) {
      await page.goto('about:blank');
      await page.goto(base + '/#' + hash);
      await page.waitForSelector('.page[data-ready]', {timeout: 30000});
      times.push(await page.evaluate(() => window.__readyAt));
      // the page's own requests to the API (not the shell's /me), as the
      // browser saw them: the server's part of the wait
      apis.push(await page.evaluate(() => performance.getEntriesByType('resource')
        .filter(e => e.name.includes('/api/v1/') && !/\/api\/v1\/me$/.test(e.name))
        .reduce((t, e) => t + e.duration, 0)));
      if (await page.$('[data-test=error]')) {
        problems++;
        console.error(`${name}: error box: ${await page.textContent('[data-test=error]')}`);
      }
      const total = await page.$('[data-test=case-total], [data-test=stat-total]');
      shown = total ? await total.textContent()
        : await page.textContent('.page h1').catch(() => '');
    }
    console.log([name, loads, median(times).toFixed(1), Math.max(...times).toFixed(1),
      median(apis).toFixed(1),
      shown.replace(/\s+/g, ' ').trim(), problems - before].join('\t'));
  }
} catch (e) {
  console.error('console.mjs: ' + e.message);
  failed = true;
} finally {
  await context.close();
  fs.rmSync(profile, {recursive: true, force: true});
}
process.exit(failed ? 1 : 0);
