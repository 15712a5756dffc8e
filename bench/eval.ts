// Retrieval quality on any BEIR folder: nDCG@10, Recall@100 and MRR@10 for lexical, semantic and hybrid search.
//
//   npm run eval -- --dataset ../shared/eval/scifact [--json] [--embedder static|random-projection|path.ts]
//                   [--split train] [--weight 0.35] [--depth 100] [--tune] [--no-peers]
//
// The default embedder is the corpus-trained static model (trained on the corpus only, never on queries or
// judgments; cached under .cache/static-models). Hybrid runs exactly as the search service does: the
// lexical and semantic top `depth` (DEFAULT_FUSION.depth) fused by `fuseHybrid` with the cosine of every
// candidate, at the service's weight (the embedder's own `fusionWeight`, else DEFAULT_FUSION's, or --weight). The weight is also
// swept on the tune split (every 5th judged query is held out, bench/lib/beir.ts) and reported as a second
// row; --tune also sweeps the BM25F knobs there. With --json the last line is
// {"lexical":{…},"semantic":{…},"hybrid":{…}} over all judged queries, hybrid at the service's weight.
import { parseArgs } from 'node:util';
import { DEFAULT_FUSION, fusionWeight } from '../src/rank/hybrid.ts';
import { loadBeir, splitQueries } from './lib/beir.ts';
import { resolveEmbedder } from './lib/eval-embedders.ts';
import { jsonRow, qualityTable, subsetQrels, type Runs } from './lib/eval-report.ts';
import {
  buildLexicalSnapshot,
  idsOnly,
  runFts5,
  runHybrid,
  runLexical,
  runPeer,
  runSemantic,
  type ScoredRuns,
  type SemanticRun,
} from './lib/eval-runs.ts';
import { summarize, type Judgments } from './lib/metrics.ts';
import { sweepBm25f } from './lib/bm25f-sweep.ts';

const log = (msg: string): void => void process.stderr.write(`${msg}\n`);

function cli(): {
  dataset: string;
  json: boolean;
  embedder: string;
  split?: string;
  /** Undefined: the weight serve would use for this embedder. */
  weight: number | undefined;
  depth: number;
  tune: boolean;
  peers: boolean;
} {
  const { values } = parseArgs({
    options: {
      dataset: { type: 'string' },
      json: { type: 'boolean', default: false },
      embedder: { type: 'string', default: 'static' },
      split: { type: 'string' },
      weight: { type: 'string' },
      depth: { type: 'string', default: String(DEFAULT_FUSION.depth) },
      tune: { type: 'boolean', default: false },
      'no-peers': { type: 'boolean', default: false },
    },
  });
  if (values.dataset === undefined)
    throw new Error(
      'usage: npm run eval -- --dataset <BEIR folder> [--json] [--embedder NAME|PATH] [--weight W] [--tune]',
    );
  const weight = values.weight === undefined ? undefined : Number(values.weight);
  const depth = Number(values.depth);
  if (weight !== undefined && !(weight >= 0 && weight <= 1))
    throw new Error(`--weight must be within 0–1 (got ${values.weight})`);
  if (!(Number.isInteger(depth) && depth >= 1)) throw new Error(`--depth must be a positive integer`);
  return {
    dataset: values.dataset,
    json: values.json,
    embedder: values.embedder,
    split: values.split,
    weight,
    depth,
    tune: values.tune,
    peers: !values['no-peers'],
  };
}

/** A weight must beat lexical alone (w = 0) on the tune split by this much to be chosen, so noise never wins. */
const MIN_GAIN = 0.002;

/** The semantic weight (0, 0.05, …, 1) with the best tune-split nDCG@10; 0 unless another clearly wins. */
function tuneWeight(
  lexical: ScoredRuns,
  semantic: SemanticRun,
  depth: number,
  tune: ReadonlyMap<string, Judgments>,
): number {
  const lexicalOnly = summarize(idsOnly(lexical), tune)['ndcg@10'];
  let best = { w: 0, ndcg: lexicalOnly + MIN_GAIN };
  const curve: string[] = [];
  for (let i = 1; i <= 20; i++) {
    const w = i / 20;
    const ndcg = summarize(idsOnly(runHybrid(lexical, semantic, depth, w)), tune)['ndcg@10'];
    curve.push(`${w}: ${ndcg.toFixed(4)}`);
    if (ndcg > best.ndcg + 1e-9) best = { w, ndcg };
  }
  log(`weight sweep, tune-split nDCG@10 (w = 0: ${lexicalOnly.toFixed(4)}): ${curve.join(', ')}`);
  return best.w;
}

async function main(): Promise<void> {
  const args = cli();
  const t0 = Date.now();
  const set = await loadBeir(args.dataset, args.split);
  const qids = [...set.qrels.keys()];
  const { tune, heldOut } = splitQueries(set.qrels);
  const splits = {
    all: set.qrels,
    tune: subsetQrels(set.qrels, tune),
    'held-out': subsetQrels(set.qrels, heldOut),
  };
  log(
    `${args.dataset}: ${set.corpus.length} documents, ${qids.length} judged queries (${tune.length} tune / ${heldOut.length} held out)`,
  );
  const snapshot = buildLexicalSnapshot(set);
  if (args.tune) sweepBm25f(snapshot, set, splits.tune, log);
  const lexical = runLexical(snapshot, set, qids, Math.max(args.depth, 100));
  log(`lexical index built and queried in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  const embedder = await resolveEmbedder(args.embedder, {
    corpus: set.corpus.map((d) => `${d.title}\n${d.text}`),
  });
  const semantic = await runSemantic(embedder, set, qids, Math.max(args.depth, 100));
  log(
    `semantic: ${embedder.model} (${embedder.dimension} dims${semantic.cached ? ', vectors from .cache' : ''})`,
  );
  const served = fusionWeight(args.weight, embedder.fusionWeight);
  const tuned = tuneWeight(lexical, semantic, args.depth, splits.tune);
  log(`hybrid: service weight ${served}, tuned on the tune split ${tuned}, depth ${args.depth}`);
  const hybrid = runHybrid(lexical, semantic, args.depth, served);
  const rows = new Map<string, Runs>([
    ['lexical (Paperboy BM25F)', idsOnly(lexical)],
    [`semantic (${args.embedder})`, idsOnly(semantic.runs)],
    [`hybrid (w=${served}, as served)`, idsOnly(hybrid)],
  ]);
  if (tuned !== served)
    rows.set(
      `hybrid (w=${tuned}, tuned on the tune split)`,
      idsOnly(runHybrid(lexical, semantic, args.depth, tuned)),
    );
  if (args.peers) {
    rows.set('FTS5 bm25(), unicode61 (reference)', runFts5(set, qids, 'unicode61', 100));
    rows.set('FTS5 bm25(), porter unicode61', runFts5(set, qids, 'porter unicode61', 100));
    rows.set('MiniSearch 7 (title boost 2)', await runPeer('minisearch', set, qids, 100));
    rows.set('Orama 3 (title boost 2)', await runPeer('orama', set, qids, 100));
  }
  console.log(qualityTable(rows, splits));
  log(`done in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  if (args.json) {
    const summary = {
      lexical: jsonRow(idsOnly(lexical), set.qrels),
      semantic: jsonRow(idsOnly(semantic.runs), set.qrels),
      hybrid: jsonRow(idsOnly(hybrid), set.qrels),
    };
    console.log(JSON.stringify(summary));
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : String(err));
  process.exit(1);
});
