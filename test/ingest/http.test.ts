// The polite getter: spacing, Retry-After, backoff and the errors a harvest reports, on a fake clock.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { AppError } from '../../src/errors.ts';
import { createPoliteFetch, parseRetryAfter } from '../../src/ingest/http.ts';
import { fakeClock, scriptedFetch } from '../helpers/arxiv-replay.ts';

const URL_A = 'https://export.arxiv.org/api/query?search_query=cat%3Acs.CL&start=0';
const ok = (body = '<feed/>') => ({ status: 200, body });

async function failure(p: Promise<unknown>): Promise<AppError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof AppError) return err;
    throw new Error(`expected an AppError, got ${String(err)}`);
  }
  throw new Error('expected a failure, got success');
}

describe('createPoliteFetch spacing', () => {
  it('spaces requests minIntervalMs apart, also for concurrent callers', async () => {
    const clock = fakeClock();
    const fetch = scriptedFetch([ok('a'), ok('b'), ok('c')], clock.now);
    const get = createPoliteFetch({ fetch, minIntervalMs: 3000, sleep: clock.sleep, now: clock.now });
    const bodies = await Promise.all([get(URL_A), get(URL_A), get(URL_A)]);
    expect(bodies).toEqual(['a', 'b', 'c']);
    const t0 = fetch.calls[0]!.at;
    expect(fetch.calls.map((c) => c.at - t0)).toEqual([0, 3000, 6000]);
    expect(clock.sleeps).toEqual([3000, 3000]);
  });

  it('waits only for what is left of the interval when time has already passed', async () => {
    const clock = fakeClock();
    const get = createPoliteFetch({
      fetch: scriptedFetch([ok()]),
      minIntervalMs: 3000,
      sleep: clock.sleep,
      now: clock.now,
    });
    await get(URL_A);
    clock.advance(2500);
    await get(URL_A);
    clock.advance(4000);
    await get(URL_A);
    expect(clock.sleeps).toEqual([500]);
  });

  it('sends a User-Agent', async () => {
    const fetch = scriptedFetch([ok()]);
    await createPoliteFetch({ fetch, minIntervalMs: 0, userAgent: 'Paperboy-test (ops@example.org)' })(URL_A);
    expect(fetch.calls[0]!.headers['User-Agent']).toBe('Paperboy-test (ops@example.org)');
  });
});

