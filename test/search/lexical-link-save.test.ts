// Serve's own saves link the lexical file while few papers changed since it was written: rewriting it was the whole
// file (43 s of the event loop and a 6.2 GB peak at 2.7M papers) for a handful of changes. The generation then holds
// the file's own change-log position, the next start replays the papers changed since; the vector rows are linked
// the same way (their file's positions: the vectors stored and papers deleted since are replayed). Past 2% of the
// papers (at least 1,000) the file is written again.
import { cpSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { embedPending } from '../../src/services/search/embed-service.ts';
import { SearchIndexes } from '../../src/services/search/search-indexes.ts';
import { currentSnapshot } from '../../src/services/search/snapshot-folder.ts';
import { POLAR_DIM, POLAR_MODEL, polarEmbedder, polarSnapshot } from '../helpers/polar-snapshot.ts';
import { paper, type TempStore } from '../helpers/temp-store.ts';

let env: TempStore;
let good = '';
beforeAll(async () => {
  ({ env, good } = await polarSnapshot());
});
afterAll(() => env.cleanup());

const state = (gen: string): { lexicalSeq: number; vectorPapersSeq?: number } =>
  JSON.parse(readFileSync(join(gen, 'state.json'), 'utf8')) as {
    lexicalSeq: number;
    vectorPapersSeq?: number;
  };
const inode = (gen: string): number => statSync(join(gen, 'lexical.bin')).ino;

it('links the lexical file while few papers changed, and a restart answers as the changed index did', async () => {
  const dir = dirname(good);
  const open = async (): Promise<SearchIndexes> => {
    const ix = new SearchIndexes(env.store, { dir, approximateAbove: 50 });
    await ix.open();
    await ix.useModel(POLAR_MODEL, POLAR_DIM);
    return ix;
  };
  const ids = async (ix: SearchIndexes, q: string): Promise<string[]> =>
    (await ix.searchLexical(q, { k: 200 })).map(([id]) => id).sort();
  const similar = (ix: SearchIndexes): string[] =>
    (ix.vectors?.search(Float32Array.from([0, 0, 1, 0, 0, 0, 0, 0]), 200) ?? []).map(([id]) => id).sort();
  const ix = await open();
  const baseSeq = state(good).lexicalSeq;
  await env.store.papers.upsertMany([
    paper({ arxivId: '2502.00001', title: 'narwhal tusks measured', abstract: 'The narwhal tusk.' }),
    paper({ arxivId: '2501.00002', title: 'penguin colonies revisited', abstract: 'A new version.' }),
  ]);
  await env.store.papers.delete('2501.00003');
  // Deleted and stored again: its new vector must survive the replay of the deletion at the next start.
  await env.store.papers.delete('2501.00004');
  await env.store.papers.upsertMany([
    paper({ arxivId: '2501.00004', title: 'iceberg calving', abstract: 'Back again.' }),
  ]);
  await embedPending(env.store, polarEmbedder);
  await ix.upToDate(undefined, 0);
  expect(ix.saveIfChanged()).toBe(true);
  const linked = currentSnapshot(dir) ?? '';
  expect(linked).not.toBe(good);
  expect(inode(linked)).toBe(inode(good));
  // The vector rows too: the generation says how far their file reached (a restart replays the rest).
  expect(statSync(join(linked, 'vectors.bin')).ino).toBe(statSync(join(good, 'vectors.bin')).ino);
  expect(state(linked)).toMatchObject({
    lexicalSeq: baseSeq,
    vectorPapersSeq: state(good).vectorPapersSeq ?? baseSeq,
  });
  // A fresh process over that generation: the file's papers, then the changes since replayed (nothing new to save).
  const restarted = await open();
  expect(restarted.saveIfChanged()).toBe(false);
  for (const q of ['narwhal', 'penguin revisited', 'walrus'])
    expect(await ids(restarted, q), q).toEqual(await ids(ix, q));
  expect(await ids(restarted, 'narwhal tusks measured')).toContain('2502.00001');
  expect(restarted.lexical.has('2501.00003')).toBe(false);
  expect(restarted.vectors?.has('2501.00003')).toBe(false);
  expect(restarted.vectors?.has('2501.00004')).toBe(true);
  expect(await ids(restarted, 'iceberg calving')).toContain('2501.00004');
  expect(similar(restarted)).toEqual(similar(ix));
  // The generation first read is pruned in time: later links come from the last one.
  rmSync(good, { recursive: true });
  await env.store.papers.upsertMany([
    paper({ arxivId: '2502.00002', title: 'orca pods', abstract: 'Orcas.' }),
  ]);
  await restarted.upToDate(undefined, 0);
  expect(restarted.saveIfChanged()).toBe(true);
  const again = currentSnapshot(dir) ?? '';
  expect(inode(again)).toBe(inode(linked));
  expect(state(again).lexicalSeq).toBe(baseSeq);
  expect(await ids(await open(), 'orca pods')).toContain('2502.00002');
});

it('writes the lexical file again once more papers changed than it follows by replay, and for bulk saves', async () => {
  const dir = join(env.dir, 'drift');
  const ix = new SearchIndexes(env.store, { dir, approximateAbove: 50 });
  await ix.open();
  ix.save();
  const first = currentSnapshot(dir) ?? '';
  // 1,001 papers changed: past the floor of 1,000 (2% of this store is far less).
  await env.store.papers.upsertMany(
    Array.from({ length: 1001 }, (_, i) =>
      paper({
        arxivId: `2503.${String(i + 1).padStart(5, '0')}`,
        title: `krill swarm ${i}`,
        abstract: 'Krill.',
      }),
    ),
  );
  await ix.upToDate(undefined, 0);
  expect(ix.saveIfChanged()).toBe(true);
  const rewritten = currentSnapshot(dir) ?? '';
  expect(inode(rewritten)).not.toBe(inode(first));
  // A process that opens a generation with that many papers to replay saves again (the file is due).
  const behind = new SearchIndexes(env.store, { dir: join(env.dir, 'drift-behind'), approximateAbove: 50 });
  cpSync(first, join(env.dir, 'drift-behind', 'snap-0'), { recursive: true });
  writeFileSync(join(env.dir, 'drift-behind', 'CURRENT'), 'snap-0\n');
  await behind.open();
  expect(behind.saveIfChanged()).toBe(true);
  expect(state(currentSnapshot(join(env.dir, 'drift-behind')) ?? '').lexicalSeq).toBe(
    await env.store.papers.latestChangeSeq(),
  );
  const latest = await env.store.papers.latestChangeSeq();
  expect(state(rewritten).lexicalSeq).toBe(latest);
  // One change more is linked again; a save asked for outright (reindex, train, embed) writes the file.
  await env.store.papers.upsertMany([
    paper({ arxivId: '2504.00001', title: 'seal haul-out', abstract: 'Seals.' }),
  ]);
  await ix.upToDate(undefined, 0);
  expect(ix.saveIfChanged()).toBe(true);
  const relinked = currentSnapshot(dir) ?? '';
  expect(inode(relinked)).toBe(inode(rewritten));
  ix.save();
  expect(inode(currentSnapshot(dir) ?? '')).not.toBe(inode(relinked));
  expect(state(currentSnapshot(dir) ?? '').lexicalSeq).toBe(await env.store.papers.latestChangeSeq());
});
