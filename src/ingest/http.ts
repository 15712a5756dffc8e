// A polite HTTP getter for arXiv: spaced requests, Retry-After, backoff, and clear failures.
import { AppError } from '../errors.ts';
import { readAtMost } from './bounded-body.ts';

/** The slice of the global fetch that Paperboy uses; tests pass a replay of recorded responses. */
export type FetchLike = (
  url: string,
  init?: { headers?: Record<string, string>; signal?: AbortSignal; redirect?: 'manual' | 'follow' },
) => Promise<Response>;

/** Bodies above this are refused: an arXiv page of 2,000 entries is about 10 MB. */
export const MAX_RESPONSE_BYTES = 32 * 1024 * 1024;
/** Redirects followed for one request (each within the requested host). */
export const MAX_REDIRECTS = 5;

export interface PoliteFetchOptions {
  fetch: FetchLike;
  /** Least time between the starts of two requests; arXiv asks for 3 s. Default 3000. */
  minIntervalMs?: number;
  /** Retries after the first try, for 429, 5xx and network errors. Default 5. */
  maxRetries?: number;
  /** Longest single wait, whatever Retry-After says. Default 300000 (5 min). */
  maxWaitMs?: number;
  /** Per-request timeout. Default 120000. */
  timeoutMs?: number;
  /** Waits `ms`; should end early (rejecting or resolving) when `signal` aborts. Default: an abortable timer. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  now?: () => number;
  /** Told about every retry wait, e.g. to print progress on long harvests. */
  onWait?: (msg: string) => void;
  userAgent?: string;
  /** Largest response body read, in bytes; a larger one fails the request. Default MAX_RESPONSE_BYTES. */
  maxBytes?: number;
  /**
   * 'same-host' (default) follows a redirect only to the host that was asked (http may become https), so
   * an answer cannot send Paperboy to an internal address; 'any' is for URLs an operator types.
   */
  redirects?: 'same-host' | 'any';
}

/**
 * A function that GETs a URL and resolves to the response body text. With `signal`, an abort ends any wait
 * or request at once with AppError('INTERRUPTED'), so a stopping harvest or server is never held up by a
 * backoff of minutes.
 */
export type Getter = (url: string, signal?: AbortSignal) => Promise<string>;

type Attempt =
  | { kind: 'ok'; body: string }
  | { kind: 'retry'; retryAfterMs: number | null; why: string }
  | { kind: 'fail'; error: AppError };

const DEFAULT_UA = 'Paperboy/0.1 (self-hosted research-paper discovery)';

/**
 * Creates a getter that spaces requests at least minIntervalMs apart (even when called
 * concurrently), honours Retry-After on 429/503, backs off exponentially on other 5xx and
 * network errors, and fails with AppError('NETWORK') naming the URL, last status and tries.
 * @example
 * const get = createPoliteFetch({ fetch: globalThis.fetch, minIntervalMs: 3000 });
 * const xml = await get('https://export.arxiv.org/api/query?id_list=2503.11677');
 */
export function createPoliteFetch(opts: PoliteFetchOptions): Getter {
  const cfg: RetryConfig = {
    maxRetries: opts.maxRetries ?? 5,
    minIntervalMs: opts.minIntervalMs ?? 3000,
    maxWaitMs: opts.maxWaitMs ?? 300_000,
    sleep: opts.sleep ?? abortableSleep,
    onWait: opts.onWait ?? (() => undefined),
  };
  const now = opts.now ?? Date.now;
  const headers = { 'User-Agent': opts.userAgent ?? DEFAULT_UA };
  const timeoutMs = opts.timeoutMs ?? 120_000;
  const limits: BodyLimits = {
    maxBytes: opts.maxBytes ?? MAX_RESPONSE_BYTES,
    redirects: opts.redirects ?? 'same-host',
  };
  let lastStart = Number.NEGATIVE_INFINITY;
  let queue: Promise<unknown> = Promise.resolve();

  const spacedAttempt = async (url: string, signal: AbortSignal | undefined): Promise<Attempt> => {
    const gap = lastStart + cfg.minIntervalMs - now();
    if (gap > 0) await pause(cfg, gap, url, signal);
    lastStart = now();
    return attempt(opts.fetch, url, { headers, timeoutMs, now, signal, ...limits });
  };

  return (url, signal) => {
    // One request at a time, so the spacing holds even for concurrent callers.
    const run = queue.then(() => getWithRetries(url, cfg, signal, spacedAttempt));
    queue = run.catch(() => undefined);
    return run;
  };
}

interface RetryConfig {
  maxRetries: number;
  minIntervalMs: number;
  maxWaitMs: number;
  sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  onWait: (msg: string) => void;
}

/** The error of a request given up because its caller stopped (Ctrl-C, SIGTERM, shutdown). */
function interrupted(url: string): AppError {
  return new AppError('INTERRUPTED', `Stopped before ${url} was fetched; rerun to continue.`);
}

