// Use cases on a signed-in account: name, password, e-mail address (confirmed by link), sign out everywhere.
import type { User } from '../../domain/index.ts';
import { AppError } from '../../errors.ts';
import { createLink, type AccountDeps, type Client } from './account-deps.ts';
import {
  chargeMail,
  checkEmail,
  checkName,
  checkPassword,
  deliverLater,
  tokenHash,
} from '../../platform/index.ts';

export interface AccountSettingsService {
  rename(userId: number, name: string): Promise<void>;
  /** Needs the current password; signs out every other session and revokes every API token. */
  changePassword(
    userId: number,
    current: string,
    next: string,
    keepSessionToken: string | null,
  ): Promise<void>;
  /**
   * Needs the password; mails a confirmation link to the new address (which takes effect when used).
   * Counts against the mail limits of the account, the client and the new address (RATE_LIMITED).
   */
  requestEmailChange(user: User, password: string, newEmail: string, client: Client): Promise<void>;
  /** Ends every session of the user, this one included, and revokes every API token; returns how many sessions ended. */
  signOutEverywhere(userId: number): Promise<number>;
}

export function createAccountSettingsService(deps: AccountDeps): AccountSettingsService {
  const { store, hasher } = deps;

  async function requirePassword(userId: number, password: string): Promise<void> {
    const hash = await store.users.passwordHash(userId);
    if (hash === null || password.length > 1024 || !(await hasher.verify(hash, password))) {
      throw new AppError('UNAUTHORIZED', 'Your current password is not right.');
    }
  }

  return {
    async rename(userId, name) {
      await store.users.setName(userId, checkName(name));
    },
    async changePassword(userId, current, next, keepSessionToken) {
      checkPassword(next);
      await requirePassword(userId, current);
      await store.users.setPassword(userId, await hasher.hash(next));
      await store.sessions.deleteForUser(
        userId,
        keepSessionToken !== null ? tokenHash(keepSessionToken) : undefined,
      );
      // A token minted by whoever knew the old password must not outlive it.
      await store.apiTokens.revokeAll(userId);
    },
    async requestEmailChange(user, password, newEmail, client) {
      const email = checkEmail(newEmail);
      await requirePassword(user.id, password);
      if (email === user.email) throw new AppError('BAD_INPUT', 'That is already your address.');
      chargeMail(deps.limiter, { recipient: email, client: client.address, account: user.id });
      if ((await store.users.byEmail(email)) !== null) {
        deliverLater(deps.mailer, deps.log, {
          to: email,
          subject: 'Paperboy: address already in use',
          text: 'Someone asked to move a Paperboy account to this address, which already has an account. Nothing changed.\n',
        });
        return;
      }
      const token = await createLink(deps, 'email-change', email, user.id, {}, 24);
      deliverLater(deps.mailer, deps.log, {
        to: email,
        subject: 'Confirm your new Paperboy address',
        text: `Open this link to use this address for your Paperboy account (valid for 24 hours):\n\n${deps.baseUrl}/confirm/${token}\n`,
      });
    },
    async signOutEverywhere(userId) {
      await store.apiTokens.revokeAll(userId);
      return store.sessions.deleteForUser(userId);
    },
  };
}
