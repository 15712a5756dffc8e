// For you in process over a store (#23: on PostgreSQL 7–9× SQLite's time at 300k): opens the services with the given
// INDEX_DIR, asks For you for one day for reader `--user` 10 times to warm, then `--requests` times, and prints the
// p50/p95 and, per store call, how many a request made and their summed milliseconds (round trips on PostgreSQL).
// Usage: DATABASE_URL=postgres://… INDEX_DIR=… npx tsx bench/foryou-pg.bench.ts --user 1 [--requests 30]
import { parseArgs } from 'node:util';
import { loadConfig } from '../src/config.ts';
import { createServices } from '../src/services/services.ts';
import { openStore } from '../src/store/db.ts';
import { quantiles } from './lib/serve-load.ts';

const { values: args } = parseArgs({
  options: { user: { type: 'string', default: '1' }, requests: { type: 'string', default: '30' } },
});
const env = {
  DATABASE_URL: process.env.DATABASE_URL ?? '',
  INDEX_DIR: process.env.INDEX_DIR ?? '',
  PAPERBOY_SECRET: 'scale-bench-secret-0123456789abcdef0123456789ab',
  LOG_LEVEL: 'warn',
};
const store = await openStore(env.DATABASE_URL);
const calls = new Map<string, number[]>();
for (const [repo, obj] of Object.entries(store)) {
  if (typeof obj !== 'object' || obj === null) continue;
  const methods = obj as Record<string, unknown>;
  for (const [name, f] of Object.entries(methods)) {
    if (typeof f !== 'function') continue;
    methods[name] = async (...a: unknown[]): Promise<unknown> => {
      const t = performance.now();
      try {
        return await (f as (...x: unknown[]) => unknown).apply(obj, a);
      } finally {
        const key = `${repo}.${name}`;
        calls.set(key, [...(calls.get(key) ?? []), performance.now() - t]);
      }
    };
  }
}
const services = createServices(store, loadConfig(env));
try {
  await services.searchIndexes.open();
  const user = Number(args.user);
  const n = Number(args.requests);
  for (let i = 0; i < 10; i++) await services.forYou.forYou(user, { days: 1 });
  calls.clear();
  const ms: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await services.forYou.forYou(user, { days: 1 });
    ms.push(performance.now() - t);
  }
  const perCall = Object.fromEntries(
    [...calls].map(([k, v]) => [
      k,
      { perRequest: v.length / n, ms: Number((v.reduce((a, b) => a + b, 0) / n).toFixed(1)) },
    ]),
  );
  const q = quantiles(ms);
  console.log(JSON.stringify({ forYouP50Ms: q.p50, forYouP95Ms: q.p95, storeCalls: perCall }));
} finally {
  await services.close();
}
