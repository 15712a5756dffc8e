// A query compiled once (QueryDb.prepare) binds each call's own arguments, lists included, on both engines.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  arg,
  inTextList,
  postgresQueryDb,
  sqliteQueryDb,
  transaction,
  type QueryDb,
} from '../../src/store/kysely/query-db.ts';
import { createPostgresStore } from '../../src/store/postgres/pg-store.ts';
import { createPgPool } from '../../src/store/postgres/pg-db.ts';
import { openSqlite } from '../../src/store/sqlite/open.ts';
import type { Store } from '../../src/store/store.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/postgres.ts';
import { tempStore, type TempStore } from '../helpers/temp-store.ts';
import { describePostgres } from './engines.ts';

const now = () => new Date('2026-11-28T12:00:00Z');

function preparedQueries(open: () => Promise<{ store: Store; q: QueryDb; close(): Promise<void> }>) {
  let store: Store;
  let q: QueryDb;
  let close: () => Promise<void>;
  beforeAll(async () => {
    ({ store, q, close } = await open());
    const people: [string, string][] = [
      ['ada@example.org', 'Ada'],
      ['alan@example.org', 'Alan'],
      ['grace@example.org', 'Grace'],
    ];
    for (const [email, name] of people) await store.users.create(email, name, 'hash');
  });
  afterAll(async () => close());

  it('runs with the arguments of each call, not those it was compiled with', async () => {
    const byEmail = q.prepare((d) =>
      d.selectFrom('users').select('name').where('email', '=', arg<string>('email')),
    );
    expect(await byEmail.first({ email: 'ada@example.org' })).toEqual({ name: 'Ada' });
    expect(await byEmail.first({ email: 'grace@example.org' })).toEqual({ name: 'Grace' });
    expect(await byEmail.first({ email: 'nobody@example.org' })).toBeUndefined();
  });

  it('binds a list as one parameter of any length, and counts the rows a write changed', async () => {
    const named = q.prepare((d) =>
      d
        .selectFrom('users')
        .select('name')
        .where(inTextList(q.engine, 'email', arg<string[]>('emails')))
        .orderBy('name'),
    );
    expect(await named.all({ emails: ['alan@example.org', 'ada@example.org'] })).toEqual([
      { name: 'Ada' },
      { name: 'Alan' },
    ]);
    expect(await named.all({ emails: ['grace@example.org'] })).toEqual([{ name: 'Grace' }]);
    expect(await named.all({ emails: [] })).toEqual([]);
    const rename = q.prepare((d) =>
      d
        .updateTable('users')
        .set({ name: arg<string>('name') })
        .where('email', 'like', arg<string>('pattern')),
    );
    expect(await rename.run({ name: 'A.', pattern: 'a%' })).toBe(2);
    expect(await named.all({ emails: ['alan@example.org', 'ada@example.org'] })).toEqual([
      { name: 'A.' },
      { name: 'A.' },
    ]);
  });

  it('reads rows as column arrays in select order', async () => {
    const pairs = q.prepare((d) =>
      d
        .selectFrom('users')
        .select(['name', 'email'])
        .where('email', 'like', arg<string>('pattern'))
        .orderBy('email'),
    );
    expect(await pairs.tuples({ pattern: 'g%' })).toEqual([['Grace', 'grace@example.org']]);
  });

  it('runs inside a transaction when given one: its writes commit or roll back with the rest', async () => {
    const rename = q.prepare((d) =>
      d
        .updateTable('users')
        .set({ name: arg<string>('name') })
        .where('email', '=', arg<string>('email')),
    );
    const byEmail = q.prepare((d) =>
      d.selectFrom('users').select('name').where('email', '=', arg<string>('email')),
    );
    const grace = { email: 'grace@example.org' };
    await expect(
      transaction(q, async (tx) => {
        expect(await rename.run({ ...grace, name: 'Rolled back' }, tx)).toBe(1);
        // The transaction's own connection sees its uncommitted write.
        expect(await byEmail.first(grace, tx)).toEqual({ name: 'Rolled back' });
        throw new Error('undo');
      }),
    ).rejects.toThrow('undo');
    expect(await byEmail.first(grace)).toEqual({ name: 'Grace' });
    await transaction(q, async (tx) => rename.run({ ...grace, name: 'Committed' }, tx));
    expect(await byEmail.first(grace)).toEqual({ name: 'Committed' });
    await rename.run({ ...grace, name: 'Grace' });
  });

  it('refuses a call that leaves out an argument', async () => {
    const byEmail = q.prepare((d) =>
      d.selectFrom('users').select('name').where('email', '=', arg<string>('email')),
    );
    await expect(byEmail.first({})).rejects.toThrow(/no argument "email"/);
  });
}

describe('prepared queries (sqlite)', () => {
  preparedQueries(async () => {
    const t: TempStore = await tempStore(now);
    const handle = openSqlite(t.path);
    return {
      store: t.store,
      q: sqliteQueryDb(handle),
      async close() {
        handle.close();
        await t.cleanup();
      },
    };
  });
});

describePostgres('prepared queries (postgres)', () => {
  preparedQueries(async () => {
    const db: TestDatabase = await createTestDatabase();
    const store = await createPostgresStore(db.url, now);
    const pool = createPgPool(db.url);
    return {
      store,
      q: postgresQueryDb(pool),
      async close() {
        await pool.end();
        await store.close();
        await db.drop();
      },
    };
  });
});
