// Turns a paper's stored comments into what one reader sees: a thread in order, with placeholders and depth.
import type { StoredComment } from '../../domain/comment.ts';
import { commentHtml } from './comment-markdown.ts';

export type ThreadOrder = 'oldest' | 'newest';

/** One comment as a reader sees it (the API's shape, plus what pages need). */
export interface CommentView {
  id: number;
  paperId: string;
  parentId: number | null;
  /** Null for a deleted (or, to others, hidden) comment kept as a placeholder for its replies. */
  author: { id: number; handle: string | null; name: string } | null;
  body: string;
  html: string;
  createdAt: string;
  editedAt: string | null;
  votes: number;
  deleted: boolean;
  /** True only for the admins and the author, who still see a hidden comment. */
  hidden: boolean;
  /** Nesting level: 0 for top-level comments. */
  depth: number;
}

/** Who is looking: their id (null when anonymous) and whether they moderate. */
export interface Viewer {
  id: number | null;
  admin: boolean;
}

/** Whether `v` may see comment `c`'s text (hidden comments: admins and the author only). */
export function canSee(c: StoredComment, v: Viewer): boolean {
  return c.hiddenAt === null || v.admin || c.userId === v.id;
}

/**
 * A comment as `v` sees it; a deleted comment, or a hidden one to others, becomes a bare placeholder.
 * @example toView(stored, { id: null, admin: false }, 0).html // '<p>…</p>\n'
 */
export function toView(c: StoredComment, v: Viewer, depth: number): CommentView {
  const gone = c.deletedAt !== null || !canSee(c, v);
  return {
    id: c.id,
    paperId: c.paperId,
    parentId: c.parentId,
    author: gone ? null : { id: c.userId, handle: c.authorHandle, name: c.authorName },
    body: gone ? '' : c.body,
    html: gone ? '' : commentHtml(c.body),
    createdAt: c.createdAt,
    editedAt: gone ? null : c.editedAt,
    votes: gone ? 0 : c.votes,
    deleted: gone,
    hidden: !gone && c.hiddenAt !== null,
    depth,
  };
}

/**
 * The thread in display order: top-level comments oldest or newest first, each followed by its replies
 * (oldest first, depth-first). Placeholders stay only while they have something shown beneath them.
 * @example buildThread(await store.discussion.forPaper(id), viewer, 'newest').map((c) => c.depth)
 */
export function buildThread(all: readonly StoredComment[], v: Viewer, order: ThreadOrder): CommentView[] {
  const children = new Map<number | null, StoredComment[]>();
  const ids = new Set(all.map((c) => c.id));
  for (const c of all) {
    // A reply whose parent is gone from the list (cannot happen with cascades) is shown at the top level.
    const key = c.parentId !== null && ids.has(c.parentId) ? c.parentId : null;
    const list = children.get(key) ?? [];
    list.push(c);
    children.set(key, list);
  }
  const out: CommentView[] = [];
  // Returns whether anything was shown for this subtree.
  const walk = (c: StoredComment, depth: number): boolean => {
    const at = out.length;
    out.push(toView(c, v, depth));
    let shownBelow = false;
    for (const child of children.get(c.id) ?? []) shownBelow = walk(child, depth + 1) || shownBelow;
    if (out[at]?.deleted === true && !shownBelow) {
      out.length = at;
      return false;
    }
    return true;
  };
  const top = [...(children.get(null) ?? [])];
  if (order === 'newest') top.reverse();
  for (const c of top) walk(c, 0);
  return out;
}
