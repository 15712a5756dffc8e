// Store-call benchmark of the discussion and collections on one engine: CPU and wall time per call of what a
// paper page reads (its thread, the reader's comment votes, comment counts of cards, collections holding it)
// and of posting a comment (one transaction that also notifies the paper's savers), on a fresh store.
// Usage: node --import tsx bench/discussion-store.bench.ts [-- --engine sqlite|postgres --rounds 2000]
// (postgres needs PAPERBOY_TEST_PG_URL; the bench creates and drops its own database).
import { parseArgs } from 'node:util';
import { createPostgresStore } from '../src/store/postgres/pg-store.ts';
import type { Store } from '../src/store/store.ts';
import { createTestDatabase, releaseTestPostgresServer } from '../test/helpers/postgres.ts';
import { paper, tempStore } from '../test/helpers/temp-store.ts';

const { values } = parseArgs({
  options: { engine: { type: 'string', default: 'sqlite' }, rounds: { type: 'string', default: '2000' } },
});
const rounds = Number(values.rounds);

async function open(): Promise<{ store: Store; close(): Promise<void> }> {
  if (values.engine === 'sqlite') {
    const t = await tempStore();
    return { store: t.store, close: () => t.cleanup() };
  }
  const db = await createTestDatabase();
  const store = await createPostgresStore(db.url, () => new Date());
  return {
    store,
    async close() {
      await store.close();
      await db.drop();
      await releaseTestPostgresServer();
    },
  };
}

const { store, close } = await open();
try {
  const P = '2607.00001';
  const cards = Array.from({ length: 50 }, (_, i) => `2607.1${String(i).padStart(4, '0')}`);
  await store.papers.upsertMany([
    paper({ arxivId: P, title: 'A discussed paper', announced: '2026-07-01' }),
    ...cards.map((id, i) => paper({ arxivId: id, title: `Card ${i}`, announced: '2026-07-01' })),
  ]);
  const users: number[] = [];
  for (let u = 0; u < 40; u++)
    users.push((await store.users.create(`c${u}@bench.invalid`, `C ${u}`, 'x'))!.id);
  // Five readers saved the paper: every new comment notifies them.
  for (const u of users.slice(0, 5)) await store.library.save(u, P, []);
  const ids: number[] = [];
  for (let i = 0; i < 200; i++) {
    const parentId = i % 3 === 2 ? (ids[(i * 7) % ids.length] ?? null) : null;
    const c = await store.discussion.add({
      paperId: P,
      userId: users[i % 40]!,
      parentId,
      body: `Comment ${i}`,
    });
    ids.push(c!.id);
  }
  for (const id of ids.slice(0, 60)) await store.discussion.vote(users[0]!, id, true, 0);
  const col = (await store.collections.create({
    slug: 'bench-1',
    userId: users[1]!,
    title: 'Bench',
    description: '',
    public: true,
  }))!;
  for (const id of [P, ...cards.slice(0, 20)]) await store.collections.putPaper(col.id, id, 'note');
  let n = 0;
  const calls: [string, () => Promise<unknown>][] = [
    ['discussion.forPaper (200 comments)', () => store.discussion.forPaper(P)],
    ['discussion.votedAmong (200 ids)', () => store.discussion.votedAmong(users[0]!, ids)],
    ['discussion.counts (50 cards)', () => store.discussion.counts(cards)],
    ['discussion.unreadCount', () => store.discussion.unreadCount(users[2]!)],
    [
      'discussion.add (notifies 5 savers)',
      () =>
        store.discussion.add({
          paperId: cards[n++ % 50]!,
          userId: users[7]!,
          parentId: null,
          body: 'Posted',
        }),
    ],
    ['discussion.vote (toggle)', () => store.discussion.vote(users[3]!, ids[0]!, n++ % 2 === 0, 0)],
    ['collections.publicWithPaper', () => store.collections.publicWithPaper(P, 5)],
    ['collections.entries (21 papers)', () => store.collections.entries(col.id)],
    ['collections.putPaper (note)', () => store.collections.putPaper(col.id, P, `note ${n++}`)],
  ];
  const out: Record<string, { cpuUs: number; wallUs: number }> = {};
  for (const [name, call] of calls) {
    // Warm: prepared statements, and JIT for both the queries and the code around them.
    for (let i = 0; i < Math.max(200, rounds / 4); i++) await call();
    const cpu = process.cpuUsage();
    const t = performance.now();
    for (let i = 0; i < rounds; i++) await call();
    const wall = performance.now() - t;
    const d = process.cpuUsage(cpu);
    out[name] = {
      cpuUs: Math.round((d.user + d.system) / rounds),
      wallUs: Math.round((wall * 1000) / rounds),
    };
  }
  console.log(`engine ${values.engine}, ${rounds} calls each (per call: CPU µs, wall µs)`);
  for (const [name, r] of Object.entries(out)) console.log(`| ${name} | ${r.cpuUs} | ${r.wallUs} |`);
} finally {
  await close();
}
