// Per-term score bounds stored in the lexical snapshot (format 4): equal to the ones read from the lists,
// used after a restart without reading a list, dropped on any change, and absent (computed) in format 3.
import { readFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { termScoring } from '../../src/index/lexical/bm25f-scorer.ts';
import { decodeState, lexicalSnapshotOutdated } from '../../src/index/lexical/index-codec.ts';
import {
  createLexicalIndex,
  openLexicalIndex,
  type LexicalDoc,
  type LexicalIndex,
} from '../../src/index/lexical/lexical-index.ts';
import { moreLikeThisQuery } from '../../src/index/lexical/query.ts';
import { computeStoredBounds, TermBounds, termUnitMax } from '../../src/index/lexical/term-bounds.ts';
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

  it('are not used under other scoring constants, nor after a change to the index', () => {
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