describe('createPoliteFetch retries', () => {
  it('honours Retry-After in seconds on 429', async () => {
    const clock = fakeClock();
    const waits: string[] = [];
    const fetch = scriptedFetch(
      [{ status: 429, body: 'slow down', headers: { 'Retry-After': '120' } }, ok('fine')],
      clock.now,
    );
    const get = createPoliteFetch({
      fetch,
      minIntervalMs: 3000,
      sleep: clock.sleep,
      now: clock.now,
      onWait: (m) => waits.push(m),
    });
    expect(await get(URL_A)).toBe('fine');
    expect(clock.sleeps).toEqual([120_000]);
    expect(fetch.calls[1]!.at - fetch.calls[0]!.at).toBe(120_000);
    expect(waits[0]).toMatch(/HTTP 429.*waiting 120 s.*try 2 of 6/);
  });

  it('honours Retry-After as an HTTP-date on 503', async () => {
    const clock = fakeClock();
    const when = new Date(clock.now() + 45_000).toUTCString();
    const fetch = scriptedFetch(
      [{ status: 503, body: '', headers: { 'Retry-After': when } }, ok('up again')],
      clock.now,
    );
    const get = createPoliteFetch({ fetch, minIntervalMs: 3000, sleep: clock.sleep, now: clock.now });
    expect(await get(URL_A)).toBe('up again');
    expect(clock.sleeps).toEqual([45_000]);
  });

  it('caps a single wait at maxWaitMs however long Retry-After asks for', async () => {
    const clock = fakeClock();
    const fetch = scriptedFetch(
      [{ status: 503, body: '', headers: { 'Retry-After': '86400' } }, ok()],
      clock.now,
    );
    await createPoliteFetch({ fetch, minIntervalMs: 3000, sleep: clock.sleep, now: clock.now })(URL_A);
    expect(clock.sleeps).toEqual([300_000]);
  });

  it('backs off exponentially on 5xx and ends a 503 storm with a clear NETWORK error', async () => {
    const clock = fakeClock();
    const fetch = scriptedFetch([{ status: 503, body: 'Service Unavailable' }], clock.now);
    const get = createPoliteFetch({ fetch, minIntervalMs: 3000, sleep: clock.sleep, now: clock.now });
    const err = await failure(get(URL_A));
    expect(err.code).toBe('NETWORK');
    expect(err.message).toContain(URL_A);
    expect(err.message).toContain('HTTP 503');
    expect(err.message).toContain('after 6 tries');
    expect(fetch.calls).toHaveLength(6);
    expect(clock.sleeps).toEqual([3000, 6000, 12_000, 24_000, 48_000]);
  });

  it('respects maxRetries', async () => {
    const fetch = scriptedFetch([{ status: 502, body: 'Bad Gateway' }]);
    const clock = fakeClock();
    const err = await failure(
      createPoliteFetch({ fetch, minIntervalMs: 1000, maxRetries: 2, sleep: clock.sleep, now: clock.now })(
        URL_A,
      ),
    );
    expect(err.message).toMatch(/after 3 tries; the last one got HTTP 502/);
    expect(fetch.calls).toHaveLength(3);
  });

  it('retries network errors and recovers', async () => {
    const clock = fakeClock();
    const reset = new TypeError('fetch failed', { cause: new Error('read ECONNRESET') });
    const fetch = scriptedFetch([reset, reset, ok('<feed>ok</feed>')], clock.now);
    const waits: string[] = [];
    const get = createPoliteFetch({
      fetch,
      minIntervalMs: 3000,
      sleep: clock.sleep,
      now: clock.now,
      onWait: (m) => waits.push(m),
    });
    expect(await get(URL_A)).toBe('<feed>ok</feed>');
    expect(clock.sleeps).toEqual([3000, 6000]);
    expect(waits[0]).toContain('ECONNRESET');
  });

  it('names the network error when it never recovers', async () => {
    const clock = fakeClock();
    const fetch = scriptedFetch([
      new TypeError('fetch failed', { cause: new Error('getaddrinfo ENOTFOUND export.arxiv.org') }),
    ]);
    const err = await failure(
      createPoliteFetch({ fetch, maxRetries: 1, sleep: clock.sleep, now: clock.now })(URL_A),
    );
    expect(err.code).toBe('NETWORK');
    expect(err.message).toContain('ENOTFOUND');
    expect(err.message).toContain('after 2 tries');
  });

  it('fails at once on 404 without retrying, and never quotes the body', async () => {
    const clock = fakeClock();
    const fetch = scriptedFetch([{ status: 404, body: '<html><body><h1>Secret page</h1></body></html>' }]);
    const err = await failure(createPoliteFetch({ fetch, sleep: clock.sleep, now: clock.now })(URL_A));
    expect(err.code).toBe('NETWORK');
    expect(err.message).toBe(`The server refused ${URL_A} (HTTP 404).`);
    expect(fetch.calls).toHaveLength(1);
    expect(clock.sleeps).toEqual([]);
  });
});

