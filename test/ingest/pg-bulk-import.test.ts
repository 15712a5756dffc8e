// A bulk import into an empty PostgreSQL store drops its unread indexes and the link tables' foreign keys and
// restores them at the end; a killed one is taken over by the rerun, or restored by the next open.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresStore } from '../../src/store/postgres/pg-store.ts';
import { DEFERRABLE_FOREIGN_KEYS, DEFERRABLE_INDEXES } from '../../src/store/postgres/deferred-indexes.ts';
import {
  createTestDatabase,
  postgresSkipReason,
  releaseTestPostgresServer,
  type TestDatabase,
} from '../helpers/postgres.ts';
import { BIN, lastJson, runPaperboy } from '../helpers/cli.ts';
import { paper } from '../helpers/temp-store.ts';
import { waitFor } from '../helpers/wait-for.ts';

const unavailable = postgresSkipReason();
const N = 25_000;
const BULK = { PAPERBOY_BULK_IMPORT_MB: '0', PAPERBOY_HARVEST: 'false' };
/** Lines (1-based) that are not papers: each is rejected on its own, the rest stored. */
const BAD = new Map([
  [5, '{"id": "arxiv:broken", "title": '],
  [12_345, JSON.stringify({ id: 'arxiv:2603.99999', arxiv_id: '2603.99999', title: '', abstract: 'x' })],
]);

function line(i: number): string {
  const id = `2603.${String(i).padStart(5, '0')}`;
  return JSON.stringify({
    id: `arxiv:${id}`,
    arxiv_id: id,
    title: `Bulk paper ${i} about topic ${i % 89}`,
    abstract: `We study bulk topic ${i % 89} with method ${i % 11}. `.repeat(6),
    authors: [`Writer ${(i * 7919) % 3001}`, `Helper ${i % 53}`],
    date: `2026-03-${String((i % 28) + 1).padStart(2, '0')}`,
    categories: ['cs.IR', `cs.${i % 2 === 0 ? 'LG' : 'CL'}`],
  });
}

const ALL_INDEXES = [...DEFERRABLE_INDEXES].sort();
const ALL_KEYS = DEFERRABLE_FOREIGN_KEYS.map((k) => k.name).sort();

async function sql<R extends pg.QueryResultRow>(
  url: string,
  text: string,
  params: unknown[] = [],
): Promise<R[]> {
  const c = new pg.Client(url);
  await c.connect();
  try {
    return (await c.query<R>(text, params)).rows;
  } finally {
    await c.end();
  }
}

/** Which deferrable indexes and keys the database has, whether the record of dropped ones is there, papers. */
async function schemaState(url: string): Promise<{
  indexes: string[];
  keys: string[];
  marker: boolean;
  papers: number;
}> {
  const indexes = await sql<{ n: string }>(
    url,
    'SELECT indexname AS n FROM pg_indexes WHERE indexname = ANY($1::text[]) ORDER BY 1',
    [DEFERRABLE_INDEXES],
  );
  const keys = await sql<{ n: string }>(
    url,
    "SELECT conname AS n FROM pg_constraint WHERE contype = 'f' AND conname = ANY($1::text[]) ORDER BY 1",
    [ALL_KEYS],
  );
  const marker = await sql(url, "SELECT 1 FROM settings WHERE key = 'store.deferred_indexes'");
  const papers = await sql<{ n: string }>(url, 'SELECT count(*) AS n FROM papers');
  return {
    indexes: indexes.map((r) => r.n),
    keys: keys.map((r) => r.n),
    marker: marker.length > 0,
    papers: Number(papers[0]?.n),
  };
}

