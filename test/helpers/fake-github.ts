// A local HTTP server speaking GitHub's "get a repository" API: the real body shape, ETag/304, the
// X-RateLimit-* headers and 403 once the quota is spent, secondary limits, 404s, 5xx and slow answers.
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';

const TEMPLATE = JSON.parse(
  readFileSync(resolve(import.meta.dirname, '../fixtures/github/repo.json'), 'utf8'),
) as Record<string, unknown>;

/** How the server answers for one repository ("owner/name" in lower case). */
export interface FakeRepo {
  stars?: number;
  archived?: boolean;
  pushedAt?: string;
  /** Answers with this status (and GitHub's error body) instead of the repository. */
  status?: number;
  /** The first N requests answer 502 before the real answer. */
  failFirst?: number;
  /** The first request answers 403 with Retry-After: N (a secondary rate limit). */
  secondaryLimitSeconds?: number;
  /** Each answer waits this long before its headers. */
  delayMs?: number;
  /** Answers 200 with this raw body. */
  rawBody?: string;
}

export interface FakeGithub {
  url: string;
  repos: Map<string, FakeRepo>;
  /** Every request: path and the headers that matter. */
  requests: { path: string; ifNoneMatch: string | null; auth: string | null; ua: string | null }[];
  /** Quota left in the current window and when it resets (epoch seconds). */
  quota: { limit: number; remaining: number; reset: number };
  close(): Promise<void>;
}

const etagOf = (name: string, r: FakeRepo): string =>
  `W/"${Buffer.from(`${name}:${r.stars ?? 0}:${r.archived === true}`).toString('hex')}"`;

/**
 * Starts the fake on a free loopback port.
 * @example const gh = await startFakeGithub(); gh.repos.set('org/repo', { stars: 5 });
 */
export async function startFakeGithub(): Promise<FakeGithub> {
  const repos = new Map<string, FakeRepo>();
  const requests: FakeGithub['requests'] = [];
  const quota = { limit: 60, remaining: 60, reset: Math.floor(Date.now() / 1000) + 3600 };
  const seen = new Map<string, number>();
  const server: Server = createServer((req, res) => {
    const path = decodeURIComponent((req.url ?? '').split('?')[0] ?? '');
    requests.push({
      path,
      ifNoneMatch: req.headers['if-none-match'] ?? null,
      auth: req.headers.authorization ?? null,
      ua: req.headers['user-agent'] ?? null,
    });
    const json = (status: number, body: unknown, extra: Record<string, string> = {}): void => {
      res.writeHead(status, {
        'content-type': 'application/json; charset=utf-8',
        ...limitHeaders(),
        ...extra,
      });
      res.end(JSON.stringify(body));
    };
    const limitHeaders = (): Record<string, string> => ({
      'x-ratelimit-limit': String(quota.limit),
      'x-ratelimit-remaining': String(quota.remaining),
      'x-ratelimit-reset': String(quota.reset),
      'x-ratelimit-used': String(quota.limit - quota.remaining),
      'x-ratelimit-resource': 'core',
    });
    const m = /^\/repos\/([^/]+)\/([^/]+)$/.exec(path);
    const name = m === null ? '' : `${m[1]}/${m[2]}`.toLowerCase();
    const r = repos.get(name);
    const answer = (): void => {
      if (quota.remaining <= 0) {
        json(403, {
          message:
            "API rate limit exceeded for 127.0.0.1. (But here's the good news: Authenticated requests get a higher rate limit. Check out the documentation for more details.)",
          documentation_url: 'https://docs.github.com/rest/overview/resources-in-the-rest-api#rate-limiting',
        });
        return;
      }
      const n = (seen.get(name) ?? 0) + 1;
      seen.set(name, n);
      if (r !== undefined && r.secondaryLimitSeconds !== undefined && n === 1) {
        json(
          403,
          {
            message:
              'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.',
          },
          { 'retry-after': String(r.secondaryLimitSeconds) },
        );
        return;
      }
      if (r !== undefined && n <= (r.failFirst ?? 0)) {
        res.writeHead(502, { 'content-type': 'text/html' });
        res.end('<html><body><h1>502 Bad Gateway</h1></body></html>');
        return;
      }
      const etag = r === undefined ? '' : etagOf(name, r);
      // A 304 costs no quota, as on GitHub.
      if (r !== undefined && r.status === undefined && req.headers['if-none-match'] === etag) {
        res.writeHead(304, { etag, ...limitHeaders() });
        res.end();
        return;
      }
      quota.remaining--;
      if (r === undefined || r.status === 404) {
        json(404, {
          message: 'Not Found',
          documentation_url: 'https://docs.github.com/rest/repos/repos#get-a-repository',
          status: '404',
        });
        return;
      }
      if (r.status !== undefined) {
        json(r.status, { message: 'Repository access blocked', block: { reason: 'dmca' } });
        return;
      }
      if (r.rawBody !== undefined) {
        res.writeHead(200, { 'content-type': 'application/json', etag, ...limitHeaders() });
        res.end(r.rawBody);
        return;
      }
      const [owner, repo] = m === null ? ['', ''] : [m[1]!, m[2]!];
      json(
        200,
        {
          ...TEMPLATE,
          name: repo,
          full_name: `${owner}/${repo}`,
          html_url: `https://github.com/${owner}/${repo}`,
          stargazers_count: r.stars ?? 0,
          watchers_count: r.stars ?? 0,
          archived: r.archived ?? false,
          pushed_at: r.pushedAt ?? TEMPLATE.pushed_at,
        },
        { etag, 'cache-control': 'public, max-age=60, s-maxage=60' },
      );
    };
    const delay = r?.delayMs ?? 0;
    if (delay > 0) setTimeout(answer, delay);
    else answer();
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    repos,
    requests,
    quota,
    close: () =>
      new Promise((done) => {
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}
