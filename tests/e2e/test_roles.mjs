// Each role sees only its pages and its actions. For every role: the
// menu lists exactly the pages the issue gives that role; every other
// role's page, opened by its address, shows 无权访问 and nothing else; and
// on case pages in every state the role meets, the action buttons shown
// are exactly those the service says the user may take now, never one
// of another role.

import {e2e} from './lib/run.mjs';

// The pages of each role, from the issue and docs/api.md's roles: the
// case list for caseworkers, registering for clerks, batches for
// verifiers, deliveries and users for admins, the audit trail for
// auditors, the dashboard for all but the auditor.
const PAGES = {
  clerk: ['cases', 'case_new', 'dashboard'],
  verifier: ['cases', 'batches', 'dashboard'],
  approver: ['cases', 'dashboard'],
  auditor: ['audit'],
  admin: ['deliveries', 'users', 'dashboard'],
};

// The actions each role takes (docs/api.md, "Cases").
const ACTIONS = {
  clerk: ['authorize', 'object'],
  verifier: ['verify', 'correct', 'dismiss'],
  approver: ['decide', 'archive'],
  auditor: [],
  admin: [],
};
const ALL_ACTIONS = Object.values(ACTIONS).flat();

// The console's addresses; `page` is which menu page each belongs to.
function addresses(sample) {
  return [
    {hash: '/cases', page: 'cases'},
    {hash: '/cases/new', page: 'case_new'},
    {hash: '/cases/' + sample.verified, page: 'cases'},
    {hash: '/batches', page: 'batches'},
    {hash: '/deliveries', page: 'deliveries'},
    {hash: '/deliveries/' + sample.delivery, page: 'deliveries'},
    {hash: '/users', page: 'users'},
    {hash: '/audit', page: 'audit'},
    {hash: '/dashboard', page: 'dashboard'},
  ];
}

// One case of county 230103 in each state the seed leaves, and one
// verified case whose objection window has passed (the approver's).
function samples(server) {
  const first = state => server.query(
    `SELECT case_no FROM case_file WHERE region = '230103' AND state = '${state}' ORDER BY case_no LIMIT 2`);
  const verified = first('verified');
  const s = {
    authorized: first('authorized')[0][0],
    verified: verified[0][0],
    windowClosed: verified[1][0],
    objected: first('objected')[0][0],
    corrected: first('corrected')[0][0],
    delivery: server.query('SELECT delivery_id FROM quarantine ORDER BY delivery_id LIMIT 1')[0][0],
  };
  server.closeObjectionWindow(s.windowClosed);
  return s;
}

// The action buttons a user can see on the page.
function shownActions(page) {
  return page.$$eval('[data-test^="action-"]', (els, all) => els
    .filter(el => all.includes(el.dataset.test.slice(7)) && el.checkVisibility())
    .map(el => el.dataset.test.slice(7)).sort(), ALL_ACTIONS);
}

// What the service says the tab's user may do to a case.
function allowedActions(page, caseNo) {
  return page.evaluate(async no => {
    const r = await fetch('/api/v1/cases/' + encodeURIComponent(no), {
      headers: {Authorization: 'Bearer ' + sessionStorage.getItem('hedui.token')}});
    return (await r.json()).allowed_actions.slice().sort();
  }, caseNo);
}

await e2e('roles', async run => {
  const sample = samples(run.server);
  for (const [username, role] of [['clerk', 'clerk'], ['verifier', 'verifier'],
    ['approver', 'approver'], ['auditor', 'auditor'], ['admin', 'admin']]) {
    let tab;
    await run.step(`${role}: signs in, and the menu lists its pages`, async () => {
      tab = await run.tab(username);
      run.check(tab.home.state === 'ready', `${role}: the first page shows`, JSON.stringify(tab.home));
      await tab.shot('home');
      run.equal((await tab.menu()).sort(), PAGES[role].map(p => 'nav-' + p).sort(), `${role}: the menu`);
    });
    if (!tab) continue;
    await run.step(`${role}: its pages show, every other page is 无权访问`, async () => {
      for (const a of addresses(sample)) {
        const mine = PAGES[role].includes(a.page);
        const shown = await tab.open(a.hash);
        if (mine) {
          run.check(shown.state === 'ready', `${role}: ${a.hash} shows`, JSON.stringify(shown));
        } else {
          run.check(shown.state === 'forbidden', `${role}: ${a.hash} is 无权访问`, JSON.stringify(shown));
          const text = await tab.page.locator('#main').innerText();
          run.check(!/\d{6}-\d{4}-\d{6}/.test(text), `${role}: no case number on ${a.hash}'s 无权访问`);
          if (a.page === 'cases' && a.hash.includes('-'))
            run.equal(await shownActions(tab.page), [], `${role}: no action on ${a.hash}`);
        }
        await tab.shot(a.hash.replace(/^\//, '').replace(/\/\d{6}-.*/, '/case'));
      }
    });
    if (!PAGES[role].includes('cases')) continue;
    await run.step(`${role}: a case page shows exactly the actions the role may take`, async () => {
      for (const state of ['authorized', 'verified', 'windowClosed', 'objected', 'corrected']) {
        const no = sample[state];
        const shown = await tab.open('/cases/' + no);
        run.check(shown.state === 'ready', `${role}: case ${no} (${state}) shows`, JSON.stringify(shown));
        const actions = await shownActions(tab.page);
        run.equal(actions, await allowedActions(tab.page, no),
          `${role}: the actions on a case ${state}, as the service allows them`);
        const foreign = actions.filter(a => !ACTIONS[role].includes(a));
        run.equal(foreign, [], `${role}: no other role's action on a case ${state}`);
        await tab.shot(`case-${state}`);
      }
    });
    await run.closeTab(tab);
  }
});
