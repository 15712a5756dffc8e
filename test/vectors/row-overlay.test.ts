// Rows read in place from a sidecar stay there through changes (#23): rows added since sit beside the file, removed
// ones are masked, a save streams file rows and changes into the new file and goes on reading from it. Before, the
// first change read every row into the heap (21 s and 1.6 GiB at 2.7M papers).
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createRng } from '../../src/index/embedders/static/random.ts';
import { packKept, packStrings, StringTable } from '../../src/index/string-table.ts';
import { openSidecar, type OpenedSidecar } from '../../src/index/vectors/sidecar-file.ts';
import { createVectorStore } from '../../src/index/vectors/vector-store.ts';
import { createVectorIndex, writeRowsRewrite, type VectorIndex } from '../../src/index/vectors/index.ts';
import { randomUnit, type Rng } from '../helpers/random-vectors.ts';
import { numberFromGcScript, vectorHeldScript } from '../helpers/gc-script.ts';

const dir = mkdtempSync(join(tmpdir(), 'paperboy-row-overlay-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** An empty index of the toy model; files whose rows or graph it reads whole are pushed to `reads`. */
function toyIndex(
  d: number,
  approximateAbove: number,
  reads: { rows?: string[]; graph?: string[] } = {},
): VectorIndex {
  return createVectorIndex({
    dimension: d,
    approximateAbove,
    model: 'toy',
    ...(reads.rows !== undefined ? { onRowsRead: (file: string) => reads.rows?.push(file) } : {}),
    ...(reads.graph !== undefined ? { onGraphRead: (file: string) => reads.graph?.push(file) } : {}),
  });
}

function built(n: number, d: number, rng: Rng, approximateAbove: number): VectorIndex {
  const idx = toyIndex(d, approximateAbove);
  idx.addMany(Array.from({ length: n }, (_, i) => [`p${i}`, randomUnit(d, rng)] as const));
  return idx;
}

function opened(path: string): OpenedSidecar {
  const file = openSidecar(path);
  if (file.kind !== 'opened') throw new Error('expected a format-3 sidecar');
  return file.opened;
}

/** The same changes on two indexes: adds, replacements of saved and of added rows, removals of both, re-adds. */
function change(indexes: VectorIndex[], d: number, rng: Rng): void {
  const ops: [string, string, Float32Array | null][] = [];
  for (let i = 0; i < 40; i++) ops.push(['add', `new${i}`, randomUnit(d, rng)]);
  for (let i = 0; i < 15; i++) ops.push(['add', `p${i * 7}`, randomUnit(d, rng)]); // replaces saved rows
  for (let i = 0; i < 5; i++) ops.push(['add', `new${i * 3}`, randomUnit(d, rng)]); // replaces added rows
  for (let i = 0; i < 20; i++) ops.push(['remove', `p${i * 11 + 1}`, null]);
  for (let i = 0; i < 6; i++) ops.push(['remove', `new${i * 5 + 1}`, null]);
  ops.push(['remove', 'p7', null], ['add', 'p11', randomUnit(d, rng)], ['remove', 'absent', null]);
  ops.push(['add', 'p12', randomUnit(d, rng)], ['remove', 'p12', null], ['add', 'p12', randomUnit(d, rng)]);
  for (const idx of indexes)
    for (const [op, id, vec] of ops) {
      if (op === 'add') idx.add(id, vec!);
      else idx.remove(id);
    }
}

describe('rows read in place, changed', () => {
  it('answer every lookup, score and exact search as the same rows changed in memory, none read into the heap', () => {
    const d = 24;
    const rng = createRng(31);
    const idx = built(3000, d, rng, 100_000);
    const path = join(dir, 'exact.bin');
    idx.save(path);
    const rowsRead: string[] = [];
    const loaded = toyIndex(d, 100_000, { rows: rowsRead });
    loaded.load(path);
    change([idx, loaded], d, rng);
    expect(loaded.size).toBe(idx.size);
    expect(loaded.pagedSections()).toHaveLength(1); // still read from the file
    const ids = ['p0', 'p7', 'p11', 'p12', 'p14', 'p12', 'new0', 'new1', 'new3', 'new39', 'p2', 'absent'];
    for (const id of ids) {
      expect(loaded.has(id), id).toBe(idx.has(id));
      expect(loaded.get(id), id).toEqual(idx.get(id));
    }
    const even = (id: string): boolean => id.length % 2 === 0;
    for (let i = 0; i < 20; i++) {
      const q = i % 2 === 0 ? randomUnit(d, rng) : (idx.get(`new${i}`) ?? randomUnit(d, rng));
      expect(loaded.search(q, 10)).toEqual(idx.search(q, 10));
      expect(loaded.search(q, 7, even)).toEqual(idx.search(q, 7, even));
      expect(loaded.similarities(ids, q)).toEqual(idx.similarities(ids, q));
    }
    expect(rowsRead).toEqual([]);
  });

  it('keep an approximate index on its mapped graph and file rows, save them streamed, and go on from the new file', () => {
    const d = 32;
    const rng = createRng(32);
    const idx = built(4000, d, rng, 500);
    const first = join(dir, 'approx-1.bin');
    idx.save(first);
    const rowsRead: string[] = [];
    const graphRead: string[] = [];
    const make = (): VectorIndex => toyIndex(d, 500, { rows: rowsRead, graph: graphRead });
    const loaded = make();
    loaded.load(first);
    change([idx, loaded], d, rng);
    const queryIds = [
      ...Array.from({ length: 10 }, (_, i) => `new${i * 4 + 2}`),
      ...Array.from({ length: 20 }, (_, i) => `p${i * 97 + 300}`),
    ];
    const queries = queryIds.filter((id) => idx.has(id)).map((id) => idx.get(id)!);
    expect(queries.length).toBeGreaterThan(25);
    const recall = (a: VectorIndex): string[][] => queries.map((q) => a.search(q, 10).map(([id]) => id));
    // Exact truth from the in-memory copy: the changed rows are found, removed ones never come back.
    const live = [
      ...Array.from({ length: 4000 }, (_, i) => `p${i}`),
      ...Array.from({ length: 40 }, (_, i) => `new${i}`),
    ];
    const truth = queries.map((q) => {
      const scores = idx.similarities(live, q);
      return live
        .map((id, i) => [id, scores[i]] as const)
        .filter(([, s]) => s !== null)
        .sort((a, b) => b[1]! - a[1]!)
        .slice(0, 10)
        .map(([id]) => id);
    });
    const found = recall(loaded);
    const hit = found.reduce((s, got, i) => s + got.filter((id) => truth[i]!.includes(id)).length, 0);
    expect(hit / (10 * queries.length)).toBeGreaterThan(0.9);
    for (const got of found) for (const id of got) expect(idx.has(id), id).toBe(true);
    // Saved: the new file is read in place from now on (the old one can go), answering as before the save.
    const second = join(dir, 'approx-2.bin');
    loaded.save(second);
    expect(loaded.pagedSections()[0]?.place.file).toBe(second);
    rmSync(first);
    rmSync(`${first}.hnsw`);
    expect(recall(loaded)).toEqual(found);
    // A fresh process's view of it: the same rows slot by slot as the in-memory copy would save, same answers.
    const again = make();
    again.load(second);
    expect(again.size).toBe(idx.size);
    expect(recall(again)).toEqual(found);
    const all = live;
    expect(again.similarities(all, queries[0]!)).toEqual(idx.similarities(all, queries[0]!));
    // Changed again and saved again, from the second file.
    change([idx, again], d, createRng(33));
    const third = join(dir, 'approx-3.bin');
    again.save(third);
    const last = make();
    last.load(third);
    expect(last.similarities(all, queries[1]!)).toEqual(idx.similarities(all, queries[1]!));
    expect(rowsRead).toEqual([]);
    expect(graphRead).toEqual([]);
  });

  it('save a mapped graph as a link to its file, and save again once the generation it came from is pruned', () => {
    const d = 32;
    const rng = createRng(34);
    const gens = [0, 1, 2].map((g) => join(dir, `gen-${g}`));
    for (const g of gens) mkdirSync(g);
    const file = (g: number): string => join(gens[g]!, 'vectors.bin');
    built(3000, d, rng, 500).save(file(0));
    const graphRead: string[] = [];
    const make = (): VectorIndex => toyIndex(d, 500, { graph: graphRead });
    const loaded = make();
    loaded.load(file(0));
    const queries = Array.from({ length: 20 }, () => randomUnit(d, rng));
    const answers = (a: VectorIndex): string[][] => queries.map((q) => a.search(q, 10).map(([id]) => id));
    loaded.add('late-1', randomUnit(d, rng));
    loaded.save(file(1));
    // The same graph file, linked: no second copy on disk.
    expect(statSync(`${file(1)}.hnsw`).ino).toBe(statSync(`${file(0)}.hnsw`).ino);
    // Serve's snapshot folder keeps a few generations: the one the graph was mapped from is removed in time.
    rmSync(gens[0]!, { recursive: true });
    loaded.add('late-2', randomUnit(d, rng));
    loaded.remove('p5');
    const before = answers(loaded);
    loaded.save(file(2));
    expect(statSync(`${file(2)}.hnsw`).ino).toBe(statSync(`${file(1)}.hnsw`).ino);
    const again = make();
    again.load(file(2));
    expect(again.size).toBe(loaded.size);
    expect(answers(again)).toEqual(before);
    expect(again.has('late-2') && !again.has('p5')).toBe(true);
    expect(graphRead).toEqual([]);
    // A save that lays the graph file out again (a bulk save) writes a new file: a later save links that one, with
    // its own checksum, and a fresh load maps it (a wrong checksum would refuse the graph and rebuild it).
    const refused: string[] = [];
    const g3 = join(dir, 'gen-3');
    const g4 = join(dir, 'gen-4');
    mkdirSync(g3);
    mkdirSync(g4);
    loaded.save(join(g3, 'vectors.bin'), { layout: { minNodes: 0 } });
    expect(statSync(join(g3, 'vectors.bin.hnsw')).ino).not.toBe(statSync(`${file(2)}.hnsw`).ino);
    loaded.add('late-3', randomUnit(d, rng));
    loaded.save(join(g4, 'vectors.bin'));
    expect(statSync(join(g4, 'vectors.bin.hnsw')).ino).toBe(statSync(join(g3, 'vectors.bin.hnsw')).ino);
    const last = toyIndex(d, 500, { graph: refused });
    last.load(join(g4, 'vectors.bin'));
    expect(last.mode).toBe('approximate');
    expect(answers(last)).toEqual(answers(loaded));
    expect(refused).toEqual([]);
  });

  it('save rows unchanged since they were loaded or written as a link to their file, and write them once changed', () => {
    const d = 32;
    const rng = createRng(36);
    const gens = [0, 1, 2, 3, 4].map((g) => join(dir, `link-${g}`));
    for (const g of gens) mkdirSync(g);
    const file = (g: number): string => join(gens[g]!, 'vectors.bin');
    const ino = (path: string): number => statSync(path).ino;
    built(3000, d, rng, 500).save(file(0));
    const loaded = toyIndex(d, 500);
    loaded.load(file(0));
    const queries = Array.from({ length: 20 }, () => randomUnit(d, rng));
    const answers = (a: VectorIndex): string[][] => queries.map((q) => a.search(q, 10).map(([id]) => id));
    // Nothing changed since the load: the rows file and the graph file are links of the loaded ones.
    expect(loaded.save(file(1))).toBeNull();
    expect(ino(file(1))).toBe(ino(file(0)));
    expect(ino(`${file(1)}.hnsw`)).toBe(ino(`${file(0)}.hnsw`));
    // Its generation pruned, the next unchanged save links from the newer name.
    rmSync(gens[0]!, { recursive: true });
    loaded.save(file(2));
    expect(ino(file(2))).toBe(ino(file(1)));
    const again = toyIndex(d, 500);
    again.load(file(2));
    expect(answers(again)).toEqual(answers(loaded));
    // A change: the rows are written anew; unchanged after that write, the next save links it.
    loaded.remove('p9');
    loaded.save(file(3));
    expect(ino(file(3))).not.toBe(ino(file(2)));
    loaded.save(file(4));
    expect(ino(file(4))).toBe(ino(file(3)));
    const last = toyIndex(d, 500);
    last.load(file(4));
    expect(last.has('p9')).toBe(false);
    expect(last.size).toBe(2999);
    expect(answers(last)).toEqual(answers(loaded));
  });

  it('hold only the changed rows in memory, not the file rows (a fresh process, 6,000 rows of 512)', () => {
    const n = 6000;
    const d = 512;
    const idx = built(n, d, createRng(34), 1000);
    const path = join(dir, 'held.bin');
    idx.save(path);
    const script = vectorHeldScript(
      path,
      d,
      `for (let i = 0; i < 20; i++) idx.add('new' + i, q);
       for (let i = 0; i < 20; i++) idx.remove('p' + i * 3);
       idx.search(q, 10);`,
    );
    const grown = numberFromGcScript(script);
    // ids, keys and scales of the file (about 30 B a row), the mask and the added rows; the codes are 512 B a row.
    expect(grown).toBeGreaterThan(0);
    expect(grown).toBeLessThan(n * 128);
  });

  it('refuses to save over a damaged file row, writing nothing, and the index keeps answering from the rest', () => {
    const d = 32;
    const rng = createRng(35);
    const idx = built(3000, d, rng, 100_000);
    const path = join(dir, 'damaged.bin');
    idx.save(path);
    const bytes = readFileSync(path);
    const header = JSON.parse(bytes.toString('utf8', 16, 16 + bytes.readUInt32LE(8))) as {
      sections: Record<string, [number, number, number]>;
    };
    const at = header.sections.rows![0] + (1 << 16) + 100; // second 64 KiB block of rows
    bytes[at] = bytes[at]! ^ 0x55;
    writeFileSync(path, bytes);
    const damage: string[] = [];
    const loaded = toyIndex(d, 100_000);
    loaded.load(path, { verify: false, onDamage: (err) => damage.push(err.message) });
    loaded.add('new', randomUnit(d, rng));
    const out = join(dir, 'saved', 'vectors.bin');
    expect(() => loaded.save(out)).toThrow(/checksum of block 1/);
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(join(dir, 'saved'))).toEqual([]); // no temp file left
    expect(damage).toEqual([expect.stringMatching(/checksum of block 1/)]);
    expect(loaded.similarity('new', loaded.get('new')!)).toBeCloseTo(1, 2);
    expect(loaded.similarity('p5', idx.get('p5')!)).toBe(idx.similarity('p5', idx.get('p5')!));
  });
});

describe("rows written anew elsewhere (serve's background rewrite)", () => {
  /** Changes after a rewrite was asked for: rows added, file rows and rows added before removed or replaced. */
  function later(indexes: VectorIndex[], d: number, rng: Rng): void {
    const ops: [string, Float32Array | null][] = [];
    for (let i = 0; i < 12; i++) ops.push([`late${i}`, randomUnit(d, rng)]);
    ops.push(['p20', randomUnit(d, rng)], ['p21', null], ['new2', null], ['new4', randomUnit(d, rng)]);
    ops.push(['late3', null], ['late5', randomUnit(d, rng)], ['p14', null], ['p14', randomUnit(d, rng)]);
    for (const idx of indexes)
      for (const [id, vec] of ops) {
        if (vec === null) idx.remove(id);
        else idx.add(id, vec);
      }
  }

  it('writes the file a save would, and the index reads it with what changed meanwhile carried over', () => {
    const d = 32;
    const rng = createRng(41);
    const idx = built(3000, d, rng, 500);
    const first = join(dir, 'rw-first.bin');
    idx.save(first);
    const rowsRead: string[] = [];
    const graphRead: string[] = [];
    const make = (): VectorIndex => toyIndex(d, 500, { rows: rowsRead, graph: graphRead });
    const loaded = make();
    loaded.load(first);
    const twin = make();
    twin.load(first);
    expect(loaded.rowsRewrite()).toBeNull(); // nothing changed
    change([idx, loaded, twin], d, rng);
    const changed = loaded.base?.changed ?? 0;
    expect(loaded.base).toEqual({ file: first, changed: expect.any(Number), unchanged: false });
    expect(changed).toBeGreaterThan(50);
    const job = loaded.rowsRewrite();
    expect(job?.file).toBe(first);
    const out = join(dir, 'rw-out.bin');
    expect(writeRowsRewrite(job!, out)).toBe(idx.size);
    // Byte for byte what the index itself would have written then.
    twin.save(join(dir, 'rw-twin.bin'));
    expect(readFileSync(out).equals(readFileSync(join(dir, 'rw-twin.bin')))).toBe(true);
    later([idx, loaded], d, rng);
    expect(loaded.adoptRows(out)).toBe(true);
    expect(loaded.pagedSections()[0]?.place.file).toBe(out);
    expect(statSync(`${out}.hnsw`).ino).toBe(statSync(`${first}.hnsw`).ino);
    // Only what changed after the rewrite was asked for is held beside the new file.
    expect(loaded.base?.file).toBe(out);
    expect(loaded.base?.changed).toBeGreaterThan(0);
    expect(loaded.base?.changed).toBeLessThan(30);
    const all = [
      ...Array.from({ length: 3000 }, (_, i) => `p${i}`),
      ...Array.from({ length: 40 }, (_, i) => `new${i}`),
      ...Array.from({ length: 12 }, (_, i) => `late${i}`),
    ];
    const queries = Array.from({ length: 10 }, () => randomUnit(d, rng));
    for (const id of all) expect(loaded.get(id), id).toEqual(idx.get(id));
    for (const q of queries) expect(loaded.similarities(all, q)).toEqual(idx.similarities(all, q));
    expect(loaded.size).toBe(idx.size);
    // The old file can go; saved and opened again, the same rows.
    rmSync(first);
    rmSync(`${first}.hnsw`);
    const second = join(dir, 'rw-second.bin');
    loaded.save(second);
    const again = make();
    again.load(second);
    expect(again.size).toBe(idx.size);
    for (const q of queries) expect(again.similarities(all, q)).toEqual(idx.similarities(all, q));
    const answers = (a: VectorIndex): string[][] => queries.map((q) => a.search(q, 10).map(([id]) => id));
    expect(answers(again)).toEqual(answers(loaded));
    expect(rowsRead).toEqual([]);
    expect(graphRead).toEqual([]);
  });

  it('is adopted as unchanged when nothing changed meanwhile: the next save links it', () => {
    const d = 16;
    const rng = createRng(42);
    const first = join(dir, 'rw-still.bin');
    built(1200, d, rng, 500).save(first);
    const loaded = toyIndex(d, 500);
    loaded.load(first);
    loaded.add('extra', randomUnit(d, rng));
    loaded.remove('p3');
    const out = join(dir, 'rw-still-out.bin');
    writeRowsRewrite(loaded.rowsRewrite()!, out);
    expect(loaded.adoptRows(out)).toBe(true);
    expect(loaded.base).toEqual({ file: out, changed: 0, unchanged: true });
    const gen = join(dir, 'rw-still-gen.bin');
    loaded.save(gen);
    expect(statSync(gen).ino).toBe(statSync(out).ino);
    expect(loaded.has('extra')).toBe(true);
    expect(loaded.has('p3')).toBe(false);
  });

  it('links its base file with the changes left out, and refuses a file it cannot follow', () => {
    const d = 16;
    const rng = createRng(43);
    const first = join(dir, 'rw-base.bin');
    built(600, d, rng, 500).save(first);
    const loaded = toyIndex(d, 500);
    loaded.load(first);
    loaded.add('extra', randomUnit(d, rng));
    // Added and removed again: no row differs from the file's, but the index changed since it was read.
    loaded.add('gone', randomUnit(d, rng));
    loaded.remove('gone');
    expect(loaded.base).toEqual({ file: first, changed: 1, unchanged: false });
    const linked = join(dir, 'rw-linked.bin');
    expect(loaded.linkBase(linked)).toBe(true);
    expect(statSync(linked).ino).toBe(statSync(first).ino);
    expect(statSync(`${linked}.hnsw`).ino).toBe(statSync(`${first}.hnsw`).ino);
    expect(loaded.base).toEqual({ file: linked, changed: 1, unchanged: false });
    const reader = toyIndex(d, 500);
    reader.load(linked);
    expect(reader.has('extra')).toBe(false);
    expect(reader.size).toBe(600);
    // Fallen under the exact-search threshold (no graph now): the base's graph file goes with it all the same.
    const shrunk = toyIndex(d, 500);
    shrunk.load(first);
    for (let i = 0; i < 150; i++) shrunk.remove(`p${i}`);
    expect(shrunk.mode).toBe('exact');
    const small = join(dir, 'rw-shrunk.bin');
    expect(shrunk.linkBase(small)).toBe(true);
    expect(statSync(`${small}.hnsw`).ino).toBe(statSync(`${first}.hnsw`).ino);
    const again = toyIndex(d, 500);
    again.load(small);
    expect(again.mode).toBe('approximate');
    expect(again.size).toBe(600);
    // A rewrite's file from other rows (here: the base itself) is refused, and the index goes on as it was.
    loaded.rowsRewrite();
    expect(loaded.adoptRows(first)).toBe(false);
    expect(loaded.base).toEqual({ file: linked, changed: 1, unchanged: false });
    // Rows read whole since the rewrite was asked for (a graph built over them): it cannot follow either.
    const exact = toyIndex(d, 650);
    exact.load(first);
    exact.add('a', randomUnit(d, rng));
    const out = join(dir, 'rw-whole.bin');
    writeRowsRewrite(exact.rowsRewrite()!, out);
    for (let i = 0; i < 60; i++) exact.add(`more${i}`, randomUnit(d, rng)); // past 650: the graph is built
    expect(exact.mode).toBe('approximate');
    expect(exact.base).toBeNull();
    expect(exact.adoptRows(out)).toBe(false);
    expect(exact.linkBase(join(dir, 'rw-none.bin'))).toBe(false);
    expect(existsSync(join(dir, 'rw-none.bin'))).toBe(false);
  });
});

describe('the store over an opened sidecar', () => {
  it('never gives a key twice, and reads its rows whole only when asked for every entry, once', () => {
    const d = 8;
    const rng = createRng(36);
    const idx = built(50, d, rng, 100_000);
    const path = join(dir, 'keys.bin');
    idx.save(path);
    const materialized: number[] = [];
    const store = createVectorStore(d, opened(path), (ms) => materialized.push(ms));
    const seen = new Set<number>();
    for (let i = 0; i < 50; i++) seen.add(store.keyOf(`p${i}`)!);
    const put = (id: string): number => {
      const { key } = store.put(id, randomUnit(d, rng));
      expect(seen.has(key), `${id} got key ${key} again`).toBe(false);
      seen.add(key);
      return key;
    };
    const a = put('a');
    expect(store.remove('a')).toBe(a);
    expect(store.idOfKey(a)).toBeUndefined();
    const p3 = store.keyOf('p3')!;
    const p3again = put('p3'); // replaces a file row
    expect(store.idOfKey(p3)).toBeUndefined();
    expect(store.idOfKey(p3again)).toBe('p3');
    const p4 = store.keyOf('p4')!;
    expect(store.remove('p4')).toBe(p4);
    expect(store.keyOf('p4')).toBeUndefined();
    expect(store.remove('p4')).toBeUndefined();
    expect(store.size).toBe(49);
    const entries = store.entries();
    expect(materialized).toHaveLength(1);
    expect(store.inPlace).toBe(false);
    // File rows still live in file order, then the rows added since.
    expect(entries.ids).toEqual([
      ...Array.from({ length: 50 }, (_, i) => `p${i}`).filter((id) => id !== 'p3' && id !== 'p4'),
      'p3',
    ]);
    expect(store.idOfKey(p3again)).toBe('p3');
    put('b');
    put('a'); // a key handed out before the rows were read in is not given again
    store.entries();
    expect(materialized).toHaveLength(1);
  });
});

describe('packKept', () => {
  it('renumbers the kept strings densely, appends more, and finds every one of them and none of the dropped', () => {
    const list = Array.from({ length: 300 }, (_, i) => `id-${i}-${'é'.repeat(i % 4)}`);
    const drop = (i: number): boolean => i % 7 === 3 || (i > 100 && i < 140) || i === 0 || i === 299;
    const more = ['later-1', 'ünïcode-2', ''];
    const p = packKept(packStrings(list), (i) => !drop(i), more);
    const t = StringTable.fromPacked(p);
    const expected = [...list.filter((_, i) => !drop(i)), ...more];
    expect(t.toArray()).toEqual(expected);
    expected.forEach((s, i) => expect(t.get(s), s).toBe(i));
    for (const [i, s] of list.entries()) if (drop(i)) expect(t.get(s), s).toBeUndefined();
    // A table in memory packs the same.
    const inMemory = new StringTable();
    for (const s of list) inMemory.add(s);
    expect(StringTable.fromPacked(inMemory.packKept((i) => !drop(i), more)).toArray()).toEqual(expected);
  });
});
