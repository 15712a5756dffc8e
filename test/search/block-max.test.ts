// Block-max MaxScore: per-block score bounds (stored in lexical format 5, else read from the lists) let a search
// pass over blocks without decoding them, and every top k stays exactly what exhaustive scoring gives.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { termScoring, unitPostingScore } from '../../src/index/lexical/bm25f-scorer.ts';
import { decodeState, lexicalSnapshotOutdated } from '../../src/index/lexical/index-codec.ts';
import type { IndexState } from '../../src/index/lexical/index-state.ts';
import {
  createLexicalIndex,
  openLexicalIndex,
  type LexicalDoc,
  type LexicalIndex,
} from '../../src/index/lexical/lexical-index.ts';
import { END_OF_POSTINGS, PostingCursor } from '../../src/index/lexical/posting-cursor.ts';
import { BLOCK_POSTINGS } from '../../src/index/lexical/postings.ts';
import {
  BLOCK_MAX_STEPS,
  blockStep,
  computeStoredBounds,
  quantiseBlockMax,
  termMaxima,
} from '../../src/index/lexical/term-bounds.ts';
import { asLexicalFormat4, type LexicalHeader, rewriteLexicalHeader } from '../helpers/lexical-snapshot.ts';
import { rng } from '../helpers/random.ts';

