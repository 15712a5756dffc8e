// Simulated readers for the For-you evaluation: an interest is a category pair; train on earlier papers, judge a later window.
import { normalizeAuthorName } from '../../src/domain/index.ts';
import { createLexicalIndex, type LexicalIndex } from '../../src/index/lexical/lexical-index.ts';
import { plainQuery } from '../../src/index/lexical/query.ts';
import { rankForYou, type ProfilePaper, type RankCandidate } from '../../src/rank/foryou.ts';
import { type BenchDoc, seededRandom } from './arxiv-corpus.ts';

export interface Reader {
  pair: string;
  /** The window judged: [from, to). */
  from: string;
  to: string;
  /** Papers of the pair from the 90 days before the window, newest first. */
  history: BenchDoc[];
  /** Ids of the window's papers with the pair. */
  relevant: Set<string>;
}

export interface Window {
  from: string;
  to: string;
  docs: BenchDoc[];
}

const day = (d: BenchDoc): string => (d.date ?? '').slice(0, 10);

function addDays(dayStr: string, n: number): string {
  return new Date(Date.parse(`${dayStr}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
}

function pairsOf(d: BenchDoc): string[] {
  const cats = [...new Set(d.categories)].sort();
  const out: string[] = [];
  for (let i = 0; i < cats.length; i++)
    for (let j = i + 1; j < cats.length; j++) out.push(`${cats[i]}+${cats[j]}`);
  return out;
}

/** The papers dated in [from, to), newest first then id (the "newest first" baseline order). */
export function windowOf(docs: readonly BenchDoc[], from: string, to: string): Window {
  const inside = docs.filter((d) => day(d) >= from && day(d) < to);
  inside.sort((a, b) => day(b).localeCompare(day(a)) || a.id.localeCompare(b.id));
  return { from, to, docs: inside };
}

/**
 * Readers for each window: every category pair with 5+ papers in the window, at most `maxShare` of it, and
 * at least `minHistory` papers in the 90 days before.
 * @example const readers = buildReaders(docs, [windowOf(docs, '2026-06-01', '2026-06-06')], 20);
 */
export function buildReaders(
  docs: readonly BenchDoc[],
  windows: readonly Window[],
  minHistory: number,
  maxShare = 0.05,
): Reader[] {
  const readers: Reader[] = [];
  for (const w of windows) {
    const start = addDays(w.from, -90);
    const before = docs.filter((d) => day(d) >= start && day(d) < w.from);
    const inWindow = new Map<string, Set<string>>();
    for (const d of w.docs)
      for (const p of pairsOf(d)) inWindow.set(p, (inWindow.get(p) ?? new Set()).add(d.id));
    const history = new Map<string, BenchDoc[]>();
    for (const d of before) for (const p of pairsOf(d)) history.set(p, [...(history.get(p) ?? []), d]);
    for (const [pair, relevant] of [...inWindow].sort((a, b) => a[0].localeCompare(b[0]))) {
      const h = history.get(pair) ?? [];
      if (relevant.size < 5 || relevant.size > maxShare * w.docs.length || h.length < minHistory) continue;
      h.sort((a, b) => day(b).localeCompare(day(a)) || a.id.localeCompare(b.id));
      readers.push({ pair, from: w.from, to: w.to, history: h, relevant });
    }
  }
  return readers;
}

/** `n` training papers drawn at random (seeded) from the reader's history. */
export function sampleHistory(r: Reader, n: number, seed: number): BenchDoc[] {
  const rand = seededRandom(seed);
  const pool = [...r.history];
  for (let i = pool.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [pool[i], pool[j]] = [pool[j] as BenchDoc, pool[i] as BenchDoc];
  }
  return pool.slice(0, n);
}

/** A BM25F index over every paper (dates included, so windows filter before the cut). */
export function corpusIndex(docs: readonly BenchDoc[]): LexicalIndex {
  const index = createLexicalIndex();
  for (const d of docs)
    index.add({
      id: d.id,
      title: d.title,
      abstract: d.abstract,
      authors: d.authors,
      categories: d.categories,
      date: d.date,
    });
  return index;
}

/** Baseline: BM25F of the reader's profile (every training title in one query), then the rest newest first. */
export function lexicalBaseline(index: LexicalIndex, w: Window, train: readonly BenchDoc[]): string[] {
  const hits = index.search(plainQuery(train.map((d) => d.title).join(' ')), {
    k: Math.min(1000, w.docs.length),
    filters: { since: w.from, before: w.to },
  });
  const ids = hits.map(([id]) => id);
  const seen = new Set(ids);
  return [...ids, ...w.docs.filter((d) => !seen.has(d.id)).map((d) => d.id)];
}

/** The For-you model: vectors when given, else its lexical fallback (per-paper and profile BM25F lists). */
export function forYouRanking(
  index: LexicalIndex,
  w: Window,
  train: readonly BenchDoc[],
  vectors: ReadonlyMap<string, Float32Array> | null,
): string[] {
  const positives: ProfilePaper[] = train.map((d) => ({
    id: d.id,
    title: d.title,
    weight: 1,
    tags: [],
    vector: vectors?.get(d.id) ?? null,
  }));
  const candidates: RankCandidate[] = w.docs.map((d) => ({
    id: d.id,
    day: day(d),
    authors: d.authors,
    authorKeys: d.authors.map(normalizeAuthorName),
    categories: d.categories,
    vector: vectors?.get(d.id) ?? null,
  }));
  const filters = { since: w.from, before: w.to };
  const k = Math.min(500, w.docs.length);
  const lexical =
    vectors === null
      ? {
          lexicalProfile: index.search(plainQuery(train.map((d) => d.title).join(' ')), { k, filters }),
          lexicalNeighbours: train
            .slice(0, 24)
            .map((d, i) => ({ positive: i, hits: index.search(plainQuery(d.title), { k, filters }) })),
        }
      : {};
  return rankForYou(candidates, {
    positives,
    negatives: [],
    followedAuthors: new Map(),
    followedCategories: new Set(),
    hiddenPapers: new Set(train.map((d) => d.id)),
    hiddenAuthors: new Set(),
    alerts: [],
    seen: new Set(),
    ...lexical,
  }).map((i) => i.id);
}

/** Precision@k: the share of the top k that is relevant. */
export function precisionAt(ranked: readonly string[], relevant: ReadonlySet<string>, k: number): number {
  return ranked.slice(0, k).filter((id) => relevant.has(id)).length / k;
}
