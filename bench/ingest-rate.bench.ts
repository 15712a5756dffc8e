// Times `paperboy ingest` of one big file into a fresh SQLite store, mark by mark: the rate over each stretch of
// papers (does it fall as the store grows?) and the process's peak RSS. Several trees may be compared in turn.
// Usage: node --import tsx bench/ingest-rate.bench.ts --file F.json.gz --dir D [--mark 200000]
//        [--tree /path/to/checkout ...] [--rounds 1]
// Each tree's own bin/paperboy.mjs runs the import; a second read-only connection counts the stored papers (max
// pk, an O(log n) look-up) every 500 ms, so the import runs exactly as a user's would.
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';

const { values: args } = parseArgs({
  options: {
    file: { type: 'string' },
    dir: { type: 'string', default: '/tmp/paperboy-ingest-rate' },
    mark: { type: 'string', default: '200000' },
    tree: { type: 'string', multiple: true },
    rounds: { type: 'string', default: '1' },
  },
});
if (args.file === undefined) throw new Error('--file is required');
const file = resolve(args.file);
const mark = Number(args.mark);
const trees = (args.tree ?? [resolve(import.meta.dirname, '..')]).map((t) => resolve(t));

function status(pid: number, field: 'VmHWM' | 'VmRSS'): number {
  try {
    const m = new RegExp(`${field}:\\s+(\\d+) kB`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m?.[1] !== undefined ? Math.round(Number(m[1]) / 1024) : 0;
  } catch {
    return 0;
  }
}

function storedPapers(db: string): number {
  try {
    const conn = new Database(db, { readonly: true, fileMustExist: true });
    try {
      return (conn.prepare('SELECT max(pk) AS n FROM papers').get() as { n: number | null }).n ?? 0;
    } finally {
      conn.close();
    }
  } catch {
    return 0;
  }
}

interface Result {
  tree: string;
  round: number;
  seconds: number;
  /** Seconds from the start to the first stored paper. */
  startup: number;
  papers: number;
  peakRssMiB: number;
  /** Papers a second over each stretch of `mark` papers, in order. */
  rates: number[];
  exit: number;
}

async function once(tree: string, round: number): Promise<Result> {
  const dir = join(args.dir, `${round}-${trees.indexOf(tree)}`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const db = join(dir, 'paperboy.db');
  const t0 = performance.now();
  const child = spawn(
    process.execPath,
    ['--max-semi-space-size=4', join(tree, 'bin/paperboy.mjs'), 'ingest', file, '--quiet'],
    {
      cwd: tree,
      env: { ...process.env, DATABASE_URL: db, PAPERBOY_SECRET: 'x'.repeat(32), LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
  let peak = 0;
  const crossed: number[] = [];
  let last = { n: 0, t: t0 };
  // The clock for the first stretch starts with the first stored paper, not with the process (start-up apart).
  let first: number | null = null;
  const timer = setInterval(() => {
    peak = Math.max(peak, status(child.pid ?? -1, 'VmHWM'));
    const n = storedPapers(db);
    const t = performance.now();
    if (first === null && n > 0) first = last.t + ((t - last.t) * 1) / (n - last.n);
    // The moment each mark was passed, interpolated between two counts.
    while (n >= (crossed.length + 1) * mark && n > last.n) {
      const target = (crossed.length + 1) * mark;
      crossed.push(last.t + ((t - last.t) * (target - last.n)) / (n - last.n));
      // Each mark as it passes, so a run stopped early still tells its rates so far.
      console.error(
        `${tree}: ${target} papers at ${((crossed.at(-1)! - t0) / 1000).toFixed(1)} s, peak ${peak} MiB`,
      );
    }
    last = { n, t };
  }, 500);
  const exit = await new Promise<number>((done) => child.on('close', (c) => done(c ?? -1)));
  clearInterval(timer);
  const seconds = (performance.now() - t0) / 1000;
  const papers = storedPapers(db);
  const start = first ?? t0;
  const times = [start, ...crossed];
  const rates = crossed.map((t, i) => Math.round(mark / ((t - (times[i] ?? t0)) / 1000)));
  const tail = papers - crossed.length * mark;
  if (tail > 0) rates.push(Math.round(tail / ((performance.now() - (times.at(-1) ?? start)) / 1000)));
  const startup = Number(((start - t0) / 1000).toFixed(1));
  return { tree, round, seconds: Number(seconds.toFixed(1)), startup, papers, peakRssMiB: peak, rates, exit };
}

for (let round = 1; round <= Number(args.rounds); round++)
  for (const tree of trees) console.log(JSON.stringify(await once(tree, round)));
