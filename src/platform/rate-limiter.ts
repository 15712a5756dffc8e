// Fixed-window rate limits in memory, for sign-in, sign-up, password reset and submissions.
import { AppError } from '../errors.ts';

export interface RateRule {
  /** Attempts allowed per window. */
  limit: number;
  windowMs: number;
}

/** A refused attempt: the surface may tell the client when to retry. */
export class RateLimitError extends AppError {
  readonly retryAfterSeconds: number;

  constructor(message: string, retryAfterSeconds: number) {
    super('RATE_LIMITED', message);
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

export interface RateLimiter {
  /** Counts one attempt under `key`; throws RateLimitError once the rule's limit is spent. */
  hit(key: string, rule: RateRule, what: string): void;
  /** Forgets a key (after a successful sign-in, its failures no longer count). */
  reset(key: string): void;
}

/** The limits the site applies; documented in README ("Accounts"). Sign-in has its own rule: sign-in-throttle.ts. */
export const RATE_RULES = {
  signUpPerClient: { limit: 10, windowMs: 60 * 60_000 },
  resetPerClient: { limit: 10, windowMs: 60 * 60_000 },
  resetPerAddress: { limit: 3, windowMs: 60 * 60_000 },
  submitPerUser: { limit: 30, windowMs: 60 * 60_000 },
} as const satisfies Record<string, RateRule>;

/** A server process's place among those answering requests side by side (`serve --workers N`). */
export interface RateShare {
  readonly index: number;
  readonly processes: number;
}

/** The whole of every limit: one server process. */
export const WHOLE_SHARE: RateShare = { index: 0, processes: 1 };

/**
 * Process `index` (0-based) of `processes` that each keep their own counts. Each allows
 * floor(limit / processes) attempts per window, plus one for the first `limit % processes` processes, so
 * together they allow exactly the limit; a rule whose limit is below `processes` still allows one attempt
 * per process.
 */
export function rateShare(index: number, processes: number): RateShare {
  if (
    !Number.isInteger(processes) ||
    processes < 1 ||
    !Number.isInteger(index) ||
    index < 0 ||
    index >= processes
  )
    throw new AppError(
      'BAD_INPUT',
      `Process ${index} of ${processes} is not a valid share of the rate limits.`,
    );
  return { index, processes };
}

/** Attempts a process with `share` allows per window under `rule` (3 of 3 alone; 2 and 1 with two workers). */
export function perProcessLimit(rule: RateRule, share: RateShare = WHOLE_SHARE): number {
  const { index, processes } = share;
  return Math.max(1, Math.floor(rule.limit / processes) + (index < rule.limit % processes ? 1 : 0));
}

export interface RateLimiterOptions {
  /** This process's share of each limit when several serve side by side (default: the whole). */
  share?: RateShare;
  /** Keys kept before windows that ended are swept (default 100,000). */
  maxKeys?: number;
}

/**
 * An in-process limiter (with several server processes, each counts its `share`); state is bounded and
 * swept as windows end.
 */
export function createRateLimiter(now: () => number, opts: RateLimiterOptions = {}): RateLimiter {
  const share = opts.share ?? WHOLE_SHARE;
  const maxKeys = opts.maxKeys ?? 100_000;
  const buckets = new Map<string, { start: number; count: number; windowMs: number }>();
  const sweep = (t: number): void => {
    for (const [k, b] of buckets) if (t - b.start >= b.windowMs) buckets.delete(k);
  };
  return {
    hit(key, rule, what) {
      const t = now();
      let b = buckets.get(key);
      if (!b || t - b.start >= rule.windowMs) {
        if (buckets.size >= maxKeys) sweep(t);
        b = { start: t, count: 0, windowMs: rule.windowMs };
        buckets.set(key, b);
      }
      b.count++;
      if (b.count > perProcessLimit(rule, share)) {
        const wait = Math.max(1, Math.ceil((b.start + rule.windowMs - t) / 1000));
        throw new RateLimitError(
          `Too many ${what} attempts; try again in ${Math.ceil(wait / 60)} minute(s).`,
          wait,
        );
      }
    },
    reset(key) {
      buckets.delete(key);
    },
  };
}
