// For you on a PostgreSQL store (#23: 7–9× slower than on SQLite at 300k): one serve node on DATABASE_URL with the
// given INDEX_DIR, a reader with 20 saved papers, then For you for one day, warmed and timed; prints one JSON line.
// Usage: DATABASE_URL=postgres://… npx tsx bench/foryou-pg.bench.ts --index DIR [--requests 100]
import { parseArgs } from 'node:util';
import { startServe } from '../test/helpers/serve-process.ts';
import { SERVE_NODE_FLAGS } from './lib/serve-flags.ts';
import { prepareReader, quantiles, timed } from './lib/serve-load.ts';

const { values: args } = parseArgs({
  options: { index: { type: 'string' }, requests: { type: 'string', default: '100' } },
});
const url = process.env.DATABASE_URL ?? '';
if (args.index === undefined || !url.startsWith('postgres'))
  throw new Error('usage: DATABASE_URL=postgres://… --index DIR');
const env = {
  DATABASE_URL: url,
  PAPERBOY_SECRET: 'scale-bench-secret-0123456789abcdef0123456789ab',
  LOG_LEVEL: 'warn',
  PAPERBOY_HARVEST: 'false',
  INDEX_DIR: args.index,
  ...(process.env.INDEX_SEED_DIR ? { INDEX_SEED_DIR: process.env.INDEX_SEED_DIR } : {}),
};
const token = await prepareReader(env, 'foryou-pg');
const t0 = performance.now();
const server = await startServe(env, 600_000, [], SERVE_NODE_FLAGS);
try {
  const auth = { authorization: `Bearer ${token}` };
  for (;;) {
    const r = await fetch(`${server.base}/api/search?mode=lexical&q=learning`);
    await r.arrayBuffer();
    if (r.status === 200) break;
  }
  const ready = (performance.now() - t0) / 1000;
  for (let i = 0; i < 10; i++) await timed(`${server.base}/api/foryou?days=1`, auth);
  const ms: number[] = [];
  for (let i = 0; i < Number(args.requests); i++)
    ms.push(await timed(`${server.base}/api/foryou?days=1`, auth));
  const q = quantiles(ms);
  console.log(
    JSON.stringify({ readySeconds: Number(ready.toFixed(1)), forYouP50Ms: q.p50, forYouP95Ms: q.p95 }),
  );
} finally {
  await server.stop();
}
