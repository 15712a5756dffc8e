// Row shape of a session joined with its user, shared by the SQLite and PostgreSQL engines, and its mapping.
import type { Session, User } from '../../domain/index.ts';

/** A sessions row joined with its users row (the user's creation time aliased as user_created_at). */
export interface SessionUserRow {
  user_id: number;
  created_at: string;
  expires_at: string;
  email: string;
  name: string;
  user_created_at: string;
}

/**
 * Maps a joined session row to the session and the user it signs in.
 * @example toSessionUser(row).user.email; // 'a@b.org'
 */
export function toSessionUser(r: SessionUserRow): { session: Session; user: User } {
  const session: Session = { userId: r.user_id, createdAt: r.created_at, expiresAt: r.expires_at };
  const user: User = { id: r.user_id, email: r.email, name: r.name, createdAt: r.user_created_at };
  return { session, user };
}
