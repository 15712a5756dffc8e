// Readers' public profiles (/u/<handle>) and Settings → Profile (handle, showing upvotes).
import type { AuthoredComment } from '../../services/discussion/index.ts';
import { html, rawHtml, type SafeHtml } from '../../domain/html.ts';
import { paperPath } from '../views/paths.ts';
import type { Hono } from 'hono';
import { isAppError } from '../../errors.ts';
import { requireUser } from '../auth.ts';
import { csrfToken } from '../csrf.ts';
import { formFields } from '../request-input.ts';
import { pageOptions, PRIVATE } from '../route-helpers.ts';
import { profilePath } from '../views/collection-pages.ts';
import { page } from '../views/layout.ts';
import { profileBody, profileSettingsBody } from '../views/profile-page.ts';
import type { WebContext, WebDeps, WebEnv } from '../web-env.ts';

/** The services this module uses. */
type Deps = WebDeps<'accounts' | 'apiTokens' | 'discussion' | 'library' | 'profiles' | 'votes'>;

const SHOWN = 30;

async function settingsPage(
  c: WebContext,
  deps: Deps,
  extra: { error?: string; handle?: string; saved?: boolean } = {},
): Promise<Response> {
  const user = requireUser(c);
  const profile = await deps.services.profiles.get(user.id);
  const body = profileSettingsBody({ profile, csrf: csrfToken(c, deps), ...extra });
  return c.html(
    page(pageOptions(c, deps, 'Profile settings'), body),
    extra.error !== undefined ? 400 : 200,
    PRIVATE,
  );
}

/** A reader's public comments, newest first, each linked to its place under its paper. */
function authoredList(comments: readonly AuthoredComment[]): SafeHtml {
  if (comments.length === 0) return html`<p>None yet.</p>`;
  return html`<ol class="authored-comments">
    ${comments.map(
      (c) =>
        html`<li>
          <a href="${paperPath(c.paperId)}#c-${String(c.id)}">on ${c.paperId}</a>
          <time datetime="${c.createdAt}">${c.createdAt.slice(0, 10)}</time>
          <div class="comment-body">${rawHtml(c.html)}</div>
        </li>`,
    )}
  </ol>`;
}

/**
 * Registers GET /u/:handle, GET and POST /settings/profile.
 */
export function registerProfileRoutes(app: Hono<WebEnv>, deps: Deps): void {
  app.get('/u/:handle', async (c) => {
    const asked = c.req.param('handle');
    const p = await deps.services.profiles.page(asked, SHOWN);
    // One address per reader: other spellings of the handle's case lead to it.
    if (p.profile.handle !== asked) return c.redirect(profilePath(p.profile.handle), 301);
    const comments = await deps.services.discussion.comments.listByAuthor(p.profile.userId, SHOWN);
    const body = profileBody(p, authoredList(comments));
    const headers = c.get('user') === null ? { 'Cache-Control': 'no-cache' } : PRIVATE;
    return c.html(page(pageOptions(c, deps, `@${p.profile.handle}`, { math: true }), body), 200, headers);
  });
  app.get('/settings/profile', (c) => settingsPage(c, deps, { saved: c.req.query('notice') === 'saved' }));
  app.post('/settings/profile', async (c) => {
    const user = requireUser(c);
    const f = await formFields(c, ['handle', 'show_upvotes']);
    try {
      await deps.services.profiles.setHandle(user.id, f.handle);
      await deps.services.profiles.setShowUpvotes(user.id, f.show_upvotes === 'on');
    } catch (err) {
      if (isAppError(err) && (err.code === 'BAD_INPUT' || err.code === 'CONFLICT'))
        return settingsPage(c, deps, { error: err.message, handle: f.handle });
      throw err;
    }
    return c.redirect('/settings/profile?notice=saved', 303);
  });
}
