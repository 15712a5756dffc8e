// Per-posting bounds (TermBounds.postingMax): each posting's unit score quantised upward, filled a block at a
// time, let MaxScore pass over an essential list's postings that cannot reach θ without scoring them, and
// every top k stays exactly what scoring every posting gives.
import { describe, expect, it } from 'vitest';
import { postingScore, termScoring } from '../../src/index/lexical/bm25f-scorer.ts';
import type { IndexState } from '../../src/index/lexical/index-state.ts';
import { createLexicalIndex, type LexicalIndex } from '../../src/index/lexical/lexical-index.ts';
import { maxScoreTop, type QueryTerm } from '../../src/index/lexical/max-score.ts';
import { END_OF_POSTINGS, PostingCursor } from '../../src/index/lexical/posting-cursor.ts';
import { BLOCK_POSTINGS } from '../../src/index/lexical/postings.ts';
import { blockStep, TermBounds } from '../../src/index/lexical/term-bounds.ts';
import { rng } from '../helpers/random.ts';

const stateOf = (index: LexicalIndex): IndexState => (index as unknown as { state: IndexState }).state;

/** Bounds for lists of 64 postings or more (the default starts at 16,384, beyond a test corpus). */
const smallListBounds = (): TermBounds => new TermBounds(undefined, undefined, 1 << 20, 64);

/** 2,500 papers over a skewed vocabulary of 120 words: the first few are in nearly every paper. */
function corpus(seed: number): { index: LexicalIndex; draw: () => string } {
  const random = rng(seed);
  const vocab = Array.from({ length: 120 }, (_, i) => `w${i}z`);
  const draw = (): string => vocab[Math.floor(random() ** 3 * vocab.length)] ?? 'w0z';
  const text = (n: number): string => Array.from({ length: 1 + Math.floor(random() * n) }, draw).join(' ');
  const index = createLexicalIndex();
  for (let i = 0; i < 2500; i++)
    index.add({
      id: `p-${i}`,
      title: text(8),
      abstract: text(150),
      authors: [random() < 0.1 ? 'W0z Author' : 'Ana Souza'],
      categories: ['cs.CL'],
      date: '2025-04-01',
    });
  index.compact();
  return { index, draw };
}

/** Every live document's summed score for `terms`, best first (ties: lower doc first), from every posting. */
function reference(state: IndexState, terms: readonly QueryTerm[], k: number): [number, number][] {
  const scores = new Map<number, number>();
  for (const { term, weight } of terms) {
    const ts = termScoring(state, term, weight);
    for (const c = new PostingCursor(state, term); c.doc !== END_OF_POSTINGS; c.next()) {
      if (state.docs.alive[c.doc] !== 1) continue;
      const s = postingScore(ts, state.docs.lengths, c.doc, c.tf);
      if (s !== 0) scores.set(c.doc, (scores.get(c.doc) ?? 0) + s);
    }
  }
  return [...scores].sort((a, b) => b[1] - a[1] || a[0] - b[0]).slice(0, k);
}

/** Calls of PostingCursor.score while `run` runs. */
function scored(run: () => void): number {
  const proto = PostingCursor.prototype as unknown as { score: (...a: unknown[]) => number };
  const original = proto.score;
  let count = 0;
  proto.score = function (this: unknown, ...a: unknown[]): number {
    count++;
    return original.apply(this, a);
  };
  try {
    run();
  } finally {
    proto.score = original;
  }
  return count;
}

function queryTerms(state: IndexState, words: readonly string[]): QueryTerm[] {
  const ids = new Set(words.map((w) => state.terms.get(w)).filter((t) => t !== undefined));
  return [...ids].map((term, i) => ({ term, weight: 1 + (i % 2) * 0.5 }));
}

