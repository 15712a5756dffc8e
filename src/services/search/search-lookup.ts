// The spelling vocabulary and suggestion tables of one process, built from the store once and kept in step.
import type { Paper } from '../../domain/index.ts';
import { categoryNames } from '../../ingest/arxiv-taxonomy.ts';
import { createPacer } from '../../platform/index.ts';
import { SpellingVocabulary } from '../../index/lookup/spelling-vocabulary.ts';
import { SuggestIndex } from '../../index/lookup/suggest-index.ts';
import type { Store } from '../../store/store.ts';
import type { SearchIndexes } from './search-indexes.ts';

/** Papers read per page of the build's scan (a SQLite page is read synchronously, so it stays small). */
const PAGE = 500;

export interface LookupTables {
  spelling: SpellingVocabulary;
  suggest: SuggestIndex;
}

export interface SearchLookup {
  /** The tables, built on first use (a scan of the store: about 2 s at 75k papers) and brought up to date. */
  tables(): Promise<LookupTables>;
  /** The tables if already built (papers changed since are applied first), else null without waiting. */
  ready(): Promise<LookupTables | null>;
  /** Starts building in the background (serve calls it so the first misspelling does not wait). */
  warm(): void;
}

function addPaper(t: LookupTables, p: Paper): void {
  t.spelling.addText(`${p.title} ${p.abstract} ${p.authors.join(' ')}`);
  t.suggest.add({ id: p.id, title: p.title, authors: p.authors, categories: p.categories });
}

/**
 * Follows the same change log as the search indexes: changed papers are re-read and added (a removed or
 * rewritten paper's old words keep their counts until the next rebuild, which only makes those words look
 * a little more common); a full index rebuild rebuilds the tables on next use.
 * @example const lookup = createSearchLookup(store, indexes); (await lookup.tables()).spelling.correct('transfomer')
 */
export function createSearchLookup(store: Store, indexes: SearchIndexes): SearchLookup {
  let building: Promise<LookupTables> | null = null;
  let built: LookupTables | null = null;
  const pending = new Set<string>();
  indexes.onPapersChanged((ids) => {
    if (built === null && building === null) return;
    if (ids === null) {
      built = null;
      building = null;
      pending.clear();
    } else for (const id of ids) pending.add(id);
  });

  async function build(): Promise<LookupTables> {
    const t: LookupTables = {
      spelling: new SpellingVocabulary(),
      suggest: new SuggestIndex(categoryNames()),
    };
    // Serve builds this right after start-up, while requests arrive: adding a page of papers took 0.3–1.6 s
    // in one block (docs/BENCHMARKS.md, library import), so the work runs in short slices with turns between.
    const pace = createPacer();
    for await (const page of store.papers.scan(PAGE)) {
      for (const p of page) {
        addPaper(t, p);
        await pace();
      }
      // Scanning is synchronous on SQLite: give waiting requests a turn between pages too.
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    pending.clear();
    built = t;
    return t;
  }

  async function catchUp(t: LookupTables): Promise<LookupTables> {
    if (pending.size === 0) return t;
    const ids = [...pending];
    pending.clear();
    for (const p of await store.papers.getMany(ids)) addPaper(t, p);
    return t;
  }

  return {
    async tables() {
      if (built !== null) return catchUp(built);
      building ??= build();
      return catchUp(await building);
    },
    async ready() {
      return built === null ? null : catchUp(built);
    },
    warm() {
      building ??= build();
      building.catch(() => {
        building = null;
      });
    },
  };
}
