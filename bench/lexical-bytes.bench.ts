// Where the lexical index's bytes go (per snapshot section, plus what only lives in memory) and its top-10 speed,
// optionally against another checkout's lexical index in the same process.
//
//   node --expose-gc --max-old-space-size=8000 --import tsx bench/lexical-bytes.bench.ts [--scale 1] [--queries 1000] [--rounds 3] [--base DIR] [--paged]
//
// Builds the index from the 75k arXiv papers (grown `--scale`-fold as bench:search does), compacts it,
// then prints one JSON line: each snapshot section's bytes, the in-memory extras (pair signatures, alive
// table), the postings' uncompressed CSR size (4 + 2 bytes a posting plus offsets), and top-10 latency p50
// and p99 over bench:search's 1,000 title queries (after 200 warm-up queries), the median of `--rounds`.
// With `--base DIR` (a checkout of an earlier commit, e.g. `git archive <commit> | tar -x -C DIR` with
// node_modules linked), that checkout's index is built from the same papers in this process too, every
// query is timed on both in turn, and the line also says whether all top-10 lists (ids and scores) agree.
// With `--paged`, this checkout's index is opened from a snapshot file as `serve` opens it (posting lists left
// in the file, read per term through the default 32 MiB cache) instead of from the buffer in memory.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import {
  createLexicalIndex,
  loadLexicalIndex,
  openLexicalIndex,
} from '../src/index/lexical/lexical-index.ts';
import { loadArxivCorpus, sampleQueries, scaleCorpus, type BenchDoc } from './lib/arxiv-corpus.ts';

const { values: args } = parseArgs({
  options: {
    corpus: {
      type: 'string',
      default: resolve(import.meta.dirname, '../../shared/data/arxiv-cs-2025-2026.jsonl.gz'),
    },
    scale: { type: 'string', default: '1' },
    queries: { type: 'string', default: '1000' },
    rounds: { type: 'string', default: '3' },
    base: { type: 'string' },
    paged: { type: 'boolean', default: false },
  },
});

const percentile = (sorted: readonly number[], p: number): number =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
const mib = (n: number): number => Math.round((n / 2 ** 20) * 100) / 100;
const ms = (x: number): number => Math.round(x * 1000) / 1000;

/** What both checkouts' indexes offer. */
interface Searchable {
  add(doc: BenchDoc): void;
  serialize(): Buffer;
  search(q: string, opts: { k: number }): [string, number][];
  stats(): { documents: number; terms: number; postings: number };
}
interface Module {
  createLexicalIndex(): Searchable;
  loadLexicalIndex(buf: Uint8Array): Searchable;
}

/** Builds, snapshots and reopens an index as `serve` would hold it; reports its snapshot sections. */
function build(
  mod: Module,
  docs: readonly BenchDoc[],
): { index: Searchable; report: Record<string, unknown> } {
  const built = mod.createLexicalIndex();
  const t0 = performance.now();
  for (const d of docs) built.add(d);
  const buildS = (performance.now() - t0) / 1000;
  const snapshot = built.serialize();
  const t2 = performance.now();
  const index = mod.loadLexicalIndex(snapshot);
  const loadMs = performance.now() - t2;
  // The snapshot header lists every section's length (see index-codec.ts).
  const headerLength = snapshot.readUInt32LE(8);
  const header = JSON.parse(snapshot.toString('utf8', 16, 16 + headerLength)) as {
    sections: Record<string, [number, number, number]>;
  };
  const stats = index.stats();
  const postingSections = [
    'offsets',
    'blocks',
    'lastDocs',
    'blockBytes',
    'docs',
    'tfs',
    'docsBlocks',
    'tfsBlocks',
  ];
  return {
    index,
    report: {
      format: snapshot.readUInt32LE(4),
      docs: stats.documents,
      terms: stats.terms,
      postings: stats.postings,
      buildS: Math.round(buildS * 10) / 10,
      loadMs: Math.round(loadMs),
      snapshotMiB: mib(snapshot.length),
      postingsMiB: mib(postingSections.reduce((sum, name) => sum + (header.sections[name]?.[1] ?? 0), 0)),
      sectionsMiB: Object.fromEntries(Object.entries(header.sections).map(([k, v]) => [k, mib(v[1])])),
      csrPostingsMiB: mib(6 * stats.postings + 4 * (stats.terms + 1)),
      inMemoryOnlyMiB: { pairSignatures: mib(stats.documents * 128), alive: mib(stats.documents) },
    },
  };
}

async function main(): Promise<void> {
  const real = await loadArxivCorpus(args.corpus);
  const docs = scaleCorpus(real, Number(args.scale), 7);
  const scratch = mkdtempSync(join(tmpdir(), 'paperboy-lexical-bytes-'));
  process.on('exit', () => rmSync(scratch, { recursive: true, force: true }));
  // Opened from a file, the lists stay there (see --paged above); from a buffer, they are read into memory.
  const fromFile = (buf: Uint8Array): Searchable => {
    const file = join(scratch, 'lexical.bin');
    writeFileSync(file, buf);
    return openLexicalIndex(file) as unknown as Searchable;
  };
  const current = build(
    { createLexicalIndex, loadLexicalIndex: args.paged ? fromFile : loadLexicalIndex } as unknown as Module,
    docs,
  );
  const base =
    args.base === undefined
      ? null
      : build((await import(resolve(args.base, 'src/index/lexical/lexical-index.ts'))) as Module, docs);
  const engines = base === null ? [current.index] : [current.index, base.index];
  const queries = sampleQueries(real, Number(args.queries), 42);
  for (const q of sampleQueries(real, 200, 4242)) for (const e of engines) e.search(q, { k: 10 });
  const p50s = engines.map((): number[] => []);
  const p99s = engines.map((): number[] => []);
  let differing = 0;
  for (let r = 0; r < Number(args.rounds); r++) {
    const times = engines.map((): number[] => []);
    for (const [qi, q] of queries.entries()) {
      const answers: string[] = [];
      // Alternate which goes first, so neither always runs on the other's warm caches.
      const order = (r + qi) % 2 === 0 ? engines.map((_, i) => i) : engines.map((_, i) => i).reverse();
      for (const i of order) {
        const s = performance.now();
        const hits = engines[i]!.search(q, { k: 10 });
        times[i]!.push(performance.now() - s);
        answers[i] = JSON.stringify(hits);
      }
      if (r === 0 && answers.length === 2 && answers[0] !== answers[1]) differing++;
    }
    times.forEach((t, i) => {
      t.sort((a, b) => a - b);
      p50s[i]!.push(percentile(t, 50));
      p99s[i]!.push(percentile(t, 99));
    });
  }
  const speed = (i: number): Record<string, unknown> => ({
    p50Ms: ms(median(p50s[i]!)),
    p99Ms: ms(median(p99s[i]!)),
    rounds: { p50: p50s[i]!.map(ms), p99: p99s[i]!.map(ms) },
  });
  console.log(
    JSON.stringify({
      current: { ...current.report, ...speed(0) },
      ...(base === null
        ? {}
        : {
            base: { ...base.report, ...speed(1) },
            differingTop10: differing,
            p50Ratio: Math.round((median(p50s[0]!) / median(p50s[1]!)) * 1000) / 1000,
            p99Ratio: Math.round((median(p99s[0]!) / median(p99s[1]!)) * 1000) / 1000,
          }),
    }),
  );
}

await main();
