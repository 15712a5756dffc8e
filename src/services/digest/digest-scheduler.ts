// Runs the digest job inside `serve`: every minute, queue the digests now due in each subscriber's time zone and send them.
import { describeError } from '../../errors.ts';
import type { DigestDelivery } from './digest-delivery.ts';
import type { JobLease, Logger } from '../../platform/index.ts';

export interface DigestSchedulerDeps {
  delivery: DigestDelivery;
  log: Logger;
  /** How often to look (default 60 s); the clock itself is the delivery's. */
  intervalMs?: number;
  setTimer?: (fn: () => void, ms: number) => { unref?(): unknown };
  clearTimer?: (t: unknown) => void;
  /** With several nodes on one database, only the lease holder runs passes; another takes over when it dies. */
  lease?: JobLease;
}

/**
 * Starts the loop; `tick()` runs one pass at once (tests drive it with an injected clock). A failing pass
 * (mail server down) is logged once and retried at the next tick; it never throws into `serve`.
 * @example const s = startDigestScheduler({ delivery, log }); process.on('SIGTERM', () => s.stop());
 */
export function startDigestScheduler(deps: DigestSchedulerDeps): {
  stop(): Promise<void>;
  tick(): Promise<void>;
} {
  const setTimer = deps.setTimer ?? ((fn, ms) => setTimeout(fn, ms));
  const clearTimer = deps.clearTimer ?? ((t) => clearTimeout(t as NodeJS.Timeout));
  const ac = new AbortController();
  let running: Promise<void> | null = null;
  let timer: unknown = null;
  let failing = false;

  const pass = async (): Promise<void> => {
    try {
      if (deps.lease !== undefined && !(await deps.lease.tryHold())) return;
      const q = await deps.delivery.queue();
      const s = await deps.delivery.deliver({ signal: ac.signal });
      if (q.queued + s.sent + s.bounced + s.failed > 0)
        deps.log.info(
          `digest: queued ${q.queued}, skipped ${q.skipped} empty, sent ${s.sent}, retrying ${s.retrying}, bounced ${s.bounced}, failed ${s.failed}`,
        );
      failing = false;
    } catch (err) {
      if (!failing) deps.log.warn(`digest run failed (${describeError(err)}); trying again in a minute`);
      failing = true;
    }
  };
  const tick = (): Promise<void> => (running ??= pass().finally(() => (running = null)));
  const loop = (): void => {
    if (ac.signal.aborted) return;
    const t = setTimer(() => void tick().then(loop), deps.intervalMs ?? 60_000);
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
      await deps.lease?.release();
    },
  };
}
