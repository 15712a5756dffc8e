// Serve's vector rows written anew on a worker thread (#23: at 2.7M papers each of serve's saves wrote 1.4 GB of rows
// on the event loop, 2.3–2.4 s in which no search was answered, while papers were embedded): saves link the rows'
// file while few rows changed (a restart replays the vectors stored since), and past the limit a worker writes the
// file anew from the old one and the changes; the index then reads it, with what changed meanwhile carried over.
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { embedPending } from '../../src/services/search/embed-service.ts';
import { SearchIndexes, type RewriteEvent } from '../../src/services/search/search-indexes.ts';
import { currentSnapshot } from '../../src/services/search/snapshot-folder.ts';
import { POLAR_DIM, POLAR_MODEL, polarEmbedder, polarSnapshot } from '../helpers/polar-snapshot.ts';
import { paper, type TempStore } from '../helpers/temp-store.ts';

let env: TempStore;
beforeAll(async () => {
  ({ env } = await polarSnapshot());
});
afterAll(() => env.cleanup());

const ino = (path: string): number => statSync(path).ino;
const state = (gen: string): { vectorSeq: number; vectorPapersSeq?: number; lexicalSeq: number } =>
  JSON.parse(readFileSync(join(gen, 'state.json'), 'utf8')) as {
    vectorSeq: number;
    vectorPapersSeq?: number;
    lexicalSeq: number;
  };
const seals = (from: number, n: number, word: string) =>
  Array.from({ length: n }, (_, i) =>
    paper({
      arxivId: `2505.${String(from + i).padStart(5, '0')}`,
      title: `${i % 3 === 0 ? 'seal' : 'orca'} ${word} ${i}`,
      abstract: `Seen near the ${i % 2 === 0 ? 'iceberg' : 'krill'} line.`,
    }),
  );

async function opened(dir: string): Promise<SearchIndexes> {
  const ix = new SearchIndexes(env.store, { dir, approximateAbove: 50 });
  await ix.open();
  await ix.useModel(POLAR_MODEL, POLAR_DIM);
  return ix;
}

/**
 * Indexes as serve holds them over `dir`: written from the store, then opened from that generation (the rows read in
 * place from its file), rewriting in the background; `events` collects what the rewrites tell.
 */
async function served(dir: string): Promise<{ ix: SearchIndexes; events: RewriteEvent[] }> {
  (await opened(dir)).save();
  const ix = await opened(dir);
  const events: RewriteEvent[] = [];
  ix.rewriteInBackground((e) => events.push(e));
  return { ix, events };
}

/** Every paper's score against a few queries: the rows themselves, whatever graph or file holds them. */
async function rows(ix: SearchIndexes): Promise<(number | null)[][]> {
  const ids: string[] = [];
  for await (const page of env.store.papers.scan(500)) ids.push(...page.map((p) => p.id));
  ids.sort();
  const queries = [0, 3, 5].map((axis) =>
    Float32Array.from({ length: POLAR_DIM }, (_, i) => (i === axis ? 1 : 0)),
  );
  return queries.map((q) => ix.vectors?.similarities(ids, q) ?? []);
}