describe('parseRetryAfter', () => {
  const now = Date.UTC(2026, 0, 1, 0, 0, 0);
  it('reads seconds and HTTP-dates', () => {
    expect(parseRetryAfter('7', now)).toBe(7000);
    expect(parseRetryAfter('Thu, 01 Jan 2026 00:01:30 GMT', now)).toBe(90_000);
  });
  it('treats past dates as no wait and junk as absent', () => {
    expect(parseRetryAfter('Wed, 31 Dec 2025 23:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeNull();
    expect(parseRetryAfter(null, now)).toBeNull();
  });
});

describe('createPoliteFetch stopping', () => {
  it('ends a backoff wait at once when the signal aborts (real timers, a 60 s wait)', async () => {
    const ac = new AbortController();
    const fetch = scriptedFetch([{ status: 503, body: 'busy' }]);
    const get = createPoliteFetch({
      fetch,
      minIntervalMs: 60_000,
      onWait: () => setTimeout(() => ac.abort(), 10),
    });
    const err = await failure(get(URL_A, ac.signal));
    expect(err.code).toBe('INTERRUPTED');
    expect(fetch.calls).toHaveLength(1);
  });

  it('cuts a request in flight when the signal aborts, without retrying it', async () => {
    const ac = new AbortController();
    let calls = 0;
    const hanging = (_url: string, init?: { signal?: AbortSignal }): Promise<Response> => {
      calls++;
      setTimeout(() => ac.abort(), 10);
      return new Promise((_, reject) =>
        init?.signal?.addEventListener('abort', () => reject(new Error('aborted'))),
      );
    };
    const err = await failure(createPoliteFetch({ fetch: hanging, minIntervalMs: 0 })(URL_A, ac.signal));
    expect(err.code).toBe('INTERRUPTED');
    expect(calls).toBe(1);
  });

  it('does not start a request once the signal has aborted', async () => {
    const fetch = scriptedFetch([ok()]);
    const err = await failure(createPoliteFetch({ fetch, minIntervalMs: 0 })(URL_A, AbortSignal.abort()));
    expect(err.code).toBe('INTERRUPTED');
    expect(fetch.calls).toHaveLength(0);
  });
});

describe('createPoliteFetch against a hostile server on loopback', () => {
  type Handler = (req: IncomingMessage, res: ServerResponse) => void;
  const servers: Server[] = [];
  afterAll(async () => {
    await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
  });
  async function serve(handler: Handler): Promise<{ base: string; hits: string[] }> {
    const hits: string[] = [];
    const server = createServer((req, res) => {
      hits.push(req.url ?? '');
      handler(req, res);
    });
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return { base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, hits };
  }
  const get = (opts: { maxBytes?: number } = {}) =>
    createPoliteFetch({ fetch: (u, i) => globalThis.fetch(u, i), minIntervalMs: 0, maxRetries: 0, ...opts });

  it('refuses a redirect to another host or port and never shows what is there', async () => {
    const internal = await serve((_req, res) => res.end('INTERNAL-SECRET admin console'));
    const arxiv = await serve((_req, res) => {
      res.writeHead(302, { location: `${internal.base}/` });
      res.end();
    });
    const err = await failure(get()(`${arxiv.base}/api/query?id_list=1605.08386`));
    expect(err.code).toBe('NETWORK');
    expect(err.message).toMatch(/redirect to another host, which Paperboy does not follow/);
    expect(err.message).not.toContain('INTERNAL');
    expect(internal.hits).toEqual([]);
  });

  it('follows a redirect within the asked host', async () => {
    const arxiv = await serve((req, res) => {
      if (req.url === '/old') {
        res.writeHead(301, { location: '/new' });
        res.end();
      } else res.end('<feed/>');
    });
    expect(await get()(`${arxiv.base}/old`)).toBe('<feed/>');
    expect(arxiv.hits).toEqual(['/old', '/new']);
  });

  it('stops reading a body over the limit, declared or streamed, and names the limit', async () => {
    const big = 'x'.repeat(2 * 1024 * 1024);
    const declared = await serve((_req, res) => res.end(big));
    const streamed = await serve((_req, res) => {
      res.writeHead(200, { 'transfer-encoding': 'chunked' });
      res.write(big.slice(0, 1024 * 1024));
      res.end(big.slice(1024 * 1024));
    });
    for (const { base } of [declared, streamed]) {
      const err = await failure(get({ maxBytes: 1024 * 1024 })(`${base}/api/query`));
      expect(err.code).toBe('SOURCE_UNREADABLE');
      expect(err.message).toBe(
        `The answer to ${base}/api/query is larger than 1 MiB, the most Paperboy reads from one request; ask for fewer results per page.`,
      );
    }
  });
});
