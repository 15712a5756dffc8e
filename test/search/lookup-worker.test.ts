// Spelling and suggestion tables on a worker thread: the answers of tables built here, kept in step, never read here.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { SearchIndexes } from '../../src/services/search/search-indexes.ts';
import { createSearchLookup } from '../../src/services/search/search-lookup.ts';
import { createPostgresStore } from '../../src/store/postgres/pg-store.ts';
import type { Store } from '../../src/store/store.ts';
import { SEARCH_CORPUS } from '../fixtures/search-corpus.ts';
import { createTestDatabase } from '../helpers/postgres.ts';
import { paper, tempStore } from '../helpers/temp-store.ts';
import { describePostgres } from '../contract/engines.ts';

const QUERIES = [
  'di',
  'diffusion mod',
  'graph neu',
  'chen',
  'wei ch',
  'cs.c',
  'computation and lang',
  'sparse retr',
];
const WORDS = ['difusion', 'grpah', 'retreival', 'diffusion', 'laplacain', 'qqqqq'];

/** Stands in for the search indexes' change log: `fire` is what a sync that found changes tells listeners. */
function changeLog(): { indexes: SearchIndexes; fire(ids: readonly string[] | null): void } {
  const listeners: ((ids: readonly string[] | null) => void)[] = [];
  return {
    indexes: {
      onPapersChanged: (l: (ids: readonly string[] | null) => void) => listeners.push(l),
    } as unknown as SearchIndexes,
    fire: (ids) => listeners.forEach((l) => l(ids)),
  };
}

async function addCorpus(store: Store): Promise<void> {
  await store.papers.upsertMany(
    SEARCH_CORPUS.map((d, i) =>
      paper({
        arxivId: `2501.${String(i + 1).padStart(5, '0')}`,
        title: d.title,
        abstract: d.abstract,
        authors: [...d.authors],
        categories: [...d.categories],
      }),
    ),
  );
}

/** Counts this thread's full scans of the store (the worker has its own connection). */
function countScans(store: Store): () => number {
  const real = store.papers.scan.bind(store.papers);
  let scans = 0;
  (store.papers as { scan: typeof real }).scan = (size) => (scans++, real(size));
  return () => scans;
}

function suite(open: () => Promise<{ store: Store; url: string; cleanup(): Promise<void> }>): void {
  it('answers exactly as tables built on this thread, without scanning the store on this thread', async () => {
    const t = await open();
    const failed: string[] = [];
    const inWorker = createSearchLookup(t.store, changeLog().indexes, {
      databaseUrl: t.url,
      onWorkerFailed: (r) => failed.push(r),
    });
    try {
      await addCorpus(t.store);
      const scans = countScans(t.store);
      // Not built, not asked to wait: no answer yet (a search then offers no correction).
      expect(await inWorker.spelling(WORDS, false)).toBeNull();
      const fromWorker = [];
      for (const q of QUERIES) fromWorker.push(await inWorker.suggest(q));
      const spelled = await inWorker.spelling(WORDS, true);
      expect(scans()).toBe(0);
      // Ready once the worker's tables answer: a spelling not asked to wait answers from then on.
      await inWorker.ready();
      expect(await inWorker.spelling(['grpah'], false)).not.toBeNull();
      const here = createSearchLookup(t.store, changeLog().indexes);
      expect(await here.spelling(WORDS, false)).toBeNull();
      await here.ready();
      expect(await here.spelling(WORDS, false)).not.toBeNull();
      for (const [i, q] of QUERIES.entries()) expect(fromWorker[i], q).toEqual(await here.suggest(q));
      expect(fromWorker.flat().length).toBeGreaterThan(10);
      const local = await here.spelling(WORDS, true);
      for (const w of WORDS) {
        expect(spelled?.correct(w), w).toBe(local?.correct(w));
        expect(spelled?.count(w), w).toBe(local?.count(w));
      }
      expect(spelled?.correct('difusion')).toBe('diffusion');
      expect(await inWorker.spelling(['grpah'], false)).not.toBeNull();
      expect(failed).toEqual([]);
    } finally {
      await inWorker.close();
      await t.cleanup();
    }
  }, 60_000);

  it('keeps in step with papers written after the build, and rebuilds when the indexes do', async () => {
    const t = await open();
    const log = changeLog();
    const lookup = createSearchLookup(t.store, log.indexes, { databaseUrl: t.url });
    try {
      await addCorpus(t.store);
      lookup.warm();
      expect(await lookup.suggest('zyxomorph')).toEqual([]);
      await t.store.papers.upsertMany([
        paper({
          arxivId: '2601.00001',
          title: 'Zyxomorphic tilings of the plane',
          authors: ['Quentin Ozymandias'],
        }),
      ]);
      log.fire(['2601.00001']);
      expect((await lookup.suggest('zyxomorph')).map((s) => s.label)).toEqual([
        'Zyxomorphic tilings of the plane',
      ]);
      expect((await lookup.suggest('ozyman')).map((s) => s.kind)).toEqual(['author']);
      await t.store.papers.upsertMany([paper({ arxivId: '2601.00002', title: 'Xylotomous beetles' })]);
      log.fire(null);
      // Rebuilding: not ready until the rebuilt tables answer, and a spelling not asked to wait gets none meanwhile.
      expect(await lookup.spelling(['xylotom'], false)).toBeNull();
      await lookup.ready();
      expect(await lookup.spelling(['xylotom'], false)).not.toBeNull();
      expect((await lookup.suggest('xylotom')).map((s) => s.value)).toEqual(['2601.00002']);
    } finally {
      await lookup.close();
      await t.cleanup();
    }
  }, 60_000);
}

describe('lookup tables on a worker thread (sqlite)', () => {
  suite(async () => {
    const t = await tempStore();
    return { store: t.store, url: t.path, cleanup: () => t.cleanup() };
  });

  it('builds them on this thread instead, and says so, when the worker cannot open the store', async () => {
    const t = await tempStore();
    const failed: string[] = [];
    // A folder is no database: the worker's store fails to open.
    const lookup = createSearchLookup(t.store, changeLog().indexes, {
      databaseUrl: join(t.dir, '.'),
      onWorkerFailed: (r) => failed.push(r),
    });
    try {
      await addCorpus(t.store);
      // Ready once this thread's tables answer, after the worker failed.
      await lookup.ready();
      expect(failed).toHaveLength(1);
      expect(await lookup.spelling(['difusion'], false)).not.toBeNull();
      expect((await lookup.suggest('graph neu')).length).toBeGreaterThan(0);
      expect(failed).toHaveLength(1);
      expect(failed[0]).toMatch(/Cannot open SQLite database/);
      expect((await lookup.spelling(['difusion'], true))?.correct('difusion')).toBe('diffusion');
    } finally {
      await lookup.close();
      await t.cleanup();
    }
  }, 60_000);
});

describePostgres('lookup tables on a worker thread (postgres)', () => {
  suite(async () => {
    const db = await createTestDatabase();
    const store = await createPostgresStore(db.url, () => new Date());
    return {
      store,
      url: db.url,
      async cleanup() {
        await store.close();
        await db.drop();
      },
    };
  });
});
