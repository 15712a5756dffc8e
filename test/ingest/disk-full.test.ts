// An import into a store on a full filesystem stops with a clear message, keeps whole batches only, and a rerun
// after space is freed continues. A real small filesystem (tmpfs with a size limit), mounted by the test.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import Database from 'better-sqlite3';
import { createRng } from '../../src/index/embedders/static/index.ts';
import { openStore } from '../../src/store/db.ts';
import { runPaperboyIn } from '../helpers/cli.ts';

const RECORDS = 30_000;
/** Room for the first batch of 10,000 (about 18 MiB in the log) but not for the second. */
const SIZE_MIB = 28;
const WORDS = 'model data learning graph neural network training sparse signal robust optimal kernel'.split(
  ' ',
);

const root = mkdtempSync(join(tmpdir(), 'paperboy-full-'));
const mnt = join(root, 'mnt');
/** Why the test cannot mount its small filesystem here (not root, no tmpfs), or null when it can. */
const cannotMount = ((): string | null => {
  spawnSync('mkdir', ['-p', mnt]);
  const r = spawnSync('mount', ['-t', 'tmpfs', '-o', `size=${SIZE_MIB}m`, 'tmpfs', mnt], {
    encoding: 'utf8',
  });
  if (r.error !== undefined) return `mount is not available: ${r.error.message}`;
  if (r.status !== 0) return `mounting a tmpfs was refused (needs root): ${r.stderr.trim()}`;
  return null;
})();
if (cannotMount !== null) console.log(`disk-full test skipped: ${cannotMount}`);

const file = join(root, 'papers.jsonl');
beforeAll(() => {
  // About 1 KB of stored text per paper: the filesystem fills within the first batches of 10,000.
  const rng = createRng(3);
  const words = (n: number): string =>
    Array.from({ length: n }, () => WORDS[rng.int(WORDS.length)]).join(' ');
  const lines = Array.from({ length: RECORDS }, (_, i) =>
    JSON.stringify({
      arxiv_id: `2601.${String(i + 1).padStart(5, '0')}`,
      title: `${words(8)} ${i}`,
      abstract: `${words(110)}.`,
      authors: [`Author ${i % 97}`],
      categories: ['cs.LG'],
      date: '2026-01-15',
    }),
  );
  writeFileSync(file, `${lines.join('\n')}\n`);
});
afterAll(() => {
  if (cannotMount === null) spawnSync('umount', [mnt]);
  rmSync(root, { recursive: true, force: true });
});

test.skipIf(cannotMount !== null)(
  'a full disk stops the import with where, how much is free and what to do; whole batches stay; a rerun continues',
  async () => {
    const db = join(mnt, 'pb.db');
    const env = { DATABASE_URL: db, PAPERBOY_HARVEST: 'false' };
    const r = await runPaperboyIn(['ingest', file, '--quiet'], env);
    expect(r.code).toBe(7);
    expect(r.stderr).toContain(`The disk holding the store is full: writing ${db} failed`);
    expect(r.stderr).toContain(`free on that filesystem (of ${SIZE_MIB}.0 MiB)`);
    expect(r.stderr).toContain('This batch of 10,000 papers');
    expect(r.stderr).toMatch(/needs about [\d.]+ MiB more/);
    expect(r.stderr).toContain('run the same command again to continue');

    // The store opens, is intact, and holds whole batches only.
    const check = new Database(db, { readonly: true });
    expect(check.pragma('integrity_check', { simple: true })).toBe('ok');
    check.close();
    const store = await openStore(db);
    const stored = await store.papers.count();
    await store.close();
    expect(stored % 10_000).toBe(0);
    expect(stored).toBeGreaterThan(0);
    expect(stored).toBeLessThan(RECORDS);

    // Room made: the rerun stores the rest.
    expect(spawnSync('mount', ['-o', 'remount,size=256m', mnt]).status).toBe(0);
    const again = await runPaperboyIn(['ingest', file, '--quiet', '--json'], env);
    expect(again.code).toBe(0);
    const after = await openStore(db);
    expect(await after.papers.count()).toBe(RECORDS);
    await after.close();
  },
);
