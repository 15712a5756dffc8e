// SQLite FTS5 bm25() as a reference retriever: the score Paperboy's lexical search must match or beat.
import Database from 'better-sqlite3';

/** An in-memory FTS5 table over (title, body, authors) with a given tokenizer. */
export interface Fts5Baseline {
  search(text: string, k: number): string[];
  close(): void;
}

/** FTS5 query syntax would read claims' punctuation as operators, so each word is quoted and OR-ed. */
export function fts5OrQuery(text: string): string | null {
  const words = text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
  return words.length === 0 ? null : [...new Set(words)].map((w) => `"${w}"`).join(' OR ');
}

/**
 * Builds the baseline; `tokenizer` is FTS5's tokenize option ('unicode61' is the default, 'porter unicode61' stems).
 * @example const fts = createFts5Baseline(docs, 'unicode61'); fts.search('graph neural networks', 10)
 */
export function createFts5Baseline(
  docs: Iterable<{ id: string; title: string; body: string; authors?: string }>,
  tokenizer = 'unicode61',
): Fts5Baseline {
  const db = new Database(':memory:');
  db.exec(
    `CREATE VIRTUAL TABLE t USING fts5(title, body, authors, tokenize='${tokenizer.replace(/'/g, '')}')`,
  );
  const insert = db.prepare('INSERT INTO t(rowid, title, body, authors) VALUES (?, ?, ?, ?)');
  const ids: string[] = [];
  db.transaction(() => {
    for (const d of docs) {
      ids.push(d.id);
      insert.run(ids.length, d.title, d.body, d.authors ?? '');
    }
  })();
  const query = db.prepare('SELECT rowid FROM t WHERE t MATCH ? ORDER BY bm25(t) LIMIT ?').pluck();
  return {
    search(text, k) {
      const q = fts5OrQuery(text);
      if (q === null) return [];
      return (query.all(q, k) as number[]).map((rowid) => ids[rowid - 1] ?? '');
    },
    close: () => db.close(),
  };
}
