// SQLite repository for reader profiles (handles, the upvote-list setting) and who submitted which paper.
import type { ProfileRepo } from '../collections.ts';
import {
  handleKey,
  isUniqueViolation,
  toProfile,
  toSubmitter,
  type ProfileRow,
  type SubmitterRow,
} from '../rows/collection-rows.ts';
import type { SqliteDb } from './open.ts';

const PROFILE =
  'SELECT p.user_id, p.handle, u.name, p.show_upvotes FROM profiles p JOIN users u ON u.id = p.user_id';
const SUBMITTER = `SELECT p.id, s.user_id, pr.handle, u.name, s.submitted_at FROM paper_submissions s
  JOIN papers p ON p.pk = s.paper_pk JOIN users u ON u.id = s.user_id LEFT JOIN profiles pr ON pr.user_id = s.user_id`;

/**
 * Creates the profiles repository.
 * @example await createSqliteProfileRepo(db, now).setHandle(1, 'ada');
 */
export function createSqliteProfileRepo(db: SqliteDb, now: () => Date): ProfileRepo {
  const q = {
    get: db.prepare<[number], ProfileRow>(`${PROFILE} WHERE p.user_id = ?`),
    byHandle: db.prepare<[string], ProfileRow>(`${PROFILE} WHERE p.handle_key = ?`),
    setHandle: db.prepare(
      `INSERT INTO profiles (user_id, handle, handle_key, updated_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (user_id) DO UPDATE SET handle = excluded.handle, handle_key = excluded.handle_key,
         updated_at = excluded.updated_at`,
    ),
    setShow: db.prepare('UPDATE profiles SET show_upvotes = ?, updated_at = ? WHERE user_id = ?'),
    handles: db.prepare<[string], { user_id: number; handle: string }>(
      'SELECT user_id, handle FROM profiles WHERE user_id IN (SELECT value FROM json_each(?))',
    ),
    pk: db.prepare<[string], { pk: number }>('SELECT pk FROM papers WHERE id = ?'),
    submit: db.prepare(
      'INSERT INTO paper_submissions (paper_pk, user_id, submitted_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING',
    ),
    submitter: db.prepare<[string], SubmitterRow>(`${SUBMITTER} WHERE p.id = ?`),
    submitters: db.prepare<[string], SubmitterRow>(
      `${SUBMITTER} WHERE p.id IN (SELECT value FROM json_each(?))`,
    ),
    submitted: db.prepare<[number, number, number], { id: string }>(
      `SELECT p.id FROM paper_submissions s JOIN papers p ON p.pk = s.paper_pk
       WHERE s.user_id = ? ORDER BY s.submitted_at DESC, p.pk DESC LIMIT ? OFFSET ?`,
    ),
    submittedTotal: db.prepare<[number], { n: number }>(
      'SELECT count(*) AS n FROM paper_submissions WHERE user_id = ?',
    ),
    upvoted: db.prepare<[number, number, number], { id: string }>(
      `SELECT p.id FROM votes v JOIN papers p ON p.pk = v.paper_pk
       WHERE v.user_id = ? ORDER BY v.cast_ms DESC, p.pk DESC LIMIT ? OFFSET ?`,
    ),
    upvotedTotal: db.prepare<[number], { n: number }>('SELECT count(*) AS n FROM votes WHERE user_id = ?'),
  };
  return {
    async get(userId) {
      const r = q.get.get(userId);
      return r ? toProfile(r) : null;
    },
    async byHandle(handle) {
      const r = q.byHandle.get(handleKey(handle));
      return r ? toProfile(r) : null;
    },
    async setHandle(userId, handle) {
      try {
        q.setHandle.run(userId, handle, handleKey(handle), now().toISOString());
        return true;
      } catch (err) {
        if (isUniqueViolation(err)) return false;
        throw err;
      }
    },
    async setShowUpvotes(userId, on) {
      return q.setShow.run(on ? 1 : 0, now().toISOString(), userId).changes > 0;
    },
    async handlesOf(userIds) {
      if (userIds.length === 0) return new Map();
      return new Map(q.handles.all(JSON.stringify(userIds)).map((r) => [r.user_id, r.handle]));
    },
    async recordSubmission(userId, paperId) {
      const paper = q.pk.get(paperId);
      if (!paper) return false;
      q.submit.run(paper.pk, userId, now().toISOString());
      return true;
    },
    async submitter(paperId) {
      const r = q.submitter.get(paperId);
      return r ? toSubmitter(r) : null;
    },
    async submitters(paperIds) {
      if (paperIds.length === 0) return new Map();
      return new Map(q.submitters.all(JSON.stringify(paperIds)).map((r) => [r.id, toSubmitter(r)]));
    },
    async submittedBy(userId, limit, offset) {
      return {
        paperIds: q.submitted.all(userId, limit, offset).map((r) => r.id),
        total: q.submittedTotal.get(userId)?.n ?? 0,
      };
    },
    async upvotedBy(userId, limit, offset) {
      return {
        paperIds: q.upvoted.all(userId, limit, offset).map((r) => r.id),
        total: q.upvotedTotal.get(userId)?.n ?? 0,
      };
    },
  };
}
