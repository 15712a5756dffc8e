// A search page's papers read from a SQLite store: `papers.getMany` (one read transaction for the page) against
// the same ids read one statement each (`papers.get`, what getMany did before), in one process on one store.
//
//   npm run bench:paper-reads -- --db FILE.db [--pages 500] [--page 20] [--rounds 3] [--seed 23]
//
// Every page is ids drawn at random from the whole store (by rowid, read-only through a second connection) and
// read once in the whole run, as a served search's hits mostly are: so each way reads rows this process has not
// read before, with the database file in the page cache once an earlier run has touched it. Each round reads
// `--pages` pages each way, the order of the ways alternating between rounds. Prints one JSON line: per way the
// median over rounds of the CPU µs per row and the wall ms per page, and their ratio.
import Database from 'better-sqlite3';
import { parseArgs } from 'node:util';
import { createRng } from '../src/index/embedders/static/random.ts';
import { openStore } from '../src/store/db.ts';

const { values: args } = parseArgs({
  options: {
    db: { type: 'string' },
    pages: { type: 'string', default: '500' },
    page: { type: 'string', default: '20' },
    rounds: { type: 'string', default: '3' },
    seed: { type: 'string', default: '23' },
  },
});
if (args.db === undefined)
  throw new Error('--db FILE is required (a SQLite store, e.g. bench:scale-arxiv --dir DIR/paperboy.db)');
const pages = Number(args.pages);
const pageSize = Number(args.page);
const rounds = Number(args.rounds);

/** Distinct random ids of the store, `n` of them (rowids drawn by the project's seeded generator). */
function sampleIds(file: string, n: number, seed: number): string[] {
  const raw = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const max = (raw.prepare('SELECT max(pk) AS n FROM papers').get() as { n: number | null }).n ?? 0;
    if (max === 0) throw new Error(`${file} holds no papers`);
    const byPk = raw.prepare<[number], { id: string }>('SELECT id FROM papers WHERE pk = ?');
    const ids = new Set<string>();
    const rng = createRng(seed);
    for (let tries = 0; ids.size < n && tries < n * 20; tries++) {
      const row = byPk.get(1 + rng.int(max));
      if (row !== undefined) ids.add(row.id);
    }
    return [...ids];
  } finally {
    raw.close();
  }
}

const ways = ['one transaction', 'a statement each'] as const;
const ids = sampleIds(args.db, pages * pageSize * ways.length * rounds, Number(args.seed));
if (ids.length < pages * pageSize * ways.length * rounds)
  throw new Error('the store has too few papers for these pages');
const store = await openStore(args.db);
const cpuPerRow: Record<string, number[]> = {};
const msPerPage: Record<string, number[]> = {};
let next = 0;
for (let r = 0; r < rounds; r++) {
  for (const way of r % 2 === 0 ? ways : [...ways].reverse()) {
    const batches = Array.from({ length: pages }, () => ids.slice(next, (next += pageSize)));
    let rows = 0;
    const cpu = process.cpuUsage();
    const t0 = performance.now();
    for (const batch of batches) {
      if (way === 'one transaction') rows += (await store.papers.getMany(batch)).length;
      else for (const id of batch) rows += (await store.papers.get(id)) === null ? 0 : 1;
    }
    const wall = performance.now() - t0;
    const used = process.cpuUsage(cpu);
    (cpuPerRow[way] ??= []).push((used.user + used.system) / rows);
    (msPerPage[way] ??= []).push(wall / pages);
  }
}
await store.close();
const median = (xs: readonly number[]): number =>
  [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
const out = Object.fromEntries(
  ways.map((w) => [
    w,
    {
      cpuUsPerRow: Number(median(cpuPerRow[w] ?? []).toFixed(1)),
      msPerPage: Number(median(msPerPage[w] ?? []).toFixed(3)),
      rounds: (cpuPerRow[w] ?? []).map((x) => Number(x.toFixed(1))),
    },
  ]),
);
const ratio = median(cpuPerRow[ways[0]] ?? []) / median(cpuPerRow[ways[1]] ?? []);
console.log(JSON.stringify({ pages, page: pageSize, rounds, ...out, cpuRatio: Number(ratio.toFixed(3)) }));
