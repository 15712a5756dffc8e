// Use case: forgotten password — an e-mailed one-time link, valid for an hour, that sets a new password.
import { AppError } from '../../errors.ts';
import { createLink, openSession, type AccountDeps, type Client } from './account-deps.ts';
import type { SignedIn } from './accounts-service.ts';
import {
  chargeMail,
  checkEmail,
  checkPassword,
  deliverLater,
  RATE_RULES,
  tokenHash,
} from '../../platform/index.ts';

export interface PasswordResetService {
  /** Mails a link when the address has an account; answers the same either way. */
  request(email: string, client: Client): Promise<void>;
  /** Throws LINK_INVALID unless the link can still be used (for showing the form). */
  check(token: string): Promise<void>;
  /**
   * Sets the new password, ends every session, revokes every API token and every other reset link of the
   * account, and signs in afresh: whoever held the account before the reset keeps nothing of it.
   */
  reset(token: string, password: string): Promise<SignedIn>;
}

const USED = 'This reset link was already used or has expired. Ask for a new one.';

export function createPasswordResetService(deps: AccountDeps): PasswordResetService {
  const { store, limiter } = deps;
  return {
    async request(rawEmail, client) {
      limiter.hit(`reset-client:${client.address}`, RATE_RULES.resetPerClient, 'password reset');
      const email = checkEmail(rawEmail);
      limiter.hit(`reset-address:${email}`, RATE_RULES.resetPerAddress, 'password reset');
      chargeMail(limiter, { recipient: email, client: client.address }); // whether or not an account has it
      const found = await store.users.byEmail(email);
      if (!found) return;
      const token = await createLink(deps, 'reset', email, found.user.id, {}, 1);
      deliverLater(deps.mailer, deps.log, {
        to: email,
        subject: 'Reset your Paperboy password',
        text: `Open this link to choose a new password (valid for one hour, once):\n\n${deps.baseUrl}/reset/${token}\n\nIf you did not ask, ignore this mail; your password stays as it is.\n`,
      });
    },
    async check(token) {
      const link = await store.emailTokens.peek(tokenHash(token));
      if (!link || link.purpose !== 'reset') throw new AppError('LINK_INVALID', USED);
    },
    async reset(token, password) {
      checkPassword(password); // before using the link, so a rejected password does not burn it
      const hash = tokenHash(token);
      const peeked = await store.emailTokens.peek(hash);
      const link = peeked?.purpose === 'reset' ? await store.emailTokens.consume(hash) : null;
      const user = link?.userId != null ? await store.users.get(link.userId) : null;
      if (!user) throw new AppError('LINK_INVALID', USED);
      await store.users.setPassword(user.id, await deps.hasher.hash(password));
      await store.emailTokens.consumeAll(user.id, 'reset');
      await store.sessions.deleteForUser(user.id);
      await store.apiTokens.revokeAll(user.id);
      return { user, sessionToken: await openSession(deps, user.id) };
    },
  };
}
