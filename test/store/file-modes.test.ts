// The database, its -wal and -shm files, copy targets and index snapshots are created owner-only (0600),
// like the secret file, whatever the process umask lets through.
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { createServices, indexDir } from '../../src/services/services.ts';
import { openStore, openTables } from '../../src/store/db.ts';
import { TEST_SECRET } from '../helpers/reader-env.ts';
import { paper } from '../helpers/temp-store.ts';

let dir: string;
let umask: number;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'pb-modes-'));
  umask = process.umask(0o022); // the usual default, which makes new files 0644
});
afterEach(() => {
  process.umask(umask);
  rmSync(dir, { recursive: true, force: true });
});

/** Permission bits for group and others (0 = owner only). */
const open = (path: string): number => statSync(path).mode & 0o077;

/** Every file and folder under `root`, with its group/other bits. */
function modesUnder(root: string): [string, number][] {
  return readdirSync(root, { recursive: true, encoding: 'utf8' }).map((p) => [p, open(join(root, p))]);
}

describe('file modes', () => {
  it('creates the SQLite database, -wal and -shm owner-only', async () => {
    const path = join(dir, 'data', 'paperboy.db');
    const store = await openStore(path);
    await store.papers.upsertMany([paper()]);
    for (const f of [path, `${path}-wal`, `${path}-shm`]) expect([f, open(f)]).toEqual([f, 0]);
    await store.close();
  });

  it('creates a SQLite copy target owner-only', async () => {
    const target = join(dir, 'backup.db');
    const tables = await openTables(`sqlite:${target}`);
    expect(open(target)).toBe(0);
    await tables.close();
  });

  it('writes index snapshots into owner-only folders and files', async () => {
    const path = join(dir, 'paperboy.db');
    const store = await openStore(path);
    await store.papers.upsertMany([paper()]);
    const config = loadConfig({ DATABASE_URL: path, PAPERBOY_SECRET: TEST_SECRET, LOG_LEVEL: 'silent' });
    const services = createServices(store, config);
    await services.search.search('things', { k: 1 });
    services.searchIndexes.save();
    const snapshots = indexDir(config) ?? '';
    expect(open(snapshots)).toBe(0);
    const files = modesUnder(snapshots);
    expect(files.length).toBeGreaterThan(2);
    expect(files.filter(([, m]) => m !== 0)).toEqual([]);
    await services.close();
  });
});
