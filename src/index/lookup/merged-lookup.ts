// The tables of a lookup file and the in-memory tables of papers added since, answering as one.
import type { LookupFile } from './lookup-file.ts';
import type { SpellingSource, SpellingVocabulary } from './spelling-vocabulary.ts';
import type { Postings, SuggestIndex, SuggestSource } from './suggest-index.ts';

function* mapped<T>(list: Iterable<T>, f: (e: T) => T): Generator<T> {
  for (const e of list) yield f(e);
}

function* joined<T>(a: Iterable<T>, b: Iterable<T>): Generator<T> {
  yield* a;
  yield* b;
}

/**
 * Postings of the file followed, key by key, by those of the papers added since: what one table would hold had
 * it been built over all the papers in that order. `fromFile` brings a file entry up to date (a paper rewritten
 * since, an author's or topic's papers added since).
 */
function mergedPostings<T>(
  file: Postings<T>,
  delta: Postings<T>,
  fromFile: (e: T) => T,
  /** True while the file's entries of these postings are all up to date (so refs may rule them out). */
  fileCurrent: () => boolean = () => true,
): Postings<T> {
  return {
    refSets: (keys, cap) => (fileCurrent() ? (file.refSets?.(keys, cap) ?? null) : null),
    prefixRefSet: (prefix, cap) => (fileCurrent() ? (file.prefixRefSet?.(prefix, cap) ?? null) : null),
    size: (key) => file.size(key) + delta.size(key),
    list: (key) => joined(mapped(file.list(key), fromFile), delta.list(key)),
    prefixSize: (prefix, cap) => Math.min(cap, file.prefixSize(prefix, cap) + delta.prefixSize(prefix, cap)),
    *prefixLists(prefix) {
      const a = file.prefixLists(prefix)[Symbol.iterator]();
      const b = delta.prefixLists(prefix)[Symbol.iterator]();
      let x = a.next();
      let y = b.next();
      while (x.done !== true || y.done !== true) {
        if (x.done !== true && (y.done === true || x.value[0] < y.value[0])) {
          yield [x.value[0], mapped(x.value[1], fromFile)] as const;
          x = a.next();
        } else if (y.done !== true && (x.done === true || y.value[0] < x.value[0])) {
          yield y.value;
          y = b.next();
        } else if (x.done !== true && y.done !== true) {
          yield [x.value[0], joined(mapped(x.value[1], fromFile), y.value[1])] as const;
          x = a.next();
          y = b.next();
        }
      }
    },
  };
}

/**
 * One SuggestSource over a lookup file and a SuggestIndex made with the file's `base` (papers added since).
 * @example suggestFrom(mergedSuggest(file, delta), 'graph neu')
 */
export function mergedSuggest(file: LookupFile, delta: SuggestIndex): SuggestSource {
  for (const code of file.categories.keys()) delta.addCategory(code);
  const d = delta.source;
  return {
    // A file title is looked up in memory only once a paper of the file was rewritten since (reading its id
    // reads its record): until then every file entry is current and may be ruled out by its ref alone.
    titles: mergedPostings(
      file.titles,
      d.titles,
      (e) => (delta.rewritten === 0 ? e : (delta.titleOf(e.id) ?? e)),
      () => delta.rewritten === 0,
    ),
    authors: mergedPostings(file.authors, d.authors, (e) => {
      const more = delta.authorCount(e.name);
      return more === 0 ? e : { ...e, papers: e.papers + more };
    }),
    topics: mergedPostings(file.topics, d.topics, (e) => {
      const more = delta.pairCount(e.pair);
      return more === 0 ? e : { ...e, papers: e.papers + more };
    }),
    categoryKeys: d.categoryKeys,
    categoryNames: d.categoryNames,
    categoryCount: (code) => (file.categories.get(code) ?? 0) + d.categoryCount(code),
  };
}

/**
 * One SpellingSource over a lookup file and a SpellingVocabulary of the papers added since (made with
 * minCandidate 1, so a word that becomes a candidate only with its new papers is offered too).
 */
export function mergedSpelling(file: LookupFile, delta: SpellingVocabulary): SpellingSource {
  const f = file.spelling;
  return {
    countOf: (w) => f.countOf(w) + delta.countOf(w),
    mayBeCandidate: (w) => f.mayBeCandidate(w) || delta.countOf(w) > 0,
    *farCandidates(w) {
      yield* f.farCandidates(w);
      yield* delta.farCandidates(w);
    },
  };
}
