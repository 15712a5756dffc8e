// The discussion under a paper: sort links, the compose form, and the thread with nested replies and actions.
import type { CommentView, ThreadOrder } from '../../services/discussion/index.ts';
import { profilePath } from './collection-pages.ts';
import { csrfField } from './form-parts.ts';
import { html, rawHtml, type SafeHtml } from './html.ts';
import { paperPath } from './paths.ts';

/** Deeper replies are drawn at this level (still in thread order), so narrow screens keep room for text. */
const MAX_INDENT = 4;

export interface DiscussionView {
  paperId: string;
  comments: CommentView[];
  order: ThreadOrder;
  /** The reader's id, whether they moderate, and their form token; null ids for anonymous readers. */
  viewerId: number | null;
  admin: boolean;
  csrf: string | null;
  voted: ReadonlySet<number>;
  now: Date;
}

/**
 * "5 minutes ago", "3 days ago", or the date for anything older than a month.
 * @example relativeTime('2026-01-01T10:00:00Z', new Date('2026-01-01T12:00:00Z')) // '2 hours ago'
 */
export function relativeTime(iso: string, now: Date): string {
  const s = Math.max(0, Math.round((now.getTime() - Date.parse(iso)) / 1000));
  const ago = (n: number, unit: string): string => `${n} ${unit}${n === 1 ? '' : 's'} ago`;
  if (s < 60) return 'just now';
  if (s < 3600) return ago(Math.floor(s / 60), 'minute');
  if (s < 86_400) return ago(Math.floor(s / 3600), 'hour');
  if (s < 30 * 86_400) return ago(Math.floor(s / 86_400), 'day');
  return iso.slice(0, 10);
}

/** Where a comment lives: its paper's page, at its anchor. */
export function commentPath(paperId: string, commentId: number): string {
  return `${paperPath(paperId)}#c-${commentId}`;
}

/** The compose form for a new comment or a reply: Post, or Preview (rendered by the server, no script). */
export function composeForm(
  paperId: string,
  csrf: string,
  o: { parentId?: number; body?: string; id?: string } = {},
): SafeHtml {
  const id = o.id ?? (o.parentId !== undefined ? `reply-${o.parentId}` : 'comment-body');
  return html`<form method="post" action="/comments" class="compose">
    ${csrfField(csrf)}<input type="hidden" name="paper" value="${paperId}" />${o.parentId !== undefined
      ? html`<input type="hidden" name="parentId" value="${String(o.parentId)}" />`
      : ''}
    <label for="${id}"
      >${o.parentId !== undefined ? 'Your reply' : 'Add a comment'}
      <span class="hint">(Markdown; math with $…$ or $$…$$)</span></label
    >
    <textarea id="${id}" name="body" rows="${o.parentId !== undefined ? '3' : '5'}" required>
${o.body ?? ''}</textarea
    >
    <p class="compose-actions">
      <button type="submit">${o.parentId !== undefined ? 'Reply' : 'Post comment'}</button>
      <button type="submit" formaction="/comments/preview" class="secondary">Preview</button>
    </p>
  </form>`;
}

function postForm(action: string, csrf: string, label: string, cls = 'link', extra?: SafeHtml): SafeHtml {
  return html`<form method="post" action="${action}" class="inline">
    ${csrfField(csrf)}${extra ?? ''}<button type="submit" class="${cls}">${label}</button>
  </form>`;
}

/** A hidden field that brings an admin back to the comment after a moderation action. */
function back(c: CommentView): SafeHtml {
  return html`<input type="hidden" name="next" value="${commentPath(c.paperId, c.id)}" />`;
}

