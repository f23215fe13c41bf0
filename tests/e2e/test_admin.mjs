// The pages the walk does not open, each by the account that uses them:
// the verifier uploads a roll to 批量核对 and reads its results. Each
// part stops at its first failed step; the next part still runs.

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

await e2e('admin', async run => {
  await batches(run);
});
