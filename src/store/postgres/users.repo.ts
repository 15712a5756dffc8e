// PostgreSQL repository for reader accounts: e-mail, display name and password hash.
import type { UserRepo } from '../store.ts';
import { toUser, type UserRow } from '../rows/user-rows.ts';
import { isUniqueViolation, queryCount, queryOne, type PgDb } from './pg-db.ts';

/**
 * Creates the user repository.
 * @example const user = await createPgUserRepo(db, () => new Date()).create('a@b.org', 'Ada', hash);
 */
export function createPgUserRepo(db: PgDb, now: () => Date): UserRepo {
  const stamp = (): string => now().toISOString();
  const byId = (id: number): Promise<UserRow | undefined> =>
    queryOne<UserRow>(db, 'SELECT * FROM users WHERE id = $1', [id]);
  return {
    async create(email, name, passwordHash) {
      const t = stamp();
      // ON CONFLICT rather than catching the error: a failed statement would abort an enclosing transaction.
      const row = await queryOne<UserRow>(
        db,
        `INSERT INTO users (email, name, password_hash, created_at, updated_at) VALUES ($1, $2, $3, $4, $4)
         ON CONFLICT (email) DO NOTHING RETURNING *`,
        [email, name, passwordHash, t],
      );
      return row ? toUser(row) : null;
    },
    async get(id) {
      const r = await byId(id);
      return r ? toUser(r) : null;
    },
    async byEmail(email) {
      const r = await queryOne<UserRow>(db, 'SELECT * FROM users WHERE email = $1', [email]);
      return r ? { user: toUser(r), passwordHash: r.password_hash } : null;
    },
    async passwordHash(id) {
      return (await byId(id))?.password_hash ?? null;
    },
    async setPassword(id, passwordHash) {
      await db.query('UPDATE users SET password_hash = $1, updated_at = $2 WHERE id = $3', [
        passwordHash,
        stamp(),
        id,
      ]);
    },
    async setEmail(id, email) {
      try {
        await db.query('UPDATE users SET email = $1, updated_at = $2 WHERE id = $3', [email, stamp(), id]);
        return true;
      } catch (err) {
        if (isUniqueViolation(err)) return false;
        throw err;
      }
    },
    async setName(id, name) {
      await db.query('UPDATE users SET name = $1, updated_at = $2 WHERE id = $3', [name, stamp(), id]);
    },
    async count() {
      return queryCount(db, 'SELECT count(*) AS n FROM users');
    },
    async feedSalt(id) {
      const r = await queryOne<{ feed_salt: string }>(db, 'SELECT feed_salt FROM users WHERE id = $1', [id]);
      return r?.feed_salt ?? null;
    },
    async setFeedSalt(id, salt) {
      await db.query('UPDATE users SET feed_salt = $1, updated_at = $2 WHERE id = $3', [salt, stamp(), id]);
    },
  };
}
