// SQLite transactions of the shared repositories: a plain BEGIN … COMMIT on the store's one connection,
// queued so two callers never nest, rolled back whole when the body throws.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sqliteQueryDb, transaction, type QueryDb } from '../../src/store/kysely/query-db.ts';
import { openSqlite, type SqliteDb } from '../../src/store/sqlite/open.ts';

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
});
