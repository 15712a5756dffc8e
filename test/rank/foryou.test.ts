// Golden tests of the For-you ranking (pure): vectors, Rocchio negatives, follows, alerts, hiding, reasons.
import { describe, expect, it } from 'vitest';
import { normalizeAuthorName } from '../../src/domain/index.ts';
import { rowDot } from '../../src/rank/foryou-math.ts';
import { createDotSpace } from '../../src/simd-dot.ts';
import {
  prepareWindow,
  rankForYou,
  rankForYouWindow,
  windowVectors,
  type ForYouSignals,
  type ProfilePaper,
  type RankCandidate,
} from '../../src/rank/foryou.ts';

/** A unit vector pointing mostly along `axis` of 4, with a little of `mix`. */
function v(axis: number, mix = -1, amount = 0.3): Float32Array {
  const a = new Float32Array(4);
  a[axis] = 1;
  if (mix >= 0) a[mix] = amount;
  const n = Math.hypot(...a);
  return a.map((x) => x / n);
}

function cand(id: string, vector: Float32Array | null, o: Partial<RankCandidate> = {}): RankCandidate {
  const authors = o.authors ?? [`Someone ${id}`];
  return {
    id,
    day: '2026-07-01',
    authors,
    authorKeys: authors.map(normalizeAuthorName),
    categories: ['cs.CL'],
    vector,
    ...o,
  };
}

function pos(id: string, vector: Float32Array | null, o: Partial<ProfilePaper> = {}): ProfilePaper {
  return { id, title: `Saved ${id}`, weight: 1, tags: [], vector, ...o };
}

function signals(o: Partial<ForYouSignals> = {}): ForYouSignals {
  return {
    positives: [],
    negatives: [],
    followedAuthors: new Map(),
    followedCategories: new Set(),
    hiddenPapers: new Set(),
    hiddenAuthors: new Set(),
    alerts: [],
    seen: new Set(),
    ...o,
  };
}

// Topics are the four axes: 0 vision, 1 language, 2 robotics, 3 theory.
const CANDIDATES = [
  cand('vision-1', v(0)),
  cand('vision-2', v(0, 1, 0.5)),
  cand('lang-1', v(1)),
  cand('lang-2', v(1, 0, 0.2)),
  cand('robot-1', v(2)),
  cand('theory-1', v(3)),
];

const ids = (items: { id: string }[]): string[] => items.map((i) => i.id);

