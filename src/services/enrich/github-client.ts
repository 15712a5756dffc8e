// A polite client for GitHub's "get a repository" endpoint: ETags, rate-limit headers, retries, clear failures.
import { setTimeout as delay } from 'node:timers/promises';
import { AppError } from '../../errors.ts';
import { parseRetryAfter, unreachableReason, type FetchLike } from '../../ingest/http.ts';

/** What one check of a repository found. */
export type GithubAnswer =
  | { kind: 'ok'; stars: number; pushedAt: string | null; archived: boolean; etag: string | null }
  /** 304: nothing changed since the ETag sent (costs no quota). */
  | { kind: 'unchanged' }
  /** 404, 410 or 451: deleted, private, or blocked. */
  | { kind: 'missing' }
  /** Gave up on this repository (5xx after retries, an unreadable answer); the next one may work. */
  | { kind: 'error'; message: string };

export interface GithubClientOptions {
  fetch: FetchLike;
  /** API base such as https://api.github.com. */
  apiUrl: string;
  /** Optional token ('' = anonymous, 60 requests an hour). */
  token: string;
  now?: () => Date;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Told about every wait (rate limit, retry), for the progress line and the log. */
  onWait?: (message: string) => void;
  /** A spent limit resetting later than this is not waited for: the run stops, resumable (default 15 min). */
  maxWaitMs?: number;
  /** Retries of a 5xx, a time-out or a dropped connection (default 3, with 1, 2, 4 s backoff). */
  retries?: number;
  /** Deadline of one request (default 15 s). */
  timeoutMs?: number;
}

export interface GithubClient {
  /** Checks "owner/name", sending `etag` as If-None-Match when there is one. */
  repo(fullName: string, etag: string | null, signal?: AbortSignal): Promise<GithubAnswer>;
}

/** An answer larger than this is not a repository object. */
const MAX_BODY_BYTES = 1024 * 1024;

const defaultSleep = (ms: number, signal?: AbortSignal): Promise<void> =>
  delay(ms, undefined, { signal }).then(() => undefined);

/**
 * Creates the client. It keeps the rate-limit state GitHub reports: when X-RateLimit-Remaining reaches 0 it
 * waits until X-RateLimit-Reset before the next request, and a secondary limit's Retry-After is honoured.
 * @example const gh = createGithubClient({ fetch, apiUrl: 'https://api.github.com', token: '' });
 * await gh.repo('octocat/hello-world', null);
 */
