// Reader accounts (e-mail, display name, password hash), written once for SQLite and PostgreSQL.
import type { UserRepo } from '../store.ts';
import { toUser } from '../rows/user-rows.ts';
import { arg, isUniqueViolation, type QueryDb } from '../kysely/query-db.ts';

/**
 * Creates the user repository.
 */
export function createUserRepo(q: QueryDb, now: () => Date): UserRepo {
  const { db } = q;
  const stamp = (): string => now().toISOString();
  const userById = q.prepare((d) => d.selectFrom('users').selectAll().where('id', '=', arg<number>('id')));
  const byId = (id: number) => userById.first({ id });
  return {
    async create(email, name, passwordHash) {
      const t = stamp();
      // ON CONFLICT on the address only: any other constraint still fails loudly, and on PostgreSQL a caught
      // error would abort an enclosing transaction.
      const row = await db
        .insertInto('users')
        .values({ email, name, password_hash: passwordHash, created_at: t, updated_at: t })
        .onConflict((oc) => oc.column('email').doNothing())
        .returningAll()
        .executeTakeFirst();
      return row ? toUser(row) : null;
    },
    async get(id) {
      const r = await byId(id);
      return r ? toUser(r) : null;
    },
    async byEmail(email) {
      const r = await db.selectFrom('users').selectAll().where('email', '=', email).executeTakeFirst();
      return r ? { user: toUser(r), passwordHash: r.password_hash } : null;
    },
    async passwordHash(id) {
      return (await byId(id))?.password_hash ?? null;
    },
    async setPassword(id, passwordHash) {
      await db
        .updateTable('users')
        .set({ password_hash: passwordHash, updated_at: stamp() })
        .where('id', '=', id)
        .execute();
    },
    async setEmail(id, email) {
      try {
        await db.updateTable('users').set({ email, updated_at: stamp() }).where('id', '=', id).execute();
        return true;
      } catch (err) {
        if (isUniqueViolation(err)) return false;
        throw err;
      }
    },
    async setName(id, name) {
      await db.updateTable('users').set({ name, updated_at: stamp() }).where('id', '=', id).execute();
    },
    async count() {
      const r = await db
        .selectFrom('users')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirst();
      return r?.n ?? 0;
    },
    async feedSalt(id) {
      const r = await db.selectFrom('users').select('feed_salt').where('id', '=', id).executeTakeFirst();
      return r?.feed_salt ?? null;
    },
    async setFeedSalt(id, salt) {
      await db
        .updateTable('users')
        .set({ feed_salt: salt, updated_at: stamp() })
        .where('id', '=', id)
        .execute();
    },
  };
}
