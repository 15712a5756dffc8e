// A run killed with SIGKILL mid-import leaves whole batches (10,000 records each) stored and a rerun finishes the job.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, lastJson, runPaperboy } from '../helpers/cli.ts';
import { waitFor } from '../helpers/wait-for.ts';

const N = 40_000;

function syntheticLine(i: number): string {
  const id = `2602.${String(i).padStart(5, '0')}`;
  return JSON.stringify({
    id: `arxiv:${id}`,
    arxiv_id: id,
    title: `Synthetic paper number ${i} on topic ${i % 97}`,
    abstract: `We study synthetic topic ${i % 97} with method ${i % 13}. `.repeat(8),
    authors: [`Author ${i % 501}`, `Coauthor ${i % 77}`],
    date: `2026-02-${String((i % 28) + 1).padStart(2, '0')}`,
    categories: ['cs.CL'],
    comment: null,
    url: null,
    pdf: null,
  });
}

function paperCount(db: string): number {
  try {
    const d = new Database(db, { readonly: true, fileMustExist: true });
    try {
      return (d.prepare('SELECT count(*) AS n FROM papers').get() as { n: number }).n;
    } finally {
      d.close();
    }
  } catch {
    return 0;
  }
}

describe('kill -9 during ingest', () => {
  let dir: string;
  let file: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'paperboy-kill-'));
    file = join(dir, 'many.jsonl');
    writeFileSync(file, Array.from({ length: N }, (_, i) => syntheticLine(i)).join('\n') + '\n');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps the store consistent and the rerun completes', async () => {
    const db = join(dir, 'k.db');
    const child = spawn(process.execPath, [BIN, 'ingest', file, '--quiet'], {
      env: { ...process.env, DATABASE_URL: db },
      stdio: 'ignore',
    });
    const exited = new Promise<void>((resolve) => child.on('close', () => resolve()));
    // Committed batches of another process: nothing announces them (--quiet, and progress lines come every
    // 5 s), so the file is asked again every 20 ms, often enough for the kill to land mid-import.
    try {
      await waitFor(() => paperCount(db) > 0, { what: 'a first batch', intervalMs: 20, timeoutMs: 60_000 });
    } finally {
      child.kill('SIGKILL');
      await exited;
    }
    const partial = paperCount(db);
    expect(partial).toBeGreaterThan(0);
    expect(partial).toBeLessThan(N);
    expect(partial % 10_000).toBe(0);
    const check = new Database(db);
    expect(check.pragma('integrity_check', { simple: true })).toBe('ok');
    const links = (
      check.prepare('SELECT count(DISTINCT paper_pk) AS n FROM paper_authors').get() as { n: number }
    ).n;
    check.close();
    expect(links).toBe(partial);
    const rerun = await runPaperboy(['ingest', file, '--json', '--quiet'], { DATABASE_URL: db });
    expect(rerun.code).toBe(0);
    expect(lastJson(rerun.stdout)).toMatchObject({ added: N - partial, unchanged: partial, rejected: 0 });
    expect(paperCount(db)).toBe(N);
  });
});
