// The one interface every text embedder implements, so models plug in interchangeably.

/** Turns texts into unit-length vectors of a fixed dimension. */
export interface Embedder {
  /** Model name including its version, stored beside every vector it makes (e.g. "paperboy-static-v3@2026-11-28T10:00Z"). */
  readonly model: string;
  readonly dimension: number;
  /**
   * The hybrid fusion weight this model was tuned for, when known (the built-in static model knows its
   * own); `SEARCH_SEMANTIC_WEIGHT` overrides it, and without either search uses DEFAULT_FUSION's.
   */
  readonly fusionWeight?: number;
  /** Embeds texts in order; each result has `dimension` entries and unit L2 norm. */
  embed(texts: readonly string[]): Promise<Float32Array[]>;
  /**
   * How many of a text's words the model knows (static models; others leave it out). A query whose words are
   * all unknown embeds to a vector that says nothing, so search does not let it answer alone.
   */
  knownWords?(text: string): { known: number; total: number };
  /**
   * Late interaction (static models; others leave it out): for each text, how well each query word is met
   * by some word of it, 0–1. Hybrid search reranks its top results with it (`rerankByTokenMatch`).
   */
  tokenMatch?(query: string, texts: readonly string[]): number[];
  /**
   * Reads now whatever the embedder would otherwise read at its first texts (a static model image's rows), so
   * the first searches after a restart do not pay for it; serve calls it before it is ready.
   */
  warm?(): void;
  /** Releases native resources, if any. */
  close?(): Promise<void>;
}
