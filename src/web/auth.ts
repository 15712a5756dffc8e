// Who is asking: a bearer API token or a session cookie becomes the request's user; helpers to require one.
import type { MiddlewareHandler } from 'hono';
import type { User } from '../domain/index.ts';
import { AppError } from '../errors.ts';
import { readCookie } from './cookies.ts';
import type { WebContext, WebDeps, WebEnv } from './web-env.ts';

/**
 * Loads the user for every request. A bad bearer token is an error (401), not an anonymous request.
 * @example app.use('*', authenticate(deps));
 */
export function authenticate(deps: WebDeps): MiddlewareHandler<WebEnv> {
  return async (c, next) => {
    c.set('user', null);
    c.set('via', null);
    c.set('sessionToken', null);
    const auth = c.req.header('authorization');
    if (auth !== undefined) {
      const m = /^Bearer\s+(\S+)$/i.exec(auth);
      const user = m?.[1] !== undefined ? await deps.services.apiTokens.authenticate(m[1]) : null;
      if (!user)
        throw new AppError(
          'UNAUTHORIZED',
          'The API token is not valid; create one under Settings → API tokens.',
        );
      c.set('user', user);
      c.set('via', 'token');
      return next();
    }
    const token = readCookie(c, 'session', deps.secure);
    if (token !== undefined) {
      const user = await deps.services.accounts.authenticate(token);
      if (user) {
        c.set('user', user);
        c.set('via', 'session');
        c.set('sessionToken', token);
      }
    }
    return next();
  };
}

/**
 * The signed-in user, or UNAUTHORIZED (pages turn that into a redirect to sign in).
 * @example const user = requireUser(c);
 */
export function requireUser(c: WebContext): User {
  const user = c.get('user');
  if (!user) throw new AppError('UNAUTHORIZED', 'Sign in first (or send Authorization: Bearer <API token>).');
  return user;
}

/**
 * The client's address for rate limits: the socket's, or X-Forwarded-For's first hop behind a trusted proxy.
 * @example limiterClient(c, deps) // { address: '203.0.113.7' }
 */
export function clientOf(c: WebContext, deps: WebDeps): { address: string } {
  if (deps.trustProxy) {
    const fwd = c.req.header('x-forwarded-for')?.split(',')[0]?.trim();
    if (fwd) return { address: fwd.slice(0, 64) };
  }
  return { address: c.env?.incoming?.socket?.remoteAddress ?? 'local' };
}
