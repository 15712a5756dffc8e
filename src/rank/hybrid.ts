// Fuses lexical and semantic result lists into one ranking; the one place where scores are normalized.
import type { ScoredId } from '../domain/scored.ts';

/*
 * Formula (docs/DESIGN.md, "Ranking math"). Candidates are the union of the lexical list and the semantic
 * list (the caller fetches `depth` from each). For a candidate d:
 *     n_L(d) = s_L(d) / max_L      its BM25F score over the lexical list's best (0 when not in that list)
 *     c(d)   = cos(query, d)       its score in the semantic list (a cosine), else what `semanticScores`
 *                                  gives for it, else the semantic list's lowest score (0 when that list
 *                                  is empty)
 *     h(d)   = (1 - w) · n_L(d) + w · c(d)
 * with w = semanticWeight. The cosine is used as is (a fixed −1…1 scale), so a lexical candidate's
 * semantic evidence does not depend on which other papers happened to make either list. w = 0 returns
 * the lexical list unchanged in order; w = 1 orders the candidates by cosine alone.
 */

/**
 * Tuned on the tune split of the SciFact training claims (648 of 809) with the corpus-trained static
 * model: `npm run eval -- --dataset ../shared/eval/scifact` (docs/BENCHMARKS.md).
 */
export const DEFAULT_FUSION = {
  /** Share of the semantic score, 0–1; 0 gives lexical order exactly. */
  semanticWeight: 0.6,
  /** Candidates fetched from each retriever before fusing (SEARCH_DEPTH's default; range 10–2,000). */
  depth: 100,
  /**
   * Share of the token-match score (late interaction, `rerankByTokenMatch`) added to the fused score of the
   * top `tokenMatchDepth` (SEARCH_TOKEN_MATCH overrides it; 0 turns it off). 0.4, with the static model's
   * fusion weight 0.75, chosen by 5-fold cross-validation on the SciFact training claims (issue 19, round 2):
   * against 0.2 at 0.65 it lifts the worst held-out fold and the mean gain for each of three model seeds.
   * The depth too: reranking the top 20, 50 or all 100 ranks the first 10 the same there, and 20 costs a fifth.
   */
  tokenMatchWeight: 0.4,
  tokenMatchDepth: 20,
} as const;

/**
 * The weight hybrid search uses: the configured one (SEARCH_SEMANTIC_WEIGHT), else the one the model was
 * tuned for, else DEFAULT_FUSION's.
 * @example fusionWeight(undefined, 0.35) // 0.35
 */
export function fusionWeight(configured: number | undefined, modelOwn: number | undefined): number {
  return configured ?? modelOwn ?? DEFAULT_FUSION.semanticWeight;
}

/** Per-call options of `fuseHybrid`. */
export interface FuseOptions {
  /** Share of the semantic score, 0–1; default DEFAULT_FUSION.semanticWeight. */
  readonly semanticWeight?: number;
  /**
   * Cosines of the query vector and the vectors of `ids` (null for a paper without a vector), in order.
   * Lets a lexical candidate outside the semantic top `depth` keep its real semantic evidence; asked once,
   * only for candidates missing from the semantic list, whose scores are taken as their cosines.
   */
  readonly semanticScores?: (ids: readonly string[]) => ArrayLike<number | null>;
}

/**
 * Weighted fusion of the lexical score (relative to the best lexical score) and the raw cosine; ties keep
 * lexical order, then semantic order, then id order.
 * @example fuseHybrid([['a', 12], ['b', 6]], [['b', 0.8], ['c', 0.5]], { semanticWeight: 0.8 }) // b, a, c
 */
