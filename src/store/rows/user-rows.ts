// Row shape of the users table shared by the SQLite and PostgreSQL engines, and its mapping to a User.
import type { User } from '../../domain/index.ts';

/** One row of the users table, as both engines return it for `SELECT *`. */
export interface UserRow {
  id: number;
  email: string;
  name: string;
  password_hash: string;
  created_at: string;
}

/**
 * Maps a users row to the public User (the password hash stays behind).
 * @example toUser({ id: 1, email: 'a@b.org', name: 'Ada', password_hash: 'h', created_at: t }).name; // 'Ada'
 */
export function toUser(r: UserRow): User {
  return { id: r.id, email: r.email, name: r.name, createdAt: r.created_at };
}
