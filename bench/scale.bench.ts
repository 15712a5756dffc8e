// Scale-out benchmark: the same 75k-paper instance on SQLite (one node) and on PostgreSQL (one node, then two
// nodes on one database), in one run. For each: single-client search latency over distinct queries, then
// throughput and p99 at 50 connections for the home page and for distinct hybrid searches.
// Usage: npm run bench:scale -- --db /tmp/hb/p2.db [--seconds 10 --connections 50 --queries 300]
// (--db: a prepared store with the corpus, a trained model and its vectors, e.g. the one bench:hybrid leaves;
// it is copied, never written.)
import { cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import pg from 'pg';
import { copyDatabase, openStore, openTables } from '../src/store/db.ts';
import { startThrowawayPostgres } from '../test/helpers/postgres.ts';
import { startServe, type ServeProcess } from '../test/helpers/serve-process.ts';

const SECRET = 'bench-secret-0123456789abcdef0123456789abcdef';

interface Setup {
  name: string;
  url: string;
  nodes: number;
  indexDirs: (string | null)[];
}

interface Row {
  setup: string;
  latency: { p50: number; p99: number };
  home: Load;
  search: Load;
}

interface Load {
  rps: number;
  p99: number;
  errors: number;
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0;
}

/** One client, one search at a time: what a reader waits for, over `queries` distinct queries. */
async function searchLatency(bases: string[], queries: string[]): Promise<{ p50: number; p99: number }> {
  const ms: number[] = [];
  for (let i = 0; i < queries.length; i++) {
    const base = bases[i % bases.length] ?? '';
    const t = performance.now();
    const r = await fetch(`${base}/api/search?q=${encodeURIComponent(queries[i] ?? '')}&k=20`);
    await r.arrayBuffer();
    if (r.status !== 200) throw new Error(`search answered ${r.status}`);
    ms.push(performance.now() - t);
  }
  ms.sort((a, b) => a - b);
  return { p50: percentile(ms, 0.5), p99: percentile(ms, 0.99) };
}

/** Autocannon on every node at once, connections split evenly; requests per second summed. */
async function loadAll(bases: string[], path: string, seconds: number, connections: number): Promise<Load> {
  const runs = await Promise.all(
    bases.map((base) =>
      autocannon({
        url: `${base}${path}`,
        connections: Math.max(1, Math.round(connections / bases.length)),
        duration: seconds,
        idReplacement: path.includes('[<id>]'),
      }),
    ),
  );
  return {
    rps: runs.reduce((n, r) => n + r.requests.average, 0),
    p99: Math.max(...runs.map((r) => r.latency.p99)),
    errors: runs.reduce((n, r) => n + r.errors + r.timeouts + r.non2xx, 0),
  };
}

async function measure(setup: Setup, queries: string[], seconds: number, connections: number): Promise<Row> {
  const nodes: ServeProcess[] = [];
  try {
    for (const dir of setup.indexDirs) {
      const env: Record<string, string> = {
        DATABASE_URL: setup.url,
        PAPERBOY_SECRET: SECRET,
        PAPERBOY_HARVEST: 'false',
        LOG_LEVEL: 'warn',
      };
      if (dir !== null) env.INDEX_DIR = dir;
      nodes.push(await startServe(env, 300_000));
    }
    const bases = nodes.map((n) => n.base);
    // The first search waits for the index to load; then warm up each node.
    await searchLatency(bases, queries.slice(0, 10));
    const latency = await searchLatency(bases, queries);
    await loadAll(bases, '/', 2, connections);
    const home = await loadAll(bases, '/', seconds, connections);
    const path = '/api/search?q=diffusion+models+[<id>]&k=20';
    await loadAll(bases, path, 2, connections);
    const search = await loadAll(bases, path, seconds, connections);
    return { setup: setup.name, latency, home, search };
  } finally {
    for (const n of nodes) await n.stop();
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      db: { type: 'string' },
      seconds: { type: 'string' },
      connections: { type: 'string' },
      queries: { type: 'string' },
    },
  });
  if (values.db === undefined || !existsSync(values.db)) {
    console.error('usage: npm run bench:scale -- --db <prepared store with vectors, e.g. from bench:hybrid>');
    process.exitCode = 2;
    return;
  }
  const seconds = Number(values.seconds ?? 10);
  const connections = Number(values.connections ?? 50);
  const dir = mkdtempSync(join(tmpdir(), 'paperboy-scale-bench-'));
  const server = await startThrowawayPostgres();
  try {
    const sqlite = join(dir, 'paperboy.db');
    cpSync(values.db, sqlite);
    const snapshot = `${values.db}.index`;
    const hasSnapshot = existsSync(snapshot);
    if (hasSnapshot) cpSync(snapshot, `${sqlite}.index`, { recursive: true });

    const admin = new pg.Client({ connectionString: server.adminUrl });
    await admin.connect();
    await admin.query('CREATE DATABASE paperboy');
    await admin.end();
    const pgUrl = server.adminUrl.replace(/\/postgres$/, '/paperboy');
    const t0 = performance.now();
    const [from, to] = [await openTables(sqlite), await openTables(pgUrl)];
    const copied = await copyDatabase(from, to);
    await from.close();
    await to.close();
    console.error(
      `copied ${copied.rows} rows to PostgreSQL in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
    );

    const store = await openStore(sqlite);
    const titles = (await store.papers.newest({ limit: Number(values.queries ?? 300) })).map((p) => p.title);
    await store.close();
    const queries = titles.map((t) => t.split(/\s+/).slice(0, 4).join(' '));

    // Each PostgreSQL node gets its own copy of the snapshot (valid there: the copy keeps the change log).
    const nodeIndex = (n: number): string | null => {
      if (!hasSnapshot) return null;
      const d = join(dir, `node${n}.index`);
      cpSync(snapshot, d, { recursive: true });
      return d;
    };
    const setups: Setup[] = [
      { name: 'SQLite, 1 node', url: sqlite, nodes: 1, indexDirs: [`${sqlite}.index`] },
      { name: 'PostgreSQL, 1 node', url: pgUrl, nodes: 1, indexDirs: [nodeIndex(1)] },
      { name: 'PostgreSQL, 2 nodes', url: pgUrl, nodes: 2, indexDirs: [nodeIndex(1), nodeIndex(2)] },
    ];
    const rows: Row[] = [];
    for (const s of setups) {
      console.error(`measuring ${s.name} …`);
      rows.push(await measure(s, queries, seconds, connections));
    }
    console.log(
      `\n${queries.length} distinct searches one at a time, then ${connections} connections for ${seconds} s per row (split across nodes)\n`,
    );
    console.log(
      '| setup | search p50 ms | search p99 ms | home req/s | home p99 ms | distinct search req/s | search p99 ms | errors |',
    );
    console.log('|---|---:|---:|---:|---:|---:|---:|---:|');
    for (const r of rows) {
      console.log(
        `| ${r.setup} | ${r.latency.p50.toFixed(1)} | ${r.latency.p99.toFixed(1)} | ${Math.round(r.home.rps)} | ${r.home.p99} | ${Math.round(r.search.rps)} | ${r.search.p99} | ${r.home.errors + r.search.errors} |`,
      );
    }
  } finally {
    server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
