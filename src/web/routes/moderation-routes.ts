// Moderation pages for the admins (ADMIN_EMAILS): the reports queue, hide/restore/dismiss, suspend accounts.
import type { Hono } from 'hono';
import type { CommentReport } from '../../domain/comment.ts';
import { AppError } from '../../errors.ts';
import { commentHtml } from '../../services/discussion/index.ts';
import { requireUser } from '../auth.ts';
import { csrfToken } from '../csrf.ts';
import { formFields, localPath } from '../request-input.ts';
import { pageOptions, PRIVATE } from '../route-helpers.ts';
import { commentPath } from '../views/discussion-section.ts';
import { csrfField } from '../views/form-parts.ts';
import { html, rawHtml, type SafeHtml } from '../views/html.ts';
import { page } from '../views/layout.ts';
import type { WebContext, WebDeps, WebEnv } from '../web-env.ts';

/** The services this module uses. */
type Deps = WebDeps<'accounts' | 'apiTokens' | 'discussion' | 'library' | 'votes'>;

function idParam(c: WebContext): number {
  const raw = c.req.param('id') ?? '';
  if (!/^\d{1,15}$/.test(raw)) throw new AppError('NOT_FOUND', 'No such comment or account.');
  return Number(raw);
}

function button(action: string, csrf: string, label: string): SafeHtml {
  return html`<form method="post" action="${action}" class="inline">
    ${csrfField(csrf)}<input type="hidden" name="next" value="/admin/reports" /><button type="submit">
      ${label}
    </button>
  </form>`;
}

function reportItem(r: CommentReport, csrf: string): SafeHtml {
  const c = r.comment;
  const id = String(c.id);
  return html`<li class="report-item" id="report-${id}">
    <p class="meta">
      <a href="${commentPath(c.paperId, c.id)}">Comment ${id}</a> by <strong>${c.authorName}</strong> on
      ${c.paperId} · ${String(r.reports)} report${r.reports === 1 ? '' : 's'}
      ${c.hiddenAt !== null ? html` · <span class="badge">hidden</span>` : ''}
    </p>
    <blockquote class="comment-body">${rawHtml(commentHtml(c.body))}</blockquote>
    <p class="reasons">Reasons: ${r.reasons.filter((x) => x !== '').join(' · ') || '(none given)'}</p>
    <p>
      ${c.hiddenAt === null
        ? button(`/admin/comments/${id}/hide`, csrf, 'Hide')
        : button(`/admin/comments/${id}/restore`, csrf, 'Restore')}
      ${button(`/admin/comments/${id}/dismiss`, csrf, 'Dismiss reports')}
      ${button(`/admin/users/${String(c.userId)}/suspend`, csrf, `Suspend ${c.authorName || 'the author'}`)}
    </p>
  </li>`;
}

async function queue(c: WebContext, deps: Deps): Promise<Response> {
  const admin = requireUser(c);
  const reports = await deps.services.discussion.moderation.reports(admin);
  const csrf = csrfToken(c, deps);
  const body = html`<h1>Reported comments</h1>
    ${reports.length === 0
      ? html`<p>No open reports.</p>`
      : html`<ol class="reports">
          ${reports.map((r) => reportItem(r, csrf))}
        </ol>`}`;
  return c.html(page(pageOptions(c, deps, 'Reports', { math: true }), body), 200, PRIVATE);
}

/** Runs a moderation action, then returns to the queue or to the page the form names (a local path). */
async function act(c: WebContext, deps: Deps, run: (id: number) => Promise<void>): Promise<Response> {
  requireUser(c);
  const { next } = await formFields(c, ['next']);
  const id = idParam(c);
  await run(id);
  return c.redirect(localPath(next, '/admin/reports'), 303);
}

/**
 * Registers GET /admin/reports and the POST actions on comments and accounts.
 */
export function registerModerationRoutes(app: Hono<WebEnv>, deps: Deps): void {
  const m = deps.services.discussion.moderation;
  app.get('/admin/reports', (c) => queue(c, deps));
  app.post('/admin/comments/:id/hide', (c) => act(c, deps, (id) => m.hide(requireUser(c), id)));
  app.post('/admin/comments/:id/restore', (c) => act(c, deps, (id) => m.restore(requireUser(c), id)));
  app.post('/admin/comments/:id/dismiss', (c) => act(c, deps, (id) => m.dismiss(requireUser(c), id)));
  app.post('/admin/users/:id/suspend', (c) => act(c, deps, (id) => m.suspend(requireUser(c), id)));
  app.post('/admin/users/:id/unsuspend', (c) => act(c, deps, (id) => m.unsuspend(requireUser(c), id)));
}
