// The pages the walk does not open, each by the account that uses them:
// the verifier uploads a roll to 批量核对 and reads its results; the
// admin adds, changes, resets and disables accounts in 用户管理, and the
// auditor finds the admin's reasons in the audit trail; and a user
// changes their own password in 修改密码. Each part stops at its first
// failed step; the next part still runs.

import fs from 'node:fs';
import path from 'node:path';
import {e2e} from './lib/run.mjs';

const COUNTY = '230103';       // the verifier's, seed.py's HOME_COUNTY
const OTHER_COUNTY = '230102'; // a county of the same city the verifier does not cover
const OTHER_COUNT = 4;

function readJsonl(file) {
  return fs.readFileSync(file, 'utf8').split('\n').filter(l => l.trim()).map(l => JSON.parse(l));
}

function jsonl(records) {
  return records.map(r => JSON.stringify(r) + '\n').join('');
}

// A roll as `hedui gen` writes one: every application of the county in
// the population, a few of another county (to be left out), and the
// authorizations of all their members; and the conclusions the
// population's truth gives the county's applications.
function roll(popDir) {
  const apps = readJsonl(path.join(popDir, 'applications.jsonl'));
  const mine = apps.filter(a => a.region === COUNTY);
  const other = apps.filter(a => a.region === OTHER_COUNTY).slice(0, OTHER_COUNT);
  const pids = new Set([...mine, ...other].flatMap(a => a.members.map(m => m.pid.toUpperCase())));
  const auths = readJsonl(path.join(popDir, 'authorizations.jsonl'))
    .filter(a => pids.has(a.pid.toUpperCase()));
  const nos = new Set(mine.map(a => a.application_no));
  const truth = {};
  for (const t of readJsonl(path.join(popDir, 'truth.jsonl')))
    if (nos.has(t.application_no)) truth[t.application_no] = t.conclusion;
  return {apps: [...mine, ...other], auths, mine, other, truth};
}

function tally(conclusions) {
  const out = {};
  for (const c of conclusions) out[c] = (out[c] || 0) + 1;
  return Object.fromEntries(Object.entries(out).sort());
}

const number = text => parseInt(text.replace(/[^\d]/g, ''), 10);

async function batches(run) {
  const r = roll(path.join(run.prepared, 'pop'));
  const want = tally(r.mine.map(a => r.truth[a.application_no]));
  let verifier, id, results;
  await run.chain([
    ['verifier uploads a roll of two counties', async () => {
      run.check(r.mine.length >= 20 && r.other.length === OTHER_COUNT,
        'the population has the applications the roll needs', `${r.mine.length} + ${r.other.length}`);
      const appsFile = run.artifact('roll-applications.jsonl');
      const authsFile = run.artifact('roll-authorizations.jsonl');
      fs.writeFileSync(appsFile, jsonl(r.apps));
      fs.writeFileSync(authsFile, jsonl(r.auths));
      verifier = await run.tab('verifier');
      const shown = await verifier.open('/batches');
      run.check(shown.state === 'ready' && shown.page === 'batches', 'the batches page shows', JSON.stringify(shown));
      await verifier.el('batch-applications').setInputFiles(appsFile);
      await verifier.el('batch-authorizations').setInputFiles(authsFile);
      await verifier.shot('files-chosen');
      const [reply] = await Promise.all([
        verifier.page.waitForResponse(x => x.request().method() === 'POST' && /\/api\/v1\/batches$/.test(x.url())),
        verifier.el('batch-submit').click()]);
      run.equal(reply.status(), 202, 'the upload is taken (202)');
      id = (await reply.json()).id;
      await verifier.page.locator(`[data-test="batch-table"] tr[data-batch="${id}"]`).waitFor();
      await verifier.shot('uploaded');
    }],

    ['the batch runs to done and its results show', async () => {
      const row = verifier.page.locator(`[data-test="batch-table"] tr[data-batch="${id}"]`);
      await row.locator('[data-test="batch-state"][data-state="done"]').waitFor({timeout: 30000});
      // the page opens the results of a batch it saw running; else the button does
      results = verifier.page.locator(`[data-test="batch-results"][data-batch="${id}"]`);
      await verifier.page.locator(`[data-test^="batch-results"][data-batch="${id}"]`).first()
        .waitFor({timeout: 2000}).catch(() => row.locator('[data-test="batch-results-open"]').click());
      await results.waitFor();
      const rowText = await row.innerText();
      run.check(rowText.includes(`${r.mine.length} 件`), 'the list counts the county\'s applications', rowText);
      const text = await results.innerText();
      run.check(text.includes(`核对 ${r.mine.length} 件`), 'the results say how many were verified', text);
      run.check(text.includes(`辖区外 ${r.other.length} 件未核对`),
        'the results say the other county\'s were left out', text);
      run.check(text.includes('无法读取 0 行'), 'no line of the roll was unreadable', text);
      const counts = {};
      for (const cell of await results.locator('[data-test^="batch-count-"]').all())
        counts[(await cell.getAttribute('data-test')).slice('batch-count-'.length)] = number(await cell.innerText());
      const sum = Object.values(counts).reduce((a, b) => a + b, 0);
      run.equal(sum, r.mine.length, 'the counts by conclusion add up to the county\'s applications');
      run.equal(Object.fromEntries(Object.entries(counts).sort()), want,
        'the counts by conclusion are the population\'s truth');
      await verifier.shot('results');
    }],

    ['verifier downloads the results (NDJSON)', async () => {
      const dl = await verifier.download(() => results.locator('[data-test="batch-download"]').click());
      run.check(dl.name.endsWith('.jsonl'), 'the file is named .jsonl', dl.name);
      const lines = fs.readFileSync(dl.file, 'utf8').split('\n').filter(l => l !== '');
      let records = [];
      try {
        records = lines.map(l => JSON.parse(l));
        run.check(true, 'every line is a JSON object');
      } catch (e) {
        run.check(false, 'every line is a JSON object', String(e));
      }
      run.equal(lines.length, r.mine.length, 'one line per verified application');
      run.equal(records.map(x => x.application_no).sort(), r.mine.map(a => a.application_no).sort(),
        'the lines are the county\'s applications, none of the other county');
      const wrong = records.filter(x => x.conclusion !== r.truth[x.application_no])
        .map(x => `${x.application_no}: ${x.conclusion}, truth ${r.truth[x.application_no]}`);
      run.equal(wrong, [], 'each application\'s conclusion is the population\'s truth');
    }],
  ]);
  if (verifier) await run.closeTab(verifier);
}

