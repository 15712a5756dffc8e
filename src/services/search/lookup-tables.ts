// The spelling vocabulary and suggestion tables themselves: made from the store's papers, asked by word or query.
import type { Paper } from '../../domain/index.ts';
import { categoryNames } from '../../ingest/arxiv-taxonomy.ts';
import { writeLookupFile } from '../../index/lookup/lookup-file-write.ts';
import { SpellingVocabulary } from '../../index/lookup/spelling-vocabulary.ts';
import { SuggestIndex } from '../../index/lookup/suggest-index.ts';
import type { Store } from '../../store/store.ts';

/** The lookup file's name in the index folder (beside the snapshot generations: it follows its own change seq). */
export const LOOKUP_FILE = 'lookup.bin';

/** Papers read per page of the build's scan (a SQLite page is read synchronously, so it stays small). */
const PAGE = 500;

export interface LookupTables {
  spelling: SpellingVocabulary;
  suggest: SuggestIndex;
}

/** What a spelling correction needs to know of a word: its likeliest correction, and how many papers hold it. */
export interface SpellingLookup {
  correct(word: string): string | null;
  count(word: string): number;
}

/** One word's answers, as a worker sends them back: the word, its correction (or null) and its count. */
export type SpellingAnswer = readonly [word: string, correction: string | null, count: number];

export function emptyLookupTables(): LookupTables {
  return { spelling: new SpellingVocabulary(), suggest: new SuggestIndex(categoryNames()) };
}

export function addLookupPaper(t: LookupTables, p: Paper): void {
  t.spelling.addText(`${p.title} ${p.abstract} ${p.authors.join(' ')}`);
  t.suggest.add({ id: p.id, title: p.title, authors: p.authors, categories: p.categories });
}

/**
 * Adds every paper of the store. `pause` is awaited after each paper (a pacer on the event loop; nothing on a
 * worker thread) and a turn is given between pages, since a SQLite page is read synchronously.
 */
export async function fillLookupTables(
  t: LookupTables,
  store: Store,
  pause: () => Promise<void> = async () => undefined,
): Promise<void> {
  for await (const page of store.papers.scan(PAGE)) {
    for (const p of page) {
      addLookupPaper(t, p);
      await pause();
    }
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
}

/** Tables built over the store, with the change-log position they were built from (for a lookup file). */
export interface BuiltLookupTables {
  tables: LookupTables;
  seq: number;
}

/**
 * Builds the tables over the whole store (`seq` is read first: a paper changed during the scan is also in the
 * change log after it, so one opening the file later replays it).
 */
export async function buildLookupTables(
  store: Store,
  pause?: () => Promise<void>,
): Promise<BuiltLookupTables> {
  const seq = await store.papers.latestChangeSeq();
  const tables = emptyLookupTables();
  await fillLookupTables(tables, store, pause);
  return { tables, seq };
}

/** Writes built tables as a lookup file at `path` (see lookup-file-write.ts). */
export function saveLookupTables(built: BuiltLookupTables, path: string): void {
  writeLookupFile(path, {
    suggest: built.tables.suggest.contents(),
    spelling: built.tables.spelling,
    seq: built.seq,
  });
}

/** The vocabulary's answers for `words`, to be sent to another thread. */
export function spellingAnswers(spelling: SpellingLookup, words: readonly string[]): SpellingAnswer[] {
  return words.map((w) => [w, spelling.correct(w), spelling.count(w)] as const);
}

/** A SpellingLookup over the answers for a known set of words (a word not asked about is unknown). */
export function answeredSpelling(answers: readonly SpellingAnswer[]): SpellingLookup {
  const byWord = new Map(answers.map((a) => [a[0], a]));
  return {
    correct: (w) => byWord.get(w)?.[1] ?? null,
    count: (w) => byWord.get(w)?.[2] ?? 0,
  };
}
