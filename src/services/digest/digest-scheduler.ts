// Runs the digest job inside `serve`: every minute, queue the digests now due in each subscriber's time zone and send them.
import { describeError } from '../../errors.ts';
import type { DigestDelivery } from './digest-delivery.ts';
import { startPeriodicJob, type JobLease, type Logger, type TimerHooks } from '../../platform/index.ts';

export interface DigestSchedulerDeps extends TimerHooks {
  delivery: DigestDelivery;
  log: Logger;
  /** How often to look (default 60 s); the clock itself is the delivery's. */
  intervalMs?: number;
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
  let failing = false;
  const pass = async (signal: AbortSignal): Promise<void> => {
    try {
      if (deps.lease !== undefined && !(await deps.lease.tryHold())) return;
      const q = await deps.delivery.queue();
      const s = await deps.delivery.deliver({ signal });
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
  const job = startPeriodicJob(pass, deps.intervalMs ?? 60_000, deps);
  return {
    tick: job.tick,
    async stop() {
      await job.stop();
      await deps.lease?.release();
    },
  };
}
