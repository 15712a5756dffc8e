// A bulk import into an empty SQLite store drops its random-order indexes and builds them at the end; a killed
// one leaves a store that the next open (or the rerun, which takes the import over) completes.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/db.ts';
import { DEFERRABLE_INDEXES } from '../../src/store/sqlite/deferred-indexes.ts';
import { BIN, lastJson, runPaperboy, runPaperboyIn } from '../helpers/cli.ts';
import { waitFor } from '../helpers/wait-for.ts';

const N = 30_000;
const BULK = { PAPERBOY_BULK_IMPORT_MB: '0', PAPERBOY_HARVEST: 'false' };

function line(i: number): string {
  const id = `2603.${String(i).padStart(5, '0')}`;
  return JSON.stringify({
    id: `arxiv:${id}`,
    arxiv_id: id,
    title: `Bulk paper ${i} about topic ${i % 89}`,
    abstract: `We study bulk topic ${i % 89} with method ${i % 11}. `.repeat(6),
    authors: [`Writer ${(i * 7919) % 3001}`, `Helper ${i % 53}`],
    date: `2026-03-${String((i % 28) + 1).padStart(2, '0')}`,
    categories: ['cs.IR'],
  });
}

/** Deferrable indexes present in the file, and whether the "deferred" record is there. */
function indexState(db: string): { present: string[]; marker: boolean; papers: number; integrity: string } {
  const d = new Database(db, { readonly: true, fileMustExist: true });
  try {
    const present = (
      d.prepare("SELECT name FROM sqlite_master WHERE type = 'index' ORDER BY name").all() as {
        name: string;
      }[]
    )
      .map((r) => r.name)
      .filter((n) => DEFERRABLE_INDEXES.includes(n));
    const marker =
      d.prepare("SELECT 1 FROM settings WHERE key = 'store.deferred_indexes'").get() !== undefined;
    const papers = (d.prepare('SELECT count(*) AS n FROM papers').get() as { n: number }).n;
    const integrity = String(d.pragma('integrity_check', { simple: true }));
    return { present, marker, papers, integrity };
  } finally {
    d.close();
  }
}

const ALL = [...DEFERRABLE_INDEXES].sort();

/** Starts `paperboy ingest` in a child, kills it (SIGKILL) once its first batch is stored, returns the papers then. */
async function killAfterFirstBatch(file: string, db: string): Promise<number> {
  const child = spawn(process.execPath, [BIN, 'ingest', file, '--quiet'], {
    env: { ...process.env, DATABASE_URL: db, ...BULK },
    stdio: 'ignore',
  });
  const exited = new Promise<void>((resolve) => child.on('close', () => resolve()));
  const stored = (): number => {
    try {
      return indexState(db).papers;
    } catch {
      return 0;
    }
  };
  // A child's committed batches: nothing announces them across processes, so the store is asked again.
  try {
    await waitFor(() => stored() > 0, {
      what: 'a first committed batch',
      intervalMs: 20,
      timeoutMs: 120_000,
    });
  } finally {
    child.kill('SIGKILL');
    await exited;
  }
  return stored();
}

