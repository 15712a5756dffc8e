// Search latency after a restart from snapshots, for one checkout: open as serve does, then 600 lexical and 600 hybrid searches.
//
//   DATABASE_URL=<store> INDEX_DIR=<snapshots> node --import tsx bench/snapshot-serve.bench.ts <checkout root>
//
// The root argument lets one run compare two checkouts (an older one unpacked with `git archive`) on the same
// store and machine minutes; each prints JSON lines: p50/p99 per mode, open time, read-ahead time, RSS.
import type * as ConfigModule from '../src/config.ts';
import type * as ServicesModule from '../src/services/services.ts';

const root = process.argv[2] ?? process.cwd();
const { loadConfig } = (await import(`${root}/src/config.ts`)) as typeof ConfigModule;
const { openServices } = (await import(`${root}/src/services/services.ts`)) as typeof ServicesModule;
const config = loadConfig({ ...process.env, LOG_LEVEL: 'silent' });
let t = performance.now();
const s = await openServices(config, {});
await s.search.search('warm up', { k: 10, mode: 'lexical' });
await s.search.search('warm up', { k: 10, mode: 'hybrid' });
const openMs = performance.now() - t;
t = performance.now();
// Older checkouts have no read-ahead (they read snapshots whole at open).
const indexes = s.searchIndexes as { readAhead?: () => Promise<void> };
if (typeof indexes.readAhead === 'function') await indexes.readAhead();
const readAheadMs = performance.now() - t;
// Queries: 2-4 words of titles, fixed list from the lexical index (seeded).
const words: string[] = [
  'contrastive',
  'retrieval',
  'diffusion',
  'graph',
  'language',
  'model',
  'robot',
  'policy',
  'vision',
  'transformer',
  'attention',
  'reinforcement',
  'learning',
  'federated',
  'privacy',
  'quantum',
  'neural',
  'network',
  'segmentation',
  'benchmark',
  'agents',
  'reasoning',
  'speech',
  'protein',
  'molecule',
  'optimization',
  'sparse',
  'kernel',
  'bandit',
  'causal',
];
let x = 7;
const rnd = () => (x = (x * 1103515245 + 12345) % 2147483648) / 2147483648;
const queries = Array.from({ length: 600 }, () =>
  Array.from({ length: 2 + Math.floor(rnd() * 3) }, () => words[Math.floor(rnd() * words.length)]).join(' '),
);
const pct = (a: number[], p: number) =>
  a.slice().sort((m, n) => m - n)[Math.min(a.length - 1, Math.floor(p * a.length))]!;
for (const mode of ['lexical', 'hybrid'] as const) {
  const times: number[] = [];
  for (const q of queries) {
    const t0 = performance.now();
    await s.search.search(q, { k: 10, mode, correct: false });
    times.push(performance.now() - t0);
  }
  console.log(
    JSON.stringify({
      root: root.split('/').pop(),
      mode,
      n: times.length,
      p50: +pct(times, 0.5).toFixed(2),
      p99: +pct(times, 0.99).toFixed(2),
    }),
  );
}
console.log(
  JSON.stringify({
    root: root.split('/').pop(),
    openAndFirstSearchesMs: Math.round(openMs),
    readAheadMs: Math.round(readAheadMs),
    rssMB: Math.round(process.memoryUsage().rss / 1e6),
  }),
);
await s.close();
