// lookup.bin stays byte for byte what it was when its tables are counted without a Set per paper (#23, h26l).
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { categoryNames } from '../../src/ingest/arxiv-taxonomy.ts';
import { writeLookupFile } from '../../src/index/lookup/lookup-file-write.ts';
import { SpellingVocabulary } from '../../src/index/lookup/spelling-vocabulary.ts';
import { SuggestIndex, type SuggestDoc } from '../../src/index/lookup/suggest-index.ts';

/**
 * The SHA-256 of the file below as written by the code before this change (main 18eedf0: a Set of each text's
 * words, of each title's words and pairs, each category's name folded for every paper), by this same test file.
 */
const BEFORE_SHA256 = '32784f2795c680f3235707d665135fd91f581acdacc7ba69ef565c17e1df324d';

/** Seeded papers with the repeats the counting must see once: words, pairs and name parts twice in one paper. */
function corpus(n: number): (SuggestDoc & { abstract: string })[] {
  let seed = 11;
  const next = (m: number): number => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed % m;
  };
  // Over 1,024 distinct words (the vocabulary's arrays grow), skewed so some are common and some rare.
  const vocab = Array.from({ length: 3000 }, (_, i) => `w${i.toString(36)}${'abcdefgh'[i % 8] ?? ''}`);
  const word = (): string => vocab[Math.min(next(3000), next(3000))] ?? '';
  const cats = ['cs.CL', 'cs.LG', 'math.PR', 'hep-th', 'x.UNKNOWN'];
  return Array.from({ length: n }, (_, i) => {
    const a = word();
    const b = word();
    // "a b the a b": the pair "a b" twice, and a and b twice, in one title.
    const title =
      next(3) === 0
        ? `${a} ${b} of the ${a} ${b} ${word()}`
        : Array.from({ length: 2 + next(8) }, word).join(' ');
    const family = `Family${next(200)}`;
    return {
      id: `2501.${String(i).padStart(5, '0')}`,
      title: next(7) === 0 ? `Naïve Ünïcode ${title}` : title,
      abstract: `${Array.from({ length: 15 }, word).join(' ')} ${a} ${a}, 3D ${b}-${b}`,
      authors: [
        `${family} ${family}`,
        `Given${next(30)} ${family}`,
        ' ',
        `Given${next(30)} Other${next(500)}`,
      ],
      categories: next(4) === 0 ? [cats[next(5)] ?? '', cats[next(5)] ?? ''] : [cats[next(5)] ?? ''],
    };
  });
}

const dir = mkdtempSync(join(tmpdir(), 'lookup-bytes-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('lookup.bin bytes', () => {
  it('are those the code before the cheaper counting wrote for the same papers', () => {
    const suggest = new SuggestIndex(categoryNames());
    const spelling = new SpellingVocabulary();
    for (const d of corpus(6000)) {
      suggest.add(d);
      spelling.addText(`${d.title} ${d.abstract} ${d.authors.join(' ')}`);
    }
    // A paper added again (rewritten): its words are counted again, its title entry replaced.
    const again = corpus(3)[1];
    if (again !== undefined) {
      suggest.add({ ...again, title: `${again.title} revised revised` });
      spelling.addText(`${again.title} revised revised`);
    }
    const path = join(dir, 'lookup.bin');
    writeLookupFile(path, { suggest: suggest.contents(), spelling, seq: 42 });
    const sha = createHash('sha256').update(readFileSync(path)).digest('hex');
    expect(sha).toBe(BEFORE_SHA256);
  });

  it('count each word once per text, however often it appears there', () => {
    const v = new SpellingVocabulary();
    v.addText('graph graph Graph neural');
    v.addText('graph, naïve');
    v.addText('naive naive');
    expect(v.countOf('graph')).toBe(2);
    expect(v.countOf('neural')).toBe(1);
    expect(v.countOf('naive')).toBe(2);
    expect([...v.entries()]).toEqual([
      ['graph', 2],
      ['neural', 1],
      ['naive', 2],
    ]);
  });
});
