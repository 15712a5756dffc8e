// SQLite repository for reader accounts: e-mail, display name and password hash.
import type { UserRepo } from '../store.ts';
import { toUser, type UserRow } from '../rows/user-rows.ts';
import type { SqliteDb } from './open.ts';

function isUniqueViolation(err: unknown): boolean {
  return (
    err instanceof Error && 'code' in err && (err as { code: unknown }).code === 'SQLITE_CONSTRAINT_UNIQUE'
  );
}

/**
 * Creates the user repository.
 * @example const user = await createSqliteUserRepo(db, () => new Date()).create('a@b.org', 'Ada', hash);
 */
export function createSqliteUserRepo(db: SqliteDb, now: () => Date): UserRepo {
  const q = {
    insert: db.prepare<[string, string, string, string, string], UserRow>(
      'INSERT INTO users (email, name, password_hash, created_at, updated_at) VALUES (?, ?, ?, ?, ?) RETURNING *',
    ),
    byId: db.prepare<[number], UserRow>('SELECT * FROM users WHERE id = ?'),
    byEmail: db.prepare<[string], UserRow>('SELECT * FROM users WHERE email = ?'),
    setPassword: db.prepare('UPDATE users SET password_hash = ?, updated_at = ? WHERE id = ?'),
    setEmail: db.prepare('UPDATE users SET email = ?, updated_at = ? WHERE id = ?'),
    setName: db.prepare('UPDATE users SET name = ?, updated_at = ? WHERE id = ?'),
    count: db.prepare<[], { n: number }>('SELECT count(*) AS n FROM users'),
    feedSalt: db.prepare<[number], { feed_salt: string }>('SELECT feed_salt FROM users WHERE id = ?'),
    setFeedSalt: db.prepare('UPDATE users SET feed_salt = ?, updated_at = ? WHERE id = ?'),
  };
  const stamp = (): string => now().toISOString();
  return {
    async create(email, name, passwordHash) {
      try {
        const t = stamp();
        const row = q.insert.get(email, name, passwordHash, t, t);
        return row ? toUser(row) : null;
      } catch (err) {
        if (isUniqueViolation(err)) return null;
        throw err;
      }
    },
    async get(id) {
      const r = q.byId.get(id);
      return r ? toUser(r) : null;
    },
    async byEmail(email) {
      const r = q.byEmail.get(email);
      return r ? { user: toUser(r), passwordHash: r.password_hash } : null;
    },
    async passwordHash(id) {
      return q.byId.get(id)?.password_hash ?? null;
    },
    async setPassword(id, passwordHash) {
      q.setPassword.run(passwordHash, stamp(), id);
    },
    async setEmail(id, email) {
      try {
        q.setEmail.run(email, stamp(), id);
        return true;
      } catch (err) {
        if (isUniqueViolation(err)) return false;
        throw err;
      }
    },
    async setName(id, name) {
      q.setName.run(name, stamp(), id);
    },
    async count() {
      return q.count.get()?.n ?? 0;
    },
    async feedSalt(id) {
      return q.feedSalt.get(id)?.feed_salt ?? null;
    },
    async setFeedSalt(id, salt) {
      q.setFeedSalt.run(salt, stamp(), id);
    },
  };
}
