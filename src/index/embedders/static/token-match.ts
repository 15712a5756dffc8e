// Late interaction with a static model's token vectors: how well each query word is met somewhere in a paper.
import type { StaticModel } from './static-model.ts';
import { rawWords, tokenOf } from './tokenizer.ts';

type Rows = Pick<StaticModel, 'quantized' | 'dimension' | 'vocab' | 'ensureRows'>;

/** Raw words remembered per model before the memo starts over (a word and an id each). */
const MAX_MEMO_WORDS = 200_000;

/**
 * What a model's token match keeps between calls: each raw word's vocabulary id (-1: none), so a word is
 * stemmed once, not in every one of the 20 papers of every hybrid search; and each row's norm (NaN until
 * computed). Both are pure functions of the model, so answers are those computed afresh.
 */
interface MatchMemo {
  ids: Map<string, number>;
  norms: Float64Array;
}

const memos = new WeakMap<Rows, MatchMemo>();

function memoOf(model: Rows): MatchMemo {
  let m = memos.get(model);
  if (m === undefined) {
    const rows = Math.max(model.vocab.idf.length, Math.floor(model.quantized.length / model.dimension));
    m = { ids: new Map(), norms: new Float64Array(rows).fill(Number.NaN) };
    memos.set(model, m);
  }
  return m;
}

/** A text's known tokens as unique vocabulary ids, in first-seen order (as `tokenize` then a vocabulary lookup). */
function tokenIds(model: Rows, memo: MatchMemo, text: string): number[] {
  const out = new Set<number>();
  for (const raw of rawWords(text)) {
    let id = memo.ids.get(raw);
    if (id === undefined) {
      const token = tokenOf(raw);
      id = token === null ? -1 : (model.vocab.ids.get(token) ?? -1);
      if (memo.ids.size >= MAX_MEMO_WORDS) memo.ids.clear();
      memo.ids.set(raw, id);
    }
    if (id >= 0) out.add(id);
  }
  return [...out];
}

/**
 * The dot product of two int8 rows. Each product is at most 127² and a row has at most a few thousand
 * entries, so every partial sum is an exact small integer: any order of additions gives the same value.
 */
function dot(q: Int8Array, x: number, y: number, dim: number): number {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let j = 0;
  for (; j + 3 < dim; j += 4) {
    s0 = (s0 + q[x + j]! * q[y + j]!) | 0;
    s1 = (s1 + q[x + j + 1]! * q[y + j + 1]!) | 0;
    s2 = (s2 + q[x + j + 2]! * q[y + j + 2]!) | 0;
    s3 = (s3 + q[x + j + 3]! * q[y + j + 3]!) | 0;
  }
  for (; j < dim; j++) s0 = (s0 + q[x + j]! * q[y + j]!) | 0;
  return s0 + s1 + s2 + s3;
}

/**
 * For each text of `docs`: the idf-weighted mean, over the query's known words, of the best cosine between
 * that word's vector and any word vector of the text (1 for the word itself), in 0–1 (0 for a query the
 * model does not know). Unlike the pooled cosine it keeps each query word apart, so a paper that meets
 * every word of a claim outranks one that only shares its topic; unlike word matching it credits related
 * words ("inhibits" meets "suppression"). Cost: query words × distinct words of the texts × dimension.
 * @example tokenMatch(model, 'p53 inhibits growth', [abstractA, abstractB]) // [0.83, 0.41]
 */
export function tokenMatch(model: Rows, query: string, docs: readonly string[]): number[] {
  const memo = memoOf(model);
  const q = tokenIds(model, memo, query);
  const bags = docs.map((d) => tokenIds(model, memo, d));
  if (q.length === 0) return docs.map(() => 0);
  model.ensureRows?.(Int32Array.from(new Set([...q, ...bags.flat()])));
  const { quantized, dimension: dim } = model;
  // int8 rows: the per-row scale cancels in a cosine, so only the rows' own norms are needed.
  const norms = memo.norms;
  const norm = (t: number): number => {
    let n = norms[t]!;
    if (Number.isNaN(n)) norms[t] = n = Math.sqrt(dot(quantized, t * dim, t * dim, dim));
    return n;
  };
  // Cosines of a query word with a paper word, computed only for papers that lack the word itself (there
  // it scores 1) and each pair once across the papers: most of a claim's words are in most of its top papers.
  const cosines = q.map(() => new Map<number, number>());
  const cosine = (a: number, u: number): number => {
    const known = cosines[a]!.get(u);
    if (known !== undefined) return known;
    const t = q[a]!;
    const d = norm(t) * norm(u);
    const c = d > 0 ? dot(quantized, t * dim, u * dim, dim) / d : 0;
    cosines[a]!.set(u, c);
    return c;
  };
  const idf = q.map((t) => model.vocab.idf[t] ?? 1);
  const total = idf.reduce((a, b) => a + b, 0);
  return bags.map((bag) => {
    const own = new Set(bag);
    let sum = 0;
    q.forEach((t, a) => {
      let best = 0;
      if (own.has(t)) best = 1;
      else for (const u of bag) best = Math.max(best, cosine(a, u));
      sum += idf[a]! * best;
    });
    return total > 0 ? sum / total : 0;
  });
}
