// Serve's lexical file written anew on a worker thread once more papers changed since it was written than a restart
// should replay (#23: at 2.7M papers that write held the event loop about 45 s): the saves link the old file
// meanwhile, the papers changed while it is written are replayed onto it, and the index then reads it from a
// generation of its own, with the same answers as an index built from the store.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ScoredId } from '../../src/domain/scored.ts';
import { rewriteLexicalInWorker } from '../../src/services/search/snapshot-rewrite.ts';
import { SearchIndexes, type RewriteEvent } from '../../src/services/search/search-indexes.ts';
import { currentSnapshot } from '../../src/services/search/snapshot-folder.ts';
import type { Store } from '../../src/store/store.ts';
import { polarSnapshot } from '../helpers/polar-snapshot.ts';
import { paper, type TempStore } from '../helpers/temp-store.ts';

let env: TempStore;
beforeAll(async () => {
  ({ env } = await polarSnapshot());
});
afterAll(() => env.cleanup());

const inode = (path: string): number => statSync(path).ino;
const state = (gen: string): { lexicalSeq: number; vectorPapersSeq?: number } =>
  JSON.parse(readFileSync(join(gen, 'state.json'), 'utf8')) as {
    lexicalSeq: number;
    vectorPapersSeq?: number;
  };
/** Ids with their scores, in id order: the same index numbered otherwise breaks ties in another order. */
const sorted = (hits: ScoredId[]): ScoredId[] => [...hits].sort((a, b) => a[0].localeCompare(b[0]));
const krill = (from: number, n: number, word: string) =>
  Array.from({ length: n }, (_, i) =>
    paper({
      arxivId: `2503.${String(from + i).padStart(5, '0')}`,
      title: `krill swarm ${word} ${i % 37}`,
      abstract: `Krill and ${i % 2 === 0 ? 'salps' : 'copepods'} in the ${word} sea.`,
      categories: [i % 3 === 0 ? 'q-bio.PE' : 'cs.LG'],
    }),
  );

