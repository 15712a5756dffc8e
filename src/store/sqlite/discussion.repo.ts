// SQLite repository for the discussion: comments, their votes and reports, notifications, suspensions.
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
import type { SqliteDb } from './open.ts';

const VISIBLE = 'c.hidden_at IS NULL AND c.deleted_at IS NULL';

/**
 * Creates the discussion repository. Id lists travel as one JSON parameter, so statements stay prepared.
 * @example const c = await createSqliteDiscussionRepo(db, now).add({ paperId, userId, parentId: null, body: 'Hi' });
 */
export function createSqliteDiscussionRepo(db: SqliteDb, now: () => Date): DiscussionRepo {
  const q = {
    pk: db.prepare<[string], { pk: number }>('SELECT pk FROM papers WHERE id = ?'),
    insert: db.prepare<[number, number, number | null, string, string], { id: number }>(
      'INSERT INTO comments (paper_pk, user_id, parent_id, body, created_at) VALUES (?, ?, ?, ?, ?) RETURNING id',
    ),
    notifyParent: db.prepare(
      `INSERT OR IGNORE INTO notifications (user_id, kind, comment_id, created_at)
       SELECT user_id, 'reply', ?, ? FROM comments WHERE id = ? AND user_id <> ?`,
    ),
    notifyLibrary: db.prepare(
      `INSERT OR IGNORE INTO notifications (user_id, kind, comment_id, created_at)
       SELECT user_id, 'library', ?, ? FROM library WHERE paper_pk = ? AND user_id <> ?`,
    ),
    get: db.prepare<[number], CommentRow>(`SELECT ${COMMENT_COLUMNS} FROM ${COMMENT_FROM} WHERE c.id = ?`),
    forPaper: db.prepare<[string], CommentRow>(
      `SELECT ${COMMENT_COLUMNS} FROM ${COMMENT_FROM} WHERE p.id = ? ORDER BY c.created_at, c.id`,
    ),
    byAuthor: db.prepare<[number, number], CommentRow>(
      `SELECT ${COMMENT_COLUMNS} FROM ${COMMENT_FROM} WHERE c.user_id = ? AND ${VISIBLE}
       ORDER BY c.created_at DESC, c.id DESC LIMIT ?`,
    ),
    countByAuthor: db.prepare<[number, string], { n: number }>(
      'SELECT count(*) AS n FROM comments WHERE user_id = ? AND created_at >= ?',
    ),
    edit: db.prepare('UPDATE comments SET body = ?, edited_at = ? WHERE id = ?'),
    del: db.prepare("UPDATE comments SET body = '', deleted_at = ? WHERE id = ?"),
    hide: db.prepare('UPDATE comments SET hidden_at = ? WHERE id = ?'),
    addVote: db.prepare(
      'INSERT OR IGNORE INTO comment_votes (user_id, comment_id, cast_ms) VALUES (?, ?, ?)',
    ),
    removeVote: db.prepare('DELETE FROM comment_votes WHERE user_id = ? AND comment_id = ?'),
    voteCount: db.prepare<[number], { n: number }>(
      'SELECT count(*) AS n FROM comment_votes WHERE comment_id = ?',
    ),
    votedAmong: db.prepare<[number, string], { id: number }>(
      `SELECT comment_id AS id FROM comment_votes
       WHERE user_id = ? AND comment_id IN (SELECT value FROM json_each(?))`,
    ),
    counts: db.prepare<[string], { id: string; n: number }>(
      `SELECT p.id, count(*) AS n FROM papers p JOIN comments c ON c.paper_pk = p.pk
       WHERE p.id IN (SELECT value FROM json_each(?)) AND ${VISIBLE} GROUP BY p.pk`,
    ),
    report: db.prepare(
      `INSERT OR IGNORE INTO comment_reports (comment_id, user_id, reason, created_at) VALUES (?, ?, ?, ?)`,
    ),
    openReports: db.prepare<[number], ReportRow>(
      `SELECT ${COMMENT_COLUMNS}, r.reports, r.reasons, r.last_at FROM (
         SELECT comment_id, count(*) AS reports, json_group_array(reason) AS reasons, max(created_at) AS last_at
         FROM (SELECT * FROM comment_reports WHERE resolved_at IS NULL ORDER BY created_at DESC, id DESC)
         GROUP BY comment_id
       ) r JOIN comments c ON c.id = r.comment_id
         JOIN papers p ON p.pk = c.paper_pk JOIN users u ON u.id = c.user_id LEFT JOIN profiles pr ON pr.user_id = c.user_id
       ORDER BY r.reports DESC, r.last_at DESC LIMIT ?`,
    ),
    resolve: db.prepare(
      'UPDATE comment_reports SET resolved_at = ? WHERE comment_id = ? AND resolved_at IS NULL',
    ),
    suspend: db.prepare(
      'INSERT OR IGNORE INTO account_suspensions (user_id, suspended_by, created_at) VALUES (?, ?, ?)',
    ),
    unsuspend: db.prepare('DELETE FROM account_suspensions WHERE user_id = ?'),
    suspended: db.prepare<[number], { one: number }>(
      'SELECT 1 AS one FROM account_suspensions WHERE user_id = ?',
    ),
    notifications: db.prepare<[number, string, number], NotificationRow>(
      `${NOTIFICATION_SELECT} WHERE n.user_id = ? AND n.created_at >= ? AND ${VISIBLE}
       ORDER BY n.id DESC LIMIT ?`,
    ),
    unread: db.prepare<[number], { n: number }>(
      `SELECT count(*) AS n FROM notifications n JOIN comments c ON c.id = n.comment_id
       WHERE n.user_id = ? AND n.read_at IS NULL AND ${VISIBLE}`,
    ),
    markRead: db.prepare('UPDATE notifications SET read_at = ? WHERE user_id = ? AND read_at IS NULL'),
  };
  const stamp = (): string => now().toISOString();
  const addTx = db.transaction(
    (paperId: string, userId: number, parentId: number | null, body: string): number | null => {
      const paper = q.pk.get(paperId);
      if (!paper) return null;
      const at = stamp();
      const row = q.insert.get(paper.pk, userId, parentId, body, at);
      if (!row) throw new Error('comment insert returned nothing');
      // The reply notice first: a parent author who also saved the paper hears "reply", the closer relation.
      if (parentId !== null) q.notifyParent.run(row.id, at, parentId, userId);
      q.notifyLibrary.run(row.id, at, paper.pk, userId);
      return row.id;
    },
  );
  const voteTx = db.transaction((userId: number, commentId: number, on: boolean, atMs: number) => {
    if (on) q.addVote.run(userId, commentId, atMs);
    else q.removeVote.run(userId, commentId);
    return q.voteCount.get(commentId)?.n ?? 0;
  });
  const get = async (id: number): Promise<ReturnType<typeof toComment> | null> => {
    const r = q.get.get(id);
    return r ? toComment(r) : null;
  };
  return {
    async add(c) {
      const id = addTx(c.paperId, c.userId, c.parentId, c.body);
      return id === null ? null : get(id);
    },
    get,
    async forPaper(paperId) {
      return q.forPaper.all(paperId).map(toComment);
    },
    async byAuthor(userId, limit) {
      return q.byAuthor.all(userId, limit).map(toComment);
    },
    async countByAuthor(userId, sinceIso) {
      return q.countByAuthor.get(userId, sinceIso)?.n ?? 0;
    },
    async edit(id, body) {
      q.edit.run(body, stamp(), id);
    },
    async markDeleted(id) {
      q.del.run(stamp(), id);
    },
    async setHidden(id, hidden) {
      q.hide.run(hidden ? stamp() : null, id);
    },
    async vote(userId, commentId, on, atMs) {
      return voteTx(userId, commentId, on, atMs);
    },
    async votedAmong(userId, ids) {
      if (ids.length === 0) return new Set();
      return new Set(q.votedAmong.all(userId, JSON.stringify(ids)).map((r) => r.id));
    },
    async counts(paperIds) {
      if (paperIds.length === 0) return new Map();
      return new Map(q.counts.all(JSON.stringify(paperIds)).map((r) => [r.id, r.n]));
    },
    async report(commentId, userId, reason) {
      return q.report.run(commentId, userId, reason, stamp()).changes > 0;
    },
    async openReports(limit) {
      return q.openReports.all(limit).map((r) => ({
        commentId: r.id,
        reports: r.reports,
        reasons: JSON.parse(r.reasons) as string[],
        lastAt: r.last_at,
        comment: toComment(r),
      }));
    },
    async resolveReports(commentId) {
      return q.resolve.run(stamp(), commentId).changes;
    },
    async suspend(userId, byUserId) {
      q.suspend.run(userId, byUserId, stamp());
    },
    async unsuspend(userId) {
      q.unsuspend.run(userId);
    },
    async isSuspended(userId) {
      return q.suspended.get(userId) !== undefined;
    },
    async notifications(userId, limit, sinceIso = '') {
      return q.notifications.all(userId, sinceIso, limit).map(toNotification);
    },
    async unreadCount(userId) {
      return q.unread.get(userId)?.n ?? 0;
    },
    async markAllRead(userId) {
      return q.markRead.run(stamp(), userId).changes;
    },
  };
}
