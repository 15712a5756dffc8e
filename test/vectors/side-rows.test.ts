// Changes to a vector index whose HNSW graph is mapped from a snapshot: the mapped graph stays as it is (reading it
// whole took 35 s and 3.4 GiB at 2.7M), added rows go to a side graph, removed ones are dropped from answers, and
// a save and load keep both.
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createRng } from '../../src/index/embedders/static/random.ts';
import { createVectorIndex, type VectorIndex } from '../../src/index/vectors/index.ts';

const dir = mkdtempSync(join(tmpdir(), 'paperboy-side-rows-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const D = 32;
const rng = createRng(17);
const unit = (): Float32Array => {
  const v = Float32Array.from({ length: D }, () => rng.normal());
  const n = Math.hypot(...v);
  return v.map((x) => x / n);
};

function sidecar(name: string): string {
  mkdirSync(join(dir, name), { recursive: true });
  return join(dir, name, 'vectors.bin');
}

/** The exact top 10 ids over what `idx` holds (its own decoded rows). */
function exactTop(idx: VectorIndex, ids: Iterable<string>, q: Float32Array): string[] {
  return [...ids]
    .map((id) => [id, idx.similarity(id, q)!] as const)
    .sort((a, b) => b[1] - a[1])
    .slice(0, 10)
    .map(([id]) => id);
}

/** Recall@10 of `x` against exact search over `ids` for `queries`. */
function recallOf(x: VectorIndex, ids: Set<string>, queries: Float32Array[]): number {
  let found = 0;
  for (const q of queries) {
    const truth = new Set(exactTop(x, ids, q));
    found += x.search(q, 10).filter(([id]) => truth.has(id)).length;
  }
  return found / (10 * queries.length);
}

describe('a mapped graph changed', () => {
  const base = Array.from({ length: 2000 }, (_, i) => [`p${i}`, unit()] as [string, Float32Array]);
  const first = sidecar('first');
  const built = createVectorIndex({ dimension: D, approximateAbove: 0, model: 'm' });
  built.addMany(base);
  built.save(first);
  const graphBytes = readFileSync(`${first}.hnsw`);
  const reads: string[] = [];
  const open = (path: string): VectorIndex => {
    const idx = createVectorIndex({
      dimension: D,
      approximateAbove: 0,
      model: 'm',
      onGraphRead: (file) => reads.push(file),
    });
    idx.load(path);
    return idx;
  };
  const live = new Set(base.map(([id]) => id));
  const idx = open(first);
  const added = Array.from({ length: 60 }, (_, i) => [`new${i}`, unit()] as [string, Float32Array]);
  idx.addMany(added.slice(0, 40));
  for (const [id, v] of added.slice(40)) idx.add(id, v);
  for (const [id] of added) live.add(id);
  for (let i = 0; i < 30; i++) {
    expect(idx.remove(`p${i * 7}`)).toBe(true);
    live.delete(`p${i * 7}`);
  }
  // Replaced rows: the old key stays dead in the mapped graph, the new one joins the side graph.
  const replaced = new Map(Array.from({ length: 10 }, (_, i) => [`p${i * 7 + 1}`, unit()] as const));
  for (const [id, v] of replaced) idx.add(id, v);
  const queries = Array.from({ length: 80 }, () => unit());

  it('keeps the graph mapped, answers over the changed rows, and never returns a removed one', () => {
    expect(reads).toEqual([]);
    expect(idx.size).toBe(live.size);
    expect(idx.mode).toBe('approximate');
    let found = 0;
    for (const q of queries) {
      const hits = idx.search(q, 10);
      expect(hits).toHaveLength(10);
      for (const [id, score] of hits) {
        expect(live.has(id), id).toBe(true);
        expect(score).toBeCloseTo(idx.similarity(id, q)!, 6);
      }
      const truth = new Set(exactTop(idx, live, q));
      found += hits.filter(([id]) => truth.has(id)).length;
      // HNSW's own top 10 (no rerank) holds only live rows too, and still ten of them (dead keys over-fetched).
      const own = idx.search(q, 10, undefined, { rerank: false });
      expect(own).toHaveLength(10);
      for (const [id] of own) expect(live.has(id)).toBe(true);
    }
    expect(found / (10 * queries.length)).toBeGreaterThan(0.9);
    // A new row and a replaced row are their own nearest neighbours.
    expect(idx.search(added[3]![1], 1)[0]![0]).toBe('new3');
    expect(idx.search(replaced.get('p8')!, 1)[0]![0]).toBe('p8');
    expect(readFileSync(`${first}.hnsw`).equals(graphBytes)).toBe(true);
  });

  it('is saved with the graph as it was and the rows outside it, and loads back answering the same', () => {
    const second = sidecar('second');
    idx.save(second);
    expect(readFileSync(`${second}.hnsw`).equals(graphBytes)).toBe(true);
    const again = open(second);
    expect(reads).toEqual([]);
    expect(again.size).toBe(live.size);
    // The side graph is built again from the stored rows: an approximate graph like the main one, so the answers
    // are checked against exact search, not against the first process's side graph.
    const recall = (x: VectorIndex, ids: Set<string>): number => recallOf(x, ids, queries);
    expect(recall(again, live)).toBeGreaterThan(0.9);
    for (const [id, v] of added) expect(again.search(v, 1)[0]![0]).toBe(id);
    // Changed again after the reload, and saved once more.
    again.add('newer', unit());
    again.remove('new5');
    const third = sidecar('third');
    again.save(third);
    const last = open(third);
    expect(last.has('newer')).toBe(true);
    expect(last.has('new5')).toBe(false);
    const lastLive = new Set([...live, 'newer']);
    lastLive.delete('new5');
    expect(last.size).toBe(lastLive.size);
    expect(recall(last, lastLive)).toBeGreaterThan(0.9);
    for (const q of queries) expect(last.search(q, 10).map(([id]) => id)).not.toContain('new5');
    expect(reads).toEqual([]);
  });

  it("still gives ten of HNSW's own candidates when many rows were removed (their keys dead in the graph)", () => {
    const pruned = open(first);
    for (let i = 0; i < 400; i++) pruned.remove(`p${i * 5}`);
    for (const q of queries) {
      const own = pruned.search(q, 10, undefined, { rerank: false });
      expect(own).toHaveLength(10);
      for (const [id] of own) expect(Number(id.slice(1)) % 5 === 0 && Number(id.slice(1)) < 2000).toBe(false);
    }
    expect(reads).toEqual([]);
  });

  it('is adopted with its side rows by a rebuild of the same rows, and not once the changes pass a tenth', () => {
    // Papers added while serving (the usual change: a harvest), saved, then a rebuild reading the same rows in the
    // same order (and so giving them the same keys).
    const saveWith = (name: string, extra: number): { path: string; rows: [string, Float32Array][] } => {
      const grown = open(first);
      const more = Array.from({ length: extra }, (_, i) => [`${name}${i}`, unit()] as [string, Float32Array]);
      grown.addMany(more);
      const path = sidecar(name);
      grown.save(path);
      return { path, rows: [...base, ...more].map(([id]) => [id, grown.get(id)!] as [string, Float32Array]) };
    };
    const rebuildFrom = (rows: [string, Float32Array][]): VectorIndex => {
      const rebuilt = createVectorIndex({ dimension: D, approximateAbove: 0, model: 'm' });
      rebuilt.deferGraph();
      rebuilt.addMany(rows);
      return rebuilt;
    };
    const small = saveWith('harvest', 150);
    const rebuilt = rebuildFrom(small.rows);
    expect(rebuilt.adoptGraph(small.path)).toBe(true);
    const ids = new Set(small.rows.map(([id]) => id));
    expect(recallOf(rebuilt, ids, queries)).toBeGreaterThan(0.9);
    for (const [id, v] of small.rows.slice(2000, 2020)) expect(rebuilt.search(v, 1)[0]![0]).toBe(id);
    // 250 added to 2,000: past a tenth, so the rebuild builds a graph over all of them instead.
    const large = saveWith('flood', 250);
    const fresh = rebuildFrom(large.rows);
    expect(fresh.adoptGraph(large.path)).toBe(false);
    expect(fresh.search(large.rows[2100]![1], 1)[0]![0]).toBe('flood100');
    expect(reads).toEqual([]);
  });
});
