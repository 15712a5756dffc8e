// PostgreSQL repository for signed-in browser sessions, keyed by the SHA-256 of the cookie value.
import type { SessionRepo } from '../store.ts';
import { toSessionUser, type SessionUserRow } from '../rows/session-rows.ts';
import { execCount, queryOne, type PgDb } from './pg-db.ts';

/**
 * Creates the session repository; expired sessions never authenticate, and purgeExpired removes them.
 * @example await createPgSessionRepo(db, () => new Date()).create(hash, 1, '2026-12-28T00:00:00Z');
 */
export function createPgSessionRepo(db: PgDb, now: () => Date): SessionRepo {
  return {
    async create(tokenHash, userId, expiresAt) {
      await db.query(
        'INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES ($1, $2, $3, $4)',
        [tokenHash, userId, now().toISOString(), expiresAt],
      );
    },
    async get(tokenHash) {
      const r = await queryOne<SessionUserRow>(
        db,
        `SELECT s.user_id, s.created_at, s.expires_at, u.email, u.name, u.created_at AS user_created_at
         FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = $1 AND s.expires_at > $2`,
        [tokenHash, now().toISOString()],
      );
      return r ? toSessionUser(r) : null;
    },
    async extend(tokenHash, expiresAt) {
      await db.query('UPDATE sessions SET expires_at = $1 WHERE token_hash = $2', [expiresAt, tokenHash]);
    },
    async delete(tokenHash) {
      await db.query('DELETE FROM sessions WHERE token_hash = $1', [tokenHash]);
    },
    async deleteForUser(userId, keepHash) {
      return execCount(db, 'DELETE FROM sessions WHERE user_id = $1 AND token_hash <> $2', [
        userId,
        keepHash ?? '',
      ]);
    },
    async purgeExpired() {
      return execCount(db, 'DELETE FROM sessions WHERE expires_at <= $1', [now().toISOString()]);
    },
  };
}
