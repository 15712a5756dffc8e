// The count-only match (trends): the dates `matchDates` gives are exactly those of the papers search lists,
// for every query shape (phrases of every shape included), finding them scores no posting, and a phrase is
// checked word by word on few of the papers that hold its words.
import { describe, expect, it, vi } from 'vitest';
import * as scorer from '../../src/index/lexical/bm25f-scorer.ts';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createLexicalIndex,
  loadLexicalIndex,
  MAX_K,
  openLexicalIndex,
  type LexicalDoc,
  type LexicalIndex,
} from '../../src/index/lexical/lexical-index.ts';
import { ForwardStore } from '../../src/index/lexical/forward-store.ts';
import { analyze } from '../../src/index/lexical/tokenizer.ts';
import { SEARCH_CORPUS } from '../fixtures/search-corpus.ts';

// Every BM25F scoring path (term-at-a-time, MaxScore cursors, impact bounds) goes through these three.
vi.mock('../../src/index/lexical/bm25f-scorer.ts', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../src/index/lexical/bm25f-scorer.ts')>();
  return {
    ...real,
    addTermScores: vi.fn(real.addTermScores),
    postingScore: vi.fn(real.postingScore),
    unitPostingScore: vi.fn(real.unitPostingScore),
  };
});

const WORDS = 'graph neural network diffusion model image robot policy language speech data learning'.split(
  ' ',
);
const CATS = ['cs.CV', 'cs.CL', 'cs.LG', 'cs.RO'];

/** A generated corpus: a seeded stream of words, so most queries match many papers in many weeks. */
function generated(n: number, seed: number): LexicalDoc[] {
  let s = seed;
  const next = (m: number): number => {
    // The high bits: the low bits of this generator cycle fast (they gave only three of the twelve words).
    s = (Math.imul(s, 1103515245) + 12345) & 0x7fffffff;
    return (s >>> 16) % m;
  };
  const words = (k: number): string => Array.from({ length: k }, () => WORDS[next(WORDS.length)]!).join(' ');
  return Array.from({ length: n }, (_, i) => ({
    id: `g-${seed}-${i}`,
    title: words(3 + next(4)),
    abstract: `${words(10 + next(20))}.`,
    authors: [`Author ${next(9)}`, `Writer ${WORDS[next(WORDS.length)]}`],
    categories: [CATS[next(CATS.length)]!, ...(next(3) === 0 ? [CATS[next(CATS.length)]!] : [])],
    date: next(20) === 0 ? null : `2026-0${1 + next(6)}-${String(1 + next(28)).padStart(2, '0')}`,
  }));
}

const SHAPES = [
  'graph', // one word
  'robot policy', // two words (OR)
  'diffusion model image', // three words
  '"neural network"', // a phrase
  'network -graph', // a word, an excluded word
  'language -"speech data"', // an excluded phrase
  'model cat:cs.CV', // a category filter
  'model -cat:cs.RO', // an excluded category
  'learning author:"Writer graph"', // an author
  'image since:2026-03-01 before:2026-05-01', // a date window
  '"graph neural" data cat:cs.LG -robot', // everything at once
  'writer', // a word in the authors field only (for most papers)
  'zebra', // unknown
  'cat:cs.CL', // filters only
  '"graph graph"', // a phrase repeating its word
  '"model model image"', // a repeated word, then another
  '"neural"', // a one-word phrase
  '"graph neural network"', // three words
  'image "neural network"', // a word and a phrase
  '"neural network" "diffusion model"', // two phrases
  '"neural network" cat:cs.CV since:2026-02-01', // a phrase and filters
  '"robot policy" -"policy data" -cat:cs.LG', // a phrase, an excluded phrase and category
  '"writer graph"', // a phrase in the authors field
  '"graph speech"', // a title's last word and an abstract's first: across a field boundary
  '"neural zebra"', // a phrase with an unknown word
];

