// Store interface for the discussion: comments, comment votes, reports, notifications and account suspensions.
import type { CommentReport, ReaderNotification, StoredComment } from '../domain/comment.ts';

export interface NewComment {
  paperId: string;
  userId: number;
  parentId: number | null;
  body: string;
}

export interface DiscussionRepo {
  /**
   * Stores a comment and, in the same transaction, notifies the parent's author (a reply) and every reader with
   * the paper in their library (never the writer, never twice). Null when the paper is unknown.
   */
  add(c: NewComment): Promise<StoredComment | null>;
  get(id: number): Promise<StoredComment | null>;
  /** Every comment on a paper, hidden and deleted ones too, oldest first. */
  forPaper(paperId: string): Promise<StoredComment[]>;
  /** A reader's comments, newest first, hidden and deleted ones left out. */
  byAuthor(userId: number, limit: number): Promise<StoredComment[]>;
  /** How many comments the reader wrote (deleted ones too) since `sinceIso` (all time for ''). */
  countByAuthor(userId: number, sinceIso: string): Promise<number>;
  edit(id: number, body: string): Promise<void>;
  /** Clears the text and marks the comment deleted; its replies stay. */
  markDeleted(id: number): Promise<void>;
  setHidden(id: number, hidden: boolean): Promise<void>;
  /** Sets or clears a reader's vote; returns the comment's new count. */
  vote(userId: number, commentId: number, on: boolean, atMs: number): Promise<number>;
  votedAmong(userId: number, commentIds: readonly number[]): Promise<Set<number>>;
  /** Visible (neither hidden nor deleted) comments per paper; papers without any are left out. */
  counts(paperIds: readonly string[]): Promise<Map<string, number>>;
  /** Records a report; false when this reader already reported the comment. */
  report(commentId: number, userId: number, reason: string): Promise<boolean>;
  /** Comments with unresolved reports, most reported first. */
  openReports(limit: number): Promise<CommentReport[]>;
  /** Closes every open report on a comment (hidden, restored or dismissed). */
  resolveReports(commentId: number): Promise<number>;
  suspend(userId: number, byUserId: number): Promise<void>;
  unsuspend(userId: number): Promise<void>;
  isSuspended(userId: number): Promise<boolean>;
  /** A reader's notifications, newest first; those of hidden or deleted comments are left out. */
  notifications(userId: number, limit: number, sinceIso?: string): Promise<ReaderNotification[]>;
  unreadCount(userId: number): Promise<number>;
  markAllRead(userId: number): Promise<number>;
}
