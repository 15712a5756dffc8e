// PostgreSQL repository for browsing: papers by date window, author and category, and the votes behind trending.
import { addDays, isDay, normalizeAuthorName } from '../../domain/index.ts';
import type { ListingRepo, WindowQuery } from '../store.ts';
import { rowToPaper, type PaperRow } from '../rows/paper-rows.ts';
import { queryCount, queryOne, queryRows, type PgDb } from './pg-db.ts';

const IN_WINDOW = 'p.sort_date >= $1 AND p.sort_date < $2';
const IN_CATEGORY = 'JOIN paper_categories c ON c.paper_pk = p.pk AND c.category = $3';
const HOUR = '(v.cast_ms / 3600000) * 3600000';

const windowParams = (w: WindowQuery): string[] =>
  w.category !== undefined ? [w.from, w.to, w.category] : [w.from, w.to];

/**
 * Creates the listing repository (read-only queries over papers, votes and their links).
 */
export function createPgListingRepo(db: PgDb): ListingRepo {
  const maxBefore = async (day: string): Promise<string | null> =>
    (
      await queryOne<{ d: string | null }>(
        db,
        'SELECT max(sort_date) AS d FROM papers WHERE sort_date < $1',
        [day],
      )
    )?.d ?? null;
  return {
    async windowIds(w) {
      const cat = w.category !== undefined ? IN_CATEGORY : '';
      const rows = await queryRows<{ id: string }>(
        db,
        `SELECT p.id FROM papers p ${cat} WHERE ${IN_WINDOW} ORDER BY substr(p.sort_date, 1, 10) DESC, p.id`,
        windowParams(w),
      );
      return rows.map((r) => r.id);
    },
    async windowVotes(w) {
      const cat = w.category !== undefined ? IN_CATEGORY : '';
      const rows = await queryRows<{ id: string; at: number; n: number }>(
        db,
        `SELECT p.id, ${HOUR} AS at, count(*) AS n FROM papers p ${cat} JOIN votes v ON v.paper_pk = p.pk
         WHERE ${IN_WINDOW} GROUP BY p.pk, at`,
        windowParams(w),
      );
      return rows.map((r) => [r.id, r.at, r.n] as const);
    },
    async neighbours(day) {
      // SQLite's date(day, '+1 day') is NULL for a malformed day, and so is the next day here.
      const next = isDay(day)
        ? ((
            await queryOne<{ d: string | null }>(
              db,
              'SELECT min(sort_date) AS d FROM papers WHERE sort_date >= $1',
              [addDays(day, 1)],
            )
          )?.d ?? null)
        : null;
      return { prev: (await maxBefore(day))?.slice(0, 10) ?? null, next: next?.slice(0, 10) ?? null };
    },
    async latestDay(notAfter) {
      return (await maxBefore(`${notAfter}\uffff`))?.slice(0, 10) ?? null;
    },
    async byAuthor(name, limit, offset) {
      const key = normalizeAuthorName(name);
      const rows = await queryRows<PaperRow>(
        db,
        `SELECT p.* FROM authors a JOIN paper_authors pa ON pa.author_pk = a.pk JOIN papers p ON p.pk = pa.paper_pk
         WHERE a.name_key = $1 GROUP BY p.pk ORDER BY p.sort_date DESC, p.pk DESC LIMIT $2 OFFSET $3`,
        [key, limit, offset],
      );
      const total = await queryCount(
        db,
        `SELECT count(DISTINCT pa.paper_pk) AS n FROM authors a JOIN paper_authors pa ON pa.author_pk = a.pk
         WHERE a.name_key = $1`,
        [key],
      );
      return { papers: rows.map(rowToPaper), total };
    },
    async byCategory(category, limit, offset) {
      const rows = await queryRows<PaperRow>(
        db,
        `SELECT p.* FROM paper_categories c JOIN papers p ON p.pk = c.paper_pk
         WHERE c.category = $1 ORDER BY p.sort_date DESC, p.pk DESC LIMIT $2 OFFSET $3`,
        [category, limit, offset],
      );
      const total = await queryCount(db, 'SELECT count(*) AS n FROM paper_categories WHERE category = $1', [
        category,
      ]);
      return { papers: rows.map(rowToPaper), total };
    },
    async version() {
      // Moves on every statement that writes papers or votes, from any node (a trigger bumps the sequence).
      return (await queryOne<{ v: number }>(db, 'SELECT last_value AS v FROM listing_version'))?.v ?? 0;
    },
  };
}
