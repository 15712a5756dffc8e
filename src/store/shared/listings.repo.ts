// Browsing (papers by date window, author and category, and the votes behind trending), written once for
// both engines; only the change counter behind the caches is the engine's own (passed in as `version`).
import { sql } from 'kysely';
import { addDays, isDay, normalizeAuthorName } from '../../domain/index.ts';
import type { ListingRepo, WindowQuery } from '../store.ts';
import { rowToPaper } from '../rows/paper-rows.ts';
import { arg, type QueryDb } from '../kysely/query-db.ts';

/**
 * Creates the listing repository (read-only queries over papers, votes and their links). `version` is the
 * engine's change counter: SQLite's data_version and total_changes, PostgreSQL's trigger-bumped sequence.
 */
export function createListingRepo(q: QueryDb, version: () => Promise<number>): ListingRepo {
  const { db } = q;
  /** The window's papers, joined to the category when the query names one. */
  const inWindow = (w: WindowQuery) => {
    const papers = db.selectFrom('papers as p');
    const cat = w.category;
    const scoped =
      cat === undefined
        ? papers
        : papers.innerJoin('paper_categories as c', (j) =>
            j.onRef('c.paper_pk', '=', 'p.pk').on('c.category', '=', cat),
          );
    return scoped.where('p.sort_date', '>=', w.from).where('p.sort_date', '<', w.to);
  };
  // The reads behind every listing page, compiled once (QueryDb.prepare); the rest are built per call.
  const windowIds = q.prepare((d) =>
    d
      .selectFrom('papers as p')
      .select('p.id')
      .where('p.sort_date', '>=', arg<string>('from'))
      .where('p.sort_date', '<', arg<string>('to'))
      .orderBy(sql`substr(p.sort_date, 1, 10)`, 'desc')
      .orderBy('p.id'),
  );
  const windowIdsIn = q.prepare((d) =>
    d
      .selectFrom('papers as p')
      .innerJoin('paper_categories as c', (j) =>
        j.onRef('c.paper_pk', '=', 'p.pk').on('c.category', '=', arg<string>('category')),
      )
      .select('p.id')
      .where('p.sort_date', '>=', arg<string>('from'))
      .where('p.sort_date', '<', arg<string>('to'))
      .orderBy(sql`substr(p.sort_date, 1, 10)`, 'desc')
      .orderBy('p.id'),
  );
  const maxBeforeQ = q.prepare((d) =>
    d
      .selectFrom('papers')
      .select((eb) => eb.fn.max('sort_date').as('d'))
      .where('sort_date', '<', arg<string>('day')),
  );
  const minFrom = q.prepare((d) =>
    d
      .selectFrom('papers')
      .select((eb) => eb.fn.min('sort_date').as('d'))
      .where('sort_date', '>=', arg<string>('day')),
  );
  const byCategory = q.prepare((d) =>
    d
      .selectFrom('paper_categories as c')
      .innerJoin('papers as p', 'p.pk', 'c.paper_pk')
      .selectAll('p')
      .where('c.category', '=', arg<string>('category'))
      .orderBy('p.sort_date', 'desc')
      .orderBy('p.pk', 'desc')
      .limit(arg<number>('limit'))
      .offset(arg<number>('offset')),
  );
  const categorySize = q.prepare((d) =>
    d
      .selectFrom('paper_categories')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('category', '=', arg<string>('category')),
  );
  const maxBefore = async (day: string): Promise<string | null> =>
    (await maxBeforeQ.first({ day }))?.d ?? null;
  return {
    async windowIds(w) {
      const rows =
        w.category === undefined
          ? await windowIds.all({ from: w.from, to: w.to })
          : await windowIdsIn.all({ category: w.category, from: w.from, to: w.to });
      return rows.map((r) => r.id);
    },
    async windowVotes(w) {
      const rows = await inWindow(w)
        .innerJoin('votes as v', 'v.paper_pk', 'p.pk')
        .select([
          'p.id',
          sql<number>`(v.cast_ms / 3600000) * 3600000`.as('at'),
          (eb) => eb.fn.countAll<number>().as('n'),
        ])
        .groupBy(['p.pk', sql.ref('at')])
        .execute();
      return rows.map((r) => [r.id, r.at, r.n] as const);
    },
    async neighbours(day) {
      // A malformed day has no next day (SQLite's date(day, '+1 day') is NULL for it, too).
      let next: string | null = null;
      if (isDay(day)) {
        next = (await minFrom.first({ day: addDays(day, 1) }))?.d ?? null;
      }
      return { prev: (await maxBefore(day))?.slice(0, 10) ?? null, next: next?.slice(0, 10) ?? null };
    },
    async latestDay(notAfter) {
      return (await maxBefore(`${notAfter}\uffff`))?.slice(0, 10) ?? null;
    },
    async byAuthor(name, limit, offset) {
      const key = normalizeAuthorName(name);
      const byKey = db
        .selectFrom('authors as a')
        .innerJoin('paper_authors as pa', 'pa.author_pk', 'a.pk')
        .where('a.name_key', '=', key);
      const rows = await byKey
        .innerJoin('papers as p', 'p.pk', 'pa.paper_pk')
        .selectAll('p')
        .groupBy('p.pk')
        .orderBy('p.sort_date', 'desc')
        .orderBy('p.pk', 'desc')
        .limit(limit)
        .offset(offset)
        .execute();
      const total = await byKey
        .select((eb) => eb.fn.count<number>('pa.paper_pk').distinct().as('n'))
        .executeTakeFirst();
      return { papers: rows.map(rowToPaper), total: total?.n ?? 0 };
    },
    async byCategory(category, limit, offset) {
      const rows = await byCategory.all({ category, limit, offset });
      const total = await categorySize.first({ category });
      return { papers: rows.map(rowToPaper), total: total?.n ?? 0 };
    },
    version,
  };
}
