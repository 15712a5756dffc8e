// A real paper with one malformed field (2506.02197's 512-character author string) is kept, the field dropped with a warning.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, test } from 'vitest';
import { openStore } from '../../src/store/db.ts';
import { paperboyIn } from './cli-io.ts';

let dir = '';
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const runTogether = Array.from({ length: 40 }, (_, i) => `Author${i} Nameand`)
  .join(' ')
  .slice(0, 512);

function record(id: string, authors: string[]): string {
  return JSON.stringify({
    id: `arxiv:${id}`,
    arxiv_id: id,
    title: `Challenge report ${id}`,
    abstract: 'This paper reviews a challenge and its solutions.',
    authors,
    date: '2025-06-04',
    categories: ['cs.CV'],
  });
}

test('an over-long author name is dropped with a warning naming it; the paper and its other authors are stored', async () => {
  dir = mkdtempSync(join(tmpdir(), 'paperboy-repair-'));
  const file = join(dir, 'papers.jsonl');
  writeFileSync(
    file,
    `${record('2506.02196', ['Ada Lovelace'])}\n${record('2506.02197', ['Marcos V. Conde', 'Radu Timofte', runTogether])}\n`,
  );
  const env = { DATABASE_URL: join(dir, 'p.db') };
  const r = await paperboyIn(['ingest', file], env);
  expect(r.stderr).toContain('added 2, updated 0, unchanged 0, rejected 0');
  expect(r.stderr).toMatch(
    /warning papers\.jsonl:2 \(2506\.02197\): dropped an author name of 512 characters/,
  );
  expect(r.code).toBe(0);
  const again = await paperboyIn(['ingest', file], env);
  expect(again.code).toBe(1);
  const store = await openStore(env.DATABASE_URL);
  try {
    const p = await store.papers.get('2506.02197');
    expect(p?.authors).toEqual(['Marcos V. Conde', 'Radu Timofte']);
  } finally {
    await store.close();
  }
});
