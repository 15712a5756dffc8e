// Compacting an index that reads its lists and sequences from a snapshot file (#23): the compacted lists and
// sequences go to files beside the destination (their names removed at once) instead of memory, and the file
// written is byte for byte the one an in-memory compaction of the same index writes.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  createLexicalIndex,
  loadLexicalIndex,
  type LexicalDoc,
  type LexicalIndex,
} from '../../src/index/lexical/lexical-index.ts';
import { rng } from '../helpers/random.ts';
import { skewedPapers, skewedQuery } from '../helpers/skewed-corpus.ts';

const dir = mkdtempSync(join(tmpdir(), 'compact-spill-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function papers(seed: number, n: number, prefix: string): LexicalDoc[] {
  return skewedPapers(seed, n, {
    titleWords: 8,
    abstractWords: 150,
    twins: 0,
    idPrefix: prefix,
    authors: (i) => [`Author ${i % 40}`],
  });
}

/** The same removals and additions on both indexes: papers of the file removed, replaced, and new ones. */
function change(indexes: LexicalIndex[], base: LexicalDoc[], seed: number): void {
  const random = rng(seed);
  const fresh = papers(seed + 1, 400, 'n').map((d, i) => ({
    ...d,
    title: i % 5 === 0 ? `${d.title} zzneverseen${i % 3}` : d.title,
  }));
  for (let i = 0; i < 300; i++) {
    const id = base[Math.floor(random() * base.length)]!.id;
    for (const ix of indexes) ix.remove(id);
  }
  for (let i = 0; i < fresh.length; i++) {
    const doc = i % 4 === 0 ? { ...fresh[i]!, id: base[i * 3]!.id } : fresh[i]!;
    for (const ix of indexes) ix.add(doc);
  }
}

describe('compacting a file-backed index', () => {
  it('writes the same file as an in-memory compaction, holding the compacted lists in files, not memory', () => {
    const base = papers(3, 3000, 'p');
    const built = createLexicalIndex();
    for (const d of base) built.add(d);
    const first = join(dir, 'first.bin');
    built.saveAndReopen(first);
    expect(built.pagedSections()).toHaveLength(2);
    const memory = loadLexicalIndex(readFileSync(first));
    expect(memory.pagedSections()).toHaveLength(0);
    change([built, memory], base, 9);

    const spilled = join(dir, 'spilled.bin');
    const inMemory = join(dir, 'in-memory.bin');
    built.saveTo(spilled);
    memory.saveTo(inMemory);
    expect(readFileSync(spilled).equals(readFileSync(inMemory))).toBe(true);
    // The compacted postings and sequences are read from their own files, whose names are gone already.
    expect(built.pagedSections()).toHaveLength(2);
    expect(readdirSync(dir).filter((f) => f.includes('-tmp'))).toEqual([]);
    const random = rng(4);
    for (let i = 0; i < 80; i++) {
      const q = `${skewedQuery(random, 4, [])}${i % 7 === 0 ? ' zzneverseen1' : ''}${i % 9 === 0 ? ' "w1x w2x"' : ''}`;
      expect(built.search(q, { k: 20 }), q).toEqual(memory.search(q, { k: 20 }));
    }
    // And it goes on taking changes and saving, as any opened index.
    change([built, memory], base, 21);
    const again = join(dir, 'again.bin');
    const againMemory = join(dir, 'again-memory.bin');
    built.saveAndReopen(again);
    memory.saveTo(againMemory);
    expect(readFileSync(again).equals(readFileSync(againMemory))).toBe(true);
    expect(existsSync(`${again}.postings-tmp`)).toBe(false);
  });
});
