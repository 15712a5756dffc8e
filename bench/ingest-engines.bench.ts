// SQLite against PostgreSQL import speed, measured in one run: the corpus imported into a fresh store of each
// engine, alternately, a few rounds; medians and the PostgreSQL/SQLite ratio. `--before DIR` adds a third
// engine, PostgreSQL with an older checkout's code (a copy of the tree, node_modules linked), for before/after.
// Usage: npm run bench:ingest-engines -- --pg postgres://user@host:port/postgres [--rounds 3] [--corpus file.jsonl.gz]
//        [--before /tmp/old-checkout] [--prefix bench_engines]
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';

const { values: args } = parseArgs({
  options: {
    pg: { type: 'string' },
    rounds: { type: 'string', default: '3' },
    corpus: {
      type: 'string',
      default: resolve(import.meta.dirname, '../../shared/data/arxiv-cs-2025-2026.jsonl.gz'),
    },
    before: { type: 'string' },
    // Names of the databases made (and dropped) on the server: one prefix per engineer sharing it.
    prefix: { type: 'string', default: 'bench_engines' },
  },
});
if (args.pg === undefined)
  throw new Error('--pg <admin URL> is required: databases are created and dropped there');
const admin = args.pg;
const HERE = resolve(import.meta.dirname, '..');

/** One import in its own process with that checkout's code (bench/ingest.bench.ts --phase prints its figures). */
function importWith(tree: string, db: string): { seconds: number; cpuSeconds: number; added: number } {
  const r = spawnSync(
    process.execPath,
    [
      '--max-semi-space-size=4',
      '--import',
      'tsx',
      'bench/ingest.bench.ts',
      '--phase',
      '--db',
      db,
      '--file',
      args.corpus,
    ],
    { cwd: tree, encoding: 'utf8', maxBuffer: 1 << 26 },
  );
  if (r.status !== 0) throw new Error(`import failed: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').at(-1) ?? '{}') as {
    seconds: number;
    cpuSeconds: number;
    added: number;
  };
}

async function adminQuery(sql: string): Promise<void> {
  const c = new pg.Client(admin);
  await c.connect();
  try {
    await c.query(sql);
  } finally {
    await c.end();
  }
}

async function freshPg(name: string): Promise<string> {
  await adminQuery(`DROP DATABASE IF EXISTS ${name}`);
  await adminQuery(`CREATE DATABASE ${name}`);
  const url = new URL(admin);
  url.pathname = `/${name}`;
  return url.toString();
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'paperboy-engines-'));
  const engines: [string, (round: number) => Promise<string>, string][] = [
    ['sqlite', async (round) => join(dir, `r${round}.db`), HERE],
    ['postgres', (round) => freshPg(`${args.prefix}_${round}`), HERE],
    ...(args.before !== undefined
      ? [
          ['postgres-before', (round: number) => freshPg(`${args.prefix}_before_${round}`), args.before] as [
            string,
            (round: number) => Promise<string>,
            string,
          ],
        ]
      : []),
  ];
  const seconds = new Map<string, number[]>(engines.map(([name]) => [name, []]));
  try {
    for (let round = 0; round < Number(args.rounds); round++) {
      for (const [name, target, tree] of engines) {
        const r = importWith(tree, await target(round));
        seconds.get(name)!.push(r.seconds);
        console.log(
          `round ${round + 1} ${name.padEnd(16)} ${r.added} added in ${r.seconds.toFixed(1)} s, CPU ${r.cpuSeconds.toFixed(1)} s`,
        );
      }
    }
    const summary: Record<string, number> = {};
    for (const [name, xs] of seconds) summary[`${name}MedianSeconds`] = Number(median(xs).toFixed(1));
    const sqlite = median(seconds.get('sqlite')!);
    for (const [name] of engines.slice(1))
      summary[`${name}VsSqlite`] = Number((median(seconds.get(name)!) / sqlite).toFixed(2));
    console.log(JSON.stringify(summary));
  } finally {
    rmSync(dir, { recursive: true, force: true });
    for (let round = 0; round < Number(args.rounds); round++) {
      await adminQuery(`DROP DATABASE IF EXISTS ${args.prefix}_${round}`);
      await adminQuery(`DROP DATABASE IF EXISTS ${args.prefix}_before_${round}`);
    }
  }
}

await main();