/** Sleeps `ms` unless `signal` aborts first; either way throws `interrupted` once it has aborted. */
async function pause(
  cfg: RetryConfig,
  ms: number,
  url: string,
  signal: AbortSignal | undefined,
): Promise<void> {
  const stopped = (): boolean => signal?.aborted === true;
  if (stopped()) throw interrupted(url);
  await cfg.sleep(ms, signal).catch((err: unknown) => {
    if (!stopped()) throw err;
  });
  if (stopped()) throw interrupted(url);
}

/** A timer that resolves after `ms`, or at once (clearing itself) when `signal` aborts. */
function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise<void>((resolve) => {
    if (signal?.aborted === true) return resolve();
    const done = (): void => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}

async function getWithRetries(
  url: string,
  cfg: RetryConfig,
  signal: AbortSignal | undefined,
  tryOnce: (url: string, signal: AbortSignal | undefined) => Promise<Attempt>,
): Promise<string> {
  const maxTries = cfg.maxRetries + 1;
  let lastWhy = 'no response';
  for (let tries = 1; tries <= maxTries; tries++) {
    if (signal?.aborted === true) throw interrupted(url);
    const result = await tryOnce(url, signal);
    if (result.kind === 'ok') return result.body;
    if (result.kind === 'fail') throw result.error;
    lastWhy = result.why;
    if (tries === maxTries) break;
    const ms = Math.min(cfg.maxWaitMs, result.retryAfterMs ?? backoffMs(tries, cfg.minIntervalMs));
    const reason = result.retryAfterMs === null ? 'backing off' : 'as Retry-After asks';
    cfg.onWait(
      `${lastWhy} from ${url}; waiting ${Math.round(ms / 1000)} s (${reason}) before try ${tries + 1} of ${maxTries}`,
    );
    await pause(cfg, ms, url, signal);
  }
  throw new AppError(
    'NETWORK',
    `${hostOf(url)} ${whatHappened(lastWhy)}: gave up on ${url} after ${maxTries} tries; the last one got ${lastWhy}. ` +
      'Try again later (a harvest resumes from its checkpoint).',
  );
}

/** Names the failure a run of retries ended on: rate limited, a server error, or a network fault. */
function whatHappened(lastWhy: string): string {
  if (lastWhy.startsWith('HTTP 429')) return 'is rate limiting us';
  if (lastWhy.startsWith('HTTP 5')) return 'is failing (server error)';
  return 'could not be read (network error)';
}

/** Wait after failed try n (1-based) when the server gave no Retry-After: base, 2·base, 4·base... */
function backoffMs(tries: number, minIntervalMs: number): number {
  return Math.max(minIntervalMs, 1000) * 2 ** (tries - 1);
}

interface BodyLimits {
  maxBytes: number;
  redirects: 'same-host' | 'any';
}

/** A request's answer that needs no retry decision yet: the final response and its body, or a failure. */
type Fetched = { kind: 'response'; res: Response; body: string } | { kind: 'fail'; error: AppError };

async function attempt(
  fetch: FetchLike,
  url: string,
  opts: BodyLimits & {
    headers: Record<string, string>;
    timeoutMs: number;
    now: () => number;
    signal?: AbortSignal;
  },
): Promise<Attempt> {
  const { now, signal } = opts;
  const timeout = AbortSignal.timeout(opts.timeoutMs);
  let fetched: Fetched;
  try {
    fetched = await fetchFollowing(fetch, url, opts, signal ? AbortSignal.any([timeout, signal]) : timeout);
  } catch (err) {
    if (signal?.aborted === true) throw interrupted(url);
    const unreachable = unreachableReason(err, url);
    // No network, an unknown host or a closed port will not heal within a backoff: say so at once.
    if (unreachable !== null) return { kind: 'fail', error: new AppError('NETWORK', unreachable) };
    return { kind: 'retry', retryAfterMs: null, why: `a network error (${describeCause(err)})` };
  }
  if (fetched.kind === 'fail') return fetched;
  const { res, body } = fetched;
  if (res.ok) return { kind: 'ok', body };
  const why = `HTTP ${res.status}${res.statusText ? ` ${res.statusText}` : ''}`;
  if (res.status === 429 || res.status === 503) {
    return { kind: 'retry', retryAfterMs: parseRetryAfter(res.headers.get('retry-after'), now()), why };
  }
  if (res.status >= 500) return { kind: 'retry', retryAfterMs: null, why };
  // Only arXiv's own error summary (an Atom error entry) is shown; any other body is never quoted. The Atom
  // reader (and its XML parser) loads only here: search imports this module, and needs neither.
  const { atomErrorMessage } = await import('./arxiv-atom.ts');
  const summary = atomErrorMessage(body)?.slice(0, 200) ?? null;
  const code = res.status === 400 ? 'BAD_INPUT' : 'NETWORK';
  return {
    kind: 'fail',
    error: new AppError(code, `The server refused ${url} (${why})${summary ? `: ${summary}` : ''}.`),
  };
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/** GETs `url`, following redirects as `opts.redirects` allows, and reads at most `opts.maxBytes` of the body. */
async function fetchFollowing(
  fetch: FetchLike,
  url: string,
  opts: BodyLimits & { headers: Record<string, string> },
  signal: AbortSignal,
): Promise<Fetched> {
  const first = new URL(url);
  let current = url;
  for (let hops = 0; ; hops++) {
    const manual = opts.redirects === 'same-host';
    const res = await fetch(current, {
      headers: opts.headers,
      signal,
      redirect: manual ? 'manual' : 'follow',
    });
    const location = manual && REDIRECTS.has(res.status) ? res.headers.get('location') : null;
    if (location === null) return readCapped(res, url, opts.maxBytes);
    await res.body?.cancel();
    const next = new URL(location, current);
    if (!sameHost(first, next))
      return {
        kind: 'fail',
        error: new AppError(
          'NETWORK',
          `${url} answered with a redirect to another host, which Paperboy does not follow; ` +
            'check the configured arXiv address.',
        ),
      };
    if (hops >= MAX_REDIRECTS)
      return {
        kind: 'fail',
        error: new AppError('NETWORK', `${url} redirected more than ${MAX_REDIRECTS} times; giving up.`),
      };
    current = next.href;
  }
}

/** Same host and port; http may be upgraded to https on its default port, never the reverse. */
function sameHost(asked: URL, target: URL): boolean {
  if (target.hostname !== asked.hostname) return false;
  const port = (u: URL): string => u.port || (u.protocol === 'https:' ? '443' : '80');
  if (target.protocol === asked.protocol) return port(target) === port(asked);
  return asked.protocol === 'http:' && target.protocol === 'https:' && port(target) === '443';
}

/** The body as UTF-8 text, or a failure as soon as it passes `maxBytes` (the rest is never read). */
async function readCapped(res: Response, url: string, maxBytes: number): Promise<Fetched> {
  const declared = Number(res.headers.get('content-length') ?? 0);
  if (declared > maxBytes || res.body === null) {
    if (res.body !== null) await res.body.cancel();
    if (declared > maxBytes) return tooLarge(url, maxBytes);
    return { kind: 'response', res, body: '' };
  }
  const bytes = await readAtMost(res.body, maxBytes);
  if (bytes === null) return tooLarge(url, maxBytes);
  return { kind: 'response', res, body: Buffer.from(bytes).toString('utf8') };
}

function tooLarge(url: string, maxBytes: number): Fetched {
  return {
    kind: 'fail',
    error: new AppError(
      'SOURCE_UNREADABLE',
      `The answer to ${url} is larger than ${maxBytes / (1024 * 1024)} MiB, the most Paperboy reads from ` +
        'one request; ask for fewer results per page.',
    ),
  };
}

/**
 * Milliseconds to wait from a Retry-After header: delta-seconds or an HTTP-date; null if absent or unreadable.
 * @example parseRetryAfter('120', Date.now()) // 120000
 */
export function parseRetryAfter(header: string | null, nowMs: number): number | null {
  if (header === null || header.trim() === '') return null;
  const s = header.trim();
  if (/^\d+$/.test(s)) return Number(s) * 1000;
  const at = Date.parse(s);
  return Number.isNaN(at) ? null : Math.max(0, at - nowMs);
}

/** Error codes meaning the host cannot be reached at all now, with what each means in words. */
const UNREACHABLE: Record<string, string> = {
  ENOTFOUND: 'its name does not resolve (no network, or DNS is down)',
  EAI_AGAIN: 'its name does not resolve (no network, or DNS is down)',
  ENETUNREACH: 'there is no network route to it (no network)',
  EHOSTUNREACH: 'there is no route to the host (no network)',
  ECONNREFUSED: 'it refused the connection (nothing listens there)',
};

/**
 * A one-line reason when `err` says the host cannot be reached at all (DNS, no route, refused); null for
 * failures worth retrying (time-outs, dropped connections).
 * @example unreachableReason(fetchError, 'https://export.arxiv.org/api/query') // 'Could not reach export.arxiv.org: its name does not resolve …'
 */
export function unreachableReason(err: unknown, url: string): string | null {
  const known = errorCodes(err).find((c) => UNREACHABLE[c] !== undefined);
  if (known === undefined) return null;
  return `Could not reach ${hostOf(url)}: ${UNREACHABLE[known]}. Try again later.`;
}

/** The system error codes of an error, its causes and (for a failed connect to several addresses) its parts. */
function errorCodes(err: unknown, depth = 0): string[] {
  if (!(err instanceof Error) || depth > 4) return [];
  const own = (err as NodeJS.ErrnoException).code;
  const parts = err instanceof AggregateError ? (err.errors as unknown[]) : [];
  return [
    ...(typeof own === 'string' ? [own] : []),
    ...errorCodes(err.cause, depth + 1),
    ...parts.flatMap((e) => errorCodes(e, depth + 1)),
  ];
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

function describeCause(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const cause = err.cause instanceof Error ? `: ${err.cause.message}` : '';
  return `${err.name === 'TimeoutError' ? 'timed out' : err.message}${cause}`;
}