// The accounts the admin makes.
const CLERK = {username: 'e2e.clerk', display_name: '吴刚（测试受理）', role: 'clerk', region: COUNTY,
  password: 'e2e-first-pass-1', reset: 'e2e-reset-pass-2'};
const AUDITOR = {username: 'e2e.auditor', display_name: '郑丽（测试审计）', role: 'auditor', region: '230000',
  password: 'e2e-auditor-pass-1'};
const NEW_ROLE = {role: 'verifier', role_zh: '核对员', region: OTHER_COUNTY};
// The admin's reasons, by the audit action that records each change.
const REASONS = {
  user_role: '调岗至道里区核对',
  user_passwd: '本人遗忘密码，到窗口申请重置',
  user_disable: '已调离本单位',
};

function userRow(tab, username) {
  return tab.page.locator(`[data-test="user-table"] tbody tr[data-username="${username}"]`);
}

// The row's cells: username, name, role, region, status, TOTP, created,
// updated, actions.
async function userCells(tab, username) {
  return (await userRow(tab, username).locator('td').allTextContents()).map(t => t.trim());
}

// A new account through the form; it is then listed.
async function addUser(admin, u) {
  await admin.el('user-username').fill(u.username);
  await admin.el('user-display-name').fill(u.display_name);
  await admin.el('user-role').selectOption(u.role);
  await admin.el('user-region').fill(u.region);
  await admin.el('user-password').fill(u.password);
  await admin.shot('form-' + u.role);
  await admin.el('user-submit').click();
  await userRow(admin, u.username).waitFor();
}

// A dialog of the users page: the fields, a reason, 确认; it closes once
// the change is made (and the list is drawn again).
async function confirmDialog(tab, reason, fill) {
  if (fill) await fill();
  await tab.el('action-reason').fill(reason);
  await tab.shot('dialog');
  await tab.el('action-confirm').click();
  await tab.el('user-dialog').waitFor({state: 'hidden'});
}

// Sign in on a tab showing the sign-in page, where the service is to
// refuse it (401): the page's error message.
async function refusedSignIn(tab, username, password) {
  await tab.focus();
  await tab.page.fill('#login-username', username);
  await tab.page.fill('#login-password', password);
  return tab.expecting([{status: 401, url: /\/api\/v1\/login$/}], async () => {
    await tab.page.click('#login-submit');
    const box = tab.page.locator('[data-test="login-form"] [data-test="error"]');
    await box.waitFor();
    return box.innerText();
  });
}

