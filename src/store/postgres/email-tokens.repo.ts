// PostgreSQL repository for one-time e-mailed links (sign-up, password reset, e-mail change), stored hashed.
import type { EmailTokenRepo } from '../store.ts';
import { toEmailToken, type EmailTokenRow } from '../rows/email-token-rows.ts';
import { execCount, queryOne, type PgDb } from './pg-db.ts';

/**
 * Creates the e-mail link repository; a link is consumed by one UPDATE, so of two concurrent uses one wins.
 * @example const t = await createPgEmailTokenRepo(db, now).consume(hash); // null the second time
 */
export function createPgEmailTokenRepo(db: PgDb, now: () => Date): EmailTokenRepo {
  return {
    async create(tokenHash, t) {
      await db.query(
        `INSERT INTO email_tokens (token_hash, purpose, email, user_id, payload, created_at, expires_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)`,
        [
          tokenHash,
          t.purpose,
          t.email,
          t.userId,
          JSON.stringify(t.payload),
          now().toISOString(),
          t.expiresAt,
        ],
      );
    },
    async consume(tokenHash) {
      const stamp = now().toISOString();
      const r = await queryOne<EmailTokenRow>(
        db,
        `UPDATE email_tokens SET used_at = $1 WHERE token_hash = $2 AND used_at IS NULL AND expires_at > $1
         RETURNING purpose, email, user_id, payload, created_at, expires_at`,
        [stamp, tokenHash],
      );
      return r ? toEmailToken(r) : null;
    },
    async peek(tokenHash) {
      const r = await queryOne<EmailTokenRow>(
        db,
        'SELECT * FROM email_tokens WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2',
        [tokenHash, now().toISOString()],
      );
      return r ? toEmailToken(r) : null;
    },
    async consumeAll(userId, purpose) {
      return execCount(
        db,
        'UPDATE email_tokens SET used_at = $1 WHERE user_id = $2 AND purpose = $3 AND used_at IS NULL',
        [now().toISOString(), userId, purpose],
      );
    },
    async purgeExpired() {
      return execCount(db, 'DELETE FROM email_tokens WHERE expires_at <= $1', [now().toISOString()]);
    },
  };
}
