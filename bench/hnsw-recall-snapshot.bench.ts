// Recall@10 of the graph a store's current snapshot already holds (the index `serve` answers from), against an
// exact float32 scan, without holding the float rows in memory: at 2.7M papers × 512 dimensions they are 5.5 GB,
// and a second graph would not fit beside them. Two passes over the store's vectors: the first samples the query
// papers (seeded reservoir), the second scans every row against all queries at once and keeps each one's top 11.
// Usage: node --import tsx bench/hnsw-recall-snapshot.bench.ts --db /tmp/scale27m/paperboy.db [--queries 500]
//        [--ef-search 128,192] [--truth /tmp/truth] [--json]
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createRng } from '../src/index/embedders/static/random.ts';
import { createVectorIndex } from '../src/index/vectors/index.ts';
import { rowDot } from '../src/simd-dot.ts';
import { openStore } from '../src/store/db.ts';
import { nativeExactSearch } from './lib/exact-knn.ts';

const { values: args } = parseArgs({
  options: {
    db: { type: 'string', default: '/tmp/scale27m/paperboy.db' },
    queries: { type: 'string', default: '500' },
    /** Query-time candidate lists to measure (usearch keeps ef outside the file); default: serve's. */
    'ef-search': { type: 'string' },
    seed: { type: 'string', default: '23' },
    /** File keeping the exact answers between runs of the same store, queries and seed (pass 2's slow part). */
    truth: { type: 'string' },
    json: { type: 'boolean', default: false },
  },
});
const log = (s: string): void => void (args.json ? process.stderr : process.stdout).write(`${s}\n`);
const K = 10;
const PAGE = 5000;
const secs = (t: number): string => ((performance.now() - t) / 1000).toFixed(1);

const dir = join(`${args.db}.index`, readFileSync(join(`${args.db}.index`, 'CURRENT'), 'utf8').trim());
const { vectorModel: model } = JSON.parse(readFileSync(join(dir, 'state.json'), 'utf8')) as {
  vectorModel: string | null;
};
if (model === null) throw new Error(`${dir} holds no vectors`);
const store = await openStore(args.db);

/** Every stored vector of the snapshot's model, a page at a time. */
async function* pages(): AsyncGenerator<Array<{ paperId: string; vector: Float32Array }>> {
  for (let seq = 0; ; ) {
    const page = await store.vectors.since(model!, seq, PAGE);
    if (page.length === 0) return;
    yield page;
    seq = page[page.length - 1]!.seq;
  }
}

// Pass 1: a seeded uniform sample of query papers (reservoir), and the count.
const want = Number(args.queries);
const rng = createRng(Number(args.seed));
const qIds: string[] = [];
const qRows: Float32Array[] = [];
let n = 0;
let t = performance.now();
for await (const page of pages())
  for (const r of page) {
    n += 1;
    if (qIds.length < want) {
      qIds.push(r.paperId);
      qRows.push(r.vector.slice());
    } else {
      const j = Math.floor(rng.next() * n);
      if (j < want) {
        qIds[j] = r.paperId;
        qRows[j] = r.vector.slice();
      }
    }
  }
const d = qRows[0]!.length;
const Q = qIds.length;
log(`pass 1: ${n.toLocaleString('en-US')} × ${d} vectors of ${model}, ${Q} queries sampled, in ${secs(t)} s`);