describe('bulk import into an empty store', () => {
  let dir: string;
  let file: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'paperboy-bulk-'));
    file = join(dir, 'many.jsonl');
    writeFileSync(file, Array.from({ length: N }, (_, i) => line(i)).join('\n') + '\n');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('defers the random-order indexes while importing and builds every one at the end, saying so', async () => {
    const db = join(dir, 'whole.db');
    const r = await runPaperboyIn(['ingest', file, '--json'], { DATABASE_URL: db, ...BULK });
    expect(r.code).toBe(0);
    expect(lastJson(r.stdout)).toMatchObject({ added: N, rejected: 0 });
    expect(r.stderr).toContain('bulk import: author and external-id indexes are built once at the end');
    for (const name of DEFERRABLE_INDEXES) expect(r.stderr).toMatch(new RegExp(`built index ${name} in`));
    expect(indexState(db)).toEqual({ present: ALL, marker: false, papers: N, integrity: 'ok' });
    // An author's papers are found through the rebuilt index, not a scan.
    const d = new Database(db, { readonly: true });
    const plan = d
      .prepare('EXPLAIN QUERY PLAN SELECT paper_pk FROM paper_authors WHERE author_pk = 5')
      .all() as { detail: string }[];
    d.close();
    expect(plan.map((p) => p.detail).join(' ')).toContain('paper_authors_author');
  });

  it('a small file, or a store that is not empty, keeps every index', async () => {
    const db = join(dir, 'small.db');
    const r = await runPaperboyIn(['ingest', file, '--quiet'], {
      DATABASE_URL: db,
      PAPERBOY_HARVEST: 'false',
    });
    expect(r.code).toBe(0);
    expect(r.stderr).not.toContain('bulk import');
    const again = await runPaperboyIn(['ingest', file], { DATABASE_URL: db, ...BULK });
    expect(again.code).toBe(1); // nothing new
    expect(again.stderr).not.toContain('bulk import');
    expect(indexState(db)).toMatchObject({ present: ALL, marker: false });
  });

  it('killed mid-import: whole batches of 10,000 stay, and the next open builds the missing indexes', async () => {
    const db = join(dir, 'killed.db');
    const partial = await killAfterFirstBatch(file, db);
    expect(partial).toBeGreaterThan(0);
    expect(partial).toBeLessThan(N);
    expect(partial % 10_000).toBe(0);
    const left = indexState(db);
    expect(left).toMatchObject({ present: [], marker: true, integrity: 'ok' });

    const store = await openStore(db);
    expect(await store.papers.count()).toBe(partial);
    await store.close();
    expect(indexState(db)).toEqual({ present: ALL, marker: false, papers: partial, integrity: 'ok' });
  });

  it('killed mid-import: the rerun takes the bulk import over and ends with every index', async () => {
    const db = join(dir, 'resumed.db');
    const partial = await killAfterFirstBatch(file, db);
    expect(indexState(db)).toMatchObject({ present: [], marker: true });
    const rerun = await runPaperboy(['ingest', file, '--json'], { DATABASE_URL: db, ...BULK }, 120_000);
    expect(rerun.code).toBe(0);
    expect(lastJson(rerun.stdout)).toMatchObject({ added: N - partial, unchanged: partial, rejected: 0 });
    expect(rerun.stderr).toContain('bulk import');
    expect(indexState(db)).toEqual({ present: ALL, marker: false, papers: N, integrity: 'ok' });
  });

  it('an open while another live process is bulk importing leaves its indexes to it', async () => {
    const db = join(dir, 'live.db');
    const first = await runPaperboyIn(['ingest', file, '--quiet'], { DATABASE_URL: db, ...BULK });
    expect(first.code).toBe(0);
    // Pretend a live importer (this test's parent process) dropped the indexes a moment ago.
    const d = new Database(db);
    const indexes = d
      .prepare(
        `SELECT name, sql FROM sqlite_master WHERE name IN (${DEFERRABLE_INDEXES.map((n) => `'${n}'`).join(',')})`,
      )
      .all();
    for (const ix of indexes as { name: string }[]) d.exec(`DROP INDEX ${ix.name}`);
    const marker = { host: hostname(), pid: process.ppid, beatMs: Date.now(), indexes };
    d.prepare("INSERT INTO settings (key, value) VALUES ('store.deferred_indexes', ?)").run(
      JSON.stringify(marker),
    );
    d.close();

    const store = await openStore(db);
    await store.close();
    expect(indexState(db)).toMatchObject({ present: [], marker: true });

    // Once that importer is gone (a pid that no longer runs), the next open builds them.
    const gone = spawn(process.execPath, ['-e', '0']);
    await new Promise((resolve) => gone.on('close', resolve));
    const db2 = new Database(db);
    db2
      .prepare("UPDATE settings SET value = json_set(value, '$.pid', ?) WHERE key = 'store.deferred_indexes'")
      .run(gone.pid);
    db2.close();
    await (await openStore(db)).close();
    expect(indexState(db)).toMatchObject({ present: ALL, marker: false });
  });
});
