// Scoring given candidates by seeking postings gives exactly the scores exhaustive search gives them; similar
// papers ranked from candidates equal the whole-index ranking when the candidates hold every lexical match.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ScoredId } from '../../src/domain/index.ts';
import {
  createLexicalIndex,
  loadLexicalIndex,
  openLexicalIndex,
  type LexicalDoc,
  type LexicalIndex,
} from '../../src/index/lexical/lexical-index.ts';
import { moreLikeThisQuery, plainQuery } from '../../src/index/lexical/query.ts';
import { rankSimilar } from '../../src/services/search/similar-ranking.ts';
import { rng } from '../helpers/random.ts';

const SYLLABLES = ['ba', 'ke', 'mo', 'ri', 'su', 'te', 'vy', 'no', 'pa', 'di', 'go', 'ze'];

/** Made-up words, the first ones far more common (a cubed draw), so some lists span many posting blocks. */
function wordDraw(random: () => number): () => string {
  const vocab = Array.from(
    { length: 400 },
    (_, i) => `${SYLLABLES[i % 12] ?? 'ba'}${SYLLABLES[Math.floor(i / 12) % 12] ?? 'ke'}${i % 5}q`,
  );
  return () => vocab[Math.floor(random() ** 3 * vocab.length)] ?? 'bakeq';
}

function makeDocs(seed: number, size: number, prefix = 'c'): LexicalDoc[] {
  const random = rng(seed);
  const draw = wordDraw(random);
  const words = (n: number): string => Array.from({ length: n }, draw).join(' ');
  return Array.from(
    { length: size },
    (_, i): LexicalDoc => ({
      id: `${prefix}-${i}`,
      title: words(3 + Math.floor(random() * 8)),
      abstract: words(20 + Math.floor(random() * 100)),
      authors: ['Ana Souza'],
      categories: ['cs.LG'],
      date: '2025-05-01',
    }),
  );
}

/** Exhaustive scores of every document for `query`, restricted to `ids`, in search's order. */
function exhaustiveAmong(
  index: LexicalIndex,
  query: ReturnType<typeof plainQuery>,
  ids: Set<string>,
  terms: number,
) {
  return index.search(query, { k: 10_000, prune: false, longTerms: terms }).filter(([id]) => ids.has(id));
}

function sampleIds(random: () => number, docs: readonly LexicalDoc[], n: number): Set<string> {
  const ids = new Set<string>();
  while (ids.size < n) ids.add(docs[Math.floor(random() * docs.length)]?.id ?? '');
  return ids;
}

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('LexicalIndex.scoreAmong', () => {
  const docs = makeDocs(7, 2500);
  const built = createLexicalIndex();
  for (const d of docs) built.add(d);
  built.compact();

  it('gives each candidate the exhaustive score, bit for bit, best first, leaving out non-matching ones', () => {
    const random = rng(11);
    let compared = 0;
    for (let round = 0; round < 40; round++) {
      const source = docs[Math.floor(random() * docs.length)] as LexicalDoc;
      const query = moreLikeThisQuery(source.title, source.abstract);
      const terms = [4, 12, 32][round % 3] ?? 12;
      const ids = sampleIds(random, docs, 1 + Math.floor(random() * 300));
      ids.add('not-indexed');
      const got = built.scoreAmong(query, ids, { longTerms: terms });
      const want = exhaustiveAmong(built, query, ids, terms);
      expect(got).toEqual(want);
      compared += got.length;
    }
    // Most candidates match some term: the comparison is not of empty lists.
    expect(compared).toBeGreaterThan(1000);
  });

  it('agrees with exhaustive scoring on a snapshot read from its file, and on papers added since', () => {
    const dir = mkdtempSync(join(tmpdir(), 'paperboy-cand-'));
    dirs.push(dir);
    const path = join(dir, 'lexical.bin');
    built.saveTo(path);
    const opened = openLexicalIndex(path, { verify: false });
    const later = makeDocs(8, 300, 'later');
    for (const d of later) opened.add(d); // unsealed tail postings beside the file's lists
    opened.remove('c-5');
    const all = [...docs, ...later];
    const random = rng(12);
    for (let round = 0; round < 20; round++) {
      const source = all[Math.floor(random() * all.length)] as LexicalDoc;
      const query = moreLikeThisQuery(source.title, source.abstract);
      const ids = sampleIds(random, all, 200);
      ids.add('c-5');
      const got = opened.scoreAmong(query, ids, { longTerms: 12 });
      expect(got).toEqual(exhaustiveAmong(opened, query, ids, 12));
      expect(got.map(([id]) => id)).not.toContain('c-5');
    }
  });

  it('honours the query filters as search does', () => {
    const index = loadLexicalIndex(built.serialize());
    const ids = new Set(docs.slice(0, 400).map((d) => d.id));
    const word = docs[0]?.title.split(' ')[0] ?? '';
    expect(index.scoreAmong(`${word} cat:cs.CV`, ids)).toEqual([]);
    const kept = index.scoreAmong(`${word} cat:cs.LG`, ids);
    expect(kept.length).toBeGreaterThan(0);
    expect(kept).toEqual(index.search(`${word} cat:cs.LG`, { k: 10_000 }).filter(([id]) => ids.has(id)));
  });
});

