// The engines under test in bench:search, behind one small interface: Paperboy's index, MiniSearch, Orama, FTS5.
import { create, insertMultiple, search as oramaSearch } from '@orama/orama';
import Database from 'better-sqlite3';
import MiniSearch from 'minisearch';
import { createLexicalIndex } from '../../src/index/lexical/lexical-index.ts';
import { plainQuery } from '../../src/index/lexical/query.ts';
import type { BenchDoc } from './arxiv-corpus.ts';
import { fts5OrQuery } from './fts5-baseline.ts';

/** Builds an index over the docs, then answers top-k queries with ids (k = 10 unless the factory is given one). */
export interface BenchEngine {
  readonly name: string;
  build(docs: readonly BenchDoc[]): Promise<void>;
  search(query: string): Promise<string[]> | string[];
  /** Engine-specific figures for the report (e.g. snapshot size). */
  extra?(): Promise<Record<string, number>>;
}

const K = 10;

function paperboy(k = K, prune = true): BenchEngine {
  let index = createLexicalIndex();
  return {
    name: prune ? 'paperboy' : 'paperboy-exhaustive',
    build: async (docs) => {
      for (const d of docs) index.add(d);
      index.compact();
    },
    search: (q) => index.search(q, { k, prune }).map(([id]) => id),
    extra: async () => {
      const { loadLexicalIndex } = await import('../../src/index/lexical/lexical-index.ts');
      const t0 = performance.now();
      const buf = index.serialize();
      const t1 = performance.now();
      index = loadLexicalIndex(buf);
      const t2 = performance.now();
      return { snapshotMB: buf.length / 2 ** 20, serializeMs: t1 - t0, loadMs: t2 - t1 };
    },
  };
}

/**
 * Paperboy on pasted texts: `informative` scores each as a long query (its LONG_QUERY_TERMS most
 * informative terms); otherwise every term is scored (up to MAX_QUERY_TERMS), the rule's baseline. `extra` reports recall@10 of a paper for the second half of its own abstract as the query.
 */
function paperboyLong(informative: boolean, k = K): BenchEngine {
  const index = createLexicalIndex();
  let docs: readonly BenchDoc[] = [];
  // Operators aside (parseQuery's job, measured in the tests), the two differ only in the long-query rule.
  const run = (q: string): string[] =>
    index.search(plainQuery(q, { long: informative }), { k }).map(([id]) => id);
  return {
    name: informative ? 'paperboy-long' : 'paperboy-long-all-terms',
    build: async (d) => {
      docs = d;
      for (const doc of d) index.add(doc);
      index.compact();
    },
    search: run,
    extra: async () => {
      let found = 0;
      let asked = 0;
      const t0 = performance.now();
      for (let i = 0; i < docs.length && asked < 500; i += Math.floor(docs.length / 500)) {
        const words = (docs[i]?.abstract ?? '').split(/\s+/);
        if (words.length < 100) continue;
        const half = words.slice(Math.floor(words.length / 2)).join(' ');
        asked++;
        if (run(half).includes(docs[i]?.id ?? '')) found++;
      }
      return {
        halfAbstractRecall10: found / Math.max(1, asked),
        halfAbstractQueries: asked,
        halfAbstractMs: (performance.now() - t0) / Math.max(1, asked),
      };
    },
  };
}

function minisearch(k = K): BenchEngine {
  const ms = new MiniSearch<{ id: string; title: string; abstract: string; authors: string }>({
    fields: ['title', 'abstract', 'authors'],
    storeFields: [],
  });
  return {
    name: 'minisearch',
    build: async (docs) =>
      ms.addAll(
        docs.map((d) => ({ id: d.id, title: d.title, abstract: d.abstract, authors: d.authors.join(', ') })),
      ),
    search: (q) =>
      ms
        .search(q, { boost: { title: 2 } })
        .slice(0, k)
        .map((r) => String(r.id)),
  };
}

function orama(k = K): BenchEngine {
  const db = create({
    schema: { pid: 'string', title: 'string', abstract: 'string', authors: 'string' } as const,
  });
  return {
    name: 'orama',
    build: async (docs) => {
      await insertMultiple(
        db,
        docs.map((d) => ({ pid: d.id, title: d.title, abstract: d.abstract, authors: d.authors.join(', ') })),
        1000,
      );
    },
    search: async (q) => {
      const r = await oramaSearch(db, {
        term: q,
        properties: ['title', 'abstract', 'authors'],
        boost: { title: 2 },
        limit: k,
      });
      return r.hits.map((h) => String(h.document.pid));
    },
  };
}

function fts5(k = K): BenchEngine {
  const db = new Database(':memory:');
  db.exec(
    "CREATE VIRTUAL TABLE t USING fts5(title, abstract, authors, tokenize='porter unicode61 remove_diacritics 2')",
  );
  const ids: string[] = [];
  const query = db
    .prepare('SELECT rowid FROM t WHERE t MATCH ? ORDER BY bm25(t, 2.0, 1.0, 1.0) LIMIT ?')
    .pluck();
  return {
    name: 'fts5',
    build: async (docs) => {
      const insert = db.prepare('INSERT INTO t(rowid, title, abstract, authors) VALUES (?, ?, ?, ?)');
      db.transaction(() => {
        for (const d of docs) {
          ids.push(d.id);
          insert.run(ids.length, d.title, d.abstract, d.authors.join(', '));
        }
      })();
    },
    search: (q) => {
      const m = fts5OrQuery(q);
      return m === null ? [] : (query.all(m, k) as number[]).map((rowid) => ids[rowid - 1] ?? '');
    },
  };
}

export const ENGINES: Readonly<Record<string, (k?: number) => BenchEngine>> = {
  paperboy,
  /** The same index scoring every posting (no MaxScore pruning), for comparison. */
  'paperboy-exhaustive': (k?: number) => paperboy(k, false),
  /** 2,000-word pasted texts (see bench/lib/search-bench-worker.ts), most informative terms only. */
  'paperboy-long': (k?: number) => paperboyLong(true, k),
  /** The same texts scoring every term: the baseline of the long-query rule. */
  'paperboy-long-all-terms': (k?: number) => paperboyLong(false, k),
  minisearch,
  orama,
  fts5,
};
