// The trained static model: one int8-quantised vector per token, summed and normalised to embed a text.
import { createHash } from 'node:crypto';
import type { TokenBag, Vocabulary } from './vocabulary.ts';

/** Format generation; bump when training or pooling changes meaning, so stored vectors re-embed. */
export const STATIC_MODEL_VERSION = 1;

/** How a model was trained, kept in its file for provenance. */
export interface TrainingInfo {
  docs: number;
  /** Passes over the papers; fractional when a pair budget ended the last one early. */
  epochs: number;
  /** Training pairs drawn (papers × epochs, or the budget); absent in models trained before it was recorded. */
  pairs?: number;
  steps: number;
  seed: number;
  seconds: number;
  finalLoss: number;
  /** Smallest document frequency of a learned token; absent in models trained before it was recorded (2). */
  minDf?: number;
}

/** A corpus-trained static embedding model. Token vectors already include the learned token weight. */
export interface StaticModel {
  /** e.g. "paperboy-static-v1-3fa9c2d1e0": the hash is over the weights, so a retrain gets a new name. */
  readonly name: string;
  readonly dimension: number;
  readonly vocab: Vocabulary;
  /** Per-token int8 values, row-major (vocab size × dimension). */
  readonly quantized: Int8Array;
  /**
   * Per-token scale; the token's vector is scale × int8 values. Pooling reads the int8 rows directly:
   * a float copy would take 4× the memory (about 200 MB for a 100k-token, 512-d model).
   */
  readonly scales: Float32Array;
  readonly createdAt: string;
  readonly training: TrainingInfo;
  /** Makes these tokens' rows readable; present when rows are read from a file on demand (model-image.ts). */
  readonly ensureRows?: (ids: ArrayLike<number>) => void;
  /** Reads every row not read yet (a model read lazily from an image); throws SnapshotDamaged on a damaged block. */
  readonly ensureAllRows?: () => void;
}

/**
 * Quantises weighted token vectors to int8 per row and names the model after a hash of the result.
 */
export function finalizeModel(
  vocab: Vocabulary,
  dimension: number,
  weighted: Float32Array,
  training: TrainingInfo,
): StaticModel {
  const rows = vocab.tokens.length;
  const quantized = new Int8Array(rows * dimension);
  const scales = new Float32Array(rows);
  for (let r = 0; r < rows; r++) {
    let max = 0;
    for (let j = 0; j < dimension; j++) max = Math.max(max, Math.abs(weighted[r * dimension + j] ?? 0));
    scales[r] = max / 127;
    const inv = max === 0 ? 0 : 127 / max;
    for (let j = 0; j < dimension; j++)
      quantized[r * dimension + j] = Math.round((weighted[r * dimension + j] ?? 0) * inv);
  }
  return assembleModel({
    dimension,
    vocab,
    quantized,
    scales,
    createdAt: new Date().toISOString(),
    training,
  });
}

/** Parts of a model as stored on disk; the name is derived. */
export interface ModelParts {
  dimension: number;
  vocab: Vocabulary;
  quantized: Int8Array;
  scales: Float32Array;
  createdAt: string;
  training: TrainingInfo;
}

/**
 * Derives the content-hash name from stored parts.
 */
export function assembleModel(parts: ModelParts): StaticModel {
  const { quantized, scales } = parts;
  const hash = createHash('sha256');
  hash.update(parts.vocab.tokens.join('\n'));
  hash.update(new Uint8Array(quantized.buffer, quantized.byteOffset, quantized.byteLength));
  hash.update(new Uint8Array(scales.buffer, scales.byteOffset, scales.byteLength));
  const name = `paperboy-static-v${STATIC_MODEL_VERSION}-${hash.digest('hex').slice(0, 10)}`;
  return { ...parts, name };
}

/**
 * Sums a bag's token vectors (scaled by sublinear tf) into `out` and normalises it to unit length.
 * A text with no known token gets the constant unit vector, so every output has norm 1.
 */
export function poolInto(
  model: Pick<StaticModel, 'quantized' | 'scales' | 'dimension'>,
  bag: TokenBag,
  out: Float32Array,
): Float32Array {
  const { quantized, scales, dimension } = model;
  out.fill(0);
  for (let i = 0; i < bag.ids.length; i++) {
    const t = bag.ids[i] ?? 0;
    const base = t * dimension;
    const c = (bag.tf[i] ?? 0) * (scales[t] ?? 0);
    for (let j = 0; j < dimension; j++) out[j] = (out[j] ?? 0) + c * (quantized[base + j] ?? 0);
  }
  let norm = 0;
  for (let j = 0; j < dimension; j++) norm += (out[j] ?? 0) ** 2;
  if (norm === 0) return out.fill(1 / Math.sqrt(dimension));
  const inv = 1 / Math.sqrt(norm);
  for (let j = 0; j < dimension; j++) out[j] = (out[j] ?? 0) * inv;
  return out;
}
