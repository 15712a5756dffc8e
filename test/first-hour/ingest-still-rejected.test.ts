// Re-importing a file whose only rejected record is unchanged is "nothing new" (exit 1), with one line about it.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, test } from 'vitest';
import { paperboyIn } from './cli-io.ts';

let dir = '';
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const good = JSON.stringify({
  id: '2401.00001',
  title: 'A paper',
  abstract: 'Words.',
  authors: ['Ada'],
  date: '2024-01-02',
  categories: ['cs.CL'],
});
const untitled = JSON.stringify({
  id: '2401.00002',
  title: '',
  abstract: 'No title.',
  authors: ['Bob'],
  date: '2024-01-02',
  categories: ['cs.CL'],
});

test('a record rejected before and unchanged since is reported once as still rejected, and the no-op exits 1', async () => {
  dir = mkdtempSync(join(tmpdir(), 'paperboy-still-'));
  const file = join(dir, 'papers.jsonl');
  writeFileSync(file, `${good}\n${untitled}\n`);
  const env = { DATABASE_URL: join(dir, 'p.db') };

  const first = await paperboyIn(['ingest', file], env);
  expect(first.code).toBe(3);
  expect(first.stderr).toContain('rejected papers.jsonl:2: record has no title');

  const again = await paperboyIn(['ingest', file], env);
  expect(again.stderr).toContain('1 record still rejected (see run #1');
  expect(again.stderr).not.toContain('rejected papers.jsonl:2');
  expect(again.code).toBe(1);

  // A new fault is a warning again, and the one still rejected is not listed with it.
  writeFileSync(file, `${good}\n${untitled}\n{not json\n`);
  const third = await paperboyIn(['ingest', file], env);
  expect(third.code).toBe(3);
  expect(third.stderr).toContain('1 record still rejected (see run #2');
  expect(third.stderr).toMatch(/rejected papers\.jsonl:3: /);
});
