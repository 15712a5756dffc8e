// Fuses lexical and semantic result lists into one ranking; the one place where scores are normalized.
import type { ScoredId } from '../domain/scored.ts';

/*
 * Formula (docs/DESIGN.md, "Ranking math"): each list (the caller fetches `depth` candidates per retriever,
 * and may add the semantic scores of the lexical candidates) is min-max normalized over its entries, n(s) = (s - min) / (max - min), so its best entry scores 1 and its cut-off 0. A
 * document missing from a list gets 0 there. The fused score is
 *     h(d) = (1 - w) · n_lex(d) + w · n_sem(d)
 * with w = semanticWeight. w = 0 is lexical search exactly; w = 1 is semantic search alone.
 */

export interface FusionOptions {
  /** Share of the semantic score, 0–1. Default 0.3 (see DEFAULT_FUSION); 0 gives lexical order exactly. */
  readonly semanticWeight: number;
  /** Candidates the caller fetches from each retriever before fusing; default 100, range 1–10,000. */
  readonly depth: number;
}

/** Tuned on the tune split of the SciFact training claims with the corpus-trained embedder in mind. */
export const DEFAULT_FUSION: FusionOptions = { semanticWeight: 0.3, depth: 100 };

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

/**
 * Weighted fusion of min-max normalized lexical and semantic scores; ties keep lexical order.
 * @example fuseHybrid([['a', 12], ['b', 3]], [['b', 0.8], ['c', 0.5]], { semanticWeight: 0.5 }) // b, a, c
 */
export function fuseHybrid(
  lexical: readonly ScoredId[],
  semantic: readonly ScoredId[],
  options: Pick<Partial<FusionOptions>, 'semanticWeight'> = {},
): ScoredId[] {
  const w = options.semanticWeight ?? DEFAULT_FUSION.semanticWeight;
  if (!(w >= 0 && w <= 1)) throw new RangeError(`semanticWeight must be within 0–1 (got ${w})`);
  const lex = normalizeScores(lexical);
  const sem = normalizeScores(semantic);
  const lexRank = new Map<string, number>();
  lexical.forEach(([id], i) => (lexRank.has(id) ? undefined : lexRank.set(id, i)));
  const fused: ScoredId[] = [];
  for (const id of new Set([...lex.keys(), ...sem.keys()])) {
    fused.push([id, (1 - w) * (lex.get(id) ?? 0) + w * (sem.get(id) ?? 0)]);
  }
  const rank = (id: string): number => lexRank.get(id) ?? Number.MAX_SAFE_INTEGER;
  return fused.sort(
    (a, b) => b[1] - a[1] || rank(a[0]) - rank(b[0]) || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0),
  );
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