describe('rankSimilar', () => {
  const docs = makeDocs(21, 1500);
  const index = createLexicalIndex();
  for (const d of docs) index.add(d);
  /** A stand-in cosine: any fixed number per paper does, as both rankings are given the same. */
  const cosineOf = (id: string): number => ((Number(id.split('-')[1]) * 7919) % 1000) / 1000;
  const cosines = (ids: readonly string[]): number[] => ids.map(cosineOf);
  const nearOf = (self: string, n: number): ScoredId[] =>
    docs
      .map((d): ScoredId => [d.id, cosineOf(d.id)])
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .concat([[self, 1]]);

  it('ranks as the whole-index search does when the seed finds every paper matching the scored terms', () => {
    for (const source of docs.slice(0, 30)) {
      const paper = { id: source.id, title: source.title, abstract: source.abstract };
      const near = nearOf(paper.id, 51);
      const opts = { n: 2000, weight: 0.9, cosines, terms: 4 };
      const full = rankSimilar(paper, index, near, { ...opts, lexical: 'full' });
      // A seed of every term (the rarest 256) and every match: a superset of the four scored terms' matches.
      const fromCandidates = rankSimilar(paper, index, near, { ...opts, seed: { terms: 256, k: 2000 } });
      expect(fromCandidates).toEqual(full);
      expect(full.map(([id]) => id)).not.toContain(paper.id);
    }
  });

  it('scores the neighbours and seed papers exactly, never the paper itself; without neighbours, lexical alone', () => {
    const source = docs[3] as LexicalDoc;
    const paper = { id: source.id, title: source.title, abstract: source.abstract };
    const near = nearOf(paper.id, 20);
    const ranked = rankSimilar(paper, index, near, { n: 20, weight: 0.9, cosines, seed: { terms: 2, k: 5 } });
    const ids = ranked.map(([id]) => id);
    expect(ids).not.toContain(paper.id);
    // Every neighbour is listed, and at most the seed's five papers beside them.
    for (const [id] of near) if (id !== paper.id) expect(ids).toContain(id);
    expect(ids.length).toBeLessThanOrEqual(20 + 5);
    const alone = rankSimilar(paper, index, [], { n: 10, weight: 0.9, cosines });
    const query = moreLikeThisQuery(paper.title, paper.abstract);
    expect(alone).toEqual(index.search(query, { k: 11, longTerms: 12 }).filter(([id]) => id !== paper.id));
  });
});

describe('longTermsBy rarest', () => {
  it('scores a long query on its rarest terms however often the text repeats a commoner one', () => {
    const index = createLexicalIndex();
    const docs = [
      { id: 'a', title: 'common zephyr', abstract: 'common common words here' },
      { id: 'b', title: 'common', abstract: 'common text about things' },
      { id: 'c', title: 'common', abstract: 'common other matter' },
      { id: 'd', title: 'other', abstract: 'unrelated words' },
    ];
    const filler = Array.from({ length: 20 }, (_, i) => ({
      id: `f${i}`,
      title: 'filler',
      abstract: 'nothing',
    }));
    for (const d of [...docs, ...filler]) index.add({ ...d, authors: [], categories: [], date: null });
    const query = plainQuery(`${'common '.repeat(8)}zephyr`, { long: true });
    // By (1 + ln qtf) · idf the eight-times "common" wins the one term; by idf alone the rare "zephyr" does.
    expect(
      index
        .search(query, { k: 10, longTerms: 1 })
        .map(([id]) => id)
        .sort(),
    ).toEqual(['a', 'b', 'c']);
    expect(index.search(query, { k: 10, longTerms: 1, longTermsBy: 'rarest' }).map(([id]) => id)).toEqual([
      'a',
    ]);
  });
});
