// Row shapes of "For you" signals (follow and not-interested marks, saved searches, candidate papers) shared by
// the SQLite and PostgreSQL engines, and their mappings.
import type { ForYouCandidate, SavedSearch } from '../foryou.ts';

/** One follows or not_interested row: (kind, target) with a label and a time. */
export interface MarkRow {
  kind: string;
  target: string;
  label: string;
  created_at: string;
}

/** One saved_searches row. */
export interface SavedSearchRow {
  id: number;
  query: string;
  created_at: string;
}

/** A papers row reduced to what the For-you ranking reads (authors and categories as JSON text). */
export interface CandidateRow {
  id: string;
  title: string;
  day: string;
  authors: string;
  categories: string;
}

/**
 * Maps a follow or not-interested row to its mark, typed with the table's kind.
 */
export function toMark<K extends string>(
  r: MarkRow,
): { kind: K; key: string; label: string; createdAt: string } {
  return { kind: r.kind as K, key: r.target, label: r.label, createdAt: r.created_at };
}

/**
 * Maps a saved_searches row to a SavedSearch.
 * @example toSavedSearch({ id: 1, query: 'diffusion', created_at: t }).query; // 'diffusion'
 */
export function toSavedSearch(r: SavedSearchRow): SavedSearch {
  return { id: r.id, query: r.query, createdAt: r.created_at };
}

/**
 * Maps a candidate paper row to a ForYouCandidate, parsing its JSON author and category lists.
 * @example toCandidate({ ...row, categories: '["cs.LG"]' }).categories; // ['cs.LG']
 */
export function toCandidate(r: CandidateRow): ForYouCandidate {
  return {
    id: r.id,
    title: r.title,
    day: r.day,
    authors: JSON.parse(r.authors) as string[],
    categories: JSON.parse(r.categories) as string[],
  };
}
