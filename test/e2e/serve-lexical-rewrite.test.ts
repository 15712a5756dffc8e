// `serve` taking in more papers than a restart should replay: the lexical file is written anew on a worker thread
// while serve goes on answering (it used to stop for the write, about 45 s at 2.7M papers), and searches then read
// the new file from its own generation.
import { existsSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { currentSnapshot } from '../../src/services/search/snapshot-folder.ts';
import { openStore } from '../../src/store/db.ts';
import { startServe } from '../helpers/serve-process.ts';
import { paper, storedPapersFile } from '../helpers/temp-store.ts';
import { waitFor } from '../helpers/wait-for.ts';

describe('serve rewriting its lexical snapshot', () => {
  let dir: string;
  let db: string;
  beforeAll(async () => {
    ({ dir, db } = await storedPapersFile(30, 'paperboy-rewrite-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('writes it anew on a worker thread once 1,000 papers changed, answering all along', async () => {
    const served = await startServe({
      DATABASE_URL: db,
      PAPERBOY_HARVEST: 'false',
      INDEX_SNAPSHOT_SECONDS: '1',
    });
    const answer = async (q: string): Promise<{ ids: string[]; indexing: boolean }> => {
      const r = await fetch(`${served.base}/api/search?mode=lexical&q=${encodeURIComponent(q)}`);
      expect(r.status).toBe(200);
      const body = (await r.json()) as { papers?: { id: string }[]; indexing?: boolean };
      return { ids: body.papers?.map((p) => p.id) ?? [], indexing: body.indexing === true };
    };
    const search = async (q: string): Promise<string[]> => (await answer(q)).ids;
    const lexicalFile = (): string => join(currentSnapshot(`${db}.index`) ?? '', 'lexical.bin');
    let first = 0;
    try {
      await served.waitForLog(/search index ready/, 'the search indexes to open');
      // The index built from the store is written at the first snapshot.
      first = await waitFor(() => existsSync(lexicalFile()) && statSync(lexicalFile()).ino, {
        what: 'the first snapshot',
      });
      const store = await openStore(db);
      try {
        await store.papers.upsertMany(
          Array.from({ length: 1001 }, (_, i) =>
            paper({ arxivId: `2612.${String(i + 1).padStart(5, '0')}`, title: `Walrus census ${i}` }),
          ),
        );
      } finally {
        await store.close();
      }
      // A search takes the papers in (a large sync: while it runs, answers say so, and may miss them); the next
      // snapshot finds 1,001 changed and hands the file to a worker.
      const indexed = await waitFor(
        async () => {
          const a = await answer('walrus census 7');
          return !a.indexing && a.ids;
        },
        { what: 'the new papers indexed' },
      );
      expect(indexed).toContain('2612.00008');
      await served.waitForLog(
        /lexical snapshot: 1001 papers changed since written; writing them anew on a worker thread/,
        'the rewrite to start',
      );
      const done = await served.waitForLog(
        /lexical snapshot: written anew in [\d.]+ s \(1031 papers/,
        'the rewrite to end',
      );
      expect(done).not.toMatch(/writing them anew failed/);
      expect(await search('walrus census 7')).toContain('2612.00008');
      expect(await search('stored paper number 3')).toContain('2611.00004');
    } finally {
      await served.stop();
    }
    expect(served.ended()).toBe('exit 0');
    expect(statSync(lexicalFile()).ino).not.toBe(first);
    const state = JSON.parse(
      readFileSync(join(currentSnapshot(`${db}.index`) ?? '', 'state.json'), 'utf8'),
    ) as {
      lexicalSeq: number;
    };
    expect(state.lexicalSeq).toBeGreaterThan(0);
  });
});
