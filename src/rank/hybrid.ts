// Fuses lexical and semantic result lists into one ranking; the one place where scores are normalized.
import type { ScoredId } from '../domain/scored.ts';

/*
 * Formula (docs/DESIGN.md, "Ranking math"). Candidates are the union of the lexical list and the semantic
 * list (the caller fetches `depth` from each). For a candidate d:
 *     n_L(d) = s_L(d) / max_L      its BM25F score over the lexical list's best (0 when not in that list)
 *     c(d)   = cos(query, d)       its score in the semantic list (a cosine), else `semanticScore(d)`, else
 *                                  the semantic list's lowest score (0 when that list is empty)
 *     h(d)   = (1 - w) · n_L(d) + w · c(d)
 * with w = semanticWeight. The cosine is used as is (a fixed −1…1 scale), so a lexical candidate's
 * semantic evidence does not depend on which other papers happened to make either list. w = 0 returns
 * the lexical list unchanged in order; w = 1 orders the candidates by cosine alone.
 */

export interface FusionOptions {
  /** Share of the semantic score, 0–1. Default 0.6 (see DEFAULT_FUSION); 0 gives lexical order exactly. */
  readonly semanticWeight: number;
  /** Candidates the caller fetches from each retriever before fusing; default 100, range 1–10,000. */
  readonly depth: number;
}

/**
 * Tuned on the tune split of the SciFact training claims (648 of 809) with the corpus-trained static
 * model: `npm run eval -- --dataset ../shared/eval/scifact` (docs/BENCHMARKS.md).
 */
export const DEFAULT_FUSION: FusionOptions = { semanticWeight: 0.6, depth: 100 };

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
   * Cosine of the query vector and paper `id`'s vector, or null when the paper has no vector. Lets a
   * lexical candidate outside the semantic top `depth` keep its real semantic evidence; asked only for
   * candidates missing from the semantic list, whose scores are taken as their cosines.
   */
  readonly semanticScore?: (id: string) => number | null;
}

/**
 * Min-max normalization of a list's scores into [0, 1]; a list whose scores are all equal maps to 1.
 * @example normalizeScores([['a', 10], ['b', 5], ['c', 0]]) // Map { a → 1, b → 0.5, c → 0 }
 */
export function normalizeScores(list: readonly ScoredId[]): Map<string, number> {
  let max = -Infinity;
  let min = Infinity;
  for (const [, s] of list) {
    if (s > max) max = s;
    if (s < min) min = s;
  }
  const span = max - min;
  const out = new Map<string, number>();
  for (const [id, s] of list) if (!out.has(id)) out.set(id, span > 0 ? (s - min) / span : 1);
  return out;
}

/** First occurrence of each id in a list: its score and rank. */
function firstSeen(list: readonly ScoredId[]): Map<string, { score: number; rank: number }> {
  const out = new Map<string, { score: number; rank: number }>();
  list.forEach(([id, score], rank) => {
    if (!out.has(id)) out.set(id, { score, rank });
  });
  return out;
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
  const lex = firstSeen(lexical);
  let maxL = -Infinity;
  for (const { score } of lex.values()) maxL = Math.max(maxL, score);
  // Filter-only queries score every match 0: each listed paper then counts as a full lexical match.
  const lexPart = (s: number): number => (maxL > 0 ? s / maxL : 1);
  if (w === 0) return [...lex].map(([id, { score }]): ScoredId => [id, lexPart(score)]);

  const sem = firstSeen(semantic);
  let floor = sem.size > 0 ? Infinity : 0;
  for (const { score } of sem.values()) floor = Math.min(floor, score);
  // A semantic-list score is already that paper's cosine; only the others are looked up.
  const cosine = (id: string): number => {
    const listed = sem.get(id)?.score;
    if (listed !== undefined) return listed;
    const given = options.semanticScore?.(id);
    return typeof given === 'number' && Number.isFinite(given) ? given : floor;
  };

  const fused: { id: string; h: number; lexRank: number; semRank: number }[] = [];
  for (const id of new Set([...lex.keys(), ...sem.keys()])) {
    const l = lex.get(id);
    fused.push({
      id,
      h: (1 - w) * (l === undefined ? 0 : lexPart(l.score)) + w * cosine(id),
      lexRank: l?.rank ?? Number.MAX_SAFE_INTEGER,
      semRank: sem.get(id)?.rank ?? Number.MAX_SAFE_INTEGER,
    });
  }
  return fused
    .sort(
      (a, b) =>
        b.h - a.h ||
        a.lexRank - b.lexRank ||
        a.semRank - b.semRank ||
        (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
    )
    .map(({ id, h }): ScoredId => [id, h]);
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
