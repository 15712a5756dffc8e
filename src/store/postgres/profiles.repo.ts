// PostgreSQL repository for reader profiles (handles, the upvote-list setting) and who submitted which paper.
import type { ProfileRepo } from '../collections.ts';
import {
  handleKey,
  isUniqueViolation,
  toProfile,
  toSubmitter,
  type ProfileRow,
  type SubmitterRow,
} from '../rows/collection-rows.ts';
import { execCount, queryCount, queryOne, queryRows, type PgDb } from './pg-db.ts';

const PROFILE =
  'SELECT p.user_id, p.handle, u.name, p.show_upvotes FROM profiles p JOIN users u ON u.id = p.user_id';
const SUBMITTER = `SELECT p.id, s.user_id, pr.handle, u.name, s.submitted_at FROM paper_submissions s
  JOIN papers p ON p.pk = s.paper_pk JOIN users u ON u.id = s.user_id LEFT JOIN profiles pr ON pr.user_id = s.user_id`;

/**
 * Creates the profiles repository.
 * @example await createPgProfileRepo(db, now).setHandle(1, 'ada');
 */
export function createPgProfileRepo(db: PgDb, now: () => Date): ProfileRepo {
  const profile = async (sql: string, param: unknown) => {
    const r = await queryOne<ProfileRow>(db, sql, [param]);
    return r ? toProfile(r) : null;
  };
  const ids = async (sql: string, params: unknown[]) =>
    (await queryRows<{ id: string }>(db, sql, params)).map((r) => r.id);
  return {
    get: (userId) => profile(`${PROFILE} WHERE p.user_id = $1`, userId),
    byHandle: (handle) => profile(`${PROFILE} WHERE p.handle_key = $1`, handleKey(handle)),
    async setHandle(userId, handle) {
      try {
        await db.query(
          `INSERT INTO profiles (user_id, handle, handle_key, updated_at) VALUES ($1, $2, $3, $4)
           ON CONFLICT (user_id) DO UPDATE SET handle = excluded.handle, handle_key = excluded.handle_key,
             updated_at = excluded.updated_at`,
          [userId, handle, handleKey(handle), now().toISOString()],
        );
        return true;
      } catch (err) {
        if (isUniqueViolation(err)) return false;
        throw err;
      }
    },
    async setShowUpvotes(userId, on) {
      const sql = 'UPDATE profiles SET show_upvotes = $1, updated_at = $2 WHERE user_id = $3';
      return (await execCount(db, sql, [on ? 1 : 0, now().toISOString(), userId])) > 0;
    },
    async handlesOf(userIds) {
      if (userIds.length === 0) return new Map();
      const rows = await queryRows<{ user_id: number; handle: string }>(
        db,
        'SELECT user_id, handle FROM profiles WHERE user_id = ANY($1::bigint[])',
        [userIds],
      );
      return new Map(rows.map((r) => [r.user_id, r.handle]));
    },
    async recordSubmission(userId, paperId) {
      const paper = await queryOne<{ pk: number }>(db, 'SELECT pk FROM papers WHERE id = $1', [paperId]);
      if (!paper) return false;
      await db.query(
        'INSERT INTO paper_submissions (paper_pk, user_id, submitted_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING',
        [paper.pk, userId, now().toISOString()],
      );
      return true;
    },
    async submitter(paperId) {
      const r = await queryOne<SubmitterRow>(db, `${SUBMITTER} WHERE p.id = $1`, [paperId]);
      return r ? toSubmitter(r) : null;
    },
    async submitters(paperIds) {
      if (paperIds.length === 0) return new Map();
      const rows = await queryRows<SubmitterRow>(db, `${SUBMITTER} WHERE p.id = ANY($1::text[])`, [paperIds]);
      return new Map(rows.map((r) => [r.id, toSubmitter(r)]));
    },
    async submittedBy(userId, limit, offset) {
      return {
        paperIds: await ids(
          `SELECT p.id FROM paper_submissions s JOIN papers p ON p.pk = s.paper_pk
           WHERE s.user_id = $1 ORDER BY s.submitted_at DESC, p.pk DESC LIMIT $2 OFFSET $3`,
          [userId, limit, offset],
        ),
        total: await queryCount(db, 'SELECT count(*) AS n FROM paper_submissions WHERE user_id = $1', [
          userId,
        ]),
      };
    },
    async upvotedBy(userId, limit, offset) {
      return {
        paperIds: await ids(
          `SELECT p.id FROM votes v JOIN papers p ON p.pk = v.paper_pk
           WHERE v.user_id = $1 ORDER BY v.cast_ms DESC, p.pk DESC LIMIT $2 OFFSET $3`,
          [userId, limit, offset],
        ),
        total: await queryCount(db, 'SELECT count(*) AS n FROM votes WHERE user_id = $1', [userId]),
      };
    },
  };
}
