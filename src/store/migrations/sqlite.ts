// Versioned schema migrations for the SQLite engine, applied in order on open.

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const SQLITE_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'papers, authors, categories, change log, ingest runs',
    sql: `
      CREATE TABLE papers (
        pk INTEGER PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        arxiv_id TEXT UNIQUE,
        version INTEGER,
        doi TEXT,
        title TEXT NOT NULL,
        title_key TEXT NOT NULL,
        abstract TEXT NOT NULL,
        authors TEXT NOT NULL,
        categories TEXT NOT NULL,
        primary_category TEXT,
        published TEXT,
        updated TEXT,
        announced TEXT,
        sort_date TEXT NOT NULL,
        comment TEXT,
        journal_ref TEXT,
        license TEXT,
        abs_url TEXT,
        pdf_url TEXT,
        content_hash TEXT NOT NULL,
        created_at TEXT NOT NULL,
        modified_at TEXT NOT NULL
      );
      CREATE INDEX papers_doi ON papers(doi) WHERE doi IS NOT NULL;
      CREATE INDEX papers_title_key ON papers(title_key);
      CREATE INDEX papers_sort_date ON papers(sort_date DESC, pk DESC);
      CREATE TABLE authors (
        pk INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE,
        name_key TEXT NOT NULL
      );
      CREATE INDEX authors_name_key ON authors(name_key);
      CREATE TABLE paper_authors (
        paper_pk INTEGER NOT NULL REFERENCES papers(pk) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        author_pk INTEGER NOT NULL REFERENCES authors(pk),
        PRIMARY KEY (paper_pk, position)
      ) WITHOUT ROWID;
      CREATE INDEX paper_authors_author ON paper_authors(author_pk);
      CREATE TABLE paper_categories (
        category TEXT NOT NULL,
        paper_pk INTEGER NOT NULL REFERENCES papers(pk) ON DELETE CASCADE,
        PRIMARY KEY (category, paper_pk)
      ) WITHOUT ROWID;
      CREATE INDEX paper_categories_paper ON paper_categories(paper_pk);
      CREATE TABLE paper_changes (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        paper_id TEXT NOT NULL,
        op TEXT NOT NULL CHECK (op IN ('upsert', 'delete'))
      );
      CREATE TABLE ingest_runs (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        source TEXT NOT NULL,
        started_at TEXT NOT NULL,
        finished_at TEXT,
        status TEXT NOT NULL,
        added INTEGER NOT NULL DEFAULT 0,
        updated INTEGER NOT NULL DEFAULT 0,
        unchanged INTEGER NOT NULL DEFAULT 0,
        rejected INTEGER NOT NULL DEFAULT 0,
        errors TEXT NOT NULL DEFAULT '[]',
        checkpoint TEXT
      );
      CREATE INDEX ingest_runs_source ON ingest_runs(source, id);
    `,
  },
];
