// Library-import benchmark: a real `paperboy serve` (its own process, started as `npm start` starts it)
// receives one 10,000-entry BibTeX import from an uploader process while a poller process asks /health every
// 10 ms; reports /health before the import (baseline) and during it (target: p99 under 50 ms), their ratio,
// and how long the import took. Half the entries match papers in the store (saved), half do not (interests).
// Usage: npm run bench:library-import [-- --entries 10000 --baseline-ms 3000]
//   [--server-node-options '--cpu-prof --cpu-prof-dir=DIR --trace-gc'] [--server-log FILE]
import { fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../src/config.ts';
import { emptyPaperInput, type PaperInput } from '../src/domain/index.ts';
import { createServices } from '../src/services/services.ts';
import { openStore } from '../src/store/db.ts';
import { MAX_IMPORT_BYTES } from '../src/web/app.ts';
import { startServe } from '../test/helpers/serve-process.ts';
import type { ClientJob, ClientReply, HealthSample } from './lib/library-import-client.ts';

const SECRET = 'bench-secret-0123456789abcdef0123456789abcdef';

const arxivId = (i: number): string => `2501.${String(i).padStart(5, '0')}`;

function storedPaper(i: number): PaperInput {
  return {
    ...emptyPaperInput(),
    arxivId: arxivId(i),
    version: 1,
    title: `Stored paper ${i} on sparse attention for long documents`,
    abstract: 'We study attention patterns and report results on several benchmarks.',
    authors: ['Ada Lovelace', 'Charles Babbage'],
    categories: ['cs.CL'],
    published: '2025-01-02',
    announced: '2025-01-03',
  };
}

/** A BibTeX export as Zotero writes it: even entries cite stored papers by eprint, odd ones do not. */
function libraryBib(entries: number): string {
  const out: string[] = [];
  for (let i = 0; i < entries; i++) {
    const id = i % 2 === 0 ? `,\n  eprint = {${arxivId(i)}},\n  archivePrefix = {arXiv}` : '';
    out.push(
      `@article{entry${i},\n  title = {Entry ${i}: {Robust} methods for learning from noisy labels in vision},\n` +
        `  author = {Doe, Jane and Roe, Richard and M{\\"u}ller, Anna},\n  journal = {Journal of Examples},\n` +
        `  year = {2024},\n  abstract = {We propose a method and evaluate it on standard benchmarks.}${id}\n}`,
    );
  }
  return `${out.join('\n\n')}\n`;
}

async function prepare(db: string, papers: number): Promise<string> {
  const config = loadConfig({ DATABASE_URL: db, PAPERBOY_SECRET: SECRET, LOG_LEVEL: 'warn' });
  const store = await openStore(db);
  const services = createServices(store, config);
  try {
    await store.papers.upsertMany(Array.from({ length: papers }, (_, i) => storedPaper(i)));
    const reader = await store.users.create('reader@bench.invalid', '', 'not-a-hash');
    if (!reader) throw new Error('could not create the bench reader');
    return (await services.apiTokens.create(reader.id, 'bench')).token;
  } finally {
    await services.close();
  }
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

interface Stats {
  n: number;
  p50: number;
  p99: number;
  max: number;
}

function stats(ms: readonly number[]): Stats {
  const sorted = [...ms].sort((a, b) => a - b);
  return {
    n: sorted.length,
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    max: sorted.at(-1) ?? NaN,
  };
}

const fmt = (s: Stats): string =>
  `${s.n} answers, p50 ${s.p50.toFixed(1)} ms, p99 ${s.p99.toFixed(1)} ms, max ${s.max.toFixed(1)} ms`;

const CLIENT = new URL('./lib/library-import-client.ts', import.meta.url);

/** Starts a client process on `job`; `next()` resolves with its next reply (a `failed` reply rejects). */
function startClient(job: ClientJob): { child: ChildProcess; next: () => Promise<ClientReply> } {
  const child = fork(CLIENT, [], { execArgv: ['--import', 'tsx'], stdio: 'inherit' });
  const replies: ClientReply[] = [];
  let wake: (() => void) | null = null;
  let exited = false;
  child.on('message', (m: ClientReply) => {
    replies.push(m);
    wake?.();
  });
  child.once('exit', () => {
    exited = true;
    wake?.();
  });
  child.send(job);
  const next = async (): Promise<ClientReply> => {
    while (replies.length === 0 && !exited) await new Promise<void>((r) => (wake = r));
    const m = replies.shift();
    if (m === undefined) throw new Error(`${job.role} client exited`);
    if (m.type === 'failed') throw new Error(`${job.role} client: ${m.message}`);
    return m;
  };
  return { child, next };
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      entries: { type: 'string' },
      'baseline-ms': { type: 'string' },
      'server-node-options': { type: 'string' },
      'server-log': { type: 'string' },
    },
  });
  const entries = Number(values.entries ?? 10_000);
  const baselineMs = Number(values['baseline-ms'] ?? 3000);
  const bib = libraryBib(entries);
  if (Buffer.byteLength(bib) > MAX_IMPORT_BYTES) throw new Error(`the .bib is over the import limit`);
  const dir = mkdtempSync(join(tmpdir(), 'paperboy-import-bench-'));
  const db = join(dir, 'paperboy.db');
  const bibPath = join(dir, 'library.bib');
  writeFileSync(bibPath, bib);
  try {
    const token = await prepare(db, entries);
    // `npm start`'s V8 flags (package.json), which a plain spawn of bin/paperboy.mjs would not get.
    const nodeArgs = ['--max-semi-space-size=4', ...(values['server-node-options'] ?? '').split(' ')];
    const server = await startServe(
      { DATABASE_URL: db, PAPERBOY_SECRET: SECRET, PAPERBOY_HARVEST: 'false', LOG_LEVEL: 'info' },
      30_000,
      [],
      nodeArgs.filter((a) => a !== ''),
    );
    try {
      // Start-up warms the search indexes and the suggestion tables; the import is measured after that.
      for (let i = 0; i < 300 && !server.log().includes('search index ready'); i++) await sleep(100);
      await sleep(1000); // the suggestion tables build right after

      const poller = startClient({ role: 'poll', base: server.base, everyMs: 10 });
      const ready = await poller.next();
      await sleep(baselineMs);
      const uploaded = await startClient({ role: 'upload', base: server.base, token, bibPath }).next();
      await sleep(200);
      poller.child.send('stop');
      const polled = await poller.next();
      if (ready.type !== 'ready' || uploaded.type !== 'uploaded' || polled.type !== 'samples')
        throw new Error('unexpected client replies');
      const { report } = uploaded;
      if (uploaded.status !== 200)
        throw new Error(`import answered ${uploaded.status}: ${JSON.stringify(report)}`);
      const samples: HealthSample[] = polled.samples;
      // The first answers of a new client include its connection set-up and the server's first look at it.
      const baseline = stats(
        samples
          .filter((s) => s.at < uploaded.start)
          .slice(20)
          .map((s) => s.ms),
      );
      const during = stats(
        samples.filter((s) => s.at >= uploaded.start && s.at < uploaded.end).map((s) => s.ms),
      );
      console.log(
        `import of ${entries.toLocaleString('en')} entries (${(Buffer.byteLength(bib) / 1024 / 1024).toFixed(1)} MiB): ` +
          `${(uploaded.end - uploaded.start).toFixed(0)} ms; saved ${String(report.saved)}, ` +
          `interests ${String(report.interests)}, rejected ${(report.rejected as unknown[]).length}`,
      );
      console.log(`/health before the import (baseline): ${fmt(baseline)}`);
      console.log(`/health during the import: ${fmt(during)} (target: p99 under 50 ms)`);
      console.log(
        `during/baseline: p50 ${(during.p50 / baseline.p50).toFixed(2)}x, p99 ${(during.p99 / baseline.p99).toFixed(2)}x, ` +
          `max ${(during.max / baseline.max).toFixed(2)}x`,
      );
    } finally {
      await server.stop();
      if (values['server-log'] !== undefined) writeFileSync(values['server-log'], server.log());
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
