// Use cases of the discussion under papers: read a thread, post, reply, edit, delete, vote, report, preview.
import type { StoredComment } from '../../domain/comment.ts';
import type { User } from '../../domain/index.ts';
import { AppError } from '../../errors.ts';
import type { Store } from '../../store/store.ts';
import { noSuchPaper, paperIdOf } from '../papers/index.ts';
import { commentHtml } from './comment-markdown.ts';
import { checkBody, checkLinks, checkRate, checkReason, parentIdOf, rateWindows } from './comment-rules.ts';
import {
  buildThread,
  canSee,
  toView,
  type CommentView,
  type ThreadOrder,
  type Viewer,
} from './comment-thread.ts';

export interface CommentsDeps {
  store: Store;
  now: () => Date;
  /** Whether the account moderates (ADMIN_EMAILS). */
  isAdmin: (user: User | null) => boolean;
}

/** A reader's public comment, for their profile page. */
export interface AuthoredComment {
  id: number;
  paperId: string;
  body: string;
  html: string;
  createdAt: string;
  editedAt: string | null;
  votes: number;
}

export interface CommentsService {
  /** The paper's discussion as `viewer` sees it; NOT_FOUND for an unknown paper. */
  thread(paperRef: string, viewer: User | null, order?: ThreadOrder): Promise<CommentView[]>;
  /** Posts a comment or reply (parentId); the checks are listed in comment-rules.ts. */
  post(user: User, paperRef: string, body: unknown, parentId?: unknown): Promise<CommentView>;
  /** Replaces the author's own comment text (marked edited). */
  edit(user: User, id: number, body: unknown): Promise<CommentView>;
  /** Deletes the author's own comment; with replies it stays as a "deleted" placeholder. */
  remove(user: User, id: number): Promise<void>;
  /** Sets (default) or clears the reader's one vote on a comment. */
  vote(user: User, id: number, on: boolean): Promise<{ id: number; votes: number; voted: boolean }>;
  /** The reader's votes among these comments. */
  votedAmong(user: User | null, ids: readonly number[]): Promise<Set<number>>;
  /** Reports a comment to the admins; reporting twice changes nothing. */
  report(user: User, id: number, reason: unknown): Promise<void>;
  /** The HTML a body would become, with the same length check as posting. */
  preview(body: unknown): string;
  /** One comment as `viewer` sees it (NOT_FOUND when unknown or hidden from them). */
  get(viewer: User | null, id: number): Promise<CommentView>;
  /** Visible comments per paper (cards, paper JSON). */
  counts(paperIds: readonly string[]): Promise<Map<string, number>>;
  /** A reader's public comments, newest first (profile pages). */
  listByAuthor(userId: number, limit?: number): Promise<AuthoredComment[]>;
}

const noSuchComment = (id: number): AppError =>
  new AppError('NOT_FOUND', `No comment ${id} here; it may have been deleted.`);

/**
 * @example const comments = createCommentsService({ store, now, isAdmin }); await comments.post(user, '2503.11677', 'Nice');
 */
