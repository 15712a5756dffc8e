// The cost of one `similar` request (issue 23: p99 ≤ 30 ms) on a finished store, in this process: opens the
// search services over DATABASE_URL's store like serve (snapshots, vectors, model), then times `similar` for
// papers spread over the store, and prints the time quantiles and a digest of the answers (to compare two trees'
// answers: the same digest, the same results).
// Usage: DATABASE_URL=/tmp/x/paperboy.db npm run bench:similar-request -- [--requests 400] [--k 10] [--warmup 50]
//        [--answers FILE]   (each paper's answer ids as JSON, to compare two trees' answers paper by paper)
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { loadConfig } from '../src/config.ts';
import { openSearchServices } from '../src/services/search-services.ts';
import { quantiles } from './lib/serve-load.ts';

const { values: args } = parseArgs({
  options: {
    requests: { type: 'string', default: '400' },
    warmup: { type: 'string', default: '50' },
    k: { type: 'string', default: '10' },
    answers: { type: 'string' },
  },
});

const services = await openSearchServices(loadConfig());
await services.searchIndexes.open();
const embedder = await services.semantic.current().catch(() => null);
await services.searchIndexes.useModel(embedder?.model ?? null, embedder?.dimension ?? 0);
const ids: string[] = [];
for (const hit of (await services.search.search('learning', { mode: 'lexical', k: 100 })).hits)
  ids.push(hit.paper.id);
for (const hit of (await services.search.search('graph networks', { mode: 'lexical', k: 100 })).hits)
  ids.push(hit.paper.id);
const k = Number(args.k);
const warmup = Number(args.warmup);
const n = Number(args.requests);
const digest = createHash('sha256');
const ms: number[] = [];
const answers: Record<string, string[]> = {};
// CPU time too: on a loaded machine the wall times also count the wait for a core.
let cpuMicros = 0;
for (let i = 0; i < warmup + n; i++) {
  const id = ids[i % ids.length] ?? '';
  const t = performance.now();
  const cpu = process.cpuUsage();
  const hits = await services.search.similar(id, k);
  const took = performance.now() - t;
  const used = process.cpuUsage(cpu);
  if (i < warmup) continue;
  ms.push(took);
  cpuMicros += used.user + used.system;
  digest.update(`${id}:${hits.map((h) => h.paper.id).join(',')}\n`);
  answers[id] = hits.map((h) => h.paper.id);
}
if (args.answers !== undefined) writeFileSync(args.answers, JSON.stringify(answers));
const q = quantiles(ms);
process.stdout.write(
  `${JSON.stringify({ requests: n, k, p50Ms: q.p50, p95Ms: q.p95, p99Ms: q.p99, cpuMsPerRequest: Number((cpuMicros / 1000 / n).toFixed(2)), answers: digest.digest('hex').slice(0, 16) })}\n`,
);
await services.close();
