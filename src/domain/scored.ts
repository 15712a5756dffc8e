// The one currency between retrieval and ranking stages: a paper id with a score.

/** A retrieved paper id and its score; higher is better. Example: `['2503.11677', 12.3]`. */
export type ScoredId = readonly [id: string, score: number];
