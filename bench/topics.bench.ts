// Topics, map and trends at corpus scale: full recompute (time, peak memory), incremental placing of a
// day's papers, /api/map payload size, trends latency (p50/p99), and the map's first paint in Chromium.
// Usage (a store with papers, e.g. 75k from ../shared/data/arxiv-cs-2025-2026.jsonl.gz via `paperboy ingest`):
//   DATABASE_URL=/tmp/big.db node --import tsx bench/topics.bench.ts --prepare   # vectors, if the store has none
//   DATABASE_URL=/tmp/big.db node --import tsx bench/topics.bench.ts [--browser] [--model NAME]
// --prepare embeds every paper with the random-projection embedder (512 dims, the static model's size) under
// the model name bench-rp-512, so the bench runs without a trained model; --model uses stored vectors instead.
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import type { AddressInfo } from 'node:net';
import { loadConfig } from '../src/config.ts';
import { createRandomProjectionEmbedder } from '../src/index/embedders/random-projection.ts';
import { SearchIndexes } from '../src/services/search/index.ts';
import { createServices } from '../src/services/services.ts';
import { createTopicsService, recomputeTopics } from '../src/services/topics/index.ts';
import { createTrendsService, type TrendsService } from '../src/services/trends/index.ts';
import { openStore } from '../src/store/db.ts';
import type { Store } from '../src/store/store.ts';
import { encodeMap } from '../src/web/routes/map-routes.ts';

const { values: args } = parseArgs({
  options: {
    prepare: { type: 'boolean', default: false },
    browser: { type: 'boolean', default: false },
    model: { type: 'string', default: 'bench-rp-512' },
    day: { type: 'string', default: '700' },
    queries: { type: 'string', default: '300' },
    'trends-only': { type: 'boolean', default: false },
  },
});
const url = process.env.DATABASE_URL;
if (url === undefined || url === '') throw new Error('set DATABASE_URL to a store with papers');

async function prepare(store: Store): Promise<void> {
  const texts: { id: string; text: string; hash: string }[] = [];
  for await (const page of store.papers.scan(2000))
    for (const p of page) texts.push({ id: p.id, text: `${p.title}. ${p.abstract}`, hash: 'bench' });
  const t0 = Date.now();
  const e = createRandomProjectionEmbedder({ corpus: texts.map((t) => t.text), dimension: 512 });
  for (let i = 0; i < texts.length; i += 1000) {
    const part = texts.slice(i, i + 1000);
    const vectors = await e.embed(part.map((t) => t.text));
    await store.vectors.put(
      args.model,
      part.map((t, j) => ({ paperId: t.id, contentHash: t.hash, vector: vectors[j]! })),
    );
  }
  console.log(
    `prepared ${texts.length} vectors (${args.model}) in ${((Date.now() - t0) / 1000).toFixed(0)} s`,
  );
}

/** The trends workload: words, phrases, categories, an author and one topic, 1–4 series per request. */
function trendQueries(topic: string): string[] {
  return [
    'diffusion',
    'language model',
    '"large language models"',
    'reinforcement learning',
    'graph',
    'robot',
    'cat:cs.CV',
    'cat:cs.CL',
    'transformer',
    'federated',
    'quantum',
    'privacy',
    'agent',
    'retrieval augmented generation',
    '"neural radiance"',
    'author:"Yann LeCun"',
    topic,
  ];
}

/** Words that distinct cold queries are made of: common in computer-science abstracts. */
const COLD_WORDS = (
  'learning model network neural data language graph image vision robot policy training deep attention ' +
  'transformer diffusion generation detection segmentation reinforcement federated privacy adversarial ' +
  'retrieval reasoning agent benchmark optimization estimation clustering embedding representation ' +
  'contrastive multimodal video speech audio code software security quantum causal inference bayesian'
).split(' ');

/** Milliseconds per request for `n` requests after `warmup` untimed ones, weeks and months alternating. */
async function timeTrends(
  trends: TrendsService,
  topic: string,
  n: number,
  warmup: number,
): Promise<number[]> {
  const words = trendQueries(topic);
  const times: number[] = [];
  for (let i = 0; i < n + warmup; i++) {
    const qs = Array.from({ length: 1 + (i % 4) }, (_, j) => words[(i * 7 + j * 3) % words.length]!);
    const s = performance.now();
    await trends.series(qs, i % 2 === 0 ? 'week' : 'month');
    if (i >= warmup) times.push(performance.now() - s);
  }
  return times;
}

function summarize(times: number[], what = '1-4 series'): string {
  return `${times.length} requests of ${what}, p50 ${quantile(times, 0.5).toFixed(1)} ms, p90 ${quantile(times, 0.9).toFixed(1)} ms, p99 ${quantile(times, 0.99).toFixed(1)} ms, max ${Math.max(...times).toFixed(1)} ms`;
}

function quantile(xs: number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? 0;
}