export function createGithubClient(opts: GithubClientOptions): GithubClient {
  const now = opts.now ?? (() => new Date());
  const sleep = opts.sleep ?? defaultSleep;
  const maxWait = opts.maxWaitMs ?? 15 * 60_000;
  const retries = opts.retries ?? 3;
  const timeoutMs = opts.timeoutMs ?? 15_000;
  const base = opts.apiUrl.replace(/\/+$/, '');
  let pausedUntil = 0;

  const waitFor = async (ms: number, why: string, signal?: AbortSignal): Promise<void> => {
    if (ms > maxWait) {
      const at = new Date(now().getTime() + ms).toISOString().slice(11, 16);
      throw new AppError(
        'RATE_LIMITED',
        `GitHub's rate limit is spent until ${at} UTC; run again then (what was checked is kept)` +
          (opts.token === '' ? '. Set GITHUB_TOKEN for 5,000 requests an hour instead of 60.' : '.'),
      );
    }
    opts.onWait?.(`GitHub: ${why}; waiting ${Math.ceil(ms / 1000)} s`);
    await sleep(ms, signal);
  };

  const headers = (etag: string | null): Record<string, string> => ({
    accept: 'application/vnd.github+json',
    'x-github-api-version': '2022-11-28',
    'user-agent': 'Paperboy (self-hosted paper discovery)',
    ...(opts.token !== '' ? { authorization: `Bearer ${opts.token}` } : {}),
    ...(etag !== null ? { 'if-none-match': etag } : {}),
  });

  /** Remembers a spent primary limit from any answer's headers. */
  const noteLimit = (res: Response): void => {
    const remaining = res.headers.get('x-ratelimit-remaining');
    const reset = Number(res.headers.get('x-ratelimit-reset'));
    if (remaining === '0' && Number.isFinite(reset) && reset > 0) pausedUntil = reset * 1000;
  };

  return {
    async repo(fullName, etag, signal) {
      const url = `${base}/repos/${fullName.split('/').map(encodeURIComponent).join('/')}`;
      for (let attempt = 0; ; attempt++) {
        const pause = pausedUntil - now().getTime();
        if (pause > 0) await waitFor(pause + 1000, 'rate limit spent', signal);
        let res: Response;
        let body: string;
        try {
          const deadline = AbortSignal.timeout(timeoutMs);
          res = await opts.fetch(url, {
            headers: headers(etag),
            signal: signal === undefined ? deadline : AbortSignal.any([signal, deadline]),
          });
          body = res.status === 304 ? '' : await boundedText(res);
        } catch (err) {
          if (signal?.aborted === true) throw err;
          const unreachable = unreachableReason(err, url);
          if (unreachable !== null) throw new AppError('NETWORK', unreachable, [], { cause: err });
          if (attempt >= retries)
            throw new AppError('NETWORK', `GitHub did not answer for ${fullName}: ${describe(err)}`, [], {
              cause: err,
            });
          await waitFor(1000 * 2 ** attempt, `no answer for ${fullName}`, signal);
          continue;
        }
        noteLimit(res);
        if (res.status === 304) return { kind: 'unchanged' };
        if (res.status === 200) return parseRepo(body, res.headers.get('etag'));
        if (res.status === 404 || res.status === 410 || res.status === 451) return { kind: 'missing' };
        if (res.status === 403 || res.status === 429) {
          const retryAfter = parseRetryAfter(res.headers.get('retry-after'), now().getTime());
          if (retryAfter !== null) {
            await waitFor(retryAfter, 'secondary rate limit (Retry-After)', signal);
            continue;
          }
          if (pausedUntil > now().getTime()) continue;
          if (res.status === 429 && attempt < retries) {
            await waitFor(60_000, 'too many requests', signal);
            continue;
          }
          return {
            kind: 'error',
            message: `GitHub refused ${fullName} (${res.status}): ${apiMessage(body)}`,
          };
        }
        if (res.status >= 500 && attempt < retries) {
          await waitFor(1000 * 2 ** attempt, `GitHub answered ${res.status} for ${fullName}`, signal);
          continue;
        }
        return {
          kind: 'error',
          message: `GitHub answered ${res.status} for ${fullName}: ${apiMessage(body)}`,
        };
      }
    },
  };
}

/** The repository fields Paperboy keeps, or an error answer when the body is not a repository object. */
function parseRepo(body: string, etag: string | null): GithubAnswer {
  let v: unknown;
  try {
    v = JSON.parse(body);
  } catch {
    return { kind: 'error', message: 'GitHub answered 200 with a body that is not JSON' };
  }
  const r = (typeof v === 'object' && v !== null ? v : {}) as Record<string, unknown>;
  const stars = r.stargazers_count;
  const pushed = r.pushed_at;
  if (typeof stars !== 'number' || !Number.isInteger(stars) || stars < 0)
    return { kind: 'error', message: 'GitHub answered 200 without a stargazers_count' };
  return {
    kind: 'ok',
    stars,
    pushedAt: typeof pushed === 'string' && !Number.isNaN(Date.parse(pushed)) ? pushed : null,
    archived: r.archived === true,
    etag,
  };
}

/** GitHub's own `message` from an error body, cut short, or the start of the body. */
function apiMessage(body: string): string {
  try {
    const m = (JSON.parse(body) as { message?: unknown }).message;
    if (typeof m === 'string') return m.slice(0, 200);
  } catch {
    // not JSON: fall through
  }
  return body.slice(0, 120).replace(/\s+/g, ' ') || '(empty body)';
}

async function boundedText(res: Response): Promise<string> {
  const declared = Number(res.headers.get('content-length'));
  if (declared > MAX_BODY_BYTES) {
    await res.body?.cancel();
    return '';
  }
  const text = await res.text();
  return text.length > MAX_BODY_BYTES ? '' : text;
}

function describe(err: unknown): string {
  if (err instanceof Error && err.name === 'TimeoutError') return 'timed out';
  return err instanceof Error ? err.message : String(err);
}
