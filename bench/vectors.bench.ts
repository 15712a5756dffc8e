// Vector index benchmark on real paper vectors: exact float32 scan (the truth) vs the served int8 index (exact
// int8 scan; HNSW at 16 and 8 links), with build time, recall@10 against float search, latency, bytes per paper.
// Usage: node --import tsx bench/vectors.bench.ts [--docs 75722] [--queries 1000] [--model path.pbm] [--save path.pbm]
//        [--grow K] [--train-docs N] [--json]
// Without --model it trains a static model on the same papers first (that is the 75k training-time figure), or on
// the first N of them with --train-docs N (quicker on a busy machine; every paper is still embedded).
// --grow K adds K-1 noisy copies of every vector (unit length again) to show the trend toward millions.
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import {
  createStaticEmbedder,
  loadStaticModel,
  saveStaticModel,
  trainStaticModel,
  type StaticModel,
} from '../src/index/embedders/static/index.ts';
import { createVectorIndex, type HnswOptions, type VectorIndex } from '../src/index/vectors/index.ts';
import { rowDot } from '../src/simd-dot.ts';
import { createRng } from '../src/index/embedders/static/random.ts';
import { loadArxivCorpus } from './lib/arxiv-corpus.ts';

const { values: args } = parseArgs({
  options: {
    corpus: {
      type: 'string',
      default: resolve(import.meta.dirname, '../../shared/data/arxiv-cs-2025-2026.jsonl.gz'),
    },
    docs: { type: 'string', default: '1000000' },
    queries: { type: 'string', default: '1000' },
    model: { type: 'string' },
    save: { type: 'string' },
    grow: { type: 'string', default: '1' },
    'train-docs': { type: 'string' },
    json: { type: 'boolean', default: false },
  },
});

const log = (s: string): void => void (args.json ? process.stderr : process.stdout).write(`${s}\n`);
const pct = (xs: number[], p: number): number =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;

async function getModel(
  docs: Array<{ title: string; abstract: string }>,
): Promise<{ model: StaticModel; trainSeconds?: number }> {
  if (args.model) return { model: await loadStaticModel(args.model) };
  const t = performance.now();
  let last = 0;
  const model = await trainStaticModel(docs, {
    onProgress: (p) => {
      if (p.phase === 'train' && p.done - last >= 100)
        log(`  train step ${(last = p.done)}/${p.total} loss ${p.loss?.toFixed(3)}`);
    },
  });
  if (args.save) await saveStaticModel(model, args.save);
  return { model, trainSeconds: (performance.now() - t) / 1000 };
}

function timeSearches(
  idx: VectorIndex,
  queries: Float32Array[],
  k: number,
  filter?: (id: string) => boolean,
): { ms: number[]; hits: string[][] } {
  const ms: number[] = [];
  const hits = queries.map((q) => {
    const t = performance.now();
    const r = idx.search(q, k, filter);
    ms.push(performance.now() - t);
    return r.map(([id]) => id);
  });
  return { ms, hits };
}

function recall(truth: string[][], got: string[][]): number {
  let found = 0;
  let total = 0;
  truth.forEach((t, i) => {
    const g = new Set(got[i]);
    found += t.filter((id) => g.has(id)).length;
    total += t.length;
  });
  return found / Math.max(total, 1);
}

/** Exact top 10 ids by float32 dot product over `vecs`: the reference every coded index is measured against. */
function floatTruth(
  ids: string[],
  vecs: Float32Array[],
  queries: Float32Array[],
): { ms: number[]; hits: string[][] } {
  const d = vecs[0]!.length;
  const flat = new Float32Array(vecs.length * d);
  vecs.forEach((v, i) => flat.set(v, i * d));
  const ms: number[] = [];
  const hits = queries.map((q) => {
    const t = performance.now();
    const scores = new Float64Array(vecs.length);
    for (let i = 0; i < vecs.length; i++) scores[i] = rowDot(q, 0, flat, i * d, d);
    const top = Array.from(scores.keys())
      .sort((a, b) => scores[b]! - scores[a]!)
      .slice(0, 10);
    ms.push(performance.now() - t);
    return top.map((i) => ids[i]!);
  });
  return { ms, hits };
}

/**
 * Recall@10 of exact scans over vectors coded per vector (one scale each, as stored) and per dimension (one
 * scale per coordinate from the corpus maxima), and the mean |score error| of the coded dot products.
 */
