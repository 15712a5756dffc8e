// Per-term score bounds stored in the lexical snapshot (format 4): equal to the ones read from the lists,
// used after a restart without reading a list, scaled to the new averages after papers are added or removed,
// and absent (computed) in format 3.
import { readFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { termScoring, unitPostingScore } from '../../src/index/lexical/bm25f-scorer.ts';
import { decodeState, lexicalSnapshotOutdated } from '../../src/index/lexical/index-codec.ts';
import {
  createLexicalIndex,
  LexicalIndex,
  openLexicalIndex,
  type LexicalDoc,
} from '../../src/index/lexical/lexical-index.ts';
import { moreLikeThisQuery } from '../../src/index/lexical/query.ts';
import {
  BLOCK_MAX_STEPS,
  computeStoredBounds,
  scoreGrowth,
  scoringKey,
  TermBounds,
  termUnitMax,
} from '../../src/index/lexical/term-bounds.ts';
import { asLexicalFormat3 } from '../helpers/lexical-snapshot.ts';
import { rng } from '../helpers/random.ts';

const dir = mkdtempSync(join(tmpdir(), 'stored-bounds-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Papers over a skewed 80-word vocabulary, so lists range from a few postings to most documents. */
function corpus(n: number, seed: number): LexicalDoc[] {
  const random = rng(seed);
  const words = Array.from({ length: 80 }, (_, i) => `w${i}z`);
  const draw = (): string => words[Math.floor(random() ** 2 * words.length)] ?? 'w0z';
  const text = (k: number): string => Array.from({ length: 1 + Math.floor(random() * k) }, draw).join(' ');
  return Array.from(
    { length: n },
    (_, i): LexicalDoc => ({
      id: `p-${i}`,
      title: text(8),
      abstract: text(80),
      authors: [`Author ${Math.floor(random() * 30)}`],
      categories: [random() < 0.5 ? 'cs.CL' : 'cs.IR'],
      date: '2025-01-02',
    }),
  );
}

const QUERIES = [
  'w0z w1z',
  'w5z w40z',
  'w79z',
  'w3z w2z w60z w70z',
  'w7z w8z w9z w10z w11z w12z',
  'w0z w1z w2z w3z w4z w5z w6z w7z w8z w9z w10z w11z',
  'author 7 w20z',
];

function answers(index: LexicalIndex, prune = true): unknown[] {
  return QUERIES.map((q) => index.search(q, { k: 10, prune }));
}

/** A saved index with a removal and a replacement behind it (so the snapshot was compacted). */
function saved(name: string): { index: LexicalIndex; file: string } {
  const index = createLexicalIndex();
  const docs = corpus(900, 4);
  for (const d of docs) index.add(d);
  index.remove('p-3');
  index.add({ ...docs[10]!, title: 'w79z w79z w78z' });
  const file = join(dir, name);
  index.saveTo(file);
  return { index, file };
}

describe('stored term bounds', () => {
  it('equal the bounds read from the lists, term by term', () => {
    const { file } = saved('equal.bin');
    const state = decodeState(readFileSync(file));
    const stored = state.storedBounds;
    expect(stored).not.toBeNull();
    expect(stored!.unitMax.length).toBe(state.terms.size);
    const scoring = termScoring(state, 0, 1);
    const read = Float64Array.from({ length: state.terms.size }, (_, t) => termUnitMax(state, t, scoring));
    expect(stored!.unitMax).toEqual(read);
    expect([...stored!.unitMax].some((u) => u > 0)).toBe(true);
    state.storedBounds = null;
    expect(computeStoredBounds(state).unitMax).toEqual(read);
  });

  it('leave every search as it was after a reopen, pruned or not', () => {
    const { index, file } = saved('same.bin');
    const before = answers(index);
    expect(answers(index, false)).toEqual(before);
    const opened = openLexicalIndex(file);
    expect(answers(opened)).toEqual(before);
    expect(answers(opened)).toEqual(before); // the second search of a term may cache its impacts
    expect(answers(opened, false)).toEqual(before);
    const mlt = moreLikeThisQuery('w1z w70z w75z', corpus(1, 8)[0]!.abstract);
    expect(opened.search(mlt, { k: 20 })).toEqual(index.search(mlt, { k: 20 }));
  });

  it('are what a restarted index bounds a term by, without reading its list', () => {
    const { file } = saved('used.bin');
    const state = decodeState(readFileSync(file));
    const term = state.terms.get('w0z')!;
    const scoring = termScoring(state, term, 2);
    // A stored value the list would not give: only a bound read from the snapshot can be this.
    state.storedBounds!.unitMax[term] = 0.75;
    expect(new TermBounds().get(state, term, scoring)).toBe(scoring.weight * 0.75);
  });

  it('still bound every term and block once papers are added and removed, scaled to the new averages', () => {
    const { file } = saved('scaled.bin');
    const state = decodeState(readFileSync(file));
    const index = new LexicalIndex(state);
    const stored = state.storedBounds!;
    // Papers whose titles and abstracts are far longer than the others' raise the average lengths, so every
    // earlier paper's score rises (its length normalisation eases): bounds taken as stored would be too low.
    const long = corpus(300, 9).map((d, i) => ({
      ...d,
      id: `long-${i}`,
      title: `${d.title} ${d.title} ${d.title} w79z`,
      abstract: `${d.abstract} ${d.abstract} ${d.abstract}`,
    }));
    for (const d of long) index.add(d);
    for (let i = 0; i < 40; i++) index.remove(`p-${i * 7}`);
    expect(state.storedBounds).toBe(stored);
    // Weight 1: a term's bound is then its unit bound.
    const scoring = { ...termScoring(state, 0, 1), weight: 1 };
    const bounds = new TermBounds();
    let above = 0;
    for (let t = 0; t < state.terms.size; t++) {
      const bound = bounds.get(state, t, scoring);
      const exact = termUnitMax(state, t, scoring);
      expect(bound, state.terms.at(t)).toBeGreaterThanOrEqual(exact);
      // Not read from the list: the stored bound scaled (or the new papers' own, where higher).
      if (bound > exact) above++;
      // Each sealed block's bound (its steps of the term's) holds its live postings too.
      const steps = bounds.blockMax(t);
      if (steps === null) continue;
      const block = state.postings.readBlocks(t);
      for (let b = 0; block.nextBlock(); b++) {
        let max = 0;
        for (let i = 0; i < block.length; i++) {
          const d = block.docs[i]!;
          if (state.docs.alive[d] === 1)
            max = Math.max(max, unitPostingScore(scoring, state.docs.lengths, d, block.tfs[i]!));
        }
        expect(
          (steps[b]! / BLOCK_MAX_STEPS) * bound,
          `${state.terms.at(t)} block ${b}`,
        ).toBeGreaterThanOrEqual(max);
      }
    }
    expect(above).toBeGreaterThan(state.terms.size / 2);
    // The scores really moved: the stored bounds as they were would be too low for some term.
    const unscaled = [...stored.unitMax].filter((u, t) => u < termUnitMax(state, t, scoring)).length;
    expect(unscaled).toBeGreaterThan(10);
    expect(answers(index)).toEqual(answers(index, false));
    // A stored value the list would not give, scaled: only a bound taken from the snapshot can be this.
    const term = state.terms.get('w3z')!;
    stored.unitMax[term] = 0.97;
    const growth = scoreGrowth(stored.key, scoringKey(scoring))!;
    expect(growth).toBeGreaterThan(1.2);
    expect(new TermBounds().get(state, term, scoring)).toBe(0.97 * growth);
  });

  it('are scaled only for moved averages: by 1 when nothing moved, by the largest shrink of b / average, never under another knob', () => {
    const key = [1.5, 0.7, 0.03, 1, 0.25, 0.005, 0.4, 0.5, 0.1, 1.2];
    expect(scoreGrowth(key, key)).toBe(1);
    // The abstract's average doubled, the title's grew by a quarter, the authors' shrank (scores there fall).
    const moved = [1.5, 0.7, 0.024, 1, 0.25, 0.0025, 0.4, 0.5, 0.2, 1.2];
    expect(scoreGrowth(key, moved)).toBeCloseTo(2, 6);
    expect(scoreGrowth(key, moved)!).toBeGreaterThan(2);
    expect(scoreGrowth(moved, key)).toBeCloseTo(2, 6);
    for (const knob of [0, 1, 3, 4, 6, 7, 9]) {
      const other = [...key];
      other[knob] = other[knob]! * 1.1;
      expect(scoreGrowth(key, other), `knob ${knob}`).toBeNull();
    }
    expect(scoreGrowth(key, key.slice(0, 9))).toBeNull();
  });

  it('are not used under other scoring constants, and follow a change to the index', () => {
    const { index, file } = saved('changed.bin');
    // Other BM25F knobs at open: the stored key no longer matches, so bounds come from the lists.
    const tuned = openLexicalIndex(file, { bm25f: { k1: 0.9, fields: { title: { weight: 3 } } } });
    const fresh = createLexicalIndex({ k1: 0.9, fields: { title: { weight: 3 } } });
    for (const d of corpus(900, 4)) fresh.add(d);
    fresh.remove('p-3');
    fresh.add({ ...corpus(900, 4)[10]!, title: 'w79z w79z w78z' });
    expect(answers(tuned)).toEqual(answers(fresh, false));

    const opened = openLexicalIndex(file);
    answers(opened); // bounds from the snapshot, cached
    const extra: LexicalDoc = {
      id: 'new-1',
      title: 'w0z w0z w0z',
      abstract: 'w0z w1z',
      authors: ['Author 7'],
      categories: ['cs.CL'],
      date: '2025-02-01',
    };
    opened.add(extra);
    index.add(extra);
    expect(answers(opened)).toEqual(answers(index, false));
    opened.remove('p-20');
    index.remove('p-20');
    expect(answers(opened)).toEqual(answers(index, false));
  });

  it('are absent from a format 3 snapshot, which still opens, answers the same and is marked for rewriting', () => {
    const { index, file } = saved('v4.bin');
    const old = join(dir, 'v3.bin');
    writeFileSync(old, asLexicalFormat3(readFileSync(file)));
    expect(lexicalSnapshotOutdated(file)).toBe(false);
    expect(lexicalSnapshotOutdated(old)).toBe(true);
    expect(decodeState(readFileSync(old)).storedBounds).toBeNull();
    const opened = openLexicalIndex(old);
    expect(answers(opened)).toEqual(answers(index));
    // Saved again, it holds the bounds.
    const again = join(dir, 'again.bin');
    opened.saveTo(again);
    expect(lexicalSnapshotOutdated(again)).toBe(false);
    expect(decodeState(readFileSync(again)).storedBounds?.unitMax).toEqual(
      decodeState(readFileSync(file)).storedBounds?.unitMax,
    );
  });
});
