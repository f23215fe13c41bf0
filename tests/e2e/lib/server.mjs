// One `hedui serve` for one test: a copy of the prepared store (the
// fixture's, tests/e2e/prepare.py), served with the source tree's web/ as
// its web root, on a free port of 127.0.0.1 that the server writes to its
// port file.

import {spawn, execFileSync} from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

export class Server {
  // hedui: the program; prepared: prepare.py's folder; work: a folder of
  // the test's own; logs: where the server's logs are kept (artifacts).
  constructor({hedui, prepared, webRoot, work, logs}) {
    this.hedui = hedui;
    this.work = work;
    this.logs = logs;
    this.db = path.join(work, 'hedui.db');
    fs.cpSync(path.join(prepared, 'store'), work, {recursive: true});
    this.config = {
      listen: '127.0.0.1:0',
      port_file: path.join(work, 'port'),
      db: this.db,
      region: '230000',
      web_root: webRoot,
      access_log: path.join(logs, 'access.log'),
      batch_dir: path.join(work, 'batches'),
    };
    this.proc = null;
    this.url = '';
  }

  async start() {
    const cfg = path.join(this.work, 'serve.json');
    fs.writeFileSync(cfg, JSON.stringify(this.config));
    const log = fs.openSync(path.join(this.logs, 'serve.log'), 'w');
    this.proc = spawn(this.hedui, ['serve', '--config', cfg], {stdio: ['ignore', log, log]});
    const exited = new Promise(resolve => this.proc.once('exit', code => resolve(code)));
    const deadline = Date.now() + 30000;
    while (Date.now() < deadline) {
      const code = await Promise.race([exited, sleep(50).then(() => undefined)]);
      if (code !== undefined) throw new Error(`hedui serve exited ${code}: ${this.tail()}`);
      const port = readPort(this.config.port_file);
      if (port) {
        this.url = `http://127.0.0.1:${port}/`;
        return this;
      }
    }
    throw new Error('hedui serve did not start: ' + this.tail());
  }

  tail() {
    try {
      return fs.readFileSync(path.join(this.logs, 'serve.log'), 'utf8').slice(-2000);
    } catch {
      return '';
    }
  }

  // SIGTERM, as an init system would stop it.
  async stop() {
    if (!this.proc || this.proc.exitCode !== null) return;
    const exited = new Promise(resolve => this.proc.once('exit', resolve));
    this.proc.kill('SIGTERM');
    const t = setTimeout(() => this.proc.kill('SIGKILL'), 30000);
    await exited;
    clearTimeout(t);
  }

  // Rows of a query on the case store, as arrays of text: for what the
  // test changes behind the service's back.
  query(sql) {
    const out = execFileSync('sqlite3', [this.db, sql], {encoding: 'utf8'});
    return out.split('\n').filter(Boolean).map(line => line.split('|'));
  }

  // The objection window's working days pass: the test moves the case's
  // window into the past rather than wait a week (as tests/api does).
  closeObjectionWindow(caseNo) {
    this.query(`UPDATE case_file SET objection_until = '2000-01-03' WHERE case_no = '${caseNo.replace(/'/g, "''")}'`);
  }
}

function readPort(file) {
  try {
    const port = parseInt(fs.readFileSync(file, 'utf8').trim(), 10);
    return port > 0 ? port : 0;
  } catch {
    return 0;
  }
}

export function sleep(ms) {
  return new Promise(resolve => setTimeout(resolve, ms));
}
