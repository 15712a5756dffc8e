// The HNSW graph's whole-file checksum computed on a worker from the start of `open` (#23 cold restart, h31c):
// the same CRC as this thread's, used only for the file it read, and a damaged graph still never mapped.
import { cpSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileChecksumInWorker } from '../../src/index/file-checksum-worker.ts';
import { createVectorIndex } from '../../src/index/vectors/index.ts';
import { fileChecksum } from '../../src/index/vectors/sidecar-file.ts';
import { SearchIndexes } from '../../src/services/search/search-indexes.ts';
import { POLAR_DIM, POLAR_MODEL, polarEmbedder, polarSnapshot } from '../helpers/polar-snapshot.ts';
import type { TempStore } from '../helpers/temp-store.ts';

const MODEL = POLAR_MODEL;
const DIM = POLAR_DIM;
const embedder = polarEmbedder;

let env: TempStore;
let good = '';
beforeAll(async () => {
  ({ env, good } = await polarSnapshot());
});
afterAll(() => env.cleanup());

function copyOf(name: string): { dir: string; gen: string } {
  const dir = join(env.dir, name);
  mkdirSync(dir);
  cpSync(good, join(dir, 'snap-copy'), { recursive: true });
  writeFileSync(join(dir, 'CURRENT'), 'snap-copy\n');
  return { dir, gen: join(dir, 'snap-copy') };
}

async function vectorScores(ix: SearchIndexes): Promise<number[]> {
  const q = (await embedder.embed(['narwhal']))[0]!;
  return (ix.vectors?.search(q, 10) ?? []).map(([, score]) => Math.round(score * 1e6));
}

describe('fileChecksumInWorker', () => {
  it('gives the CRC-32 of the whole file over many reads, as this thread computes it, and the file it read', async () => {
    const file = join(env.dir, 'data.bin');
    const data = Uint8Array.from({ length: 50_000 + 17 }, (_, i) => (i * 31 + (i >> 8)) & 255);
    writeFileSync(file, data);
    // Reads of 4,096 bytes: thirteen of them, the last one short.
    const sum = await fileChecksumInWorker(file, 4096);
    const st = statSync(file);
    expect(sum).toEqual({ dev: st.dev, ino: st.ino, size: data.length, crc: crc32(data) });
    expect(sum.crc).toBe(fileChecksum(file).crc);
  });

  it('rejects for a file that is not there', async () => {
    await expect(fileChecksumInWorker(join(env.dir, 'missing.bin'))).rejects.toThrow(/ENOENT|no such file/);
  });
});

describe('the graph check at open', () => {
  it("is waited for by the first vector load once its rows are open, and the start's steps are told once", async () => {
    const { dir } = copyOf('steps');
    const ix = new SearchIndexes(env.store, { dir, approximateAbove: 50, checkOnRead: true });
    ix.checkGraphAhead();
    await ix.open();
    ix.startStep('model');
    await ix.useModel(MODEL, DIM);
    const steps = ix.startSteps();
    expect(steps.map((s) => [s.step, s.file])).toEqual([
      ['lexical open', 'lexical.bin'],
      ['store sync', null],
      ['model', null],
      ['rows open', 'vectors.bin'],
      ['graph checksum wait', 'vectors.bin.hnsw'],
      ['graph checksum', 'vectors.bin.hnsw'],
      ['graph map', 'vectors.bin.hnsw'],
      ['vectors sync', null],
    ]);
    for (const s of steps) expect(s.ms).toBeGreaterThanOrEqual(0);
    // Later steps (another model, a sync) are not recorded.
    expect(ix.startSteps()).toEqual([]);
    expect(await vectorScores(ix)).toHaveLength(10);
  });

  it('loads the vectors once when a search asks for the model while the start-up loads them (no second load beside it)', async () => {
    const { dir } = copyOf('twice');
    const ix = new SearchIndexes(env.store, { dir, approximateAbove: 50, checkOnRead: true });
    ix.checkGraphAhead();
    await ix.open();
    const [a, b] = [ix.useModel(MODEL, DIM), ix.useModel(MODEL, DIM)];
    await Promise.all([a, b]);
    const loads = ix.startSteps().filter((s) => s.step === 'rows open');
    expect(loads).toHaveLength(1);
    expect(await vectorScores(ix)).toHaveLength(10);
  });

  it('is started only when asked (a CLI search may never map the graph): the first load then reads the graph itself', async () => {
    const { dir } = copyOf('not-asked');
    const ix = new SearchIndexes(env.store, { dir, approximateAbove: 50, checkOnRead: true });
    await ix.open();
    await ix.useModel(MODEL, DIM);
    const steps = ix.startSteps().map((s) => s.step);
    expect(steps).not.toContain('graph checksum wait');
    expect(steps).toContain('graph checksum');
    expect(await vectorScores(ix)).toHaveLength(10);
  });

  it('is not trusted for a graph file replaced after it was read: a damaged replacement is refused and rebuilt', async () => {
    const reference = new SearchIndexes(env.store, { dir: join(env.dir, 'good'), approximateAbove: 50 });
    await reference.open();
    await reference.useModel(MODEL, DIM);
    const { dir, gen } = copyOf('replaced');
    const refused: string[] = [];
    const ix = new SearchIndexes(env.store, {
      dir,
      approximateAbove: 50,
      checkOnRead: true,
      onSnapshotRefused: (file) => refused.push(file.split('/').pop() ?? ''),
    });
    ix.checkGraphAhead();
    await ix.open();
    // The worker's check has started (or ended) on the undamaged file; a damaged one takes its name (new inode).
    const graph = join(gen, 'vectors.bin.hnsw');
    const bytes = readFileSync(graph);
    bytes[200] = (bytes[200] ?? 0) ^ 0x10;
    writeFileSync(`${graph}.new`, bytes);
    renameSync(`${graph}.new`, graph);
    await ix.useModel(MODEL, DIM);
    expect(refused).toEqual(['vectors.bin']);
    expect(await vectorScores(ix)).toEqual(await vectorScores(reference));
  });
});

describe('VectorIndex.load with a checksum computed elsewhere', () => {
  it('uses it for the same file (a differing CRC refuses the graph) and reads a different file itself', () => {
    const file = join(good, 'vectors.bin');
    const st = statSync(`${file}.hnsw`);
    const right = fileChecksum(`${file}.hnsw`);
    const same = { dev: st.dev, ino: st.ino, size: st.size };
    const load = (graphChecksum: { dev: number; ino: number; size: number; crc: number }): void =>
      createVectorIndex({ dimension: DIM, approximateAbove: 50, model: MODEL }).load(file, { graphChecksum });
    expect(() => load({ ...same, crc: (right.crc + 1) >>> 0 })).toThrow(/damaged \(checksum\)/);
    expect(() => load({ ...same, crc: right.crc })).not.toThrow();
    // Another inode: the given CRC (wrong here) is not used, the file is read and found whole.
    expect(() => load({ ...same, ino: st.ino + 1, crc: (right.crc + 1) >>> 0 })).not.toThrow();
  });
});
