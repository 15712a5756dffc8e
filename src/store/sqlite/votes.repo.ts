// SQLite repository for upvotes: one per reader per paper, with the time it was cast.
import type { VoteRepo } from '../store.ts';
import type { SqliteDb } from './open.ts';

/**
 * Creates the vote repository. Id lists travel as one JSON parameter, so statements stay prepared.
 * @example await createSqliteVoteRepo(db).set(1, '2503.11677', true, Date.now()); // { voted: true, count: 1 }
 */
export function createSqliteVoteRepo(db: SqliteDb): VoteRepo {
  const q = {
    pk: db.prepare<[string], { pk: number }>('SELECT pk FROM papers WHERE id = ?'),
    add: db.prepare('INSERT OR IGNORE INTO votes (user_id, paper_pk, cast_ms) VALUES (?, ?, ?)'),
    remove: db.prepare('DELETE FROM votes WHERE user_id = ? AND paper_pk = ?'),
    count: db.prepare<[number], { n: number }>('SELECT count(*) AS n FROM votes WHERE paper_pk = ?'),
    has: db.prepare<[number, string], { one: number }>(
      'SELECT 1 AS one FROM votes v JOIN papers p ON p.pk = v.paper_pk WHERE v.user_id = ? AND p.id = ?',
    ),
    counts: db.prepare<[string], { id: string; n: number }>(
      `SELECT p.id, count(*) AS n FROM papers p JOIN votes v ON v.paper_pk = p.pk
       WHERE p.id IN (SELECT value FROM json_each(?)) GROUP BY p.pk`,
    ),
    votedBy: db.prepare<[number, string], { id: string }>(
      `SELECT p.id FROM papers p JOIN votes v ON v.paper_pk = p.pk
       WHERE v.user_id = ? AND p.id IN (SELECT value FROM json_each(?))`,
    ),
  };
  const setTx = db.transaction((userId: number, paperId: string, on: boolean, atMs: number) => {
    const row = q.pk.get(paperId);
    if (!row) return null;
    if (on) q.add.run(userId, row.pk, atMs);
    else q.remove.run(userId, row.pk);
    return { voted: on, count: q.count.get(row.pk)?.n ?? 0 };
  });
  return {
    async set(userId, paperId, on, atMs) {
      return setTx(userId, paperId, on, atMs);
    },
    async counts(paperIds) {
      if (paperIds.length === 0) return new Map();
      return new Map(q.counts.all(JSON.stringify(paperIds)).map((r) => [r.id, r.n]));
    },
    async votedBy(userId, paperIds) {
      if (paperIds.length === 0) return new Set();
      return new Set(q.votedBy.all(userId, JSON.stringify(paperIds)).map((r) => r.id));
    },
    async has(userId, paperId) {
      return q.has.get(userId, paperId) !== undefined;
    },
  };
}
