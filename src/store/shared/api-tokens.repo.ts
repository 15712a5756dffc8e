// Personal API tokens, stored as SHA-256 hashes with a short visible prefix, written once for both engines.
import type { ApiTokenRepo } from '../store.ts';
import { toApiTokenInfo, toTokenOwner } from '../rows/api-token-rows.ts';
import { changed, type QueryDb } from '../kysely/query-db.ts';

/**
 * Creates the API token repository.
 */
export function createApiTokenRepo({ db }: QueryDb, now: () => Date): ApiTokenRepo {
  return {
    async create(userId, name, prefix, tokenHash) {
      const row = await db
        .insertInto('api_tokens')
        .values({ user_id: userId, name, prefix, token_hash: tokenHash, created_at: now().toISOString() })
        .returningAll()
        .executeTakeFirstOrThrow();
      return toApiTokenInfo(row);
    },
    async list(userId) {
      const rows = await db
        .selectFrom('api_tokens')
        .selectAll()
        .where('user_id', '=', userId)
        .orderBy('id')
        .execute();
      return rows.map(toApiTokenInfo);
    },
    async revoke(userId, id) {
      const r = await db
        .deleteFrom('api_tokens')
        .where('user_id', '=', userId)
        .where('id', '=', id)
        .executeTakeFirst();
      return changed(r) > 0;
    },
    async revokeAll(userId) {
      return changed(await db.deleteFrom('api_tokens').where('user_id', '=', userId).executeTakeFirst());
    },
    async use(tokenHash) {
      const r = await db
        .selectFrom('api_tokens as t')
        .innerJoin('users as u', 'u.id', 't.user_id')
        .select(['t.id as token_id', 't.last_used_at', 'u.id', 'u.email', 'u.name', 'u.created_at'])
        .where('t.token_hash', '=', tokenHash)
        .executeTakeFirst();
      if (!r) return null;
      const stamp = now().toISOString();
      // Record use at most once a minute, so API traffic does not turn every read into a write.
      if (r.last_used_at === null || r.last_used_at.slice(0, 16) !== stamp.slice(0, 16))
        await db
          .updateTable('api_tokens')
          .set({ last_used_at: stamp })
          .where('id', '=', r.token_id)
          .execute();
      return toTokenOwner(r);
    },
  };
}
