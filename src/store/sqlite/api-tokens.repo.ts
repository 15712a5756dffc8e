// SQLite repository for personal API tokens, stored as SHA-256 hashes with a short visible prefix.
import type { ApiTokenRepo } from '../store.ts';
import {
  toApiTokenInfo,
  toTokenOwner,
  type ApiTokenRow,
  type TokenOwnerRow,
} from '../rows/api-token-rows.ts';
import type { SqliteDb } from './open.ts';

/**
 * Creates the API token repository.
 */
export function createSqliteApiTokenRepo(db: SqliteDb, now: () => Date): ApiTokenRepo {
  const q = {
    insert: db.prepare<[number, string, string, string, string], ApiTokenRow>(
      'INSERT INTO api_tokens (user_id, name, prefix, token_hash, created_at) VALUES (?, ?, ?, ?, ?) RETURNING *',
    ),
    list: db.prepare<[number], ApiTokenRow>('SELECT * FROM api_tokens WHERE user_id = ? ORDER BY id'),
    revoke: db.prepare('DELETE FROM api_tokens WHERE user_id = ? AND id = ?'),
    revokeAll: db.prepare('DELETE FROM api_tokens WHERE user_id = ?'),
    owner: db.prepare<[string], TokenOwnerRow>(
      `SELECT t.id AS token_id, t.last_used_at, u.id, u.email, u.name, u.created_at
       FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE t.token_hash = ?`,
    ),
    touch: db.prepare('UPDATE api_tokens SET last_used_at = ? WHERE id = ?'),
  };
  return {
    async create(userId, name, prefix, tokenHash) {
      return toApiTokenInfo(
        q.insert.get(userId, name, prefix, tokenHash, now().toISOString()) as ApiTokenRow,
      );
    },
    async list(userId) {
      return q.list.all(userId).map(toApiTokenInfo);
    },
    async revoke(userId, id) {
      return q.revoke.run(userId, id).changes > 0;
    },
    async revokeAll(userId) {
      return q.revokeAll.run(userId).changes;
    },
    async use(tokenHash) {
      const r = q.owner.get(tokenHash);
      if (!r) return null;
      const stamp = now().toISOString();
      // Record use at most once a minute, so API traffic does not turn every read into a write.
      if (r.last_used_at === null || r.last_used_at.slice(0, 16) !== stamp.slice(0, 16))
        q.touch.run(stamp, r.token_id);
      return toTokenOwner(r);
    },
  };
}
