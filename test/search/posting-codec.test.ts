// Compressed sealed postings: lossless round trips, cursors across block ends, tail merges, old snapshots.
import { crc32 } from 'node:zlib';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { resolveBm25fOptions } from '../../src/index/lexical/bm25f-options.ts';
import { decodeState, lexicalSnapshotOutdated } from '../../src/index/lexical/index-codec.ts';
import { emptyState, type IndexState } from '../../src/index/lexical/index-state.ts';
import {
  createLexicalIndex,
  openLexicalIndex,
  type LexicalDoc,
} from '../../src/index/lexical/lexical-index.ts';
import { END_OF_POSTINGS, PostingCursor } from '../../src/index/lexical/posting-cursor.ts';
import { BLOCK_POSTINGS, compressLists, PostingStore } from '../../src/index/lexical/postings.ts';
import { blockChecksums } from '../../src/index/snapshot-sections.ts';
import { rng } from '../helpers/random.ts';

const dir = mkdtempSync(join(tmpdir(), 'posting-codec-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

type List = [doc: number, tf: number][];

/** Lists of the given lengths: ascending docs with gaps from 1 to 2^24, tfs over the whole 16 bits. */
function makeLists(lengths: readonly number[], seed: number): List[] {
  const random = rng(seed);
  return lengths.map((n) => {
    const out: List = [];
    let d = random() < 0.3 ? 0 : Math.floor(random() * 50);
    for (let i = 0; i < n; i++) {
      const r = random();
      const tf = r < 0.05 ? 0xffff : r < 0.1 ? 0 : Math.floor(random() * (r < 0.5 ? 128 : 0x10000));
      out.push([d, tf]);
      d += random() < 0.1 ? 1 + Math.floor(random() * 2 ** 24) : 1 + Math.floor(random() * 40);
    }
    return out;
  });
}

function compress(lists: readonly List[]): PostingStore {
  const offsets = new Uint32Array(lists.length + 1);
  lists.forEach((l, t) => (offsets[t + 1] = (offsets[t] ?? 0) + l.length));
  const docs = new Uint32Array(lists.flatMap((l) => l.map(([d]) => d)));
  const tfs = new Uint16Array(lists.flatMap((l) => l.map(([, tf]) => tf)));
  const store = new PostingStore();
  store.load(compressLists(offsets, docs, tfs));
  return store;
}

/** A state around `store` with every doc alive (cursors read only the postings). */
function stateWith(store: PostingStore): IndexState {
  const state = emptyState(resolveBm25fOptions({}));
  state.postings = store;
  return state;
}

function walk(state: IndexState, term: number): List {
  const out: List = [];
  for (const c = new PostingCursor(state, term); c.doc !== END_OF_POSTINGS; c.next()) out.push([c.doc, c.tf]);
  return out;
}

const B = BLOCK_POSTINGS;
const LENGTHS = [0, 1, 2, B - 1, B, B + 1, 2 * B, 2 * B + 1, 1000, 0, 1];

describe('compressed sealed postings', () => {
  it('decode to exactly the lists encoded, at and around block boundaries, empty and 1-posting lists too', () => {
    const lists = makeLists(LENGTHS, 1);
    const store = compress(lists);
    const state = stateWith(store);
    expect(store.sealedTerms).toBe(lists.length);
    expect(store.size).toBe(LENGTHS.reduce((a, b) => a + b, 0));
    lists.forEach((list, t) => {
      expect(store.sealedLength(t)).toBe(list.length);
      const decoded = store.readSealed(t);
      expect(decoded.length).toBe(list.length);
      const flat: List = [];
      for (let i = 0; i < decoded.length; i++) flat.push([decoded.docs[i] ?? -1, decoded.tfs[i] ?? -1]);
      expect(flat).toEqual(list);
      expect(walk(state, t)).toEqual(list);
      // Block by block: the same postings, 128 a block (fewer in the last), then nothing.
      const reader = store.readBlocks(t);
      const blockwise: List = [];
      const sizes: number[] = [];
      while (reader.nextBlock()) {
        sizes.push(reader.length);
        for (let i = 0; i < reader.length; i++) blockwise.push([reader.docs[i] ?? -1, reader.tfs[i] ?? -1]);
      }
      expect(blockwise).toEqual(list);
      expect(sizes).toEqual(
        Array.from({ length: Math.ceil(list.length / B) }, (_, j) => Math.min(B, list.length - j * B)),
      );
      expect(reader.nextBlock()).toBe(false);
      expect(PostingCursor.length(state, t)).toBe(list.length);
    });
    // A block per started 128 postings, each ending at its last doc.
    const { blocks, lastDocs } = store.sealed;
    lists.forEach((list, t) => {
      expect((blocks[t + 1] ?? 0) - (blocks[t] ?? 0)).toBe(Math.ceil(list.length / B));
      for (let b = blocks[t] ?? 0, j = 0; b < (blocks[t + 1] ?? 0); b++, j++)
        expect(lastDocs[b]).toBe(list[Math.min(list.length, (j + 1) * B) - 1]?.[0]);
    });
    // A term beyond the sealed ones has no postings.
    expect(walk(state, lists.length + 3)).toEqual([]);
  });

  it('keep every block’s last doc past 2,048 blocks (the writer’s tables grow), so seeking never runs away', () => {
    // 30 lists of 9,500 postings: 2,250 blocks, past the writer's first two table sizes (1,024 and 2,048).
    const random = rng(5);
    const lists: List[] = Array.from({ length: 30 }, () => {
      let d = 0;
      return Array.from({ length: 9500 }, (): [number, number] => {
        d += 1 + Math.floor(random() * 40);
        return [d, 1 + Math.floor(random() * 30)];
      });
    });
    const store = compress(lists);
    const state = stateWith(store);
    const { blocks, lastDocs } = store.sealed;
    expect(lastDocs.length).toBe(30 * Math.ceil(9500 / B));
    lists.forEach((list, t) => {
      for (let b = blocks[t] ?? 0, j = 0; b < (blocks[t + 1] ?? 0); b++, j++)
        expect(lastDocs[b]).toBe(list[Math.min(list.length, (j + 1) * B) - 1]?.[0]);
    });
    const last = lists[29]!;
    expect(walk(state, 29)).toEqual(last);
    const cursor = new PostingCursor(state, 29);
    for (const i of [200, 5000, 9400, 9499]) {
      cursor.advance(last[i]![0]);
      expect(cursor.doc).toBe(last[i]![0]);
    }
  });

  it('advance lands on the first doc at or after the target: inside a block, on a block’s last doc, past it, past all', () => {
    const lists = makeLists([3 * B + 17], 2);
    const list = lists[0]!;
    const state = stateWith(compress(lists));
    const firstAtLeast = (target: number): number => list.find(([d]) => d >= target)?.[0] ?? END_OF_POSTINGS;
    const targets = [
      list[5]![0],
      list[5]![0] + 1,
      list[B - 1]![0], // the first block's last doc
      list[B - 1]![0] + 1, // just past the first block
      list[B]![0], // the second block's first doc
      list[2 * B + 3]![0] - 1,
      list[3 * B]![0] + 1,
      list.at(-1)![0],
      list.at(-1)![0] + 1, // past every posting
    ];
    for (const target of targets) {
      const c = new PostingCursor(state, 0);
      c.advance(target);
      expect(c.doc).toBe(firstAtLeast(target));
    }
    // Successive advances and nexts on one cursor, including targets behind it (no move).
    const random = rng(3);
    const c = new PostingCursor(state, 0);
    let at = 0;
    while (c.doc !== END_OF_POSTINGS) {
      const target = random() < 0.2 ? c.doc - 5 : c.doc + Math.floor(random() * 3000);
      c.advance(target);
      const expected = Math.max(target, list[at]![0]);
      at = list.findIndex(([d]) => d >= expected);
      expect(c.doc).toBe(at < 0 ? END_OF_POSTINGS : list[at]![0]);
      if (at < 0) break;
      expect(c.tf).toBe(list[at]![1]);
      if (random() < 0.5) {
        c.next();
        at++;
        expect(c.doc).toBe(list[at]?.[0] ?? END_OF_POSTINGS);
      }
    }
  });

  it('merge the tail on seal, drop dead documents, renumber through a remap, and keep cursors over sealed then tail', () => {
    const store = new PostingStore();
    const alive = new Uint8Array(1000).fill(1);
    // Term 0: long enough for several blocks; term 1: one posting; term 2: only in the tail later.
    for (let d = 0; d < 300; d++) {
      store.add(0, d * 2, d % 7);
      if (d === 150) store.add(1, d * 2, 9);
    }
    store.seal(alive, null, 2);
    const state = stateWith(store);
    expect(walk(state, 0).length).toBe(300);
    expect(walk(state, 1)).toEqual([[300, 9]]);
    // New postings go to the tail; a cursor reads the sealed blocks, then the tail.
    for (let d = 600; d < 700; d++) store.add(0, d, 1);
    store.add(2, 650, 3);
    const merged = walk(state, 0);
    expect(merged.length).toBe(400);
    expect(merged.slice(298, 302)).toEqual([
      [596, 298 % 7],
      [598, 299 % 7],
      [600, 1],
      [601, 1],
    ]);
    const c = new PostingCursor(state, 0);
    c.advance(599); // past every sealed block, into the tail
    expect([c.doc, c.tf]).toEqual([600, 1]);
    c.advance(699);
    expect(c.doc).toBe(699);
    c.advance(700);
    expect(c.doc).toBe(END_OF_POSTINGS);
    expect(walk(state, 2)).toEqual([[650, 3]]);
    // Dead documents stay readable until the next seal, which drops them.
    for (let d = 0; d < 700; d += 4) alive[d] = 0;
    expect(walk(state, 0).length).toBe(400);
    store.seal(alive, null, 3);
    const kept = walk(state, 0);
    expect(kept.every(([d]) => d % 4 !== 0)).toBe(true);
    expect(kept.length).toBe(150 + 75);
    expect(walk(state, 1)).toEqual([]); // doc 300 was removed
    expect(walk(state, 2)).toEqual([[650, 3]]);
    // A compaction renumbers the kept documents 0, 1, 2, … in order.
    const remap = new Int32Array(700).fill(-1);
    kept.forEach(([d], i) => (remap[d] = i));
    store.seal(null, remap, 3);
    expect(walk(state, 0)).toEqual(kept.map(([, tf], i) => [i, tf]));
  });

  it('are searched the same through the index, from a snapshot, and from an old uncompressed snapshot', () => {
    const random = rng(9);
    const words = Array.from({ length: 60 }, (_, i) => `w${i}z`);
    const draw = (): string => words[Math.floor(random() ** 2 * words.length)] ?? 'w0z';
    const docs = Array.from(
      { length: 700 },
      (_, i): LexicalDoc => ({
        id: `p-${i}`,
        title: Array.from({ length: 4 }, draw).join(' '),
        abstract: Array.from({ length: 40 }, draw).join(' '),
        authors: ['Ana Souza'],
        categories: ['cs.CL'],
        date: '2025-01-02',
      }),
    );
    const index = createLexicalIndex();
    for (const d of docs) index.add(d);
    index.remove('p-3');
    const queries = ['w0z w1z', 'w5z w40z', 'w59z', '"w1z w2z"', 'w3z -w0z', 'w7z w8z w9z w10z'];
    const expected = queries.map((q) => index.search(q, { k: 10 }));
    const file = join(dir, 'lexical.bin');
    index.saveTo(file);
    expect(lexicalSnapshotOutdated(file)).toBe(false);
    const opened = openLexicalIndex(file);
    expect(queries.map((q) => opened.search(q, { k: 10 }))).toEqual(expected);

    // Format 2 held every doc as 4 bytes and every tf as 2: such a file is compressed on load, not misread.
    const old = join(dir, 'lexical-v2.bin');
    writeFileSync(old, asFormat2(index.serialize()));
    expect(lexicalSnapshotOutdated(old)).toBe(true);
    const reopened = openLexicalIndex(old);
    expect(queries.map((q) => reopened.search(q, { k: 10 }))).toEqual(expected);
  });
});

/** Rewrites a current snapshot in format 2's layout: uncompressed `docs` (Uint32) and `tfs` (Uint16) sections. */
function asFormat2(current: Buffer): Buffer {
  const state = decodeState(current);
  const store = state.postings;
  const terms = store.sealedTerms;
  const total = store.size;
  const docs = new Uint32Array(total);
  const tfs = new Uint16Array(total);
  for (let t = 0, w = 0; t < terms; t++) {
    const list = store.readSealed(t);
    for (let i = 0; i < list.length; i++, w++) {
      docs[w] = list.docs[i] ?? 0;
      tfs[w] = list.tfs[i] ?? 0;
    }
  }
  const headerLength = current.readUInt32LE(8);
  const header = JSON.parse(current.toString('utf8', 16, 16 + headerLength)) as {
    options: unknown;
    sections: Record<string, [number, number, number]>;
  };
  const bytes = (a: ArrayBufferView): Uint8Array => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
  const parts: Record<string, Uint8Array> = {};
  for (const [name, [offset, length]] of Object.entries(header.sections))
    if (!['blocks', 'lastDocs', 'blockBytes', 'docs', 'docsBlocks'].includes(name))
      parts[name] = current.subarray(offset, offset + length);
  parts.docs = bytes(docs);
  parts.tfs = bytes(tfs);
  parts.docsBlocks = bytes(blockChecksums(bytes(docs)));
  parts.tfsBlocks = bytes(blockChecksums(bytes(tfs)));
  const align8 = (n: number): number => Math.ceil(n / 8) * 8;
  const reserve = 4096;
  const sections: Record<string, [number, number, number]> = {};
  let offset = reserve;
  for (const [name, part] of Object.entries(parts)) {
    const lazy = name === 'docs' || name === 'tfs' || name === 'fwdBytes';
    sections[name] = [offset, part.byteLength, lazy ? 0 : crc32(part)];
    offset = align8(offset + part.byteLength);
  }
  const head = Buffer.from(JSON.stringify({ options: header.options, sections }));
  const out = Buffer.alloc(offset);
  out.write('PBLX', 0, 'latin1');
  out.writeUInt32LE(2, 4);
  out.writeUInt32LE(head.length, 8);
  out.writeUInt32LE(crc32(head), 12);
  head.copy(out, 16);
  for (const [name, part] of Object.entries(parts)) out.set(part, sections[name]![0]);
  return out;
}