export function fuseHybrid(
  lexical: readonly ScoredId[],
  semantic: readonly ScoredId[],
  options: FuseOptions = {},
): ScoredId[] {
  const w = options.semanticWeight ?? DEFAULT_FUSION.semanticWeight;
  if (!(w >= 0 && w <= 1)) throw new RangeError(`semanticWeight must be within 0–1 (got ${w})`);
  // Candidates in first-seen order (lexical list, then semantic-only ids), in flat arrays: this runs for
  // every search, and per-candidate objects and maps cost more than the arithmetic.
  const slot = new Map<string, number>();
  const ids: string[] = [];
  const lexScore: number[] = [];
  const lexRank: number[] = [];
  const semScore: number[] = [];
  const semRank: number[] = [];
  let maxL = -Infinity;
  for (let r = 0; r < lexical.length; r++) {
    const [id, score] = lexical[r]!;
    if (slot.has(id)) continue;
    slot.set(id, ids.length);
    ids.push(id);
    lexScore.push(score);
    lexRank.push(r);
    semScore.push(Number.NaN);
    semRank.push(Number.MAX_SAFE_INTEGER);
    if (score > maxL) maxL = score;
  }
  // Filter-only queries score every match 0: each listed paper then counts as a full lexical match.
  const lexPart = (s: number): number => (maxL > 0 ? s / maxL : 1);
  if (w === 0) return ids.map((id, i): ScoredId => [id, lexPart(lexScore[i]!)]);

  let floor = semantic.length > 0 ? Infinity : 0;
  for (let r = 0; r < semantic.length; r++) {
    const [id, score] = semantic[r]!;
    let i = slot.get(id);
    if (i === undefined) {
      i = ids.length;
      slot.set(id, i);
      ids.push(id);
      lexScore.push(Number.NaN);
      lexRank.push(Number.MAX_SAFE_INTEGER);
      semScore.push(Number.NaN);
      semRank.push(Number.MAX_SAFE_INTEGER);
    }
    if (semRank[i] !== Number.MAX_SAFE_INTEGER) continue; // a repeat: the first occurrence counts
    semScore[i] = score;
    semRank[i] = r;
    if (score < floor) floor = score;
  }
  const n = ids.length;
  // A semantic-list score is already that paper's cosine; only the others are looked up, in one batch.
  const unlisted: number[] = [];
  for (let i = 0; i < n; i++) if (Number.isNaN(semScore[i]!)) unlisted.push(i);
  const given = unlisted.length > 0 ? options.semanticScores?.(unlisted.map((i) => ids[i]!)) : undefined;
  unlisted.forEach((i, j) => {
    const c = given?.[j];
    semScore[i] = typeof c === 'number' && Number.isFinite(c) ? c : floor;
  });
  const h = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const c = semScore[i]!;
    const l = lexScore[i]!;
    h[i] = (1 - w) * (Number.isNaN(l) ? 0 : lexPart(l)) + w * c;
  }
  const order = Array.from({ length: n }, (_, i) => i);
  order.sort((a, b) => {
    const ia = ids[a]!;
    const ib = ids[b]!;
    return (
      h[b]! - h[a]! ||
      lexRank[a]! - lexRank[b]! ||
      semRank[a]! - semRank[b]! ||
      (ia < ib ? -1 : ia > ib ? 1 : 0)
    );
  });
  return order.map((i): ScoredId => [ids[i]!, h[i]!]);
}

/**
 * Puts `pinned` ids (exact arXiv id or exact title matches) first, in the given order, then the rest
 * without duplicates. Pinned entries take the list's top score so the list stays sorted.
 * @example pinFirst([['a', 3], ['b', 2]], ['b']) // [['b', 3], ['a', 3]]
 */
export function pinFirst(results: readonly ScoredId[], pinned: readonly string[]): ScoredId[] {
  if (pinned.length === 0) return [...results];
  const top = results.reduce((m, [, s]) => Math.max(m, s), 0);
  const pins = [...new Set(pinned)];
  const pinnedSet = new Set(pins);
  return [...pins.map((id): ScoredId => [id, top]), ...results.filter(([id]) => !pinnedSet.has(id))];
}

/**
 * Second stage of hybrid search: the first `depth` results each gain `weight` × their token-match score
 * (`scores`, one per id in order, 0–1) and are re-sorted among themselves; the rest keep their order below
 * them. Ties keep the fused order.
 * @example rerankByTokenMatch([['a', 0.9], ['b', 0.8]], (ids) => [0, 1], { weight: 0.2, depth: 2 }) // b (1.0), a (0.9)
 */
export function rerankByTokenMatch(
  fused: readonly ScoredId[],
  scores: (ids: readonly string[]) => ArrayLike<number>,
  options: { weight?: number; depth?: number } = {},
): ScoredId[] {
  const weight = options.weight ?? DEFAULT_FUSION.tokenMatchWeight;
  const depth = Math.min(options.depth ?? DEFAULT_FUSION.tokenMatchDepth, fused.length);
  if (weight === 0 || depth === 0) return [...fused];
  const head = fused.slice(0, depth);
  const s = scores(head.map(([id]) => id));
  const rescored = head.map(([id, h], i): [ScoredId, number] => {
    const m = s[i];
    return [[id, h + weight * (typeof m === 'number' && Number.isFinite(m) ? m : 0)], i];
  });
  rescored.sort((a, b) => b[0][1] - a[0][1] || a[1] - b[1]);
  return [...rescored.map(([r]) => r), ...fused.slice(depth)];
}
