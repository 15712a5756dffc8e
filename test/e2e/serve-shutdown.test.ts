// `serve` stopped with SIGTERM after another process changed the store: the new paper is found at once (not from
// an anonymous answer cached before it), and serve ends with exit code 0 having written a snapshot that holds the
// change. At 2.7M papers it ended at 13 instead (an await on a worker that did not hold the process, reproduced in
// test/store/wal-checkpointer.test.ts), without that snapshot.
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { currentSnapshot } from '../../src/services/search/snapshot-folder.ts';
import { openStore } from '../../src/store/db.ts';
import { startServe } from '../helpers/serve-process.ts';
import { paper, storedPapersFile } from '../helpers/temp-store.ts';
import { waitFor } from '../helpers/wait-for.ts';

describe('serve shutdown', () => {
  let dir: string;
  let db: string;
  beforeAll(async () => {
    ({ dir, db } = await storedPapersFile(30, 'paperboy-shutdown-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('exits 0 on SIGTERM and writes the snapshot of what changed while it served', async () => {
    const served = await startServe({ DATABASE_URL: db, PAPERBOY_HARVEST: 'false' });
    let latest = 0;
    try {
      await served.waitForLog(/search index ready/, 'the search indexes to open');
      const store = await openStore(db);
      try {
        await store.papers.upsertMany([
          paper({ arxivId: '2612.00001', title: 'Hyperuniform point patterns' }),
        ]);
        latest = await store.papers.latestChangeSeq();
      } finally {
        await store.close();
      }
      await waitFor(
        async () => {
          const r = await fetch(`${served.base}/api/search?mode=lexical&q=hyperuniform`);
          const body = (await r.json()) as { papers?: { id: string }[] };
          return (body.papers ?? []).some((p) => p.id === '2612.00001');
        },
        { what: 'the new paper to be found' },
      );
    } finally {
      await served.stop();
    }
    expect(served.ended()).toBe('exit 0');
    const gen = currentSnapshot(`${db}.index`);
    expect(gen).not.toBeNull();
    const state = JSON.parse(readFileSync(join(gen ?? '', 'state.json'), 'utf8')) as { lexicalSeq: number };
    expect(state.lexicalSeq).toBe(latest);
  });
});
