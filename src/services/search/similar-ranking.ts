// Similar papers' ranking: a paper's nearest vectors and its more-like-this lexical scores, fused.
import type { ScoredId } from '../../domain/index.ts';
import type { LexicalIndex } from '../../index/lexical/lexical-index.ts';
import { moreLikeThisQuery, SIMILAR_QUERY_TERMS } from '../../index/lexical/query.ts';
import { fuseHybrid } from '../../rank/hybrid.ts';

/**
 * Terms of the more-like-this query that find lexical candidates beside the vector neighbours (its rarest ones,
 * whose lists are the shortest), and how many papers they add. Every candidate is then scored exactly on all
 * SIMILAR_QUERY_TERMS terms. On `npm run eval:similar` any seed (none included) ranks as the whole-index search
 * did at SIMILAR_WEIGHT; a small one is kept for papers whose vector neighbours miss a paper sharing rare
 * words (docs/BENCHMARKS.md "#23 similar papers at 2.7M (h27s)").
 */
export const SIMILAR_SEED = { terms: 3, k: 10 } as const;

export interface SimilarOptions {
  /** Each retriever's depth: `near` holds n + 1 neighbours (the paper itself may be one), the lexical search as many. */
  readonly n: number;
  /** Semantic share of the fused score (SIMILAR_WEIGHT). */
  readonly weight: number;
  /** Cosines of the paper's vector and these papers' (null: no vector), for lexical candidates. */
  readonly cosines: (ids: readonly string[]) => ArrayLike<number | null>;
  /**
   * Where lexical candidates come from: 'candidates' (default) scores the vector neighbours and the few papers
   * the seed terms find; 'full' searches the whole index for the more-like-this query's top `n` (the cost of
   * which grows with the corpus; the evaluation compares the two).
   */
  readonly lexical?: 'candidates' | 'full';
  readonly seed?: { readonly terms: number; readonly k: number };
  /** Terms of the more-like-this query scored (default SIMILAR_QUERY_TERMS). */
  readonly terms?: number;
}

/**
 * The papers most like `paper`, best first, never itself: `near` (its vector's nearest neighbours, best first,
 * itself possibly among them) fused with more-like-this lexical scores at `weight`. Without neighbours, the
 * lexical top `n` alone.
 * @example rankSimilar(paper, lexical, vectors.search(vec, 101), { n: 100, weight: 0.9, cosines })
 */
export function rankSimilar(
  paper: { readonly id: string; readonly title: string; readonly abstract: string },
  lexical: LexicalIndex,
  near: readonly ScoredId[],
  options: SimilarOptions,
): ScoredId[] {
  const notSelf = ([other]: ScoredId): boolean => other !== paper.id;
  const query = moreLikeThisQuery(paper.title, paper.abstract);
  const terms = options.terms ?? SIMILAR_QUERY_TERMS;
  const neighbours = near.filter(notSelf);
  const full = (): ScoredId[] =>
    lexical.search(query, { k: options.n + 1, longTerms: terms }).filter(notSelf);
  if (neighbours.length === 0) return full();
  let more: ScoredId[];
  if (options.lexical === 'full') more = full();
  else {
    const seed = options.seed ?? SIMILAR_SEED;
    const found =
      seed.k > 0 && seed.terms > 0
        ? lexical.search(query, { k: seed.k + 1, longTerms: seed.terms, longTermsBy: 'rarest' })
        : [];
    const ids = new Set([...neighbours.map(([id]) => id), ...found.map(([id]) => id)]);
    ids.delete(paper.id);
    more = lexical.scoreAmong(query, ids, { longTerms: terms });
  }
  return fuseHybrid(more, neighbours, { semanticWeight: options.weight, semanticScores: options.cosines });
}