// The header's name, role and region of the account signed in.
async function header(tab) {
  return tab.page.evaluate(() => ['user-name', 'user-role', 'user-region']
    .map(id => document.getElementById(id).textContent));
}

// Search the audit trail with the filters as they are, and wait for the
// new results (the page fills them in place: the old table is marked).
async function search(tab) {
  await tab.page.$$eval('[data-test="audit-table"]', ts => ts.forEach(t => t.setAttribute('data-e2e-old', '')));
  await tab.el('audit-search').click();
  await tab.page.locator('[data-test="audit-table"]:not([data-e2e-old])').waitFor();
}

async function users(run) {
  let admin, person, secret;
  await run.chain([
    ['admin adds a clerk', async () => {
      admin = await run.tab('admin');
      const shown = await admin.open('/users');
      run.check(shown.state === 'ready' && shown.page === 'users', 'the users page shows', JSON.stringify(shown));
      await addUser(admin, CLERK);
      const cells = await userCells(admin, CLERK.username);
      run.equal(cells.slice(1, 5), [CLERK.display_name, '受理员', COUNTY, '正常'], 'the clerk is listed, active');
      run.equal(await admin.el('totp-notice').count(), 0, 'no TOTP key for a clerk');
      await admin.shot('clerk-added');
    }],

    ['admin adds an auditor; its TOTP key shows once', async () => {
      await addUser(admin, AUDITOR);
      const uri = await admin.el('totp-uri').inputValue();
      secret = (await admin.el('totp-secret').innerText()).trim();
      run.check(uri.startsWith(`otpauth://totp/hedui:${AUDITOR.username}?`), 'the URI is the auditor\'s otpauth:// URI', uri);
      run.check(/^[A-Z2-7]{32}$/.test(secret), 'the key is 32 base32 characters', secret);
      run.equal(new URL(uri).searchParams.get('secret'), secret, 'the key shown is the URI\'s');
      const cells = await userCells(admin, AUDITOR.username);
      run.equal(cells.slice(1, 6), [AUDITOR.display_name, '审计员', '230000', '正常', '已设置'],
        'the auditor is listed, with a TOTP key');
      await admin.shot('auditor-added');
      await admin.open('/dashboard');
      await admin.open('/users');
      run.equal(await admin.el('totp-notice').count(), 0, 'back on the page, the key is no longer shown');
      run.check(!(await admin.page.locator('#main').innerText()).includes(secret), 'nor anywhere on the page');
      run.accounts[AUDITOR.username] = {...AUDITOR, totp_secret: secret};
    }],

    ['admin changes the clerk\'s role and region', async () => {
      await userRow(admin, CLERK.username).locator('[data-test="user-role-change"]').click();
      await confirmDialog(admin, REASONS.user_role, async () => {
        await admin.el('dialog-role').selectOption(NEW_ROLE.role);
        await admin.el('dialog-region').fill(NEW_ROLE.region);
      });
      const cells = await userCells(admin, CLERK.username);
      run.equal(cells.slice(2, 5), [NEW_ROLE.role_zh, NEW_ROLE.region, '正常'], 'the list shows the new role and region');
      await admin.shot('role-changed');
    }],

    ['admin resets the account\'s password; it signs in with the new one', async () => {
      await userRow(admin, CLERK.username).locator('[data-test="user-password-reset"]').click();
      await confirmDialog(admin, REASONS.user_passwd,
        () => admin.el('dialog-password').fill(CLERK.reset));
      run.accounts[CLERK.username] = {...CLERK, role: NEW_ROLE.role, region: NEW_ROLE.region,
        password: CLERK.reset, totp_secret: ''};
      person = await run.tab(CLERK.username);
      run.check(person.home.state === 'ready' && person.home.page === 'cases', 'signed in, the case list shows',
        JSON.stringify(person.home));
      run.equal(await header(person), [CLERK.display_name, NEW_ROLE.role_zh, NEW_ROLE.region],
        'the header names the account with its new role and region');
      run.equal((await person.menu()).sort(), ['nav-batches', 'nav-cases', 'nav-dashboard'],
        'the menu is a verifier\'s');
      await person.shot('signed-in');
    }],

    ['admin disables the account: its session ends, it cannot sign in', async () => {
      await userRow(admin, CLERK.username).locator('[data-test="user-disable"]').click();
      await confirmDialog(admin, REASONS.user_disable);
      const row = userRow(admin, CLERK.username);
      run.equal(await row.locator('[data-test="user-status"]').getAttribute('data-status'), 'disabled',
        'the list shows the account 已停用');
      run.equal(await row.locator('button').count(), 0, 'a disabled account has no actions');
      await admin.shot('disabled');
      const back = await person.reload({expect: [{status: 401, url: /\/api\/v1\/me$/}]});
      run.equal(back.page, 'login', 'the account\'s open tab is back at sign-in');
      const text = await refusedSignIn(person, CLERK.username, CLERK.reset);
      run.equal(text, '用户名或密码错误', 'the sign-in page refuses the disabled account');
      await person.shot('refused');
    }],

    ['the new auditor signs in with the key and finds the admin\'s reasons', async () => {
      const auditor = await run.tab(AUDITOR.username);
      run.equal(auditor.home.page, 'audit', 'the auditor, signed in with the key shown, starts at the audit trail');
      await auditor.el('audit-user').fill('admin');
      await search(auditor);
      const rows = await auditor.page.$$eval('[data-test="audit-table"] tbody tr', trs => trs
        .filter(tr => !tr.querySelector('td.empty'))
        .map(tr => ({actor: tr.cells[2].textContent.trim(),
          action: tr.querySelector('[data-action]').dataset.action, text: tr.textContent})));
      const of = action => rows.filter(x => x.action === action && x.text.includes(`user=${CLERK.username}`));
      run.equal(of('user_add').length, 1, 'the trail holds the clerk\'s creation');
      run.check(rows.some(x => x.action === 'user_add' && x.text.includes(`user=${AUDITOR.username}`)),
        'the trail holds the auditor\'s creation');
      for (const [action, reason] of Object.entries(REASONS)) {
        const found = of(action);
        run.check(found.length === 1 && found[0].text.includes(`reason=${reason}`),
          `the trail holds the ${action} with the admin's reason`, JSON.stringify(found));
      }
      run.equal([...new Set(rows.map(x => x.actor))], ['admin'], 'every entry found is the admin\'s');
      await auditor.shot('audit');
      await run.closeTab(auditor);
    }],
  ]);
  for (const t of [person, admin]) if (t) await run.closeTab(t);
}

