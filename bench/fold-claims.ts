// Issue 19: what makes a held-out fold of the SciFact training claims weak. Per fold and seed, at the served fusion
// (DEFAULT_FUSION: static weight and token-match share): lexical and hybrid nDCG@10, the claims hybrid helps and
// hurts, and the claims whose lexical ranking was perfect (nDCG@10 = 1) that hybrid makes worse. Then the weight
// and the token-match share chosen together by cross-validation (on the other folds), against the weight alone.
// Models come from the eval's cache (STATIC_TRAIN honoured), trained if missing.
//
//   STATIC_TRAIN='{"batchSize":1024}' nice -n 10 node --import tsx bench/fold-claims.ts /work/shared/eval/scifact 1,2,3
import { DEFAULT_FUSION } from '../src/rank/hybrid.ts';
import { loadBeir } from './lib/beir.ts';
import { bestOnOtherFolds, foldsOf } from './lib/cross-validate.ts';
import { resolveEmbedder } from './lib/eval-embedders.ts';
import { buildLexicalSnapshot, idsOnly, runHybrid, runLexical, runSemantic } from './lib/eval-runs.ts';
import { ndcgAt } from './lib/metrics.ts';

const dataset = process.argv[2] ?? '../shared/eval/scifact';
const seeds = (process.argv[3] ?? '1,2,3').split(',').map(Number);
const set = await loadBeir(dataset, 'train');
const qids = [...set.qrels.keys()];
const folds = foldsOf(qids, 5);
const depth = DEFAULT_FUSION.depth;
const lexical = runLexical(buildLexicalSnapshot(set), set, qids, depth);
const perClaim = (runs: Map<string, string[]>): Map<string, number> =>
  new Map(qids.map((q) => [q, ndcgAt(runs.get(q) ?? [], set.qrels.get(q) ?? new Map(), 10)]));
const lex = perClaim(idsOnly(lexical));
const mean = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
const sign = (x: number): string => `${x >= 0 ? '+' : ''}${x.toFixed(4)}`;
const corpus = set.corpus.map((d) => `${d.title}\n${d.text}`);
const out = (line: string): void => void process.stdout.write(`${line}\n`);

out(
  `| seed | fold | lexical | hybrid (served) | gain | helped / hurt | gained / lost (sum of nDCG@10) | perfect lexical made worse (lost) |`,
);
out('|---|---:|---:|---:|---:|---:|---:|---:|');
const cvRows: string[] = [];
for (const seed of seeds) {
  const semantic = await runSemantic(await resolveEmbedder(`static:${seed}`, { corpus }), set, qids, depth);
  const served = perClaim(
    idsOnly(
      runHybrid(lexical, semantic, depth, DEFAULT_FUSION.staticWeight, DEFAULT_FUSION.tokenMatchWeight),
    ),
  );
  folds.forEach((held, f) => {
    const d = held.map((q) => (served.get(q) ?? 0) - (lex.get(q) ?? 0));
    const perfect = held.filter((q) => lex.get(q) === 1 && (served.get(q) ?? 0) < 1);
    const perfectLoss = perfect.reduce((a, q) => a + 1 - (served.get(q) ?? 0), 0);
    out(
      `| ${seed} | ${f + 1} | ${mean(held.map((q) => lex.get(q) ?? 0)).toFixed(4)} | ${mean(held.map((q) => served.get(q) ?? 0)).toFixed(4)} | ${sign(mean(d))} | ${d.filter((x) => x > 1e-9).length} / ${d.filter((x) => x < -1e-9).length} | ${d
        .filter((x) => x > 0)
        .reduce((a, x) => a + x, 0)
        .toFixed(
          2,
        )} / ${(-d.filter((x) => x < 0).reduce((a, x) => a + x, 0)).toFixed(2)} | ${perfect.length} (${perfectLoss.toFixed(2)}) |`,
    );
  });
  // Weight and token-match share chosen together on the other folds.
  const grid: [number, number][] = [];
  for (let w = 0.5; w <= 0.9001; w += 0.05)
    for (const tm of [0, 0.2, 0.4, 0.6, 0.8]) grid.push([Math.round(w * 100) / 100, tm]);
  const byGrid = grid.map(([w, tm]) => perClaim(idsOnly(runHybrid(lexical, semantic, depth, w, tm))));
  const gains = folds.map((held, f) => {
    const best = bestOnOtherFolds(byGrid, folds, f);
    const g = mean(held.map((q) => (byGrid[best]?.get(q) ?? 0) - (lex.get(q) ?? 0)));
    return `${sign(g)} (${grid[best]!.join(', ')})`;
  });
  const values = folds.map((held, f) => {
    const best = bestOnOtherFolds(byGrid, folds, f);
    return mean(held.map((q) => (byGrid[best]?.get(q) ?? 0) - (lex.get(q) ?? 0)));
  });
  cvRows.push(
    `| seed ${seed}, w and token-match share by CV | ${gains.join(' | ')} | ${sign(mean(values))} | ${sign(Math.min(...values))} |`,
  );
  process.stderr.write(`seed ${seed} done\n`);
}
out('');
out('| model | fold 1: gain (w, share) | fold 2 | fold 3 | fold 4 | fold 5 | mean gain | min gain |');
out('|---|---:|---:|---:|---:|---:|---:|---:|');
for (const r of cvRows) out(r);
