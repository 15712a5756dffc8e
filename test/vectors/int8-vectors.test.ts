// int8 vector rows: coding error bounds, exact rescoring order, recall against float search, old sidecars rebuilt.
import { copyFileSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createRng } from '../../src/index/embedders/static/random.ts';
import { randomUnit } from '../helpers/random-vectors.ts';
import { createVectorIndex } from '../../src/index/vectors/index.ts';
import { dequantizeRow, int8Dot, quantizeRow } from '../../src/index/vectors/int8-rows.ts';
import { sidecarOutdated } from '../../src/index/vectors/sidecar-file.ts';

const dir = mkdtempSync(join(tmpdir(), 'paperboy-int8-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const dot = (a: Float32Array, b: Float32Array): number => a.reduce((s, x, i) => s + x * b[i]!, 0);

describe('int8 coding of a row', () => {
  it('decodes every component within half a step, and scores within sqrt(d) half-steps of float', () => {
    const rng = createRng(11);
    for (const d of [7, 64, 256]) {
      for (let t = 0; t < 50; t++) {
        const v = randomUnit(d, rng);
        const q = randomUnit(d, rng);
        const codes = new Int8Array(d + 3);
        const scale = quantizeRow(v, codes, 3);
        const max = Math.max(...v.map(Math.abs));
        expect(scale).toBeCloseTo(max / 127, 7);
        expect(Math.max(...codes.map(Math.abs))).toBe(127);
        const back = new Float32Array(d);
        dequantizeRow(codes, 3, scale, d, back, 0);
        v.forEach((x, i) => expect(Math.abs(x - back[i]!)).toBeLessThanOrEqual(scale / 2 + 1e-7));
        // |q·v - q·v̂| ≤ |q| |v - v̂| ≤ sqrt(d) · scale / 2 for a unit query.
        const score = int8Dot(q, codes, 3, scale, d);
        expect(Math.abs(score - dot(q, v))).toBeLessThanOrEqual((Math.sqrt(d) * scale) / 2);
        expect(score).toBeCloseTo(dot(q, back), 6);
      }
    }
  });

  it('codes a zero vector as zeros with scale 0 (every score 0, never NaN)', () => {
    const codes = new Int8Array(4).fill(9);
    expect(quantizeRow(new Float32Array(4), codes, 0)).toBe(0);
    expect([...codes]).toEqual([0, 0, 0, 0]);
    expect(int8Dot(Float32Array.from([1, 2, 3, 4]), codes, 0, 0, 4)).toBe(0);
  });
});

describe('approximate search over int8 rows', () => {
  it('rescores candidates so the returned top k is the exact top k of the stored rows, in order', () => {
    const rng = createRng(21);
    const graph = createVectorIndex({ dimension: 32, approximateAbove: 0 });
    const exact = createVectorIndex({ dimension: 32, approximateAbove: Number.MAX_SAFE_INTEGER });
    for (let i = 0; i < 500; i++) {
      const v = randomUnit(32, rng);
      graph.add(`p${i}`, v);
      exact.add(`p${i}`, v);
    }
    expect(graph.mode).toBe('approximate');
    for (let t = 0; t < 20; t++) {
      const q = randomUnit(32, rng);
      expect(graph.search(q, 10)).toEqual(exact.search(q, 10));
    }
  });

  it('keeps recall@10 >= 0.95 against exact float search on random vectors', () => {
    const rng = createRng(31);
    const d = 64;
    const idx = createVectorIndex({ dimension: d, approximateAbove: 0 });
    const floats: Array<[string, Float32Array]> = [];
    for (let i = 0; i < 3000; i++) floats.push([`p${i}`, randomUnit(d, rng)]);
    idx.addMany(floats);
    let found = 0;
    const queries = 50;
    for (let t = 0; t < queries; t++) {
      const q = randomUnit(d, rng);
      const truth = new Set(
        floats
          .map(([id, v]) => [id, dot(q, v)] as const)
          .sort((a, b) => b[1] - a[1])
          .slice(0, 10)
          .map(([id]) => id),
      );
      found += idx.search(q, 10).filter(([id]) => truth.has(id)).length;
    }
    expect(found / (10 * queries)).toBeGreaterThanOrEqual(0.95);
  });
});

describe('the int8 sidecar (format 3)', () => {
  const fixture = join(import.meta.dirname, '../fixtures/vectors-v2');
  /** The 40 float vectors the format-2 fixture was written from (same seed, same order). */
  const fixtureVectors = (): Float32Array[] => {
    const rng = createRng(42);
    return Array.from({ length: 40 }, () => randomUnit(8, rng));
  };

  it('reads a format-2 (float32) file, codes it, marks it outdated, and saves it as format 3, smaller', () => {
    const path = join(dir, 'v2.bin');
    for (const f of ['vectors.bin', 'vectors.bin.hnsw'])
      copyFileSync(join(fixture, f), join(dir, f.replace('vectors', 'v2')));
    expect(sidecarOutdated(path)).toBe(true);
    const idx = createVectorIndex({ dimension: 8, approximateAbove: 10, model: 'toy-v2' });
    idx.load(path);
    expect(idx.size).toBe(40);
    expect(idx.mode).toBe('approximate');
    const vecs = fixtureVectors();
    vecs.forEach((v, i) => {
      expect(idx.search(v, 1)[0]?.[0]).toBe(`p${i}`);
      expect(Math.abs(idx.similarity(`p${i}`, v)! - 1)).toBeLessThan(Math.sqrt(8) / 254);
    });
    const before = statSync(path).size;
    idx.save(path);
    expect(readFileSync(path).toString('ascii', 0, 8)).toBe('PBVECS03');
    expect(sidecarOutdated(path)).toBe(false);
    expect(statSync(path).size).toBeLessThan(before);
    const again = createVectorIndex({ dimension: 8, approximateAbove: 10, model: 'toy-v2' });
    again.load(path);
    vecs.forEach((v) => expect(again.search(v, 5)).toEqual(idx.search(v, 5)));
  });

  it('refuses a file whose scales were changed (checksum), with a hint to reindex', () => {
    const rng = createRng(51);
    const idx = createVectorIndex({ dimension: 16 });
    for (let i = 0; i < 50; i++) idx.add(`p${i}`, randomUnit(16, rng));
    const path = join(dir, 'scales.bin');
    idx.save(path);
    const bytes = readFileSync(path);
    const header = JSON.parse(bytes.toString('utf8', 16, 16 + bytes.readUInt32LE(8))) as {
      sections: Record<string, [number, number, number]>;
    };
    const [at] = header.sections.scales!;
    bytes[at + 5] = bytes[at + 5]! ^ 0x40;
    writeFileSync(path, bytes);
    expect(() => createVectorIndex({ dimension: 16 }).load(path)).toThrow(/reindex/);
  });
});
