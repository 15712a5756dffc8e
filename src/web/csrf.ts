// CSRF protection: a signed double-submit token — an HttpOnly nonce cookie and, in each form, its HMAC.
import type { MiddlewareHandler } from 'hono';
import { AppError, isAppError } from '../errors.ts';
import { randomToken, sameString, sign } from '../platform/index.ts';
import { readCookie, writeCookie } from './cookies.ts';
import type { WebContext, WebDeps, WebEnv } from './web-env.ts';

const YEAR_S = 365 * 86_400;
const FORGED = 'This form is out of date or did not come from this site. Reload the page and try again.';
const API_SIGN_IN =
  'Sign in first, or send Authorization: Bearer <API token> (create one under Settings → API tokens).';
/** Where the footer's subscribe box posts. */
export const FOOTER_SUBSCRIBE = '/digest/subscribe';
/** RFC 8058 one-click unsubscribe: mail clients POST without cookies; the signed token in the path is the proof. */
const CSRF_EXEMPT_POST = /^\/digest\/unsubscribe\/\d{1,12}\.[\w-]{43}$/;

/**
 * The token to put in this page's forms (and the X-CSRF-Token header); sets the nonce cookie if needed.
 */
export function csrfToken(c: WebContext, deps: WebDeps<never>): string {
  let nonce = c.get('csrfNonce');
  if (nonce === null) {
    nonce = randomToken(18);
    writeCookie(c, 'csrf', nonce, deps.secure, YEAR_S);
    c.set('csrfNonce', nonce);
  }
  return sign(deps.secret, `csrf:${nonce}`).slice(0, 32);
}

/**
 * Starts a new nonce for this browser (at sign-in), so a nonce planted or read before signing in forges nothing
 * afterwards; forms rendered earlier must be reloaded.
 * @example rotateCsrf(c, deps); // then redirect
 */
export function rotateCsrf(c: WebContext, deps: WebDeps<never>): void {
  const nonce = randomToken(18);
  writeCookie(c, 'csrf', nonce, deps.secure, YEAR_S);
  c.set('csrfNonce', nonce);
}

async function submittedToken(c: WebContext): Promise<string> {
  const header = c.req.header('x-csrf-token');
  if (header !== undefined) return header;
  const type = c.req.header('content-type') ?? '';
  if (!/^(application\/x-www-form-urlencoded|multipart\/form-data)/i.test(type)) return '';
  const body = await c.req.parseBody().catch((err: unknown): Record<string, unknown> => {
    if (isAppError(err)) throw err; // e.g. the body limit
    return {};
  });
  const v = body._csrf;
  return typeof v === 'string' ? v : '';
}

/**
 * Refuses unsafe requests (POST, PUT, PATCH, DELETE) without a matching token; API requests that carry a
 * bearer token and no session are exempt (a bearer token is not sent by browsers on their own).
 */
export function csrfGuard(deps: WebDeps<never>): MiddlewareHandler<WebEnv> {
  return async (c, next) => {
    const nonce = readCookie(c, 'csrf', deps.secure);
    c.set('csrfNonce', nonce !== undefined && /^[\w-]{10,60}$/.test(nonce) ? nonce : null);
    if (['GET', 'HEAD', 'OPTIONS'].includes(c.req.method) || c.get('via') === 'token') return next();
    if (c.req.method === 'POST' && CSRF_EXEMPT_POST.test(c.req.path)) return next();
    // Every API write needs a reader: say so rather than blame a form a script never had.
    if (c.get('user') === null && c.req.path.startsWith('/api/'))
      throw new AppError('UNAUTHORIZED', API_SIGN_IN);
    // The footer's subscribe box on shared (cached) pages carries no token. Without a session there is nothing
    // to ride on, and the subscription waits for the mailed confirmation anyway (double opt-in).
    if (c.get('user') === null && c.req.method === 'POST' && c.req.path === FOOTER_SUBSCRIBE) return next();
    const given = await submittedToken(c);
    const have = c.get('csrfNonce');
    if (have === null || given === '' || !sameString(sign(deps.secret, `csrf:${have}`).slice(0, 32), given)) {
      throw new AppError('FORBIDDEN', FORGED);
    }
    return next();
  };
}
