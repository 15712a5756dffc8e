// Memory of everything `serve` holds for search at 4× the corpus: the lexical index, the vectors and their HNSW graph.
// Usage: node --expose-gc --import tsx bench/memory.bench.ts --model path.pbm [--factor 4] [--queries 300] [--json]
//   [--keep DIR] (keep the snapshots) | --load DIR (only the restarted phase, over kept snapshots)
// The model is a trained static model file (`bench:vectors -- --save`, or exported from a store); the ×4
// corpus is made from the real papers as in bench:search (titles and sentences shuffled per copy). After
// building both indexes it saves their snapshots and starts a fresh process that loads them, as `serve`
// does on a restart: that process's RSS is what a serving node holds.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { createStaticEmbedder, loadStaticModel } from '../src/index/embedders/static/index.ts';
import {
  createLexicalIndex,
  openLexicalIndex,
  type LexicalIndex,
} from '../src/index/lexical/lexical-index.ts';
import { plainQuery } from '../src/index/lexical/query.ts';
import { createVectorIndex, type VectorIndex } from '../src/index/vectors/index.ts';
import { loadArxivCorpus, sampleQueries, scaleCorpus, type BenchDoc } from './lib/arxiv-corpus.ts';
import { peakRssMiB } from './lib/peak-rss.ts';

const { values: args } = parseArgs({
  options: {
    corpus: {
      type: 'string',
      default: resolve(import.meta.dirname, '../../shared/data/arxiv-cs-2025-2026.jsonl.gz'),
    },
    model: { type: 'string' },
    factor: { type: 'string', default: '4' },
    queries: { type: 'string', default: '300' },
    json: { type: 'boolean', default: false },
    /** Load the snapshots in this folder, report and exit (the "restarted serve" phase; also made by --keep). */
    load: { type: 'string' },
    /** Keep the built snapshots (and queries) in this folder, for later `--load` runs of other trees. */
    keep: { type: 'string' },
  },
});
const log = (s: string): void => void process.stderr.write(`${s}\n`);
const mib = (bytes: number): number => Math.round(bytes / 1024 / 1024);
const pct = (xs: number[], p: number): number =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;

function settle(): { heap: number; rss: number } {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined) throw new Error('run with node --expose-gc');
  gc();
  gc();
  const m = process.memoryUsage();
  return { heap: mib(m.heapUsed), rss: mib(m.rss) };
}

type Timings = Record<'lexicalTop100Ms' | 'vectorTop100Ms', { p50: number; p99: number }>;

async function timeQueries(
  queries: readonly string[],
  lexical: LexicalIndex,
  vectors: VectorIndex,
  embed: (q: string) => Promise<Float32Array>,
): Promise<Timings> {
  const lexMs: number[] = [];
  const vecMs: number[] = [];
  for (const q of queries) {
    let s = performance.now();
    lexical.search(plainQuery(q), { k: 100 });
    lexMs.push(performance.now() - s);
    const v = await embed(q);
    s = performance.now();
    vectors.search(v, 100, undefined, { rerank: false });
    vecMs.push(performance.now() - s);
  }
  const round = (x: number): number => Number(x.toFixed(2));
  return {
    lexicalTop100Ms: { p50: round(pct(lexMs, 50)), p99: round(pct(lexMs, 99)) },
    vectorTop100Ms: { p50: round(pct(vecMs, 50)), p99: round(pct(vecMs, 99)) },
  };
}

