// Admin pages, for the accounts named in ADMIN_EMAILS: the digest preview (rendered, never sent or recorded).
import type { Hono } from 'hono';
import { isDay, type User } from '../../domain/index.ts';
import { AppError, isAppError } from '../../errors.ts';
import { checkDigestEmail } from '../../services/digest/index.ts';
import { requireUser } from '../auth.ts';
import { pageOptions, PRIVATE } from '../route-helpers.ts';
import { digestPreviewPage, type DigestPreviewView } from '../views/admin-digest-page.ts';
import { page } from '../views/layout.ts';
import type { WebContext, WebDeps, WebEnv } from '../web-env.ts';

/** The services this module uses. */
type Deps = WebDeps<'accounts' | 'apiTokens' | 'config' | 'digest' | 'discussion' | 'library' | 'votes'>;

/**
 * The signed-in administrator; anonymous readers are sent to sign in (UNAUTHORIZED), others get FORBIDDEN.
 */
export function requireAdmin(c: WebContext, deps: Deps): User {
  const user = requireUser(c);
  if (!deps.services.config.ADMIN_EMAILS.includes(user.email.toLowerCase()))
    throw new AppError('FORBIDDEN', 'This page is for the site’s administrators (see ADMIN_EMAILS).');
  return user;
}

/** The form's values, checked: a plain address and an optional real day. */
function checked(to: string, date: string): { email: string; date: string | undefined } {
  const email = checkDigestEmail(to);
  if (date !== '' && !isDay(date))
    throw new AppError('BAD_INPUT', 'Give the date as YYYY-MM-DD, e.g. 2026-07-02, or leave it empty.');
  return { email, date: date === '' ? undefined : date };
}

async function previewPage(c: WebContext, deps: Deps): Promise<Response> {
  requireAdmin(c, deps);
  const v: DigestPreviewView = {
    to: (c.req.query('to') ?? '').slice(0, 254),
    date: (c.req.query('date') ?? '').trim().slice(0, 10),
    format: c.req.query('format') === 'text' ? 'text' : 'html',
  };
  let status: 200 | 400 = 200;
  if (v.to.trim() !== '') {
    try {
      const q = checked(v.to, v.date);
      v.preview = await deps.services.digest.delivery.preview(q.email, q.date);
      v.status = (await deps.services.digest.subscriptions.forAddress(q.email))?.status ?? null;
      v.to = q.email;
    } catch (err) {
      if (!isAppError(err) || err.code !== 'BAD_INPUT') throw err;
      v.error = err.message;
      status = 400;
    }
  }
  return c.html(page(pageOptions(c, deps, 'Digest preview'), digestPreviewPage(v)), status, PRIVATE);
}

export function registerAdminRoutes(app: Hono<WebEnv>, deps: Deps): void {
  app.get('/admin/digest/preview', (c) => previewPage(c, deps));
}
