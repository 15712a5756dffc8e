// Shared pieces of page routes: page options for the signed-in state, card states, paging and redirects.
import { readCookie } from './cookies.ts';
import type { User } from '../domain/index.ts';
import { csrfToken } from './csrf.ts';
import type { PageOptions } from './views/layout.ts';
import type { CardContext } from './views/paper-card.ts';
import type { WebContext, WebDeps } from './web-env.ts';

/** The services this module uses. */
type Deps = WebDeps<'discussion' | 'library' | 'votes'>;

/** Messages a redirect can ask the next page to show (?notice=key), so no text travels in URLs. */
const NOTICES: Record<string, string> = {
  welcome: 'Welcome! You are signed in.',
  'email-changed': 'Your e-mail address is changed.',
  'password-reset': 'Your password is changed; other sessions are signed out and every API token is revoked.',
  'password-changed':
    'Your password is changed; other browsers are signed out and every API token is revoked.',
  'name-changed': 'Your name is saved.',
  'email-sent': 'We mailed a confirmation link to the new address.',
  'digest-sent': 'We mailed a link to confirm your digest subscription.',
  'token-revoked': 'The token is revoked.',
  'signed-out-everywhere': 'Every session is signed out and every API token is revoked.',
  reported: 'Thank you: the comment is reported to the site’s administrators.',
};

/**
 * Page options for this request. Anonymous pages carry no CSRF token (their only forms are on the
 * sign-in pages, which ask for one with `withCsrf`), so they set no cookie and stay cacheable.
 */
export function pageOptions(
  c: WebContext,
  deps: Deps,
  title: string,
  extra: Partial<PageOptions> = {},
): PageOptions {
  const user = c.get('user');
  const notice = NOTICES[c.req.query('notice') ?? ''];
  return {
    title,
    user,
    csrf: user ? csrfToken(c, deps) : null,
    q: c.req.query('q'),
    unread: c.get('unread'),
    ...(notice !== undefined ? { notice } : {}),
    ...extra,
  };
}

/** The path and query of this request, to come back to after a form. */
export function herePath(c: WebContext): string {
  const u = new URL(c.req.url);
  return `${u.pathname}${u.search}`;
}

/** Card context for lists on this page. */
export function cardContext(c: WebContext, deps: Deps): CardContext {
  return {
    csrf: c.get('user') ? csrfToken(c, deps) : null,
    next: herePath(c),
    summaries: showSummaries(c, deps),
  };
}

/**
 * Whether to show TL;DR summaries: yes unless a signed-in reader turned them off. Anonymous pages are shared
 * through the response cache, so their rendering never reads the preference.
 */
export function showSummaries(c: WebContext, deps: Deps): boolean {
  return c.get('user') === null || readCookie(c, 'tldr', deps.secure) !== 'off';
}

/**
 * Whether the reader voted for and saved each of `ids` (all false for anonymous readers).
 */
export async function cardStates(
  deps: Deps,
  user: User | null,
  ids: readonly string[],
): Promise<Map<string, { voted: boolean; saved: boolean }>> {
  const out = new Map<string, { voted: boolean; saved: boolean }>();
  if (!user || ids.length === 0) return out;
  const [voted, saved] = await Promise.all([
    deps.services.votes.votedBy(user.id, ids),
    deps.services.library.savedAmong(user.id, ids),
  ]);
  for (const id of ids) out.set(id, { voted: voted.has(id), saved: saved.has(id) });
  return out;
}

/**
 * Card context with the papers' comment counts (community issue): cards then show "N comments".
 * @example card: await withComments(cardContext(c, deps), deps, ids)
 */
export async function withComments(
  ctx: CardContext,
  deps: Deps,
  ids: readonly string[],
): Promise<CardContext> {
  return { ...ctx, comments: await deps.services.discussion.comments.counts(ids) };
}

/** Headers for responses that must not be stored by shared caches (signed-in pages, forms). */
export const PRIVATE = { 'Cache-Control': 'private, no-store' } as const;
