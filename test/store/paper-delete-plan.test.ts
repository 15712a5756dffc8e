// Deleting a paper finds its vectors through the (model, paper_id) key on both engines: matched by paper_id alone,
// the delete read every vector row (about 7 s at 2.7M papers, SQLite's write lock held all the while, so serve's own
// writes gave up with "database is locked"; #23).
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DELETE_PAPER_VECTORS as PG_DELETE } from '../../src/store/postgres/papers.repo.ts';
import { createPostgresStore } from '../../src/store/postgres/pg-store.ts';
import { openSqlite, type SqliteDb } from '../../src/store/sqlite/open.ts';
import { DELETE_PAPER_VECTORS as SQLITE_DELETE } from '../../src/store/sqlite/papers.repo.ts';
import {
  createTestDatabase,
  postgresSkipReason,
  releaseTestPostgresServer,
  type TestDatabase,
} from '../helpers/postgres.ts';

/** Rows per model in PostgreSQL: enough that a whole-table read costs more than the key's seeks to its planner. */
const PER_MODEL = 30_000;
const MODELS = ['model-a', 'model-b', 'model-c'];

describe("SQLite delete of a paper's vectors", () => {
  let db: SqliteDb;
  beforeAll(() => {
    db = openSqlite(':memory:');
    const put = db.prepare(
      'INSERT INTO paper_vectors (model, paper_id, content_hash, vector) VALUES (?, ?, ?, ?)',
    );
    db.transaction(() => {
      for (let i = 0; i < 3000; i++) for (const m of MODELS) put.run(m, `p${i}`, 'h', Buffer.alloc(8));
    })();
    db.exec('ANALYZE');
  });
  afterAll(() => db.close());

  it('seeks each model through the key and never scans the table', () => {
    const plan = (db.prepare(`EXPLAIN QUERY PLAN ${SQLITE_DELETE}`).all('p7') as { detail: string }[])
      .map((r) => r.detail)
      .join('\n');
    expect(plan).toMatch(
      /SEARCH paper_vectors USING (COVERING )?INDEX sqlite_autoindex_paper_vectors_1 \(model=\? AND paper_id=\?\)/,
    );
    expect(plan).not.toMatch(/SCAN paper_vectors/);
  });

  it("deletes that paper's vector of every model and nothing else", () => {
    expect(db.prepare(SQLITE_DELETE).run('p7').changes).toBe(MODELS.length);
    const left = db.prepare('SELECT count(*) AS n FROM paper_vectors').get() as { n: number };
    expect(left.n).toBe(3000 * MODELS.length - MODELS.length);
    expect(db.prepare(SQLITE_DELETE).run('p7').changes).toBe(0);
  });
});

const unavailable = postgresSkipReason();

describe.skipIf(unavailable !== null)("PostgreSQL delete of a paper's vectors", () => {
  let db: TestDatabase;
  let client: pg.Client;
  beforeAll(async () => {
    db = await createTestDatabase();
    await (await createPostgresStore(db.url, () => new Date())).close();
    client = new pg.Client(db.url);
    await client.connect();
    await client.query(
      `INSERT INTO paper_vectors (model, paper_id, content_hash, vector)
       SELECT m, 'p' || i, 'h', '\\x0000000000000000'::bytea
       FROM generate_series(1, ${PER_MODEL}) AS i, unnest($1::text[]) AS m`,
      [MODELS],
    );
    await client.query('ANALYZE paper_vectors');
  }, 300_000);
  afterAll(async () => {
    await client.end();
    await db.drop();
    await releaseTestPostgresServer();
  });

  it('seeks each model through the key and never reads the whole table', async () => {
    await client.query('SET jit = off');
    const plan = (await client.query<{ 'QUERY PLAN': string }>(`EXPLAIN ${PG_DELETE}`, ['p7'])).rows
      .map((r) => r['QUERY PLAN'])
      .join('\n');
    expect(plan).toMatch(/Index (Only )?Scan using paper_vectors_model_paper_id_key on paper_vectors/);
    expect(plan).not.toMatch(/Seq Scan on paper_vectors/);
  });

  it("deletes that paper's vector of every model and nothing else", async () => {
    expect((await client.query(PG_DELETE, ['p7'])).rowCount).toBe(MODELS.length);
    const left = await client.query<{ n: string }>('SELECT count(*) AS n FROM paper_vectors');
    expect(Number(left.rows[0]?.n)).toBe((PER_MODEL - 1) * MODELS.length);
  });
});
