// Plain types for the discussion under papers: comments, reports on them, and readers' notifications.

/** A comment as stored, with its author's name and vote count; the surfaces decide what each reader sees. */
export interface StoredComment {
  id: number;
  paperId: string;
  /** The comment this one answers; null for a top-level comment. */
  parentId: number | null;
  userId: number;
  authorName: string;
  /** The author's public handle, when they chose one (links to /u/<handle>). */
  authorHandle: string | null;
  /** Markdown source; '' once deleted. */
  body: string;
  createdAt: string;
  editedAt: string | null;
  deletedAt: string | null;
  /** Set while an administrator hides the comment (then only admins and the author see it). */
  hiddenAt: string | null;
  votes: number;
}

/** An open report on a comment, with the comment and how many readers reported it. */
export interface CommentReport {
  commentId: number;
  reports: number;
  /** The reasons given, newest first. */
  reasons: string[];
  lastAt: string;
  comment: StoredComment;
}

export type NotificationKind = 'reply' | 'library';

/** Something a reader should hear about: a reply to their comment, or a comment on a paper in their library. */
export interface ReaderNotification {
  id: number;
  kind: NotificationKind;
  commentId: number;
  paperId: string;
  paperTitle: string;
  authorName: string;
  /** The comment's Markdown source. */
  body: string;
  createdAt: string;
  readAt: string | null;
}
