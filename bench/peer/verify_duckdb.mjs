// The DuckDB peer of the verification benchmark: runs verify_duckdb.sql
// over a population written by `hedui gen` and writes one Result record
// per application.
//
//   node verify_duckdb.mjs DATA_DIR OUT.jsonl [DB]
//
// DATA_DIR holds deliveries/<department>/manifest.json and the feed CSVs,
// applications.jsonl, authorizations.jsonl and policy.json. DB defaults to
// an in-memory database (DuckDB spills to a temporary folder when memory
// runs short). Before any SQL runs, each delivery's manifest is checked
// the way feeds.md asks: standard, every file present, its SHA-256 as
// announced (the row count cannot be checked here: DuckDB's reader drops
// malformed records without counting them separately). Prints each
// statement's time on stderr.
import { DuckDBInstance } from '@duckdb/node-api';
import { createHash } from 'node:crypto';
import { createReadStream, existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const [dataArg, outArg, dbArg] = process.argv.slice(2);
if (!dataArg || !outArg) {
  console.error('usage: node verify_duckdb.mjs DATA_DIR OUT.jsonl [DB]');
  process.exit(2);
}
const data = resolve(dataArg);
const out = resolve(outArg);
const here = dirname(fileURLToPath(import.meta.url));
const literal = (s) => s.replaceAll("'", "''");
const seconds = (ms) => (ms / 1000).toFixed(2).padStart(7) + ' s';

// Every feed of feeds.md; all but unemployment are read by a verification.
const feeds = [
  'hukou', 'marriage', 'death', 'tax_income', 'social_insurance',
  'unemployment', 'medical', 'provident_fund', 'real_estate', 'vehicle',
  'enterprise', 'deposit', 'securities', 'insurance', 'disability',
];
const columns = {
  hukou: 'pid,name,sex,birth,hukou_no,relation,region,status,status_date',
  marriage: 'pid,spouse_pid,event,date',
  death: 'pid,date',
  tax_income: 'pid,period,category,payer,income,tax',
  social_insurance: 'pid,period,kind,base,amount,employer',
  unemployment: 'pid,registered,ended',
  medical: 'pid,period,total,fund_paid,self_paid,serious',
  provident_fund: 'pid,period,base,deposit,balance',
  real_estate: 'pid,cert_no,region,use,area,share,acquired,status',
  vehicle: 'pid,plate,type,registered,value,status',
  enterprise: 'pid,uscc,name,role,capital,status,established',
  deposit: 'pid,institution,account,product,balance',
  securities: 'pid,institution,market_value',
  insurance: 'pid,policy_no,product,cash_value,annual_premium',
  disability: 'pid,category,level,valid_until',
};

const sha256 = (file) =>
  new Promise((ok, fail) => {
    const h = createHash('sha256');
    createReadStream(file)
      .on('data', (b) => h.update(b))
      .on('end', () => ok(h.digest('hex')))
      .on('error', fail);
  });

const t0 = performance.now();
const fileOf = new Map();
const top = join(data, 'deliveries');
for (const dep of readdirSync(top).sort()) {
  const dir = join(top, dep);
  const m = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
  if (m.standard !== 'hedui-feeds/1') throw new Error(`${dep}: not hedui-feeds/1`);
  if (m.mode !== 'snapshot') throw new Error(`${dep}: only snapshot deliveries`);
  for (const f of m.files) {
    if (!feeds.includes(f.feed)) throw new Error(`${dep}: unknown feed ${f.feed}`);
    const path = join(dir, f.file);
    if (!existsSync(path)) throw new Error(`${dep}: missing ${f.file}`);
    if ((await sha256(path)) !== f.sha256)
      throw new Error(`${dep}: ${f.file} does not match its sha256`);
    fileOf.set(f.feed, path);
  }
}
console.error(`  manifests and sha256 ${seconds(performance.now() - t0)}`);

// A feed no delivery holds reads as an empty file (its header only), and
// the results carry FEED_NOT_DELIVERED when it is one the rules read.
const undelivered = feeds.filter((f) => !fileOf.has(f));
let sql = readFileSync(join(here, 'verify_duckdb.sql'), 'utf8')
  .replaceAll('@DATA@', literal(data))
  .replaceAll('@OUT@', literal(out))
  .replaceAll(
    '@ANY_UNDELIVERED@',
    undelivered.some((f) => f !== 'unemployment') ? 'true' : 'false',
  );
const instance = await DuckDBInstance.create(dbArg ?? ':memory:');
const db = await instance.connect();
for (const f of feeds) {
  let src = fileOf.get(f);
  if (!src) {
    await db.run(
      `CREATE TABLE empty_${f} AS SELECT ` +
        columns[f].split(',').map((c) => `NULL::VARCHAR AS ${c}`).join(', ') +
        ' LIMIT 0',
    );
    sql = sql.replaceAll(`csv('@F:${f}@')`, `empty_${f}`);
    console.error(`  ${f}: not delivered`);
  } else sql = sql.replaceAll(`@F:${f}@`, literal(src));
}

const info = (
  await db.runAndReadAll(
    "SELECT version() AS v, current_setting('threads') AS t, " +
      "current_setting('memory_limit') AS m",
  )
).getRowObjects()[0];
console.error(`duckdb ${info.v}, threads ${info.t}, memory_limit ${info.m}`);

const statements = sql
  .split(/;[ \t]*\n/)
  .map((s) => s.trim())
  .filter((s) => s.replace(/--.*$/gm, '').trim().length > 0);
for (const s of statements) {
  const t = performance.now();
  await db.run(s);
  const what = s
    .replace(/--.*$/gm, '')
    .trim()
    .split(/\s+/)
    .slice(0, 3)
    .join(' ');
  console.error(`  ${what.padEnd(40)} ${seconds(performance.now() - t)}`);
}
console.error(`total ${seconds(performance.now() - t0)}`);
db.closeSync();
instance.closeSync();
