// Scores any Embedder on a BEIR set by exact dense retrieval, on all judged queries and on the tune / held-out halves.
import type { Embedder } from '../../src/index/embedders/embedder.ts';
import { splitQueries, type BeirSet } from './beir.ts';
import { summarize, type Judgments, type QualityRow } from './metrics.ts';

export type SplitRows = Record<'all' | 'tune' | 'heldOut', QualityRow>;

/** Ranks the corpus by dot product for every query; returns the top 100 ids per query. */
export function rankAll(
  docVecs: readonly Float32Array[],
  queryVecs: readonly Float32Array[],
  docIds: readonly string[],
): string[][] {
  return queryVecs.map((q) => {
    const scored = docVecs.map((v, i) => {
      let dot = 0;
      for (let j = 0; j < q.length; j++) dot += q[j]! * v[j]!;
      return [i, dot] as const;
    });
    scored.sort((a, b) => b[1] - a[1]);
    return scored.slice(0, 100).map(([i]) => docIds[i]!);
  });
}

function subset(qrels: ReadonlyMap<string, Judgments>, ids: readonly string[]): Map<string, Judgments> {
  return new Map(ids.map((id) => [id, qrels.get(id)!]));
}

/**
 * Embeds corpus ("title text") and judged queries, then reports nDCG@10 / Recall@100 / MRR@10 per split.
 * @example const rows = await evaluateEmbedder(embedder, await loadBeir(dir));
 */
export async function evaluateEmbedder(
  embedder: Embedder,
  set: BeirSet,
): Promise<SplitRows & { docsPerSecond: number }> {
  const qids = [...set.qrels.keys()];
  const t = performance.now();
  const docVecs = await embedder.embed(set.corpus.map((d) => `${d.title} ${d.text}`));
  const docsPerSecond = set.corpus.length / ((performance.now() - t) / 1000);
  const queryVecs = await embedder.embed(qids.map((q) => set.queries.get(q) ?? ''));
  const ranked = rankAll(
    docVecs,
    queryVecs,
    set.corpus.map((d) => d.id),
  );
  const runs = new Map(qids.map((q, i) => [q, ranked[i]!]));
  const { tune, heldOut } = splitQueries(set.qrels);
  return {
    docsPerSecond,
    all: summarize(runs, set.qrels),
    tune: summarize(runs, subset(set.qrels, tune)),
    heldOut: summarize(runs, subset(set.qrels, heldOut)),
  };
}

/** One line per metric row. */
export function formatRow(r: QualityRow): string {
  return `nDCG@10 ${r['ndcg@10'].toFixed(4)}  R@100 ${r['recall@100'].toFixed(4)}  MRR@10 ${r['mrr@10'].toFixed(4)}`;
}
