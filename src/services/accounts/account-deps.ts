// What the account services share: collaborators, and opening a session for a user.
import type { Store } from '../../store/store.ts';
import {
  type Logger,
  type Mailer,
  type PasswordHasher,
  randomToken,
  type RateLimiter,
  tokenHash,
} from '../../platform/index.ts';

export interface AccountDeps {
  store: Store;
  hasher: PasswordHasher;
  mailer: Mailer;
  limiter: RateLimiter;
  log: Logger;
  now: () => Date;
  /** Origin for links in mail, e.g. "https://papers.example.org". */
  baseUrl: string;
  sessionDays: number;
  /** The server's signing secret (for known-browser proofs at sign-in). */
  secret: () => string;
}

/** Who is asking, for rate limits: the client address as the surface sees it. */
export interface Client {
  address: string;
}

const DAY_MS = 86_400_000;

/**
 * Creates a session for `userId` and returns the cookie value (only its hash is stored).
 */
export async function openSession(deps: AccountDeps, userId: number): Promise<string> {
  const token = randomToken(32);
  const expires = new Date(deps.now().getTime() + deps.sessionDays * DAY_MS).toISOString();
  await deps.store.sessions.create(tokenHash(token), userId, expires);
  return token;
}

/**
 * Creates a one-time link token of `purpose` valid for `hours`, returning the token for the URL.
 */
export async function createLink(
  deps: AccountDeps,
  purpose: 'signup' | 'reset' | 'email-change',
  email: string,
  userId: number | null,
  payload: Record<string, string>,
  hours: number,
): Promise<string> {
  const token = randomToken(32);
  const expiresAt = new Date(deps.now().getTime() + hours * 3_600_000).toISOString();
  await deps.store.emailTokens.create(tokenHash(token), { purpose, email, userId, payload, expiresAt });
  return token;
}
