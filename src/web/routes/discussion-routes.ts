// Form actions and pages of the discussion: post, preview, reply, edit, delete, vote, report, permalinks.
import type { Hono } from 'hono';
import { plainTitle } from '../../digest/index.ts';
import { AppError, isAppError } from '../../errors.ts';
import { COMMENT_LIMITS } from '../../services/discussion/index.ts';
import { requireUser } from '../auth.ts';
import { csrfToken } from '../csrf.ts';
import { pageOptions, PRIVATE } from '../route-helpers.ts';
import { commentPath, composeForm, discussionSection } from '../views/discussion-section.ts';
import { formError } from '../views/form-parts.ts';
import { html, rawHtml } from '../views/html.ts';
import { page } from '../views/layout.ts';
import { paperPath } from '../views/paths.ts';
import type { WebContext, WebDeps, WebEnv } from '../web-env.ts';

/** The services this module uses. */
type Deps = WebDeps<'accounts' | 'apiTokens' | 'discussion' | 'library' | 'papers' | 'votes'>;

/** Raw form text may be longer than a comment (CRLF line ends), so the limit's own clear message decides. */
const RAW_MAX = COMMENT_LIMITS.maxChars * 2 + 1000;

/** The form's text fields, each at most RAW_MAX characters (BAD_INPUT otherwise). */
async function fields<K extends string>(c: WebContext, names: readonly K[]): Promise<Record<K, string>> {
  const type = c.req.header('content-type') ?? '';
  if (!/^(application\/x-www-form-urlencoded|multipart\/form-data)/i.test(type))
    throw new AppError('BAD_INPUT', 'Send the form as application/x-www-form-urlencoded.');
  const body = await c.req.parseBody().catch(() => {
    throw new AppError('BAD_INPUT', 'The form could not be read.');
  });
  const out = {} as Record<K, string>;
  for (const name of names) {
    const v = body[name] ?? '';
    if (typeof v !== 'string' || v.length > RAW_MAX)
      throw new AppError('BAD_INPUT', `Field "${name}" must be text of at most ${RAW_MAX} characters.`);
    out[name] = v;
  }
  return out;
}

function commentId(c: WebContext): number {
  const raw = c.req.param('id') ?? '';
  if (!/^\d{1,15}$/.test(raw)) throw new AppError('NOT_FOUND', 'No such comment.');
  return Number(raw);
}

/** The compose page: a preview of the text, or the error that stopped it, with the form filled in again. */
async function composePage(
  c: WebContext,
  deps: Deps,
  f: { paper: string; parentId: string; body: string },
  error?: AppError,
): Promise<Response> {
  const paper = await deps.services.papers.get(f.paper);
  let preview = '';
  if (error === undefined && f.body !== '') {
    try {
      preview = deps.services.discussion.comments.preview(f.body);
    } catch (err) {
      if (!isAppError(err)) throw err;
      error = err;
    }
  }
  const parentId = /^\d{1,15}$/.test(f.parentId) ? Number(f.parentId) : undefined;
  const body = html`<h1>${parentId !== undefined ? 'Your reply' : 'Your comment'}</h1>
    <p>On <a href="${paperPath(paper.id)}#discussion">${plainTitle(paper.title)}</a></p>
    ${formError(error?.message)}
    ${preview !== ''
      ? html`<section class="preview" aria-labelledby="preview-h">
          <h2 id="preview-h">Preview</h2>
          <div class="comment-body">${rawHtml(preview)}</div>
        </section>`
      : ''}
    ${composeForm(paper.id, csrfToken(c, deps), { parentId, body: f.body, id: 'comment-body' })}`;
  const status = error === undefined ? 200 : error.code === 'RATE_LIMITED' ? 429 : 400;
  return c.html(page(pageOptions(c, deps, 'Comment preview', { math: true }), body), status, PRIVATE);
}