// The served index as serve opens it, searched for every query (results needed before pass 2 scores them).
interface Measured {
  efSearch: number | null;
  answers: string[][];
  p50: number;
  p99: number;
}
const measured: Measured[] = [];
for (const ef of args['ef-search']?.split(',').map(Number) ?? [null]) {
  const index = createVectorIndex({
    dimension: d,
    approximateAbove: 0,
    model,
    ...(ef === null ? {} : { hnsw: { expansionSearch: ef } }),
  });
  t = performance.now();
  index.load(join(dir, 'vectors.bin'));
  log(`opened ${join(dir, 'vectors.bin')} (${index.size.toLocaleString('en-US')} vectors) in ${secs(t)} s`);
  const run = (): { answers: string[][]; ms: number[] } => {
    const ms: number[] = [];
    const answers = qRows.map((q, i) => {
      const s = performance.now();
      const got = index.search(q, K + 1);
      ms.push(performance.now() - s);
      return got
        .map(([id]) => id)
        .filter((id) => id !== qIds[i])
        .slice(0, K);
    });
    return { answers, ms };
  };
  run(); // the first pass maps the graph's pages in; the second is timed
  const { answers, ms } = run();
  ms.sort((a, b) => a - b);
  measured.push({
    efSearch: ef,
    answers,
    p50: ms[Math.floor(ms.length / 2)]!,
    p99: ms[Math.min(ms.length - 1, Math.floor(ms.length * 0.99))]!,
  });
}

// Pass 2: the exact top 11 of every query over all rows (native, every core), merged page by page; the float rows
// of every answered id are kept for the tie-aware count.
const qflat = new Float32Array(Q * d);
qRows.forEach((r, i) => qflat.set(r, i * d));
type Best = Array<Array<{ id: string; score: number }>>;
const truthFile = args.truth === undefined ? null : `${args.truth}-${n}-${Q}-${args.seed}.json`;
const cached = truthFile !== null && existsSync(truthFile);
const best: Best = cached ? (JSON.parse(readFileSync(truthFile, 'utf8')) as Best) : qIds.map(() => []);
const answered = new Set(measured.flatMap((m) => m.answers.flat()));
const answeredRows = new Map<string, Float32Array>();
t = performance.now();
for await (const page of pages()) {
  const flat = new Float32Array(page.length * d);
  page.forEach((r, i) => {
    flat.set(r.vector, i * d);
    if (answered.has(r.paperId)) answeredRows.set(r.paperId, r.vector.slice());
  });
  if (cached) continue;
  const k = Math.min(K + 1, page.length);
  const { keys } = nativeExactSearch(flat, qflat, d, k);
  for (let qi = 0; qi < Q; qi++) {
    const top = best[qi]!;
    for (let j = 0; j < k; j++) {
      const row = Number(keys[qi * k + j]);
      const id = page[row]!.paperId;
      if (id === qIds[qi]) continue;
      top.push({ id, score: rowDot(qRows[qi]!, 0, flat, row * d, d) });
    }
    top.sort((a, b) => b.score - a.score);
    top.length = Math.min(top.length, K);
  }
}
await store.close();
if (truthFile !== null && !cached) writeFileSync(truthFile, JSON.stringify(best));
log(
  `pass 2${cached ? ` (exact answers from ${truthFile})` : ''}: exact top ${K} of ${Q} queries over ${n.toLocaleString('en-US')} rows in ${secs(t)} s`,
);

// The generated corpus repeats papers with shuffled words, which a bag-of-words model maps to one vector: a
// result whose exact cosine reaches the 10th best's (within float rounding) is a right answer too.
const results = measured.map((m) => {
  let hit = 0;
  let tied = 0;
  m.answers.forEach((top, qi) => {
    const truth = new Set(best[qi]!.map((b) => b.id));
    const tenth = best[qi]![best[qi]!.length - 1]!.score;
    for (const id of top) {
      if (truth.has(id)) hit += 1;
      if (rowDot(qRows[qi]!, 0, answeredRows.get(id)!, 0, d) >= tenth - 1e-5) tied += 1;
    }
  });
  const all = K * Q;
  const row = {
    efSearch: m.efSearch,
    recall: Number((hit / all).toFixed(4)),
    recallTies: Number((tied / all).toFixed(4)),
    searchP50Ms: Number(m.p50.toFixed(2)),
    searchP99Ms: Number(m.p99.toFixed(2)),
  };
  log(
    `ef_search=${m.efSearch ?? 'default'}: recall@10 ${row.recall} (tie-aware ${row.recallTies}), search p50 ${row.searchP50Ms} ms p99 ${row.searchP99Ms} ms`,
  );
  return row;
});
if (args.json) process.stdout.write(`${JSON.stringify({ vectors: n, dimension: d, queries: Q, results })}\n`);