/** Papers whose phrases lie at field edges: a phrase must not run from one field into the next. */
const EDGES: LexicalDoc[] = [
  {
    id: 'e-1',
    title: 'Robot policy graph',
    abstract: 'Speech data for learning.',
    authors: ['Ann Network'],
    categories: ['cs.RO'],
    date: '2026-02-02',
  },
  {
    id: 'e-2',
    title: 'Graph speech',
    abstract: 'Learning network models; graph speech again.',
    authors: ['Bo Policy'],
    categories: ['cs.CL'],
    date: '2026-03-03',
  },
];

/** Dates of what search lists, sorted (k large enough to list every match). */
function searchedDates(index: LexicalIndex, docs: readonly LexicalDoc[], q: string): number[] {
  const date = new Map(docs.map((d) => [d.id, Number((d.date ?? '0').replaceAll('-', ''))]));
  return index
    .search(q, { k: MAX_K })
    .map(([id]) => date.get(id) ?? -1)
    .sort((a, b) => a - b);
}

const sorted = (xs: Int32Array): number[] => [...xs].sort((a, b) => a - b);

function build(docs: readonly LexicalDoc[], weights?: { authors: number }): LexicalIndex {
  const index = createLexicalIndex(
    weights === undefined ? {} : { fields: { authors: { weight: weights.authors } } },
  );
  const half = Math.floor(docs.length / 2);
  for (const d of docs.slice(0, half)) index.add(d);
  index.compact(); // the first half sealed, the second in the growable tail: both paths read
  for (const d of docs.slice(half)) index.add(d);
  return index;
}

describe('matchDates counts what search lists', () => {
  const docs = [...SEARCH_CORPUS, ...EDGES, ...generated(600, 7)];

  it('for every query shape, over sealed and tail postings', () => {
    const index = build(docs);
    for (const q of SHAPES) {
      const want = searchedDates(index, docs, q);
      expect(sorted(index.matchDates(q)), q).toEqual(want);
      // Window filters given beside the query, as trends' callers may.
      const windowed = index.search(q, { k: MAX_K, filters: { since: '2026-02-01', before: '2026-04-01' } });
      expect(index.matchDates(q, { since: '2026-02-01', before: '2026-04-01' }).length, q).toBe(
        windowed.length,
      );
    }
    expect(index.matchDates('graph').length).toBeGreaterThan(100);
    // The phrase shapes are not vacuous: each matches some papers of the generated corpus.
    for (const q of ['"graph graph"', '"model model image"', '"graph neural network"', '"writer graph"'])
      expect(index.matchDates(q).length, q).toBeGreaterThan(0);
    expect(index.matchDates('"neural network" "diffusion model"').length).toBeGreaterThan(0);
    expect(index.matchDates('zebra').length).toBe(0);
  });

  it('after removals and replacements', () => {
    const index = build(docs);
    for (const d of docs.filter((_, i) => i % 5 === 0)) index.remove(d.id);
    const kept = docs.filter((_, i) => i % 5 !== 0);
    const replaced = kept.map((d, i) => (i % 7 === 0 ? { ...d, title: 'zebra crossing robot' } : d));
    for (const d of replaced.filter((_, i) => i % 7 === 0)) index.add(d);
    for (const q of [...SHAPES, 'zebra'])
      expect(sorted(index.matchDates(q)), q).toEqual(searchedDates(index, replaced, q));
  });

  it('leaves out a word seen only in a field weighted 0, as search does', () => {
    const index = build(docs, { authors: 0 });
    const want = searchedDates(index, docs, 'writer');
    expect(sorted(index.matchDates('writer'))).toEqual(want);
    // With authors weighted 0, only papers with "writer" in the title or abstract count: none here.
    expect(want.length).toBe(0);
    expect(build(docs).matchDates('writer').length).toBe(docs.length - SEARCH_CORPUS.length - EDGES.length);
  });
});

