// Search through the full service path gives the same top 10 on both engines for the golden queries:
// the in-process index is built from each engine's store and change log, so the engine must not matter.
import { expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { createServices } from '../../src/services/services.ts';
import { createPostgresStore } from '../../src/store/postgres/pg-store.ts';
import type { Store } from '../../src/store/store.ts';
import { SEARCH_CORPUS } from '../fixtures/search-corpus.ts';
import { createTestDatabase } from '../helpers/postgres.ts';
import { TEST_SECRET } from '../helpers/reader-env.ts';
import { paper, tempStore } from '../helpers/temp-store.ts';
import { describePostgres } from './engines.ts';

/** fx-07 → 2501.00007, so the invented papers get arXiv ids. */
const arxivOf = (fx: string): string => `2501.000${fx.slice(3)}`;

const QUERIES: [query: string, top: string | null][] = [
  ['latent diffusion image generation', 'fx-01'],
  ['one-step diffusion sampling', 'fx-02'],
  ['GPT-4 chemistry', 'fx-03'],
  ['hallucination retrieval augmented generation', 'fx-05'],
  ['graph neural network molecules', 'fx-06'],
  ['speech recognition low-resource', 'fx-08'],
  ['quadruped sim-to-real', 'fx-10'],
  ['mixture of experts scaling', 'fx-14'],
  ['bm25 sparse retrieval', 'fx-19'],
  ['Nahuatl translation', 'fx-23'],
  ['diffusion', null],
  ['muller', null],
  ['"graph laplacian" spectrum', null],
  ['diffusion cat:cs.CV since:2025-06', null],
  ['model -diffusion', null],
  ['author:chen', null],
  ['2501.00011', 'fx-11'],
];

async function top10(store: Store, url: string): Promise<string[][]> {
  await store.papers.upsertMany(
    SEARCH_CORPUS.map((d) =>
      paper({
        arxivId: arxivOf(d.id),
        title: d.title,
        abstract: d.abstract,
        authors: [...d.authors],
        categories: [...d.categories],
        published: d.date,
        announced: d.date,
      }),
    ),
  );
  const config = loadConfig({ DATABASE_URL: url, PAPERBOY_SECRET: TEST_SECRET, LOG_LEVEL: 'silent' });
  const services = createServices(store, config);
  await services.searchIndexes.open();
  const out: string[][] = [];
  for (const [q] of QUERIES) {
    const r = await services.search.search(q, { k: 10, mode: 'lexical' });
    out.push(r.hits.map((h) => h.paper.id));
  }
  await services.close();
  return out;
}

describePostgres('search (sqlite and postgres)', () => {
  it('answers the golden queries with the same top 10 on both engines', async () => {
    const sqlite = await tempStore();
    const a = await top10(sqlite.store, sqlite.path);
    await sqlite.cleanup().catch(() => undefined);
    const db = await createTestDatabase();
    try {
      const b = await top10(await createPostgresStore(db.url, () => new Date()), db.url);
      expect(b).toEqual(a);
    } finally {
      await db.drop();
    }
    QUERIES.forEach(([q, top], i) => {
      expect(a[i]?.length ?? 0, q).toBeGreaterThan(0);
      if (top !== null) expect(a[i]?.[0], q).toBe(arxivOf(top));
    });
  }, 60_000);
});