describe('per-posting bounds', () => {
  it('bound every live posting from above, zero for a removed paper', () => {
    const { index } = corpus(3);
    for (let i = 0; i < 200; i++) index.remove(`p-${i * 7}`);
    const state = stateOf(index);
    const bounds = smallListBounds();
    let below = 0;
    for (const w of ['w0z', 'w1z', 'w4z', 'w20z']) {
      const t = state.terms.get(w)!;
      // As max-score.ts bounds a posting's share: the term's bound (weight included) / steps, times the step.
      const scoring = termScoring(state, t, 1.5);
      const termBound = bounds.get(state, t, scoring);
      const made = bounds.postingMax(state, t, scoring)!;
      expect(made.steps.length).toBe(state.postings.sealedLength(t));
      const c = new PostingCursor(state, t);
      for (let p = 0; c.doc !== END_OF_POSTINGS; c.next(), p++) {
        made.fill(Math.floor(p / BLOCK_POSTINGS));
        const q = made.steps[p]!;
        if (state.docs.alive[c.doc] !== 1) expect(q).toBe(0);
        else
          expect(q * blockStep(termBound)).toBeGreaterThanOrEqual(
            postingScore(scoring, state.docs.lengths, c.doc, c.tf),
          );
        if (q < 255) below++;
      }
    }
    expect(below).toBeGreaterThan(1000);
    // Short lists get none.
    const t0 = state.terms.get('w0z')!;
    const plain = new TermBounds();
    plain.get(state, t0, termScoring(state, t0, 1));
    expect(plain.postingMax(state, t0, termScoring(state, t0, 1))).toBeNull();
  });

  it('skip to the first posting whose bound reaches a step, across blocks and into the tail', () => {
    const { index } = corpus(5);
    index.add({
      id: 'late',
      title: 'w0z w1z',
      abstract: 'w0z',
      authors: ['Ana Souza'],
      categories: ['cs.CL'],
      date: '2025-05-01',
    });
    const state = stateOf(index);
    const t = state.terms.get('w1z')!;
    const scoring = termScoring(state, t, 1);
    const bounds = smallListBounds();
    bounds.get(state, t, scoring);
    const made = bounds.postingMax(state, t, scoring)!;
    const count = state.postings.sealedLength(t);
    for (let b = 0; b * BLOCK_POSTINGS < count; b++) made.fill(b);
    const docs: number[] = [];
    for (const c = new PostingCursor(state, t); c.doc !== END_OF_POSTINGS; c.next()) docs.push(c.doc);
    const tailDoc = docs[docs.length - 1]!;
    expect(docs.length).toBe(count + 1);
    for (const q of [0, 100, 180, 220, 250, 255]) {
      const c = new PostingCursor(state, t);
      c.postingMax = made;
      // From each start, the reference is a scan of the steps.
      for (let from = 0; from < count; from += 37) {
        while (docs.indexOf(c.doc) < from) c.next();
        c.skipBelow(q);
        let p = from;
        while (p < count && made.steps[p]! < q) p++;
        expect(c.doc, `q=${q} from ${from}`).toBe(p < count ? docs[p] : tailDoc);
        if (c.doc === tailDoc) break;
      }
    }
  });

  it('leave every top k exactly as scoring every posting gives it, and score fewer postings', () => {
    const { index, draw } = corpus(7);
    const random = rng(11);
    for (let i = 0; i < 150; i++) index.remove(`p-${Math.floor(random() * 2500)}`);
    for (let i = 0; i < 40; i++)
      index.add({
        id: `t-${i}`,
        title: `${draw()} ${draw()}`,
        abstract: `${draw()} ${draw()} ${draw()}`,
        authors: ['Ana Souza'],
        categories: ['cs.CL'],
        date: '2025-06-01',
      });
    const state = stateOf(index);
    const accept = (d: number): boolean => state.docs.alive[d] === 1;
    let withBounds = 0;
    let without = 0;
    for (let i = 0; i < 120; i++) {
      const words = Array.from({ length: 1 + Math.floor(random() * 4) }, draw);
      const terms = queryTerms(state, words);
      for (const k of [1, 10, 100]) {
        const want = reference(state, terms, k);
        let got: [number, number][] = [];
        withBounds += scored(
          () => (got = maxScoreTop(state, terms, accept, k, smallListBounds(), true, true)),
        );
        expect(got, `${words.join(' ')} (k=${k})`).toEqual(want);
        let plain: [number, number][] = [];
        without += scored(
          () => (plain = maxScoreTop(state, terms, accept, k, smallListBounds(), true, false)),
        );
        expect(plain).toEqual(want);
      }
    }
    expect(withBounds).toBeLessThan(without * 0.8);
  });

  it('are made for the longest lists first by warmLongest, within its share of the budget', () => {
    const { index } = corpus(13);
    const state = stateOf(index);
    const long = Array.from({ length: state.terms.size }, (_, t) => t)
      .filter((t) => state.postings.sealedLength(t) >= 64)
      .sort((a, b) => state.postings.sealedLength(b) - state.postings.sealedLength(a) || a - b);
    // Room for three quarters of 40,000 postings: the longest lists while they fit.
    const bounds = new TermBounds(undefined, undefined, 40_000, 64);
    let steps = 0;
    while (bounds.warmLongest(state, 5)) steps++;
    expect(steps).toBeGreaterThan(3);
    let postings = 0;
    for (const t of long) {
      const length = state.postings.sealedLength(t);
      const scoring = termScoring(state, t, 1);
      bounds.get(state, t, scoring);
      const made = bounds.postingMax(state, t, scoring)!;
      const blocks = Math.ceil(length / BLOCK_POSTINGS);
      const filled = Array.from({ length: blocks }, (_, b) => made.isFilled(b));
      if (postings + length <= 30_000) {
        expect(filled.every(Boolean), `term ${t}`).toBe(true);
        postings += length;
      } else {
        // The first list past the share and every shorter one: left for searches to fill.
        expect(filled.some(Boolean), `term ${t}`).toBe(false);
        break;
      }
    }
    expect(postings).toBeGreaterThan(15_000);
  });
});
