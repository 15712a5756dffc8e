// Backfilling vectors in batches: each batch starts where the previous one ended, and every paper is embedded once.
import { afterEach, beforeEach, expect, it } from 'vitest';
import type { Embedder } from '../../src/index/embedders/embedder.ts';
import { embedPending } from '../../src/services/search/embed-service.ts';
import { paper, tempStore, type TempStore } from '../helpers/temp-store.ts';

let env: TempStore;
beforeEach(async () => {
  env = await tempStore();
});
afterEach(() => env.cleanup());

/** Embeds a text as [its length, 1], and counts the texts it was given. */
function countingEmbedder(): Embedder & { texts: string[] } {
  const texts: string[] = [];
  return {
    model: 'len-v1',
    dimension: 2,
    texts,
    embed: async (batch) => {
      texts.push(...batch);
      return batch.map((t) => Float32Array.from([t.length, 1]));
    },
  };
}

it('walks the papers once, batch after batch, passing the last position on', async () => {
  const ids = Array.from({ length: 7 }, (_, i) => `2501.0000${i + 1}`);
  await env.store.papers.upsertMany(ids.map((arxivId) => paper({ arxivId, title: `Paper ${arxivId}` })));
  const seen: (number | undefined)[] = [];
  const missing = env.store.vectors.missing.bind(env.store.vectors);
  env.store.vectors.missing = async (model, limit, after) => {
    seen.push(after);
    return missing(model, limit, after);
  };
  const embedder = countingEmbedder();
  const summary = await embedPending(env.store, embedder, { batchSize: 3 });
  expect(summary).toMatchObject({ embedded: 7, remaining: 0, status: 'done' });
  expect(embedder.texts).toHaveLength(7);
  expect(seen[0]).toBe(0);
  expect(seen.slice(1).every((pk, i) => typeof pk === 'number' && pk > (seen[i] ?? 0))).toBe(true);
  expect(seen).toHaveLength(3);
  expect(await env.store.vectors.count('len-v1')).toBe(7);
  // A paper whose content changes is embedded again by the next pass, and only that one.
  await env.store.papers.upsertMany([paper({ arxivId: ids[0]!, version: 2, title: 'Paper one, revised' })]);
  const again = await embedPending(env.store, embedder, { batchSize: 3 });
  expect(again.embedded).toBe(1);
  expect(embedder.texts.at(-1)).toContain('Paper one, revised');
});
