// Sign up, confirm, sign in, sign out and password reset pages. Failures re-show the form with the reason.
import type { Hono } from 'hono';
import { html, type SafeHtml } from '../views/html.ts';
import { isAppError, ERROR_CATALOG, type AppError } from '../../errors.ts';
import { clientOf } from '../auth.ts';
import type { User } from '../../domain/index.ts';
import { clearCookie, readCookie, writeCookie } from '../cookies.ts';
import { csrfToken, rotateCsrf } from '../csrf.ts';
import { formFields, localPath } from '../request-input.ts';
import { PRIVATE } from '../route-helpers.ts';
import { checkInbox, resetForm, resetRequestForm, signInForm, signUpForm } from '../views/auth-pages.ts';
import { csrfField } from '../views/form-parts.ts';
import { page } from '../views/layout.ts';
import type { WebContext, WebDeps, WebEnv } from '../web-env.ts';

/** The services this module uses. */
type Deps = WebDeps<
  'accounts' | 'apiTokens' | 'config' | 'discussion' | 'library' | 'passwordResets' | 'votes'
>;

type Status = 200 | 400 | 401 | 403 | 409 | 410 | 413 | 429;

function show(c: WebContext, deps: Deps, title: string, body: SafeHtml, status: Status = 200): Response {
  return c.html(
    page({ title, user: c.get('user'), csrf: c.get('user') ? csrfToken(c, deps) : null }, body),
    status,
    PRIVATE,
  );
}

/** Runs a form action; an expected failure re-renders the form with its message and status. */
async function attempt(
  c: WebContext,
  action: () => Promise<Response>,
  again: (err: AppError) => Response,
): Promise<Response> {
  try {
    return await action();
  } catch (err) {
    if (
      !isAppError(err) ||
      err.code === 'FORBIDDEN' ||
      err.code === 'RATE_LIMITED' ||
      err.code === 'PAYLOAD_TOO_LARGE'
    )
      throw err;
    return again(err);
  }
}

function statusOf(err: AppError): Status {
  return ERROR_CATALOG[err.code].status as Status;
}

const KNOWN_BROWSER_S = 365 * 86_400;

/** Sets the session cookie, marks the browser as known for the address, starts a new CSRF nonce, redirects. */
function signedIn(
  c: WebContext,
  deps: Deps,
  signed: { user: User; sessionToken: string },
  next: string,
): Response {
  const days = deps.services.config.PAPERBOY_SESSION_DAYS;
  writeCookie(c, 'session', signed.sessionToken, deps.secure, days * 86_400);
  const proof = deps.services.accounts.knownBrowserProof(signed.user.email);
  writeCookie(c, 'device', proof, deps.secure, KNOWN_BROWSER_S);
  rotateCsrf(c, deps);
  return c.redirect(localPath(next, '/'), 303);
}

function registerSignUp(app: Hono<WebEnv>, deps: Deps): void {
  app.get('/signup', (c) => show(c, deps, 'Sign up', signUpForm({ csrf: csrfToken(c, deps) })));
  app.post('/signup', async (c) => {
    const f = await formFields(c, ['email', 'password', 'name', 'handle']);
    return attempt(
      c,
      async () => {
        await deps.services.accounts.signUp(f, clientOf(c, deps));
        return show(c, deps, 'Check your inbox', checkInbox(f.email.trim().toLowerCase(), 'signup'));
      },
      (err) =>
        show(
          c,
          deps,
          'Sign up',
          signUpForm({ csrf: csrfToken(c, deps), error: err.message, email: f.email, handle: f.handle }),
          statusOf(err),
        ),
    );
  });
  app.get('/confirm/:token', (c) =>
    show(
      c,
      deps,
      'Confirm',
      html`<section class="narrow">
        <h1>Confirm your address</h1>
        <form method="post" action="/confirm/${c.req.param('token')}">
          ${csrfField(csrfToken(c, deps))}<button type="submit">Confirm</button>
        </form>
      </section>`,
    ),
  );
  app.post('/confirm/:token', async (c) => {
    await formFields(c, []);
    const r = await deps.services.accounts.confirm(c.req.param('token'));
    if (r.sessionToken !== null)
      return signedIn(c, deps, { user: r.user, sessionToken: r.sessionToken }, '/?notice=welcome');
    return c.redirect('/settings?notice=email-changed', 303);
  });
}

function registerSignIn(app: Hono<WebEnv>, deps: Deps): void {
  app.get('/signin', (c) =>
    show(
      c,
      deps,
      'Sign in',
      signInForm({ csrf: csrfToken(c, deps), next: localPath(c.req.query('next'), '/') }),
    ),
  );
  app.post('/signin', async (c) => {
    const f = await formFields(c, ['email', 'password', 'next']);
    const next = localPath(f.next, '/');
    return attempt(
      c,
      async () => {
        const client = { ...clientOf(c, deps), knownBrowser: readCookie(c, 'device', deps.secure) };
        return signedIn(c, deps, await deps.services.accounts.signIn(f, client), next);
      },
      (err) =>
        show(
          c,
          deps,
          'Sign in',
          signInForm({ csrf: csrfToken(c, deps), error: err.message, email: f.email, next }),
          statusOf(err),
        ),
    );
  });
  app.post('/signout', async (c) => {
    const token = c.get('sessionToken');
    if (token !== null) await deps.services.accounts.signOut(token);
    clearCookie(c, 'session', deps.secure);
    return c.redirect('/', 303);
  });
}

function registerReset(app: Hono<WebEnv>, deps: Deps): void {
  app.get('/reset', (c) => show(c, deps, 'Reset password', resetRequestForm({ csrf: csrfToken(c, deps) })));
  app.post('/reset', async (c) => {
    const f = await formFields(c, ['email']);
    return attempt(
      c,
      async () => {
        await deps.services.passwordResets.request(f.email, clientOf(c, deps));
        return show(c, deps, 'Check your inbox', checkInbox(f.email.trim().toLowerCase(), 'reset'));
      },
      (err) =>
        show(
          c,
          deps,
          'Reset password',
          resetRequestForm({ csrf: csrfToken(c, deps), error: err.message, email: f.email }),
          statusOf(err),
        ),
    );
  });
  registerResetLink(app, deps);
}

function registerResetLink(app: Hono<WebEnv>, deps: Deps): void {
  app.get('/reset/:token', async (c) => {
    const token = c.req.param('token');
    await deps.services.passwordResets.check(token);
    return show(c, deps, 'New password', resetForm({ csrf: csrfToken(c, deps), token }));
  });
  app.post('/reset/:token', async (c) => {
    const token = c.req.param('token');
    const f = await formFields(c, ['password']);
    return attempt(
      c,
      async () =>
        signedIn(
          c,
          deps,
          await deps.services.passwordResets.reset(token, f.password),
          '/settings?notice=password-reset',
        ),
      (err) => {
        if (err.code === 'LINK_INVALID') throw err;
        return show(
          c,
          deps,
          'New password',
          resetForm({ csrf: csrfToken(c, deps), token, error: err.message }),
          statusOf(err),
        );
      },
    );
  });
}

/**
 * Registers the account pages: /signup, /confirm/:token, /signin, /signout, /reset, /reset/:token.
 */
export function registerAuthRoutes(app: Hono<WebEnv>, deps: Deps): void {
  registerSignUp(app, deps);
  registerSignIn(app, deps);
  registerReset(app, deps);
}
