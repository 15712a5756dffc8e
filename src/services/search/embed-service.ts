// Use case: compute missing paper vectors for the active model, in resumable batches with progress.
import type { Embedder } from '../../index/embedders/embedder.ts';
import type { Store } from '../../store/store.ts';
import type { PaperToEmbed } from '../../store/vectors.ts';

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
    await embedBatch(store, embedder, batch);
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

/**
 * Embeds those of the papers `ids` that lack a current vector for `embedder.model`, a batch of ids at a time: a pass
 * that knows every other paper has one (the papers changed since a complete pass) finds them by key instead of
 * scanning the store (two scans of ~15 s each per pass at 2.7M papers). Progress counts the ids looked at.
 */
export async function embedAmong(
  store: Store,
  embedder: Embedder,
  ids: readonly string[],
  opts: { batchSize?: number; signal?: AbortSignal; onProgress?: (p: EmbedProgress) => void } = {},
): Promise<EmbedSummary> {
  const started = performance.now();
  const batchSize = opts.batchSize ?? 512;
  let looked = 0;
  let embedded = 0;
  const seconds = (): number => (performance.now() - started) / 1000;
  while (looked < ids.length && opts.signal?.aborted !== true) {
    const batch = await store.vectors.missingAmong(embedder.model, ids.slice(looked, looked + batchSize));
    looked = Math.min(ids.length, looked + batchSize);
    if (batch.length > 0) await embedBatch(store, embedder, batch);
    embedded += batch.length;
    opts.onProgress?.({ done: looked, total: ids.length, rate: looked / Math.max(1e-9, seconds()) });
    await new Promise((resolve) => setImmediate(resolve));
  }
  const interrupted = looked < ids.length;
  // What this pass did not reach may still lack vectors; what it reached has them now.
  const remaining = interrupted ? await countMissingAmong(store, embedder.model, ids.slice(looked)) : 0;
  return {
    model: embedder.model,
    embedded,
    remaining,
    seconds: seconds(),
    rate: embedded / Math.max(1e-9, seconds()),
    status: interrupted ? 'interrupted' : 'done',
  };
}

/** How many of the papers `ids` lack a current vector for `model`, asked a batch at a time (texts not kept). */
export async function countMissingAmong(
  store: Store,
  model: string,
  ids: readonly string[],
): Promise<number> {
  let n = 0;
  for (let from = 0; from < ids.length; from += 512)
    n += (await store.vectors.missingAmong(model, ids.slice(from, from + 512))).length;
  return n;
}

/** Embeds one batch of papers and stores their vectors in one transaction. */
async function embedBatch(store: Store, embedder: Embedder, batch: readonly PaperToEmbed[]): Promise<void> {
  const vectors = await embedder.embed(batch.map((p) => paperText(p.title, p.abstract)));
  await store.vectors.put(
    embedder.model,
    batch.map((p, i) => ({
      paperId: p.id,
      contentHash: p.contentHash,
      vector: vectors[i] ?? new Float32Array(embedder.dimension),
    })),
  );
}
