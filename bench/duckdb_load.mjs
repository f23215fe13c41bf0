// The DuckDB contender of `make bench`: load every feed file into a fresh
// file database with read_csv, then build a unique index on each feed key.
//
//   node duckdb_load.mjs DB SPEC
//
// SPEC holds "feed<TAB>file<TAB>key,key<TAB>types" lines (`bench/schema
// duckdb`). A feed's first file is `CREATE TABLE feed AS SELECT * FROM
// read_csv(file, header = true, types = ...)`, any further file of the
// same feed an INSERT ... SELECT; then `CREATE UNIQUE INDEX ... ON
// feed(key)`. Not a PRIMARY KEY: it would make the nullable key column
// (tax_income.payer) NOT NULL, and building the index once after the load
// is how DuckDB is meant to be fed in bulk. A duplicate key fails the
// index, as it would fail a primary key. Threads: DuckDB's default (one
// per core). Prints per-feed timings on stderr and the rows loaded on
// stdout.
import { DuckDBInstance } from '@duckdb/node-api';
import { readFileSync } from 'node:fs';

const [dbPath, specPath] = process.argv.slice(2);
if (!dbPath || !specPath) {
  console.error('usage: node duckdb_load.mjs DB SPEC');
  process.exit(2);
}

const ident = (s) => '"' + s.replaceAll('"', '""') + '"';
const literal = (s) => "'" + s.replaceAll("'", "''") + "'";
const seconds = (ms) => (ms / 1000).toFixed(2).padStart(7) + ' s';

const specs = readFileSync(specPath, 'utf8')
  .split('\n')
  .filter((l) => l.length > 0)
  .map((l) => {
    const [feed, file, keys, types] = l.split('\t');
    return { feed, file, keys: keys.split(',').filter((k) => k), types };
  });

const instance = await DuckDBInstance.create(dbPath);
const db = await instance.connect();
const info = (
  await db.runAndReadAll(
    "SELECT version() AS v, current_setting('threads') AS t, " +
      "current_setting('memory_limit') AS m",
  )
).getRowObjects()[0];
console.error(`duckdb ${info.v}, threads ${info.t}, memory_limit ${info.m}`);

const loaded = new Map(); // feed -> keys
let loadMs = 0;
let indexMs = 0;
for (const s of specs) {
  const t0 = performance.now();
  const source =
    `SELECT * FROM read_csv(${literal(s.file)}, header = true, ` +
    `all_varchar = false, types = ${s.types})`;
  if (loaded.has(s.feed))
    await db.run(`INSERT INTO ${ident(s.feed)} ${source}`);
  else await db.run(`CREATE TABLE ${ident(s.feed)} AS ${source}`);
  loaded.set(s.feed, s.keys);
  const ms = performance.now() - t0;
  loadMs += ms;
  console.error(`  load  ${s.feed.padEnd(18)} ${seconds(ms)}`);
}

let rows = 0n;
for (const [feed, keys] of loaded) {
  const t0 = performance.now();
  if (keys.length > 0)
    await db.run(
      `CREATE UNIQUE INDEX ${ident(feed + '_key')} ON ${ident(feed)}(` +
        keys.map(ident).join(', ') + ')',
    );
  const ms = performance.now() - t0;
  indexMs += ms;
  const n = (
    await db.runAndReadAll(`SELECT count(*) AS n FROM ${ident(feed)}`)
  ).getRowObjects()[0].n;
  rows += BigInt(n);
  console.error(`  index ${feed.padEnd(18)} ${seconds(ms)}  ${n} rows`);
}
const t0 = performance.now();
await db.run('CHECKPOINT');
console.error(
  `total: load ${seconds(loadMs)}, index ${seconds(indexMs)}, ` +
    `checkpoint ${seconds(performance.now() - t0)}`,
);
db.closeSync();
instance.closeSync();
console.log(String(rows));
