// A word-only search that surely fills its depth asks the index for its page alone (LexicalIndex.surelyMatches):
// the proof holds (the search then finds that many), a search's top k is the start of its deeper top, ties
// included, and the search service answers the same page, count and "more" either way.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  createLexicalIndex,
  openLexicalIndex,
  type LexicalDoc,
  type LexicalIndex,
} from '../../src/index/lexical/lexical-index.ts';
import type { Bm25fOverrides } from '../../src/index/lexical/bm25f-options.ts';
import { topicCorpus } from '../fixtures/topic-corpus.ts';
import { rng } from '../helpers/random.ts';
import {
  CATEGORY_EXTRA,
  EXCLUSION_EXTRA,
  SINCE_EXTRA,
  skewedPapers,
  skewedQuery,
  skewedWord,
} from '../helpers/skewed-corpus.ts';
import { webEnv, type ReaderEnv } from '../helpers/reader-env.ts';

const dir = mkdtempSync(join(tmpdir(), 'page-depth-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function papers(seed: number, n: number): LexicalDoc[] {
  return skewedPapers(seed, n, {
    titleWords: 6,
    abstractWords: 60,
    twins: 80,
    idPrefix: 'p',
    authors: (i) => [i % 2 === 0 ? 'Ana Souza' : 'Wei Zhang'],
  });
}

/** Mostly word-only queries (what the proof is for), some with a filter, phrase or exclusion (never proved). */
function query(random: () => number): string {
  return skewedQuery(random, 4, [
    CATEGORY_EXTRA(0.1),
    SINCE_EXTRA(0.05),
    EXCLUSION_EXTRA(0.05),
    [0.05, (r) => `"${skewedWord(r)} ${skewedWord(r)}"`],
    [0.05, () => 'author:souza'],
  ]);
}

function built(docs: LexicalDoc[], name: string, options: Bm25fOverrides = {}): LexicalIndex[] {
  const here = createLexicalIndex(options);
  for (const d of docs) here.add(d);
  const memory = createLexicalIndex(options);
  for (const d of docs) memory.add(d);
  const file = join(dir, `${name}.bin`);
  here.saveAndReopen(file);
  return [memory, here, openLexicalIndex(file, { bm25f: options })];
}

describe('surelyMatches', () => {
  const docs = papers(3, 2500);
  // The default weights, and a title weighted 0 (a word only in a title then scores 0, and must still match).
  const indexes = [
    ...built(docs, 'default'),
    ...built(docs, 'no-title', { fields: { title: { weight: 0 } } }),
  ];

  it('is true only when the search finds that many, and for most word-only queries of common words', () => {
    const random = rng(5);
    let proved = 0;
    let unproved = 0;
    for (let i = 0; i < 150; i++) {
      const q = query(random);
      for (const n of [1, 20, 100, 400, 2000]) {
        for (const index of indexes) {
          const filters = random() < 0.1 ? { since: '2025-03-01' } : {};
          if (index.surelyMatches(q, { filters }, n)) {
            proved++;
            expect(index.search(q, { k: n, filters }), `${q} (n=${n})`).toHaveLength(n);
            expect(Object.keys(filters)).toHaveLength(0);
          } else unproved++;
        }
      }
    }
    expect(proved).toBeGreaterThan(1000);
    expect(unproved).toBeGreaterThan(500);
  });

  it('proves nothing when a field weighs 0 (a word only there scores 0, and is left out)', () => {
    const zero = indexes.slice(3);
    for (const index of zero) expect(index.surelyMatches('w1x', {}, 1)).toBe(false);
    // Why: a paper holding the word only in its title is in the word's list but not in the answer.
    const titleOnly = docs.filter(
      (d) => d.title.split(' ').includes('w1x') && !d.abstract.split(' ').includes('w1x'),
    );
    expect(titleOnly.length).toBeGreaterThan(0);
    const found = new Set(zero[0]!.search('w1x', { k: 1000 }).map(([id]) => id));
    expect(titleOnly.some((d) => !found.has(d.id))).toBe(true);
  });

  it('never proves a query that restricts which papers match', () => {
    const [index] = indexes;
    const common = 'w0x w1x';
    expect(index!.surelyMatches(common, {}, 50)).toBe(true);
    for (const extra of ['cat:cs.CL', 'since:2025-06', '-w2x', '"w0x w1x"', 'author:souza', 'has:code'])
      expect(index!.surelyMatches(`${common} ${extra}`, {}, 1), extra).toBe(false);
    expect(index!.surelyMatches(common, { filters: { categories: ['cs.CL'] } }, 1)).toBe(false);
    expect(index!.surelyMatches(common, { filters: { before: '2025-06-01' } }, 1)).toBe(false);
    // A word in no paper proves nothing; nor does asking for more papers than the index holds.
    expect(index!.surelyMatches('zzzunseen', {}, 1)).toBe(false);
    expect(index!.surelyMatches(common, {}, index!.size + 1)).toBe(false);
  });

  it('counts only live papers after removals', () => {
    const index = createLexicalIndex();
    for (const d of docs.slice(0, 300)) index.add(d);
    const word = 'w0x';
    const holders = index.search(word, { k: 300 }).map(([id]) => id);
    const n = holders.length;
    expect(n).toBeGreaterThan(20);
    expect(index.surelyMatches(word, {}, n)).toBe(true);
    expect(index.surelyMatches(word, {}, n + 1)).toBe(false);
    for (const id of holders.slice(0, 5)) index.remove(id);
    expect(index.surelyMatches(word, {}, n - 4)).toBe(false);
    expect(index.surelyMatches(word, {}, n - 5)).toBe(true);
    expect(index.search(word, { k: n - 5 })).toHaveLength(n - 5);
  });
});

describe('a top k', () => {
  it('is the start of the deeper top, ties included, in memory and from a file', () => {
    const [memory, here, there] = built(papers(9, 3000), 'prefix');
    const random = rng(17);
    let tiedAtCut = 0;
    for (let i = 0; i < 120; i++) {
      const q = query(random);
      for (const index of [memory!, here!, there!]) {
        const deep = index.search(q, { k: 100 });
        for (const k of [1, 10, 20, 40]) {
          expect(index.search(q, { k }), `${q} (k=${k})`).toEqual(deep.slice(0, k));
          const cut = deep[k - 1]?.[1];
          if (cut !== undefined && deep[k]?.[1] === cut) tiedAtCut++;
        }
      }
    }
    // The twins put equal scores across the cut of some top k: the lower document stayed first.
    expect(tiedAtCut).toBeGreaterThan(0);
  });
});

describe('the search service asks for the page alone', () => {
  let env: ReaderEnv;
  beforeAll(async () => {
    env = await webEnv({ SEARCH_DEPTH: '10' });
    await env.addPapers(topicCorpus(10).papers);
    await env.services.search.search('warm up', { mode: 'lexical' });
  });
  afterAll(async () => {
    vi.restoreAllMocks();
    await env.cleanup();
  });

  it('answers the page, count and "more" as a full-depth search, asking only for the page', async () => {
    const indexes = env.services.searchIndexes;
    const asked = vi.spyOn(indexes, 'searchLexical');
    const common = indexes.lexical.commonTerms(3);
    expect(common.length).toBe(3);
    for (const [q, offset, k] of [
      [common[0]!, 0, 3],
      [common[1]!, 3, 3],
      [`${common[0]!} ${common[2]!}`, 2, 5],
    ] as const) {
      expect(indexes.lexical.surelyMatches(q, {}, 10)).toBe(true);
      asked.mockClear();
      const paged = await env.services.search.search(q, { mode: 'lexical', k, offset });
      expect(asked.mock.calls.map(([, o]) => o?.k)).toEqual([offset + k]);
      expect(paged.total).toBe(10);
      expect(paged.more).toBe(true);
      expect(paged.hits).toHaveLength(k);
      // The same search made to ask for the whole depth.
      const proof = vi.spyOn(indexes.lexical, 'surelyMatches').mockReturnValue(false);
      asked.mockClear();
      const deep = await env.services.search.search(q, { mode: 'lexical', k, offset });
      expect(asked.mock.calls.map(([, o]) => o?.k)).toEqual([10]);
      proof.mockRestore();
      expect(paged).toEqual(deep);
    }
    asked.mockRestore();
  });

  it('keeps the depth where it matters: few matches, a filter, newest first, hybrid', async () => {
    const indexes = env.services.searchIndexes;
    const asked = vi.spyOn(indexes, 'searchLexical');
    const common = indexes.lexical.commonTerms(1)[0]!;
    const cases = [
      { q: common, req: { mode: 'lexical' as const, k: 3, sort: 'newest' as const } },
      { q: `${common} cat:cs.LG`, req: { mode: 'lexical' as const, k: 3 } },
      { q: common, req: { mode: 'hybrid' as const, k: 3 } },
    ];
    for (const { q, req } of cases) {
      asked.mockClear();
      await env.services.search.search(q, req);
      expect(asked.mock.calls[0]?.[1]?.k, `${q} ${JSON.stringify(req)}`).toBe(10);
    }
    // A word in fewer papers than the depth: all of them are counted, and there is no "more".
    const words = topicCorpus(10).papers.flatMap((p) => p.abstract.toLowerCase().split(/[^a-z]+/));
    const rare = words.find((w) => {
      const n = indexes.lexical.search(w, { k: 10 }).length;
      return w.length > 3 && n > 3 && n < 10;
    });
    expect(rare).toBeDefined();
    asked.mockClear();
    const few = await env.services.search.search(rare!, { mode: 'lexical', k: 3, correct: false });
    expect(asked.mock.calls[0]?.[1]?.k).toBe(10);
    expect(few.total).toBe(indexes.lexical.search(rare!, { k: 10 }).length);
    expect(few.more).toBe(false);
    expect(few.hits).toHaveLength(3);
    asked.mockRestore();
  });
});
