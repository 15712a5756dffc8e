// The saved HNSW graph rewritten in neighbourhood order: same answers through every way a graph is used again,
// and any file it does not know left exactly as it was.
import { spawnSync } from 'node:child_process';
import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRng } from '../../src/index/embedders/static/random.ts';
import {
  createVectorIndex,
  graphLinkSpan,
  relayoutGraphFile,
  type VectorIndex,
  type VectorIndexOptions,
} from '../../src/index/vectors/index.ts';

const dir = mkdtempSync(join(tmpdir(), 'paperboy-graph-layout-'));
/** A tmpfs of this many KiB: the 3,000-node test graph (about 590 KB) fits, a second copy does not. */
const FULL_KIB = 800;
const mnt = join(dir, 'full');
/** Why the disk-full case cannot mount its small filesystem here (not root, no tmpfs), or null when it can. */
const cannotMount = ((): string | null => {
  mkdirSync(mnt);
  const r = spawnSync('mount', ['-t', 'tmpfs', '-o', `size=${FULL_KIB}k`, 'tmpfs', mnt], {
    encoding: 'utf8',
  });
  if (r.error !== undefined) return `mount is not available: ${r.error.message}`;
  if (r.status !== 0) return `mounting a tmpfs was refused (needs root): ${r.stderr.trim()}`;
  return null;
})();
if (cannotMount !== null) console.log(`disk-full layout test skipped: ${cannotMount}`);
afterAll(() => {
  if (cannotMount === null) spawnSync('umount', [mnt]);
  rmSync(dir, { recursive: true, force: true });
});

const N = 3000;

/** A sidecar path in a folder of its own (made here, as a snapshot generation's is). */
function sidecar(name: string): string {
  mkdirSync(join(dir, name), { recursive: true });
  return join(dir, name, 'vectors.bin');
}

/** `n` unit vectors around 20 centres, in random order (as papers arrive), so a layout has neighbourhoods to find. */
function clustered(n: number, d: number, seed: number): [string, Float32Array][] {
  const rng = createRng(seed);
  const unit = (v: Float32Array): Float32Array => v.map((x) => x / Math.hypot(...v));
  const centres = Array.from({ length: 20 }, () =>
    unit(Float32Array.from({ length: d }, () => rng.normal())),
  );
  return Array.from({ length: n }, (_, i) => {
    const c = centres[rng.int(centres.length)]!;
    return [`p${i}`, unit(c.map((x) => x + 0.35 * rng.normal() * Math.sqrt(1 / d)))] as [
      string,
      Float32Array,
    ];
  });
}

function built(rows: [string, Float32Array][], opts: Partial<VectorIndexOptions> = {}): VectorIndex {
  const idx = createVectorIndex({ dimension: rows[0]![1].length, approximateAbove: 0, model: 'm', ...opts });
  idx.addMany(rows);
  return idx;
}

function loaded(path: string, d: number, opts: Partial<VectorIndexOptions> = {}): VectorIndex {
  const idx = createVectorIndex({ dimension: d, approximateAbove: 0, model: 'm', ...opts });
  idx.load(path);
  return idx;
}

/** Every answer of `idx` to `queries`: the reranked top 10 and HNSW's own top 10, ids and scores. */
function answers(idx: VectorIndex, queries: Float32Array[]): unknown[] {
  return queries.flatMap((q) => [idx.search(q, 10), idx.search(q, 10, undefined, { rerank: false })]);
}