describe('rankForYou', () => {
  it('works from one saved paper: its topic first, with the reason naming it', () => {
    const items = rankForYou(
      CANDIDATES,
      signals({ positives: [pos('s1', v(1), { title: 'Parsing grammar' })] }),
    );
    expect(ids(items).slice(0, 2)).toEqual(['lang-1', 'lang-2']);
    expect(items[0]?.reason).toBe('similar to "Parsing grammar"');
    expect(items[0]?.reasonKind).toBe('similar');
  });

  it('serves two interests at once through the nearest saved paper', () => {
    const items = rankForYou(CANDIDATES, signals({ positives: [pos('a', v(0)), pos('b', v(2))] }));
    expect(new Set(ids(items).slice(0, 2))).toEqual(new Set(['vision-1', 'robot-1']));
    expect(ids(items).at(-1)).toMatch(/^(lang|theory)/);
  });

  it('moves away from papers marked not interested (Rocchio negative)', () => {
    const base = rankForYou(CANDIDATES, signals({ positives: [pos('a', v(0, 1, 1))] }));
    const neg = rankForYou(CANDIDATES, signals({ positives: [pos('a', v(0, 1, 1))], negatives: [v(1)] }));
    const rank = (items: { id: string }[], id: string): number => ids(items).indexOf(id);
    expect(rank(neg, 'lang-1')).toBeGreaterThan(rank(base, 'lang-1'));
    expect(neg[0]?.id).toMatch(/^vision/);
  });

  it('never returns a paper or an author marked not interested', () => {
    const items = rankForYou(
      [...CANDIDATES, cand('lang-3', v(1), { authors: ['Ada Lovelace', 'B. Other'] })],
      signals({
        positives: [pos('s1', v(1))],
        hiddenPapers: new Set(['lang-1']),
        hiddenAuthors: new Set(['ada lovelace']),
      }),
    );
    expect(ids(items)).not.toContain('lang-1');
    expect(ids(items)).not.toContain('lang-3');
    expect(items).toHaveLength(CANDIDATES.length - 1);
  });

  it('puts a followed author first, whatever the topic, and says so', () => {
    const items = rankForYou(
      [...CANDIDATES, cand('theory-2', v(3), { authors: ['Grace Hopper'] })],
      signals({
        positives: [pos('s1', v(1))],
        followedAuthors: new Map([['grace hopper', 'Grace Hopper']]),
      }),
    );
    expect(items[0]).toMatchObject({ id: 'theory-2', reason: 'by Grace Hopper', reasonKind: 'author' });
  });

  it('gives alert matches and followed categories their reason', () => {
    const items = rankForYou(
      CANDIDATES.map((c) => (c.id === 'theory-1' ? { ...c, categories: ['cs.CC'] } : c)),
      signals({
        alerts: [{ query: 'locomotion -survey', hits: [['robot-1', 7.5]] }],
        followedCategories: new Set(['cs.CC']),
      }),
    );
    expect(items[0]).toMatchObject({ id: 'robot-1', reason: 'matches your alert "locomotion -survey"' });
    const theory = items.find((i) => i.id === 'theory-1');
    expect(theory?.reason).toBe('in cs.CC');
  });

  it('uses per-tag centroids and the lexical lists when there are no vectors', () => {
    const lexical = rankForYou(
      CANDIDATES.map((c) => ({ ...c, vector: null })),
      signals({
        positives: [pos('s1', null, { title: 'Robot arms' })],
        lexicalProfile: [['robot-1', 4]],
        lexicalNeighbours: [
          {
            positive: 0,
            hits: [
              ['robot-1', 4],
              ['vision-2', 1],
            ],
          },
        ],
      }),
    );
    expect(ids(lexical).slice(0, 2)).toEqual(['robot-1', 'vision-2']);
    expect(lexical[0]?.reason).toBe('similar to "Robot arms"');
    expect(lexical.at(-1)?.reason).toBe('new in cs.CL');
  });

  it('prefers newer papers on equal evidence and demotes seen ones', () => {
    const items = rankForYou(
      [
        cand('old', v(1), { day: '2026-06-20' }),
        cand('new', v(1), { day: '2026-07-01' }),
        cand('seen', v(1), { day: '2026-07-01' }),
      ],
      signals({ positives: [pos('s1', v(1))], seen: new Set(['seen']) }),
    );
    expect(ids(items)).toEqual(['new', 'old', 'seen']);
  });

  it('gives the same best few from a prepared window as the full ranking, ties included', () => {
    // 240 papers over four topics and three days; each vector repeats, so scores tie and day, then id decide.
    const many = Array.from({ length: 240 }, (_, i) =>
      cand(`p-${String((i * 37) % 240).padStart(3, '0')}`, v(i % 4, (i + 1) % 4, (i % 3) * 0.2), {
        day: `2026-07-0${1 + (i % 3)}`,
        authors: [`Author ${i % 11}`],
      }),
    );
    const s = signals({
      positives: [pos('s1', v(1, 2, 0.2)), pos('s2', v(3))],
      negatives: [v(2)],
      followedAuthors: new Map([['author 3', 'Author 3']]),
      hiddenAuthors: new Set(['author 5']),
      seen: new Set(['p-001', 'p-002']),
    });
    const full = rankForYou(many, s);
    const win = prepareWindow(many);
    const vectors = windowVectors(win, (i) => many[i]?.vector);
    for (const limit of [1, 7, 25]) {
      const top = rankForYouWindow(win, vectors, s, limit);
      expect(top.items).toEqual(full.slice(0, limit));
      expect(top.total).toBe(full.length);
    }
    expect(full.some((x, i) => i > 0 && x.score === full[i - 1]?.score)).toBe(true);
  });
});

describe('the SIMD dot product', () => {
  it('gives the same bits as the JavaScript loop, whatever the dimension', () => {
    let seed = 7;
    const rand = (): number => ((seed = (seed * 16807) % 2147483647) / 2147483647) * 2 - 1;
    for (const dim of [1, 3, 4, 5, 7, 64, 255, 256, 301]) {
      const space = createDotSpace(3 * dim + 4);
      expect(space).not.toBeNull();
      if (space === null) return;
      for (let t = 0; t < 20; t++) {
        for (let k = 0; k < space.f32.length; k++) space.f32[k] = rand();
        const [a, b] = [t % 2, dim + 1 + (t % 3)];
        expect(Object.is(space.dot(a, b, dim), rowDot(space.f32, a, space.f32, b, dim))).toBe(true);
      }
    }
  });

  it('ranks the same with it as without it', () => {
    const many = Array.from({ length: 90 }, (_, i) => cand(`q-${i}`, v(i % 4, (i + 2) % 4, (i % 5) * 0.1)));
    const s = signals({ positives: [pos('s1', v(0, 1, 0.4)), pos('s2', v(2))], negatives: [v(3, 1, 0.2)] });
    const win = prepareWindow(many);
    const vectors = windowVectors(win, (i) => many[i]?.vector);
    expect(vectors.space).not.toBeNull();
    const plain = { ...vectors, space: null };
    expect(rankForYouWindow(win, vectors, s, 30)).toEqual(rankForYouWindow(win, plain, s, 30));
  });
});