/** Starts `paperboy ingest` in a child, kills it (SIGKILL) once its first batch is stored, returns the papers then. */
async function killAfterFirstBatch(file: string, url: string): Promise<number> {
  const child = spawn(process.execPath, [BIN, 'ingest', file, '--quiet'], {
    env: { ...process.env, DATABASE_URL: url, ...BULK },
    stdio: 'ignore',
  });
  const exited = new Promise<void>((resolve) => child.on('close', () => resolve()));
  const stored = async (): Promise<number> => {
    try {
      return (await schemaState(url)).papers;
    } catch {
      return 0; // Not migrated yet.
    }
  };
  try {
    // A child's committed batches: nothing announces them across processes, so the store is asked again.
    await waitFor(async () => (await stored()) > 0, {
      what: 'a first committed batch',
      intervalMs: 50,
      timeoutMs: 180_000,
    });
  } finally {
    child.kill('SIGKILL');
    await exited;
  }
  return stored();
}

describe.skipIf(unavailable !== null)('bulk import into an empty PostgreSQL store', () => {
  let dir: string;
  let file: string;
  const dbs: TestDatabase[] = [];
  const fresh = async (): Promise<string> => {
    const db = await createTestDatabase();
    dbs.push(db);
    return db.url;
  };
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'paperboy-pg-bulk-'));
    file = join(dir, 'many.jsonl');
    const lines = Array.from({ length: N }, (_, i) => BAD.get(i + 1) ?? line(i));
    writeFileSync(file, lines.join('\n') + '\n');
  });
  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    for (const db of dbs) await db.drop();
    await releaseTestPostgresServer();
  }, 600_000);

  it('drops the unread indexes and the link keys while importing, restores every one, bad records rejected one by one', async () => {
    const url = await fresh();
    const r = await runPaperboy(['ingest', file, '--json'], { DATABASE_URL: url, ...BULK }, 300_000);
    const summary = lastJson(r.stdout);
    expect(summary).toMatchObject({ added: N - BAD.size, rejected: BAD.size });
    const [source] = summary.sources as { rejections: { location: string }[] }[];
    expect(source?.rejections.map((x) => x.location)).toEqual(['many.jsonl:5', 'many.jsonl:12345']);
    expect(r.stderr).toContain('bulk import:');
    for (const name of ALL_INDEXES) expect(r.stderr).toMatch(new RegExp(`built index ${name} in`));
    for (const name of ALL_KEYS) expect(r.stderr).toMatch(new RegExp(`built foreign key ${name} in`));
    expect(await schemaState(url)).toEqual({
      indexes: ALL_INDEXES,
      keys: ALL_KEYS,
      marker: false,
      papers: N - BAD.size,
    });
    // Authors, their order and categories are what the row-by-row path stores.
    const links = await sql<{ name: string; position: number }>(
      url,
      `SELECT a.name, pa.position FROM papers p JOIN paper_authors pa ON pa.paper_pk = p.pk
       JOIN authors a ON a.pk = pa.author_pk WHERE p.arxiv_id = '2603.00777' ORDER BY pa.position`,
    );
    expect(links).toEqual([
      { name: `Writer ${(777 * 7919) % 3001}`, position: 0 },
      { name: 'Helper 35', position: 1 },
    ]);
    const cats = await sql<{ n: string }>(url, 'SELECT count(*) AS n FROM paper_categories');
    expect(Number(cats[0]?.n)).toBe(2 * (N - BAD.size));
    const changes = await sql<{ n: string }>(url, 'SELECT count(*) AS n FROM paper_changes');
    expect(Number(changes[0]?.n)).toBe(N - BAD.size);
  }, 600_000);

  it('a store that is not empty keeps every index and key', async () => {
    const url = await fresh();
    const first = await runPaperboy(
      ['ingest', file, '--quiet'],
      { DATABASE_URL: url, PAPERBOY_HARVEST: 'false' },
      300_000,
    );
    expect(first.stderr).not.toContain('bulk import');
    const again = await runPaperboy(['ingest', file, '--json'], { DATABASE_URL: url, ...BULK }, 300_000);
    expect(lastJson(again.stdout)).toMatchObject({ added: 0, unchanged: N - BAD.size });
    expect(again.stderr).not.toContain('bulk import');
    expect(await schemaState(url)).toMatchObject({ indexes: ALL_INDEXES, keys: ALL_KEYS, marker: false });
  }, 600_000);

  it('killed mid-import: whole batches stay, and the rerun takes the bulk import over and restores everything', async () => {
    const url = await fresh();
    const partial = await killAfterFirstBatch(file, url);
    expect(partial).toBeGreaterThan(0);
    expect(partial).toBeLessThan(N - BAD.size);
    expect(await schemaState(url)).toMatchObject({ indexes: [], keys: [], marker: true });
    const rerun = await runPaperboy(['ingest', file, '--json'], { DATABASE_URL: url, ...BULK }, 300_000);
    expect(lastJson(rerun.stdout)).toMatchObject({
      added: N - BAD.size - partial,
      unchanged: partial,
      rejected: BAD.size,
    });
    expect(rerun.stderr).toContain('bulk import');
    expect(await schemaState(url)).toEqual({
      indexes: ALL_INDEXES,
      keys: ALL_KEYS,
      marker: false,
      papers: N - BAD.size,
    });
  }, 600_000);

  it('killed mid-import: the next open restores what it dropped; an open during a live import leaves them', async () => {
    const url = await fresh();
    const partial = await killAfterFirstBatch(file, url);
    expect(await schemaState(url)).toMatchObject({ indexes: [], keys: [], marker: true });

    // A live importer holds the bulk-import lock on its connection: another node's open leaves its work alone.
    const importer = new pg.Client(url);
    await importer.connect();
    await importer.query('SELECT pg_advisory_lock(7201504)');
    await (await createPostgresStore(url, () => new Date())).close();
    expect(await schemaState(url)).toMatchObject({ indexes: [], keys: [], marker: true });
    await importer.end(); // Its connection gone, the import is known dead.

    const store = await createPostgresStore(url, () => new Date());
    expect(await store.papers.count()).toBe(partial);
    await store.close();
    expect(await schemaState(url)).toEqual({
      indexes: ALL_INDEXES,
      keys: ALL_KEYS,
      marker: false,
      papers: partial,
    });
  }, 600_000);

  it('a paper deleted while the keys are off loses its links as the cascade would have removed them', async () => {
    const url = await fresh();
    const store = await createPostgresStore(url, () => new Date('2026-12-05T07:00:00Z'));
    try {
      expect(await store.papers.bulkLoad(true)).toBe(true);
      const papers = Array.from({ length: 20 }, (_, i) =>
        paper({
          arxivId: `2612.${String(i + 1).padStart(5, '0')}`,
          title: `Linked paper ${i}`,
          authors: [`Author ${i % 3}`, 'Common Author'],
        }),
      );
      await store.papers.upsertMany(papers);
      const gone = (await store.papers.newest({ limit: 1 }))[0]?.id ?? '';
      expect(await store.papers.delete(gone)).toBe(true);
      expect(await schemaState(url)).toMatchObject({ keys: [], marker: true });
      await store.papers.finishBulkLoad();
      expect(await schemaState(url)).toEqual({
        indexes: ALL_INDEXES,
        keys: ALL_KEYS,
        marker: false,
        papers: 19,
      });
      const links = await sql<{ n: string }>(url, 'SELECT count(*) AS n FROM paper_authors');
      expect(Number(links[0]?.n)).toBe(38);
      // Known and new authors in one batch each get their own key.
      await store.papers.upsertMany([
        paper({ arxivId: '2612.00100', title: 'Mixed authors', authors: ['Common Author', 'Brand New'] }),
      ]);
      const names = await sql<{ name: string }>(
        url,
        `SELECT a.name FROM papers p JOIN paper_authors pa ON pa.paper_pk = p.pk JOIN authors a ON a.pk = pa.author_pk
         WHERE p.arxiv_id = '2612.00100' ORDER BY pa.position`,
      );
      expect(names.map((n) => n.name)).toEqual(['Common Author', 'Brand New']);
    } finally {
      await store.close();
    }
  }, 600_000);
});
