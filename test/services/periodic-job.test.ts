// The loop behind serve's digest and topics jobs: one pass at a time, timed from the end of the last, stoppable.
import { describe, expect, it } from 'vitest';
import { startPeriodicJob } from '../../src/platform/index.ts';

/** Timers a test fires by hand: `fire()` runs the pending one. */
function manualTimers(): {
  hooks: { setTimer(fn: () => void, ms: number): object; clearTimer(t: unknown): void };
  pending: { fn: () => void; ms: number }[];
  cleared: number;
} {
  const state = { pending: [] as { fn: () => void; ms: number }[], cleared: 0 };
  return {
    get pending() {
      return state.pending;
    },
    get cleared() {
      return state.cleared;
    },
    hooks: {
      setTimer(fn, ms) {
        const t = { fn, ms };
        state.pending.push(t);
        return t;
      },
      clearTimer(t) {
        state.pending = state.pending.filter((p) => p !== t);
        state.cleared++;
      },
    },
  };
}

describe('startPeriodicJob', () => {
  it('runs one pass at a time: a tick during a pass joins it', async () => {
    let release: () => void = () => {};
    let passes = 0;
    const job = startPeriodicJob(
      async () => {
        passes++;
        await new Promise<void>((r) => (release = r));
        return passes;
      },
      1000,
      manualTimers().hooks,
    );
    const a = job.tick();
    const b = job.tick();
    release();
    expect(await a).toBe(1);
    expect(await b).toBe(1);
    expect(passes).toBe(1);
    await job.stop();
  });

  it('times the next pass from the end of the last, at the interval', async () => {
    const timers = manualTimers();
    let passes = 0;
    const job = startPeriodicJob(async () => void passes++, 60_000, timers.hooks);
    expect(timers.pending.map((t) => t.ms)).toEqual([60_000]);
    const first = timers.pending.shift()!;
    first.fn();
    await new Promise((r) => setImmediate(r));
    expect(passes).toBe(1);
    expect(timers.pending.map((t) => t.ms)).toEqual([60_000]);
    await job.stop();
  });

  it('stop clears the timer, aborts the pass and waits for it to end', async () => {
    const timers = manualTimers();
    let ended = false;
    const job = startPeriodicJob(
      async (signal) => {
        await new Promise<void>((r) => signal.addEventListener('abort', () => r()));
        ended = true;
      },
      1000,
      timers.hooks,
    );
    void job.tick();
    await job.stop();
    expect(ended).toBe(true);
    expect(timers.cleared).toBe(1);
    expect(timers.pending).toHaveLength(0);
  });

  it('when disabled, sets no timer but still runs a pass on tick', async () => {
    const timers = manualTimers();
    let passes = 0;
    const job = startPeriodicJob(async () => void passes++, 1000, timers.hooks, false);
    expect(timers.pending).toHaveLength(0);
    await job.tick();
    expect(passes).toBe(1);
    await job.stop();
  });
});
