// A county user never sees another county's case: not in the case list
// (every page of it, with filters), not by a case's address, not in an
// export, not in the dashboard. A city account sees its three counties.
// The counts the pages must show come from the store itself.

import fs from 'node:fs';
import {e2e} from './lib/run.mjs';
import {csvRows, isXlsx, xlsxText} from './lib/files.mjs';

const HOME = '230103';
const OTHERS = ['230102', '230104'];
// The counties' names, as a page may show a region by name.
const NAMES = {'230102': '道里区', '230103': '南岗区', '230104': '道外区'};

function mentions(text, county) {
  return text.includes(county) || text.includes(NAMES[county]);
}

function storeCount(server, where) {
  return parseInt(server.query(`SELECT count(*) FROM case_file WHERE ${where}`)[0][0], 10);
}

// The number in the list's "共 N 件".
async function listTotal(tab) {
  const text = await tab.el('case-total').innerText();
  const m = /共\s*([\d,，]+)\s*件/.exec(text);
  return m ? parseInt(m[1].replace(/[,，]/g, ''), 10) : NaN;
}

// Every row of the case list as it stands, following 下一页 to the end.
async function wholeList(run, tab, label) {
  const rows = [];
  for (let page = 1; ; page++) {
    for (const cells of await tab.rows('case-table')) rows.push(cells);
    if (page === 1) await tab.shot(label);
    if (!(await tab.el('page-next').count())) break;
    if (page > 20) throw new Error('the list does not end');
    const shown = await tab.follow(`${label}, page ${page + 1}`, () => tab.el('page-next').click());
    run.check(shown.state === 'ready', `${label}: page ${page + 1} shows`);
  }
  return {rows, total: await listTotal(tab), numbers: rows.map(r => r[0])};
}

// Only `county`'s cases, as many as the store holds.
function onlyCounty(run, list, county, want, what) {
  run.equal(list.total, want, `${what}: the total shown is the store's`);
  run.equal(list.rows.length, want, `${what}: the pages hold every case once`);
  run.equal(new Set(list.numbers).size, list.numbers.length, `${what}: no case twice`);
  const strays = list.rows.filter(r => !r[0].startsWith(county + '-') ||
    Object.keys(NAMES).filter(c => c !== county).some(c => r.join(' ').includes(c)));
  run.equal(strays, [], `${what}: no row of another county`);
}

async function setFilters(tab, label, {state = '', program = '', region = '', overdue = false}, expect) {
  await tab.el('filter-state').selectOption(state);
  await tab.el('filter-program').selectOption(program);
  await tab.el('filter-region').fill(region);
  await tab.el('filter-overdue').setChecked(overdue);
  return tab.follow(label, () => tab.el('filter-apply').click(), {expect});
}

// Export the list as it is filtered; the rows of the CSV after its header.
async function exportCsv(tab) {
  const dl = await tab.download(() => tab.el('export-csv').click());
  const rows = csvRows(fs.readFileSync(dl.file, 'utf8')).filter(r => r.some(f => f !== ''));
  return {header: rows[0] || [], rows: rows.slice(1)};
}

function checkExport(run, csv, county, want, what) {
  run.equal(csv.rows.length, want, `${what}: the CSV holds as many rows as the store`);
  const strays = csv.rows.filter(r => !r.some(f => f.startsWith(county)) ||
    Object.keys(NAMES).filter(c => c !== county).some(c => r.some(f => f.includes(c))));
  run.equal(strays, [], `${what}: no CSV row of another county`);
}

// The dashboard's data tables, text by table.
async function dashboardTables(tab) {
  return tab.page.$$eval('[data-test^="table-"]', ts => ts.map(t => ({
    name: t.dataset.test, rows: [...t.querySelectorAll('tbody tr')].map(tr => tr.textContent)})));
}

