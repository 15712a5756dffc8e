// PostgreSQL paper upserts run without JIT: compiling the batch's match query cost more than running it (#23).
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresStore } from '../../src/store/postgres/pg-store.ts';
import type { Store } from '../../src/store/store.ts';
import {
  createTestDatabase,
  postgresSkipReason,
  releaseTestPostgresServer,
  type TestDatabase,
} from '../helpers/postgres.ts';
import { paper } from '../helpers/temp-store.ts';

const unavailable = postgresSkipReason();

describe.skipIf(unavailable !== null)('PostgreSQL paper upserts', () => {
  let db: TestDatabase;
  let store: Store;
  beforeAll(async () => {
    db = await createTestDatabase();
    store = await createPostgresStore(db.url, () => new Date('2026-12-04T12:00:00Z'));
  });
  afterAll(async () => {
    await store.close();
    await db.drop();
    await releaseTestPostgresServer();
  });

  it('turn JIT off inside the batch transaction (set_config local to it), before the match query', async () => {
    // What each connection was asked, in order: the statement text is the one observable of the setting.
    const asked: string[] = [];
    const original = pg.Client.prototype.query;
    const spy = function (this: pg.Client, ...args: unknown[]): unknown {
      const text = typeof args[0] === 'string' ? args[0] : (args[0] as { text?: string } | null)?.text;
      if (text !== undefined) asked.push(text.replace(/\s+/g, ' ').trim());
      return (original as (...a: unknown[]) => unknown).apply(this, args);
    };
    pg.Client.prototype.query = spy as typeof original;
    try {
      const papers = Array.from({ length: 300 }, (_, i) =>
        paper({ arxivId: `2612.${String(i + 1).padStart(5, '0')}`, title: `Paper number ${i}` }),
      );
      expect(await store.papers.upsertMany(papers)).toEqual(papers.map(() => 'added'));
    } finally {
      pg.Client.prototype.query = original;
    }
    const noJit = asked.findIndex((s) => s.includes("set_config('jit', 'off', true)"));
    const match = asked.findIndex((s) => s.startsWith('SELECT * FROM papers WHERE arxiv_id = ANY'));
    expect(noJit).toBeGreaterThanOrEqual(0);
    expect(match).toBeGreaterThan(noJit);
    expect(asked.slice(noJit, match).some((s) => s === 'COMMIT' || s === 'ROLLBACK')).toBe(false);
    expect(await store.papers.count()).toBe(300);
  });
});
