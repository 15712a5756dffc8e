// Vector rows of a loaded sidecar stay in the file (#23): read as scored, never copied into the heap, same answers.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createRng } from '../../src/index/embedders/static/random.ts';
import { randomUnit } from '../helpers/random-vectors.ts';
import { createVectorIndex, type VectorIndex } from '../../src/index/vectors/index.ts';
import { numberFromGcScript, vectorHeldScript } from '../helpers/gc-script.ts';

const dir = mkdtempSync(join(tmpdir(), 'paperboy-paged-rows-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function built(n: number, d: number, seed: number, approximateAbove: number): VectorIndex {
  const rng = createRng(seed);
  const idx = createVectorIndex({ dimension: d, approximateAbove, model: 'toy' });
  idx.addMany(Array.from({ length: n }, (_, i) => [`p${i}`, randomUnit(d, rng)] as const));
  return idx;
}

function sectionOffset(path: string, section: string): number {
  const bytes = readFileSync(path);
  const header = JSON.parse(bytes.toString('utf8', 16, 16 + bytes.readUInt32LE(8))) as {
    sections: Record<string, [number, number, number]>;
  };
  return header.sections[section]![0];
}

describe('a loaded sidecar', () => {
  it('answers exact scans, filters, lookups and batches as the index it was saved from, rows left in the file', () => {
    const idx = built(5000, 24, 7, 100_000);
    const path = join(dir, 'exact.bin');
    idx.save(path);
    const loaded = createVectorIndex({ dimension: 24, approximateAbove: 100_000, model: 'toy' });
    loaded.load(path);
    expect(loaded.readAhead(1 << 20)).toBe(false);
    const rng = createRng(8);
    const ids = ['p3', 'p4999', 'nope', 'p1234'];
    for (let i = 0; i < 20; i++) {
      const q = randomUnit(24, rng);
      expect(loaded.search(q, 10)).toEqual(idx.search(q, 10));
      const even = (id: string): boolean => Number(id.slice(1)) % 2 === 0;
      expect(loaded.search(q, 7, even)).toEqual(idx.search(q, 7, even));
      expect(loaded.similarities(ids, q)).toEqual(idx.similarities(ids, q));
    }
    expect(loaded.get('p42')).toEqual(idx.get('p42'));
    const out = new Float32Array(48);
    expect(loaded.copyTo('p7', out, 24)).toBe(true);
    expect(out.subarray(24)).toEqual(idx.get('p7'));
    // A change keeps the rows in the file (test/vectors/row-overlay.test.ts) and answers as the index in memory.
    const extra = randomUnit(24, rng);
    loaded.add('new', extra);
    idx.add('new', extra);
    loaded.remove('p10');
    idx.remove('p10');
    expect(loaded.search(extra, 10)).toEqual(idx.search(extra, 10));
  });

  it('answers approximate searches as the saved index, holding no copy of the rows in memory', () => {
    const n = 6000;
    const d = 512; // 3 MB of int8 rows
    const idx = built(n, d, 9, 1000);
    const path = join(dir, 'approximate.bin');
    idx.save(path);
    const queries = Array.from({ length: 30 }, (_, i) => idx.get(`p${i * 200}`)!);
    const expected = queries.map((q) => idx.search(q, 10));
    const loaded = createVectorIndex({ dimension: d, approximateAbove: 1000, model: 'toy' });
    loaded.load(path);
    while (loaded.readAhead(1 << 20));
    expect(loaded.mode).toBe('approximate');
    expect(queries.map((q) => loaded.search(q, 10))).toEqual(expected);
    const all = Array.from({ length: n }, (_, i) => `p${i}`);
    expect(loaded.similarities(all, queries[0]!)).toEqual(idx.similarities(all, queries[0]!));
    // What a fresh process holds in array buffers once it has loaded the file, read it ahead as serve does and
    // scored every row: ids, keys and scales (about 30 B a row), not the 512 B a row of codes.
    const grown = numberFromGcScript(
      vectorHeldScript(path, d, `idx.search(q, 10); idx.search(q, 10, (id) => id.endsWith('7'));`),
    );
    expect(grown).toBeGreaterThan(0);
    expect(grown).toBeLessThan(n * 128);
  });

  it('checks a row block read after an unverified open, and reports the damage instead of scoring it', () => {
    const idx = built(3000, 32, 11, 100_000);
    const path = join(dir, 'damaged.bin');
    idx.save(path);
    const bytes = readFileSync(path);
    // A byte in the second 64 KiB block of rows (rows 2048 and on), so rows of the first block still answer.
    const at = sectionOffset(path, 'rows') + (1 << 16) + 100;
    bytes[at] = bytes[at]! ^ 0x55;
    writeFileSync(path, bytes);
    expect(() => createVectorIndex({ dimension: 32, model: 'toy' }).load(path)).toThrow(/reindex/);
    const damage: string[] = [];
    const loaded = createVectorIndex({ dimension: 32, approximateAbove: 100_000, model: 'toy' });
    loaded.load(path, { verify: false, onDamage: (err) => damage.push(err.message) });
    const q = idx.get('p5')!;
    expect(loaded.similarity('p5', q)).toBe(idx.similarity('p5', q));
    expect(damage).toEqual([]);
    expect(() => loaded.similarity('p2100', q)).toThrow(/checksum of block 1/);
    expect(damage).toEqual([expect.stringMatching(/checksum of block 1/)]);
    expect(() => loaded.search(q, 5)).toThrow(/checksum of block 1/);
  });
});
