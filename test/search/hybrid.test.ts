// Fusion of lexical and semantic lists, pinning, and the random-projection control embedder.
import { describe, expect, it } from 'vitest';
import type { ScoredId } from '../../src/domain/scored.ts';
import { createRandomProjectionEmbedder } from '../../src/index/embedders/random-projection.ts';
import { fuseHybrid, normalizeScores, pinFirst } from '../../src/rank/hybrid.ts';

const lexical: ScoredId[] = [
  ['a', 12],
  ['b', 8],
  ['c', 2],
];
const semantic: ScoredId[] = [
  ['c', 0.9],
  ['d', 0.7],
  ['a', 0.5],
];

describe('fuseHybrid', () => {
  it('with weight 0 keeps lexical order exactly', () => {
    expect(
      fuseHybrid(lexical, semantic, { semanticWeight: 0 })
        .slice(0, 3)
        .map(([id]) => id),
    ).toEqual(['a', 'b', 'c']);
  });

  it('with weight 1 follows semantic order', () => {
    expect(
      fuseHybrid(lexical, semantic, { semanticWeight: 1 })
        .slice(0, 3)
        .map(([id]) => id),
    ).toEqual(['c', 'd', 'a']);
  });

  it('computes (1 - w)·minmax(lex) + w·minmax(sem), missing scores counting 0', () => {
    const fused = new Map(fuseHybrid(lexical, semantic, { semanticWeight: 0.5 }));
    expect(fused.get('a')).toBeCloseTo(0.5 * 1 + 0.5 * 0, 12);
    expect(fused.get('b')).toBeCloseTo(0.5 * 0.6, 12);
    expect(fused.get('c')).toBeCloseTo(0.5 * 0 + 0.5 * 1, 12);
    expect(fused.get('d')).toBeCloseTo(0.5 * 0.5, 12);
  });

  it('breaks ties by lexical rank', () => {
    const fused = fuseHybrid(lexical, semantic, { semanticWeight: 0.5 }).map(([id]) => id);
    expect(fused.indexOf('a')).toBeLessThan(fused.indexOf('c'));
  });

  it('rejects weights outside 0–1 and copes with empty lists', () => {
    expect(() => fuseHybrid(lexical, semantic, { semanticWeight: 1.5 })).toThrow(RangeError);
    expect(fuseHybrid([], [], { semanticWeight: 0.3 })).toEqual([]);
    expect(
      normalizeScores([
        ['x', 3],
        ['y', 3],
      ]).get('y'),
    ).toBe(1);
  });
});

describe('pinFirst', () => {
  it('moves pinned ids first without duplicates, keeping scores sorted', () => {
    expect(
      pinFirst(
        [
          ['a', 3],
          ['b', 2],
          ['c', 1],
        ],
        ['c', 'z'],
      ),
    ).toEqual([
      ['c', 3],
      ['z', 3],
      ['a', 3],
      ['b', 2],
    ]);
  });
});

describe('random-projection embedder', () => {
  const corpus = [
    'graph neural networks for molecules',
    'diffusion models for images',
    'speech recognition with transformers',
  ];

  it('is deterministic, unit-length, and closer for texts sharing rare words', async () => {
    const e = createRandomProjectionEmbedder({ corpus, dimension: 128 });
    const [q, same, other] = await e.embed([
      'molecules graph',
      'graph neural networks for molecules',
      'diffusion images',
    ]);
    const [again] = await createRandomProjectionEmbedder({ corpus, dimension: 128 }).embed([
      'molecules graph',
    ]);
    const dot = (x: Float32Array, y: Float32Array): number => x.reduce((s, v, i) => s + v * (y[i] ?? 0), 0);
    expect(e.dimension).toBe(128);
    expect(dot(q!, q!)).toBeCloseTo(1, 5);
    expect(Array.from(again!)).toEqual(Array.from(q!));
    expect(dot(q!, same!)).toBeGreaterThan(dot(q!, other!) + 0.3);
  });

  it('embeds text without words as the zero vector and rejects bad dimensions', async () => {
    const [v] = await createRandomProjectionEmbedder({ corpus }).embed(['...']);
    expect(v!.every((x) => x === 0)).toBe(true);
    expect(() => createRandomProjectionEmbedder({ corpus, dimension: 3 })).toThrow(RangeError);
  });
});
