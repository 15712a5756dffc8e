// The scheduled topic recompute over a real store and trained model: due only in its hour every N days, run
// by one of two nodes sharing the database (job lease), progress in the log, and an interrupted run resumed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/db.ts';
import type { Store } from '../../src/store/store.ts';
import { createJobLease } from '../../src/platform/job-lease.ts';
import { createLogger } from '../../src/platform/logger.ts';
import { createTopicsService, isDue, startTopicsScheduler } from '../../src/services/topics/index.ts';
import { topicCorpus } from '../fixtures/topic-corpus.ts';
import { readerEnv, type ReaderEnv } from '../helpers/reader-env.ts';

let env: ReaderEnv;
let other: Store;
/** One clock for both connections (lease expiry is judged by the store's clock). */
const now = (): Date => env.clock.now();
const setClock = (iso: string): void => env.clock.set(iso);

beforeAll(async () => {
  env = await readerEnv();
  setClock('2026-07-06T03:05:00Z');
  await env.addPapers(topicCorpus(30).papers);
  await env.services.semantic.train({ epochs: 2, dim: 32 });
  await env.services.semantic.embed();
  other = await openStore(env.temp.path, { now });
}, 90_000);
afterAll(async () => {
  await other.close();
  await env.cleanup();
});

/** One node: its own connection, topics service, lease and log lines. */
function node(store: Store, name: string) {
  const lines: string[] = [];
  const log = createLogger('info', (l) => lines.push(l));
  const model = async (): Promise<string | null> => (await env.services.semantic.current())?.model ?? null;
  const topics = createTopicsService({ store, model, now });
  const lease = createJobLease({ leases: store.leases, name: 'topics', holder: name, ttlMs: 60_000 });
  const scheduler = startTopicsScheduler(
    { everyDays: 7, hourUtc: 3 },
    { topics, log, now, lease, setTimer: () => ({}), clearTimer: () => undefined },
  );
  return { lines, topics, scheduler };
}

describe('scheduled topic recompute', () => {
  it('is due in its hour once the days have passed, or at once when a run was interrupted', () => {
    const s = { everyDays: 7, hourUtc: 3 };
    const never = { finishedAt: null, interrupted: false };
    expect(isDue(s, never, new Date('2026-07-06T03:00:00Z'))).toBe(true);
    expect(isDue(s, never, new Date('2026-07-06T04:00:00Z'))).toBe(false);
    const lastWeek = { finishedAt: new Date('2026-07-06T03:20:00Z'), interrupted: false };
    expect(isDue(s, lastWeek, new Date('2026-07-12T03:10:00Z'))).toBe(false); // six days
    expect(isDue(s, lastWeek, new Date('2026-07-13T03:10:00Z'))).toBe(true); // seven, less the slack
    expect(isDue(s, { ...lastWeek, interrupted: true }, new Date('2026-07-07T15:00:00Z'))).toBe(true);
    expect(isDue({ everyDays: 0, hourUtc: 3 }, never, new Date('2026-07-06T03:00:00Z'))).toBe(false);
  });

  it('runs on one of two nodes, logs its progress, and is not due again the next day', async () => {
    const a = node(env.temp.store, 'node-a');
    const b = node(other, 'node-b');
    const [ra, rb] = await Promise.all([a.scheduler.tick(), b.scheduler.tick()]);
    const ran = [ra, rb].filter((r) => r !== null);
    expect(ran).toHaveLength(1);
    expect(ran[0]).toMatchObject({ status: 'done', papers: 120 });
    const lines = [...a.lines, ...b.lines];
    expect(lines.filter((l) => l.includes('scheduled recompute starting'))).toHaveLength(1);
    for (const phase of ['load vectors', 'cluster, pass 1', 'name topics', 'lay out the map', 'save'])
      expect(
        lines.some((l) => l.includes(`topics: ${phase} `)),
        phase,
      ).toBe(true);
    expect(lines.some((l) => /topics: recomputed \d+ topics over 120 papers/.test(l))).toBe(true);
    expect((await env.temp.store.topics.list()).length).toBeGreaterThan(1);
    expect(await env.temp.store.leases.current('topics')).toBeNull(); // released after the run
    setClock('2026-07-07T03:05:00Z');
    expect(await a.scheduler.tick()).toBeNull();
    expect(await b.scheduler.tick()).toBeNull();
    await Promise.all([a.scheduler.stop(), b.scheduler.stop()]);
  });

  it('stops with serve mid-run and resumes from the checkpoint at the next look, whatever the hour', async () => {
    setClock('2026-07-14T03:01:00Z');
    const a = node(env.temp.store, 'node-a');
    const stopping: Promise<void>[] = [];
    // Stop as soon as the clustering has saved its first checkpoint (the log says the second pass began).
    const started = a.scheduler.tick();
    const waitForPass2 = async (): Promise<void> => {
      while (!a.lines.some((l) => l.includes('cluster, pass 2'))) await new Promise((r) => setImmediate(r));
      stopping.push(a.scheduler.stop());
    };
    await Promise.all([started, waitForPass2()]);
    await Promise.all(stopping);
    expect(await started).toMatchObject({ status: 'interrupted' });
    expect(a.lines.some((l) => l.includes('recompute interrupted'))).toBe(true);
    setClock('2026-07-14T11:00:00Z'); // not the scheduled hour: resuming does not wait for it
    const b = node(other, 'node-b');
    const resumed = await b.scheduler.tick();
    expect(resumed).toMatchObject({ status: 'done', resumed: true });
    await b.scheduler.stop();
  });
});
