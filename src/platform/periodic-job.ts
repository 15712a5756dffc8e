// Runs one job again and again inside `serve`: a pass every interval, never two at once, `tick()` to run one now
// (tests drive it with injected timers), and a stop that waits for the pass in progress.

/** Timer functions a test may replace; the defaults are setTimeout and clearTimeout. */
export interface TimerHooks {
  setTimer?: (fn: () => void, ms: number) => { unref?(): unknown };
  clearTimer?: (t: unknown) => void;
}

export interface PeriodicJob<T> {
  /** Runs a pass now, or joins the one in progress. */
  tick(): Promise<T>;
  /** Stops the timer, aborts `signal` and waits for the pass in progress. */
  stop(): Promise<void>;
}

/**
 * Starts the loop: the next pass is timed from the end of the last, so a slow pass never overlaps the next.
 * The pass must not throw (each job logs its own failures). With `enabled` false only `tick()` runs passes.
 * @example const job = startPeriodicJob((signal) => sendDue(signal), 60_000); await job.stop();
 */
export function startPeriodicJob<T>(
  pass: (signal: AbortSignal) => Promise<T>,
  intervalMs: number,
  hooks: TimerHooks = {},
  enabled = true,
): PeriodicJob<T> {
  const setTimer = hooks.setTimer ?? ((fn, ms) => setTimeout(fn, ms));
  const clearTimer = hooks.clearTimer ?? ((t) => clearTimeout(t as NodeJS.Timeout));
  const ac = new AbortController();
  let running: Promise<T> | null = null;
  let timer: unknown = null;
  const tick = (): Promise<T> => (running ??= pass(ac.signal).finally(() => (running = null)));
  const loop = (): void => {
    if (ac.signal.aborted || !enabled) return;
    const t = setTimer(() => void tick().then(loop), intervalMs);
    t.unref?.();
    timer = t;
  };
  loop();
  return {
    tick,
    async stop() {
      ac.abort();
      if (timer !== null) clearTimer(timer);
      await running;
    },
  };
}
