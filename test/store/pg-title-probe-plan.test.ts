// The batch match query's title probe uses the title index at any size: ordered by the primary key it made
// PostgreSQL walk the whole table once per new title from about 130,000 papers on (#23).
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MATCHING } from '../../src/store/postgres/papers.repo.ts';
import { matchKeys } from '../../src/store/postgres/paper-plan.ts';
import { createPostgresStore } from '../../src/store/postgres/pg-store.ts';
import {
  createTestDatabase,
  postgresSkipReason,
  releaseTestPostgresServer,
  type TestDatabase,
} from '../helpers/postgres.ts';
import { paper } from '../helpers/temp-store.ts';

const unavailable = postgresSkipReason();
const STORED = 300_000;

describe.skipIf(unavailable !== null)('PostgreSQL batch match query', () => {
  let db: TestDatabase;
  let client: pg.Client;
  beforeAll(async () => {
    db = await createTestDatabase();
    await (await createPostgresStore(db.url, () => new Date())).close();
    client = new pg.Client(db.url);
    await client.connect();
    // Stored papers as an import leaves them, written in one statement (the plan depends on size, not content).
    await client.query(
      `INSERT INTO papers (id, arxiv_id, title, title_key, abstract, authors, categories, sort_date,
         content_hash, created_at, modified_at)
       SELECT 'arxiv:s' || i, 's' || i, 'Stored ' || i, 'stored ' || i || '|x', '', '[]', '[]', '2026-01-01',
         md5(i::text), '2026-01-01', '2026-01-01'
       FROM generate_series(1, ${STORED}) AS i`,
    );
    await client.query('ANALYZE papers');
  }, 300_000);
  afterAll(async () => {
    await client.end();
    await db.drop();
    await releaseTestPostgresServer();
  });

  it('probes titles through the title index, not the primary key in order, at 300,000 papers', async () => {
    const records = Array.from({ length: 1000 }, (_, i) => ({
      paper: paper({ arxivId: `2612.${String(i).padStart(5, '0')}`, title: `A new title ${i}` }),
      externalId: null,
      location: null,
    }));
    const k = matchKeys(records);
    await client.query('SET jit = off');
    const plan = (
      await client.query<{ 'QUERY PLAN': string }>(`EXPLAIN ${MATCHING}`, [
        k.arxiv,
        k.doi,
        k.titleLo,
        k.titleHi,
        k.extSource,
        k.extId,
        k.ids,
      ])
    ).rows
      .map((r) => r['QUERY PLAN'])
      .join('\n');
    expect(plan).toContain('papers_title_key');
    expect(plan).not.toMatch(/Index Scan using papers_pkey on papers \w+[^\n]*\n\s+Filter: \(\(title_key/);
  });
});
