// A page's papers read from SQLite in one read transaction: it must stay a reader (never wait for, or take, the
// write lock another process holds) and see only committed rows.
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { paper, tempStore, type TempStore } from '../helpers/temp-store.ts';

describe('SQLite papers.getMany', () => {
  let t: TempStore;
  beforeEach(async () => {
    t = await tempStore();
    await t.store.papers.upsertMany([
      paper(),
      paper({ arxivId: '2501.00002', title: 'Second' }),
      paper({ arxivId: '2501.00003', title: 'Third' }),
    ]);
  });
  afterEach(async () => {
    await t.cleanup();
  });

  it('reads while another connection holds the write lock, and sees only what that one has committed', async () => {
    const writer = new Database(t.path);
    try {
      writer.exec('BEGIN IMMEDIATE');
      writer.prepare("UPDATE papers SET title = 'Not yet committed' WHERE id = ?").run('2501.00002');
      // With the write lock taken elsewhere, a reader that asked for it would fail with SQLITE_BUSY.
      const during = await t.store.papers.getMany(['2501.00003', '2501.00002', 'missing', '2501.00001']);
      expect(during.map((p) => [p.id, p.title])).toEqual([
        ['2501.00003', 'Third'],
        ['2501.00002', 'Second'],
        ['2501.00001', 'A Study of Things'],
      ]);
      writer.exec('COMMIT');
      const after = await t.store.papers.getMany(['2501.00002', '2501.00001']);
      expect(after.map((p) => p.title)).toEqual(['Not yet committed', 'A Study of Things']);
    } finally {
      if (writer.inTransaction) writer.exec('ROLLBACK');
      writer.close();
    }
  });

  it('gives a paper asked twice twice, as it did one statement at a time', async () => {
    const got = await t.store.papers.getMany(['2501.00001', '2501.00001']);
    expect(got.map((p) => p.id)).toEqual(['2501.00001', '2501.00001']);
  });
});
