// "Did you mean": the query with each unknown word replaced by its likeliest corpus word.
import type { ParsedQuery } from '../index/lexical/query.ts';
import { spellingWords, type SpellingVocabulary } from '../index/lookup/spelling-vocabulary.ts';

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

/**
 * The raw query with every word of its free text (words and phrases, not filters) that the vocabulary
 * corrects replaced, or null when no word needs correcting. Long queries (pasted text) are left alone.
 * @example correctedQuery('tokenizaton cat:cs.CL', parseQuery('tokenizaton cat:cs.CL'), vocab) // 'tokenization cat:cs.CL'
 */
export function correctedQuery(raw: string, q: ParsedQuery, vocab: SpellingVocabulary): string | null {
  if (q.long) return null;
  const fixes = new Map<string, string>();
  for (const text of [...q.words, ...q.phrases])
    for (const w of spellingWords(text)) {
      const fix = vocab.correct(w);
      if (fix !== null) fixes.set(w, fix);
    }
  if (fixes.size === 0) return null;
  let out = raw;
  for (const [wrong, right] of fixes)
    out = out.replace(
      new RegExp(`(?<![\\p{L}\\p{N}])${escapeRegExp(wrong)}(?![\\p{L}\\p{N}])`, 'giu'),
      right,
    );
  return out === raw ? null : out;
}
