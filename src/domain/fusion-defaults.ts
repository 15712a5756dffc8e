// Hybrid search's tuned defaults in one place: rank/ fuses with them, the static embedder states its weight from them.

/**
 * Tuned on the SciFact training claims (`npm run eval -- --dataset ../shared/eval/scifact`, 5-fold
 * cross-validation; docs/BENCHMARKS.md "Quality"). The weights are the semantic share of the fused score.
 */
export const DEFAULT_FUSION = {
  /** A static model that learns every token (minDf 1, the default since 2026-11-29): what search serves (0.75 with the token-match share 0.4, chosen together by cross-validation, issue 19 round 2). */
  staticWeight: 0.75,
  /** An older static model (minDf 2): its cosine adds less that BM25F lacks. */
  olderStaticWeight: 0.35,
  /** Any other embedder (it states no weight of its own); 0 gives lexical order exactly. */
  semanticWeight: 0.6,
  /** Candidates fetched from each retriever before fusing (SEARCH_DEPTH's default; range 10–2,000). */
  depth: 100,
  /** Share of the token-match score added to the fused top `tokenMatchDepth` (SEARCH_TOKEN_MATCH; 0: off). */
  tokenMatchWeight: 0.4,
  /** Reranking the top 20, 30, 50 or all 100 ranks the first 10 the same; 20 costs a fifth. */
  tokenMatchDepth: 20,
} as const;
