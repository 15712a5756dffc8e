// The forward store gives back every term id it was given, across one- to five-byte varints.
import { describe, expect, it } from 'vitest';
import { ForwardStore } from '../../src/index/lexical/forward-store.ts';

describe('ForwardStore', () => {
  it('reads back term ids of every varint length, field breaks included', () => {
    const f = new ForwardStore();
    const ids = [0, 1, 126, 127, 128, 16_382, 16_383, 16_384, 2_097_150, 2_097_151, 2 ** 28 - 1, 2 ** 31];
    f.append([ids, [5]]);
    f.append([[], [300, 2]]);
    expect(f.read(0, [])).toEqual([...ids, -1, 5, -1]);
    expect(f.read(1, [])).toEqual([-1, 300, 2, -1]);
  });

  it('finds a phrase within one field, by decoding or around its rarest word, as a plain scan does', () => {
    // Term ids of one to four varint bytes; a few ids make repeats and near-misses common.
    const pool = [0, 5, 127, 128, 300, 16_383, 16_384, 2_097_152];
    let s = 1;
    const pick = (): number => {
      s = (Math.imul(s, 1103515245) + 12345) & 0x7fffffff;
      return s >>> 16;
    };
    const f = new ForwardStore();
    const docs: number[][][] = [];
    for (let d = 0; d < 150; d++) {
      const fields = [3, 12, 2].map((n) =>
        Array.from({ length: pick() % n }, () => pool[pick() % pool.length]!),
      );
      docs.push(fields);
      f.append(fields);
    }
    const plain = (fields: number[][], phrase: number[]): boolean =>
      fields.some((seq) => seq.some((_, i) => phrase.every((t, j) => seq[i + j] === t)));
    const count = (seq: number[], t: number): number => seq.filter((x) => x === t).length;
    let found = 0;
    const wrong: string[] = [];
    for (let q = 0; q < 150; q++) {
      const phrase = Array.from({ length: 1 + (pick() % 3) }, () => pool[pick() % pool.length]!);
      const ids = Int32Array.from(phrase);
      docs.forEach((fields, d) => {
        const want = plain(fields, phrase);
        found += want ? 1 : 0;
        if (f.holdsPhrase(d, ids) !== want) wrong.push(`${phrase} in ${d}`);
        // The packed posting payload of each word (title 4 bits, abstract 8, authors 4), as postings hold it.
        const tfs = Int32Array.from(phrase, (t) => {
          const [title, abstract, authors] = fields.map((seq) => count(seq, t));
          return Math.min(title!, 15) | (Math.min(abstract!, 255) << 4) | (Math.min(authors!, 15) << 12);
        });
        const holdsWords = phrase.every((t) => fields.some((seq) => seq.includes(t)));
        if (holdsWords && f.holdsPhraseAround(d, ids, tfs) !== want) wrong.push(`${phrase} around, in ${d}`);
      });
    }
    expect(wrong).toEqual([]);
    expect(found).toBeGreaterThan(300);
  });
});
