// Job leases over one SQLite file opened twice, as two nodes would: one holder at a time, renewal,
// expiry and take-over, and the harvest scheduler running a due harvest once across two nodes.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/db.ts';
import type { Store } from '../../src/store/store.ts';
import { createJobLease } from '../../src/platform/job-lease.ts';
import { startHarvestScheduler } from '../../src/services/ingest/harvest-scheduler.ts';
import type { HarvestService } from '../../src/services/ingest/harvest-service.ts';
import { createLogger } from '../../src/platform/logger.ts';
import { tempStore, type TempStore } from '../helpers/temp-store.ts';

describe('job leases across two connections to one database', () => {
  let t: TempStore;
  let other: Store;
  let clock = new Date('2026-11-29T06:00:00Z');
  const now = (): Date => clock;
  beforeEach(async () => {
    clock = new Date('2026-11-29T06:00:00Z');
    t = await tempStore(now);
    other = await openStore(t.path, { now });
  });
  afterEach(async () => {
    await other.close();
    await t.cleanup();
  });

  it('gives a free lease to one holder, renews it for that holder only, and frees it on release', async () => {
    expect(await t.store.leases.acquire('digest', 'node-a', 60_000)).toBe(true);
    expect(await other.leases.acquire('digest', 'node-b', 60_000)).toBe(false);
    expect((await other.leases.current('digest'))?.holder).toBe('node-a');
    clock = new Date(clock.getTime() + 30_000);
    expect(await t.store.leases.acquire('digest', 'node-a', 60_000)).toBe(true);
    const held = await other.leases.current('digest');
    expect(held?.until).toBe('2026-11-29T06:01:30.000Z');
    expect(held?.acquiredAt).toBe('2026-11-29T06:00:00.000Z');
    await other.leases.release('digest', 'node-b'); // not the holder: no effect
    expect((await t.store.leases.current('digest'))?.holder).toBe('node-a');
    await t.store.leases.release('digest', 'node-a');
    expect(await t.store.leases.current('digest')).toBeNull();
    expect(await other.leases.acquire('digest', 'node-b', 60_000)).toBe(true);
  });

  it('lets another node take a lease its holder let expire, and the old holder then loses it', async () => {
    expect(await t.store.leases.acquire('embed', 'node-a', 60_000)).toBe(true);
    clock = new Date(clock.getTime() + 59_999);
    expect(await other.leases.acquire('embed', 'node-b', 60_000)).toBe(false);
    clock = new Date(clock.getTime() + 1);
    expect(await t.store.leases.current('embed')).toBeNull();
    expect(await other.leases.acquire('embed', 'node-b', 60_000)).toBe(true);
    expect(await t.store.leases.acquire('embed', 'node-a', 60_000)).toBe(false);
    expect((await t.store.leases.current('embed'))?.acquiredAt).toBe(clock.toISOString());
  });

  it('keeps leases of different jobs apart', async () => {
    expect(await t.store.leases.acquire('harvest', 'node-a', 60_000)).toBe(true);
    expect(await other.leases.acquire('digest', 'node-b', 60_000)).toBe(true);
  });

  it('JobLease renews in the background while held and reports a lost lease', async () => {
    // The renewal timer is ticked by hand and the stores read the test's clock: no real waiting.
    const timers = new Map<string, { everyMs: number; renew: () => Promise<void>; stopped: boolean }>();
    const repeat = (holder: string) => (everyMs: number, renew: () => Promise<void>) => {
      const timer = { everyMs, renew, stopped: false };
      timers.set(holder, timer);
      return () => void (timer.stopped = true);
    };
    const tick = async (holder: string, ms: number): Promise<void> => {
      clock = new Date(clock.getTime() + ms);
      const timer = timers.get(holder);
      if (timer !== undefined && !timer.stopped) await timer.renew();
    };
    const lost: string[] = [];
    const la = createJobLease({
      leases: t.store.leases,
      name: 'job',
      holder: 'a',
      ttlMs: 600,
      repeat: repeat('a'),
    });
    const lb = createJobLease({
      leases: other.leases,
      name: 'job',
      holder: 'b',
      ttlMs: 600,
      onLost: () => lost.push('b'),
      repeat: repeat('b'),
    });
    expect(await la.tryHold()).toBe(true);
    expect(timers.get('a')?.everyMs).toBe(200);
    expect(await lb.tryHold()).toBe(false);
    for (let i = 0; i < 8; i++) await tick('a', 200); // 1.6 s, over 2 lease lengths: only renewal keeps it
    expect(await lb.tryHold()).toBe(false);
    expect((await other.leases.current('job'))?.holder).toBe('a');
    await la.release();
    expect(la.held()).toBe(false);
    expect(timers.get('a')?.stopped).toBe(true);
    expect(await lb.tryHold()).toBe(true);
    // Someone else steals it after expiry (as if b's node froze): b's renewal notices and stops.
    await other.leases.release('job', 'b');
    await t.store.leases.acquire('job', 'a', 60_000);
    await tick('b', 200);
    expect(lb.held()).toBe(false);
    expect(lost).toEqual(['b']);
    expect(timers.get('b')?.stopped).toBe(true);
    await lb.release();
  });

  it('lets an unrenewed lease lapse after one lease length', async () => {
    const la = createJobLease({
      leases: t.store.leases,
      name: 'job',
      holder: 'a',
      ttlMs: 600,
      repeat: () => () => {},
    });
    expect(await la.tryHold()).toBe(true);
    clock = new Date(clock.getTime() + 600);
    expect(await other.leases.acquire('job', 'b', 600)).toBe(true);
  });

  it('runs a first harvest once when two nodes start together, the second waiting for the first', async () => {
    const realNow = (): Date => new Date();
    const stores = [await openStore(t.path, { now: realNow }), await openStore(t.path, { now: realNow })];
    const calls: string[] = [];
    const log = createLogger('error', () => {});
    const LEASE_WAIT_MS = 50;
    // The harvest in progress lasts until the other node has found the lease taken and gone to wait (or, if
    // the lease let it through, until it harvests too); that node's wait ends when the harvest is recorded.
    let otherWaits = (): void => {};
    const otherWaiting = new Promise<void>((resolve) => (otherWaits = resolve));
    let harvested = (): void => {};
    const harvestRecorded = new Promise<void>((resolve) => (harvested = resolve));
    try {
      const schedulers = stores.map((s, i) => {
        const harvest = {
          async arxiv() {
            calls.push(`node-${i}`);
            const run = await s.runs.start('arxiv-api cs.CL');
            if (calls.length === 1) await otherWaiting;
            else otherWaits();
            const counts = { added: 1, updated: 0, unchanged: 0, rejected: 0 };
            await s.runs.finish(run.id, 'done', counts, []);
            harvested();
            return { status: 'done', ...counts };
          },
        } as unknown as HarvestService;
        return startHarvestScheduler(
          { categories: ['cs.CL'], hourUtc: 3, firstDays: 2 },
          {
            harvest,
            runs: s.runs,
            log,
            now: realNow,
            lease: createJobLease({ leases: s.leases, name: 'harvest', holder: `node-${i}`, ttlMs: 1000 }),
            leaseWaitMs: LEASE_WAIT_MS,
            // The lease wait ends on the recorded harvest instead of a clock; the daily timer never fires here.
            setTimer: (fn, ms) => {
              if (ms === LEASE_WAIT_MS) {
                otherWaits();
                void harvestRecorded.then(fn);
              }
              return {};
            },
            clearTimer: () => {},
          },
        );
      });
      await Promise.all(schedulers.map((s) => s.done));
      schedulers.forEach((s) => s.stop());
      expect(calls).toHaveLength(1);
      expect(await stores[0]!.leases.current('harvest')).toBeNull();
    } finally {
      for (const s of stores) await s.close();
    }
  });
});
