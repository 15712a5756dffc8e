// Vector index benchmark on real paper vectors: exact vs HNSW (f32, i8) build time, recall@10, latency, save/load.
// Usage: node --import tsx bench/vectors.bench.ts [--docs 75722] [--queries 1000] [--model path.pbm] [--save path.pbm] [--json]
// Without --model it trains a static model on the same papers first (that is the 75k training-time figure).
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
import { createVectorIndex, type VectorIndex } from '../src/index/vectors/index.ts';
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

async function main(): Promise<void> {
  const papers = (await loadArxivCorpus(args.corpus)).slice(0, Number(args.docs));
  log(`${papers.length} papers`);
  const { model, trainSeconds } = await getModel(papers);
  const embedder = createStaticEmbedder(model);
  let t = performance.now();
  const vecs = await embedder.embed(papers.map((p) => `${p.title}\n${p.abstract}`));
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
  const rows: Array<Record<string, number | string>> = [];
  const build = (name: string, approximateAbove: number, quantization: 'f32' | 'i8'): VectorIndex => {
    const start = performance.now();
    const idx = createVectorIndex({ dimension: model.dimension, approximateAbove, hnsw: { quantization } });
    idx.addMany(papers.map((p, i) => [p.id, vecs[i]!] as const));
    const buildSeconds = (performance.now() - start) / 1000;
    const t0 = performance.now();
    const churn = papers.slice(0, 1000);
    churn.forEach((p) => idx.remove(p.id));
    churn.forEach((p) => idx.add(p.id, vecs[papers.indexOf(p)]!));
    rows.push({ index: name, buildSeconds, incrementalMs: (performance.now() - t0) / (2 * churn.length) });
    return idx;
  };
  const exact = build('exact', Number.MAX_SAFE_INTEGER, 'f32');
  const truth = timeSearches(exact, queries, 10);
  const tenPercent = (id: string): boolean => id.charCodeAt(id.length - 1) % 10 === 0;
  Object.assign(rows[0]!, stats(truth.ms), {
    recall10: 1,
    filteredP50: pct(timeSearches(exact, queries, 10, tenPercent).ms, 50),
  });
  const dir = mkdtempSync(join(tmpdir(), 'pb-vec-bench-'));
  for (const q of ['f32', 'i8'] as const) {
    const idx = build(`hnsw-${q}`, 0, q);
    const got = timeSearches(idx, queries, 10);
    const filtered = timeSearches(idx, queries, 10, tenPercent);
    const path = join(dir, `${q}.vec`);
    idx.save(path);
    t = performance.now();
    createVectorIndex({ dimension: model.dimension, approximateAbove: 0, hnsw: { quantization: q } }).load(
      path,
    );
    Object.assign(rows.at(-1)!, stats(got.ms), {
      recall10: recall(truth.hits, got.hits),
      filteredP50: pct(filtered.ms, 50),
      loadSeconds: (performance.now() - t) / 1000,
      fileMB: (statSync(path).size + statSync(`${path}.hnsw`).size) / 2 ** 20,
    });
  }
  rmSync(dir, { recursive: true, force: true });
  report({ papers: papers.length, model: model.name, trainSeconds, embedPerSecond, rows });
}

function stats(ms: number[]): Record<string, number> {
  return { p50: pct(ms, 50), p95: pct(ms, 95), p99: pct(ms, 99) };
}

function report(result: {
  papers: number;
  model: string;
  trainSeconds?: number;
  embedPerSecond: number;
  rows: Array<Record<string, number | string>>;
}): void {
  if (args.json) return void console.log(JSON.stringify(result));
  const f = (v: number | string | undefined, digits = 2): string =>
    typeof v === 'number' ? v.toFixed(digits) : (v ?? '-');
  console.log(
    `${result.papers} papers, ${result.model}, embeds ${result.embedPerSecond.toFixed(0)} abstracts/s`,
  );
  console.log(
    '| index | build s | add or remove ms | recall@10 | p50 ms | p95 ms | p99 ms | filtered (10%) p50 ms | load s | files MB |',
  );
  console.log('|---|---|---|---|---|---|---|---|---|---|');
  for (const r of result.rows) {
    console.log(
      `| ${r.index} | ${f(r.buildSeconds, 1)} | ${f(r.incrementalMs, 3)} | ${f(r.recall10, 3)} | ${f(r.p50)} | ${f(r.p95)} | ${f(r.p99)} | ${f(r.filteredP50)} | ${f(r.loadSeconds)} | ${f(r.fileMB, 0)} |`,
    );
  }
}

await main();
