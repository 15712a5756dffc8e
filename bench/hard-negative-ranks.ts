// How many papers get a mined negative in a window of BM25 ranks, on a BEIR corpus (SciFact): the coverage behind
// `hardNegativeRanks` (docs/BENCHMARKS.md "#19 softer negatives"). Tokenized as bench/hard-negative-cost.ts does.
//
//   node --import tsx bench/hard-negative-ranks.ts /work/shared/eval/scifact 1-4 10-30 100-200
import { loadBeir } from './lib/beir.ts';
import { mineHardNegatives } from '../src/index/embedders/static/hard-negatives.ts';
import { trainingDocs } from './lib/training-docs.ts';

const set = await loadBeir(process.argv[2] ?? '../shared/eval/scifact');
const windows = (process.argv.length > 3 ? process.argv.slice(3) : ['1-4', '10-30']).map((w) => {
  const [from, to] = w.split('-').map(Number);
  return [from!, to!] as const;
});
const { vocab, docs } = trainingDocs(set.corpus.map((d) => ({ title: d.title, abstract: d.text })));
process.stdout.write(
  `${docs.length} papers\n| ranks | papers with ≥ 1 negative | negatives per paper, mean |\n|---|---:|---:|\n`,
);
for (const ranks of windows) {
  const mined = mineHardNegatives(docs, vocab.tokens.length, { ranks });
  let withOne = 0;
  let total = 0;
  for (let i = 0; i < docs.length; i++) {
    let n = 0;
    for (let r = 0; r < mined.pool; r++) if (mined.ids[i * mined.pool + r]! >= 0) n++;
    if (n > 0) withOne++;
    total += n;
  }
  process.stdout.write(
    `| ${ranks[0]}–${ranks[1]} | ${withOne} (${((100 * withOne) / docs.length).toFixed(1)}%) | ${(total / docs.length).toFixed(1)} |\n`,
  );
}
