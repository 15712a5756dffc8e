// Pruned (MaxScore) lexical search returns exactly what exhaustive scoring returns, filters included.
import { describe, expect, it } from 'vitest';
import {
  frequencyNeeded,
  postingScore,
  surelyBelow,
  termScoring,
  unitPostingScore,
  type TermScoring,
} from '../../src/index/lexical/bm25f-scorer.ts';
import { END_OF_POSTINGS, PostingCursor } from '../../src/index/lexical/posting-cursor.ts';
import type { IndexState } from '../../src/index/lexical/index-state.ts';
import { TermBounds } from '../../src/index/lexical/term-bounds.ts';
import {
  createLexicalIndex,
  type LexicalDoc,
  type LexicalIndex,
} from '../../src/index/lexical/lexical-index.ts';
import { rng } from '../helpers/random.ts';

const SYLLABLES = ['ka', 'lo', 'mi', 'ru', 'se', 'ta', 'vo', 'ne', 'pi', 'du', 'ga', 'zo'];
const CATEGORIES = ['cs.CL', 'cs.CV', 'cs.LG', 'cs.RO', 'stat.ML'];
const AUTHORS = ['Ana Souza', 'Wei Chen', 'Marta Rossi', 'Kofi Mensah', 'Lena Berg', 'Ivan Petrov'];

/** A vocabulary of made-up words; a cubed draw makes the first ones very common, as real terms are. */
function makeWords(random: () => number, count: number): { vocab: string[]; draw: () => string } {
  const vocab = Array.from({ length: count }, (_, i) => {
    const a = SYLLABLES[i % SYLLABLES.length] ?? 'ka';
    const b = SYLLABLES[Math.floor(i / SYLLABLES.length) % SYLLABLES.length] ?? 'lo';
    return `${a}${b}${SYLLABLES[(i * 7) % SYLLABLES.length] ?? ''}x`;
  });
  return { vocab, draw: () => vocab[Math.floor(random() ** 3 * vocab.length)] ?? 'kalox' };
}

function makeCorpus(seed: number, size: number): { docs: LexicalDoc[]; vocab: string[]; draw: () => string } {
  const random = rng(seed);
  const { vocab, draw } = makeWords(random, 300);
  const words = (n: number): string => Array.from({ length: n }, draw).join(' ');
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
  const docs = Array.from({ length: size }, (_, i): LexicalDoc => {
    const month = 1 + Math.floor(random() * 12);
    return {
      id: `g-${i}`,
      title: words(2 + Math.floor(random() * 10)),
      abstract: words(5 + Math.floor(random() * 120)),
      authors: [pick(AUTHORS), pick(AUTHORS)],
      categories: [pick(CATEGORIES), ...(random() < 0.3 ? [pick(CATEGORIES)] : [])],
      date: random() < 0.05 ? null : `2025-${String(month).padStart(2, '0')}-10`,
    };
  });
  return { docs, vocab, draw };
}

/** A random query: 1–8 words, sometimes with a filter, an exclusion or an author. */
function makeQuery(random: () => number, draw: () => string): string {
  const parts = Array.from({ length: 1 + Math.floor(random() * 8) }, draw);
  const r = random();
  if (r < 0.15) parts.push(`cat:${CATEGORIES[Math.floor(random() * CATEGORIES.length)] ?? 'cs.CL'}`);
  else if (r < 0.25) parts.push(`since:2025-0${1 + Math.floor(random() * 9)}`);
  else if (r < 0.35) parts.push(`-${draw()}`);
  else if (r < 0.42)
    parts.push(`author:${AUTHORS[Math.floor(random() * AUTHORS.length)]?.split(' ')[1] ?? ''}`);
  else if (r < 0.47) parts.push(`"${draw()} ${draw()}"`);
  return parts.join(' ');
}

function expectSameResults(
  index: LexicalIndex,
  random: () => number,
  draw: () => string,
  rounds: number,
): number {
  let nonEmpty = 0;
  for (let i = 0; i < rounds; i++) {
    const query = makeQuery(random, draw);
    const k = [1, 3, 10, 50, 200][Math.floor(random() * 5)] ?? 10;
    const exhaustive = index.search(query, { k, prune: false });
    expect(index.search(query, { k }), `${query} (k=${k})`).toEqual(exhaustive);
    if (exhaustive.length > 0) nonEmpty++;
  }
  return nonEmpty;
}

