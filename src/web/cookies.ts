// The site's cookies: names (with the __Host- prefix over https) and their attributes.
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { WebContext } from './web-env.ts';

/**
 * `device`: the signed proof that this browser signed in to an address before (sign-in-throttle.ts).
 * `tldr`: "off" when a signed-in reader turned TL;DR summaries off in settings.
 */
export type CookieName = 'session' | 'csrf' | 'device' | 'tldr';

/** The cookie's name on the wire; `__Host-` binds it to this exact origin over https. */
export function cookieName(name: CookieName, secure: boolean): string {
  return secure ? `__Host-pb_${name}` : `pb_${name}`;
}

/**
 * Reads a site cookie.
 * @example readCookie(c, 'session', secure) // 'q3J0...' or undefined
 */
export function readCookie(c: WebContext, name: CookieName, secure: boolean): string | undefined {
  return getCookie(c, cookieName(name, secure));
}

/**
 * Sets a site cookie: HttpOnly, SameSite=Lax, Path=/, Secure over https.
 */
export function writeCookie(
  c: WebContext,
  name: CookieName,
  value: string,
  secure: boolean,
  maxAgeSeconds: number,
): void {
  setCookie(c, cookieName(name, secure), value, {
    httpOnly: true,
    sameSite: 'Lax',
    path: '/',
    secure,
    maxAge: maxAgeSeconds,
  });
}

/** Removes a site cookie. */
export function clearCookie(c: WebContext, name: CookieName, secure: boolean): void {
  deleteCookie(c, cookieName(name, secure), { path: '/', secure });
}