function compareCodings(
  ids: string[],
  vecs: Float32Array[],
  queries: Float32Array[],
  truth: string[][],
): Record<string, number> {
  const d = vecs[0]!.length;
  const perDim = new Float32Array(d);
  for (const v of vecs) for (let j = 0; j < d; j++) perDim[j] = Math.max(perDim[j]!, Math.abs(v[j]!));
  const code = (x: number, max: number): number => (max > 0 ? (Math.round((x * 127) / max) * max) / 127 : 0);
  const decoded = {
    perVector: vecs.map((v) => {
      const max = v.reduce((m, x) => Math.max(m, Math.abs(x)), 0);
      return v.map((x) => code(x, max));
    }),
    perDimension: vecs.map((v) => v.map((x, j) => code(x, perDim[j]!))),
  };
  const out: Record<string, number> = {};
  for (const [name, rows] of Object.entries(decoded)) {
    const got = floatTruth(ids, rows, queries).hits;
    let err = 0;
    queries.forEach((q, i) => {
      for (let j = 0; j < 50; j++)
        err += Math.abs(rowDot(q, 0, rows[j * 37 + i]!, 0, d) - rowDot(q, 0, vecs[j * 37 + i]!, 0, d));
    });
    out[`${name}Recall10`] = recall(truth, got);
    out[`${name}MeanAbsError`] = err / (50 * queries.length);
  }
  return out;
}

/** `vecs` plus `k - 1` noisy copies of each (Gaussian noise of norm about 0.5, renormalized). */
function grow(ids: string[], vecs: Float32Array[], k: number): { ids: string[]; vecs: Float32Array[] } {
  if (k <= 1) return { ids, vecs };
  const rng = createRng(7);
  const d = vecs[0]!.length;
  const sigma = 0.5 / Math.sqrt(d);
  const outIds = [...ids];
  const outVecs = [...vecs];
  for (let c = 1; c < k; c++)
    vecs.forEach((v, i) => {
      const w = v.map((x) => x + sigma * rng.normal());
      const n = Math.hypot(...w);
      outIds.push(`${ids[i]}~${c}`);
      outVecs.push(w.map((x) => x / n));
    });
  return { ids: outIds, vecs: outVecs };
}

