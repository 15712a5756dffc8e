// Retrieval quality on any BEIR folder: nDCG@10, Recall@100 and MRR@10 for lexical, semantic and hybrid search.
//
//   npm run eval -- --dataset ../shared/eval/scifact [--json] [--embedder static|random-projection|path.ts]
//                   [--split train] [--weight 0.35] [--depth 100] [--tune] [--no-peers]
//                   [--folds 5 --seeds 1,2,3] [--served-vectors]
//
// The default embedder is the corpus-trained static model (trained on the corpus only, never on queries or
// judgments; cached under .cache/static-models). Hybrid runs exactly as the search service does: the
// lexical and semantic top `depth` (DEFAULT_FUSION.depth) fused by `fuseHybrid` with the cosine of every
// candidate, at the service's weight (the embedder's own `fusionWeight`, else DEFAULT_FUSION's, or --weight). The weight is also
// swept on the tune split (every 5th judged query is held out, bench/lib/beir.ts) and reported as a second
// row; --tune also sweeps the BM25F knobs there. With --json the last line is
// {"lexical":{…},"semantic":{…},"hybrid":{…}} over all judged queries, hybrid at the service's weight.
// --served-vectors adds semantic and hybrid rows through the served vector index (int8 rows, HNSW forced on,
// rescored from the codes) beside the exact float rows, in the same run.
//
// --folds K cross-validates the fusion weight (bench/lib/cross-validate.ts): the judged queries are dealt into
// K folds; for each fold the weight is chosen on the other K-1 and hybrid's gain over lexical is measured on
// it. With the static embedder it does so for each seed of --seeds (default 1,2,3) and for the ensemble of
// those models, and prints each fold's gain (each model with and without the token-match rerank), their mean, spread and minimum, and hybrid nDCG@10 over every
// query scored at a weight chosen without it.
import { parseArgs } from 'node:util';
import { DEFAULT_FUSION, fusionWeight } from '../src/rank/hybrid.ts';
import { type BeirSet, loadBeir, splitQueries } from './lib/beir.ts';
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
  servedSemantic,
  type ScoredRuns,
  type SemanticRun,
} from './lib/eval-runs.ts';
import { type Judgments, ndcgAt, summarize } from './lib/metrics.ts';
import { sweepBm25f } from './lib/bm25f-sweep.ts';
import { crossValidate, ensembleEmbedder, foldsOf, foldSummary, ndcgByWeight } from './lib/cross-validate.ts';
import type { Embedder } from '../src/index/embedders/embedder.ts';

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
  folds: number;
  seeds: number[];
  servedVectors: boolean;
  /** Share of the token-match rerank (DEFAULT_FUSION.tokenMatchWeight unless --token-match; 0 skips it). */
  tokenMatch: number;
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
      folds: { type: 'string', default: '0' },
      seeds: { type: 'string', default: '1,2,3' },
      'served-vectors': { type: 'boolean', default: false },
      'token-match': { type: 'string', default: String(DEFAULT_FUSION.tokenMatchWeight) },
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
  const folds = Number(values.folds);
  const seeds = values.seeds.split(',').map(Number);
  if (!(Number.isInteger(folds) && (folds === 0 || folds >= 2)))
    throw new Error('--folds must be 0 or at least 2');
  if (!seeds.every((s) => Number.isInteger(s) && s >= 1))
    throw new Error('--seeds: whole numbers ≥ 1, comma-separated');
  return {
    dataset: values.dataset,
    json: values.json,
    embedder: values.embedder,
    split: values.split,
    weight,
    depth,
    tune: values.tune,
    peers: !values['no-peers'],
    folds,
    seeds,
    servedVectors: values['served-vectors'],
    tokenMatch: Number(values['token-match']),
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
  tokenMatch: number,
): number {
  const lexicalOnly = summarize(idsOnly(lexical), tune)['ndcg@10'];
  let best = { w: 0, ndcg: lexicalOnly + MIN_GAIN };
  const curve: string[] = [];
  for (let i = 1; i <= 20; i++) {
    const w = i / 20;
    const ndcg = summarize(idsOnly(runHybrid(lexical, semantic, depth, w, tokenMatch)), tune)['ndcg@10'];
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
  const tuned = tuneWeight(lexical, semantic, args.depth, splits.tune, args.tokenMatch);
  log(`hybrid: service weight ${served}, tuned on the tune split ${tuned}, depth ${args.depth}`);
  const hybrid = runHybrid(lexical, semantic, args.depth, served, args.tokenMatch);
  const rows = new Map<string, Runs>([
    ['lexical (Paperboy BM25F)', idsOnly(lexical)],
    [`semantic (${args.embedder})`, idsOnly(semantic.runs)],
    [`hybrid (w=${served}, as served)`, idsOnly(hybrid)],
  ]);
  if (tuned !== served)
    rows.set(
      `hybrid (w=${tuned}, tuned on the tune split)`,
      idsOnly(runHybrid(lexical, semantic, args.depth, tuned, args.tokenMatch)),
    );
  // The served index (int8 rows, HNSW, rescoring) beside the float exact rows above, in the same run (#23).
  const served8 = args.servedVectors ? servedSemantic(semantic, Math.max(args.depth, 100)) : null;
  const hybrid8 = served8 === null ? null : runHybrid(lexical, served8, args.depth, served, args.tokenMatch);
  if (served8 !== null && hybrid8 !== null) {
    rows.set('semantic (served index: int8 rows, HNSW)', idsOnly(served8.runs));
    rows.set(`hybrid (w=${served}, served index)`, idsOnly(hybrid8));
  }
  if (args.peers) {
    rows.set('FTS5 bm25(), unicode61 (reference)', runFts5(set, qids, 'unicode61', 100));
    rows.set('FTS5 bm25(), porter unicode61', runFts5(set, qids, 'porter unicode61', 100));
    rows.set('MiniSearch 7 (title boost 2)', await runPeer('minisearch', set, qids, 100));
    rows.set('Orama 3 (title boost 2)', await runPeer('orama', set, qids, 100));
  }
  console.log(qualityTable(rows, splits));
  const cv = args.folds > 0 ? await crossValidation(args, set, lexical, qids, embedder) : null;
  log(`done in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  if (args.json) {
    const summary = {
      lexical: jsonRow(idsOnly(lexical), set.qrels),
      semantic: jsonRow(idsOnly(semantic.runs), set.qrels),
      hybrid: jsonRow(idsOnly(hybrid), set.qrels),
      ...(served8 === null || hybrid8 === null
        ? {}
        : {
            servedSemantic: jsonRow(idsOnly(served8.runs), set.qrels),
            servedHybrid: jsonRow(idsOnly(hybrid8), set.qrels),
          }),
      ...(cv === null ? {} : { folds: cv }),
    };
    console.log(JSON.stringify(summary));
  }
}

/**
 * The --folds table: per model (each seed, then their ensemble), the held-out gain of every fold at the weight
 * chosen on the others. Returns the rows for --json.
 */
async function crossValidation(
  args: ReturnType<typeof cli>,
  set: BeirSet,
  lexical: ScoredRuns,
  qids: string[],
  given: Embedder,
): Promise<Record<string, unknown>[]> {
  const folds = foldsOf(qids, args.folds);
  const lexRuns = idsOnly(lexical);
  const lexPerQuery = new Map(
    qids.map((q) => [q, ndcgAt(lexRuns.get(q) ?? [], set.qrels.get(q) ?? new Map(), 10)]),
  );
  const corpus = set.corpus.map((d) => `${d.title}\n${d.text}`);
  const models: [string, Embedder][] =
    args.embedder === 'static'
      ? await Promise.all(
          args.seeds.map(
            async (s): Promise<[string, Embedder]> => [
              `static, seed ${s}`,
              await resolveEmbedder(`static:${s}`, { corpus }),
            ],
          ),
        )
      : [[args.embedder, given]];
  if (models.length > 1)
    models.push([`ensemble of seeds ${args.seeds.join(', ')}`, ensembleEmbedder(models.map(([, e]) => e))]);
  const header = folds.map((_, i) => `fold ${i + 1}: gain (w)`);
  const out: string[] = [
    `Cross-validated hybrid gain over lexical, nDCG@10 on each held-out fold (${args.folds} folds of ${qids.length} judged queries; weight chosen on the other folds)`,
    '',
    `| model | ${header.join(' | ')} | mean gain ± sd | min gain | hybrid nDCG@10, all queries held out | lexical |`,
    `|---|${header.map(() => '---:').join('|')}|---:|---:|---:|---:|`,
  ];
  const json: Record<string, unknown>[] = [];
  const rows: [string, Embedder, number][] = models.flatMap(([name, e]): [string, Embedder, number][] =>
    // Each model with and without the token-match rerank, so the table holds its before and after.
    e.tokenMatch === undefined || args.tokenMatch === 0
      ? [[name, e, 0]]
      : [
          [`${name}, fused only`, e, 0],
          [`${name}, + token-match rerank ${args.tokenMatch}`, e, args.tokenMatch],
        ],
  );
  for (const [name, embedder, tokenMatch] of rows) {
    const semantic = await runSemantic(embedder, set, qids, Math.max(args.depth, 100));
    const results = crossValidate(
      ndcgByWeight(lexical, semantic, args.depth, set.qrels, tokenMatch),
      lexPerQuery,
      folds,
    );
    const s = foldSummary(results, folds);
    const sign = (x: number): string => `${x >= 0 ? '+' : ''}${x.toFixed(4)}`;
    out.push(
      `| ${name} | ${results.map((r) => `${sign(r.gain)} (${r.weight})`).join(' | ')} | ${sign(s.meanGain)} ± ${s.sdGain.toFixed(4)} | ${sign(s.minGain)} | ${s.hybrid.toFixed(4)} | ${s.lexical.toFixed(4)} |`,
    );
    json.push({ model: name, folds: results, ...s });
    log(`cross-validated ${name}: mean gain ${sign(s.meanGain)}`);
  }
  console.log(`\n${out.join('\n')}`);
  return json;
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : String(err));
  process.exit(1);
});
