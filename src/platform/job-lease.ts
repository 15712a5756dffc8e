// Holds a named job lease while this node runs the job, renewing it in the background so that a node
// that dies mid-job loses the lease after one lease length and another node takes the job over.
import { hostname } from 'node:os';
import { randomToken } from './secure-random.ts';
import type { LeaseRepo } from '../store/leases.ts';

export interface JobLease {
  /** Takes or renews the lease; true when this node holds it and should run the job now. */
  tryHold(): Promise<boolean>;
  /** Whether this node held the lease at its last take or renewal. */
  held(): boolean;
  /** Gives the lease up (at shutdown, or when the job is finished for now). */
  release(): Promise<void>;
}

export interface JobLeaseOptions {
  leases: LeaseRepo;
  name: string;
  holder: string;
  /** Lease length; renewed every third of it while held (default 2 minutes). */
  ttlMs?: number;
  onLost?: (err?: unknown) => void;
  /** Runs `renew` every `ms` until the returned stop is called (default: an unref'd setInterval); tests tick it. */
  repeat?: (ms: number, renew: () => Promise<void>) => () => void;
}

/** A timer that does not keep the process alive: a held lease must not stop a shutdown. */
function repeatInBackground(ms: number, renew: () => Promise<void>): () => void {
  const timer = setInterval(() => void renew(), ms);
  timer.unref();
  return () => clearInterval(timer);
}

/** A name for this process in lease rows and logs: host, pid and a random suffix. */
export function nodeId(): string {
  return `${hostname()}:${process.pid}:${randomToken(4)}`;
}

/**
 * Creates a lease handle for one job of this node.
 * @example const lease = createJobLease({ leases: store.leases, name: 'harvest', holder: nodeId() });
 * if (await lease.tryHold()) { try { await job(); } finally { await lease.release(); } }
 */
export function createJobLease(opts: JobLeaseOptions): JobLease {
  const ttl = opts.ttlMs ?? 120_000;
  const repeat = opts.repeat ?? repeatInBackground;
  let holding = false;
  let stop: (() => void) | null = null;

  const stopRenewing = (): void => {
    stop?.();
    stop = null;
  };
  const renew = async (): Promise<void> => {
    try {
      holding = await opts.leases.acquire(opts.name, opts.holder, ttl);
    } catch (err) {
      holding = false;
      opts.onLost?.(err);
    }
    if (!holding) {
      stopRenewing();
      opts.onLost?.();
    }
  };
  return {
    async tryHold() {
      holding = await opts.leases.acquire(opts.name, opts.holder, ttl);
      if (holding && stop === null) stop = repeat(Math.max(1, Math.floor(ttl / 3)), renew);
      if (!holding) stopRenewing();
      return holding;
    },
    held: () => holding,
    async release() {
      stopRenewing();
      if (!holding) return;
      holding = false;
      await opts.leases.release(opts.name, opts.holder);
    },
  };
}
