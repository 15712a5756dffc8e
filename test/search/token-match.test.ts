// The token-match (late interaction) second stage of hybrid search: the static model's score and the rerank.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ScoredId } from '../../src/domain/scored.ts';
import type { Embedder } from '../../src/index/embedders/embedder.ts';
import { finalizeModel, type StaticModel } from '../../src/index/embedders/static/static-model.ts';
import { tokenize } from '../../src/index/embedders/static/tokenizer.ts';
import { createStaticEmbedder } from '../../src/index/embedders/static/static-embedder.ts';
import { tokenMatch } from '../../src/index/embedders/static/token-match.ts';
import { vocabularyFrom } from '../../src/index/embedders/static/vocabulary.ts';
import { rerankByTokenMatch } from '../../src/rank/hybrid.ts';
import { embedPending } from '../../src/services/search/embed-service.ts';
import { SearchIndexes } from '../../src/services/search/search-indexes.ts';
import { createSearchService } from '../../src/services/search/search-service.ts';
import { paper, tempStore, type TempStore } from '../helpers/temp-store.ts';

describe('rerankByTokenMatch', () => {
  const fused: ScoredId[] = [
    ['a', 0.9],
    ['b', 0.85],
    ['c', 0.8],
    ['d', 0.7],
  ];
  const ids = (list: readonly ScoredId[]): string[] => list.map(([id]) => id);

  it('adds weight × score to the top `depth` and re-sorts only them, the rest staying below in order', () => {
    const asked: string[][] = [];
    const out = rerankByTokenMatch(
      fused,
      (xs) => {
        asked.push([...xs]);
        return xs.map((x) => (x === 'c' ? 1 : 0));
      },
      { weight: 0.2, depth: 3 },
    );
    expect(asked).toEqual([['a', 'b', 'c']]);
    expect(ids(out)).toEqual(['c', 'a', 'b', 'd']);
    expect(out[0]![1]).toBeCloseTo(1.0);
    expect(out[3]).toEqual(['d', 0.7]);
  });

  it('keeps the fused order on ties, for weight 0, and for scores that are not numbers', () => {
    expect(ids(rerankByTokenMatch(fused, (xs) => xs.map(() => 0.5), { weight: 0.2, depth: 4 }))).toEqual(
      ids(fused),
    );
    expect(rerankByTokenMatch(fused, () => [1, 1, 1, 1], { weight: 0 })).toEqual(fused);
    expect(ids(rerankByTokenMatch(fused, () => [Number.NaN, 0, 0], { weight: 0.2, depth: 3 }))).toEqual(
      ids(fused),
    );
    expect(rerankByTokenMatch([], () => [], {})).toEqual([]);
  });

  it('weighs the token match 0.4 by default (cross-validated, issue 19 round 2): a full match lifts a paper 0.4', () => {
    // d trails a by 0.2: a share of 0.2 would at most tie it with a (a stays first), the default 0.4 puts it ahead.
    const out = rerankByTokenMatch(fused, (xs) => xs.map((x) => (x === 'd' ? 1 : 0)));
    expect(ids(out)).toEqual(['d', 'a', 'b', 'c']);
    expect(out[0]![1]).toBeCloseTo(1.1);
  });
});

describe('tokenMatch (static model token vectors)', () => {
  // cat and kitten point almost the same way, car elsewhere; cat is rarer (idf 3) than car (idf 1).
  const tokens = ['cat', 'kitten', 'car'];
  const rows = [
    [1, 0, 0],
    [0.9, 0.1, 0],
    [0, 0, 1],
  ];
  const model = finalizeModel(
    vocabularyFrom(tokens, Float32Array.from([3, 2, 1])),
    3,
    Float32Array.from(rows.flat()),
    {
      docs: 3,
      epochs: 1,
      steps: 1,
      seed: 1,
      seconds: 0,
      finalLoss: 0,
      minDf: 1,
    },
  );

  it('credits a query word met exactly (1) or by a near word (its cosine), weighting words by idf', () => {
    const [exact, near, other] = tokenMatch(model, 'cat car', ['The cat.', 'A kitten.', 'A car.']);
    expect(exact).toBeCloseTo(3 / 4); // cat met (idf 3), car not (cosine 0)
    const cosKitten = 0.9 / Math.hypot(0.9, 0.1);
    expect(near).toBeCloseTo((3 * cosKitten) / 4, 2);
    expect(other).toBeCloseTo(1 / 4);
    expect(tokenMatch(model, 'cat car', ['cat car'])[0]).toBeCloseTo(1);
  });

  it('scores 0 for a query or a text the model does not know, and is what the static embedder offers', () => {
    expect(tokenMatch(model, 'zebra', ['cat'])).toEqual([0]);
    expect(tokenMatch(model, 'cat', ['zebra', ''])).toEqual([0, 0]);
    expect(createStaticEmbedder(model).tokenMatch?.('cat', ['kitten'])).toEqual(
      tokenMatch(model, 'cat', ['kitten']),
    );
  });
});

