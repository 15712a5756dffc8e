// HNSW build parameters on a real store's vectors: build time (wall and CPU) and recall@10 against an exact
// float32 cosine scan, for each connectivity / expansion_add / scalar kind asked for.
// Usage: node --import tsx bench/hnsw-recall.bench.ts --db /tmp/h23g/s300/paperboy.db [--limit N] [--queries 1000]
//        [--configs 16:128:i8,12:64:i8] [--truth /tmp/truth] [--pages N] [--json]   (configs are M:ef_add:scalar)
// Queries are stored vectors picked at random (seeded); each query's own paper is left out of both answers, so
// this is the `similar` question ("papers nearest this one"). "served" is the index's own search (graph
// candidates rescored from the int8 rows); "graph" is the graph's own top 10 (`rerank: false`).
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createRng } from '../src/index/embedders/static/random.ts';
import { createVectorIndex, type HnswOptions } from '../src/index/vectors/index.ts';
import { rowDot } from '../src/simd-dot.ts';
import { openStore } from '../src/store/db.ts';
import { nativeExactSearch } from './lib/exact-knn.ts';

const { values: args } = parseArgs({
  options: {
    db: { type: 'string', default: '/tmp/h23g/s300/paperboy.db' },
    model: { type: 'string' },
    limit: { type: 'string', default: '100000000' },
    queries: { type: 'string', default: '1000' },
    configs: { type: 'string', default: '16:128:i8' },
    json: { type: 'boolean', default: false },
    /** File keeping the exact answers between runs (the exact scan is the slow part on a loaded machine). */
    truth: { type: 'string' },
    /**
     * Query-time candidate lists (expansion_search) to measure each built graph at, e.g. 128,192,256: the graph
     * is saved once and reopened with each (usearch keeps ef outside the file), so no rebuild per value.
     */
    'ef-search': { type: 'string' },
    /** Folder for that saved graph (default: the system's temp folder). */
    'save-dir': { type: 'string' },
    /**
     * Grow the graph this many rows at a time (one native add each), as `paperboy embed` grows it while it embeds,
     * instead of adding every row in one call (0, the default).
     */
    pages: { type: 'string', default: '0' },
  },
});
const log = (s: string): void => void (args.json ? process.stderr : process.stdout).write(`${s}\n`);
const K = 10;

/** The active model: the one the current snapshot's vectors were made with. */
function snapshotModel(db: string): string {
  const dir = join(`${db}.index`, readFileSync(join(`${db}.index`, 'CURRENT'), 'utf8').trim());
  const state = JSON.parse(readFileSync(join(dir, 'state.json'), 'utf8')) as { vectorModel: string | null };
  if (state.vectorModel === null) throw new Error(`${dir} holds no vectors`);
  return state.vectorModel;
}

const store = await openStore(args.db);
const model = args.model ?? snapshotModel(args.db);
const limit = Number(args.limit);
const ids: string[] = [];
const rows: Float32Array[] = [];
let t = performance.now();
for (let seq = 0; ids.length < limit; ) {
  const page = await store.vectors.since(model, seq, 5000);
  if (page.length === 0) break;
  for (const r of page.slice(0, limit - ids.length)) {
    ids.push(r.paperId);
    rows.push(r.vector);
  }
  seq = page[page.length - 1]!.seq;
}
await store.close();
const n = ids.length;
const d = rows[0]!.length;
log(
  `read ${n.toLocaleString('en-US')} × ${d} vectors of ${model} in ${((performance.now() - t) / 1000).toFixed(1)} s`,
);

const flat = new Float32Array(n * d);
rows.forEach((r, i) => flat.set(r, i * d));
const rng = createRng(23);
const picks = new Set<number>();
while (picks.size < Math.min(Number(args.queries), n)) picks.add(Math.floor(rng.next() * n));
const queries = [...picks];
const qflat = new Float32Array(queries.length * d);
queries.forEach((q, i) => qflat.set(rows[q]!, i * d));

// The truth: exact inner product over the float32 rows (unit vectors, so cosine), native and on every core.
t = performance.now();
const truthFile = args.truth === undefined ? null : `${args.truth}-${n}-${queries.length}.json`;
let exactTop: string[][];
if (truthFile !== null && existsSync(truthFile))
  exactTop = JSON.parse(readFileSync(truthFile, 'utf8')) as string[][];
