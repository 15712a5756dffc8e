// PostgreSQL repository for readers' libraries: saved papers with tags (tags also indexed for filtering).
import type { TagCount } from '../../domain/index.ts';
import type { LibraryRepo } from '../store.ts';
import { toLibraryEntry, type LibraryEntryRow } from '../rows/library-rows.ts';
import { execCount, queryCount, queryOne, queryRows, withTransaction, type PgDb } from './pg-db.ts';

const ENTRY = 'SELECT p.id, l.tags, l.saved_at FROM library l JOIN papers p ON p.pk = l.paper_pk';

/**
 * Creates the library repository; saving again replaces the tags and keeps the first save time.
 */
export function createPgLibraryRepo(db: PgDb, now: () => Date): LibraryRepo {
  return {
    async save(userId, paperId, tags) {
      return withTransaction(db, async (c) => {
        const row = await queryOne<{ pk: number }>(c, 'SELECT pk FROM papers WHERE id = $1', [paperId]);
        if (!row) return false;
        await c.query(
          `INSERT INTO library (user_id, paper_pk, tags, saved_at) VALUES ($1, $2, $3, $4)
           ON CONFLICT (user_id, paper_pk) DO UPDATE SET tags = excluded.tags`,
          [userId, row.pk, JSON.stringify(tags), now().toISOString()],
        );
        await c.query('DELETE FROM library_tags WHERE user_id = $1 AND paper_pk = $2', [userId, row.pk]);
        await c.query(
          `INSERT INTO library_tags (user_id, tag, paper_pk) SELECT $1, tag, $3 FROM unnest($2::text[]) AS t(tag)
           ON CONFLICT DO NOTHING`,
          [userId, [...new Set(tags)], row.pk],
        );
        return true;
      });
    },
    async saveMany(userId, paperIds, tags) {
      if (paperIds.length === 0) return [];
      return withTransaction(db, async (c) => {
        const known = await queryRows<{ pk: number; id: string }>(
          c,
          'SELECT pk, id FROM papers WHERE id = ANY($1::text[])',
          [[...new Set(paperIds)]],
        );
        const pks = known.map((r) => r.pk);
        await c.query(
          `INSERT INTO library (user_id, paper_pk, tags, saved_at) SELECT $1, pk, $3, $4 FROM unnest($2::bigint[]) AS t(pk)
           ON CONFLICT (user_id, paper_pk) DO UPDATE SET tags = excluded.tags`,
          [userId, pks, JSON.stringify(tags), now().toISOString()],
        );
        await c.query('DELETE FROM library_tags WHERE user_id = $1 AND paper_pk = ANY($2::bigint[])', [
          userId,
          pks,
        ]);
        await c.query(
          `INSERT INTO library_tags (user_id, tag, paper_pk) SELECT $1, tag, pk FROM unnest($2::text[]) AS t(tag)
           CROSS JOIN unnest($3::bigint[]) AS p(pk) ON CONFLICT DO NOTHING`,
          [userId, [...new Set(tags)], pks],
        );
        const ids = new Set(known.map((r) => r.id));
        return paperIds.filter((id) => ids.has(id));
      });
    },
    async remove(userId, paperId) {
      const sql =
        'DELETE FROM library l USING papers p WHERE p.pk = l.paper_pk AND l.user_id = $1 AND p.id = $2';
      return (await execCount(db, sql, [userId, paperId])) > 0;
    },
    async get(userId, paperId) {
      const r = await queryOne<LibraryEntryRow>(db, `${ENTRY} WHERE l.user_id = $1 AND p.id = $2`, [
        userId,
        paperId,
      ]);
      return r ? toLibraryEntry(r) : null;
    },
    async list(userId, lq) {
      if (lq.tag !== undefined) {
        const rows = await queryRows<LibraryEntryRow>(
          db,
          `SELECT p.id, l.tags, l.saved_at FROM library_tags t
           JOIN library l ON l.user_id = t.user_id AND l.paper_pk = t.paper_pk JOIN papers p ON p.pk = t.paper_pk
           WHERE t.user_id = $1 AND t.tag = $2 ORDER BY l.saved_at DESC, p.pk DESC LIMIT $3 OFFSET $4`,
          [userId, lq.tag, lq.limit, lq.offset],
        );
        const total = await queryCount(
          db,
          'SELECT count(*) AS n FROM library_tags WHERE user_id = $1 AND tag = $2',
          [userId, lq.tag],
        );
        return { entries: rows.map(toLibraryEntry), total };
      }
      const rows = await queryRows<LibraryEntryRow>(
        db,
        `${ENTRY} WHERE l.user_id = $1 ORDER BY l.saved_at DESC, p.pk DESC LIMIT $2 OFFSET $3`,
        [userId, lq.limit, lq.offset],
      );
      return {
        entries: rows.map(toLibraryEntry),
        total: await queryCount(db, 'SELECT count(*) AS n FROM library WHERE user_id = $1', [userId]),
      };
    },
    async tags(userId) {
      return queryRows<TagCount>(
        db,
        'SELECT tag, count(*) AS count FROM library_tags WHERE user_id = $1 GROUP BY tag ORDER BY tag',
        [userId],
      );
    },
    async savedAmong(userId, paperIds) {
      if (paperIds.length === 0) return new Set();
      const rows = await queryRows<{ id: string }>(
        db,
        `${ENTRY} WHERE l.user_id = $1 AND p.id = ANY($2::text[])`,
        [userId, paperIds],
      );
      return new Set(rows.map((r) => r.id));
    },
  };
}
