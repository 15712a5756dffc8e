// Where the lexical index's bytes go (per snapshot section, plus what only lives in memory) and its top-10 speed.
//
//   node --expose-gc --max-old-space-size=8000 --import tsx bench/lexical-bytes.bench.ts [--scale 1] [--queries 1000] [--rounds 3]
//
// Builds the index from the 75k arXiv papers (grown `--scale`-fold as bench:search does), compacts it,
// then prints one JSON line: each snapshot section's bytes, the in-memory extras (pair signatures, alive
// table, length sums), the postings' old CSR size for comparison (4 + 2 bytes a posting plus offsets), and
// top-10 latency p50/p99 over bench:search's 1,000 title queries (after 200 warm-up queries), as the median
// of `--rounds` rounds.
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { createLexicalIndex, loadLexicalIndex } from '../src/index/lexical/lexical-index.ts';
import { loadArxivCorpus, sampleQueries, scaleCorpus } from './lib/arxiv-corpus.ts';

const { values: args } = parseArgs({
  options: {
    corpus: {
      type: 'string',
      default: resolve(import.meta.dirname, '../../shared/data/arxiv-cs-2025-2026.jsonl.gz'),
    },
    scale: { type: 'string', default: '1' },
    queries: { type: 'string', default: '1000' },
    rounds: { type: 'string', default: '3' },
  },
});

const percentile = (sorted: readonly number[], p: number): number =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
const mib = (n: number): number => Math.round((n / 2 ** 20) * 100) / 100;

async function main(): Promise<void> {
  const real = await loadArxivCorpus(args.corpus);
  const docs = scaleCorpus(real, Number(args.scale), 7);
  const built = createLexicalIndex();
  const t0 = performance.now();
  for (const d of docs) built.add(d);
  const buildS = (performance.now() - t0) / 1000;
  const t1 = performance.now();
  const snapshot = built.serialize();
  const serializeMs = performance.now() - t1;
  const t2 = performance.now();
  const index = loadLexicalIndex(snapshot);
  const loadMs = performance.now() - t2;

  // The snapshot header lists every section's length (see index-codec.ts).
  const headerLength = snapshot.readUInt32LE(8);
  const header = JSON.parse(snapshot.toString('utf8', 16, 16 + headerLength)) as {
    sections: Record<string, [number, number, number]>;
  };
  const sections = Object.fromEntries(Object.entries(header.sections).map(([k, v]) => [k, mib(v[1])]));
  const stats = index.stats();
  const n = stats.documents;
  const csrPostings = 6 * stats.postings + 4 * (stats.terms + 1);

  const queries = sampleQueries(real, Number(args.queries), 42);
  for (const q of sampleQueries(real, 200, 4242)) index.search(q, { k: 10 });
  const p50s: number[] = [];
  const p99s: number[] = [];
  for (let r = 0; r < Number(args.rounds); r++) {
    const times: number[] = [];
    for (const q of queries) {
      const s = performance.now();
      index.search(q, { k: 10 });
      times.push(performance.now() - s);
    }
    times.sort((a, b) => a - b);
    p50s.push(percentile(times, 50));
    p99s.push(percentile(times, 99));
  }
  console.log(
    JSON.stringify({
      docs: n,
      terms: stats.terms,
      postings: stats.postings,
      buildS: Math.round(buildS * 10) / 10,
      serializeMs: Math.round(serializeMs),
      loadMs: Math.round(loadMs),
      snapshotMiB: mib(snapshot.length),
      sectionsMiB: sections,
      csrPostingsMiB: mib(csrPostings),
      inMemoryOnlyMiB: {
        pairSignatures: mib(n * 128),
        alive: mib(n),
      },
      p50Ms: Math.round(median(p50s) * 1000) / 1000,
      p99Ms: Math.round(median(p99s) * 1000) / 1000,
      rounds: {
        p50: p50s.map((x) => Math.round(x * 1000) / 1000),
        p99: p99s.map((x) => Math.round(x * 1000) / 1000),
      },
    }),
  );
}

await main();
