// Signed-in browser sessions keyed by the SHA-256 of the cookie value, written once for both engines.
import type { SessionRepo } from '../store.ts';
import { toSessionUser } from '../rows/session-rows.ts';
import { arg, changed, type QueryDb } from '../kysely/query-db.ts';

/**
 * Creates the session repository; expired sessions never authenticate, and purgeExpired removes them.
 */
export function createSessionRepo(q: QueryDb, now: () => Date): SessionRepo {
  const { db } = q;
  // Every signed-in request reads its session: compiled once (QueryDb.prepare).
  const bySession = q.prepare((d) =>
    d
      .selectFrom('sessions as s')
      .innerJoin('users as u', 'u.id', 's.user_id')
      .select([
        's.user_id',
        's.created_at',
        's.expires_at',
        'u.email',
        'u.name',
        'u.created_at as user_created_at',
      ])
      .where('s.token_hash', '=', arg<string>('tokenHash'))
      .where('s.expires_at', '>', arg<string>('at')),
  );
  return {
    async create(tokenHash, userId, expiresAt) {
      await db
        .insertInto('sessions')
        .values({
          token_hash: tokenHash,
          user_id: userId,
          created_at: now().toISOString(),
          expires_at: expiresAt,
        })
        .execute();
    },
    async get(tokenHash) {
      const r = await bySession.first({ tokenHash, at: now().toISOString() });
      return r ? toSessionUser(r) : null;
    },
    async extend(tokenHash, expiresAt) {
      await db
        .updateTable('sessions')
        .set({ expires_at: expiresAt })
        .where('token_hash', '=', tokenHash)
        .execute();
    },
    async delete(tokenHash) {
      await db.deleteFrom('sessions').where('token_hash', '=', tokenHash).execute();
    },
    async deleteForUser(userId, keepHash) {
      const r = await db
        .deleteFrom('sessions')
        .where('user_id', '=', userId)
        .where('token_hash', '<>', keepHash ?? '')
        .executeTakeFirst();
      return changed(r);
    },
    async purgeExpired() {
      return changed(
        await db.deleteFrom('sessions').where('expires_at', '<=', now().toISOString()).executeTakeFirst(),
      );
    },
  };
}
