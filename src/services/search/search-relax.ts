// Relaxes a query's exact phrases, then its exclusions, when they leave (almost) no paper, and says so.
import type { ParsedQuery } from '../../index/lexical/query.ts';

/** A requirement that leaves fewer papers than this is dropped (its words still count for ranking). */
export const RELAX_BELOW = 3;

export interface Relaxed {
  query: ParsedQuery;
  /** One sentence per requirement dropped, for the page's notice. */
  notes: string[];
}

const quoteList = (xs: readonly string[]): string => xs.map((x) => `“${x}”`).join(', ');

function papers(n: number): string {
  return n === 0 ? 'No paper has' : `Only ${n} paper${n === 1 ? '' : 's'} ha${n === 1 ? 's' : 've'}`;
}

/**
 * Drops required phrases (their words stay as scored words) when fewer than RELAX_BELOW papers match with
 * them and more match without; then, the same way, exclusions. `count(q)` is how many papers match `q`,
 * up to RELAX_BELOW.
 */
export function relaxQuery(q: ParsedQuery, count: (q: ParsedQuery) => number): Relaxed {
  const notes: string[] = [];
  if (q.phrases.length + q.excludeWords.length + q.excludePhrases.length === 0) return { query: q, notes };
  let n = count(q);
  if (n >= RELAX_BELOW) return { query: q, notes };
  let query = q;
  if (q.phrases.length > 0) {
    const loose: ParsedQuery = { ...q, phrases: [], words: [...q.words, ...q.phrases] };
    const m = count(loose);
    if (m > n) {
      const s = q.phrases.length === 1 ? '' : 's';
      notes.push(
        `${papers(n)} the exact phrase${s} ${quoteList(q.phrases)}; showing results without it${s === '' ? '' : ' (them)'}.`,
      );
      query = loose;
      n = m;
    }
  }
  if (n < RELAX_BELOW && query.excludeWords.length + query.excludePhrases.length > 0) {
    const kept: ParsedQuery = { ...query, excludeWords: [], excludePhrases: [] };
    const m = count(kept);
    if (m > n) {
      const excluded = [...query.excludeWords, ...query.excludePhrases];
      notes.push(
        `${n === 0 ? 'No paper is' : `Only ${n} paper${n === 1 ? ' is' : 's are'}`} left once ${quoteList(excluded)} ${excluded.length === 1 ? 'is' : 'are'} excluded; showing results that may contain ${excluded.length === 1 ? 'it' : 'them'}.`,
      );
      query = kept;
    }
  }
  return { query, notes };
}