describe('a background lexical rewrite', () => {
  it('links while it runs, replays what changed meanwhile, and then reads the new file from its own generation', async () => {
    const dir = join(env.dir, 'background');
    const ix = new SearchIndexes(env.store, { dir, approximateAbove: 50 });
    await ix.open();
    const events: RewriteEvent[] = [];
    ix.rewriteInBackground((e) => events.push(e));
    ix.splitLexicalSearches({ minPostings: 1 });
    // Built from the store in memory, then read from the file it is written to.
    ix.save();
    const first = join(currentSnapshot(dir) ?? '', 'lexical.bin');
    expect(ix.lexical.splitFile).toBe(first);

    // What a process killed while its rewrite ran left behind (no process has that id), and one that runs now.
    const stale = ['lexical-rewrite-4999999-k1.bin', 'lexical-rewrite-4999999-k1.bin.postings-tmp'];
    const running = `lexical-rewrite-${process.ppid}-k2.bin`;
    for (const name of [...stale, running]) writeFileSync(join(dir, name), 'x');
    // 1,001 papers changed: past the link limit of 1,000.
    await env.store.papers.upsertMany(krill(1, 1001, 'arctic'));
    await ix.upToDate(undefined, 0);
    expect(ix.saveIfChanged()).toBe(true);
    for (const name of stale) expect(existsSync(join(dir, name)), name).toBe(false);
    expect(existsSync(join(dir, running))).toBe(true);
    rmSync(join(dir, running));
    // Linked all the same, with the rewrite under way on its thread.
    const linked = currentSnapshot(dir) ?? '';
    expect(inode(join(linked, 'lexical.bin'))).toBe(inode(first));
    expect(events).toEqual([expect.objectContaining({ type: 'started', changed: 1001 })]);
    // Changed while it is written: these reach the new file by replay.
    await env.store.papers.upsertMany([
      paper({ arxivId: '2504.00001', title: 'orca pods hunting krill', abstract: 'Orcas.' }),
      ...krill(5, 3, 'antarctic'),
    ]);
    await env.store.papers.delete('2503.00009');
    await ix.upToDate(undefined, 0);
    await ix.lexicalRewriteDone();

    const done = events.find((e) => e.type === 'done');
    expect(done).toMatchObject({ type: 'done', replayed: 5 });
    const gen = currentSnapshot(dir) ?? '';
    const file = join(gen, 'lexical.bin');
    expect(done).toMatchObject({ file });
    expect(ix.lexical.splitFile).toBe(file);
    expect(inode(file)).not.toBe(inode(first));
    expect(readdirSync(dir).filter((f) => f.startsWith('lexical-rewrite'))).toEqual([]);
    // The generation holds the file's position: a restart replays the five papers changed meanwhile.
    expect(state(gen).lexicalSeq).toBeLessThan(await env.store.papers.latestChangeSeq());
    expect(state(gen).vectorPapersSeq).toBe(await env.store.papers.latestChangeSeq());

    // The same answers as an index built from the store, here and after a restart over that generation.
    const built = new SearchIndexes(env.store, { dir: null, approximateAbove: 50 });
    await built.open();
    const restarted = new SearchIndexes(env.store, { dir, approximateAbove: 50 });
    await restarted.open();
    for (const q of [
      'krill',
      'krill salps',
      'orca pods',
      'antarctic krill swarm 2',
      'cat:q-bio.PE krill',
      'walrus',
    ]) {
      const want = sorted(await built.searchLexical(q, { k: 2000 }));
      expect(sorted(await ix.searchLexical(q, { k: 2000 })), q).toEqual(want);
      expect(sorted(await restarted.searchLexical(q, { k: 2000 })), q).toEqual(want);
    }
    expect(ix.lexical.has('2503.00009')).toBe(false);
    expect(ix.lexical.has('2504.00001')).toBe(true);
    // The helper thread follows the new file.
    expect(await ix.lexicalHelperReady()).toBe(true);
    expect(ix.lexicalHelperStats()?.file).toBe(file);
    await ix.closeLexicalHelper();
  });

  it('links a save past three times the limit at once (an import), the rewrite starting then; at exit it writes', async () => {
    const dir = join(env.dir, 'import');
    const ix = new SearchIndexes(env.store, { dir, approximateAbove: 50 });
    await ix.open();
    const events: RewriteEvent[] = [];
    ix.rewriteInBackground((e) => events.push(e));
    ix.save();
    const first = join(currentSnapshot(dir) ?? '', 'lexical.bin');
    // 3,001 papers between two saves: past three times the link limit (1,000) before any rewrite started.
    await env.store.papers.upsertMany(krill(6000, 3001, 'barents'));
    await ix.upToDate(undefined, 0);
    expect(ix.saveIfChanged()).toBe(true);
    expect(inode(join(currentSnapshot(dir) ?? '', 'lexical.bin'))).toBe(inode(first));
    expect(events).toEqual([expect.objectContaining({ type: 'started', changed: 3001 })]);
    await ix.lexicalRewriteDone();
    expect(events.map((e) => e.type)).toEqual(['started', 'done']);
    expect(ix.lexical.splitFile).toBe(join(currentSnapshot(dir) ?? '', 'lexical.bin'));
    const built = new SearchIndexes(env.store, { dir: null, approximateAbove: 50 });
    await built.open();
    for (const q of ['krill barents', 'krill swarm 7', 'cat:q-bio.PE barents'])
      expect(sorted(await ix.searchLexical(q, { k: 4000 })), q).toEqual(
        sorted(await built.searchLexical(q, { k: 4000 })),
      );

    // Once the rewrites are stopped (serve's exit), a save past three times the limit writes the file.
    await env.store.papers.upsertMany(krill(10_000, 3001, 'kara'));
    await ix.upToDate(undefined, 0);
    const before = join(currentSnapshot(dir) ?? '', 'lexical.bin');
    await ix.stopRewrites();
    expect(ix.saveIfChanged()).toBe(true);
    const written = join(currentSnapshot(dir) ?? '', 'lexical.bin');
    expect(inode(written)).not.toBe(inode(before));
    expect(state(currentSnapshot(dir) ?? '').lexicalSeq).toBe(await env.store.papers.latestChangeSeq());
  });

  it('stops when asked, leaving the index as it was and no file behind', async () => {
    const dir = join(env.dir, 'stopped');
    const ix = new SearchIndexes(env.store, { dir, approximateAbove: 50 });
    await ix.open();
    const events: RewriteEvent[] = [];
    ix.rewriteInBackground((e) => events.push(e));
    ix.save();
    const first = ix.lexical.splitFile;
    expect(first).not.toBeNull();
    await env.store.papers.upsertMany(krill(3000, 1001, 'boreal'));
    await ix.upToDate(undefined, 0);
    expect(ix.saveIfChanged()).toBe(true);
    expect(events.map((e) => e.type)).toEqual(['started']);
    await ix.stopRewrites();
    expect(events.map((e) => e.type)).toEqual(['started']);
    expect(ix.lexical.splitFile).toBe(first);
    expect(readdirSync(dir).filter((f) => f.startsWith('lexical-rewrite'))).toEqual([]);
    expect((await ix.searchLexical('krill boreal', { k: 5 })).length).toBe(5);
  });

  it('lets searches answer while it replays the papers changed meanwhile, as during a large sync', async () => {
    // The change log read through a gate: once armed, the next read (the adoption's replay) waits to be let through.
    let gate: { reached: () => void; open: Promise<void> } | null = null;
    const store: Store = {
      ...env.store,
      papers: {
        ...env.store.papers,
        changesSince: async (seq, limit) => {
          const g = gate;
          gate = null;
          if (g !== null) {
            g.reached();
            await g.open;
          }
          return env.store.papers.changesSince(seq, limit);
        },
      },
    };
    const dir = join(env.dir, 'adopting');
    const ix = new SearchIndexes(store, { dir, approximateAbove: 50 });
    await ix.open();
    ix.rewriteInBackground(() => undefined);
    ix.save();
    await env.store.papers.upsertMany(krill(3001, 1001, 'boreal'));
    await ix.upToDate(undefined, 0);
    expect(ix.saveIfChanged()).toBe(true);
    // Changed while the file is written, and synced: the adoption replays it.
    await env.store.papers.upsertMany([
      paper({ arxivId: '2506.00001', title: 'beluga pods under sea ice', abstract: 'Belugas.' }),
    ]);
    await ix.upToDate(undefined, 0);
    let letThrough = (): void => undefined;
    const replaying = new Promise<void>((reached) => {
      gate = { reached, open: new Promise<void>((resolve) => (letThrough = resolve)) };
    });
    const done = ix.lexicalRewriteDone();
    await replaying;
    const adopting = ix.lexical;
    // A search's sync waits for the adoption a moment (here 20 ms), then it answers from the index as it stands.
    expect((await ix.readable(undefined, 0, 20)).behind).toBe(true);
    expect(ix.lexical).toBe(adopting);
    expect((await ix.searchLexical('beluga pods', { k: 5 }))[0]?.[0]).toBe('2506.00001');
    letThrough();
    await done;
    expect(ix.lexical).not.toBe(adopting);
    expect((await ix.searchLexical('beluga pods', { k: 5 }))[0]?.[0]).toBe('2506.00001');
    expect((await ix.readable(undefined, 0, 20)).behind).toBe(false);
  });
});

describe('rewriteLexicalInWorker', () => {
  it('fails with the reason when the file is gone, writing nothing', async () => {
    const tmp = mkdtempSync(join(tmpdir(), 'rewrite-gone-'));
    try {
      const out = join(tmp, 'out.bin');
      const changes = { file: join(tmp, 'gone.bin'), removed: [], firstTerm: 0, terms: [], added: [] };
      await expect(rewriteLexicalInWorker(changes, out, { checkedElsewhere: false })).rejects.toThrow(
        /gone\.bin|ENOENT/,
      );
      expect(existsSync(out)).toBe(false);
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  });
});
