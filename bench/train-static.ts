// Trains (or finds cached) the eval's static model for one seed, so seeds can train in parallel processes
// before `npm run eval -- --folds 5 --seeds 1,2,3` reads them all from the cache. Honours STATIC_TRAIN.
//
//   SEED=2 STATIC_TRAIN='{"hardNegatives":1}' node --import tsx bench/train-static.ts /work/shared/eval/scifact
import { loadBeir } from './lib/beir.ts';
import { createEmbedder, staticModelPath } from './lib/static-embedder-module.ts';

const set = await loadBeir(process.argv[2] ?? '../shared/eval/scifact');
const corpus = set.corpus.map((d) => `${d.title}\n${d.text}`);
const seed = Number(process.env.SEED ?? 1);
const started = performance.now();
await createEmbedder({ corpus }, seed);
process.stdout.write(
  `seed ${seed}: ${staticModelPath({ corpus }, seed)} in ${((performance.now() - started) / 1000).toFixed(0)} s\n`,
);
