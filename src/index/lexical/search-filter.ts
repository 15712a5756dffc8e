// Compiles a parsed query's filters, required phrases and exclusions into per-document tests.
import { dateKey } from './date-bound.ts';
import {
  docsWithAllTerms,
  docsWithAnyTerm,
  intersectInto,
  phraseChecker,
  unionInto,
  type DocMask,
} from './doc-masks.ts';
import { categoryTerm, featureTerm, type IndexState } from './index-state.ts';
import type { ParsedQuery } from './query.ts';
import { analyze, analyzeName } from './tokenizer.ts';

/** The tests a candidate document must pass before it may enter the top k. */
export interface SearchFilter {
  /** Cheap test (liveness, dates, categories, authors, excluded words), run on every candidate. */
  accept: (d: number) => boolean;
  /** Costly test (phrase positions), run lazily on the best candidates only; null when there is none. */
  verify: ((d: number) => boolean) | null;
}

/** Term ids of analyzed text; -1 for terms the index has never seen. */
function termIdsOf(state: IndexState, terms: readonly string[]): number[] {
  return terms.map((t) => state.terms.get(t) ?? -1);
}

/**
 * Term ids of each required phrase (quoted words) of `q`, after analysis; a phrase that analyzes to nothing
 * (stopwords only) is dropped, an unknown word is -1.
 */
export function requiredPhrases(state: IndexState, q: ParsedQuery): number[][] {
  return q.phrases.map((p) => termIdsOf(state, analyze(p))).filter((p) => p.length > 0);
}

/** Applies every "must" condition that a mask can express; null when there is none. */
function requiredMask(state: IndexState, q: ParsedQuery, phrases: readonly number[][]): DocMask | null {
  let required: DocMask | null = null;
  const need = (m: DocMask): void => {
    required = required === null ? m : intersectInto(required, m);
  };
  if (q.categories.length > 0) need(docsWithAnyTerm(state, termIdsOf(state, q.categories.map(categoryTerm))));
  for (const kind of q.has) need(docsWithAnyTerm(state, termIdsOf(state, [featureTerm(kind)])));
  for (const author of q.authors) need(docsWithAllTerms(state, termIdsOf(state, analyzeName(author)), true));
  for (const phrase of phrases) need(docsWithAllTerms(state, phrase, false));
  return required;
}

/** Applies every "must not" condition that a mask can express; multi-term phrases go to `phraseCandidates`. */
function blockedMask(
  state: IndexState,
  q: ParsedQuery,
  excludedPhrases: readonly number[][],
): [DocMask | null, DocMask | null] {
  let blocked: DocMask | null = null;
  const block = (m: DocMask): void => {
    blocked = blocked === null ? m : unionInto(blocked, m);
  };
  if (q.excludeCategories.length > 0)
    block(docsWithAnyTerm(state, termIdsOf(state, q.excludeCategories.map(categoryTerm))));
  if (q.excludeHas.length > 0) block(docsWithAnyTerm(state, termIdsOf(state, q.excludeHas.map(featureTerm))));
  for (const author of q.excludeAuthors)
    block(docsWithAllTerms(state, termIdsOf(state, analyzeName(author)), true));
  let phraseCandidates: DocMask | null = null;
  for (const phrase of excludedPhrases) {
    if (phrase.length === 1) block(docsWithAnyTerm(state, phrase));
    else {
      const m = docsWithAllTerms(state, phrase, false);
      phraseCandidates = phraseCandidates === null ? m : unionInto(phraseCandidates, m);
    }
  }
  return [blocked, phraseCandidates];
}

/**
 * Builds the filter for `q`. Multi-word exclusions ("-deep-learning", -"large model") act as phrases. With
 * `phrasesChecked`, the required phrases are left out of both tests: the caller finds only documents that
 * hold them (see phrase-match.ts) and skips building their masks.
 * @example const f = compileFilter(state, parseQuery('llm cat:cs.CL -survey')); f.accept(12)
 */
export function compileFilter(
  state: IndexState,
  q: ParsedQuery,
  options: { phrasesChecked?: boolean } = {},
): SearchFilter {
  const { alive, dates } = state.docs;
  const since = dateKey(q.since);
  const before = dateKey(q.before);
  const phrases = options.phrasesChecked === true ? [] : requiredPhrases(state, q);
  const excluded = [...q.excludeWords, ...q.excludePhrases]
    .map((p) => termIdsOf(state, analyze(p)))
    .filter((p) => p.length > 0 && !p.includes(-1));
  const required = requiredMask(state, q, phrases);
  const [blocked, excludedCandidates] = blockedMask(state, q, excluded);
  const accept = (d: number): boolean => {
    if (alive[d] !== 1) return false;
    if (since !== 0 || before !== 0) {
      const date = dates[d] ?? 0;
      if (date === 0 || (since !== 0 && date < since) || (before !== 0 && date >= before)) return false;
    }
    return (required === null || required[d] === 1) && (blocked === null || blocked[d] !== 1);
  };
  const multiPhrases = phrases.filter((p) => p.length > 1);
  const hasAll = multiPhrases.length > 0 ? phraseChecker(state, multiPhrases, 'all') : null;
  const multiExcluded = excluded.filter((p) => p.length > 1);
  const hasAny = excludedCandidates !== null ? phraseChecker(state, multiExcluded, 'any') : null;
  const verify =
    hasAll === null && hasAny === null
      ? null
      : (d: number): boolean =>
          (hasAll === null || hasAll(d)) && (hasAny === null || excludedCandidates?.[d] !== 1 || !hasAny(d));
  return { accept, verify };
}
