// Fusion of lexical and semantic lists, pinning, and the random-projection control embedder.
import { describe, expect, it } from 'vitest';
import type { ScoredId } from '../../src/domain/scored.ts';
import { createRandomProjectionEmbedder } from '../../src/index/embedders/random-projection.ts';
import { fuseHybrid, pinFirst } from '../../src/rank/hybrid.ts';

/** A per-id cosine lookup as the batch callback fusion takes. */
const batch =
  (f: (id: string) => number | null) =>
  (ids: readonly string[]): (number | null)[] =>
    ids.map(f);

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
  const ids = (list: readonly ScoredId[]): string[] => list.map(([id]) => id);
  // The semantic list's scores are these cosines; 'b' is outside that list.
  const cosines = new Map([
    ['a', 0.5],
    ['b', 0.8],
    ['c', 0.9],
    ['d', 0.7],
  ]);
  const semanticScore = (id: string): number | null => cosines.get(id) ?? null;

  it('with weight 0 returns the lexical list exactly, in order, whatever the semantic side says', () => {
    const fused = fuseHybrid(lexical, semantic, { semanticWeight: 0, semanticScores: batch(semanticScore) });
    expect(ids(fused)).toEqual(['a', 'b', 'c']);
    expect(fused.map(([, s]) => s)).toEqual([1, 8 / 12, 2 / 12]);
  });

  it('with weight 1 orders the union by cosine alone', () => {
    expect(
      ids(fuseHybrid(lexical, semantic, { semanticWeight: 1, semanticScores: batch(semanticScore) })),
    ).toEqual(['c', 'b', 'd', 'a']);
  });

  it('computes (1 - w)·s/max(lex) + w·cosine, a paper missing from the lexical list counting 0 there', () => {
    const fused = new Map(
      fuseHybrid(lexical, semantic, { semanticWeight: 0.5, semanticScores: batch(semanticScore) }),
    );
    expect(fused.get('a')).toBeCloseTo(0.5 * 1 + 0.5 * 0.5, 12);
    expect(fused.get('b')).toBeCloseTo(0.5 * (8 / 12) + 0.5 * 0.8, 12);
    expect(fused.get('c')).toBeCloseTo(0.5 * (2 / 12) + 0.5 * 0.9, 12);
    expect(fused.get('d')).toBeCloseTo(0.5 * 0 + 0.5 * 0.7, 12);
  });

  it('gives a lexical candidate absent from the semantic list its semanticScore', () => {
    // 'b' is not in the semantic top list; its real cosine (0.8) lifts it above 'a' (cosine 0.5).
    const withScore = fuseHybrid(lexical, semantic, {
      semanticWeight: 0.6,
      semanticScores: batch(semanticScore),
    });
    const fused = new Map(withScore);
    expect(fused.get('b')).toBeCloseTo(0.4 * (8 / 12) + 0.6 * 0.8, 12);
    expect(ids(withScore).indexOf('b')).toBeLessThan(ids(withScore).indexOf('a'));
    // Without semanticScore 'b' falls back to the semantic list's lowest score (0.5).
    const fallback = new Map(fuseHybrid(lexical, semantic, { semanticWeight: 0.6 }));
    expect(fallback.get('b')).toBeCloseTo(0.4 * (8 / 12) + 0.6 * 0.5, 12);
    expect(fallback.get('a')).toBeCloseTo(0.4 * 1 + 0.6 * 0.5, 12);
  });

  it("takes listed papers' scores from the semantic list and asks semanticScore only for the others", () => {
    const asked: string[] = [];
    const score = (id: string): number | null => {
      asked.push(id);
      return id === 'b' ? 0.2 : 0.99;
    };
    const fused = new Map(
      fuseHybrid(lexical, semantic, { semanticWeight: 0.5, semanticScores: batch(score) }),
    );
    expect(asked).toEqual(['b']);
    expect(fused.get('a')).toBeCloseTo(0.5 + 0.5 * 0.5, 12);
    expect(fused.get('c')).toBeCloseTo(0.5 * (2 / 12) + 0.5 * 0.9, 12);
    expect(fused.get('b')).toBeCloseTo(0.5 * (8 / 12) + 0.5 * 0.2, 12);
  });

  it('treats a null semanticScore (no vector) as unknown: the semantic list floor', () => {
    const none = (): number | null => null;
    const fused = new Map(
      fuseHybrid(lexical, semantic, { semanticWeight: 0.5, semanticScores: batch(none) }),
    );
    expect(fused.get('b')).toBeCloseTo(0.5 * (8 / 12) + 0.5 * 0.5, 12);
    expect(fused.get('a')).toBeCloseTo(0.5 + 0.5 * 0.5, 12);
  });

  it('breaks ties by lexical rank, then semantic rank, then id', () => {
    const flat = (): number => 0.5;
    const tiedLexical: ScoredId[] = [
      ['y', 4],
      ['x', 4],
    ];
    expect(ids(fuseHybrid(tiedLexical, [], { semanticWeight: 0.5, semanticScores: batch(flat) }))).toEqual([
      'y',
      'x',
    ]);
    const tiedSemantic: ScoredId[] = [
      ['q', 0.5],
      ['p', 0.5],
    ];
    expect(ids(fuseHybrid([], tiedSemantic, { semanticWeight: 0.5 }))).toEqual(['q', 'p']);
    // h(q) = 0.5·1 + 0.5·0 = h(p) = 0.5·0 + 0.5·1: the lexical hit wins although 'p' sorts first by id.
    const cos = (id: string): number => (id === 'p' ? 1 : 0);
    const tied = fuseHybrid([['q', 3]], [['p', 1]], { semanticWeight: 0.5, semanticScores: batch(cos) });
    expect(tied.map(([, s]) => s)).toEqual([0.5, 0.5]);
    expect(ids(tied)).toEqual(['q', 'p']);
  });

  it('keeps a filter-only list (all scores 0) in order and counts each paper once', () => {
    const zeros: ScoredId[] = [
      ['n', 0],
      ['m', 0],
      ['n', 0],
    ];
    expect(ids(fuseHybrid(zeros, [], { semanticWeight: 0 }))).toEqual(['n', 'm']);
    expect(ids(fuseHybrid(zeros, [], { semanticWeight: 0.3 }))).toEqual(['n', 'm']);
  });

  it('rejects weights outside 0–1 and copes with empty lists', () => {
    expect(() => fuseHybrid(lexical, semantic, { semanticWeight: 1.5 })).toThrow(RangeError);
    expect(() => fuseHybrid(lexical, semantic, { semanticWeight: -0.1 })).toThrow(RangeError);
    expect(() => fuseHybrid(lexical, semantic, { semanticWeight: Number.NaN })).toThrow(RangeError);
    expect(fuseHybrid([], [], { semanticWeight: 0.3 })).toEqual([]);
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
