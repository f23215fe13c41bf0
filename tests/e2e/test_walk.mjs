// The walk, each step by the role that does it, all through the
// pages: the clerk registers a family of the population (county 230103)
// with its members and their authorizations; the verifier verifies, reads
// the report on the case page and downloads it; the clerk files an
// objection; the verifier corrects the disputed record and verifies
// again; the approver records the decision once the objection window has
// passed; the auditor finds the case in the audit trail and checks the
// chain; and the dashboard opens. Each step stops the walk if it fails.

import fs from 'node:fs';
import {e2e} from './lib/run.mjs';
import {isPdf, isXlsx} from './lib/files.mjs';

// Set a form control to `value` whatever it is: a text or date input, a
// select (several values for a multiple one), a checkbox (checked for any
// value but ''), or a group of checkboxes (those whose value is listed).
async function setValue(loc, value) {
  const kind = await loc.evaluate(el => el.tagName === 'SELECT' ? (el.multiple ? 'multi' : 'select')
    : el.tagName === 'INPUT' && el.type === 'checkbox' ? 'checkbox'
      : el.tagName === 'TEXTAREA' || el.tagName === 'INPUT' ? 'text' : 'group');
  const list = Array.isArray(value) ? value.map(String) : [String(value)];
  if (kind === 'checkbox') await loc.setChecked(list[0] !== '');
  else if (kind === 'select') await loc.selectOption(list[0]);
  else if (kind === 'multi') await loc.selectOption(list);
  else if (kind === 'text') await loc.fill(list.join(','));
  else {
    for (const box of await loc.locator('input[type=checkbox]').all())
      await box.setChecked(list.includes(await box.getAttribute('value')));
  }
}

// The visible one of a form's controls (a page may hold a form per action).
function shown(tab, test) {
  return tab.el(test).filter({visible: true}).first();
}

async function caseState(tab) {
  return tab.el('case-state').getAttribute('data-state');
}

// Wait for the case to reach `state` and its page to be ready again.
async function waitState(tab, state) {
  await tab.page.locator(`[data-test="case-state"][data-state="${state}"]`).waitFor({timeout: 15000});
  await tab.page.locator('#main > .page[data-ready]').waitFor({timeout: 15000});
}

// An action through its button and form: what `fill` types, a reason,
// then 确认; the case then shows `want`.
async function act(tab, action, reason, want, fill) {
  await tab.el('action-' + action).click();
  if (fill) await fill();
  await shown(tab, 'action-reason').fill(reason);
  await shown(tab, 'action-confirm').click();
  await waitState(tab, want);
}

// Search the audit trail with the filters as they are, and wait for the
// new results (the page fills them in place: the old table is marked).
async function search(tab) {
  await tab.page.$$eval('[data-test="audit-table"]', ts => ts.forEach(t => t.setAttribute('data-e2e-old', '')));
  await tab.el('audit-search').click();
  await tab.page.locator('[data-test="audit-table"]:not([data-e2e-old])').waitFor();
}

// Choose the report's source number `index` in a select listing the
// report's sources: by its value (the index), or else by a text naming
// its feed and key.
async function chooseSource(loc, source, index) {
  const opts = await loc.locator('option').evaluateAll(os => os.map(o => ({value: o.value, text: o.textContent})));
  const pick = opts.find(o => o.value === String(index)) ||
    opts.find(o => o.value && (o.value + o.text).includes(source.key) && (o.value + o.text).includes(source.feed));
  if (!pick) throw new Error(`no option for the source ${source.feed} ${source.key}`);
  await loc.selectOption(pick.value);
}

// The record the objection disputes and the correction excludes: as
// seed.py picks it, an income record of a member; and its index in the
// report's sources.
function disputed(report) {
  const i = report.sources.findIndex(s => s.figure === 'income' && s.member >= 0);
  const index = i >= 0 ? i : report.sources.findIndex(s => s.member >= 0);
  return {source: report.sources[index], index};
}