const dir = mkdtempSync(join(tmpdir(), 'block-max-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const CATEGORIES = ['cs.CL', 'cs.CV', 'cs.LG'];
const AUTHORS = ['Ana Souza', 'Wei Chen', 'Marta Rossi', 'Kofi Mensah'];

/** A skewed made-up vocabulary (the first words in most papers), so lists run from one block to dozens. */
function words(random: () => number): { vocab: string[]; draw: () => string } {
  const vocab = Array.from({ length: 200 }, (_, i) => `q${i}x`);
  return { vocab, draw: () => vocab[Math.floor(random() ** 3 * vocab.length)] ?? 'q0x' };
}

function papers(seed: number, n: number, from = 0): LexicalDoc[] {
  const random = rng(seed);
  const { draw } = words(random);
  const text = (k: number): string => Array.from({ length: 1 + Math.floor(random() * k) }, draw).join(' ');
  return Array.from(
    { length: n },
    (_, i): LexicalDoc => ({
      id: `b-${from + i}`,
      title: text(10),
      abstract: text(140),
      authors: [AUTHORS[Math.floor(random() * AUTHORS.length)] ?? 'Ana Souza'],
      categories: [CATEGORIES[Math.floor(random() * CATEGORIES.length)] ?? 'cs.CL'],
      date: `2025-${String(1 + Math.floor(random() * 12)).padStart(2, '0')}-03`,
    }),
  );
}

/** 1–6 words, mostly common ones (where block maxima matter), sometimes a filter MaxScore applies itself. */
function query(random: () => number, draw: () => string): string {
  const parts = Array.from({ length: 1 + Math.floor(random() * 6) }, draw);
  const r = random();
  if (r < 0.15) parts.push(`cat:${CATEGORIES[Math.floor(random() * CATEGORIES.length)] ?? 'cs.CL'}`);
  else if (r < 0.3) parts.push(`since:2025-0${1 + Math.floor(random() * 9)}`);
  else if (r < 0.4) parts.push(`-${draw()}`);
  return parts.join(' ');
}

/** Every query with k 1, 10 and 100: block-max on, block-max off and exhaustive give the same list. */
function expectExact(index: LexicalIndex, seed: number, rounds: number): number {
  const random = rng(seed);
  const { draw } = words(random);
  let nonEmpty = 0;
  for (let i = 0; i < rounds; i++) {
    const q = query(random, draw);
    for (const k of [1, 10, 100]) {
      const exhaustive = index.search(q, { k, prune: false });
      expect(index.search(q, { k }), `${q} (k=${k})`).toEqual(exhaustive);
      expect(index.search(q, { k, blockMax: false }), `${q} (k=${k}, whole-term bounds)`).toEqual(exhaustive);
      if (exhaustive.length > 0) nonEmpty++;
    }
  }
  return nonEmpty;
}

const stateOf = (index: LexicalIndex): IndexState => (index as unknown as { state: IndexState }).state;

/** Calls of PostingCursor's posting decoder while `run` runs. */
function decodes(run: () => void): number {
  const proto = PostingCursor.prototype as unknown as { decode: () => void };
  const original = proto.decode;
  let count = 0;
  proto.decode = function (this: unknown): void {
    count++;
    original.call(this);
  };
  try {
    run();
  } finally {
    proto.decode = original;
  }
  return count;
}

function built(seed: number, n: number): LexicalIndex {
  const index = createLexicalIndex();
  for (const d of papers(seed, n)) index.add(d);
  index.compact();
  return index;
}

describe('block-max MaxScore', () => {
  it('rounds a block maximum up to a step that bounds it, for any weight', () => {
    const random = rng(3);
    for (let i = 0; i < 20_000; i++) {
      const unitMax = random() * 0.99 + 1e-6;
      const raw = i % 7 === 0 ? unitMax : random() * unitMax;
      const weight = random() * 40 + 1e-3;
      const q = quantiseBlockMax(raw, unitMax);
      expect(q).toBeGreaterThanOrEqual(0);
      expect(q).toBeLessThanOrEqual(BLOCK_MAX_STEPS);
      // As max-score.ts computes a block's bound: the term's bound / steps, times the step.
      expect(q * blockStep(weight * unitMax)).toBeGreaterThanOrEqual(weight * raw);
    }
    expect(quantiseBlockMax(0, 0.5)).toBe(0);
    expect(quantiseBlockMax(0.5, 0.5)).toBe(BLOCK_MAX_STEPS);
    expect(quantiseBlockMax(0.25, 0.5)).toBeLessThan(BLOCK_MAX_STEPS);
  });

  it('bounds each sealed block by its own largest live posting score', () => {
    const index = built(5, 2500);
    const state = stateOf(index);
    const scoring = termScoring(state, 0, 1);
    let loose = 0;
    for (const w of ['q0x', 'q1x', 'q5x', 'q30x']) {
      const t = state.terms.get(w)!;
      const { unitMax, blockMax } = termMaxima(state, t, scoring);
      expect(blockMax.length).toBe(Math.ceil(state.postings.sealedLength(t) / BLOCK_POSTINGS));
      const c = new PostingCursor(state, t);
      for (let p = 0; c.doc !== END_OF_POSTINGS; c.next(), p++) {
        const q = blockMax[Math.floor(p / BLOCK_POSTINGS)]!;
        expect(q * blockStep(unitMax)).toBeGreaterThanOrEqual(
          unitPostingScore(scoring, state.docs.lengths, c.doc, c.tf),
        );
      }
      loose += blockMax.filter((q) => q < BLOCK_MAX_STEPS).length;
    }
    // Some blocks are bounded below their term's bound, or there is nothing to skip.
    expect(loose).toBeGreaterThan(0);
  });

  it('matches exhaustive scoring for k = 1, 10 and 100 on a compacted index', () => {
    const index = built(11, 3000);
    expect(expectExact(index, 7, 150)).toBeGreaterThan(300);
  });

  it('matches with deleted papers and with unsealed tail postings, before and after a snapshot', () => {
    const index = built(13, 2500);
    const random = rng(21);
    for (let i = 0; i < 300; i++) index.remove(`b-${Math.floor(random() * 2500)}`);
    expectExact(index, 8, 80);
    const file = join(dir, 'tail.bin');
    index.saveTo(file);
    const opened = openLexicalIndex(file);
    expect(stateOf(opened).storedBounds?.blockMax).not.toBeNull();
    expectExact(opened, 9, 80);
    // New papers stay in the tail (no block maxima there), some replacing sealed ones.
    for (const d of papers(17, 400, 2300)) opened.add(d);
    expect(stateOf(opened).postings.tail.some((l) => l !== undefined)).toBe(true);
    expectExact(opened, 10, 80);
    for (let i = 0; i < 200; i++) opened.remove(`b-${Math.floor(random() * 2700)}`);
    expectExact(opened, 12, 80);
  });

  it('passes over blocks that cannot reach the top k without decoding them, with the same answers', () => {
    // The first 300 papers hold both words in the title; the other 2,700 only deep in a long abstract, so
    // their blocks are bounded far below the top ten and are skipped once θ is known.
    const filler = Array.from({ length: 60 }, (_, i) => `f${i % 17}x`).join(' ');
    const index = createLexicalIndex();
    for (let i = 0; i < 3000; i++)
      index.add({
        id: `s-${i}`,
        title: i < 300 ? `alpha beta q${i % 7}x` : `gamma q${i % 7}x`,
        abstract: i < 300 ? 'short text' : `${filler} alpha beta ${filler}`,
        authors: ['Ana Souza'],
        categories: ['cs.CL'],
        date: '2025-03-03',
      });
    index.compact();
    for (const q of ['alpha beta', 'alpha', 'beta alpha'])
      for (const k of [1, 10, 100]) {
        const exact = index.search(q, { k, prune: false });
        let answer: unknown = null;
        const blocks = decodes(() => (answer = index.search(q, { k })));
        const whole = decodes(() => index.search(q, { k, blockMax: false }));
        expect(answer, `${q} (k=${k})`).toEqual(exact);
        expect(blocks, `${q} (k=${k})`).toBeLessThan(whole / 2);
      }
  });

  it('uses the stored block maxima of a snapshot: a too low one would change an answer', () => {
    const index = built(23, 3000);
    const file = join(dir, 'used.bin');
    index.saveTo(file);
    const q = 'q0x q1x';
    const right = index.search(q, { k: 10, prune: false });
    const opened = openLexicalIndex(file);
    const state = stateOf(opened);
    // Zero every block bound of both terms: only a search that reads the stored bytes can go wrong.
    const { blocks } = state.postings.sealed;
    for (const w of ['q0x', 'q1x']) {
      const t = state.terms.get(w)!;
      state.storedBounds!.blockMax!.fill(0, blocks[t], blocks[t + 1]);
    }
    expect(opened.search(q, { k: 10, blockMax: false })).toEqual(right);
    expect(opened.search(q, { k: 10 })).not.toEqual(right);
  });

  it('stores the block maxima the lists give, one per sealed block', () => {
    const index = built(29, 2000);
    const file = join(dir, 'equal.bin');
    index.saveTo(file);
    const state = decodeState(readFileSync(file));
    const stored = state.storedBounds!;
    expect(stored.blockMax?.length).toBe(state.postings.sealed.lastDocs.length);
    state.storedBounds = null;
    expect(computeStoredBounds(state).blockMax).toEqual(stored.blockMax);
    const scoring = termScoring(state, 0, 1);
    const t = state.terms.get('q0x')!;
    const { blocks } = state.postings.sealed;
    expect(stored.blockMax!.subarray(blocks[t], blocks[t + 1])).toEqual(
      termMaxima(state, t, scoring).blockMax,
    );
  });

  it('opens a format 4 snapshot without block maxima: same answers, not marked for rewriting, saved again with them', () => {
    const index = built(31, 2500);
    const file = join(dir, 'v5.bin');
    index.saveTo(file);
    const old = join(dir, 'v4.bin');
    writeFileSync(old, asLexicalFormat4(readFileSync(file)));
    expect(lexicalSnapshotOutdated(file)).toBe(false);
    // Served as it is: rewriting a 2.7M-paper index on the serving node costs more than block maxima gain.
    expect(lexicalSnapshotOutdated(old)).toBe(false);
    expect(old.length > 0 && readFileSync(old).readUInt32LE(4)).toBe(4);
    const opened = openLexicalIndex(old);
    const state = stateOf(opened);
    expect(state.storedBounds?.unitMax.length).toBe(state.terms.size);
    expect(state.storedBounds?.blockMax).toBeNull();
    expectExact(opened, 33, 60);
    const again = join(dir, 'again.bin');
    opened.saveTo(again);
    expect(lexicalSnapshotOutdated(again)).toBe(false);
    expect(decodeState(readFileSync(again)).storedBounds?.blockMax).toEqual(
      decodeState(readFileSync(file)).storedBounds?.blockMax,
    );
  });

  it('refuses a snapshot with a flipped byte in its block maxima', () => {
    const index = built(41, 1500);
    const file = join(dir, 'flip.bin');
    index.saveTo(file);
    const bytes = readFileSync(file);
    const length = bytes.readUInt32LE(8);
    const header = JSON.parse(bytes.toString('utf8', 16, 16 + length)) as LexicalHeader;
    const [at] = header.sections.blockMax!;
    bytes[at + 3] = bytes[at + 3]! ^ 1;
    const bad = join(dir, 'flipped.bin');
    writeFileSync(bad, bytes);
    expect(() => openLexicalIndex(bad)).toThrow(/checksum of section blockMax/);
  });

  it('refuses a snapshot whose block maxima do not match its blocks', () => {
    const index = built(37, 1500);
    const file = join(dir, 'short.bin');
    index.saveTo(file);
    const bad = join(dir, 'bad.bin');
    writeFileSync(
      bad,
      withSection(readFileSync(file), 'blockMax', (s) => [s[0], s[1] - 1]),
    );
    expect(() => openLexicalIndex(bad)).toThrow(/disagree|corrupt/);
  });
});

/** The snapshot with one section's [offset, length] changed (its checksum recomputed over the new bytes). */
function withSection(current: Buffer, name: string, edit: (s: [number, number]) => [number, number]): Buffer {
  return rewriteLexicalHeader(current, (h) => {
    const [offset, length] = edit([h.sections[name]![0], h.sections[name]![1]]);
    h.sections[name] = [offset, length, crc32(current.subarray(offset, offset + length))];
  });
}
