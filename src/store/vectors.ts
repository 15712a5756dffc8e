// Store interfaces for what search derives and keeps: paper vectors per model, trained models, settings.

/** A paper that has no vector yet for a model (or whose content changed since its vector was made). */
export interface PaperToEmbed {
  /** The paper's position in the store's stable order: pass the last one back as `after`. */
  pk: number;
  id: string;
  title: string;
  abstract: string;
  contentHash: string;
}

export interface StoredVector {
  seq: number;
  paperId: string;
  vector: Float32Array;
}

export interface VectorRepo {
  /**
   * Up to `limit` papers lacking a current vector for `model`, in stable order, starting after position
   * `after` (a previous batch's last `pk`; default 0, the start). Passing it keeps a long backfill linear:
   * each batch starts where the last one ended instead of re-checking every paper already embedded.
   */
  missing(model: string, limit: number, after?: number): Promise<PaperToEmbed[]>;
  /** How many papers lack a current vector for `model`. */
  countMissing(model: string): Promise<number>;
  /**
   * Those of the papers `ids` (any number; unknown and repeated ids skipped) that lack a current vector for
   * `model`, in stable order: what a pass after a known-complete one need look at, found by key, not by a scan.
   */
  missingAmong(model: string, ids: readonly string[]): Promise<PaperToEmbed[]>;
  /** Stores vectors in one transaction; a paper's previous vector for the model is replaced. */
  put(
    model: string,
    rows: readonly { paperId: string; contentHash: string; vector: Float32Array }[],
  ): Promise<void>;
  /** Vectors of `model` written after `seq`, oldest first (for keeping in-process indexes in step). */
  since(model: string, seq: number, limit: number): Promise<StoredVector[]>;
  /** The `seq` of the latest vector of `model` written (0: none): where `since` ends as of now. */
  latestSeq(model: string): Promise<number>;
  count(model: string): Promise<number>;
  /** Deletes every vector of a model (after switching models). */
  dropModel(model: string): Promise<number>;
}

export interface StoredModel {
  name: string;
  kind: string;
  createdAt: string;
  info: Record<string, unknown>;
  data: Buffer;
}

export interface ModelRepo {
  save(model: Omit<StoredModel, 'createdAt'>): Promise<void>;
  get(name: string): Promise<StoredModel | null>;
  list(): Promise<Omit<StoredModel, 'data'>[]>;
}

export interface SettingsRepo {
  get(key: string): Promise<string | null>;
  set(key: string, value: string): Promise<void>;
}
