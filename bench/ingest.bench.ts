// Ingest benchmark: import the 75k corpus into a fresh store, import it again, and import a
// generated 1M-record file, each in its own process so peak RSS is measured per phase.
// Usage: npm run bench:ingest [-- --records 1000000 --skip-big --pg postgres://…/empty_db --corpus slice.jsonl.gz]. Phases run with --max-semi-space-size=4, as bin/paperboy.mjs does.
import { spawnSync } from 'node:child_process';
import { createReadStream, createWriteStream, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { pipeline } from 'node:stream/promises';
import { createGunzip, createGzip } from 'node:zlib';
import { parseArgs } from 'node:util';
import { loadConfig } from '../src/config.ts';
import { openServices } from '../src/services/services.ts';
import { peakRssMiB } from './lib/peak-rss.ts';

const CORPUS = resolve(import.meta.dirname, '../../shared/data/arxiv-cs-2025-2026.jsonl.gz');

async function phase(db: string, file: string): Promise<void> {
  const services = await openServices(loadConfig({ ...process.env, DATABASE_URL: db }));
  const s = await services.imports.ingest(file, {});
  await services.close();
  const out = {
    seconds: s.seconds,
    processed: s.processed,
    added: s.added,
    updated: s.updated,
    unchanged: s.unchanged,
    rejected: s.rejected,
    merged: s.merged,
    peakRssMiB: peakRssMiB(),
    // User + system CPU of this process: moves far less than wall time when other work shares the cores.
    cpuSeconds: (process.cpuUsage().user + process.cpuUsage().system) / 1e6,
  };
  process.stdout.write(`${JSON.stringify(out)}\n`);
}

function runPhase(db: string, file: string): Record<string, number> {
  const r = spawnSync(
    process.execPath,
    [
      '--max-semi-space-size=4',
      '--import',
      'tsx',
      import.meta.filename,
      '--phase',
      '--db',
      db,
      '--file',
      file,
    ],
    { encoding: 'utf8', maxBuffer: 1 << 26 },
  );
  if (r.status !== 0) throw new Error(`phase failed: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').at(-1) ?? '{}') as Record<string, number>;
}

/** Writes `count` records made from the real ones: new ids, sentences shuffled within each abstract. */
async function generate(target: string, count: number): Promise<void> {
  const base: Record<string, unknown>[] = [];
  for await (const line of createInterface({ input: createReadStream(CORPUS).pipe(createGunzip()) }))
    base.push(JSON.parse(line) as Record<string, unknown>);
  let seed = 42;
  const rand = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  async function* lines() {
    for (let i = 0; i < count; i++) {
      const r = base[i % base.length] ?? {};
      const sentences = String(r.abstract)
        .split(/(?<=\.)\s+/)
        .sort(() => rand() - 0.5);
      const id = `${String(7000 + Math.floor(i / 99_999)).padStart(4, '0')}.${String(i % 99_999).padStart(5, '0')}`;
      yield `${JSON.stringify({ ...r, id: `arxiv:${id}`, arxiv_id: id, abstract: sentences.join(' '), url: null, pdf: null })}\n`;
    }
  }
  await pipeline(lines, createGzip({ level: 1 }), createWriteStream(target));
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      phase: { type: 'boolean' },
      db: { type: 'string' },
      file: { type: 'string' },
      records: { type: 'string' },
      'skip-big': { type: 'boolean' },
      // An empty PostgreSQL database to import into instead of a temporary SQLite file (it is written to).
      pg: { type: 'string' },
      // Another .jsonl.gz to import instead of the corpus (a slice of it, for a slower engine).
      corpus: { type: 'string' },
    },
  });
  if (values.phase === true) return phase(values.db ?? '', values.file ?? '');
  const corpus = values.corpus ?? CORPUS;
  if (!existsSync(corpus))
    throw new Error(`${corpus} is absent: the benchmark needs ../shared beside the checkout`);
  const dir = mkdtempSync(join(tmpdir(), 'paperboy-bench-'));
  try {
    const db = values.pg ?? join(dir, 'bench.db');
    const first = runPhase(db, corpus);
    console.log(
      `first import   ${first.processed} records in ${first.seconds?.toFixed(1)} s = ${Math.round((first.processed ?? 0) / (first.seconds ?? 1))} papers/s, CPU ${first.cpuSeconds?.toFixed(1)} s, peak RSS ${first.peakRssMiB?.toFixed(0)} MiB, added ${first.added}, rejected ${first.rejected}, merged ${first.merged}`,
    );
    const again = runPhase(db, corpus);
    console.log(
      `re-import      ${again.processed} records in ${again.seconds?.toFixed(1)} s = ${Math.round((again.processed ?? 0) / (again.seconds ?? 1))} papers/s, CPU ${again.cpuSeconds?.toFixed(1)} s, peak RSS ${again.peakRssMiB?.toFixed(0)} MiB, changes ${(again.added ?? 0) + (again.updated ?? 0)}`,
    );
    // The same file again must change nothing (issue 18: kept source ids and merges must not churn).
    if ((again.added ?? 0) + (again.updated ?? 0) > 0) {
      console.error('FAIL: re-importing the same file changed papers; it must be a no-op');
      process.exitCode = 1;
    }
    if (values['skip-big'] !== true) {
      const n = Number(values.records ?? 1_000_000);
      const big = join(dir, 'big.jsonl.gz');
      await generate(big, n);
      const r = runPhase(join(dir, 'big.db'), big);
      console.log(
        `generated ${n}  ${r.processed} records in ${r.seconds?.toFixed(1)} s = ${Math.round((r.processed ?? 0) / (r.seconds ?? 1))} papers/s, peak RSS ${r.peakRssMiB?.toFixed(0)} MiB, added ${r.added}`,
      );
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
