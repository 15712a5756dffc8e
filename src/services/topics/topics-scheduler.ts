// Runs the full topic recompute inside `serve` on a schedule (every N days at an hour, UTC), on one node of
// several, logging its progress; an interrupted run (stop, lost lease) resumes from its checkpoint next time.
import { describeError, isAppError } from '../../errors.ts';
import { startPeriodicJob, type JobLease, type Logger, type TimerHooks } from '../../platform/index.ts';
import type { RecomputeSummary } from './recompute.ts';
import type { TopicsService } from './topics-service.ts';

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

export interface TopicsSchedule {
  /** Days between full recomputes; 0 turns the schedule off. */
  everyDays: number;
  /** Hour of day (UTC) at which a due recompute starts. */
  hourUtc: number;
}

export interface TopicsSchedulerDeps extends TimerHooks {
  topics: Pick<TopicsService, 'recompute' | 'recomputeState'>;
  log: Logger;
  now: () => Date;
  /** With several nodes on one database, only the lease holder recomputes. */
  lease?: JobLease;
  /** How often to look whether a recompute is due (default 10 minutes, so the hour is never missed). */
  checkMs?: number;
}

/**
 * Whether a recompute should start now: an interrupted one always (it resumes), else in the scheduled hour
 * once `everyDays` have passed since the last (an hour of slack, so a run that took a while stays weekly).
 */
export function isDue(
  schedule: TopicsSchedule,
  state: { finishedAt: Date | null; interrupted: boolean },
  now: Date,
): boolean {
  if (schedule.everyDays <= 0) return false;
  if (state.interrupted) return true;
  if (now.getUTCHours() !== schedule.hourUtc) return false;
  return (
    state.finishedAt === null ||
    now.getTime() - state.finishedAt.getTime() >= schedule.everyDays * DAY_MS - HOUR_MS
  );
}

/** Logs each phase once and then every quarter of it, so a ten-minute run leaves a readable trail. */
function progressLogger(log: Logger): (p: { phase: string; done: number; total: number | null }) => void {
  let phase = '';
  let quarter = 0;
  return (p) => {
    const q = p.total !== null && p.total > 0 ? Math.floor((4 * p.done) / p.total) : 0;
    if (p.phase === phase && q <= quarter) return;
    if (p.phase !== phase) quarter = 0;
    phase = p.phase;
    quarter = q;
    log.info(`topics: ${p.phase} ${p.done}${p.total === null ? '' : `/${p.total}`}`);
  };
}

/**
 * Starts the schedule; `tick()` runs one look at once (tests drive it with their own clock). Nothing thrown
 * reaches `serve`: a failure is logged and the next look tries again.
 * @example const s = startTopicsScheduler({ everyDays: 7, hourUtc: 3 }, { topics, log, now }); await s.stop();
 */
export function startTopicsScheduler(
  schedule: TopicsSchedule,
  deps: TopicsSchedulerDeps,
): { stop(): Promise<void>; tick(): Promise<RecomputeSummary | null> } {
  const pass = async (stopped: AbortSignal): Promise<RecomputeSummary | null> => {
    try {
      if (!isDue(schedule, await deps.topics.recomputeState(), deps.now())) return null;
      const lease = deps.lease;
      if (lease !== undefined && !(await lease.tryHold())) return null;
      try {
        // Another node may have finished it while this one waited for the lease.
        if (!isDue(schedule, await deps.topics.recomputeState(), deps.now())) return null;
        deps.log.info('topics: scheduled recompute starting');
        // A lost lease (database unreachable, or this node stalled past its length) stops the run: another
        // node may take it over, and two must not write topics at once.
        const run = new AbortController();
        const stopRun = (): void => run.abort();
        stopped.addEventListener('abort', stopRun);
        const report = progressLogger(deps.log);
        try {
          const s = await deps.topics.recompute({
            signal: run.signal,
            onProgress: (p) => {
              if (lease !== undefined && !lease.held()) run.abort();
              report(p);
            },
          });
          deps.log.info(
            s.status === 'done'
              ? `topics: recomputed ${s.topics} topics over ${s.papers} papers in ${s.seconds.toFixed(0)} s${s.resumed ? ' (resumed)' : ''}`
              : 'topics: recompute interrupted; it resumes from its checkpoint at the next look',
          );
          return s;
        } finally {
          stopped.removeEventListener('abort', stopRun);
        }
      } finally {
        await lease?.release();
      }
    } catch (err) {
      // No model yet, or too few embedded papers: normal on a new instance, not worth a warning each look.
      const quiet = isAppError(err) && (err.code === 'EMBEDDER' || err.code === 'BAD_INPUT');
      const msg = `topics: scheduled recompute failed (${describeError(err)}); trying again later`;
      if (quiet) deps.log.debug(msg);
      else deps.log.warn(msg);
      return null;
    }
  };
  const job = startPeriodicJob(pass, deps.checkMs ?? 600_000, deps, schedule.everyDays > 0);
  return { tick: job.tick, stop: job.stop };
}