async function main(): Promise<void> {
  const papers = (await loadArxivCorpus(args.corpus)).slice(0, Number(args.docs));
  log(`${papers.length} papers`);
  const { model, trainSeconds } = await getModel(
    papers.slice(0, Number(args['train-docs'] ?? papers.length)),
  );
  const embedder = createStaticEmbedder(model);
  let t = performance.now();
  const embedded = await embedder.embed(papers.map((p) => `${p.title}\n${p.abstract}`));
  const embedPerSecond = papers.length / ((performance.now() - t) / 1000);
  const step = Math.max(1, Math.floor(papers.length / Number(args.queries)));
  const queries = await embedder.embed(
    papers
      .filter((_, i) => i % step === 0)
      .slice(0, Number(args.queries))
      .map((p) => p.title),
  );
  log(
    `model ${model.name}: trained in ${trainSeconds?.toFixed(1) ?? '(loaded)'} s, embeds ${embedPerSecond.toFixed(0)} abstracts/s`,
  );
  const { ids, vecs } = grow(
    papers.map((p) => p.id),
    embedded,
    Number(args.grow),
  );
  const n = ids.length;
  const d = model.dimension;
  log(`${n} vectors × ${d}`);
  const rows: Array<Record<string, number | string>> = [];
  const truth = floatTruth(ids, vecs, queries);
  rows.push({ index: 'exact float32 scan (truth)', recall10: 1, ...stats(truth.ms), rowBytes: 4 * d });
  const codings = compareCodings(ids, vecs, queries.slice(0, 200), truth.hits.slice(0, 200));
  log(`codings: ${JSON.stringify(codings)}`);
  const build = (name: string, approximateAbove: number, hnsw?: HnswOptions): VectorIndex => {
    const start = performance.now();
    const idx = createVectorIndex({ dimension: d, approximateAbove, hnsw });
    idx.reserve(n);
    idx.addMany(ids.map((id, i) => [id, vecs[i]!] as const));
    const buildSeconds = (performance.now() - start) / 1000;
    const t0 = performance.now();
    const churn = ids.slice(0, 1000);
    churn.forEach((id) => idx.remove(id));
    churn.forEach((id, i) => idx.add(id, vecs[i]!));
    rows.push({ index: name, buildSeconds, incrementalMs: (performance.now() - t0) / (2 * churn.length) });
    log(`  built ${name} in ${buildSeconds.toFixed(1)} s`);
    return idx;
  };
  const tenPercent = (id: string): boolean => id.charCodeAt(id.length - 1) % 10 === 0;
  const dir = mkdtempSync(join(tmpdir(), 'pb-vec-bench-'));
  const variants: Array<[string, number, HnswOptions | undefined]> = [
    ['int8 rows, exact int8 scan', Number.MAX_SAFE_INTEGER, undefined],
    ['int8 rows + HNSW i8, M=16 (served)', 0, { connectivity: 16 }],
    ['int8 rows + HNSW i8, M=8', 0, { connectivity: 8 }],
  ];
  for (const [name, above, hnsw] of variants) {
    const idx = build(name, above, hnsw);
    const got = timeSearches(idx, queries, 10);
    const filtered = timeSearches(idx, queries, 10, tenPercent);
    const path = join(dir, `v.vec`);
    idx.save(path);
    t = performance.now();
    createVectorIndex({ dimension: d, approximateAbove: above, hnsw }).load(path);
    const loadSeconds = (performance.now() - t) / 1000;
    const sidecar = statSync(path).size;
    const graph = above === 0 ? statSync(`${path}.hnsw`).size : 0;
    // What the same sidecar held with float32 rows (format 2): 4d bytes a row instead of d codes and a scale.
    const floatSidecar = sidecar + n * (4 * d - (d + 4));
    Object.assign(rows.at(-1)!, stats(got.ms), {
      recall10: recall(truth.hits, got.hits),
      filteredP50: pct(filtered.ms, 50),
      loadSeconds,
      rowBytes: d + 4,
      sidecarBytesPerPaper: sidecar / n,
      float32SidecarBytesPerPaper: floatSidecar / n,
      graphBytesPerPaper: graph / n,
      projectedGiB27M: (((sidecar + graph) / n) * 2.7e6) / 2 ** 30,
      float32ProjectedGiB27M: (((floatSidecar + graph) / n) * 2.7e6) / 2 ** 30,
    });
    rmSync(path, { force: true });
    rmSync(`${path}.hnsw`, { force: true });
  }
  rmSync(dir, { recursive: true, force: true });
  report({ papers: n, model: model.name, trainSeconds, embedPerSecond, codings, rows });
}

function stats(ms: number[]): Record<string, number> {
  return { p50: pct(ms, 50), p95: pct(ms, 95), p99: pct(ms, 99) };
}

function report(result: {
  papers: number;
  model: string;
  trainSeconds?: number;
  embedPerSecond: number;
  codings: Record<string, number>;
  rows: Array<Record<string, number | string>>;
}): void {
  if (args.json) return void console.log(JSON.stringify(result));
  const f = (v: number | string | undefined, digits = 2): string =>
    typeof v === 'number' ? v.toFixed(digits) : (v ?? '-');
  console.log(
    `${result.papers} papers, ${result.model}, embeds ${result.embedPerSecond.toFixed(0)} abstracts/s`,
  );
  console.log(`codings (exact scans, 200 queries): ${JSON.stringify(result.codings)}`);
  console.log(
    '| index | build s | add or remove ms | recall@10 vs float | p50 ms | p95 ms | p99 ms | filtered (10%) p50 ms | load s | row B | sidecar B/paper (float32 rows) | graph B/paper | GiB at 2.7M (float32 rows) |',
  );
  console.log('|---|---|---|---|---|---|---|---|---|---|---|---|---|');
  for (const r of result.rows) {
    console.log(
      `| ${r.index} | ${f(r.buildSeconds, 1)} | ${f(r.incrementalMs, 3)} | ${f(r.recall10, 3)} | ${f(r.p50)} | ${f(r.p95)} | ${f(r.p99)} | ${f(r.filteredP50)} | ${f(r.loadSeconds)} | ${f(r.rowBytes, 0)} | ${f(r.sidecarBytesPerPaper, 0)} (${f(r.float32SidecarBytesPerPaper, 0)}) | ${f(r.graphBytesPerPaper, 0)} | ${f(r.projectedGiB27M)} (${f(r.float32ProjectedGiB27M)}) |`,
    );
  }
}

await main();
