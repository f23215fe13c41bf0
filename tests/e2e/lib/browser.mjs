// Debian's chromium, headless, driven by playwright-core, with a fresh
// empty profile for every run and nothing that talks to the network by
// itself: no component updates, no sync, no QUIC, no first-run pages.

import {createRequire} from 'node:module';
import fs from 'node:fs';

const require = createRequire(import.meta.url);

export const CHROMIUM = '/usr/bin/chromium';

function args() {
  const a = [
    '--headless', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--no-default-browser-check', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--disable-default-apps',
    '--disable-domain-reliability', '--disable-client-side-phishing-detection',
    '--disable-breakpad', '--metrics-recording-only', '--password-store=basic',
  ];
  // Chromium's sandbox needs user namespaces it cannot have as root.
  if (process.getuid && process.getuid() === 0) a.push('--no-sandbox');
  return a;
}

// A browser with its one context on `profileDir`, which must be new and
// empty: nothing (cookies, storage, cache) carries over from another run.
export async function launch(profileDir) {
  if (!fs.existsSync(CHROMIUM))
    throw new Error(`no ${CHROMIUM}: install Debian's chromium (scripts/deps)`);
  let chromium;
  try {
    ({chromium} = require('playwright-core'));
  } catch (e) {
    throw new Error('no playwright-core: run `npm ci` in tests/e2e (scripts/deps does)');
  }
  if (fs.readdirSync(profileDir).length)
    throw new Error('launch: the profile folder is not empty: ' + profileDir);
  return chromium.launchPersistentContext(profileDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: args(),
    viewport: {width: 1366, height: 768},
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    acceptDownloads: true,
    serviceWorkers: 'block',
  });
}
