// One engine at one corpus scale, in its own process so memory figures are its own; prints one JSON line.
//   node --expose-gc --import tsx bench/lib/search-bench-worker.ts <engine> <scale> <queries> <corpus.jsonl.gz>
import { loadArxivCorpus, sampleQueries, scaleCorpus, type BenchDoc } from './arxiv-corpus.ts';
import { ENGINES } from './search-engines.ts';

/** What the worker reports to bench/search.bench.ts. */
export interface WorkerResult {
  engine: string;
  docs: number;
  buildS: number;
  heapMB: number;
  rssMB: number;
  p50: number;
  p95: number;
  p99: number;
  mean: number;
  extra: Record<string, number>;
}

const gc = (): void => (globalThis as { gc?: () => void }).gc?.();
const mb = (bytes: number): number => bytes / 2 ** 20;

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

/** Words in each long query: a pasted text of about four pages. */
export const LONG_QUERY_WORDS = 2000;

/**
 * Pasted texts of LONG_QUERY_WORDS words: abstracts of one category, taken from a random paper onwards, so
 * each text is about one field like a real paragraph or section.
 */
function longQueries(docs: readonly BenchDoc[], count: number, seed: number): string[] {
  let state = seed;
  const rand = (): number => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
  const out: string[] = [];
  while (out.length < count) {
    const start = Math.floor(rand() * docs.length);
    const category = docs[start]?.categories[0];
    const words: string[] = [];
    for (let i = start; words.length < LONG_QUERY_WORDS && i < start + docs.length; i++) {
      const d = docs[i % docs.length];
      if (d !== undefined && d.categories[0] === category) words.push(...d.abstract.split(/\s+/));
    }
    out.push(words.slice(0, LONG_QUERY_WORDS).join(' '));
  }
  return out;
}

async function main(): Promise<void> {
  const [engineName = '', scaleArg = '1', queryArg = '1000', corpusPath = ''] = process.argv.slice(2);
  const make = ENGINES[engineName];
  if (make === undefined) throw new Error(`unknown engine ${engineName}`);
  const real = await loadArxivCorpus(corpusPath);
  const docs = scaleCorpus(real, Number(scaleArg), 7);
  // Queries come from the real papers, the same at every scale and for every engine.
  const long = engineName.startsWith('paperboy-long');
  const queries = long ? longQueries(real, Number(queryArg), 42) : sampleQueries(real, Number(queryArg), 42);
  const warmup = long ? longQueries(real, 20, 4242) : sampleQueries(real, 200, 4242);
  const engine = make();
  gc();
  const before = process.memoryUsage();
  const t0 = performance.now();
  await engine.build(docs);
  const buildS = (performance.now() - t0) / 1000;
  gc();
  const after = process.memoryUsage();
  for (const q of warmup) await engine.search(q);
  const times: number[] = [];
  for (const q of queries) {
    const s = performance.now();
    await engine.search(q);
    times.push(performance.now() - s);
  }
  times.sort((a, b) => a - b);
  const extra = (await engine.extra?.()) ?? {};
  const result: WorkerResult = {
    engine: engineName,
    docs: docs.length,
    buildS,
    heapMB: mb(
      after.heapUsed +
        after.external +
        after.arrayBuffers -
        before.heapUsed -
        before.external -
        before.arrayBuffers,
    ),
    rssMB: mb(after.rss - before.rss),
    p50: percentile(times, 50),
    p95: percentile(times, 95),
    p99: percentile(times, 99),
    mean: times.reduce((a, b) => a + b, 0) / times.length,
    extra,
  };
  console.log(JSON.stringify(result));
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? (err.stack ?? err.message) : String(err));
  process.exit(1);
});
