// Two serve nodes on one PostgreSQL store (issue 23): starts node A, then node B, each with its own INDEX_DIR, and
// runs the same mixed queries as bench:scale-arxiv's serve phase against each (lexical, hybrid, similar, For you);
// prints per node the ready time, RSS/anon/PSS, p50/p99 per kind, and PostgreSQL's own memory (PSS summed over
// its processes). The store must already be imported, embedded and reindexed (`paperboy ingest/train/embed/
// reindex` with DATABASE_URL set to the same URL and INDEX_DIR to --index-a).
// Usage: npm run bench:scale-pg-nodes -- --pg postgres://... --index-a DIR --index-b DIR [--queries 1000] [--seed-b]
// `--seed-b` starts node B with INDEX_SEED_DIR set to node A's folder (a new node linking A's snapshot instead of
// rebuilding from the store); give it an empty --index-b.
import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { startServe, type ServeProcess } from '../test/helpers/serve-process.ts';
import { loadArxivCorpus, sampleQueries } from './lib/arxiv-corpus.ts';
import { memoryParts } from './lib/proc-memory.ts';
import { SERVE_NODE_FLAGS } from './lib/serve-flags.ts';
import { mixedQuery, prepareReader, quantiles, timed } from './lib/serve-load.ts';

const { values: args } = parseArgs({
  options: {
    pg: { type: 'string' },
    'index-a': { type: 'string' },
    'index-b': { type: 'string' },
    queries: { type: 'string', default: '1000' },
    'seed-b': { type: 'boolean', default: false },
    seed: { type: 'string', default: '23' },
    corpus: {
      type: 'string',
      default: resolve(import.meta.dirname, '../../shared/data/arxiv-cs-2025-2026.jsonl.gz'),
    },
  },
});
if (args.pg === undefined || args['index-a'] === undefined || args['index-b'] === undefined)
  throw new Error('usage: --pg URL --index-a DIR --index-b DIR [--queries N]');
const SECRET = 'scale-bench-secret-0123456789abcdef0123456789ab';
const pgUrl: string = args.pg;
const env = { DATABASE_URL: pgUrl, PAPERBOY_SECRET: SECRET, LOG_LEVEL: 'info', PAPERBOY_HARVEST: 'false' };
const log = (s: string): void => void process.stderr.write(`[scale-pg-nodes] ${s}\n`);
type Figures = Record<string, number | string | null>;

/** PSS of every process whose command is `postgres` (the server and its backends), MiB. */
function postgresPssMiB(): number {
  let kb = 0;
  for (const pid of readdirSync('/proc').filter((n) => /^\d+$/.test(n))) {
    try {
      if (readFileSync(`/proc/${pid}/comm`, 'utf8').trim() !== 'postgres') continue;
      const m = /^Pss:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'));
      kb += Number(m?.[1] ?? 0);
    } catch {
      // gone between the listing and the read
    }
  }
  return Math.round(kb / 1024);
}

async function start(
  indexDir: string,
  firstQuery: string,
  seedDir: string | null,
): Promise<{ server: ServeProcess; ready: number }> {
  const t = performance.now();
  const seed: Record<string, string> = seedDir === null ? {} : { INDEX_SEED_DIR: seedDir };
  const server = await startServe({ ...env, ...seed, INDEX_DIR: indexDir }, 600_000, [], SERVE_NODE_FLAGS);
  const first = `${server.base}/api/search?mode=hybrid&q=${encodeURIComponent(firstQuery)}`;
  for (;;) {
    const r = await fetch(first);
    const body = (await r.json()) as { notice?: string | null };
    if (r.status === 200 && !(body.notice ?? '').includes('%')) break;
    await new Promise((done) => setTimeout(done, 200));
  }
  return { server, ready: (performance.now() - t) / 1000 };
}

async function queryNode(server: ServeProcess, queries: string[], token: string): Promise<Figures> {
  const lexical = await fetch(`${server.base}/api/search?mode=lexical&q=learning&limit=100`);
  const ids = ((await lexical.json()) as { papers?: { id: string }[] }).papers?.map((p) => p.id) ?? [];
  const kinds: Record<string, number[]> = { lexical: [], hybrid: [], similar: [] };
  for (let i = 0; i < queries.length; i++) {
    const { kind, url } = mixedQuery(server.base, i, queries, ids);
    kinds[kind]?.push(await timed(url));
  }
  const forYou: number[] = [];
  for (let i = 0; i < 100; i++)
    forYou.push(await timed(`${server.base}/api/foryou?days=1`, { authorization: `Bearer ${token}` }));
  const out: Figures = {};
  for (const [kind, ms] of Object.entries(kinds)) {
    out[`${kind}P50Ms`] = quantiles(ms).p50;
    out[`${kind}P99Ms`] = quantiles(ms).p99;
  }
  out.forYouP50Ms = quantiles(forYou).p50;
  out.forYouP95Ms = quantiles(forYou).p95;
  return out;
}

function memory(pid: number, prefix: string): Figures {
  const m = memoryParts(pid);
  return {
    [`${prefix}RssMiB`]: m?.rssMiB ?? null,
    [`${prefix}AnonMiB`]: m?.anonMiB ?? null,
    [`${prefix}PssMiB`]: m?.pssMiB ?? null,
  };
}

const token = await prepareReader(env, 'pg-nodes');
const docs = await loadArxivCorpus(args.corpus ?? '');
const queries = sampleQueries(docs, Number(args.queries), Number(args.seed));
const result: Record<string, Figures> = { postgres: { beforeMiB: postgresPssMiB() } };
const nodes: ServeProcess[] = [];
try {
  for (const [name, dir] of [
    ['a', args['index-a']],
    ['b', args['index-b']],
  ] as const) {
    const seedDir = name === 'b' && args['seed-b'] === true ? (args['index-a'] ?? null) : null;
    const { server, ready } = await start(dir, queries[0] ?? 'graph', seedDir);
    nodes.push(server);
    const figures: Figures = { readySeconds: Number(ready.toFixed(1)), ...memory(server.pid, 'atReady') };
    Object.assign(figures, await queryNode(server, queries, token), memory(server.pid, 'afterQueries'));
    result[name] = figures;
    log(`node ${name}: ${JSON.stringify(figures)}`);
  }
  // Both nodes up and warm: their memory side by side (shared file pages split between them in PSS).
  result.both = {
    ...memory(nodes[0]?.pid ?? -1, 'a'),
    ...memory(nodes[1]?.pid ?? -1, 'b'),
    postgresPssMiB: postgresPssMiB(),
  };
} finally {
  for (const n of nodes) await n.stop();
}
console.log(JSON.stringify(result));
