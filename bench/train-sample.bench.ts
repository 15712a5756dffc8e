// Does training on a sample hold quality? Trains the corpus model on a whole store and on seeded samples of it
// (the service's `train`, as `paperboy train [--sample N]` runs it) and scores each model on a known-item task
// drawn from the store itself: a paper's title, as a query, should find that paper's abstract among every
// stored abstract (titles left out of the searched text). Prints wall and CPU seconds of each training, and
// MRR@10 and hit@10 of the task, one JSON line per model. `--pairs` trains on pair budgets instead
// (`paperboy train --pairs N`: every paper, fewer passes), and each line splits the training's wall time into
// reading (store, vocabulary) and the pair loop, with the loop's pairs per second.
// Usage: npm run bench:train-sample -- --db path/to/store.db [--samples 20000,10000] [--pairs 100000,150000]
//        [--queries 1000] [--seed 1] [--skip-full]
import { parseArgs } from 'node:util';
import { loadConfig } from '../src/config.ts';
import type { Embedder } from '../src/index/embedders/embedder.ts';
import { staticEmbedder } from '../src/services/search/model-images.ts';
import { openServices } from '../src/services/services.ts';
import { openStore } from '../src/store/db.ts';
import type { Store } from '../src/store/store.ts';
import { seededRandom } from './lib/arxiv-corpus.ts';
import { dot } from './lib/exact-knn.ts';

const { values: args } = parseArgs({
  options: {
    db: { type: 'string' },
    samples: { type: 'string', default: '20000,10000' },
    pairs: { type: 'string', default: '' },
    queries: { type: 'string', default: '1000' },
    seed: { type: 'string', default: '1' },
    'skip-full': { type: 'boolean', default: false },
  },
});
if (args.db === undefined)
  throw new Error('--db path/to/store.db is required (a store with papers imported)');

interface Paper {
  title: string;
  abstract: string;
}

async function allPapers(store: Store): Promise<Paper[]> {
  const out: Paper[] = [];
  for await (const page of store.papers.scan(5000))
    for (const p of page) out.push({ title: p.title, abstract: p.abstract });
  return out;
}

/** Rank (1-based) of each query's own paper among every abstract, by cosine; only its rank is needed. */
async function knownItemRanks(embedder: Embedder, papers: Paper[], queries: number[]): Promise<number[]> {
  const docs: Float32Array[] = [];
  for (let i = 0; i < papers.length; i += 2000)
    docs.push(...(await embedder.embed(papers.slice(i, i + 2000).map((p) => p.abstract))));
  const q = await embedder.embed(queries.map((i) => papers[i]!.title));
  return queries.map((target, n) => {
    const own = dot(q[n]!, docs[target]!);
    let rank = 1;
    for (let d = 0; d < docs.length; d++) if (d !== target && dot(q[n]!, docs[d]!) > own) rank += 1;
    return rank;
  });
}

async function main(): Promise<void> {
  const services = await openServices(
    loadConfig({ ...process.env, DATABASE_URL: args.db, PAPERBOY_HARVEST: 'false', LOG_LEVEL: 'warn' }),
  );
  const store = await openStore(args.db!);
  const seed = Number(args.seed);
  const papers = await allPapers(store);
  const random = seededRandom(seed + 1000);
  const queries = Array.from({ length: Number(args.queries) }, () => Math.floor(random() * papers.length));
  const list = (raw: string): number[] =>
    raw
      .split(',')
      .filter((s) => s !== '')
      .map(Number);
  // The whole model is trained without a budget, whatever the default budget is.
  const runs: { sample?: number; pairs?: number }[] = [
    ...(args['skip-full'] ? [] : [{ pairs: Number.POSITIVE_INFINITY }]),
    ...list(args.samples).map((sample) => ({ sample })),
    ...list(args.pairs).map((pairs) => ({ pairs })),
  ];
  for (const { sample, pairs } of runs) {
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    let loopStart = 0;
    let loopEnd = 0;
    const t = await services.semantic.train({
      sample,
      pairs,
      seed,
      activate: false,
      onProgress: (p) => {
        if (p.phase === 'train' && loopStart === 0) loopStart = performance.now();
        if (p.phase === 'done') loopEnd = performance.now();
      },
    });
    const wall = (performance.now() - t0) / 1000;
    const cpu = process.cpuUsage(cpu0);
    const embedder = await staticEmbedder(store, t.model, { dir: null });
    const ranks = await knownItemRanks(embedder, papers, queries);
    const mrr10 = ranks.reduce((s, r) => s + (r <= 10 ? 1 / r : 0), 0) / ranks.length;
    const hit10 = ranks.filter((r) => r <= 10).length / ranks.length;
    const loopSeconds = (loopEnd - loopStart) / 1000;
    console.log(
      JSON.stringify({
        sample: sample ?? 'all',
        pairsBudget: pairs === undefined ? 'default' : pairs === Number.POSITIVE_INFINITY ? 'all' : pairs,
        pairs: t.pairs,
        trainedOn: t.papers,
        corpus: t.corpus,
        vocabulary: t.vocabulary,
        epochs: t.epochs,
        trainWallSeconds: Number(wall.toFixed(1)),
        trainCpuSeconds: Number(((cpu.user + cpu.system) / 1e6).toFixed(1)),
        readSeconds: Number(((loopStart - t0) / 1000).toFixed(1)),
        loopSeconds: Number(loopSeconds.toFixed(1)),
        pairsPerSecond: Math.round(t.pairs / loopSeconds),
        queries: queries.length,
        mrr10: Number(mrr10.toFixed(4)),
        hit10: Number(hit10.toFixed(4)),
      }),
    );
  }
  await services.close();
  await store.close();
}

await main();
