// The helper thread for heavy lexical searches (lexical-helper.ts): a real worker thread opens the snapshot file
// and takes parts of each cut search as this thread does, also once the serving index has taken papers in or out since
// (it takes on the removals and statistics); answers equal one thread's, and every way it can be unusable (not
// ready, the lists rewritten, the file gone, closed) leaves searches answered whole.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLexicalIndex, type LexicalIndex } from '../../src/index/lexical/lexical-index.ts';
import { startLexicalHelper, type LexicalHelper } from '../../src/services/search/lexical-helper.ts';
import { SearchIndexes } from '../../src/services/search/search-indexes.ts';
import { createSearchService } from '../../src/services/search/search-service.ts';
import { POLAR_DIM, POLAR_MODEL, polarEmbedder, polarSnapshot } from '../helpers/polar-snapshot.ts';
import { rng } from '../helpers/random.ts';
import { paper, type TempStore } from '../helpers/temp-store.ts';

const dir = mkdtempSync(join(tmpdir(), 'lexical-helper-'));
let env: TempStore;
let good = '';
beforeAll(async () => {
  ({ env, good } = await polarSnapshot());
});
afterAll(() => {
  env.cleanup();
  rmSync(dir, { recursive: true, force: true });
});

const word = (random: () => number): string => `v${Math.floor(random() ** 2 * 60)}q`;

function savedIndex(name: string, papers: number): LexicalIndex {
  const random = rng(papers);
  const text = (n: number): string =>
    Array.from({ length: 1 + Math.floor(random() * n) }, () => word(random)).join(' ');
  const index = createLexicalIndex();
  for (let i = 0; i < papers; i++)
    index.add({
      id: `h-${i}`,
      title: text(6),
      abstract: text(60),
      authors: [],
      categories: [i % 2 === 0 ? 'cs.CL' : 'cs.LG'],
      date: '2025-05-05',
    });
  index.saveAndReopen(join(dir, `${name}.bin`));
  return index;
}

describe('startLexicalHelper', () => {
  let helper: LexicalHelper | null = null;
  afterAll(async () => helper?.close());

  it('answers searches in parts once its thread has the file open: the same lists as one thread', async () => {
    const index = savedIndex('same', 3000);
    helper = startLexicalHelper(index.openedFile ?? '', {}, { minPostings: 1 });
    expect(await helper.whenReady()).toBe(true);
    expect(helper.stats().ready).toBe(true);
    const random = rng(5);
    for (let i = 0; i < 60; i++) {
      const q =
        Array.from({ length: 1 + (i % 4) }, () => word(random)).join(' ') + (i % 5 === 0 ? ' cat:cs.LG' : '');
      for (const k of [1, 10, 100])
        expect(await helper.search(index, q, { k }), q).toEqual(index.search(q, { k }));
    }
    expect(helper.stats().split).toBeGreaterThan(150);
    expect(helper.stats().failed).toBeNull();
    // Both threads took parts (which ones depends on timing; the answers above do not).
    expect(helper.stats().helperParts).toBeGreaterThan(0);
    expect(helper.stats().ownParts).toBeGreaterThan(0);
    // What it reads from the file itself: its warm-up, filter masks (cat:cs.LG above) and lists this thread did
    // not keep yet; the lists this thread keeps are lent to it, so it reads nothing more for words searched here.
    const reads = helper.stats().helperListReads;
    const parts = helper.stats().helperParts;
    for (let i = 0; i < 60; i++) {
      const q = Array.from({ length: 1 + (i % 4) }, () => word(random)).join(' ');
      const whole = index.search(q, { k: 10 });
      expect(await helper.search(index, q, { k: 10 }), q).toEqual(whole);
    }
    expect(helper.stats().helperParts).toBeGreaterThan(parts);
    expect(helper.stats().helperListReads).toBe(reads);

    // Changed since it was opened (papers added, one of them with a word the file never held, and papers removed):
    // still cut, the helper taking on the removals and statistics and this thread answering the added papers.
    const before = helper.stats();
    index.add({
      id: 'late',
      title: 'v0q zzlate',
      abstract: 'v1q',
      authors: [],
      categories: ['cs.CL'],
      date: '2026-01-01',
    });
    for (let i = 0; i < 40; i++) index.remove(`h-${i * 11}`);
    const top = await helper.search(index, 'v0q v1q zzlate', { k: 10 });
    expect(top).toEqual(index.search('v0q v1q zzlate', { k: 10 }));
    expect(top[0]?.[0]).toBe('late');
    for (let round = 0; round < 3; round++) {
      for (let i = 0; i < 40; i++) {
        const q = Array.from({ length: 1 + (i % 4) }, () => word(random)).join(' ');
        for (const k of [1, 10, 100]) {
          const got = await helper.search(index, q, { k });
          expect(got, q).toEqual(index.search(q, { k }));
          expect(got, q).toEqual(index.search(q, { k, prune: false }));
          expect(got.some(([id]) => id === `h-${11 * (i % 40)}`)).toBe(false);
        }
      }
      index.add({
        id: `late-${round}`,
        title: 'v2q v3q',
        abstract: 'v0q',
        authors: [],
        categories: [],
        date: '2026-02-01',
      });
      index.remove(`h-${500 + round}`);
    }
    expect(helper.stats().split).toBeGreaterThan(before.split + 300);
    expect(helper.stats().helperParts).toBeGreaterThan(before.helperParts);
    expect(helper.stats().failed).toBeNull();

    await helper.close();
    const again = savedIndex('closed', 500);
    expect(await helper.search(again, 'v0q', { k: 5 })).toEqual(again.search('v0q', { k: 5 }));
  });

  it('says why when its thread cannot open the file, and searches are answered whole', async () => {
    const index = savedIndex('gone', 400);
    const reasons: string[] = [];
    const broken = startLexicalHelper(
      join(dir, 'no-such.bin'),
      {},
      { minPostings: 1, onFailed: (r) => reasons.push(r) },
    );
    expect(await broken.whenReady()).toBe(false);
    expect(reasons).toHaveLength(1);
    expect(reasons[0]).toMatch(/no-such\.bin|ENOENT/);
    expect(broken.stats()).toMatchObject({ ready: false, split: 0 });
    expect(await broken.search(index, 'v1q v2q', { k: 10 })).toEqual(index.search('v1q v2q', { k: 10 }));
    await broken.close();
  });
});

