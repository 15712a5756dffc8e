// In-process A/B on PostgreSQL: the shared (Kysely) outbox enqueue against the hand-written one, same pool,
// alternated in rounds; CPU and wall µs per call, 10 papers a digest (the bench:digest average).
// Usage: node --import tsx bench/digest-enqueue.bench.ts (needs PAPERBOY_TEST_PG_URL; makes and drops its database)
import { createPgPool } from '../src/store/postgres/pg-db.ts';
import { migratePostgres } from '../src/store/postgres/migrate.ts';
import { postgresQueryDb } from '../src/store/kysely/query-db.ts';
import { createDigestRepo } from '../src/store/shared/digest.repo.ts';
import { pgDigestEnqueue } from '../src/store/postgres/digest-enqueue.ts';
import { createTestDatabase, releaseTestPostgresServer } from '../test/helpers/postgres.ts';
const t = await createTestDatabase();
const pool = createPgPool(t.url, 10);
const now = () => new Date('2026-07-01T06:00:00Z');
await migratePostgres(pool, t.url, now);
const shared = createDigestRepo(postgresQueryDb(pool), now, async () => []);
const impl = { shared: shared.enqueue, hand: pgDigestEnqueue(pool, now) };
const subs: number[] = [];
for (let i = 0; i < 200; i++) subs.push((await shared.upsertPending(`s${i}@b.invalid`, null, `h${i}`)).id);
let n = 0;
const call = (f: typeof impl.shared) => {
  const k = n++;
  const sub = subs[k % subs.length]!;
  const content = {
    sections: [{ kind: 'trending', paperIds: Array.from({ length: 10 }, (_, j) => `2607.${k}.${j}`) }],
  } as never;
  return f(sub, `d${k}`, `<m${k}@b>`, content);
};
const res: Record<keyof typeof impl, { cpu: number[]; wall: number[] }> = {
  shared: { cpu: [], wall: [] },
  hand: { cpu: [], wall: [] },
};
for (let r = 0; r < 7; r++)
  for (const [name, f] of Object.entries(impl)) {
    for (let i = 0; i < 200; i++) await call(f);
    const c0 = process.cpuUsage();
    const w0 = performance.now();
    for (let i = 0; i < 1000; i++) await call(f);
    const d = process.cpuUsage(c0);
    res[name as keyof typeof impl].cpu.push((d.user + d.system) / 1000);
    res[name as keyof typeof impl].wall.push(((performance.now() - w0) * 1000) / 1000);
  }
const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;
for (const [k, v] of Object.entries(res))
  console.log(`${k}: CPU µs ${med(v.cpu).toFixed(0)}, wall µs ${med(v.wall).toFixed(0)}`);
console.log(
  `shared/hand CPU ${(med(res.shared.cpu) / med(res.hand.cpu)).toFixed(2)}, wall ${(med(res.shared.wall) / med(res.hand.wall)).toFixed(2)}`,
);
await pool.end();
await t.drop();
await releaseTestPostgresServer();
