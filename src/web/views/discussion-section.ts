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

/** Each comment template's parts with their layout whitespace squeezed to one space, worked out once. */
const squeezed = new WeakMap<TemplateStringsArray, TemplateStringsArray>();

/**
 * `html` for the per-comment templates, without their source indentation: a run of spaces and line ends
 * renders as one space anyway (these templates hold no `<pre>` or `<textarea>`), and on a page of 200
 * comments the indentation was a fifth of the bytes.
 */
function tight(strings: TemplateStringsArray, ...values: unknown[]): SafeHtml {
  let parts = squeezed.get(strings);
  if (parts === undefined) {
    const short = strings.map((s) => s.replace(/\s*\n\s*/g, ' '));
    parts = Object.assign(short, { raw: short });
    squeezed.set(strings, parts);
  }
  return html(parts, ...values);
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

/** The id of the page's one action form: every vote, delete, hide and restore button submits it. */
const ACTIONS_FORM = 'comment-actions';

/**
 * The page's shared action form: it holds the CSRF field once, and each comment's buttons name it (`form=`)
 * with their own `formaction`, so 200 comments do not carry 200 copies of a form (works without script).
 */
function actionsForm(csrf: string): SafeHtml {
  return html`<form id="${ACTIONS_FORM}" method="post" action="/comments" class="inline">
    ${csrfField(csrf)}
  </form>`;
}

/** A button of the shared action form; `name`/`value` travel only from the button that was pressed. */
function actionButton(action: string, label: string, field?: { name: string; value: string }): SafeHtml {
  return tight`<button
    form="${ACTIONS_FORM}"
    formaction="${action}"
    class="link"
    ${field !== undefined ? tight` name="${field.name}" value="${field.value}"` : ''}
  >
    ${label}
  </button>`;
}

function actions(c: CommentView, v: DiscussionView): SafeHtml {
  if (v.csrf === null)
    return tight`<span class="votes" aria-label="${String(c.votes)} votes">▲ ${String(c.votes)}</span>`;
  const id = String(c.id);
  const voted = v.voted.has(c.id);
  const mine = c.author?.id === v.viewerId;
  // The report keeps a small form of its own: its reason field would otherwise submit the shared form (and the
  // first comment's button) when the reader presses Enter.
  return tight`<button
      form="${ACTIONS_FORM}"
      formaction="/comments/${id}/vote"
      name="on"
      value="${voted ? '0' : '1'}"
      class="vote"
      aria-pressed="${voted ? 'true' : 'false'}"
      aria-label="Upvote comment (${String(c.votes)} votes)"
    >
      ▲ <span class="count">${String(c.votes)}</span>
    </button>
    <a href="/comments/${id}/reply">Reply</a>
    ${
      mine
        ? tight`<a href="/comments/${id}/edit">Edit</a> ${actionButton(`/comments/${id}/delete`, 'Delete')}`
        : tight`<details class="report">
          <summary>Report</summary>
          <form method="post" action="/comments/${id}/report">
            ${csrfField(v.csrf)}<label for="reason-${id}">Why should an admin look at this?</label>
            <input id="reason-${id}" name="reason" maxlength="500" placeholder="spam, abuse, …" />
            <button type="submit">Send report</button>
          </form>
        </details>`
    }
    ${
      v.admin
        ? actionButton(
            `/admin/comments/${id}/${c.hidden ? 'restore' : 'hide'}`,
            c.hidden ? 'Restore' : 'Hide',
            {
              name: 'next',
              value: commentPath(c.paperId, c.id),
            },
          )
        : ''
    }`;
}

/** The author's name, or a stand-in for readers who left it empty. */
function authorName(c: CommentView): string {
  const name = c.author?.name ?? '';
  return name !== '' ? name : 'A reader';
}

/**
 * One comment as an article with its anchor (`#c-<id>`), author, relative time as permalink, and actions.
 */
export function commentArticle(c: CommentView, v: DiscussionView): SafeHtml {
  const depth = `depth-${String(Math.min(c.depth, MAX_INDENT))}`;
  const when = tight`<a class="permalink" href="${commentPath(c.paperId, c.id)}"
    ><time datetime="${c.createdAt}" title="${c.createdAt.slice(0, 16).replace('T', ' ')} UTC"
      >${relativeTime(c.createdAt, v.now)}</time
    ></a
  >`;
  if (c.deleted)
    return tight`<article class="comment deleted ${depth}" id="c-${String(c.id)}">
      <p class="meta">[deleted] · ${when}</p>
    </article>`;
  return tight`<article class="comment ${depth}${c.hidden ? ' hidden-comment' : ''}" id="c-${String(c.id)}">
    <p class="meta">
      <strong class="author"
        >${
          c.author?.handle != null
            ? tight`<a href="${profilePath(c.author.handle)}">${authorName(c)}</a>`
            : authorName(c)
        }</strong
      >
      ·
      ${when}${
        c.editedAt !== null ? tight` · <span class="edited" title="${c.editedAt}">edited</span>` : ''
      }${c.hidden ? tight` · <span class="badge">hidden by an admin</span>` : ''}
    </p>
    <div class="comment-body">${rawHtml(c.html)}</div>
    <div class="comment-actions">${actions(c, v)}</div>
  </article>`;
}

/**
 * The paper page's discussion section.
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
    ${v.csrf !== null ? actionsForm(v.csrf) : ''}
    <div class="comments">${v.comments.map((c) => commentArticle(c, v))}</div>
  </section>`;
}