describe('tokenMatch against the direct computation', () => {
  /** The score as the function documents it, with nothing remembered between calls. */
  function direct(m: StaticModel, query: string, docs: readonly string[]): number[] {
    const ids = (text: string): number[] => [
      ...new Set(
        tokenize(text).flatMap((t) => (m.vocab.ids.get(t) === undefined ? [] : [m.vocab.ids.get(t)!])),
      ),
    ];
    const row = (t: number): number[] => [...m.quantized.subarray(t * m.dimension, (t + 1) * m.dimension)];
    const cos = (a: number, b: number): number => {
      const x = row(a);
      const y = row(b);
      const d = Math.sqrt(x.reduce((s, v) => s + v * v, 0)) * Math.sqrt(y.reduce((s, v) => s + v * v, 0));
      return d > 0 ? x.reduce((s, v, j) => s + v * y[j]!, 0) / d : 0;
    };
    const q = ids(query);
    if (q.length === 0) return docs.map(() => 0);
    const total = q.reduce((s, t) => s + m.vocab.idf[t]!, 0);
    return docs.map((doc) => {
      const bag = ids(doc);
      let sum = 0;
      for (const t of q)
        sum += m.vocab.idf[t]! * (bag.includes(t) ? 1 : Math.max(0, ...bag.map((u) => cos(t, u))));
      return sum / total;
    });
  }

  it('gives the same scores, to the last bit, on first and repeated calls (remembered words and norms)', () => {
    const words = Array.from({ length: 60 }, (_, i) => `w${i}x`);
    const tokens = words.map((w) => tokenize(w)[0]!);
    const dim = 37; // not a multiple of 4: the dot product's tail
    let seed = 7;
    const rand = (): number => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31) * 2 - 1;
    const m = finalizeModel(
      vocabularyFrom(
        tokens,
        Float32Array.from(tokens, (_, i) => 1 + (i % 5)),
      ),
      dim,
      Float32Array.from({ length: tokens.length * dim }, rand),
      { docs: 3, epochs: 1, steps: 1, seed: 1, seconds: 0, finalLoss: 0, minDf: 1 },
    );
    const pick = (n: number): string =>
      Array.from({ length: n }, () => words[Math.floor(((rand() + 1) / 2) * words.length)]).join(' ');
    for (let round = 0; round < 3; round++) {
      for (let i = 0; i < 20; i++) {
        const query = pick(1 + (i % 4));
        const docs = Array.from({ length: 8 }, (_, j) => `The ${pick(3 + j)}. And ${pick(2)}, the WORDS`);
        expect(tokenMatch(m, query, docs)).toEqual(direct(m, query, docs));
      }
    }
  });
});

describe('hybrid search with the token-match rerank', () => {
  let env: TempStore;
  beforeEach(async () => {
    env = await tempStore();
    await env.store.papers.upsertMany([
      paper({ arxivId: '2501.00001', title: 'Gripper control', abstract: 'Robots.' }),
      paper({ arxivId: '2501.00002', title: 'Gripper control hands', abstract: 'Hands that hold things.' }),
    ]);
  });
  afterEach(() => env.cleanup());

  /** Every paper embeds alike, so fusion ranks by words; token match prefers the paper about hands. */
  function embedder(withMatch: boolean, asked: string[][]): Embedder {
    return {
      model: 'toy-v1',
      dimension: 2,
      fusionWeight: 0.5,
      embed: async (ts) => ts.map(() => Float32Array.from([1, 0])),
      ...(withMatch
        ? {
            tokenMatch: (query: string, texts: readonly string[]) => {
              asked.push([query, ...texts]);
              return texts.map((t) => (/hands/i.test(t) ? 1 : 0));
            },
          }
        : {}),
    };
  }

  async function search(
    withMatch: boolean,
    q: string,
    asked: string[][] = [],
    /** null: not configured. */
    weight: number | null = 0.2,
  ): Promise<string[]> {
    const e = embedder(withMatch, asked);
    await embedPending(env.store, e);
    const service = createSearchService({
      store: env.store,
      indexes: new SearchIndexes(env.store, { dir: null, approximateAbove: 10_000 }),
      embedder: async () => e,
      semanticWeight: undefined,
      tokenMatchWeight: weight ?? undefined,
      similarWeight: 0.5,
      depth: 100,
      embedTimeoutMs: 2000,
    });
    const r = await service.search(q, { k: 2 });
    expect(r.mode).toBe('hybrid');
    return r.hits.map((h) => h.paper.id);
  }

  it("reranks the fused top by the embedder's token match of the query and each paper's title and abstract", async () => {
    expect(await search(false, 'control gripper')).toEqual(['2501.00001', '2501.00002']);
    const asked: string[][] = [];
    expect(await search(true, 'control gripper', asked)).toEqual(['2501.00002', '2501.00001']);
    expect(asked).toEqual([
      ['control gripper', 'Gripper control\nRobots.', 'Gripper control hands\nHands that hold things.'],
    ]);
  });

  it('is on by default (DEFAULT_FUSION.tokenMatchWeight) and off when SEARCH_TOKEN_MATCH is 0', async () => {
    expect(await search(true, 'control gripper', [], null)).toEqual(['2501.00002', '2501.00001']);
    const asked: string[][] = [];
    expect(await search(true, 'control gripper', asked, 0)).toEqual(['2501.00001', '2501.00002']);
    expect(asked).toEqual([]);
  });

  it('skips the rerank for a long pasted text', async () => {
    const asked: string[][] = [];
    const long = `control gripper ${'robots '.repeat(60)}`;
    expect(await search(true, long, asked)).toEqual(['2501.00001', '2501.00002']);
    expect(asked).toEqual([]);
  });
});