async function post(c: WebContext, deps: Deps): Promise<Response> {
  const user = requireUser(c);
  const f = await fields(c, ['paper', 'parentId', 'body']);
  try {
    const made = await deps.services.discussion.comments.post(user, f.paper, f.body, f.parentId);
    return c.redirect(commentPath(made.paperId, made.id), 303);
  } catch (err) {
    // What the reader can fix comes back with their text kept; the rest goes to the error page.
    if (isAppError(err) && (err.code === 'BAD_INPUT' || err.code === 'RATE_LIMITED'))
      return composePage(c, deps, f, err);
    throw err;
  }
}

async function editPage(c: WebContext, deps: Deps, error?: AppError, text?: string): Promise<Response> {
  const user = requireUser(c);
  const id = commentId(c);
  const comment = await deps.services.discussion.comments.get(user, id);
  if (comment.author?.id !== user.id) throw new AppError('FORBIDDEN', 'Only its author can edit a comment.');
  const body = html`<h1>Edit your comment</h1>
    ${formError(error?.message)}
    <form method="post" action="/comments/${String(id)}/edit" class="compose">
      <input type="hidden" name="_csrf" value="${csrfToken(c, deps)}" />
      <label for="comment-body">Comment <span class="hint">(Markdown; math with $…$ or $$…$$)</span></label>
      <textarea id="comment-body" name="body" rows="8" required>${text ?? comment.body}</textarea>
      <p class="compose-actions">
        <button type="submit">Save</button>
        <a href="${commentPath(comment.paperId, id)}">Cancel</a>
      </p>
    </form>`;
  return c.html(page(pageOptions(c, deps, 'Edit comment'), body), error ? 400 : 200, PRIVATE);
}

async function edit(c: WebContext, deps: Deps): Promise<Response> {
  const user = requireUser(c);
  const f = await fields(c, ['body']);
  try {
    const done = await deps.services.discussion.comments.edit(user, commentId(c), f.body);
    return c.redirect(commentPath(done.paperId, done.id), 303);
  } catch (err) {
    if (isAppError(err) && err.code === 'BAD_INPUT') return editPage(c, deps, err, f.body);
    throw err;
  }
}

/** Runs a comment action and returns to the comment (or its paper when the comment is no longer shown). */
async function act(c: WebContext, deps: Deps, run: (id: number) => Promise<unknown>): Promise<Response> {
  const user = requireUser(c);
  const id = commentId(c);
  const before = await deps.services.discussion.comments.get(user, id);
  await run(id);
  return c.redirect(commentPath(before.paperId, id), 303);
}

/**
 * Registers POST /comments, /comments/preview, /comments/:id/{edit,delete,vote,report}, GET /comments/:id
 * (permalink) and GET /comments/:id/edit.
 */
export function registerDiscussionRoutes(app: Hono<WebEnv>, deps: Deps): void {
  const comments = deps.services.discussion.comments;
  app.post('/comments', (c) => post(c, deps));
  app.post('/comments/preview', async (c) => {
    requireUser(c);
    return composePage(c, deps, await fields(c, ['paper', 'parentId', 'body']));
  });
  app.get('/comments/:id', async (c) => {
    const comment = await comments.get(c.get('user'), commentId(c));
    return c.redirect(commentPath(comment.paperId, comment.id), 302);
  });
  app.get('/comments/:id/edit', (c) => editPage(c, deps));
  // One reply form on its own page: a form under each of 200 comments made the paper page ten times heavier.
  app.get('/comments/:id/reply', async (c) => {
    const parent = await comments.get(requireUser(c), commentId(c));
    return composePage(c, deps, { paper: parent.paperId, parentId: String(parent.id), body: '' });
  });
  app.post('/comments/:id/edit', (c) => edit(c, deps));
  app.post('/comments/:id/delete', (c) => act(c, deps, (id) => comments.remove(requireUser(c), id)));
  app.post('/comments/:id/vote', async (c) => {
    const { on } = await fields(c, ['on']);
    return act(c, deps, (id) => comments.vote(requireUser(c), id, on !== '0'));
  });
  app.post('/comments/:id/report', async (c) => {
    const { reason } = await fields(c, ['reason']);
    const res = await act(c, deps, (id) => comments.report(requireUser(c), id, reason));
    const to = res.headers.get('location') ?? '/';
    return c.redirect(to.replace('#', '?notice=reported#'), 303);
  });
}

export { discussionSection };
