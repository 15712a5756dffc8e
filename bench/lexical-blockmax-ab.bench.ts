// Block-max MaxScore against whole-term bounds on one opened snapshot: the same index instance (one list cache,
// one set of cached bounds) answers every query both ways, the order alternating, so the two share every cache.
//
//   node --import tsx bench/lexical-blockmax-ab.bench.ts --index DIR/lexical.bin [--k 10] [--rounds 3]
//     [--queries 1000] [--corpus FILE]
//
// The queries are bench:scale-arxiv's (`sampleQueries`, seed 23). The first round warms (lists read, bounds
// cached) and is not counted; each later round times every query both ways (wall ms, one thread, nothing else
// running in the process); a query's figure is its median over the counted rounds. Then one pass counts postings
// decoded and scored per query both ways, and checks the two top-k lists are equal.
import { loadavg } from 'node:os';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { openLexicalIndex } from '../src/index/lexical/lexical-index.ts';
import { PostingCursor } from '../src/index/lexical/posting-cursor.ts';
import { loadArxivCorpus, sampleQueries } from './lib/arxiv-corpus.ts';

const { values: args } = parseArgs({
  options: {
    index: { type: 'string' },
    k: { type: 'string', default: '10' },
    rounds: { type: 'string', default: '3' },
    queries: { type: 'string', default: '1000' },
    corpus: {
      type: 'string',
      default: resolve(import.meta.dirname, '../../shared/data/arxiv-cs-2025-2026.jsonl.gz'),
    },
  },
});

const percentile = (sorted: readonly number[], p: number): number =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
const median = (xs: readonly number[]): number =>
  [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
const round2 = (x: number): number => Math.round(x * 100) / 100;

function summary(xs: readonly number[]): Record<string, number> {
  const s = [...xs].sort((a, b) => a - b);
  return {
    p50: round2(percentile(s, 50)),
    p90: round2(percentile(s, 90)),
    p99: round2(percentile(s, 99)),
    max: round2(s[s.length - 1] ?? 0),
    mean: round2(s.reduce((a, b) => a + b, 0) / Math.max(1, s.length)),
  };
}

async function main(): Promise<void> {
  if (args.index === undefined) throw new Error('--index PATH is required');
  const k = Number(args.k);
  const rounds = Number(args.rounds);
  const queries = sampleQueries(await loadArxivCorpus(args.corpus), Number(args.queries), 23);
  const index = openLexicalIndex(args.index, { verify: false });
  const load = [loadavg()[0] ?? 0];
  const modes = [true, false] as const;
  const ms = modes.map(() => queries.map((): number[] => []));
  for (let r = 0; r < rounds; r++)
    for (const [qi, q] of queries.entries())
      for (const mi of qi % 2 === r % 2 ? [0, 1] : [1, 0]) {
        const t0 = performance.now();
        index.search(q, { k, blockMax: modes[mi] });
        if (r > 0) ms[mi]![qi]!.push(performance.now() - t0);
      }
  load.push(loadavg()[0] ?? 0);
  // Counting pass: decode and score calls per query, each way.
  const proto = PostingCursor.prototype as unknown as {
    decode: () => void;
    score: (...a: unknown[]) => number;
  };
  const { decode, score } = proto;
  let decoded = 0;
  let scored = 0;
  proto.decode = function (this: unknown): void {
    decoded++;
    decode.call(this);
  };
  proto.score = function (this: unknown, ...a: unknown[]): number {
    scored++;
    return score.apply(this, a);
  };
  const counts = modes.map(() => ({ decoded: [] as number[], scored: [] as number[] }));
  let differing = 0;
  for (const q of queries) {
    const answers = modes.map((blockMax, mi) => {
      decoded = scored = 0;
      const hits = index.search(q, { k, blockMax });
      counts[mi]!.decoded.push(decoded);
      counts[mi]!.scored.push(scored);
      return JSON.stringify(hits);
    });
    if (answers[0] !== answers[1]) differing++;
  }
  proto.decode = decode;
  proto.score = score;
  for (const [mi, blockMax] of modes.entries())
    console.log(
      JSON.stringify({
        k,
        blockMax,
        queries: queries.length,
        countedRounds: rounds - 1,
        ms: summary(ms[mi]!.map(median)),
        decoded: summary(counts[mi]!.decoded),
        scored: summary(counts[mi]!.scored),
      }),
    );
  console.log(JSON.stringify({ differing, loadAverage: load.map((l) => Math.round(l * 10) / 10) }));
}

await main();
