// Generated papers for lexical tests: words drawn from a skewed law (a few in most papers, many in few), so long
// and short posting lists meet in one query, and twins (the same text early and late in the index) so equal
// scores fall on both sides of any cut of a top k or of the documents.
import type { LexicalDoc } from '../../src/index/lexical/lexical-index.ts';
import { rng } from './random.ts';

export const SKEWED_CATEGORIES = ['cs.CL', 'cs.CV', 'cs.LG'];

/** One word `w<i>x`, i from 0 to 149, the low ones far more often (random³). */
export function skewedWord(random: () => number): string {
  return `w${Math.floor(random() ** 3 * 150)}x`;
}

export interface SkewedPapersOptions {
  /** Most words in a title and in an abstract (each has 1 to that many). */
  titleWords: number;
  abstractWords: number;
  /** Copies of the first papers, added last under the ids `twin-<i>`. */
  twins: number;
  idPrefix: string;
  authors: (i: number) => string[];
}

/** `n` papers of skewed words, a category each in turn and a date in each month of 2025, then the twins. */
export function skewedPapers(seed: number, n: number, o: SkewedPapersOptions): LexicalDoc[] {
  const random = rng(seed);
  const text = (k: number): string =>
    Array.from({ length: 1 + Math.floor(random() * k) }, () => skewedWord(random)).join(' ');
  const out = Array.from(
    { length: n },
    (_, i): LexicalDoc => ({
      id: `${o.idPrefix}-${i}`,
      title: text(o.titleWords),
      abstract: text(o.abstractWords),
      authors: o.authors(i),
      categories: [SKEWED_CATEGORIES[i % 3] ?? 'cs.CL'],
      date: `2025-${String(1 + (i % 12)).padStart(2, '0')}-03`,
    }),
  );
  for (let i = 0; i < o.twins; i++) out.push({ ...out[i]!, id: `twin-${i}` });
  return out;
}

/** What a query may carry beside its words, each with its share of queries (at most one a query). */
export type QueryExtra = readonly [share: number, make: (random: () => number) => string];

export const CATEGORY_EXTRA = (share: number): QueryExtra => [
  share,
  (random) => `cat:${SKEWED_CATEGORIES[Math.floor(random() * 3)] ?? 'cs.CL'}`,
];
export const SINCE_EXTRA = (share: number): QueryExtra => [share, () => 'since:2025-06'];
export const EXCLUSION_EXTRA = (share: number): QueryExtra => [share, (random) => `-${skewedWord(random)}`];

/** 1 to `maxWords` skewed words, and at most one of `extras` (drawn by their shares). */
export function skewedQuery(random: () => number, maxWords: number, extras: readonly QueryExtra[]): string {
  const parts = Array.from({ length: 1 + Math.floor(random() * maxWords) }, () => skewedWord(random));
  let r = random();
  for (const [share, make] of extras) {
    if (r < share) {
      parts.push(make(random));
      break;
    }
    r -= share;
  }
  return parts.join(' ');
}
