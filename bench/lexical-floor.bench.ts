// How much a lexical top-k search would gain from knowing its threshold early (issue 23's lexical tail): MaxScore
// learns θ, the k-th best score, as it walks the documents in order, and prunes little until θ is high. This bench
// times, on an existing snapshot, the plain search beside the same search given a floor (`SearchOptions.floor`):
//
// - `oracle F`: the floor is F × the search's own final θ (F = 1: the best any estimate could do; no real search
//   knows it beforehand);
// - `pilot P`: the search first answers the last fraction P of the documents, then the rest with that part's k-th
//   score as the floor (a floor any search could learn), the two answers merged; the time is both steps'.
//
//   node --import tsx bench/lexical-floor.bench.ts --index DIR/lexical.bin [--k 20] [--queries 1000] [--seed 23]
//     [--oracle 1,0.9] [--pilot 0.01,0.03,0.1] [--cache-mib 256]
//
// The queries are bench:scale-arxiv's (2–5 title words). One untimed pass first (lists, bounds, impacts kept),
// then one timed pass with the ways in turn per query. Every way must return the plain search's answer (ids and
// scores); the bench fails otherwise. Prints one JSON line: each way's p50/p90/p95/p99/max/mean in ms, and the
// pilots' floors as a fraction of θ (median and p10).
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { ScoredId } from '../src/domain/index.ts';
import { mergeSplitTops, openLexicalIndex, type LexicalIndex } from '../src/index/lexical/lexical-index.ts';
import { loadArxivCorpus, sampleQueries } from './lib/arxiv-corpus.ts';
import { latencySummary, round2 } from './lib/latency-summary.ts';

const { values: args } = parseArgs({
  options: {
    index: { type: 'string' },
    corpus: {
      type: 'string',
      default: resolve(import.meta.dirname, '../../shared/data/arxiv-cs-2025-2026.jsonl.gz'),
    },
    queries: { type: 'string', default: '1000' },
    seed: { type: 'string', default: '23' },
    k: { type: 'string', default: '20' },
    oracle: { type: 'string', default: '1,0.9' },
    pilot: { type: 'string', default: '0.01,0.03,0.1' },
    'cache-mib': { type: 'string', default: '256' },
  },
});

const numbers = (list: string): number[] =>
  list
    .split(',')
    .filter((x) => x !== '')
    .map(Number);

/** The k-th score of `top`, or -Infinity when it holds fewer than k. */
const kth = (top: readonly ScoredId[], k: number): number => (top.length >= k ? top[k - 1]![1] : -Infinity);

/** The pilot way: the last `fraction` of the documents first, then the rest with that part's k-th score as floor. */
function piloted(
  index: LexicalIndex,
  q: string,
  k: number,
  fraction: number,
  documents: number,
): { top: ScoredId[]; floor: number } {
  const cut = Math.floor(documents * (1 - fraction));
  const pilot = index.search(q, { k, span: { from: cut, to: documents } });
  const floor = kth(pilot, k);
  const rest = index.search(q, { k, span: { from: 0, to: cut }, floor });
  return { top: mergeSplitTops(rest, pilot, k), floor };
}

async function main(): Promise<void> {
  if (args.index === undefined) throw new Error('--index PATH is required');
  const k = Number(args.k);
  const cacheBytes = Number(args['cache-mib']) * 2 ** 20;
  const index = openLexicalIndex(resolve(args.index), { verify: false }).limitMemory({
    postingsCacheBytes: cacheBytes,
  });
  const documents = index.stats().documents;
  const queries = sampleQueries(await loadArxivCorpus(args.corpus), Number(args.queries), Number(args.seed));
  // The untimed pass, which also gives each query's θ for the oracle floors.
  const theta = queries.map((q) => kth(index.search(q, { k }), k));
  const oracles = numbers(args.oracle);
  const pilots = numbers(args.pilot);
  const floorShare = new Map(pilots.map((p) => [p, [] as number[]]));
  /** Each way's name (its key in the output) and its search of query number qi. */
  const ways: { name: string; run: (q: string, qi: number) => ScoredId[] }[] = [
    { name: 'plain', run: (q) => index.search(q, { k }) },
    ...oracles.map((f) => ({
      name: `oracle ${f}`,
      run: (q: string, qi: number) => index.search(q, { k, floor: theta[qi]! * f }),
    })),
    ...pilots.map((p) => ({
      name: `pilot ${p}`,
      run: (q: string, qi: number) => {
        const { top, floor } = piloted(index, q, k, p, documents);
        if (theta[qi]! > 0) floorShare.get(p)!.push(floor / theta[qi]!);
        return top;
      },
    })),
  ];
  const times = new Map(ways.map((w) => [w.name, [] as number[]]));
  for (const [qi, q] of queries.entries()) {
    let expected: string | null = null;
    const turn = qi % ways.length;
    for (const way of [...ways.slice(turn), ...ways.slice(0, turn)]) {
      const t = performance.now();
      const top = way.run(q, qi);
      times.get(way.name)!.push(performance.now() - t);
      const answer = JSON.stringify(top);
      expected ??= answer;
      if (answer !== expected) throw new Error(`"${q}": ${way.name} answered differently`);
    }
  }
  const share = (xs: number[]): Record<string, number> => {
    const s = [...xs].sort((a, b) => a - b);
    return {
      p10: round2(s[Math.floor(0.1 * s.length)] ?? 0),
      p50: round2(s[Math.floor(0.5 * s.length)] ?? 0),
    };
  };
  process.stdout.write(
    `${JSON.stringify({
      k,
      queries: queries.length,
      documents,
      ways: Object.fromEntries([...times].map(([w, xs]) => [w, latencySummary(xs)])),
      pilotFloorOfTheta: Object.fromEntries([...floorShare].map(([p, xs]) => [p, share(xs)])),
    })}\n`,
  );
}

await main();
