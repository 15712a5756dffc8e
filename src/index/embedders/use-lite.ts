// Embedder over the pretrained Universal Sentence Encoder lite that ships offline in @energetic-ai (TF.js on WASM).
import type { Embedder } from './embedder.ts';
import { toUnitVector } from './unit-vectors.ts';
import { createUseLitePool } from './use-lite-worker.ts';

export interface UseLiteOptions {
  /**
   * Words and word pieces kept per text (default 32; 16–512). USE-lite's cost grows faster than linearly with
   * text length, so truncating abstracts is what makes it fast: 32 keeps ≥ 50 abstracts/s on 2 cores, 64 halves
   * that for +0.03 nDCG@10 on SciFact (docs/BENCHMARKS.md).
   */
  maxTokens?: number;
  /** Texts per model call, after sorting by length (default 8). */
  batchSize?: number;
  /** Worker threads, one model each (default 2, the machine's cores). */
  workers?: number;
}

const USE_LITE_DIMENSION = 512;

/**
 * Starts USE-lite workers and returns an Embedder that truncates, sorts by length, batches, and spreads batches over cores.
 * Idle workers do not hold the process open; `close()` ends them early.
 * @example const e = await createUseLiteEmbedder(); const [v] = await e.embed(['protein folding']); await e.close?.();
 */
export async function createUseLiteEmbedder(opts: UseLiteOptions = {}): Promise<Embedder> {
  const maxTokens = Math.min(Math.max(opts.maxTokens ?? 32, 1), 512);
  const batchSize = Math.max(opts.batchSize ?? 8, 1);
  const pool = createUseLitePool(opts.workers ?? 2);
  const name = `use-lite-energetic-0.2.0-t${maxTokens}`;
  const embed = async (texts: readonly string[]): Promise<Float32Array[]> => {
    const words = texts.map((t) => Math.min(t.split(/\s+/).length, maxTokens));
    const order = [...texts.keys()].sort((a, b) => words[a]! - words[b]!);
    const out = new Array<Float32Array>(texts.length);
    const batches: number[][] = [];
    for (let i = 0; i < order.length; i += batchSize) batches.push(order.slice(i, i + batchSize));
    await Promise.all(
      batches.map(async (batch) => {
        const data = await pool.run(
          batch.map((j) => texts[j]!),
          maxTokens,
        );
        const d = USE_LITE_DIMENSION;
        batch.forEach((j, r) => (out[j] = toUnitVector(data.subarray(r * d, (r + 1) * d), d, name)));
      }),
    );
    return out;
  };
  await embed(['warm up']);
  return { model: name, dimension: USE_LITE_DIMENSION, embed, close: () => pool.close() };
}
