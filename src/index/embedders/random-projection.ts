// The untrained control embedder: an idf-weighted sum of fixed random ±1 word vectors (a sketch of tf-idf cosine).
import type { Embedder } from './embedder.ts';
import { analyze } from '../lexical/tokenizer.ts';

/*
 * Each word w gets a pseudo-random sign vector r(w) in {-1, +1}^dim, derived from a hash of w and the seed,
 * so no table is stored and the same word always maps to the same vector. A text becomes
 * v = Σ_w (1 + ln tf(w)) · idf(w) · r(w), then v / |v|. By Johnson–Lindenstrauss, v·v' approximates the
 * tf-idf cosine of the two texts. It learns nothing, which makes it the control a trained model must beat.
 */

export interface RandomProjectionOptions {
  /** Texts whose document frequencies define idf (the papers held). */
  readonly corpus: readonly string[];
  /** Vector length; default 256, range 16–4096. Longer sketches approximate tf-idf cosine more closely. */
  readonly dimension?: number;
  /** Seed of the word vectors; default 1. */
  readonly seed?: number;
}

/** FNV-1a, 32-bit. */
function hash32(text: string, seed: number): number {
  let h = (0x811c9dc5 ^ seed) >>> 0;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

/** Adds `weight · r(word)` to `out`, drawing the signs from a xorshift stream seeded by the word. */
function addWordVector(out: Float32Array, word: string, seed: number, weight: number): void {
  let x = hash32(word, seed) || 0x9e3779b9;
  for (let j = 0; j < out.length; j += 32) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    const bits = x >>> 0;
    for (let b = 0; b < 32 && j + b < out.length; b++)
      out[j + b] = (out[j + b] ?? 0) + ((bits >>> b) & 1 ? weight : -weight);
  }
}

function documentFrequencies(corpus: readonly string[]): Map<string, number> {
  const df = new Map<string, number>();
  for (const text of corpus) for (const w of new Set(analyze(text))) df.set(w, (df.get(w) ?? 0) + 1);
  return df;
}

/**
 * An embedder fitted to `corpus` (idf only; nothing is trained). Texts without a single word embed as the
 * zero vector, which is cosine 0 to everything.
 * @example
 * const e = createRandomProjectionEmbedder({ corpus: papers.map((p) => `${p.title} ${p.abstract}`) });
 * const [v] = await e.embed(['graph neural networks']);
 */
export function createRandomProjectionEmbedder(options: RandomProjectionOptions): Embedder {
  const dimension = options.dimension ?? 256;
  const seed = options.seed ?? 1;
  if (!Number.isInteger(dimension) || dimension < 16 || dimension > 4096)
    throw new RangeError(`dimension must be 16–4096 (got ${dimension})`);
  const df = documentFrequencies(options.corpus);
  const n = options.corpus.length;
  const idf = (w: string): number => Math.log((n + 1) / ((df.get(w) ?? 0) + 1)) + 1;
  const corpusTag = hash32(options.corpus.length + options.corpus.slice(0, 64).join('\u0000'), 0).toString(
    16,
  );
  const embedOne = (text: string): Float32Array => {
    const tf = new Map<string, number>();
    for (const w of analyze(text)) tf.set(w, (tf.get(w) ?? 0) + 1);
    const v = new Float32Array(dimension);
    for (const [w, count] of tf) addWordVector(v, w, seed, (1 + Math.log(count)) * idf(w));
    let norm = 0;
    for (let i = 0; i < dimension; i++) norm += (v[i] ?? 0) ** 2;
    if (norm > 0) for (let i = 0, s = 1 / Math.sqrt(norm); i < dimension; i++) v[i] = (v[i] ?? 0) * s;
    return v;
  };
  return {
    model: `random-projection-v1-d${dimension}-s${seed}@${n}-${corpusTag}`,
    dimension,
    embed: (texts) => Promise.resolve(texts.map(embedOne)),
  };
}
