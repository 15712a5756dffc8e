// SQLite transactions of the shared repositories: a plain BEGIN … COMMIT on the store's one connection,
// queued so two callers never nest, rolled back whole when the body throws, and other callers' statements
// held back while it is open so that a rollback never takes them along.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { arg, sqliteQueryDb, transaction, type QueryDb } from '../../src/store/kysely/query-db.ts';
import { heldOutside, oneConnection } from '../../src/store/kysely/sqlite-connection.ts';
import { openSqlite, type SqliteDb } from '../../src/store/sqlite/open.ts';

/** The probe table of these tests, as Kysely sees it. */
type Probe = { tags_probe: { name: string } };

describe('SQLite transactions through the shared query layer', () => {
  let dir: string;
  let handle: SqliteDb;
  let q: QueryDb;
  const names = (): string[] =>
    (handle.prepare('SELECT name FROM tags_probe ORDER BY rowid').all() as { name: string }[]).map(
      (r) => r.name,
    );

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'paperboy-tx-'));
    handle = openSqlite(join(dir, 'store.db'));
    handle.exec('CREATE TABLE tags_probe (name TEXT NOT NULL UNIQUE)');
    q = sqliteQueryDb(handle);
  });

  afterEach(() => {
    handle.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const insert = (name: string): void => {
    handle.prepare('INSERT INTO tags_probe (name) VALUES (?)').run(name);
  };

  it('runs two concurrent bodies one after the other, each whole, even when both await inside', async () => {
    const order: string[] = [];
    const body = (label: string) => async (): Promise<string> => {
      order.push(`${label} begins`);
      insert(`${label}-1`);
      await new Promise<void>((r) => setImmediate(r)); // a real turn of the event loop inside the transaction
      insert(`${label}-2`);
      order.push(`${label} ends`);
      return label;
    };
    const results = await Promise.all([transaction(q, body('a')), transaction(q, body('b'))]);
    expect(results).toEqual(['a', 'b']);
    expect(order).toEqual(['a begins', 'a ends', 'b begins', 'b ends']);
    expect(names()).toEqual(['a-1', 'a-2', 'b-1', 'b-2']);
    expect(handle.inTransaction).toBe(false);
  });

  it('rolls a failing body back whole, reports its error, and lets the next transaction run', async () => {
    const failing = transaction(q, async () => {
      insert('kept-out');
      await Promise.resolve();
      insert('kept-out'); // unique violation
    });
    const next = transaction(q, async () => {
      insert('after');
      return 'done';
    });
    await expect(failing).rejects.toThrow(/UNIQUE/);
    await expect(next).resolves.toBe('done');
    expect(names()).toEqual(['after']);
    expect(handle.inTransaction).toBe(false);
  });

  it('runs Kysely queries on the transaction handle it gives, inside the same transaction', async () => {
    await expect(
      transaction(q, async (tx) => {
        await sql`INSERT INTO tags_probe (name) VALUES (${'built'})`.execute(tx);
        expect(handle.inTransaction).toBe(true);
        throw new Error('undo');
      }),
    ).rejects.toThrow('undo');
    expect(names()).toEqual([]);
  });

  /**
   * A promise the test settles itself: what a transaction's body awaits outside the store (a fetch, a timer),
   * or the body's word that it has begun.
   */
  const signal = () => {
    let fire = (): void => undefined;
    const fired = new Promise<void>((r) => (fire = r));
    return { fire, fired };
  };
  const preparedInsert = () =>
    q.prepare((db) =>
      db
        .withTables<Probe>()
        .insertInto('tags_probe')
        .values({ name: arg<string>('name') }),
    );

  it("keeps another caller's write, issued while a transaction awaits, out of it when it rolls back", async () => {
    const built = q.db.withTables<Probe>().insertInto('tags_probe').values({ name: 'other-built' });
    const insertOther = preparedInsert();
    const body = signal();
    const begun = signal();
    const failing = transaction(q, async (tx) => {
      await sql`INSERT INTO tags_probe (name) VALUES (${'mine'})`.execute(tx);
      begun.fire();
      await body.fired;
      throw new Error('undo');
    });
    await begun.fired;
    // Two other callers write while the transaction is open: one through the builder, one prepared.
    const writes = Promise.all([built.execute(), insertOther.run({ name: 'other-prepared' })]);
    body.fire();
    await expect(failing).rejects.toThrow('undo');
    await writes;
    expect(names().sort()).toEqual(['other-built', 'other-prepared']);
    expect(handle.inTransaction).toBe(false);
  });

  it('runs statements of the body given the transaction at once, even while others wait', async () => {
    const insertOne = preparedInsert();
    const body = signal();
    const begun = signal();
    const done = transaction(q, async (tx) => {
      begun.fire();
      await body.fired;
      await insertOne.run({ name: 'in-tx-prepared' }, tx);
      await sql`INSERT INTO tags_probe (name) VALUES (${'in-tx-built'})`.execute(tx);
      return names();
    });
    await begun.fired;
    const other = insertOne.run({ name: 'outside' });
    body.fire();
    await expect(done).resolves.toEqual(['in-tx-prepared', 'in-tx-built']);
    await other;
    expect(names()).toEqual(['in-tx-prepared', 'in-tx-built', 'outside']);
  });

  it('holds the hand-written repositories back too, and resumes their generators outside', async () => {
    const connection = oneConnection(handle);
    const shared = sqliteQueryDb(handle, connection);
    const direct = {
      async add(name: string) {
        insert(name);
      },
      async *all() {
        yield names();
      },
    };
    const repo = heldOutside(connection, direct);
    const body = signal();
    const begun = signal();
    const failing = transaction(shared, async () => {
      insert('mine');
      begun.fire();
      await body.fired;
      throw new Error('undo');
    });
    await begun.fired;
    const added = repo.add('hand-written');
    const seen = (async () => {
      for await (const rows of repo.all()) return rows;
      return null;
    })();
    body.fire();
    await expect(failing).rejects.toThrow('undo');
    await added;
    await expect(seen).resolves.toEqual(['hand-written']);
    expect(names()).toEqual(['hand-written']);
  });
});
