// Every foreign key of the schema has an index leading with its columns, on both engines: a delete of the row it
// points to (a paper, an account) finds the rows that follow it through the index instead of reading their whole
// table (#23: each paper delete read all of `library`, and a few tables did the same for an account's delete).
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresStore } from '../../src/store/postgres/pg-store.ts';
import { openSqlite, type SqliteDb } from '../../src/store/sqlite/open.ts';
import {
  createTestDatabase,
  postgresSkipReason,
  releaseTestPostgresServer,
  type TestDatabase,
} from '../helpers/postgres.ts';

describe('SQLite foreign keys', () => {
  let db: SqliteDb;
  beforeAll(() => {
    db = openSqlite(':memory:');
  });
  afterAll(() => db.close());

  it('each have an index (or the primary key) leading with their columns', () => {
    const rows = <T>(sql: string): T[] => db.prepare(sql).all() as T[];
    const tables = rows<{ name: string }>("SELECT name FROM sqlite_master WHERE type = 'table'");
    const missing: string[] = [];
    let keys = 0;
    for (const { name } of tables) {
      const quoted = JSON.stringify(name);
      const fks = rows<{ id: number; seq: number; from: string; table: string }>(
        `PRAGMA foreign_key_list(${quoted})`,
      );
      const leading = rows<{ name: string }>(`PRAGMA index_list(${quoted})`).map((i) =>
        rows<{ name: string; seqno: number }>(`PRAGMA index_info(${JSON.stringify(i.name)})`)
          .sort((a, b) => a.seqno - b.seqno)
          .map((c) => c.name),
      );
      leading.push(
        rows<{ name: string; pk: number }>(`PRAGMA table_info(${quoted})`)
          .filter((c) => c.pk > 0)
          .sort((a, b) => a.pk - b.pk)
          .map((c) => c.name),
      );
      for (const id of new Set(fks.map((f) => f.id))) {
        const columns = fks
          .filter((f) => f.id === id)
          .sort((a, b) => a.seq - b.seq)
          .map((f) => f.from);
        keys++;
        if (!leading.some((cols) => columns.every((c, i) => cols[i] === c)))
          missing.push(`${name}(${columns.join(', ')})`);
      }
    }
    expect(keys).toBeGreaterThan(20);
    expect(missing).toEqual([]);
  });

  it("finds a deleted paper's library rows through the index", () => {
    const plan = (
      db.prepare('EXPLAIN QUERY PLAN SELECT 1 FROM library WHERE paper_pk = ?').all(1) as { detail: string }[]
    )
      .map((r) => r.detail)
      .join('\n');
    expect(plan).toMatch(/SEARCH library USING (COVERING )?INDEX library_paper \(paper_pk=\?\)/);
  });
});

const unavailable = postgresSkipReason();

describe.skipIf(unavailable !== null)('PostgreSQL foreign keys', () => {
  let db: TestDatabase;
  let client: pg.Client;
  beforeAll(async () => {
    db = await createTestDatabase();
    await (await createPostgresStore(db.url, () => new Date())).close();
    client = new pg.Client(db.url);
    await client.connect();
  }, 120_000);
  afterAll(async () => {
    await client.end();
    await db.drop();
    await releaseTestPostgresServer();
  });

  it('each have an index leading with their columns', async () => {
    const { rows } = await client.query<{ name: string; indexed: boolean }>(`
      SELECT c.conrelid::regclass::text || '(' || c.conname || ')' AS name,
             EXISTS (
               SELECT 1 FROM pg_index i
               WHERE i.indrelid = c.conrelid
                 AND array_length(i.indkey::int2[], 1) >= array_length(c.conkey, 1)
                 AND array(SELECT unnest((i.indkey::int2[])[0:array_length(c.conkey, 1) - 1]))
                     = array(SELECT unnest(c.conkey))
             ) AS indexed
      FROM pg_constraint c
      WHERE c.contype = 'f' AND c.connamespace = current_schema()::regnamespace`);
    expect(rows.length).toBeGreaterThan(20);
    expect(rows.filter((r) => !r.indexed).map((r) => r.name)).toEqual([]);
  });

  it("moves the listing caches' counter on a vector write", async () => {
    const version = async (): Promise<number> =>
      Number((await client.query<{ v: string }>('SELECT last_value AS v FROM listing_version')).rows[0]?.v);
    const before = await version();
    await client.query(
      `INSERT INTO paper_vectors (model, paper_id, content_hash, vector) VALUES ('m', 'p1', 'h', '\\x00'::bytea)`,
    );
    const added = await version();
    expect(added).toBeGreaterThan(before);
    await client.query(`DELETE FROM paper_vectors WHERE model = 'm'`);
    expect(await version()).toBeGreaterThan(added);
  });
});
