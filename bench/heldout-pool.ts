// Exploration (issue 19, round 2): one (fusion weight, rerank share) for every seed, chosen on four folds of the SciFact training claims averaged over the seeds, measured per seed on the fifth.
//
//   node --import tsx bench/heldout-pool.ts 1,2,3      (after `SEED=n node --import tsx bench/heldout-explore.ts dump`)
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { foldsOf } from './lib/cross-validate.ts';

const seeds = (process.argv[2] ?? '1,2,3').split(',').map(Number);
const grids = seeds.map(
  (s) =>
    JSON.parse(
      readFileSync(resolve(import.meta.dirname, `../.cache/heldout-grid-seed${s}.json`), 'utf8'),
    ) as Record<string, Record<string, number>>,
);
const first = grids[0]!;
const qids = Object.keys(first.lexical!);
const folds = foldsOf(qids, 5);
const settings = Object.keys(first).filter((k) => k !== 'lexical');
const mean = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
const at = (g: Record<string, Record<string, number>>, k: string, q: string): number => g[k]![q]!;
const sign = (x: number): string => `${x >= 0 ? '+' : ''}${x.toFixed(4)}`;

// The setting chosen on each fold's training claims, by the mean over seeds.
const chosen = folds.map((_, f) => {
  const train = folds.filter((__, i) => i !== f).flat();
  let best = settings[0]!;
  let bestS = -1;
  for (const k of settings) {
    const s = mean(grids.map((g) => mean(train.map((q) => at(g, k, q)))));
    if (s > bestS + 1e-12) [best, bestS] = [k, s];
  }
  return best;
});
console.log(`chosen per fold (w/rerank share): ${chosen.join(', ')}`);
const report = (name: string, pick: (f: number) => string): void => {
  seeds.forEach((s, j) => {
    const g = grids[j]!;
    const gains = folds.map((held, f) => mean(held.map((q) => at(g, pick(f), q) - g.lexical![q]!)));
    const m = mean(gains);
    const sd = Math.sqrt(gains.reduce((a, x) => a + (x - m) ** 2, 0) / (gains.length - 1));
    const all = mean(folds.flatMap((held, f) => held.map((q) => at(g, pick(f), q))));
    console.log(
      `| ${name}, seed ${s} | ${gains.map((x, f) => `${sign(x)} (${pick(f)})`).join(' | ')} | ${sign(m)} ± ${sd.toFixed(4)} | ${sign(Math.min(...gains))} | ${all.toFixed(4)} |`,
    );
  });
};
report('chosen on the training folds over all seeds', (f) => chosen[f]!);
for (const k of ['0.65/0.2', '0.75/0.4']) if (settings.includes(k)) report(`fixed ${k}`, () => k);
