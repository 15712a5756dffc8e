// Versioned schema migrations for the SQLite engine, applied in order on open.

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/**
 * Migration 18's indexes, the same on both engines: a delete of a paper or an account reaches these rows through their
 * foreign keys, and without an index leading with the key column each such delete read the whole table (#23: every
 * paper delete scanned `library`).
 */
export const FOREIGN_KEY_INDEXES = `
  CREATE INDEX library_paper ON library(paper_pk);
  CREATE INDEX email_tokens_user ON email_tokens(user_id);
  CREATE INDEX comment_votes_user ON comment_votes(user_id);
  CREATE INDEX comment_reports_user ON comment_reports(user_id);
  CREATE INDEX account_suspensions_by ON account_suspensions(suspended_by);
`;

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
  {
    version: 2,
    name: 'accounts, sessions, API tokens, e-mail links, votes, library',
    sql: `
      CREATE TABLE users (
        id INTEGER PRIMARY KEY,
        email TEXT NOT NULL UNIQUE,
        name TEXT NOT NULL DEFAULT '',
        password_hash TEXT NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      );
      CREATE TABLE sessions (
        token_hash TEXT PRIMARY KEY,
        user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        created_at TEXT NOT NULL,
        expires_at TEXT NOT NULL
      ) WITHOUT ROWID;
      CREATE INDEX sessions_user ON sessions(user_id);
      CREATE TABLE api_tokens (
        id INTEGER PRIMARY KEY,
        user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        name TEXT NOT NULL,
        prefix TEXT NOT NULL,
        token_hash TEXT NOT NULL UNIQUE,
        created_at TEXT NOT NULL,
        last_used_at TEXT
      );
      CREATE INDEX api_tokens_user ON api_tokens(user_id);
      CREATE TABLE email_tokens (
        token_hash TEXT PRIMARY KEY,
        purpose TEXT NOT NULL CHECK (purpose IN ('signup', 'reset', 'email-change')),
        email TEXT NOT NULL,
        user_id INTEGER REFERENCES users(id) ON DELETE CASCADE,
        payload TEXT NOT NULL DEFAULT '{}',
        created_at TEXT NOT NULL,
        expires_at TEXT NOT NULL,
        used_at TEXT
      ) WITHOUT ROWID;
      CREATE INDEX email_tokens_expiry ON email_tokens(expires_at);
      CREATE TABLE votes (
        user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        paper_pk INTEGER NOT NULL REFERENCES papers(pk) ON DELETE CASCADE,
        cast_ms INTEGER NOT NULL,
        PRIMARY KEY (user_id, paper_pk)
      ) WITHOUT ROWID;
      CREATE INDEX votes_paper ON votes(paper_pk, cast_ms);
      CREATE TABLE library (
        user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        paper_pk INTEGER NOT NULL REFERENCES papers(pk) ON DELETE CASCADE,
        tags TEXT NOT NULL DEFAULT '[]',
        saved_at TEXT NOT NULL,
        PRIMARY KEY (user_id, paper_pk)
      ) WITHOUT ROWID;
      CREATE INDEX library_recent ON library(user_id, saved_at);
      CREATE TABLE library_tags (
        user_id INTEGER NOT NULL,
        tag TEXT NOT NULL,
        paper_pk INTEGER NOT NULL,
        PRIMARY KEY (user_id, tag, paper_pk),
        FOREIGN KEY (user_id, paper_pk) REFERENCES library(user_id, paper_pk) ON DELETE CASCADE
      ) WITHOUT ROWID;
      CREATE INDEX library_tags_paper ON library_tags(user_id, paper_pk);
    `,
  },
  {
    version: 3,
    name: 'paper vectors per model, trained embedding models, settings',
    sql: `
      CREATE TABLE paper_vectors (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        model TEXT NOT NULL,
        paper_id TEXT NOT NULL,
        content_hash TEXT NOT NULL,
        vector BLOB NOT NULL,
        UNIQUE (model, paper_id)
      );
      CREATE TABLE models (
        name TEXT PRIMARY KEY,
        kind TEXT NOT NULL,
        created_at TEXT NOT NULL,
        info TEXT NOT NULL DEFAULT '{}',
        data BLOB NOT NULL
      );
      CREATE TABLE settings (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
      );
    `,
  },
  {
    version: 4,
    name: 'for-you signals: follows, saved searches, not interested, seen papers, interest texts, visits',
    sql: `
      CREATE TABLE follows (
        user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        kind TEXT NOT NULL CHECK (kind IN ('author', 'category')),
        target TEXT NOT NULL,
        label TEXT NOT NULL,
        created_at TEXT NOT NULL,
        PRIMARY KEY (user_id, kind, target)
      ) WITHOUT ROWID;
      CREATE TABLE saved_searches (
        id INTEGER PRIMARY KEY,
        user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        query TEXT NOT NULL,
        created_at TEXT NOT NULL,
        UNIQUE (user_id, query)
      );
      CREATE TABLE not_interested (
        user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        kind TEXT NOT NULL CHECK (kind IN ('paper', 'author')),
        target TEXT NOT NULL,
        label TEXT NOT NULL,
        created_at TEXT NOT NULL,
        PRIMARY KEY (user_id, kind, target)
      ) WITHOUT ROWID;
      CREATE TABLE seen_papers (
        user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        paper_id TEXT NOT NULL,
        seen_at TEXT NOT NULL,
        PRIMARY KEY (user_id, paper_id)
      ) WITHOUT ROWID;
      CREATE TABLE interest_texts (
        id INTEGER PRIMARY KEY,
        user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        title TEXT NOT NULL,
        title_key TEXT NOT NULL,
        abstract TEXT NOT NULL,
        source TEXT NOT NULL,
        created_at TEXT NOT NULL,
        UNIQUE (user_id, title_key)
      );
      CREATE TABLE foryou_visits (
        user_id INTEGER PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
        previous_at TEXT,
        last_at TEXT NOT NULL
      );
      CREATE INDEX votes_user ON votes(user_id, cast_ms);
    `,
  },
  {
    version: 5,
    name: 'digest subscriptions, outbox, delivery attempts, papers sent per subscriber',
    sql: `
      CREATE TABLE digest_subscriptions (
        id INTEGER PRIMARY KEY,
        email TEXT NOT NULL UNIQUE,
        user_id INTEGER REFERENCES users(id) ON DELETE SET NULL,
        status TEXT NOT NULL CHECK (status IN ('pending', 'active', 'unsubscribed', 'bouncing')),
        confirm_hash TEXT UNIQUE,
        frequency TEXT NOT NULL DEFAULT 'daily' CHECK (frequency IN ('daily', 'weekly')),
        send_hour INTEGER NOT NULL DEFAULT 7 CHECK (send_hour BETWEEN 0 AND 23),
        time_zone TEXT NOT NULL DEFAULT 'UTC',
        weekday INTEGER NOT NULL DEFAULT 1 CHECK (weekday BETWEEN 0 AND 6),
        sections TEXT NOT NULL DEFAULT '["trending"]',
        max_papers INTEGER NOT NULL DEFAULT 10 CHECK (max_papers BETWEEN 1 AND 50),
        created_at TEXT NOT NULL,
        token_at TEXT NOT NULL,
        confirmed_at TEXT,
        updated_at TEXT NOT NULL
      );
      CREATE INDEX digest_subscriptions_active ON digest_subscriptions(status, id);
      CREATE TABLE digest_outbox (
        id INTEGER PRIMARY KEY,
        subscription_id INTEGER NOT NULL REFERENCES digest_subscriptions(id) ON DELETE CASCADE,
        digest_date TEXT NOT NULL,
        status TEXT NOT NULL
          CHECK (status IN ('queued', 'sending', 'sent', 'failed', 'bounced', 'skipped')),
        message_id TEXT NOT NULL UNIQUE,
        content TEXT NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 0,
        next_attempt_at TEXT NOT NULL,
        lease_until TEXT,
        owner TEXT,
        last_error TEXT,
        created_at TEXT NOT NULL,
        sent_at TEXT,
        UNIQUE (subscription_id, digest_date)
      );
      CREATE INDEX digest_outbox_due ON digest_outbox(status, next_attempt_at);
      CREATE TABLE digest_attempts (
        id INTEGER PRIMARY KEY,
        outbox_id INTEGER NOT NULL REFERENCES digest_outbox(id) ON DELETE CASCADE,
        attempt INTEGER NOT NULL,
        at TEXT NOT NULL,
        outcome TEXT NOT NULL CHECK (outcome IN ('sent', 'transient', 'permanent')),
        smtp_code INTEGER,
        detail TEXT NOT NULL DEFAULT ''
      );
      CREATE INDEX digest_attempts_outbox ON digest_attempts(outbox_id, attempt);
      CREATE TABLE digest_sent_papers (
        subscription_id INTEGER NOT NULL REFERENCES digest_subscriptions(id) ON DELETE CASCADE,
        paper_id TEXT NOT NULL,
        digest_date TEXT NOT NULL,
        PRIMARY KEY (subscription_id, paper_id)
      ) WITHOUT ROWID;
    `,
  },
  {
    version: 6,
    name: 'job leases: scheduled jobs run on one node at a time',
    sql: `
      CREATE TABLE job_leases (
        name TEXT PRIMARY KEY,
        holder TEXT NOT NULL,
        lease_until TEXT NOT NULL,
        acquired_at TEXT NOT NULL
      ) WITHOUT ROWID;
    `,
  },
  {
    version: 7,
    name: 'digest subscriptions by account (settings lists those under an earlier address)',
    sql: `
      CREATE INDEX digest_subscriptions_user ON digest_subscriptions(user_id) WHERE user_id IS NOT NULL;
    `,
  },
  {
    version: 8,
    name: 'for-you speed: vectors of a model by sequence, a window of papers from the index alone',
    sql: `
      CREATE INDEX paper_vectors_model_seq ON paper_vectors(model, seq);
      CREATE INDEX papers_window ON papers(sort_date DESC, pk DESC, id, categories);
    `,
  },
  {
    version: 9,
    name: 'interest texts within the limits imports now enforce: paper-sized titles and abstracts, 1,000 per reader',
    sql: `
      DELETE FROM interest_texts WHERE length(title) > 2000 OR length(abstract) > 65536;
      DELETE FROM interest_texts WHERE id IN (
        SELECT id FROM (
          SELECT id, row_number() OVER (PARTITION BY user_id ORDER BY id DESC) AS newest FROM interest_texts
        ) ranked WHERE newest > 1000
      );
    `,
  },
  {
    version: 10,
    name: 'library feed keys can be rotated: a per-reader salt in every tag-feed key',
    sql: `
      ALTER TABLE users ADD COLUMN feed_salt TEXT NOT NULL DEFAULT '';
    `,
  },
  {
    version: 11,
    name: 'external ids: each record keeps its source id (JSONL id, BibTeX key, CSL-JSON id) per source',
    sql: `
      CREATE TABLE paper_external_ids (
        source TEXT NOT NULL,
        ext_id TEXT NOT NULL,
        paper_pk INTEGER NOT NULL REFERENCES papers(pk) ON DELETE CASCADE,
        location TEXT,
        PRIMARY KEY (source, ext_id)
      ) WITHOUT ROWID;
      CREATE INDEX paper_external_ids_ext ON paper_external_ids(ext_id);
      CREATE INDEX paper_external_ids_paper ON paper_external_ids(paper_pk);
    `,
  },
  {
    version: 12,
    name: "topics: clusters of paper vectors, their names and map geometry, and each paper's place",
    sql: `
      CREATE TABLE topics (
        id INTEGER PRIMARY KEY,
        model TEXT NOT NULL,
        label TEXT NOT NULL,
        terms TEXT NOT NULL,
        central TEXT NOT NULL,
        x REAL NOT NULL,
        y REAL NOT NULL,
        radius REAL NOT NULL,
        geometry BLOB NOT NULL,
        spread_a REAL NOT NULL,
        spread_b REAL NOT NULL
      );
      CREATE TABLE paper_topics (
        paper_id TEXT PRIMARY KEY,
        topic_id INTEGER NOT NULL REFERENCES topics(id) ON DELETE CASCADE,
        x REAL NOT NULL,
        y REAL NOT NULL,
        similarity REAL NOT NULL
      ) WITHOUT ROWID;
      CREATE INDEX paper_topics_topic ON paper_topics(topic_id);
    `,
  },
  {
    version: 13,
    name: 'collections (papers with notes, in order; votes), reader profiles with handles, who submitted a paper',
    sql: `
      CREATE TABLE profiles (
        user_id INTEGER PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
        handle TEXT NOT NULL,
        handle_key TEXT NOT NULL UNIQUE,
        show_upvotes INTEGER NOT NULL DEFAULT 0 CHECK (show_upvotes IN (0, 1)),
        updated_at TEXT NOT NULL
      );
      CREATE TABLE paper_submissions (
        paper_pk INTEGER PRIMARY KEY REFERENCES papers(pk) ON DELETE CASCADE,
        user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        submitted_at TEXT NOT NULL
      );
      CREATE INDEX paper_submissions_user ON paper_submissions(user_id, submitted_at);
      CREATE TABLE collections (
        id INTEGER PRIMARY KEY,
        slug TEXT NOT NULL UNIQUE,
        user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        title TEXT NOT NULL,
        description TEXT NOT NULL DEFAULT '',
        public INTEGER NOT NULL DEFAULT 0 CHECK (public IN (0, 1)),
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      );
      CREATE INDEX collections_user ON collections(user_id, updated_at);
      CREATE INDEX collections_public ON collections(public, updated_at);
      CREATE TABLE collection_papers (
        collection_id INTEGER NOT NULL REFERENCES collections(id) ON DELETE CASCADE,
        paper_pk INTEGER NOT NULL REFERENCES papers(pk) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        note TEXT NOT NULL DEFAULT '',
        added_at TEXT NOT NULL,
        PRIMARY KEY (collection_id, paper_pk)
      ) WITHOUT ROWID;
      CREATE INDEX collection_papers_paper ON collection_papers(paper_pk);
      CREATE TABLE collection_votes (
        collection_id INTEGER NOT NULL REFERENCES collections(id) ON DELETE CASCADE,
        user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        cast_at TEXT NOT NULL,
        PRIMARY KEY (collection_id, user_id)
      ) WITHOUT ROWID;
      CREATE INDEX collection_votes_user ON collection_votes(user_id);
    `,
  },
  {
    version: 14,
    name: 'readers can follow topics: follows take the kind topic (target: the topic id)',
    // SQLite cannot change a CHECK constraint in place: the table is rebuilt with its rows.
    sql: `
      ALTER TABLE follows RENAME TO follows_before_topics;
      CREATE TABLE follows (
        user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        kind TEXT NOT NULL CHECK (kind IN ('author', 'category', 'topic')),
        target TEXT NOT NULL,
        label TEXT NOT NULL,
        created_at TEXT NOT NULL,
        PRIMARY KEY (user_id, kind, target)
      ) WITHOUT ROWID;
      INSERT INTO follows (user_id, kind, target, label, created_at)
        SELECT user_id, kind, target, label, created_at FROM follows_before_topics;
      DROP TABLE follows_before_topics;
    `,
  },
  {
    version: 15,
    name: 'enrichment: GitHub repository facts and star history, model summaries, first-page thumbnails',
    sql: `
      CREATE TABLE repo_facts (
        repo TEXT PRIMARY KEY,
        status TEXT NOT NULL,
        stars INTEGER,
        pushed_at TEXT,
        archived INTEGER NOT NULL DEFAULT 0,
        etag TEXT,
        checked_at TEXT NOT NULL
      ) WITHOUT ROWID;
      CREATE TABLE repo_star_days (
        repo TEXT NOT NULL,
        day TEXT NOT NULL,
        stars INTEGER NOT NULL,
        PRIMARY KEY (repo, day)
      ) WITHOUT ROWID;
      CREATE TABLE paper_summaries (
        paper_id TEXT NOT NULL,
        model TEXT NOT NULL,
        prompt_version TEXT NOT NULL,
        text TEXT,
        error TEXT,
        created_at TEXT NOT NULL,
        PRIMARY KEY (paper_id, model, prompt_version)
      ) WITHOUT ROWID;
      CREATE INDEX paper_summaries_created ON paper_summaries(created_at);
      CREATE TABLE paper_thumbnails (
        paper_id TEXT PRIMARY KEY,
        image BLOB,
        width INTEGER,
        height INTEGER,
        error TEXT,
        created_at TEXT NOT NULL
      ) WITHOUT ROWID;
    `,
  },
  {
    version: 16,
    name: 'discussion: threaded comments, comment votes, reports, notifications, account suspensions',
    sql: `
      CREATE TABLE comments (
        id INTEGER PRIMARY KEY,
        paper_pk INTEGER NOT NULL REFERENCES papers(pk) ON DELETE CASCADE,
        user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        parent_id INTEGER REFERENCES comments(id) ON DELETE CASCADE
          -- Deferred: paperboy copy reads rows in storage order, where an edited parent may follow its reply.
          DEFERRABLE INITIALLY DEFERRED,
        body TEXT NOT NULL,
        created_at TEXT NOT NULL,
        edited_at TEXT,
        deleted_at TEXT,
        hidden_at TEXT
      );
      CREATE INDEX comments_paper ON comments(paper_pk, created_at);
      CREATE INDEX comments_user ON comments(user_id, created_at);
      CREATE INDEX comments_parent ON comments(parent_id);
      CREATE INDEX comments_recent ON comments(created_at);
      CREATE TABLE comment_votes (
        user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        comment_id INTEGER NOT NULL REFERENCES comments(id) ON DELETE CASCADE,
        cast_ms INTEGER NOT NULL,
        PRIMARY KEY (comment_id, user_id)
      ) WITHOUT ROWID;
      CREATE TABLE comment_reports (
        id INTEGER PRIMARY KEY,
        comment_id INTEGER NOT NULL REFERENCES comments(id) ON DELETE CASCADE,
        user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        reason TEXT NOT NULL,
        created_at TEXT NOT NULL,
        resolved_at TEXT,
        UNIQUE (comment_id, user_id)
      );
      CREATE INDEX comment_reports_open ON comment_reports(resolved_at, created_at);
      CREATE TABLE notifications (
        id INTEGER PRIMARY KEY,
        user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        kind TEXT NOT NULL CHECK (kind IN ('reply', 'library')),
        comment_id INTEGER NOT NULL REFERENCES comments(id) ON DELETE CASCADE,
        created_at TEXT NOT NULL,
        read_at TEXT,
        UNIQUE (user_id, comment_id)
      );
      CREATE INDEX notifications_user ON notifications(user_id, id);
      CREATE INDEX notifications_comment ON notifications(comment_id);
      CREATE TABLE account_suspensions (
        user_id INTEGER PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
        suspended_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
        created_at TEXT NOT NULL
      );
    `,
  },
  {
    version: 17,
    name: "enrichment writes move the listing caches' counter (nothing to do on SQLite)",
    // SQLite's counter (data_version and total_changes) already moves on every write to any table; this
    // keeps the schema versions of both engines equal, which `paperboy copy` requires.
    sql: `SELECT 1;`,
  },
  {
    version: 18,
    name: 'foreign keys indexed: deleting a paper or an account no longer reads whole tables',
    // SQLite's change counter moves on vector writes already (PostgreSQL's trigger is added here).
    sql: FOREIGN_KEY_INDEXES,
  },
];
