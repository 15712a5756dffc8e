// The SQLite page cache: 16 MiB for a serving connection, larger when asked (what `ingest` asks for).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { openSqlite } from '../../src/store/sqlite/open.ts';

const dir = mkdtempSync(join(tmpdir(), 'paperboy-page-cache-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** cache_size in bytes (SQLite keeps a negative value as KiB). */
function cacheBytes(opts?: { pageCacheBytes?: number }): number {
  const db = openSqlite(join(dir, 'pb.db'), opts);
  try {
    return -Number(db.pragma('cache_size', { simple: true })) * 1024;
  } finally {
    db.close();
  }
}

test('a connection has a 16 MiB page cache unless it asks for another bound', () => {
  expect(cacheBytes()).toBe(16 * 1024 * 1024);
  expect(cacheBytes({ pageCacheBytes: 256 * 1024 * 1024 })).toBe(256 * 1024 * 1024);
});
