// The discussion feature: comments, moderation and notifications, wired over one store.
import type { Store } from '../../store/store.ts';
import { createCommentsService, type CommentsService } from './comments-service.ts';
import { createModerationService, type ModerationService } from './moderation-service.ts';
import { createNotificationsService, type NotificationsService } from './notifications-service.ts';

export type { AuthoredComment, CommentsService } from './comments-service.ts';
export type { CommentView, ThreadOrder } from './comment-thread.ts';
export type { ModerationService } from './moderation-service.ts';
export type { NotificationsService } from './notifications-service.ts';
export { COMMENT_LIMITS } from './comment-rules.ts';
export { commentHtml } from './comment-markdown.ts';

export interface DiscussionServices {
  readonly comments: CommentsService;
  readonly moderation: ModerationService;
  readonly notifications: NotificationsService;
}

export interface DiscussionDeps {
  store: Store;
  now: () => Date;
  adminEmails: readonly string[];
  /** The server secret that signs feed keys. */
  secret: () => string;
}

export function createDiscussionServices(d: DiscussionDeps): DiscussionServices {
  const moderation = createModerationService(d.store, d.adminEmails);
  return {
    comments: createCommentsService({ store: d.store, now: d.now, isAdmin: moderation.isAdmin }),
    moderation,
    notifications: createNotificationsService(d.store, d.secret),
  };
}