await e2e('walk', async run => {
  const walk = run.readJson('walk.json');
  const app = walk.application;
  const no = app.application_no;
  let clerk, verifier, report;

  await run.chain([
    ['clerk registers the application with its members and authorizations', async () => {
      clerk = await run.tab('clerk');
      await clerk.shot('cases');
      const form = await clerk.follow('new case', () => clerk.el('new-case').click());
      run.check(form.state === 'ready' && form.page === 'case_new', 'the form shows', JSON.stringify(form));
      await setValue(clerk.el('app-no'), no);
      await setValue(clerk.el('app-program'), app.program);
      await setValue(clerk.el('app-region'), app.region);
      await setValue(clerk.el('app-applied-on'), app.applied_on);
      await setValue(clerk.el('declared-monthly-income'), app.declared.monthly_income);
      await setValue(clerk.el('declared-financial-assets'), app.declared.financial_assets);
      await setValue(clerk.el('declared-vehicles'), app.declared.vehicles);
      await setValue(clerk.el('declared-homes'), app.declared.homes);
      for (const [i, m] of app.members.entries()) {
        if ((await clerk.el('member-row').count()) <= i) await clerk.el('add-member').click();
        const row = clerk.el('member-row').nth(i);
        await setValue(row.locator('[data-test="member-pid"]'), m.pid);
        await setValue(row.locator('[data-test="member-name"]'), m.name);
        await setValue(row.locator('[data-test="member-relation"]'), m.relation);
      }
      await clerk.shot('members');
      if (await clerk.el('auths-from-members').count()) await clerk.el('auths-from-members').click();
      for (const [i, a] of walk.authorizations.entries()) {
        if ((await clerk.el('auth-row').count()) <= i) await clerk.el('add-auth').click();
        const row = clerk.el('auth-row').nth(i);
        const f = test => row.locator(`[data-test="${test}"]`);
        await setValue(f('auth-id'), a.authorization_id);
        await setValue(f('auth-pid'), a.pid);
        await setValue(f('auth-signed-by'), a.signed_by);
        await setValue(f('auth-purpose'), a.purpose);
        await setValue(f('auth-scope'), a.scope);
        await setValue(f('auth-valid-from'), a.valid_from);
        await setValue(f('auth-valid-until'), a.valid_until);
        await setValue(f('auth-guardian-basis'), a.guardian_basis || '');
        if (await f('auth-issued-by').count()) await setValue(f('auth-issued-by'), a.issued_by);
      }
      run.equal(await clerk.el('auth-row').count(), walk.authorizations.length, 'one row per authorization');
      await clerk.el('reason').fill('申请人到窗口提交申请');
      await clerk.shot('form', {fullPage: true});
      const done = await clerk.follow('register', () => clerk.el('case-submit').click());
      run.check(done.state === 'ready' && done.page === 'case_detail', 'the new case shows', JSON.stringify(done));
      run.equal(await caseState(clerk), 'authorized', 'every member authorized: the case is 已授权');
      run.check((await clerk.page.evaluate(() => location.hash)).includes(no), 'the address is the case\'s');
      await clerk.shot('registered');
    }],

    ['verifier verifies; the report shows on the case page', async () => {
      verifier = await run.tab('verifier');
      await verifier.open('/cases/' + no);
      await verifier.shot('case');
      await act(verifier, 'verify', '受理后核对', 'verified');
      await verifier.el('report').waitFor();
      const got = await verifier.el('report-conclusion').getAttribute('data-conclusion');
      run.equal(got, walk.truth.conclusion, 'the conclusion is the population\'s truth');
      const text = await verifier.page.locator('#main').innerText();
      for (const m of app.members)
        run.check(!text.includes(m.pid) && !text.includes(m.pid.toLowerCase()), 'no full citizen ID on the case page');
      await verifier.shot('verified');
    }],

    ['verifier downloads the report (PDF, XLSX, JSON)', async () => {
      const pdf = await verifier.download(() => verifier.el('download-pdf').click());
      run.check(isPdf(pdf.file), 'the PDF starts with %PDF-', pdf.file);
      const xlsx = await verifier.download(() => verifier.el('download-xlsx').click());
      run.check(isXlsx(xlsx.file), 'the XLSX is a zip file', xlsx.file);
      const json = await verifier.download(() => verifier.el('download-json').click());
      report = JSON.parse(fs.readFileSync(json.file, 'utf8'));
      run.equal(report.application_no, no, 'the JSON report is the case\'s');
      run.check(disputed(report).source, 'the report names a member\'s record to dispute');
    }],

    ['clerk files an objection', async () => {
      await clerk.reload();
      const {source, index} = disputed(report);
      await act(clerk, 'object', '申请人称该收入已停发', 'objected', async () => {
        const pick = shown(clerk, 'objection-source');
        if (await pick.count()) await chooseSource(pick, source, index);
        const item = shown(clerk, 'objection-item');
        if (await item.evaluate(el => el.tagName === 'SELECT')) await chooseSource(item, source, index);
        else if (!(await item.inputValue())) await item.fill(`${source.feed} ${source.key}`);
        await clerk.shot('objection-form');
      });
      await clerk.shot('objected');
    }],

    ['verifier corrects the disputed record and verifies again', async () => {
      const {source, index} = disputed(report);
      await verifier.reload();
      await act(verifier, 'correct', '核实后更正', 'corrected', async () => {
        await chooseSource(shown(verifier, 'correction-source'), source, index);
        // the form takes the member's full ID as typed: the report masks it
        await shown(verifier, 'correction-pid').fill(app.members[source.member].pid);
        await shown(verifier, 'correction-evidence').fill('单位出具的停薪证明');
        await verifier.shot('correction-form');
      });
      await verifier.shot('corrected');
      await act(verifier, 'verify', '更正后重新核对', 'verified');
      await verifier.el('report').waitFor();
      run.check((await verifier.el('report').innerText()).includes('更正'), 'the new report marks the corrected figure 更正');
      await verifier.shot('re-verified');
    }],

    ['approver records the decision after the objection window', async () => {
      run.server.closeObjectionWindow(no);
      const approver = await run.tab('approver');
      await approver.open('/cases/' + no);
      const conclusion = await approver.el('report-conclusion').getAttribute('data-conclusion');
      const decision = conclusion === 'meets' ? 'approved' : 'rejected';
      await approver.el('action-decide').click();
      await shown(approver, 'decision-' + decision).click();
      await shown(approver, 'action-reason').fill(decision === 'approved' ? '经核对符合条件' : '经核对不符合条件');
      await approver.shot('decision-form');
      await shown(approver, 'action-confirm').click();
      await waitState(approver, 'decided');
      await approver.shot('decided');
      run.check((await approver.el('events').innerText()).includes('approver'), 'the history names the approver');
    }],

    ['auditor searches the audit trail for the case and checks the chain', async () => {
      const auditor = await run.tab('auditor');
      if (auditor.home.page !== 'audit') await auditor.open('/audit');
      await auditor.el('audit-case').fill(no);
      await search(auditor);
      const rows = (await auditor.rows('audit-table')).map(r => r.join(' '));
      run.check(rows.length >= 8, 'the trail holds the walk\'s entries', `${rows.length} rows`);
      run.check(rows.every(r => r.includes(no)), 'every entry is the case\'s');
      for (const who of ['clerk', 'verifier', 'approver'])
        run.check(rows.some(r => r.includes(who)), `the trail names ${who}`);
      await auditor.shot('search');
      // each step's own entry, found by its action: who did it
      for (const [action, who] of [['case.register', 'clerk'], ['case.object', 'clerk'],
        ['case.correct', 'verifier'], ['case.decide', 'approver']]) {
        await setValue(auditor.el('audit-action'), action);
        await search(auditor);
        const one = (await auditor.rows('audit-table')).map(r => r.join(' '));
        run.check(one.length === 1 && one[0].includes(no) && one[0].includes(who),
          `the trail holds one ${action} of the case, by ${who}`, JSON.stringify(one));
      }
      await auditor.shot('search-decide');
      await auditor.el('audit-verify').click();
      const result = auditor.el('audit-verify-result');
      await result.waitFor();
      const intact = await result.getAttribute('data-intact');
      const text = await result.innerText();
      run.check(intact === null ? /完整/.test(text) && !/篡改|不完整/.test(text) : intact === '1',
        'the chain is intact', text);
      await auditor.shot('chain');
    }],

    ['the approver opens the dashboard', async () => {
      const approver = run.tabs.find(t => t.account.username === 'approver');
      const shownPage = await approver.open('/dashboard');
      run.check(shownPage.state === 'ready' && shownPage.page === 'dashboard', 'the dashboard shows');
      for (const c of ['conclusion', 'program', 'region', 'processing', 'overdue', 'month'])
        run.check(await approver.el('chart-' + c).count() === 1, `chart-${c} is there`);
      const total = parseInt((await approver.el('stat-total').innerText()).replace(/[^\d]/g, ''), 10);
      const want = parseInt(run.server.query(`SELECT count(*) FROM case_file WHERE region = '230103'`)[0][0], 10);
      run.equal(total, want, 'stat-total counts the county\'s cases, the new one too');
      await approver.shot('dashboard');
    }],
  ]);
});
