// Who is asking: a bearer API token or a session cookie becomes the request's user; helpers to require one.
import type { MiddlewareHandler } from 'hono';
import type { User } from '../domain/index.ts';
import { AppError } from '../errors.ts';
import { readCookie } from './cookies.ts';
import type { WebContext, WebDeps, WebEnv } from './web-env.ts';

/** The services this module uses. */
type Deps = WebDeps<'accounts' | 'apiTokens'>;

/**
 * The token of an `Authorization: Bearer <token>` header; null for no header or another scheme (Basic from an
 * `auth_basic` proxy in front of the site, say), which Paperboy does not use and ignores.
 * @example bearerToken('Bearer pb_abc') // 'pb_abc'; bearerToken('Basic dTpw') // null
 */
export function bearerToken(header: string | undefined): string | null {
  const m = /^\s*(\S+)(?:\s+(.*))?$/.exec(header ?? '');
  if (m?.[1]?.toLowerCase() !== 'bearer') return null;
  return (m[2] ?? '').trim();
}

/**
 * Loads the user for every request. A bad bearer token is an error (401), not an anonymous request; any other
 * authorization scheme is ignored, so the session cookie still counts.
 */
export function authenticate(deps: Deps): MiddlewareHandler<WebEnv> {
  return async (c, next) => {
    c.set('user', null);
    c.set('via', null);
    c.set('sessionToken', null);
    const bearer = bearerToken(c.req.header('authorization'));
    if (bearer !== null) {
      const user = /^\S+$/.test(bearer) ? await deps.services.apiTokens.authenticate(bearer) : null;
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
 */
export function requireUser(c: WebContext): User {
  const user = c.get('user');
  if (!user) throw new AppError('UNAUTHORIZED', 'Sign in first (or send Authorization: Bearer <API token>).');
  return user;
}

/**
 * The user of a signed-in browser session; a bearer token is FORBIDDEN here. For what a stolen token must not
 * do, such as minting more tokens that would outlive its own revocation.
 */
export function requireSession(c: WebContext): User {
  const user = requireUser(c);
  if (c.get('via') !== 'session')
    throw new AppError(
      'FORBIDDEN',
      'This needs a signed-in browser session, not an API token: create tokens under Settings → API tokens.',
    );
  return user;
}

/**
 * The client's address for rate limits. With no trusted proxy, the socket's. Behind `hops` proxies that each
 * append the address they were reached from to X-Forwarded-For, the right-most `hops` entries were written by
 * them and everything left of those by the client (so forgeable): the address is the entry the outermost
 * trusted proxy added, counted from the right. When the header holds fewer entries, the left-most one.
 * @example clientAddress('10.0.0.2', 'forged, 203.0.113.7', 1) // '203.0.113.7'
 */
export function clientAddress(socket: string, forwardedFor: string | undefined, hops: number): string {
  if (hops <= 0 || forwardedFor === undefined) return socket;
  const chain = forwardedFor
    .split(',')
    .map((a) => a.trim())
    .filter((a) => a !== '');
  const pick = chain[Math.max(0, chain.length - hops)];
  return pick !== undefined ? pick.slice(0, 64) : socket;
}

/**
 * The client's address for rate limits (see `clientAddress`).
 * @example clientOf(c, deps) // { address: '203.0.113.7' }
 */
export function clientOf(c: WebContext, deps: Deps): { address: string } {
  const socket = c.env?.incoming?.socket?.remoteAddress ?? 'local';
  // Several X-Forwarded-For header lines are one list, in order (RFC 9110 field combination).
  const fwd = c.req.raw.headers.get('x-forwarded-for') ?? undefined;
  return { address: clientAddress(socket, fwd, deps.trustProxyHops) };
}