export function createCommentsService(d: CommentsDeps): CommentsService {
  const { store } = d;
  const viewerOf = (u: User | null): Viewer => ({ id: u?.id ?? null, admin: d.isAdmin(u) });

  async function notSuspended(user: User): Promise<void> {
    if (await store.discussion.isSuspended(user.id))
      throw new AppError(
        'FORBIDDEN',
        'This account is suspended: it cannot post, vote or subscribe. Write to the site’s administrators.',
      );
  }

  /** The comment if `user` may see it, else NOT_FOUND (a hidden comment does not exist for others). */
  async function visible(user: User | null, id: number): Promise<StoredComment> {
    const c = Number.isSafeInteger(id) ? await store.discussion.get(id) : null;
    if (c === null || !canSee(c, viewerOf(user))) throw noSuchComment(id);
    return c;
  }

  async function own(user: User, id: number): Promise<StoredComment> {
    const c = await visible(user, id);
    if (c.userId !== user.id)
      throw new AppError('FORBIDDEN', 'Only its author can change or delete a comment.');
    if (c.deletedAt !== null) throw new AppError('BAD_INPUT', `Comment ${id} is deleted; it cannot change.`);
    return c;
  }

  async function checkParent(user: User, paperId: string, parentId: number | null): Promise<void> {
    if (parentId === null) return;
    const parent = await store.discussion.get(parentId);
    if (parent === null || !canSee(parent, viewerOf(user)))
      throw new AppError('BAD_INPUT', `There is no comment ${parentId} to reply to; reload the page.`);
    if (parent.paperId !== paperId)
      throw new AppError(
        'BAD_INPUT',
        `Comment ${parentId} is on another paper (${parent.paperId}); reply under that paper.`,
      );
  }

  return {
    async thread(paperRef, viewer, order = 'oldest') {
      const paperId = paperIdOf(paperRef);
      const all = await store.discussion.forPaper(paperId);
      if (all.length === 0 && (await store.papers.get(paperId)) === null) throw noSuchPaper(paperId);
      return buildThread(all, viewerOf(viewer), order);
    },
    async post(user, paperRef, rawBody, rawParent) {
      const paperId = paperIdOf(paperRef);
      if ((await store.papers.get(paperId)) === null) throw noSuchPaper(paperId);
      await notSuspended(user);
      const body = checkBody(rawBody);
      const parentId = parentIdOf(rawParent);
      await checkParent(user, paperId, parentId);
      const w = rateWindows(d.now());
      const [tenMinutes, day, ever] = await Promise.all([
        store.discussion.countByAuthor(user.id, w.tenMinutes),
        store.discussion.countByAuthor(user.id, w.day),
        store.discussion.countByAuthor(user.id, ''),
      ]);
      checkRate(tenMinutes, day);
      checkLinks(body, ever);
      const c = await store.discussion.add({ paperId, userId: user.id, parentId, body });
      if (c === null) throw noSuchPaper(paperId);
      return toView(c, viewerOf(user), 0);
    },
    async edit(user, id, rawBody) {
      await notSuspended(user);
      await own(user, id);
      const body = checkBody(rawBody);
      checkLinks(body, (await store.discussion.countByAuthor(user.id, '')) - 1);
      await store.discussion.edit(id, body);
      return toView(await visible(user, id), viewerOf(user), 0);
    },
    async remove(user, id) {
      await own(user, id);
      await store.discussion.markDeleted(id);
    },
    async vote(user, id, on) {
      await notSuspended(user);
      const c = await visible(user, id);
      if (c.deletedAt !== null)
        throw new AppError('BAD_INPUT', `Comment ${id} is deleted; it takes no votes.`);
      const votes = await store.discussion.vote(user.id, id, on, d.now().getTime());
      return { id, votes, voted: on };
    },
    async votedAmong(user, ids) {
      return user === null ? new Set() : store.discussion.votedAmong(user.id, ids);
    },
    async report(user, id, rawReason) {
      const reason = checkReason(rawReason);
      const c = await visible(user, id);
      if (c.deletedAt !== null) throw new AppError('BAD_INPUT', `Comment ${id} is deleted already.`);
      if (c.userId === user.id)
        throw new AppError('BAD_INPUT', 'You cannot report your own comment; delete it.');
      await store.discussion.report(id, user.id, reason);
    },
    preview(rawBody) {
      return commentHtml(checkBody(rawBody));
    },
    async get(viewer, id) {
      return toView(await visible(viewer, id), viewerOf(viewer), 0);
    },
    counts: (ids) => store.discussion.counts(ids),
    async listByAuthor(userId, limit = 50) {
      const rows = await store.discussion.byAuthor(userId, limit);
      return rows.map((c) => ({
        id: c.id,
        paperId: c.paperId,
        body: c.body,
        html: commentHtml(c.body),
        createdAt: c.createdAt,
        editedAt: c.editedAt,
        votes: c.votes,
      }));
    },
  };
}
