// The submit page: a signed-in reader adds a paper by arXiv id or link, fetched through the harvest service.
import type { Hono } from 'hono';
import { isAppError } from '../../errors.ts';
import { requireUser } from '../auth.ts';
import { csrfToken } from '../csrf.ts';
import { formFields } from '../request-input.ts';
import { pageOptions, PRIVATE } from '../route-helpers.ts';
import { submitBody } from '../views/browse-pages.ts';
import { page } from '../views/layout.ts';
import { paperPath } from '../views/paths.ts';
import type { WebEnv, WebDeps } from '../web-env.ts';

/** The services this module uses. */
type Deps = WebDeps<'accounts' | 'apiTokens' | 'discussion' | 'library' | 'submissions' | 'votes'>;

/**
 * Registers GET and POST /submit.
 */
export function registerSubmitRoutes(app: Hono<WebEnv>, deps: Deps): void {
  app.get('/submit', (c) => {
    requireUser(c);
    return c.html(
      page(pageOptions(c, deps, 'Submit a paper'), submitBody({ csrf: csrfToken(c, deps) })),
      200,
      PRIVATE,
    );
  });
  app.post('/submit', async (c) => {
    const user = requireUser(c);
    const f = await formFields(c, ['id']);
    try {
      const paper = await deps.services.submissions.submit(user.id, f.id);
      return c.redirect(paperPath(paper.id), 303);
    } catch (err) {
      if (!isAppError(err) || !['BAD_INPUT', 'NOT_FOUND', 'NETWORK'].includes(err.code)) throw err;
      const status = err.code === 'BAD_INPUT' ? 400 : err.code === 'NOT_FOUND' ? 404 : 502;
      const body = submitBody({ csrf: csrfToken(c, deps), error: err.message, value: f.id.slice(0, 200) });
      return c.html(page(pageOptions(c, deps, 'Submit a paper'), body), status, PRIVATE);
    }
  });
}
