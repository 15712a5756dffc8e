// Times the For-you feed through the service (real SQLite store, indexes, vectors) over windows of growing size.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Embedder } from '../../src/index/embedders/embedder.ts';
import { createForYouService } from '../../src/services/foryou-service.ts';
import { SearchIndexes } from '../../src/services/search-indexes.ts';
import { openStore } from '../../src/store/db.ts';
import type { BenchDoc } from './arxiv-corpus.ts';

export interface SpeedRow {
  window: string;
  papers: number;
  /** The first call for the window (its papers and vectors not cached yet). */
  firstMs: number;
  p50Ms: number;
  p95Ms: number;
}

function quantile(ms: number[], q: number): number {
  const s = [...ms].sort((a, b) => a - b);
  return Number((s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? 0).toFixed(1));
}

function toInput(
  d: BenchDoc,
): Parameters<Awaited<ReturnType<typeof openStore>>['papers']['upsertMany']>[0][number] {
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

/**
 * Loads the corpus and its vectors into a temporary store, gives a reader 20 saved papers, 2 followed
 * authors, 2 saved searches and a not-interested mark, then times `forYou` for each window.
 * @example const rows = await timeFeeds(docs, vectors, embedder, saved, [['5 days', '2026-06-25']], '2026-06-30');
 */
export async function timeFeeds(
  docs: readonly BenchDoc[],
  vectors: ReadonlyMap<string, Float32Array>,
  embedder: Embedder,
  saved: readonly BenchDoc[],
  windows: readonly (readonly [label: string, since: string])[],
  today: string,
  log: (s: string) => void,
): Promise<SpeedRow[]> {
  const dir = mkdtempSync(join(tmpdir(), 'paperboy-foryou-bench-'));
  const now = (): Date => new Date(`${today}T12:00:00Z`);
  const store = await openStore(join(dir, 'bench.db'), { now });
  try {
    log('loading the corpus and its vectors into a store');
    for (let i = 0; i < docs.length; i += 2000) {
      const batch = docs.slice(i, i + 2000);
      await store.papers.upsertMany(batch.map(toInput));
      await store.vectors.put(
        embedder.model,
        batch.map((d) => ({ paperId: d.id, contentHash: '', vector: vectors.get(d.id) as Float32Array })),
      );
    }
    const user = await store.users.create('bench@example.org', 'Bench', 'x');
    if (!user) throw new Error('no user');
    for (const d of saved) await store.library.save(user.id, d.id, []);
    const fy = createForYouService({
      store,
      indexes: new SearchIndexes(store, { dir: null, approximateAbove: 10_000 }),
      embedder: async () => embedder,
      now,
    });
    for (const a of saved.slice(0, 2).map((d) => d.authors[0] ?? 'Nobody'))
      await fy.follow(user.id, 'author', a);
    await fy.addSavedSearch(user.id, 'diffusion transformer -survey');
    await fy.addSavedSearch(user.id, '"speech recognition" cat:cs.CL');
    await fy.notInterested(user.id, 'author', docs[0]?.authors[0] ?? 'Nobody');
    log('building the indexes (first call)');
    await fy.forYou(user.id, { days: 1, limit: 10 });
    const rows: SpeedRow[] = [];
    for (const [label, since] of windows) {
      const ms: number[] = [];
      let papers = 0;
      let firstMs = 0;
      for (let i = 0; i < 23; i++) {
        const t = performance.now();
        const page = await fy.forYou(user.id, { since, limit: 20 });
        if (i === 0) firstMs = Number((performance.now() - t).toFixed(1));
        if (i >= 3) ms.push(performance.now() - t);
        papers = page.total;
      }
      rows.push({ window: label, papers, firstMs, p50Ms: quantile(ms, 0.5), p95Ms: quantile(ms, 0.95) });
      log(`${label}: ${papers} papers, first ${firstMs} ms, p50 ${quantile(ms, 0.5)} ms`);
    }
    return rows;
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
