// Wall time of lexical top-k on an existing snapshot (e.g. a 2.7M-paper lexical.bin) answered on one thread and
// cut in parts shared with a helper thread (`SEARCH_SPLIT_THREAD`, lexical-helper.ts), queries interleaved in one
// process.
//
//   node --import tsx bench/lexical-split.bench.ts --index DIR/lexical.bin [--k 10,100] [--queries 1000]
//     [--seed 23] [--passes 2] [--cache-mib 256] [--min-postings 200000] [--parts 8] [--busy] [--slowest 10]
//     [--change 0]
//
// `--change N` takes N papers in before the queries, as a harvest does a node that serves: N papers of the index
// removed and N of the corpus added under new ids, so the lists are the file's plus a tail and the statistics moved
// (the helper takes on the removals and statistics with each search; `changed` in the JSON line).
//
// `--parts 2,8` compares cuts into 2 and into 8 parts (one helper thread each, so each keeps its own lists warm).
// `--busy` keeps one more thread spinning through the timed pass, as serve's start-up checks and table builds keep
// the second core busy in its first half minute.
//
// The queries are bench:scale-arxiv's (`sampleQueries` over the 75k corpus, seed 23: 2–5 title words). The index
// is opened once, as serve opens it after a restart, and each helper thread opens the same file. `--passes N` runs
// the queries N − 1 times first, both ways, untimed (lists, bounds and impacts kept: steady state); the timed pass
// alternates which way goes first. Wall time per query (a split search's main-thread part and the helper's run
// at once, so CPU time would count both). Prints one JSON line per k: p50/p90/p95/p99/max/mean of each way, how
// many searches were cut and how many of their parts each thread took, whether every answer was the same (ids and scores), then the slowest queries.
import { loadavg } from 'node:os';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { Worker } from 'node:worker_threads';
import {
  openLexicalIndex,
  SPLIT_MIN_POSTINGS,
  SPLIT_PARTS,
  type LexicalIndex,
} from '../src/index/lexical/lexical-index.ts';
import { startLexicalHelper } from '../src/services/search/lexical-helper.ts';
import { loadArxivCorpus, sampleQueries, type BenchDoc } from './lib/arxiv-corpus.ts';
import { latencySummary as summary, round2 } from './lib/latency-summary.ts';

const { values: args } = parseArgs({
  options: {
    index: { type: 'string' },
    corpus: {
      type: 'string',
      default: resolve(import.meta.dirname, '../../shared/data/arxiv-cs-2025-2026.jsonl.gz'),
    },
    queries: { type: 'string', default: '1000' },
    seed: { type: 'string', default: '23' },
    k: { type: 'string', default: '10,100' },
    passes: { type: 'string', default: '2' },
    'cache-mib': { type: 'string', default: '256' },
    'min-postings': { type: 'string', default: String(SPLIT_MIN_POSTINGS) },
    parts: { type: 'string', default: String(SPLIT_PARTS) },
    busy: { type: 'boolean', default: false },
    slowest: { type: 'string', default: '10' },
    change: { type: 'string', default: '0' },
  },
});

async function main(): Promise<void> {
  if (args.index === undefined) throw new Error('--index PATH is required');
  const file = resolve(args.index);
  const cacheBytes = Number(args['cache-mib']) * 2 ** 20;
  const index = openLexicalIndex(file, { verify: false }).limitMemory({ postingsCacheBytes: cacheBytes });
  const partCounts = args.parts.split(',').map(Number);
  const helpers = partCounts.map((parts) =>
    startLexicalHelper(
      file,
      { postingsCacheBytes: cacheBytes },
      { minPostings: Number(args['min-postings']), parts },
    ),
  );
  const started = performance.now();
  for (const helper of helpers)
    if (!(await helper.whenReady())) throw new Error(`helper: ${helper.stats().failed}`);
  const helperOpenMs = performance.now() - started;
  const corpus = await loadArxivCorpus(args.corpus);
  const queries = sampleQueries(corpus, Number(args.queries), Number(args.seed));
  const changed = takeIn(index, corpus, Number(args.change));
  const passes = Number(args.passes);
  for (const k of args.k.split(',').map(Number)) {
    for (let w = 1; w < passes; w++)
      for (const q of queries) {
        index.search(q, { k });
        for (const helper of helpers) await helper.search(index, q, { k });
      }
    const spinner = args.busy
      ? new Worker('const s = Date.now(); let x = 0; for (;;) x += Math.sqrt(x + (Date.now() - s));', {
          eval: true,
        })
      : null;
    const load = loadavg()[0] ?? 0;
    const whole: number[] = [];
    const split: number[][] = helpers.map(() => []);
    const before = helpers.map((h) => h.stats());
    let differing = 0;
    for (const [qi, q] of queries.entries()) {
      const timeWhole = (): string => {
        const t = performance.now();
        const top = index.search(q, { k });
        whole.push(performance.now() - t);
        return JSON.stringify(top);
      };
      const timeSplit = async (h: number): Promise<string> => {
        const t = performance.now();
        const top = await helpers[h]!.search(index, q, { k });
        split[h]!.push(performance.now() - t);
        return JSON.stringify(top);
      };
      // Which way goes first turns with each query.
      const ways = [-1, ...helpers.keys()];
      const turn = qi % ways.length;
      const answers: string[] = [];
      for (const w of [...ways.slice(turn), ...ways.slice(0, turn)])
        answers.push(w < 0 ? timeWhole() : await timeSplit(w));
      if (answers.some((a) => a !== answers[0])) differing++;
    }
    await spinner?.terminate();
    const slowest = queries
      .map((q, i) => ({ q, whole: round2(whole[i] ?? 0), split: split.map((xs) => round2(xs[i] ?? 0)) }))
      .sort((x, y) => y.whole - x.whole)
      .slice(0, Number(args.slowest));
    process.stdout.write(
      `${JSON.stringify({
        k,
        queries: queries.length,
        passes,
        busy: args.busy,
        whole: summary(whole),
        split: helpers.map((h, i) => {
          const s = h.stats();
          const b = before[i]!;
          return {
            parts: partCounts[i],
            ...summary(split[i]!),
            cut: s.split - b.split,
            helperParts: s.helperParts - b.helperParts,
            ownParts: s.ownParts - b.ownParts,
          };
        }),
        sameAnswers: differing === 0,
        differing,
        changed,
        helperOpenMs: Math.round(helperOpenMs),
        load: round2(load),
      })}\n`,
    );
    for (const s of slowest) process.stdout.write(`  ${JSON.stringify(s)}\n`);
  }
  for (const helper of helpers) await helper.close();
}

/**
 * `n` papers of `index` removed (spread evenly over its documents) and `n` corpus papers added under new ids: what a
 * node that serves has taken in since its lexical file was written. Returns `n`.
 */
function takeIn(index: LexicalIndex, corpus: readonly BenchDoc[], n: number): number {
  const count = index.size;
  for (let i = 0; i < n; i++) index.remove(index.idAt(Math.floor((i * count) / Math.max(n, 1))));
  for (let i = 0; i < n; i++) {
    const d = corpus[i % corpus.length]!;
    index.add({
      id: `changed-${i}`,
      title: d.title,
      abstract: d.abstract,
      authors: [],
      categories: [],
      date: '2026-12-01',
    });
  }
  return n;
}

await main();