function actions(c: CommentView, v: DiscussionView): SafeHtml {
  if (v.csrf === null)
    return html`<span class="votes" aria-label="${String(c.votes)} votes">▲ ${String(c.votes)}</span>`;
  const voted = v.voted.has(c.id);
  const mine = c.author?.id === v.viewerId;
  return html`<form method="post" action="/comments/${String(c.id)}/vote" class="inline comment-vote">
      ${csrfField(v.csrf)}<input type="hidden" name="on" value="${voted ? '0' : '1'}" />
      <button
        type="submit"
        class="vote"
        aria-pressed="${voted ? 'true' : 'false'}"
        aria-label="Upvote comment (${String(c.votes)} votes)"
      >
        ▲ <span class="count">${String(c.votes)}</span>
      </button>
    </form>
    <a href="/comments/${String(c.id)}/reply">Reply</a>
    ${mine
      ? html`<a href="/comments/${String(c.id)}/edit">Edit</a> ${postForm(
            `/comments/${String(c.id)}/delete`,
            v.csrf,
            'Delete',
          )}`
      : html`<details class="report">
          <summary>Report</summary>
          <form method="post" action="/comments/${String(c.id)}/report">
            ${csrfField(v.csrf)}<label for="reason-${String(c.id)}">Why should an admin look at this?</label>
            <input id="reason-${String(c.id)}" name="reason" maxlength="500" placeholder="spam, abuse, …" />
            <button type="submit">Send report</button>
          </form>
        </details>`}
    ${v.admin
      ? c.hidden
        ? postForm(`/admin/comments/${String(c.id)}/restore`, v.csrf, 'Restore', 'link', back(c))
        : postForm(`/admin/comments/${String(c.id)}/hide`, v.csrf, 'Hide', 'link', back(c))
      : ''}`;
}

/** The author's name, or a stand-in for readers who left it empty. */
function authorName(c: CommentView): string {
  const name = c.author?.name ?? '';
  return name !== '' ? name : 'A reader';
}

/**
 * One comment as an article with its anchor (`#c-<id>`), author, relative time as permalink, and actions.
 * @example commentArticle(view, discussionView)
 */
export function commentArticle(c: CommentView, v: DiscussionView): SafeHtml {
  const depth = `depth-${String(Math.min(c.depth, MAX_INDENT))}`;
  const when = html`<a class="permalink" href="${commentPath(c.paperId, c.id)}"
    ><time datetime="${c.createdAt}" title="${c.createdAt.slice(0, 16).replace('T', ' ')} UTC"
      >${relativeTime(c.createdAt, v.now)}</time
    ></a
  >`;
  if (c.deleted)
    return html`<article class="comment deleted ${depth}" id="c-${String(c.id)}">
      <p class="meta">[deleted] · ${when}</p>
    </article>`;
  return html`<article class="comment ${depth}${c.hidden ? ' hidden-comment' : ''}" id="c-${String(c.id)}">
    <p class="meta">
      <strong class="author"
        >${c.author?.handle != null
          ? html`<a href="${profilePath(c.author.handle)}">${authorName(c)}</a>`
          : authorName(c)}</strong
      >
      ·
      ${when}${c.editedAt !== null
        ? html` · <span class="edited" title="${c.editedAt}">edited</span>`
        : ''}${c.hidden ? html` · <span class="badge">hidden by an admin</span>` : ''}
    </p>
    <div class="comment-body">${rawHtml(c.html)}</div>
    <div class="comment-actions">${actions(c, v)}</div>
  </article>`;
}

/**
 * The paper page's discussion section.
 * @example discussionSection({ paperId, comments, order: 'oldest', viewerId: null, admin: false, csrf: null, voted: new Set(), now })
 */
export function discussionSection(v: DiscussionView): SafeHtml {
  const shown = v.comments.filter((c) => !c.deleted).length;
  const sort = (o: ThreadOrder, label: string): SafeHtml =>
    o === v.order
      ? html`<strong aria-current="true">${label}</strong>`
      : html`<a href="${paperPath(v.paperId)}?comments=${o}#discussion">${label}</a>`;
  return html`<section class="discussion" id="discussion" aria-labelledby="discussion-h">
    <h2 id="discussion-h">Discussion <small>${String(shown)} comment${shown === 1 ? '' : 's'}</small></h2>
    ${v.comments.length > 1
      ? html`<p class="sort">Sort: ${sort('oldest', 'Oldest')} · ${sort('newest', 'Newest')}</p>`
      : ''}
    ${v.csrf !== null
      ? composeForm(v.paperId, v.csrf)
      : html`<p>
          <a href="/signin?next=${encodeURIComponent(`${paperPath(v.paperId)}#discussion`)}">Sign in</a> to
          join the discussion.
        </p>`}
    <div class="comments">${v.comments.map((c) => commentArticle(c, v))}</div>
  </section>`;
}
