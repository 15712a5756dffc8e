// A lexical search cut in two (LexicalIndex.splitPlan): the documents below the cut searched by one index, the
// rest by another opened from the same snapshot file, the two lists joined by mergeSplitTops — the same answer,
// ids and scores, as one search, ties included.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  createLexicalIndex,
  mergeSplitTops,
  openLexicalIndex,
  type LexicalDoc,
  type LexicalIndex,
} from '../../src/index/lexical/lexical-index.ts';
import { rng } from '../helpers/random.ts';

const dir = mkdtempSync(join(tmpdir(), 'split-search-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const CATEGORIES = ['cs.CL', 'cs.CV', 'cs.LG'];

function draw(random: () => number): string {
  return `w${Math.floor(random() ** 3 * 150)}x`;
}

function papers(seed: number, n: number): LexicalDoc[] {
  const random = rng(seed);
  const text = (k: number): string =>
    Array.from({ length: 1 + Math.floor(random() * k) }, () => draw(random)).join(' ');
  const out = Array.from(
    { length: n },
    (_, i): LexicalDoc => ({
      id: `s-${i}`,
      title: text(8),
      abstract: text(120),
      authors: ['Ana Souza'],
      categories: [CATEGORIES[i % 3] ?? 'cs.CL'],
      date: `2025-${String(1 + (i % 12)).padStart(2, '0')}-03`,
    }),
  );
  // Twins: the same text early and late in the index, so equal scores fall on both sides of any cut.
  for (let i = 0; i < 60; i++) out.push({ ...out[i]!, id: `twin-${i}` });
  return out;
}

function query(random: () => number): string {
  const parts = Array.from({ length: 1 + Math.floor(random() * 5) }, () => draw(random));
  const r = random();
  if (r < 0.2) parts.push(`cat:${CATEGORIES[Math.floor(random() * 3)] ?? 'cs.CL'}`);
  else if (r < 0.3) parts.push('since:2025-06');
  else if (r < 0.4) parts.push(`-${draw(random)}`);
  return parts.join(' ');
}

/** An index written to its snapshot file and read from it, and a second index opened from that file. */
function pair(name: string, docs: LexicalDoc[]): { here: LexicalIndex; there: LexicalIndex } {
  const here = createLexicalIndex();
  for (const d of docs) here.add(d);
  const file = join(dir, `${name}.bin`);
  here.saveAndReopen(file);
  return { here, there: openLexicalIndex(file) };
}

describe('a search cut in two', () => {
  const { here, there } = pair('main', papers(7, 4000));

  it('gives the same list as one search, for every k, filter and tie', () => {
    const random = rng(11);
    let planned = 0;
    let tiedAcross = 0;
    for (let i = 0; i < 120; i++) {
      const q = query(random);
      for (const k of [1, 10, 100]) {
        const whole = here.search(q, { k });
        const plan = here.splitPlan(q, { k }, 1);
        if (plan === null) continue;
        planned++;
        expect(plan.file).toBe(here.openedFile);
        const lower = here.search(plan.query, { k, span: { from: 0, to: plan.at } });
        const upper = there.search(plan.query, { k, span: { from: plan.at, to: plan.documents } });
        expect(mergeSplitTops(lower, upper, k), `${q} (k=${k})`).toEqual(whole);
        const lowest = lower.at(-1)?.[1];
        if (lowest !== undefined && upper.some(([, s]) => s === lowest)) tiedAcross++;
      }
    }
    expect(planned).toBeGreaterThan(300);
    // The twins put equal scores on both sides: ties across the cut were met and went to the lower part.
    expect(tiedAcross).toBeGreaterThan(0);
  });

  it('limits term-at-a-time and MaxScore searches to the span alike', () => {
    const random = rng(12);
    for (let i = 0; i < 40; i++) {
      const q = query(random);
      const span = { from: 1000, to: 2500 };
      const pruned = here.search(q, { k: 50, span });
      expect(here.search(q, { k: 50, span, prune: false }), q).toEqual(pruned);
      for (const [id] of pruned) {
        const n = Number(id.slice(id.indexOf('-') + 1));
        expect(id.startsWith('s-') && n >= 1000 && n < 2500, id).toBe(true);
      }
    }
  });

  it('is not planned for a small search, a phrase, a changed index or one never written to a file', () => {
    expect(here.splitPlan('w0x w1x', { k: 10 }, 1)).not.toBeNull();
    // The default threshold is far above this index's lists.
    expect(here.splitPlan('w0x w1x', { k: 10 })).toBeNull();
    // Phrases are checked after scoring (term at a time): not cut.
    expect(here.splitPlan('"w0x w1x"', { k: 10 }, 1)).toBeNull();
    expect(here.splitPlan('w0x', { k: 10, prune: false }, 1)).toBeNull();

    const memory = createLexicalIndex();
    for (const d of papers(8, 300)) memory.add(d);
    expect(memory.openedFile).toBeNull();
    expect(memory.splitPlan('w0x w1x', { k: 10 }, 1)).toBeNull();

    const { here: changed } = pair('changed', papers(9, 500));
    expect(changed.splitPlan('w0x', { k: 10 }, 1)).not.toBeNull();
    changed.add({
      id: 'new-1',
      title: 'w0x',
      abstract: 'w0x w1x',
      authors: [],
      categories: ['cs.CL'],
      date: '2026-01-01',
    });
    expect(changed.openedFile).toBeNull();
    expect(changed.splitPlan('w0x', { k: 10 }, 1)).toBeNull();

    const { here: removed } = pair('removed', papers(10, 500));
    removed.remove('s-3');
    expect(removed.splitPlan('w0x', { k: 10 }, 1)).toBeNull();
  });

  it('joins two lists best first, ties to the lower part, at most k', () => {
    const lower: [string, number][] = [
      ['a', 5],
      ['b', 3],
      ['c', 3],
    ];
    const upper: [string, number][] = [
      ['x', 4],
      ['y', 3],
      ['z', 1],
    ];
    expect(mergeSplitTops(lower, upper, 5)).toEqual([
      ['a', 5],
      ['x', 4],
      ['b', 3],
      ['c', 3],
      ['y', 3],
    ]);
    expect(mergeSplitTops([], upper, 2)).toEqual([
      ['x', 4],
      ['y', 3],
    ]);
  });
});
