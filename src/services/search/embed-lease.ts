// One embedding job at a time across processes: `train`, `embed` and serve's background loop share the "embed" lease.
import type { JobLease } from '../../platform/index.ts';
import { AppError } from '../../errors.ts';

export interface HoldOptions {
  /** Told once, when another process holds the lease and this one starts waiting. */
  onWaiting?: () => void;
  /** Stops the wait (Ctrl-C) with AppError('INTERRUPTED'). */
  signal?: AbortSignal;
  /** How often to look again while another process holds it (default 2 s). */
  pollMs?: number;
}

/**
 * Waits until this process holds `lease`, then runs `job` and gives the lease up, so that a `paperboy train`
 * and a running `serve` never embed the same papers twice. A holder that died frees it after one lease length.
 */
export async function withEmbedLease<T>(
  lease: JobLease,
  job: () => Promise<T>,
  opts: HoldOptions = {},
): Promise<T> {
  let told = false;
  while (!(await lease.tryHold())) {
    if (!told) opts.onWaiting?.();
    told = true;
    await pause(opts.pollMs ?? 2000, opts.signal);
  }
  try {
    return await job();
  } finally {
    await lease.release();
  }
}

function pause(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    const stop = (): void => {
      clearTimeout(timer);
      reject(new AppError('INTERRUPTED', 'Stopped while waiting for another process to finish embedding.'));
    };
    if (signal?.aborted === true) return stop();
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', stop);
      resolve();
    }, ms);
    signal?.addEventListener('abort', stop, { once: true });
  });
}