describe('HNSW graph file in neighbourhood order', () => {
  const d = 48;
  const rows = clustered(N, d, 7);
  const queries = clustered(60, d, 99).map(([, v]) => v);
  const plain = sidecar('plain');
  const relaid = sidecar('relaid');
  let expected: unknown[];
  beforeAll(() => {
    const idx = built(rows);
    expect(idx.save(plain)).toBeNull();
    const progress: [number, number][] = [];
    const outcome = idx.save(relaid, {
      layout: { minNodes: 0, onProgress: (a, b) => progress.push([a, b]) },
    });
    expect(outcome).toMatchObject({ relaid: true, nodes: N });
    if (outcome?.relaid !== true) throw new Error('not relaid');
    // Level-0 links go from a fifth of the file (as built, 0.21 here) to a few per cent of it (0.054).
    expect(outcome.spanBefore).toBeGreaterThan(0.15);
    expect(outcome.spanAfter).toBeLessThan(0.1);
    expect(outcome.spanAfter).toBeLessThan(outcome.spanBefore / 3);
    expect(graphLinkSpan(`${relaid}.hnsw`)).toBe(outcome.spanAfter);
    // Progress only grows and ends at its total.
    expect(progress.length).toBeGreaterThan(3);
    progress.forEach(([a, b], i) => {
      expect(a).toBeLessThanOrEqual(b);
      if (i > 0) expect(a).toBeGreaterThanOrEqual(progress[i - 1]![0]);
    });
    expect(progress.at(-1)![0]).toBe(progress.at(-1)![1]);
    expected = answers(loaded(plain, d), queries);
  });

  it('is a permutation of the same file that a load maps and answers from exactly as before', () => {
    const a = readFileSync(`${plain}.hnsw`);
    const b = readFileSync(`${relaid}.hnsw`);
    expect(b.length).toBe(a.length);
    expect(b.equals(a)).toBe(false);
    // The sidecar records the relaid file's checksum (a load checks it before mapping).
    expect(answers(loaded(relaid, d), queries)).toEqual(expected);
    // The answers are good ones, not merely equal: most of the exact top 10 (the graph's own recall).
    const exact = built(rows, { approximateAbove: 1_000_000 });
    const idx = loaded(relaid, d);
    let found = 0;
    for (const q of queries) {
      const truth = new Set(exact.search(q, 10).map(([id]) => id));
      found += idx.search(q, 10).filter(([id]) => truth.has(id)).length;
    }
    expect(found / (10 * queries.length)).toBeGreaterThan(0.9);
  });

  it('keeps answering the same after additions and removals (the mapped graph read into memory)', () => {
    const edit = (idx: VectorIndex): unknown[] => {
      idx.add('fresh', queries[0]!);
      idx.remove('p5');
      idx.remove(idx.search(queries[1]!, 1)[0]![0]);
      return answers(idx, queries);
    };
    const fromPlain = edit(loaded(plain, d));
    const fromRelaid = edit(loaded(relaid, d));
    expect(fromRelaid).toEqual(fromPlain);
    expect((fromRelaid[0] as [string, number][])[0]![0]).toBe('fresh');
    expect(JSON.stringify(fromRelaid)).not.toContain('"p5"');
  });

  it('is adopted by a rebuild of the same rows, and saved again as it is', () => {
    const idx = createVectorIndex({ dimension: d, approximateAbove: 0, model: 'm' });
    idx.deferGraph();
    idx.addMany(rows);
    expect(idx.adoptGraph(relaid)).toBe(true);
    expect(answers(idx, queries)).toEqual(expected);
    // Saved once more with a layout asked: the adopted file is already local, so it is copied unchanged.
    const again = sidecar('again');
    expect(idx.save(again, { layout: { minNodes: 0 } })).toMatchObject({
      relaid: false,
      reason: 'already in neighbourhood order',
    });
    expect(readFileSync(`${again}.hnsw`).equals(readFileSync(`${relaid}.hnsw`))).toBe(true);
  });

  it('refuses a relaid file with a flipped byte at load (checksum)', () => {
    const bad = sidecar('flipped');
    copyDir(relaid, bad);
    const bytes = readFileSync(`${bad}.hnsw`);
    bytes[bytes.length - 7]! ^= 0x40;
    writeFileSync(`${bad}.hnsw`, bytes);
    expect(() => loaded(bad, d)).toThrow(/damaged \(checksum\)/);
  });

  it('leaves small graphs, and files of any other layout, exactly as they were', () => {
    const small = join(dir, 'small.hnsw');
    copyFileSync(`${plain}.hnsw`, small);
    expect(relayoutGraphFile(small)).toEqual({ relaid: false, reason: `only ${N} nodes` });
    const original = readFileSync(`${plain}.hnsw`);
    const headAt = 8 + N * d;
    const cases: [string, (b: Buffer) => Buffer, RegExp][] = [
      ['cut short', (b) => b.subarray(0, b.length - 100), /nodes end at byte \d+, the file at \d+/],
      ['no head', (b) => (b.write('xsearch', headAt, 'latin1'), b), /no usearch head/],
      ['other scalar', (b) => ((b[headAt + 14] = 12), b), /scalar kind 12/],
      ['wrong width', (b) => (b.writeUInt32LE(d + 1, 4), b), /vectors run past|no usearch head/],
      // A neighbour slot past the last node, found while the copy is written: the copy goes, the file stays.
      [
        'bad link',
        (b) => (b.writeUInt32LE(N + 5, lastNodeFirstLink(b, N, d)), b),
        /links to slot \d+ of 3000/,
      ],
    ];
    for (const [name, damage, reason] of cases) {
      const path = join(dir, `odd-${name.replace(' ', '-')}.hnsw`);
      const bytes = damage(Buffer.from(original));
      writeFileSync(path, bytes);
      const outcome = relayoutGraphFile(path, { minNodes: 0 });
      expect(outcome.relaid, name).toBe(false);
      if (outcome.relaid) continue;
      expect(outcome.reason, name).toMatch(/^unknown layout: /);
      expect(outcome.reason, name).toMatch(reason);
      expect(readFileSync(path).equals(bytes), name).toBe(true);
    }
    expect(readdirSync(dir).filter((f) => f.includes('.tmp'))).toEqual([]);
  });

  // A real small filesystem (tmpfs with a size limit, mounted by the test): room for the graph, not for a copy.
  it.skipIf(cannotMount !== null)(
    'leaves the file as it was when the disk fills while the copy is written',
    () => {
      const bytes = readFileSync(`${plain}.hnsw`);
      expect(bytes.length).toBeGreaterThan(FULL_KIB * 512);
      expect(bytes.length).toBeLessThan(FULL_KIB * 1024 - 64 * 1024);
      const path = join(mnt, 'vectors.bin.hnsw');
      writeFileSync(path, bytes);
      expect(relayoutGraphFile(path, { minNodes: 0 })).toEqual({
        relaid: false,
        reason: 'no room for the relaid copy (ENOSPC)',
      });
      expect(readFileSync(path).equals(bytes)).toBe(true);
      expect(readdirSync(mnt)).toEqual(['vectors.bin.hnsw']);
    },
  );

  it('lays out a graph of float32 rows and one of rows wider than a tree direction alike', () => {
    for (const [width, quantization] of [
      [48, 'f32'],
      [96, 'i8'],
    ] as const) {
      const many = clustered(2000, width, 3);
      const opts = { hnsw: { quantization } };
      const idx = built(many, opts);
      const a = sidecar(`w${width}-${quantization}-a`);
      const b = sidecar(`w${width}-${quantization}-b`);
      idx.save(a);
      expect(idx.save(b, { layout: { minNodes: 0 } })).toMatchObject({ relaid: true });
      const qs = clustered(30, width, 5).map(([, v]) => v);
      expect(answers(loaded(b, width, opts), qs)).toEqual(answers(loaded(a, width, opts), qs));
    }
  });
});

function copyDir(fromSidecar: string, toSidecar: string): void {
  mkdirSync(join(toSidecar, '..'), { recursive: true });
  copyFileSync(fromSidecar, toSidecar);
  copyFileSync(`${fromSidecar}.hnsw`, `${toSidecar}.hnsw`);
}

/** The byte offset of the first level-0 neighbour slot of the last node of a saved graph (usearch 2 layout). */
function lastNodeFirstLink(b: Buffer, n: number, d: number): number {
  const levelsAt = 8 + n * d + 64 + 40;
  const level = b.readInt16LE(levelsAt + 2 * (n - 1));
  return b.length - (10 + 4 + 4 * 32 + level * (4 + 4 * 16)) + 14;
}
