// The console on the two screens the issue names, 1366×768 (an office
// laptop) and 1920×1080: the key pages, each as the role that uses it,
// never scroll the page sideways (a wide table scrolls inside its box),
// and a screenshot of each is kept for a person to look at.

import {e2e} from './lib/run.mjs';

const SCREENS = [{width: 1366, height: 768}, {width: 1920, height: 1080}];

function pages(s) {
  return [
    ['clerk', ['/cases', '/cases/new', '/cases/' + s.verified, '/dashboard']],
    ['verifier', ['/cases/' + s.corrected, '/batches']],
    ['admin', ['/deliveries', '/deliveries/' + s.delivery, '/users']],
    ['auditor', ['/audit']],
  ];
}

// How far the page reaches past the window, in CSS pixels (0: none).
function overflow(page) {
  return page.evaluate(() => document.scrollingElement.scrollWidth - window.innerWidth);
}

await e2e('screens', async run => {
  const q = sql => run.server.query(sql)[0][0];
  const s = {
    verified: q(`SELECT case_no FROM case_file WHERE region = '230103' AND state = 'verified' ORDER BY case_no LIMIT 1`),
    corrected: q(`SELECT case_no FROM case_file WHERE region = '230103' AND state = 'corrected' ORDER BY case_no LIMIT 1`),
    // a delivery with quarantined rows, so its page has a table to show
    delivery: q(`SELECT delivery_id FROM quarantine ORDER BY delivery_id LIMIT 1`),
  };
  for (const screen of SCREENS) {
    const size = `${screen.width}x${screen.height}`;
    for (const [username, addresses] of pages(s)) {
      await run.step(`${size}: ${username}'s pages`, async () => {
        const atLogin = username === 'clerk' ? async tab => {
          run.equal(await overflow(tab.page), 0, `${size}: the sign-in page does not scroll sideways`);
          await tab.shot('login', {fullPage: false});
        } : null;
        const tab = await run.tab(username, {viewport: screen, label: `${username}-${size}`, atLogin});
        for (const a of addresses) {
          const shown = await tab.open(a);
          run.check(shown.state === 'ready', `${size}: ${a} shows`, JSON.stringify(shown));
          run.equal(await overflow(tab.page), 0, `${size}: ${a} does not scroll sideways`);
          await tab.shot(a.replace(/^\//, '').replace(/\/(\d{6}-\d{4}-\d+)$/, '/case'), {fullPage: false});
        }
        await run.closeTab(tab);
      });
    }
  }
});
