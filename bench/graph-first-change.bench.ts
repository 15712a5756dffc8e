// What a serving process pays for the first vector added to (or removed from) a vector index whose HNSW graph is
// mapped from a snapshot: a mapped graph is read-only, so the first change reads the whole graph into memory.
//
//   node --expose-gc --import tsx bench/graph-first-change.bench.ts --gen INDEX_DIR/snap-…
//
// Opens the generation's vectors as serve does (rows on demand, graph mapped), runs 200 searches, then adds one
// vector and then a second, printing the wall time of each add and the process's RSS (anonymous and file-backed,
// from /proc/self/status) after each step and after a forced GC.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createVectorIndex } from '../src/index/vectors/index.ts';

const { values: args } = parseArgs({ options: { gen: { type: 'string' } } });
if (args.gen === undefined)
  throw new Error('--gen DIR is required (a snapshot generation holding vectors.bin)');
const gen = args.gen;

function memory(): { rssMiB: number; anonMiB: number; fileMiB: number } {
  const status = readFileSync('/proc/self/status', 'utf8');
  const field = (name: string): number =>
    Math.round(Number(new RegExp(`${name}:\\s+(\\d+)`).exec(status)?.[1] ?? 0) / 1024);
  return { rssMiB: field('VmRSS'), anonMiB: field('RssAnon'), fileMiB: field('RssFile') };
}

const state = JSON.parse(readFileSync(join(gen, 'state.json'), 'utf8')) as { vectorModel: string };
const index = createVectorIndex({ dimension: 512, model: state.vectorModel });
let started = performance.now();
index.load(join(gen, 'vectors.bin'), { verify: false });
const openMs = performance.now() - started;
const probe = Float32Array.from({ length: 512 }, (_, j) => Math.sin(j + 1));
const norm = Math.hypot(...probe);
const unit = probe.map((x) => x / norm);
for (let i = 0; i < 200; i++)
  index.search(
    unit.map((x, j) => x + (((i * 31 + j) % 7) - 3) * 0.002),
    10,
  );
const opened = memory();
started = performance.now();
index.add('bench.first-change.1', unit);
const firstAddMs = performance.now() - started;
const afterFirst = memory();
started = performance.now();
index.add(
  'bench.first-change.2',
  unit.map((x) => -x),
);
const secondAddMs = performance.now() - started;
(globalThis as { gc?: () => void }).gc?.();
await new Promise((resolve) => setTimeout(resolve, 1000));
const settled = memory();
console.log(
  JSON.stringify({
    gen,
    vectors: index.size,
    openMs: Math.round(openMs),
    opened,
    firstAddMs: Math.round(firstAddMs),
    afterFirst,
    secondAddMs: Number(secondAddMs.toFixed(2)),
    settled,
    when: new Date().toISOString(),
  }),
);
