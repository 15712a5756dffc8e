// For-you quality and speed: simulated readers from the 75k arXiv corpus (interest = a category pair), trained on
// earlier papers and judged on a later window, against newest-first and lexical-profile baselines; then feed latency.
// Usage: npm run eval:foryou [-- --sizes 1,5,20] [--no-speed | --speed-only [--repeats 3]] [--json]
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { loadArxivCorpus, type BenchDoc } from './lib/arxiv-corpus.ts';
import { corpusVectors } from './lib/foryou-corpus-model.ts';
import {
  buildReaders,
  corpusIndex,
  forYouRanking,
  lexicalBaseline,
  precisionAt,
  sampleHistory,
  windowOf,
  type Window,
} from './lib/foryou-readers.ts';
import { timeFeeds } from './lib/foryou-speed.ts';
import { ndcgAt } from './lib/metrics.ts';
import type { LexicalIndex } from '../src/index/lexical/lexical-index.ts';

const CORPUS = resolve(import.meta.dirname, '../../shared/data/arxiv-cs-2025-2026.jsonl.gz');
/** Judged windows: five announcement days each (1,400–1,900 papers), spread over the last months. */
const WINDOWS: readonly [string, string][] = [
  ['2026-03-09', '2026-03-14'],
  ['2026-04-06', '2026-04-11'],
  ['2026-05-04', '2026-05-09'],
  ['2026-06-01', '2026-06-06'],
];

const { values: args } = parseArgs({
  options: {
    sizes: { type: 'string', default: '1,5,20' },
    'no-speed': { type: 'boolean', default: false },
    /** Only the latency table (no quality evaluation): about a minute once the store is cached. */
    'speed-only': { type: 'boolean', default: false },
    /** Speed: how many times each window is timed from a freshly opened store. */
    repeats: { type: 'string', default: '1' },
    json: { type: 'boolean', default: false },
  },
});

const log = (s: string): void => void process.stderr.write(`${s}\n`);
type Method = 'newest' | 'lexical-profile' | 'foryou-words' | 'foryou-vectors';

function evaluate(
  docs: readonly BenchDoc[],
  index: LexicalIndex,
  windows: readonly Window[],
  vectors: ReadonlyMap<string, Float32Array>,
  size: number,
): Record<Method, { 'p@10': number; 'ndcg@10': number }> & { readers: number } {
  const readers = buildReaders(docs, windows, Math.max(size, 5));
  const sum = new Map<Method, { p: number; n: number }>();
  for (const [i, r] of readers.entries()) {
    const w = windows.find((x) => x.from === r.from) as Window;
    const train = sampleHistory(r, size, 1000 + i);
    const rel = new Map([...r.relevant].map((id) => [id, 1]));
    const runs: [Method, string[]][] = [
      ['newest', w.docs.map((d) => d.id)],
      ['lexical-profile', lexicalBaseline(index, w, train)],
      ['foryou-words', forYouRanking(index, w, train, null)],
      ['foryou-vectors', forYouRanking(index, w, train, vectors)],
    ];
    for (const [m, ranked] of runs) {
      const s = sum.get(m) ?? { p: 0, n: 0 };
      sum.set(m, { p: s.p + precisionAt(ranked, r.relevant, 10), n: s.n + ndcgAt(ranked, rel, 10) });
    }
  }
  const d = Math.max(readers.length, 1);
  const row = (m: Method): { 'p@10': number; 'ndcg@10': number } => ({
    'p@10': Number(((sum.get(m)?.p ?? 0) / d).toFixed(3)),
    'ndcg@10': Number(((sum.get(m)?.n ?? 0) / d).toFixed(3)),
  });
  return {
    readers: readers.length,
    newest: row('newest'),
    'lexical-profile': row('lexical-profile'),
    'foryou-words': row('foryou-words'),
    'foryou-vectors': row('foryou-vectors'),
  };
}

async function main(): Promise<void> {
  const docs = await loadArxivCorpus(CORPUS);
  log(`${docs.length} papers; training or loading the corpus model`);
  const { embedder, vectors } = await corpusVectors(docs);
  const windows = WINDOWS.map(([from, to]) => windowOf(docs, from, to));
  const result: Record<string, unknown> = {
    model: embedder.model,
    windows: windows.map((w) => ({ from: w.from, to: w.to, papers: w.docs.length })),
  };
  if (args['speed-only'] !== true) {
    const quality: Record<string, unknown> = {};
    const index = corpusIndex(docs);
    for (const size of args.sizes.split(',').map(Number)) {
      log(`quality with ${size} saved paper(s) per reader`);
      quality[`saved=${size}`] = evaluate(docs, index, windows, vectors, size);
    }
    result.quality = quality;
  }
  if (args['no-speed'] !== true) {
    const reader = buildReaders(docs, windows.slice(-1), 20)[0];
    result.speed = await timeFeeds(
      docs,
      vectors,
      embedder,
      reader?.history.slice(0, 20) ?? [],
      [
        ['5 days (~1,000 papers)', '2026-06-25'],
        ['30 days', '2026-05-31'],
        ['150 days (~30,000 papers, 30 days of all arXiv cs)', '2026-02-01'],
      ],
      '2026-06-30',
      log,
      Math.max(1, Number(args.repeats) || 1),
    );
  }
  process.stdout.write(`${JSON.stringify(result, null, args.json === true ? 0 : 2)}\n`);
}

await main();