else {
  const exact = nativeExactSearch(flat, qflat, d, K + 1);
  exactTop = queries.map((q, i) => {
    const top = Array.from(exact.keys.subarray(i * (K + 1), (i + 1) * (K + 1)), (k) => ids[Number(k)]!);
    return top.filter((id) => id !== ids[q]).slice(0, K);
  });
  if (truthFile !== null) writeFileSync(truthFile, JSON.stringify(exactTop));
}
const truth = exactTop.map((top) => new Set(top));
const rowOf = new Map(ids.map((id, i) => [id, i] as const));
const cosine = (qi: number, id: string): number => rowDot(rows[qi]!, 0, rows[rowOf.get(id)!]!, 0, d);
// The generated corpus repeats each paper with its words shuffled, which a bag-of-words model maps to the same
// vector: ties at the 10th place make any of the tied papers a right answer. So recall also counts a result
// whose exact cosine reaches the 10th best's (within float rounding), not only the ids the scan happened to list.
const tenth = queries.map((qi, i) => Math.min(...[...truth[i]!].map((id) => cosine(qi, id))));
log(`exact top ${K} of ${queries.length} queries in ${((performance.now() - t) / 1000).toFixed(1)} s`);

interface Row {
  config: string;
  buildSeconds: number;
  buildCpuSeconds: number;
  recallServed: number;
  recallServedTies: number;
  recallGraph: number;
  recallGraphTies: number;
  searchP50Ms: number;
}
const results: Row[] = [];
for (const config of args.configs.split(',')) {
  const [m, ef, q] = config.split(':');
  const hnsw: HnswOptions = {
    connectivity: Number(m),
    expansionAdd: Number(ef),
    quantization: (q ?? 'i8') as HnswOptions['quantization'],
  };
  const index = createVectorIndex({ dimension: d, approximateAbove: 0, hnsw });
  const cpu0 = process.cpuUsage();
  t = performance.now();
  const page = Number(args.pages) > 0 ? Number(args.pages) : n;
  for (let from = 0; from < n; from += page)
    index.addMany(ids.slice(from, from + page).map((id, i) => [id, rows[from + i]!] as const));
  index.search(rows[0]!, 1); // a graph built lazily is built by its first search
  const buildSeconds = (performance.now() - t) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const recall = (
    rerank: boolean,
    searched = index,
  ): { recall: number; tied: number; p50: number; p99: number } => {
    let hit = 0;
    let tied = 0;
    const ms: number[] = [];
    queries.forEach((qi, i) => {
      const s = performance.now();
      const got = searched.search(rows[qi]!, K + 1, undefined, { rerank });
      ms.push(performance.now() - s);
      const top = got
        .map(([id]) => id)
        .filter((id) => id !== ids[qi])
        .slice(0, K);
      for (const id of top) if (truth[i]!.has(id)) hit += 1;
      for (const id of top) if (cosine(qi, id) >= tenth[i]! - 1e-5) tied += 1;
    });
    ms.sort((a, b) => a - b);
    const all = K * queries.length;
    return {
      recall: hit / all,
      tied: tied / all,
      p50: ms[Math.floor(ms.length / 2)]!,
      p99: ms[Math.min(ms.length - 1, Math.floor(ms.length * 0.99))]!,
    };
  };
  const served = recall(true);
  const graph = recall(false);
  const row: Row = {
    config: `M=${m} ef_add=${ef} ${q ?? 'i8'}${page < n ? ` grown ${page} at a time` : ''}`,
    buildSeconds: Number(buildSeconds.toFixed(1)),
    buildCpuSeconds: Number(((cpu.user + cpu.system) / 1e6).toFixed(1)),
    recallServed: Number(served.recall.toFixed(4)),
    recallServedTies: Number(served.tied.toFixed(4)),
    recallGraph: Number(graph.recall.toFixed(4)),
    recallGraphTies: Number(graph.tied.toFixed(4)),
    searchP50Ms: Number(served.p50.toFixed(2)),
  };
  results.push(row);
  log(
    `${row.config}: build ${row.buildSeconds} s (CPU ${row.buildCpuSeconds} s), recall@10 served ${row.recallServed} (ties ${row.recallServedTies}) graph ${row.recallGraph} (ties ${row.recallGraphTies}), search p50 ${row.searchP50Ms} ms`,
  );
  if (args['ef-search'] !== undefined) {
    const dir = mkdtempSync(join(args['save-dir'] ?? tmpdir(), 'hnsw-recall-'));
    index.save(join(dir, 'vectors.bin'));
    for (const ef of args['ef-search'].split(',').map(Number)) {
      const reopened = createVectorIndex({
        dimension: d,
        approximateAbove: 0,
        hnsw: { ...hnsw, expansionSearch: ef },
      });
      reopened.load(join(dir, 'vectors.bin'));
      recall(true, reopened); // first pass maps the graph's pages in; the second is timed
      const r = recall(true, reopened);
      log(
        `  ${row.config} ef_search=${ef}: recall@10 served ${r.recall.toFixed(4)} (ties ${r.tied.toFixed(4)}), search p50 ${r.p50.toFixed(2)} ms p99 ${r.p99.toFixed(2)} ms`,
      );
    }
    rmSync(dir, { recursive: true, force: true });
  }
}
if (args.json)
  process.stdout.write(`${JSON.stringify({ vectors: n, dimension: d, queries: queries.length, results })}\n`);
