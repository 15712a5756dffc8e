// PostgreSQL repository for upvotes: one per reader per paper, with the time it was cast.
import type { VoteRepo } from '../store.ts';
import { queryCount, queryOne, queryRows, withTransaction, type PgDb } from './pg-db.ts';

/**
 * Creates the vote repository. Id lists travel as one array parameter.
 * @example await createPgVoteRepo(db).set(1, '2503.11677', true, Date.now()); // { voted: true, count: 1 }
 */
export function createPgVoteRepo(db: PgDb): VoteRepo {
  return {
    async set(userId, paperId, on, atMs) {
      return withTransaction(db, async (c) => {
        const row = await queryOne<{ pk: number }>(c, 'SELECT pk FROM papers WHERE id = $1', [paperId]);
        if (!row) return null;
        if (on) {
          await c.query(
            'INSERT INTO votes (user_id, paper_pk, cast_ms) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING',
            [userId, row.pk, atMs],
          );
        } else {
          await c.query('DELETE FROM votes WHERE user_id = $1 AND paper_pk = $2', [userId, row.pk]);
        }
        return {
          voted: on,
          count: await queryCount(c, 'SELECT count(*) AS n FROM votes WHERE paper_pk = $1', [row.pk]),
        };
      });
    },
    async counts(paperIds) {
      if (paperIds.length === 0) return new Map();
      const rows = await queryRows<{ id: string; n: number }>(
        db,
        `SELECT p.id, count(*) AS n FROM papers p JOIN votes v ON v.paper_pk = p.pk
         WHERE p.id = ANY($1::text[]) GROUP BY p.pk`,
        [paperIds],
      );
      return new Map(rows.map((r) => [r.id, r.n]));
    },
    async votedBy(userId, paperIds) {
      if (paperIds.length === 0) return new Set();
      const rows = await queryRows<{ id: string }>(
        db,
        `SELECT p.id FROM papers p JOIN votes v ON v.paper_pk = p.pk WHERE v.user_id = $1 AND p.id = ANY($2::text[])`,
        [userId, paperIds],
      );
      return new Set(rows.map((r) => r.id));
    },
    async has(userId, paperId) {
      const r = await queryOne(
        db,
        'SELECT 1 AS one FROM votes v JOIN papers p ON p.pk = v.paper_pk WHERE v.user_id = $1 AND p.id = $2',
        [userId, paperId],
      );
      return r !== undefined;
    },
  };
}