describe('MaxScore pruning', () => {
  it('matches exhaustive scoring on random queries over a generated corpus', () => {
    const { docs, draw } = makeCorpus(11, 3000);
    const index = createLexicalIndex();
    for (const doc of docs) index.add(doc);
    const nonEmpty = expectSameResults(index, rng(5), draw, 400);
    expect(nonEmpty).toBeGreaterThan(300);
  });

  it('still matches after updates, removals and new postings that are not yet merged', () => {
    const { docs, draw } = makeCorpus(23, 2500);
    const index = createLexicalIndex();
    for (const doc of docs) index.add(doc);
    index.compact();
    const random = rng(9);
    for (let i = 0; i < 400; i++) index.remove(`g-${Math.floor(random() * docs.length)}`);
    const { docs: more } = makeCorpus(31, 600);
    for (const doc of more) index.add({ ...doc, id: `g-${Math.floor(random() * 3500)}` });
    expectSameResults(index, random, draw, 300);
  });

  it('forgets cached posting impacts when the index changes between searches', () => {
    // Long lists (the common words here) are scored from impacts cached at the first search; adding and
    // removing papers changes the average lengths those impacts were computed with.
    const { docs, draw } = makeCorpus(71, 2500);
    const index = createLexicalIndex();
    for (const doc of docs.slice(0, 2000)) index.add(doc);
    const random = rng(13);
    expectSameResults(index, random, draw, 100);
    for (const doc of docs.slice(2000)) index.add(doc);
    expectSameResults(index, random, draw, 100);
    for (let i = 0; i < 300; i++) index.remove(`g-${Math.floor(random() * 2500)}`);
    index.compact();
    expectSameResults(index, random, draw, 100);
  });

  it('caches a long list’s impacts from its second search on, not for a one-off word or a short list', () => {
    const { docs, vocab } = makeCorpus(83, 3000);
    const index = createLexicalIndex();
    for (const doc of docs) index.add(doc);
    index.compact();
    const state = (index as unknown as { state: IndexState }).state;
    const long = state.terms.get(vocab[0]!)!;
    const short = Array.from(state.df).findIndex((df) => df > 0 && df < 512);
    expect(short).toBeGreaterThanOrEqual(0);
    const bounds = new TermBounds();
    const get = (t: number): number => bounds.get(state, t, termScoring(state, t, 1));
    const first = get(long);
    expect(bounds.impacts(long)).toBeNull();
    expect(get(long)).toBe(first);
    const impacts = bounds.impacts(long);
    expect(impacts?.length).toBe(state.df[long]); // one per posting of a compacted index
    // Nothing is computed until a cursor scores a posting; then it is kept, leaving out the query weight.
    expect(impacts!.every((u) => Number.isNaN(u))).toBe(true);
    const ts = termScoring(state, long, 1);
    const cursor = new PostingCursor(state, long, impacts);
    for (; cursor.doc !== END_OF_POSTINGS; cursor.next())
      expect(cursor.score(ts, state.docs.lengths)).toBe(
        postingScore(ts, state.docs.lengths, cursor.doc, cursor.tf),
      );
    // The bound is the weight times the largest.
    expect(ts.weight * Math.max(...impacts!)).toBe(first);
    get(short);
    get(short);
    expect(bounds.impacts(short)).toBeNull();
    bounds.clear();
    expect(bounds.impacts(long)).toBeNull();
  });

  it('gives no impacts to a list longer than the cap, and answers the same', () => {
    const { docs, vocab, draw } = makeCorpus(89, 3000);
    const index = createLexicalIndex();
    for (const doc of docs) index.add(doc);
    index.compact();
    const state = (index as unknown as { state: IndexState }).state;
    const [a, b] = [vocab[0]!, vocab[40]!].map((w) => state.terms.get(w)!) as [number, number];
    const [long, shorter] = state.df[a]! > state.df[b]! ? [a, b] : [b, a];
    expect(state.df[shorter]).toBeGreaterThanOrEqual(512);
    expect(state.df[long]).toBeGreaterThan(state.df[shorter]!);
    const bounds = new TermBounds(1_000_000, state.df[shorter]!);
    const get = (t: number): number => bounds.get(state, t, termScoring(state, t, 1));
    for (const t of [long, shorter, long, shorter]) get(t);
    expect(bounds.impacts(shorter)?.length).toBe(state.df[shorter]);
    expect(bounds.impacts(long)).toBeNull();
    // Through the index (its default cap), pruned answers still equal exhaustive ones.
    (index as unknown as { bounds: TermBounds }).bounds = new TermBounds(1_000_000, 600);
    expectSameResults(index, rng(17), draw, 150);
  });

  it('keeps the impacts of a list searched more often over one searched less, whatever came last', () => {
    const { docs, vocab } = makeCorpus(83, 3000);
    const index = createLexicalIndex();
    for (const doc of docs) index.add(doc);
    index.compact();
    const state = (index as unknown as { state: IndexState }).state;
    const [a, b] = [vocab[0]!, vocab[1]!].map((w) => state.terms.get(w)!) as [number, number];
    const [lengthA, lengthB] = [state.df[a]!, state.df[b]!];
    expect(Math.min(lengthA, lengthB)).toBeGreaterThanOrEqual(512);
    // Room for either list's impacts, not for both.
    const bounds = new TermBounds(Math.max(lengthA, lengthB) + Math.min(lengthA, lengthB) - 1);
    const get = (t: number): number => bounds.get(state, t, termScoring(state, t, 1));
    for (let i = 0; i < 3; i++) get(a);
    expect(bounds.impacts(a)).not.toBeNull();
    // b is now the most recent, but searched twice to a's three times: a keeps its impacts.
    get(b);
    get(b);
    expect(bounds.impacts(b)).toBeNull();
    expect(bounds.impacts(a)).not.toBeNull();
    // Searched more often than a, b takes the room.
    get(b);
    get(b);
    expect(bounds.impacts(b)?.length).toBe(lengthB);
    expect(bounds.impacts(a)).toBeNull();
  });

  it('fills cached impacts only where searches score, and a half-filled cache never changes a result', () => {
    // Two-word queries with one very common word: MaxScore probes the common list at a few documents, so
    // its impacts fill in part, search after search, and each later search reads a mix of kept and new ones.
    const { docs, vocab } = makeCorpus(97, 3000);
    const index = createLexicalIndex();
    for (const doc of docs) index.add(doc);
    index.compact();
    const state = (index as unknown as { state: IndexState }).state;
    const bounds = (index as unknown as { bounds: TermBounds }).bounds;
    const common = vocab[0]!;
    const long = state.terms.get(common)!;
    for (let round = 0; round < 3; round++)
      for (const rare of vocab.slice(200, 260)) {
        const query = `${common} ${rare}`;
        expect(index.search(query, { k: 5 }), query).toEqual(index.search(query, { k: 5, prune: false }));
      }
    const impacts = bounds.impacts(long)!;
    const filled = impacts.filter((u) => !Number.isNaN(u)).length;
    expect(filled).toBeGreaterThan(0);
    expect(filled).toBeLessThan(impacts.length);
    const ts = termScoring(state, long, 1);
    const lengths = state.docs.lengths;
    let p = 0;
    for (const c = new PostingCursor(state, long); c.doc !== END_OF_POSTINGS; c.next(), p++)
      if (!Number.isNaN(impacts[p]!)) expect(impacts[p]).toBe(unitPostingScore(ts, lengths, c.doc, c.tf));
  });

  it('matches when a field weighs nothing, so some postings score zero', () => {
    const { docs, draw } = makeCorpus(47, 1500);
    const index = createLexicalIndex({ fields: { title: { weight: 0 }, authors: { weight: 0 } } });
    for (const doc of docs) index.add(doc);
    expectSameResults(index, rng(3), draw, 200);
    expect(index.search('souza', { k: 5 })).toEqual([]);
  });

  it('walks the one list left essential alone, and still finds the late papers its probes lift into the top', () => {
    // "rarex" (in every 20th title) weighs far more than "omni" (in nearly every abstract): once ten papers
    // holding both are seen, θ passes anything "omni" alone can give, and "rarex" is walked alone with "omni"
    // only probed. The last 400 papers hold "omni" in the title as well (where the others hold "plain"): the best
    // answers, found only if the probes count what "omni" can add. "solo" (5 papers) keeps θ below "omni"'s bound at k = 10, so "omni" is
    // walked alone to the end.
    const index = createLexicalIndex();
    for (let i = 0; i < 4000; i++)
      index.add({
        id: `w-${i}`,
        title: `${i % 20 === 0 ? 'rarex ' : ''}${i % 800 === 0 ? 'solo ' : ''}${i >= 3600 ? 'omni' : 'plain'} topic${i % 13}x`,
        abstract: `${i % 10 === 9 ? '' : 'omni '}filler${i % 7}x filler${i % 11}x filler${i % 5}x`,
        authors: ['Ana Souza'],
        categories: [i % 3 === 0 ? 'cs.CL' : 'cs.LG'],
        date: `2025-0${1 + (i % 9)}-10`,
      });
    index.compact();
    // With block maxima (an index built here, or a format 5 snapshot) and without (a format 4 one).
    for (const blockMax of [true, false]) {
      const late = index.search('omni rarex', { k: 10, blockMax });
      expect(late.map(([id]) => Number(id.slice(2))).every((i) => i >= 3600 && i % 20 === 0)).toBe(true);
    }
    for (let i = 0; i < 4000; i += 37) index.remove(`w-${i}`);
    const queries = [
      'omni rarex',
      'rarex omni topic3x',
      'omni solo',
      'omni',
      'omni rarex cat:cs.CL',
      'omni since:2025-05',
    ];
    for (const q of queries)
      for (const k of [1, 10, 100]) {
        const exhaustive = index.search(q, { k, prune: false });
        expect(index.search(q, { k }), `${q} (k=${k})`).toEqual(exhaustive);
        expect(index.search(q, { k, blockMax: false }), `${q} (k=${k}, no block maxima)`).toEqual(exhaustive);
      }
  });

  it('rejects a posting before scoring it only when its unit score is below the one needed', () => {
    // The test behind pruning without scoring: never true for a posting that reaches `unitNeed` (exactly, or
    // by the last bit), true once it is clearly below, for postings in the abstract alone (the multiplication
    // path) and with title or author counts (the frequency path), under varied BM25F constants.
    const random = rng(83);
    let rejected = 0;
    for (let i = 0; i < 20000; i++) {
      const b = [random(), random(), random()].map((x) => (i % 7 === 0 ? 1 : x));
      const avg = [5 + random() * 10, 80 + random() * 150, 3 + random() * 8];
      const k1 = 0.5 + random() * 2.5;
      const ts: TermScoring = {
        wT: random() * 6,
        nT: 1 - b[0]!,
        sT: b[0]! / avg[0]!,
        wA: random() * 3,
        nA: 1 - b[1]!,
        sA: b[1]! / avg[1]!,
        wU: random() * 3,
        nU: 1 - b[2]!,
        sU: b[2]! / avg[2]!,
        k1,
        weight: 1,
      };
      const lengths = Uint16Array.of(
        1 + Math.floor(random() * 30),
        1 + Math.floor(random() * 400),
        1 + Math.floor(random() * 20),
      );
      const a = 1 + Math.floor(random() * 20);
      const tf =
        random() < 0.6
          ? a << 4
          : (1 + Math.floor(random() * 3)) | (a << 4) | (Math.floor(random() * 3) << 12);
      const u = unitPostingScore(ts, lengths, 0, tf);
      for (const need of [u, u * (1 - 1e-16), u - Number.EPSILON, u * 0.5, u * (1 + 1e-15)]) {
        const reject = surelyBelow(ts, lengths, 0, tf, frequencyNeeded(k1, need));
        if (u >= need) expect(reject, `u ${u} need ${need} tf ${tf}`).toBe(false);
      }
      if (u > 0) {
        const clearly = u * (1 + 1e-6);
        expect(surelyBelow(ts, lengths, 0, tf, frequencyNeeded(k1, clearly)), `u ${u}`).toBe(true);
        rejected++;
      }
    }
    expect(rejected).toBeGreaterThan(15000);
    expect(frequencyNeeded(1.6, 0)).toBe(0);
    expect(frequencyNeeded(1.6, 1)).toBe(Infinity);
  });

  it('prunes: a rare word with a very common one still ranks the rare word’s papers first', () => {
    const { docs, vocab } = makeCorpus(59, 3000);
    const index = createLexicalIndex();
    for (const doc of docs) index.add(doc);
    const common = vocab[0] ?? '';
    const rare = vocab[250] ?? '';
    const both = index.search(`${common} ${rare}`, { k: 10 });
    expect(both).toEqual(index.search(`${common} ${rare}`, { k: 10, prune: false }));
    const withRare = new Set(index.search(rare, { k: 3000 }).map(([id]) => id));
    expect(withRare.size).toBeGreaterThan(0);
    expect(both.slice(0, Math.min(10, withRare.size)).every(([id]) => withRare.has(id))).toBe(true);
  });
});