/** Resident memory split as the kernel reports it: anonymous (this process's own) and file-backed (shared). */
function rssParts(): { rssMiB: number; anonMiB: number; fileMiB: number } {
  const status = readFileSync('/proc/self/status', 'utf8');
  const kb = (name: string): number => Number(new RegExp(`${name}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
  return {
    rssMiB: Math.round(kb('VmRSS') / 1024),
    anonMiB: Math.round(kb('RssAnon') / 1024),
    fileMiB: Math.round(kb('RssFile') / 1024),
  };
}

/**
 * The restarted process, as `serve` opens its snapshots: model loaded, both snapshots opened (checked), then
 * read ahead in slices as serve does after start. Prints one JSON line.
 */
async function loadPhase(dir: string, modelPath: string): Promise<void> {
  const base = settle();
  const model = await loadStaticModel(modelPath);
  const embedder = createStaticEmbedder(model);
  const withModel = settle();
  const t = performance.now();
  const lexical = openLexicalIndex(join(dir, 'lexical.bin'));
  const vectors = createVectorIndex({ dimension: model.dimension, model: model.name });
  vectors.load(join(dir, 'vectors.bin'));
  while (lexical.readAhead(8 << 20));
  while (vectors.readAhead(8 << 20));
  const loadSeconds = (performance.now() - t) / 1000;
  const opened = { ...settle(), ...rssParts() };
  const queries = JSON.parse(readFileSync(join(dir, 'queries.json'), 'utf8')) as string[];
  const timings = await timeQueries(queries, lexical, vectors, async (q) => (await embedder.embed([q]))[0]!);
  const held = settle();
  const size = (f: string): number => mib(statSync(join(dir, f)).size);
  console.log(
    JSON.stringify({
      documents: vectors.size,
      loadSeconds: Number(loadSeconds.toFixed(2)),
      files: {
        lexicalMiB: size('lexical.bin'),
        vectorsMiB: size('vectors.bin'),
        graphMiB: size('vectors.bin.hnsw'),
      },
      baselineMiB: base,
      withModelMiB: withModel,
      openedMiB: opened,
      heldAfterQueriesMiB: { ...held, ...rssParts() },
      peakRssMiB: Math.round(peakRssMiB()),
      ...timings,
    }),
  );
}

async function main(): Promise<void> {
  if (args.model === undefined) throw new Error('usage: bench/memory.bench.ts --model path.pbm [--factor 4]');
  if (args.load !== undefined) return loadPhase(args.load, args.model);
  const model = await loadStaticModel(args.model);
  const embedder = createStaticEmbedder(model);
  const base = settle();
  let docs: BenchDoc[] | null = scaleCorpus(await loadArxivCorpus(args.corpus), Number(args.factor), 11);
  const count = docs.length;
  const queries = sampleQueries(docs, Number(args.queries), 5);
  log(`${count} documents, ${model.dimension}-d model ${model.name}`);

  let t = performance.now();
  const lexical = createLexicalIndex();
  for (const d of docs) lexical.add(d);
  const lexicalSeconds = (performance.now() - t) / 1000;
  log(`lexical index built in ${lexicalSeconds.toFixed(1)} s`);

  t = performance.now();
  const vectors = createVectorIndex({ dimension: model.dimension, model: model.name });
  const batch = 20_000;
  for (let i = 0; i < docs.length; i += batch) {
    const part = docs.slice(i, i + batch);
    const vecs = await embedder.embed(part.map((d) => `${d.title}\n${d.abstract}`));
    vectors.addMany(part.map((d, j) => [d.id, vecs[j]!] as const));
    log(`  vectors ${Math.min(i + batch, docs.length)}/${docs.length}`);
  }
  const vectorSeconds = (performance.now() - t) / 1000;
  const peakWhileBuilding = Math.round(peakRssMiB());
  docs = null; // serve never holds the corpus itself
  const held = settle();

  const timings = await timeQueries(queries, lexical, vectors, async (q) => (await embedder.embed([q]))[0]!);

  // A restart: save both snapshots, then measure a fresh process that only loads them.
  const dir = args.keep ?? mkdtempSync(join(tmpdir(), 'paperboy-memory-bench-'));
  mkdirSync(dir, { recursive: true });
  let restarted: unknown;
  try {
    lexical.saveTo(join(dir, 'lexical.bin'));
    vectors.save(join(dir, 'vectors.bin'));
    writeFileSync(join(dir, 'queries.json'), JSON.stringify(queries));
    log('snapshots saved; loading them in a fresh process');
    const out = execFileSync(
      process.execPath,
      [...process.execArgv, import.meta.filename, '--model', args.model, '--load', dir],
      { encoding: 'utf8', maxBuffer: 1 << 20 },
    );
    restarted = JSON.parse(out.trim().split('\n').at(-1) ?? '{}');
  } finally {
    if (args.keep === undefined) rmSync(dir, { recursive: true, force: true });
  }
  const result = {
    documents: count,
    dimension: model.dimension,
    lexicalBuildSeconds: Number(lexicalSeconds.toFixed(1)),
    embedAndIndexSeconds: Number(vectorSeconds.toFixed(1)),
    vectorMode: vectors.mode,
    building: { baselineMiB: base, heldAfterGcMiB: held, peakRssMiB: peakWhileBuilding, ...timings },
    restarted,
  };
  if (args.json) console.log(JSON.stringify(result));
  else console.log(result);
}

await main();
