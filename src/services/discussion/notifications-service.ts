// A reader's notifications: replies to their comments and comments on papers in their library; unread count,
// the signed personal Atom feed key, and the replies the daily digest lists.
import type { ReaderNotification } from '../../domain/comment.ts';
import { AppError } from '../../errors.ts';
import type { Store } from '../../store/store.ts';
import { sameString, sign } from '../../platform/index.ts';

export interface NotificationsService {
  list(userId: number, limit?: number): Promise<ReaderNotification[]>;
  unreadCount(userId: number): Promise<number>;
  markAllRead(userId: number): Promise<number>;
  /** Replies to the reader's comments since `sinceIso`, newest first (the digest's "Replies to you"). */
  repliesSince(userId: number, sinceIso: string, limit?: number): Promise<ReaderNotification[]>;
  /** The key in the reader's notifications feed link; rotating library feed keys in settings changes it too. */
  feedKey(userId: number): Promise<string>;
  /** NOT_FOUND unless `key` is the reader's current feed key. */
  checkFeedKey(userId: number, key: string): Promise<void>;
}

/**
 * @example const n = createNotificationsService(store, () => secret); await n.unreadCount(user.id);
 */
export function createNotificationsService(store: Store, secret: () => string): NotificationsService {
  const feedKey = async (userId: number): Promise<string> => {
    const salt = (await store.users.feedSalt(userId)) ?? '';
    return sign(secret(), `notifications-feed:${userId}:${salt}`).slice(0, 32);
  };
  return {
    list: (userId, limit = 50) => store.discussion.notifications(userId, limit),
    unreadCount: (userId) => store.discussion.unreadCount(userId),
    markAllRead: (userId) => store.discussion.markAllRead(userId),
    async repliesSince(userId, sinceIso, limit = 20) {
      const all = await store.discussion.notifications(userId, limit * 4, sinceIso);
      return all.filter((n) => n.kind === 'reply').slice(0, limit);
    },
    feedKey,
    async checkFeedKey(userId, key) {
      if (!Number.isSafeInteger(userId) || !sameString(await feedKey(userId), key))
        throw new AppError('NOT_FOUND', 'No such feed; copy its link from your notifications page again.');
    },
  };
}
