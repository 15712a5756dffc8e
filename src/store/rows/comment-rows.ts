// Row shapes of the discussion tables shared by the SQLite and PostgreSQL engines, and their mappings.
import type { ReaderNotification, StoredComment } from '../../domain/comment.ts';

/** The columns every comment query selects (`comments` in src/store/shared/discussion.repo.ts). */
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