describe('a background vector rewrite', () => {
  it('links while few rows changed, writes the rows anew on a worker past the limit, and carries what changed meanwhile', async () => {
    const dir = join(env.dir, 'vectors-bg');
    const { ix, events } = await served(dir);
    const first = ino(join(currentSnapshot(dir) ?? '', 'vectors.bin'));
    // A few vectors: linked, the generation holding the file's own positions.
    // Rows added and removed again (no row differs from the file's): linked, not written again.
    await env.store.papers.upsertMany(seals(8000, 2, 'dawn'));
    await embedPending(env.store, polarEmbedder);
    await ix.upToDate(undefined, 0);
    for (const id of ['2505.08000', '2505.08001']) await env.store.papers.delete(id);
    await ix.upToDate(undefined, 0);
    expect(ix.saveIfChanged()).toBe(true);
    expect(ino(join(currentSnapshot(dir) ?? '', 'vectors.bin'))).toBe(first);
    await env.store.papers.upsertMany(seals(1, 5, 'spring'));
    await embedPending(env.store, polarEmbedder);
    await ix.upToDate(undefined, 0);
    expect(ix.saveIfChanged()).toBe(true);
    const small = currentSnapshot(dir) ?? '';
    expect(ino(join(small, 'vectors.bin'))).toBe(first);
    const stored = await env.store.vectors.since(POLAR_MODEL, 0, 100_000);
    expect(state(small).vectorSeq).toBeLessThan(stored[stored.length - 1]?.seq ?? 0);
    expect(events.filter((e) => e.index === 'vectors')).toEqual([]);
    // A restart over it replays those five.
    expect(await rows(await opened(dir))).toEqual(await rows(ix));

    // What a process killed while its rewrite ran left behind.
    const stale = 'vectors-rewrite-4999999-k1.bin';
    writeFileSync(join(dir, stale), 'x');
    // 1,001 more: past the limit of 1,000. Still linked, with the rows written anew on a worker.
    await env.store.papers.upsertMany(seals(10, 1001, 'summer'));
    await embedPending(env.store, polarEmbedder);
    await ix.upToDate(undefined, 0);
    expect(ix.saveIfChanged()).toBe(true);
    expect(existsSync(join(dir, stale))).toBe(false);
    const linked = join(currentSnapshot(dir) ?? '', 'vectors.bin');
    expect(ino(linked)).toBe(first);
    // Read from the latest link of that file (the earlier generations are pruned in time).
    expect(events.filter((e) => e.index === 'vectors')).toEqual([
      expect.objectContaining({ type: 'started', changed: 1006, file: linked }),
    ]);
    // Changed while it is written: a new paper embedded, one deleted, one embedded again.
    await env.store.papers.upsertMany([
      paper({ arxivId: '2506.00001', title: 'walrus haul-out', abstract: 'Walruses.' }),
      paper({ arxivId: '2505.00012', title: 'penguin march', abstract: 'Now about penguins.' }),
    ]);
    await env.store.papers.delete('2505.00020');
    await embedPending(env.store, polarEmbedder);
    await ix.upToDate(undefined, 0);
    await ix.vectorRewriteDone();

    const done = events.find((e) => e.index === 'vectors' && e.type === 'done');
    // The four rows changed meanwhile (one added, one replaced: gone and added, one removed) carried over.
    expect(done, JSON.stringify(events)).toMatchObject({ type: 'done', count: 160 + 1006, replayed: 4 });
    const gen = currentSnapshot(dir) ?? '';
    expect(done).toMatchObject({ file: join(gen, 'vectors.bin') });
    expect(ino(join(gen, 'vectors.bin'))).not.toBe(first);
    expect(readdirSync(dir).filter((f) => f.startsWith('vectors-rewrite'))).toEqual([]);
    expect(ix.vectors?.has('2505.00020')).toBe(false);
    expect(ix.vectors?.has('2506.00001')).toBe(true);

    // The same rows as an index built from the store, here and after a restart over that generation.
    const built = new SearchIndexes(env.store, { dir: null, approximateAbove: 50 });
    await built.open();
    await built.useModel(POLAR_MODEL, POLAR_DIM);
    const want = await rows(built);
    expect(await rows(ix)).toEqual(want);
    const restarted = await opened(dir);
    expect(restarted.vectors?.base?.file).toBe(join(gen, 'vectors.bin'));
    expect(await rows(restarted)).toEqual(want);
  });

  it('links rows past three times the limit at once (an import), their rewrite starting then', async () => {
    const dir = join(env.dir, 'vectors-import');
    const { ix, events } = await served(dir);
    const first = ino(join(currentSnapshot(dir) ?? '', 'vectors.bin'));
    // 3,001 papers embedded between two saves: past three times the link limit (1,000), no rewrite started yet.
    await env.store.papers.upsertMany(seals(20_000, 3001, 'winter'));
    await embedPending(env.store, polarEmbedder);
    await ix.upToDate(undefined, 0);
    expect(ix.saveIfChanged()).toBe(true);
    expect(ino(join(currentSnapshot(dir) ?? '', 'vectors.bin'))).toBe(first);
    expect(events.filter((e) => e.index === 'vectors')).toEqual([
      expect.objectContaining({ type: 'started', changed: 3001 }),
    ]);
    await ix.vectorRewriteDone();
    expect(events.filter((e) => e.index === 'vectors').map((e) => e.type)).toEqual(['started', 'done']);
    const built = new SearchIndexes(env.store, { dir: null, approximateAbove: 50 });
    await built.open();
    await built.useModel(POLAR_MODEL, POLAR_DIM);
    expect(await rows(ix)).toEqual(await rows(built));
    await ix.stopRewrites();
  });

  it('stops when asked, leaving the index as it was and no file behind', async () => {
    const dir = join(env.dir, 'vectors-stop');
    const { ix, events } = await served(dir);
    const base = ix.vectors?.base?.file;
    await env.store.papers.upsertMany(seals(3000, 1001, 'winter'));
    await embedPending(env.store, polarEmbedder);
    await ix.upToDate(undefined, 0);
    const before = await rows(ix);
    expect(ix.saveIfChanged()).toBe(true);
    expect(events.filter((e) => e.index === 'vectors').map((e) => e.type)).toEqual(['started']);
    await ix.stopRewrites();
    expect(events.filter((e) => e.index === 'vectors').map((e) => e.type)).toEqual(['started']);
    expect(ix.vectors?.base?.file).not.toBe(base);
    expect(ino(ix.vectors?.base?.file ?? '')).toBe(ino(base ?? ''));
    expect(readdirSync(dir).filter((f) => f.startsWith('vectors-rewrite'))).toEqual([]);
    expect(await rows(ix)).toEqual(before);
  });
});
