// Posting lists of an opened lexical snapshot stay in the file, and pair signatures are capped (#23): same answers, bounded memory.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { expectDamageReported, section } from '../helpers/lexical-snapshot.ts';
import {
  createLexicalIndex,
  openLexicalIndex,
  type LexicalIndex,
} from '../../src/index/lexical/lexical-index.ts';
import { numberFromGcScript } from '../helpers/gc-script.ts';

const dir = mkdtempSync(join(tmpdir(), 'paperboy-paged-postings-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const WORDS = (
  'graph neural network quantum error correction protein folding sparse attention model language vision ' +
  'robot policy gradient diffusion kernel sampling transformer'
).split(' ');

/** `n` papers; with `rare`, each abstract also holds that many words of a 4,000-word vocabulary (long postings). */
function built(n: number, rare = 0): LexicalIndex {
  let s = 11;
  const pick = (): string => {
    s = (Math.imul(s, 1103515245) + 12345) & 0x7fffffff;
    return WORDS[(s >>> 16) % WORDS.length]!;
  };
  const idx = createLexicalIndex();
  for (let i = 0; i < n; i++)
    idx.add({
      id: `p${i}`,
      title: Array.from({ length: 6 }, pick).join(' '),
      abstract:
        Array.from({ length: 200 }, pick).join(' ') +
        ` token${i % 97} ` +
        Array.from({ length: rare }, () => `v${(s = (Math.imul(s, 69069) + 1) >>> 0) % 4000}`).join(' '),
      authors: ['A. Author'],
      categories: ['cs.LG'],
      date: `2025-01-${String(1 + (i % 28)).padStart(2, '0')}`,
    });
  return idx;
}

const QUERIES = [
  'graph',
  'neural network',
  'quantum protein token5',
  'sparse attention -robot',
  '"neural network"',
  '"policy gradient" diffusion',
  'token17 OR token42',
  'kernel sampling transformer vision',
];

describe('posting lists read from an opened snapshot', () => {
  const path = join(dir, 'lexical.bin');
  const idx = built(3000);
  idx.saveTo(path);

  it('answer as the index that wrote them, within the byte budget, however small', () => {
    for (const budget of [0, 4096, 64 << 10, 32 << 20])
      for (const verify of [true, false]) {
        const opened = openLexicalIndex(path, { verify }).limitMemory({ postingsCacheBytes: budget });
        for (let round = 0; round < 2; round++)
          for (const q of QUERIES) {
            expect(opened.search(q, { k: 20 }), q).toEqual(idx.search(q, { k: 20 }));
            expect(opened.matchDates(q), q).toEqual(idx.matchDates(q));
            expect(opened.memoryHeld().postingsKeptBytes).toBeLessThanOrEqual(budget);
          }
        while (opened.readAhead(1 << 16));
        for (const q of QUERIES) expect(opened.search(q, { k: 20 }), q).toEqual(idx.search(q, { k: 20 }));
        // A budget lowered while lists are kept drops the oldest at once.
        opened.limitMemory({ postingsCacheBytes: budget >>> 1 });
        expect(opened.memoryHeld().postingsKeptBytes).toBeLessThanOrEqual(budget >>> 1);
        // A paper added and one removed after opening, then a compaction (which reads the lists in).
        const copy = built(3000);
        for (const ix of [opened, copy]) {
          ix.add({
            id: 'n1',
            title: 'graph neural network',
            abstract: 'quantum protein',
            authors: [],
            categories: ['cs.LG'],
            date: '2025-02-01',
          });
          ix.remove('p17');
        }
        for (const q of QUERIES) expect(opened.search(q, { k: 20 }), q).toEqual(copy.search(q, { k: 20 }));
        opened.compact();
        copy.compact();
        for (const q of QUERIES) expect(opened.search(q, { k: 20 }), q).toEqual(copy.search(q, { k: 20 }));
      }
  });

  it('are not copied into the heap: a fresh process holds less than the postings section', () => {
    const path = join(dir, 'rare.bin');
    built(2000, 300).saveTo(path);
    const [, docsLength] = section(path, 'docs');
    const module = JSON.stringify(join(import.meta.dirname, '../../src/index/lexical/lexical-index.ts'));
    const script = `
      const { openLexicalIndex } = await import(${module});
      gc(); gc();
      const before = process.memoryUsage().arrayBuffers;
      const idx = openLexicalIndex(${JSON.stringify(path)}).limitMemory({ postingsCacheBytes: 8192, pairSignatureBytes: 8192 });
      while (idx.readAhead(1 << 16));
      // Each word searched once: a word's second search opens its cached impacts (bounded on their own).
      for (const q of ['graph', 'quantum', 'protein robot', 'sparse', 'v17 v3001']) idx.search(q, { k: 10 });
      gc(); gc();
      console.log(process.memoryUsage().arrayBuffers - before);
      idx.stats();
    `;
    const held = numberFromGcScript(script);
    expect(docsLength).toBeGreaterThan(1_000_000);
    expect(held).toBeGreaterThan(0);
    expect(held).toBeLessThan(docsLength / 2);
  });

  it('report a damaged postings block met after an unverified open instead of reading it', () => {
    expectDamageReported(path, join(dir, 'damaged.bin'), 'docs', 100, 0x44);
  });
});

describe('pair signatures under a cap', () => {
  const PHRASES = [
    '"neural network"',
    '"policy gradient" diffusion',
    '"graph neural"',
    '"protein folding" -"vision robot"',
  ];

  it('hold at most the cap and answer phrases as an uncapped index, in memory and opened', () => {
    const free = built(3000);
    const path = join(dir, 'phrases.bin');
    built(3000).saveTo(path);
    const cap = 100 * 128;
    for (const capped of [built(3000), openLexicalIndex(path)]) {
      capped.limitMemory({ pairSignatureBytes: cap });
      while (capped.readAhead(1 << 16));
      for (let round = 0; round < 2; round++)
        for (const q of PHRASES) {
          expect(capped.search(q, { k: 30 }), q).toEqual(free.search(q, { k: 30 }));
          expect(capped.matchDates(q), q).toEqual(free.matchDates(q));
        }
      // Documents added past the cap share slots too.
      for (const ix of [capped, free])
        ix.add({
          id: 'late',
          title: 'neural network policy gradient',
          abstract: 'graph neural diffusion',
          authors: [],
          categories: [],
          date: '2025-03-01',
        });
      for (const q of PHRASES) expect(capped.search(q, { k: 30 }), q).toEqual(free.search(q, { k: 30 }));
      expect(capped.memoryHeld().pairSignatureBytes).toBeLessThanOrEqual(cap);
      free.remove('late');
    }
    expect(free.memoryHeld().pairSignatureBytes).toBeGreaterThanOrEqual(3000 * 128);
  });

  it('are sized once for the whole read-ahead, not grown (and copied) slice by slice', () => {
    const path = join(dir, 'sized.bin');
    built(3000).saveTo(path);
    for (const cap of [Infinity, 1000]) {
      const opened = openLexicalIndex(path);
      if (cap !== Infinity) opened.limitMemory({ pairSignatureBytes: cap * 128 });
      const sizes = new Set<number>();
      // The first slices read the sequences; later ones build a few hundred signatures each.
      while (opened.readAhead(1 << 10)) sizes.add(opened.memoryHeld().pairSignatureBytes);
      sizes.add(opened.memoryHeld().pairSignatureBytes);
      sizes.delete(0);
      expect([...sizes]).toEqual([Math.min(3000, cap) * 128]);
    }
  });
});
