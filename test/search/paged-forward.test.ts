// Term sequences of an opened lexical snapshot stay in the file (#23): read per document, same answers, no heap copy.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { expectDamageReported, section } from '../helpers/lexical-snapshot.ts';
import { createLexicalIndex, LexicalIndex, openLexicalIndex } from '../../src/index/lexical/lexical-index.ts';
import { openState } from '../../src/index/lexical/index-codec.ts';
import { fileSource, type ByteSource } from '../../src/index/snapshot-sections.ts';
import { numberFromGcScript } from '../helpers/gc-script.ts';

const dir = mkdtempSync(join(tmpdir(), 'paperboy-paged-forward-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const WORDS =
  'graph neural network quantum error correction protein folding sparse attention model language vision robot'.split(
    ' ',
  );

function built(n: number): LexicalIndex {
  let s = 7;
  const pick = (): string => {
    s = (Math.imul(s, 1103515245) + 12345) & 0x7fffffff;
    return WORDS[(s >>> 16) % WORDS.length]!;
  };
  const idx = createLexicalIndex();
  for (let i = 0; i < n; i++)
    idx.add({
      id: `p${i}`,
      title: Array.from({ length: 6 }, pick).join(' '),
      abstract: Array.from({ length: 600 }, pick).join(' ') + ` token${i}`,
      authors: ['A. Author'],
      categories: ['cs.LG'],
      date: '2025-01-01',
    });
  return idx;
}

const NEW = {
  title: 'protein folding quantum',
  abstract: 'a neural network for quantum error correction and protein folding quantum',
  authors: ['B. Writer'],
  categories: ['cs.LG'],
  date: '2025-02-01',
};

const QUERIES = [
  '"neural network"',
  '"quantum error correction"',
  'protein "sparse attention"',
  'graph -"language model"',
];

describe('an opened lexical snapshot', () => {
  const path = join(dir, 'lexical.bin');
  const idx = built(2000);
  idx.saveTo(path);

  it('answers phrases, counts and removals as the index that wrote it, verified at open or as read', () => {
    for (const verify of [true, false]) {
      const opened = openLexicalIndex(path, { verify });
      for (const q of QUERIES) {
        expect(opened.search(q, { k: 50 }), q).toEqual(idx.search(q, { k: 50 }));
        expect(opened.matchDates(q), q).toEqual(idx.matchDates(q));
      }
      while (opened.readAhead(1 << 16));
      for (const q of QUERIES) expect(opened.search(q, { k: 50 }), q).toEqual(idx.search(q, { k: 50 }));
      // Papers added after opening go to memory beside the file's part; a compaction reads it all in.
      const copy = built(2000);
      for (const ix of [opened, copy]) {
        ix.add({ ...NEW, id: 'n1' });
        ix.add({ ...NEW, id: 'p5', title: 'sparse attention' });
      }
      for (const q of [...QUERIES, '"folding quantum"'])
        expect(opened.search(q, { k: 50 }), q).toEqual(copy.search(q, { k: 50 }));
      expect(opened.remove('p17')).toBe(true);
      copy.remove('p17');
      opened.compact();
      copy.compact();
      for (const q of QUERIES) expect(opened.search(q, { k: 50 }), q).toEqual(copy.search(q, { k: 50 }));
    }
  });

  it('holds no copy of the term sequences once opened and read ahead, nor after a paper is added', () => {
    const [, fwdLength] = section(path, 'fwdBytes');
    const module = JSON.stringify(join(import.meta.dirname, '../../src/index/lexical/lexical-index.ts'));
    const script = `
      const { openLexicalIndex } = await import(${module});
      gc(); gc();
      const before = process.memoryUsage().arrayBuffers;
      const idx = openLexicalIndex(${JSON.stringify(path)});
      while (idx.readAhead(1 << 16));
      idx.search('"neural network"', { k: 10 });
      idx.add({ id: 'late', title: 'neural network', abstract: 'graph', authors: [], categories: [], date: '2025-03-01' });
      idx.search('"neural network"', { k: 10 });
      gc(); gc();
      const held = process.memoryUsage().arrayBuffers - before;
      gc(); gc();
      console.log(held);
      idx.stats();
    `;
    const heldWith = (file: string): number => numberFromGcScript(script.replace(path, file));
    const held = heldWith(path);
    // Postings, pair signatures and small sections are held (about 0.7 MB); the sequences (1.2 MB) are not.
    expect(fwdLength).toBeGreaterThan(1_000_000);
    expect(held).toBeGreaterThan(0);
    expect(held).toBeLessThan(fwdLength);
  });

  it('reads the sequences for the pair signatures in runs, not one read per document, with the same answers', () => {
    // A restarted 300k serve spent 2.9 s of its first seconds in one read per paper here (h24p).
    const src = fileSource(path);
    let reads = 0;
    const counting: ByteSource = {
      name: src.name,
      size: src.size,
      read: (offset, into) => {
        reads++;
        src.read(offset, into);
      },
      hold: () => src.hold(),
      release: () => src.release(),
      close: () => src.close(),
    };
    const opened = new LexicalIndex(openState(counting, { verify: true }));
    const before = reads;
    while (opened.readAhead(1 << 16));
    // 2,000 papers of ~600 words: a dozen runs of 256 KiB, plus the postings' block checks.
    expect(reads - before).toBeLessThan(200);
    for (const q of QUERIES) expect(opened.search(q, { k: 50 }), q).toEqual(idx.search(q, { k: 50 }));
    src.close();
  });

  it('reports a damaged sequence block met after an unverified open instead of reading it', () => {
    expectDamageReported(path, join(dir, 'damaged.bin'), 'fwdBytes', 10, 0x21);
  });
});