async function main(): Promise<void> {
  const store = await openStore(url!);
  if (args.prepare) {
    await prepare(store);
    await store.close();
    return;
  }
  const model = args.model;
  const mb = (): number => Math.round(process.memoryUsage().rss / 2 ** 20);
  console.log(
    `store: ${await store.papers.count()} papers, ${await store.vectors.count(model)} vectors of ${model}; rss ${mb()} MB`,
  );

  // 1. Full recompute: clusters, names, layout, stored.
  let t = Date.now();
  if (args['trends-only']) return trendsOnly(store, model);
  const summary = await recomputeTopics(store, model, {
    onProgress: (() => {
      let last = '';
      return (p) => {
        if (p.phase !== last)
          console.log(`  ${((Date.now() - t) / 1000).toFixed(1)} s  ${p.phase}  rss ${mb()} MB`);
        last = p.phase;
      };
    })(),
  });
  const recomputeS = (Date.now() - t) / 1000;
  const peakMb = Math.round(process.resourceUsage().maxRSS / 1024);
  console.log(
    `recompute: ${summary.topics} topics over ${summary.papers} papers, ${summary.iterations} passes, ${recomputeS.toFixed(1)} s, peak rss ${peakMb} MB`,
  );
  const topics = createTopicsService({ store, model: async () => model, now: () => new Date() });
  const list = await topics.list();
  for (const x of [...list].sort((a, b) => b.size - a.size).slice(0, 8))
    console.log(`  ${x.size}\t${x.label}`);

  // 2. A day's papers embedded anew (their vectors re-put, as after a harvest), placed incrementally.
  const day = Number(args.day);
  const recent = (await store.papers.newest({ limit: day })).map((p) => p.id);
  const vectors: { paperId: string; contentHash: string; vector: Float32Array }[] = [];
  for (let seq = 0; ; ) {
    const page = await store.vectors.since(model, seq, 5000);
    if (page.length === 0) break;
    const want = new Set(recent);
    for (const v of page)
      if (want.has(v.paperId)) vectors.push({ paperId: v.paperId, contentHash: 'bench2', vector: v.vector });
    seq = page[page.length - 1]!.seq;
  }
  await store.vectors.put(model, vectors);
  t = Date.now();
  const placed = await topics.update();
  console.log(
    `incremental: placed ${placed} papers (a day's worth) in ${((Date.now() - t) / 1000).toFixed(2)} s`,
  );

  // 3. The map payload.
  t = Date.now();
  const points = await topics.points();
  const raw = encodeMap(points);
  const gz = gzipSync(raw, { level: 6 });
  console.log(
    `map: ${points.ids.length} points, ${(raw.length / 1024).toFixed(0)} KiB raw, ${(gz.length / 1024).toFixed(0)} KiB gzip (built in ${Date.now() - t} ms)`,
  );

  // 4. Trends latency over the lexical index (built from the store here).
  const indexes = new SearchIndexes(store, { dir: null, approximateAbove: 1_000_000 });
  t = Date.now();
  await indexes.open();
  console.log(`lexical index built in ${((Date.now() - t) / 1000).toFixed(1)} s`);
  const trends = createTrendsService({ indexes, topics });
  const times = await timeTrends(trends, `topic:${list[0]?.id ?? 1}`, Number(args.queries), 0);
  console.log(`trends: ${summarize(times)}`);
  await store.close();

  if (args.browser) await firstPaint();
}

/** Trends latency alone, over stored topics (the first topic query loads the points: warmed up first). */
async function trendsOnly(store: Store, model: string): Promise<void> {
  const topics = createTopicsService({
    store,
    model: async () => model,
    now: () => new Date(),
    refreshMs: 3_600_000,
  });
  const list = await topics.list();
  const indexes = new SearchIndexes(store, { dir: null, approximateAbove: 1_000_000 });
  await indexes.open();
  const trends = createTrendsService({ indexes, topics });
  const times = await timeTrends(trends, `topic:${list[0]?.id ?? 1}`, Number(args.queries), 20);
  console.log(`trends (warm): ${summarize(times)}`);
  // Every request a query not asked before: nothing kept can answer it (the cost after an ingest).
  const cold: number[] = [];
  const words = COLD_WORDS;
  for (let i = 0; i < Number(args.queries); i++) {
    const a = words[i % words.length]!;
    const b = words[(i * 7 + 3 + Math.floor(i / words.length)) % words.length]!;
    const q = i % 3 === 2 ? `"${a} ${b}"` : `${a} ${b}`;
    const s = performance.now();
    await trends.series([q], i % 2 === 0 ? 'week' : 'month');
    cold.push(performance.now() - s);
  }
  console.log(`trends (each query new): ${summarize(cold, '1 series')}`);
  await store.close();
}

/** Serves the store with the real app and times /map to its first full drawing in Chromium. */
async function firstPaint(): Promise<void> {
  const { serve } = await import('@hono/node-server');
  const { createApp } = await import('../src/web/app.ts');
  const { chromium } = await import('playwright-core');
  const store = await openStore(url!);
  const services = createServices(store, loadConfig({ ...process.env, EMBEDDER: 'none' }));
  const app = createApp(services);
  const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
  await new Promise((r) => server.once('listening', r));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  await fetch(`${base}/api/map`); // the first request reads the points from the store; time a warm server
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox'],
  });
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  let bytes = 0;
  page.on('response', async (r) => {
    if (r.url().endsWith('/api/map')) bytes = Number(r.headers()['content-length'] ?? 0);
  });
  for (let i = 0; i < 3; i++) {
    const t = Date.now();
    await page.goto(`${base}/map`);
    await page.waitForSelector('#map[data-ready="1"]', { timeout: 60_000 });
    await page.evaluate('new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))');
    console.log(
      `map first paint: ${Date.now() - t} ms (transfer of /api/map ${(bytes / 1024).toFixed(0)} KiB)`,
    );
  }
  await page.screenshot({ path: 'test-artifacts/map-75k.png' });
  await browser.close();
  server.close();
  await services.close();
}

await main();
