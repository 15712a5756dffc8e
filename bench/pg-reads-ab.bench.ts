// In-process A/B on PostgreSQL: the shared (Kysely, compiled once) `users.get` and `listings.byCategory`
// against the hand-written ones of a pre-Kysely checkout, both on one pool and one database, alternated in
// rounds so the load of the machine hits both alike; CPU and wall µs per call, medians over the rounds, with
// a second instance of the hand-written one as the control (its ratio to the first is the noise).
// Usage: node --import tsx bench/pg-reads-ab.bench.ts --db postgres://…/<prepared store> --hand /tmp/before
// [--rounds 9 --calls 2000 --only users.get] (--hand: a checkout whose src/store/postgres/ still has users.repo.ts and
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
    only: { type: 'string' },
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
// A second instance of the hand-written repositories: hand ÷ hand again is the noise of this measurement.
const handAgain = {
  users: handUsers.createPgUserRepo(pool, now),
  listings: handListings.createPgListingRepo(pool),
};
const variants: [string, Impl][] = [
  ['shared', shared],
  ['hand', hand],
  ['hand again', handAgain],
];
for (const [name, { per, call }] of Object.entries(calls)) {
  if (values.only !== undefined && !name.includes(values.only)) continue;
  const cpu = new Map<string, number[]>(variants.map(([v]) => [v, []]));
  const wall = new Map<string, number[]>(variants.map(([v]) => [v, []]));
  for (let r = 0; r < Number(values.rounds); r++)
    // The order rotates each round, so no variant runs first (or after another's garbage) more often.
    for (let k = 0; k < variants.length; k++) {
      const [label, impl] = variants[(r + k) % variants.length]!;
      for (let i = 0; i < per / 5; i++) await call(impl); // warm-up: JIT and pg's parsed statements
      const c0 = process.cpuUsage();
      const w0 = performance.now();
      for (let i = 0; i < per; i++) await call(impl);
      const d = process.cpuUsage(c0);
      cpu.get(label)!.push((d.user + d.system) / per);
      wall.get(label)!.push(((performance.now() - w0) * 1000) / per);
    }
  const c = (v: string) => med(cpu.get(v)!);
  const w = (v: string) => med(wall.get(v)!);
  console.log(
    `${name} (${values.rounds} rounds of ${per}), CPU / wall µs per call: ` +
      variants.map(([v]) => `${v} ${c(v).toFixed(1)} / ${w(v).toFixed(1)}`).join(', ') +
      `; shared ÷ hand ${(c('shared') / c('hand')).toFixed(2)} / ${(w('shared') / w('hand')).toFixed(2)}` +
      `, hand again ÷ hand ${(c('hand again') / c('hand')).toFixed(2)} / ${(w('hand again') / w('hand')).toFixed(2)}`,
  );
}
await pool.end();