describe('matchDates on phrases', () => {
  it('never joins the end of one field to the start of the next', () => {
    const index = build([...EDGES, ...EDGES.map((d) => ({ ...d, id: `${d.id}-again` }))]);
    expect(index.matchDates('"graph speech"').length).toBe(2); // e-2's title (and abstract), twice
    expect(index.matchDates('"learning ann"').length).toBe(0); // e-1: abstract's end, authors' start
    expect(index.matchDates('"policy graph"').length).toBe(2); // e-1's title
    expect(index.matchDates('"speech learning"').length).toBe(0); // e-2: title's end, abstract's start
    expect(index.matchDates('"network bo"').length).toBe(0);
    for (const q of ['"graph speech"', '"learning ann"', '"policy graph"', '"speech learning"'])
      expect(index.matchDates(q).length, q).toBe(index.search(q, { k: MAX_K }).length);
  });

  it('counts right after a compaction renumbers papers and after papers are added', () => {
    const docs = generated(400, 5);
    const index = build(docs);
    const q = '"neural network"';
    expect(sorted(index.matchDates(q))).toEqual(searchedDates(index, docs, q));
    for (const d of docs.filter((_, i) => i % 3 === 0)) index.remove(d.id);
    index.compact();
    const kept = docs.filter((_, i) => i % 3 !== 0);
    expect(sorted(index.matchDates(q))).toEqual(searchedDates(index, kept, q));
    const more = generated(200, 6);
    for (const d of more) index.add(d);
    expect(sorted(index.matchDates(q))).toEqual(searchedDates(index, [...kept, ...more], q));
  });

  it('counts the same from a snapshot, opened lazily or read ahead, as in the index that wrote it', () => {
    const docs = generated(500, 9);
    const index = build(docs);
    const dir = mkdtempSync(join(tmpdir(), 'paperboy-match-'));
    try {
      const file = join(dir, 'lexical.bin');
      index.saveTo(file);
      const qs = ['"neural network"', '"graph graph"', '"graph model" cat:cs.CV', 'robot "data learning"'];
      const want = qs.map((q) => sorted(index.matchDates(q)));
      expect(want.map((w) => w.length > 0)).toEqual(qs.map(() => true));
      const loaded = loadLexicalIndex(index.serialize());
      const lazy = openLexicalIndex(file);
      const ahead = openLexicalIndex(file);
      while (ahead.readAhead(64)) continue; // sequences, then pair signatures, a slice at a time
      for (const ix of [loaded, lazy, ahead]) expect(qs.map((q) => sorted(ix.matchDates(q)))).toEqual(want);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reads the words of only a few of the papers that hold every phrase word', () => {
    const docs = generated(2000, 13);
    const index = build(docs);
    const holdsAll = docs.filter((d) => {
      const words = new Set(analyze(`${d.title} ${d.abstract}`));
      return words.has('neural') && words.has('network');
    }).length;
    const reads = [
      vi.spyOn(ForwardStore.prototype, 'read'),
      vi.spyOn(ForwardStore.prototype, 'holdsPhrase'),
      vi.spyOn(ForwardStore.prototype, 'holdsPhraseAround'),
    ];
    const matched = index.matchDates('"neural network"').length;
    const read = reads.reduce((n, spy) => n + spy.mock.calls.length, 0);
    for (const spy of reads) spy.mockRestore();
    expect(holdsAll).toBeGreaterThan(500);
    expect(matched).toBeGreaterThan(20);
    // Every match is read (to be sure); of the rest, the pair signatures let through only a few.
    expect(read).toBeGreaterThanOrEqual(matched);
    expect(read - matched).toBeLessThan((holdsAll - matched) / 4);
  });
});

describe('matchDates scores nothing', () => {
  it('finds broad, two-word and phrase matches without one BM25F computation', () => {
    const index = build(generated(600, 11));
    const calls = (): number =>
      vi.mocked(scorer.addTermScores).mock.calls.length +
      vi.mocked(scorer.postingScore).mock.calls.length +
      vi.mocked(scorer.unitPostingScore).mock.calls.length;
    index.search('graph model', { k: 5 });
    index.search('graph model', { k: 5, prune: false });
    expect(calls()).toBeGreaterThan(0); // the spies do see search's scoring
    const before = calls();
    for (const q of SHAPES) index.matchDates(q);
    expect(calls()).toBe(before);
  });
});
