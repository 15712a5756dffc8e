// The suggestion tables' memory per paper (#23): they are held for every paper of the store, so bytes per paper decide a node's size.
import { runInNewContext } from 'node:vm';
import { setFlagsFromString } from 'node:v8';
import { describe, expect, it } from 'vitest';
import { SuggestIndex } from '../../src/index/lookup/suggest-index.ts';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/** Heap in use once garbage is collected. */
function liveHeap(): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

/** A seeded stream of titles from a 4,000-word vocabulary and fresh author names, like a large arXiv import. */
function* papers(
  n: number,
): Generator<{ id: string; title: string; authors: string[]; categories: string[] }> {
  let seed = 23;
  const next = (m: number): number => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed % m;
  };
  const word = (i: number): string => `w${i.toString(36)}ord`;
  for (let i = 0; i < n; i++) {
    const title = Array.from({ length: 8 + next(6) }, () => word(next(4000))).join(' ');
    const authors = Array.from({ length: 1 + next(4) }, (_, a) => `Given${next(3000)} Family${i}x${a}`);
    yield { id: `2501.${String(i).padStart(5, '0')}`, title, authors, categories: ['cs.LG'] };
  }
}

describe('suggestion table memory', () => {
  it('holds a paper in under 800 bytes: titles and names kept as one folded string each, not word arrays', () => {
    const n = 20_000;
    const docs = [...papers(n)];
    const before = liveHeap();
    const index = new SuggestIndex();
    for (const d of docs) index.add(d);
    const perPaper = (liveHeap() - before) / n;
    // Still answers from the compact entries.
    const first = docs[0]!;
    expect(
      index.suggest(first.title.split(' ').slice(0, 2).join(' ')).some((s) => s.value === first.id),
    ).toBe(true);
    expect(index.suggest(`family0x0`).map((s) => s.label)).toContain(first.authors[0]);
    // Measured 1,134 bytes a paper with word arrays beside each title and name, 529 with one string each.
    expect(perPaper).toBeLessThan(800);
  });
});
