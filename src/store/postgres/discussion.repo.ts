// PostgreSQL repository for the discussion: comments, their votes and reports, notifications, suspensions.
import type { DiscussionRepo } from '../discussion.ts';
import {
  COMMENT_COLUMNS,
  COMMENT_FROM,
  NOTIFICATION_SELECT,
  toComment,
  toNotification,
  type CommentRow,
  type NotificationRow,
  type ReportRow,
} from '../rows/comment-rows.ts';
import { execCount, queryCount, queryOne, queryRows, withTransaction, type PgDb } from './pg-db.ts';

const VISIBLE = 'c.hidden_at IS NULL AND c.deleted_at IS NULL';

/**
 * Creates the discussion repository. Id lists travel as one array parameter.
 * @example const c = await createPgDiscussionRepo(db, now).add({ paperId, userId, parentId: null, body: 'Hi' });
 */
export function createPgDiscussionRepo(db: PgDb, now: () => Date): DiscussionRepo {
  const stamp = (): string => now().toISOString();
  const get = async (id: number): Promise<ReturnType<typeof toComment> | null> => {
    const r = await queryOne<CommentRow>(
      db,
      `SELECT ${COMMENT_COLUMNS} FROM ${COMMENT_FROM} WHERE c.id = $1`,
      [id],
    );
    return r ? toComment(r) : null;
  };
  return {
    async add(c) {
      const id = await withTransaction(db, async (t) => {
        const paper = await queryOne<{ pk: number }>(t, 'SELECT pk FROM papers WHERE id = $1', [c.paperId]);
        if (!paper) return null;
        const at = stamp();
        const row = await queryOne<{ id: number }>(
          t,
          'INSERT INTO comments (paper_pk, user_id, parent_id, body, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id',
          [paper.pk, c.userId, c.parentId, c.body, at],
        );
        if (!row) throw new Error('comment insert returned nothing');
        // The reply notice first: a parent author who also saved the paper hears "reply", the closer relation.
        if (c.parentId !== null)
          await t.query(
            `INSERT INTO notifications (user_id, kind, comment_id, created_at)
             SELECT user_id, 'reply', $1, $2 FROM comments WHERE id = $3 AND user_id <> $4 ON CONFLICT DO NOTHING`,
            [row.id, at, c.parentId, c.userId],
          );
        await t.query(
          `INSERT INTO notifications (user_id, kind, comment_id, created_at)
           SELECT user_id, 'library', $1, $2 FROM library WHERE paper_pk = $3 AND user_id <> $4
           ON CONFLICT DO NOTHING`,
          [row.id, at, paper.pk, c.userId],
        );
        return row.id;
      });
      return id === null ? null : get(id);
    },
    get,
    async forPaper(paperId) {
      const rows = await queryRows<CommentRow>(
        db,
        `SELECT ${COMMENT_COLUMNS} FROM ${COMMENT_FROM} WHERE p.id = $1 ORDER BY c.created_at, c.id`,
        [paperId],
      );
      return rows.map(toComment);
    },
    async byAuthor(userId, limit) {
      const rows = await queryRows<CommentRow>(
        db,
        `SELECT ${COMMENT_COLUMNS} FROM ${COMMENT_FROM} WHERE c.user_id = $1 AND ${VISIBLE}
         ORDER BY c.created_at DESC, c.id DESC LIMIT $2`,
        [userId, limit],
      );
      return rows.map(toComment);
    },
    async countByAuthor(userId, sinceIso) {
      return queryCount(db, 'SELECT count(*) AS n FROM comments WHERE user_id = $1 AND created_at >= $2', [
        userId,
        sinceIso,
      ]);
    },
    async edit(id, body) {
      await db.query('UPDATE comments SET body = $1, edited_at = $2 WHERE id = $3', [body, stamp(), id]);
    },
    async markDeleted(id) {
      await db.query("UPDATE comments SET body = '', deleted_at = $1 WHERE id = $2", [stamp(), id]);
    },
    async setHidden(id, hidden) {
      await db.query('UPDATE comments SET hidden_at = $1 WHERE id = $2', [hidden ? stamp() : null, id]);
    },
    async vote(userId, commentId, on, atMs) {
      return withTransaction(db, async (t) => {
        if (on)
          await t.query(
            'INSERT INTO comment_votes (user_id, comment_id, cast_ms) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING',
            [userId, commentId, atMs],
          );
        else
          await t.query('DELETE FROM comment_votes WHERE user_id = $1 AND comment_id = $2', [
            userId,
            commentId,
          ]);
        return queryCount(t, 'SELECT count(*) AS n FROM comment_votes WHERE comment_id = $1', [commentId]);
      });
    },
    async votedAmong(userId, ids) {
      if (ids.length === 0) return new Set();
      const rows = await queryRows<{ id: number }>(
        db,
        'SELECT comment_id AS id FROM comment_votes WHERE user_id = $1 AND comment_id = ANY($2::bigint[])',
        [userId, ids],
      );
      return new Set(rows.map((r) => r.id));
    },
    async counts(paperIds) {
      if (paperIds.length === 0) return new Map();
      const rows = await queryRows<{ id: string; n: number }>(
        db,
        `SELECT p.id, count(*) AS n FROM papers p JOIN comments c ON c.paper_pk = p.pk
         WHERE p.id = ANY($1::text[]) AND ${VISIBLE} GROUP BY p.pk`,
        [paperIds],
      );
      return new Map(rows.map((r) => [r.id, r.n]));
    },
    async report(commentId, userId, reason) {
      const n = await execCount(
        db,
        `INSERT INTO comment_reports (comment_id, user_id, reason, created_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT DO NOTHING`,
        [commentId, userId, reason, stamp()],
      );
      return n > 0;
    },
    async openReports(limit) {
      const rows = await queryRows<ReportRow>(
        db,
        `SELECT ${COMMENT_COLUMNS}, r.reports, r.reasons, r.last_at FROM (
           SELECT comment_id, count(*) AS reports,
                  json_agg(reason ORDER BY created_at DESC, id DESC)::text AS reasons, max(created_at) AS last_at
           FROM comment_reports WHERE resolved_at IS NULL GROUP BY comment_id
         ) r JOIN comments c ON c.id = r.comment_id
         JOIN papers p ON p.pk = c.paper_pk JOIN users u ON u.id = c.user_id LEFT JOIN profiles pr ON pr.user_id = c.user_id
         ORDER BY r.reports DESC, r.last_at DESC LIMIT $1`,
        [limit],
      );
      return rows.map((r) => ({
        commentId: r.id,
        reports: Number(r.reports),
        reasons: JSON.parse(r.reasons) as string[],
        lastAt: r.last_at,
        comment: toComment(r),
      }));
    },
    async resolveReports(commentId) {
      return execCount(
        db,
        'UPDATE comment_reports SET resolved_at = $1 WHERE comment_id = $2 AND resolved_at IS NULL',
        [stamp(), commentId],
      );
    },
    async suspend(userId, byUserId) {
      await db.query(
        `INSERT INTO account_suspensions (user_id, suspended_by, created_at) VALUES ($1, $2, $3)
         ON CONFLICT DO NOTHING`,
        [userId, byUserId, stamp()],
      );
    },
    async unsuspend(userId) {
      await db.query('DELETE FROM account_suspensions WHERE user_id = $1', [userId]);
    },
    async isSuspended(userId) {
      return (
        (await queryOne(db, 'SELECT 1 AS one FROM account_suspensions WHERE user_id = $1', [userId])) !==
        undefined
      );
    },
    async notifications(userId, limit, sinceIso = '') {
      const rows = await queryRows<NotificationRow>(
        db,
        `${NOTIFICATION_SELECT} WHERE n.user_id = $1 AND n.created_at >= $2 AND ${VISIBLE}
         ORDER BY n.id DESC LIMIT $3`,
        [userId, sinceIso, limit],
      );
      return rows.map(toNotification);
    },
    async unreadCount(userId) {
      return queryCount(
        db,
        `SELECT count(*) AS n FROM notifications n JOIN comments c ON c.id = n.comment_id
         WHERE n.user_id = $1 AND n.read_at IS NULL AND ${VISIBLE}`,
        [userId],
      );
    },
    async markAllRead(userId) {
      return execCount(db, 'UPDATE notifications SET read_at = $1 WHERE user_id = $2 AND read_at IS NULL', [
        stamp(),
        userId,
      ]);
    },
  };
}
