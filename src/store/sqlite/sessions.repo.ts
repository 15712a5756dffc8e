// SQLite repository for signed-in browser sessions, keyed by the SHA-256 of the cookie value.
import type { SessionRepo } from '../store.ts';
import { toSessionUser, type SessionUserRow } from '../rows/session-rows.ts';
import type { SqliteDb } from './open.ts';

/**
 * Creates the session repository; expired sessions never authenticate, and purgeExpired removes them.
 * @example await createSqliteSessionRepo(db, () => new Date()).create(hash, 1, '2026-12-28T00:00:00Z');
 */
export function createSqliteSessionRepo(db: SqliteDb, now: () => Date): SessionRepo {
  const q = {
    insert: db.prepare(
      'INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)',
    ),
    get: db.prepare<[string, string], SessionUserRow>(
      `SELECT s.user_id, s.created_at, s.expires_at, u.email, u.name, u.created_at AS user_created_at
       FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = ? AND s.expires_at > ?`,
    ),
    extend: db.prepare('UPDATE sessions SET expires_at = ? WHERE token_hash = ?'),
    del: db.prepare('DELETE FROM sessions WHERE token_hash = ?'),
    delUser: db.prepare('DELETE FROM sessions WHERE user_id = ? AND token_hash != ?'),
    purge: db.prepare('DELETE FROM sessions WHERE expires_at <= ?'),
  };
  return {
    async create(tokenHash, userId, expiresAt) {
      q.insert.run(tokenHash, userId, now().toISOString(), expiresAt);
    },
    async get(tokenHash) {
      const r = q.get.get(tokenHash, now().toISOString());
      return r ? toSessionUser(r) : null;
    },
    async extend(tokenHash, expiresAt) {
      q.extend.run(expiresAt, tokenHash);
    },
    async delete(tokenHash) {
      q.del.run(tokenHash);
    },
    async deleteForUser(userId, keepHash) {
      return q.delUser.run(userId, keepHash ?? '').changes;
    },
    async purgeExpired() {
      return q.purge.run(now().toISOString()).changes;
    },
  };
}
