// The vector index: exact answers while small, high recall once approximate, incremental edits, filters, save/load.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createVectorIndex, defaultExpansionSearch } from '../../src/index/vectors/index.ts';
import { createRng } from '../../src/index/embedders/static/random.ts';

const dir = mkdtempSync(join(tmpdir(), 'paperboy-vectors-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function randomUnit(d: number, rng: ReturnType<typeof createRng>): Float32Array {
  const v = Float32Array.from({ length: d }, () => rng.normal());
  const n = Math.hypot(...v);
  return v.map((x) => x / n);
}

/** Reference answer: sort everything by dot product (of the decoded vectors the index holds). */
function bruteForce(vecs: Map<string, Float32Array>, q: Float32Array, k: number): string[] {
  const dot = (a: Float32Array): number => a.reduce((s, x, i) => s + x * q[i]!, 0);
  return [...vecs]
    .map(([id, v]) => [id, dot(v)] as const)
    .sort((a, b) => b[1] - a[1])
    .slice(0, k)
    .map(([id]) => id);
}

/** Mean recall@10 of `idx` against brute force over `queries` random queries. */
function recallAt10(
  idx: ReturnType<typeof createVectorIndex>,
  vecs: Map<string, Float32Array>,
  rng: ReturnType<typeof createRng>,
  queries: number,
): number {
  let found = 0;
  for (let i = 0; i < queries; i++) {
    const q = randomUnit(idx.dimension, rng);
    const truth = new Set(bruteForce(vecs, q, 10));
    found += idx.search(q, 10).filter(([id]) => truth.has(id)).length;
  }
  return found / (10 * queries);
}

function fill(n: number, d: number, seed: number, approximateAbove: number) {
  const rng = createRng(seed);
  const idx = createVectorIndex({ dimension: d, approximateAbove, model: 'test-model' });
  const vecs = new Map<string, Float32Array>();
  for (let i = 0; i < n; i++) {
    idx.add(`p${i}`, randomUnit(d, rng));
    // The reference is what the index holds: each vector as decoded from its int8 codes.
    vecs.set(`p${i}`, idx.get(`p${i}`)!);
  }
  return { idx, vecs, rng };
}

describe('exact vector index', () => {
  it('returns the brute-force top k with cosine scores, and honours a filter', () => {
    const { idx, vecs, rng } = fill(300, 16, 1, 10_000);
    expect(idx.mode).toBe('exact');
    const q = randomUnit(16, rng);
    const hits = idx.search(q, 10);
    expect(hits.map(([id]) => id)).toEqual(bruteForce(vecs, q, 10));
    expect(hits[0]![1]).toBeGreaterThan(hits[9]![1]);
    const even = (id: string): boolean => Number(id.slice(1)) % 2 === 0;
    const evens = new Map([...vecs].filter(([id]) => even(id)));
    expect(idx.search(q, 5, even).map(([id]) => id)).toEqual(bruteForce(evens, q, 5));
  });

  it('gives the cosine of one stored vector in place, null for an unknown id or a wrong-length query', () => {
    const { idx, vecs, rng } = fill(20, 8, 7, 10_000);
    const q = randomUnit(8, rng);
    const v = vecs.get('p4')!;
    expect(idx.similarity('p4', q)).toBeCloseTo(
      v.reduce((s, x, i) => s + x * q[i]!, 0),
      6,
    );
    expect(idx.similarity('nope', q)).toBeNull();
    expect(idx.similarity('p4', new Float32Array(3))).toBeNull();
  });

  it('scores a batch exactly as one at a time (the same bits), unknown ids as null', () => {
    // 131 dims: SIMD groups of four and a scalar tail; the search results carry the same scores too.
    const { idx, rng } = fill(400, 131, 17, 100);
    const q = randomUnit(131, rng);
    const ids = ['p3', 'nope', 'p399', 'p0', 'p3'];
    const batch = idx.similarities(ids, q);
    expect(batch).toHaveLength(5);
    ids.forEach((id, i) => expect(Object.is(batch[i], idx.similarity(id, q)), id).toBe(true));
    expect(batch[1]).toBeNull();
    for (const [id, score] of idx.search(q, 20, undefined, { rerank: false }))
      expect(Object.is(score, idx.similarity(id, q)), id).toBe(true);
    expect(idx.similarities(['p3'], new Float32Array(3))).toEqual([null]);
  });

  it('adds, replaces and removes incrementally', () => {
    const { idx, rng } = fill(50, 8, 2, 10_000);
    const v = randomUnit(8, rng);
    idx.add('p3', v);
    expect(idx.size).toBe(50);
    expect(idx.search(v, 1)[0]![0]).toBe('p3');
    expect(idx.remove('p3')).toBe(true);
    expect(idx.remove('p3')).toBe(false);
    expect(idx.has('p3')).toBe(false);
    expect(idx.search(v, 50).map(([id]) => id)).not.toContain('p3');
    expect(idx.size).toBe(49);
    expect(() => idx.add('bad', new Float32Array(3))).toThrow(/3 dimensions; this index holds 8/);
  });
});

describe('approximate vector index', () => {
  const { idx, vecs, rng } = fill(4000, 32, 3, 1000);

  it('switches to HNSW above the threshold and keeps recall@10 >= 0.95', () => {
    expect(idx.mode).toBe('approximate');
    expect(recallAt10(idx, vecs, rng, 50)).toBeGreaterThanOrEqual(0.95);
  });

  it('without re-ranking, returns HNSW top k with exact cosines and still most of the true top k', () => {
    let found = 0;
    for (let i = 0; i < 50; i++) {
      const q = randomUnit(32, rng);
      const truth = new Set(bruteForce(vecs, q, 50));
      const hits = idx.search(q, 50, undefined, { rerank: false });
      expect(hits).toHaveLength(50);
      for (const [id, score] of hits) {
        const v = vecs.get(id)!;
        expect(score).toBeCloseTo(
          v.reduce((s, x, j) => s + x * q[j]!, 0),
          5,
        );
      }
      found += hits.filter(([id]) => truth.has(id)).length;
    }
    expect(found / 2500).toBeGreaterThanOrEqual(0.9);
  });

  it('filters without losing results, even when the filter is very selective', () => {
    const q = randomUnit(32, rng);
    const rare = (id: string): boolean => Number(id.slice(1)) % 97 === 0;
    const hits = idx.search(q, 5, rare);
    expect(hits.every(([id]) => rare(id))).toBe(true);
    expect(hits.map(([id]) => id)).toEqual(bruteForce(new Map([...vecs].filter(([id]) => rare(id))), q, 5));
  });

  it('sees removals and additions at once', () => {
    const q = randomUnit(32, rng);
    const [top] = idx.search(q, 1);
    idx.remove(top![0]);
    expect(idx.search(q, 10).map(([id]) => id)).not.toContain(top![0]);
    idx.add('fresh', q);
    expect(idx.search(q, 1)[0]![0]).toBe('fresh');
    idx.remove('fresh');
    idx.add(top![0], vecs.get(top![0])!);
  });

  it('saves and loads without a rebuild, answering identically', () => {
    const path = join(dir, 'approx.vec');
    idx.save(path);
    expect(existsSync(`${path}.hnsw`)).toBe(true);
    const again = createVectorIndex({ dimension: 32, approximateAbove: 1000, model: 'test-model' });
    again.load(path);
    expect(again.size).toBe(idx.size);
    expect(again.mode).toBe('approximate');
    const q = randomUnit(32, rng);
    expect(again.search(q, 10)).toEqual(idx.search(q, 10));
    expect(again.get('p7')).toEqual(idx.get('p7'));
    const other = createVectorIndex({ dimension: 32, model: 'another-model' });
    expect(() => other.load(path)).toThrow(/reindex/);
  });
});

describe('bulk adds', () => {
  it('loads page by page into reserved room, crossing the HNSW threshold, with the same answers', () => {
    const rng = createRng(12);
    const idx = createVectorIndex({ dimension: 16, approximateAbove: 500 });
    idx.reserve(1500);
    const vecs = new Map<string, Float32Array>();
    for (let page = 0; page < 6; page++) {
      const rows = Array.from({ length: 250 }, (_, i) => [`q${page}-${i}`, randomUnit(16, rng)] as const);
      for (const [id, v] of rows) vecs.set(id, v);
      idx.addMany(rows);
    }
    expect(idx.size).toBe(1500);
    expect(idx.mode).toBe('approximate');
    expect(recallAt10(idx, vecs, rng, 20)).toBeGreaterThanOrEqual(0.95);
  });

  it('builds the graph once when a bulk add crosses the threshold, then extends it', () => {
    const rng = createRng(5);
    const idx = createVectorIndex({ dimension: 16, approximateAbove: 200 });
    const first = Array.from({ length: 300 }, (_, i) => [`a${i}`, randomUnit(16, rng)] as const);
    idx.addMany(first);
    expect(idx.mode).toBe('approximate');
    const more = Array.from({ length: 100 }, (_, i) => [`b${i}`, randomUnit(16, rng)] as const);
    idx.addMany([...more, ['a0', more[0]![1]]]);
    expect(idx.size).toBe(400);
    const top = idx.search(more[0]![1], 2).map(([id]) => id);
    expect(top.sort()).toEqual(['a0', 'b0']);
  });
});

describe('exact index persistence', () => {
  it('round-trips through the sidecar and drops a stale graph file', () => {
    const { idx, rng } = fill(100, 8, 4, 10_000);
    const path = join(dir, 'exact.vec');
    idx.save(path);
    expect(existsSync(`${path}.hnsw`)).toBe(false);
    const again = createVectorIndex({ dimension: 8 });
    again.load(path);
    const q = randomUnit(8, rng);
    expect(again.search(q, 7)).toEqual(idx.search(q, 7));
    expect(() => again.load(join(dir, 'missing.vec'))).toThrow(/reindex/);
  });

  it('keeps working after a load (the loaded rows are taken over, then grow), and saves again', () => {
    const { idx, vecs, rng } = fill(60, 8, 5, 10_000);
    const path = join(dir, 'grow.vec');
    idx.save(path);
    const again = createVectorIndex({ dimension: 8 });
    again.load(path);
    for (let i = 0; i < 2000; i++) {
      again.add(`n${i}`, randomUnit(8, rng));
      vecs.set(`n${i}`, again.get(`n${i}`)!);
    }
    again.remove('p0');
    vecs.delete('p0');
    const q = randomUnit(8, rng);
    expect(again.search(q, 10).map(([id]) => id)).toEqual(bruteForce(vecs, q, 10));
    again.save(path);
    const third = createVectorIndex({ dimension: 8 });
    third.load(path);
    expect(third.size).toBe(vecs.size);
    expect(third.search(q, 10)).toEqual(again.search(q, 10));
  });

  it('refuses a truncated or foreign file with a hint to reindex', () => {
    const { idx } = fill(30, 8, 6, 10_000);
    const path = join(dir, 'cut.vec');
    idx.save(path);
    const whole = readFileSync(path);
    const fresh = createVectorIndex({ dimension: 8 });
    for (const bytes of [
      whole.subarray(0, whole.length - 5),
      whole.subarray(0, 20),
      Buffer.from('not a vector file'),
    ]) {
      writeFileSync(path, bytes);
      expect(() => fresh.load(path)).toThrow(/not a complete vector index file; run `paperboy reindex`/);
    }
    expect(fresh.size).toBe(0);
  });
});

describe('deferred graph (bulk rebuilds)', () => {
  const rng = createRng(23);
  const rows = Array.from({ length: 3000 }, (_, i) => [`r${i}`, randomUnit(24, rng)] as const);
  const path = join(dir, 'deferred.vec');

  it('builds the graph once at the first search, with the default settings at recall@10 >= 0.97', () => {
    const idx = createVectorIndex({ dimension: 24, approximateAbove: 500, model: 'test-model' });
    idx.deferGraph();
    idx.addMany(rows);
    expect(idx.mode).toBe('approximate');
    const vecs = new Map(rows.map(([id]) => [id, idx.get(id)!] as const));
    expect(recallAt10(idx, vecs, createRng(7), 100)).toBeGreaterThanOrEqual(0.97);
    idx.save(path);
    expect(existsSync(`${path}.hnsw`)).toBe(true);
  });

  it('adopts the saved graph when the rebuilt rows are exactly the saved ones', () => {
    const idx = createVectorIndex({ dimension: 24, approximateAbove: 500, model: 'test-model' });
    idx.deferGraph();
    idx.addMany(rows);
    expect(idx.adoptGraph(path)).toBe(true);
    const saved = createVectorIndex({ dimension: 24, approximateAbove: 500, model: 'test-model' });
    saved.load(path);
    const q = randomUnit(24, rng);
    expect(idx.search(q, 10)).toEqual(saved.search(q, 10));
    expect(idx.adoptGraph(path)).toBe(false); // a graph is there now
  });

  it('refuses the saved graph when one row, the order or the graph file differs', () => {
    const changed = createVectorIndex({ dimension: 24, approximateAbove: 500, model: 'test-model' });
    changed.deferGraph();
    changed.addMany(rows.map(([id, v], i) => [id, i === 1234 ? randomUnit(24, rng) : v] as const));
    expect(changed.adoptGraph(path)).toBe(false);
    const reordered = createVectorIndex({ dimension: 24, approximateAbove: 500, model: 'test-model' });
    reordered.deferGraph();
    reordered.addMany([...rows].reverse());
    expect(reordered.adoptGraph(path)).toBe(false);
    const otherModel = createVectorIndex({ dimension: 24, approximateAbove: 500, model: 'other-model' });
    otherModel.deferGraph();
    otherModel.addMany(rows);
    expect(otherModel.adoptGraph(path)).toBe(false);

    const bytes = readFileSync(`${path}.hnsw`);
    bytes[bytes.length - 100] = bytes[bytes.length - 100]! ^ 0xff;
    writeFileSync(`${path}.hnsw`, bytes);
    const damaged = createVectorIndex({ dimension: 24, approximateAbove: 500, model: 'test-model' });
    damaged.deferGraph();
    damaged.addMany(rows);
    expect(damaged.adoptGraph(path)).toBe(false);
    // It then builds its own graph and answers as well as ever.
    const vecs = new Map(rows.map(([id]) => [id, damaged.get(id)!] as const));
    expect(recallAt10(damaged, vecs, createRng(8), 50)).toBeGreaterThanOrEqual(0.97);
  });
});

describe('HNSW search breadth', () => {
  it('widens the candidate list above a million vectors, where ef 128 fell to 0.972 recall at 2.7M', () => {
    expect(defaultExpansionSearch(300_000)).toBe(128);
    expect(defaultExpansionSearch(1_000_000)).toBe(128);
    expect(defaultExpansionSearch(1_000_001)).toBe(192);
    expect(defaultExpansionSearch(2_700_000)).toBe(192);
  });
});