await e2e('isolation', async run => {
  const s = run.server;
  const mine = storeCount(s, `region = '${HOME}'`);
  const clerk = await run.tab('clerk');

  await run.step('clerk of 230103: every page of the case list holds only 230103', async () => {
    const shown = await clerk.open('/cases');
    run.check(shown.state === 'ready', 'the case list shows');
    onlyCounty(run, await wholeList(run, clerk, 'list'), HOME, mine, 'the whole list');
  });

  await run.step('clerk of 230103: filtered lists hold only 230103', async () => {
    await clerk.open('/cases');
    const cases = [
      [{state: 'verified'}, `state = 'verified'`],
      [{program: 'dibao'}, `program = 'dibao'`],
      [{state: 'objected', program: 'dibao'}, `state = 'objected' AND program = 'dibao'`],
      [{region: HOME}, '1'],
      [{overdue: true}, null], // overdue is the server's reckoning in working days
    ];
    for (const [filters, where] of cases) {
      const label = 'filter ' + JSON.stringify(filters);
      await setFilters(clerk, label, filters);
      const list = await wholeList(run, clerk, label);
      if (where) onlyCounty(run, list, HOME, storeCount(s, `region = '${HOME}' AND ${where}`), label);
      else onlyCounty(run, list, HOME, list.rows.length, label);
    }
    // a case number of another county, searched for: nothing
    await clerk.el('filter-q').fill('230104');
    await setFilters(clerk, 'search 230104', {});
    run.equal(await clerk.rows('case-table'), [], 'a search for 230104 finds nothing');
    await clerk.shot('search-230104');
    await clerk.el('filter-q').fill('');
    // another county asked for by name: refused, and nothing listed
    const other = await setFilters(clerk, 'region 230104', {region: '230104'},
      [{status: 403, url: /\/api\/v1\/cases\?/}]);
    run.check(other.state === 'ready' && await clerk.el('error').count() > 0,
      'a filter on region 230104 shows an error');
    run.equal(await clerk.rows('case-table'), [], 'a filter on region 230104 lists nothing');
    await clerk.shot('region-230104');
  });

  await run.step('clerk of 230103: a case of 230104 by its address shows an error and none of its data', async () => {
    const no = s.query(`SELECT case_no FROM case_file WHERE region = '230104' ORDER BY case_no LIMIT 1`)[0][0];
    const app = JSON.parse(s.query(`SELECT json FROM application WHERE application_no = '${no}'`)[0][0]);
    const shown = await clerk.open('/cases/' + no,
      {expect: [{status: 403, url: new RegExp('/api/v1/cases/' + no + '([/?]|$)')}]});
    await clerk.shot('case-230104');
    run.check(shown.state === 'error' || await clerk.el('error').count() > 0, 'an error shows', JSON.stringify(shown));
    run.equal(await clerk.el('members').count(), 0, 'no members table');
    run.equal(await clerk.el('report').count(), 0, 'no report');
    const text = await clerk.page.locator('#main').innerText();
    for (const m of app.members) {
      run.check(!text.includes(m.name), 'no member name on the page');
      run.check(!text.includes(m.pid.slice(-4)), 'no part of a member ID on the page');
    }
    run.check(/403|无权/.test(text), 'the error says the case is not the user\'s', text);
  });

  await run.step('clerk of 230103: exports hold only 230103', async () => {
    await clerk.open('/cases');
    checkExport(run, await exportCsv(clerk), HOME, mine, 'CSV of the whole list');
    await setFilters(clerk, 'filter verified', {state: 'verified'});
    checkExport(run, await exportCsv(clerk), HOME, storeCount(s, `region = '${HOME}' AND state = 'verified'`),
      'CSV of verified cases');
    const xlsx = await clerk.download(() => clerk.el('export-xlsx').click());
    run.check(isXlsx(xlsx.file), 'the XLSX export is a zip file');
    const text = xlsxText(xlsx.file);
    run.check(text.includes(HOME), 'the XLSX export holds 230103 cases');
    run.check(!OTHERS.some(c => text.includes(c)), 'the XLSX export holds no case of 230102 or 230104');
  });

  await run.step('clerk of 230103: the dashboard counts only 230103', async () => {
    const shown = await clerk.open('/dashboard');
    run.check(shown.state === 'ready', 'the dashboard shows');
    await clerk.shot('dashboard');
    const total = (await clerk.el('stat-total').innerText()).replace(/[^\d]/g, '');
    run.equal(parseInt(total, 10), mine, 'stat-total is the county\'s count');
    const tables = await dashboardTables(clerk);
    run.check(tables.some(t => t.name === 'table-region'), 'the dashboard has table-region');
    for (const t of tables) {
      const text = t.rows.join(' ');
      run.check(!OTHERS.some(c => mentions(text, c)), `${t.name} holds no other county`, text);
    }
    const region = tables.find(t => t.name === 'table-region');
    if (region) {
      run.equal(region.rows.length, 1, 'table-region has one row, the county');
      run.check(region.rows.every(r => mentions(r, HOME)), 'table-region\'s row is 230103');
    }
  });
  await run.closeTab(clerk);

  await run.step('the city (230100): the list and the dashboard hold all three counties', async () => {
    const city = await run.tab('verifier_230100');
    const all = storeCount(s, `region LIKE '2301%'`);
    await city.open('/cases');
    const list = await wholeList(run, city, 'city list');
    run.equal(list.total, all, 'the city\'s total is the store\'s');
    run.equal(list.rows.length, all, 'the city\'s pages hold every case');
    run.equal([...new Set(list.numbers.map(n => n.slice(0, 6)))].sort(), Object.keys(NAMES),
      'the city sees the three counties');
    await setFilters(city, 'city: region 230104', {region: '230104'});
    onlyCounty(run, await wholeList(run, city, 'city 230104'), '230104',
      storeCount(s, `region = '230104'`), 'the city filtered on 230104');
    await city.open('/dashboard');
    await city.shot('dashboard');
    const region = (await dashboardTables(city)).find(t => t.name === 'table-region');
    run.check(region && Object.keys(NAMES).every(c => region.rows.some(r => mentions(r, c))),
      'the city\'s table-region holds the three counties', JSON.stringify(region));
    await run.closeTab(city);
  });

  await run.step('the province (admin, 230000): the dashboard holds all three counties', async () => {
    const admin = await run.tab('admin');
    if (admin.home.page !== 'dashboard') await admin.open('/dashboard');
    await admin.shot('dashboard');
    const region = (await dashboardTables(admin)).find(t => t.name === 'table-region');
    run.check(region && Object.keys(NAMES).every(c => region.rows.some(r => mentions(r, c))),
      'the province\'s table-region holds the three counties', JSON.stringify(region));
    await run.closeTab(admin);
  });
});
