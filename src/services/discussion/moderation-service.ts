// Moderation for the admins (ADMIN_EMAILS): the reports queue, hiding and restoring comments, suspending accounts.
import type { CommentReport } from '../../domain/comment.ts';
import type { User } from '../../domain/index.ts';
import { AppError } from '../../errors.ts';
import type { Store } from '../../store/store.ts';

export interface ModerationService {
  isAdmin(user: User | null): boolean;
  /** Comments with open reports, most reported first. */
  reports(admin: User, limit?: number): Promise<CommentReport[]>;
  /** Hides a comment from everyone but admins and its author; closes its reports. */
  hide(admin: User, commentId: number): Promise<void>;
  restore(admin: User, commentId: number): Promise<void>;
  /** Closes a comment's reports and leaves it as it is. */
  dismiss(admin: User, commentId: number): Promise<void>;
  /** Suspends an account: it cannot post, vote or subscribe, and its sessions and API tokens end now. */
  suspend(admin: User, userId: number): Promise<void>;
  unsuspend(admin: User, userId: number): Promise<void>;
  isSuspended(userId: number): Promise<boolean>;
}

/**
 * @example const mod = createModerationService(store, config.ADMIN_EMAILS); await mod.hide(admin, 12);
 */
export function createModerationService(store: Store, adminEmails: readonly string[]): ModerationService {
  const isAdmin = (u: User | null): boolean => u !== null && adminEmails.includes(u.email.toLowerCase());
  const check = (u: User): void => {
    if (!isAdmin(u))
      throw new AppError('FORBIDDEN', 'Moderation is for the site’s administrators (ADMIN_EMAILS).');
  };
  const comment = async (id: number): Promise<void> => {
    if (!Number.isSafeInteger(id) || (await store.discussion.get(id)) === null)
      throw new AppError('NOT_FOUND', `No comment ${id}.`);
  };
  return {
    isAdmin,
    async reports(admin, limit = 100) {
      check(admin);
      return store.discussion.openReports(limit);
    },
    async hide(admin, id) {
      check(admin);
      await comment(id);
      await store.discussion.setHidden(id, true);
      await store.discussion.resolveReports(id);
    },
    async restore(admin, id) {
      check(admin);
      await comment(id);
      await store.discussion.setHidden(id, false);
      await store.discussion.resolveReports(id);
    },
    async dismiss(admin, id) {
      check(admin);
      await comment(id);
      await store.discussion.resolveReports(id);
    },
    async suspend(admin, userId) {
      check(admin);
      const target = Number.isSafeInteger(userId) ? await store.users.get(userId) : null;
      if (target === null) throw new AppError('NOT_FOUND', `No account ${userId}.`);
      if (isAdmin(target))
        throw new AppError(
          'BAD_INPUT',
          'An administrator cannot be suspended; remove them from ADMIN_EMAILS first.',
        );
      await store.discussion.suspend(userId, admin.id);
      await store.sessions.deleteForUser(userId);
      await store.apiTokens.revokeAll(userId);
    },
    async unsuspend(admin, userId) {
      check(admin);
      await store.discussion.unsuspend(userId);
    },
    isSuspended: (userId) => store.discussion.isSuspended(userId),
  };
}
