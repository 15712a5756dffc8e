// Store-call benchmark: CPU per call of the read queries the web and digest paths make most, on one engine,
// so a query builder's cost per call shows without a server or SMTP in the way. Read-only on the store given.
// Usage: node --import tsx bench/store-calls.bench.ts --db <prepared store: file or postgres:// URL> [--rounds 2000]
import { parseArgs } from 'node:util';
import { openStore } from '../src/store/db.ts';

const { values } = parseArgs({
  options: { db: { type: 'string' }, rounds: { type: 'string', default: '2000' } },
});
if (values.db === undefined) throw new Error('--db is required (a prepared store: the 75k corpus)');
const store = await openStore(values.db);
const rounds = Number(values.rounds);
const newest = (await store.papers.newest({ limit: 50 })).map((p) => p.id);
const day = (await store.listings.latestDay('2099-01-01')) ?? '2026-07-01';
const from = `${day.slice(0, 8)}01`;
const calls: [string, () => Promise<unknown>][] = [
  ['sessions.get', () => store.sessions.get('no-such-token')],
  ['users.get', () => store.users.get(1)],
  ['votes.counts (50 ids)', () => store.votes.counts(newest)],
  ['library.savedAmong (50 ids)', () => store.library.savedAmong(1, newest)],
  ['digest.sentAmong (50 ids)', () => store.digest.sentAmong(1, newest)],
  ['listings.windowIds (a day)', () => store.listings.windowIds({ from: day, to: `${day}\uffff` })],
  ['listings.byCategory (20)', () => store.listings.byCategory('cs.DL', 20, 0)],
  ['listings.neighbours', () => store.listings.neighbours(day)],
  ['forYou.windowPapers (a month)', () => store.forYou.windowPapers(from, `${day}\uffff`, 5000)],
];
const out: Record<string, number> = {};
for (const [name, call] of calls) {
  // Warm: prepared statements, and JIT for both the queries and the code that builds them.
  for (let i = 0; i < Math.max(200, rounds / 2); i++) await call();
  const cpu = process.cpuUsage();
  for (let i = 0; i < rounds; i++) await call();
  const d = process.cpuUsage(cpu);
  out[name] = Number(((d.user + d.system) / 1000 / rounds).toFixed(4)); // CPU ms per call
}
await store.close();
console.log(JSON.stringify(out));
