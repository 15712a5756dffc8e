// Where a hybrid search's and a `similar` request's CPU goes (issue 23: the 2.7M tail), stage by stage, in this
// process over DATABASE_URL's finished store (snapshots, vectors, model opened as serve opens them; nothing
// written: the store is closed without saving the index). Runs bench:scale-arxiv's mixed load in its order
// (sampleQueries, seed 23; every fifth request `similar` for one of the top 100 papers for "learning"), the
// first pass cold as after a restart, and prints per stage the CPU ms (p50/p99/mean, this thread and the pool's
// alike: process CPU) and the slowest requests split by stage.
// Usage: DATABASE_URL=/tmp/x/paperboy.db npm run bench:search-stages -- [--queries 1000] [--passes 1] [--top 8]
//        [--warm-model]
//        [--corpus FILE]
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../src/config.ts';
import type { ScoredId } from '../src/domain/index.ts';
import { moreLikeThisQuery, SIMILAR_QUERY_TERMS } from '../src/index/lexical/query.ts';
import { DEFAULT_FUSION, fuseHybrid, fusionWeight, rerankByTokenMatch } from '../src/rank/hybrid.ts';
import { createSearchParts, SIMILAR_WEIGHT } from '../src/services/search-services.ts';
import { SIMILAR_SEED } from '../src/services/search/similar-ranking.ts';
import { openStore } from '../src/store/db.ts';
import { loadArxivCorpus, sampleQueries } from './lib/arxiv-corpus.ts';
import { mixedQuery } from './lib/serve-load.ts';

const { values: args } = parseArgs({
  options: {
    queries: { type: 'string', default: '1000' },
    passes: { type: 'string', default: '1' },
    top: { type: 'string', default: '8' },
    // Read the model's token rows before the first request, as serve now does before it is ready.
    'warm-model': { type: 'boolean', default: false },
    seed: { type: 'string', default: '23' },
    corpus: {
      type: 'string',
      default: resolve(import.meta.dirname, '../../shared/data/arxiv-cs-2025-2026.jsonl.gz'),
    },
  },
});

/** CPU ms of the whole process since `from` (process.cpuUsage). */
const cpuSince = (from: NodeJS.CpuUsage): number => {
  const u = process.cpuUsage(from);
  return (u.user + u.system) / 1000;
};
const config = loadConfig();
const store = await openStore(config.DATABASE_URL);
const { search, semantic, searchIndexes: indexes } = createSearchParts(store, config);
await indexes.open();
const embedder = await semantic.current();
await indexes.useModel(embedder?.model ?? null, embedder?.dimension ?? 0);
const vectors = indexes.vectors;
if (embedder === null || vectors === null) throw new Error('this store has no model or no vectors');
if (args['warm-model']) {
  const t = process.cpuUsage();
  embedder.warm?.();
  console.log(`model rows read before the first request: ${cpuSince(t).toFixed(1)} ms CPU`);
}
const depth = config.SEARCH_DEPTH;
const queries = sampleQueries(await loadArxivCorpus(args.corpus), Number(args.queries), Number(args.seed));
const ids = (await search.search('learning', { mode: 'lexical', k: 100 })).hits.map((h) => h.paper.id);

type Stages = Record<string, number>;
/** Runs each stage in turn, adding its CPU ms to `into` under its name. */
function timed<T>(into: Stages, name: string, f: () => T): T {
  const t = process.cpuUsage();
  const out = f();
  into[name] = (into[name] ?? 0) + cpuSince(t);
  return out;
}
async function timedAsync<T>(into: Stages, name: string, f: () => Promise<T>): Promise<T> {
  const t = process.cpuUsage();
  const out = await f();
  into[name] = (into[name] ?? 0) + cpuSince(t);
  return out;
}
const cosines =
  (query: Float32Array) =>
  (list: readonly string[]): (number | null)[] =>
    vectors.similarities(list, query);

