// Use case: compute missing paper vectors for the active model, in resumable batches with progress.
import type { Embedder } from '../../index/embedders/embedder.ts';
import type { Store } from '../../store/store.ts';

export interface EmbedProgress {
  done: number;
  total: number;
  /** Abstracts per second so far. */
  rate: number;
}

export interface EmbedSummary {
  model: string;
  embedded: number;
  remaining: number;
  seconds: number;
  rate: number;
  status: 'done' | 'interrupted';
}

/** The text a paper is embedded from: its title, then its abstract. */
export function paperText(title: string, abstract: string): string {
  return abstract === '' ? title : `${title}. ${abstract}`;
}

/**
 * Embeds every paper that lacks a current vector for `embedder.model`. Each batch is one
 * transaction, so a killed run keeps what it finished and the next run continues.
 */
export async function embedPending(
  store: Store,
  embedder: Embedder,
  opts: {
    batchSize?: number;
    signal?: AbortSignal;
    onProgress?: (p: EmbedProgress) => void;
    limit?: number;
  } = {},
): Promise<EmbedSummary> {
  const started = performance.now();
  const batchSize = opts.batchSize ?? 512;
  const missingAtStart = await store.vectors.countMissing(embedder.model);
  const total = Math.min(missingAtStart, opts.limit ?? Number.POSITIVE_INFINITY);
  let done = 0;
  let after = 0;
  const rate = (): number => done / Math.max(1e-9, (performance.now() - started) / 1000);
  while (done < total && opts.signal?.aborted !== true) {
    const batch = await store.vectors.missing(embedder.model, Math.min(batchSize, total - done), after);
    if (batch.length === 0) break;
    after = batch[batch.length - 1]!.pk;
    const vectors = await embedder.embed(batch.map((p) => paperText(p.title, p.abstract)));
    await store.vectors.put(
      embedder.model,
      batch.map((p, i) => ({
        paperId: p.id,
        contentHash: p.contentHash,
        vector: vectors[i] ?? new Float32Array(embedder.dimension),
      })),
    );
    done += batch.length;
    opts.onProgress?.({ done, total, rate: rate() });
    // SQLite answers synchronously, so a long backfill in `serve` would otherwise never let a request in.
    await new Promise((resolve) => setImmediate(resolve));
  }
  // Nothing was missing at the start and nothing was embedded: no second scan of the whole store to say so.
  const remaining = missingAtStart === 0 ? 0 : await store.vectors.countMissing(embedder.model);
  const seconds = (performance.now() - started) / 1000;
  return {
    model: embedder.model,
    embedded: done,
    remaining,
    seconds,
    rate: rate(),
    status: opts.signal?.aborted === true ? 'interrupted' : 'done',
  };
}
