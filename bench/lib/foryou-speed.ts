// Times the For-you feed through the service (real SQLite store, indexes, vectors) over windows of growing size.
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Embedder } from '../../src/index/embedders/embedder.ts';
import { createForYouService } from '../../src/services/foryou/index.ts';
import { SearchIndexes } from '../../src/services/search/index.ts';
import { openStore } from '../../src/store/db.ts';
import type { Store } from '../../src/store/store.ts';
import type { BenchDoc } from './arxiv-corpus.ts';

export interface SpeedRow {
  window: string;
  papers: number;
  /** The first call for the window (its papers and vectors not cached yet), one per repeat. */
  firstMs: number[];
  p50Ms: number;
  p95Ms: number;
}

/** Where the loaded store and its index snapshots are kept between runs (one per model). */
const CACHE_DIR = resolve(import.meta.dirname, '../../.cache/foryou-speed');
const TIMED = 20;
const WARM_UP = 3;

function quantile(ms: number[], q: number): number {
  const s = [...ms].sort((a, b) => a - b);
  return Number((s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? 0).toFixed(1));
}

function toInput(d: BenchDoc): Parameters<Store['papers']['upsertMany']>[0][number] {
  return {
    arxivId: d.id,
    version: 1,
    doi: null,
    title: d.title,
    abstract: d.abstract,
    authors: d.authors,
    categories: d.categories,
    published: d.date,
    updated: null,
    announced: d.date,
    comment: null,
    journalRef: null,
    license: null,
    absUrl: null,
    pdfUrl: null,
  };
}

/** The cached store with every paper and its vector, built (about a minute) when missing. */
async function benchStorePath(
  docs: readonly BenchDoc[],
  vectors: ReadonlyMap<string, Float32Array>,
  embedder: Embedder,
  now: () => Date,
  log: (s: string) => void,
): Promise<string> {
  const file = join(CACHE_DIR, `${embedder.model}-${docs.length}.db`);
  if (existsSync(file)) return file;
  mkdirSync(CACHE_DIR, { recursive: true });
  const tmp = `${file}.tmp-${process.pid}`;
  log('loading the corpus and its vectors into a store (cached for later runs)');
  const store = await openStore(tmp, { now });
  try {
    for (let i = 0; i < docs.length; i += 2000) {
      const batch = docs.slice(i, i + 2000);
      await store.papers.upsertMany(batch.map(toInput));
      await store.vectors.put(
        embedder.model,
        batch.map((d) => ({ paperId: d.id, contentHash: '', vector: vectors.get(d.id) as Float32Array })),
      );
    }
    const indexes = new SearchIndexes(store, { dir: `${file}.index`, approximateAbove: 10_000 });
    await indexes.open();
    await indexes.useModel(embedder.model, embedder.dimension);
    indexes.save();
  } finally {
    await store.close();
  }
  for (const ext of ['-wal', '-shm']) rmSync(`${tmp}${ext}`, { force: true });
  renameSync(tmp, file);
  return file;
}

type ForYou = ReturnType<typeof createForYouService>;

/** A fresh reader: 20 saved papers, 2 followed authors, 2 saved searches, a not-interested author. */
async function benchReader(
  store: Store,
  fy: ForYou,
  saved: readonly BenchDoc[],
  hide: string,
): Promise<number> {
  const user = await store.users.create(`bench-${Date.now()}-${process.pid}@example.org`, 'Bench', 'x');
  if (!user) throw new Error('no user');
  for (const d of saved) await store.library.save(user.id, d.id, []);
  for (const a of saved.slice(0, 2).map((d) => d.authors[0] ?? 'Nobody'))
    await fy.follow(user.id, 'author', a);
  await fy.addSavedSearch(user.id, 'diffusion transformer -survey');
  await fy.addSavedSearch(user.id, '"speech recognition" cat:cs.CL');
  await fy.notInterested(user.id, 'author', hide);
  return user.id;
}

/**
 * Opens the cached corpus store (building it on the first run), gives a fresh reader 20 saved papers, 2
 * followed authors, 2 saved searches and a not-interested mark, then times `forYou` for each window:
 * per repeat, a freshly opened store (so the first call finds nothing cached), then 3 warm-up and 20 timed calls.
 * @example const rows = await timeFeeds(docs, vectors, embedder, saved, [['5 days', '2026-06-25']], '2026-06-30', log);
 */
export async function timeFeeds(
  docs: readonly BenchDoc[],
  vectors: ReadonlyMap<string, Float32Array>,
  embedder: Embedder,
  saved: readonly BenchDoc[],
  windows: readonly (readonly [label: string, since: string])[],
  today: string,
  log: (s: string) => void,
  repeats = 1,
): Promise<SpeedRow[]> {
  const now = (): Date => new Date(`${today}T12:00:00Z`);
  const file = await benchStorePath(docs, vectors, embedder, now, log);
  const rows = windows.map(([label]): SpeedRow & { all: number[] } => ({
    window: label,
    papers: 0,
    firstMs: [],
    p50Ms: 0,
    p95Ms: 0,
    all: [],
  }));
  for (let r = 0; r < repeats; r++) {
    const store = await openStore(file, { now });
    try {
      const fy = createForYouService({
        store,
        indexes: new SearchIndexes(store, { dir: `${file}.index`, approximateAbove: 10_000 }),
        embedder: async () => embedder,
        now,
      });
      const userId = await benchReader(store, fy, saved, docs[0]?.authors[0] ?? 'Nobody');
      await fy.forYou(userId, { since: today, limit: 10 }); // opens the indexes
      for (const [w, [label, since]] of windows.entries()) {
        const row = rows[w] as SpeedRow & { all: number[] };
        for (let i = 0; i < WARM_UP + TIMED; i++) {
          const t = performance.now();
          const page = await fy.forYou(userId, { since, limit: 20 });
          const ms = performance.now() - t;
          if (i === 0) row.firstMs.push(Number(ms.toFixed(1)));
          if (i >= WARM_UP) row.all.push(ms);
          row.papers = page.total;
        }
        log(`run ${r + 1}, ${label}: ${row.papers} papers, first ${row.firstMs.at(-1)} ms`);
      }
    } finally {
      await store.close();
    }
  }
  return rows.map(({ all, ...row }) => ({ ...row, p50Ms: quantile(all, 0.5), p95Ms: quantile(all, 0.95) }));
}
