// Use cases: sign up (confirmed by an e-mailed link), sign in, sessions and sign out.
import type { User } from '../../domain/index.ts';
import { AppError } from '../../errors.ts';
import { createLink, openSession, type AccountDeps, type Client } from './account-deps.ts';
import {
  chargeMail,
  checkEmail,
  checkName,
  checkPassword,
  deliverLater,
  RATE_RULES,
  tokenHash,
} from '../../platform/index.ts';
import { checkHandle, handleTaken } from '../collections/index.ts';
import { createSignInThrottle, type SignInClient } from './sign-in-throttle.ts';

export interface SignedIn {
  user: User;
  /** The session cookie value. */
  sessionToken: string;
}

export interface AccountsService {
  /**
   * Starts a sign-up: mails a confirmation link to a new address, or a reminder to an address that already
   * has an account. The caller cannot tell the two apart.
   */
  signUp(
    input: { email: string; password: string; name: string; handle?: string },
    client: Client,
  ): Promise<void>;
  /** Uses a sign-up or e-mail-change link; a sign-up link also signs the reader in. */
  confirm(
    token: string,
  ): Promise<{ user: User; sessionToken: string | null; purpose: 'signup' | 'email-change' }>;
  /** Checks the password under the sign-in throttle (sign-in-throttle.ts): RATE_LIMITED when refused. */
  signIn(input: { email: string; password: string }, client: SignInClient): Promise<SignedIn>;
  /** A proof, for the browser to keep, that it signed in to `email`: its later attempts count for it alone. */
  knownBrowserProof(email: string): string;
  /** The signed-in user of a session cookie, or null (unknown or expired). */
  authenticate(sessionToken: string): Promise<User | null>;
  signOut(sessionToken: string): Promise<void>;
}

const WRONG = 'Wrong e-mail address or password.';
const DAY_MS = 86_400_000;

/**
 * @example const accounts = createAccountsService(deps); await accounts.signIn({ email, password }, { address: '::1' });
 */
export function createAccountsService(deps: AccountDeps): AccountsService {
  const { store, hasher, limiter } = deps;
  let dummyHash: Promise<string> | null = null;
  const throttle = createSignInThrottle(limiter, deps.secret);

  async function signUp(
    input: { email: string; password: string; name: string; handle?: string },
    client: Client,
  ): Promise<void> {
    limiter.hit(`signup:${client.address}`, RATE_RULES.signUpPerClient, 'sign-up');
    const email = checkEmail(input.email);
    const password = checkPassword(input.password);
    const name = checkName(input.name);
    // An optional handle (community issue), checked now and taken when the link is used, if still free.
    const handle = (input.handle ?? '').trim() === '' ? '' : checkHandle(input.handle ?? '');
    if (handle !== '' && (await store.profiles.byHandle(handle)) !== null) throw handleTaken(handle);
    chargeMail(limiter, { recipient: email, client: client.address });
    const passwordHash = await hasher.hash(password); // hashed either way: both answers take as long
    if ((await store.users.byEmail(email)) !== null) {
      deliverLater(deps.mailer, deps.log, {
        to: email,
        subject: 'You already have a Paperboy account',
        text: `Someone (perhaps you) tried to sign up with this address, which already has an account.\n\nSign in: ${deps.baseUrl}/signin\nForgot your password? ${deps.baseUrl}/reset\n\nIf it was not you, ignore this mail.\n`,
      });
      return;
    }
    const token = await createLink(deps, 'signup', email, null, { passwordHash, name, handle }, 24);
    deliverLater(deps.mailer, deps.log, {
      to: email,
      subject: 'Confirm your Paperboy account',
      text: `Open this link to finish signing up (valid for 24 hours):\n\n${deps.baseUrl}/confirm/${token}\n\nIf you did not sign up, ignore this mail.\n`,
    });
  }

  async function confirm(
    token: string,
  ): Promise<{ user: User; sessionToken: string | null; purpose: 'signup' | 'email-change' }> {
    const hash = tokenHash(token);
    const peeked = await store.emailTokens.peek(hash);
    const link = peeked && peeked.purpose !== 'reset' ? await store.emailTokens.consume(hash) : null;
    if (!link || link.purpose === 'reset') {
      throw new AppError(
        'LINK_INVALID',
        'This link was already used or has expired. Sign up or change your e-mail again for a new one.',
      );
    }
    if (link.purpose === 'email-change') {
      const user = link.userId !== null ? await store.users.get(link.userId) : null;
      if (!user || !(await store.users.setEmail(user.id, link.email))) {
        throw new AppError(
          'CONFLICT',
          'That address now belongs to another account; choose a different one.',
        );
      }
      return { user: { ...user, email: link.email }, sessionToken: null, purpose: 'email-change' };
    }
    const user = await store.users.create(
      link.email,
      link.payload.name ?? '',
      link.payload.passwordHash ?? '',
    );
    if (!user)
      throw new AppError('CONFLICT', 'This address already has an account: sign in, or reset your password.');
    // Taken meanwhile by someone else: the account starts without one and the reader picks another in settings.
    if ((link.payload.handle ?? '') !== '')
      await store.profiles.setHandle(user.id, link.payload.handle ?? '');
    return { user, sessionToken: await openSession(deps, user.id), purpose: 'signup' };
  }

  async function signIn(input: { email: string; password: string }, client: SignInClient): Promise<SignedIn> {
    const email = input.email.trim().toLowerCase().slice(0, 300);
    const bucket = throttle.attempt(email, client);
    if (input.password.length > 1024) throw new AppError('UNAUTHORIZED', WRONG);
    const found = await store.users.byEmail(email);
    dummyHash ??= hasher.hash('not a real password, only for equal timing');
    const ok = await hasher.verify(found?.passwordHash ?? (await dummyHash), input.password);
    if (!found || !ok) throw new AppError('UNAUTHORIZED', WRONG);
    throttle.succeeded(bucket);
    return { user: found.user, sessionToken: await openSession(deps, found.user.id) };
  }

  async function authenticate(sessionToken: string): Promise<User | null> {
    if (sessionToken === '' || sessionToken.length > 100) return null;
    const hash = tokenHash(sessionToken);
    const found = await store.sessions.get(hash);
    if (!found) return null;
    // Sliding expiry, written at most once a day so reads stay reads.
    const fresh = deps.now().getTime() + deps.sessionDays * DAY_MS;
    if (fresh - Date.parse(found.session.expiresAt) > DAY_MS)
      await store.sessions.extend(hash, new Date(fresh).toISOString());
    return found.user;
  }

  return {
    signUp,
    confirm,
    signIn,
    knownBrowserProof: (email) => throttle.proofFor(email.trim().toLowerCase()),
    authenticate,
    signOut: (sessionToken) => store.sessions.delete(tokenHash(sessionToken)),
  };
}
