// Runs the configured arXiv harvest once on first start and then daily, surviving network outages.
import { describeError } from '../../errors.ts';
import type { HarvestService } from './harvest-service.ts';
import type { JobLease, Logger } from '../../platform/index.ts';
import type { IngestRunRepo } from '../../store/store.ts';

const DAY_MS = 86_400_000;

export interface HarvestSchedule {
  categories: string[];
  /** Hour of day (UTC) of the daily harvest. */
  hourUtc: number;
  /** How far back the very first harvest reaches. */
  firstDays: number;
}

export interface SchedulerDeps {
  harvest: HarvestService;
  runs: IngestRunRepo;
  log: Logger;
  now: () => Date;
  setTimer?: (fn: () => void, ms: number) => { unref?(): unknown };
  clearTimer?: (t: unknown) => void;
  /**
   * With several nodes on one database: only the holder harvests. The others look again after
   * `leaseWaitMs` and take the harvest over when the holder let its lease expire without finishing.
   */
  lease?: JobLease;
  leaseWaitMs?: number;
}

/** Milliseconds from `now` until the next `hourUtc`:00 UTC (strictly in the future). */
export function msUntilNextHour(now: Date, hourUtc: number): number {
  const next = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate(), hourUtc));
  if (next.getTime() <= now.getTime()) next.setTime(next.getTime() + DAY_MS);
  return next.getTime() - now.getTime();
}

/**
 * Starts the schedule; returns a stop function. A failed harvest (no network) is reported
 * once as a warning; repeats stay quiet until a harvest succeeds again.
 * @example const stop = startHarvestScheduler(schedule, deps); process.on('SIGTERM', stop);
 */
export function startHarvestScheduler(
  schedule: HarvestSchedule,
  deps: SchedulerDeps,
): { stop(): void; done: Promise<void> } {
  const setTimer = deps.setTimer ?? ((fn, ms) => setTimeout(fn, ms));
  const clearTimer = deps.clearTimer ?? ((t) => clearTimeout(t as NodeJS.Timeout));
  let timer: unknown = null;
  let stopped = false;
  let failing = false;
  const ac = new AbortController();

  const harvestOnce = async (daysBack: number): Promise<void> => {
    const since = new Date(deps.now().getTime() - daysBack * DAY_MS).toISOString().slice(0, 10);
    deps.log.info(`harvesting ${schedule.categories.join(',')} from arXiv since ${since}`);
    try {
      const s = await deps.harvest.arxiv({ categories: schedule.categories, since, signal: ac.signal });
      if (s.status === 'failed') throw new Error(s.fatal ?? 'harvest failed');
      deps.log.info(
        `harvest ${schedule.categories.join(',')} since ${since}: +${s.added} ~${s.updated} =${s.unchanged} !${s.rejected}`,
      );
      failing = false;
    } catch (err) {
      const next = new Date(deps.now().getTime() + msUntilNextHour(deps.now(), schedule.hourUtc));
      if (!failing)
        deps.log.warn(
          `arXiv harvest failed: ${describeError(err)} Serving what the store has; next attempt at ${next.toISOString().slice(0, 16).replace('T', ' ')} UTC.`,
        );
      else deps.log.debug(`arXiv harvest failed again: ${describeError(err)}`);
      failing = true;
    }
  };
  /** A harvest run that finished after `sinceIso` exists (another node did it). */
  const doneSince = async (sinceIso: string): Promise<boolean> =>
    (await deps.runs.recent(50)).some(
      (r) => r.source.startsWith('arxiv-api ') && r.status === 'done' && r.startedAt >= sinceIso,
    );
  let wake: (() => void) | null = null;
  const wait = (ms: number): Promise<void> =>
    new Promise((resolve) => {
      wake = resolve;
      const t = setTimer(resolve, ms);
      t.unref?.();
      timer = t;
    });
  /** Harvests under the lease when there is one: waits while another node holds it, skips when it finished. */
  const runOnce = async (daysBack: number): Promise<void> => {
    const lease = deps.lease;
    if (lease === undefined) return harvestOnce(daysBack);
    const dueAt = deps.now().toISOString();
    while (!stopped) {
      if (await lease.tryHold()) {
        try {
          if (!(await doneSince(dueAt))) await harvestOnce(daysBack);
        } finally {
          await lease.release();
        }
        return;
      }
      deps.log.debug('another node holds the harvest lease; looking again later');
      await wait(deps.leaseWaitMs ?? 150_000);
      if (await doneSince(dueAt)) return;
    }
  };
  const scheduleNext = (): void => {
    if (stopped) return;
    const t = setTimer(
      () => void runOnce(2).then(scheduleNext),
      msUntilNextHour(deps.now(), schedule.hourUtc),
    );
    t.unref?.();
    timer = t;
  };
  const done = (async () => {
    const everHarvested = (await deps.runs.recent(1000)).some(
      (r) => r.source.startsWith('arxiv-api ') && r.status === 'done',
    );
    if (!everHarvested) await runOnce(schedule.firstDays);
    scheduleNext();
  })();
  return {
    stop() {
      stopped = true;
      ac.abort();
      wake?.();
      if (timer !== null) clearTimer(timer);
    },
    done,
  };
}

/** The last automatic arXiv harvest, for /health and the admins' line on the site. */
export interface HarvestStatus {
  /** 'never': none yet; 'running': one in progress; 'ok' or 'failed': how the last one ended. */
  state: 'never' | 'running' | 'ok' | 'failed' | 'off';
  /** When the last one started (ISO), if any. */
  at: string | null;
  /** Why it failed, in words (no network, DNS, refused, HTTP 5xx, rate limited). */
  error: string | null;
  /** When the next automatic attempt is due (ISO); null when harvesting is off. */
  next: string | null;
}

/**
 * Reads the harvest state from the recorded runs, so that every process (and every worker) reports the same.
 */
export async function harvestStatus(
  runs: IngestRunRepo,
  schedule: { hourUtc: number; enabled: boolean },
  now: Date,
): Promise<HarvestStatus> {
  const next = schedule.enabled
    ? new Date(now.getTime() + msUntilNextHour(now, schedule.hourUtc)).toISOString()
    : null;
  const last = (await runs.recent(50)).find((r) => r.source.startsWith('arxiv-api '));
  if (last === undefined) return { state: schedule.enabled ? 'never' : 'off', at: null, error: null, next };
  const state = last.status === 'done' ? 'ok' : last.status === 'running' ? 'running' : 'failed';
  const error = state === 'failed' ? (last.errors.at(-1)?.reason ?? last.status) : null;
  return { state, at: last.startedAt, error, next };
}