describe('SearchIndexes.splitLexicalSearches', () => {
  it("cuts serve's lexical and hybrid searches in parts and answers as without it", async () => {
    const open = async (): Promise<SearchIndexes> => {
      const ix = new SearchIndexes(env.store, { dir: good, approximateAbove: 50 });
      await ix.open();
      await ix.useModel(POLAR_MODEL, POLAR_DIM);
      return ix;
    };
    const service = (ix: SearchIndexes) =>
      createSearchService({
        store: env.store,
        indexes: ix,
        embedder: async () => polarEmbedder,
        semanticWeight: undefined,
        similarWeight: 0.5,
        depth: 100,
        embedTimeoutMs: 5000,
      });
    const split = await open();
    const whole = await open();
    expect(split.lexicalHelperStats()).toBeNull();
    split.splitLexicalSearches({ minPostings: 1 });
    expect(await split.lexicalHelperReady()).toBe(true);
    expect(split.lexicalHelperStats()?.file).toBe(split.lexical.openedFile);
    const a = service(split);
    const b = service(whole);
    for (const q of ['walrus krill', 'seal orca narwhal', 'polar seas study cat:cs.CL'])
      for (const mode of ['lexical', 'hybrid'] as const) {
        const ids = async (s: typeof a) =>
          (await s.search(q, { k: 20, mode })).hits.map((h) => [h.paper.id, h.score]);
        expect(await ids(a), `${q} (${mode})`).toEqual(await ids(b));
      }
    expect(split.lexicalHelperStats()?.split).toBeGreaterThanOrEqual(6);
    await a.close();
    expect(split.lexicalHelperStats()).toBeNull();
    await b.close();
  });

  it('cuts once an index built in memory is saved, goes on when the store changes it, and cuts from the new file once saved', async () => {
    const ix = new SearchIndexes(env.store, { dir: join(env.dir, 'split-save'), approximateAbove: 50 });
    await ix.open();
    ix.splitLexicalSearches({ minPostings: 1 });
    const search = (q: string) => ix.searchLexical(q, { k: 10 });
    // Built from the store in memory: no file for a helper to open until the first save.
    expect(ix.lexical.openedFile).toBeNull();
    expect(ix.lexicalHelperStats()).toBeNull();
    expect(await ix.lexicalHelperReady()).toBe(false);
    ix.save();
    expect(await ix.lexicalHelperReady()).toBe(true);
    await search('walrus krill');
    const cut = ix.lexicalHelperStats()?.split ?? 0;
    expect(cut).toBe(1);

    await env.store.papers.upsertMany([
      paper({ arxivId: '2502.00001', title: 'walrus krill census', abstract: 'Counting walrus and krill.' }),
    ]);
    await ix.sync();
    expect(ix.lexical.openedFile).toBeNull();
    const first = ix.lexical.splitFile;
    expect(first).not.toBeNull();
    const changed = await search('walrus krill');
    expect(changed.map(([id]) => id)).toContain('2502.00001');
    expect(changed).toEqual(ix.lexical.search('walrus krill', { k: 10 }));
    // Still cut by the same helper: the new paper answered here, the file's papers shared.
    expect(ix.lexicalHelperStats()?.split).toBe(cut + 1);
    expect(ix.lexicalHelperStats()?.file).toBe(first);

    // A save that writes the lexical file whole: the index now reads the new generation's file, and a helper
    // opens it.
    ix.save();
    const file = ix.lexical.openedFile;
    expect(file).toMatch(/split-save.*lexical\.bin$/);
    expect(await ix.lexicalHelperReady()).toBe(true);
    expect(ix.lexicalHelperStats()?.file).toBe(file);
    expect(await search('walrus krill')).toEqual(changed);
    expect(ix.lexicalHelperStats()?.split).toBe(1);
    await ix.closeLexicalHelper();
  });
});
