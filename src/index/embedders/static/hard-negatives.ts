// Hard negatives for contrastive training: for each paper, the other papers BM25 ranks highest for its title.
import type { TrainDoc } from './training-pairs.ts';

export interface MiningOptions {
  /** Candidates kept per paper (default 4); training draws its negatives among them. */
  pool?: number;
  /**
   * Papers are mined in shards of at most this many (default 50,000), each against its own shard only: memory
   * and time per paper stay flat at any corpus size, and 50,000 papers still hold close neighbours.
   */
  shard?: number;
  /** Query words in more than this share of a shard's papers are skipped (default 0.05): cost, not rank. */
  maxDfShare?: number;
  /**
   * Keep the candidates at these ranks instead of the best `pool` (1-based, both ends included, the paper
   * itself never counted): `[10, 30]` keeps 21 softer negatives, related papers but not the title's lexical
   * near-duplicates. Replaces `pool`. Default: ranks 1 to `pool`.
   */
  ranks?: readonly [number, number];
}

/**
 * Each paper's mined negatives: `ids[i * pool + r]` is paper i's r-th kept candidate (best first), −1 if none.
 */
export interface HardNegatives {
  readonly pool: number;
  readonly ids: Int32Array;
}

export const DEFAULT_MINING = { pool: 4, shard: 50_000, maxDfShare: 0.05 } as const;

const K1 = 1.2;
const B = 0.75;

/**
 * Ranks, for every paper, the other papers by BM25 of its title (its first sentence when it has no title) over
 * their title and abstract, and keeps the best `pool`. Term-at-a-time over a small inverted index of token ids.
 * @example const negatives = mineHardNegatives(trainDocs, vocabSize); negatives.ids[7 * negatives.pool] // paper 7's nearest other
 */
export function mineHardNegatives(
  docs: readonly TrainDoc[],
  vocabSize: number,
  opts: MiningOptions = {},
): HardNegatives {
  const first = opts.ranks === undefined ? 1 : Math.max(1, Math.floor(opts.ranks[0]));
  const last =
    opts.ranks === undefined
      ? Math.max(1, opts.pool ?? DEFAULT_MINING.pool)
      : Math.max(first, Math.floor(opts.ranks[1]));
  const pool = last - first + 1;
  const shard = Math.max(2, opts.shard ?? DEFAULT_MINING.shard);
  const ids = new Int32Array(docs.length * pool).fill(-1);
  const shards = Math.ceil(docs.length / shard);
  const size = Math.ceil(docs.length / Math.max(1, shards));
  const work = createWorkspace(vocabSize, Math.min(size, docs.length));
  for (let from = 0; from < docs.length; from += size) {
    mineShard(docs, from, Math.min(docs.length, from + size), first, last, opts.maxDfShare, work, ids);
  }
  return { pool, ids };
}

/** Buffers reused across shards: vocabulary-sized counts and offsets, one score per shard paper. */
interface Workspace {
  /** Zero outside `forDistinct`. */
  count: Int32Array;
  df: Int32Array;
  start: Int32Array;
  fill: Int32Array;
  scores: Float32Array;
  touched: Int32Array;
}

function createWorkspace(vocabSize: number, shardSize: number): Workspace {
  return {
    count: new Int32Array(vocabSize),
    df: new Int32Array(vocabSize),
    start: new Int32Array(vocabSize),
    fill: new Int32Array(vocabSize),
    scores: new Float32Array(shardSize),
    touched: new Int32Array(shardSize),
  };
}

/** Calls `each(token, tf)` once per distinct token of a paper (title and every sentence). */
function forDistinct(doc: TrainDoc, w: Workspace, each: (t: number, tf: number) => void): void {
  const parts = [doc.title, ...doc.sentences];
  for (const part of parts) for (const t of part) w.count[t]! += 1;
  for (const part of parts)
    for (const t of part) {
      if (w.count[t]! > 0) {
        each(t, w.count[t]!);
        w.count[t] = 0;
      }
    }
}

function mineShard(
  docs: readonly TrainDoc[],
  from: number,
  to: number,
  first: number,
  depth: number,
  maxDfShare: number | undefined,
  w: Workspace,
  out: Int32Array,
): void {
  const n = to - from;
  // Postings of the shard: offsets by token (only tokens it uses), then paper (local index) and tf.
  const lengths = new Float32Array(n);
  const used: number[] = [];
  w.df.fill(0);
  for (let i = 0; i < n; i++) {
    let len = 0;
    forDistinct(docs[from + i]!, w, (t, tf) => {
      if (w.df[t] === 0) used.push(t);
      w.df[t]! += 1;
      len += tf;
    });
    lengths[i] = len;
  }
  let avg = 0;
  for (let i = 0; i < n; i++) avg += lengths[i]!;
  avg = avg / Math.max(1, n) || 1;
  let total = 0;
  for (const t of used) {
    w.start[t] = w.fill[t] = total;
    total += w.df[t]!;
  }
  const postDoc = new Int32Array(total);
  const postTf = new Float32Array(total);
  for (let i = 0; i < n; i++) {
    forDistinct(docs[from + i]!, w, (t, tf) => {
      const at = w.fill[t]!++;
      postDoc[at] = i;
      // BM25's saturated tf with the length norm, so a query only adds idf × this.
      postTf[at] = (tf * (K1 + 1)) / (tf + K1 * (1 - B + (B * lengths[i]!) / avg));
    });
  }
  const maxDf = Math.max(2, Math.floor((maxDfShare ?? DEFAULT_MINING.maxDfShare) * n));
  // The best `depth` are ranked; ranks `first` to `depth` are kept.
  const pool = depth - first + 1;
  const best = new Int32Array(depth);
  const bestScore = new Float32Array(depth);
  for (let i = 0; i < n; i++) {
    const doc = docs[from + i]!;
    const query = doc.title.length > 0 ? doc.title : (doc.sentences[0] ?? new Int32Array(0));
    let touched = 0;
    const seen = new Set<number>();
    for (const t of query) {
      if (seen.has(t)) continue;
      seen.add(t);
      const df = w.df[t]!;
      // A word in this paper alone points nowhere else; one in most papers costs much and ranks little.
      if (df < 2 || df > maxDf) continue;
      const idf = Math.log(1 + (n - df + 0.5) / (df + 0.5));
      const s = w.start[t]!;
      for (let p = s; p < s + df; p++) {
        const d = postDoc[p]!;
        if (w.scores[d] === 0) w.touched[touched++] = d;
        w.scores[d]! += idf * postTf[p]!;
      }
    }
    best.fill(-1);
    bestScore.fill(-Infinity);
    for (let j = 0; j < touched; j++) {
      const d = w.touched[j]!;
      const s = w.scores[d]!;
      w.scores[d] = 0;
      if (d === i || s <= bestScore[depth - 1]!) continue;
      let r = depth - 1;
      while (r > 0 && s > bestScore[r - 1]!) {
        bestScore[r] = bestScore[r - 1]!;
        best[r] = best[r - 1]!;
        r--;
      }
      bestScore[r] = s;
      best[r] = d;
    }
    for (let r = 0; r < pool; r++) {
      const id = best[first - 1 + r]!;
      out[(from + i) * pool + r] = id < 0 ? -1 : from + id;
    }
  }
}
