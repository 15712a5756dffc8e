// One-time e-mailed links (sign-up, password reset, e-mail change), stored hashed, written once for both engines.
import type { EmailTokenRepo } from '../store.ts';
import { toEmailToken } from '../rows/email-token-rows.ts';
import { changed, type QueryDb } from '../kysely/query-db.ts';

/**
 * Creates the e-mail link repository; a link is consumed by one UPDATE, so of two concurrent uses one wins.
 */
export function createEmailTokenRepo({ db }: QueryDb, now: () => Date): EmailTokenRepo {
  return {
    async create(tokenHash, t) {
      await db
        .insertInto('email_tokens')
        .values({
          token_hash: tokenHash,
          purpose: t.purpose,
          email: t.email,
          user_id: t.userId,
          payload: JSON.stringify(t.payload),
          created_at: now().toISOString(),
          expires_at: t.expiresAt,
        })
        .execute();
    },
    async consume(tokenHash) {
      const stamp = now().toISOString();
      const r = await db
        .updateTable('email_tokens')
        .set({ used_at: stamp })
        .where('token_hash', '=', tokenHash)
        .where('used_at', 'is', null)
        .where('expires_at', '>', stamp)
        .returning(['purpose', 'email', 'user_id', 'payload', 'created_at', 'expires_at'])
        .executeTakeFirst();
      return r ? toEmailToken(r) : null;
    },
    async peek(tokenHash) {
      const r = await db
        .selectFrom('email_tokens')
        .selectAll()
        .where('token_hash', '=', tokenHash)
        .where('used_at', 'is', null)
        .where('expires_at', '>', now().toISOString())
        .executeTakeFirst();
      return r ? toEmailToken(r) : null;
    },
    async consumeAll(userId, purpose) {
      const r = await db
        .updateTable('email_tokens')
        .set({ used_at: now().toISOString() })
        .where('user_id', '=', userId)
        .where('purpose', '=', purpose)
        .where('used_at', 'is', null)
        .executeTakeFirst();
      return changed(r);
    },
    async purgeExpired() {
      return changed(
        await db.deleteFrom('email_tokens').where('expires_at', '<=', now().toISOString()).executeTakeFirst(),
      );
    },
  };
}
