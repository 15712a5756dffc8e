// PostgreSQL repository for personal API tokens, stored as SHA-256 hashes with a short visible prefix.
import type { ApiTokenRepo } from '../store.ts';
import {
  toApiTokenInfo,
  toTokenOwner,
  type ApiTokenRow,
  type TokenOwnerRow,
} from '../rows/api-token-rows.ts';
import { execCount, queryOne, queryRows, type PgDb } from './pg-db.ts';

/**
 * Creates the API token repository.
 */
export function createPgApiTokenRepo(db: PgDb, now: () => Date): ApiTokenRepo {
  return {
    async create(userId, name, prefix, tokenHash) {
      const row = await queryOne<ApiTokenRow>(
        db,
        `INSERT INTO api_tokens (user_id, name, prefix, token_hash, created_at) VALUES ($1, $2, $3, $4, $5)
         RETURNING *`,
        [userId, name, prefix, tokenHash, now().toISOString()],
      );
      return toApiTokenInfo(row as ApiTokenRow);
    },
    async list(userId) {
      return (
        await queryRows<ApiTokenRow>(db, 'SELECT * FROM api_tokens WHERE user_id = $1 ORDER BY id', [userId])
      ).map(toApiTokenInfo);
    },
    async revoke(userId, id) {
      return (await execCount(db, 'DELETE FROM api_tokens WHERE user_id = $1 AND id = $2', [userId, id])) > 0;
    },
    async revokeAll(userId) {
      return execCount(db, 'DELETE FROM api_tokens WHERE user_id = $1', [userId]);
    },
    async use(tokenHash) {
      const r = await queryOne<TokenOwnerRow>(
        db,
        `SELECT t.id AS token_id, t.last_used_at, u.id, u.email, u.name, u.created_at
         FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE t.token_hash = $1`,
        [tokenHash],
      );
      if (!r) return null;
      const stamp = now().toISOString();
      // Record use at most once a minute, so API traffic does not turn every read into a write.
      if (r.last_used_at === null || r.last_used_at.slice(0, 16) !== stamp.slice(0, 16))
        await db.query('UPDATE api_tokens SET last_used_at = $1 WHERE id = $2', [stamp, r.token_id]);
      return toTokenOwner(r);
    },
  };
}
