// Row shapes of the discussion tables shared by the SQLite and PostgreSQL engines, and their mappings.
import type { ReaderNotification, StoredComment } from '../../domain/comment.ts';

/** The columns every comment query selects (see COMMENT_COLUMNS). */
export interface CommentRow {
  id: number;
  paper_id: string;
  parent_id: number | null;
  user_id: number;
  author_name: string;
  author_handle: string | null;
  body: string;
  created_at: string;
  edited_at: string | null;
  deleted_at: string | null;
  hidden_at: string | null;
  votes: number;
}

/** SELECT list over `comments c JOIN papers p JOIN users u`, with the vote count; the same in both engines. */
export const COMMENT_COLUMNS = `c.id, p.id AS paper_id, c.parent_id, c.user_id, u.name AS author_name, pr.handle AS author_handle,
  c.body, c.created_at, c.edited_at, c.deleted_at, c.hidden_at,
  (SELECT count(*) FROM comment_votes v WHERE v.comment_id = c.id) AS votes`;

/** FROM clause that goes with COMMENT_COLUMNS. */
export const COMMENT_FROM =
  'comments c JOIN papers p ON p.pk = c.paper_pk JOIN users u ON u.id = c.user_id LEFT JOIN profiles pr ON pr.user_id = c.user_id';

/**
 * @example toComment(row).parentId // null for a top-level comment
 */
export function toComment(r: CommentRow): StoredComment {
  return {
    id: r.id,
    paperId: r.paper_id,
    parentId: r.parent_id,
    userId: r.user_id,
    authorName: r.author_name,
    authorHandle: r.author_handle ?? null,
    body: r.body,
    createdAt: r.created_at,
    editedAt: r.edited_at,
    deletedAt: r.deleted_at,
    hiddenAt: r.hidden_at,
    votes: Number(r.votes),
  };
}

export interface NotificationRow {
  id: number;
  kind: string;
  comment_id: number;
  paper_id: string;
  paper_title: string;
  author_name: string;
  body: string;
  created_at: string;
  read_at: string | null;
}

/** SELECT … FROM for a reader's notifications of visible comments (the reader's id is the first parameter). */
export const NOTIFICATION_SELECT = `SELECT n.id, n.kind, n.comment_id, p.id AS paper_id, p.title AS paper_title,
  u.name AS author_name, c.body, n.created_at, n.read_at
  FROM notifications n JOIN comments c ON c.id = n.comment_id JOIN papers p ON p.pk = c.paper_pk
  JOIN users u ON u.id = c.user_id`;

/** @example toNotification(row).kind // 'reply' */
export function toNotification(r: NotificationRow): ReaderNotification {
  return {
    id: r.id,
    kind: r.kind === 'reply' ? 'reply' : 'library',
    commentId: r.comment_id,
    paperId: r.paper_id,
    paperTitle: r.paper_title,
    authorName: r.author_name,
    body: r.body,
    createdAt: r.created_at,
    readAt: r.read_at,
  };
}

export interface ReportRow extends CommentRow {
  reports: number;
  reasons: string;
  last_at: string;
}
