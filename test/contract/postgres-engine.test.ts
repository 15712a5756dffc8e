// PostgreSQL-only behaviour: migrations under an advisory lock, refusing newer schemas, clear connect errors.
import { afterEach, expect, it } from 'vitest';
import { AppError } from '../../src/errors.ts';
import { POSTGRES_MIGRATIONS } from '../../src/store/migrations/postgres.ts';
import { migratePostgres, pgSchemaVersion } from '../../src/store/postgres/migrate.ts';
import { createPgPool } from '../../src/store/postgres/pg-db.ts';
import { createPostgresStore } from '../../src/store/postgres/pg-store.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/postgres.ts';
import { paper } from '../helpers/temp-store.ts';
import { describePostgres } from './engines.ts';

const now = (): Date => new Date('2026-11-28T12:00:00Z');

describePostgres('PostgreSQL engine', () => {
  let db: TestDatabase | null = null;
  afterEach(async () => {
    await db?.drop();
    db = null;
  });

  it('applies every migration once when two nodes open an empty database at the same time', async () => {
    db = await createTestDatabase();
    const pools = [createPgPool(db.url, 2), createPgPool(db.url, 2)];
    try {
      const applied = await Promise.all(pools.map((p) => migratePostgres(p, db?.url ?? '', now)));
      expect(applied.flat().sort((a, b) => a - b)).toEqual(POSTGRES_MIGRATIONS.map((m) => m.version));
      expect(await pgSchemaVersion(pools[0] ?? createPgPool(db.url))).toBe(
        POSTGRES_MIGRATIONS.at(-1)?.version,
      );
    } finally {
      await Promise.all(pools.map((p) => p.end()));
    }
  });

  it('refuses a database whose schema is newer than this Paperboy, leaving it untouched', async () => {
    db = await createTestDatabase();
    const store = await createPostgresStore(db.url, now);
    await store.papers.upsertMany([paper()]);
    await store.close();
    const pool = createPgPool(db.url, 1);
    try {
      await pool.query('UPDATE schema_version SET version = 99');
      const err = await createPostgresStore(db.url, now).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(AppError);
      expect(err).toMatchObject({ code: 'SCHEMA_TOO_NEW' });
      expect((err as Error).message).toMatch(/schema version 99 .* upgrade Paperboy/);
      expect(await pgSchemaVersion(pool)).toBe(99);
      expect((await pool.query('SELECT count(*)::int AS n FROM papers')).rows[0]).toEqual({ n: 1 });
    } finally {
      await pool.end();
    }
  });

  it('names host, port and database but not the password when it cannot connect', async () => {
    const err = await createPostgresStore('postgres://u:s3cret@127.0.0.1:1/nodb', now).catch(
      (e: unknown) => e,
    );
    expect(err).toMatchObject({ code: 'STORE' });
    expect((err as Error).message).toContain('127.0.0.1:1/nodb');
    expect((err as Error).message).not.toContain('s3cret');
  });

  it('keeps the change log in commit order when two imports run at once', async () => {
    db = await createTestDatabase();
    const [a, b] = [await createPostgresStore(db.url, now), await createPostgresStore(db.url, now)];
    try {
      const batch = (from: number) =>
        Array.from({ length: 50 }, (_, i) => paper({ arxivId: `2501.${String(from + i).padStart(5, '0')}` }));
      await Promise.all([
        a.papers.upsertMany(batch(0)),
        b.papers.upsertMany(batch(100)),
        a.papers.upsertMany(batch(0)),
      ]);
      expect(await a.papers.count()).toBe(100);
      const changes = await b.papers.changesSince(0, 1000);
      expect(new Set(changes.map((c) => c.paperId)).size).toBe(100);
      expect(changes.map((c) => c.seq)).toEqual([...changes.map((c) => c.seq)].sort((x, y) => x - y));
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });
});
