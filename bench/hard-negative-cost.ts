// What mined hard negatives cost at scale: mining CPU per paper (BM25 of each title over its shard) and the
// training step's CPU with 0 and 1 negatives per pair, on the 75k arXiv corpus (CPU seconds, so load matters less).
//
//   nice -n 19 node --import tsx bench/hard-negative-cost.ts [/work/shared/data/arxiv-cs-2025-2026.jsonl.gz] [steps]
import { loadArxivCorpus } from './lib/arxiv-corpus.ts';
import { createContrastiveStep } from '../src/index/embedders/static/contrastive-step.ts';
import { mineHardNegatives } from '../src/index/embedders/static/hard-negatives.ts';
import { createRng } from '../src/index/embedders/static/random.ts';
import {
  createBagBuilder,
  DEFAULT_PAIR_MIX,
  drawPair,
} from '../src/index/embedders/static/training-pairs.ts';
import { cpuSeconds } from './lib/proc-times.ts';
import { trainingDocs } from './lib/training-docs.ts';

const path = process.argv[2] ?? '../shared/data/arxiv-cs-2025-2026.jsonl.gz';
const steps = Number(process.argv[3] ?? 8);
const papers = await loadArxivCorpus(path);
const { vocab, docs } = trainingDocs(papers);
papers.length = 0;
const log = (m: string): void => void process.stdout.write(`${m}\n`);
log(
  `${docs.length} papers, ${vocab.tokens.length} tokens, load ${(await import('node:os')).loadavg()[0]!.toFixed(1)}`,
);

for (const shard of [50_000, 25_000]) {
  const c0 = cpuSeconds();
  const w0 = performance.now();
  const mined = mineHardNegatives(docs, vocab.tokens.length, { shard });
  const c = cpuSeconds() - c0;
  let found = 0;
  for (let i = 0; i < docs.length; i++) if (mined.ids[i * mined.pool]! >= 0) found++;
  log(
    `mining, shards of ≤ ${shard}: ${c.toFixed(1)} CPU s (${((1e6 * c) / docs.length).toFixed(0)} µs a paper), ` +
      `${((performance.now() - w0) / 1000).toFixed(1)} s wall; ${found} papers with a negative`,
  );
}

// The step alone, with and without one negative per pair, interleaved.
const dim = 512;
const rng = createRng(1);
const params = {
  dim,
  vectors: Float32Array.from({ length: vocab.tokens.length * dim }, () => rng.normal() / Math.sqrt(dim)),
  logWeights: Float32Array.from(vocab.idf, (x) => Math.log(x)),
};
const step = createContrastiveStep(params, 256, { lr: 0.003 });
const bag = createBagBuilder(vocab.tokens.length);
const times = { 0: 0, 1: 0 };
let n = 0;
for (let s = 0; s < steps; s++) {
  for (const k of [0, 1] as const) {
    const picked = Array.from({ length: 256 }, () => rng.int(docs.length));
    const pairs = picked.flatMap((i) => drawPair(docs[i]!, rng, DEFAULT_PAIR_MIX, bag) ?? []);
    const negatives =
      k === 0
        ? []
        : picked.map((i) => {
            const d = docs[(i + 1) % docs.length]!;
            return bag([d.title, ...d.sentences]);
          });
    const c0 = cpuSeconds();
    step(
      pairs.map((p) => p.query),
      pairs.map((p) => p.doc),
      ++n,
      negatives,
    );
    times[k] += cpuSeconds() - c0;
  }
}
log(
  `step of 256 pairs: ${((1000 * times[0]) / steps).toFixed(0)} CPU ms without negatives, ` +
    `${((1000 * times[1]) / steps).toFixed(0)} with one per pair (×${(times[1] / times[0]).toFixed(2)})`,
);