/** A hybrid search as search-service's `answer` runs it for a plain word query (no filters, no pins). */
async function hybrid(text: string, s: Stages): Promise<void> {
  const lexical = timed(s, 'lexical', () => indexes.lexical.search(text, { k: depth }));
  const [vec] = await timedAsync(s, 'embed', () => embedder!.embed([text]));
  if (vec === undefined) return;
  const near = timed(s, 'hnsw', () => vectors!.search(vec, depth, undefined, { rerank: false }));
  const fused = timed(s, 'fusion', () =>
    fuseHybrid(lexical, near, {
      semanticWeight: fusionWeight(config.SEARCH_SEMANTIC_WEIGHT ?? undefined, embedder!.fusionWeight),
      semanticScores: cosines(vec),
    }),
  );
  const head = fused.slice(0, DEFAULT_FUSION.tokenMatchDepth).map(([id]) => id);
  const papers = await timedAsync(s, 'rows', () => store.papers.getMany(head));
  const byId = new Map(papers.map((p) => [p.id, p]));
  const match = embedder!.tokenMatch?.bind(embedder);
  const ranked =
    match === undefined
      ? fused
      : timed(s, 'tokenMatch', () => {
          const scores = match(
            text,
            head.map((id) => {
              const p = byId.get(id);
              return p === undefined ? '' : `${p.title}\n${p.abstract}`;
            }),
          );
          return rerankByTokenMatch(fused, () => scores, {});
        });
  await timedAsync(s, 'rows', () => store.papers.getMany(ranked.slice(0, 10).map(([id]) => id)));
}

/** A `similar` request as search-service runs it (rankSimilar's steps apart). */
async function similar(id: string, s: Stages): Promise<void> {
  const paper = await timedAsync(s, 'rows', () => store.papers.get(id));
  if (paper === null) return;
  const vec = timed(s, 'vector', () => vectors!.get(paper.id));
  if (vec === undefined) return;
  const near = timed(s, 'hnsw', () => vectors!.search(vec, depth + 1, undefined, { rerank: false }));
  const query = moreLikeThisQuery(paper.title, paper.abstract);
  const neighbours = near.filter(([other]) => other !== paper.id);
  const found = timed(s, 'seed', () =>
    indexes.lexical.search(query, {
      k: SIMILAR_SEED.k + 1,
      longTerms: SIMILAR_SEED.terms,
      longTermsBy: 'rarest',
    }),
  );
  const candidates = new Set([...neighbours.map(([x]) => x), ...found.map(([x]) => x)]);
  candidates.delete(paper.id);
  const more: ScoredId[] = timed(s, 'scoreAmong', () =>
    indexes.lexical.scoreAmong(query, candidates, { longTerms: SIMILAR_QUERY_TERMS }),
  );
  const top = timed(s, 'fusion', () =>
    fuseHybrid(more, neighbours, { semanticWeight: SIMILAR_WEIGHT, semanticScores: cosines(vec) }),
  ).slice(0, 10);
  await timedAsync(s, 'rows', () => store.papers.getMany(top.map(([x]) => x)));
}

const rows: { pass: number; i: number; kind: string; q: string; total: number; stages: Stages }[] = [];
for (let pass = 0; pass < Number(args.passes); pass++)
  for (let i = 0; i < queries.length; i++) {
    const { kind, subject } = mixedQuery('', i, queries, ids);
    if (kind === 'lexical') {
      // Lexical requests run too (they fill the postings cache as in serve) but are not split.
      indexes.lexical.search(subject, { k: depth });
      continue;
    }
    const stages: Stages = {};
    const t = process.cpuUsage();
    if (kind === 'hybrid') await hybrid(subject, stages);
    else await similar(subject, stages);
    rows.push({ pass, i, kind, q: subject, total: cpuSince(t), stages });
  }

const at = (s: number[], p: number): number => s[Math.min(s.length - 1, Math.floor(p * s.length))] ?? 0;
const fmt = (x: number): string => x.toFixed(2);
for (let pass = 0; pass < Number(args.passes); pass++)
  for (const kind of ['hybrid', 'similar']) {
    const mine = rows.filter((r) => r.kind === kind && r.pass === pass);
    const names = [...new Set(mine.flatMap((r) => Object.keys(r.stages)))];
    const line = (name: string, get: (r: (typeof mine)[number]) => number): string => {
      const xs = mine.map(get).sort((a, b) => a - b);
      const mean = xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
      return `  ${name.padEnd(10)} p50 ${fmt(at(xs, 0.5))} p99 ${fmt(at(xs, 0.99))} mean ${fmt(mean)}`;
    };
    console.log(`${kind}, pass ${pass + 1}, ${mine.length} requests, CPU ms:`);
    console.log(line('total', (r) => r.total));
    for (const name of names) console.log(line(name, (r) => r.stages[name] ?? 0));
    for (const r of [...mine].sort((a, b) => b.total - a.total).slice(0, Number(args.top)))
      console.log(
        `    i=${r.i} ${fmt(r.total)} ms: ${Object.entries(r.stages)
          .map(([k, v]) => `${k} ${fmt(v)}`)
          .join(', ')}  «${r.q}»`,
      );
  }
// Closed without `saveIfChanged`: nothing is written into the store's index folder.
await store.close();
