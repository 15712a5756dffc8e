// In-process A/B on PostgreSQL: the shared (Kysely, compiled once) `users.get` and `listings.byCategory`
// against the hand-written ones of a pre-Kysely checkout, both on one pool and one database, alternated in
// rounds so the load of the machine hits both alike; CPU and wall µs per call, medians over the rounds.
// Usage: node --import tsx bench/pg-reads-ab.bench.ts --db postgres://…/<prepared store> --hand /tmp/before
// [--rounds 9 --calls 2000] (--hand: a checkout whose src/store/postgres/ still has users.repo.ts and
// listings.repo.ts; the database is only read, apart from 100 accounts added when it has none).
import { parseArgs } from 'node:util';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createPgPool, type PgDb } from '../src/store/postgres/pg-db.ts';
import { postgresQueryDb } from '../src/store/kysely/query-db.ts';
import { createUserRepo } from '../src/store/shared/users.repo.ts';
import { createListingRepo } from '../src/store/shared/listings.repo.ts';
import type { ListingRepo, UserRepo } from '../src/store/store.ts';

const { values } = parseArgs({
  options: {
    db: { type: 'string' },
    hand: { type: 'string' },
    rounds: { type: 'string', default: '9' },
    calls: { type: 'string', default: '2000' },
  },
});
if (values.db === undefined || values.hand === undefined) throw new Error('--db and --hand are required');
const handDir = join(resolve(values.hand), 'src/store/postgres');
const handUsers = (await import(pathToFileURL(join(handDir, 'users.repo.ts')).href)) as {
  createPgUserRepo(db: PgDb, now: () => Date): UserRepo;
};
const handListings = (await import(pathToFileURL(join(handDir, 'listings.repo.ts')).href)) as {
  createPgListingRepo(db: PgDb): ListingRepo;
};

const pool = createPgPool(values.db, 10);
const now = () => new Date();
const q = postgresQueryDb(pool);
const shared = { users: createUserRepo(q, now), listings: createListingRepo(q, async () => 0) };
const hand = {
  users: handUsers.createPgUserRepo(pool, now),
  listings: handListings.createPgListingRepo(pool),
};

if ((await shared.users.count()) === 0)
  for (let i = 0; i < 100; i++)
    await shared.users.create(`ab${i}@bench.invalid`, `Reader ${i}`, 'not-a-hash');
const ids = (await pool.query<{ id: number }>('SELECT id FROM users ORDER BY id LIMIT 100')).rows.map(
  (r) => r.id,
);
const cats = (
  await pool.query<{ category: string }>(
    'SELECT category FROM paper_categories GROUP BY category ORDER BY count(*) DESC LIMIT 8',
  )
).rows.map((r) => r.category);

type Impl = typeof shared;
let n = 0;
const calls: Record<string, { per: number; call: (r: Impl) => Promise<unknown> }> = {
  'users.get': { per: Number(values.calls), call: (r) => r.users.get(ids[n++ % ids.length] ?? 1) },
  'listings.byCategory (20)': {
    per: Math.max(50, Number(values.calls) / 10),
    call: (r) => r.listings.byCategory(cats[n++ % cats.length] ?? 'cs.LG', 20, (n % 5) * 20),
  },
};

// Both give the same answers (the comparison is only fair if they do the same work).
for (const [name, { call }] of Object.entries(calls)) {
  n = 0;
  const a = JSON.stringify(await call(shared));
  n = 0;
  const b = JSON.stringify(await call(hand));
  if (a !== b) throw new Error(`${name}: the shared and hand-written answers differ`);
}

const med = (xs: number[]) => [...xs].sort((x, y) => x - y)[xs.length >> 1] ?? NaN;
for (const [name, { per, call }] of Object.entries(calls)) {
  const res = {
    shared: { cpu: [] as number[], wall: [] as number[] },
    hand: { cpu: [] as number[], wall: [] as number[] },
  };
  for (let r = 0; r < Number(values.rounds); r++)
    for (const [label, impl] of [
      ['shared', shared],
      ['hand', hand],
    ] as const) {
      for (let i = 0; i < per / 5; i++) await call(impl); // warm-up: JIT and pg's parsed statements
      const c0 = process.cpuUsage();
      const w0 = performance.now();
      for (let i = 0; i < per; i++) await call(impl);
      const d = process.cpuUsage(c0);
      res[label].cpu.push((d.user + d.system) / per);
      res[label].wall.push(((performance.now() - w0) * 1000) / per);
    }
  const [sc, sw, hc, hw] = [med(res.shared.cpu), med(res.shared.wall), med(res.hand.cpu), med(res.hand.wall)];
  console.log(
    `${name}: shared CPU ${sc.toFixed(1)} / wall ${sw.toFixed(1)} µs, hand CPU ${hc.toFixed(1)} / wall ${hw.toFixed(1)} µs, ` +
      `shared/hand CPU ${(sc / hc).toFixed(2)}, wall ${(sw / hw).toFixed(2)} (${values.rounds} rounds of ${per})`,
  );
}
await pool.end();
