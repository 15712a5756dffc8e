// SQLite repository for one-time e-mailed links (sign-up, password reset, e-mail change), stored hashed.
import type { EmailTokenRepo } from '../store.ts';
import { toEmailToken, type EmailTokenRow } from '../rows/email-token-rows.ts';
import type { SqliteDb } from './open.ts';

/**
 * Creates the e-mail link repository; a link is consumed atomically, so a replayed link finds nothing.
 * @example const t = await createSqliteEmailTokenRepo(db, now).consume(hash); // null the second time
 */
export function createSqliteEmailTokenRepo(db: SqliteDb, now: () => Date): EmailTokenRepo {
  const q = {
    insert: db.prepare(
      `INSERT INTO email_tokens (token_hash, purpose, email, user_id, payload, created_at, expires_at)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
    ),
    consume: db.prepare<[string, string, string], EmailTokenRow>(
      `UPDATE email_tokens SET used_at = ? WHERE token_hash = ? AND used_at IS NULL AND expires_at > ?
       RETURNING purpose, email, user_id, payload, created_at, expires_at`,
    ),
    peek: db.prepare<[string, string], EmailTokenRow>(
      'SELECT * FROM email_tokens WHERE token_hash = ? AND used_at IS NULL AND expires_at > ?',
    ),
    consumeAll: db.prepare(
      'UPDATE email_tokens SET used_at = ? WHERE user_id = ? AND purpose = ? AND used_at IS NULL',
    ),
    purge: db.prepare('DELETE FROM email_tokens WHERE expires_at <= ?'),
  };
  return {
    async create(tokenHash, t) {
      const payload = JSON.stringify(t.payload);
      q.insert.run(tokenHash, t.purpose, t.email, t.userId, payload, now().toISOString(), t.expiresAt);
    },
    async consume(tokenHash) {
      const r = q.consume.get(now().toISOString(), tokenHash, now().toISOString());
      return r ? toEmailToken(r) : null;
    },
    async peek(tokenHash) {
      const r = q.peek.get(tokenHash, now().toISOString());
      return r ? toEmailToken(r) : null;
    },
    async consumeAll(userId, purpose) {
      return q.consumeAll.run(now().toISOString(), userId, purpose).changes;
    },
    async purgeExpired() {
      return q.purge.run(now().toISOString()).changes;
    },
  };
}
