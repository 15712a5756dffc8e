// Formats evaluation results: a markdown table per query split, and the one-line JSON summary.
import { summarize, type Judgments, type QualityRow } from './metrics.ts';

/** Ranked ids per query id, for one retriever. */
export type Runs = ReadonlyMap<string, readonly string[]>;

/** Judgments restricted to the given query ids. */
export function subsetQrels(
  qrels: ReadonlyMap<string, Judgments>,
  ids: readonly string[],
): Map<string, Judgments> {
  const out = new Map<string, Judgments>();
  for (const id of ids) {
    const rel = qrels.get(id);
    if (rel !== undefined) out.set(id, rel);
  }
  return out;
}

const fmt = (x: number): string => x.toFixed(4);

/**
 * A markdown table: one row per retriever, nDCG@10 / Recall@100 / MRR@10 for each split.
 * @example console.log(qualityTable(new Map([['lexical', runs]]), { all: qrels }));
 */
export function qualityTable(
  runs: ReadonlyMap<string, Runs>,
  splits: Readonly<Record<string, ReadonlyMap<string, Judgments>>>,
): string {
  const names = Object.keys(splits);
  const head = `| retriever | ${names.map((s) => `${s} (${splits[s]?.size ?? 0} q) nDCG@10 | R@100 | MRR@10`).join(' | ')} |`;
  const rule = `|---|${names.map(() => '---:|---:|---:').join('|')}|`;
  const rows = [...runs].map(([name, run]) => {
    const cells = names.map((s) => {
      const r = summarize(run, splits[s] ?? new Map());
      return `${fmt(r['ndcg@10'])} | ${fmt(r['recall@100'])} | ${fmt(r['mrr@10'])}`;
    });
    return `| ${name} | ${cells.join(' | ')} |`;
  });
  return [head, rule, ...rows].join('\n');
}

/** The summary row of one retriever, rounded for the JSON line. */
export function jsonRow(run: Runs, qrels: ReadonlyMap<string, Judgments>): QualityRow {
  const r = summarize(run, qrels);
  const round = (x: number): number => Math.round(x * 10_000) / 10_000;
  return {
    'ndcg@10': round(r['ndcg@10']),
    'recall@100': round(r['recall@100']),
    'mrr@10': round(r['mrr@10']),
  };
}
