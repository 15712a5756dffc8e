// CPU per training pair of the static model's contrastive step at several batch sizes, on the 75k arXiv corpus
// (512 dims, random start, pairs drawn as training draws them): the same number of pairs for each batch size,
// their steps interleaved so that load drifts touch them alike. Run it in two checkouts to compare the step's code.
//
//   nice -n 10 node --import tsx bench/train-step-cost.ts [/work/shared/data/arxiv-cs-2025-2026.jsonl.gz] [pairs] [256,1024]
import { loadArxivCorpus } from './lib/arxiv-corpus.ts';
import { createContrastiveStep } from '../src/index/embedders/static/contrastive-step.ts';
import { createRng } from '../src/index/embedders/static/random.ts';
import {
  createBagBuilder,
  DEFAULT_PAIR_MIX,
  drawPair,
} from '../src/index/embedders/static/training-pairs.ts';
import { cpuSeconds } from './lib/proc-times.ts';
import { trainingDocs } from './lib/training-docs.ts';

const path = process.argv[2] ?? '../shared/data/arxiv-cs-2025-2026.jsonl.gz';
const pairsEach = Number(process.argv[3] ?? 6144);
const batches = (process.argv[4] ?? '256,1024').split(',').map(Number);
const papers = await loadArxivCorpus(path);
const { vocab, docs } = trainingDocs(papers);
papers.length = 0;
const log = (m: string): void => void process.stdout.write(`${m}\n`);
const { loadavg } = await import('node:os');
log(`${docs.length} papers, ${vocab.tokens.length} tokens, load ${loadavg()[0]!.toFixed(1)}`);

const dim = 512;
const rng = createRng(1);
const params = {
  dim,
  vectors: Float32Array.from({ length: vocab.tokens.length * dim }, () => rng.normal() / Math.sqrt(dim)),
  logWeights: Float32Array.from(vocab.idf, (x) => Math.log(x)),
};
const bag = createBagBuilder(vocab.tokens.length);
const runs = batches.map((b) => ({
  batch: b,
  step: createContrastiveStep(params, b, { lr: 0.003 }),
  steps: Math.ceil(pairsEach / b),
  cpu: 0,
  pairs: 0,
  n: 0,
}));
// One untimed step each first (compilation, buffers), then each batch size's timed steps, interleaved.
for (let s = 0; s <= Math.max(...runs.map((r) => r.steps)); s++) {
  for (const r of runs) {
    if (s > r.steps) continue;
    const pairs = Array.from({ length: r.batch }, () => rng.int(docs.length)).flatMap(
      (i) => drawPair(docs[i]!, rng, DEFAULT_PAIR_MIX, bag) ?? [],
    );
    const c0 = cpuSeconds();
    r.step(
      pairs.map((p) => p.query),
      pairs.map((p) => p.doc),
      ++r.n,
    );
    if (s > 0) {
      r.cpu += cpuSeconds() - c0;
      r.pairs += pairs.length;
    }
  }
}
for (const r of runs)
  log(
    `batch ${r.batch}: ${((1000 * r.cpu) / r.steps).toFixed(0)} CPU ms a step, ` +
      `${((1e6 * r.cpu) / r.pairs).toFixed(0)} CPU µs a pair (${r.pairs} pairs timed)`,
  );
log(`load ${loadavg()[0]!.toFixed(1)}`);
