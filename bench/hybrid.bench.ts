// End-to-end search benchmark through the services serve uses: train the corpus model on the 75k papers,
// embed them, then time lexical, hybrid (query embedding included) and similar-paper queries, and a restart.
// Usage: npm run bench:hybrid [-- --db path.db] [--queries 1000] [--epochs N] [--json]
// With --db pointing at an existing store that has a trained model, it skips import and training.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../src/config.ts';
import { openServices, type Services } from '../src/services/services.ts';
import { loadArxivCorpus, sampleQueries, seededRandom } from './lib/arxiv-corpus.ts';
import { peakRssMiB } from './lib/peak-rss.ts';

const CORPUS = resolve(import.meta.dirname, '../../shared/data/arxiv-cs-2025-2026.jsonl.gz');

const { values: args } = parseArgs({
  options: {
    db: { type: 'string' },
    queries: { type: 'string', default: '1000' },
    epochs: { type: 'string' },
    json: { type: 'boolean', default: false },
  },
});

interface Latency {
  p50: number;
  p95: number;
  p99: number;
  mean: number;
}

function summarize(ms: number[]): Latency {
  const s = [...ms].sort((a, b) => a - b);
  const at = (q: number): number =>
    Number((s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? 0).toFixed(2));
  return {
    p50: at(0.5),
    p95: at(0.95),
    p99: at(0.99),
    mean: Number((s.reduce((a, b) => a + b, 0) / s.length).toFixed(2)),
  };
}

async function time(fn: () => Promise<unknown>): Promise<number> {
  const t = performance.now();
  await fn();
  return performance.now() - t;
}

async function timeAll(items: readonly string[], fn: (q: string) => Promise<unknown>): Promise<Latency> {
  for (const q of items.slice(0, 100)) await fn(q); // warm-up
  const ms: number[] = [];
  for (const q of items) ms.push(await time(() => fn(q)));
  return summarize(ms);
}

const log = (s: string): void => void process.stderr.write(`${s}\n`);

async function open(db: string): Promise<Services> {
  return openServices(loadConfig({ ...process.env, DATABASE_URL: db, LOG_LEVEL: 'silent' }));
}

async function main(): Promise<void> {
  const tmp = args.db === undefined ? mkdtempSync(join(tmpdir(), 'paperboy-hybrid-bench-')) : null;
  const db = args.db ?? join(tmp ?? '', 'bench.db');
  const result: Record<string, unknown> = { db };
  try {
    let services = await open(db);
    if ((await services.papers.stats()).papers === 0) {
      log(`importing ${CORPUS}`);
      const s = await services.imports.ingest(CORPUS, {});
      result.import = { papers: s.added, seconds: s.seconds };
    }
    if ((await services.semantic.current()) === null) {
      log('training the corpus model');
      const t = await services.semantic.train({
        epochs: args.epochs === undefined ? undefined : Number(args.epochs),
      });
      result.train = {
        model: t.model,
        papers: t.papers,
        epochs: t.epochs,
        seconds: Number(t.seconds.toFixed(1)),
      };
      log(`trained ${t.model} in ${t.seconds.toFixed(0)} s`);
    }
    const e = await services.semantic.embed();
    if (e.embedded > 0)
      result.embed = {
        papers: e.embedded,
        seconds: Number(e.seconds.toFixed(1)),
        perSecond: Math.round(e.rate),
      };
    log(`embedded ${e.embedded} (${Math.round(e.rate)}/s)`);
    const first = await time(() => services.search.search('warm up', { k: 1 }));
    result.firstQueryColdMs = Math.round(first);
    services.searchIndexes.save();
    await services.close();

    // A restart: indexes load from the snapshots.
    services = await open(db);
    result.restartFirstQueryMs = Math.round(await time(() => services.search.search('warm up', { k: 1 })));
    const docs = await loadArxivCorpus(CORPUS);
    const queries = sampleQueries(docs, Number(args.queries), 42);
    const rand = seededRandom(7);
    const ids = Array.from(
      { length: 300 },
      () => docs[Math.floor(rand() * docs.length)]?.id.replace(/^arxiv:/, '') ?? '',
    );
    const embedder = await services.semantic.current();
    result.model = embedder?.model ?? null;
    result.papers = services.searchIndexes.lexical.size;
    result.vectors = services.searchIndexes.vectors?.size ?? 0;
    result.queryEmbedding = await timeAll(queries, (q) => embedder?.embed([q]) ?? Promise.resolve());
    result.lexical = await timeAll(queries, (q) => services.search.search(q, { k: 10, mode: 'lexical' }));
    result.hybrid = await timeAll(queries, async (q) => {
      const r = await services.search.search(q, { k: 10 });
      if (r.mode !== 'hybrid') throw new Error(`expected hybrid, got ${r.mode}: ${r.notice ?? ''}`);
    });
    result.similar = await timeAll(ids, (id) => services.search.similar(id, 10));
    result.peakRssMiB = Math.round(peakRssMiB());
    await services.close();
  } finally {
    if (tmp !== null) rmSync(tmp, { recursive: true, force: true });
  }
  if (args.json === true) process.stdout.write(`${JSON.stringify(result)}\n`);
  else process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
}

await main();
