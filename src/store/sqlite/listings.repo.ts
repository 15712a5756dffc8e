// SQLite repository for browsing: papers by date window, author and category, and the votes behind trending.
import { normalizeAuthorName } from '../../domain/index.ts';
import type { ListingRepo, WindowQuery } from '../store.ts';
import type { SqliteDb } from './open.ts';
import { rowToPaper, type PaperRow } from '../rows/paper-rows.ts';

const IN_WINDOW = 'p.sort_date >= @from AND p.sort_date < @to';
const HOUR = '(v.cast_ms / 3600000) * 3600000';

interface VoteRow {
  id: string;
  at: number;
  n: number;
}

const IN_CATEGORY = 'JOIN paper_categories c ON c.paper_pk = p.pk AND c.category = @category';

/**
 * Creates the listing repository (read-only queries over papers, votes and their links).
 */
export function createSqliteListingRepo(db: SqliteDb): ListingRepo {
  const q = {
    ids: db.prepare<[{ from: string; to: string }], { id: string }>(
      `SELECT p.id FROM papers p WHERE ${IN_WINDOW} ORDER BY substr(p.sort_date, 1, 10) DESC, p.id`,
    ),
    idsCat: db.prepare<[Required<WindowQuery>], { id: string }>(
      `SELECT p.id FROM papers p ${IN_CATEGORY} WHERE ${IN_WINDOW} ORDER BY substr(p.sort_date, 1, 10) DESC, p.id`,
    ),
    votes: db.prepare<[{ from: string; to: string }], VoteRow>(
      `SELECT p.id, ${HOUR} AS at, count(*) AS n FROM papers p JOIN votes v ON v.paper_pk = p.pk
       WHERE ${IN_WINDOW} GROUP BY p.pk, at`,
    ),
    votesCat: db.prepare<[Required<WindowQuery>], VoteRow>(
      `SELECT p.id, ${HOUR} AS at, count(*) AS n FROM papers p ${IN_CATEGORY} JOIN votes v ON v.paper_pk = p.pk
       WHERE ${IN_WINDOW} GROUP BY p.pk, at`,
    ),
    prev: db.prepare<[string], { d: string | null }>(
      'SELECT max(sort_date) AS d FROM papers WHERE sort_date < ?',
    ),
    next: db.prepare<[string], { d: string | null }>(
      "SELECT min(sort_date) AS d FROM papers WHERE sort_date >= date(?, '+1 day')",
    ),
    byAuthor: db.prepare<[string, number, number], PaperRow>(
      `SELECT p.* FROM authors a JOIN paper_authors pa ON pa.author_pk = a.pk JOIN papers p ON p.pk = pa.paper_pk
       WHERE a.name_key = ? GROUP BY p.pk ORDER BY p.sort_date DESC, p.pk DESC LIMIT ? OFFSET ?`,
    ),
    countAuthor: db.prepare<[string], { n: number }>(
      `SELECT count(DISTINCT pa.paper_pk) AS n FROM authors a JOIN paper_authors pa ON pa.author_pk = a.pk
       WHERE a.name_key = ?`,
    ),
    byCategory: db.prepare<[string, number, number], PaperRow>(
      `SELECT p.* FROM paper_categories c JOIN papers p ON p.pk = c.paper_pk
       WHERE c.category = ? ORDER BY p.sort_date DESC, p.pk DESC LIMIT ? OFFSET ?`,
    ),
    countCategory: db.prepare<[string], { n: number }>(
      'SELECT count(*) AS n FROM paper_categories WHERE category = ?',
    ),
    changes: db.prepare<[], { n: number }>('SELECT total_changes() AS n'),
  };
  return {
    async windowIds(w) {
      const rows = w.category !== undefined ? q.idsCat.all({ ...w, category: w.category }) : q.ids.all(w);
      return rows.map((r) => r.id);
    },
    async windowVotes(w) {
      const rows = w.category !== undefined ? q.votesCat.all({ ...w, category: w.category }) : q.votes.all(w);
      return rows.map((r) => [r.id, r.at, r.n] as const);
    },
    async neighbours(day) {
      return {
        prev: q.prev.get(day)?.d?.slice(0, 10) ?? null,
        next: q.next.get(day)?.d?.slice(0, 10) ?? null,
      };
    },
    async latestDay(notAfter) {
      return q.prev.get(`${notAfter}\uffff`)?.d?.slice(0, 10) ?? null;
    },
    async byAuthor(name, limit, offset) {
      const key = normalizeAuthorName(name);
      return {
        papers: q.byAuthor.all(key, limit, offset).map(rowToPaper),
        total: q.countAuthor.get(key)?.n ?? 0,
      };
    },
    async byCategory(category, limit, offset) {
      const papers = q.byCategory.all(category, limit, offset).map(rowToPaper);
      return { papers, total: q.countCategory.get(category)?.n ?? 0 };
    },
    async version() {
      // data_version moves when another connection (a CLI ingest) commits; total_changes on our own writes.
      return Number(db.pragma('data_version', { simple: true })) * 1e9 + (q.changes.get()?.n ?? 0);
    },
  };
}
