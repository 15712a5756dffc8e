// Search latency while `serve` trains its own model: the same searches before, during (training on the worker
// thread, then embedding every paper) and after, in one run, so that the machine's load weighs on all alike.
//
//   npm run bench:auto-train [-- --papers 20000] [--queries 300]
//
// The store holds the corpus's first N papers; the training threshold is set to N so that the first pass trains.
// Searches are sequential, each started on a new turn of the event loop, as HTTP requests arrive.
import { createReadStream, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os, { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { createGunzip } from 'node:zlib';
import { loadConfig } from '../src/config.ts';
import { withEmbedLease } from '../src/services/search/index.ts';
import { createLogger } from '../src/platform/index.ts';
import { openServices } from '../src/services/services.ts';
import { loadArxivCorpus, sampleQueries } from './lib/arxiv-corpus.ts';

const CORPUS = resolve(import.meta.dirname, '../../shared/data/arxiv-cs-2025-2026.jsonl.gz');
const { values } = parseArgs({
  options: { papers: { type: 'string', default: '20000' }, queries: { type: 'string', default: '300' } },
});
const say = (s: string): void => void process.stderr.write(`${s}\n`);

async function firstLines(n: number, to: string): Promise<void> {
  const out: string[] = [];
  const lines = createInterface({ input: createReadStream(CORPUS).pipe(createGunzip()) });
  for await (const line of lines) {
    if (line.trim() !== '') out.push(line);
    if (out.length >= n) break;
  }
  lines.close();
  writeFileSync(to, `${out.join('\n')}\n`);
}

function row(name: string, ms: number[]): string {
  const s = [...ms].sort((a, b) => a - b);
  const at = (q: number): string => (s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? 0).toFixed(2);
  return `| ${name} | ${s.length} | ${at(0.5)} | ${at(0.95)} | ${at(0.99)} | ${at(1)} | ${os.loadavg()[0]?.toFixed(1)} |`;
}

async function main(): Promise<void> {
  const n = Number(values.papers);
  const dir = mkdtempSync(join(tmpdir(), 'paperboy-auto-train-bench-'));
  try {
    await firstLines(n, join(dir, 'papers.jsonl'));
    const services = await openServices(
      loadConfig({
        ...process.env,
        DATABASE_URL: join(dir, 'bench.db'),
        LOG_LEVEL: 'silent',
        PAPERBOY_AUTO_TRAIN_PAPERS: String(n),
      }),
    );
    await services.imports.ingest(join(dir, 'papers.jsonl'), {});
    const docs = (await loadArxivCorpus(CORPUS)).slice(0, n);
    const queries = sampleQueries(docs, Number(values.queries), 42);
    for (const q of queries.slice(0, 50)) await services.search.search(q, { k: 10 });
    let phase = 'before';
    const times = new Map<string, number[]>();
    const once = async (q: string): Promise<void> => {
      await new Promise((r) => setImmediate(r));
      const t = performance.now();
      await services.search.search(q, { k: 10 });
      const list = times.get(phase) ?? [];
      list.push(performance.now() - t);
      times.set(phase, list);
    };
    for (const q of queries) await once(q);
    const log = createLogger('info', (l) => {
      say(l);
      if (l.includes('embedding every paper')) phase = 'during: embedding';
      // On a busy machine the low-priority trainer may take long: each progress line shows the figures so far.
      if (l.includes('semantic model training:')) say(row(`${phase}, so far`, times.get(phase) ?? []));
    });
    const autoTrain = services.autoTrain(log);
    if (autoTrain === null) throw new Error('auto-training is off');
    phase = 'during: training';
    const t0 = performance.now();
    let done = false;
    const job = withEmbedLease(services.jobLease('embed'), () =>
      autoTrain(new AbortController().signal),
    ).finally(() => (done = true));
    for (let i = 0; !done; i++) await once(queries[i % queries.length] ?? '');
    say(`auto-train pass: ${await job} in ${((performance.now() - t0) / 1000).toFixed(0)} s`);
    phase = 'after (hybrid)';
    for (const q of queries) await once(q);
    console.log(`${n} papers, ${os.cpus().length} cores`);
    console.log('| phase | searches | p50 ms | p95 ms | p99 ms | max ms | load at end |');
    console.log('|---|---:|---:|---:|---:|---:|---:|');
    for (const [name, ms] of times) console.log(row(name, ms));
    await services.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
