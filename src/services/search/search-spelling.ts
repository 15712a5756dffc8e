// "Did you mean": the query with each unknown word replaced by its likeliest corpus word.
import type { ParsedQuery } from '../../index/lexical/query.ts';
import { spellingWords } from '../../index/lookup/spelling-vocabulary.ts';
import type { SpellingLookup } from './lookup-tables.ts';

/** A search that was, or could be, answered for a corrected query. */
export interface Correction {
  /** The corrected query text. */
  query: string;
  /** The query as typed. */
  original: string;
  /** True when the results are the corrected query's ("showing results for …"); false: only a suggestion. */
  applied: boolean;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Every word `correctedQuery` asks the vocabulary about, once each. */
export function correctionWords(q: ParsedQuery): string[] {
  if (q.long) return [];
  return [...new Set([...q.words, ...q.phrases].flatMap((text) => spellingWords(text)))];
}

/**
 * The raw query with every word of its free text (words and phrases, not filters) that the vocabulary
 * corrects replaced, or null when no word needs correcting; `unknownOnly` when every corrected word occurs in
 * no paper (a rare real word is only ever offered a correction, never replaced). Long queries are left alone.
 * @example correctedQuery('tokenizaton cat:cs.CL', parseQuery('tokenizaton cat:cs.CL'), vocab) // { query: 'tokenization cat:cs.CL', unknownOnly: true }
 */
export function correctedQuery(
  raw: string,
  q: ParsedQuery,
  vocab: SpellingLookup,
): { query: string; unknownOnly: boolean } | null {
  if (q.long) return null;
  const fixes = new Map<string, string>();
  let unknownOnly = true;
  for (const text of [...q.words, ...q.phrases])
    for (const w of spellingWords(text)) {
      const fix = vocab.correct(w);
      if (fix === null) continue;
      fixes.set(w, fix);
      if (vocab.count(w) > 0) unknownOnly = false;
    }
  if (fixes.size === 0) return null;
  let out = raw;
  for (const [wrong, right] of fixes)
    out = out.replace(
      new RegExp(`(?<![\\p{L}\\p{N}])${escapeRegExp(wrong)}(?![\\p{L}\\p{N}])`, 'giu'),
      right,
    );
  return out === raw ? null : { query: out, unknownOnly };
}