// Sign in on a tab showing the sign-in page, where it is to succeed.
async function signIn(tab, username, password) {
  await tab.page.fill('#login-username', username);
  await tab.page.fill('#login-password', password);
  return tab.follow('sign in', () => tab.page.click('#login-submit'));
}

async function password(run) {
  // An account no other part of this test signs in as.
  const account = run.accounts.clerk_230104;
  const fresh = 'e2e-changed-pass-3';
  let tab;
  await run.chain([
    ['a clerk changes their password; the page ends at sign-in', async () => {
      tab = await run.tab(account.username);
      const old = await tab.page.evaluate(() => sessionStorage.getItem('hedui.token'));
      const shown = await tab.follow('password', () => tab.el('nav-password').click());
      run.check(shown.state === 'ready' && shown.page === 'password', 'the password page shows', JSON.stringify(shown));
      await tab.el('password-old').fill(account.password);
      await tab.el('password-new').fill(fresh);
      await tab.shot('form');
      const end = await tab.follow('changed', async () => {
        await tab.el('password-submit').click();
        await tab.el('password-done').waitFor();
        await tab.shot('done');
      });
      run.equal(end.page, 'login', 'the page goes on to sign-in by itself');
      run.equal(await tab.page.evaluate(() => location.hash), '#/login', 'at the sign-in address');
      run.check(await tab.page.locator('#nav').isHidden(), 'the menu is gone: signed out');
      const status = await tab.expecting([{status: 401, url: /\/api\/v1\/me$/}], () =>
        tab.page.evaluate(async t => (await fetch('/api/v1/me', {headers: {Authorization: 'Bearer ' + t}})).status, old));
      run.equal(status, 401, 'the session before the change has ended');
      await tab.shot('login');
    }],

    ['the old password no longer works; the new one does', async () => {
      const text = await refusedSignIn(tab, account.username, account.password);
      run.equal(text, '用户名或密码错误', 'the old password is refused');
      await tab.shot('old-refused');
      const home = await signIn(tab, account.username, fresh);
      run.check(home.state === 'ready' && home.page === 'cases', 'the new password signs in', JSON.stringify(home));
      run.equal((await header(tab))[2], account.region, 'signed in as the same account');
      await tab.shot('new-signed-in');
    }],
  ]);
  if (tab) await run.closeTab(tab);
}

await e2e('admin', async run => {
  await batches(run);
  await users(run);
  await password(run);
});
