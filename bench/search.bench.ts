// Lexical search speed against peers on the arXiv corpus: build time, memory, query latency p50/p95/p99.
//
//   npm run bench:search [-- --scales 1,4 --engines paperboy,minisearch,orama,fts5 --queries 1000 --timeout 900]
//   npm run bench:search -- --scales 1 --engines paperboy-long,paperboy-long-all-terms --queries 200
//
// The paperboy-long engines answer 2,000-word pasted texts (abstracts of one category) instead of title words.
//
// Each engine runs in its own process (bench/lib/search-bench-worker.ts) on the same documents and the same
// 1,000 queries (2–5 words from random real titles, top 10). Scale 4 grows the 75k papers to ~300k with
// new ids and shuffled title words and abstract sentences. Results print as a markdown table.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { WorkerResult } from './lib/search-bench-worker.ts';

const CORPUS = resolve(import.meta.dirname, '../../shared/data/arxiv-cs-2025-2026.jsonl.gz');
const WORKER = resolve(import.meta.dirname, 'lib/search-bench-worker.ts');

function runWorker(engine: string, scale: number, queries: number, timeoutS: number): WorkerResult | string {
  const heapMB = scale > 1 ? 12_000 : 6_000;
  const r = spawnSync(
    process.execPath,
    [
      '--expose-gc',
      `--max-old-space-size=${heapMB}`,
      '--import',
      'tsx',
      WORKER,
      engine,
      String(scale),
      String(queries),
      CORPUS,
    ],
    {
      encoding: 'utf8',
      timeout: timeoutS * 1000,
      maxBuffer: 1 << 24,
    },
  );
  if (r.error !== undefined || r.status !== 0) {
    const why =
      r.error?.message.includes('ETIMEDOUT') || r.signal === 'SIGTERM'
        ? `over ${timeoutS} s`
        : `failed (${r.signal ?? r.status}): ${(r.stderr ?? '').trim().split('\n').at(-1) ?? ''}`;
    return why;
  }
  const last = r.stdout.trim().split('\n').at(-1) ?? '';
  return JSON.parse(last) as WorkerResult;
}

const f = (x: number, digits = 2): string => x.toFixed(digits);

function row(r: WorkerResult | string, engine: string, scale: number): string {
  if (typeof r === 'string') return `| ${engine} | ×${scale} | – | – | – | – | – | – | – | ${r} |`;
  const notes = Object.entries(r.extra)
    .map(([k, v]) => `${k} ${f(v, 1)}`)
    .join(', ');
  return `| ${engine} | ${r.docs} | ${f(r.buildS, 1)} | ${f(r.heapMB, 0)} | ${f(r.rssMB, 0)} | ${f(r.p50)} | ${f(r.p95)} | ${f(r.p99)} | ${f(r.mean)} | ${notes} |`;
}

function main(): void {
  const { values } = parseArgs({
    options: {
      scales: { type: 'string', default: '1,4' },
      engines: { type: 'string', default: 'paperboy,minisearch,orama,fts5' },
      queries: { type: 'string', default: '1000' },
      timeout: { type: 'string', default: '900' },
    },
  });
  if (!existsSync(CORPUS)) {
    console.error(`skipping: ${CORPUS} is absent (../shared is not beside this checkout)`);
    return;
  }
  console.log(`node ${process.version}, ${values.queries} queries of 2–5 title words, top 10\n`);
  console.log(
    '| engine | docs | build s | heap Δ MB | RSS Δ MB | p50 ms | p95 ms | p99 ms | mean ms | notes |',
  );
  console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|---|');
  for (const scale of values.scales.split(',').map(Number)) {
    for (const engine of values.engines.split(',')) {
      console.log(
        row(runWorker(engine, scale, Number(values.queries), Number(values.timeout)), engine, scale),
      );
    }
  }
}

main();
