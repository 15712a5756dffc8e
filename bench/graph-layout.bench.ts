// The HNSW graph file as built against the same graph relaid in neighbourhood order (`relayoutGraphFile`): what the
// layout costs, and what a restarted process pays for its first searches on the mapped graph with each.
//
//   npm run bench:graph-layout -- --gen INDEX_DIR/snap-… [--queries 300] [--rounds 3] [--seed 41] [--tmp DIR]
//
// The generation's graph file is copied twice into a scratch folder (`--tmp`, default beside the generation, so
// on the same disk), and one copy is relaid in a child process (its seconds and peak RSS reported). Each round
// then starts one fresh process per file, in alternating order, that maps the graph (as serve does) and runs the
// same `--queries` searches: stored papers' vectors drawn by the seeded generator, 30 candidates each (what a
// reranked top 10 asks the graph for). A fresh process has no page of the graph mapped yet, so every page its
// searches touch is a page fault, the cost a restarted node pays; the page cache is warm for both files (both were
// just written or read). Prints per file the medians over rounds of the faults and ms of the searches, whether
// both answered every query with the same keys in the same order, and one JSON line.
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createRng } from '../src/index/embedders/static/random.ts';
import { createHnswGraph } from '../src/index/vectors/hnsw-graph.ts';
import { createVectorIndex, relayoutGraphFile } from '../src/index/vectors/index.ts';
import { openSidecar } from '../src/index/vectors/sidecar-file.ts';

const { values: args } = parseArgs({
  options: {
    gen: { type: 'string' },
    queries: { type: 'string', default: '300' },
    rounds: { type: 'string', default: '3' },
    seed: { type: 'string', default: '41' },
    tmp: { type: 'string' },
    child: { type: 'string' },
    file: { type: 'string' },
    dim: { type: 'string' },
    size: { type: 'string' },
  },
});

interface SearchRun {
  faults: number;
  ms: number;
  firstHundredMs: number;
  answers: string;
}

if (args.child === 'relayout') {
  const started = performance.now();
  const outcome = relayoutGraphFile(args.file!, { minNodes: 0 });
  const seconds = (performance.now() - started) / 1000;
  console.log(JSON.stringify({ outcome, seconds, peakMiB: process.resourceUsage().maxRSS / 1024 }));
  process.exit(0);
}

if (args.child === 'search') {
  const d = Number(args.dim);
  const flat = new Float32Array(readFileSync(`${args.file!}.queries`).buffer.slice(0));
  const graph = createHnswGraph(d, {}, Number(args.size));
  graph.view(args.file!);
  const faults = (): number => {
    const u = process.resourceUsage();
    return u.minorPageFault + u.majorPageFault;
  };
  const before = faults();
  const keys: string[] = [];
  let firstHundredMs = 0;
  const started = performance.now();
  for (let q = 0; q * d < flat.length; q++) {
    const t = performance.now();
    keys.push(graph.search(flat.subarray(q * d, (q + 1) * d), 30).join(','));
    if (q < 100) firstHundredMs += performance.now() - t;
  }
  const run: SearchRun = {
    faults: faults() - before,
    ms: performance.now() - started,
    firstHundredMs,
    answers: keys.join(';'),
  };
  console.log(JSON.stringify(run));
  process.exit(0);
}

if (args.gen === undefined)
  throw new Error('--gen DIR is required (a snapshot generation holding vectors.bin.hnsw)');
const gen = args.gen;
const queries = Number(args.queries);
const rounds = Number(args.rounds);
const self = fileURLToPath(import.meta.url);
const runChild = (...rest: string[]): string =>
  execFileSync(process.execPath, [...process.execArgv, self, ...rest], {
    encoding: 'utf8',
    maxBuffer: 1 << 28,
  });
const lastLine = (out: string): string => out.trim().split('\n').at(-1) ?? '';

const opened = openSidecar(join(gen, 'vectors.bin'), { verify: false });
if (opened.kind !== 'opened') throw new Error(`${gen}/vectors.bin is not a format-3 sidecar`);
const { dimension: d, model } = opened.opened;
const size = opened.opened.keys.length;
const index = createVectorIndex({ dimension: d, model, approximateAbove: Number.MAX_SAFE_INTEGER });
index.load(join(gen, 'vectors.bin'), { verify: false });
const rng = createRng(Number(args.seed));
const flat = new Float32Array(queries * d);
for (let q = 0; q < queries; q++) index.copyTo(opened.opened.ids.at(rng.int(size)), flat, q * d);

const tmp = mkdtempSync(join(args.tmp ?? dirname(gen), '.graph-layout-bench-'));
try {
  const files = { 'as built': join(tmp, 'as-built.hnsw'), relaid: join(tmp, 'relaid.hnsw') };
  for (const file of Object.values(files)) {
    copyFileSync(join(gen, 'vectors.bin.hnsw'), file);
    writeFileSync(`${file}.queries`, flat);
  }
  const layout = JSON.parse(lastLine(runChild('--child', 'relayout', '--file', files.relaid))) as {
    outcome: { relaid: boolean; spanBefore?: number; spanAfter?: number; reason?: string };
    seconds: number;
    peakMiB: number;
  };
  console.log(
    `relayout of ${size.toLocaleString('en-US')} nodes: ${layout.seconds.toFixed(1)} s, peak ${layout.peakMiB.toFixed(0)} MiB, ${JSON.stringify(layout.outcome)}`,
  );
  const runs: Record<string, SearchRun[]> = { 'as built': [], relaid: [] };
  const names = Object.keys(files) as (keyof typeof files)[];
  for (let r = 0; r < rounds; r++) {
    for (const name of r % 2 === 0 ? names : [...names].reverse()) {
      const run = JSON.parse(
        lastLine(
          runChild('--child', 'search', '--file', files[name], '--dim', String(d), '--size', String(size)),
        ),
      ) as SearchRun;
      runs[name]!.push(run);
      console.log(
        `round ${r + 1} ${name}: ${run.faults.toLocaleString('en-US')} faults, ${run.ms.toFixed(0)} ms for ${queries} searches (first 100: ${run.firstHundredMs.toFixed(0)} ms)`,
      );
    }
  }
  const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;
  const summary = Object.fromEntries(
    names.map((name) => [
      name,
      {
        faults: median(runs[name]!.map((x) => x.faults)),
        ms: Number(median(runs[name]!.map((x) => x.ms)).toFixed(1)),
        firstHundredMs: Number(median(runs[name]!.map((x) => x.firstHundredMs)).toFixed(1)),
      },
    ]),
  );
  const sameAnswers = runs.relaid!.every((x) => x.answers === runs['as built']![0]!.answers);
  console.log(
    JSON.stringify({
      gen,
      size,
      queries,
      rounds,
      layout,
      ...summary,
      sameAnswers,
      when: new Date().toISOString(),
    }),
  );
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
