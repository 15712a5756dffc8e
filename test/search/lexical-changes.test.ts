// What an index changed since it read its snapshot file (`changesSinceFile`), applied to another index opened from
// that file (`applyLexicalChanges`, as the rewrite thread does): the same index, written byte for byte the same.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  applyLexicalChanges,
  createLexicalIndex,
  openLexicalIndex,
  type LexicalDoc,
} from '../../src/index/lexical/lexical-index.ts';
import { rng } from '../helpers/random.ts';
import { skewedPapers, skewedQuery } from '../helpers/skewed-corpus.ts';

const dir = mkdtempSync(join(tmpdir(), 'lexical-changes-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const papers = (seed: number, n: number, prefix: string): LexicalDoc[] =>
  skewedPapers(seed, n, {
    titleWords: 8,
    abstractWords: 100,
    twins: 0,
    idPrefix: prefix,
    authors: (i) => [`Writer ${i % 25}`],
  });

describe('changes since the file', () => {
  it('make another index opened from the file the same index, written the same', () => {
    const base = papers(5, 2000, 'p');
    const built = createLexicalIndex();
    for (const d of base) built.add({ ...d, features: d.id.endsWith('7') ? ['code'] : [] });
    const file = join(dir, 'base.bin');
    built.saveAndReopen(file);
    expect(built.changesSinceFile()).toEqual({
      file,
      removed: [],
      firstTerm: built.vocabularySize,
      terms: [],
      added: [],
    });

    const random = rng(8);
    const fresh = papers(6, 500, 'n');
    for (let i = 0; i < fresh.length; i++) {
      const doc = fresh[i]!;
      // New words, new categories and link kinds, replacements of the file's papers, papers added then removed.
      built.add({
        ...doc,
        id: i % 5 === 0 ? base[i]!.id : doc.id,
        title: i % 3 === 0 ? `${doc.title} zznew${i % 11}` : doc.title,
        categories: i % 7 === 0 ? ['q-bio.NC', ...doc.categories] : doc.categories,
        features: i % 4 === 0 ? ['data', 'code'] : [],
      });
      if (i % 9 === 0) built.remove(base[1000 + i]!.id);
      if (i % 13 === 0) built.remove(doc.id);
    }
    const changes = built.changesSinceFile()!;
    expect(changes.file).toBe(file);
    expect(changes.removed.length).toBeGreaterThan(100);
    expect(changes.terms.length).toBeGreaterThan(10);
    expect(changes.added.length).toBeGreaterThan(400);
    expect(changes.added.some((d) => d.tags.length >= 3)).toBe(true);

    // As a worker thread receives them.
    const other = openLexicalIndex(file);
    applyLexicalChanges(other, structuredClone(changes));
    for (let i = 0; i < 60; i++) {
      const q = `${skewedQuery(random, 4, [])}${i % 5 === 0 ? ' zznew3' : ''}${i % 6 === 0 ? ' cat:q-bio.NC' : ''}${i % 7 === 0 ? ' has:code' : ''}`;
      expect(other.search(q, { k: 30 }), q).toEqual(built.search(q, { k: 30 }));
    }
    const mine = join(dir, 'mine.bin');
    const theirs = join(dir, 'theirs.bin');
    built.saveTo(mine);
    other.saveTo(theirs);
    expect(readFileSync(theirs).equals(readFileSync(mine))).toBe(true);
  });

  it('are refused by an index that is not the file it names', () => {
    const one = createLexicalIndex();
    for (const d of papers(1, 50, 'a')) one.add(d);
    one.saveAndReopen(join(dir, 'one.bin'));
    one.add({ ...papers(2, 1, 'b')[0]!, title: 'zzonlyhere' });
    const other = createLexicalIndex();
    expect(() => applyLexicalChanges(other, one.changesSinceFile()!)).toThrow(/start at term/);
  });
});
