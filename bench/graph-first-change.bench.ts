// What a serving process pays for the first vectors added to and removed from a vector index opened from a snapshot
// (rows read from the sidecar in place, HNSW graph mapped), and for saving it afterwards.
//
//   node --expose-gc --import tsx bench/graph-first-change.bench.ts --gen INDEX_DIR/snap-… [--save-to DIR]
//
// Opens the generation's vectors as serve does (rows on demand, graph mapped), runs 200 searches, adds one vector and
// then a second, removes one stored row, runs the 200 searches again, then saves into a fresh folder (beside the
// generation's folder unless --save-to; removed afterwards) and checks a fresh index loads it. Prints the wall time
// of each step, the median search before and after the changes, and the process's RSS (anonymous and file-backed,
// from /proc/self/status) after each step and after a forced GC.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { createVectorIndex } from '../src/index/vectors/index.ts';

const { values: args } = parseArgs({ options: { gen: { type: 'string' }, 'save-to': { type: 'string' } } });
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
/** Median milliseconds of 200 searches near `unit`. */
const searches = (): number => {
  const ms: number[] = [];
  for (let i = 0; i < 200; i++) {
    const t = performance.now();
    index.search(
      unit.map((x, j) => x + (((i * 31 + j) % 7) - 3) * 0.002),
      10,
    );
    ms.push(performance.now() - t);
  }
  return Number(ms.sort((a, b) => a - b)[100]!.toFixed(3));
};
const searchMsBefore = searches();
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
const removed = index.search(
  unit.map((x, j) => (j % 2 === 0 ? x : -x)),
  1,
)[0]![0];
started = performance.now();
index.remove(removed);
const removeMs = performance.now() - started;
const searchMsAfter = searches();
(globalThis as { gc?: () => void }).gc?.();
await new Promise((resolve) => setTimeout(resolve, 1000));
const settled = memory();
const saveDir = args['save-to'] ?? mkdtempSync(join(dirname(gen), 'bench-first-change-'));
started = performance.now();
index.save(join(saveDir, 'vectors.bin'));
const saveMs = performance.now() - started;
const afterSave = memory();
(globalThis as { gc?: () => void }).gc?.();
await new Promise((resolve) => setTimeout(resolve, 1000));
const settledAfterSave = memory();
const again = createVectorIndex({ dimension: 512, model: state.vectorModel });
again.load(join(saveDir, 'vectors.bin'), { verify: false });
const reloaded = {
  size: again.size,
  sameSize: again.size === index.size,
  added: again.has('bench.first-change.1') && again.has('bench.first-change.2'),
  removedGone: !again.has(removed),
};
if (args['save-to'] === undefined) rmSync(saveDir, { recursive: true, force: true });
console.log(
  JSON.stringify({
    gen,
    vectors: index.size,
    openMs: Math.round(openMs),
    searchMsBefore,
    opened,
    firstAddMs: Math.round(firstAddMs),
    afterFirst,
    secondAddMs: Number(secondAddMs.toFixed(2)),
    removeMs: Number(removeMs.toFixed(2)),
    searchMsAfter,
    settled,
    saveMs: Math.round(saveMs),
    afterSave,
    settledAfterSave,
    reloaded,
    when: new Date().toISOString(),
  }),
);
