// Embeds texts through any Embedder, caching the vectors under .cache/embeddings so evaluation reruns are fast.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Embedder } from '../../src/index/embedders/embedder.ts';

const CACHE_DIR = resolve(import.meta.dirname, '../../.cache/embeddings');
const BATCH = 256;

/** Cache key: the model name and every text, so a changed model or corpus never reads stale vectors. */
function cacheKey(embedder: Embedder, texts: readonly string[]): string {
  const h = createHash('sha256').update(`${embedder.model}\u0000${embedder.dimension}\u0000`);
  for (const t of texts) h.update(t).update('\u0000');
  return h.digest('hex').slice(0, 32);
}

function split(flat: Float32Array, dim: number): Float32Array[] {
  const out: Float32Array[] = [];
  for (let i = 0; i + dim <= flat.length; i += dim) out.push(flat.subarray(i, i + dim));
  return out;
}

/**
 * Vectors for `texts`, read from the cache when present; progress goes to stderr for long runs.
 * @example const vecs = await embedCached(embedder, corpus.map((d) => `${d.title} ${d.text}`), 'corpus');
 */
export async function embedCached(
  embedder: Embedder,
  texts: readonly string[],
  label: string,
): Promise<{ vectors: Float32Array[]; cached: boolean }> {
  const file = join(CACHE_DIR, `${cacheKey(embedder, texts)}.f32`);
  if (existsSync(file)) {
    const buf = readFileSync(file);
    const flat = new Float32Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength));
    if (flat.length === texts.length * embedder.dimension)
      return { vectors: split(flat, embedder.dimension), cached: true };
  }
  const flat = new Float32Array(texts.length * embedder.dimension);
  const started = Date.now();
  for (let i = 0; i < texts.length; i += BATCH) {
    const vecs = await embedder.embed(texts.slice(i, i + BATCH));
    vecs.forEach((v, j) => flat.set(v, (i + j) * embedder.dimension));
    if (texts.length > 5 * BATCH)
      process.stderr.write(`\r  embedding ${label}: ${Math.min(i + BATCH, texts.length)}/${texts.length}`);
  }
  if (texts.length > 5 * BATCH)
    process.stderr.write(` (${((texts.length / (Date.now() - started + 1)) * 1000).toFixed(0)}/s)\n`);
  mkdirSync(CACHE_DIR, { recursive: true });
  writeFileSync(`${file}.tmp`, Buffer.from(flat.buffer));
  renameSync(`${file}.tmp`, file);
  return { vectors: split(flat, embedder.dimension), cached: false };
}
